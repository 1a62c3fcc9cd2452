/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A portal that does not keep its contract, through the fault proxy in
 * front of the real gongkai-portal: answers that break portal-api.md
 * (wrong types, missing members, a javascript:, relative or ftp
 * public_url, a weak, missing or mismatched ETag, another id, a 2xx with
 * an HTML body, status codes a request cannot get) on every endpoint the
 * client uses; a portal that trickles its headers or its body, or never
 * answers, against the request and run deadlines; and a withdrawal sent
 * at once (or queued, said, and sent by the next sync). */
#define G_LOG_DOMAIN "GongkaiTestSyncHostile"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-fault-proxy.h"
#include "gk-store-sync.h"
#include "gk-sync-fixture.h"
#include "gk-sync.h"
#include "gk-util.h"
#include "gk-workflow.h"

#define TOKEN "hostile-test-token-3c9e21f0aa"
#define TODAY "2025-06-02"

typedef GkSyncFixture Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  gk_sync_fixture_setup (f, TOKEN);
}

/* "{id}" → id, "{url}" → a good public address of it. */
static char *
expand (const char *format,
        const char *id)
{
  g_autofree char *url = g_strdup_printf ("https://portal.example.gov.cn/docs/%s", id);
  g_auto(GStrv) parts = g_strsplit (format, "{id}", -1);
  g_autofree char *with_id = g_strjoinv (id, parts);
  g_auto(GStrv) url_parts = g_strsplit (with_id, "{url}", -1);

  return g_strjoinv (url, url_parts);
}

static char *
document_path (const char *id)
{
  return g_strconcat ("/documents/", id, NULL);
}

static void
assert_not_published (Fixture    *f,
                      const char *id)
{
  g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, id);
  g_autoptr(GkPortalState) state = gk_store_sync_get_portal_state (f->store, id, NULL);
  g_autoptr(GkSyncJob) job = gk_store_sync_get_active_job (f->store, id, NULL);

  g_assert_cmpint (item->state, ==, GK_STATE_APPROVED);
  g_assert_null (item->public_url);
  g_assert_null (state);
  /* Still in the outbox, for the next run. */
  g_assert_nonnull (job);
  g_assert_cmpint (job->state, ==, GK_SYNC_JOB_PENDING);
}

static void
assert_failed_naming (GkSyncReport *report,
                      const char   *id,
                      const char   *what)
{
  const GkSyncItemResult *result = gk_sync_fixture_find_result (report, id);

  gk_sync_fixture_assert_outcome (report, id, GK_SYNC_OUTCOME_FAILED);
  g_assert_null (result->public_url);
  if (strstr (result->message, "Failed after 2 tries") == NULL || strstr (result->message, what) == NULL)
    g_error ("%s: “%s” does not name “%s” after the retries", id, result->message, what);
}

static guint
http_status (const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

static void
set_setting (Fixture    *f,
             const char *key,
             const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_store_set_setting (f->store, "admin", key, value, &error));
  g_assert_no_error (error);
}

/* ---- answers that break the contract ---- */

typedef struct
{
  guint       status;
  const char *etag;          /* the ETag header as sent */
  const char *content_type;  /* NULL: application/json */
  const char *body;          /* {id}, {url} expanded */
  const char *problem;       /* what the error must name */
} Hostile;

/* PUT /documents answered with each broken reply (after the portal
 * really stored the document): the item is never marked published,
 * nothing of the answer is kept, the error names what was wrong after
 * the retries; once the portal answers properly, everything converges. */
static void
test_hostile_document_put (Fixture *f, gconstpointer data)
{
  static const Hostile cases[] = {
    /* The reply. */
    { 201, "\"x\"", NULL,
      "{\"id\":12,\"revision\":\"x\",\"etag\":null,\"status\":[\"published\"],\"public_url\":\"javascript:alert(1)\"}",
      "“public_url” should be an absolute http(s) address, not \"javascript:alert(1)\"" },
    { 201, "\"e1\"", NULL,
      "{\"id\":\"{id}\",\"revision\":1,\"etag\":\"e1\",\"public_url\":\"javascript:alert(1)\",\"status\":\"published\"}",
      "“public_url”" },
    { 201, "\"e1\"", NULL,
      "{\"id\":\"{id}\",\"revision\":1,\"etag\":\"e1\",\"public_url\":\"/docs/{id}\",\"status\":\"published\"}",
      "“public_url”" },
    { 201, "\"e1\"", NULL,
      "{\"id\":\"{id}\",\"revision\":1,\"etag\":\"e1\",\"public_url\":\"ftp://portal.example.gov.cn/{id}\",\"status\":\"published\"}",
      "“public_url”" },
    { 201, "\"e1\"", NULL,
      "{\"id\":\"{id}\",\"revision\":1,\"etag\":\"e1\",\"status\":\"published\"}",
      "“public_url” is missing" },
    { 201, NULL, NULL,
      "{\"id\":\"{id}\",\"revision\":1,\"etag\":\"e1\",\"public_url\":\"{url}\",\"status\":\"published\"}",
      "the ETag header is missing" },
    { 201, "W/\"e1\"", NULL,
      "{\"id\":\"{id}\",\"revision\":1,\"etag\":\"e1\",\"public_url\":\"{url}\",\"status\":\"published\"}",
      "is weak" },
    { 201, "\"e1\"", NULL,
      "{\"id\":\"{id}\",\"revision\":1,\"etag\":null,\"public_url\":\"{url}\",\"status\":\"published\"}",
      "“etag” should be an entity tag" },
    { 201, "\"e1\"", NULL,
      "{\"id\":\"{id}\",\"revision\":1,\"etag\":\"e2\",\"public_url\":\"{url}\",\"status\":\"published\"}",
      "differ" },
    { 201, "\"e1\"", NULL,
      "{\"id\":\"0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10\",\"revision\":1,\"etag\":\"e1\",\"public_url\":\"{url}\",\"status\":\"published\"}",
      "“id” should be the document’s id" },
    { 201, "\"e1\"", NULL,
      "{\"id\":\"{id}\",\"revision\":\"1\",\"etag\":\"e1\",\"public_url\":\"{url}\",\"status\":\"published\"}",
      "“revision” should be a whole number" },
    { 201, "\"e1\"", NULL,
      "{\"id\":\"{id}\",\"revision\":9,\"etag\":\"e1\",\"public_url\":\"{url}\",\"status\":\"published\"}",
      "(the revision sent)" },
    { 201, "\"e1\"", NULL,
      "{\"id\":\"{id}\",\"revision\":1,\"etag\":\"e1\",\"public_url\":\"{url}\",\"status\":\"withdrawn\"}",
      "“status” should be \"published\"" },
    { 200, "\"e1\"", "text/html", "<html><body><h1>已发布</h1></body></html>", "not JSON" },
    { 200, "\"e1\"", NULL, "[\"published\"]", "not a JSON object" },
    { 202, "\"e1\"", NULL,
      "{\"id\":\"{id}\",\"revision\":1,\"etag\":\"e1\",\"public_url\":\"{url}\",\"status\":\"published\"}",
      "HTTP 202" },
    { 204, "\"e1\"", "", NULL, "HTTP 204" },
    /* The token echoed back must not end up in the library. */
    { 201, "\"e1\"", NULL,
      "{\"id\":\"{id}\",\"revision\":1,\"etag\":\"e1\",\"public_url\":\"https://p.example/" TOKEN "\",\"status\":\"published\"}",
      "holds the access token" },
  };
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *title = g_strdup_printf ("不守约的门户 %u", i + 1);
      char *id = gk_sync_fixture_make_approved (f, title);
      g_autofree char *path = document_path (id);
      g_autofree char *body = cases[i].body ? expand (cases[i].body, id) : NULL;
      g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
      g_autoptr(GkSyncReport) report = NULL;
      g_autoptr(GError) error = NULL;

      g_ptr_array_add (ids, id);
      gk_fault_proxy_clear (f->proxy);
      gk_fault_proxy_reset_counts (f->proxy);
      gk_fault_proxy_add_reply (f->proxy, "PUT", path, GK_FAULT_ALWAYS, TRUE, cases[i].status,
                                cases[i].etag, cases[i].content_type, body);
      options->max_attempts = 2;
      report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
      g_assert_no_error (error);
      assert_failed_naming (report, id, cases[i].problem);
      assert_not_published (f, id);
      g_assert_cmpint (gk_sync_report_exit_status (report), ==, 1);
      /* Tried, then retried; each time the portal really had it. */
      g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", path), ==, 2);
      /* What went wrong is kept with the job. */
      {
        g_autoptr(GkSyncJob) job = gk_store_sync_get_active_job (f->store, id, NULL);

        g_assert_nonnull (strstr (job->last_error, cases[i].problem));
        g_assert_null (strstr (job->last_error, TOKEN));
      }
    }

  /* The portal mends its ways: the same bodies go out again (each run
   * above already sent the earlier cases' items, answered properly by
   * then) and every item is published once, with the portal's real
   * address. */
  gk_fault_proxy_clear (f->proxy);
  {
    g_autoptr(GkSyncReport) report = gk_sync_fixture_run_sync (f);
    g_autoptr(GPtrArray) listed = gk_sync_fixture_portal_list (f);

    gk_sync_fixture_assert_outcome (report, g_ptr_array_index (ids, ids->len - 1), GK_SYNC_OUTCOME_PUBLISHED);
    for (guint i = 0; i < ids->len; i++)
      {
        const char *id = g_ptr_array_index (ids, i);
        g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, id);

        g_assert_cmpint (item->state, ==, GK_STATE_PUBLISHED);
        g_assert_true (g_str_has_prefix (item->public_url, gk_test_portal_get_url (f->portal)));
        gk_sync_fixture_assert_portal_has_approved (f, id);
      }
    g_assert_cmpuint (listed->len, ==, ids->len);
    g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);
  }
}

/* The other requests of a batch: GET /health, HEAD and PUT /files,
 * GET /documents/{id} after a 412, DELETE. */
static void
test_hostile_other_endpoints (Fixture *f, gconstpointer data)
{
  g_autofree char *a = gk_sync_fixture_make_approved (f, "探测门户健康");
  g_autofree char *path = document_path (a);
  g_autoptr(GError) error = NULL;

  {
    static const Hostile health[] = {
      { 200, NULL, NULL, "{\"status\":\"ok\",\"api\":2,\"max_file_bytes\":100}", "“api” should be 1" },
      { 200, NULL, NULL, "{\"status\":\"ok\",\"api\":1}", "“max_file_bytes” is missing" },
      { 200, NULL, "text/html", "<html>ok</html>", "not JSON" },
      { 204, NULL, "", NULL, "HTTP 204" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (health); i++)
      {
        g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
        g_autoptr(GkSyncReport) report = NULL;

        gk_fault_proxy_clear (f->proxy);
        gk_fault_proxy_reset_counts (f->proxy);
        gk_fault_proxy_add_reply (f->proxy, "GET", "/health", GK_FAULT_ALWAYS, FALSE, health[i].status,
                                  health[i].etag, health[i].content_type, health[i].body);
        options->max_attempts = 2;
        report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
        g_assert_no_error (error);
        assert_failed_naming (report, a, health[i].problem);
        g_assert_nonnull (strstr (gk_sync_fixture_find_result (report, a)->message, "GET /health"));
        g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", NULL), ==, 0);
        assert_not_published (f, a);
      }
  }

  {
    static const struct { const char *method; guint status; const char *problem; } files[] = {
      { "HEAD", 204, "HEAD /files/{sha256}" },
      { "HEAD", 201, "HTTP 201" },
      { "PUT", 202, "PUT /files/{sha256}" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
        g_autoptr(GkSyncReport) report = NULL;

        gk_fault_proxy_clear (f->proxy);
        gk_fault_proxy_reset_counts (f->proxy);
        if (g_strcmp0 (files[i].method, "PUT") == 0)
          gk_fault_proxy_add_reply (f->proxy, "HEAD", "/files/", GK_FAULT_ALWAYS, FALSE, 404, NULL, NULL,
                                    "{\"error\":{\"code\":\"not_found\",\"message\":\"No such file.\"}}");
        gk_fault_proxy_add_reply (f->proxy, files[i].method, "/files/", GK_FAULT_ALWAYS, FALSE,
                                  files[i].status, NULL, "", NULL);
        options->max_attempts = 2;
        report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
        g_assert_no_error (error);
        assert_failed_naming (report, a, files[i].problem);
        g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 0);
        assert_not_published (f, a);
      }
  }

  /* A 412, then a GET whose answer is broken: not taken for the
   * portal's copy, not a conflict either; tried again next time. */
  {
    g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
    g_autoptr(GkSyncReport) report = NULL;
    g_autofree char *body =
      expand ("{\"id\":\"{id}\",\"revision\":1,\"etag\":\"e1\",\"public_url\":\"javascript:alert(1)\","
              "\"status\":\"published\",\"updated_at\":\"2025-06-02T00:00:00Z\"}", a);

    gk_fault_proxy_clear (f->proxy);
    gk_fault_proxy_add (f->proxy, "PUT", "/documents/", GK_FAULT_412, GK_FAULT_ALWAYS);
    gk_fault_proxy_add_reply (f->proxy, "GET", path, GK_FAULT_ALWAYS, FALSE, 200, "\"e1\"", NULL, body);
    options->max_attempts = 2;
    report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
    g_assert_no_error (error);
    assert_failed_naming (report, a, "GET /documents/");
    assert_not_published (f, a);
    g_assert_false (gk_sync_fixture_get_item (f, a)->flags & GK_ITEM_FLAG_CONFLICT);
  }

  /* It goes out; then a withdrawal whose DELETE is answered 200 with a
   * body (the contract says 204): still pending, then done. */
  gk_fault_proxy_clear (f->proxy);
  {
    g_autoptr(GkSyncReport) report = gk_sync_fixture_run_sync (f);
    g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
    g_autoptr(GkSyncReport) deleted = NULL;
    g_autoptr(GkSyncReport) done = NULL;
    g_autoptr(GkItem) item = NULL;
    g_autofree char *last_error = NULL;
    gboolean queued = FALSE;

    gk_sync_fixture_assert_outcome (report, a, GK_SYNC_OUTCOME_PUBLISHED);
    g_assert_true (gk_sync_withdraw (f->store, "pat", a, "发布有误", &queued, &error));
    g_assert_true (queued);
    gk_fault_proxy_add_reply (f->proxy, "DELETE", path, GK_FAULT_ALWAYS, FALSE, 200, NULL, NULL,
                              "{\"status\":\"withdrawn\"}");
    options->max_attempts = 2;
    deleted = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
    g_assert_no_error (error);
    assert_failed_naming (deleted, a, "DELETE /documents/");
    g_assert_true (gk_sync_withdrawal_pending (f->store, a, &last_error));
    g_assert_nonnull (strstr (last_error, "HTTP 200"));
    item = gk_sync_fixture_get_item (f, a);
    g_assert_cmpint (item->state, ==, GK_STATE_PUBLISHED);

    gk_fault_proxy_clear (f->proxy);
    done = gk_sync_fixture_run_sync (f);
    gk_sync_fixture_assert_outcome (done, a, GK_SYNC_OUTCOME_WITHDRAWN);
    g_assert_false (gk_sync_withdrawal_pending (f->store, a, NULL));
  }
}

/* sync --check: a listing that breaks the contract is not compared. */
static void
test_hostile_listing (Fixture *f, gconstpointer data)
{
  static const struct { const char *body; const char *problem; } cases[] = {
    { "{\"items\":[{\"id\":\"00000000-0000-4000-8000-00000000000b\",\"revision\":1,\"etag\":\"e\","
      "\"status\":\"published\",\"updated_at\":\"t\"},{\"id\":\"00000000-0000-4000-8000-00000000000a\","
      "\"revision\":1,\"etag\":\"e\",\"status\":\"published\",\"updated_at\":\"t\"}],\"next\":null}",
      "out of order" },
    { "{\"items\":[{\"id\":\"00000000-0000-4000-8000-00000000000a\",\"revision\":\"1\",\"etag\":\"e\","
      "\"status\":\"published\",\"updated_at\":\"t\"}],\"next\":null}",
      "“items[0].revision”" },
    { "{\"items\":[{\"id\":\"00000000-0000-4000-8000-00000000000a\",\"revision\":1,\"etag\":\"e\","
      "\"status\":\"gone\",\"updated_at\":\"t\"}],\"next\":null}",
      "“items[0].status”" },
    { "{\"items\":[],\"next\":\"\"}", "“next”" },
    { "{\"items\":[]}", "“next” is missing" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GkSync) sync = gk_sync_new (f->store);
      g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
      g_autoptr(GkSyncCheckReport) report = NULL;
      g_autoptr(GError) error = NULL;
      GkSyncWait wait = { 0 };

      gk_fault_proxy_clear (f->proxy);
      gk_fault_proxy_reset_counts (f->proxy);
      gk_fault_proxy_add_reply (f->proxy, "GET", "/documents", GK_FAULT_ALWAYS, FALSE, 200, NULL, NULL,
                                cases[i].body);
      options->max_attempts = 2;
      gk_sync_check_async (sync, options, NULL, gk_sync_fixture_on_done_cb, &wait);
      g_assert_true (gk_test_pump_until (&wait.done, 20000));
      report = gk_sync_check_finish (sync, wait.result, &error);
      g_object_unref (wait.result);
      g_assert_null (report);
      g_assert_error (error, GK_ERROR, GK_ERROR_FAILED);
      if (strstr (error->message, cases[i].problem) == NULL || strstr (error->message, "2 tries") == NULL)
        g_error ("case %u: “%s” does not name “%s”", i, error->message, cases[i].problem);
      g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "GET", "/documents"), ==, 2);
    }
}

/* ---- deadlines ---- */

static gdouble
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (gdouble) G_USEC_PER_SEC;
}

/* A portal that trickles (its headers, its body) or never answers is cut
 * at sync_request_timeout, each try; the batch ends within the bound
 * that gives, nothing is marked published, and the next run converges. */
static void
test_request_deadline (Fixture *f, gconstpointer data)
{
  static const struct { const char *method; const char *path; GkFault fault; guint param; } cases[] = {
    { "PUT", "/documents/", GK_FAULT_TRICKLE_HEAD, 150 },
    { "PUT", "/documents/", GK_FAULT_TRICKLE_BODY, 150 },
    { "GET", "/health", GK_FAULT_TRICKLE_BODY, 150 },
    { "HEAD", "/files/", GK_FAULT_TRICKLE_HEAD, 150 },
    { "PUT", "/documents/", GK_FAULT_HANG, 60000 },
  };
  const guint deadline_s = 2;
  const guint tries = 2;
  g_autofree char *a = gk_sync_fixture_make_approved (f, "慢速门户");

  /* The setting, not an option: what a user configures. */
  set_setting (f, "sync_request_timeout", "2");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
      g_autoptr(GkSyncReport) report = NULL;
      g_autoptr(GError) error = NULL;
      const GkSyncItemResult *result;
      gint64 start;
      gdouble elapsed;

      gk_fault_proxy_clear (f->proxy);
      gk_fault_proxy_add_full (f->proxy, cases[i].method, cases[i].path, cases[i].fault, GK_FAULT_ALWAYS,
                               cases[i].param);
      /* Silence alone would never cut a trickle: only the deadline can. */
      options->response_timeout_ms = 60000;
      options->max_attempts = tries;
      start = g_get_monotonic_time ();
      report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
      elapsed = seconds_since (start);
      g_assert_no_error (error);
      result = gk_sync_fixture_find_result (report, a);
      g_assert_nonnull (result);
      g_assert_cmpint (result->outcome, ==, GK_SYNC_OUTCOME_FAILED);
      if (strstr (result->message, "within 2.0 seconds") == NULL)
        g_error ("case %u: %s", i, result->message);
      assert_not_published (f, a);
      /* Each try is cut at the deadline (the retry waits 10–50 ms); the
       * rest is slack for a loaded machine. */
      g_test_message ("%s %s %s: %u tries cut at %u s each, the batch took %.2f s", cases[i].method,
                      cases[i].path, i == 4 ? "never answered" : i == 0 || i == 3 ? "trickled its head" : "trickled its body",
                      tries, deadline_s, elapsed);
      if (elapsed < tries * deadline_s * 0.95 || elapsed > tries * deadline_s + 4.0)
        g_error ("case %u: the batch took %.2f s; its tries were cut at %u s each", i, elapsed, deadline_s);
    }

  gk_fault_proxy_clear (f->proxy);
  {
    g_autoptr(GkSyncReport) report = gk_sync_fixture_run_sync (f);

    gk_sync_fixture_assert_outcome (report, a, GK_SYNC_OUTCOME_PUBLISHED);
    gk_sync_fixture_assert_portal_has_approved (f, a);
  }
}

/* The run's deadline: what was confirmed is published, the rest is
 * reported not sent and stays in the outbox; the next run resumes. */
static void
test_batch_deadline (Fixture *f, gconstpointer data)
{
  g_autofree char *a = gk_sync_fixture_make_approved (f, "批次截止前发布");
  g_autofree char *b = gk_sync_fixture_make_approved (f, "批次截止时未完成一");
  g_autofree char *c = gk_sync_fixture_make_approved (f, "批次截止时未完成二");
  g_autofree char *path_b = document_path (b);
  g_autofree char *path_c = document_path (c);
  g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
  g_autoptr(GkSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  gdouble elapsed;

  set_setting (f, "sync_batch_timeout", "2");
  /* b hangs (the portal never answers), c trickles its answer. */
  gk_fault_proxy_add_full (f->proxy, "PUT", path_b, GK_FAULT_HANG, GK_FAULT_ALWAYS, 60000);
  gk_fault_proxy_add_full (f->proxy, "PUT", path_c, GK_FAULT_TRICKLE_BODY, GK_FAULT_ALWAYS, 100);
  options->response_timeout_ms = 60000;
  start = g_get_monotonic_time ();
  report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
  elapsed = seconds_since (start);
  g_assert_no_error (error);
  g_test_message ("a run with a time limit of 2 s took %.2f s", elapsed);
  if (elapsed < 1.9 || elapsed > 2.0 + 4.0)
    g_error ("the batch took %.2f s; its time limit is 2 s", elapsed);

  g_assert_true (report->stopped);
  g_assert_true (report->timed_out);
  g_assert_false (report->auth_refused);
  g_assert_nonnull (strstr (report->stop_message, "time limit of 2 seconds"));
  g_assert_cmpint (gk_sync_report_exit_status (report), ==, 1);
  gk_sync_fixture_assert_outcome (report, a, GK_SYNC_OUTCOME_PUBLISHED);
  gk_sync_fixture_assert_outcome (report, b, GK_SYNC_OUTCOME_SKIPPED);
  gk_sync_fixture_assert_outcome (report, c, GK_SYNC_OUTCOME_SKIPPED);
  g_assert_nonnull (strstr (gk_sync_fixture_find_result (report, b)->message, "time limit"));
  assert_not_published (f, b);
  assert_not_published (f, c);
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 2);
  {
    g_autoptr(JsonNode) json = gk_sync_report_to_json (report);
    JsonObject *summary = json_object_get_object_member (json_node_get_object (json), "summary");

    g_assert_true (json_object_get_boolean_member (summary, "timed_out"));
  }

  /* The command line, with the setting: the same bound. */
  {
    g_auto(GkSyncRun) r = { 0 };
    g_autofree char *token_file = g_build_filename (f->dir, "token", NULL);

    g_assert_true (g_file_set_contents_full (token_file, TOKEN "\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
    start = g_get_monotonic_time ();
    gk_sync_fixture_ctl (f, &r, "pat", "sync", "--portal", gk_fault_proxy_get_base_url (f->proxy),
                         "--token-file", token_file, NULL);
    elapsed = seconds_since (start);
    g_test_message ("gongkai-ctl sync with sync_batch_timeout 2 took %.2f s", elapsed);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "time limit of 2 seconds"));
    if (elapsed < 1.9 || elapsed > 2.0 + 6.0)
      g_error ("gongkai-ctl sync took %.2f s; its time limit is 2 s", elapsed);
  }

  gk_fault_proxy_clear (f->proxy);
  set_setting (f, "sync_batch_timeout", NULL);
  {
    g_autoptr(GkSyncReport) resumed = gk_sync_fixture_run_sync (f);
    g_autoptr(GPtrArray) listed = NULL;

    g_assert_false (resumed->stopped);
    gk_sync_fixture_assert_outcome (resumed, b, GK_SYNC_OUTCOME_PUBLISHED);
    gk_sync_fixture_assert_outcome (resumed, c, GK_SYNC_OUTCOME_PUBLISHED);
    g_assert_null (gk_sync_fixture_find_result (resumed, a));
    gk_sync_fixture_assert_portal_has_approved (f, a);
    gk_sync_fixture_assert_portal_has_approved (f, b);
    gk_sync_fixture_assert_portal_has_approved (f, c);
    listed = gk_sync_fixture_portal_list (f);
    g_assert_cmpuint (listed->len, ==, 3);
  }
}

/* The settings are checked where every setting is. */
static void
test_deadline_settings (Fixture *f, gconstpointer data)
{
  static const char *const bad[] = { "0", "-1", "2.5", "2s", " 2", "abc", "100000" };
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autofree char *batch = NULL;

  request = gk_store_get_setting (f->store, "sync_request_timeout");
  batch = gk_store_get_setting (f->store, "sync_batch_timeout");
  g_assert_cmpstr (request, ==, "120");
  g_assert_cmpstr (batch, ==, "3600");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (gk_store_set_setting (f->store, "admin", "sync_request_timeout", bad[i], &error));
      g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "sync_request_timeout"));
      g_clear_error (&error);
      g_assert_false (gk_store_set_setting (f->store, "admin", "sync_batch_timeout", bad[i], &error));
      g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
      g_clear_error (&error);
    }
  {
    g_auto(GkSyncRun) r = { 0 };

    gk_sync_fixture_ctl (f, &r, "admin", "config", "sync_request_timeout", "90", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(GkSyncRun) r = { 0 };

    gk_sync_fixture_ctl (f, &r, "admin", "--json", "config", NULL);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (r.json), "sync_request_timeout"), ==, "90");
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (r.json), "sync_batch_timeout"), ==, "3600");
  }
}

/* ---- a withdrawal sent at once ---- */

static char *
write_token_file (Fixture *f)
{
  char *path = g_build_filename (f->dir, "token", NULL);

  g_assert_true (g_file_set_contents_full (path, TOKEN "\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  return path;
}

static char *
public_page (Fixture    *f,
             const char *id)
{
  return g_strdup_printf ("%s/docs/%s", gk_test_portal_get_url (f->portal), id);
}

static void
assert_public_page_gone (Fixture    *f,
                         const char *id)
{
  g_autofree char *url = public_page (f, id);
  guint status = http_status (url);

  if (status != 404 && status != 410)
    g_error ("%s answers %u after the withdrawal", url, status);
}

static JsonObject *
item_json (Fixture    *f,
           GkSyncRun  *r,
           const char *id)
{
  gk_sync_fixture_ctl (f, r, "pat", "--json", "show", id, NULL);
  g_assert_cmpint (r->status, ==, 0);
  return json_node_get_object (r->json);
}

static void
test_withdraw_at_once (Fixture *f, gconstpointer data)
{
  g_autofree char *a = gk_sync_fixture_make_approved (f, "立即撤回一");
  g_autofree char *b = gk_sync_fixture_make_approved (f, "立即撤回二");
  g_autofree char *token_file = write_token_file (f);
  g_autoptr(GkSyncReport) report = gk_sync_fixture_run_sync (f);
  g_autofree char *page_a = public_page (f, a);

  gk_sync_fixture_assert_outcome (report, a, GK_SYNC_OUTCOME_PUBLISHED);
  g_assert_cmpuint (http_status (page_a), ==, 200);
  set_setting (f, "portal_url", gk_fault_proxy_get_base_url (f->proxy));
  gk_fault_proxy_reset_counts (f->proxy);

  /* With --token-file. */
  {
    g_auto(GkSyncRun) r = { 0 };
    JsonObject *object;

    gk_sync_fixture_ctl (f, &r, "pat", "--json", "withdraw", a, "--reason", "内容有误", "--token-file",
                         token_file, NULL);
    g_assert_cmpint (r.status, ==, 0);
    object = json_node_get_object (r.json);
    g_assert_true (json_object_get_boolean_member (object, "withdraw_sent"));
    g_assert_false (json_object_get_boolean_member (object, "withdraw_queued"));
    g_assert_false (json_object_get_boolean_member (object, "withdraw_pending"));
    g_assert_true (json_object_get_null_member (object, "withdraw_message"));
    g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "withdrawn");
  }
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "DELETE", "/documents/"), ==, 1);
  /* No batch was needed: the public page is gone now. */
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "GET", "/health"), ==, 0);
  assert_public_page_gone (f, a);
  {
    g_autofree char *path = document_path (a);
    guint status = 0;
    g_autoptr(JsonNode) doc = gk_sync_fixture_portal_get (f, path, &status);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (doc), "status"), ==, "withdrawn");
  }
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);
  g_assert_cmpint (gk_sync_fixture_get_item (f, a)->state, ==, GK_STATE_WITHDRAWN);

  /* With the token in the environment, and in words. */
  {
    g_auto(GkSyncRun) r = { 0 };

    f->ctl_token = TOKEN;
    gk_sync_fixture_ctl (f, &r, "pat", "withdraw", b, "--reason", "已废止", NULL);
    f->ctl_token = NULL;
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "is withdrawn from the portal"));
    g_assert_null (strstr (r.out, TOKEN));
  }
  assert_public_page_gone (f, b);
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);

  /* Nothing is left for the next sync. */
  {
    g_autoptr(GkSyncReport) after = gk_sync_fixture_run_sync (f);

    g_assert_cmpuint (after->results->len, ==, 0);
  }
}

/* The portal down, no token, a portal error: the withdrawal stays
 * queued, every face says it is pending and why, and the next sync
 * completes it. */
static void
test_withdraw_queued_when_it_fails (Fixture *f, gconstpointer data)
{
  g_autofree char *a = gk_sync_fixture_make_approved (f, "门户停机时撤回");
  g_autofree char *b = gk_sync_fixture_make_approved (f, "无令牌时撤回");
  g_autofree char *c = gk_sync_fixture_make_approved (f, "门户出错时撤回");
  g_autofree char *token_file = write_token_file (f);
  g_autoptr(GkSyncReport) report = gk_sync_fixture_run_sync (f);
  g_autofree char *page_a = public_page (f, a);
  g_autoptr(GError) error = NULL;

  gk_sync_fixture_assert_outcome (report, a, GK_SYNC_OUTCOME_PUBLISHED);
  set_setting (f, "portal_url", gk_fault_proxy_get_base_url (f->proxy));

  /* The portal is down. */
  gk_test_portal_kill (f->portal);
  {
    g_auto(GkSyncRun) r = { 0 };
    JsonObject *object;

    gk_sync_fixture_ctl (f, &r, "pat", "--json", "withdraw", a, "--reason", "停机撤回", "--token-file",
                         token_file, NULL);
    g_assert_cmpint (r.status, ==, 1);
    object = json_node_get_object (r.json);
    g_assert_true (json_object_get_boolean_member (object, "withdraw_queued"));
    g_assert_false (json_object_get_boolean_member (object, "withdraw_sent"));
    g_assert_true (json_object_get_boolean_member (object, "withdraw_pending"));
    g_assert_nonnull (strstr (json_object_get_string_member (object, "withdraw_message"), "tries"));
    g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "published");
  }
  {
    g_auto(GkSyncRun) r = { 0 };
    JsonObject *object = item_json (f, &r, a);

    g_assert_true (json_object_get_boolean_member (object, "withdraw_pending"));
    g_assert_nonnull (json_object_get_string_member (object, "withdraw_error"));
  }
  {
    g_auto(GkSyncRun) r = { 0 };

    gk_sync_fixture_ctl (f, &r, "pat", "show", a, NULL);
    g_assert_nonnull (strstr (r.out, "withdrawal is pending"));
  }
  {
    g_auto(GkSyncRun) r = { 0 };
    g_autofree char *short_a = g_strndup (a, 8);
    g_auto(GStrv) lines = NULL;
    gboolean found = FALSE;

    gk_sync_fixture_ctl (f, &r, "pat", "list", NULL);
    lines = g_strsplit (r.out, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      if (g_str_has_prefix (lines[i], short_a))
        {
          g_assert_nonnull (strstr (lines[i], "withdrawal pending"));
          found = TRUE;
        }
      else
        g_assert_null (strstr (lines[i], "withdrawal pending"));
    g_assert_true (found);
  }
  {
    g_auto(GkSyncRun) r = { 0 };
    JsonArray *items;

    gk_sync_fixture_ctl (f, &r, "pat", "--json", "list", NULL);
    items = json_object_get_array_member (json_node_get_object (r.json), "items");
    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonObject *item = json_array_get_object_element (items, i);

        g_assert_cmpint (json_object_get_boolean_member (item, "withdraw_pending"), ==,
                         g_strcmp0 (json_object_get_string_member (item, "id"), a) == 0);
      }
  }
  g_assert_true (gk_test_portal_restart (f->portal, &error));
  g_assert_no_error (error);
  /* Still public: the DELETE never reached the portal. */
  g_assert_cmpuint (http_status (page_a), ==, 200);

  /* No token anywhere (no file, no environment, no keyring). */
  {
    g_auto(GkSyncRun) r = { 0 };

    gk_sync_fixture_ctl (f, &r, "pat", "withdraw", b, "--reason", "无令牌", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.out, "not withdrawn from the portal yet"));
    g_assert_nonnull (strstr (r.out, "No portal token"));
    g_assert_true (gk_sync_withdrawal_pending (f->store, b, NULL));
  }

  /* The portal answers 500, and then a 200 the contract does not allow. */
  gk_fault_proxy_add (f->proxy, "DELETE", "/documents/", GK_FAULT_500, 5);
  gk_fault_proxy_add_reply (f->proxy, "DELETE", "/documents/", GK_FAULT_ALWAYS, FALSE, 200, NULL, NULL, "{}");
  {
    g_auto(GkSyncRun) r = { 0 };
    JsonObject *object;

    gk_sync_fixture_ctl (f, &r, "pat", "--json", "withdraw", c, "--reason", "出错", "--token-file",
                         token_file, NULL);
    g_assert_cmpint (r.status, ==, 1);
    object = json_node_get_object (r.json);
    g_assert_true (json_object_get_boolean_member (object, "withdraw_queued"));
    g_assert_nonnull (strstr (json_object_get_string_member (object, "withdraw_message"), "HTTP 500"));
  }
  {
    g_auto(GkSyncRun) r = { 0 };

    gk_sync_fixture_ctl (f, &r, "pat", "--json", "withdraw", c, "--reason", "再试", "--token-file",
                         token_file, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (r.json), "withdraw_message"),
                              "HTTP 200"));
  }
  g_assert_true (gk_sync_withdrawal_pending (f->store, c, NULL));
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 3);

  /* The next sync completes all three. */
  gk_fault_proxy_clear (f->proxy);
  {
    g_auto(GkSyncRun) r = { 0 };

    gk_sync_fixture_ctl (f, &r, "pat", "sync", "--token-file", token_file, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "withdrawn 3"));
  }
  assert_public_page_gone (f, a);
  assert_public_page_gone (f, b);
  assert_public_page_gone (f, c);
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);
  {
    g_auto(GkSyncRun) r = { 0 };
    JsonObject *object = item_json (f, &r, a);

    g_assert_false (json_object_get_boolean_member (object, "withdraw_pending"));
    g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "withdrawn");
  }
}

static GkSyncItemResult *
send_withdrawal (Fixture    *f,
                 const char *actor,
                 const char *id,
                 GError    **error)
{
  g_autoptr(GkSync) sync = gk_sync_new (f->store);
  g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, actor);
  GkSyncWait wait = { 0 };
  GkSyncItemResult *result;

  gk_sync_send_withdrawal_async (sync, options, id, NULL, gk_sync_fixture_on_done_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 20000));
  result = gk_sync_send_withdrawal_finish (sync, wait.result, error);
  g_object_unref (wait.result);
  return result;
}

/* The library call the window uses. */
static void
test_send_withdrawal_api (Fixture *f, gconstpointer data)
{
  g_autofree char *a = gk_sync_fixture_make_approved (f, "接口撤回");
  g_autoptr(GkSyncReport) report = gk_sync_fixture_run_sync (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkSyncItemResult) result = NULL;
  gboolean queued = FALSE;

  gk_sync_fixture_assert_outcome (report, a, GK_SYNC_OUTCOME_PUBLISHED);
  /* Nothing queued. */
  g_assert_null (send_withdrawal (f, "pat", a, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (gk_sync_withdraw (f->store, "pat", a, "撤回", &queued, &error));
  g_assert_true (queued);
  /* Only a publisher or an admin. */
  g_assert_null (send_withdrawal (f, "dora", a, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);
  /* A refused token stops it; it stays queued. */
  {
    g_autoptr(GkSync) sync = gk_sync_new (f->store);
    g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
    g_autoptr(GkSyncItemResult) refused = NULL;
    GkSyncWait wait = { 0 };

    g_free (options->token);
    options->token = g_strdup ("not-the-token-1234");
    gk_sync_send_withdrawal_async (sync, options, a, NULL, gk_sync_fixture_on_done_cb, &wait);
    g_assert_true (gk_test_pump_until (&wait.done, 20000));
    refused = gk_sync_send_withdrawal_finish (sync, wait.result, &error);
    g_object_unref (wait.result);
    g_assert_no_error (error);
    g_assert_cmpint (refused->outcome, ==, GK_SYNC_OUTCOME_SKIPPED);
    g_assert_nonnull (strstr (refused->message, "refused the token"));
    g_assert_true (gk_sync_withdrawal_pending (f->store, a, NULL));
  }
  result = send_withdrawal (f, "pat", a, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, GK_SYNC_OUTCOME_WITHDRAWN);
  g_assert_false (gk_sync_withdrawal_pending (f->store, a, NULL));
  assert_public_page_gone (f, a);
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
  ADD ("/sync-hostile/document-put", test_hostile_document_put);
  ADD ("/sync-hostile/other-endpoints", test_hostile_other_endpoints);
  ADD ("/sync-hostile/listing", test_hostile_listing);
  ADD ("/sync-hostile/request-deadline", test_request_deadline);
  ADD ("/sync-hostile/batch-deadline", test_batch_deadline);
  ADD ("/sync-hostile/deadline-settings", test_deadline_settings);
  ADD ("/sync-hostile/withdraw-at-once", test_withdraw_at_once);
  ADD ("/sync-hostile/withdraw-queued-when-it-fails", test_withdraw_queued_when_it_fails);
  ADD ("/sync-hostile/send-withdrawal-api", test_send_withdrawal_api);
#undef ADD

  return g_test_run ();
}
