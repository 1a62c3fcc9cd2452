/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiTestStoreAsync"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "gk-store-async.h"
#include "gk-util.h"

/* The store as an asynchronous service (gk-store-async.h): results on
 * the caller's main context, writes in order on one thread, reads that
 * never wait for a write transaction, commits by other processes
 * announced, and the debug switch that catches synchronous calls on the
 * main thread.  Real library files in a temp folder, a real second
 * process. */

static const char *actor = "tester";

typedef struct
{
  char    *dir;
  GkStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("gk-store-async-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = gk_store_open (f->dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (gk_store_set_member (f->store, actor, actor, GK_ROLE_ADMIN | GK_ROLE_DRAFTER, &error));
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                                   NULL, NULL);
  GFileInfo *info;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gk_store_wait_writes (f->store);
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->dir);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Pump the thread-default context until expr, at most timeout_ms. */
#define WAIT_FOR(expr, timeout_ms)                                              \
  G_STMT_START {                                                                \
    GMainContext *ctx_ = g_main_context_get_thread_default ();                  \
    gint64 end_ = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000;       \
    GSource *t_ = g_timeout_source_new (10);                                    \
    g_source_set_callback (t_, tick_cb, NULL, NULL);                            \
    g_source_attach (t_, ctx_);                                                 \
    while (!(expr) && g_get_monotonic_time () < end_)                           \
      g_main_context_iteration (ctx_, TRUE);                                    \
    g_source_destroy (t_);                                                      \
    g_source_unref (t_);                                                        \
    g_assert_true (expr);                                                       \
  } G_STMT_END

static GkItem *
insert_item (GkStore    *store,
             const char *title)
{
  g_autoptr(GError) error = NULL;
  GkItem *item = gk_item_new ();

  g_assert_true (gk_item_set_field (item, "title", title, &error));
  g_assert_true (gk_store_insert_item (store, actor, item, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  return item;
}

/* Results */

typedef struct
{
  GThread  *thread;
  gboolean  done;
  GStrv     ids;
  GError   *error;
} Answer;

static void
on_ids_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Answer *answer = user_data;

  answer->thread = g_thread_self ();
  answer->ids = gk_store_query_ids_finish (GK_STORE (source), result, &answer->error);
  answer->done = TRUE;
}

typedef struct
{
  GkStore *store;
  Answer   answer;
} ThreadCall;

static gpointer
call_from_thread (gpointer data)
{
  ThreadCall *call = data;
  g_autoptr(GMainContext) context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  gk_store_query_ids_async (call->store, NULL, NULL, on_ids_cb, &call->answer);
  WAIT_FOR (call->answer.done, 10000);
  g_main_context_pop_thread_default (context);
  return g_thread_self ();
}

/* The callback runs on the main context of whoever called, there and
 * nowhere else. */
static void
test_results_on_caller_context (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GkItem) item = insert_item (f->store, "第一份");
  ThreadCall call = { f->store };
  Answer here = { 0 };
  GThread *thread;
  gpointer other;

  gk_store_query_ids_async (f->store, NULL, NULL, on_ids_cb, &here);
  /* Never at once: the query runs on a reader thread. */
  g_assert_false (here.done);
  WAIT_FOR (here.done, 10000);
  g_assert_no_error (here.error);
  g_assert_true (here.thread == g_thread_self ());
  g_assert_cmpuint (g_strv_length (here.ids), ==, 1);
  g_assert_cmpstr (here.ids[0], ==, item->id);
  g_strfreev (here.ids);

  thread = g_thread_new ("caller", call_from_thread, &call);
  other = g_thread_join (thread);
  g_assert_no_error (call.answer.error);
  g_assert_true (call.answer.thread == other);
  g_assert_cmpuint (g_strv_length (call.answer.ids), ==, 1);
  g_strfreev (call.answer.ids);
}

/* Writes */

typedef struct
{
  GArray *order;
  guint   n_done;
  guint   n_failed;
} Writes;

typedef struct
{
  Writes *writes;
  guint   index;
} WriteCall;

static void
on_setting_set_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autofree WriteCall *call = user_data;
  g_autoptr(GError) error = NULL;

  if (!gk_store_set_setting_finish (GK_STORE (source), result, &error))
    call->writes->n_failed++;
  g_array_append_val (call->writes->order, call->index);
  call->writes->n_done++;
}

/* Writes run one after the other in the order they were asked for, and
 * gk_store_wait_writes() returns when all have. */
static void
test_writes_in_order (Fixture       *f,
                      gconstpointer  data)
{
  Writes writes = { g_array_new (FALSE, FALSE, sizeof (guint)) };
  g_autofree char *value = NULL;
  const guint n = 30;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("机关%02u", i);
      WriteCall *call = g_new0 (WriteCall, 1);

      call->writes = &writes;
      call->index = i;
      gk_store_set_setting_async (f->store, actor, "agency_name", text, 0, NULL,
                                  on_setting_set_cb, call);
    }
  gk_store_wait_writes (f->store);
  value = gk_store_get_setting (f->store, "agency_name");
  g_assert_cmpstr (value, ==, "机关29");

  WAIT_FOR (writes.n_done == n, 10000);
  g_assert_cmpuint (writes.n_failed, ==, 0);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (g_array_index (writes.order, guint, i), ==, i);
  g_array_unref (writes.order);
}

static void
on_update_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;

  if (!gk_store_update_item_finish (GK_STORE (source), result, error) && *error == NULL)
    g_assert_not_reached ();
  if (*error == NULL)
    *error = g_error_new_literal (GK_ERROR, 0, "ok");
}

/* A refused write reaches the callback as the store's error; a good one
 * commits, with the confirmed fields audited. */
static void
test_write_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GkItem) item = insert_item (f->store, "待改的");
  g_autoptr(GkItem) edited = gk_item_copy (item);
  g_autoptr(GkItem) after = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  const char *confirmed[] = { "title", NULL };
  gboolean confirm_seen = FALSE;

  g_assert_true (gk_item_set_field (edited, "title", "改过的", &error));
  gk_store_update_item_async (f->store, "nobody", edited, NULL, NULL, on_update_cb, &error);
  WAIT_FOR (error != NULL, 10000);
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);

  gk_store_update_item_async (f->store, actor, edited, confirmed, NULL, on_update_cb, &error);
  WAIT_FOR (error != NULL, 10000);
  g_assert_cmpstr (error->message, ==, "ok");
  g_clear_error (&error);

  after = gk_store_get_item (f->store, item->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after->title, ==, "改过的");
  log = gk_store_audit_log (f->store, item->id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < log->len; i++)
    if (g_strcmp0 (((GkAuditEntry *) g_ptr_array_index (log, i))->action, "confirm") == 0)
      confirm_seen = TRUE;
  g_assert_true (confirm_seen);
}

/* Reads and writers */

/* Another process holds the library's write lock in an open
 * transaction (a gongkai-ctl import from cron, say): a query still
 * answers at once, from the last committed state.  The other process is
 * the sqlite3 shell, told when to commit through its stdin only after
 * our answer came (so a read that waited would time out here). */
static void
test_reads_do_not_wait_for_writers (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GkItem) item = insert_item (f->store, "已提交的");
  g_autofree char *db = g_build_filename (f->dir, "library.db", NULL);
  g_autoptr(GSubprocess) shell = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *input;
  const char *hold = "BEGIN IMMEDIATE;\n"
                     "INSERT INTO settings (key, value) VALUES ('agency_name', '别的进程');\n"
                     "SELECT 'holding';\n";
  Answer answer = { 0 };
  GDataInputStream *output;
  g_autofree char *line = NULL;

  if (g_find_program_in_path ("sqlite3") == NULL)
    {
      g_test_skip ("no sqlite3 shell");
      return;
    }
  shell = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                            &error, "sqlite3", db, NULL);
  g_assert_no_error (error);
  input = g_subprocess_get_stdin_pipe (shell);
  g_assert_true (g_output_stream_write_all (input, hold, strlen (hold), NULL, NULL, &error));
  g_assert_no_error (error);
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (shell));
  line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "holding");

  gk_store_query_ids_async (f->store, NULL, NULL, on_ids_cb, &answer);
  WAIT_FOR (answer.done, 3000);
  g_assert_no_error (answer.error);
  g_assert_cmpuint (g_strv_length (answer.ids), ==, 1);
  g_assert_cmpstr (answer.ids[0], ==, item->id);
  g_strfreev (answer.ids);

  g_assert_true (g_output_stream_write_all (input, "COMMIT;\n.quit\n", 14, NULL, NULL, &error));
  g_output_stream_close (input, NULL, NULL);
  g_assert_true (g_subprocess_wait_check (shell, NULL, &error));
  g_assert_no_error (error);
  g_object_unref (output);
}

/* Cancelling a query: the caller hears G_IO_ERROR_CANCELLED. */
static void
test_cancel_read (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Answer answer = { 0 };

  g_cancellable_cancel (cancellable);
  gk_store_query_ids_async (f->store, NULL, cancellable, on_ids_cb, &answer);
  WAIT_FOR (answer.done, 10000);
  g_assert_error (answer.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (answer.ids);
  g_clear_error (&answer.error);
}

/* Other processes */

static void
on_changed_cb (GkStore    *store,
               const char *item_id,
               gpointer    user_data)
{
  guint *n = user_data;

  (*n)++;
}

/* A gongkai-ctl process edits the library: the window's store hears it
 * on its main context, without anyone asking. */
static void
test_other_writers_announced (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GkItem) item = insert_item (f->store, "别的进程要改的");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) ctl = NULL;
  g_autoptr(GkItem) after = NULL;
  g_autofree char *assignment = g_strdup ("title=在命令行里改的");
  guint n_changed = 0;
  gulong handler;

  gk_store_watch_other_writers (f->store);
  handler = g_signal_connect (f->store, "items-changed", G_CALLBACK (on_changed_cb), &n_changed);
  /* Let the watch learn the current state: our own commits say nothing. */
  gk_store_wait_writes (f->store);
  {
    gint64 end = g_get_monotonic_time () + 300 * 1000;

    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpuint (n_changed, ==, 0);

  ctl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, g_getenv ("GONGKAI_CTL"),
                          "--library", f->dir, "--as", actor, "edit", item->id, assignment, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (ctl, NULL, &error));
  g_assert_no_error (error);

  WAIT_FOR (n_changed > 0, 5000);
  after = gk_store_get_item (f->store, item->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after->title, ==, "在命令行里改的");
  g_signal_handler_disconnect (f->store, handler);
}

/* The debug switch */

static void
call_sync_cb (gpointer data)
{
  Fixture *f = data;
  g_autofree char *value = gk_store_get_setting (f->store, "org_code");
}

static void
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
}

static void
test_debug_switch (Fixture       *f,
                   gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autofree char *value = NULL;

      gboolean done = FALSE;

      /* As the window: a handler dispatched by the default main context. */
      g_idle_add_once (call_sync_cb, f);
      g_idle_add_once (set_true_cb, &done);
      WAIT_FOR (done, 5000);
      return;
    }
  /* The child is a new process: it reads the switch afresh. */
  g_setenv ("GONGKAI_DEBUG_ASYNC_STORE", "1", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("GONGKAI_DEBUG_ASYNC_STORE");
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*Synchronous store call gk_store_get_setting*");
}

static void
test_debug_switch_allows_async (Fixture       *f,
                                gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      Answer answer = { 0 };
      g_autofree char *value = NULL;

      /* A test's own call from its body passes; the handlers' async
       * calls too. */
      value = gk_store_get_setting (f->store, "org_code");
      gk_store_query_ids_async (f->store, NULL, NULL, on_ids_cb, &answer);
      WAIT_FOR (answer.done, 10000);
      g_assert_no_error (answer.error);
      g_strfreev (answer.ids);
      return;
    }
  /* The child is a new process: it reads the switch afresh. */
  g_setenv ("GONGKAI_DEBUG_ASYNC_STORE", "1", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("GONGKAI_DEBUG_ASYNC_STORE");
  g_test_trap_assert_passed ();
}

/* The administration window's preview of the next 索引号: the first
 * serial number no document has, found in the background; nothing is
 * reserved by asking. */

typedef struct
{
  gboolean  done;
  char     *index_no;
  GError   *error;
} NextAnswer;

static void
on_next_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  NextAnswer *answer = user_data;

  answer->index_no = gk_store_next_index_no_finish (GK_STORE (source), result, &answer->error);
  answer->done = TRUE;
}

static char *
next_index_no (GkStore    *store,
               const char *template_text,
               GError    **error)
{
  NextAnswer answer = { 0 };

  gk_store_next_index_no_async (store, template_text, "11310000002421012Q", 2024, NULL,
                                on_next_cb, &answer);
  WAIT_FOR (answer.done, 10000);
  if (answer.error != NULL)
    g_propagate_error (error, answer.error);
  return answer.index_no;
}

static void
insert_numbered (GkStore *store,
                 gint64   seq)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *index_no = g_strdup_printf ("T/2024-%03" G_GINT64_FORMAT, seq);
  g_autofree char *title = g_strdup_printf ("第%" G_GINT64_FORMAT "份", seq);
  g_autoptr(GkItem) item = gk_item_new ();

  g_assert_true (gk_item_set_field (item, "title", title, &error));
  g_assert_true (gk_item_set_field (item, "index_no", index_no, &error));
  g_assert_true (gk_store_insert_item (store, actor, item, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (item->index_no, ==, index_no);
}

static void
test_next_index_no (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *after_run = NULL;
  g_autofree char *in_hole = NULL;
  g_autofree char *bad = NULL;

  first = next_index_no (f->store, "T/{year}-{seq:03}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "T/2024-001");
  /* Asking reserves nothing. */
  again = next_index_no (f->store, "T/{year}-{seq:03}", &error);
  g_assert_cmpstr (again, ==, "T/2024-001");

  for (gint64 seq = 1; seq <= 5; seq++)
    insert_numbered (f->store, seq);
  after_run = next_index_no (f->store, "T/{year}-{seq:03}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after_run, ==, "T/2024-006");

  /* 7 typed by hand: 6 is still the first free one. */
  insert_numbered (f->store, 7);
  in_hole = next_index_no (f->store, "T/{year}-{seq:03}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (in_hole, ==, "T/2024-006");

  bad = next_index_no (f->store, "T/{nonsense}", &error);
  g_assert_null (bad);
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store-async/results-on-caller-context", test_results_on_caller_context);
  ADD ("/store-async/writes-in-order", test_writes_in_order);
  ADD ("/store-async/write-errors", test_write_errors);
  ADD ("/store-async/reads-do-not-wait-for-writers", test_reads_do_not_wait_for_writers);
  ADD ("/store-async/cancel-read", test_cancel_read);
  ADD ("/store-async/other-writers-announced", test_other_writers_announced);
  ADD ("/store-async/debug-switch", test_debug_switch);
  ADD ("/store-async/debug-switch-allows-async", test_debug_switch_allows_async);
  ADD ("/store-async/next-index-no", test_next_index_no);
#undef ADD

  return g_test_run ();
}
