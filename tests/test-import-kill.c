/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Crash safety of the import: gongkai-ctl import runs as a subprocess on
 * a folder of fixture PDFs and is killed with SIGKILL at chosen moments
 * (it stops itself there, GONGKAI_TEST_STOP_AT, and is killed while
 * stopped) and at staggered times.  Opening the library for writing
 * again (a command, or in this process) must leave no partial copy, no
 * file that nothing refers to, and every item's file present under its
 * hash.  An import running in another process keeps its files.  The PDF
 * helper dies with a killed import. */
#define G_LOG_DOMAIN "GongkaiTestImportKill"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "gk-fault-proxy.h"
#include "gk-fixtures.h"
#include "gk-store.h"
#include "gk-util.h"

typedef struct
{
  char *dir;
  char *pdfs;
  char *library;
  guint n_pdfs;
} Fixture;

static void
run_ctl_sync (Fixture    *f,
              int         expected_status,
              char      **out,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *stdout_text = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("GONGKAI_CTL"));
  g_ptr_array_add (argv, "--library");
  g_ptr_array_add (argv, f->library);
  g_ptr_array_add (argv, "--as");
  g_ptr_array_add (argv, "admin");
  va_start (args, out);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (g_subprocess_get_exit_status (process) != expected_status)
    g_error ("gongkai-ctl %s: exit %d, not %d: %s%s", (char *) argv->pdata[5],
             g_subprocess_get_exit_status (process), expected_status, stdout_text, err);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;

  f->dir = g_dir_make_tmp ("gk-import-kill-XXXXXX", &error);
  g_assert_no_error (error);
  f->pdfs = g_build_filename (f->dir, "公文", NULL);
  f->library = g_build_filename (f->dir, "library", NULL);
  g_assert_true (gk_fixture_write_corpus (f->pdfs, &error));
  g_assert_no_error (error);
  dir = g_dir_open (f->pdfs, 0, &error);
  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    f->n_pdfs++;
  run_ctl_sync (f, 0, NULL, "init", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->pdfs);
  g_free (f->library);
}

static GSubprocess *
spawn_import (Fixture    *f,
              const char *stop_at,
              const char *helper,
              const char *path)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  if (stop_at != NULL)
    g_subprocess_launcher_setenv (launcher, "GONGKAI_TEST_STOP_AT", stop_at, TRUE);
  if (helper != NULL)
    g_subprocess_launcher_setenv (launcher, "GONGKAI_EXTRACT_HELPER", helper, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("GONGKAI_CTL"),
                                         "--library", f->library, "--as", "admin",
                                         "import", "--jobs", "2", path ? path : f->pdfs, NULL);
  g_assert_no_error (error);
  return process;
}

static void
pump_ms (guint ms)
{
  gboolean never = FALSE;

  gk_test_pump_until (&never, ms);
}

static char
process_state (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (process));
  g_autofree char *text = NULL;
  const char *end;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (end = strrchr (text, ')')) == NULL)
    return '?';
  return end[1] == ' ' ? end[2] : '?';
}

/* Until the import stopped itself at its stop point. */
static void
wait_stopped (GSubprocess *process)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (process_state (process) != 'T')
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      pump_ms (2);
    }
}

typedef struct
{
  gboolean done;
} ExitWait;

static void
on_exited_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ExitWait *wait = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  wait->done = TRUE;
}

static void
wait_exit (GSubprocess *process)
{
  ExitWait wait = { 0 };

  g_subprocess_wait_async (process, NULL, on_exited_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 60000));
}

/* SIGKILL; TRUE if that is what ended it (it may have finished first). */
static gboolean
kill_import (GSubprocess *process)
{
  g_subprocess_force_exit (process);
  wait_exit (process);
  return g_subprocess_get_if_signaled (process) && g_subprocess_get_term_sig (process) == SIGKILL;
}

/* What is in files/, read without opening the library (which would clean
 * it): partial copies, and files under a hash name that no item refers
 * to. */
static void
count_leftovers (Fixture *f,
                 guint   *n_partial,
                 guint   *n_unreferenced)
{
  g_autofree char *db_path = g_build_filename (f->library, "library.db", NULL);
  g_autofree char *files = g_build_filename (f->library, "files", NULL);
  g_autoptr(GHashTable) items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) top = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *prefix;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT file_sha256 FROM items", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (items, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  *n_partial = *n_unreferenced = 0;
  top = g_dir_open (files, 0, NULL);
  g_assert_nonnull (top);
  while ((prefix = g_dir_read_name (top)) != NULL)
    {
      g_autofree char *sub_path = g_build_filename (files, prefix, NULL);
      g_autoptr(GDir) sub = NULL;
      const char *name;

      if (!g_file_test (sub_path, G_FILE_TEST_IS_DIR))
        continue;
      sub = g_dir_open (sub_path, 0, NULL);
      while (sub != NULL && (name = g_dir_read_name (sub)) != NULL)
        {
          if (g_str_has_prefix (name, ".incoming-"))
            (*n_partial)++;
          else if (!g_hash_table_contains (items, name))
            (*n_unreferenced)++;
        }
    }
}

/* Open the library in this process (which cleans) and check it: nothing
 * left over, every item's file there and matching its hash, the audit
 * intact. */
static void
assert_library_sound (Fixture *f,
                      guint   *n_items)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkStore) store = gk_store_open (f->library, FALSE, &error);
  g_autoptr(GPtrArray) items = NULL;
  GkQuery query = { 0 };
  guint n_partial, n_unreferenced;

  g_assert_no_error (error);
  count_leftovers (f, &n_partial, &n_unreferenced);
  g_assert_cmpuint (n_partial, ==, 0);
  g_assert_cmpuint (n_unreferenced, ==, 0);

  items = gk_store_query (store, &query, 0, 1000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      GkItem *item = g_ptr_array_index (items, i);
      g_autofree char *path = gk_store_get_file_path (store, item->file_sha256);
      g_autofree char *actual = gk_sha256_file (path, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (actual, ==, item->file_sha256);
    }
  g_assert_true (gk_store_audit_verify (store, NULL, NULL, &error));
  g_assert_no_error (error);
  if (n_items != NULL)
    *n_items = items->len;
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

/* Killed while a copy is being written: the partial copy goes at the
 * next opening, and audit verify says so. */
static void
test_kill_while_copying (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GSubprocess) import = spawn_import (f, "store-copying", NULL, NULL);
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) report = NULL;
  JsonObject *cleaned;
  JsonArray *removed;
  guint n_partial, n_unreferenced, n_items;

  wait_stopped (import);
  g_assert_true (kill_import (import));
  count_leftovers (f, &n_partial, &n_unreferenced);
  g_assert_cmpuint (n_partial, >=, 1);

  run_ctl_sync (f, 0, &out, "--json", "audit", "verify", NULL);
  report = parse_object (out);
  g_assert_true (json_object_get_boolean_member (report, "ok"));
  cleaned = json_object_get_object_member (report, "cleaned");
  g_assert_cmpint (json_object_get_int_member (cleaned, "partial_copies"), ==, n_partial);
  g_assert_cmpint (json_object_get_int_member (cleaned, "unreferenced_files"), ==, n_unreferenced);
  g_assert_false (json_object_get_boolean_member (cleaned, "skipped"));
  removed = json_object_get_array_member (cleaned, "removed");
  g_assert_cmpuint (json_array_get_length (removed), ==, n_partial + n_unreferenced);
  for (guint i = 0; i < json_array_get_length (removed); i++)
    {
      const char *path = json_array_get_string_element (removed, i);
      g_autofree char *full = g_build_filename (f->library, path, NULL);

      g_assert_true (g_str_has_prefix (path, "files/"));
      g_assert_false (g_file_test (full, G_FILE_TEST_EXISTS));
    }
  assert_library_sound (f, &n_items);

  /* The import goes on where it stopped. */
  {
    g_autoptr(GSubprocess) again = spawn_import (f, NULL, NULL, NULL);

    wait_exit (again);
    g_assert_true (g_subprocess_get_if_exited (again));
    g_assert_cmpint (g_subprocess_get_exit_status (again), ==, 0);
  }
  assert_library_sound (f, &n_items);
  g_assert_cmpuint (n_items, ==, f->n_pdfs);
}

/* Killed between storing a file and committing its item: the file that
 * nothing refers to goes at the next opening by any command. */
static void
test_kill_before_commit (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GSubprocess) import = spawn_import (f, "store-stored", NULL, NULL);
  g_autofree char *out = NULL;
  guint n_partial, n_unreferenced;

  wait_stopped (import);
  g_assert_true (kill_import (import));
  count_leftovers (f, &n_partial, &n_unreferenced);
  g_assert_cmpuint (n_unreferenced, >=, 1);

  /* A write command opens the library: that cleans it. */
  run_ctl_sync (f, 0, &out, "member", "add", "newcomer", "--role", "drafter", NULL);
  count_leftovers (f, &n_partial, &n_unreferenced);
  g_assert_cmpuint (n_partial, ==, 0);
  g_assert_cmpuint (n_unreferenced, ==, 0);

  /* And the audit log says what went. */
  g_clear_pointer (&out, g_free);
  run_ctl_sync (f, 0, &out, "--json", "audit", "log", NULL);
  {
    g_autoptr(JsonObject) log = parse_object (out);
    JsonArray *entries = json_object_get_array_member (log, "entries");
    guint n_maintenance = 0;

    for (guint i = 0; i < json_array_get_length (entries); i++)
      {
        JsonObject *entry = json_array_get_object_element (entries, i);

        if (g_strcmp0 (json_object_get_string_member (entry, "action"), "maintenance") == 0)
          n_maintenance++;
      }
    g_assert_cmpuint (n_maintenance, ==, 1);
  }
  assert_library_sound (f, NULL);
}

/* Killed at staggered moments through a whole import (hashing,
 * extraction, copying, committing), opened again after each kill. */
static void
test_kill_at_many_moments (Fixture       *f,
                           gconstpointer  data)
{
  guint n_kills = 0, n_left_partial = 0, n_left_unreferenced = 0, n_items = 0;

  for (guint round = 0; round < 24; round++)
    {
      g_autoptr(GSubprocess) import = spawn_import (f, NULL, NULL, NULL);
      guint n_partial, n_unreferenced;

      /* Between 10 ms and about a second after the start, in steps that
       * do not repeat, so that the kills fall on every phase of the files
       * in flight (hashing, extraction, copying, committing). */
      pump_ms (10 + (round * 97) % 900);
      if (!kill_import (import))
        {
          /* It finished first: the import was whole; start another. */
          g_assert_true (g_subprocess_get_if_exited (import));
          g_assert_cmpint (g_subprocess_get_exit_status (import), ==, 0);
          assert_library_sound (f, &n_items);
          g_assert_cmpuint (n_items, ==, f->n_pdfs);
          gk_test_remove_tree (f->library);
          run_ctl_sync (f, 0, NULL, "init", NULL);
          continue;
        }
      n_kills++;
      count_leftovers (f, &n_partial, &n_unreferenced);
      if (n_partial > 0)
        n_left_partial++;
      if (n_unreferenced > 0)
        n_left_unreferenced++;

      /* Opened again, alternately by a command and in this process. */
      if (round % 2 == 0)
        run_ctl_sync (f, 0, NULL, "audit", "verify", NULL);
      assert_library_sound (f, NULL);
    }
  g_test_message ("%u kills: %u left partial copies, %u left unreferenced files; all removed",
                  n_kills, n_left_partial, n_left_unreferenced);
  g_assert_cmpuint (n_kills, >, 0);

  {
    g_autoptr(GSubprocess) last = spawn_import (f, NULL, NULL, NULL);

    wait_exit (last);
    g_assert_true (g_subprocess_get_if_exited (last));
    g_assert_cmpint (g_subprocess_get_exit_status (last), ==, 0);
  }
  assert_library_sound (f, &n_items);
  g_assert_cmpuint (n_items, ==, f->n_pdfs);
}

/* An import stopped between copy and commit in another process holds its
 * files: opening the library meanwhile removes nothing, and the import
 * then finishes with every file in place. */
static void
test_live_import_keeps_its_files (Fixture       *f,
                                  gconstpointer  data)
{
  const char *const moments[] = { "store-copying", "store-stored" };

  for (guint m = 0; m < G_N_ELEMENTS (moments); m++)
    {
      g_autoptr(GSubprocess) import = spawn_import (f, moments[m], NULL, NULL);
      g_autoptr(GError) error = NULL;
      guint n_partial, n_unreferenced, n_partial_after, n_unreferenced_after, n_items;

      wait_stopped (import);
      count_leftovers (f, &n_partial, &n_unreferenced);
      g_assert_cmpuint (n_partial + n_unreferenced, >=, 1);

      {
        g_autoptr(GkStore) store = gk_store_open (f->library, FALSE, &error);
        const GkStoreCleanup *cleanup;

        g_assert_no_error (error);
        cleanup = gk_store_get_cleanup (store);
        g_assert_true (cleanup->skipped);
        g_assert_cmpuint (cleanup->n_partial + cleanup->n_unreferenced, ==, 0);
      }
      run_ctl_sync (f, 0, NULL, "audit", "verify", NULL);
      count_leftovers (f, &n_partial_after, &n_unreferenced_after);
      g_assert_cmpuint (n_partial_after, ==, n_partial);
      g_assert_cmpuint (n_unreferenced_after, ==, n_unreferenced);

      g_assert_cmpint (kill (atoi (g_subprocess_get_identifier (import)), SIGCONT), ==, 0);
      wait_exit (import);
      g_assert_true (g_subprocess_get_if_exited (import));
      g_assert_cmpint (g_subprocess_get_exit_status (import), ==, 0);
      assert_library_sound (f, &n_items);
      g_assert_cmpuint (n_items, ==, f->n_pdfs);

      /* Again from nothing for the next moment. */
      gk_test_remove_tree (f->library);
      run_ctl_sync (f, 0, NULL, "init", NULL);
    }
}

/* The helper reading a PDF dies with the import that started it: here a
 * helper that hangs, and an import killed while it waits for it.  This
 * process adopts orphans (a subreaper), so it sees the helper end. */
static void
test_helper_dies_with_parent (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *helper = g_build_filename (f->dir, "hanging-extract", NULL);
  g_autofree char *pid_file = g_build_filename (f->dir, "helper.pid", NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\necho $$ > '%s.tmp'\nmv '%s.tmp' '%s'\nexec sleep 300\n",
                                             pid_file, pid_file, pid_file);
  g_autofree char *one = NULL;
  g_autoptr(GSubprocess) import = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  pid_t pid = 0;
  pid_t reaped = 0;
  int status = 0;

  {
    const GkFixtureDoc *docs = gk_fixture_corpus (NULL);
    one = g_build_filename (f->pdfs, docs[0].file_name, NULL);
  }
  g_assert_true (g_file_set_contents (helper, script, -1, &error));
  g_assert_cmpint (g_chmod (helper, 0755), ==, 0);

  import = spawn_import (f, NULL, helper, one);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!g_file_test (pid_file, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      pump_ms (5);
    }
  {
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (pid_file, &text, NULL, NULL));
    pid = (pid_t) atoi (text);
    g_assert_cmpint (pid, >, 1);
  }
  g_assert_true (kill_import (import));

  /* Gone within 10 s (at once, in fact). */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((reaped = waitpid (pid, &status, WNOHANG)) == 0 && g_get_monotonic_time () < deadline)
    pump_ms (5);
  if (reaped != pid)
    {
      /* Do not leave it behind, whatever the test says. */
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
    }
  g_assert_cmpint (reaped, ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/gongkai-test-bus", TRUE);
  /* Orphaned grandchildren (a helper whose import was killed) come to
   * this process, so that the test can wait for them. */
  prctl (PR_SET_CHILD_SUBREAPER, 1);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/import-kill/while-copying", Fixture, NULL, fixture_setup, test_kill_while_copying,
              fixture_teardown);
  g_test_add ("/import-kill/before-commit", Fixture, NULL, fixture_setup, test_kill_before_commit,
              fixture_teardown);
  g_test_add ("/import-kill/at-many-moments", Fixture, NULL, fixture_setup, test_kill_at_many_moments,
              fixture_teardown);
  g_test_add ("/import-kill/live-import-keeps-its-files", Fixture, NULL, fixture_setup,
              test_live_import_keeps_its_files, fixture_teardown);
  g_test_add ("/import-kill/helper-dies-with-parent", Fixture, NULL, fixture_setup,
              test_helper_dies_with_parent, fixture_teardown);

  return g_test_run ();
}
