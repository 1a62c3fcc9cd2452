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

/* One year of the calendar as a notice gives it: the days off, the
 * weekend days worked (调休), the notice's number.  Dates are
 * YYYY-MM-DD, ascending, each once; updated_at/updated_by are the
 * library's (NULL for a file). */
typedef struct
{
  int   year;
  char *source;
  GStrv holidays;
  GStrv workdays;
  char *updated_at;
  char *updated_by;
} GkCalendarYear;

GkCalendarYear *gk_calendar_year_copy (const GkCalendarYear *year);
void            gk_calendar_year_free (GkCalendarYear *year);
/* One year as typed: holidays and workdays are dates YYYY-MM-DD or
 * ranges FIRST..LAST, separated by new lines, spaces, “;”, “；”, “,” or
 * “，”.  Checks every rule (gk_calendar_year_check()).  NULL with a
 * GK_ERROR_INVALID naming the date when one is broken. */
GkCalendarYear *gk_calendar_year_parse (
    int year, const char *holidays, const char *workdays, const char *source, GError **error);
/* The rules of a year: 1900 ≤ year ≤ 9999; every date inside the year,
 * or in the December before or the January after (调休 across the new
 * year); no date twice; no date both a holiday and a working day;
 * working days only on Saturdays and Sundays; a source of at most 200
 * characters. */
gboolean gk_calendar_year_check (const GkCalendarYear *year, GError **error);
/* The years of a key file in the holidays.ini format (name, a path or
 * a file name, is for the messages), each checked: a GPtrArray of
 * GkCalendarYear, ascending.  All or nothing: NULL with an error naming
 * the file, the year and the date. */
GPtrArray *
gk_calendar_parse_key_file (const char *contents, gssize length, const char *name, GError **error);

GkCalendar *gk_calendar_new (void); /* empty: weekends only, until years are added */
/* Adds a year to a calendar being built (before it is shared with
 * other threads).  A year already there, or a day another year lists
 * the other way (a holiday of one, a working day of the other), is a
 * GK_ERROR_INVALID naming it. */
gboolean gk_calendar_add_year (GkCalendar *self, const GkCalendarYear *year, GError **error);
/* The years, as GkCalendarYear, ascending. */
GPtrArray *gk_calendar_list_years (GkCalendar *self);
/* Does the calendar hold year's holidays? */
gboolean gk_calendar_knows_year (GkCalendar *self, int year);
/* A deadline from written_date to due_date (YYYY-MM-DD) counted across
 * a year the calendar does not know: the first such year, 0 when both
 * years are known or a date is invalid. */
int
gk_calendar_unknown_year_between (GkCalendar *self, const char *written_date, const char *due_date);

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
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkCalendarYear, gk_calendar_year_free)

G_END_DECLS
