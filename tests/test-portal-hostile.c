/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiTestPortalHostile"

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/resource.h>

#include "gk-fault-proxy.h"

/* gongkai-portal against hostile clients on raw sockets: declared bodies
 * over the limit, framing that lies, bodies and headers that never end,
 * and more connections than it keeps.  Every wait is bounded: socket
 * waits with a deadline, or main-loop pumps. */

/* The most any answer may take; the portal's own timeouts in these tests
 * are 1 s (idle) and 3 s (whole request). */
#define ANSWER_BOUND_MS 5000

static char *token;
static GkTestPortal *portal;   /* default options */

typedef struct
{
  char    *status_line;  /* NULL when no answer came in time */
  char    *head;         /* the header lines */
  GBytes  *body;
  gint64   elapsed_ms;   /* until the whole answer was in */
} Response;

static void
response_free (Response *response)
{
  g_free (response->status_line);
  g_free (response->head);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static GSocket *
raw_connect (GkTestPortal *p)
{
  g_autoptr(GSocketAddress) address =
    g_inet_socket_address_new_from_string ("127.0.0.1", gk_test_portal_get_port (p));
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_socket_set_timeout (socket, 10);
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);
  return socket;
}

static void
raw_send (GSocket    *socket,
          const char *data,
          gsize       len)
{
  gsize done = 0;

  while (done < len)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (socket, data + done, len - done, NULL, &error);

      g_assert_no_error (error);
      done += (gsize) n;
    }
}

static void
raw_send_text (GSocket    *socket,
               const char *text)
{
  raw_send (socket, text, strlen (text));
}

/* Reads what arrives before @deadline (monotonic µs): > 0 bytes, 0 at
 * the end of the connection (or a reset), -1 when the time is up. */
static gssize
read_until (GSocket *socket,
            char    *buf,
            gsize    size,
            gint64   deadline)
{
  g_autoptr(GError) error = NULL;
  gint64 left = deadline - g_get_monotonic_time ();
  gssize n;

  if (left <= 0 || !g_socket_condition_timed_wait (socket, G_IO_IN, left, NULL, &error))
    return -1;
  n = g_socket_receive (socket, buf, size, NULL, &error);
  return n < 0 ? 0 : n;
}

/* Reads one response, waiting at most @bound_ms for all of it. */
static Response *
raw_read_response (GSocket *socket,
                   guint    bound_ms)
{
  Response *response = g_new0 (Response, 1);
  g_autoptr(GString) data = g_string_new (NULL);
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64) bound_ms * 1000;
  const char *end, *length_header;
  gsize head_len, body_len = 0;
  g_autofree char *lower = NULL;

  while ((end = strstr (data->str, "\r\n\r\n")) == NULL)
    {
      char buf[4096];
      gssize n = read_until (socket, buf, sizeof buf, deadline);

      if (n <= 0)
        return response;
      g_string_append_len (data, buf, n);
    }
  head_len = (gsize) (end - data->str);
  lower = g_ascii_strdown (data->str, (gssize) head_len);
  length_header = strstr (lower, "\r\ncontent-length:");
  if (length_header != NULL)
    body_len = g_ascii_strtoull (length_header + strlen ("\r\ncontent-length:"), NULL, 10);
  while (data->len < head_len + 4 + body_len)
    {
      char buf[4096];
      gssize n = read_until (socket, buf, sizeof buf, deadline);

      if (n <= 0)
        return response;
      g_string_append_len (data, buf, n);
    }
  response->elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  response->status_line = g_strndup (data->str, strcspn (data->str, "\r\n"));
  response->head = g_strndup (data->str, head_len);
  response->body = g_bytes_new (data->str + head_len + 4, body_len);
  return response;
}

/* Waits (at most @bound_ms) for the portal to close the connection,
 * dropping what it sends; returns how long that took, or -1. */
static gint64
raw_wait_closed (GSocket *socket,
                 guint    bound_ms)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64) bound_ms * 1000;

  for (;;)
    {
      char buf[4096];
      gssize n = read_until (socket, buf, sizeof buf, deadline);

      if (n < 0)
        return -1;
      if (n == 0)
        return (g_get_monotonic_time () - start) / 1000;
    }
}

static char *
request_head (const char *method,
              const char *path,
              const char *more_headers)
{
  return g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n%s\r\n",
                          method, path, token, more_headers != NULL ? more_headers : "");
}

static gboolean
head_has (Response   *response,
          const char *line)
{
  g_autofree char *lower_head = g_ascii_strdown (response->head, -1);
  g_autofree char *lower_line = g_ascii_strdown (line, -1);
  g_autofree char *needle = g_strconcat ("\r\n", lower_line, "\r\n", NULL);
  g_autofree char *haystack = g_strconcat (lower_head, "\r\n", NULL);

  return strstr (haystack, needle) != NULL;
}

/* Checks a response is the contract's JSON error with @code. */
static void
assert_error_body (Response   *response,
                   const char *code)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *err;
  gsize len;
  const char *data = g_bytes_get_data (response->body, &len);

  g_assert_true (head_has (response, "Content-Type: application/json"));
  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (root), ==, 1);
  err = json_object_get_object_member (root, "error");
  g_assert_cmpstr (json_object_get_string_member (err, "code"), ==, code);
  g_assert_nonnull (json_object_get_string_member (err, "message"));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (err, "fields")));
}

/* Sends @request (headers only, or with the start of a body) on a new
 * connection and expects @status_line within the bound, before the rest
 * of the body was sent; then the portal must close the connection. */
static Response *
expect_answer_now (GkTestPortal *p,
                   const char   *request,
                   gsize         len,
                   const char   *status_line,
                   gboolean      then_closed)
{
  g_autoptr(GSocket) socket = raw_connect (p);
  Response *response;

  raw_send (socket, request, len);
  response = raw_read_response (socket, ANSWER_BOUND_MS);
  if (response->status_line == NULL)
    g_test_message ("no answer within %u ms to: %.*s", ANSWER_BOUND_MS,
                    (int) strcspn (request, "\r"), request);
  g_assert_cmpstr (response->status_line, ==, status_line);
  g_assert_cmpint (response->elapsed_ms, <, ANSWER_BOUND_MS);
  if (then_closed)
    {
      g_assert_cmpint (raw_wait_closed (socket, ANSWER_BOUND_MS), >=, 0);
    }
  return response;
}

static char *
new_id (void)
{
  return g_uuid_string_random ();
}

/* ---- declared bodies over the limit ---- */

static void
test_too_large_before_body (void)
{
  const char *args[] = { "--max-file-bytes", "1000", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GkTestPortal) small = gk_test_portal_start_full (token, args, &error);
  g_autofree char *id = new_id ();
  g_autofree char *sha = g_strnfill (64, 'a');
  g_autofree char *file_path = g_strdup_printf ("/api/v1/files/%s", sha);
  g_autofree char *doc_path = g_strdup_printf ("/api/v1/documents/%s", id);
  struct
  {
    GkTestPortal *portal;   /* NULL: the one with --max-file-bytes 1000 */
    gboolean      anonymous;
    const char   *method;
    const char   *path;
    const char   *headers;
    const char   *status_line;
    const char   *code;     /* NULL: a page, not the API */
  } cases[] = {
    { NULL, FALSE, "PUT", file_path, "Content-Type: application/pdf\r\nContent-Length: 1001\r\n",
      "HTTP/1.1 413 Request Entity Too Large", "too_large" },
    { NULL, FALSE, "PUT", file_path, "Content-Length: 99999999999999999999999\r\n",
      "HTTP/1.1 413 Request Entity Too Large", "too_large" },
    { NULL, FALSE, "PUT", doc_path, "Content-Type: application/json\r\nContent-Length: 1048577\r\n",
      "HTTP/1.1 413 Request Entity Too Large", "too_large" },
    { NULL, FALSE, "GET", "/api/v1/health", "Content-Length: 50000000\r\n",
      "HTTP/1.1 413 Request Entity Too Large", "too_large" },
    { NULL, TRUE, "POST", "/", "Content-Length: 50000000\r\n",
      "HTTP/1.1 413 Request Entity Too Large", NULL },
    /* The default limit, 100 MiB, on the shared portal. */
    { portal, FALSE, "PUT", file_path,
      "Content-Type: application/pdf\r\nContent-Length: 104857601\r\n",
      "HTTP/1.1 413 Request Entity Too Large", "too_large" },
    /* Refused for another reason, and as quickly. */
    { portal, TRUE, "PUT", file_path, "Content-Length: 50000000\r\n",
      "HTTP/1.1 401 Unauthorized", "unauthorized" },
  };
  Response *response;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GkTestPortal *p = cases[i].portal != NULL ? cases[i].portal : small;
      g_autofree char *request = NULL;

      g_test_message ("case %u: %s %s", i, cases[i].method, cases[i].path);
      if (cases[i].anonymous)
        request = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n", cases[i].method,
                                   cases[i].path, cases[i].headers);
      else
        request = request_head (cases[i].method, cases[i].path, cases[i].headers);
      response = expect_answer_now (p, request, strlen (request), cases[i].status_line, TRUE);
      if (cases[i].code != NULL)
        assert_error_body (response, cases[i].code);
      else
        g_assert_true (head_has (response, "Content-Type: text/html; charset=utf-8"));
      response_free (response);
    }

  /* A client that sends the body right behind the headers still reads
   * the answer: the portal drops what follows instead of resetting. */
  {
    g_autofree char *head = request_head ("PUT", file_path,
                                          "Content-Type: application/pdf\r\n"
                                          "Content-Length: 10000000\r\n");
    g_autoptr(GString) request = g_string_new (head);

    while (request->len < 256 * 1024)
      g_string_append (request, "%PDF-1.7 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n");
    response = expect_answer_now (small, request->str, request->len,
                                  "HTTP/1.1 413 Request Entity Too Large", TRUE);
    assert_error_body (response, "too_large");
    response_free (response);
  }

  /* Nothing was stored, and the portal still serves. */
  {
    g_autoptr(GSocket) socket = raw_connect (small);
    g_autofree char *request = request_head ("HEAD", file_path, NULL);
    g_autoptr(Response) head = NULL;

    raw_send_text (socket, request);
    head = raw_read_response (socket, ANSWER_BOUND_MS);
    g_assert_cmpstr (head->status_line, ==, "HTTP/1.1 404 Not Found");
  }

  g_assert_true (gk_test_portal_stop (small, &error));
  g_assert_no_error (error);
}

/* ---- framing that lies ---- */

static void
test_bad_framing (void)
{
  g_autofree char *id = new_id ();
  g_autofree char *doc_path = g_strdup_printf ("/api/v1/documents/%s", id);
  const char *headers[] = {
    "Content-Length: -1\r\n",
    "Content-Length: +2\r\n",
    "Content-Length: 0x10\r\n",
    "Content-Length: abc\r\n",
    "Content-Length: 1 2\r\n",
    "Content-Length: 2\r\nContent-Length: 5\r\n",
    "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n",
    "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n",
    "Transfer-Encoding: chunked\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autofree char *more = g_strconcat ("Content-Type: application/json\r\n", headers[i], NULL);
      g_autofree char *request = request_head ("PUT", doc_path, more);
      g_autoptr(Response) response = NULL;

      g_test_message ("framing %u: %s", i, headers[i]);
      response = expect_answer_now (portal, request, strlen (request), "HTTP/1.1 400 Bad Request",
                                    TRUE);
      assert_error_body (response, "bad_request");
    }

  /* A chunked body that never ends is cut at once, on the API and on
   * the public pages. */
  {
    g_autofree char *request = request_head ("GET", "/api/v1/health",
                                             "Transfer-Encoding: chunked\r\n");
    g_autoptr(GString) stream = g_string_new (request);
    g_autoptr(Response) response = NULL;

    for (guint i = 0; i < 64; i++)
      {
        g_string_append (stream, "400\r\n");
        for (guint j = 0; j < 0x400; j++)
          g_string_append_c (stream, 'x');
        g_string_append (stream, "\r\n");
      }
    response = expect_answer_now (portal, stream->str, stream->len, "HTTP/1.1 400 Bad Request",
                                  TRUE);
    assert_error_body (response, "bad_request");
  }
  {
    const char *request =
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    g_autoptr(Response) response = expect_answer_now (portal, request, strlen (request),
                                                      "HTTP/1.1 400 Bad Request", TRUE);

    g_assert_true (head_has (response, "Content-Type: text/html; charset=utf-8"));
  }

  /* None of them stored anything. */
  {
    g_autoptr(GSocket) socket = raw_connect (portal);
    g_autofree char *request = request_head ("GET", doc_path, NULL);
    g_autoptr(Response) response = NULL;

    raw_send_text (socket, request);
    response = raw_read_response (socket, ANSWER_BOUND_MS);
    g_assert_cmpstr (response->status_line, ==, "HTTP/1.1 404 Not Found");
  }

  /* Two equal Content-Length headers are one; a small refused body is
   * read and dropped, and the connection stays usable. */
  {
    g_autoptr(GSocket) socket = raw_connect (portal);
    g_autofree char *wrong = g_strdup_printf ("PUT %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer wrong\r\n"
                                              "Content-Type: application/json\r\n"
                                              "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
                                              doc_path);
    g_autofree char *health = request_head ("GET", "/api/v1/health", NULL);
    g_autoptr(Response) refused = NULL;
    g_autoptr(Response) served = NULL;

    raw_send_text (socket, wrong);
    refused = raw_read_response (socket, ANSWER_BOUND_MS);
    g_assert_cmpstr (refused->status_line, ==, "HTTP/1.1 401 Unauthorized");
    assert_error_body (refused, "unauthorized");
    g_assert_false (head_has (refused, "Connection: close"));
    raw_send_text (socket, health);
    served = raw_read_response (socket, ANSWER_BOUND_MS);
    g_assert_cmpstr (served->status_line, ==, "HTTP/1.1 200 OK");
  }
}

/* ---- connections that stall ---- */

/* A hostile connection on the main loop: it trickles @data one byte per
 * interval and notices when the portal closes it. */
typedef struct
{
  GSocket    *socket;
  GSource    *watch;
  guint       timer_id;
  const char *data;
  gsize       len;
  gsize       sent;
  gint64      opened;
  gint64      closed_at;   /* 0 while open */
  guint      *n_closed;
} Hostile;

static void
hostile_mark_closed (Hostile *h)
{
  if (h->closed_at != 0)
    return;
  h->closed_at = g_get_monotonic_time ();
  (*h->n_closed)++;
  g_clear_handle_id (&h->timer_id, g_source_remove);
}

static gboolean
on_hostile_readable_cb (GSocket      *socket,
                        GIOCondition  condition,
                        gpointer      user_data)
{
  Hostile *h = user_data;
  char buf[4096];
  g_autoptr(GError) error = NULL;
  gssize n = g_socket_receive_with_blocking (socket, buf, sizeof buf, FALSE, NULL, &error);

  if (n > 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;
  hostile_mark_closed (h);
  return G_SOURCE_REMOVE;
}

static gboolean
on_hostile_tick_cb (gpointer user_data)
{
  Hostile *h = user_data;
  g_autoptr(GError) error = NULL;

  if (h->sent >= h->len)
    return G_SOURCE_CONTINUE;
  if (g_socket_send_with_blocking (h->socket, h->data + h->sent, 1, FALSE, NULL, &error) == 1)
    h->sent++;
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      h->timer_id = 0;
      hostile_mark_closed (h);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Opens a connection, sends @prefix at once, then trickles @trickle (if
 * any) one byte every @interval_ms. */
static Hostile *
hostile_open (GkTestPortal *p,
              const char   *prefix,
              const char   *trickle,
              guint         interval_ms,
              guint        *n_closed)
{
  Hostile *h = g_new0 (Hostile, 1);

  h->socket = raw_connect (p);
  h->opened = g_get_monotonic_time ();
  h->n_closed = n_closed;
  if (prefix != NULL)
    raw_send_text (h->socket, prefix);
  g_socket_set_blocking (h->socket, FALSE);
  h->watch = g_socket_create_source (h->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (h->watch, G_SOURCE_FUNC (on_hostile_readable_cb), h, NULL);
  g_source_attach (h->watch, NULL);
  if (trickle != NULL)
    {
      h->data = trickle;
      h->len = strlen (trickle);
      h->timer_id = g_timeout_add (interval_ms, on_hostile_tick_cb, h);
    }
  return h;
}

static void
hostile_free (Hostile *h)
{
  g_clear_handle_id (&h->timer_id, g_source_remove);
  g_source_destroy (h->watch);
  g_source_unref (h->watch);
  g_object_unref (h->socket);
  g_free (h);
}

static gint64
hostile_lived_ms (Hostile *h)
{
  return h->closed_at == 0 ? -1 : (h->closed_at - h->opened) / 1000;
}

typedef struct
{
  guint   *count;
  guint    target;
  gboolean done;
} Until;

static gboolean
on_until_check_cb (gpointer user_data)
{
  Until *until = user_data;

  if (*until->count >= until->target)
    {
      until->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Pumps the main loop until @count reaches @target or @bound_ms pass. */
static gboolean
pump_until_count (guint *count,
                  guint  target,
                  guint  bound_ms)
{
  Until until = { count, target, *count >= target };
  guint id = g_timeout_add (10, on_until_check_cb, &until);
  gboolean reached = gk_test_pump_until (&until.done, bound_ms);

  if (!reached)
    g_source_remove (id);
  return reached;
}

/* A long header section that a slow client sends byte by byte. */
static char *
long_head (void)
{
  GString *head = g_string_new (NULL);

  g_string_append_printf (head, "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Authorization: Bearer %s\r\n", token);
  for (guint i = 0; i < 200; i++)
    g_string_append_printf (head, "X-Slow-%u: %u\r\n", i, i);
  g_string_append (head, "\r\n");
  return g_string_free (head, FALSE);
}

static void
test_stalled_connections (void)
{
  const char *quick_args[] = { "--idle-timeout", "1", "--request-timeout", "3", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GkTestPortal) quick = gk_test_portal_start_full (token, quick_args, &error);
  g_autofree char *id = new_id ();
  g_autofree char *put = g_strdup_printf ("PUT /api/v1/documents/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                          "Authorization: Bearer %s\r\n"
                                          "Content-Type: application/json\r\n"
                                          "Content-Length: 100000\r\n\r\n{\"id\": ",
                                          id, token);
  g_autofree char *slow_head = long_head ();
  g_autofree char *slow_body = g_strnfill (100000, ' ');
  g_autofree char *health = request_head ("GET", "/api/v1/health", NULL);
  g_autoptr(GPtrArray) silent = g_ptr_array_new_with_free_func ((GDestroyNotify) hostile_free);
  g_autoptr(GPtrArray) short_body = g_ptr_array_new_with_free_func ((GDestroyNotify) hostile_free);
  g_autoptr(GPtrArray) slow_headers =
    g_ptr_array_new_with_free_func ((GDestroyNotify) hostile_free);
  g_autoptr(GPtrArray) slow_bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) hostile_free);
  g_autoptr(GPtrArray) idle = g_ptr_array_new_with_free_func ((GDestroyNotify) hostile_free);
  guint n_closed = 0, n_hostile;

  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      /* Connects and sends nothing. */
      g_ptr_array_add (silent, hostile_open (quick, NULL, NULL, 0, &n_closed));
      /* Declares 100000 bytes, sends 7 and stops. */
      g_ptr_array_add (short_body, hostile_open (quick, put, NULL, 0, &n_closed));
      /* Trickles its headers, a byte every 50 ms: never idle, never done. */
      g_ptr_array_add (slow_headers, hostile_open (quick, NULL, slow_head, 50, &n_closed));
      /* Sends its headers, then trickles the body a byte every 50 ms. */
      g_ptr_array_add (slow_bodies, hostile_open (quick, put, slow_body, 50, &n_closed));
    }
  n_hostile = silent->len + short_body->len + slow_headers->len + slow_bodies->len;

  /* A well-behaved client is served meanwhile, and its keep-alive
   * connection then sits idle. */
  {
    g_autoptr(GSocket) socket = raw_connect (quick);
    g_autoptr(Response) response = NULL;

    raw_send_text (socket, health);
    response = raw_read_response (socket, ANSWER_BOUND_MS);
    g_assert_cmpstr (response->status_line, ==, "HTTP/1.1 200 OK");
    g_assert_cmpint (response->elapsed_ms, <, ANSWER_BOUND_MS);
    g_ptr_array_add (idle, hostile_open (quick, health, NULL, 0, &n_closed));
  }

  /* Every one is closed: the silent, short-body and slow-header ones
   * after the idle timeout (1 s), the slow bodies after the request
   * timeout (3 s), the idle keep-alive one after 1 s. */
  g_assert_true (pump_until_count (&n_closed, n_hostile + idle->len, 3000 + ANSWER_BOUND_MS));
  for (guint i = 0; i < silent->len; i++)
    {
      g_assert_cmpint (hostile_lived_ms (silent->pdata[i]), <, ANSWER_BOUND_MS);
      g_assert_cmpint (hostile_lived_ms (short_body->pdata[i]), <, ANSWER_BOUND_MS);
      g_assert_cmpint (hostile_lived_ms (slow_headers->pdata[i]), <, ANSWER_BOUND_MS);
      g_assert_cmpint (hostile_lived_ms (slow_bodies->pdata[i]), >=, 2500);
      g_assert_cmpint (hostile_lived_ms (slow_bodies->pdata[i]), <, 3000 + ANSWER_BOUND_MS);
      /* The trickle went on till the end: the idle timeout never hit. */
      g_assert_cmpuint (((Hostile *) slow_headers->pdata[i])->sent, <,
                        ((Hostile *) slow_headers->pdata[i])->len);
    }

  /* The half-sent document was not stored. */
  {
    g_autoptr(GSocket) socket = raw_connect (quick);
    g_autofree char *path = g_strdup_printf ("/api/v1/documents/%s", id);
    g_autofree char *request = request_head ("GET", path, NULL);
    g_autoptr(Response) response = NULL;

    raw_send_text (socket, request);
    response = raw_read_response (socket, ANSWER_BOUND_MS);
    g_assert_cmpstr (response->status_line, ==, "HTTP/1.1 404 Not Found");
  }

  g_assert_true (gk_test_portal_stop (quick, &error));
  g_assert_no_error (error);
}

/* A well-behaved client is served however many idle connections there
 * are: past --max-clients the least active one is closed. */
static void
test_connection_flood (void)
{
  const char *args[] = { "--max-clients", "4", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GkTestPortal) p = gk_test_portal_start_full (token, args, &error);
  g_autoptr(GPtrArray) flood = g_ptr_array_new_with_free_func ((GDestroyNotify) hostile_free);
  g_autofree char *health = request_head ("GET", "/api/v1/health", NULL);
  guint n_closed = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < 40; i++)
    g_ptr_array_add (flood, hostile_open (p, i % 2 == 0 ? NULL : "GET / HTTP/1.1\r\n", NULL, 0,
                                          &n_closed));
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GSocket) socket = raw_connect (p);
      g_autoptr(Response) response = NULL;

      raw_send_text (socket, health);
      response = raw_read_response (socket, ANSWER_BOUND_MS);
      g_assert_cmpstr (response->status_line, ==, "HTTP/1.1 200 OK");
    }
  /* At most 4 stay open (the timeouts, 30 s by default, play no part). */
  g_assert_true (pump_until_count (&n_closed, flood->len - 4, ANSWER_BOUND_MS));

  g_assert_true (gk_test_portal_stop (p, &error));
  g_assert_no_error (error);
}

/* ---- hostile paths and JSON ---- */

static Response *
raw_request (GkTestPortal *p,
             const char   *method,
             const char   *path,
             const char   *content_type,
             const char   *body)
{
  g_autoptr(GSocket) socket = raw_connect (p);
  g_autofree char *more = body != NULL ? g_strdup_printf ("Content-Type: %s\r\n"
                                                          "Content-Length: %" G_GSIZE_FORMAT "\r\n",
                                                          content_type, strlen (body))
                                       : NULL;
  g_autofree char *request = request_head (method, path, more);

  raw_send_text (socket, request);
  if (body != NULL)
    raw_send_text (socket, body);
  return raw_read_response (socket, ANSWER_BOUND_MS);
}

static void
test_hostile_paths (void)
{
  const char *api_paths[] = {
    "/api/v1/documents/%ff%fe",
    "/api/v1/documents/%c0%af",
    "/api/v1/documents/a%00b",
    "/api/v1/documents/a%0ab",
    "/api/v1/files/..%2f..%2fportal.db",
  };
  const char *page_paths[] = {
    "/docs/%ff",
    "/docs/..%2f..%2fportal.db/file",
  };

  for (guint i = 0; i < G_N_ELEMENTS (api_paths); i++)
    {
      g_autoptr(Response) response = raw_request (portal, "GET", api_paths[i], NULL, NULL);

      g_test_message ("path %s", api_paths[i]);
      g_assert_cmpstr (response->status_line, ==, "HTTP/1.1 400 Bad Request");
      assert_error_body (response, "bad_request");
    }
  for (guint i = 0; i < G_N_ELEMENTS (page_paths); i++)
    {
      g_autoptr(Response) response = raw_request (portal, "GET", page_paths[i], NULL, NULL);

      g_test_message ("page %s", page_paths[i]);
      g_assert_cmpstr (response->status_line, ==, "HTTP/1.1 400 Bad Request");
      g_assert_true (head_has (response, "Content-Type: text/html; charset=utf-8"));
    }

  /* Uploads cannot name a path either. */
  {
    g_autoptr(Response) response = raw_request (portal, "PUT", "/api/v1/files/..%2fx",
                                                 "application/pdf", "%PDF");

    g_assert_cmpstr (response->status_line, ==, "HTTP/1.1 400 Bad Request");
    assert_error_body (response, "bad_request");
  }
}

static void
test_hostile_json (void)
{
  const char *bodies[] = {
    "{\"revision\": 1e999999}",
    "{\"revision\": -1E400}",
    "{\"a\": [1.5e308, 2e308]}",
    "{\"a\": \"\xed\xa0\x80\"}",
    "{\"a\": \"\xc0\xaf\"}",
    "\xef\xbb\xbf{}",
  };
  g_autoptr(GString) deep = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *id = new_id ();
      g_autofree char *path = g_strdup_printf ("/api/v1/documents/%s", id);
      g_autoptr(Response) response = raw_request (portal, "PUT", path, "application/json",
                                                  bodies[i]);

      g_test_message ("body %u", i);
      g_assert_cmpstr (response->status_line, ==, "HTTP/1.1 400 Bad Request");
      assert_error_body (response, "bad_request");
    }

  /* Objects nested deeper than the portal parses. */
  for (guint i = 0; i < 5000; i++)
    g_string_append (deep, "{\"a\":");
  g_string_append (deep, "1");
  for (guint i = 0; i < 5000; i++)
    g_string_append_c (deep, '}');
  {
    g_autofree char *id = new_id ();
    g_autofree char *path = g_strdup_printf ("/api/v1/documents/%s", id);
    g_autoptr(Response) response = raw_request (portal, "PUT", path, "application/json",
                                                deep->str);

    g_assert_cmpstr (response->status_line, ==, "HTTP/1.1 400 Bad Request");
    assert_error_body (response, "bad_request");
  }
}

/* libsoup 3.2 stops accepting for good once accept() fails for want of
 * a file descriptor.  Under a low limit (inherited from this process)
 * the portal keeps to as many clients as fit, uploads included (each
 * holds a temporary file too).  This lowers the limit of the test
 * process for good, so it runs last. */
static void
test_descriptor_limit (void)
{
  struct rlimit limit;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkTestPortal) p = NULL;
  g_autoptr(GPtrArray) uploads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *health = request_head ("GET", "/api/v1/health", NULL);
  const char *pdf = "%PDF-1.7 hostile";
  g_autofree char *pdf_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, pdf, -1);
  g_autofree char *pdf_path = g_strdup_printf ("/api/v1/files/%s", pdf_sha);

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  limit.rlim_cur = limit.rlim_max = MIN (limit.rlim_max, 128);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  p = gk_test_portal_start (token, &error);
  g_assert_no_error (error);

  /* 70 uploads that stall after their first bytes: 140 descriptors in
   * the portal, more than it has. */
  for (guint i = 0; i < 70; i++)
    {
      g_autofree char *seed = g_strdup_printf ("%u", i);
      g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);
      g_autofree char *path = g_strdup_printf ("/api/v1/files/%s", sha);
      g_autofree char *head = request_head ("PUT", path, "Content-Type: application/pdf\r\n"
                                                         "Content-Length: 1000000\r\n");
      GSocket *socket = raw_connect (p);

      raw_send_text (socket, head);
      raw_send_text (socket, "%PDF-1.7");
      g_ptr_array_add (uploads, socket);
    }

  /* Still accepting and serving, uploads too. */
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GSocket) socket = raw_connect (p);
      g_autoptr(Response) response = NULL;

      raw_send_text (socket, health);
      response = raw_read_response (socket, ANSWER_BOUND_MS);
      g_assert_cmpstr (response->status_line, ==, "HTTP/1.1 200 OK");
    }
  {
    g_autoptr(Response) response = raw_request (p, "PUT", pdf_path, "application/pdf", pdf);

    g_assert_cmpstr (response->status_line, ==, "HTTP/1.1 201 Created");
  }

  g_assert_true (gk_test_portal_stop (p, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *random = g_uuid_string_random ();
  int status;

  g_test_init (&argc, &argv, NULL);
  token = g_strdup_printf ("tok-%s", random);
  portal = gk_test_portal_start (token, &error);
  g_assert_no_error (error);

  g_test_add_func ("/portal-hostile/too-large-before-body", test_too_large_before_body);
  g_test_add_func ("/portal-hostile/bad-framing", test_bad_framing);
  g_test_add_func ("/portal-hostile/stalled-connections", test_stalled_connections);
  g_test_add_func ("/portal-hostile/connection-flood", test_connection_flood);
  g_test_add_func ("/portal-hostile/paths", test_hostile_paths);
  g_test_add_func ("/portal-hostile/json", test_hostile_json);
  /* Last: it lowers this process's open-file limit for good. */
  g_test_add_func ("/portal-hostile/descriptor-limit", test_descriptor_limit);

  status = g_test_run ();

  g_assert_true (gk_test_portal_stop (portal, &error));
  g_assert_no_error (error);
  g_clear_pointer (&portal, gk_test_portal_free);
  g_free (token);
  return status;
}
