/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gk-admin-page.h"

G_BEGIN_DECLS

/* The holiday calendar behind every disclosure deadline, as the library
 * keeps it: a row per year with the State Council notice it comes from
 * and its counts; for admins, "Add Year", "Import…" (a holidays.ini),
 * edit and remove.  A warning names the years of running deadlines the
 * calendar does not know (they count weekends only). */

#define GK_TYPE_CALENDAR_PAGE (gk_calendar_page_get_type ())
G_DECLARE_FINAL_TYPE (GkCalendarPage, gk_calendar_page, GK, CALENDAR_PAGE, GkAdminPage)

GtkWidget  *gk_calendar_page_new (GkContext *context);
guint       gk_calendar_page_get_n_years (GkCalendarPage *self);
/* What "Import…" does with the chosen file (for tests: the chooser is
 * the system's). */
void gk_calendar_page_import_file (GkCalendarPage *self, GFile *file);
/* The dialog of "Add Year" (year 0) or of a year's edit button, shown;
 * NULL if the year is not listed. */
GtkWindow *gk_calendar_page_edit_year (GkCalendarPage *self, int year);
/* Is a write (import, save, remove) on its way? */
gboolean gk_calendar_page_is_busy (GkCalendarPage *self);

G_END_DECLS
