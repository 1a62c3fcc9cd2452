/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestHolidays"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "gk-calendar.h"
#include "gk-fault-proxy.h"
#include "gk-item.h"
#include "gk-store.h"
#include "gk-store-async.h"
#include "gk-util.h"

/* The holiday calendar kept in the library (gk-store-calendar.c), on real
 * SQLite files in a temporary folder: the migration that fills it, the
 * rules of a year, the deadlines computed again when a year changes, the
 * admin's role, and another store on the same library hearing of it. */

typedef struct
{
  char    *dir;
  GkStore *store;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("gk-test-holidays-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = gk_store_open (fixture->dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (gk_store_set_member (fixture->store, "root", "admin", GK_ROLE_ADMIN, &error));
  g_assert_true (gk_store_set_member (fixture->store, "admin", "drafter", GK_ROLE_DRAFTER, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->store);
  gk_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static GkItem *
insert (GkStore *store, const char *written_date)
{
  g_autoptr (GError) error = NULL;
  GkItem     *item = gk_item_new ();
  const char *pages[] = { "正文" };

  item->title = g_strdup ("关于做好国庆期间工作的通知");
  item->issuer = g_strdup ("上海市应急管理局");
  item->written_date = g_strdup (written_date);
  g_assert_true (gk_store_insert_item (store, "drafter", item, pages, 1, NULL, &error));
  g_assert_no_error (error);
  return item;
}

static char *
due_of (GkStore *store, const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GkItem) item = gk_store_get_item (store, id, &error);

  g_assert_no_error (error);
  return g_strdup (item->due_date);
}

static GkCalendarYear *
year_2027 (void)
{
  g_autoptr (GError) error = NULL;
  GkCalendarYear *year =
      gk_calendar_year_parse (2027, "2027-10-01..2027-10-07\n2027-01-01", "2027-09-26；2027-10-09",
                              "国办发明电〔2026〕1号", &error);

  g_assert_no_error (error);
  return year;
}

static gboolean
has_year (GkStore *store, int wanted, GArray **unknown)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) years = gk_store_list_holiday_years (store, unknown, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < years->len; i++)
    if (((GkCalendarYear *) g_ptr_array_index (years, i))->year == wanted)
      return TRUE;
  return FALSE;
}

static guint
count_audit (GkStore *store, const char *item_id, const char *action)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) log = gk_store_audit_log (store, item_id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < log->len; i++)
    if (g_strcmp0 (((GkAuditEntry *) g_ptr_array_index (log, i))->action, action) == 0)
      n++;
  return n;
}

/* A library of schema 4 gets the table with the shipped 2024–2026, once:
 * what an admin removes later does not come back at the next opening. */
static void
test_migrate_from_v4 (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gk-test-holidays-XXXXXX", NULL);
  g_autoptr (GkStore) store = NULL;
  g_autoptr (GPtrArray) years = NULL;
  g_autoptr (GkCalendar) calendar = NULL;
  g_autoptr (GkItem) item = NULL;
  g_autofree char *due = NULL;

  g_assert_true (gk_store_create_at_version (dir, 4, &error));
  g_assert_no_error (error);
  {
    g_autofree char *path = g_build_filename (dir, "library.db", NULL);
    sqlite3         *db = NULL;

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db,
                                   "INSERT INTO members (user, roles, added_at) VALUES "
                                   "('admin', 15, '2024-01-01T00:00:00.000Z')",
                                   NULL, NULL, NULL),
                     ==, SQLITE_OK);
    sqlite3_close (db);
  }

  store = gk_store_open (dir, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gk_store_get_schema_version (store), ==, GK_STORE_SCHEMA_VERSION);
  years = gk_store_list_holiday_years (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (years->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      GkCalendarYear *year = g_ptr_array_index (years, i);

      g_assert_cmpint (year->year, ==, 2024 + (int) i);
      g_assert_nonnull (year->source);
      g_assert_cmpuint (g_strv_length (year->holidays), >, 10);
      g_assert_cmpuint (g_strv_length (year->workdays), >, 2);
    }
  g_assert_cmpstr (((GkCalendarYear *) g_ptr_array_index (years, 1))->source, ==,
                   "国办发明电〔2024〕12号");

  /* The store's calendar is the table's: 国庆 2025 is off. */
  calendar = gk_store_get_calendar (store);
  g_assert_true (gk_calendar_knows_year (calendar, 2025));
  g_assert_false (gk_calendar_knows_year (calendar, 2027));
  item = gk_item_new ();
  item->title = g_strdup ("迁移后的文件");
  item->written_date = g_strdup ("2025-09-26");
  g_assert_true (gk_store_insert_item (store, "admin", item, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  due = due_of (store, item->id);
  g_assert_cmpstr (due, ==, "2025-10-30");

  for (int y = 2024; y <= 2026; y++)
    {
      g_assert_true (gk_store_remove_holiday_year (store, "admin", y, &error));
      g_assert_no_error (error);
    }
  g_clear_object (&store);
  store = gk_store_open (dir, FALSE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&years, g_ptr_array_unref);
  years = gk_store_list_holiday_years (store, NULL, &error);
  g_assert_cmpuint (years->len, ==, 0);
  g_clear_object (&store);
  gk_test_remove_tree (dir);
}

/* Adding a year moves the deadlines that run in it, in the same
 * transaction, and says so in the item's history. */
static void
test_set_moves_deadlines (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GkItem) item = insert (f->store, "2027-09-20");
  g_autoptr (GkItem) item_2025 = insert (f->store, "2025-06-03");
  g_autoptr (GkItem) already_public = insert (f->store, "2027-09-13");
  g_autoptr (GkCalendarYear) year = year_2027 ();
  g_autoptr (GArray) unknown = NULL;
  g_autoptr (GArray) unknown_after = NULL;
  g_autoptr (GkCalendar) calendar = NULL;
  g_autofree char *before = due_of (f->store, item->id);
  g_autofree char *after = NULL;
  g_autofree char *other = NULL;
  gint64           n = 0;

  /* Filed from the back catalogue: public since a day before today
   * ($GONGKAI_TODAY), so no deadline, and a new year gives it none. */
  g_assert_true (gk_item_set_field (already_public, "publish_date", "2027-09-15", &error));
  g_assert_true (gk_store_update_item (f->store, "drafter", already_public, &error));
  g_assert_no_error (error);
  g_assert_null (already_public->due_date);

  /* Weekends only in a year the library does not know. */
  g_assert_cmpstr (before, ==, "2027-10-18");
  g_assert_false (has_year (f->store, 2027, &unknown));
  g_assert_cmpuint (unknown->len, ==, 1);
  g_assert_cmpint (g_array_index (unknown, int, 0), ==, 2027);
  calendar = gk_store_get_calendar (f->store);
  g_assert_cmpint (gk_calendar_unknown_year_between (calendar, "2027-09-20", before), ==, 2027);
  g_assert_cmpint (gk_calendar_unknown_year_between (calendar, "2025-12-20", "2026-01-20"), ==, 0);

  g_assert_true (gk_store_set_holiday_year (f->store, "admin", year, &error));
  g_assert_no_error (error);

  after = due_of (f->store, item->id);
  g_assert_cmpstr (after, ==, "2027-10-21");
  g_free (other);
  other = due_of (f->store, already_public->id);
  g_assert_null (other);
  other = due_of (f->store, item_2025->id);
  g_assert_cmpstr (other, ==, item_2025->due_date);
  g_assert_true (has_year (f->store, 2027, &unknown_after));
  g_assert_cmpuint (unknown_after->len, ==, 0);
  g_clear_pointer (&calendar, gk_calendar_unref);
  calendar = gk_store_get_calendar (f->store);
  g_assert_true (gk_calendar_knows_year (calendar, 2027));
  g_assert_cmpstr (gk_calendar_get_source (calendar, 2027), ==, "国办发明电〔2026〕1号");

  g_assert_cmpuint (count_audit (f->store, item->id, "due"), ==, 1);
  g_assert_cmpuint (count_audit (f->store, item_2025->id, "due"), ==, 0);
  g_assert_cmpuint (count_audit (f->store, NULL, "calendar"), ==, 1);
  g_assert_true (gk_store_audit_verify (f->store, NULL, &n, &error));
  g_assert_no_error (error);

  /* Setting it again unchanged moves nothing. */
  g_assert_true (gk_store_set_holiday_year (f->store, "admin", year, &error));
  g_assert_cmpuint (count_audit (f->store, item->id, "due"), ==, 1);

  /* Removing it counts weekends only again. */
  g_assert_true (gk_store_remove_holiday_year (f->store, "admin", 2027, &error));
  g_assert_no_error (error);
  g_free (after);
  after = due_of (f->store, item->id);
  g_assert_cmpstr (after, ==, "2027-10-18");
  g_assert_false (gk_store_remove_holiday_year (f->store, "admin", 2027, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
}

/* Every rule of a year, each refused with the date it is about. */
static void
test_validation (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *holidays;
    const char *workdays;
    const char *named;
  } bad[] = {
    { "2027-10-01\n2027-10-32", "", "2027-10-32" },
    { "2027/10/01", "", "2027/10/01" },
    { "2028-03-01", "", "2028-03-01" }, /* not in 2027 */
    { "2026-11-30", "", "2026-11-30" }, /* nor its December before */
    { "2027-10-01;2027-10-01", "", "2027-10-01" },
    { "2027-10-01..2027-10-03", "2027-10-02", "2027-10-02" },
    { "", "2027-10-04", "2027-10-04" }, /* a Monday */
    { "", "2027-09-26;2027-09-26", "2027-09-26" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GkCalendarYear) year =
          gk_calendar_year_parse (2027, bad[i].holidays, bad[i].workdays, NULL, &error);

      g_test_message ("case %u: %s / %s", i, bad[i].holidays, bad[i].workdays);
      g_assert_null (year);
      g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i].named));
    }

  /* Across the new year is allowed (a January workday of the next). */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GkCalendarYear) year = gk_calendar_year_parse (
        2027, "2026-12-31, 2027-01-01，2027-01-02", "2028-01-02", NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (year->holidays), ==, 3);
    g_assert_cmpstr (year->holidays[0], ==, "2026-12-31");
  }

  /* The store checks a year built by hand as well, and nothing is kept. */
  {
    g_autoptr (GError) error = NULL;
    char          *holidays[] = { "2027-10-01", NULL };
    char          *workdays[] = { "2027-10-01", NULL };
    GkCalendarYear year = { .year = 2027, .holidays = holidays, .workdays = workdays };

    g_assert_false (gk_store_set_holiday_year (f->store, "admin", &year, &error));
    g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "2027-10-01"));
    g_assert_false (has_year (f->store, 2027, NULL));
  }

  /* A year that contradicts another: 2026's 1 January is a holiday. */
  {
    g_autoptr (GError) error = NULL;
    char          *holidays[] = { NULL };
    char          *workdays[] = { "2026-01-03", NULL };
    GkCalendarYear year = { .year = 2025, .holidays = holidays, .workdays = workdays };
    g_autoptr (GkCalendarYear) before = NULL;

    /* 2026-01-03 is a Saturday, a holiday of 2026: not a 2025 workday. */
    g_assert_false (gk_store_set_holiday_year (f->store, "admin", &year, &error));
    g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "2026-01-03"));
    g_assert_true (has_year (f->store, 2025, NULL));
  }
}

/* A file's years go in together, or none of them. */
static void
test_import (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GkItem) item = insert (f->store, "2027-09-20");
  g_autofree char *due = NULL;
  guint            n = 0;
  const char      *good = "# 2027 and 2028\n"
                          "[2027]\nsource=国办发明电〔2026〕1号\nholidays=2027-10-01..2027-10-"
                          "07\nworkdays=2027-09-26;2027-10-09\n"
                          "[2028]\nsource=国办发明电〔2027〕1号\nholidays=2028-01-01\n";
  const char      *bad = "[2029]\nholidays=2029-01-01\n"
                         "[2030]\nholidays=2030-01-01\nworkdays=2030-01-07\n";

  g_assert_true (
      gk_store_import_holidays (f->store, "admin", good, -1, "/tmp/2027.ini", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (has_year (f->store, 2027, NULL));
  g_assert_true (has_year (f->store, 2028, NULL));
  due = due_of (f->store, item->id);
  g_assert_cmpstr (due, ==, "2027-10-21");
  g_assert_cmpuint (count_audit (f->store, NULL, "calendar"), ==, 2);

  g_assert_false (gk_store_import_holidays (f->store, "admin", bad, -1, "bad.ini", &n, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "bad.ini"));
  g_assert_nonnull (strstr (error->message, "2030-01-07"));
  g_assert_false (has_year (f->store, 2029, NULL));
  g_clear_error (&error);

  /* Each year right, but 2025's last working day is a holiday of 2026
   * in the library: nothing of the file is kept. */
  g_assert_false (gk_store_import_holidays (f->store, "admin",
                                            "[2029]\nholidays=2029-01-01\n"
                                            "[2025]\nholidays=2025-01-01\nworkdays=2026-01-03\n",
                                            -1, "conflict.ini", &n, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2026-01-03"));
  g_assert_false (has_year (f->store, 2029, NULL));
  {
    g_autoptr (GPtrArray) years = gk_store_list_holiday_years (f->store, NULL, NULL);

    for (guint i = 0; i < years->len; i++)
      if (((GkCalendarYear *) g_ptr_array_index (years, i))->year == 2025)
        g_assert_cmpuint (
            g_strv_length (((GkCalendarYear *) g_ptr_array_index (years, i))->holidays), >, 1);
  }
  g_clear_error (&error);

  g_assert_false (
      gk_store_import_holidays (f->store, "admin", "# nothing\n", -1, "none.ini", &n, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
}

/* Only an admin changes the calendar; the store refuses the others. */
static void
test_policy (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GkCalendarYear) year = year_2027 ();

  g_assert_false (gk_store_set_holiday_year (f->store, "drafter", year, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (gk_store_import_holidays (f->store, "drafter", "[2027]\nholidays=2027-01-01\n",
                                            -1, "x.ini", NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (gk_store_remove_holiday_year (f->store, "stranger", 2025, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_assert_false (has_year (f->store, 2027, NULL));
  g_assert_true (has_year (f->store, 2025, NULL));
}

static void
on_library_changed_cb (GkStore *store, guint *n)
{
  (*n)++;
}

/* Another store on the same library (another desk, gongkai-ctl) hears the
 * change and counts with the new calendar. */
static void
test_other_store (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GkStore) other = gk_store_open (f->dir, FALSE, &error);
  g_autoptr (GkCalendarYear) year = year_2027 ();
  g_autoptr (GkCalendar) calendar = NULL;
  guint  n_changed = 0;
  gint64 end;

  g_assert_no_error (error);
  gk_store_watch_other_writers (other);
  g_signal_connect (other, "library-changed", G_CALLBACK (on_library_changed_cb), &n_changed);
  gk_store_wait_writes (other);
  end = g_get_monotonic_time () + 300 * 1000;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);

  g_assert_true (gk_store_set_holiday_year (f->store, "admin", year, &error));
  g_assert_no_error (error);

  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (n_changed == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (n_changed, >, 0);
  calendar = gk_store_get_calendar (other);
  g_assert_true (gk_calendar_knows_year (calendar, 2027));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("GONGKAI_TODAY", "2027-09-21", TRUE);

  g_test_add_func ("/holidays/migrate-from-v4", test_migrate_from_v4);
  g_test_add ("/holidays/set-moves-deadlines", Fixture, NULL, fixture_set_up,
              test_set_moves_deadlines, fixture_tear_down);
  g_test_add ("/holidays/validation", Fixture, NULL, fixture_set_up, test_validation,
              fixture_tear_down);
  g_test_add ("/holidays/import", Fixture, NULL, fixture_set_up, test_import, fixture_tear_down);
  g_test_add ("/holidays/policy", Fixture, NULL, fixture_set_up, test_policy, fixture_tear_down);
  g_test_add ("/holidays/other-store", Fixture, NULL, fixture_set_up, test_other_store,
              fixture_tear_down);
  return g_test_run ();
}
