/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Show a toast in the window that holds widget (its AdwToastOverlay). */
void   gk_widget_show_toast      (GtkWidget  *widget,
                                  const char *text);
/* Open an address from a record or the portal in the browser, only if
 * it is an absolute http(s) URL (never javascript:, file:, a relative
 * path…).  Returns whether it was handed to the browser. */
gboolean gk_show_web_link        (GtkWidget  *widget,
                                  const char *uri);
/* "2025-03-01T02:03:04.000Z" → "2025-03-01 10:03" in local time. */
/* A tooltip for a widget of a list row, looked up when GTK asks for it.
 * gtk_widget_set_tooltip_text() asks the X server where the pointer is
 * (a round trip) each time it is called: at every bind of every row of
 * a refreshed list, that is seconds. */
void gk_widget_set_row_tooltip (GtkWidget *widget, const char *text);
/* A label for a list row: start-aligned, one line, ellipsized (cheap to
 * lay out: no height-for-width). */
GtkWidget *gk_row_label_new (void);
/* gtk_widget_set_tooltip_text(), only when @text differs from the
 * tooltip shown (each call is a round trip to the X server). */
void gk_widget_change_tooltip (GtkWidget *widget, const char *text);

const char *gk_choose_renderer (void);
char  *gk_format_timestamp       (const char *iso);
/* Days left until due (see gk_calendar_days_left) in words: "5 days",
 * "Today", "3 days overdue". */
char  *gk_format_days_left       (int         days);
/* A topic "top\\sub" as "top › sub". */
char *gk_format_topic (const char *topic);

G_END_DECLS
