/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestAudit"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "gk-finding.h"
#include "gk-item.h"
#include "gk-store.h"
#include "gk-util.h"

/* The audit log: every change is in it, in a hash chain that shows any
 * entry edited, removed or moved afterwards, even by someone who opens
 * the database file directly. */

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct
{
  char    *dir;
  GkStore *store;
  char    *item_id;
  gint64   n_entries;
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

          if (g_file_test (child, G_FILE_TEST_IS_DIR))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
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

/* Tamper with the file as someone with a SQLite shell would: the
 * append-only triggers go first. */
static void
tamper (const char *dir,
        const char *sql)
{
  sqlite3 *db = open_raw (dir);
  g_autofree char *all = g_strconcat ("DROP TRIGGER IF EXISTS audit_no_update;"
                                      "DROP TRIGGER IF EXISTS audit_no_delete;", sql, NULL);
  char *message = NULL;

  if (sqlite3_exec (db, all, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQL failed: %s: %s", sql, message);
  sqlite3_close (db);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = gk_item_new ();
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);
  g_autoptr(GkTag) tag = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  const char *pages[] = { "联系人：张三，身份证号 11010519491231002X，手机 13912345678。" };

  fixture->dir = g_dir_make_tmp ("gk-test-audit-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = gk_store_open (fixture->dir, TRUE, &error);
  g_assert_no_error (error);

  /* 1 member, 2 member, 3 tag, 4 import, 5 edit, 6 edit, 7 sync */
  g_assert_true (gk_store_set_member (fixture->store, "init", "admin", GK_ROLE_ADMIN, &error));
  g_assert_true (gk_store_set_member (fixture->store, "admin", "drafter", GK_ROLE_DRAFTER, &error));
  tag = gk_store_add_tag (fixture->store, "admin", "政务公开", NULL, &error);
  g_assert_no_error (error);

  item->title = g_strdup ("关于公布联系人的通知");
  item->written_date = g_strdup ("2024-05-06");
  g_ptr_array_add (findings, gk_finding_new (GK_FINDING_ID_CARD, "110105********002X", 1, 12, 18));
  g_ptr_array_add (findings, gk_finding_new (GK_FINDING_MOBILE, "139****5678", 1, 34, 11));
  g_assert_true (gk_store_insert_item (fixture->store, "drafter", item, pages, 1, findings, &error));
  g_assert_no_error (error);
  fixture->item_id = g_strdup (item->id);

  g_assert_true (gk_item_set_field (item, "title", "关于公布联系人的通知（修订）", &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", item, &error));
  g_assert_true (gk_item_set_field (item, "tags", "政务公开", &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", item, &error));
  g_assert_no_error (error);

  json_object_set_string_member (details, "result", "refused");
  json_object_set_int_member (details, "status", 401);
  g_assert_true (gk_store_audit_append (fixture->store, "admin", "sync", fixture->item_id, details, &error));
  g_assert_no_error (error);
  fixture->n_entries = 7;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->item_id);
}

static char *
json_quote (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return gk_json_to_string (node, FALSE);
}

static void
test_chain (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = gk_store_audit_log (fixture->store, NULL, &error);
  const char *prev = ZERO_HASH;
  const char *actions[] = { "member", "member", "tag", "import", "edit", "edit", "sync" };
  gint64 bad = -1, n = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, fixture->n_entries);

  /* Recompute every hash here from the documented canonical form:
   * sha256 (prev ‖ [seq,at,actor,action,item_id|null,details]). */
  for (guint i = 0; i < log->len; i++)
    {
      GkAuditEntry *entry = g_ptr_array_index (log, i);
      g_autofree char *at = json_quote (entry->at);
      g_autofree char *actor = json_quote (entry->actor);
      g_autofree char *action = json_quote (entry->action);
      g_autofree char *item = entry->item_id ? json_quote (entry->item_id) : g_strdup ("null");
      g_autofree char *canonical = g_strdup_printf ("[%" G_GINT64_FORMAT ",%s,%s,%s,%s,%s]",
                                                    entry->seq, at, actor, action, item, entry->details);
      g_autofree char *input = g_strconcat (prev, canonical, NULL);
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, input, -1);

      g_assert_cmpint (entry->seq, ==, i + 1);
      g_assert_cmpstr (entry->action, ==, actions[i]);
      g_assert_cmpstr (entry->prev_hash, ==, prev);
      g_assert_cmpstr (entry->hash, ==, hash);
      prev = entry->hash;
    }

  g_assert_true (gk_store_audit_verify (fixture->store, &bad, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bad, ==, 0);
  g_assert_cmpint (n, ==, fixture->n_entries);
}

static void
test_item_log (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = gk_store_audit_log (fixture->store, fixture->item_id, &error);
  g_autoptr(GPtrArray) by_prefix = NULL;
  g_autofree char *prefix = g_strndup (fixture->item_id, 6);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *details;

  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 4);
  g_assert_cmpstr (((GkAuditEntry *) g_ptr_array_index (log, 0))->action, ==, "import");
  g_assert_cmpstr (((GkAuditEntry *) g_ptr_array_index (log, 3))->details, ==,
                   "{\"result\":\"refused\",\"status\":401}");

  /* The tag edit records the list before and after. */
  g_assert_true (json_parser_load_from_data (parser, ((GkAuditEntry *) g_ptr_array_index (log, 2))->details,
                                             -1, &error));
  details = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (json_object_get_object_member (details, "changes"), "tags"),
                      "old")), ==, 0);

  by_prefix = gk_store_audit_log (fixture->store, prefix, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_prefix->len, ==, 4);
}

static void
test_no_personal_numbers (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) log = gk_store_audit_log (fixture->store, NULL, NULL);

  for (guint i = 0; i < log->len; i++)
    {
      GkAuditEntry *entry = g_ptr_array_index (log, i);

      g_assert_null (strstr (entry->details, "11010519491231002X"));
      g_assert_null (strstr (entry->details, "13912345678"));
    }
}

static void
test_append_only (Fixture       *fixture,
                  gconstpointer  data)
{
  sqlite3 *db = open_raw (fixture->dir);

  /* Through SQL without dropping the guards: refused. */
  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit SET actor = 'x' WHERE seq = 1", NULL, NULL, NULL),
                   !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit WHERE seq = 1", NULL, NULL, NULL), !=, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (gk_store_audit_verify (fixture->store, NULL, NULL, NULL));
}

static void
expect_bad (Fixture *fixture,
            gint64   expected_seq)
{
  g_autoptr(GError) error = NULL;
  gint64 bad = 0;

  g_assert_false (gk_store_audit_verify (fixture->store, &bad, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_DAMAGED);
  g_test_message ("%s", error->message);
  g_assert_cmpint (bad, ==, expected_seq);
  {
    g_autofree char *seq = g_strdup_printf (" %" G_GINT64_FORMAT " ", expected_seq);

    g_assert_nonnull (strstr (error->message, seq));
  }
}

static void
test_edited_entry (Fixture       *fixture,
                   gconstpointer  data)
{
  tamper (fixture->dir, "UPDATE audit SET details = replace (details, '关于公布联系人的通知（修订）', '别的标题') "
                        "WHERE seq = 5");
  expect_bad (fixture, 5);
}

static void
test_edited_actor (Fixture       *fixture,
                   gconstpointer  data)
{
  tamper (fixture->dir, "UPDATE audit SET actor = 'someone-else' WHERE seq = 4");
  expect_bad (fixture, 4);
}

static void
test_reformatted_details (Fixture       *fixture,
                          gconstpointer  data)
{
  /* The same JSON value written differently is a change of the record. */
  tamper (fixture->dir, "UPDATE audit SET details = '{ \"result\": \"refused\", \"status\": 401 }' WHERE seq = 7");
  expect_bad (fixture, 7);
}

static void
test_deleted_entry (Fixture       *fixture,
                    gconstpointer  data)
{
  tamper (fixture->dir, "DELETE FROM audit WHERE seq = 3");
  expect_bad (fixture, 3);
}

static void
test_deleted_and_renumbered (Fixture       *fixture,
                             gconstpointer  data)
{
  /* Close the gap: the link to the previous entry still breaks. */
  tamper (fixture->dir,
          "DELETE FROM audit WHERE seq = 3;"
          "UPDATE audit SET seq = seq - 1 WHERE seq > 3;"
          "UPDATE audit_head SET seq = seq - 1;");
  expect_bad (fixture, 3);
}

static void
test_deleted_last (Fixture       *fixture,
                   gconstpointer  data)
{
  tamper (fixture->dir, "DELETE FROM audit WHERE seq = 7");
  expect_bad (fixture, 7);
}

static void
test_reordered_pair (Fixture       *fixture,
                     gconstpointer  data)
{
  /* Swap the contents of entries 2 and 4, keeping their seq. */
  tamper (fixture->dir,
          "CREATE TEMP TABLE a AS SELECT * FROM audit WHERE seq IN (2, 4);"
          "UPDATE audit SET (at, actor, action, item_id, details, prev_hash, hash) = "
          "  (SELECT at, actor, action, item_id, details, prev_hash, hash FROM a "
          "   WHERE a.seq = CASE audit.seq WHEN 2 THEN 4 ELSE 2 END) "
          "WHERE seq IN (2, 4);");
  expect_bad (fixture, 2);
}

static void
test_changed_hash (Fixture       *fixture,
                   gconstpointer  data)
{
  tamper (fixture->dir,
          "UPDATE audit SET hash = '1111111111111111111111111111111111111111111111111111111111111111' "
          "WHERE seq = 6");
  expect_bad (fixture, 6);
}

static void
test_rehashed_entry (Fixture       *fixture,
                     gconstpointer  data)
{
  /* A forger who edits entry 2 and recomputes its hash still breaks the
   * link from entry 3. */
  g_autoptr(GPtrArray) log = gk_store_audit_log (fixture->store, NULL, NULL);
  GkAuditEntry *second = g_ptr_array_index (log, 1);
  g_autofree char *at = json_quote (second->at);
  g_autofree char *canonical = g_strdup_printf ("[2,%s,\"forger\",\"member\",null,%s]", at, second->details);
  g_autofree char *input = g_strconcat (second->prev_hash, canonical, NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, input, -1);
  g_autofree char *sql = g_strdup_printf ("UPDATE audit SET actor = 'forger', hash = '%s' WHERE seq = 2", hash);

  tamper (fixture->dir, sql);
  expect_bad (fixture, 3);
}

/* Many threads appending at once keep one unbroken chain. */
typedef struct
{
  GkStore *store;
  guint    index;
} AppendData;

static gpointer
append_thread (gpointer data)
{
  AppendData *append = data;

  for (guint i = 0; i < 25; i++)
    {
      g_autoptr(JsonObject) details = json_object_new ();
      g_autoptr(GError) error = NULL;

      json_object_set_int_member (details, "thread", append->index);
      json_object_set_int_member (details, "n", i);
      if (!gk_store_audit_append (append->store, "admin", "export", NULL, details, &error))
        g_error ("append failed: %s", error->message);
    }
  return NULL;
}

static void
test_threads (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AppendData appends[4];
  GThread *threads[4];
  gint64 n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      appends[i] = (AppendData) { fixture->store, i };
      threads[i] = g_thread_new ("append", append_thread, &appends[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_true (gk_store_audit_verify (fixture->store, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, fixture->n_entries + 100);
}

static void
test_append_needs_action (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (gk_store_audit_append (fixture->store, "admin", "", NULL, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (gk_store_audit_append (fixture->store, "admin", "export", NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/audit/chain", test_chain);
  ADD ("/audit/item-log", test_item_log);
  ADD ("/audit/no-personal-numbers", test_no_personal_numbers);
  ADD ("/audit/append-only", test_append_only);
  ADD ("/audit/edited-entry", test_edited_entry);
  ADD ("/audit/edited-actor", test_edited_actor);
  ADD ("/audit/reformatted-details", test_reformatted_details);
  ADD ("/audit/deleted-entry", test_deleted_entry);
  ADD ("/audit/deleted-and-renumbered", test_deleted_and_renumbered);
  ADD ("/audit/deleted-last", test_deleted_last);
  ADD ("/audit/reordered-pair", test_reordered_pair);
  ADD ("/audit/changed-hash", test_changed_hash);
  ADD ("/audit/rehashed-entry", test_rehashed_entry);
  ADD ("/audit/threads", test_threads);
  ADD ("/audit/append-needs-action", test_append_needs_action);

  return g_test_run ();
}
