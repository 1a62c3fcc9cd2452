/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkFaultProxy"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include "gk-fault-proxy.h"

/* A canned answer (GK_FAULT_REPLY). */
typedef struct
{
  gboolean forward;
  guint    status;
  char    *etag;
  char    *content_type;
  char    *body;
} Reply;

typedef struct
{
  char   *method;       /* NULL: any */
  char   *path_prefix;  /* NULL: any */
  GkFault fault;
  guint   remaining;
  guint   param;
  Reply  *reply;
} Rule;

typedef struct
{
  char    *method;
  char    *path;
  gboolean forwarded;
  gboolean forgotten;  /* before gk_fault_proxy_reset_counts() */
} Seen;

typedef enum
{
  AFTER_RELAY,
  AFTER_TRUNCATE,
  AFTER_DROP,
  AFTER_REPLY,
  AFTER_TRICKLE_HEAD,
  AFTER_TRICKLE_BODY,
} AfterForward;

/* An answer written a byte at a time on a stolen connection. */
typedef struct
{
  GIOStream *stream;
  GBytes    *data;
  gsize      sent;
  guint      timer_id;
} Trickle;

/* A request the proxy holds: waiting on the upstream or on a timer. */
typedef struct
{
  GkFaultProxy      *proxy;
  SoupServerMessage *msg;
  Seen              *seen;
  GCancellable      *cancellable;
  AfterForward       after;
  guint              timer_id;
  gboolean           forward_after_timer;
  Reply             *reply;    /* AFTER_REPLY: a copy of the rule's */
  guint              param;
} Held;

struct _GkFaultProxy
{
  SoupServer   *server;
  SoupSession  *session;
  char         *upstream_origin;  /* http://127.0.0.1:5000 */
  char         *base_path;        /* /api/v1, or "" */
  char         *base_url;
  GQueue        rules;
  GPtrArray    *seen;             /* of Seen */
  GPtrArray    *held;             /* of Held */
  GPtrArray    *sockets;          /* of GSocket, open client connections */
  GPtrArray    *trickles;         /* of Trickle */
  GCancellable *cancellable;
  guint         in_flight;
  guint         max_in_flight;
  guint         max_connections;
};

struct _GkTestPortal
{
  char        *token;
  char        *tmp_dir;
  char        *data_dir;
  char        *port_file;
  char        *token_file;
  char        *log_path;
  char        *url;
  char        *base_url;
  GStrv        extra_args;
  GSubprocess *process;
  gboolean     exited;
  guint        port;
};

static GQuark in_flight_quark;

static const char *const hop_by_hop[] = {
  "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "TE", "Trailer",
  "Upgrade", "Content-Length", "Host", "Expect", "Accept-Encoding", "Content-Encoding",
  "Date", "Server", NULL,
};

static const char html_502[] =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
  "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
  "</body>\r\n</html>\r\n";

static void
reply_free (Reply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->etag);
  g_free (reply->content_type);
  g_free (reply->body);
  g_free (reply);
}

static Reply *
reply_copy (const Reply *reply)
{
  Reply *copy = g_new0 (Reply, 1);

  copy->forward = reply->forward;
  copy->status = reply->status;
  copy->etag = g_strdup (reply->etag);
  copy->content_type = g_strdup (reply->content_type);
  copy->body = g_strdup (reply->body);
  return copy;
}

static void
rule_free (Rule *rule)
{
  g_free (rule->method);
  g_free (rule->path_prefix);
  reply_free (rule->reply);
  g_free (rule);
}

static void
trickle_free (Trickle *trickle)
{
  GSocket *socket = g_object_get_data (G_OBJECT (trickle->stream), "GSocket");

  g_clear_handle_id (&trickle->timer_id, g_source_remove);
  g_io_stream_close (trickle->stream, NULL, NULL);
  if (socket != NULL)
    g_socket_close (socket, NULL);
  g_object_unref (trickle->stream);
  g_bytes_unref (trickle->data);
  g_free (trickle);
}

static void
seen_free (Seen *seen)
{
  g_free (seen->method);
  g_free (seen->path);
  g_free (seen);
}

static void
held_free (Held *held)
{
  reply_free (held->reply);
  g_clear_handle_id (&held->timer_id, g_source_remove);
  g_clear_object (&held->msg);
  g_clear_object (&held->cancellable);
  g_free (held);
}

static gboolean
is_hop_by_hop (const char *name)
{
  for (guint i = 0; hop_by_hop[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, hop_by_hop[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
matches (const char *method,
         const char *path_prefix,
         const char *req_method,
         const char *req_path)
{
  return (method == NULL || g_ascii_strcasecmp (method, req_method) == 0) &&
         (path_prefix == NULL || g_str_has_prefix (req_path, path_prefix));
}

static const char *
relative_path (GkFaultProxy *self,
               const char   *path)
{
  gsize len = strlen (self->base_path);

  if (len > 0 && strncmp (path, self->base_path, len) == 0 &&
      (path[len] == '\0' || path[len] == '/'))
    return path + len;
  return path;
}

static void
leave_in_flight (GkFaultProxy      *self,
                 SoupServerMessage *msg)
{
  if (g_object_get_qdata (G_OBJECT (msg), in_flight_quark) == NULL)
    return;
  g_object_set_qdata (G_OBJECT (msg), in_flight_quark, NULL);
  self->in_flight--;
}

/* Takes the connection away from the server and closes it; with
 * @reset, the peer gets a TCP RST instead of a FIN. */
static void
close_connection (GkFaultProxy      *self,
                  SoupServerMessage *msg,
                  gboolean           reset)
{
  g_autoptr(GIOStream) stream = NULL;
  GSocket *socket;

  leave_in_flight (self, msg);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  socket = g_object_get_data (G_OBJECT (stream), "GSocket");
  if (reset && socket != NULL)
    {
      struct linger lin = { 1, 0 };
      setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &lin, sizeof lin);
    }
  g_io_stream_close (stream, NULL, NULL);
  if (socket != NULL)
    g_socket_close (socket, NULL);
}

static void
release_held (Held *held)
{
  g_ptr_array_remove (held->proxy->held, held);
}

static void
set_json_error (SoupServerMessage *msg,
                guint              status,
                const char        *code,
                const char        *message)
{
  g_autofree char *body = g_strdup_printf ("{\"error\": {\"code\": \"%s\", \"message\": \"%s\", "
                                           "\"fields\": []}}", code, message);
  gsize len = strlen (body);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&body), len);
}

static void
relay_response (SoupServerMessage *msg,
                SoupMessage       *upstream,
                GBytes            *body)
{
  SoupMessageHeaders *out = soup_server_message_get_response_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  soup_message_headers_iter_init (&iter, soup_message_get_response_headers (upstream));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (!is_hop_by_hop (name))
      soup_message_headers_append (out, name, value);
  soup_server_message_set_status (msg, soup_message_get_status (upstream),
                                  soup_message_get_reason_phrase (upstream));
  if (len > 0)
    soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_COPY,
                              data, len);
  soup_message_body_complete (soup_server_message_get_response_body (msg));
}

/* Writes a response whose Content-Length promises more than is sent. */
static void
send_truncated (GkFaultProxy      *self,
                SoupServerMessage *msg,
                SoupMessage       *upstream,
                GBytes            *body)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GString) head = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  const char *data = NULL;
  gsize len = 0, sent;
  guint status = soup_message_get_status (upstream);
  GSocket *socket;

  if (body != NULL)
    data = g_bytes_get_data (body, &len);
  if (len == 0 || status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_NOT_MODIFIED)
    {
      data = "{\"id\": \"00000000-0000-0000-0000-000000000000\", \"status\": \"published\"}";
      len = strlen (data);
      status = SOUP_STATUS_OK;
    }
  sent = len / 2;

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  soup_message_headers_iter_init (&iter, soup_message_get_response_headers (upstream));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (!is_hop_by_hop (name))
      g_string_append_printf (head, "%s: %s\r\n", name, value);
  /* No "Connection: close": libsoup 3.2 takes a cut body of such a
   * response for a whole one. */
  g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", len + 100);
  g_string_append_len (head, data, (gssize) sent);

  leave_in_flight (self, msg);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), head->str, head->len,
                             NULL, NULL, NULL);
  g_output_stream_flush (g_io_stream_get_output_stream (stream), NULL, NULL);
  socket = g_object_get_data (G_OBJECT (stream), "GSocket");
  g_io_stream_close (stream, NULL, NULL);
  if (socket != NULL)
    g_socket_close (socket, NULL);
}

/* A canned answer, as a hostile portal would give it. */
static void
send_reply (SoupServerMessage *msg,
            const Reply       *reply)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, reply->status, NULL);
  if (reply->etag != NULL)
    soup_message_headers_replace (headers, "ETag", reply->etag);
  if (reply->body != NULL)
    {
      const char *type = reply->content_type == NULL ? "application/json"
                         : *reply->content_type == '\0' ? NULL : reply->content_type;

      soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, reply->body, strlen (reply->body));
    }
  else if (reply->content_type != NULL && *reply->content_type != '\0')
    soup_message_headers_replace (headers, "Content-Type", reply->content_type);
}

static gboolean
on_trickle_cb (gpointer user_data)
{
  Trickle *trickle = user_data;
  GkFaultProxy *self = g_object_get_data (G_OBJECT (trickle->stream), "gk-fault-proxy");
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (trickle->data, &len);
  GOutputStream *out = g_io_stream_get_output_stream (trickle->stream);

  if (trickle->sent < len &&
      g_output_stream_write (out, data + trickle->sent, 1, NULL, NULL) == 1 &&
      g_output_stream_flush (out, NULL, NULL))
    trickle->sent++;
  else
    trickle->sent = len;  /* the client went away */
  if (trickle->sent < len)
    return G_SOURCE_CONTINUE;
  trickle->timer_id = 0;
  g_ptr_array_remove (self->trickles, trickle);
  return G_SOURCE_REMOVE;
}

/* The upstream's whole answer, one byte every @interval ms (the head at
 * once when @body_only). */
static void
send_trickled (GkFaultProxy      *self,
               SoupServerMessage *msg,
               SoupMessage       *upstream,
               GBytes            *body,
               gboolean           body_only,
               guint              interval)
{
  g_autoptr(GString) head = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  const char *data = NULL;
  gsize len = 0;
  guint status = soup_message_get_status (upstream);
  gboolean is_head = g_strcmp0 (soup_server_message_get_method (msg), "HEAD") == 0;
  Trickle *trickle;

  if (body != NULL)
    data = g_bytes_get_data (body, &len);
  if (body_only && !is_head && (len == 0 || status == SOUP_STATUS_NO_CONTENT))
    {
      data = "{\"status\": \"published\"}";
      len = strlen (data);
      status = SOUP_STATUS_OK;
    }
  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  soup_message_headers_iter_init (&iter, soup_message_get_response_headers (upstream));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (!is_hop_by_hop (name))
      g_string_append_printf (head, "%s: %s\r\n", name, value);
  g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n", len);

  leave_in_flight (self, msg);
  trickle = g_new0 (Trickle, 1);
  trickle->stream = soup_server_message_steal_connection (msg);
  if (trickle->stream == NULL)
    {
      g_free (trickle);
      return;
    }
  g_object_set_data (G_OBJECT (trickle->stream), "gk-fault-proxy", self);
  if (body_only)
    {
      g_output_stream_write_all (g_io_stream_get_output_stream (trickle->stream), head->str, head->len,
                                 NULL, NULL, NULL);
      g_output_stream_flush (g_io_stream_get_output_stream (trickle->stream), NULL, NULL);
      trickle->data = g_bytes_new (data, is_head ? 0 : len);
    }
  else
    {
      if (!is_head)
        g_string_append_len (head, data, (gssize) len);
      trickle->data = g_string_free_to_bytes (g_steal_pointer (&head));
    }
  trickle->timer_id = g_timeout_add (interval > 0 ? interval : 500, on_trickle_cb, trickle);
  g_ptr_array_add (self->trickles, trickle);
}

static void
on_forwarded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Held *held = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *upstream = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  GkFaultProxy *self;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (g_cancellable_is_cancelled (held->cancellable))
    {
      /* The proxy is gone; only the held request is left to free. */
      held_free (held);
      return;
    }
  self = held->proxy;

  if (body == NULL)
    {
      set_json_error (held->msg, SOUP_STATUS_BAD_GATEWAY, "unavailable",
                      "The proxy could not reach the portal.");
      soup_server_message_unpause (held->msg);
      release_held (held);
      return;
    }

  held->seen->forwarded = TRUE;
  switch (held->after)
    {
    case AFTER_DROP:
      close_connection (self, held->msg, FALSE);
      break;
    case AFTER_TRUNCATE:
      send_truncated (self, held->msg, upstream, body);
      break;
    case AFTER_REPLY:
      send_reply (held->msg, held->reply);
      soup_server_message_unpause (held->msg);
      break;
    case AFTER_TRICKLE_HEAD:
    case AFTER_TRICKLE_BODY:
      send_trickled (self, held->msg, upstream, body, held->after == AFTER_TRICKLE_BODY, held->param);
      break;
    case AFTER_RELAY:
    default:
      relay_response (held->msg, upstream, body);
      soup_server_message_unpause (held->msg);
      break;
    }
  release_held (held);
}

static void
forward (GkFaultProxy *self,
         Held         *held)
{
  SoupServerMessage *msg = held->msg;
  SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *target = NULL;
  g_autoptr(SoupMessage) upstream = NULL;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  SoupEncoding encoding;

  target = g_strdup_printf ("%s%s%s%s", self->upstream_origin, g_uri_get_path (uri),
                            g_uri_get_query (uri) != NULL ? "?" : "",
                            g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "");
  upstream = soup_message_new (soup_server_message_get_method (msg), target);
  if (upstream == NULL)
    {
      set_json_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "Bad URL.");
      soup_server_message_unpause (msg);
      release_held (held);
      return;
    }

  soup_message_headers_iter_init (&iter, in);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (!is_hop_by_hop (name))
      soup_message_headers_append (soup_message_get_request_headers (upstream), name, value);

  /* Keep the framing of the client's body: a chunked body stays chunked,
   * so the portal sees what the client sent. */
  encoding = soup_message_headers_get_encoding (in);
  if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_CONTENT_LENGTH)
    {
      g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

      if (encoding == SOUP_ENCODING_CHUNKED)
        {
          g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (body);
          soup_message_set_request_body (upstream, NULL, stream, -1);
        }
      else
        soup_message_set_request_body_from_bytes (upstream, NULL, body);
    }

  soup_session_send_and_read_async (self->session, upstream, G_PRIORITY_DEFAULT,
                                    held->cancellable, on_forwarded_cb, held);
}

static gboolean
on_timer_cb (gpointer user_data)
{
  Held *held = user_data;

  held->timer_id = 0;
  if (held->forward_after_timer)
    forward (held->proxy, held);
  else
    {
      close_connection (held->proxy, held->msg, FALSE);
      release_held (held);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
on_reset_idle_cb (gpointer user_data)
{
  Held *held = user_data;

  held->timer_id = 0;
  close_connection (held->proxy, held->msg, TRUE);
  release_held (held);
  return G_SOURCE_REMOVE;
}

static Held *
hold (GkFaultProxy      *self,
      SoupServerMessage *msg,
      Seen              *seen)
{
  Held *held = g_new0 (Held, 1);

  held->proxy = self;
  held->msg = g_object_ref (msg);
  held->seen = seen;
  held->cancellable = g_object_ref (self->cancellable);
  g_ptr_array_add (self->held, held);
  soup_server_message_pause (msg);
  return held;
}

static Rule *
take_rule (GkFaultProxy *self,
           const char   *method,
           const char   *path)
{
  for (GList *l = self->rules.head; l != NULL; l = l->next)
    {
      Rule *rule = l->data;

      if (rule->remaining > 0 && matches (rule->method, rule->path_prefix, method, path))
        {
          if (rule->remaining != GK_FAULT_ALWAYS)
            rule->remaining--;
          return rule;
        }
    }
  return NULL;
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  GkFaultProxy *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *rel = relative_path (self, path);
  Seen *seen = g_new0 (Seen, 1);
  Rule *rule;
  Held *held;
  guint param;
  g_autofree char *retry_after = NULL;

  seen->method = g_strdup (method);
  seen->path = g_strdup (rel);
  g_ptr_array_add (self->seen, seen);

  rule = take_rule (self, method, rel);
  if (rule == NULL)
    {
      forward (self, hold (self, msg, seen));
      return;
    }

  param = rule->param;
  switch (rule->fault)
    {
    case GK_FAULT_500:
      set_json_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "unavailable",
                      "Injected fault: internal error.");
      break;
    case GK_FAULT_502_HTML:
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_GATEWAY, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                        html_502, strlen (html_502));
      break;
    case GK_FAULT_503:
    case GK_FAULT_429:
      retry_after = g_strdup_printf ("%u", param > 0 ? param : 1);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", retry_after);
      if (rule->fault == GK_FAULT_503)
        set_json_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
                        "Injected fault: unavailable.");
      else
        set_json_error (msg, 429, "rate_limited", "Injected fault: too many requests.");
      break;
    case GK_FAULT_401:
      set_json_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                      "Injected fault: the token is missing or wrong.");
      break;
    case GK_FAULT_412:
      set_json_error (msg, SOUP_STATUS_PRECONDITION_FAILED, "precondition_failed",
                      "Injected fault: the portal's copy changed.");
      break;
    case GK_FAULT_RESET:
      held = hold (self, msg, seen);
      held->timer_id = g_idle_add (on_reset_idle_cb, held);
      break;
    case GK_FAULT_HANG:
      held = hold (self, msg, seen);
      held->timer_id = g_timeout_add (param > 0 ? param : 10000, on_timer_cb, held);
      break;
    case GK_FAULT_DELAY:
      held = hold (self, msg, seen);
      held->forward_after_timer = TRUE;
      held->timer_id = g_timeout_add (param > 0 ? param : 1000, on_timer_cb, held);
      break;
    case GK_FAULT_TRUNCATE:
      held = hold (self, msg, seen);
      held->after = AFTER_TRUNCATE;
      forward (self, held);
      break;
    case GK_FAULT_FORWARD_DROP:
      held = hold (self, msg, seen);
      held->after = AFTER_DROP;
      forward (self, held);
      break;
    case GK_FAULT_REPLY:
      if (!rule->reply->forward)
        {
          send_reply (msg, rule->reply);
          break;
        }
      held = hold (self, msg, seen);
      held->after = AFTER_REPLY;
      held->reply = reply_copy (rule->reply);
      forward (self, held);
      break;
    case GK_FAULT_TRICKLE_HEAD:
    case GK_FAULT_TRICKLE_BODY:
      held = hold (self, msg, seen);
      held->after = rule->fault == GK_FAULT_TRICKLE_HEAD ? AFTER_TRICKLE_HEAD : AFTER_TRICKLE_BODY;
      held->param = param;
      forward (self, held);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* libsoup 3.2 does not close a keep-alive connection the client closed
 * while idle, so look: the peer has closed when a peek reads EOF. */
static gboolean
is_closed_by_peer (GSocket *socket)
{
  char byte;
  ssize_t n;

  if (g_socket_is_closed (socket))
    return TRUE;
  n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0)
    return TRUE;
  return n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
}

static void
on_request_started_cb (SoupServer        *server,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  GkFaultProxy *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);

  g_object_set_qdata (G_OBJECT (msg), in_flight_quark, GUINT_TO_POINTER (1));
  self->in_flight++;
  self->max_in_flight = MAX (self->max_in_flight, self->in_flight);

  if (socket == NULL)
    return;
  for (guint i = self->sockets->len; i-- > 0;)
    if (is_closed_by_peer (self->sockets->pdata[i]))
      g_ptr_array_remove_index_fast (self->sockets, i);
  if (!g_ptr_array_find (self->sockets, socket, NULL))
    g_ptr_array_add (self->sockets, g_object_ref (socket));
  self->max_connections = MAX (self->max_connections, self->sockets->len);
}

static void
on_request_done_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  leave_in_flight (user_data, msg);
}

/**
 * gk_fault_proxy_new:
 * @upstream_base: base URL of the portal API, "http://127.0.0.1:5000/api/v1"
 * @error: return location for an error
 *
 * Starts a proxy on 127.0.0.1 with an ephemeral port, in the
 * thread-default main context.
 *
 * Returns: (transfer full) (nullable): the proxy
 */
GkFaultProxy *
gk_fault_proxy_new (const char *upstream_base,
                    GError    **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  GkFaultProxy *self;
  GSList *listeners;
  gsize len;

  uri = g_uri_parse (upstream_base, SOUP_HTTP_URI_FLAGS, error);
  if (uri == NULL)
    return NULL;
  if (in_flight_quark == 0)
    in_flight_quark = g_quark_from_static_string ("gk-fault-proxy-in-flight");

  self = g_new0 (GkFaultProxy, 1);
  g_queue_init (&self->rules);
  self->seen = g_ptr_array_new_with_free_func ((GDestroyNotify) seen_free);
  self->held = g_ptr_array_new_with_free_func ((GDestroyNotify) held_free);
  self->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  self->trickles = g_ptr_array_new_with_free_func ((GDestroyNotify) trickle_free);
  self->cancellable = g_cancellable_new ();
  if (g_uri_get_port (uri) > 0)
    self->upstream_origin = g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri),
                                             g_uri_get_host (uri), g_uri_get_port (uri));
  else
    self->upstream_origin = g_strdup_printf ("%s://%s", g_uri_get_scheme (uri),
                                             g_uri_get_host (uri));
  self->base_path = g_strdup (g_uri_get_path (uri));
  len = strlen (self->base_path);
  while (len > 0 && self->base_path[len - 1] == '/')
    self->base_path[--len] = '\0';

  self->session = soup_session_new_with_options ("max-conns", 256,
                                                 "max-conns-per-host", 256,
                                                 NULL);
  self->server = soup_server_new ("raw-paths", TRUE, NULL);
  soup_server_add_handler (self->server, NULL, on_request_cb, self, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (on_request_started_cb), self);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (on_request_done_cb), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (on_request_done_cb), self);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  if (!soup_server_listen (self->server, address, 0, error))
    {
      gk_fault_proxy_free (self);
      return NULL;
    }
  listeners = soup_server_get_listeners (self->server);
  local = g_socket_get_local_address (listeners->data, NULL);
  g_slist_free (listeners);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%u%s",
                                    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)),
                                    self->base_path);
  return self;
}

/**
 * gk_fault_proxy_get_base_url:
 * @self: the proxy
 *
 * Returns: the API base URL to give the client: the proxy's address with
 *   the upstream's base path
 */
const char *
gk_fault_proxy_get_base_url (GkFaultProxy *self)
{
  return self->base_url;
}

/**
 * gk_fault_proxy_add_full:
 * @self: the proxy
 * @method: (nullable): "PUT", or %NULL for any method
 * @path_prefix: (nullable): "/documents/", or %NULL for any path
 * @fault: what to do
 * @times: how many matching requests get it (%GK_FAULT_ALWAYS: all)
 * @param: Retry-After seconds (429, 503) or milliseconds (hang, delay);
 *   0 for the default
 *
 * Appends a rule to the queue.
 */
void
gk_fault_proxy_add_full (GkFaultProxy *self,
                         const char   *method,
                         const char   *path_prefix,
                         GkFault       fault,
                         guint         times,
                         guint         param)
{
  Rule *rule;

  g_return_if_fail (times > 0);

  rule = g_new0 (Rule, 1);
  rule->method = g_strdup (method);
  rule->path_prefix = g_strdup (path_prefix);
  rule->fault = fault;
  rule->remaining = times;
  rule->param = param;
  g_queue_push_tail (&self->rules, rule);
}

/**
 * gk_fault_proxy_add:
 * @self: the proxy
 * @method: (nullable): "PUT", or %NULL for any method
 * @path_prefix: (nullable): "/documents/", or %NULL for any path
 * @fault: what to do
 * @times: how many matching requests get it (%GK_FAULT_ALWAYS: all)
 *
 * Appends a rule with the fault's default parameter.
 */
void
gk_fault_proxy_add (GkFaultProxy *self,
                    const char   *method,
                    const char   *path_prefix,
                    GkFault       fault,
                    guint         times)
{
  gk_fault_proxy_add_full (self, method, path_prefix, fault, times, 0);
}

/**
 * gk_fault_proxy_add_reply:
 * @self: the proxy
 * @method: (nullable): "PUT", or %NULL for any method
 * @path_prefix: (nullable): "/documents/", or %NULL for any path
 * @times: how many matching requests get it (%GK_FAULT_ALWAYS: all)
 * @forward: forward the request to the upstream first (its change is
 *   applied, its answer replaced)
 * @status: the status to answer
 * @etag: (nullable): the ETag header's value, exactly as sent
 * @content_type: (nullable): the Content-Type; %NULL: application/json,
 *   "": none
 * @body: (nullable): the body
 *
 * Appends a %GK_FAULT_REPLY rule: a portal that answers what it should
 * not.
 */
void
gk_fault_proxy_add_reply (GkFaultProxy *self,
                          const char   *method,
                          const char   *path_prefix,
                          guint         times,
                          gboolean      forward,
                          guint         status,
                          const char   *etag,
                          const char   *content_type,
                          const char   *body)
{
  Rule *rule;

  gk_fault_proxy_add_full (self, method, path_prefix, GK_FAULT_REPLY, times, 0);
  rule = g_queue_peek_tail (&self->rules);
  rule->reply = g_new0 (Reply, 1);
  rule->reply->forward = forward;
  rule->reply->status = status;
  rule->reply->etag = g_strdup (etag);
  rule->reply->content_type = g_strdup (content_type);
  rule->reply->body = g_strdup (body);
}

/**
 * gk_fault_proxy_clear:
 * @self: the proxy
 *
 * Drops every rule: from now on requests pass unchanged.
 */
void
gk_fault_proxy_clear (GkFaultProxy *self)
{
  g_queue_clear_full (&self->rules, (GDestroyNotify) rule_free);
}

/**
 * gk_fault_proxy_get_pending:
 * @self: the proxy
 *
 * Returns: how many fault applications are left (%GK_FAULT_ALWAYS when a
 *   rule never runs out), to check that a script was used up
 */
guint
gk_fault_proxy_get_pending (GkFaultProxy *self)
{
  guint total = 0;

  for (GList *l = self->rules.head; l != NULL; l = l->next)
    {
      Rule *rule = l->data;

      if (rule->remaining == GK_FAULT_ALWAYS)
        return GK_FAULT_ALWAYS;
      total += rule->remaining;
    }
  return total;
}

static guint
count_seen (GkFaultProxy *self,
            const char   *method,
            const char   *path_prefix,
            gboolean      forwarded_only)
{
  guint n = 0;

  for (guint i = 0; i < self->seen->len; i++)
    {
      Seen *seen = self->seen->pdata[i];

      if (!seen->forgotten && (!forwarded_only || seen->forwarded) &&
          matches (method, path_prefix, seen->method, seen->path))
        n++;
    }
  return n;
}

/**
 * gk_fault_proxy_count:
 * @self: the proxy
 * @method: (nullable): "PUT", or %NULL for any method
 * @path_prefix: (nullable): "/documents/", or %NULL for any path
 *
 * Returns: how many matching requests the proxy received (faulted or not)
 */
guint
gk_fault_proxy_count (GkFaultProxy *self,
                      const char   *method,
                      const char   *path_prefix)
{
  return count_seen (self, method, path_prefix, FALSE);
}

/**
 * gk_fault_proxy_count_forwarded:
 * @self: the proxy
 * @method: (nullable): "PUT", or %NULL for any method
 * @path_prefix: (nullable): "/documents/", or %NULL for any path
 *
 * Returns: how many matching requests reached the upstream and were
 *   answered by it (including the forward-then-drop and truncate faults)
 */
guint
gk_fault_proxy_count_forwarded (GkFaultProxy *self,
                                const char   *method,
                                const char   *path_prefix)
{
  return count_seen (self, method, path_prefix, TRUE);
}

/**
 * gk_fault_proxy_reset_counts:
 * @self: the proxy
 *
 * Forgets the requests seen so far and the maximum concurrency.
 */
void
gk_fault_proxy_reset_counts (GkFaultProxy *self)
{
  /* Held requests still point at their records: mark them, keep them. */
  for (guint i = 0; i < self->seen->len; i++)
    ((Seen *) self->seen->pdata[i])->forgotten = TRUE;
  self->max_in_flight = self->in_flight;
  self->max_connections = self->sockets->len;
}

/**
 * gk_fault_proxy_get_max_connections:
 * @self: the proxy
 *
 * Returns: the most client connections open at once (a connection counts
 *   from its first request until the proxy sees it closed)
 */
guint
gk_fault_proxy_get_max_connections (GkFaultProxy *self)
{
  return self->max_connections;
}

/**
 * gk_fault_proxy_get_max_in_flight:
 * @self: the proxy
 *
 * Returns: the most requests in progress at once
 */
guint
gk_fault_proxy_get_max_in_flight (GkFaultProxy *self)
{
  return self->max_in_flight;
}

/**
 * gk_fault_proxy_free:
 * @self: (nullable): the proxy
 *
 * Closes every connection (held requests included) and frees @self.
 */
void
gk_fault_proxy_free (GkFaultProxy *self)
{
  if (self == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  for (guint i = self->held->len; i-- > 0;)
    {
      Held *held = self->held->pdata[i];

      if (held->timer_id != 0)
        {
          close_connection (self, held->msg, FALSE);
          g_ptr_array_remove_index (self->held, i);
        }
      else
        {
          /* Waiting on the upstream: the cancelled callback frees it. */
          g_ptr_array_steal_index (self->held, i);
        }
    }
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_queue_clear_full (&self->rules, (GDestroyNotify) rule_free);
  g_ptr_array_unref (self->seen);
  g_ptr_array_unref (self->held);
  g_ptr_array_unref (self->sockets);
  g_ptr_array_unref (self->trickles);
  g_free (self->upstream_origin);
  g_free (self->base_path);
  g_free (self->base_url);
  g_free (self);
}

/* ---- GkTestPortal ---- */

static gboolean
on_pump_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * gk_test_pump_until:
 * @flag: set by a callback when the awaited work is done
 * @timeout_ms: the most time to wait
 *
 * Iterates the thread-default main context until @flag is set or the
 * time is up.
 *
 * Returns: the value of @flag
 */
gboolean
gk_test_pump_until (gboolean *flag,
                    guint     timeout_ms)
{
  GMainContext *context = g_main_context_ref_thread_default ();
  GSource *timeout = g_timeout_source_new (timeout_ms);
  gboolean timed_out = FALSE;

  g_source_set_callback (timeout, on_pump_timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  while (!*flag && !timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  g_source_unref (timeout);
  g_main_context_unref (context);
  return *flag;
}

static gboolean
on_poll_tick_cb (gpointer user_data)
{
  gboolean *ticked = user_data;

  *ticked = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_portal_exited_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

static guint
read_port_file (const char *path)
{
  g_autofree char *text = NULL;
  guint64 port = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  g_strstrip (text);
  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &port, NULL))
    return 0;
  return (guint) port;
}

/* In the child: a portal must not outlive a test that aborts. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
launch_portal (GkTestPortal *self,
               guint         port,
               GError      **error)
{
  const char *binary = g_getenv ("GONGKAI_PORTAL");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  gboolean *exited;
  gint64 deadline;
  int log_fd;

  if (binary == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "GONGKAI_PORTAL is not set (tests/meson.build sets it)");
      return FALSE;
    }

  g_ptr_array_add (argv, g_strdup (binary));
  g_ptr_array_add (argv, g_strdup ("--data"));
  g_ptr_array_add (argv, g_strdup (self->data_dir));
  g_ptr_array_add (argv, g_strdup ("--address"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup (port_text));
  g_ptr_array_add (argv, g_strdup ("--port-file"));
  g_ptr_array_add (argv, g_strdup (self->port_file));
  g_ptr_array_add (argv, g_strdup ("--token-file"));
  g_ptr_array_add (argv, g_strdup (self->token_file));
  for (guint i = 0; self->extra_args != NULL && self->extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (self->extra_args[i]));
  g_ptr_array_add (argv, NULL);

  g_unlink (self->port_file);
  log_fd = g_open (self->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot open %s: %s",
                   self->log_path, g_strerror (saved));
      return FALSE;
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_unsetenv (launcher, "GONGKAI_PORTAL_TOKEN");
  g_subprocess_launcher_take_stderr_fd (launcher, log_fd);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_clear_object (&self->process);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata,
                                                error);
  if (self->process == NULL)
    return FALSE;

  /* gk_test_portal_free() never frees @self before this callback ran. */
  self->exited = FALSE;
  exited = &self->exited;
  g_subprocess_wait_async (self->process, NULL, on_portal_exited_cb, exited);

  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while ((self->port = read_port_file (self->port_file)) == 0)
    {
      gboolean ticked = FALSE;

      if (self->exited)
        {
          g_autofree char *log = NULL;
          g_file_get_contents (self->log_path, &log, NULL, NULL);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "gongkai-portal exited at start: %s", log != NULL ? log : "");
          return FALSE;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_subprocess_force_exit (self->process);
          gk_test_pump_until (&self->exited, 5000);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               "gongkai-portal did not write its port file in time");
          return FALSE;
        }
      g_timeout_add (10, on_poll_tick_cb, &ticked);
      gk_test_pump_until (&ticked, 1000);
    }

  g_free (self->url);
  g_free (self->base_url);
  self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  self->base_url = g_strdup_printf ("%s/api/v1", self->url);
  for (guint i = 0; self->extra_args != NULL && self->extra_args[i] != NULL; i++)
    if (strcmp (self->extra_args[i], "--base-path") == 0 && self->extra_args[i + 1] != NULL)
      {
        g_autofree char *path = g_strdup (self->extra_args[i + 1]);
        gsize len = strlen (path);

        while (len > 1 && path[len - 1] == '/')
          path[--len] = '\0';
        g_free (self->base_url);
        self->base_url = g_strconcat (self->url, path, NULL);
      }
  return TRUE;
}

/**
 * gk_test_portal_start_full:
 * @token: the publishing token
 * @extra_args: (nullable) (array zero-terminated=1): more options for
 *   gongkai-portal ("--max-connections-per-token", "2", …)
 * @error: return location for an error
 *
 * Runs gongkai-portal on 127.0.0.1 with an ephemeral port and a fresh
 * temporary data folder, and waits (bounded) until it listens.  Its
 * stderr goes to gk_test_portal_get_log_path().
 *
 * Returns: (transfer full) (nullable): the running portal
 */
GkTestPortal *
gk_test_portal_start_full (const char        *token,
                           const char *const *extra_args,
                           GError           **error)
{
  g_autoptr(GkTestPortal) self = g_new0 (GkTestPortal, 1);

  self->token = g_strdup (token);
  self->extra_args = g_strdupv ((GStrv) extra_args);
  self->tmp_dir = g_dir_make_tmp ("gk-test-portal-XXXXXX", error);
  if (self->tmp_dir == NULL)
    return NULL;
  self->data_dir = g_build_filename (self->tmp_dir, "data", NULL);
  self->port_file = g_build_filename (self->tmp_dir, "port", NULL);
  self->token_file = g_build_filename (self->tmp_dir, "token", NULL);
  self->log_path = g_build_filename (self->tmp_dir, "portal.log", NULL);
  if (!g_file_set_contents_full (self->token_file, token, -1, G_FILE_SET_CONTENTS_NONE,
                                 0600, error))
    return NULL;
  if (!launch_portal (self, 0, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * gk_test_portal_start:
 * @token: the publishing token
 * @error: return location for an error
 *
 * gk_test_portal_start_full() with the default options.
 *
 * Returns: (transfer full) (nullable): the running portal
 */
GkTestPortal *
gk_test_portal_start (const char *token,
                      GError    **error)
{
  return gk_test_portal_start_full (token, NULL, error);
}

/**
 * gk_test_portal_get_base_url:
 * @self: the portal
 *
 * Returns: the API base URL, "http://127.0.0.1:PORT/api/v1"
 */
const char *
gk_test_portal_get_base_url (GkTestPortal *self)
{
  return self->base_url;
}

/**
 * gk_test_portal_get_url:
 * @self: the portal
 *
 * Returns: the root of the public pages, "http://127.0.0.1:PORT"
 */
const char *
gk_test_portal_get_url (GkTestPortal *self)
{
  return self->url;
}

/**
 * gk_test_portal_get_port:
 * @self: the portal
 *
 * Returns: the port it listens on
 */
guint
gk_test_portal_get_port (GkTestPortal *self)
{
  return self->port;
}

/**
 * gk_test_portal_get_data_dir:
 * @self: the portal
 *
 * Returns: its --data folder (portal.db, files/)
 */
const char *
gk_test_portal_get_data_dir (GkTestPortal *self)
{
  return self->data_dir;
}

/**
 * gk_test_portal_get_log_path:
 * @self: the portal
 *
 * Returns: the file receiving the portal's stderr (its request log)
 */
const char *
gk_test_portal_get_log_path (GkTestPortal *self)
{
  return self->log_path;
}

/**
 * gk_test_portal_stop:
 * @self: the portal
 * @error: return location for an error
 *
 * Sends SIGTERM and waits (bounded) for the portal to exit; kills it if
 * it does not.  Stopping a stopped portal does nothing.
 *
 * Returns: whether it exited cleanly with status 0
 */
gboolean
gk_test_portal_stop (GkTestPortal *self,
                     GError      **error)
{
  if (self->process == NULL || self->exited)
    return TRUE;
  g_subprocess_send_signal (self->process, SIGTERM);
  if (!gk_test_pump_until (&self->exited, 10000))
    {
      g_subprocess_force_exit (self->process);
      gk_test_pump_until (&self->exited, 5000);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           "gongkai-portal did not stop on SIGTERM");
      return FALSE;
    }
  if (!g_subprocess_get_if_exited (self->process) ||
      g_subprocess_get_exit_status (self->process) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "gongkai-portal did not exit cleanly on SIGTERM");
      return FALSE;
    }
  return TRUE;
}

/**
 * gk_test_portal_kill:
 * @self: the portal
 *
 * Kills the portal with SIGKILL (a crash) and waits for it.
 */
void
gk_test_portal_kill (GkTestPortal *self)
{
  if (self->process == NULL || self->exited)
    return;
  g_subprocess_force_exit (self->process);
  gk_test_pump_until (&self->exited, 10000);
}

/**
 * gk_test_portal_restart:
 * @self: a stopped or killed portal
 * @error: return location for an error
 *
 * Starts the portal again on the same data folder and the same port, so
 * a client keeps its base URL.
 *
 * Returns: whether it listens again
 */
gboolean
gk_test_portal_restart (GkTestPortal *self,
                        GError      **error)
{
  g_return_val_if_fail (self->process == NULL || self->exited, FALSE);
  return launch_portal (self, self->port, error);
}

/**
 * gk_test_remove_tree:
 * @path: a folder
 *
 * Deletes @path and everything in it (symbolic links are not followed).
 */
void
gk_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          gk_test_remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

/**
 * gk_test_portal_free:
 * @self: (nullable): the portal
 *
 * Stops the portal if it runs and removes its temporary folder.
 */
void
gk_test_portal_free (GkTestPortal *self)
{
  if (self == NULL)
    return;
  if (self->process != NULL && !self->exited)
    {
      gk_test_portal_stop (self, NULL);
      if (!self->exited)
        {
          /* Never returned: its wait callback still points at us. */
          g_warning ("gongkai-portal would not exit; leaking its state");
          return;
        }
    }
  if (self->tmp_dir != NULL && g_getenv ("GK_TEST_KEEP") == NULL)
    gk_test_remove_tree (self->tmp_dir);
  g_clear_object (&self->process);
  g_strfreev (self->extra_args);
  g_free (self->token);
  g_free (self->tmp_dir);
  g_free (self->data_dir);
  g_free (self->port_file);
  g_free (self->token_file);
  g_free (self->log_path);
  g_free (self->url);
  g_free (self->base_url);
  g_free (self);
}
