/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The portal sync under every fault portal-api.md lists, injected by the
 * fault proxy in front of the real gongkai-portal: 500, 503 and 429 with
 * Retry-After, connection reset, timeout, a cut body, an HTML 502, a
 * change applied whose answer is lost, 401 (the batch stops), 412 after
 * an edit on the portal (conflict, then --resolve), the portal down,
 * a connection limit.  Each ends with the portal converged on the
 * approved records and nothing duplicated.  Then the token-leak check:
 * the token is nowhere in the library, its WAL, the files, the audit or
 * the command line's output. */
#define G_LOG_DOMAIN "GongkaiTestSyncFaults"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-fault-proxy.h"
#include "gk-sync-fixture.h"
#include "gk-portal-client.h"
#include "gk-store-async.h"
#include "gk-store-sync.h"
#include "gk-store.h"
#include "gk-sync.h"
#include "gk-util.h"
#include "gk-workflow.h"

#define TOKEN "faults-test-token-5d0e7b13aa"
#define TODAY "2025-06-02"

typedef GkSyncFixture Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  gk_sync_fixture_setup (f, TOKEN);
}

static void
ctl_argv (Fixture     *f,
          GkSyncRun   *r,
          const char  *user,
          const char **args)
{
  const char *a[8] = { NULL };

  for (guint i = 0; i < 7 && args[i] != NULL; i++)
    a[i] = args[i];
  gk_sync_fixture_ctl (f, r, user, a[0], a[1], a[2], a[3], a[4], a[5], a[6], NULL);
}


/* Three approved items, published through the faults, must end exactly
 * as without them. */
static GPtrArray *
make_batch (Fixture *f,
            guint    n)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("故障注入测试文件 %u", i + 1);
      g_ptr_array_add (ids, gk_sync_fixture_make_approved (f, title));
    }
  return ids;
}

static void
assert_converged (Fixture   *f,
                  GPtrArray *ids)
{
  g_autoptr(GPtrArray) listed = gk_sync_fixture_portal_list (f);

  g_assert_cmpuint (listed->len, ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, g_ptr_array_index (ids, i));

      g_assert_cmpint (item->state, ==, GK_STATE_PUBLISHED);
      gk_sync_fixture_assert_portal_has_approved (f, g_ptr_array_index (ids, i));
    }
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);
  g_assert_cmpuint (gk_fault_proxy_get_pending (f->proxy), ==, 0);
}

static void
assert_all (GkSyncReport  *report,
            GPtrArray     *ids,
            GkSyncOutcome  outcome)
{
  for (guint i = 0; i < ids->len; i++)
    gk_sync_fixture_assert_outcome (report, g_ptr_array_index (ids, i), outcome);
}

/* A fault on one path, then a normal batch: everything published once. */
static void
run_fault_case (Fixture    *f,
                const char *method,
                const char *path,
                GkFault     fault,
                guint       times,
                guint       param)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 3);
  g_autoptr(GkSyncReport) report = NULL;

  gk_fault_proxy_add_full (f->proxy, method, path, fault, times, param);
  report = gk_sync_fixture_run_sync (f);
  assert_all (report, ids, GK_SYNC_OUTCOME_PUBLISHED);
  g_assert_cmpint (gk_sync_report_exit_status (report), ==, 0);
  assert_converged (f, ids);
  /* Only what reached the portal counts: one document write per item,
   * plus those the fault let through before failing the answer. */
  if (fault == GK_FAULT_TRUNCATE || fault == GK_FAULT_FORWARD_DROP)
    g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/documents/"), <=, 3 + times);
  else
    g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/documents/"), ==, 3);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/files/"), <=, 3 + times);
}

static void
test_500 (Fixture *f, gconstpointer data)
{
  run_fault_case (f, "PUT", "/documents/", GK_FAULT_500, 2, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 5);
}

static void
test_html_502 (Fixture *f, gconstpointer data)
{
  run_fault_case (f, "PUT", "/documents/", GK_FAULT_502_HTML, 3, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 6);
}

static void
test_503_retry_after (Fixture *f, gconstpointer data)
{
  gint64 start = g_get_monotonic_time ();

  /* Retry-After: 1 (s), capped at 200 ms by the options: the retry waits
   * for it although the backoff alone would be 10 ms. */
  run_fault_case (f, "PUT", "/documents/", GK_FAULT_503, 1, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 200 * 1000);
}

static void
test_429_retry_after (Fixture *f, gconstpointer data)
{
  gint64 start = g_get_monotonic_time ();

  run_fault_case (f, "PUT", "/files/", GK_FAULT_429, 2, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 200 * 1000);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/files/"), ==, 3);
}

static void
test_reset (Fixture *f, gconstpointer data)
{
  gk_fault_proxy_add (f->proxy, "HEAD", "/files/", GK_FAULT_RESET, 2);
  run_fault_case (f, "PUT", "/documents/", GK_FAULT_RESET, 2, 0);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/files/"), ==, 3);
}

static void
test_timeout (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 3);
  g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
  g_autoptr(GkSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  gk_fault_proxy_add_full (f->proxy, "PUT", "/documents/", GK_FAULT_HANG, 2, 20000);
  options->response_timeout_ms = 300;
  report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  assert_all (report, ids, GK_SYNC_OUTCOME_PUBLISHED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  assert_converged (f, ids);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/documents/"), ==, 3);
}

static void
test_truncated (Fixture *f, gconstpointer data)
{
  run_fault_case (f, "PUT", "/documents/", GK_FAULT_TRUNCATE, 2, 0);
  /* The cut answers' changes were applied; the retries were answered 200
   * for the identical body: still one document each, published once. */
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/documents/"), ==, 5);
}

static void
test_dropped_response (Fixture *f, gconstpointer data)
{
  /* Every first publication is applied and its answer lost. */
  run_fault_case (f, "PUT", "/documents/", GK_FAULT_FORWARD_DROP, 3, 0);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/documents/"), ==, 6);
}

static void
test_dropped_file_and_delete (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 2);
  g_autoptr(GkSyncReport) first = NULL;
  g_autoptr(GkSyncReport) second = NULL;
  g_autoptr(GError) error = NULL;
  gboolean queued = FALSE;
  guint status = 0;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) doc = NULL;

  gk_fault_proxy_add (f->proxy, "PUT", "/files/", GK_FAULT_FORWARD_DROP, 1);
  gk_fault_proxy_add (f->proxy, "PUT", "/files/", GK_FAULT_TRUNCATE, 1);
  first = gk_sync_fixture_run_sync (f);
  assert_all (first, ids, GK_SYNC_OUTCOME_PUBLISHED);
  assert_converged (f, ids);

  g_assert_true (gk_sync_withdraw (f->store, "pat", g_ptr_array_index (ids, 0), "撤回", &queued, &error));
  g_assert_true (queued);
  gk_fault_proxy_add (f->proxy, "DELETE", "/documents/", GK_FAULT_FORWARD_DROP, 1);
  gk_fault_proxy_add (f->proxy, "DELETE", "/documents/", GK_FAULT_500, 1);
  second = gk_sync_fixture_run_sync (f);
  gk_sync_fixture_assert_outcome (second, g_ptr_array_index (ids, 0), GK_SYNC_OUTCOME_WITHDRAWN);
  path = g_strconcat ("/documents/", (char *) g_ptr_array_index (ids, 0), NULL);
  doc = gk_sync_fixture_portal_get (f, path, &status);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (doc), "status"), ==, "withdrawn");
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "DELETE", "/documents/"), ==, 3);
}

static void
on_async_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
wait_tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* A bounded main-loop pump until the result is there. */
static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (20, wait_tick_cb, NULL);

  while (*slot == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_nonnull (*slot);
  return *slot;
}

/* The window's withdrawal and its published list, through the store
 * service: recorded on the writer thread, refused with the store's
 * error, and each row's pending state in one read, in order. */
static void
test_withdraw_async (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 2);
  g_autoptr(GkSyncReport) first = gk_sync_fixture_run_sync (f);
  g_autoptr(GAsyncResult) refused = NULL;
  g_autoptr(GAsyncResult) recorded = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  g_autoptr(GPtrArray) states = NULL;
  g_autoptr(GError) error = NULL;
  const char *both[] = { g_ptr_array_index (ids, 1), g_ptr_array_index (ids, 0), NULL };
  gboolean queued = FALSE;
  GkWithdrawalState *state;

  assert_all (first, ids, GK_SYNC_OUTCOME_PUBLISHED);

  gk_sync_withdraw_async (f->store, "nobody", g_ptr_array_index (ids, 0), "撤回", NULL,
                          on_async_done_cb, &refused);
  g_assert_false (gk_sync_withdraw_finish (f->store, wait_result (&refused), &queued, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);

  gk_sync_withdraw_async (f->store, "pat", g_ptr_array_index (ids, 0), "撤回", NULL,
                          on_async_done_cb, &recorded);
  g_assert_true (gk_sync_withdraw_finish (f->store, wait_result (&recorded), &queued, &error));
  g_assert_no_error (error);
  g_assert_true (queued);
  g_assert_true (gk_sync_withdrawal_pending (f->store, g_ptr_array_index (ids, 0), NULL));

  gk_sync_withdrawals_pending_async (f->store, both, NULL, on_async_done_cb, &read);
  states = gk_sync_withdrawals_pending_finish (f->store, wait_result (&read), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (states->len, ==, 2);
  state = g_ptr_array_index (states, 0);
  g_assert_cmpstr (state->id, ==, g_ptr_array_index (ids, 1));
  g_assert_false (state->pending);
  state = g_ptr_array_index (states, 1);
  g_assert_cmpstr (state->id, ==, g_ptr_array_index (ids, 0));
  g_assert_true (state->pending);
  g_assert_null (state->last_error);
}

static void
test_failed_after_n_tries (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 2);
  g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
  g_autoptr(GkSyncReport) failed = NULL;
  g_autoptr(GkSyncReport) recovered = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  gk_fault_proxy_add (f->proxy, "PUT", "/documents/", GK_FAULT_500, GK_FAULT_ALWAYS);
  options->max_attempts = 3;
  failed = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  assert_all (failed, ids, GK_SYNC_OUTCOME_FAILED);
  g_assert_cmpint (gk_sync_report_exit_status (failed), ==, 1);
  for (guint i = 0; i < ids->len; i++)
    {
      const GkSyncItemResult *result = gk_sync_fixture_find_result (failed, g_ptr_array_index (ids, i));

      g_assert_nonnull (strstr (result->message, "3 tries"));
      g_assert_nonnull (strstr (result->message, "HTTP 500"));
    }
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 6);

  /* Still in the outbox, with the last error. */
  jobs = gk_store_sync_list_jobs (f->store, TRUE, &error);
  g_assert_cmpuint (jobs->len, ==, 2);
  for (guint i = 0; i < jobs->len; i++)
    {
      GkSyncJob *job = g_ptr_array_index (jobs, i);

      g_assert_cmpint (job->attempts, ==, 1);
      g_assert_nonnull (strstr (job->last_error, "HTTP 500"));
    }

  gk_fault_proxy_clear (f->proxy);
  recovered = gk_sync_fixture_run_sync (f);
  assert_all (recovered, ids, GK_SYNC_OUTCOME_PUBLISHED);
  assert_converged (f, ids);
}

static void
test_portal_down (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 3);
  g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
  g_autoptr(GkSyncReport) down = NULL;
  g_autoptr(GkSyncReport) back = NULL;
  g_autoptr(GError) error = NULL;

  gk_test_portal_kill (f->portal);
  options->max_attempts = 2;
  down = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  assert_all (down, ids, GK_SYNC_OUTCOME_FAILED);
  g_assert_false (down->stopped);
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 3);

  g_assert_true (gk_test_portal_restart (f->portal, &error));
  g_assert_no_error (error);
  back = gk_sync_fixture_run_sync (f);
  assert_all (back, ids, GK_SYNC_OUTCOME_PUBLISHED);
  assert_converged (f, ids);
}

static void
test_connection_limit (Fixture *f, gconstpointer data)
{
  const char *args[] = { "--max-connections-per-token", "2", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GkSyncOptions) options = NULL;
  g_autoptr(GkSyncReport) report = NULL;

  /* A portal that answers 429 past two connections, a client with four. */
  g_clear_pointer (&f->proxy, gk_fault_proxy_free);
  g_clear_pointer (&f->portal, gk_test_portal_free);
  f->portal = gk_test_portal_start_full (TOKEN, args, &error);
  g_assert_no_error (error);
  f->proxy = gk_fault_proxy_new (gk_test_portal_get_base_url (f->portal), &error);
  g_assert_no_error (error);

  ids = make_batch (f, 8);
  options = gk_sync_fixture_sync_options (f, "pat");
  options->concurrency = 4;
  report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  assert_all (report, ids, GK_SYNC_OUTCOME_PUBLISHED);
  g_assert_cmpuint (gk_fault_proxy_get_max_in_flight (f->proxy), <=, 4);
  g_assert_cmpuint (gk_sync_report_count (report, GK_SYNC_OUTCOME_FAILED), ==, 0);

  /* The proxy's kept-alive connections count against the limit too:
   * a fresh proxy, so that the checks below can connect. */
  g_clear_pointer (&f->proxy, gk_fault_proxy_free);
  f->proxy = gk_fault_proxy_new (gk_test_portal_get_base_url (f->portal), &error);
  g_assert_no_error (error);
  assert_converged (f, ids);
}

static void
test_401_stops_the_batch (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 4);
  g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
  g_autoptr(GkSyncReport) stopped = NULL;
  g_autoptr(GkSyncReport) resumed = NULL;
  g_autoptr(GError) error = NULL;
  guint published;

  /* The second document write is refused: nothing more is sent. */
  gk_fault_proxy_add (f->proxy, "PUT", "/documents/", GK_FAULT_500, 1);
  gk_fault_proxy_add (f->proxy, "PUT", "/documents/", GK_FAULT_401, 1);
  options->concurrency = 1;
  stopped = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (stopped->stopped);
  g_assert_true (stopped->auth_refused);
  g_assert_nonnull (strstr (stopped->stop_message, "The portal refused the token"));
  g_assert_null (strstr (stopped->stop_message, TOKEN));
  g_assert_cmpint (gk_sync_report_exit_status (stopped), ==, 3);
  published = gk_sync_report_count (stopped, GK_SYNC_OUTCOME_PUBLISHED);
  g_assert_cmpuint (published, <=, 1);
  g_assert_cmpuint (gk_sync_report_count (stopped, GK_SYNC_OUTCOME_SKIPPED), ==, 4 - published);
  g_assert_cmpuint (gk_sync_report_count (stopped, GK_SYNC_OUTCOME_FAILED), ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 2 + published);
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 4 - published);

  /* The stop is audited, library-wide. */
  {
    g_autoptr(GPtrArray) log = gk_store_audit_log (f->store, NULL, &error);
    gboolean found = FALSE;

    for (guint i = 0; i < log->len; i++)
      {
        GkAuditEntry *entry = g_ptr_array_index (log, i);

        if (g_strcmp0 (entry->action, "sync") == 0 && entry->item_id == NULL &&
            strstr (entry->details, "\"outcome\":\"stopped\"") != NULL)
          found = TRUE;
      }
    g_assert_true (found);
  }

  resumed = gk_sync_fixture_run_sync (f);
  g_assert_false (resumed->stopped);
  assert_converged (f, ids);
}

static void
test_401_on_health (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 2);
  g_autoptr(GkSyncReport) stopped = NULL;

  gk_fault_proxy_add (f->proxy, "GET", "/health", GK_FAULT_401, 1);
  stopped = gk_sync_fixture_run_sync (f);
  g_assert_true (stopped->auth_refused);
  assert_all (stopped, ids, GK_SYNC_OUTCOME_SKIPPED);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", NULL), ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "HEAD", NULL), ==, 0);
}

/* PUT straight to the portal, as someone editing there would. */
static void
edit_on_portal (Fixture    *f,
                const char *id,
                const char *title)
{
  guint status = 0;
  g_autofree char *path = g_strconcat ("/documents/", id, NULL);
  g_autoptr(JsonNode) doc = gk_sync_fixture_portal_get (f, path, &status);
  JsonObject *record = json_node_get_object (doc);
  g_autofree char *body = NULL;

  json_object_remove_member (record, "etag");
  json_object_remove_member (record, "public_url");
  json_object_remove_member (record, "status");
  json_object_remove_member (record, "updated_at");
  json_object_set_string_member (record, "title", title);
  body = json_to_string (doc, FALSE);
  g_assert_cmpuint (gk_sync_fixture_portal_send (f, "PUT", path, "application/json", body), ==, 200);
}

static char *
portal_title (Fixture    *f,
              const char *id)
{
  guint status = 0;
  g_autofree char *path = g_strconcat ("/documents/", id, NULL);
  g_autoptr(JsonNode) doc = gk_sync_fixture_portal_get (f, path, &status);

  return g_strdup (json_object_get_string_member (json_node_get_object (doc), "title"));
}

static GkSyncItemResult *
resolve (Fixture          *f,
         const char       *actor,
         const char       *id,
         GkSyncResolution  resolution,
         GError          **error)
{
  g_autoptr(GkSync) sync = gk_sync_new (f->store);
  g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, actor);
  GkSyncWait wait = { 0 };
  GkSyncItemResult *result;

  gk_sync_resolve_async (sync, options, id, resolution, NULL, gk_sync_fixture_on_done_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 30000));
  result = gk_sync_resolve_finish (sync, wait.result, error);
  g_object_unref (wait.result);
  return result;
}

static void
test_412_after_portal_edit (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 2);
  const char *overwrite = g_ptr_array_index (ids, 0);
  const char *keep = g_ptr_array_index (ids, 1);
  g_autoptr(GkSyncReport) first = NULL;
  g_autoptr(GkSyncReport) conflict = NULL;
  g_autoptr(GkSyncReport) still = NULL;
  g_autoptr(GkSyncReport) after = NULL;
  g_autoptr(GkSyncItemResult) result = NULL;
  g_autoptr(GError) error = NULL;

  first = gk_sync_fixture_run_sync (f);
  assert_all (first, ids, GK_SYNC_OUTCOME_PUBLISHED);

  /* Someone edits both on the portal; here both get a new revision. */
  edit_on_portal (f, overwrite, "门户上改过的标题一");
  edit_on_portal (f, keep, "门户上改过的标题二");
  for (guint i = 0; i < ids->len; i++)
    {
      gk_sync_fixture_edit_field (f, g_ptr_array_index (ids, i), "summary", "本地新修订");
      gk_sync_fixture_approve (f, g_ptr_array_index (ids, i));
    }

  conflict = gk_sync_fixture_run_sync (f);
  assert_all (conflict, ids, GK_SYNC_OUTCOME_CONFLICT);
  g_assert_cmpint (gk_sync_report_exit_status (conflict), ==, 1);
  /* The core states the conflict in neutral words; the command line
   * adds how to decide, naming its command and the item. */
  g_assert_nonnull (strstr (gk_sync_fixture_find_result (conflict, keep)->message, "must decide"));
  g_assert_null (strstr (gk_sync_fixture_find_result (conflict, keep)->message, "gongkai-ctl"));
  {
    g_auto (GkSyncRun) r = { 0 };
    g_autofree char *hint =
        g_strdup_printf ("“gongkai-ctl sync --resolve %s keep-portal|overwrite”", keep);

    gk_sync_fixture_ctl (f, &r, "pat", "sync", "--dry-run", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.out, "--resolve"));
    g_assert_nonnull (strstr (r.out, hint));
  }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, g_ptr_array_index (ids, i));

      g_assert_true (item->flags & GK_ITEM_FLAG_CONFLICT);
      g_assert_cmpint (item->state, ==, GK_STATE_APPROVED);
    }
  /* Never overwritten silently. */
  {
    g_autofree char *t1 = portal_title (f, overwrite);
    g_autofree char *t2 = portal_title (f, keep);

    g_assert_cmpstr (t1, ==, "门户上改过的标题一");
    g_assert_cmpstr (t2, ==, "门户上改过的标题二");
  }

  /* The next sync does not try again: the conflict waits for a person. */
  gk_fault_proxy_reset_counts (f->proxy);
  still = gk_sync_fixture_run_sync (f);
  assert_all (still, ids, GK_SYNC_OUTCOME_CONFLICT);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", NULL), ==, 0);

  /* Only an admin decides. */
  result = resolve (f, "pat", overwrite, GK_SYNC_RESOLVE_OVERWRITE, &error);
  g_assert_null (result);
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);

  /* overwrite: the approved record replaces the portal's copy. */
  result = resolve (f, "admin", overwrite, GK_SYNC_RESOLVE_OVERWRITE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, GK_SYNC_OUTCOME_UPDATED);
  g_clear_pointer (&result, gk_sync_item_result_free);
  gk_sync_fixture_assert_portal_has_approved (f, overwrite);
  {
    g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, overwrite);

    g_assert_false (item->flags & GK_ITEM_FLAG_CONFLICT);
    g_assert_cmpint (item->state, ==, GK_STATE_PUBLISHED);
  }

  /* keep-portal: the portal's copy stays, its ETag is recorded. */
  result = resolve (f, "admin", keep, GK_SYNC_RESOLVE_KEEP_PORTAL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, GK_SYNC_OUTCOME_SKIPPED);
  g_clear_pointer (&result, gk_sync_item_result_free);
  {
    g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, keep);
    g_autoptr(GkPortalState) state = gk_store_sync_get_portal_state (f->store, keep, &error);
    g_autofree char *title = portal_title (f, keep);
    guint status = 0;
    g_autofree char *path = g_strconcat ("/documents/", keep, NULL);
    g_autoptr(JsonNode) doc = gk_sync_fixture_portal_get (f, path, &status);

    g_assert_false (item->flags & GK_ITEM_FLAG_CONFLICT);
    g_assert_cmpstr (title, ==, "门户上改过的标题二");
    g_assert_cmpstr (state->etag, ==, json_object_get_string_member (json_node_get_object (doc), "etag"));
  }
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);

  /* Both decisions are audited. */
  {
    g_autoptr(GPtrArray) log = gk_store_audit_log (f->store, keep, &error);
    gboolean found = FALSE;

    for (guint i = 0; i < log->len; i++)
      {
        GkAuditEntry *entry = g_ptr_array_index (log, i);

        if (g_strcmp0 (entry->action, "sync-resolve") == 0 && strstr (entry->details, "keep-portal"))
          {
            g_assert_cmpstr (entry->actor, ==, "admin");
            found = TRUE;
          }
      }
    g_assert_true (found);
  }

  /* Nothing left to send; the kept copy is not overwritten later. */
  gk_fault_proxy_reset_counts (f->proxy);
  after = gk_sync_fixture_run_sync (f);
  g_assert_cmpuint (after->results->len, ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", NULL), ==, 0);
}

/* An answer lost, then the item changed before the retry: the new job's
 * 412 is the portal holding our own older body, not someone's edit. */
static void
test_lost_answer_then_new_revision (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 1);
  const char *id = g_ptr_array_index (ids, 0);
  g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
  g_autoptr(GkSyncReport) lost = NULL;
  g_autoptr(GkSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;

  /* (Always: libsoup itself sends a request again, once, when a kept-alive
   * connection closes under it.) */
  gk_fault_proxy_add (f->proxy, "PUT", "/documents/", GK_FAULT_FORWARD_DROP, GK_FAULT_ALWAYS);
  options->max_attempts = 1;
  lost = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  gk_sync_fixture_assert_outcome (lost, id, GK_SYNC_OUTCOME_FAILED);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/documents/"), >=, 1);
  gk_fault_proxy_clear (f->proxy);

  gk_sync_fixture_edit_field (f, id, "summary", "第二版");
  gk_sync_fixture_approve (f, id);
  gk_fault_proxy_reset_counts (f->proxy);
  report = gk_sync_fixture_run_sync (f);
  gk_sync_fixture_assert_outcome (report, id, GK_SYNC_OUTCOME_PUBLISHED);
  /* If-None-Match: * → 412, GET: our own first body → If-Match → 200. */
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 2);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "GET", "/documents/"), ==, 1);
  assert_converged (f, ids);
  {
    g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, id);

    g_assert_false (item->flags & GK_ITEM_FLAG_CONFLICT);
    g_assert_cmpint (item->revision, ==, 2);
  }
}

/* ---- the token never lands anywhere ---- */

/* Something the item's file upload waits on: once the proxy holds the
 * first file request, the callback runs (on the test's main loop, while
 * the sync waits for the answer). */
typedef struct
{
  Fixture   *f;
  const char *id;
  gboolean   withdraw;  /* else: make it withheld */
  gboolean   done;
} DuringUpload;

static gboolean
during_upload_cb (gpointer user_data)
{
  DuringUpload *d = user_data;
  g_autoptr(GError) error = NULL;

  if (gk_fault_proxy_count (d->f->proxy, "HEAD", "/files/") == 0)
    return G_SOURCE_CONTINUE;
  if (d->withdraw)
    {
      gboolean queued = FALSE;

      g_assert_true (gk_sync_withdraw (d->f->store, "pat", d->id, "发布前撤回", &queued, &error));
      g_assert_no_error (error);
      g_assert_true (queued);
    }
  else
    {
      gk_sync_fixture_edit_field (d->f, d->id, "disclosure", "withheld");
      gk_sync_fixture_edit_field (d->f, d->id, "disclosure_ground", gk_item_withheld_grounds ()[0]);
    }
  d->done = TRUE;
  return G_SOURCE_REMOVE;
}

static guint
portal_status (Fixture    *f,
               const char *id)
{
  guint status = 0;
  g_autofree char *path = g_strconcat ("/documents/", id, NULL);
  g_autoptr(JsonNode) doc = gk_sync_fixture_portal_get (f, path, &status);

  return status;
}

/* The gate again just before PUT /documents: the item made withheld
 * while its file was being uploaded is not sent. */
static void
test_regate_withheld_during_upload (Fixture *f, gconstpointer data)
{
  g_autofree char *id = gk_sync_fixture_make_approved (f, "上传期间改为不予公开");
  DuringUpload d = { f, id, FALSE, FALSE };
  g_autoptr(GkSyncReport) report = NULL;
  g_autoptr(GkSyncReport) again = NULL;
  const GkSyncItemResult *result;

  gk_fault_proxy_add_full (f->proxy, "HEAD", "/files/", GK_FAULT_DELAY, 1, 1500);
  g_timeout_add (10, during_upload_cb, &d);
  report = gk_sync_fixture_run_sync (f);
  g_assert_true (d.done);
  result = gk_sync_fixture_find_result (report, id);
  g_assert_nonnull (result);
  g_assert_cmpint (result->outcome, ==, GK_SYNC_OUTCOME_SKIPPED);
  g_assert_nonnull (strstr (result->message, "Not sent"));
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 0);
  g_assert_cmpuint (portal_status (f, id), ==, 404);
  {
    g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, id);

    g_assert_cmpint (item->state, !=, GK_STATE_PUBLISHED);
    g_assert_cmpstr (item->disclosure, ==, "withheld");
  }
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);

  /* And nothing later either. */
  gk_fault_proxy_reset_counts (f->proxy);
  again = gk_sync_fixture_run_sync (f);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 0);
  g_assert_cmpuint (portal_status (f, id), ==, 404);
}

/* A withdrawal queued while the file was being uploaded wins: the
 * publish is not sent, the next sync applies the withdrawal. */
static void
test_regate_withdrawn_during_upload (Fixture *f, gconstpointer data)
{
  g_autofree char *id = gk_sync_fixture_make_approved (f, "上传期间撤回");
  DuringUpload d = { f, id, TRUE, FALSE };
  g_autoptr(GkSyncReport) report = NULL;
  g_autoptr(GkSyncReport) again = NULL;
  const GkSyncItemResult *result;

  gk_fault_proxy_add_full (f->proxy, "HEAD", "/files/", GK_FAULT_DELAY, 1, 1500);
  g_timeout_add (10, during_upload_cb, &d);
  report = gk_sync_fixture_run_sync (f);
  g_assert_true (d.done);
  result = gk_sync_fixture_find_result (report, id);
  g_assert_nonnull (result);
  g_assert_cmpint (result->outcome, ==, GK_SYNC_OUTCOME_SKIPPED);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 0);
  g_assert_cmpuint (portal_status (f, id), ==, 404);
  {
    g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, id);
    g_autoptr(GkSyncJob) job = gk_store_sync_get_active_job (f->store, id, NULL);

    g_assert_cmpint (item->state, !=, GK_STATE_PUBLISHED);
    g_assert_nonnull (job);
    g_assert_cmpint (job->operation, ==, GK_SYNC_OP_WITHDRAW);
    g_assert_cmpint (job->state, ==, GK_SYNC_JOB_PENDING);
  }

  again = gk_sync_fixture_run_sync (f);
  gk_sync_fixture_assert_outcome (again, id, GK_SYNC_OUTCOME_WITHDRAWN);
  g_assert_cmpuint (portal_status (f, id), ==, 404);
  {
    g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, id);

    g_assert_cmpint (item->state, ==, GK_STATE_WITHDRAWN);
  }
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);
}

/* The store itself: an accepted PUT of a job that is no longer the
 * item's pending job, or of a revision that is no longer the item's,
 * does not mark the item published. */
static void
test_complete_publish_stale_job (Fixture *f, gconstpointer data)
{
  g_autofree char *withdrawn = gk_sync_fixture_make_approved (f, "完成时已撤回");
  g_autofree char *edited = gk_sync_fixture_make_approved (f, "完成时已修改");
  const char *ids[] = { withdrawn, edited };
  g_autoptr(GError) error = NULL;
  gint64 job_ids[2];

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *approved = NULL;
      g_autofree char *body = NULL;
      g_autoptr(GkSyncJob) job = NULL;
      gint64 revision = 0;
      GkSyncJobSpec spec = { 0 };

      approved = gk_workflow_get_approved_record (f->store, ids[i], &revision, NULL, &error);
      g_assert_no_error (error);
      body = gk_sync_build_body (approved, TODAY, &error);
      g_assert_no_error (error);
      spec.item_id = ids[i];
      spec.revision = revision;
      spec.operation = GK_SYNC_OP_PUBLISH;
      spec.body = body;
      g_assert_true (gk_store_sync_add_jobs (f->store, "pat", &spec, 1, &error));
      g_assert_no_error (error);
      job = gk_store_sync_get_active_job (f->store, ids[i], &error);
      g_assert_no_error (error);
      job_ids[i] = job->id;
    }

  {
    gboolean queued = FALSE;

    g_assert_true (gk_sync_withdraw (f->store, "pat", withdrawn, "撤回", &queued, &error));
    g_assert_no_error (error);
    g_assert_true (queued);
  }
  gk_sync_fixture_edit_field (f, edited, "summary", "发送期间的修改");

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GkItem) item = NULL;

      g_assert_false (gk_store_sync_complete_publish (f->store, "pat", job_ids[i], NULL, "\"e1\"",
                                                      NULL, TODAY, NULL, &error));
      g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
      g_clear_error (&error);
      item = gk_sync_fixture_get_item (f, ids[i]);
      g_assert_cmpint (item->state, !=, GK_STATE_PUBLISHED);
    }
  {
    g_autoptr(GkSyncJob) job = gk_store_sync_get_active_job (f->store, withdrawn, NULL);

    g_assert_cmpint (job->operation, ==, GK_SYNC_OP_WITHDRAW);
    g_assert_cmpint (job->state, ==, GK_SYNC_JOB_PENDING);
  }
}

/* A conflict, then a publisher withdraws: resolving may not drop the
 * withdrawal; the next sync applies it. */
static void
test_withdraw_during_conflict (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 1);
  const char *id = g_ptr_array_index (ids, 0);
  g_autoptr(GkSyncReport) first = NULL;
  g_autoptr(GkSyncReport) conflict = NULL;
  g_autoptr(GkSyncReport) after = NULL;
  g_autoptr(GkSyncItemResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean queued = FALSE;

  first = gk_sync_fixture_run_sync (f);
  gk_sync_fixture_assert_outcome (first, id, GK_SYNC_OUTCOME_PUBLISHED);
  edit_on_portal (f, id, "门户上改过的标题");
  gk_sync_fixture_edit_field (f, id, "summary", "新的摘要");
  gk_sync_fixture_approve (f, id);
  conflict = gk_sync_fixture_run_sync (f);
  gk_sync_fixture_assert_outcome (conflict, id, GK_SYNC_OUTCOME_CONFLICT);

  g_assert_true (gk_sync_withdraw (f->store, "pat", id, "误发，需撤回", &queued, &error));
  g_assert_no_error (error);
  g_assert_true (queued);
  {
    g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, id);

    /* The conflicting job is gone, and with it the conflict. */
    g_assert_false (item->flags & GK_ITEM_FLAG_CONFLICT);
  }

  for (guint i = 0; i < 2; i++)
    {
      GkSyncResolution resolution = i == 0 ? GK_SYNC_RESOLVE_OVERWRITE : GK_SYNC_RESOLVE_KEEP_PORTAL;

      result = resolve (f, "admin", id, resolution, &error);
      g_assert_null (result);
      g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
      g_assert_nonnull (strstr (error->message, "withdrawal"));
      g_clear_error (&error);
    }
  /* Nor does the store's keep-portal drop it. */
  g_assert_false (gk_store_sync_resolve_keep_portal (f->store, "admin", id, NULL, "\"x\"", NULL,
                                                     FALSE, 1, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
  g_clear_error (&error);
  {
    g_autoptr(GkSyncJob) job = gk_store_sync_get_active_job (f->store, id, NULL);

    g_assert_nonnull (job);
    g_assert_cmpint (job->operation, ==, GK_SYNC_OP_WITHDRAW);
    g_assert_cmpint (job->state, ==, GK_SYNC_JOB_PENDING);
  }
  {
    g_autofree char *title = portal_title (f, id);

    g_assert_cmpstr (title, ==, "门户上改过的标题");
  }

  after = gk_sync_fixture_run_sync (f);
  gk_sync_fixture_assert_outcome (after, id, GK_SYNC_OUTCOME_WITHDRAWN);
  {
    guint status = 0;
    g_autofree char *path = g_strconcat ("/documents/", id, NULL);
    g_autoptr(JsonNode) doc = gk_sync_fixture_portal_get (f, path, &status);
    g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, id);

    g_assert_true (status == 404 ||
                   g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (doc),
                                                                          "status", ""),
                              "withdrawn") == 0);
    g_assert_cmpint (item->state, ==, GK_STATE_WITHDRAWN);
  }
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);
}

/* keep-portal settles the revision that was in conflict, not a newer
 * approved one: that stays approved and goes out with the next sync. */
static void
test_keep_portal_newer_revision (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 1);
  const char *id = g_ptr_array_index (ids, 0);
  g_autoptr(GkSyncReport) first = NULL;
  g_autoptr(GkSyncReport) conflict = NULL;
  g_autoptr(GkSyncReport) after = NULL;
  g_autoptr(GkSyncItemResult) result = NULL;
  g_autoptr(GError) error = NULL;

  first = gk_sync_fixture_run_sync (f);
  gk_sync_fixture_assert_outcome (first, id, GK_SYNC_OUTCOME_PUBLISHED);
  edit_on_portal (f, id, "门户上改过的标题");
  gk_sync_fixture_edit_field (f, id, "summary", "第二版");
  gk_sync_fixture_approve (f, id);
  conflict = gk_sync_fixture_run_sync (f);
  gk_sync_fixture_assert_outcome (conflict, id, GK_SYNC_OUTCOME_CONFLICT);

  /* Revision 3 approved before anyone decides about revision 2. */
  gk_sync_fixture_edit_field (f, id, "summary", "第三版");
  gk_sync_fixture_approve (f, id);

  result = resolve (f, "admin", id, GK_SYNC_RESOLVE_KEEP_PORTAL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, GK_SYNC_OUTCOME_SKIPPED);
  {
    g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, id);

    g_assert_cmpint (item->revision, ==, 3);
    g_assert_cmpint (item->state, ==, GK_STATE_APPROVED);
    g_assert_false (item->flags & GK_ITEM_FLAG_CONFLICT);
  }

  after = gk_sync_fixture_run_sync (f);
  gk_sync_fixture_assert_outcome (after, id, GK_SYNC_OUTCOME_UPDATED);
  gk_sync_fixture_assert_portal_has_approved (f, id);
  {
    g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, id);

    g_assert_cmpint (item->state, ==, GK_STATE_PUBLISHED);
    g_assert_cmpint (item->revision, ==, 3);
  }
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);
}

static gboolean
contains_bytes (const char *haystack,
                gsize       len,
                const char *needle)
{
  return haystack != NULL && memmem (haystack, len, needle, strlen (needle)) != NULL;
}

static void
assert_tree_free_of (const char *path,
                     const char *needle,
                     guint      *n_files)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        assert_tree_free_of (child, needle, n_files);
      else
        {
          g_autofree char *contents = NULL;
          gsize len = 0;

          g_assert_true (g_file_get_contents (child, &contents, &len, NULL));
          if (contains_bytes (contents, len, needle))
            g_error ("the token is in %s", child);
          (*n_files)++;
        }
    }
}

static void
test_token_leak (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 3);
  g_autofree char *token_file = g_build_filename (f->dir, "token", NULL);
  g_autofree char *wrong_file = g_build_filename (f->dir, "wrong-token", NULL);
  const char *wrong = "wrong-but-secret-token-4242";
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint n_files = 0;

  g_assert_true (g_file_set_contents_full (token_file, TOKEN "\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  g_assert_true (g_file_set_contents_full (wrong_file, "wrong-but-secret-token-4242\n", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0644, NULL));
  g_assert_true (gk_store_set_setting (f->store, "admin", "portal_url",
                                       gk_fault_proxy_get_base_url (f->proxy), &error));

  /* In-process: failures, then success, then a refused token. */
  {
    g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
    g_autoptr(GkSyncReport) report = NULL;

    gk_fault_proxy_add (f->proxy, "PUT", "/documents/", GK_FAULT_500, GK_FAULT_ALWAYS);
    options->max_attempts = 2;
    report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (gk_sync_report_count (report, GK_SYNC_OUTCOME_FAILED), ==, 3);
    gk_fault_proxy_clear (f->proxy);
  }
  {
    g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
    g_autoptr(GkSyncReport) report = NULL;

    g_free (options->token);
    options->token = g_strdup (wrong);
    report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (report->auth_refused);
    g_assert_null (strstr (report->stop_message, wrong));
  }

  /* The command line: success, JSON, a refused token, a dead portal, the
   * token from the environment. */
  gk_sync_fixture_edit_field (f, g_ptr_array_index (ids, 0), "summary", "修订");
  gk_sync_fixture_approve (f, g_ptr_array_index (ids, 0));
  {
    const char *runs[][6] = {
      { "sync", "--token-file", NULL, NULL, NULL, NULL },
      { "--json", "sync", "--token-file", NULL, NULL, NULL },
      { "sync", "--check", "--token-file", NULL, NULL, NULL },
      { "sync", "--token-file", "WRONG", NULL, NULL, NULL },
      { "--json", "sync", "--token-file", "WRONG", NULL, NULL },
      { "sync", "--portal", "http://127.0.0.1:9/api/v1", "--token-file", NULL, NULL },
      { "sync", NULL, NULL, NULL, NULL, NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
      {
        g_auto(GkSyncRun) r = { 0 };
        const char *argv[8] = { NULL };
        guint n = 0;

        for (guint j = 0; j < 6 && runs[i][j] != NULL; j++)
          argv[n++] = g_strcmp0 (runs[i][j], "WRONG") == 0 ? wrong_file : runs[i][j];
        if (g_strcmp0 (argv[n - 1], "--token-file") == 0)
          argv[n++] = token_file;
        f->ctl_token = i == G_N_ELEMENTS (runs) - 1 ? TOKEN : NULL;
        ctl_argv (f, &r, "pat", argv);
        g_string_append (output, r.out);
        g_string_append (output, r.err);
      }
    f->ctl_token = NULL;
  }
  assert_converged (f, ids);

  g_assert_false (contains_bytes (output->str, output->len, TOKEN));
  g_assert_false (contains_bytes (output->str, output->len, wrong));
  g_assert_nonnull (strstr (output->str, "refused the token"));

  /* The library folder, every byte: library.db, its WAL, files/. */
  g_clear_object (&f->store);
  {
    g_autoptr(GkStore) reopened = NULL;
    g_autoptr(GPtrArray) log = NULL;

    assert_tree_free_of (f->library, TOKEN, &n_files);
    n_files = 0;
    assert_tree_free_of (f->library, wrong, &n_files);
    g_assert_cmpuint (n_files, >=, 4);

    reopened = gk_store_open (f->library, FALSE, &error);
    g_assert_no_error (error);
    log = gk_store_audit_log (reopened, NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < log->len; i++)
      {
        GkAuditEntry *entry = g_ptr_array_index (log, i);

        g_assert_null (strstr (entry->details, TOKEN));
        g_assert_null (strstr (entry->details, wrong));
      }
    f->store = g_steal_pointer (&reopened);
  }
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GONGKAI_TODAY", TODAY, TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/gongkai-test-bus", TRUE);
  g_unsetenv ("GONGKAI_PORTAL_TOKEN");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, gk_sync_fixture_teardown)
  ADD ("/sync-faults/500", test_500);
  ADD ("/sync-faults/502-html", test_html_502);
  ADD ("/sync-faults/503-retry-after", test_503_retry_after);
  ADD ("/sync-faults/429-retry-after", test_429_retry_after);
  ADD ("/sync-faults/connection-reset", test_reset);
  ADD ("/sync-faults/timeout", test_timeout);
  ADD ("/sync-faults/truncated-body", test_truncated);
  ADD ("/sync-faults/applied-answer-lost", test_dropped_response);
  ADD ("/sync-faults/file-and-delete-answers-lost", test_dropped_file_and_delete);
  ADD ("/sync-faults/withdraw-async", test_withdraw_async);
  ADD ("/sync-faults/failed-after-n-tries", test_failed_after_n_tries);
  ADD ("/sync-faults/portal-down", test_portal_down);
  ADD ("/sync-faults/connection-limit-429", test_connection_limit);
  ADD ("/sync-faults/401-stops-the-batch", test_401_stops_the_batch);
  ADD ("/sync-faults/401-on-health", test_401_on_health);
  ADD ("/sync-faults/412-after-portal-edit", test_412_after_portal_edit);
  ADD ("/sync-faults/lost-answer-then-new-revision", test_lost_answer_then_new_revision);
  ADD ("/sync-faults/regate-withheld-during-upload", test_regate_withheld_during_upload);
  ADD ("/sync-faults/regate-withdrawn-during-upload", test_regate_withdrawn_during_upload);
  ADD ("/sync-faults/complete-publish-stale-job", test_complete_publish_stale_job);
  ADD ("/sync-faults/withdraw-during-conflict", test_withdraw_during_conflict);
  ADD ("/sync-faults/keep-portal-newer-revision", test_keep_portal_newer_revision);
  ADD ("/sync-faults/token-leak", test_token_leak);
#undef ADD

  return g_test_run ();
}
