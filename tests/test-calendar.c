/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiTest"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "gk-calendar.h"
#include "gk-types.h"

/* The working-day calendar against the shipped data/holidays.ini (the
 * tests run with GONGKAI_DATA_DIR pointing at the source tree's data/):
 * 春节, 国庆 and the 调休 weekend days of 2024–2026, year boundaries,
 * weekends only beyond the data. */

static GDate *
date (const char *iso)
{
  int y, m, d;

  g_assert_cmpint (sscanf (iso, "%d-%d-%d", &y, &m, &d), ==, 3);
  return g_date_new_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

static gboolean
working (GkCalendar *calendar,
         const char *iso)
{
  g_autoptr(GDate) day = date (iso);

  return gk_calendar_is_working_day (calendar, day);
}

static char *
add_days (GkCalendar *calendar,
          const char *iso,
          int         n)
{
  g_autoptr(GDate) start = date (iso);
  g_autoptr(GDate) result = gk_calendar_add_working_days (calendar, start, n);
  char text[16];

  g_assert_nonnull (result);
  g_date_strftime (text, sizeof text, "%Y-%m-%d", result);
  return g_strdup (text);
}

static int
between (GkCalendar *calendar,
         const char *a,
         const char *b)
{
  g_autoptr(GDate) da = date (a);
  g_autoptr(GDate) db = date (b);

  return gk_calendar_working_days_between (calendar, da, db);
}

static char *
write_temp_file (const char *name,
                 const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gk-calendar-XXXXXX", &error);
  char *path;

  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
remove_temp_file (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_shipped_years (void)
{
  g_autoptr(GkCalendar) calendar = gk_calendar_new_default ();
  g_autoptr(GArray) years = gk_calendar_get_years (calendar);

  g_assert_cmpuint (years->len, ==, 3);
  g_assert_cmpint (g_array_index (years, int, 0), ==, 2024);
  g_assert_cmpint (g_array_index (years, int, 1), ==, 2025);
  g_assert_cmpint (g_array_index (years, int, 2), ==, 2026);

  g_assert_cmpstr (gk_calendar_get_source (calendar, 2024), ==, "国办发明电〔2023〕7号");
  g_assert_cmpstr (gk_calendar_get_source (calendar, 2025), ==, "国办发明电〔2024〕12号");
  g_assert_cmpstr (gk_calendar_get_source (calendar, 2026), ==, "国办发明电〔2025〕7号");
  g_assert_null (gk_calendar_get_source (calendar, 2023));

  /* Working days per year: weekdays − holidays on weekdays + 调休 days.
   * 2024 had 11 statutory days off, 2025 on 13 (revised 放假办法). */
  g_assert_cmpint (between (calendar, "2023-12-31", "2024-12-31"), ==, 262 - 19 + 8);
  g_assert_cmpint (between (calendar, "2024-12-31", "2025-12-31"), ==, 261 - 18 + 5);
  g_assert_cmpint (between (calendar, "2025-12-31", "2026-12-31"), ==, 261 - 19 + 6);
}

static void
test_working_days (void)
{
  g_autoptr(GkCalendar) calendar = gk_calendar_new_default ();

  /* 2024 春节 2/10–2/17; Sundays 2/4 and 2/18 worked. */
  g_assert_true (working (calendar, "2024-02-04"));
  g_assert_false (working (calendar, "2024-02-12"));
  g_assert_false (working (calendar, "2024-02-16"));
  g_assert_true (working (calendar, "2024-02-18"));
  /* 2024 国庆 10/1–10/7, Saturday 10/12 worked. */
  g_assert_true (working (calendar, "2024-09-29"));
  g_assert_false (working (calendar, "2024-10-07"));
  g_assert_true (working (calendar, "2024-10-12"));

  /* 2025 元旦 Wednesday only; 春节 1/28–2/4; Sunday 1/26 and Saturday 2/8 worked. */
  g_assert_false (working (calendar, "2025-01-01"));
  g_assert_true (working (calendar, "2025-01-02"));
  g_assert_true (working (calendar, "2025-01-26"));
  g_assert_false (working (calendar, "2025-01-28"));
  g_assert_false (working (calendar, "2025-02-04"));
  g_assert_true (working (calendar, "2025-02-08"));
  /* 2025 国庆+中秋 10/1–10/8; 9/28 and 10/11 worked. */
  g_assert_true (working (calendar, "2025-09-28"));
  g_assert_false (working (calendar, "2025-10-08"));
  g_assert_true (working (calendar, "2025-10-09"));
  g_assert_true (working (calendar, "2025-10-11"));
  g_assert_false (working (calendar, "2025-10-12"));

  /* 2026: 元旦 1/1–1/3, Sunday 1/4 worked; 春节 2/15–2/23, 2/14 and 2/28 worked. */
  g_assert_false (working (calendar, "2026-01-02"));
  g_assert_true (working (calendar, "2026-01-04"));
  g_assert_true (working (calendar, "2026-02-14"));
  g_assert_false (working (calendar, "2026-02-23"));
  g_assert_true (working (calendar, "2026-02-28"));
  g_assert_true (working (calendar, "2026-09-20"));
  g_assert_false (working (calendar, "2026-10-07"));
  g_assert_true (working (calendar, "2026-10-10"));

  /* Ordinary weekends and weekdays. */
  g_assert_false (working (calendar, "2025-03-01"));
  g_assert_false (working (calendar, "2025-03-02"));
  g_assert_true (working (calendar, "2025-03-03"));

  /* Beyond the data: weekends only (2027-01-01 is a Friday). */
  g_assert_true (working (calendar, "2027-01-01"));
  g_assert_false (working (calendar, "2027-01-02"));
  g_assert_true (working (calendar, "2023-10-02"));
}

static void
test_disclosure_due (void)
{
  g_autoptr(GkCalendar) calendar = gk_calendar_new_default ();
  static const struct { const char *written; const char *due; } cases[] = {
    { "2025-09-26", "2025-10-30" },  /* right before 国庆 2025: 9/28 and 10/11 count */
    { "2025-09-30", "2025-11-04" },
    { "2026-02-10", "2026-03-16" },  /* across 春节 2026 with 2/14 and 2/28 worked */
    { "2024-02-01", "2024-03-05" },  /* across 春节 2024 */
    { "2024-09-20", "2024-10-23" },  /* 中秋 and 国庆 2024 */
    { "2025-01-20", "2025-02-21" },  /* 春节 2025 */
    { "2025-12-20", "2026-01-19" },  /* a Saturday, across 元旦 2026 */
    { "2023-12-25", "2024-01-23" },  /* from a year without data into 2024 */
    { "2027-06-01", "2027-06-29" },  /* beyond the data: four weeks */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *due = gk_calendar_disclosure_due (calendar, cases[i].written);

      g_assert_cmpstr (due, ==, cases[i].due);
      g_assert_cmpint (between (calendar, cases[i].written, cases[i].due), ==, 20);
    }

  g_assert_null (gk_calendar_disclosure_due (calendar, NULL));
  g_assert_null (gk_calendar_disclosure_due (calendar, ""));
  g_assert_null (gk_calendar_disclosure_due (calendar, "2025-02-30"));
  g_assert_null (gk_calendar_disclosure_due (calendar, "2025/10/01"));
  g_assert_null (gk_calendar_disclosure_due (calendar, "2025-10-1"));
  g_assert_null (gk_calendar_disclosure_due (calendar, "2025-10-01T00:00"));
}

static void
test_arithmetic (void)
{
  g_autoptr(GkCalendar) calendar = gk_calendar_new_default ();
  g_autofree char *same = add_days (calendar, "2025-10-04", 0);
  g_autofree char *back = add_days (calendar, "2025-10-09", -5);
  g_autofree char *back_over_spring = add_days (calendar, "2026-02-24", -1);
  g_autofree char *next = add_days (calendar, "2025-09-30", 1);
  g_autoptr(GDate) start = date ("2025-01-01");
  g_autoptr(GRand) rand = g_rand_new_with_seed (20250101);

  g_assert_cmpstr (same, ==, "2025-10-04");
  g_assert_cmpstr (back, ==, "2025-09-25");
  g_assert_cmpstr (back_over_spring, ==, "2026-02-14");
  g_assert_cmpstr (next, ==, "2025-10-09");

  g_assert_cmpint (between (calendar, "2025-10-09", "2025-10-09"), ==, 0);
  g_assert_cmpint (between (calendar, "2025-09-30", "2025-10-09"), ==, 1);
  g_assert_cmpint (between (calendar, "2025-10-09", "2025-09-30"), ==, -1);
  g_assert_cmpint (between (calendar, "2025-10-01", "2025-10-08"), ==, 0);
  g_assert_cmpint (between (calendar, "2025-10-03", "2025-10-12"), ==, 3);  /* 10/9, 10/10, Saturday 10/11 */
  g_assert_cmpint (between (calendar, "2024-12-31", "2026-12-31"), ==, 248 + 248);

  /* The arithmetic count agrees with walking day by day, in and out of
   * the data years. */
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GDate) a = g_date_copy (start);
      g_autoptr(GDate) b = NULL;
      int walked = 0;
      int span = g_rand_int_range (rand, 0, 900);

      g_date_add_days (a, g_rand_int_range (rand, 0, 1200));
      b = g_date_copy (a);
      for (int d = 0; d < span; d++)
        {
          g_date_add_days (b, 1);
          walked += gk_calendar_is_working_day (calendar, b);
        }
      g_assert_cmpint (gk_calendar_working_days_between (calendar, a, b), ==, walked);
      g_assert_cmpint (gk_calendar_working_days_between (calendar, b, a), ==, -walked);

      if (walked > 0)
        {
          g_autoptr(GDate) reached = gk_calendar_add_working_days (calendar, a, walked);

          /* Landing on the last working day of (a, b]. */
          g_assert_cmpint (gk_calendar_working_days_between (calendar, a, reached), ==, walked);
          g_assert_true (gk_calendar_is_working_day (calendar, reached));
          g_assert_cmpint (g_date_compare (reached, b), <=, 0);
        }
    }
}

static void
test_days_left (void)
{
  g_autoptr(GkCalendar) calendar = gk_calendar_new_default ();

  g_assert_cmpint (gk_calendar_days_left (calendar, "2025-10-09", "2025-09-30"), ==, 1);
  g_assert_cmpint (gk_calendar_days_left (calendar, "2025-10-30", "2025-09-26"), ==, 20);
  g_assert_cmpint (gk_calendar_days_left (calendar, "2025-10-09", "2025-10-09"), ==, 0);
  g_assert_cmpint (gk_calendar_days_left (calendar, "2025-10-09", "2025-10-10"), ==, -1);
  g_assert_cmpint (gk_calendar_days_left (calendar, "2025-10-09", "2025-10-14"), ==, -4);

  /* Due on a Friday: overdue on Saturday already, -1 until Monday. */
  g_assert_cmpint (gk_calendar_days_left (calendar, "2025-03-07", "2025-03-08"), ==, -1);
  g_assert_cmpint (gk_calendar_days_left (calendar, "2025-03-07", "2025-03-10"), ==, -1);
  g_assert_cmpint (gk_calendar_days_left (calendar, "2025-03-07", "2025-03-11"), ==, -2);
  /* Seen from a holiday, the next working day is 1 away. */
  g_assert_cmpint (gk_calendar_days_left (calendar, "2025-10-09", "2025-10-04"), ==, 1);

  /* NULL today is $GONGKAI_TODAY (set by main()). */
  g_assert_cmpint (gk_calendar_days_left (calendar, "2025-10-30", NULL), ==, 20);

  g_assert_cmpint (gk_calendar_days_left (calendar, "not a date", "2025-10-01"), ==, 0);
  g_assert_cmpint (gk_calendar_days_left (calendar, "2025-10-01", "2025-13-01"), ==, 0);
}

static void
test_file_format (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_temp_file ("holidays.ini",
    "# comment\n"
    "[2030]\n"
    "source=测试通知\n"
    "holidays=2030-10-01..2030-10-07; 2030-01-01 ;\n"
    "workdays=2030-09-29;2030-10-12\n");
  g_autoptr(GkCalendar) calendar = gk_calendar_new_from_file (path, &error);
  g_autoptr(GkCalendar) extra = NULL;
  GValue value = G_VALUE_INIT;

  g_assert_no_error (error);
  g_assert_nonnull (calendar);
  g_assert_false (working (calendar, "2030-10-01"));
  g_assert_false (working (calendar, "2030-10-04"));
  g_assert_false (working (calendar, "2030-10-07"));
  g_assert_true (working (calendar, "2030-10-08"));
  g_assert_false (working (calendar, "2030-01-01"));
  g_assert_true (working (calendar, "2030-09-29"));   /* a Sunday */
  g_assert_cmpstr (gk_calendar_get_source (calendar, 2030), ==, "测试通知");

  /* Reference counting, and the boxed type for properties. */
  extra = gk_calendar_ref (calendar);
  g_assert_true (extra == calendar);
  g_value_init (&value, GK_TYPE_CALENDAR);
  g_value_set_boxed (&value, calendar);
  g_assert_true (g_value_get_boxed (&value) == calendar);
  g_value_unset (&value);
  g_assert_false (working (extra, "2030-10-02"));

  remove_temp_file (path);
}

static void
test_file_errors (void)
{
  static const char *const bad[] = {
    "[2030]\nholidays=2030-13-01\n",
    "[2030]\nholidays=2030-02-30\n",
    "[2030]\nworkdays=30-10-01\n",
    "[2030]\nholidays=2030-10-07..2030-10-01\n",
    "[2030]\nholidays=2030-10-01\nworkdays=2030-10-01\n",
    "[holidays]\nholidays=2030-10-01\n",
    "[2030]\nholidays=2030-10-01\n[20300]\n",
    "not a key file at all\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = write_temp_file ("holidays.ini", bad[i]);
      g_autoptr(GkCalendar) calendar = gk_calendar_new_from_file (path, &error);

      g_assert_null (calendar);
      g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, path));
      remove_temp_file (path);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GkCalendar) calendar = gk_calendar_new_from_file ("/nonexistent/holidays.ini", &error);

    g_assert_null (calendar);
    g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
  }
}

/* $GONGKAI_DATA_DIR wins over the source tree; a folder without the file
 * falls back to it. */
static void
test_default_lookup (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("GONGKAI_DATA_DIR"));
  g_autofree char *path = write_temp_file ("holidays.ini", "[2031]\nholidays=2031-03-03\n");
  g_autofree char *dir = g_path_get_dirname (path);

  g_setenv ("GONGKAI_DATA_DIR", dir, TRUE);
  {
    g_autoptr(GkCalendar) calendar = gk_calendar_new_default ();
    g_autoptr(GArray) years = gk_calendar_get_years (calendar);

    g_assert_cmpuint (years->len, ==, 1);
    g_assert_cmpint (g_array_index (years, int, 0), ==, 2031);
    g_assert_false (working (calendar, "2031-03-03"));
  }
  remove_temp_file (path);

  g_setenv ("GONGKAI_DATA_DIR", "/nonexistent", TRUE);
  {
    g_autoptr(GkCalendar) calendar = gk_calendar_new_default ();
    g_autoptr(GArray) years = gk_calendar_get_years (calendar);

    g_assert_cmpuint (years->len, >=, 3);
    g_assert_false (working (calendar, "2025-10-08"));
  }

  if (saved != NULL)
    g_setenv ("GONGKAI_DATA_DIR", saved, TRUE);
  else
    g_unsetenv ("GONGKAI_DATA_DIR");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("GONGKAI_TODAY", "2025-09-26", TRUE);
  if (g_getenv ("GONGKAI_DATA_DIR") == NULL)
    g_setenv ("GONGKAI_DATA_DIR", SRCDATADIR, TRUE);

  g_test_add_func ("/calendar/shipped-years", test_shipped_years);
  g_test_add_func ("/calendar/working-days", test_working_days);
  g_test_add_func ("/calendar/disclosure-due", test_disclosure_due);
  g_test_add_func ("/calendar/arithmetic", test_arithmetic);
  g_test_add_func ("/calendar/days-left", test_days_left);
  g_test_add_func ("/calendar/file-format", test_file_format);
  g_test_add_func ("/calendar/file-errors", test_file_errors);
  g_test_add_func ("/calendar/default-lookup", test_default_lookup);

  return g_test_run ();
}
