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
 * A calendar never changes once built (gk_calendar_add_year() is for
 * its builder), so one instance may be shared by any number of threads;
 * the store builds a new one when the library's years change. */
struct _GkCalendar
{
  gatomicrefcount  ref_count;
  GHashTable      *days;     /* julian day → DayKind, only the exceptions */
  GHashTable      *by_year;  /* year → GkCalendarYear* (owned) */
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
#define SOURCE_MAX_CHARS        200

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

static int
compare_int (gconstpointer a, gconstpointer b)
{
  int x = *(const int *) a;
  int y = *(const int *) b;

  return (x > y) - (x < y);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/**
 * gk_calendar_year_copy:
 * @year: a year
 *
 * Returns: (transfer full): a copy
 */
GkCalendarYear *
gk_calendar_year_copy (const GkCalendarYear *year)
{
  GkCalendarYear *copy;

  g_return_val_if_fail (year != NULL, NULL);

  copy = g_new0 (GkCalendarYear, 1);
  copy->year = year->year;
  copy->source = g_strdup (year->source);
  copy->holidays = year->holidays ? g_strdupv (year->holidays) : g_new0 (char *, 1);
  copy->workdays = year->workdays ? g_strdupv (year->workdays) : g_new0 (char *, 1);
  copy->updated_at = g_strdup (year->updated_at);
  copy->updated_by = g_strdup (year->updated_by);
  return copy;
}

/**
 * gk_calendar_year_free:
 * @year: (nullable): a year
 */
void
gk_calendar_year_free (GkCalendarYear *year)
{
  if (year == NULL)
    return;
  g_free (year->source);
  g_strfreev (year->holidays);
  g_strfreev (year->workdays);
  g_free (year->updated_at);
  g_free (year->updated_by);
  g_free (year);
}

/* One entry of a list: a date or "FIRST..LAST", appended day by day to
 * out (strings).  Strictly YYYY-MM-DD: a typo must fail loudly, not
 * move a deadline. */
static gboolean
expand_entry (const char *entry, const char *what, int year, GPtrArray *out, GError **error)
{
  const char *dots = strstr (entry, "..");
  g_autoptr(GDate) first = NULL;
  g_autoptr(GDate) last = NULL;

  if (dots != NULL)
    {
      g_autofree char *head = g_strstrip (g_strndup (entry, dots - entry));
      g_autofree char *tail = g_strstrip (g_strdup (dots + 2));

      first = gk_date_parse (head);
      last = gk_date_parse (tail);
    }
  else
    {
      first = gk_date_parse (entry);
      last = gk_date_parse (entry);
    }

  if (first == NULL || last == NULL || g_date_compare (first, last) > 0 ||
      g_date_days_between (first, last) > 366)
    {
      g_set_error (
          error, GK_ERROR, GK_ERROR_INVALID,
          /* TRANSLATORS: the second %s is "holidays" or "working days" */
          _ ("“%s” in the %s of %d is not a date written as YYYY-MM-DD or a range FIRST..LAST."),
          entry, what, year);
      return FALSE;
    }

  for (GDate day = *first; g_date_compare (&day, last) <= 0; g_date_add_days (&day, 1))
    g_ptr_array_add (out, gk_date_format (&day));
  return TRUE;
}

/* A list as typed or as a key file holds it, expanded: NULL-terminated,
 * in the order given. */
static GStrv
parse_list (const char *text, const char *what, int year, GError **error)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) normal = g_string_new (NULL);
  g_auto (GStrv) entries = NULL;

  /* The separators people type: new lines, spaces, ASCII and full-width
   * semicolons and commas.  ".." stays inside its entry. */
  for (const char *p = text ? text : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == ';' || c == ',' || c == 0xFF1B || c == 0xFF0C || c == 0x3001 ||
          g_unichar_isspace (c))
        g_string_append_c (normal, ';');
      else
        g_string_append_unichar (normal, c);
    }

  entries = g_strsplit (normal->str, ";", -1);
  for (guint i = 0; entries[i] != NULL; i++)
    {
      if (*entries[i] == '\0')
        continue;
      if (!expand_entry (entries[i], what, year, out, error))
        return NULL;
    }
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

static void
sort_strv (GStrv strv)
{
  g_qsort_with_data (strv, g_strv_length (strv), sizeof (char *),
                     (GCompareDataFunc) compare_strings, NULL);
}

/**
 * gk_calendar_year_check:
 * @year: a year
 * @error: return location for a %GK_ERROR_INVALID naming what is wrong
 *
 * Returns: %TRUE when @year keeps every rule of gk-calendar.h
 */
gboolean
gk_calendar_year_check (const GkCalendarYear *year, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const struct
  {
    GStrv       list;
    const char *what;
    DayKind     kind;
  } lists[] = {
    { year->holidays, _ ("holidays"), DAY_HOLIDAY },
    { year->workdays, _ ("working days"), DAY_WORKDAY },
  };

  g_return_val_if_fail (year != NULL, FALSE);

  if (year->year < 1900 || year->year > 9999)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _ ("%d is not a year the calendar can hold (1900 to 9999)."), year->year);
      return FALSE;
    }
  if (year->source != NULL && (!g_utf8_validate (year->source, -1, NULL) ||
                               g_utf8_strlen (year->source, -1) > SOURCE_MAX_CHARS))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _ ("The notice of %d must be UTF-8 text of at most %d characters."), year->year,
                   SOURCE_MAX_CHARS);
      return FALSE;
    }

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l].list != NULL && lists[l].list[i] != NULL; i++)
      {
        const char *text = lists[l].list[i];
        g_autoptr (GDate) day = gk_date_parse (text);
        gpointer previous;
        int      y;

        if (day == NULL)
          {
            g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                         _ ("“%s” in the %s of %d is not a date written as YYYY-MM-DD or a range "
                            "FIRST..LAST."),
                         text, lists[l].what, year->year);
            return FALSE;
          }
        y = g_date_get_year (day);
        if (!(y == year->year ||
              (y == year->year - 1 && g_date_get_month (day) == G_DATE_DECEMBER) ||
              (y == year->year + 1 && g_date_get_month (day) == G_DATE_JANUARY)))
          {
            g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                         _ ("%s is not in %d: the %s of a year must fall in it, or in the December "
                            "before or the January after."),
                         text, year->year, lists[l].what);
            return FALSE;
          }
        if (g_hash_table_lookup_extended (seen, text, NULL, &previous))
          {
            if (GPOINTER_TO_INT (previous) == (int) lists[l].kind)
              g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                           _ ("%s is listed twice in the %s of %d."), text, lists[l].what,
                           year->year);
            else
              g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                           _ ("%s is listed in %d both as a holiday and as a working day."), text,
                           year->year);
            return FALSE;
          }
        if (lists[l].kind == DAY_WORKDAY && !is_weekend_julian (g_date_get_julian (day)))
          {
            g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                         _ ("%s is not a Saturday or a Sunday: only weekend days can be listed as "
                            "working days (调休) of %d."),
                         text, year->year);
            return FALSE;
          }
        g_hash_table_insert (seen, (gpointer) text, GINT_TO_POINTER (lists[l].kind));
      }
  return TRUE;
}

/**
 * gk_calendar_year_parse:
 * @year: the year
 * @holidays: (nullable): the days off, as typed
 * @workdays: (nullable): the weekend days worked, as typed
 * @source: (nullable): the notice; blank is none
 * @error: return location for a %GK_ERROR_INVALID
 *
 * Returns: (transfer full) (nullable): the year, its lists sorted
 */
GkCalendarYear *
gk_calendar_year_parse (
    int year, const char *holidays, const char *workdays, const char *source, GError **error)
{
  g_autoptr (GkCalendarYear) self = g_new0 (GkCalendarYear, 1);

  self->year = year;
  if (source != NULL && !gk_str_is_blank (source))
    self->source = g_strstrip (g_strdup (source));
  if ((self->holidays = parse_list (holidays, _ ("holidays"), year, error)) == NULL ||
      (self->workdays = parse_list (workdays, _ ("working days"), year, error)) == NULL ||
      !gk_calendar_year_check (self, error))
    return NULL;
  sort_strv (self->holidays);
  sort_strv (self->workdays);
  return g_steal_pointer (&self);
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
compare_years (gconstpointer a, gconstpointer b)
{
  const GkCalendarYear *x = *(GkCalendarYear *const *) a;
  const GkCalendarYear *y = *(GkCalendarYear *const *) b;

  return (x->year > y->year) - (x->year < y->year);
}

/**
 * gk_calendar_parse_key_file:
 * @contents: the file's text
 * @length: its length, or -1 when NUL-terminated
 * @name: the file, for the messages
 * @error: return location for a #GK_ERROR
 *
 * Returns: (transfer full) (element-type GkCalendarYear) (nullable): the
 *   years, ascending
 */
GPtrArray *
gk_calendar_parse_key_file (const char *contents, gssize length, const char *name, GError **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr (GPtrArray) years =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gk_calendar_year_free);
  g_autoptr(GError) local_error = NULL;
  g_auto (GStrv) groups = NULL;

  g_return_val_if_fail (contents != NULL, NULL);

  if (!g_key_file_load_from_data (key_file, contents, length < 0 ? (gsize) -1 : (gsize) length,
                                  G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _ ("Could not read the holiday calendar “%s”: %s"), name, local_error->message);
      return NULL;
    }

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *holidays = g_key_file_get_string (key_file, groups[i], "holidays", NULL);
      g_autofree char *workdays = g_key_file_get_string (key_file, groups[i], "workdays", NULL);
      g_autofree char *source = g_key_file_get_string (key_file, groups[i], "source", NULL);
      GkCalendarYear  *year;
      int              number;

      if (!parse_year_group (groups[i], &number))
        {
          g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                       _ ("The holiday calendar “%s” has a group [%s]; every group must be a year "
                          "such as [2025]."),
                       name, groups[i]);
          return NULL;
        }
      year = gk_calendar_year_parse (number, holidays, workdays, source, &local_error);
      if (year == NULL)
        {
          g_set_error (error, GK_ERROR, GK_ERROR_INVALID, _ ("The holiday calendar “%s”, [%s]: %s"),
                       name, groups[i], local_error->message);
          return NULL;
        }
      g_ptr_array_add (years, year);
    }

  g_ptr_array_sort (years, compare_years);
  return g_steal_pointer (&years);
}

static GkCalendar *
calendar_new_empty (void)
{
  GkCalendar *self = g_new0 (GkCalendar, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->days = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->by_year = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                         (GDestroyNotify) gk_calendar_year_free);
  self->years = g_array_new (FALSE, FALSE, sizeof (int));
  return self;
}

/**
 * gk_calendar_new:
 *
 * Returns: (transfer full): a calendar without years (weekends only),
 *   for gk_calendar_add_year()
 */
GkCalendar *
gk_calendar_new (void)
{
  return calendar_new_empty ();
}

/**
 * gk_calendar_add_year:
 * @self: a calendar not yet shared
 * @year: a year (checked again here)
 * @error: return location for a %GK_ERROR_INVALID
 *
 * Returns: %TRUE when the year is added
 */
gboolean
gk_calendar_add_year (GkCalendar *self, const GkCalendarYear *year, GError **error)
{
  g_autoptr (GHashTable) added = NULL;
  const struct
  {
    GStrv   list;
    DayKind kind;
  } lists[] = {
    { year->holidays, DAY_HOLIDAY },
    { year->workdays, DAY_WORKDAY },
  };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (year != NULL, FALSE);

  if (!gk_calendar_year_check (year, error))
    return FALSE;
  if (g_hash_table_contains (self->by_year, GINT_TO_POINTER (year->year)))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID, _ ("The holiday calendar has %d twice."),
                   year->year);
      return FALSE;
    }

  /* Two years may list the same day (a notice repeats the new year's
   * day of the next one), but never the other way round. */
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l].list != NULL && lists[l].list[i] != NULL; i++)
      {
        g_autoptr (GDate) day = gk_date_parse (lists[l].list[i]);
        gpointer key = GUINT_TO_POINTER (g_date_get_julian (day));
        DayKind  existing = GPOINTER_TO_INT (g_hash_table_lookup (self->days, key));

        if (existing != 0 && existing != lists[l].kind)
          {
            g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                         _ ("%s is a holiday in one year of the calendar and a working day in "
                            "another (%d)."),
                         lists[l].list[i], year->year);
            return FALSE; /* nothing was added yet */
          }
      }
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l].list != NULL && lists[l].list[i] != NULL; i++)
      {
        g_autoptr (GDate) day = gk_date_parse (lists[l].list[i]);

        g_hash_table_insert (self->days, GUINT_TO_POINTER (g_date_get_julian (day)),
                             GINT_TO_POINTER (lists[l].kind));
      }

  {
    GkCalendarYear *copy = gk_calendar_year_copy (year);

    sort_strv (copy->holidays);
    sort_strv (copy->workdays);
    g_hash_table_insert (self->by_year, GINT_TO_POINTER (year->year), copy);
  }
  g_array_append_val (self->years, year->year);
  g_array_sort (self->years, compare_int);
  return TRUE;
}

/**
 * gk_calendar_list_years:
 * @self: a calendar
 *
 * Returns: (transfer full) (element-type GkCalendarYear): copies of its
 *   years, ascending
 */
GPtrArray *
gk_calendar_list_years (GkCalendar *self)
{
  GPtrArray *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_calendar_year_free);
  for (guint i = 0; i < self->years->len; i++)
    g_ptr_array_add (out,
                     gk_calendar_year_copy (g_hash_table_lookup (
                         self->by_year, GINT_TO_POINTER (g_array_index (self->years, int, i)))));
  return out;
}

/**
 * gk_calendar_knows_year:
 * @self: a calendar
 * @year: a year
 *
 * Returns: %TRUE when the calendar holds @year's holidays
 */
gboolean
gk_calendar_knows_year (GkCalendar *self, int year)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_hash_table_contains (self->by_year, GINT_TO_POINTER (year));
}

/**
 * gk_calendar_unknown_year_between:
 * @self: a calendar
 * @written_date: (nullable): where the count starts, YYYY-MM-DD
 * @due_date: (nullable): where it ends, YYYY-MM-DD
 *
 * Returns: the first year from @written_date's to @due_date's that the
 *   calendar does not know (the count there took weekends only), or 0
 */
int
gk_calendar_unknown_year_between (GkCalendar *self, const char *written_date, const char *due_date)
{
  g_autoptr (GDate) from = NULL;
  g_autoptr (GDate) to = NULL;

  g_return_val_if_fail (self != NULL, 0);

  from = gk_date_parse (written_date);
  to = gk_date_parse (due_date);
  if (from == NULL || to == NULL)
    return 0;
  for (int y = g_date_get_year (from); y <= g_date_get_year (to); y++)
    if (!gk_calendar_knows_year (self, y))
      return y;
  return 0;
}

/* @data: the file's contents, or NULL to read @path. */
static gboolean
load_key_file (GkCalendar *self, const char *path, GBytes *data, GError **error)
{
  g_autoptr (GPtrArray) years = NULL;
  g_autofree char *contents = NULL;
  gsize            length = 0;

  if (data != NULL)
    {
      length = g_bytes_get_size (data);
      contents = g_strndup (g_bytes_get_data (data, NULL), length);
    }
  else
    {
      g_autoptr (GError) local_error = NULL;

      if (!g_file_get_contents (path, &contents, &length, &local_error))
        {
          int code = g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                         ? GK_ERROR_NOT_FOUND
                         : GK_ERROR_INVALID;

          g_set_error (error, GK_ERROR, code, _ ("Could not read the holiday calendar “%s”: %s"),
                       path, local_error->message);
          return FALSE;
        }
    }

  years = gk_calendar_parse_key_file (contents, (gssize) length, path, error);
  if (years == NULL)
    return FALSE;
  for (guint i = 0; i < years->len; i++)
    if (!gk_calendar_add_year (self, g_ptr_array_index (years, i), error))
      {
        g_prefix_error (error, _ ("The holiday calendar “%s”: "), path);
        return FALSE;
      }
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
  g_hash_table_unref (self->by_year);
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
  GkCalendarYear *data;

  g_return_val_if_fail (self != NULL, NULL);

  data = g_hash_table_lookup (self->by_year, GINT_TO_POINTER (year));
  return data != NULL ? data->source : NULL;
}
