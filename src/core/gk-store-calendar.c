/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiStore"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gk-store-private.h"
#include "gk-util.h"

/* The holiday calendar in the library: a row per year of the State
 * Council's notice.  The store's GkCalendar is built from these rows
 * at open, after each change made here (the new one is put in place
 * once the change is committed) and when another program's commit is
 * heard (gk-store.c), so every desk of a library counts the same
 * working days.  The deadlines stored with the items are computed again
 * in the transaction that changes a year: a list sorted by due date
 * never holds a deadline of the old calendar. */

#define DATE_SEPARATOR ";"

static int
compare_int (gconstpointer a, gconstpointer b)
{
  int x = *(const int *) a;
  int y = *(const int *) b;

  return (x > y) - (x < y);
}

/* Raw connection helpers, for the migration (no store yet). */

static gboolean
raw_error (sqlite3 *db, GError **error)
{
  g_set_error (error, GK_ERROR, GK_ERROR_FAILED, _ ("The library database failed (%s: %s)."),
               "holidays", sqlite3_errmsg (db));
  return FALSE;
}

static char *
join_dates (GStrv dates)
{
  return dates != NULL ? g_strjoinv (DATE_SEPARATOR, dates) : g_strdup ("");
}

static GStrv
split_dates (const char *text)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) parts = g_strsplit (text != NULL ? text : "", DATE_SEPARATOR, -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

/**
 * gk_store_priv_seed_holidays:
 * @db: the library being migrated, inside the migration's transaction
 * @error: return location for an error
 *
 * The years of the shipped data (as gk_calendar_new_default() finds
 * them: a site's own holidays.ini wins) become the library's.
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_priv_seed_holidays (sqlite3 *db, GError **error)
{
  g_autoptr (GkCalendar) shipped = gk_calendar_new_default ();
  g_autoptr (GPtrArray) years = gk_calendar_list_years (shipped);
  g_autofree char *now = gk_timestamp_now ();
  sqlite3_stmt    *stmt = NULL;
  gboolean         ok = TRUE;

  if (sqlite3_prepare_v2 (
          db,
          "INSERT OR IGNORE INTO holidays (year, holidays, workdays, source, updated_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5)",
          -1, &stmt, NULL) != SQLITE_OK)
    return raw_error (db, error);

  for (guint i = 0; ok && i < years->len; i++)
    {
      GkCalendarYear  *year = g_ptr_array_index (years, i);
      g_autofree char *holidays = join_dates (year->holidays);
      g_autofree char *workdays = join_dates (year->workdays);

      sqlite3_reset (stmt);
      sqlite3_bind_int (stmt, 1, year->year);
      sqlite3_bind_text (stmt, 2, holidays, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, workdays, -1, SQLITE_TRANSIENT);
      if (year->source != NULL)
        sqlite3_bind_text (stmt, 4, year->source, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 4);
      sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        ok = raw_error (db, error);
    }
  sqlite3_finalize (stmt);
  return ok;
}

/* The rows, on the calling thread's connection (a read section or the
 * write lock). */
static GPtrArray *
read_years (GkStore *self, GError **error)
{
  g_autoptr (GPtrArray) years =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gk_calendar_year_free);
  g_autoptr (GkStoreStmt) stmt =
      gk_store_priv_prepare (self,
                             "SELECT year, holidays, workdays, source, updated_at, updated_by "
                             "FROM holidays ORDER BY year",
                             error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GkCalendarYear  *year = g_new0 (GkCalendarYear, 1);
      g_autofree char *holidays = gk_store_priv_column_text (stmt, 1);
      g_autofree char *workdays = gk_store_priv_column_text (stmt, 2);

      year->year = sqlite3_column_int (stmt, 0);
      year->holidays = split_dates (holidays);
      year->workdays = split_dates (workdays);
      year->source = gk_store_priv_column_text (stmt, 3);
      year->updated_at = gk_store_priv_column_text (stmt, 4);
      year->updated_by = gk_store_priv_column_text (stmt, 5);
      g_ptr_array_add (years, year);
    }
  if (rc != SQLITE_DONE)
    {
      gk_store_priv_sql_error (self, rc, "holidays", error);
      return NULL;
    }
  return g_steal_pointer (&years);
}

/* strict: a year that does not fit with the others is an error (a
 * change being made); otherwise it is left out with a warning, so that a
 * library whose table was edited by hand still opens. */
static GkCalendar *
build_calendar (GkStore *self, gboolean strict, GError **error)
{
  g_autoptr (GPtrArray) years = read_years (self, error);
  g_autoptr (GkCalendar) calendar = NULL;

  if (years == NULL)
    return NULL;
  calendar = gk_calendar_new ();
  for (guint i = 0; i < years->len; i++)
    {
      g_autoptr (GError) local = NULL;

      if (gk_calendar_add_year (calendar, g_ptr_array_index (years, i), &local))
        continue;
      if (strict)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      g_warning ("Leaving a year of the library's holiday calendar out: %s", local->message);
    }
  return g_steal_pointer (&calendar);
}

GkCalendar *
gk_store_priv_load_calendar (GkStore *self, GError **error)
{
  return build_calendar (self, FALSE, error);
}

typedef struct
{
  char *id;
  char *written_date;
  char *due_date;
  char *publish_date;
} DueRow;

static void
due_row_free (DueRow *row)
{
  g_free (row->id);
  g_free (row->written_date);
  g_free (row->due_date);
  g_free (row->publish_date);
  g_free (row);
}

/* The deadlines of the items written in year or the one before (a
 * document of late December is due in January), or in the January after
 * (a notice may list the next new year's days), not yet public or
 * withdrawn, computed again with calendar; each that moves is audited
 * "due".  Inside the write transaction. */
static gboolean
recompute_due_dates (GkStore    *self,
                     const char *actor,
                     int         year,
                     GkCalendar *calendar,
                     guint      *n_changed,
                     GError    **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) due_row_free);
  g_autofree char *from = g_strdup_printf ("%04d-01-01", year - 1);
  g_autofree char *to = g_strdup_printf ("%04d-01-31", year + 1);
  int              rc;

  {
    g_autoptr (GkStoreStmt) stmt =
        gk_store_priv_prepare (self,
                               "SELECT id, written_date, due_date, publish_date FROM items "
                               "WHERE written_date BETWEEN ?1 AND ?2 "
                               "AND state NOT IN ('published', 'withdrawn') "
                               "ORDER BY id",
                               error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, to, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        DueRow *row = g_new0 (DueRow, 1);

        row->id = gk_store_priv_column_text (stmt, 0);
        row->written_date = gk_store_priv_column_text (stmt, 1);
        row->due_date = gk_store_priv_column_text (stmt, 2);
        row->publish_date = gk_store_priv_column_text (stmt, 3);
        g_ptr_array_add (rows, row);
      }
    if (rc != SQLITE_DONE)
      return gk_store_priv_sql_error (self, rc, "holidays", error);
  }

  for (guint i = 0; i < rows->len; i++)
    {
      DueRow          *row = g_ptr_array_index (rows, i);
      g_autofree char *due =
          gk_store_priv_due_with (calendar, row->written_date, row->publish_date);
      g_autoptr (GkStoreStmt) update = NULL;
      g_autoptr (JsonObject) details = NULL;

      if (g_strcmp0 (due, row->due_date) == 0)
        continue;
      update = gk_store_priv_prepare (self, "UPDATE items SET due_date = ?1 WHERE id = ?2", error);
      if (update == NULL)
        return FALSE;
      gk_store_priv_bind_text (update, 1, due);
      gk_store_priv_bind_text (update, 2, row->id);
      if (!gk_store_priv_step_done (self, update, error))
        return FALSE;

      details = json_object_new ();
      if (row->due_date != NULL)
        json_object_set_string_member (details, "from", row->due_date);
      else
        json_object_set_null_member (details, "from");
      if (due != NULL)
        json_object_set_string_member (details, "to", due);
      else
        json_object_set_null_member (details, "to");
      json_object_set_int_member (details, "calendar_year", year);
      if (!gk_store_priv_audit (self, actor, "due", row->id, details, error))
        return FALSE;
      gk_store_priv_emit_changed (self, row->id);
      (*n_changed)++;
    }
  return TRUE;
}

static gboolean
write_year (GkStore              *self,
            const char           *actor,
            const GkCalendarYear *year,
            const char           *file_name,
            GError              **error)
{
  g_autoptr (GkStoreStmt) stmt = NULL;
  g_autoptr (JsonObject) details = json_object_new ();
  g_autofree char *holidays = join_dates (year->holidays);
  g_autofree char *workdays = join_dates (year->workdays);
  g_autofree char *now = gk_timestamp_now ();

  if (!gk_calendar_year_check (year, error))
    return FALSE;
  stmt = gk_store_priv_prepare (
      self,
      "INSERT INTO holidays (year, holidays, workdays, source, updated_at, updated_by) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (year) DO UPDATE SET "
      "holidays = excluded.holidays, workdays = excluded.workdays, "
      "source = excluded.source, updated_at = excluded.updated_at, "
      "updated_by = excluded.updated_by",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, year->year);
  sqlite3_bind_text (stmt, 2, holidays, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, workdays, -1, SQLITE_TRANSIENT);
  gk_store_priv_bind_text (stmt, 4, year->source);
  gk_store_priv_bind_text (stmt, 5, now);
  gk_store_priv_bind_text (stmt, 6, actor);
  if (!gk_store_priv_step_done (self, stmt, error))
    return FALSE;

  json_object_set_string_member (details, "change", "set");
  json_object_set_int_member (details, "year", year->year);
  if (year->source != NULL)
    json_object_set_string_member (details, "source", year->source);
  else
    json_object_set_null_member (details, "source");
  json_object_set_int_member (details, "holidays", g_strv_length (year->holidays));
  json_object_set_int_member (details, "workdays", g_strv_length (year->workdays));
  if (file_name != NULL)
    json_object_set_string_member (details, "file", file_name);
  return gk_store_priv_audit (self, actor, "calendar", NULL, details, error);
}

/* The end of every change: the calendar built again (strictly: the
 * years must fit together), the deadlines of the changed years computed
 * with it, the commit, and then the calendar put in place. */
static gboolean
finish_change (GkStore *self, GkStoreTx *tx, const char *actor, GArray *years, GError **error)
{
  g_autoptr (GkStoreTx) owned = tx;
  g_autoptr (GkCalendar) calendar = build_calendar (self, TRUE, error);
  g_autoptr (GHashTable) done = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint n_changed = 0;

  if (calendar == NULL)
    return FALSE;
  for (guint i = 0; i < years->len; i++)
    {
      int year = g_array_index (years, int, i);

      /* A year's days reach the deadlines of documents written in it
       * and in the year before; the next year's documents start after. */
      if (g_hash_table_contains (done, GINT_TO_POINTER (year)))
        continue;
      g_hash_table_add (done, GINT_TO_POINTER (year));
      if (!recompute_due_dates (self, actor, year, calendar, &n_changed, error))
        return FALSE;
    }
  if (n_changed > 0)
    g_debug ("The holiday calendar moved %u deadlines", n_changed);
  gk_store_priv_emit_library_changed (self);
  if (!gk_store_priv_commit (g_steal_pointer (&owned), error))
    return FALSE;
  gk_store_priv_set_calendar (self, calendar);
  return TRUE;
}

/* Public API */

/**
 * gk_store_list_holiday_years:
 * @self: a store
 * @unknown_deadline_years: (out) (optional) (element-type int): the
 *   years of running deadlines the calendar does not know
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type GkCalendarYear) (nullable):
 *   the library's years, ascending
 */
GPtrArray *
gk_store_list_holiday_years (GkStore *self, GArray **unknown_deadline_years, GError **error)
{
  g_autoptr (GkStoreLocker) locker = NULL;
  g_autoptr (GPtrArray) years = NULL;
  g_autoptr (GArray) unknown = NULL;
  g_autoptr (GHashTable) known = NULL;
  g_autoptr (GHashTable) missing = NULL;
  g_autoptr (GkStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  locker = gk_store_priv_read (self);
  if ((years = read_years (self, error)) == NULL)
    return NULL;
  if (unknown_deadline_years == NULL)
    return g_steal_pointer (&years);

  known = g_hash_table_new (g_direct_hash, g_direct_equal);
  missing = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < years->len; i++)
    g_hash_table_add (known,
                      GINT_TO_POINTER (((GkCalendarYear *) g_ptr_array_index (years, i))->year));

  stmt = gk_store_priv_prepare (self,
                                "SELECT DISTINCT CAST (substr (written_date, 1, 4) AS INTEGER), "
                                "CAST (substr (due_date, 1, 4) AS INTEGER) FROM items "
                                "WHERE gk_deadline_applies (state, disclosure, due_date) "
                                "AND written_date IS NOT NULL",
                                error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int first = sqlite3_column_int (stmt, 0);
      int last = sqlite3_column_int (stmt, 1);

      for (int y = first; first >= 1900 && y <= last && y <= 9999; y++)
        if (!g_hash_table_contains (known, GINT_TO_POINTER (y)))
          g_hash_table_add (missing, GINT_TO_POINTER (y));
    }
  if (rc != SQLITE_DONE)
    {
      gk_store_priv_sql_error (self, rc, "holidays", error);
      return NULL;
    }

  unknown = g_array_new (FALSE, FALSE, sizeof (int));
  {
    GHashTableIter iter;
    gpointer       key;

    g_hash_table_iter_init (&iter, missing);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      {
        int y = GPOINTER_TO_INT (key);

        g_array_append_val (unknown, y);
      }
  }
  g_array_sort (unknown, compare_int);
  *unknown_deadline_years = g_steal_pointer (&unknown);
  return g_steal_pointer (&years);
}

/**
 * gk_store_set_holiday_year:
 * @self: a store
 * @actor: the acting user (admin)
 * @year: the year as the notice gives it
 * @error: return location for an error
 *
 * Adds or replaces the year, computes the deadlines it reaches again
 * and audits it all, in one transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_set_holiday_year (GkStore              *self,
                           const char           *actor,
                           const GkCalendarYear *year,
                           GError              **error)
{
  g_autoptr (GkStoreLocker) locker = NULL;
  g_autoptr (GArray) years = g_array_new (FALSE, FALSE, sizeof (int));
  GkStoreTx *tx;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);
  g_return_val_if_fail (year != NULL, FALSE);

  locker = gk_store_priv_lock (self);
  if (!gk_store_check_action (self, actor, GK_ACTION_MANAGE_CALENDAR, NULL, error))
    return FALSE;
  if (!gk_calendar_year_check (year, error))
    return FALSE;
  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  if (!write_year (self, actor, year, NULL, error))
    {
      gk_store_priv_rollback (tx);
      return FALSE;
    }
  g_array_append_val (years, year->year);
  return finish_change (self, tx, actor, years, error);
}

/**
 * gk_store_remove_holiday_year:
 * @self: a store
 * @actor: the acting user (admin)
 * @year: a year of the library's calendar
 * @error: return location for an error
 *
 * Its deadlines count weekends only from then on (computed again here).
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_remove_holiday_year (GkStore *self, const char *actor, int year, GError **error)
{
  g_autoptr (GkStoreLocker) locker = NULL;
  g_autoptr (GkStoreStmt) stmt = NULL;
  g_autoptr (JsonObject) details = NULL;
  g_autoptr (GArray) years = g_array_new (FALSE, FALSE, sizeof (int));
  GkStoreTx *tx;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  locker = gk_store_priv_lock (self);
  if (!gk_store_check_action (self, actor, GK_ACTION_MANAGE_CALENDAR, NULL, error))
    return FALSE;
  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  stmt = gk_store_priv_prepare (self, "DELETE FROM holidays WHERE year = ?1", error);
  if (stmt == NULL)
    {
      gk_store_priv_rollback (tx);
      return FALSE;
    }
  sqlite3_bind_int (stmt, 1, year);
  if (!gk_store_priv_step_done (self, stmt, error))
    {
      gk_store_priv_rollback (tx);
      return FALSE;
    }
  if (sqlite3_changes (gk_store_priv_get_db (self)) == 0)
    {
      gk_store_priv_rollback (tx);
      g_set_error (error, GK_ERROR, GK_ERROR_NOT_FOUND, _ ("The holiday calendar has no year %d."),
                   year);
      return FALSE;
    }
  details = json_object_new ();
  json_object_set_string_member (details, "change", "remove");
  json_object_set_int_member (details, "year", year);
  if (!gk_store_priv_audit (self, actor, "calendar", NULL, details, error))
    {
      gk_store_priv_rollback (tx);
      return FALSE;
    }
  g_array_append_val (years, year);
  return finish_change (self, tx, actor, years, error);
}

/**
 * gk_store_import_holidays:
 * @self: a store
 * @actor: the acting user (admin)
 * @contents: a key file in the holidays.ini format
 * @length: its length, or -1 when NUL-terminated
 * @name: (nullable): the file's name, for the messages and the audit
 * @n_years: (out) (optional): how many years it held
 * @error: return location for an error
 *
 * Adds or replaces each of its years, all in one transaction: a mistake
 * anywhere in the file changes nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_import_holidays (GkStore    *self,
                          const char *actor,
                          const char *contents,
                          gssize      length,
                          const char *name,
                          guint      *n_years,
                          GError    **error)
{
  g_autoptr (GkStoreLocker) locker = NULL;
  g_autoptr (GPtrArray) parsed = NULL;
  g_autoptr (GArray) years = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char *base = name != NULL ? g_path_get_basename (name) : NULL;
  GkStoreTx       *tx;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);

  locker = gk_store_priv_lock (self);
  if (!gk_store_check_action (self, actor, GK_ACTION_MANAGE_CALENDAR, NULL, error))
    return FALSE;
  if (length < 0 ? !g_utf8_validate (contents, -1, NULL)
                 : !g_utf8_validate_len (contents, (gsize) length, NULL))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _ ("The holiday calendar “%s” is not UTF-8 text."), name ? name : "");
      return FALSE;
    }
  parsed = gk_calendar_parse_key_file (contents, length, name ? name : "", error);
  if (parsed == NULL)
    return FALSE;
  if (parsed->len == 0)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _ ("The holiday calendar “%s” has no year in it (a group such as [2027])."),
                   name ? name : "");
      return FALSE;
    }

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < parsed->len; i++)
    {
      GkCalendarYear *year = g_ptr_array_index (parsed, i);

      if (!write_year (self, actor, year, base, error))
        {
          gk_store_priv_rollback (tx);
          return FALSE;
        }
      g_array_append_val (years, year->year);
    }
  if (!finish_change (self, tx, actor, years, error))
    return FALSE;
  if (n_years != NULL)
    *n_years = parsed->len;
  return TRUE;
}
