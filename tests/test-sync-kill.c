/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Crash safety of the sync: gongkai-ctl sync runs as a subprocess against
 * a slow portal (the fault proxy delays every document write), is killed
 * with SIGKILL in the middle of the batch, and is run again.  Every item
 * ends published exactly once, the portal holds exactly the approved
 * records, and the outbox is empty. */
#define G_LOG_DOMAIN "GongkaiTestSyncKill"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "gk-fault-proxy.h"
#include "gk-sync-fixture.h"
#include "gk-portal-client.h"
#include "gk-store-sync.h"
#include "gk-store.h"
#include "gk-sync.h"
#include "gk-util.h"
#include "gk-workflow.h"

#define TOKEN "kill-test-token-3c9b8e21f0"
#define TODAY "2025-06-02"
#define N_ITEMS 12
#define CONCURRENCY 3

typedef GkSyncFixture Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  gk_sync_fixture_setup (f, TOKEN);
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

static GSubprocess *
spawn_sync (Fixture    *f,
            const char *token_file)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GError) error = NULL;
  g_autofree char *concurrency = g_strdup_printf ("%d", CONCURRENCY);
  GSubprocess *process;

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  g_subprocess_launcher_setenv (launcher, "GONGKAI_SYNC_RETRY_BASE_MS", "10", TRUE);
  g_subprocess_launcher_setenv (launcher, "GONGKAI_SYNC_RETRY_MAX_MS", "50", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "GONGKAI_PORTAL_TOKEN");
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("GONGKAI_CTL"),
                                         "--library", f->library, "--as", "pat", "sync",
                                         "--portal", gk_fault_proxy_get_base_url (f->proxy),
                                         "--token-file", token_file, "--concurrency", concurrency, NULL);
  g_assert_no_error (error);
  return process;
}

static gboolean
on_poll_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static guint
count_audit (Fixture    *f,
             const char *id,
             const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = gk_store_audit_log (f->store, id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < log->len; i++)
    {
      GkAuditEntry *entry = g_ptr_array_index (log, i);

      if (g_strcmp0 (entry->action, "sync") == 0 && strstr (entry->details, needle) != NULL)
        n++;
    }
  return n;
}

static void
kill_and_resume (Fixture *f,
                 GkFault  fault,
                 guint    param,
                 guint    kill_after_forwarded)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *token_file = g_build_filename (f->dir, "token", NULL);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  ExitWait wait = { 0 };
  guint published_before = 0;
  gint64 deadline;

  g_assert_true (g_file_set_contents_full (token_file, TOKEN "\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  for (guint i = 0; i < N_ITEMS; i++)
    {
      g_autofree char *title = g_strdup_printf ("断电恢复测试 %02u", i + 1);
      g_ptr_array_add (ids, gk_sync_fixture_make_approved (f, title));
    }

  /* A slow portal; kill the batch once some documents went out. */
  gk_fault_proxy_add_full (f->proxy, "PUT", "/documents/", fault, GK_FAULT_ALWAYS, param);
  first = spawn_sync (f, token_file);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (gk_fault_proxy_count (f->proxy, "PUT", "/documents/") < kill_after_forwarded)
    {
      gboolean tick = FALSE;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_timeout_add (5, on_poll_cb, &tick);
      while (!tick)
        g_main_context_iteration (NULL, TRUE);
    }
  g_subprocess_force_exit (first);  /* SIGKILL */
  g_subprocess_wait_async (first, NULL, on_exited_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 10000));
  g_assert_true (g_subprocess_get_if_signaled (first));
  g_assert_cmpint (g_subprocess_get_term_sig (first), ==, SIGKILL);

  /* Killed mid-batch: some items went out, some did not, the rest is in
   * the outbox. */
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, g_ptr_array_index (ids, i));

      if (item->state == GK_STATE_PUBLISHED)
        published_before++;
    }
  g_assert_cmpuint (published_before, <, N_ITEMS);
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, N_ITEMS - published_before);

  /* Let whatever the proxy still holds reach the portal, then run again
   * with a healthy portal. */
  {
    gboolean never = FALSE;
    gk_test_pump_until (&never, 300);
  }
  gk_fault_proxy_clear (f->proxy);
  memset (&wait, 0, sizeof wait);
  second = spawn_sync (f, token_file);
  g_subprocess_wait_async (second, NULL, on_exited_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 30000));
  g_assert_true (g_subprocess_get_if_exited (second));
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 0);

  /* Every item published exactly once, the outbox empty. */
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);
  listed = gk_sync_fixture_portal_list (f);
  g_assert_cmpuint (listed->len, ==, N_ITEMS);
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, id);

      g_assert_cmpint (item->state, ==, GK_STATE_PUBLISHED);
      gk_sync_fixture_assert_portal_has_approved (f, id);
      g_assert_cmpuint (count_audit (f, id, "\"outcome\":\"published\""), ==, 1);
      g_assert_cmpuint (count_audit (f, id, "\"outcome\":\"updated\""), ==, 0);
      g_assert_cmpuint (count_audit (f, id, "\"queued\":"), ==, 1);
    }
  /* At most the writes in flight at the kill were sent twice (and the
   * portal answered those with 200: the same body). */
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/documents/"), <=, N_ITEMS + CONCURRENCY);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/files/"), <=, N_ITEMS + CONCURRENCY);
}

static void
test_kill_while_slow (Fixture       *f,
                      gconstpointer  data)
{
  /* Each document write waits 150 ms at the proxy, then reaches the portal. */
  kill_and_resume (f, GK_FAULT_DELAY, 150, 5);
}

static void
test_kill_while_answers_hang (Fixture       *f,
                              gconstpointer  data)
{
  /* The writes never come back: killed while every worker waits. */
  kill_and_resume (f, GK_FAULT_HANG, 20000, CONCURRENCY);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GONGKAI_TODAY", TODAY, TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/gongkai-test-bus", TRUE);
  g_unsetenv ("GONGKAI_PORTAL_TOKEN");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync-kill/sigkill-mid-batch", Fixture, NULL, fixture_setup, test_kill_while_slow,
              gk_sync_fixture_teardown);
  g_test_add ("/sync-kill/sigkill-while-answers-hang", Fixture, NULL, fixture_setup,
              test_kill_while_answers_hang, gk_sync_fixture_teardown);

  return g_test_run ();
}
