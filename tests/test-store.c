/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestStore"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gk-calendar.h"
#include "gk-finding.h"
#include "gk-item.h"
#include "gk-store.h"
#include "gk-store-private.h"
#include "gk-util.h"

/* The library store on a real SQLite file in a temporary folder. */

typedef struct
{
  char    *dir;
  GkStore *store;
  guint    n_changed;
  char    *last_changed;
} Fixture;

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static void
on_items_changed_cb (GkStore    *store,
                     const char *item_id,
                     Fixture    *fixture)
{
  fixture->n_changed++;
  g_free (fixture->last_changed);
  fixture->last_changed = g_strdup (item_id);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("gk-test-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = gk_store_open (fixture->dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);

  g_assert_true (gk_store_set_member (fixture->store, "root", "admin", GK_ROLE_ADMIN, &error));
  g_assert_no_error (error);
  g_assert_true (gk_store_set_member (fixture->store, "admin", "drafter", GK_ROLE_DRAFTER, &error));
  g_assert_true (gk_store_set_member (fixture->store, "admin", "drafter2", GK_ROLE_DRAFTER, &error));
  g_assert_true (gk_store_set_member (fixture->store, "admin", "reviewer", GK_ROLE_REVIEWER, &error));
  g_assert_no_error (error);

  g_signal_connect (fixture->store, "items-changed", G_CALLBACK (on_items_changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->last_changed);
}

static sqlite3 *
open_raw (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static void
raw_exec (const char *dir,
          const char *sql)
{
  sqlite3 *db = open_raw (dir);
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQL failed: %s: %s", sql, message);
  sqlite3_close (db);
}

/* The item was changed behind the editor's back (as a review or a sync
 * would): the editor reloads it before editing again, so its copy knows
 * the new state. */
static void
reload_copy (Fixture *fixture,
             GkItem  *edited)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) now = gk_store_get_item (fixture->store, edited->id, &error);

  g_assert_no_error (error);
  edited->state = now->state;
  edited->stage = now->stage;
  edited->revision = now->revision;
  g_free (edited->updated_at);
  edited->updated_at = g_strdup (now->updated_at);
}

static char *
raw_text (const char *dir,
          const char *sql)
{
  sqlite3 *db = open_raw (dir);
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

static GkItem *
make_item (const char *title,
           const char *written_date)
{
  GkItem *item = gk_item_new ();

  item->title = g_strdup (title);
  item->issuer = g_strdup ("上海市应急管理局");
  item->written_date = g_strdup (written_date);
  return item;
}

static GkItem *
insert (Fixture    *fixture,
        const char *title,
        const char *written_date)
{
  g_autoptr(GError) error = NULL;
  GkItem *item = make_item (title, written_date);
  const char *pages[] = { "第一页 正文", "第二页 正文" };

  g_assert_true (gk_store_insert_item (fixture->store, "drafter", item, pages, 2, NULL, &error));
  g_assert_no_error (error);
  return item;
}

static GPtrArray *
audit_of (Fixture    *fixture,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *log = gk_store_audit_log (fixture->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (log);
  return log;
}

static GkAuditEntry *
last_entry (GPtrArray *log)
{
  g_assert_cmpuint (log->len, >, 0);
  return g_ptr_array_index (log, log->len - 1);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* ---- open, create, schema ---- */

static void
test_open_create_reopen (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gk-test-store-XXXXXX", NULL);
  g_autofree char *lib = g_build_filename (dir, "lib", NULL);
  g_autofree char *files = g_build_filename (lib, "files", NULL);
  g_autofree char *mode = NULL;
  g_autoptr(GkStore) store = NULL;
  g_autoptr(GkItem) item = NULL;
  g_autofree char *id = NULL;

  store = gk_store_open (lib, FALSE, &error);
  g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
  g_assert_null (store);
  g_clear_error (&error);

  store = gk_store_open (lib, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (files, G_FILE_TEST_IS_DIR));
  g_assert_cmpstr (gk_store_get_path (store), ==, lib);
  g_assert_cmpint (gk_store_get_schema_version (store), ==, GK_STORE_SCHEMA_VERSION);

  g_assert_true (gk_store_set_member (store, "someone", "boss", GK_ROLE_ADMIN | GK_ROLE_DRAFTER, &error));
  g_assert_no_error (error);
  item = make_item ("关于开展安全生产检查的通知", "2024-05-06");
  g_assert_true (gk_store_insert_item (store, "boss", item, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  id = g_strdup (item->id);
  g_clear_object (&store);

  /* Opening with create again changes nothing. */
  store = gk_store_open (lib, TRUE, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  store = gk_store_open (lib, FALSE, &error);
  g_assert_no_error (error);
  g_clear_object (&item);
  item = gk_store_get_item (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item->title, ==, "关于开展安全生产检查的通知");
  g_assert_cmpint (gk_store_get_roles (store, "boss"), ==, GK_ROLE_ADMIN | GK_ROLE_DRAFTER);

  /* WAL stays on: it is stored in the database file. */
  mode = raw_text (lib, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_clear_object (&store);

  remove_tree (dir);
}

/* A library made here, closed, with an item: what the cases below spoil. */
static char *
make_real_library (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkStore) store = gk_store_open (dir, TRUE, &error);
  g_autoptr(GkItem) item = make_item ("关于开展安全生产检查的通知", "2024-05-06");
  const char *pages[] = { "第一页 正文 很长的一段文字，让数据库有几页。", "第二页" };

  g_assert_no_error (error);
  g_assert_true (gk_store_set_member (store, "someone", "boss", GK_ROLE_ADMIN | GK_ROLE_DRAFTER, &error));
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(GkItem) more = make_item ("一份文件", "2024-05-06");

      g_assert_true (gk_store_insert_item (store, "boss", more, pages, 2, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (gk_store_insert_item (store, "boss", item, pages, 2, NULL, &error));
  g_assert_no_error (error);
  return g_build_filename (dir, "library.db", NULL);
}

static void
write_sqlite (const char *path,
              const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQL failed: %s: %s", sql, message);
  sqlite3_close (db);
}

typedef enum
{
  BAD_EMPTY,
  BAD_TEXT,
  BAD_RANDOM,
  BAD_EMPTY_SQLITE,
  BAD_OTHER_SQLITE,
  BAD_OTHER_APPLICATION,
  BAD_FAKE_OLD_LIBRARY,
  BAD_NEWER_WITHOUT_MARK,
  BAD_TRUNCATED,
  BAD_DIRECTORY,
  BAD_SYMLINK,
  BAD_FIFO,
  N_BAD
} BadKind;

static const char *const bad_names[N_BAD] = {
  "empty", "text", "random", "empty-sqlite", "other-sqlite", "other-application",
  "fake-old-library", "newer-without-mark", "truncated", "directory", "symlink", "fifo",
};

/* What the refusal must say, besides the path. */
static const char *const bad_words[N_BAD] = {
  "empty (0 bytes)", "not an SQLite database", "not an SQLite database", "empty SQLite database",
  "not a Gongkai Desk library", "another application", "not a Gongkai Desk library",
  "not a Gongkai Desk library", "damaged", "is a folder", "symbolic link", "not a regular file",
};

static void
make_bad (BadKind     kind,
          const char *dir,
          const char *elsewhere)
{
  g_autofree char *db = g_build_filename (dir, "library.db", NULL);

  switch (kind)
    {
    case BAD_EMPTY:
      g_assert_true (g_file_set_contents (db, "", 0, NULL));
      break;
    case BAD_TEXT:
      g_assert_true (g_file_set_contents (db, "this is not a database, just some text that is long enough", -1, NULL));
      break;
    case BAD_RANDOM:
      {
        g_autoptr(GRand) rand = g_rand_new_with_seed (7);
        g_autofree guint32 *noise = g_new (guint32, 2048);

        for (guint i = 0; i < 2048; i++)
          noise[i] = g_rand_int (rand);
        g_assert_true (g_file_set_contents (db, (const char *) noise, 2048 * sizeof (guint32), NULL));
      }
      break;
    case BAD_EMPTY_SQLITE:
      write_sqlite (db, "CREATE TABLE t (x); DROP TABLE t;");
      break;
    case BAD_OTHER_SQLITE:
      write_sqlite (db, "PRAGMA user_version = 2; CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);"
                        "INSERT INTO notes (text) VALUES ('keep me');");
      break;
    case BAD_OTHER_APPLICATION:
      /* Even with a library's tables: the mark says whose it is. */
      write_sqlite (db, "PRAGMA application_id = 1234; PRAGMA user_version = 3;"
                        "CREATE TABLE items (x); CREATE TABLE audit (x);");
      break;
    case BAD_FAKE_OLD_LIBRARY:
      write_sqlite (db, "PRAGMA user_version = 3; CREATE TABLE items (x); CREATE TABLE audit (x);"
                        "CREATE TABLE settings (key, value);");
      break;
    case BAD_NEWER_WITHOUT_MARK:
      /* Every schema from 4 on carries the mark. */
      write_sqlite (db, "PRAGMA user_version = 4; CREATE TABLE items (x);");
      break;
    case BAD_TRUNCATED:
      {
        g_autofree char *real = make_real_library (elsewhere);
        g_autofree char *contents = NULL;
        gsize length = 0;

        g_assert_true (g_file_get_contents (real, &contents, &length, NULL));
        g_assert_cmpuint (length, >, 8192);
        g_assert_true (g_file_set_contents (db, contents, (gssize) (length / 2), NULL));
      }
      break;
    case BAD_DIRECTORY:
      g_assert_cmpint (g_mkdir (db, 0700), ==, 0);
      break;
    case BAD_SYMLINK:
      {
        g_autofree char *real = make_real_library (elsewhere);

        g_assert_cmpint (symlink (real, db), ==, 0);
      }
      break;
    case BAD_FIFO:
      g_assert_cmpint (mkfifo (db, 0600), ==, 0);
      break;
    case N_BAD:
    default:
      g_assert_not_reached ();
    }
}

static char *
snapshot (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return g_strdup ("(missing)");
  if (!S_ISREG (st.st_mode))
    return g_strdup_printf ("(mode %o)", (guint) (st.st_mode & S_IFMT));
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* A library.db that is not a library is refused, with or without
 * create, naming the path and what is wrong, and nothing is written:
 * not the file, not files/, not a journal. */
static void
test_not_a_library (void)
{
  for (BadKind kind = 0; kind < N_BAD; kind++)
    {
      g_autofree char *dir = g_dir_make_tmp ("gk-test-store-XXXXXX", NULL);
      g_autofree char *elsewhere = g_dir_make_tmp ("gk-test-store-XXXXXX", NULL);
      g_autofree char *db = g_build_filename (dir, "library.db", NULL);
      g_autofree char *files = g_build_filename (dir, "files", NULL);
      g_autofree char *wal = g_build_filename (dir, "library.db-wal", NULL);
      g_autofree char *before = NULL;
      g_autofree char *target_before = NULL;
      g_autofree char *target = g_build_filename (elsewhere, "library.db", NULL);

      g_test_message ("library.db: %s", bad_names[kind]);
      make_bad (kind, dir, elsewhere);
      before = snapshot (db);
      target_before = snapshot (target);

      for (int create = 0; create <= 1; create++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GkStore) store = gk_store_open (dir, create, &error);

          g_assert_null (store);
          g_assert_error (error, GK_ERROR, GK_ERROR_DAMAGED);
          g_assert_nonnull (strstr (error->message, db));
          if (strstr (error->message, bad_words[kind]) == NULL)
            g_error ("%s: “%s” does not say “%s”", bad_names[kind], error->message, bad_words[kind]);
          g_assert_cmpint (gk_error_exit_status (error), ==, 1);
        }
      {
        g_autofree char *after = snapshot (db);
        g_autofree char *target_after = snapshot (target);

        g_assert_cmpstr (after, ==, before);
        g_assert_cmpstr (target_after, ==, target_before);
      }
      g_assert_false (g_file_test (files, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
      remove_tree (dir);
      remove_tree (elsewhere);
    }
}

/* A folder with a library's content but no library.db: neither opened
 * nor made a library over it. */
static void
test_content_without_database (void)
{
  const char *const contents[] = { "files/ab/abcdef", "files/", "library.db-wal", "files" };

  for (guint i = 0; i < G_N_ELEMENTS (contents); i++)
    {
      g_autofree char *dir = g_dir_make_tmp ("gk-test-store-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, contents[i], NULL);
      g_autofree char *db = g_build_filename (dir, "library.db", NULL);

      if (g_str_has_suffix (contents[i], "/"))
        g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      else
        {
          g_autofree char *parent = g_path_get_dirname (path);

          g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
          g_assert_true (g_file_set_contents (path, "%PDF-1.4 a stored document", -1, NULL));
        }

      for (int create = 0; create <= 1; create++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GkStore) store = gk_store_open (dir, create, &error);

          g_assert_null (store);
          g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
          g_assert_nonnull (strstr (error->message, dir));
          g_assert_nonnull (strstr (error->message, "no library database"));
          g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
        }
      g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
      remove_tree (dir);
    }

  /* And a folder that is not there is not made by opening it. */
  {
    g_autofree char *dir = g_dir_make_tmp ("gk-test-store-XXXXXX", NULL);
    g_autofree char *missing = g_build_filename (dir, "nothing here", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GkStore) store = gk_store_open (missing, FALSE, &error);

    g_assert_null (store);
    g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
    remove_tree (dir);
  }
}

/* A library made by the schema-3 release has no application id: it is
 * known by its tables, opened, and marked by migration 4. */
/* Schema 6 indexes file names: an untitled scan is found by its name,
 * in a library made before (its index rebuilt from items and pages) and
 * when imported now. */
static void
test_migrate_file_name_search (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gk-test-store-XXXXXX", NULL);
  g_autoptr (GkStore) store = NULL;
  g_autoptr (GkItem) scan = NULL;
  const char *pages[] = { "扫描件没有文字层" };
  GkQuery     by_name = { .text = "库房扫描0419" };
  GkQuery     by_text = { .text = "以前导入的正文内容" };
  GkQuery     by_new_name = { .text = "新扫描件甲" };
  GkQuery     short_name = { .text = "甲" };

  g_assert_true (gk_store_create_at_version (dir, 5, &error));
  g_assert_no_error (error);
  raw_exec (
      dir,
      "INSERT INTO members (user, roles, added_at) VALUES ('old', 15, '2024-01-01T00:00:00.000Z');"
      "INSERT INTO items (num, id, file_name, created_at, created_by)"
      " VALUES (1, '0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10', '库房扫描0419.pdf',"
      " '2024-01-01T00:00:00.000Z', 'old');"
      "INSERT INTO pages (item_id, page_no, text) VALUES"
      " ('0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10', 1, '以前导入的正文内容');"
      "INSERT INTO items_fts (rowid, title, doc_number, issuer, body)"
      " VALUES (1, NULL, NULL, NULL, '以前导入的正文内容');");

  store = gk_store_open (dir, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gk_store_get_schema_version (store), ==, GK_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (gk_store_count (store, &by_name, &error), ==, 1);
  g_assert_cmpuint (gk_store_count (store, &by_text, &error), ==, 1);
  g_assert_no_error (error);

  scan = gk_item_new ();
  scan->file_name = g_strdup ("新扫描件甲.pdf");
  g_assert_true (gk_store_insert_item (store, "old", scan, pages, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (gk_store_count (store, &by_new_name, &error), ==, 1);
  /* A term shorter than the trigram index: the LIKE path looks there too. */
  g_assert_cmpuint (gk_store_count (store, &short_name, &error), ==, 1);
  g_assert_no_error (error);
}

static void
test_migrate_from_v3 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gk-test-store-XXXXXX", NULL);
  g_autofree char *broken = g_dir_make_tmp ("gk-test-store-XXXXXX", NULL);
  g_autofree char *id = NULL;
  g_autoptr(GkStore) store = NULL;
  g_autoptr(GkItem) item = NULL;
  gint64 n = 0;

  g_assert_true (gk_store_create_at_version (dir, 3, &error));
  g_assert_no_error (error);
  id = raw_text (dir, "PRAGMA application_id");
  g_assert_cmpstr (id, ==, "0");
  raw_exec (dir, "INSERT INTO members (user, roles, added_at) VALUES ('old-admin', 15, '2024-01-01T00:00:00.000Z');");

  store = gk_store_open (dir, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gk_store_get_schema_version (store), ==, GK_STORE_SCHEMA_VERSION);
  g_assert_cmpint (gk_store_get_roles (store, "old-admin"), ==, 15);
  item = make_item ("迁移后的新文件", "2024-06-01");
  g_assert_true (gk_store_insert_item (store, "old-admin", item, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (gk_store_audit_verify (store, NULL, &n, &error));
  g_assert_cmpint (n, ==, 1);
  g_clear_object (&store);
  g_free (id);
  id = raw_text (dir, "PRAGMA application_id");
  g_assert_cmpstr (id, ==, "1196115027");

  /* A schema-3 database that lacks one of the schema's tables is not
   * taken for a library. */
  g_assert_true (gk_store_create_at_version (broken, 3, &error));
  raw_exec (broken, "DROP TABLE portal_state;");
  store = gk_store_open (broken, FALSE, &error);
  g_assert_null (store);
  g_assert_error (error, GK_ERROR, GK_ERROR_DAMAGED);
  g_free (id);
  id = raw_text (broken, "PRAGMA user_version");
  g_assert_cmpstr (id, ==, "3");

  remove_tree (dir);
  remove_tree (broken);
}

static void
test_newer_schema (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gk-test-store-XXXXXX", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GkStore) store = gk_store_open (dir, TRUE, &error);

  g_assert_no_error (error);
  g_clear_object (&store);

  raw_exec (dir, "PRAGMA user_version = 99");
  store = gk_store_open (dir, FALSE, &error);
  g_assert_null (store);
  g_assert_error (error, GK_ERROR, GK_ERROR_NEWER_SCHEMA);
  expected = g_strdup_printf ("This library was created by a newer version of Gongkai Desk (schema 99); "
                              "this version understands up to %d.", GK_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpint (gk_error_exit_status (error), ==, 1);
  remove_tree (dir);
}

static void
test_migrate_from_v1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gk-test-store-XXXXXX", NULL);
  g_autofree char *version = NULL;
  g_autofree char *table = NULL;
  g_autoptr(GkStore) store = NULL;
  g_autoptr(GkItem) item = NULL;
  g_autoptr(GkItem) fresh = NULL;
  g_auto(GStrv) contributors = NULL;
  g_auto(GStrv) pages = NULL;
  g_autoptr(GkStoreLocker) locker = NULL;
  const char *id = "0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10";
  gint64 bad = -1, n = 0;

  g_assert_true (gk_store_create_at_version (dir, 1, &error));
  g_assert_no_error (error);
  version = raw_text (dir, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "1");
  table = raw_text (dir, "SELECT name FROM sqlite_master WHERE name = 'item_contributors'");
  g_assert_null (table);

  /* What a schema-1 program wrote. */
  raw_exec (dir,
            "INSERT INTO members (user, roles, added_at) VALUES ('old-admin', 15, '2023-01-01T00:00:00.000Z');"
            "INSERT INTO tags (id, name, parent_id, retired, created_at) VALUES (1, '政务公开', NULL, 0, 'x');"
            "INSERT INTO items (id, index_no, title, doc_number, issuer, written_date, revision, state, "
            "  created_at, created_by, updated_at, updated_by, submitted_at, submitted_by, pages) VALUES ("
            "  '0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10', '000000000/2023-00007', "
            "  '上海市应急管理局关于印发2023年政务公开工作要点的通知', '沪应急办〔2023〕20号', "
            "  '上海市应急管理局', '2023-04-10', 1, 'in_review', '2023-04-11T01:00:00.000Z', 'alice', "
            "  '2023-04-11T02:00:00.000Z', 'bob', '2023-04-11T03:00:00.000Z', 'carol', 1);"
            "INSERT INTO item_tags (item_id, tag_id, position) VALUES ('0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10', 1, 0);"
            "INSERT INTO pages (item_id, page_no, text) VALUES ('0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10', 1, '政务公开工作要点');"
            "INSERT INTO items_fts (rowid, title, doc_number, issuer, body) SELECT num, title, doc_number, issuer, "
            "  '政务公开工作要点' FROM items;"
            "INSERT INTO index_counters (year, next_seq) VALUES (2023, 8);");

  store = gk_store_open (dir, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gk_store_get_schema_version (store), ==, GK_STORE_SCHEMA_VERSION);

  item = gk_store_get_item (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item->title, ==, "上海市应急管理局关于印发2023年政务公开工作要点的通知");
  g_assert_cmpstr (item->index_no, ==, "000000000/2023-00007");
  g_assert_cmpint (item->state, ==, GK_STATE_IN_REVIEW);
  g_assert_cmpstr (item->tags[0], ==, "政务公开");
  g_assert_cmpint (gk_store_get_roles (store, "old-admin"), ==, 15);
  pages = gk_store_get_page_texts (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pages[0], ==, "政务公开工作要点");

  /* The new table was filled from what schema 1 knew. */
  locker = gk_store_priv_lock (store);
  contributors = gk_store_priv_get_contributors (store, id, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (contributors), ==, 3);
  g_assert_true (g_strv_contains ((const char *const *) contributors, "alice"));
  g_assert_true (g_strv_contains ((const char *const *) contributors, "bob"));
  g_assert_true (g_strv_contains ((const char *const *) contributors, "carol"));
  g_clear_pointer (&locker, gk_store_priv_unlock);

  /* And the migrated library works as a new one. */
  fresh = make_item ("新文件", "2023-06-01");
  g_assert_true (gk_store_insert_item (store, "old-admin", fresh, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fresh->index_no, ==, "000000000/2023-00008");
  g_assert_true (gk_store_audit_verify (store, &bad, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1);

  g_clear_object (&store);
  remove_tree (dir);
}

/* ---- leftovers of killed imports ---- */

/* A file under files/xx/NAME with these bytes; returns its hash. */
static char *
put_file (const char *dir,
          const char *contents,
          const char *name)
{
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, contents, -1);
  g_autofree char *prefix = g_strndup (sha, 2);
  g_autofree char *sub = g_build_filename (dir, "files", prefix, NULL);
  g_autofree char *path = g_build_filename (sub, name ? name : sha, NULL);

  g_assert_cmpint (g_mkdir_with_parents (sub, 0750), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return g_steal_pointer (&sha);
}

static guint
count_marks (const char *dir)
{
  g_autofree char *files = g_build_filename (dir, "files", NULL);
  g_autoptr(GDir) listing = g_dir_open (files, 0, NULL);
  const char *name;
  guint n = 0;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, ".importing-"))
      n++;
  return n;
}

static gboolean
has_file (const char *dir,
          const char *sha,
          const char *name)
{
  g_autofree char *prefix = g_strndup (sha, 2);
  g_autofree char *path = g_build_filename (dir, "files", prefix, name ? name : sha, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Opening removes partial copies and files no row refers to, and keeps
 * every file that an item, an approval (its file or an attachment of
 * its record), an outbox body or an audit entry names, and whatever the
 * program did not write itself. */
static void
test_clean_leftovers (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = insert (fixture, "有文件的条目", "2024-03-01");
  g_autoptr(GkStore) reopened = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(JsonObject) details = NULL;
  g_autofree char *item_file = NULL;
  g_autofree char *approved = put_file (fixture->dir, "%PDF-1.4 approved revision 1", NULL);
  g_autofree char *attachment = put_file (fixture->dir, "%PDF-1.4 an attachment", NULL);
  g_autofree char *outbox = put_file (fixture->dir, "%PDF-1.4 in the outbox", NULL);
  g_autofree char *audited = put_file (fixture->dir, "%PDF-1.4 named in the audit", NULL);
  g_autofree char *orphan = put_file (fixture->dir, "%PDF-1.4 nobody's", NULL);
  g_autofree char *orphan2 = put_file (fixture->dir, "%PDF-1.4 nobody's either", NULL);
  g_autofree char *partial = put_file (fixture->dir, "%PDF-1.4 half a co", ".incoming-Ab12Cd");
  g_autofree char *notes = put_file (fixture->dir, "someone's notes", "notes.txt");
  g_autofree char *sql = NULL;
  g_autofree char *misplaced_dir = g_build_filename (fixture->dir, "files", "00", NULL);
  g_autofree char *misplaced = g_build_filename (misplaced_dir, orphan2, NULL);
  const GkStoreCleanup *cleanup;

  /* The item's own file. */
  {
    g_autofree char *source = g_build_filename (fixture->dir, "source.pdf", NULL);
    g_autoptr(GkItem) with_file = make_item ("带文件", "2024-01-01");

    g_assert_true (g_file_set_contents (source, "%PDF-1.4 the item's file", -1, NULL));
    item_file = gk_sha256_file (source, NULL, NULL, &error);
    g_assert_true (gk_store_add_file (fixture->store, source, item_file, NULL, &error));
    with_file->file_sha256 = g_strdup (item_file);
    g_assert_true (gk_store_insert_item (fixture->store, "drafter", with_file, NULL, 0, NULL, &error));
    g_assert_no_error (error);
  }
  /* Rows that name files the items no longer do (an older revision's
   * approval, an attachment, a queued body, an audit entry). */
  sql = g_strdup_printf ("INSERT INTO approvals (item_id, revision, stage, actor, file_sha256, record_json, at) "
                         "VALUES ('%s', 1, 'release', 'reviewer', '%s', "
                         "'{\"attachments\":[{\"sha256\":\"%s\",\"media_type\":\"application/pdf\"}]}', 'x');"
                         "INSERT INTO sync_jobs (item_id, revision, operation, body, created_at, created_by) "
                         "VALUES ('%s', 1, 'publish', '{\"file\":{\"sha256\":\"%s\"}}', 'x', 'pat');",
                         item->id, approved, attachment, item->id, outbox);
  raw_exec (fixture->dir, sql);
  {
    g_autoptr(JsonObject) mention = json_object_new ();

    json_object_set_string_member (mention, "sha256", audited);
    g_assert_true (gk_store_audit_append (fixture->store, "admin", "export", NULL, mention, &error));
    g_assert_no_error (error);
  }
  /* A file under a hash name in the wrong folder is not the program's. */
  g_assert_cmpint (g_mkdir_with_parents (misplaced_dir, 0750), ==, 0);
  g_assert_true (g_file_set_contents (misplaced, "%PDF-1.4 nobody's either", -1, NULL));

  /* This store opened before the leftovers were there: it found none. */
  cleanup = gk_store_get_cleanup (fixture->store);
  g_assert_cmpuint (cleanup->n_partial + cleanup->n_unreferenced, ==, 0);
  g_assert_false (cleanup->skipped);

  /* No import was interrupted (it would have left its mark): opening
   * does not look through files/ ... */
  reopened = gk_store_open (fixture->dir, FALSE, &error);
  g_assert_no_error (error);
  cleanup = gk_store_get_cleanup (reopened);
  g_assert_cmpuint (cleanup->n_partial + cleanup->n_unreferenced, ==, 0);
  g_assert_true (has_file (fixture->dir, orphan, NULL));

  /* ... but a look through all of it (audit verify) finds them. */
  gk_store_clean_files (reopened);
  cleanup = gk_store_get_cleanup (reopened);
  g_assert_false (cleanup->skipped);
  g_assert_cmpuint (cleanup->n_partial, ==, 1);
  g_assert_cmpuint (cleanup->n_unreferenced, ==, 2);
  g_assert_cmpuint (cleanup->bytes, ==, strlen ("%PDF-1.4 half a co") + strlen ("%PDF-1.4 nobody's") +
                                        strlen ("%PDF-1.4 nobody's either"));
  g_assert_cmpuint (g_strv_length (cleanup->removed), ==, 3);
  {
    g_autofree char *prefix = g_strndup (orphan, 2);
    g_autofree char *relative = g_build_filename ("files", prefix, orphan, NULL);

    g_assert_true (g_strv_contains ((const char *const *) cleanup->removed, relative));
  }

  g_assert_false (has_file (fixture->dir, orphan, NULL));
  g_assert_false (has_file (fixture->dir, orphan2, NULL));
  g_assert_false (has_file (fixture->dir, partial, ".incoming-Ab12Cd"));
  g_assert_true (has_file (fixture->dir, item_file, NULL));
  g_assert_true (has_file (fixture->dir, approved, NULL));
  g_assert_true (has_file (fixture->dir, attachment, NULL));
  g_assert_true (has_file (fixture->dir, outbox, NULL));
  g_assert_true (has_file (fixture->dir, audited, NULL));
  g_assert_true (has_file (fixture->dir, notes, "notes.txt"));
  g_assert_true (g_file_test (misplaced, G_FILE_TEST_EXISTS));

  /* One audit entry says what went, by count and hash. */
  log = gk_store_audit_log (reopened, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (last_entry (log)->action, ==, "maintenance");
  g_assert_null (last_entry (log)->item_id);
  details = parse_object (last_entry (log)->details);
  g_assert_cmpint (json_object_get_int_member (details, "partial_copies"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (details, "unreferenced_files"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (details, "unreferenced")), ==, 2);
  g_assert_true (gk_store_audit_verify (reopened, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&reopened);

  /* Nothing more the next time, and no more entries. */
  reopened = gk_store_open (fixture->dir, FALSE, &error);
  g_assert_no_error (error);
  gk_store_clean_files (reopened);
  cleanup = gk_store_get_cleanup (reopened);
  g_assert_cmpuint (cleanup->n_partial + cleanup->n_unreferenced, ==, 0);
  g_assert_cmpuint (g_strv_length (cleanup->removed), ==, 0);
  {
    g_autoptr(GPtrArray) again = gk_store_audit_log (reopened, NULL, &error);

    g_assert_cmpuint (again->len, ==, log->len);
  }
  g_clear_object (&reopened);

  /* The mark of a killed import: opening looks, and the mark goes. */
  {
    g_autofree char *left = put_file (fixture->dir, "%PDF-1.4 a killed import's", NULL);
    g_autofree char *mark = g_build_filename (fixture->dir, "files", ".importing-k1ll3d", NULL);

    g_assert_true (g_file_set_contents (mark, "", 0, NULL));
    reopened = gk_store_open (fixture->dir, FALSE, &error);
    g_assert_no_error (error);
    cleanup = gk_store_get_cleanup (reopened);
    g_assert_cmpuint (cleanup->n_unreferenced, ==, 1);
    g_assert_false (has_file (fixture->dir, left, NULL));
    g_assert_false (g_file_test (mark, G_FILE_TEST_EXISTS));
    g_assert_true (has_file (fixture->dir, approved, NULL));
  }
}

/* While files are held (an import between copy and commit, here in this
 * process through another store), opening removes nothing; afterwards it
 * does. */
static void
test_clean_respects_hold (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *orphan = put_file (fixture->dir, "%PDF-1.4 being imported", NULL);
  g_autofree char *partial = put_file (fixture->dir, "%PDF-1.4 being cop", ".incoming-Zz99Yy");
  const GkStoreCleanup *cleanup;

  g_assert_cmpuint (count_marks (fixture->dir), ==, 0);
  g_assert_true (gk_store_hold_files (fixture->store, &error));
  g_assert_true (gk_store_hold_files (fixture->store, &error));
  /* One mark while held, whatever the depth. */
  g_assert_cmpuint (count_marks (fixture->dir), ==, 1);
  {
    g_autoptr(GkStore) other = gk_store_open (fixture->dir, FALSE, &error);

    g_assert_no_error (error);
    g_assert_true (gk_store_get_cleanup (other)->skipped);
    gk_store_clean_files (other);
    cleanup = gk_store_get_cleanup (other);
    g_assert_true (cleanup->skipped);
    g_assert_cmpuint (cleanup->n_partial + cleanup->n_unreferenced, ==, 0);
  }
  g_assert_true (has_file (fixture->dir, orphan, NULL));
  g_assert_true (has_file (fixture->dir, partial, ".incoming-Zz99Yy"));

  /* Holds nest: one given back still holds. */
  gk_store_release_files (fixture->store);
  {
    g_autoptr(GkStore) other = gk_store_open (fixture->dir, FALSE, &error);

    gk_store_clean_files (other);
    g_assert_true (gk_store_get_cleanup (other)->skipped);
  }
  g_assert_true (has_file (fixture->dir, orphan, NULL));

  gk_store_release_files (fixture->store);
  /* Given back whole: no mark of an interrupted import. */
  g_assert_cmpuint (count_marks (fixture->dir), ==, 0);
  {
    g_autoptr(GkStore) other = gk_store_open (fixture->dir, FALSE, &error);

    gk_store_clean_files (other);
    cleanup = gk_store_get_cleanup (other);
    g_assert_false (cleanup->skipped);
    g_assert_cmpuint (cleanup->n_partial, ==, 1);
    g_assert_cmpuint (cleanup->n_unreferenced, ==, 1);
  }
  g_assert_false (has_file (fixture->dir, orphan, NULL));
  g_assert_false (has_file (fixture->dir, partial, ".incoming-Zz99Yy"));
}

/* A caller that does not hold the files, and whose file was cleaned away
 * before its item was inserted, gets a refusal, never an item without
 * its file. */
static void
test_insert_after_clean (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = g_build_filename (fixture->dir, "late.pdf", NULL);
  g_autofree char *sha = NULL;
  g_autoptr(GkItem) item = make_item ("来晚了", "2024-01-01");
  g_autoptr(GkStore) other = NULL;

  g_assert_true (g_file_set_contents (source, "%PDF-1.4 committed too late", -1, NULL));
  sha = gk_sha256_file (source, NULL, NULL, &error);
  g_assert_true (gk_store_add_file (fixture->store, source, sha, NULL, &error));
  other = gk_store_open (fixture->dir, FALSE, &error);
  g_assert_no_error (error);
  gk_store_clean_files (other);
  g_assert_cmpuint (gk_store_get_cleanup (other)->n_unreferenced, ==, 1);

  item->file_sha256 = g_strdup (sha);
  g_assert_false (gk_store_insert_item (fixture->store, "drafter", item, NULL, 0, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
  g_assert_null (gk_store_find_by_sha256 (fixture->store, sha));
}

/* ---- roles ---- */

static void
test_roles_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GkRole roles = 0;

  g_assert_true (gk_roles_parse ("drafter, reviewer", &roles, &error));
  g_assert_no_error (error);
  g_assert_cmpint (roles, ==, GK_ROLE_DRAFTER | GK_ROLE_REVIEWER);
  g_assert_true (gk_roles_parse ("none", &roles, &error));
  g_assert_cmpint (roles, ==, GK_ROLE_NONE);
  g_assert_false (gk_roles_parse ("drafter,boss", &roles, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "boss"));
  g_clear_error (&error);
  g_assert_false (gk_roles_parse ("", &roles, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);

  text = gk_roles_to_string (GK_ROLE_ADMIN | GK_ROLE_PUBLISHER);
  g_assert_cmpstr (text, ==, "publisher,admin");
  g_assert_cmpstr (gk_role_to_string (GK_ROLE_REVIEWER), ==, "reviewer");
}

static void
test_roles_refusals (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = make_item ("标题", "2024-01-02");
  g_autoptr(GkTag) tag = NULL;
  g_autoptr(GPtrArray) members = NULL;

  /* Once there is an admin, only an admin manages members. */
  g_assert_false (gk_store_set_member (fixture->store, "drafter", "mallory", GK_ROLE_ADMIN, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "admin"));
  g_assert_cmpint (gk_error_exit_status (error), ==, 3);
  g_clear_error (&error);
  g_assert_cmpint (gk_store_get_roles (fixture->store, "mallory"), ==, GK_ROLE_NONE);

  g_assert_false (gk_store_set_setting (fixture->store, "drafter", "org_code", "123456789", &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);

  tag = gk_store_add_tag (fixture->store, "reviewer", "政务公开", NULL, &error);
  g_assert_null (tag);
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);

  g_assert_false (gk_store_add_topic (fixture->store, "drafter", "新主题", &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);

  g_assert_false (gk_store_insert_item (fixture->store, "reviewer", item, NULL, 0, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "drafter"));
  g_clear_error (&error);
  g_assert_null (item->id);

  g_assert_false (gk_store_insert_item (fixture->store, "stranger", item, NULL, 0, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);

  /* The admin may insert too. */
  g_assert_true (gk_store_insert_item (fixture->store, "admin", item, NULL, 0, NULL, &error));
  g_assert_no_error (error);

  /* A reviewer cannot edit. */
  g_free (item->title);
  item->title = g_strdup ("改过的标题");
  g_assert_false (gk_store_update_item (fixture->store, "reviewer", item, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);

  g_assert_true (gk_store_check_role (fixture->store, "reviewer", GK_ROLE_REVIEWER | GK_ROLE_ADMIN, &error));
  g_assert_false (gk_store_check_role (fixture->store, "drafter", GK_ROLE_REVIEWER | GK_ROLE_ADMIN, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "reviewer, admin"));
  g_clear_error (&error);

  /* The only admin cannot step down. */
  g_assert_false (gk_store_set_member (fixture->store, "admin", "admin", GK_ROLE_DRAFTER, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_true (gk_store_set_member (fixture->store, "admin", "admin2", GK_ROLE_ADMIN, &error));
  g_assert_true (gk_store_set_member (fixture->store, "admin2", "admin", GK_ROLE_DRAFTER, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gk_store_get_roles (fixture->store, "admin"), ==, GK_ROLE_DRAFTER);

  /* Removing a member. */
  g_assert_true (gk_store_set_member (fixture->store, "admin2", "drafter2", GK_ROLE_NONE, &error));
  g_assert_no_error (error);
  members = gk_store_list_members (fixture->store);
  for (guint i = 0; i < members->len; i++)
    g_assert_cmpstr (((GkMember *) g_ptr_array_index (members, i))->user, !=, "drafter2");

  g_assert_false (gk_store_set_member (fixture->store, "admin2", "two words", GK_ROLE_DRAFTER, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
}

static void
test_bootstrap (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gk-test-store-XXXXXX", NULL);
  g_autoptr(GkStore) store = gk_store_open (dir, TRUE, &error);
  g_autoptr(GPtrArray) log = NULL;
  GkAuditEntry *entry;

  g_assert_no_error (error);
  /* No admin yet: anyone may name the first one. */
  g_assert_true (gk_store_set_member (store, "installer", "li", GK_ROLE_ADMIN, &error));
  g_assert_no_error (error);
  g_assert_false (gk_store_set_member (store, "installer", "wang", GK_ROLE_ADMIN, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);

  log = gk_store_audit_log (store, NULL, NULL);
  g_assert_cmpuint (log->len, ==, 1);
  entry = g_ptr_array_index (log, 0);
  g_assert_cmpstr (entry->action, ==, "member");
  g_assert_cmpstr (entry->actor, ==, "installer");
  g_assert_cmpstr (entry->details, ==, "{\"user\":\"li\",\"roles\":\"admin\",\"previous\":\"\"}");
  g_clear_object (&store);
  remove_tree (dir);
}

/* ---- settings ---- */

static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GPtrArray) log = NULL;

  value = gk_store_get_setting (fixture->store, "index_template");
  g_assert_cmpstr (value, ==, "{org_code}/{year}-{seq:05}");
  g_clear_pointer (&value, g_free);
  value = gk_store_get_setting (fixture->store, "agency_name");
  g_assert_null (value);

  g_assert_true (gk_store_set_setting (fixture->store, "admin", "agency_name", "上海市应急管理局", &error));
  g_assert_no_error (error);
  value = gk_store_get_setting (fixture->store, "agency_name");
  g_assert_cmpstr (value, ==, "上海市应急管理局");
  g_clear_pointer (&value, g_free);

  g_assert_false (gk_store_set_setting (fixture->store, "admin", "review_stages", "3", &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (gk_store_set_setting (fixture->store, "admin", "portal_token", "abc", &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (gk_store_set_setting (fixture->store, "admin", "index_template", "{org_code}/{year}", &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (gk_store_set_setting (fixture->store, "admin", "index_template", "{org}/{seq}", &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "{org}"));
  g_clear_error (&error);

  /* Blank goes back to the default. */
  g_assert_true (gk_store_set_setting (fixture->store, "admin", "review_stages", "1", &error));
  g_assert_true (gk_store_set_setting (fixture->store, "admin", "review_stages", "", &error));
  g_assert_no_error (error);
  value = gk_store_get_setting (fixture->store, "review_stages");
  g_assert_cmpstr (value, ==, "2");

  log = audit_of (fixture, NULL);
  g_assert_cmpstr (last_entry (log)->action, ==, "setting");
  g_assert_cmpstr (last_entry (log)->details, ==, "{\"key\":\"review_stages\",\"value\":null}");
}

/* ---- items ---- */

static void
test_insert_get_update (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = make_item ("上海市应急管理局关于印发工作要点的通知", "2023-04-10");
  g_autoptr(GkItem) got = NULL;
  g_autoptr(GkItem) edited = NULL;
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(JsonObject) details = NULL;
  g_auto(GStrv) pages = NULL;
  g_autofree char *prefix = NULL;
  const char *page_texts[] = { "第一页：身份证 110101********1234", "第二页" };
  JsonObject *changes;
  guint n_audit;

  item->doc_number = g_strdup ("沪应急办〔2023〕20号");
  item->file_name = g_strdup ("a.pdf");
  item->detected_json = g_strdup ("{\"doc_number\":\"沪应急办〔2023〕20号\"}");
  g_ptr_array_add (findings, gk_finding_new (GK_FINDING_ID_CARD, "110101********1234", 1, 7, 18));
  g_ptr_array_add (findings, gk_finding_new (GK_FINDING_SECRECY_MARK, "秘密", 1, 0, 2));

  fixture->n_changed = 0;
  g_assert_true (gk_store_insert_item (fixture->store, "drafter", item, page_texts, 2, findings, &error));
  g_assert_no_error (error);
  g_assert_true (gk_uuid_is_valid (item->id));
  g_assert_cmpint (item->revision, ==, 1);
  g_assert_cmpint (item->state, ==, GK_STATE_DRAFT);
  g_assert_cmpint (item->pages, ==, 2);
  g_assert_cmpstr (item->created_by, ==, "drafter");
  g_assert_cmpint (((GkFinding *) g_ptr_array_index (findings, 0))->id, >, 0);
  g_assert_cmpuint (fixture->n_changed, ==, 1);
  g_assert_cmpstr (fixture->last_changed, ==, item->id);

  /* By full id, by prefix, by 索引号. */
  got = gk_store_get_item (fixture->store, item->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->title, ==, item->title);
  g_assert_cmpstr (got->doc_number, ==, "沪应急办〔2023〕20号");
  g_assert_cmpuint (got->findings->len, ==, 2);
  g_assert_cmpint (((GkFinding *) g_ptr_array_index (got->findings, 0))->kind, ==,
                   GK_FINDING_SECRECY_MARK);
  g_clear_object (&got);
  prefix = g_strndup (item->id, 8);
  got = gk_store_get_item (fixture->store, prefix, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->id, ==, item->id);
  g_clear_object (&got);
  got = gk_store_get_item (fixture->store, item->index_no, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->id, ==, item->id);
  g_clear_object (&got);
  got = gk_store_get_item (fixture->store, "ffffffff-0000-4000-8000-000000000000", &error);
  g_assert_null (got);
  g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
  g_clear_error (&error);
  got = gk_store_get_item (fixture->store, "abc", &error);
  g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  pages = gk_store_get_page_texts (fixture->store, item->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (pages), ==, 2);
  g_assert_cmpstr (pages[1], ==, "第二页");

  log = audit_of (fixture, item->id);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpstr (last_entry (log)->action, ==, "import");
  details = parse_object (last_entry (log)->details);
  g_assert_cmpstr (json_object_get_string_member (details, "file"), ==, "a.pdf");
  g_assert_cmpint (json_object_get_int_member (details, "pages"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (details, "detected"), "doc_number"),
                   ==, "沪应急办〔2023〕20号");
  g_clear_pointer (&details, json_object_unref);
  g_clear_pointer (&log, g_ptr_array_unref);

  /* An edit: audited with old and new. */
  edited = gk_store_get_item (fixture->store, item->id, &error);
  g_assert_true (gk_item_set_field (edited, "title", "新标题", &error));
  g_assert_true (gk_item_set_field (edited, "audience", "各区应急管理局, 市民", &error));
  g_assert_no_error (error);
  fixture->n_changed = 0;
  g_assert_true (gk_store_update_item (fixture->store, "drafter2", edited, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_changed, ==, 1);
  g_assert_cmpint (edited->revision, ==, 1);
  g_assert_cmpint (edited->state, ==, GK_STATE_DRAFT);
  log = audit_of (fixture, item->id);
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpstr (last_entry (log)->action, ==, "edit");
  g_assert_cmpstr (last_entry (log)->actor, ==, "drafter2");
  details = parse_object (last_entry (log)->details);
  g_assert_cmpint (json_object_get_int_member (details, "revision"), ==, 1);
  changes = json_object_get_object_member (details, "changes");
  g_assert_cmpuint (json_object_get_size (changes), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (changes, "title"), "old"),
                   ==, "上海市应急管理局关于印发工作要点的通知");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (changes, "title"), "new"),
                   ==, "新标题");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (changes, "audience"), "new")), ==, 2);
  g_assert_false (json_object_has_member (details, "new_revision"));
  g_clear_pointer (&details, json_object_unref);
  n_audit = log->len;
  g_clear_pointer (&log, g_ptr_array_unref);

  got = gk_store_get_item (fixture->store, item->id, &error);
  g_assert_cmpstr (got->title, ==, "新标题");
  g_assert_cmpstr (got->audience[1], ==, "市民");
  g_assert_cmpstr (got->updated_by, ==, "drafter2");
  g_clear_object (&got);

  /* No change: nothing written. */
  fixture->n_changed = 0;
  g_assert_true (gk_store_update_item (fixture->store, "drafter", edited, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_changed, ==, 0);
  log = audit_of (fixture, item->id);
  g_assert_cmpuint (log->len, ==, n_audit);
  g_clear_pointer (&log, g_ptr_array_unref);

  /* Editing an approved item makes a new revision in draft. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE items SET state = 'approved' WHERE id = '%s'", item->id);

    raw_exec (fixture->dir, sql);
  }
  g_assert_true (gk_item_set_field (edited, "summary", "内容概述", &error));
  /* A copy taken before the approval would undo it: refused. */
  g_assert_false (gk_store_update_item (fixture->store, "drafter", edited, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_CONFLICT);
  g_clear_error (&error);
  reload_copy (fixture, edited);
  g_assert_true (gk_store_update_item (fixture->store, "drafter", edited, &error));
  g_assert_no_error (error);
  g_assert_cmpint (edited->revision, ==, 2);
  g_assert_cmpint (edited->state, ==, GK_STATE_DRAFT);
  got = gk_store_get_item (fixture->store, item->id, &error);
  g_assert_cmpint (got->revision, ==, 2);
  g_assert_cmpint (got->state, ==, GK_STATE_DRAFT);
  g_assert_cmpint (got->stage, ==, GK_STAGE_NONE);
  g_clear_object (&got);
  log = audit_of (fixture, item->id);
  details = parse_object (last_entry (log)->details);
  g_assert_cmpint (json_object_get_int_member (details, "revision"), ==, 2);
  g_assert_true (json_object_get_boolean_member (details, "new_revision"));
  g_assert_cmpstr (json_object_get_string_member (details, "previous_state"), ==, "approved");
  g_clear_pointer (&details, json_object_unref);
  g_clear_pointer (&log, g_ptr_array_unref);

  {
    g_autoptr(GkStoreLocker) locker = gk_store_priv_lock (fixture->store);
    g_auto(GStrv) rev1 = gk_store_priv_get_contributors (fixture->store, item->id, 1, NULL);
    g_auto(GStrv) rev2 = gk_store_priv_get_contributors (fixture->store, item->id, 2, NULL);

    g_assert_true (g_strv_contains ((const char *const *) rev1, "drafter"));
    g_assert_true (g_strv_contains ((const char *const *) rev1, "drafter2"));
    g_assert_cmpuint (g_strv_length (rev2), ==, 1);
    g_assert_cmpstr (rev2[0], ==, "drafter");
  }

  /* Published too. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE items SET state = 'published' WHERE id = '%s'", item->id);

    raw_exec (fixture->dir, sql);
  }
  reload_copy (fixture, edited);
  g_assert_true (gk_item_set_field (edited, "genre", "通知", &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", edited, &error));
  g_assert_cmpint (edited->revision, ==, 3);
  g_assert_cmpint (edited->state, ==, GK_STATE_DRAFT);

  /* In review: back to draft, same revision. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE items SET state = 'in_review', stage = 'release' "
                                            "WHERE id = '%s'", item->id);

    raw_exec (fixture->dir, sql);
  }
  reload_copy (fixture, edited);
  g_assert_true (gk_item_set_field (edited, "genre", "意见", &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", edited, &error));
  g_assert_no_error (error);
  g_assert_cmpint (edited->revision, ==, 3);
  g_assert_cmpint (edited->state, ==, GK_STATE_DRAFT);
  log = audit_of (fixture, item->id);
  details = parse_object (last_entry (log)->details);
  g_assert_true (json_object_get_boolean_member (details, "review_restarted"));
  g_clear_pointer (&details, json_object_unref);
  g_clear_pointer (&log, g_ptr_array_unref);

  /* Returned stays returned. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE items SET state = 'returned', stage = NULL "
                                            "WHERE id = '%s'", item->id);

    raw_exec (fixture->dir, sql);
  }
  reload_copy (fixture, edited);
  g_assert_true (gk_item_set_field (edited, "genre", "通告", &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", edited, &error));
  g_assert_cmpint (edited->revision, ==, 3);
  g_assert_cmpint (edited->state, ==, GK_STATE_RETURNED);

  /* An update of an unknown item. */
  g_clear_object (&got);
  got = make_item ("x", NULL);
  got->id = gk_uuid_new ();
  g_assert_false (gk_store_update_item (fixture->store, "drafter", got, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A bad value slipped in without gk_item_set_field(). */
  g_free (edited->written_date);
  edited->written_date = g_strdup ("2023-02-30");
  g_assert_false (gk_store_update_item (fixture->store, "drafter", edited, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
}

static void
test_prefix_ambiguous (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) a = make_item ("甲", NULL);
  g_autoptr(GkItem) b = make_item ("乙", NULL);
  g_autoptr(GkItem) got = NULL;

  a->id = g_strdup ("abcd1111-0000-4000-8000-000000000001");
  b->id = g_strdup ("abcd2222-0000-4000-8000-000000000002");
  g_assert_true (gk_store_insert_item (fixture->store, "drafter", a, NULL, 0, NULL, &error));
  g_assert_true (gk_store_insert_item (fixture->store, "drafter", b, NULL, 0, NULL, &error));
  g_assert_no_error (error);

  got = gk_store_get_item (fixture->store, "abcd", &error);
  g_assert_null (got);
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "ambiguous"));
  g_clear_error (&error);
  got = gk_store_get_item (fixture->store, "ABCD2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->title, ==, "乙");
  g_clear_object (&got);

  /* An id given twice. */
  g_clear_object (&b);
  b = make_item ("丙", NULL);
  b->id = g_strdup ("abcd2222-0000-4000-8000-000000000002");
  g_assert_false (gk_store_insert_item (fixture->store, "drafter", b, NULL, 0, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_CONFLICT);
}

static void
test_index_no (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) a = insert (fixture, "一", "2023-04-10");
  g_autoptr(GkItem) b = insert (fixture, "二", "2023-12-31");
  g_autoptr(GkItem) c = insert (fixture, "三", "2024-01-01");
  g_autoptr(GkItem) d = insert (fixture, "四", NULL);
  g_autoptr(GkItem) typed = make_item ("五", "2023-05-05");
  g_autoptr(GkItem) clash = make_item ("六", "2023-05-05");
  g_autoptr(GkItem) e = NULL;
  g_autoptr(GkItem) f = NULL;
  g_autoptr(GkItem) blank = NULL;
  g_autofree char *sql = NULL;

  g_assert_cmpstr (a->index_no, ==, "000000000/2023-00001");
  g_assert_cmpstr (b->index_no, ==, "000000000/2023-00002");
  g_assert_cmpstr (c->index_no, ==, "000000000/2024-00001");
  /* No written date: today's year ($GONGKAI_TODAY). */
  g_assert_cmpstr (d->index_no, ==, "000000000/2025-00001");

  /* A person may type one; it is then taken. */
  typed->index_no = g_strdup ("000000000/2023-00003");
  g_assert_true (gk_store_insert_item (fixture->store, "drafter", typed, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (typed->index_no, ==, "000000000/2023-00003");
  clash->index_no = g_strdup ("000000000/2023-00003");
  g_assert_false (gk_store_insert_item (fixture->store, "drafter", clash, NULL, 0, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_null (clash->id);

  /* The generator steps over the typed one. */
  e = insert (fixture, "七", "2023-06-06");
  g_assert_cmpstr (e->index_no, ==, "000000000/2023-00004");

  /* Never changed once assigned. */
  g_assert_true (gk_item_set_field (a, "index_no", "000000000/2023-09999", &error));
  g_assert_false (gk_store_update_item (fixture->store, "drafter", a, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The 索引号 cannot be changed once assigned.");
  g_clear_error (&error);

  /* Unless it was blank: then it must be free. */
  sql = g_strdup_printf ("UPDATE items SET index_no = NULL WHERE id = '%s'", b->id);
  raw_exec (fixture->dir, sql);
  blank = gk_store_get_item (fixture->store, b->id, &error);
  g_assert_null (blank->index_no);
  g_assert_true (gk_item_set_field (blank, "index_no", "000000000/2023-00001", &error));
  g_assert_false (gk_store_update_item (fixture->store, "drafter", blank, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (gk_item_set_field (blank, "index_no", "SHYJ-2023-000123", &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", blank, &error));
  g_assert_no_error (error);

  /* A template of the agency's own. */
  g_assert_true (gk_store_set_setting (fixture->store, "admin", "org_code", "11330700MB10327095", &error));
  g_assert_true (gk_store_set_setting (fixture->store, "admin", "index_template", "SHYJ-{year}-{seq:06}", &error));
  g_assert_no_error (error);
  f = insert (fixture, "八", "2023-07-07");
  g_assert_cmpstr (f->index_no, ==, "SHYJ-2023-000005");
  g_clear_object (&f);
  g_assert_true (gk_store_set_setting (fixture->store, "admin", "index_template", "{org_code}/{year}{seq}", &error));
  f = insert (fixture, "九", "2023-07-07");
  g_assert_cmpstr (f->index_no, ==, "11330700MB10327095/20236");

  {
    g_autofree char *x = gk_store_expand_index_template ("{org_code}/{year}-{seq:05}", "000014349", 2020, 72, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (x, ==, "000014349/2020-00072");
  }
}

static void
test_due_date (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkCalendar) calendar = gk_calendar_new_default ();
  g_autoptr(GkItem) item = insert (fixture, "关于印发应急预案的通知", "2025-01-20");
  g_autoptr(GkItem) got = NULL;
  g_autoptr(GkItem) none = insert (fixture, "无日期", NULL);
  g_autofree char *due1 = gk_calendar_disclosure_due (calendar, "2025-01-20");
  g_autofree char *due2 = gk_calendar_disclosure_due (calendar, "2025-03-03");

  g_assert_nonnull (due1);
  g_assert_cmpstr (item->due_date, ==, due1);
  g_assert_null (none->due_date);

  g_assert_true (gk_item_set_field (item, "written_date", "2025-03-03", &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", item, &error));
  g_assert_no_error (error);
  got = gk_store_get_item (fixture->store, item->id, &error);
  g_assert_cmpstr (got->due_date, ==, due2);
  g_assert_cmpstr (item->due_date, ==, due2);

  /* A publish date today or before ($GONGKAI_TODAY): the document is already public, no
   * deadline runs; one still to come is a plan, the deadline runs. */
  g_assert_true (gk_item_set_field (item, "publish_date", "2025-03-03", &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", item, &error));
  g_assert_no_error (error);
  g_clear_object (&got);
  got = gk_store_get_item (fixture->store, item->id, &error);
  g_assert_null (got->due_date);
  g_assert_false (gk_item_is_awaiting_disclosure (got));

  g_assert_true (gk_item_set_field (item, "publish_date", "2999-01-04", &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", item, &error));
  g_assert_no_error (error);
  g_clear_object (&got);
  got = gk_store_get_item (fixture->store, item->id, &error);
  g_assert_cmpstr (got->due_date, ==, due2);
}

/* The policies an interpretation's text cites, by 文号 first, then by
 * 《title》; not itself, not the others. */
static void
test_find_cited (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GkItem) policy = make_item ("上海市安全生产条例实施办法", "2023-03-01");
  g_autoptr (GkItem) named = insert (fixture, "关于做好汛期安全工作的通知", "2023-05-01");
  g_autoptr (GkItem) other = insert (fixture, "与此无关的文件", "2023-05-02");
  g_autoptr (GkItem) reading = make_item ("关于《上海市安全生产条例实施办法》的解读", "2023-03-05");
  g_autoptr (GPtrArray) cited = NULL;
  const char *reading_pages[] = {
    "根据沪府规〔2023〕5号，现解读如下。另见《关于做好汛期安全工作的通知》。"
  };
  const char *policy_pages[] = { "正文" };

  policy->doc_number = g_strdup ("沪府规〔2023〕5号");
  g_assert_true (
      gk_store_insert_item (fixture->store, "drafter", policy, policy_pages, 1, NULL, &error));
  g_assert_true (
      gk_store_insert_item (fixture->store, "drafter", reading, reading_pages, 1, NULL, &error));
  g_assert_no_error (error);

  cited = gk_store_find_cited (fixture->store, reading->id, 8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cited->len, ==, 2);
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (cited, 0))->id, ==, policy->id);
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (cited, 1))->id, ==, named->id);
  g_clear_pointer (&cited, g_ptr_array_unref);

  /* The policy cites nothing; an unknown id is not found. */
  cited = gk_store_find_cited (fixture->store, policy->id, 8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cited->len, ==, 0);
  g_clear_pointer (&cited, g_ptr_array_unref);
  cited = gk_store_find_cited (fixture->store, "ffffffff-ffff-4fff-bfff-ffffffffffff", 8, &error);
  g_assert_null (cited);
  g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
  (void) other;
}

static void
test_links (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) policy = insert (fixture, "政策", "2024-01-01");
  g_autoptr(GkItem) reading = insert (fixture, "解读", "2024-01-02");
  g_autoptr(GkItem) got = NULL;
  g_autofree char *related = NULL;

  g_assert_true (gk_item_set_field (reading, "interprets", "0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10", &error));
  g_assert_false (gk_store_update_item (fixture->store, "drafter", reading, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (gk_item_set_field (reading, "interprets", reading->id, &error));
  g_assert_false (gk_store_update_item (fixture->store, "drafter", reading, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (gk_item_set_field (reading, "interprets", policy->id, &error));
  related = g_strdup_printf ("%s", policy->id);
  g_assert_true (gk_item_set_field (reading, "related", related, &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", reading, &error));
  g_assert_no_error (error);
  got = gk_store_get_item (fixture->store, reading->id, &error);
  g_assert_cmpstr (got->interprets, ==, policy->id);
  g_assert_cmpstr (got->related[0], ==, policy->id);
}

/* ---- tags and topics ---- */

static GkTag *
find_tag (GPtrArray  *tags,
          const char *name)
{
  for (guint i = 0; i < tags->len; i++)
    if (g_strcmp0 (((GkTag *) g_ptr_array_index (tags, i))->name, name) == 0)
      return g_ptr_array_index (tags, i);
  return NULL;
}

static void
test_tags (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkTag) policy = NULL;
  g_autoptr(GkTag) normative = NULL;
  g_autoptr(GkTag) open_gov = NULL;
  g_autoptr(GkTag) plan = NULL;
  g_autoptr(GkTag) dup = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GkItem) old_item = insert (fixture, "旧文件", "2023-01-01");
  g_autoptr(GkItem) new_item = insert (fixture, "新文件", "2023-02-01");
  g_autoptr(GkItem) got = NULL;
  GkTag *tag;

  policy = gk_store_add_tag (fixture->store, "admin", "政策文件", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (policy->path, ==, "政策文件");
  normative = gk_store_add_tag (fixture->store, "admin", "行政规范性文件", "政策文件", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (normative->path, ==, "政策文件/行政规范性文件");
  g_assert_cmpint (normative->parent_id, ==, policy->id);
  open_gov = gk_store_add_tag (fixture->store, "admin", "政务公开", NULL, &error);
  plan = gk_store_add_tag (fixture->store, "admin", "工作要点", "政务公开", &error);
  g_assert_no_error (error);

  dup = gk_store_add_tag (fixture->store, "admin", "政务公开", NULL, &error);
  g_assert_null (dup);
  g_assert_error (error, GK_ERROR, GK_ERROR_CONFLICT);
  g_clear_error (&error);
  dup = gk_store_add_tag (fixture->store, "admin", "a,b", NULL, &error);
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_clear_error (&error);
  dup = gk_store_add_tag (fixture->store, "admin", "孤儿", "不存在", &error);
  g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Tags on an item must be in the catalog. */
  g_assert_true (gk_item_set_field (old_item, "tags", "工作要点, 未知标签", &error));
  g_assert_false (gk_store_update_item (fixture->store, "drafter", old_item, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "未知标签"));
  g_clear_error (&error);
  g_assert_true (gk_item_set_field (old_item, "tags", "工作要点, 行政规范性文件", &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", old_item, &error));
  g_assert_no_error (error);

  /* Rename: the item shows the new name. */
  g_assert_true (gk_store_rename_tag (fixture->store, "admin", "工作要点", "政务公开工作要点", &error));
  g_assert_no_error (error);
  got = gk_store_get_item (fixture->store, old_item->id, &error);
  g_assert_cmpstr (got->tags[0], ==, "政务公开工作要点");
  g_assert_cmpstr (got->tags[1], ==, "行政规范性文件");
  g_clear_object (&got);
  g_assert_false (gk_store_rename_tag (fixture->store, "admin", "政务公开工作要点", "政策文件", &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Move, but never under itself. */
  g_assert_false (gk_store_move_tag (fixture->store, "admin", "政策文件", "行政规范性文件", &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (gk_store_move_tag (fixture->store, "admin", "政务公开工作要点", "政策文件", &error));
  g_assert_no_error (error);

  tags = gk_store_list_tags (fixture->store, TRUE);
  g_assert_cmpuint (tags->len, ==, 4);
  /* Tree order: a parent, then its children by name. */
  g_assert_cmpstr (((GkTag *) g_ptr_array_index (tags, 0))->name, ==, "政务公开");
  g_assert_cmpstr (((GkTag *) g_ptr_array_index (tags, 1))->name, ==, "政策文件");
  tag = find_tag (tags, "政务公开工作要点");
  g_assert_cmpstr (tag->path, ==, "政策文件/政务公开工作要点");
  g_assert_cmpuint (tag->n_items, ==, 1);
  g_clear_pointer (&tags, g_ptr_array_unref);

  /* Retire: it stays on the old item, cannot be added to another. */
  g_assert_true (gk_store_retire_tag (fixture->store, "admin", "政策文件", TRUE, &error));
  g_assert_no_error (error);
  tags = gk_store_list_tags (fixture->store, FALSE);
  g_assert_null (find_tag (tags, "政策文件"));
  g_assert_null (find_tag (tags, "行政规范性文件"));
  g_assert_nonnull (find_tag (tags, "政务公开"));
  g_clear_pointer (&tags, g_ptr_array_unref);
  tags = gk_store_list_tags (fixture->store, TRUE);
  g_assert_true (find_tag (tags, "政策文件")->retired);
  g_clear_pointer (&tags, g_ptr_array_unref);

  got = gk_store_get_item (fixture->store, old_item->id, &error);
  g_assert_cmpuint (g_strv_length (got->tags), ==, 2);
  g_assert_true (gk_item_set_field (got, "title", "旧文件（修订）", &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", got, &error));
  g_assert_no_error (error);
  /* Even when another tag is added next to it. */
  g_assert_true (gk_item_set_field (got, "tags", "政务公开工作要点, 行政规范性文件, 政务公开", &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", got, &error));
  g_assert_no_error (error);
  g_clear_object (&got);

  g_assert_true (gk_item_set_field (new_item, "tags", "行政规范性文件", &error));
  g_assert_false (gk_store_update_item (fixture->store, "drafter", new_item, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "retired"));
  g_clear_error (&error);

  /* Brought back, it can be added again. */
  g_assert_true (gk_store_retire_tag (fixture->store, "admin", "政策文件", FALSE, &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", new_item, &error));
  g_assert_no_error (error);

  g_assert_false (gk_store_rename_tag (fixture->store, "drafter", "政务公开", "公开", &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (gk_store_move_tag (fixture->store, "admin", "没有", NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
}

static void
test_topics (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) topics = gk_store_list_topics (fixture->store);
  g_autoptr(GkItem) item = insert (fixture, "安全生产检查", "2024-03-03");
  int top = -1, sub = -1, next_top = -1;
  guint n;

  n = g_strv_length (topics);
  g_assert_cmpuint (n, >=, 22);
  for (guint i = 0; i < n; i++)
    {
      if (strcmp (topics[i], "市场监管、安全生产监管") == 0)
        top = (int) i;
      else if (strcmp (topics[i], "市场监管、安全生产监管\\安全生产监管") == 0)
        sub = (int) i;
      else if (strcmp (topics[i], "城乡建设、环境保护") == 0)
        next_top = (int) i;
    }
  g_assert_cmpint (top, >=, 0);
  g_assert_cmpint (sub, >, top);
  g_assert_cmpint (next_top, >, sub);

  g_assert_true (gk_item_set_field (item, "topic", "不存在的主题", &error));
  g_assert_false (gk_store_update_item (fixture->store, "drafter", item, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (gk_item_set_field (item, "topic", "市场监管、安全生产监管\\安全生产监管", &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", item, &error));
  g_assert_no_error (error);

  /* A local column, added under an existing top level, listed with it. */
  g_assert_false (gk_store_add_topic (fixture->store, "admin", "乡村振兴\\帮扶", &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (gk_store_add_topic (fixture->store, "admin", "综合政务\\政务公开年报", &error));
  g_assert_no_error (error);
  g_assert_false (gk_store_add_topic (fixture->store, "admin", "综合政务\\政务公开年报", &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_pointer (&topics, g_strfreev);
  topics = gk_store_list_topics (fixture->store);
  for (guint i = 0; topics[i]; i++)
    if (strcmp (topics[i], "综合政务\\政务公开年报") == 0)
      {
        g_assert_true (g_str_has_prefix (topics[i - 1], "综合政务"));
        g_assert_true (g_str_has_prefix (topics[i + 1], "国民经济管理"));
      }
}

/* ---- files ---- */

static void
test_add_file (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = g_build_filename (fixture->dir, "source.pdf", NULL);
  g_autofree char *sha = NULL;
  g_autofree char *target = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected_dir = NULL;
  g_autoptr(GkItem) item = make_item ("带文件", "2024-01-01");
  g_autoptr(GkItem) twin = make_item ("同一文件", "2024-01-01");
  g_autoptr(GkItem) missing = make_item ("缺文件", "2024-01-01");
  g_autoptr(GkItem) found = NULL;
  gsize length = 0;
  goffset size = 0;

  g_assert_true (g_file_set_contents (source, "%PDF-1.4 not really a pdf but bytes", -1, NULL));
  sha = gk_sha256_file (source, NULL, &size, &error);
  g_assert_no_error (error);

  g_assert_true (gk_store_add_file (fixture->store, source, sha, NULL, &error));
  g_assert_no_error (error);
  target = gk_store_get_file_path (fixture->store, sha);
  expected_dir = g_build_filename (fixture->dir, "files", NULL);
  g_assert_true (g_str_has_prefix (target, expected_dir));
  g_assert_true (g_str_has_suffix (target, sha));
  g_assert_nonnull (strstr (target, "/files/"));
  {
    g_autofree char *two = g_strndup (sha, 2);
    g_autofree char *tail = g_build_filename (two, sha, NULL);

    g_assert_true (g_str_has_suffix (target, tail));
  }
  g_assert_true (g_file_get_contents (target, &contents, &length, NULL));
  g_assert_cmpstr (contents, ==, "%PDF-1.4 not really a pdf but bytes");
  /* Again: nothing to do. */
  g_assert_true (gk_store_add_file (fixture->store, source, sha, NULL, &error));
  g_assert_no_error (error);

  /* Bytes that are not what the hash says (the file changed after it
   * was hashed) never land under that name. */
  {
    g_autofree char *changed = g_build_filename (fixture->dir, "changed.pdf", NULL);
    g_autofree char *claimed = g_strdup ("0000000000000000000000000000000000000000000000000000000000000001");
    g_autofree char *claimed_path = NULL;

    g_assert_true (g_file_set_contents (changed, "%PDF-1.4 other bytes", -1, NULL));
    g_assert_false (gk_store_add_file (fixture->store, changed, claimed, NULL, &error));
    g_assert_error (error, GK_ERROR, GK_ERROR_FAILED);
    g_clear_error (&error);
    claimed_path = gk_store_get_file_path (fixture->store, claimed);
    g_assert_false (g_file_test (claimed_path, G_FILE_TEST_EXISTS));
  }

  g_assert_false (gk_store_add_file (fixture->store, source, "../../etc/passwd", NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (gk_store_get_file_path (fixture->store, "ABC"));

  item->file_sha256 = g_strdup (sha);
  item->file_bytes = size;
  g_assert_true (gk_store_insert_item (fixture->store, "drafter", item, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  found = gk_store_find_by_sha256 (fixture->store, sha);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->id, ==, item->id);

  twin->file_sha256 = g_strdup (sha);
  g_assert_false (gk_store_insert_item (fixture->store, "drafter", twin, NULL, 0, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_CONFLICT);
  g_clear_error (&error);

  missing->file_sha256 = g_strdup ("0000000000000000000000000000000000000000000000000000000000000001");
  g_assert_false (gk_store_insert_item (fixture->store, "drafter", missing, NULL, 0, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
}

/* ---- threads ---- */

typedef struct
{
  GkStore    *store;
  const char *sha;
  guint       n_ok;
  guint       n_conflict;
  guint       index;
} RaceData;

static gpointer
race_thread (gpointer data)
{
  RaceData *race = data;

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GkItem) item = gk_item_new ();
      g_autoptr(GError) error = NULL;
      const char *pages[] = { "并发导入的正文" };

      item->title = g_strdup_printf ("线程 %u 文件 %u", race->index, i);
      item->written_date = g_strdup ("2024-06-01");
      /* The first item of every thread has the same bytes. */
      if (i == 0)
        item->file_sha256 = g_strdup (race->sha);
      if (gk_store_insert_item (race->store, "drafter", item, pages, 1, NULL, &error))
        race->n_ok++;
      else if (g_error_matches (error, GK_ERROR, GK_ERROR_CONFLICT))
        race->n_conflict++;
      else
        g_error ("unexpected: %s", error->message);
    }
  return NULL;
}

static void
test_threads (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = g_build_filename (fixture->dir, "same.pdf", NULL);
  g_autofree char *sha = NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(GHashTable) index_nos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) items = NULL;
  RaceData races[4];
  GThread *threads[4];
  guint ok = 0, conflicts = 0;
  gint64 n = 0;

  g_assert_true (g_file_set_contents (source, "%PDF same bytes", -1, NULL));
  sha = gk_sha256_file (source, NULL, NULL, &error);
  g_assert_true (gk_store_add_file (fixture->store, source, sha, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (races); i++)
    {
      races[i] = (RaceData) { fixture->store, sha, 0, 0, i };
      threads[i] = g_thread_new ("race", race_thread, &races[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (races); i++)
    {
      g_thread_join (threads[i]);
      ok += races[i].n_ok;
      conflicts += races[i].n_conflict;
    }
  g_assert_cmpuint (conflicts, ==, 3);
  g_assert_cmpuint (ok, ==, 4 * 20 - 3);

  /* Every 索引号 is different. */
  ids = gk_store_query_ids (fixture->store, NULL, &error);
  g_assert_cmpuint (g_strv_length (ids), ==, ok);
  items = gk_store_get_items (fixture->store, (const char *const *) ids, g_strv_length (ids), &error);
  for (guint i = 0; i < items->len; i++)
    g_assert_true (g_hash_table_add (index_nos, g_strdup (((GkItem *) g_ptr_array_index (items, i))->index_no)));
  g_assert_true (gk_store_audit_verify (fixture->store, NULL, &n, &error));
  g_assert_no_error (error);
}

static void
test_replace_findings (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = insert (fixture, "含个人信息", "2024-01-01");
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);
  g_autoptr(GkItem) got = NULL;
  g_autofree char *sql = NULL;
  GkFinding *f;

  {
    g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);

    g_ptr_array_add (first, gk_finding_new (GK_FINDING_MOBILE, "138****5678", 1, 3, 11));
    g_ptr_array_add (first, gk_finding_new (GK_FINDING_KEYWORD, "内部文件", 2, 0, 4));
    g_assert_true (gk_store_replace_findings (fixture->store, "drafter", item->id, first, &error));
    g_assert_no_error (error);
  }
  /* A reviewer dismissed the mobile number (the workflow does that). */
  sql = g_strdup_printf ("UPDATE findings SET status = 'dismissed', reason = '单位办公电话', "
                         "decided_by = 'reviewer' WHERE item_id = '%s' AND kind = 'mobile'", item->id);
  raw_exec (fixture->dir, sql);

  g_ptr_array_add (again, gk_finding_new (GK_FINDING_MOBILE, "138****5678", 1, 3, 11));
  g_ptr_array_add (again, gk_finding_new (GK_FINDING_ID_CARD, "310***********1234", 2, 9, 18));
  g_assert_true (gk_store_replace_findings (fixture->store, "reviewer", item->id, again, &error));
  g_assert_no_error (error);

  got = gk_store_get_item (fixture->store, item->id, &error);
  g_assert_cmpuint (got->findings->len, ==, 2);
  f = g_ptr_array_index (got->findings, 0);
  g_assert_cmpint (f->kind, ==, GK_FINDING_MOBILE);
  g_assert_cmpint (f->status, ==, GK_FINDING_DISMISSED);
  g_assert_cmpstr (f->reason, ==, "单位办公电话");
  f = g_ptr_array_index (got->findings, 1);
  g_assert_cmpint (f->kind, ==, GK_FINDING_ID_CARD);
  g_assert_cmpint (f->status, ==, GK_FINDING_OPEN);
}

/* A kind this version does not know (written by a newer one, or by hand)
 * comes back as a secrecy mark: it blocks approval instead of slipping
 * through, and the names the store writes are the ones it always wrote. */
static void
test_finding_names_in_store (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GkItem) item = insert (fixture, "含未知类别", "2024-01-01");
  g_autoptr (GPtrArray) findings =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);
  g_autoptr (GkItem) got = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "library.db", NULL);
  sqlite3         *db = NULL;
  sqlite3_stmt    *stmt = NULL;
  GkFinding       *f;

  g_ptr_array_add (findings, gk_finding_new (GK_FINDING_KEYWORD, "内部文件", 1, 0, 4));
  g_ptr_array_add (findings, gk_finding_new (GK_FINDING_LANDLINE, "021-6432****", 1, 9, 12));
  g_assert_true (gk_store_replace_findings (fixture->store, "drafter", item->id, findings, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT kind, status FROM findings ORDER BY char_offset",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "keyword");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "open");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "landline");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "info");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  sql = g_strdup_printf (
      "UPDATE findings SET kind = 'redaction' WHERE item_id = '%s' AND kind = 'keyword'", item->id);
  raw_exec (fixture->dir, sql);
  got = gk_store_get_item (fixture->store, item->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->findings->len, ==, 2);
  f = g_ptr_array_index (got->findings, 0);
  g_assert_cmpint (f->kind, ==, GK_FINDING_SECRECY_MARK);
  g_assert_cmpint (f->status, ==, GK_FINDING_OPEN);
  g_assert_cmpstr (f->value, ==, "内部文件");
  g_assert_true (gk_finding_is_blocking (f));
  f = g_ptr_array_index (got->findings, 1);
  g_assert_cmpint (f->kind, ==, GK_FINDING_LANDLINE);
  g_assert_cmpint (f->status, ==, GK_FINDING_INFO);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GONGKAI_TODAY", "2025-03-03", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/store/open-create-reopen", test_open_create_reopen);
  g_test_add_func ("/store/not-a-library", test_not_a_library);
  g_test_add_func ("/store/content-without-database", test_content_without_database);
  g_test_add_func ("/store/migrate-from-v3", test_migrate_from_v3);
  g_test_add_func ("/store/migrate-file-name-search", test_migrate_file_name_search);
  g_test_add_func ("/store/newer-schema", test_newer_schema);
  g_test_add_func ("/store/migrate-from-v1", test_migrate_from_v1);
  g_test_add_func ("/store/roles-parse", test_roles_parse);
  g_test_add_func ("/store/bootstrap", test_bootstrap);
  ADD ("/store/roles-refusals", test_roles_refusals);
  ADD ("/store/settings", test_settings);
  ADD ("/store/insert-get-update", test_insert_get_update);
  ADD ("/store/prefix-ambiguous", test_prefix_ambiguous);
  ADD ("/store/index-no", test_index_no);
  ADD ("/store/due-date", test_due_date);
  ADD ("/store/links", test_links);
  ADD ("/store/find-cited", test_find_cited);
  ADD ("/store/tags", test_tags);
  ADD ("/store/topics", test_topics);
  ADD ("/store/add-file", test_add_file);
  ADD ("/store/threads", test_threads);
  ADD ("/store/replace-findings", test_replace_findings);
  ADD ("/store/finding-names", test_finding_names_in_store);
  ADD ("/store/clean-leftovers", test_clean_leftovers);
  ADD ("/store/clean-respects-hold", test_clean_respects_hold);
  ADD ("/store/insert-after-clean", test_insert_after_clean);

  return g_test_run ();
}
