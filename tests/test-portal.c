/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiTestPortal"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#include "gk-fault-proxy.h"
#include "gk-fixtures.h"

/* Protocol conformance of gongkai-portal (portal-api.md) against the real
 * binary on 127.0.0.1, and a self-test of the fault proxy. */

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  GError             *error;
} Reply;

typedef struct
{
  gboolean done;
  GBytes  *body;
  GError  *error;
} Wait;

static GkTestPortal *portal;
static char *token;
static char *tmp_dir;
static GBytes *pdf;
static char *pdf_sha;

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &wait->error);
  wait->done = TRUE;
}

/* Sends one request asynchronously and pumps the main context (bounded)
 * until it finishes, so it also works through the in-process proxy.
 * extra_headers: name, value, …, NULL. */
static Reply *
send_full (SoupSession       *session,
           const char        *method,
           const char        *url,
           const char        *bearer,
           const char        *content_type,
           GBytes            *body,
           gboolean           chunked,
           const char *const *extra_headers)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SoupMessageHeaders *headers;
  Reply *reply = g_new0 (Reply, 1);
  Wait wait = { 0 };

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (bearer != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", bearer);
      soup_message_headers_replace (headers, "Authorization", value);
    }
  for (guint i = 0; extra_headers != NULL && extra_headers[i] != NULL; i += 2)
    soup_message_headers_append (headers, extra_headers[i], extra_headers[i + 1]);
  if (body != NULL)
    {
      if (chunked)
        {
          g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (body);
          soup_message_set_request_body (msg, content_type, stream, -1);
        }
      else
        soup_message_set_request_body_from_bytes (msg, content_type, body);
    }

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 30000));

  reply->error = wait.error;
  reply->body = wait.body;
  if (reply->error == NULL)
    {
      reply->status = soup_message_get_status (msg);
      reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
    }
  return reply;
}

/* Sends a request and checks only its status. */
static void
expect_status (SoupSession       *session,
               const char        *method,
               const char        *url,
               const char        *bearer,
               const char        *content_type,
               GBytes            *body,
               gboolean           chunked,
               const char *const *extra_headers,
               guint              status)
{
  Reply *reply = send_full (session, method, url, bearer, content_type, body, chunked, extra_headers);

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, status);
  reply_free (reply);
}

static SoupSession *
new_session (void)
{
  return soup_session_new ();
}

static Reply *
send_simple (const char *method,
             const char *url,
             const char *bearer)
{
  g_autoptr(SoupSession) session = new_session ();

  return send_full (session, method, url, bearer, NULL, NULL, FALSE, NULL);
}

/* send_simple() for a URL built on the spot. */
static Reply *
send_simple_take (const char *method,
                  char       *url,
                  const char *bearer)
{
  g_autofree char *owned = url;

  return send_simple (method, owned, bearer);
}

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets time pass for another process, pumping the main context. */
static void
pump_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag_cb, &done);
  gk_test_pump_until (&done, ms + 1000);
}

static char *
api (GkTestPortal *p,
     const char   *path)
{
  return g_strconcat (gk_test_portal_get_base_url (p), path, NULL);
}

static char *
page_url (GkTestPortal *p,
          const char   *path)
{
  return g_strconcat (gk_test_portal_get_url (p), path, NULL);
}

static JsonNode *
reply_json (Reply *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data;

  g_assert_nonnull (reply->body);
  data = g_bytes_get_data (reply->body, &len);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                   "application/json");
  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
reply_text (Reply *reply)
{
  gsize len = 0;
  const char *data = reply->body != NULL ? g_bytes_get_data (reply->body, &len) : NULL;

  return g_strndup (data != NULL ? data : "", len);
}

/* Checks an error reply has exactly the contract's shape, its status and
 * code, and (when given) names the field. */
static void
assert_error (Reply      *reply,
              guint       status,
              const char *code,
              const char *field)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *error;
  JsonArray *fields;
  gboolean found = FALSE;

  g_assert_no_error (reply->error);
  if (reply->status != status)
    {
      g_autofree char *text = reply_text (reply);
      g_test_message ("unexpected reply %u: %s", reply->status, text);
    }
  g_assert_cmpuint (reply->status, ==, status);
  root = reply_json (reply);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  g_assert_cmpuint (json_object_get_size (object), ==, 1);
  error = json_object_get_object_member (object, "error");
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_nonnull (json_object_get_string_member (error, "message"));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (error, "fields")));
  fields = json_object_get_array_member (error, "fields");
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *f = json_array_get_object_element (fields, i);

      g_assert_nonnull (json_object_get_string_member (f, "problem"));
      if (g_strcmp0 (json_object_get_string_member (f, "field"), field) == 0)
        found = TRUE;
    }
  if (field != NULL)
    g_assert_true (found);
}

static char *
new_id (void)
{
  return g_uuid_string_random ();
}

static char *
upload (GkTestPortal *p,
        GBytes       *bytes)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *url = g_strdup_printf ("%s/files/%s", gk_test_portal_get_base_url (p), sha);
  g_autoptr(Reply) reply = send_full (session, "PUT", url, token, "application/pdf", bytes,
                                      FALSE, NULL);

  g_assert_no_error (reply->error);
  g_assert_true (reply->status == 201 || reply->status == 200);
  return g_steal_pointer (&sha);
}

/* A complete record as in portal-api.md. */
static JsonObject *
make_record (const char *id,
             const char *sha256)
{
  g_autofree char *text = g_strdup_printf (
    "{\"id\": \"%s\", \"index_no\": \"SHYJ-2023-000123\","
    " \"title\": \"上海市应急管理局关于印发2023年上海市应急管理局政务公开工作要点的通知\","
    " \"doc_number\": \"沪应急办〔2023〕20号\", \"issuer\": \"上海市应急管理局\","
    " \"written_date\": \"2023-04-10\", \"publish_date\": \"2023-04-12\", \"genre\": \"通知\","
    " \"topic\": \"安全生产\", \"category\": \"policy_document\","
    " \"tags\": [\"政务公开\", \"工作要点\"], \"audience\": [\"各区应急管理局\"],"
    " \"disclosure\": \"proactive\","
    " \"validity\": {\"status\": \"valid\", \"effective_from\": \"2023-04-10\", \"effective_until\": null},"
    " \"service_url\": null, \"interprets\": null, \"related\": [], \"summary\": \"\","
    " \"file\": {\"sha256\": \"%s\", \"media_type\": \"application/pdf\", \"bytes\": %" G_GSIZE_FORMAT ","
    " \"name\": \"沪应急办〔2023〕20号.pdf\"},"
    " \"attachments\": [], \"revision\": 3}",
    id, sha256, g_bytes_get_size (pdf));
  g_autoptr(JsonNode) root = json_from_string (text, NULL);

  g_assert_nonnull (root);
  return json_object_ref (json_node_get_object (root));
}

static GBytes *
object_bytes (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  char *text;

  json_node_set_object (node, object);
  text = json_to_string (node, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

static Reply *
put_body (GkTestPortal *p,
          const char   *id,
          GBytes       *body,
          const char   *if_match,
          gboolean      if_none_match)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *url = g_strdup_printf ("%s/documents/%s", gk_test_portal_get_base_url (p), id);
  const char *headers[5] = { NULL };
  guint n = 0;

  if (if_match != NULL)
    {
      headers[n++] = "If-Match";
      headers[n++] = if_match;
    }
  if (if_none_match)
    {
      headers[n++] = "If-None-Match";
      headers[n++] = "*";
    }
  return send_full (session, "PUT", url, token, "application/json", body, FALSE, headers);
}

static Reply *
put_record (GkTestPortal *p,
            const char   *id,
            JsonObject   *record,
            const char   *if_match,
            gboolean      if_none_match)
{
  g_autoptr(GBytes) body = object_bytes (record);

  return put_body (p, id, body, if_match, if_none_match);
}

static char *
quoted (const char *etag)
{
  return g_strdup_printf ("\"%s\"", etag);
}

/* Asserts a successful PUT and returns the bare ETag. */
static char *
assert_written (Reply      *reply,
                guint       status,
                const char *id,
                gint64      revision)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url_suffix = g_strdup_printf ("/docs/%s", id);
  g_autofree char *header = NULL;
  JsonObject *object;
  const char *etag;

  g_assert_no_error (reply->error);
  if (reply->status != status)
    {
      g_autofree char *text = reply_text (reply);
      g_test_message ("unexpected reply %u: %s", reply->status, text);
    }
  g_assert_cmpuint (reply->status, ==, status);
  root = reply_json (reply);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, id);
  g_assert_cmpint (json_object_get_int_member (object, "revision"), ==, revision);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "published");
  etag = json_object_get_string_member (object, "etag");
  g_assert_nonnull (etag);
  g_assert_null (strchr (etag, '"'));
  header = quoted (etag);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "ETag"), ==, header);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "public_url"), url_suffix));
  return g_strdup (etag);
}

static JsonNode *
get_document (GkTestPortal *p,
              const char   *id,
              guint         expected_status)
{
  g_autofree char *url = g_strdup_printf ("%s/documents/%s", gk_test_portal_get_base_url (p), id);
  g_autoptr(Reply) reply = send_simple ("GET", url, token);

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, expected_status);
  return expected_status == 200 ? reply_json (reply) : NULL;
}

static Reply *
delete_document (GkTestPortal *p,
                 const char   *id,
                 const char   *if_match)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *url = g_strdup_printf ("%s/documents/%s", gk_test_portal_get_base_url (p), id);
  const char *headers[] = { "If-Match", if_match, NULL };

  return send_full (session, "DELETE", url, token, NULL, NULL, FALSE,
                    if_match != NULL ? headers : NULL);
}

/* Publishes a fresh document; returns its id and (optionally) ETag. */
static char *
publish_new (GkTestPortal *p,
             JsonObject   *record,
             char        **out_etag)
{
  g_autofree char *id = new_id ();
  g_autoptr(JsonObject) own = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autofree char *etag = NULL;

  if (record == NULL)
    record = own = make_record (id, pdf_sha);
  json_object_set_string_member (record, "id", id);
  reply = put_record (p, id, record, NULL, TRUE);
  etag = assert_written (reply, 201, id, json_object_get_int_member (record, "revision"));
  if (out_etag != NULL)
    *out_etag = g_steal_pointer (&etag);
  return g_steal_pointer (&id);
}

/* ---- health and auth ---- */

static void
test_health (void)
{
  g_autofree char *url = api (portal, "/health");
  g_autoptr(Reply) none = send_simple ("GET", url, NULL);
  g_autoptr(Reply) wrong = send_simple ("GET", url, "not-the-token");
  g_autoptr(Reply) ok = send_simple ("GET", url, token);
  g_autoptr(Reply) head_none = send_simple ("HEAD", url, NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(Reply) basic = NULL;
  const char *basic_header[] = { "Authorization", "Basic dXNlcjpwYXNz", NULL };
  JsonObject *object;

  assert_error (none, 401, "unauthorized", NULL);
  assert_error (wrong, 401, "unauthorized", NULL);
  g_assert_cmpuint (head_none->status, ==, 401);
  basic = send_full (session, "GET", url, NULL, NULL, NULL, FALSE, basic_header);
  assert_error (basic, 401, "unauthorized", NULL);

  g_assert_cmpuint (ok->status, ==, 200);
  root = reply_json (ok);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "ok");
  g_assert_cmpint (json_object_get_int_member (object, "api"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "max_file_bytes"), ==, 104857600);
}

/* ---- files ---- */

static void
test_files (void)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(GBytes) bytes = g_bytes_new_static ("%PDF-1.4 test file for files\n", 29);
  g_autoptr(GBytes) other = g_bytes_new_static ("other bytes", 11);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *url = g_strdup_printf ("%s/files/%s", gk_test_portal_get_base_url (portal), sha);
  g_autofree char *upper = g_ascii_strup (sha, -1);
  g_autofree char *upper_url = g_strdup_printf ("%s/files/%s", gk_test_portal_get_base_url (portal), upper);
  g_autofree char *stored_path = g_build_filename (gk_test_portal_get_data_dir (portal), "files", sha, NULL);
  g_autofree char *stored = NULL;
  gsize stored_len;
  Reply *r;

  expect_status (session, "HEAD", url, token, NULL, NULL, FALSE, NULL, 404);

  /* Wrong bytes for the name: refused, nothing stored. */
  r = send_full (session, "PUT", url, token, "application/pdf", other, FALSE, NULL);
  assert_error (r, 422, "hash_mismatch", NULL);
  reply_free (r);
  expect_status (session, "HEAD", url, token, NULL, NULL, FALSE, NULL, 404);

  expect_status (session, "PUT", url, token, "application/pdf", bytes, FALSE, NULL, 201);
  expect_status (session, "HEAD", url, token, NULL, NULL, FALSE, NULL, 200);
  expect_status (session, "PUT", url, token, "application/pdf", bytes, FALSE, NULL, 200);

  g_assert_true (g_file_get_contents (stored_path, &stored, &stored_len, NULL));
  g_assert_cmpmem (stored, stored_len, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  r = send_full (session, "PUT", upper_url, token, "application/pdf", bytes, FALSE, NULL);
  assert_error (r, 400, "bad_request", NULL);
  reply_free (r);
  r = send_full (session, "PUT", url, NULL, "application/pdf", bytes, FALSE, NULL);
  assert_error (r, 401, "unauthorized", NULL);
  reply_free (r);
  expect_status (session, "GET", url, token, NULL, NULL, FALSE, NULL, 405);
}

static void
test_files_too_large (void)
{
  const char *args[] = { "--max-file-bytes", "1000", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GkTestPortal) small = gk_test_portal_start_full (token, args, &error);
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *big_data = g_malloc0 (1001);
  g_autoptr(GBytes) big = g_bytes_new_take (g_steal_pointer (&big_data), 1001);
  g_autoptr(GBytes) fits = g_bytes_new_from_bytes (big, 0, 1000);
  g_autofree char *big_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, big);
  g_autofree char *fits_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, fits);
  g_autofree char *big_url = NULL, *fits_url = NULL, *health_url = NULL;
  g_autoptr(JsonNode) root = NULL;
  Reply *r;

  g_assert_no_error (error);
  big_url = g_strdup_printf ("%s/files/%s", gk_test_portal_get_base_url (small), big_sha);
  fits_url = g_strdup_printf ("%s/files/%s", gk_test_portal_get_base_url (small), fits_sha);
  health_url = api (small, "/health");

  r = send_full (session, "GET", health_url, token, NULL, NULL, FALSE, NULL);
  root = reply_json (r);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "max_file_bytes"), ==, 1000);
  reply_free (r);

  r = send_full (session, "PUT", big_url, token, "application/pdf", big, FALSE, NULL);
  assert_error (r, 413, "too_large", NULL);
  reply_free (r);
  expect_status (session, "HEAD", big_url, token, NULL, NULL, FALSE, NULL, 404);
  expect_status (session, "PUT", fits_url, token, "application/pdf", fits, FALSE, NULL, 201);

  g_assert_true (gk_test_portal_stop (small, &error));
  g_assert_no_error (error);
}

/* ---- documents ---- */

static void
test_create_and_replace (void)
{
  g_autofree char *id = new_id ();
  g_autoptr(JsonObject) record = make_record (id, pdf_sha);
  g_autoptr(JsonNode) got = NULL;
  g_autofree char *etag1 = NULL, *etag2 = NULL, *q1 = NULL, *q2 = NULL, *weak = NULL;
  g_autofree char *expected_url = NULL;
  JsonObject *object;
  Reply *r;

  got = get_document (portal, id, 404);

  r = put_record (portal, id, record, NULL, TRUE);
  etag1 = assert_written (r, 201, id, 3);
  reply_free (r);
  q1 = quoted (etag1);

  got = get_document (portal, id, 200);
  object = json_node_get_object (got);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==,
                   json_object_get_string_member (record, "title"));
  g_assert_cmpstr (json_object_get_string_member (object, "etag"), ==, etag1);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "published");
  g_assert_nonnull (json_object_get_string_member (object, "updated_at"));
  expected_url = g_strdup_printf ("%s/docs/%s", gk_test_portal_get_url (portal), id);
  g_assert_cmpstr (json_object_get_string_member (object, "public_url"), ==, expected_url);
  g_assert_true (json_object_get_null_member (object, "service_url"));
  g_clear_pointer (&got, json_node_unref);

  /* Replace with the right ETag. */
  json_object_set_int_member (record, "revision", 4);
  json_object_set_string_member (record, "title", "上海市应急管理局关于印发工作要点的通知（修订）");
  r = put_record (portal, id, record, q1, FALSE);
  etag2 = assert_written (r, 200, id, 4);
  reply_free (r);
  g_assert_cmpstr (etag1, !=, etag2);
  q2 = quoted (etag2);

  /* A stale ETag, a weak one, If-None-Match on an existing document. */
  json_object_set_int_member (record, "revision", 5);
  r = put_record (portal, id, record, q1, FALSE);
  assert_error (r, 412, "precondition_failed", NULL);
  reply_free (r);
  weak = g_strdup_printf ("W/%s", q2);
  r = put_record (portal, id, record, weak, FALSE);
  assert_error (r, 412, "precondition_failed", NULL);
  reply_free (r);
  r = put_record (portal, id, record, NULL, TRUE);
  assert_error (r, 412, "precondition_failed", NULL);
  reply_free (r);

  /* Malformed preconditions are client bugs. */
  r = put_record (portal, id, record, etag2, FALSE);
  assert_error (r, 400, "bad_request", NULL);
  reply_free (r);
  {
    g_autoptr(SoupSession) session = new_session ();
    g_autoptr(GBytes) body = object_bytes (record);
    g_autofree char *url = g_strdup_printf ("%s/documents/%s", gk_test_portal_get_base_url (portal), id);
    const char *headers[] = { "If-None-Match", q2, NULL };

    r = send_full (session, "PUT", url, token, "application/json", body, FALSE, headers);
    assert_error (r, 400, "bad_request", NULL);
    reply_free (r);
  }

  /* If-Match on a document the portal never had. */
  {
    g_autofree char *other = new_id ();
    g_autoptr(JsonObject) other_record = make_record (other, pdf_sha);

    r = put_record (portal, other, other_record, q2, FALSE);
    assert_error (r, 412, "precondition_failed", NULL);
    reply_free (r);
    g_assert_null (get_document (portal, other, 404));
  }

  /* Nothing changed by the refused writes. */
  got = get_document (portal, id, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (got), "etag"), ==, etag2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (got), "revision"), ==, 4);

  /* An unconditional write (a person decided to overwrite). */
  r = put_record (portal, id, record, NULL, FALSE);
  g_free (assert_written (r, 200, id, 5));
  reply_free (r);
}

static JsonObject *
reversed_copy (JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);
  JsonObject *copy = json_object_new ();

  members = g_list_reverse (members);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data, json_node_copy (json_object_get_member (object, l->data)));
  return copy;
}

static void
test_identical_retry (void)
{
  g_autofree char *id = new_id ();
  g_autoptr(JsonObject) record = make_record (id, pdf_sha);
  g_autoptr(JsonObject) reordered = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GBytes) pretty = NULL;
  g_autofree char *etag = NULL, *stale = NULL;
  g_autofree char *text = NULL;
  gsize len;
  Reply *r;

  r = put_record (portal, id, record, NULL, TRUE);
  etag = assert_written (r, 201, id, 3);
  reply_free (r);

  /* The same value, other key order and spacing: always 200 + same ETag. */
  reordered = reversed_copy (record);
  json_node_set_object (node, reordered);
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);
  pretty = g_bytes_new_take (g_steal_pointer (&text), len);

  stale = g_strdup ("\"0000000000000000\"");
  r = put_body (portal, id, pretty, NULL, TRUE);
  {
    g_autofree char *again = assert_written (r, 200, id, 3);
    g_assert_cmpstr (again, ==, etag);
  }
  reply_free (r);
  r = put_body (portal, id, pretty, stale, FALSE);
  {
    g_autofree char *again = assert_written (r, 200, id, 3);
    g_assert_cmpstr (again, ==, etag);
  }
  reply_free (r);
  r = put_record (portal, id, record, NULL, FALSE);
  {
    g_autofree char *again = assert_written (r, 200, id, 3);
    g_assert_cmpstr (again, ==, etag);
  }
  reply_free (r);

  /* Types matter: 3 ≠ 3.0 ≠ "3", so these are changes, refused by If-None-Match. */
  json_object_set_double_member (record, "revision", 3.0);
  r = put_record (portal, id, record, NULL, TRUE);
  assert_error (r, 412, "precondition_failed", NULL);
  reply_free (r);
  json_object_set_string_member (record, "revision", "3");
  r = put_record (portal, id, record, NULL, TRUE);
  assert_error (r, 412, "precondition_failed", NULL);
  reply_free (r);
  json_object_set_int_member (record, "revision", 3);
  json_object_set_string_member (record, "extra", "an unknown field is part of the value");
  r = put_record (portal, id, record, NULL, TRUE);
  assert_error (r, 412, "precondition_failed", NULL);
  reply_free (r);
}

typedef void (*Mutate) (JsonObject *record);

typedef struct
{
  const char *name;
  Mutate      mutate;
  const char *code;
  const char *field;
} Case;

static void m_no_title (JsonObject *r) { json_object_remove_member (r, "title"); }
static void m_blank_title (JsonObject *r) { json_object_set_string_member (r, "title", "  "); }
static void m_null_title (JsonObject *r) { json_object_set_null_member (r, "title"); }
static void m_no_index (JsonObject *r) { json_object_remove_member (r, "index_no"); }
static void m_no_issuer (JsonObject *r) { json_object_set_string_member (r, "issuer", ""); }
static void m_no_written (JsonObject *r) { json_object_remove_member (r, "written_date"); }
static void m_no_publish (JsonObject *r) { json_object_remove_member (r, "publish_date"); }
static void m_no_disclosure (JsonObject *r) { json_object_remove_member (r, "disclosure"); }
static void m_no_file (JsonObject *r) { json_object_remove_member (r, "file"); }
static void m_no_revision (JsonObject *r) { json_object_remove_member (r, "revision"); }
static void m_no_id (JsonObject *r) { json_object_remove_member (r, "id"); }

static void
m_long_title (JsonObject *r)
{
  GString *title = g_string_new (NULL);

  for (guint i = 0; i < 501; i++)
    g_string_append (title, "中");
  json_object_set_string_member (r, "title", title->str);
  g_string_free (title, TRUE);
}

static void
m_long_index (JsonObject *r)
{
  g_autofree char *text = g_strnfill (65, 'A');
  json_object_set_string_member (r, "index_no", text);
}

static void m_bad_date (JsonObject *r) { json_object_set_string_member (r, "written_date", "2023-02-30"); }
static void m_slash_date (JsonObject *r) { json_object_set_string_member (r, "publish_date", "2023/04/12"); }
static void m_null_date (JsonObject *r) { json_object_set_null_member (r, "publish_date"); }

static void
m_bad_effective (JsonObject *r)
{
  json_object_set_string_member (json_object_get_object_member (r, "validity"),
                                 "effective_until", "2023-13-01");
}

static void
m_bad_validity (JsonObject *r)
{
  json_object_set_string_member (json_object_get_object_member (r, "validity"), "status", "current");
}

static void m_bad_category (JsonObject *r) { json_object_set_string_member (r, "category", "blog"); }

static void
m_many_tags (JsonObject *r)
{
  JsonArray *tags = json_array_new ();

  for (guint i = 0; i < 51; i++)
    {
      g_autofree char *tag = g_strdup_printf ("标签%u", i);
      json_array_add_string_element (tags, tag);
    }
  json_object_set_array_member (r, "tags", tags);
}

static void
m_long_tag (JsonObject *r)
{
  GString *tag = g_string_new (NULL);
  JsonArray *tags = json_array_new ();

  for (guint i = 0; i < 51; i++)
    g_string_append (tag, "政");
  json_array_add_string_element (tags, tag->str);
  json_object_set_array_member (r, "audience", tags);
  g_string_free (tag, TRUE);
}

static void m_ftp_url (JsonObject *r) { json_object_set_string_member (r, "service_url", "ftp://example.org/x"); }
static void m_js_url (JsonObject *r) { json_object_set_string_member (r, "service_url", "javascript:alert(1)"); }
static void m_relative_url (JsonObject *r) { json_object_set_string_member (r, "service_url", "/banshi"); }
static void m_zero_revision (JsonObject *r) { json_object_set_int_member (r, "revision", 0); }
static void m_string_revision (JsonObject *r) { json_object_set_string_member (r, "revision", "3"); }
static void m_double_revision (JsonObject *r) { json_object_set_double_member (r, "revision", 3.0); }
static void m_null_genre (JsonObject *r) { json_object_set_null_member (r, "genre"); }
static void m_number_topic (JsonObject *r) { json_object_set_int_member (r, "topic", 7); }
static void m_bad_interprets (JsonObject *r) { json_object_set_string_member (r, "interprets", "policy-1"); }

static void
m_self_interprets (JsonObject *r)
{
  json_object_set_string_member (r, "interprets", json_object_get_string_member (r, "id"));
}

static void
m_bad_related (JsonObject *r)
{
  JsonArray *related = json_array_new ();

  json_array_add_string_element (related, "0B6C7F9E-1F0A-4C55-9D1E-5C7D2A4E8F10");
  json_object_set_array_member (r, "related", related);
}

static void
m_bad_sha (JsonObject *r)
{
  json_object_set_string_member (json_object_get_object_member (r, "file"), "sha256", "abc");
}

static void
m_id_mismatch (JsonObject *r)
{
  json_object_set_string_member (r, "id", "0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10");
}

static void
m_on_request (JsonObject *r)
{
  json_object_set_string_member (r, "disclosure", "on_request");
  json_object_remove_member (r, "title");  /* not_public wins */
}

static void m_withheld (JsonObject *r) { json_object_set_string_member (r, "disclosure", "withheld"); }

static void
m_file_missing (JsonObject *r)
{
  json_object_set_string_member (json_object_get_object_member (r, "file"), "sha256",
                                 "1111111111111111111111111111111111111111111111111111111111111111");
}

static void
m_attachment_missing (JsonObject *r)
{
  JsonArray *attachments = json_array_new ();
  JsonObject *attachment = json_object_new ();

  json_object_set_string_member (attachment, "sha256",
                                 "2222222222222222222222222222222222222222222222222222222222222222");
  json_object_set_string_member (attachment, "media_type", "application/pdf");
  json_array_add_object_element (attachments, attachment);
  json_object_set_array_member (r, "attachments", attachments);
}

static const Case validation_cases[] = {
  { "missing title", m_no_title, "validation_failed", "title" },
  { "blank title", m_blank_title, "validation_failed", "title" },
  { "null title", m_null_title, "validation_failed", "title" },
  { "title of 501 characters", m_long_title, "validation_failed", "title" },
  { "missing index_no", m_no_index, "validation_failed", "index_no" },
  { "index_no of 65 characters", m_long_index, "validation_failed", "index_no" },
  { "empty issuer", m_no_issuer, "validation_failed", "issuer" },
  { "missing written_date", m_no_written, "validation_failed", "written_date" },
  { "missing publish_date", m_no_publish, "validation_failed", "publish_date" },
  { "missing disclosure", m_no_disclosure, "validation_failed", "disclosure" },
  { "missing file", m_no_file, "validation_failed", "file" },
  { "missing revision", m_no_revision, "validation_failed", "revision" },
  { "missing id", m_no_id, "validation_failed", "id" },
  { "impossible date", m_bad_date, "validation_failed", "written_date" },
  { "date with slashes", m_slash_date, "validation_failed", "publish_date" },
  { "null publish_date", m_null_date, "validation_failed", "publish_date" },
  { "bad effective_until", m_bad_effective, "validation_failed", "validity.effective_until" },
  { "bad validity status", m_bad_validity, "validation_failed", "validity.status" },
  { "bad category", m_bad_category, "validation_failed", "category" },
  { "51 tags", m_many_tags, "validation_failed", "tags" },
  { "audience entry of 51 characters", m_long_tag, "validation_failed", "audience[0]" },
  { "ftp service_url", m_ftp_url, "validation_failed", "service_url" },
  { "javascript service_url", m_js_url, "validation_failed", "service_url" },
  { "relative service_url", m_relative_url, "validation_failed", "service_url" },
  { "revision 0", m_zero_revision, "validation_failed", "revision" },
  { "revision as a string", m_string_revision, "validation_failed", "revision" },
  { "revision as a float", m_double_revision, "validation_failed", "revision" },
  { "null genre", m_null_genre, "validation_failed", "genre" },
  { "number topic", m_number_topic, "validation_failed", "topic" },
  { "interprets not a uuid", m_bad_interprets, "validation_failed", "interprets" },
  { "interprets itself", m_self_interprets, "validation_failed", "interprets" },
  { "related not canonical", m_bad_related, "validation_failed", "related[0]" },
  { "file sha256 not a hash", m_bad_sha, "validation_failed", "file.sha256" },
  { "id differs from the URL", m_id_mismatch, "validation_failed", "id" },
  { "on_request", m_on_request, "not_public", "disclosure" },
  { "withheld", m_withheld, "not_public", "disclosure" },
  { "file not uploaded", m_file_missing, "file_missing", "file.sha256" },
  { "attachment not uploaded", m_attachment_missing, "file_missing", "attachments[0].sha256" },
};

static void
test_validation (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (validation_cases); i++)
    {
      const Case *c = &validation_cases[i];
      g_autofree char *id = new_id ();
      g_autoptr(JsonObject) record = make_record (id, pdf_sha);
      g_autoptr(Reply) r = NULL;

      g_test_message ("case: %s", c->name);
      c->mutate (record);
      r = put_record (portal, id, record, NULL, TRUE);
      assert_error (r, 422, c->code, c->field);
      /* Nothing was stored. */
      g_assert_null (get_document (portal, id, 404));
    }
}

static void
test_validation_limits (void)
{
  g_autofree char *id = new_id ();
  g_autoptr(JsonObject) record = make_record (id, pdf_sha);
  g_autoptr(GString) title = g_string_new (NULL);
  g_autofree char *index = g_strnfill (64, 'A');
  g_autofree char *upper = NULL;
  JsonArray *tags = json_array_new ();
  Reply *r;

  /* Lengths count characters: 500 CJK characters (1500 bytes) pass. */
  for (guint i = 0; i < 500; i++)
    g_string_append (title, "中");
  json_object_set_string_member (record, "title", title->str);
  json_object_set_string_member (record, "index_no", index);
  for (guint i = 0; i < 50; i++)
    json_array_add_string_element (tags, "五十个字以内的标签");
  json_object_set_array_member (record, "tags", tags);
  /* Optional fields may be left out or null where allowed; unknown ones are ignored. */
  json_object_remove_member (record, "genre");
  json_object_remove_member (record, "validity");
  json_object_set_null_member (record, "doc_number");
  json_object_set_string_member (record, "service_url", "https://zwdt.sh.gov.cn/govPortals/bsfw/item?id=1&x=2");
  json_object_set_string_member (record, "future_field", "ignored");
  json_object_set_string_member (record, "category", "");
  r = put_record (portal, id, record, NULL, TRUE);
  g_free (assert_written (r, 201, id, 3));
  reply_free (r);

  /* A non-canonical id in the URL (and the body) is refused. */
  upper = g_ascii_strup (id, -1);
  json_object_set_string_member (record, "id", upper);
  r = put_record (portal, upper, record, NULL, TRUE);
  assert_error (r, 422, "validation_failed", "id");
  reply_free (r);
  r = send_simple_take ("GET", g_strdup_printf ("%s/documents/%s", gk_test_portal_get_base_url (portal), upper), token);
  g_assert_cmpuint (r->status, ==, 404);
  reply_free (r);
}

static void
test_malformed_bodies (void)
{
  g_autofree char *id = new_id ();
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *url = g_strdup_printf ("%s/documents/%s", gk_test_portal_get_base_url (portal), id);
  g_autoptr(JsonObject) record = make_record (id, pdf_sha);
  g_autoptr(GBytes) good = object_bytes (record);
  const char *bad[] = {
    "{\"id\": ", "[1, 2]", "\"text\"", "", "{\"a\": 1,}", "/* c */ {}", "{'a': 1}",
    "{\"a\": 01}", "{\"a\": \"\\u0000\"}", "{\"a\": 1} trailing", "{\"a\": \"\xff\"}",
    "{\"a\": 99999999999999999999}", "{\"a\": \"\\ud800\"}",
  };
  GString *deep = g_string_new (NULL);
  g_autoptr(GBytes) deep_bytes = NULL;
  g_autofree char *health = api (portal, "/health");
  Reply *r;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (bad[i], strlen (bad[i]));

      g_test_message ("malformed body %u", i);
      r = send_full (session, "PUT", url, token, "application/json", body, FALSE, NULL);
      assert_error (r, 400, "bad_request", NULL);
      reply_free (r);
    }

  /* Hostile nesting must not crash the portal. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  deep_bytes = g_bytes_new_take (deep->str, deep->len);
  g_string_free (deep, FALSE);
  r = send_full (session, "PUT", url, token, "application/json", deep_bytes, FALSE, NULL);
  assert_error (r, 400, "bad_request", NULL);
  reply_free (r);

  /* PUT /documents needs Content-Type: application/json. */
  r = send_full (session, "PUT", url, token, "text/plain", good, FALSE, NULL);
  assert_error (r, 400, "bad_request", NULL);
  reply_free (r);
  r = send_full (session, "PUT", url, token, "application/json; charset=utf-8", good, FALSE, NULL);
  g_free (assert_written (r, 201, id, 3));
  reply_free (r);

  expect_status (session, "GET", health, token, NULL, NULL, FALSE, NULL, 200);
}

static void
test_body_framing (void)
{
  g_autofree char *id = new_id ();
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *url = g_strdup_printf ("%s/documents/%s", gk_test_portal_get_base_url (portal), id);
  g_autofree char *file_url = g_strdup_printf ("%s/files/%s", gk_test_portal_get_base_url (portal), pdf_sha);
  g_autoptr(JsonObject) record = make_record (id, pdf_sha);
  g_autoptr(GBytes) body = object_bytes (record);
  g_autoptr(GString) huge = g_string_new ("{\"id\": \"");
  g_autoptr(GBytes) huge_bytes = NULL;
  Reply *r;

  r = send_full (session, "PUT", url, token, "application/json", body, TRUE, NULL);
  assert_error (r, 400, "bad_request", NULL);
  reply_free (r);
  r = send_full (session, "PUT", file_url, token, "application/pdf", pdf, TRUE, NULL);
  assert_error (r, 400, "bad_request", NULL);
  reply_free (r);
  g_assert_null (get_document (portal, id, 404));

  /* A JSON body over 1 MiB. */
  g_string_append (huge, id);
  g_string_append (huge, "\", \"summary\": \"");
  while (huge->len <= 1024 * 1024)
    g_string_append (huge, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (huge, "\"}");
  huge_bytes = g_bytes_new (huge->str, huge->len);
  r = send_full (session, "PUT", url, token, "application/json", huge_bytes, FALSE, NULL);
  assert_error (r, 413, "too_large", NULL);
  reply_free (r);

  /* The connection is still usable and the document was not stored. */
  g_assert_null (get_document (portal, id, 404));
}

static void
test_withdraw (void)
{
  g_autofree char *etag = NULL, *q = NULL, *again = NULL;
  g_autofree char *id = NULL;
  g_autofree char *never = new_id ();
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonNode) got = NULL;
  g_autofree char *doc_url = NULL, *file_url = NULL, *index_url = NULL;
  g_autofree char *text = NULL;
  Reply *r;

  record = make_record ("", pdf_sha);
  json_object_set_string_member (record, "title", "撤回测试：关于某项工作的通知");
  id = publish_new (portal, record, &etag);
  q = quoted (etag);
  doc_url = g_strdup_printf ("%s/docs/%s", gk_test_portal_get_url (portal), id);
  file_url = g_strconcat (doc_url, "/file", NULL);
  index_url = page_url (portal, "/");

  r = delete_document (portal, never, NULL);
  assert_error (r, 404, "not_found", NULL);
  reply_free (r);

  r = delete_document (portal, id, "\"stale\"");
  assert_error (r, 412, "precondition_failed", NULL);
  reply_free (r);
  r = send_simple ("GET", doc_url, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  reply_free (r);

  r = delete_document (portal, id, q);
  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 204);
  reply_free (r);
  /* Again, whatever If-Match says. */
  r = delete_document (portal, id, "\"stale\"");
  g_assert_cmpuint (r->status, ==, 204);
  reply_free (r);
  r = delete_document (portal, id, NULL);
  g_assert_cmpuint (r->status, ==, 204);
  reply_free (r);

  got = get_document (portal, id, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (got), "status"), ==, "withdrawn");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (got), "etag"), ==, etag);

  /* The public side no longer shows it. */
  r = send_simple ("GET", doc_url, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  text = reply_text (r);
  g_assert_nonnull (strstr (text, "已撤回"));
  reply_free (r);
  g_clear_pointer (&text, g_free);
  r = send_simple ("GET", file_url, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  reply_free (r);
  r = send_simple ("GET", index_url, NULL);
  text = reply_text (r);
  g_assert_null (strstr (text, id));
  reply_free (r);
  g_clear_pointer (&text, g_free);

  /* Still exists: If-None-Match * with a changed body is 412 … */
  json_object_set_int_member (record, "revision", 4);
  r = put_record (portal, id, record, NULL, TRUE);
  assert_error (r, 412, "precondition_failed", NULL);
  reply_free (r);
  /* … the identical body publishes it again, same ETag. */
  json_object_set_int_member (record, "revision", 3);
  r = put_record (portal, id, record, NULL, TRUE);
  again = assert_written (r, 200, id, 3);
  reply_free (r);
  g_assert_cmpstr (again, ==, etag);
  g_clear_pointer (&got, json_node_unref);
  got = get_document (portal, id, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (got), "status"), ==, "published");
  r = send_simple ("GET", doc_url, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  reply_free (r);

  /* Withdraw, then publish a new revision with If-Match. */
  r = delete_document (portal, id, NULL);
  g_assert_cmpuint (r->status, ==, 204);
  reply_free (r);
  json_object_set_int_member (record, "revision", 4);
  r = put_record (portal, id, record, q, FALSE);
  g_free (assert_written (r, 200, id, 4));
  reply_free (r);
  r = send_simple ("GET", doc_url, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  reply_free (r);
}

static void
test_listing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkTestPortal) p = gk_test_portal_start (token, &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;
  g_autofree char *withdrawn = NULL;
  guint pages = 0;
  Reply *r;

  g_assert_no_error (error);
  g_free (upload (p, pdf));
  for (guint i = 0; i < 7; i++)
    g_ptr_array_add (ids, publish_new (p, NULL, NULL));
  withdrawn = g_strdup (ids->pdata[2]);
  r = delete_document (p, withdrawn, NULL);
  g_assert_cmpuint (r->status, ==, 204);
  reply_free (r);

  do
    {
      g_autofree char *url = NULL;
      g_autoptr(JsonNode) root = NULL;
      JsonObject *object;
      JsonArray *items;
      JsonNode *next;

      if (cursor != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (cursor, NULL, TRUE);
          url = g_strdup_printf ("%s/documents?limit=3&after=%s", gk_test_portal_get_base_url (p), escaped);
        }
      else
        url = g_strdup_printf ("%s/documents?limit=3", gk_test_portal_get_base_url (p));
      r = send_simple ("GET", url, token);
      g_assert_cmpuint (r->status, ==, 200);
      root = reply_json (r);
      reply_free (r);
      object = json_node_get_object (root);
      items = json_object_get_array_member (object, "items");
      g_assert_cmpuint (json_array_get_length (items), <=, 3);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          const char *id = json_object_get_string_member (item, "id");

          g_assert_nonnull (json_object_get_string_member (item, "etag"));
          g_assert_cmpint (json_object_get_int_member (item, "revision"), ==, 3);
          g_assert_nonnull (json_object_get_string_member (item, "updated_at"));
          g_assert_cmpstr (json_object_get_string_member (item, "status"), ==,
                           strcmp (id, withdrawn) == 0 ? "withdrawn" : "published");
          g_ptr_array_add (listed, g_strdup (id));
        }
      next = json_object_get_member (object, "next");
      g_assert_nonnull (next);
      g_clear_pointer (&cursor, g_free);
      if (!JSON_NODE_HOLDS_NULL (next))
        cursor = g_strdup (json_node_get_string (next));
      pages++;
      g_assert_cmpuint (pages, <=, 10);
    }
  while (cursor != NULL);

  g_assert_cmpuint (pages, >=, 3);
  g_assert_cmpuint (listed->len, ==, 7);
  for (guint i = 1; i < listed->len; i++)
    g_assert_cmpstr (listed->pdata[i - 1], <, listed->pdata[i]);
  for (guint i = 0; i < ids->len; i++)
    {
      guint found = 0;
      for (guint j = 0; j < listed->len; j++)
        if (strcmp (ids->pdata[i], listed->pdata[j]) == 0)
          found++;
      g_assert_cmpuint (found, ==, 1);
    }

  /* Defaults and bounds. */
  {
    const char *bad_queries[] = {
      "limit=0", "limit=1001", "limit=abc", "limit=-1", "limit=", "limit=1.5",
      "after=garbage!", "after=", "after=Z2tqMTpub3QtYS11dWlk",
    };
    g_autofree char *url = api (p, "/documents");
    g_autofree char *max_url = api (p, "/documents?limit=1000");
    g_autoptr(JsonNode) root = NULL;

    r = send_simple ("GET", url, token);
    g_assert_cmpuint (r->status, ==, 200);
    root = reply_json (r);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root), "items")), ==, 7);
    g_assert_true (json_object_get_null_member (json_node_get_object (root), "next"));
    reply_free (r);
    r = send_simple ("GET", max_url, token);
    g_assert_cmpuint (r->status, ==, 200);
    reply_free (r);

    for (guint i = 0; i < G_N_ELEMENTS (bad_queries); i++)
      {
        g_autofree char *bad_url = g_strdup_printf ("%s/documents?%s", gk_test_portal_get_base_url (p),
                                                    bad_queries[i]);
        g_test_message ("query: %s", bad_queries[i]);
        r = send_simple ("GET", bad_url, token);
        assert_error (r, 400, "bad_request", NULL);
        reply_free (r);
      }
  }
}

static void
test_readonly_token (void)
{
  g_autofree char *ro_file = g_build_filename (tmp_dir, "readonly-token", NULL);
  const char *args[] = { "--readonly-token-file", ro_file, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GkTestPortal) p = NULL;
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *id = new_id ();
  g_autoptr(JsonObject) record = make_record (id, pdf_sha);
  g_autoptr(GBytes) body = object_bytes (record);
  g_autofree char *health = NULL, *list = NULL, *doc = NULL, *file = NULL;
  Reply *r;

  g_assert_true (g_file_set_contents (ro_file, "read-only-token\n", -1, NULL));
  p = gk_test_portal_start_full (token, args, &error);
  g_assert_no_error (error);
  health = api (p, "/health");
  list = api (p, "/documents");
  doc = g_strdup_printf ("%s/documents/%s", gk_test_portal_get_base_url (p), id);
  file = g_strdup_printf ("%s/files/%s", gk_test_portal_get_base_url (p), pdf_sha);

  expect_status (session, "GET", health, "read-only-token", NULL, NULL, FALSE, NULL, 200);
  expect_status (session, "GET", list, "read-only-token", NULL, NULL, FALSE, NULL, 200);
  expect_status (session, "HEAD", file, "read-only-token", NULL, NULL, FALSE, NULL, 404);
  r = send_full (session, "PUT", file, "read-only-token", "application/pdf", pdf, FALSE, NULL);
  assert_error (r, 403, "forbidden", NULL);
  reply_free (r);
  r = send_full (session, "PUT", doc, "read-only-token", "application/json", body, FALSE, NULL);
  assert_error (r, 403, "forbidden", NULL);
  reply_free (r);
  r = send_full (session, "DELETE", doc, "read-only-token", NULL, NULL, FALSE, NULL);
  assert_error (r, 403, "forbidden", NULL);
  reply_free (r);
  r = send_full (session, "GET", health, "read-only-tokenX", NULL, NULL, FALSE, NULL);
  assert_error (r, 401, "unauthorized", NULL);
  reply_free (r);
}

/* One HTTP/1.1 exchange on a raw keep-alive connection; returns the status. */
static guint
raw_get (GSocketConnection *connection,
         const char        *path,
         char             **out_head)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n\r\n", path, token);
  g_autoptr(GString) response = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *end;
  const char *length_header;
  gsize body_length = 0;
  guint status = 0;

  g_output_stream_write_all (out, request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  while ((end = strstr (response->str, "\r\n\r\n")) == NULL)
    {
      char buf[1024];
      gssize n = g_input_stream_read (in, buf, sizeof buf, NULL, &error);

      g_assert_no_error (error);
      if (n <= 0)
        return 0;
      g_string_append_len (response, buf, n);
    }
  length_header = g_strstr_len (response->str, end - response->str, "Content-Length: ");
  if (length_header != NULL)
    body_length = g_ascii_strtoull (length_header + 16, NULL, 10);
  while (response->len < (gsize) (end - response->str) + 4 + body_length)
    {
      char buf[1024];
      gssize n = g_input_stream_read (in, buf, sizeof buf, NULL, &error);

      g_assert_no_error (error);
      if (n <= 0)
        break;
      g_string_append_len (response, buf, n);
      end = strstr (response->str, "\r\n\r\n");
    }
  sscanf (response->str, "HTTP/1.1 %u", &status);
  if (out_head != NULL)
    *out_head = g_strndup (response->str, end - response->str);
  return status;
}

static GSocketConnection *
raw_connect (GkTestPortal *p)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) gk_test_portal_get_port (p),
                                                NULL, &error);
  g_assert_no_error (error);
  return connection;
}

static void
test_connection_limit (void)
{
  const char *args[] = { "--max-connections-per-token", "2", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GkTestPortal) p = gk_test_portal_start_full (token, args, &error);
  g_autoptr(GSocketConnection) a = NULL, b = NULL, c = NULL;
  g_autofree char *head = NULL;
  gint64 deadline;
  guint status;

  g_assert_no_error (error);
  a = raw_connect (p);
  b = raw_connect (p);
  c = raw_connect (p);
  g_assert_cmpuint (raw_get (a, "/api/v1/health", NULL), ==, 200);
  g_assert_cmpuint (raw_get (b, "/api/v1/health", NULL), ==, 200);
  g_assert_cmpuint (raw_get (a, "/api/v1/health", NULL), ==, 200);  /* same connection: fine */
  g_assert_cmpuint (raw_get (c, "/api/v1/health", &head), ==, 429);
  g_assert_nonnull (strstr (head, "Retry-After: 1"));
  /* Public pages are not counted. */
  g_clear_object (&c);
  c = raw_connect (p);
  g_assert_cmpuint (raw_get (c, "/", NULL), ==, 200);
  g_clear_object (&c);

  /* Once a connection closes, a new one is admitted. */
  g_io_stream_close (G_IO_STREAM (a), NULL, NULL);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  do
    {
      g_autoptr(GSocketConnection) d = raw_connect (p);

      status = raw_get (d, "/api/v1/health", NULL);
      if (status != 200)
        pump_for (20);
    }
  while (status != 200 && g_get_monotonic_time () < deadline);
  g_assert_cmpuint (status, ==, 200);
}

/* ---- public pages ---- */

static void
test_public_pages (void)
{
  g_autoptr(JsonObject) record = make_record ("", pdf_sha);
  g_autoptr(JsonObject) older = make_record ("", pdf_sha);
  g_autofree char *id = NULL, *older_id = NULL;
  g_autofree char *doc_url = NULL, *file_url = NULL, *index_url = NULL, *text = NULL;
  const char *hostile = "<script>alert(\"x\")</script>关于&规范的通知";
  JsonArray *audience = json_array_new ();
  const char *newer_pos, *older_pos;
  Reply *r;

  json_object_set_string_member (record, "title", hostile);
  json_object_set_string_member (record, "publish_date", "2099-06-01");
  json_object_set_string_member (record, "index_no", "SHYJ-2099-000001");
  json_object_set_string_member (record, "service_url", "https://zwdt.sh.gov.cn/item?id=1&q=<x>");
  json_array_add_string_element (audience, "全市<企业>");
  json_object_set_array_member (record, "audience", audience);
  id = publish_new (portal, record, NULL);

  json_object_set_string_member (older, "title", "较早发布的通知");
  json_object_set_string_member (older, "publish_date", "2099-01-01");
  json_object_set_string_member (json_object_get_object_member (older, "validity"), "status", "repealed");
  older_id = publish_new (portal, older, NULL);

  /* The index: newest first, escaped, with 文号 and 发布日期. */
  index_url = page_url (portal, "/");
  r = send_simple ("GET", index_url, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (r->headers, NULL), "text/html"));
  text = reply_text (r);
  reply_free (r);
  g_assert_null (strstr (text, "<script>"));
  g_assert_nonnull (strstr (text, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;关于&amp;规范的通知"));
  g_assert_nonnull (strstr (text, "沪应急办〔2023〕20号"));
  g_assert_nonnull (strstr (text, "2099-06-01"));
  newer_pos = strstr (text, id);
  older_pos = strstr (text, older_id);
  g_assert_nonnull (newer_pos);
  g_assert_nonnull (older_pos);
  g_assert_true (newer_pos < older_pos);
  g_clear_pointer (&text, g_free);

  /* The document page. */
  doc_url = g_strdup_printf ("%s/docs/%s", gk_test_portal_get_url (portal), id);
  r = send_simple ("GET", doc_url, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  text = reply_text (r);
  reply_free (r);
  g_assert_null (strstr (text, "<script>"));
  g_assert_null (strstr (text, "<企业>"));
  g_assert_nonnull (strstr (text, "全市&lt;企业&gt;"));
  g_assert_nonnull (strstr (text, "SHYJ-2099-000001"));
  g_assert_nonnull (strstr (text, "沪应急办〔2023〕20号"));
  g_assert_nonnull (strstr (text, "上海市应急管理局"));
  g_assert_nonnull (strstr (text, "2023-04-10"));
  g_assert_nonnull (strstr (text, "2099-06-01"));
  g_assert_nonnull (strstr (text, "有效"));
  g_assert_nonnull (strstr (text, "政务公开"));
  g_assert_nonnull (strstr (text, "href=\"https://zwdt.sh.gov.cn/item?id=1&amp;q=&lt;x&gt;\""));
  g_assert_nonnull (strstr (text, ">办<"));
  g_assert_nonnull (strstr (text, "/file"));
  g_clear_pointer (&text, g_free);

  r = send_simple_take ("GET", g_strdup_printf ("%s/docs/%s", gk_test_portal_get_url (portal), older_id), NULL);
  text = reply_text (r);
  reply_free (r);
  g_assert_nonnull (strstr (text, "废止"));
  g_assert_null (strstr (text, ">办<"));
  g_clear_pointer (&text, g_free);

  /* The PDF, inline, byte for byte. */
  file_url = g_strconcat (doc_url, "/file", NULL);
  r = send_simple ("GET", file_url, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==, "application/pdf");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (r->headers, "Content-Disposition"), "inline"));
  g_assert_true (g_bytes_equal (r->body, pdf));
  reply_free (r);

  /* Unknown documents, methods and paths. */
  r = send_simple_take ("GET", g_strdup_printf ("%s/docs/%s", gk_test_portal_get_url (portal),
                                           "0b6c7f9e-1f0a-4c55-9d1e-000000000000"), NULL);
  g_assert_cmpuint (r->status, ==, 404);
  reply_free (r);
  r = send_simple_take ("GET", g_strdup_printf ("%s/docs/%s", gk_test_portal_get_url (portal), "..%2f..%2fetc"), NULL);
  g_assert_true (r->status == 400 || r->status == 404);
  reply_free (r);
  r = send_simple ("POST", doc_url, NULL);
  g_assert_cmpuint (r->status, ==, 405);
  reply_free (r);
  r = send_simple_take ("GET", api (portal, "/no-such-endpoint"), token);
  assert_error (r, 404, "not_found", NULL);
  reply_free (r);
}

static void
test_base_path_and_public_url (void)
{
  const char *args[] = { "--base-path", "/gk/api/", "--public-url", "https://portal.example.gov.cn/", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GkTestPortal) p = gk_test_portal_start_full (token, args, &error);
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *id = new_id ();
  g_autoptr(JsonObject) record = make_record (id, pdf_sha);
  g_autoptr(GBytes) body = object_bytes (record);
  g_autofree char *health = NULL, *file = NULL, *doc = NULL, *expected = NULL;
  g_autoptr(JsonNode) root = NULL;
  Reply *r;

  g_assert_no_error (error);
  expected = g_strdup_printf ("%s/gk/api", gk_test_portal_get_url (p));
  g_assert_cmpstr (gk_test_portal_get_base_url (p), ==, expected);
  g_clear_pointer (&expected, g_free);
  health = g_strdup_printf ("%s/gk/api/health", gk_test_portal_get_url (p));
  file = g_strdup_printf ("%s/gk/api/files/%s", gk_test_portal_get_url (p), pdf_sha);
  doc = g_strdup_printf ("%s/gk/api/documents/%s", gk_test_portal_get_url (p), id);

  expect_status (session, "GET", health, token, NULL, NULL, FALSE, NULL, 200);
  r = send_simple_take ("GET", g_strdup_printf ("%s/api/v1/health", gk_test_portal_get_url (p)), token);
  g_assert_cmpuint (r->status, ==, 404);
  reply_free (r);
  expect_status (session, "PUT", file, token, "application/pdf", pdf, FALSE, NULL, 201);
  r = send_full (session, "PUT", doc, token, "application/json", body, FALSE, NULL);
  g_assert_cmpuint (r->status, ==, 201);
  root = reply_json (r);
  reply_free (r);
  expected = g_strdup_printf ("https://portal.example.gov.cn/docs/%s", id);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "public_url"), ==, expected);
}

static void
test_log_and_restart (void)
{
  g_autofree char *log = NULL;
  g_autofree char *id = NULL, *etag = NULL;
  g_autoptr(JsonNode) got = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file_url = g_strdup_printf ("%s/files/%s", gk_test_portal_get_base_url (portal), pdf_sha);
  guint port = gk_test_portal_get_port (portal);
  Reply *r;

  id = publish_new (portal, NULL, &etag);

  /* SIGTERM stops it cleanly; it comes back on the same port and data. */
  g_assert_true (gk_test_portal_stop (portal, &error));
  g_assert_no_error (error);
  g_assert_true (gk_test_portal_restart (portal, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (gk_test_portal_get_port (portal), ==, port);

  got = get_document (portal, id, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (got), "etag"), ==, etag);
  r = send_simple ("HEAD", file_url, token);
  g_assert_cmpuint (r->status, ==, 200);
  reply_free (r);

  /* A crash (SIGKILL) loses nothing committed either. */
  gk_test_portal_kill (portal);
  g_assert_true (gk_test_portal_restart (portal, &error));
  g_assert_no_error (error);
  g_clear_pointer (&got, json_node_unref);
  got = get_document (portal, id, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (got), "etag"), ==, etag);

  /* The request log names requests but never the token. */
  g_assert_true (g_file_get_contents (gk_test_portal_get_log_path (portal), &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "PUT /api/v1/documents/"));
  g_assert_null (strstr (log, token));
}

/* ---- fault proxy self-test ---- */

typedef struct
{
  GkFaultProxy *proxy;
  char         *health;
  char         *doc_prefix;
} ProxyFixture;

static void
proxy_setup (ProxyFixture  *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->proxy = gk_fault_proxy_new (gk_test_portal_get_base_url (portal), &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (gk_fault_proxy_get_base_url (f->proxy), "/api/v1"));
  f->health = g_strconcat (gk_fault_proxy_get_base_url (f->proxy), "/health", NULL);
  f->doc_prefix = g_strconcat (gk_fault_proxy_get_base_url (f->proxy), "/documents/", NULL);
}

static void
proxy_teardown (ProxyFixture  *f,
                gconstpointer  data)
{
  g_clear_pointer (&f->proxy, gk_fault_proxy_free);
  g_free (f->health);
  g_free (f->doc_prefix);
}

static void
test_proxy_pass_and_statuses (ProxyFixture  *f,
                              gconstpointer  data)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  Reply *r;

  r = send_full (session, "GET", f->health, token, NULL, NULL, FALSE, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  root = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "status"), ==, "ok");
  reply_free (r);
  /* The token passes through: without it the portal says 401. */
  r = send_full (session, "GET", f->health, NULL, NULL, NULL, FALSE, NULL);
  assert_error (r, 401, "unauthorized", NULL);
  reply_free (r);

  gk_fault_proxy_add (f->proxy, "GET", "/health", GK_FAULT_500, 1);
  gk_fault_proxy_add (f->proxy, "GET", "/health", GK_FAULT_502_HTML, 1);
  gk_fault_proxy_add (f->proxy, "GET", "/health", GK_FAULT_503, 1);
  gk_fault_proxy_add_full (f->proxy, "GET", "/health", GK_FAULT_429, 1, 7);
  gk_fault_proxy_add (f->proxy, "GET", "/health", GK_FAULT_401, 1);
  gk_fault_proxy_add (f->proxy, "GET", "/health", GK_FAULT_412, 1);
  g_assert_cmpuint (gk_fault_proxy_get_pending (f->proxy), ==, 6);

  r = send_full (session, "GET", f->health, token, NULL, NULL, FALSE, NULL);
  assert_error (r, 500, "unavailable", NULL);
  reply_free (r);
  r = send_full (session, "GET", f->health, token, NULL, NULL, FALSE, NULL);
  g_assert_cmpuint (r->status, ==, 502);
  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==, "text/html");
  text = reply_text (r);
  g_assert_nonnull (strstr (text, "502 Bad Gateway"));
  reply_free (r);
  r = send_full (session, "GET", f->health, token, NULL, NULL, FALSE, NULL);
  assert_error (r, 503, "unavailable", NULL);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "1");
  reply_free (r);
  r = send_full (session, "GET", f->health, token, NULL, NULL, FALSE, NULL);
  assert_error (r, 429, "rate_limited", NULL);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "7");
  reply_free (r);
  r = send_full (session, "GET", f->health, token, NULL, NULL, FALSE, NULL);
  assert_error (r, 401, "unauthorized", NULL);
  reply_free (r);
  r = send_full (session, "GET", f->health, token, NULL, NULL, FALSE, NULL);
  assert_error (r, 412, "precondition_failed", NULL);
  reply_free (r);

  /* Script used up: requests pass again. */
  g_assert_cmpuint (gk_fault_proxy_get_pending (f->proxy), ==, 0);
  expect_status (session, "GET", f->health, token, NULL, NULL, FALSE, NULL, 200);

  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "GET", "/health"), ==, 9);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "GET", "/health"), ==, 3);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", NULL), ==, 0);
  gk_fault_proxy_reset_counts (f->proxy);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, NULL, NULL), ==, 0);
}

static void
test_proxy_matching (ProxyFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *file_url = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("matching test bytes", 19);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  Reply *r;

  file_url = g_strdup_printf ("%s/files/%s", gk_fault_proxy_get_base_url (f->proxy), sha);
  gk_fault_proxy_add (f->proxy, "PUT", "/files/", GK_FAULT_500, 2);

  expect_status (session, "GET", f->health, token, NULL, NULL, FALSE, NULL, 200);
  expect_status (session, "HEAD", file_url, token, NULL, NULL, FALSE, NULL, 404);
  for (guint i = 0; i < 2; i++)
    {
      r = send_full (session, "PUT", file_url, token, "application/pdf", bytes, FALSE, NULL);
      assert_error (r, 500, "unavailable", NULL);
      reply_free (r);
    }
  expect_status (session, "PUT", file_url, token, "application/pdf", bytes, FALSE, NULL, 201);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/files/"), ==, 3);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/files/"), ==, 1);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, NULL, "/files/"), ==, 4);

  /* Chunked bodies stay chunked through the proxy. */
  r = send_full (session, "PUT", file_url, token, "application/pdf", bytes, TRUE, NULL);
  assert_error (r, 400, "bad_request", NULL);
  reply_free (r);

  /* An ALWAYS rule, then clear. */
  gk_fault_proxy_add (f->proxy, NULL, NULL, GK_FAULT_503, GK_FAULT_ALWAYS);
  g_assert_cmpuint (gk_fault_proxy_get_pending (f->proxy), ==, GK_FAULT_ALWAYS);
  for (guint i = 0; i < 3; i++)
    {
      expect_status (session, "GET", f->health, token, NULL, NULL, FALSE, NULL, 503);
    }
  gk_fault_proxy_clear (f->proxy);
  expect_status (session, "GET", f->health, token, NULL, NULL, FALSE, NULL, 200);
}

static void
test_proxy_reset (ProxyFixture  *f,
                  gconstpointer  data)
{
  /* A fresh session: libsoup resends an idempotent request by itself
   * when a *reused* connection closes before answering. */
  g_autoptr(SoupSession) session = new_session ();
  Reply *r;

  gk_fault_proxy_add (f->proxy, "GET", "/health", GK_FAULT_RESET, 1);
  r = send_full (session, "GET", f->health, token, NULL, NULL, FALSE, NULL);
  g_assert_nonnull (r->error);
  g_test_message ("reset: %s", r->error->message);
  g_assert_true (r->error->domain == G_IO_ERROR);
  reply_free (r);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "GET", "/health"), ==, 0);

  r = send_full (session, "GET", f->health, token, NULL, NULL, FALSE, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
  reply_free (r);
}

static void
test_proxy_hang (ProxyFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 1, NULL);
  gint64 start;
  Reply *r;

  gk_fault_proxy_add_full (f->proxy, "GET", "/health", GK_FAULT_HANG, 1, 4000);
  start = g_get_monotonic_time ();
  r = send_full (session, "GET", f->health, token, NULL, NULL, FALSE, NULL);
  g_assert_error (r->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  reply_free (r);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, NULL, NULL), ==, 0);
  /* Teardown frees the proxy with the request still held. */
}

static void
test_proxy_truncate (ProxyFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *id = publish_new (portal, NULL, NULL);
  g_autofree char *url = g_strconcat (f->doc_prefix, id, NULL);
  g_autofree char *put_id = new_id ();
  g_autoptr(JsonObject) record = make_record (put_id, pdf_sha);
  g_autoptr(GBytes) body = object_bytes (record);
  g_autofree char *put_url = g_strconcat (f->doc_prefix, put_id, NULL);
  const char *inm[] = { "If-None-Match", "*", NULL };
  g_autoptr(JsonNode) got = NULL;
  Reply *r;

  gk_fault_proxy_add (f->proxy, "GET", "/documents/", GK_FAULT_TRUNCATE, 1);
  r = send_full (session, "GET", url, token, NULL, NULL, FALSE, NULL);
  g_assert_nonnull (r->error);
  g_test_message ("truncated: %s", r->error->message);
  reply_free (r);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "GET", "/documents/"), ==, 1);

  /* A truncated answer to a PUT: the change was applied all the same. */
  gk_fault_proxy_add (f->proxy, "PUT", "/documents/", GK_FAULT_TRUNCATE, 1);
  r = send_full (session, "PUT", put_url, token, "application/json", body, FALSE, inm);
  g_assert_nonnull (r->error);
  reply_free (r);
  got = get_document (portal, put_id, 200);

  r = send_full (session, "GET", url, token, NULL, NULL, FALSE, NULL);
  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
  reply_free (r);
}

static void
test_proxy_forward_drop (ProxyFixture  *f,
                         gconstpointer  data)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *id = new_id ();
  g_autoptr(JsonObject) record = make_record (id, pdf_sha);
  g_autoptr(GBytes) body = object_bytes (record);
  g_autofree char *url = g_strconcat (f->doc_prefix, id, NULL);
  const char *inm[] = { "If-None-Match", "*", NULL };
  g_autoptr(JsonNode) got = NULL;
  g_autofree char *etag = NULL;
  Reply *r;

  gk_fault_proxy_add (f->proxy, "PUT", "/documents/", GK_FAULT_FORWARD_DROP, 1);
  r = send_full (session, "PUT", url, token, "application/json", body, FALSE, inm);
  g_assert_nonnull (r->error);
  g_test_message ("dropped: %s", r->error->message);
  reply_free (r);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 1);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/documents/"), ==, 1);

  /* Applied on the portal … */
  got = get_document (portal, id, 200);
  etag = g_strdup (json_object_get_string_member (json_node_get_object (got), "etag"));

  /* … and the retry with the same record succeeds with the same ETag. */
  r = send_full (session, "PUT", url, token, "application/json", body, FALSE, inm);
  g_assert_no_error (r->error);
  {
    g_autofree char *again = assert_written (r, 200, id, 3);
    g_assert_cmpstr (again, ==, etag);
  }
  reply_free (r);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 2);
}

static void
test_proxy_concurrency (ProxyFixture  *f,
                        gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns-per-host", 3, NULL);
  Wait waits[5] = { { 0 } };
  g_autoptr(GPtrArray) msgs = g_ptr_array_new_with_free_func (g_object_unref);

  gk_fault_proxy_add_full (f->proxy, "GET", "/health", GK_FAULT_DELAY, GK_FAULT_ALWAYS, 300);
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    {
      SoupMessage *msg = soup_message_new ("GET", f->health);
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      g_ptr_array_add (msgs, msg);
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, &waits[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    {
      g_assert_true (gk_test_pump_until (&waits[i].done, 20000));
      g_assert_no_error (waits[i].error);
      g_assert_cmpuint (soup_message_get_status (msgs->pdata[i]), ==, 200);
      g_bytes_unref (waits[i].body);
    }
  g_assert_cmpuint (gk_fault_proxy_get_max_in_flight (f->proxy), ==, 3);
  g_assert_cmpuint (gk_fault_proxy_get_max_connections (f->proxy), ==, 3);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "GET", "/health"), ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf_path = NULL;
  g_autofree char *token_random = NULL;
  const char *pages[] = { "上海市应急管理局\n关于印发工作要点的通知\n\n各区应急管理局：\n现将工作要点印发给你们。", NULL };
  char *data = NULL;
  gsize len;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* GSocketClient logs every connection at debug level: hundreds of lines. */
  if (g_getenv ("G_MESSAGES_DEBUG") == NULL)
    g_log_set_debug_enabled (FALSE);

  tmp_dir = g_dir_make_tmp ("gk-test-portal-XXXXXX", &error);
  g_assert_no_error (error);
  pdf_path = g_build_filename (tmp_dir, "doc.pdf", NULL);
  g_assert_true (gk_fixture_write_text_pdf (pdf_path, pages, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf_path, &data, &len, &error));
  pdf = g_bytes_new_take (data, len);
  token_random = g_uuid_string_random ();
  token = g_strdup_printf ("tok-%s", token_random);

  portal = gk_test_portal_start (token, &error);
  g_assert_no_error (error);
  pdf_sha = upload (portal, pdf);

  g_test_add_func ("/portal/health", test_health);
  g_test_add_func ("/portal/files", test_files);
  g_test_add_func ("/portal/files/too-large", test_files_too_large);
  g_test_add_func ("/portal/documents/create-replace", test_create_and_replace);
  g_test_add_func ("/portal/documents/identical-retry", test_identical_retry);
  g_test_add_func ("/portal/documents/validation", test_validation);
  g_test_add_func ("/portal/documents/validation-limits", test_validation_limits);
  g_test_add_func ("/portal/documents/malformed", test_malformed_bodies);
  g_test_add_func ("/portal/documents/body-framing", test_body_framing);
  g_test_add_func ("/portal/documents/withdraw", test_withdraw);
  g_test_add_func ("/portal/documents/listing", test_listing);
  g_test_add_func ("/portal/auth/readonly-token", test_readonly_token);
  g_test_add_func ("/portal/auth/connection-limit", test_connection_limit);
  g_test_add_func ("/portal/public-pages", test_public_pages);
  g_test_add_func ("/portal/options/base-path-public-url", test_base_path_and_public_url);
  g_test_add_func ("/portal/process/log-and-restart", test_log_and_restart);
  g_test_add ("/faults/pass-and-statuses", ProxyFixture, NULL, proxy_setup,
              test_proxy_pass_and_statuses, proxy_teardown);
  g_test_add ("/faults/matching", ProxyFixture, NULL, proxy_setup, test_proxy_matching, proxy_teardown);
  g_test_add ("/faults/reset", ProxyFixture, NULL, proxy_setup, test_proxy_reset, proxy_teardown);
  g_test_add ("/faults/hang", ProxyFixture, NULL, proxy_setup, test_proxy_hang, proxy_teardown);
  g_test_add ("/faults/truncate", ProxyFixture, NULL, proxy_setup, test_proxy_truncate, proxy_teardown);
  g_test_add ("/faults/forward-drop", ProxyFixture, NULL, proxy_setup, test_proxy_forward_drop,
              proxy_teardown);
  g_test_add ("/faults/concurrency", ProxyFixture, NULL, proxy_setup, test_proxy_concurrency,
              proxy_teardown);

  status = g_test_run ();

  g_assert_true (gk_test_portal_stop (portal, &error));
  g_assert_no_error (error);
  g_clear_pointer (&portal, gk_test_portal_free);
  g_clear_pointer (&pdf, g_bytes_unref);
  gk_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (token);
  g_free (pdf_sha);
  return status;
}
