/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gk-admin-page.h"

G_BEGIN_DECLS

/* The holiday calendar behind every disclosure deadline: the years the
 * data file covers and the State Council notice each comes from, the
 * file's location (to edit it when a new year's notice is out) and
 * "Reload" to check the edited file. */

#define GK_TYPE_CALENDAR_PAGE (gk_calendar_page_get_type ())
G_DECLARE_FINAL_TYPE (GkCalendarPage, gk_calendar_page, GK, CALENDAR_PAGE, GkAdminPage)

GtkWidget  *gk_calendar_page_new        (GkContext *context);
/* The holidays.ini in use, as gk_calendar_new_default() finds it; NULL
 * when there is none. */
char       *gk_calendar_page_find_file  (void);
guint       gk_calendar_page_get_n_years (GkCalendarPage *self);

G_END_DECLS
