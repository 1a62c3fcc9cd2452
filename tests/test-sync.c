/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The portal sync against the real gongkai-portal (through the fault
 * proxy, for request counts): publish, update, withdraw, the safety gate,
 * dry run, reconciliation, validity that needs re-approval, cancellation,
 * bounded concurrency, the command line; and the HTTP client on its own
 * against small in-process servers (framing, error shape, status
 * classes, timeouts, TLS with an extra CA file). */
#define G_LOG_DOMAIN "GongkaiTestSync"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <malloc.h>
#include <string.h>

#include "gk-fault-proxy.h"
#include "gk-sync-fixture.h"
#include "gk-portal-client.h"
#include "gk-store-sync.h"
#include "gk-store.h"
#include "gk-sync.h"
#include "gk-util.h"
#include "gk-workflow.h"

#define TOKEN "sync-test-token-8f3a2c91d7"
#define TODAY "2025-06-02"
#define DOC_ID "0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10"

typedef GkSyncFixture Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  gk_sync_fixture_setup (f, TOKEN);
}

/* ---- the HTTP client on its own ---- */

static void
test_client_url_rules (void)
{
  static const struct { const char *url; gboolean insecure; gboolean ok; int code; } cases[] = {
    { "https://portal.example.gov.cn/api/v1", FALSE, TRUE, 0 },
    { "http://127.0.0.1:8088/api/v1", FALSE, TRUE, 0 },
    { "http://127.1.2.3/api/v1", FALSE, TRUE, 0 },
    { "http://[::1]:8088/api/v1", FALSE, TRUE, 0 },
    { "http://localhost:8088/api/v1", FALSE, TRUE, 0 },
    { "http://portal.example.gov.cn/api/v1", FALSE, FALSE, GK_ERROR_REFUSED },
    { "http://10.0.0.8/api/v1", FALSE, FALSE, GK_ERROR_REFUSED },
    { "http://portal.example.gov.cn/api/v1", TRUE, TRUE, 0 },
    { "https://user:pw@portal.example.gov.cn/api/v1", FALSE, FALSE, GK_ERROR_INVALID },
    { "https://portal.example.gov.cn/api/v1?token=x", FALSE, FALSE, GK_ERROR_INVALID },
    { "ftp://portal.example.gov.cn/api/v1", FALSE, FALSE, GK_ERROR_INVALID },
    { "portal.example.gov.cn/api/v1", FALSE, FALSE, GK_ERROR_INVALID },
    { "", FALSE, FALSE, GK_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = gk_portal_check_url (cases[i].url, cases[i].insecure, &error);

      if (ok != cases[i].ok)
        g_error ("%s: expected %s", cases[i].url, cases[i].ok ? "ok" : "refused");
      if (!ok)
        {
          g_assert_error (error, GK_ERROR, cases[i].code);
          g_assert_null (strstr (error->message, "pw@"));
        }
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GkPortalClient) client = gk_portal_client_new ("https://portal.example.gov.cn/api/v1/",
                                                             "bad token", NULL, &error);

    g_assert_null (client);
    g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
    g_assert_null (strstr (error->message, "bad token"));
  }
}

typedef struct
{
  gboolean          done;
  GkPortalResponse *response;
  gboolean          ok;
  gint64            max_file_bytes;
  GError           *error;
} ClientWait;

static void
on_request_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ClientWait *wait = user_data;

  wait->response = gk_portal_client_request_finish (GK_PORTAL_CLIENT (object), result, &wait->error);
  wait->done = TRUE;
}

static void
on_health_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ClientWait *wait = user_data;

  wait->ok = gk_portal_client_health_finish (GK_PORTAL_CLIENT (object), result, &wait->max_file_bytes,
                                             &wait->error);
  wait->done = TRUE;
}

static void
test_client_health (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkPortalClient) good = gk_portal_client_new (gk_test_portal_get_base_url (f->portal), TOKEN, NULL, &error);
  g_autoptr(GkPortalClient) bad = gk_portal_client_new (gk_test_portal_get_base_url (f->portal),
                                                        "not-the-right-token-77", NULL, &error);
  ClientWait wait = { 0 };

  g_assert_no_error (error);
  gk_portal_client_health_async (good, NULL, on_health_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 10000));
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  g_assert_cmpint (wait.max_file_bytes, ==, 104857600);

  memset (&wait, 0, sizeof wait);
  gk_portal_client_health_async (bad, NULL, on_health_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 10000));
  g_assert_false (wait.ok);
  g_assert_error (wait.error, GK_ERROR, GK_ERROR_PERMISSION);
  g_assert_nonnull (strstr (wait.error->message, "refused the token"));
  g_assert_null (strstr (wait.error->message, "not-the-right-token-77"));
  g_clear_error (&wait.error);

  /* A cancelled request fails as cancelled, not as an answer. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    memset (&wait, 0, sizeof wait);
    g_cancellable_cancel (cancellable);
    gk_portal_client_get_document_async (good, "0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10", cancellable,
                                         on_request_cb, &wait);
    g_assert_true (gk_test_pump_until (&wait.done, 10000));
    g_assert_null (wait.response);
    g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&wait.error);
  }
}

/* A scripted server: each request takes the next canned answer. */
typedef struct
{
  guint       status;
  const char *content_type;
  const char *body;
  const char *header_name;
  const char *header_value;
  gboolean    hang;
} Canned;

typedef struct
{
  const Canned       *answers;
  guint               n_answers;
  guint               next;
  SoupMessageHeaders *last_headers;
  char               *last_method;
  GBytes             *last_body;
  GPtrArray          *paused;
} Script;

static void
on_script_request_cb (SoupServer        *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  Script *script = user_data;
  const Canned *answer = &script->answers[MIN (script->next, script->n_answers - 1)];
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  script->next++;
  g_clear_pointer (&script->last_headers, soup_message_headers_unref);
  script->last_headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  g_free (script->last_method);
  script->last_method = g_strdup (soup_server_message_get_method (msg));
  g_clear_pointer (&script->last_body, g_bytes_unref);
  script->last_body = soup_message_body_flatten (body);

  if (answer->hang)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (script->paused, g_object_ref (msg));
      return;
    }
  if (answer->header_name != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  answer->header_name, answer->header_value);
  soup_server_message_set_status (msg, answer->status, NULL);
  if (answer->body != NULL)
    soup_server_message_set_response (msg, answer->content_type ? answer->content_type : "application/json",
                                      SOUP_MEMORY_STATIC, answer->body, strlen (answer->body));
}

static SoupServer *
start_script_server (Script  *script,
                     char   **base_url)
{
  g_autoptr(GError) error = NULL;
  SoupServer *server = soup_server_new (NULL, NULL);
  GSList *uris;

  soup_server_add_handler (server, NULL, on_script_request_cb, script, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  *base_url = g_strdup_printf ("http://127.0.0.1:%d/api/v1", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return server;
}

static GkPortalResponse *
send_put_document (GkPortalClient       *client,
                   GkPortalPrecondition  precondition,
                   const char           *etag)
{
  static const char body[] = "{\"id\":\"0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10\",\"title\":\"通知\"}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  ClientWait wait = { 0 };

  gk_portal_client_put_document_async (client, "0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10", bytes,
                                       precondition, etag, NULL, on_request_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 10000));
  g_assert_no_error (wait.error);
  g_assert_nonnull (wait.response);
  return wait.response;
}

static GkPortalResponse *
send_head_file (GkPortalClient *client)
{
  ClientWait wait = { 0 };

  gk_portal_client_head_file_async (client, "4f0c7e5b1c1a2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f80912",
                                    NULL, on_request_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 10000));
  g_assert_no_error (wait.error);
  return wait.response;
}

static void
test_client_http (void)
{
  static const Canned answers[] = {
    /* 0 */ { 201, NULL, "{\"id\":\"" DOC_ID "\",\"revision\":1,\"etag\":\"e1\","
                         "\"public_url\":\"https://p.example/docs/" DOC_ID "\",\"status\":\"published\"}",
              "ETag", "\"e1\"" },
    /* 1 */ { 200, NULL, "{\"id\":\"" DOC_ID "\",\"revision\":1,\"etag\":\"e2\","
                         "\"public_url\":\"https://p.example/docs/" DOC_ID "\",\"status\":\"published\"}",
              "ETag", "\"e2\"" },
    /* 2 */ { 422, NULL, "{\"error\":{\"code\":\"validation_failed\",\"message\":\"The record is invalid.\","
                         "\"fields\":[{\"field\":\"written_date\",\"problem\":\"not a date\"},"
                         "{\"field\":\"title\",\"problem\":\"too long\"}]}}" },
    /* 3 */ { 503, NULL, "{\"error\":{\"code\":\"unavailable\",\"message\":\"Maintenance.\"}}", "Retry-After", "7" },
    /* 4 */ { 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>" },
    /* 5 */ { 412, NULL, "{\"error\":{\"code\":\"precondition_failed\",\"message\":\"Changed.\"}}" },
    /* 6 */ { 401, NULL, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"Bad token " TOKEN "\"}}" },
    /* 7 */ { 403, NULL, "{\"error\":{\"code\":\"forbidden\",\"message\":\"Read only.\"}}" },
    /* 8 */ { 413, NULL, "{\"error\":{\"code\":\"too_large\",\"message\":\"Too large.\"}}" },
    /* 9 */ { 404, NULL, "{\"error\":{\"code\":\"not_found\",\"message\":\"No.\"}}" },
    /* 10 */ { 302, NULL, NULL, "Location", "https://elsewhere.example/" },
    /* 11 */ { 429, NULL, "{\"error\":{\"code\":\"rate_limited\",\"message\":\"Slow down.\"}}", "Retry-After",
               "Wed, 21 Oct 2015 07:28:00 GMT" },
    /* 12 */ { 418, NULL, "not json at all" },
    /* 13 */ { 200, NULL, "{\"id\":" },
    /* 14 */ { 404, NULL, NULL },
    /* 15 */ { 200, NULL, NULL },
    /* 16 */ { 0, NULL, NULL, NULL, NULL, TRUE },
  };
  Script script = { answers, G_N_ELEMENTS (answers), 0, NULL, NULL, NULL, g_ptr_array_new_with_free_func (g_object_unref) };
  g_autofree char *base_url = NULL;
  g_autoptr(SoupServer) server = start_script_server (&script, &base_url);
  GkPortalClientOptions options = { .response_timeout_ms = 300 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GkPortalClient) client = gk_portal_client_new (base_url, TOKEN, &options, &error);
  GkPortalResponse *r;
  SoupMessageHeaders *h;

  g_assert_no_error (error);

  /* 201 with If-None-Match: *, a Content-Length, never chunked. */
  r = send_put_document (client, GK_PORTAL_PRECONDITION_CREATE, NULL);
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_OK);
  g_assert_cmpuint (r->status, ==, 201);
  g_assert_cmpstr (r->etag, ==, "e1");
  h = script.last_headers;
  g_assert_cmpstr (script.last_method, ==, "PUT");
  g_assert_cmpstr (soup_message_headers_get_one (h, "Authorization"), ==, "Bearer " TOKEN);
  g_assert_cmpstr (soup_message_headers_get_one (h, "If-None-Match"), ==, "*");
  g_assert_null (soup_message_headers_get_one (h, "If-Match"));
  g_assert_cmpstr (soup_message_headers_get_content_type (h, NULL), ==, "application/json");
  g_assert_cmpint (soup_message_headers_get_encoding (h), ==, SOUP_ENCODING_CONTENT_LENGTH);
  g_assert_null (soup_message_headers_get_one (h, "Transfer-Encoding"));
  g_assert_cmpint (soup_message_headers_get_content_length (h), ==, g_bytes_get_size (script.last_body));
  gk_portal_response_free (r);

  /* If-Match carries the ETag in quotes; the answer's ETag is read bare. */
  r = send_put_document (client, GK_PORTAL_PRECONDITION_IF_MATCH, "e1");
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_OK);
  g_assert_cmpstr (r->etag, ==, "e2");
  g_assert_cmpstr (soup_message_headers_get_one (script.last_headers, "If-Match"), ==, "\"e1\"");
  g_assert_null (soup_message_headers_get_one (script.last_headers, "If-None-Match"));
  gk_portal_response_free (r);

  /* 422: refused, with the portal's message and fields. */
  r = send_put_document (client, GK_PORTAL_PRECONDITION_NONE, NULL);
  g_assert_null (soup_message_headers_get_one (script.last_headers, "If-Match"));
  g_assert_null (soup_message_headers_get_one (script.last_headers, "If-None-Match"));
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_REFUSED);
  g_assert_cmpstr (r->error_code, ==, "validation_failed");
  g_assert_cmpstr (r->message, ==, "The record is invalid.");
  g_assert_cmpuint (r->fields->len, ==, 2);
  g_assert_cmpstr (((GkPortalProblem *) g_ptr_array_index (r->fields, 0))->field, ==, "written_date");
  {
    g_autofree char *text = gk_portal_response_describe (r);
    g_assert_nonnull (strstr (text, "written_date: not a date"));
    g_assert_nonnull (strstr (text, "title: too long"));
  }
  gk_portal_response_free (r);

  /* 503 with Retry-After in seconds: transient. */
  r = send_put_document (client, GK_PORTAL_PRECONDITION_NONE, NULL);
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_TRANSIENT);
  g_assert_cmpint (r->retry_after_ms, ==, 7000);
  gk_portal_response_free (r);

  /* An HTML 502 from a front proxy: transient. */
  r = send_put_document (client, GK_PORTAL_PRECONDITION_NONE, NULL);
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_TRANSIENT);
  g_assert_null (r->body);
  g_assert_cmpint (r->retry_after_ms, ==, -1);
  gk_portal_response_free (r);

  r = send_put_document (client, GK_PORTAL_PRECONDITION_NONE, NULL);
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_CONFLICT);
  gk_portal_response_free (r);

  /* 401/403: stop; the portal echoing the token does not leak it. */
  r = send_put_document (client, GK_PORTAL_PRECONDITION_NONE, NULL);
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_AUTH);
  g_assert_null (strstr (r->message, TOKEN));
  gk_portal_response_free (r);
  r = send_put_document (client, GK_PORTAL_PRECONDITION_NONE, NULL);
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_AUTH);
  gk_portal_response_free (r);

  r = send_put_document (client, GK_PORTAL_PRECONDITION_NONE, NULL);
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_REFUSED);
  g_assert_cmpstr (r->error_code, ==, "too_large");
  gk_portal_response_free (r);

  /* 404 on PUT is a refusal … */
  r = send_put_document (client, GK_PORTAL_PRECONDITION_NONE, NULL);
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_REFUSED);
  gk_portal_response_free (r);

  /* A redirect is never followed (the token would go elsewhere). */
  r = send_put_document (client, GK_PORTAL_PRECONDITION_NONE, NULL);
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_FATAL);
  g_assert_cmpuint (script.next, ==, 11);
  gk_portal_response_free (r);

  /* 429 with an HTTP-date in the past: retry now. */
  r = send_put_document (client, GK_PORTAL_PRECONDITION_NONE, NULL);
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_TRANSIENT);
  g_assert_cmpint (r->retry_after_ms, ==, 0);
  gk_portal_response_free (r);

  /* An unknown 4xx with a body that is not JSON: refused, no crash. */
  r = send_put_document (client, GK_PORTAL_PRECONDITION_NONE, NULL);
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_REFUSED);
  g_assert_nonnull (r->message);
  gk_portal_response_free (r);

  /* 200 whose JSON is cut: transient (a retry of the same body is safe). */
  r = send_put_document (client, GK_PORTAL_PRECONDITION_NONE, NULL);
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_TRANSIENT);
  gk_portal_response_free (r);

  /* … and 404 on HEAD /files is an answer. */
  r = send_head_file (client);
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_NOT_FOUND);
  g_assert_cmpstr (script.last_method, ==, "HEAD");
  gk_portal_response_free (r);
  r = send_head_file (client);
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_OK);
  gk_portal_response_free (r);

  /* A portal that never answers: the response timeout. */
  {
    gint64 start = g_get_monotonic_time ();

    r = send_put_document (client, GK_PORTAL_PRECONDITION_NONE, NULL);
    g_assert_cmpint (r->outcome, ==, GK_PORTAL_TRANSIENT);
    g_assert_cmpuint (r->status, ==, 0);
    g_assert_nonnull (strstr (r->message, "did not answer"));
    g_assert_cmpint (g_get_monotonic_time () - start, >=, 250 * 1000);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 5000 * 1000);
    gk_portal_response_free (r);
  }

  g_ptr_array_unref (script.paused);
  g_clear_pointer (&script.last_headers, soup_message_headers_unref);
  g_clear_pointer (&script.last_body, g_bytes_unref);
  g_free (script.last_method);
  soup_server_disconnect (server);
}

/* ---- the answers, read against portal-api.md (gk_portal_reply_parse) ---- */

#define GOOD_PUT "{\"id\":\"" DOC_ID "\",\"revision\":3,\"etag\":\"abc\"," \
                 "\"public_url\":\"https://portal.example.gov.cn/docs/" DOC_ID "\",\"status\":\"published\"}"
#define GOOD_GET "{\"id\":\"" DOC_ID "\",\"title\":\"通知\",\"revision\":3,\"etag\":\"abc\"," \
                 "\"public_url\":\"https://portal.example.gov.cn/docs/" DOC_ID "\",\"status\":\"withdrawn\"," \
                 "\"updated_at\":\"2025-06-02T08:00:00Z\"}"
#define ITEM(id, rev) "{\"id\":\"" id "\",\"revision\":" rev ",\"etag\":\"e\",\"status\":\"published\"," \
                      "\"updated_at\":\"2025-06-02T08:00:00Z\"}"
#define ID_A "00000000-0000-4000-8000-00000000000a"
#define ID_B "00000000-0000-4000-8000-00000000000b"

typedef struct
{
  GkPortalRequestKind kind;
  guint               status;
  const char         *content_type;
  const char         *etag;
  const char         *body;
  const char         *problem;  /* NULL: the answer follows the contract */
} ReplyCase;

static void
test_client_reply_contract (void)
{
  static const ReplyCase cases[] = {
    /* PUT /documents: the answers that follow the contract… */
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", "\"abc\"", GOOD_PUT, NULL },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 200, "application/json; charset=utf-8", " \"abc\" ", GOOD_PUT, NULL },
    /* … and the issue's hostile one, and each thing that can be wrong. */
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", "\"x\"",
      "{\"id\":12,\"revision\":\"x\",\"etag\":null,\"status\":[\"published\"],\"public_url\":\"javascript:alert(1)\"}",
      "“public_url” should be an absolute http(s) address, not \"javascript:alert(1)\"" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", "\"abc\"",
      "{\"id\":\"" DOC_ID "\",\"revision\":3,\"etag\":\"abc\",\"public_url\":\"/docs/x\",\"status\":\"published\"}",
      "“public_url”" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", "\"abc\"",
      "{\"id\":\"" DOC_ID "\",\"revision\":3,\"etag\":\"abc\",\"public_url\":\"ftp://portal.example.gov.cn/x\",\"status\":\"published\"}",
      "“public_url”" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", "\"abc\"",
      "{\"id\":\"" DOC_ID "\",\"revision\":3,\"etag\":\"abc\",\"public_url\":\"https://p.example/a\\nb\",\"status\":\"published\"}",
      "“public_url”" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", "\"abc\"",
      "{\"id\":\"" DOC_ID "\",\"revision\":3,\"etag\":\"abc\",\"status\":\"published\"}",
      "“public_url” is missing" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", NULL, GOOD_PUT, "the ETag header is missing" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", "W/\"abc\"", GOOD_PUT, "weak" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", "abc", GOOD_PUT, "not a quoted entity tag" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", "\"abc\", \"def\"", GOOD_PUT, "not a single valid" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", "\"other\"", GOOD_PUT, "differ" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", "\"abc\"",
      "{\"id\":\"" DOC_ID "\",\"revision\":3,\"etag\":null,\"public_url\":\"https://p.example/d\",\"status\":\"published\"}",
      "“etag” should be an entity tag" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", "\"abc\"",
      "{\"id\":\"" ID_A "\",\"revision\":3,\"etag\":\"abc\",\"public_url\":\"https://p.example/d\",\"status\":\"published\"}",
      "“id” should be the document’s id" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", "\"abc\"",
      "{\"id\":\"" DOC_ID "\",\"revision\":3.0,\"etag\":\"abc\",\"public_url\":\"https://p.example/d\",\"status\":\"published\"}",
      "“revision” should be a whole number" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", "\"abc\"",
      "{\"id\":\"" DOC_ID "\",\"revision\":4,\"etag\":\"abc\",\"public_url\":\"https://p.example/d\",\"status\":\"published\"}",
      "(the revision sent)" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 201, "application/json", "\"abc\"",
      "{\"id\":\"" DOC_ID "\",\"revision\":3,\"etag\":\"abc\",\"public_url\":\"https://p.example/d\",\"status\":\"withdrawn\"}",
      "“status” should be \"published\"" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 200, "text/html", NULL, "<html><body>OK</body></html>", "not JSON" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 200, "text/html", "\"abc\"", GOOD_PUT, "the Content-Type is “text/html”" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 200, "application/json", "\"abc\"", "[]", "not a JSON object" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 200, "application/json", "\"abc\"", NULL, "the body is empty" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 202, "application/json", "\"abc\"", GOOD_PUT, "HTTP 202" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 204, NULL, "\"abc\"", NULL, "HTTP 204" },
    /* GET /documents/{id} */
    { GK_PORTAL_REQUEST_GET_DOCUMENT, 200, "application/json", "\"abc\"", GOOD_GET, NULL },
    { GK_PORTAL_REQUEST_GET_DOCUMENT, 200, "application/json", "\"abc\"", GOOD_PUT, "“updated_at” is missing" },
    { GK_PORTAL_REQUEST_GET_DOCUMENT, 200, "application/json", NULL, GOOD_GET, "the ETag header is missing" },
    /* HEAD and PUT /files, DELETE /documents: status codes */
    { GK_PORTAL_REQUEST_HEAD_FILE, 200, NULL, NULL, NULL, NULL },
    { GK_PORTAL_REQUEST_HEAD_FILE, 204, NULL, NULL, NULL, "HTTP 204" },
    { GK_PORTAL_REQUEST_PUT_FILE, 201, "application/json", NULL, "{\"sha256\":\"…\"}", NULL },
    { GK_PORTAL_REQUEST_PUT_FILE, 200, NULL, NULL, "whatever", NULL },
    { GK_PORTAL_REQUEST_PUT_FILE, 202, NULL, NULL, NULL, "HTTP 202" },
    { GK_PORTAL_REQUEST_DELETE_DOCUMENT, 204, NULL, NULL, NULL, NULL },
    { GK_PORTAL_REQUEST_DELETE_DOCUMENT, 200, "application/json", NULL, "{}", "HTTP 200" },
    { GK_PORTAL_REQUEST_DELETE_DOCUMENT, 202, NULL, NULL, NULL, "HTTP 202" },
    /* GET /health */
    { GK_PORTAL_REQUEST_HEALTH, 200, "application/json", NULL, "{\"status\":\"ok\",\"api\":1,\"max_file_bytes\":104857600}", NULL },
    { GK_PORTAL_REQUEST_HEALTH, 200, "application/json", NULL, "{\"status\":\"ok\",\"api\":2,\"max_file_bytes\":1}", "“api” should be 1" },
    { GK_PORTAL_REQUEST_HEALTH, 200, "application/json", NULL, "{\"status\":\"down\",\"api\":1,\"max_file_bytes\":1}", "“status”" },
    { GK_PORTAL_REQUEST_HEALTH, 200, "application/json", NULL, "{\"status\":\"ok\",\"api\":1}", "“max_file_bytes” is missing" },
    { GK_PORTAL_REQUEST_HEALTH, 200, "application/json", NULL, "{\"status\":\"ok\",\"api\":1,\"max_file_bytes\":-5}", "“max_file_bytes”" },
    /* GET /documents */
    { GK_PORTAL_REQUEST_LIST_DOCUMENTS, 200, "application/json", NULL, "{\"items\":[" ITEM (ID_A, "1") "," ITEM (ID_B, "2") "],\"next\":null}", NULL },
    { GK_PORTAL_REQUEST_LIST_DOCUMENTS, 200, "application/json", NULL, "{\"items\":[],\"next\":\"c1\"}", NULL },
    { GK_PORTAL_REQUEST_LIST_DOCUMENTS, 200, "application/json", NULL, "{\"items\":[" ITEM (ID_B, "1") "," ITEM (ID_A, "2") "],\"next\":null}", "out of order" },
    { GK_PORTAL_REQUEST_LIST_DOCUMENTS, 200, "application/json", NULL, "{\"items\":[" ITEM (ID_A, "1") "," ITEM (ID_A, "1") "],\"next\":null}", "out of order" },
    { GK_PORTAL_REQUEST_LIST_DOCUMENTS, 200, "application/json", NULL, "{\"items\":[" ITEM ("policy-1", "1") "],\"next\":null}", "“items[0].id”" },
    { GK_PORTAL_REQUEST_LIST_DOCUMENTS, 200, "application/json", NULL, "{\"items\":[" ITEM (ID_A, "0") "],\"next\":null}", "“items[0].revision”" },
    { GK_PORTAL_REQUEST_LIST_DOCUMENTS, 200, "application/json", NULL, "{\"items\":[],\"next\":\"\"}", "“next”" },
    { GK_PORTAL_REQUEST_LIST_DOCUMENTS, 200, "application/json", NULL, "{\"items\":[]}", "“next” is missing" },
    { GK_PORTAL_REQUEST_LIST_DOCUMENTS, 200, "application/json", NULL, "{\"items\":{},\"next\":null}", "“items” should be an array" },
    /* Error answers need no JSON, and are classified, not believed. */
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 502, "text/html", NULL, "<html>502</html>", NULL },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 422, "application/json", NULL, "[[[[", NULL },
    /* Not an HTTP status a portal gives. */
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 199, NULL, NULL, NULL, "HTTP 199" },
    { GK_PORTAL_REQUEST_PUT_DOCUMENT, 600, NULL, NULL, NULL, "HTTP 600" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ReplyCase *c = &cases[i];
      GkPortalRequestInfo request = { c->kind, DOC_ID, 3, 2 };
      GkPortalReplyHeaders headers = { c->content_type, c->etag, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(GkPortalResponse) response =
        gk_portal_reply_parse (&request, c->status, &headers, (const guint8 *) c->body,
                               c->body != NULL ? strlen (c->body) : 0, &error);

      if (c->problem == NULL)
        {
          if (response == NULL)
            g_error ("case %u: refused: %s", i, error->message);
          if (c->status < 300)
            g_assert_cmpint (response->outcome, ==, GK_PORTAL_OK);
          else
            g_assert_cmpint (response->outcome, !=, GK_PORTAL_OK);
          continue;
        }
      if (response != NULL)
        g_error ("case %u: a broken answer was taken (%s)", i, gk_portal_outcome_to_string (response->outcome));
      g_assert_error (error, GK_ERROR, GK_ERROR_DAMAGED);
      if (strstr (error->message, c->problem) == NULL)
        g_error ("case %u: “%s” does not name “%s”", i, error->message, c->problem);
    }

  /* What a checked answer holds. */
  {
    GkPortalRequestInfo request = { GK_PORTAL_REQUEST_GET_DOCUMENT, DOC_ID, 0, 0 };
    GkPortalReplyHeaders headers = { "application/json", "\"abc\"", "3" };
    g_autoptr(GError) error = NULL;
    g_autoptr(GkPortalResponse) r =
      gk_portal_reply_parse (&request, 200, &headers, (const guint8 *) GOOD_GET, strlen (GOOD_GET), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (r->etag, ==, "abc");
    g_assert_cmpstr (r->id, ==, DOC_ID);
    g_assert_cmpint (r->revision, ==, 3);
    g_assert_cmpstr (r->document_status, ==, "withdrawn");
    g_assert_cmpstr (r->public_url, ==, "https://portal.example.gov.cn/docs/" DOC_ID);
    g_assert_cmpint (r->retry_after_ms, ==, 3000);
  }
  {
    static const char body[] = "{\"items\":[" ITEM (ID_A, "1") "," ITEM (ID_B, "7") "],\"next\":\"c2\"}";
    GkPortalRequestInfo request = { GK_PORTAL_REQUEST_LIST_DOCUMENTS, NULL, 0, 1 };
    GkPortalReplyHeaders headers = { "application/json", NULL, NULL };
    g_autoptr(GError) error = NULL;
    g_autoptr(GkPortalResponse) r = NULL;

    /* More entries than the limit asked for. */
    r = gk_portal_reply_parse (&request, 200, &headers, (const guint8 *) body, strlen (body), &error);
    g_assert_null (r);
    g_assert_nonnull (strstr (error->message, "more than the 1 asked for"));
    g_clear_error (&error);
    request.limit = 5;
    r = gk_portal_reply_parse (&request, 200, &headers, (const guint8 *) body, strlen (body), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (r->listed->len, ==, 2);
    g_assert_cmpint (((GkPortalListed *) g_ptr_array_index (r->listed, 1))->revision, ==, 7);
    g_assert_cmpstr (r->next, ==, "c2");
  }

  /* Bytes no JSON parser should recurse into, NUL bytes, a body that is
   * not UTF-8: refused, not crashed on. */
  {
    GkPortalRequestInfo request = { GK_PORTAL_REQUEST_PUT_DOCUMENT, DOC_ID, 3, 0 };
    GkPortalReplyHeaders headers = { "application/json", "\"abc\"", NULL };
    gsize deep_len = 1000000;
    g_autofree guint8 *deep = g_malloc (deep_len);
    static const guint8 nul[] = "{\"id\":\"a\"\0}";
    static const guint8 latin1[] = "{\"title\":\"\xe9\"}";
    g_autoptr(GError) error = NULL;

    memset (deep, '[', deep_len);
    g_assert_null (gk_portal_reply_parse (&request, 200, &headers, deep, deep_len, &error));
    g_assert_nonnull (strstr (error->message, "levels deep"));
    g_clear_error (&error);
    g_assert_null (gk_portal_reply_parse (&request, 200, &headers, nul, sizeof nul - 1, &error));
    g_assert_nonnull (strstr (error->message, "not UTF-8"));
    g_clear_error (&error);
    g_assert_null (gk_portal_reply_parse (&request, 200, &headers, latin1, sizeof latin1 - 1, &error));
    g_assert_nonnull (strstr (error->message, "not UTF-8"));
    g_clear_error (&error);
    /* An error answer that nests deep is still just an error answer. */
    {
      g_autoptr(GkPortalResponse) r = gk_portal_reply_parse (&request, 500, &headers, deep, deep_len, &error);

      g_assert_no_error (error);
      g_assert_cmpint (r->outcome, ==, GK_PORTAL_TRANSIENT);
      g_assert_null (r->body);
    }
  }
}

/* Found by fuzz/fuzz-portal-reply.c (fuzz/regressions/portal-reply/
 * facaab1e…): a value too long to show whole in the message was shortened
 * into a new string and the whole copy leaked, once per such answer.  A
 * sync that keeps getting such an answer must not grow without bound:
 * 20000 answers whose 90-character public_url is refused leak some
 * 2 MB, and the heap must not have grown by even a tenth of that.
 * (Under AddressSanitizer mallinfo2() stays 0, and LeakSanitizer
 * reports the leak itself.) */
static void
test_client_reply_long_value_not_leaked (void)
{
  g_autofree char *url = g_strnfill (90, 'x');
  g_autofree char *body =
    g_strdup_printf ("{\"id\":\"" DOC_ID "\",\"revision\":3,\"etag\":\"abc\","
                     "\"public_url\":\"%s\",\"status\":\"published\"}", url);
  GkPortalRequestInfo request = { GK_PORTAL_REQUEST_PUT_DOCUMENT, DOC_ID, 3, 0 };
  GkPortalReplyHeaders headers = { "application/json", "\"abc\"", NULL };
  size_t before;
  size_t after;

  for (guint round = 0; round < 2; round++)
    {
      before = mallinfo2 ().uordblks;
      for (guint i = 0; i < 20000; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GkPortalResponse) response =
            gk_portal_reply_parse (&request, 201, &headers, (const guint8 *) body, strlen (body), &error);

          g_assert_null (response);
          g_assert_error (error, GK_ERROR, GK_ERROR_DAMAGED);
          g_assert_nonnull (strstr (error->message, "“public_url” should be an absolute http(s) address"));
          g_assert_nonnull (strstr (error->message, "…"));
        }
      after = mallinfo2 ().uordblks;
      /* The first round may allocate once (translations, type classes). */
      if (round == 1 && after > before)
        g_assert_cmpuint (after - before, <, 200000);
    }
}

static void
test_client_connection_refused (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkPortalClient) client = NULL;
  g_autofree char *url = NULL;
  GkPortalResponse *r;

  /* A port nobody listens on: bind it, then close it. */
  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  bound = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u/api/v1",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);
  client = gk_portal_client_new (url, TOKEN, NULL, &error);
  g_assert_no_error (error);
  r = send_put_document (client, GK_PORTAL_PRECONDITION_CREATE, NULL);
  g_assert_cmpint (r->outcome, ==, GK_PORTAL_TRANSIENT);
  g_assert_cmpuint (r->status, ==, 0);
  g_assert_null (strstr (r->message, TOKEN));
  gk_portal_response_free (r);
}

/* TLS: a server whose certificate an agency CA signed is refused until
 * that CA is given as the extra CA file. */
static gboolean
run_openssl (const char *dir,
             const char *args)
{
  g_autofree char *command = g_strdup_printf ("openssl %s", args);
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_shell_parse_argv (command, NULL, &argv, NULL));
  if (!g_spawn_sync (dir, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

static void
on_tls_health_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  static const char body[] = "{\"status\":\"ok\",\"api\":1,\"max_file_bytes\":1000}";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
test_client_tls_ca_file (void)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *dir = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  dir = g_dir_make_tmp ("gk-sync-tls-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (g_build_filename (dir, "ext.cnf", NULL),
                                      "basicConstraints=CA:FALSE\n"
                                      "keyUsage=digitalSignature,keyEncipherment\n"
                                      "extendedKeyUsage=serverAuth\n"
                                      "subjectAltName=IP:127.0.0.1,DNS:localhost\n", -1, NULL));
  if (!run_openssl (dir, "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
                         "-subj /CN=Gongkai-Test-Agency-CA -addext basicConstraints=critical,CA:TRUE "
                         "-addext keyUsage=critical,keyCertSign,cRLSign") ||
      !run_openssl (dir, "req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1") ||
      !run_openssl (dir, "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
                         "-out server.pem -days 2 -extfile ext.cnf"))
    {
      g_test_skip ("openssl could not make the test certificates");
      gk_test_remove_tree (dir);
      return;
    }
  ca = g_build_filename (dir, "ca.pem", NULL);
  cert_path = g_build_filename (dir, "server.pem", NULL);
  key_path = g_build_filename (dir, "server.key", NULL);
  cert = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);

  server = soup_server_new ("tls-certificate", cert, NULL);
  soup_server_add_handler (server, NULL, on_tls_health_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                                           &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("https://127.0.0.1:%d/api/v1", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* Without the CA file: not trusted, and that stops everything. */
  {
    g_autoptr(GkPortalClient) client = gk_portal_client_new (url, TOKEN, NULL, &error);
    ClientWait wait = { 0 };

    g_assert_no_error (error);
    gk_portal_client_get_document_async (client, "0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10", NULL,
                                         on_request_cb, &wait);
    g_assert_true (gk_test_pump_until (&wait.done, 10000));
    g_assert_nonnull (wait.response);
    g_assert_cmpint (wait.response->outcome, ==, GK_PORTAL_FATAL);
    g_assert_nonnull (strstr (wait.response->message, "not trusted"));
    gk_portal_response_free (wait.response);
  }

  /* With it: the same server is trusted. */
  {
    GkPortalClientOptions options = { .ca_file = ca };
    g_autoptr(GkPortalClient) client = gk_portal_client_new (url, TOKEN, &options, &error);
    ClientWait wait = { 0 };

    g_assert_no_error (error);
    gk_portal_client_health_async (client, NULL, on_health_cb, &wait);
    g_assert_true (gk_test_pump_until (&wait.done, 10000));
    g_assert_no_error (wait.error);
    g_assert_true (wait.ok);
    g_assert_cmpint (wait.max_file_bytes, ==, 1000);
  }

  /* A CA file that is not one. */
  {
    GkPortalClientOptions options = { .ca_file = key_path };
    g_autoptr(GkPortalClient) client = gk_portal_client_new (url, TOKEN, &options, &error);

    g_assert_null (client);
    g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
    g_clear_error (&error);
  }

  soup_server_disconnect (server);
  gk_test_remove_tree (dir);
}

/* ---- the engine against the real portal ---- */

static void
test_publish_update_withdraw (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *a = gk_sync_fixture_make_approved (f, "关于印发2025年政务公开工作要点的通知");
  g_autofree char *b = gk_sync_fixture_make_approved (f, "关于做好汛期安全防范工作的通知");
  g_autofree char *c = gk_sync_fixture_make_approved (f, "关于开展安全生产月活动的通知");
  g_autofree char *draft = gk_sync_fixture_make_item (f, "草稿：不应发布", "proactive");
  g_autoptr(GkSyncReport) first = NULL;
  g_autoptr(GkSyncReport) again = NULL;
  g_autoptr(GkSyncReport) update = NULL;
  g_autoptr(GkSyncReport) withdraw = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[] = { a, b, c };

  first = gk_sync_fixture_run_sync (f);
  g_assert_cmpuint (first->results->len, ==, 3);
  g_assert_cmpuint (f->progress_calls, ==, 3);
  g_assert_false (first->stopped);
  g_assert_cmpint (gk_sync_report_exit_status (first), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, ids[i]);
      const GkSyncItemResult *result = gk_sync_fixture_find_result (first, ids[i]);

      gk_sync_fixture_assert_outcome (first, ids[i], GK_SYNC_OUTCOME_PUBLISHED);
      g_assert_cmpint (item->state, ==, GK_STATE_PUBLISHED);
      g_assert_cmpstr (item->publish_date, ==, TODAY);
      g_assert_nonnull (item->public_url);
      g_assert_cmpstr (result->public_url, ==, item->public_url);
      g_assert_cmpstr (result->title, ==, item->title);
      gk_sync_fixture_assert_portal_has_approved (f, ids[i]);
    }
  g_assert_null (gk_sync_fixture_find_result (first, draft));
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "HEAD", "/files/"), ==, 3);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/files/"), ==, 3);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 3);

  /* The result is in the audit, with the ETag and URL. */
  {
    g_autoptr(GPtrArray) log = gk_store_audit_log (f->store, a, &error);
    gboolean found = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < log->len; i++)
      {
        GkAuditEntry *entry = g_ptr_array_index (log, i);

        if (g_strcmp0 (entry->action, "sync") == 0 && strstr (entry->details, "\"outcome\":\"published\"") != NULL)
          {
            g_assert_cmpstr (entry->actor, ==, "pat");
            found = TRUE;
          }
      }
    g_assert_true (found);
  }

  /* Nothing new: nothing is sent again (only the health check). */
  gk_fault_proxy_reset_counts (f->proxy);
  again = gk_sync_fixture_run_sync (f);
  g_assert_cmpuint (again->results->len, ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", NULL), ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "GET", "/health"), ==, 1);

  /* An edit makes a new revision: not sent until it is approved again. */
  gk_sync_fixture_edit_field (f, a, "summary", "更新后的内容概述");
  {
    g_autoptr(GkSyncReport) report = gk_sync_fixture_run_sync (f);

    g_assert_null (gk_sync_fixture_find_result (report, a));
    g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 0);
  }
  gk_sync_fixture_approve (f, a);
  update = gk_sync_fixture_run_sync (f);
  gk_sync_fixture_assert_outcome (update, a, GK_SYNC_OUTCOME_UPDATED);
  gk_sync_fixture_assert_portal_has_approved (f, a);
  {
    g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, a);
    guint status = 0;
    g_autofree char *path = g_strconcat ("/documents/", a, NULL);
    g_autoptr(JsonNode) doc = gk_sync_fixture_portal_get (f, path, &status);

    g_assert_cmpint (item->revision, ==, 2);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (doc), "revision"), ==, 2);
    /* The first publication date stays. */
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (doc), "publish_date"), ==, TODAY);
  }
  /* The file was already there: HEAD only. */
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/files/"), ==, 0);

  /* Withdraw a published item: a DELETE at the next sync. */
  {
    gboolean queued = FALSE;

    g_assert_false (gk_sync_withdraw (f->store, "dora", b, "错误发布", &queued, &error));
    g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
    g_clear_error (&error);
    g_assert_false (gk_sync_withdraw (f->store, "pat", b, "  ", &queued, &error));
    g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_true (gk_sync_withdraw (f->store, "pat", b, "内容有误，撤回", &queued, &error));
    g_assert_no_error (error);
    g_assert_true (queued);
    g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 1);
  }
  withdraw = gk_sync_fixture_run_sync (f);
  gk_sync_fixture_assert_outcome (withdraw, b, GK_SYNC_OUTCOME_WITHDRAWN);
  {
    g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, b);
    guint status = 0;
    g_autofree char *path = g_strconcat ("/documents/", b, NULL);
    g_autoptr(JsonNode) doc = gk_sync_fixture_portal_get (f, path, &status);

    g_assert_cmpint (item->state, ==, GK_STATE_WITHDRAWN);
    g_assert_null (item->public_url);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (doc), "status"), ==, "withdrawn");
  }
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);

  /* An approved item that never left: withdrawing only changes state. */
  {
    g_autofree char *never = gk_sync_fixture_make_item (f, "已批准但未发布", "proactive");
    gboolean queued = TRUE;
    g_autoptr(GkItem) item = NULL;

    gk_sync_fixture_submit (f, never);
    gk_sync_fixture_approve_stage (f, "rita", never);
    /* Not approved yet: cannot be withdrawn. */
    g_assert_false (gk_sync_withdraw (f->store, "pat", never, "不需要", &queued, &error));
    g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
    g_clear_error (&error);
    gk_sync_fixture_approve_stage (f, "rob", never);
    g_assert_true (gk_sync_withdraw (f->store, "pat", never, "不需要发布", &queued, &error));
    g_assert_no_error (error);
    g_assert_false (queued);
    item = gk_sync_fixture_get_item (f, never);
    g_assert_cmpint (item->state, ==, GK_STATE_WITHDRAWN);
    g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);
  }

  listed = gk_sync_fixture_portal_list (f);
  g_assert_cmpuint (listed->len, ==, 3);
}

/* A job written while the item was approved, then the item edited: the
 * job is not sent (the gate is checked again before sending). */
static void
test_safety_gate_queued_then_edited (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *good = gk_sync_fixture_make_approved (f, "已批准");
  g_autofree char *queued_then_edited = gk_sync_fixture_make_approved (f, "排队后又修改");
  g_autoptr(GkSyncReport) report = NULL;
  g_autoptr(GPtrArray) listed = NULL;

  /* The first run cannot reach any portal: the jobs stay queued. */
  {
    g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
    g_autoptr(GkSyncReport) unreachable = NULL;

    g_free (options->portal_url);
    options->portal_url = g_strdup ("http://127.0.0.1:9/api/v1");
    options->max_attempts = 1;
    unreachable = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
    g_assert_no_error (error);
    gk_sync_fixture_assert_outcome (unreachable, good, GK_SYNC_OUTCOME_FAILED);
    gk_sync_fixture_assert_outcome (unreachable, queued_then_edited, GK_SYNC_OUTCOME_FAILED);
    g_assert_cmpint (gk_sync_report_exit_status (unreachable), ==, 1);
    g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 2);
  }
  gk_sync_fixture_edit_field (f, queued_then_edited, "summary", "排队后修改");

  report = gk_sync_fixture_run_sync (f);
  gk_sync_fixture_assert_outcome (report, good, GK_SYNC_OUTCOME_PUBLISHED);
  gk_sync_fixture_assert_outcome (report, queued_then_edited, GK_SYNC_OUTCOME_SKIPPED);
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);

  /* Exactly one document reached the portal: the approved one. */
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 1);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/files/"), ==, 1);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "HEAD", "/files/"), ==, 1);
  listed = gk_sync_fixture_portal_list (f);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (listed, 0), ==, good);
}

static void
test_safety_gate_nothing_sent (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *draft = gk_sync_fixture_make_item (f, "草稿", "proactive");
  g_autofree char *in_review = gk_sync_fixture_make_item (f, "审核中", "proactive");
  g_autofree char *half = gk_sync_fixture_make_item (f, "保密审查已通过", "proactive");
  g_autofree char *returned = gk_sync_fixture_make_item (f, "退回修改", "proactive");
  g_autofree char *edited = gk_sync_fixture_make_approved (f, "批准后又修改");
  g_autofree char *on_request = gk_sync_fixture_make_item (f, "依申请公开", "on_request");
  g_autofree char *withheld = gk_sync_fixture_make_item (f, "不予公开", "withheld");
  g_autofree char *withdrawn = gk_sync_fixture_make_approved (f, "已撤回");
  g_autoptr(GkSyncReport) report = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  gboolean queued;

  gk_sync_fixture_submit (f, in_review);
  gk_sync_fixture_submit (f, half);
  gk_sync_fixture_approve_stage (f, "rita", half);
  gk_sync_fixture_submit (f, returned);
  g_assert_true (gk_workflow_return (f->store, "rita", returned, "请补充", &error));
  gk_sync_fixture_edit_field (f, edited, "title", "批准后又修改（改）");
  gk_sync_fixture_approve (f, on_request);
  gk_sync_fixture_approve (f, withheld);
  g_assert_true (gk_sync_withdraw (f->store, "pat", withdrawn, "不发布了", &queued, &error));
  g_assert_no_error (error);

  report = gk_sync_fixture_run_sync (f);
  g_assert_cmpuint (gk_sync_report_count (report, GK_SYNC_OUTCOME_PUBLISHED), ==, 0);
  g_assert_cmpuint (gk_sync_report_count (report, GK_SYNC_OUTCOME_UPDATED), ==, 0);
  /* Approved but not proactive: filed, never sent, not in the report … */
  g_assert_null (gk_sync_fixture_find_result (report, on_request));
  g_assert_null (gk_sync_fixture_find_result (report, withheld));
  g_assert_null (gk_sync_fixture_find_result (report, draft));
  g_assert_null (gk_sync_fixture_find_result (report, in_review));
  g_assert_null (gk_sync_fixture_find_result (report, half));
  g_assert_null (gk_sync_fixture_find_result (report, returned));
  g_assert_null (gk_sync_fixture_find_result (report, edited));
  g_assert_null (gk_sync_fixture_find_result (report, withdrawn));
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", NULL), ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "HEAD", NULL), ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "DELETE", NULL), ==, 0);
  listed = gk_sync_fixture_portal_list (f);
  g_assert_cmpuint (listed->len, ==, 0);
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);

  /* … but a dry run says why they would not go. */
  {
    g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
    g_autoptr(GkSyncReport) dry = NULL;

    options->dry_run = TRUE;
    dry = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
    g_assert_no_error (error);
    gk_sync_fixture_assert_outcome (dry, on_request, GK_SYNC_OUTCOME_SKIPPED);
    gk_sync_fixture_assert_outcome (dry, withheld, GK_SYNC_OUTCOME_SKIPPED);
    g_assert_nonnull (strstr (gk_sync_fixture_find_result (dry, on_request)->message, "never published"));
    g_assert_cmpuint (dry->results->len, ==, 2);
  }
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *a = gk_sync_fixture_make_approved (f, "试运行");
  g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
  g_autoptr(GkSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = NULL;

  options->dry_run = TRUE;
  g_clear_pointer (&options->token, g_free); /* no token needed: nothing is sent */
  report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (report->dry_run);
  gk_sync_fixture_assert_outcome (report, a, GK_SYNC_OUTCOME_SKIPPED);
  g_assert_cmpstr (gk_sync_fixture_find_result (report, a)->operation, ==, "publish");
  g_assert_nonnull (strstr (gk_sync_fixture_find_result (report, a)->message, "Dry run"));
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, NULL, NULL), ==, 0);
  item = gk_sync_fixture_get_item (f, a);
  g_assert_cmpint (item->state, ==, GK_STATE_APPROVED);
}

/* The publisher chose one of two approved documents: only it goes out;
 * the other stays approved, nothing of it is queued or sent, and the next
 * run (of all) publishes it. */
static void
test_only_chosen (Fixture *f, gconstpointer data)
{
  g_autofree char *a = gk_sync_fixture_make_approved (f, "关于甲事项的通知");
  g_autofree char *b = gk_sync_fixture_make_approved (f, "关于乙事项的通知");
  g_autoptr (GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
  g_autoptr (GkSyncReport) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GkItem) item = NULL;
  g_autofree char *b_path = g_strdup_printf ("/documents/%s", b);

  options->only_ids = g_strdupv ((char *[]){ a, NULL });
  report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  gk_sync_fixture_assert_outcome (report, a, GK_SYNC_OUTCOME_PUBLISHED);
  g_assert_null (gk_sync_fixture_find_result (report, b));
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", b_path), ==, 0);
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);
  item = gk_sync_fixture_get_item (f, b);
  g_assert_cmpint (item->state, ==, GK_STATE_APPROVED);
  g_clear_object (&item);
  item = gk_sync_fixture_get_item (f, a);
  g_assert_cmpint (item->state, ==, GK_STATE_PUBLISHED);
  g_clear_object (&item);
  g_clear_pointer (&report, gk_sync_report_free);

  g_clear_pointer (&options->only_ids, g_strfreev);
  report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  gk_sync_fixture_assert_outcome (report, b, GK_SYNC_OUTCOME_PUBLISHED);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", b_path), ==, 1);
  item = gk_sync_fixture_get_item (f, b);
  g_assert_cmpint (item->state, ==, GK_STATE_PUBLISHED);
}

static void
test_roles_and_options (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "dora");
  g_autoptr(GkSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);

  g_free (options->actor);
  options->actor = g_strdup ("pat");
  g_clear_pointer (&options->token, g_free);
  report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "GONGKAI_PORTAL_TOKEN"));
  g_clear_error (&error);

  options->token = g_strdup (TOKEN);
  g_free (options->portal_url);
  options->portal_url = g_strdup ("http://portal.example.gov.cn/api/v1");
  report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
  g_clear_error (&error);

  /* Without --portal the library setting is used. */
  g_assert_true (gk_store_set_setting (f->store, "admin", "portal_url",
                                       gk_fault_proxy_get_base_url (f->proxy), &error));
  g_assert_no_error (error);
  g_clear_pointer (&options->portal_url, g_free);
  report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (report->portal_url, ==, gk_fault_proxy_get_base_url (f->proxy));
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "GET", "/health"), ==, 1);
}

static void
on_check_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  gk_sync_fixture_on_done_cb (object, result, user_data);
}

static GkSyncCheckReport *
run_check (Fixture *f)
{
  g_autoptr(GkSync) sync = gk_sync_new (f->store);
  g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
  g_autoptr(GError) error = NULL;
  GkSyncWait wait = { 0 };
  GkSyncCheckReport *report;

  gk_sync_check_async (sync, options, NULL, on_check_done_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 30000));
  report = gk_sync_check_finish (sync, wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return report;
}

static const GkSyncDrift *
find_drift (GkSyncCheckReport *report,
            const char        *id)
{
  for (guint i = 0; i < report->drift->len; i++)
    {
      const GkSyncDrift *drift = g_ptr_array_index (report->drift, i);

      if (g_strcmp0 (drift->id, id) == 0)
        return drift;
    }
  return NULL;
}

static void
test_check (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *kept = gk_sync_fixture_make_approved (f, "一致");
  g_autofree char *deleted_there = gk_sync_fixture_make_approved (f, "门户上被删除");
  g_autofree char *stale = gk_sync_fixture_make_approved (f, "本地已更新");
  g_autofree char *withdrawn_here = gk_sync_fixture_make_approved (f, "本地已撤回");
  g_autofree char *pending = NULL;
  g_autoptr(GkSyncReport) report = NULL;
  g_autoptr(GkSyncCheckReport) check = NULL;
  g_autoptr(GError) error = NULL;
  const char *extra_id = "0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10";
  gint64 jobs_before;
  guint status;

  report = gk_sync_fixture_run_sync (f);
  g_assert_cmpuint (gk_sync_report_count (report, GK_SYNC_OUTCOME_PUBLISHED), ==, 4);

  /* Drift, made behind the workstation's back or not yet synced. */
  pending = gk_sync_fixture_make_approved (f, "已批准待发布");
  {
    g_autofree char *path = g_strconcat ("/documents/", deleted_there, NULL);
    g_assert_cmpuint (gk_sync_fixture_portal_send (f, "DELETE", path, NULL, NULL), ==, 204);
  }
  gk_sync_fixture_edit_field (f, stale, "summary", "新概述");
  gk_sync_fixture_approve (f, stale);
  {
    gboolean queued;
    g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, withdrawn_here);
    g_autofree char *body = NULL;
    g_autofree char *path = g_strconcat ("/documents/", extra_id, NULL);

    /* Withdrawn here while the DELETE has not gone out. */
    g_assert_true (gk_sync_withdraw (f->store, "pat", withdrawn_here, "撤回", &queued, &error));
    g_assert_true (queued);
    /* A document the portal has that this library never published. */
    body = g_strdup_printf ("{\"id\":\"%s\",\"index_no\":\"X-1\",\"title\":\"门户自有\",\"issuer\":\"某局\","
                            "\"written_date\":\"2025-01-01\",\"publish_date\":\"2025-01-02\","
                            "\"disclosure\":\"proactive\",\"file\":{\"sha256\":\"%s\",\"media_type\":"
                            "\"application/pdf\",\"bytes\":%" G_GINT64_FORMAT ",\"name\":\"x.pdf\"},\"revision\":1}",
                            extra_id, item->file_sha256, item->file_bytes);
    status = gk_sync_fixture_portal_send (f, "PUT", path, "application/json", body);
    g_assert_cmpuint (status, ==, 201);
  }

  jobs_before = gk_sync_fixture_outbox_size (f);
  gk_fault_proxy_reset_counts (f->proxy);
  check = run_check (f);
  g_assert_cmpuint (check->n_portal, ==, 5);
  g_assert_null (find_drift (check, kept));
  g_assert_nonnull (find_drift (check, deleted_there));
  g_assert_cmpint (find_drift (check, deleted_there)->kind, ==, GK_SYNC_DRIFT_MISSING);
  g_assert_cmpint (find_drift (check, pending)->kind, ==, GK_SYNC_DRIFT_MISSING);
  g_assert_cmpint (find_drift (check, stale)->kind, ==, GK_SYNC_DRIFT_STALE);
  g_assert_cmpint (find_drift (check, stale)->portal_revision, ==, 1);
  g_assert_cmpint (find_drift (check, stale)->local_revision, ==, 2);
  g_assert_cmpint (find_drift (check, extra_id)->kind, ==, GK_SYNC_DRIFT_EXTRA);
  g_assert_null (find_drift (check, extra_id)->title);
  /* withdraw queued but not sent: still published here, so consistent */
  g_assert_null (find_drift (check, withdrawn_here));
  g_assert_cmpuint (check->drift->len, ==, 4);

  /* It changed nothing, and only read. */
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, jobs_before);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", NULL), ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "DELETE", NULL), ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "GET", "/documents"), >=, 1);

  {
    g_autoptr(JsonNode) json = gk_sync_check_report_to_json (check);
    JsonObject *summary = json_object_get_object_member (json_node_get_object (json), "summary");

    g_assert_cmpint (json_object_get_int_member (summary, "missing"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (summary, "extra"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (summary, "stale"), ==, 1);
  }

  /* After a sync the differences this library can settle are gone. */
  g_clear_pointer (&report, gk_sync_report_free);
  report = gk_sync_fixture_run_sync (f);
  g_clear_pointer (&check, gk_sync_check_report_free);
  check = run_check (f);
  g_assert_null (find_drift (check, stale));
  g_assert_null (find_drift (check, pending));
  g_assert_null (find_drift (check, withdrawn_here));
  g_assert_nonnull (find_drift (check, extra_id));
}

static void
test_needs_reapproval (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = gk_sync_fixture_make_item (f, "某某管理办法（规范性文件）", "proactive");
  g_autoptr(GkSyncReport) first = NULL;
  g_autoptr(GkSyncReport) second = NULL;
  g_autoptr(GkSyncReport) third = NULL;
  g_autoptr(GPtrArray) expiring = NULL;
  g_autoptr(GError) error = NULL;

  gk_sync_fixture_edit_field (f, id, "category", "normative_document");
  gk_sync_fixture_edit_field (f, id, "validity.status", "valid");
  gk_sync_fixture_edit_field (f, id, "validity.effective_from", "2023-01-01");
  gk_sync_fixture_edit_field (f, id, "validity.effective_until", "2025-05-31");
  gk_sync_fixture_approve (f, id);
  first = gk_sync_fixture_run_sync (f);
  gk_sync_fixture_assert_outcome (first, id, GK_SYNC_OUTCOME_PUBLISHED);

  /* Past its term (TODAY is 2025-06-02): reported, not sent. */
  expiring = gk_sync_list_needing_reapproval (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expiring->len, ==, 1);
  gk_fault_proxy_reset_counts (f->proxy);
  second = gk_sync_fixture_run_sync (f);
  gk_sync_fixture_assert_outcome (second, id, GK_SYNC_OUTCOME_SKIPPED);
  g_assert_nonnull (strstr (gk_sync_fixture_find_result (second, id)->message, "re-approval"));
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", NULL), ==, 0);

  /* Through the workflow: edit, approve, then the update goes out. */
  gk_sync_fixture_edit_field (f, id, "validity.status", "expired");
  gk_sync_fixture_approve (f, id);
  third = gk_sync_fixture_run_sync (f);
  gk_sync_fixture_assert_outcome (third, id, GK_SYNC_OUTCOME_UPDATED);
  gk_sync_fixture_assert_portal_has_approved (f, id);
  {
    guint status = 0;
    g_autofree char *path = g_strconcat ("/documents/", id, NULL);
    g_autoptr(JsonNode) doc = gk_sync_fixture_portal_get (f, path, &status);
    JsonObject *validity = json_object_get_object_member (json_node_get_object (doc), "validity");

    g_assert_cmpstr (json_object_get_string_member (validity, "status"), ==, "expired");
  }
  g_clear_pointer (&expiring, g_ptr_array_unref);
  expiring = gk_sync_list_needing_reapproval (f->store, NULL, &error);
  g_assert_cmpuint (expiring->len, ==, 0);
}

static gboolean
on_cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_and_concurrency (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GkSyncReport) cancelled = NULL;
  g_autoptr(GkSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = NULL;

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *title = g_strdup_printf ("并发测试 %u", i);
      g_ptr_array_add (ids, gk_sync_fixture_make_approved (f, title));
    }

  /* Slow documents; cancel while they are under way. */
  gk_fault_proxy_add_full (f->proxy, "PUT", "/documents/", GK_FAULT_DELAY, GK_FAULT_ALWAYS, 150);
  options->concurrency = 2;

  /* One sync at a time per library. */
  {
    g_autoptr(GkSync) one = gk_sync_new (f->store);
    g_autoptr(GkSync) two = gk_sync_new (f->store);
    g_autoptr(GkSyncReport) first = NULL;
    g_autoptr(GkSyncReport) second = NULL;
    g_autoptr(GCancellable) stop = g_cancellable_new ();
    GkSyncWait wait_one = { 0 };
    GkSyncWait wait_two = { 0 };

    gk_sync_run_async (one, options, NULL, NULL, NULL, stop, gk_sync_fixture_on_done_cb, &wait_one);
    gk_sync_run_async (two, options, NULL, NULL, NULL, NULL, gk_sync_fixture_on_done_cb, &wait_two);
    g_assert_true (gk_test_pump_until (&wait_two.done, 10000));
    second = gk_sync_run_finish (two, wait_two.result, &error);
    g_assert_null (second);
    g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
    g_assert_nonnull (strstr (error->message, "Another sync"));
    g_clear_error (&error);
    g_cancellable_cancel (stop);
    g_assert_true (gk_test_pump_until (&wait_one.done, 10000));
    first = gk_sync_run_finish (one, wait_one.result, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_object_unref (wait_one.result);
    g_object_unref (wait_two.result);
  }

  g_timeout_add (200, on_cancel_cb, cancellable);
  cancelled = gk_sync_fixture_run_sync_full (f, options, cancellable, &error);
  g_assert_null (cancelled);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), >, 0);

  /* Again, to the end: never more than 2 at once, all published once.
   * (Let the proxy finish what the cancelled run left with it first.) */
  {
    gboolean never = FALSE;
    gk_test_pump_until (&never, 400);
  }
  gk_fault_proxy_reset_counts (f->proxy);
  report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gk_fault_proxy_get_max_in_flight (f->proxy), <=, 2);
  g_assert_cmpuint (gk_fault_proxy_get_max_connections (f->proxy), <=, 2);
  g_assert_cmpint (gk_sync_fixture_outbox_size (f), ==, 0);
  listed = gk_sync_fixture_portal_list (f);
  g_assert_cmpuint (listed->len, ==, 8);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, g_ptr_array_index (ids, i));

      g_assert_cmpint (item->state, ==, GK_STATE_PUBLISHED);
      gk_sync_fixture_assert_portal_has_approved (f, g_ptr_array_index (ids, i));
    }
  gk_fault_proxy_clear (f->proxy);
}

/* ---- gongkai-ctl ---- */

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *a = gk_sync_fixture_make_approved (f, "命令行发布");
  g_autofree char *b = gk_sync_fixture_make_approved (f, "命令行撤回");
  g_autofree char *token_file = g_build_filename (f->dir, "token", NULL);
  g_autofree char *bad_token_file = g_build_filename (f->dir, "bad-token", NULL);
  const char *url = gk_fault_proxy_get_base_url (f->proxy);

  g_assert_true (g_file_set_contents_full (token_file, TOKEN "\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  g_assert_true (g_file_set_contents_full (bad_token_file, "wrong-token-123456\n", -1, G_FILE_SET_CONTENTS_NONE,
                                           0600, NULL));
  {
    g_auto(GkSyncRun) r = { 0 };

    gk_sync_fixture_ctl (f, &r, "dora", "sync", "--portal", url, "--token-file", token_file, NULL);
    g_assert_cmpint (r.status, ==, 3);
    g_assert_nonnull (strstr (r.err, "publisher"));
  }
  {
    g_auto(GkSyncRun) r = { 0 };

    gk_sync_fixture_ctl (f, &r, "pat", "--json", "sync", "--portal", url, "--token-file", token_file, "--dry-run", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (json_object_get_boolean_member (
      json_object_get_object_member (json_node_get_object (r.json), "summary"), "dry_run"));
  }
  {
    g_auto(GkSyncRun) r = { 0 };
    JsonObject *root;
    JsonArray *results;

    gk_sync_fixture_ctl (f, &r, "pat", "--json", "sync", "--portal", url, "--token-file", token_file,
                         "--concurrency", "2", NULL);
    g_assert_cmpint (r.status, ==, 0);
    root = json_node_get_object (r.json);
    results = json_object_get_array_member (root, "results");
    g_assert_cmpuint (json_array_get_length (results), ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        JsonObject *result = json_array_get_object_element (results, i);

        g_assert_cmpstr (json_object_get_string_member (result, "outcome"), ==, "published");
        g_assert_true (json_object_has_member (result, "id"));
        g_assert_true (json_object_has_member (result, "title"));
        g_assert_true (json_object_has_member (result, "message"));
        g_assert_nonnull (json_object_get_string_member (result, "public_url"));
      }
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "summary"), "published"), ==, 2);
  }
  {
    g_auto(GkSyncRun) r = { 0 };

    gk_sync_fixture_ctl (f, &r, "pat", "--json", "withdraw", b, "--reason", "错误", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (r.json), "withdraw_queued"));
  }
  {
    g_auto(GkSyncRun) r = { 0 };

    gk_sync_fixture_ctl (f, &r, "pat", "withdraw", b, NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(GkSyncRun) r = { 0 };

    /* The token from the environment works too; the portal from the setting. */
    g_assert_true (gk_store_set_setting (f->store, "admin", "portal_url", url, NULL));
    f->ctl_token = TOKEN;
    gk_sync_fixture_ctl (f, &r, "pat", "sync", NULL);
    f->ctl_token = NULL;
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Withdrawn"));
  }
  {
    g_auto(GkSyncRun) r = { 0 };

    gk_sync_fixture_ctl (f, &r, "pat", "--json", "sync", "--check", "--token-file", token_file, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (r.json), "drift")),
                      ==, 0);
  }
  {
    g_auto(GkSyncRun) r = { 0 };

    /* A refused token: exit 3 and a clear message, without the token. */
    gk_sync_fixture_ctl (f, &r, "pat", "sync", "--token-file", bad_token_file, NULL);
    g_assert_cmpint (r.status, ==, 3);
    g_assert_nonnull (strstr (r.err, "refused the token"));
    g_assert_null (strstr (r.err, "wrong-token-123456"));
    g_assert_null (strstr (r.out, "wrong-token-123456"));
  }
  {
    g_auto(GkSyncRun) r = { 0 };

    gk_sync_fixture_ctl (f, &r, "pat", "sync", "--token-file", token_file, "--resolve", a, NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(GkSyncRun) r = { 0 };

    gk_sync_fixture_ctl (f, &r, "pat", "sync", "--token-file", token_file, "--resolve", a, "overwrite", NULL);
    g_assert_cmpint (r.status, ==, 3);
  }
  {
    g_auto(GkSyncRun) r = { 0 };

    /* Not in conflict: nothing to resolve. */
    gk_sync_fixture_ctl (f, &r, "admin", "sync", "--token-file", token_file, "--resolve", a, "overwrite", NULL);
    g_assert_cmpint (r.status, ==, 3);
    g_assert_nonnull (strstr (r.err, "not in conflict"));
  }
  {
    g_auto(GkSyncRun) r = { 0 };

    gk_sync_fixture_ctl (f, &r, "pat", "sync", "--portal", "http://portal.example.gov.cn/api", "--token-file", token_file, NULL);
    g_assert_cmpint (r.status, ==, 3);
    g_assert_nonnull (strstr (r.err, "--allow-insecure"));
  }
}

/* ---- what the caller's main context sees ---- */

typedef struct
{
  GPtrArray *ids;     /* as the progress callback saw them */
  guint      n_ticks; /* of the "frame clock" */
  guint      run;     /* progress callbacks since the last tick */
  guint      longest_run;
  gboolean   done_seen;
  gboolean   late; /* a progress callback after the result */
} Deliveries;

static void
on_slow_progress_cb (const GkSyncItemResult *result,
                     guint                   n_done,
                     guint                   n_total,
                     gpointer                user_data)
{
  Deliveries *d = user_data;

  if (d->done_seen)
    d->late = TRUE;
  g_ptr_array_add (d->ids, g_strdup (result->id));
  g_assert_cmpuint (n_done, ==, d->ids->len);
  d->run++;
  d->longest_run = MAX (d->longest_run, d->run);
  /* A window that takes its time over each result. */
  g_usleep (50 * 1000);
}

static gboolean
on_tick_cb (gpointer user_data)
{
  Deliveries *d = user_data;

  d->n_ticks++;
  d->run = 0;
  return G_SOURCE_CONTINUE;
}

static void
on_slow_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GkSyncWait *wait = user_data;

  gk_sync_fixture_on_done_cb (object, result, wait);
}

/* Results arrive faster than a slow window handles them: they are
 * delivered in order, each once, the report after the last, and never
 * so many in one go that a source of drawing's priority (GTK's frame
 * clock, 16 ms) waits behind them — the window keeps drawing while a
 * batch of 1,000 finishes. */
static void
test_progress_leaves_room_to_draw (Fixture *f, gconstpointer data)
{
  enum
  {
    N = 30
  };
  g_autoptr (GkSync) sync = gk_sync_new (f->store);
  g_autoptr (GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
  g_autoptr (GkSyncReport) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSource) tick = g_timeout_source_new (16);
  Deliveries d = { g_ptr_array_new_with_free_func (g_free) };
  GkSyncWait wait = { 0 };

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *title = g_strdup_printf ("关于第%u批文件的通知", i + 1);
      g_free (gk_sync_fixture_make_approved (f, title));
    }
  g_source_set_priority (tick, G_PRIORITY_HIGH_IDLE + 20); /* GDK_PRIORITY_REDRAW */
  g_source_set_callback (tick, on_tick_cb, &d, NULL);
  g_source_attach (tick, NULL);

  gk_sync_run_async (sync, options, on_slow_progress_cb, &d, NULL, NULL, on_slow_done_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 30000));
  d.done_seen = TRUE;
  report = gk_sync_run_finish (sync, wait.result, &error);
  g_object_unref (wait.result);
  g_source_destroy (tick);
  g_assert_no_error (error);

  g_assert_cmpuint (gk_sync_report_count (report, GK_SYNC_OUTCOME_PUBLISHED), ==, N);
  g_assert_cmpuint (d.ids->len, ==, report->results->len);
  for (guint i = 0; i < d.ids->len; i++)
    g_assert_cmpstr (g_ptr_array_index (d.ids, i), ==,
                     ((GkSyncItemResult *) g_ptr_array_index (report->results, i))->id);
  g_assert_false (d.late);
  /* Each callback takes 50 ms: the 16 ms tick is due after each one. */
  g_assert_cmpuint (d.longest_run, <=, 2);
  g_assert_cmpuint (d.n_ticks, >=, N / 2);
  g_ptr_array_unref (d.ids);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GONGKAI_TODAY", TODAY, TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/gongkai-test-bus", TRUE);
  g_unsetenv ("GONGKAI_PORTAL_TOKEN");
  /* A run makes its store calls on its own thread: one made from a
   * dispatch of this (the default) main context aborts the test. */
  g_setenv ("GONGKAI_DEBUG_ASYNC_STORE", "1", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/client/url-rules", test_client_url_rules);
  g_test_add ("/sync/client/health", Fixture, NULL, fixture_setup, test_client_health, gk_sync_fixture_teardown);
  g_test_add_func ("/sync/client/http", test_client_http);
  g_test_add_func ("/sync/client/reply-contract", test_client_reply_contract);
  g_test_add_func ("/sync/client/reply-long-value-not-leaked", test_client_reply_long_value_not_leaked);
  g_test_add_func ("/sync/client/connection-refused", test_client_connection_refused);
  g_test_add_func ("/sync/client/tls-ca-file", test_client_tls_ca_file);
  g_test_add ("/sync/publish-update-withdraw", Fixture, NULL, fixture_setup, test_publish_update_withdraw,
              gk_sync_fixture_teardown);
  g_test_add ("/sync/safety-gate/every-state", Fixture, NULL, fixture_setup, test_safety_gate_nothing_sent,
              gk_sync_fixture_teardown);
  g_test_add ("/sync/safety-gate/queued-then-edited", Fixture, NULL, fixture_setup,
              test_safety_gate_queued_then_edited, gk_sync_fixture_teardown);
  g_test_add ("/sync/dry-run", Fixture, NULL, fixture_setup, test_dry_run, gk_sync_fixture_teardown);
  g_test_add ("/sync/only-chosen", Fixture, NULL, fixture_setup, test_only_chosen,
              gk_sync_fixture_teardown);
  g_test_add ("/sync/progress-leaves-room-to-draw", Fixture, NULL, fixture_setup,
              test_progress_leaves_room_to_draw, gk_sync_fixture_teardown);
  g_test_add ("/sync/roles-and-options", Fixture, NULL, fixture_setup, test_roles_and_options, gk_sync_fixture_teardown);
  g_test_add ("/sync/check", Fixture, NULL, fixture_setup, test_check, gk_sync_fixture_teardown);
  g_test_add ("/sync/needs-reapproval", Fixture, NULL, fixture_setup, test_needs_reapproval, gk_sync_fixture_teardown);
  g_test_add ("/sync/cancel-and-concurrency", Fixture, NULL, fixture_setup, test_cancel_and_concurrency,
              gk_sync_fixture_teardown);
  g_test_add ("/sync/cli", Fixture, NULL, fixture_setup, test_cli, gk_sync_fixture_teardown);

  return g_test_run ();
}
