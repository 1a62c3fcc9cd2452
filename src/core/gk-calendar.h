/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "gk-types.h"

G_BEGIN_DECLS

/* Working days: weekends off, official holidays off, 调休 make-up
 * weekend days on.  Loaded from a key file (data/holidays.ini format:
 * [2025] holidays=2025-01-01;…  workdays=2025-01-26;…  source=国办发明电〔2024〕12号).
 * Years beyond the file count only weekends. */

#define GK_TYPE_CALENDAR (gk_calendar_get_type ())
GType       gk_calendar_get_type      (void) G_GNUC_CONST;

GkCalendar *gk_calendar_new_default (void); /* the shipped data, found as gk-data.h says */
GkCalendar *gk_calendar_new_from_file (const char *path, GError **error);
GkCalendar *gk_calendar_ref           (GkCalendar *self);
void        gk_calendar_unref         (GkCalendar *self);

gboolean    gk_calendar_is_working_day (GkCalendar *self, const GDate *date);
/* The date n working days after start (start itself not counted). */
GDate      *gk_calendar_add_working_days (GkCalendar *self, const GDate *start, int n);
/* Working days from a to b: positive if b is after a, 0 if same day. */
int         gk_calendar_working_days_between (GkCalendar *self, const GDate *a, const GDate *b);
/* Disclosure deadline (条例 Art. 26): written_date + 20 working days, as
 * YYYY-MM-DD; NULL if written_date is NULL or invalid. */
char       *gk_calendar_disclosure_due (GkCalendar *self, const char *written_date);
/* Working days left until due_date (YYYY-MM-DD) as seen on today
 * (YYYY-MM-DD, NULL = gk_date_today()): 0 when due today, positive before,
 * negative once overdue (at least -1 the day after, even on a weekend).
 * 0 if a date is invalid. */
int         gk_calendar_days_left     (GkCalendar *self,
                                       const char *due_date,
                                       const char *today);
/* Years covered by the data file, for the admin page: a GArray of int,
 * ascending. */
GArray     *gk_calendar_get_years     (GkCalendar *self);
/* The `source=` notice of a year (e.g. 国办发明电〔2024〕12号), or NULL. */
const char *gk_calendar_get_source    (GkCalendar *self,
                                       int         year);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkCalendar, gk_calendar_unref)

G_END_DECLS
