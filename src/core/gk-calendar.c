/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiCalendar"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gk-calendar.h"
#include "gk-data.h"
#include "gk-util.h"

/* Working days for the deadlines of the 政府信息公开条例: Monday to Friday,
 * minus the official holidays, plus the 调休 weekend days that are worked.
 * A calendar never changes once loaded, so one instance may be shared by
 * any number of threads. */
struct _GkCalendar
{
  gatomicrefcount  ref_count;
  GHashTable      *days;     /* julian day → DayKind, only the exceptions */
  GHashTable      *sources;  /* year → source notice */
  GArray          *years;    /* int, ascending */
};

G_DEFINE_BOXED_TYPE (GkCalendar, gk_calendar, gk_calendar_ref, gk_calendar_unref)

typedef enum
{
  DAY_HOLIDAY = 1,
  DAY_WORKDAY = 2,
} DayKind;

#define DISCLOSURE_WORKING_DAYS 20
#define HOLIDAYS_FILE "holidays.ini"

static gboolean
is_weekend_julian (guint32 julian)
{
  /* Julian day 1 (1 January of year 1) was a Monday. */
  return (julian - 1) % 7 >= 5;
}

/* Monday-to-Friday days in [1, julian]. */
static gint64
count_weekdays_upto (guint32 julian)
{
  return (gint64) (julian / 7) * 5 + MIN (julian % 7, 5);
}

static GkCalendar *
calendar_new_empty (void)
{
  GkCalendar *self = g_new0 (GkCalendar, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->days = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->sources = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  self->years = g_array_new (FALSE, FALSE, sizeof (int));

  return self;
}

static gboolean
add_day (GkCalendar  *self,
         const char  *path,
         const char  *group,
         const GDate *date,
         DayKind      kind,
         GError     **error)
{
  gpointer key = GUINT_TO_POINTER (g_date_get_julian (date));
  DayKind existing = GPOINTER_TO_INT (g_hash_table_lookup (self->days, key));

  if (existing != 0 && existing != kind)
    {
      g_autofree char *text = gk_date_format (date);

      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("The holiday calendar “%s” lists %s in [%s] both as a holiday and as a working day."),
                   path, text, group);
      return FALSE;
    }

  g_hash_table_insert (self->days, key, GINT_TO_POINTER (kind));
  return TRUE;
}

/* One entry of a holidays= or workdays= list: a date or "FIRST..LAST". */
static gboolean
add_entry (GkCalendar  *self,
           const char  *path,
           const char  *group,
           const char  *key,
           const char  *entry,
           DayKind      kind,
           GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (entry));
  const char *dots = strstr (text, "..");
  g_autoptr(GDate) first = NULL;
  g_autoptr(GDate) last = NULL;

  if (*text == '\0')
    return TRUE;  /* "a;b;" leaves an empty last item */

  /* Strictly YYYY-MM-DD: a typo must fail loudly, not move a deadline. */
  if (dots != NULL)
    {
      g_autofree char *head = g_strstrip (g_strndup (text, dots - text));
      g_autofree char *tail = g_strstrip (g_strdup (dots + 2));

      first = gk_date_parse (head);
      last = gk_date_parse (tail);
    }
  else
    {
      first = gk_date_parse (text);
      last = gk_date_parse (text);
    }

  if (first == NULL || last == NULL || g_date_compare (first, last) > 0 ||
      g_date_days_between (first, last) > 366)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("The holiday calendar “%s” has “%s” in %s of [%s], which is not a date written as YYYY-MM-DD or a range FIRST..LAST."),
                   path, text, key, group);
      return FALSE;
    }

  for (GDate day = *first; g_date_compare (&day, last) <= 0; g_date_add_days (&day, 1))
    if (!add_day (self, path, group, &day, kind, error))
      return FALSE;

  return TRUE;
}

static gboolean
parse_year_group (const char *group,
                  int        *out_year)
{
  guint64 year;

  if (strlen (group) != 4 || !g_ascii_string_to_unsigned (group, 10, 1900, 9999, &year, NULL))
    return FALSE;

  *out_year = (int) year;
  return TRUE;
}

static int
compare_int (gconstpointer a,
             gconstpointer b)
{
  int x = *(const int *) a;
  int y = *(const int *) b;

  return (x > y) - (x < y);
}

/* @data: the file's contents, or NULL to read @path. */
static gboolean
load_key_file (GkCalendar *self, const char *path, GBytes *data, GError **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_auto(GStrv) groups = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean loaded = data != NULL
                        ? g_key_file_load_from_bytes (key_file, data, G_KEY_FILE_NONE, &local_error)
                        : g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &local_error);

  if (!loaded)
    {
      int code = g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                 ? GK_ERROR_NOT_FOUND : GK_ERROR_INVALID;

      g_set_error (error, GK_ERROR, code,
                   _("Could not read the holiday calendar “%s”: %s"),
                   path, local_error->message);
      return FALSE;
    }

  groups = g_key_file_get_groups (key_file, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      static const struct { const char *key; DayKind kind; } lists[] = {
        { "holidays", DAY_HOLIDAY },
        { "workdays", DAY_WORKDAY },
      };
      int year;

      if (!parse_year_group (groups[i], &year))
        {
          g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                       _("The holiday calendar “%s” has a group [%s]; every group must be a year such as [2025]."),
                       path, groups[i]);
          return FALSE;
        }

      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        {
          g_auto(GStrv) entries = NULL;

          entries = g_key_file_get_string_list (key_file, groups[i], lists[l].key, NULL, NULL);
          for (guint e = 0; entries != NULL && entries[e] != NULL; e++)
            if (!add_entry (self, path, groups[i], lists[l].key, entries[e], lists[l].kind, error))
              return FALSE;
        }

      g_hash_table_insert (self->sources, GINT_TO_POINTER (year),
                           g_key_file_get_string (key_file, groups[i], "source", NULL));
      g_array_append_val (self->years, year);
    }

  g_array_sort (self->years, compare_int);
  return TRUE;
}

/**
 * gk_calendar_new_from_file:
 * @path: a key file in the data/holidays.ini format
 * @error: return location for a #GK_ERROR
 *
 * Loads a working-day calendar.  A malformed date, a group that is not a
 * year, or a day listed both as holiday and working day is an error, so
 * that a typo never silently moves a legal deadline.
 *
 * Returns: (transfer full): the calendar, or %NULL with @error set
 */
GkCalendar *
gk_calendar_new_from_file (const char  *path,
                           GError     **error)
{
  g_autoptr(GkCalendar) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = calendar_new_empty ();
  if (!load_key_file (self, path, NULL, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * gk_calendar_new_default:
 *
 * Loads the holiday table as gk-data.h finds it:
 * `$GONGKAI_DATA_DIR/holidays.ini`, then the installed one, then the copy
 * compiled into the core.  If none can be read the calendar counts
 * weekends only (and says so in the log), so a deadline is always
 * computed.
 *
 * Returns: (transfer full): the calendar
 */
GkCalendar *
gk_calendar_new_default (void)
{
  g_auto (GStrv) candidates = gk_data_candidates (HOLIDAYS_FILE);
  g_autoptr (GBytes) builtin = gk_data_builtin (HOLIDAYS_FILE);

  for (guint i = 0; candidates[i] != NULL; i++)
    {
      const char *path = candidates[i];
      g_autoptr(GError) error = NULL;
      GkCalendar *self;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;

      self = gk_calendar_new_from_file (path, &error);
      if (self != NULL)
        return self;

      g_warning ("Ignoring the holiday calendar: %s", error->message);
    }

  if (builtin != NULL)
    {
      g_autoptr (GkCalendar) self = calendar_new_empty ();
      g_autoptr (GError) error = NULL;

      if (load_key_file (self, "resource://" HOLIDAYS_FILE, builtin, &error))
        return g_steal_pointer (&self);
      g_warning ("Ignoring the built-in holiday calendar: %s", error->message);
    }

  g_message ("No holiday calendar found; working days count weekends only");
  return calendar_new_empty ();
}

/**
 * gk_calendar_ref:
 * @self: a calendar
 *
 * Returns: (transfer full): @self, with one more reference
 */
GkCalendar *
gk_calendar_ref (GkCalendar *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * gk_calendar_unref:
 * @self: (nullable): a calendar
 *
 * Drops a reference; the last one frees the calendar.
 */
void
gk_calendar_unref (GkCalendar *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_hash_table_unref (self->days);
  g_hash_table_unref (self->sources);
  g_array_unref (self->years);
  g_free (self);
}

static gboolean
is_working_julian (GkCalendar *self,
                   guint32     julian)
{
  DayKind kind = GPOINTER_TO_INT (g_hash_table_lookup (self->days, GUINT_TO_POINTER (julian)));

  if (kind == DAY_WORKDAY)
    return TRUE;
  if (kind == DAY_HOLIDAY)
    return FALSE;
  return !is_weekend_julian (julian);
}

/**
 * gk_calendar_is_working_day:
 * @self: a calendar
 * @date: a valid date
 *
 * Returns: %TRUE on Monday to Friday unless the day is an official holiday,
 *   and on the 调休 weekend days that are worked
 */
gboolean
gk_calendar_is_working_day (GkCalendar  *self,
                            const GDate *date)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  return is_working_julian (self, g_date_get_julian (date));
}

/**
 * gk_calendar_add_working_days:
 * @self: a calendar
 * @start: a valid date, not itself counted
 * @n: working days to move; negative moves backwards
 *
 * With @n = 0 the result is @start itself, working day or not.
 *
 * Returns: (transfer full) (nullable): a new #GDate (free with
 *   g_date_free()), or %NULL if it would fall outside the years a #GDate
 *   can hold
 */
GDate *
gk_calendar_add_working_days (GkCalendar  *self,
                              const GDate *start,
                              int          n)
{
  /* GDate holds years 1..65535; stay well inside and refuse the rest. */
  const gint64 min_julian = 1;
  const gint64 max_julian = 23000000;
  gint64 julian;
  int step = n >= 0 ? 1 : -1;
  gint64 remaining = ABS ((gint64) n);

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (start != NULL && g_date_valid (start), NULL);

  julian = g_date_get_julian (start);
  while (remaining > 0)
    {
      julian += step;
      if (julian <= min_julian || julian >= max_julian)
        return NULL;
      if (is_working_julian (self, (guint32) julian))
        remaining--;
    }

  return g_date_new_julian ((guint32) julian);
}

/* Working days in the half-open range (from, to], from <= to.  Counts
 * weekdays arithmetically and corrects for the few listed exceptions, so
 * any span costs the same. */
static gint64
count_working_days (GkCalendar *self,
                    guint32     from,
                    guint32     to)
{
  gint64 count = count_weekdays_upto (to) - count_weekdays_upto (from);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->days);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint32 julian = GPOINTER_TO_UINT (key);
      gboolean weekend = is_weekend_julian (julian);

      if (julian <= from || julian > to)
        continue;
      if (GPOINTER_TO_INT (value) == DAY_HOLIDAY && !weekend)
        count--;
      else if (GPOINTER_TO_INT (value) == DAY_WORKDAY && weekend)
        count++;
    }

  return count;
}

/**
 * gk_calendar_working_days_between:
 * @self: a calendar
 * @a: a valid date
 * @b: a valid date
 *
 * Counts the working days after @a up to and including @b.
 *
 * Returns: that count; negative (the days after @b up to @a) when @b is
 *   before @a, 0 for the same day
 */
int
gk_calendar_working_days_between (GkCalendar  *self,
                                  const GDate *a,
                                  const GDate *b)
{
  guint32 ja, jb;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (a != NULL && g_date_valid (a), 0);
  g_return_val_if_fail (b != NULL && g_date_valid (b), 0);

  ja = g_date_get_julian (a);
  jb = g_date_get_julian (b);

  if (ja <= jb)
    return (int) count_working_days (self, ja, jb);
  return (int) -count_working_days (self, jb, ja);
}

/**
 * gk_calendar_disclosure_due:
 * @self: a calendar
 * @written_date: (nullable): the 成文日期 (or date of change), YYYY-MM-DD
 *
 * The proactive-disclosure deadline of 条例 Art. 26: 20 working days after
 * the information was formed or changed.
 *
 * Returns: (transfer full) (nullable): the due date as YYYY-MM-DD
 */
char *
gk_calendar_disclosure_due (GkCalendar *self,
                            const char *written_date)
{
  g_autoptr(GDate) written = NULL;
  g_autoptr(GDate) due = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  written = gk_date_parse (written_date);
  if (written == NULL)
    return NULL;

  due = gk_calendar_add_working_days (self, written, DISCLOSURE_WORKING_DAYS);
  return due != NULL ? gk_date_format (due) : NULL;
}

/**
 * gk_calendar_days_left:
 * @self: a calendar
 * @due_date: the deadline, YYYY-MM-DD
 * @today: (nullable): the current day, YYYY-MM-DD; %NULL for gk_date_today()
 *
 * Working days from @today until @due_date.  Once the deadline has passed
 * the result is negative, and at least -1 even when only a weekend lies
 * in between: a deadline missed on Friday is overdue on Saturday.
 *
 * Returns: the working days left; 0 if a date is invalid
 */
int
gk_calendar_days_left (GkCalendar *self,
                       const char *due_date,
                       const char *today)
{
  g_autofree char *today_owned = NULL;
  g_autoptr(GDate) due = NULL;
  g_autoptr(GDate) now = NULL;
  int days;

  g_return_val_if_fail (self != NULL, 0);

  if (today == NULL)
    today = today_owned = gk_date_today ();

  due = gk_date_parse (due_date);
  now = gk_date_parse (today);
  if (due == NULL || now == NULL)
    return 0;

  days = gk_calendar_working_days_between (self, now, due);
  if (g_date_compare (now, due) > 0)
    days = MIN (days, -1);

  return days;
}

/**
 * gk_calendar_get_years:
 * @self: a calendar
 *
 * Returns: (transfer full) (element-type int): the years the data file
 *   covers, ascending
 */
GArray *
gk_calendar_get_years (GkCalendar *self)
{
  GArray *years;

  g_return_val_if_fail (self != NULL, NULL);

  years = g_array_sized_new (FALSE, FALSE, sizeof (int), self->years->len);
  g_array_append_vals (years, self->years->data, self->years->len);
  return years;
}

/**
 * gk_calendar_get_source:
 * @self: a calendar
 * @year: a year
 *
 * Returns: (nullable): the notice the year's dates come from, as written
 *   in the data file's `source=`
 */
const char *
gk_calendar_get_source (GkCalendar *self,
                        int         year)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_hash_table_lookup (self->sources, GINT_TO_POINTER (year));
}
