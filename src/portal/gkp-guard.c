/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPortal"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "gkp-guard.h"

/* How long a refused request's connection is kept open after the answer,
 * reading and dropping what the client still sends, so that closing it
 * does not reset the connection before the client has read the answer. */
#define LINGER_USEC (2 * G_USEC_PER_SEC)
#define DRAIN_BLOCK 16384
/* At most this many closes are logged one by one per tick; the rest are
 * counted, so that a flood does not turn into a flood of log lines. */
#define LOG_PER_TICK 5

typedef enum
{
  PHASE_READING,     /* a request is arriving */
  PHASE_RESPONDING,  /* the request is in; the response is being written */
  PHASE_IDLE,        /* between requests of a keep-alive connection */
  PHASE_ANSWERED,    /* taken from libsoup: answered early, being closed */
} Phase;

typedef struct
{
  gatomicrefcount    ref_count;
  GkpGuard          *guard;         /* NULL once the guard is gone */
  GSocket           *socket;
  SoupServerMessage *msg;           /* weak: the request in progress */
  Phase              phase;
  gboolean           headers_done;
  gboolean           closed;        /* closed (or being closed) by the guard */
  gint64             started;       /* when the request (or the answer) started */
  gint64             active;        /* the last sign of life */
  int                tag;           /* of gkp_guard_claim(); 0 before */
  GIOStream         *stream;        /* PHASE_ANSWERED */
  GCancellable      *cancellable;   /* PHASE_ANSWERED */
  GBytes            *answer;        /* PHASE_ANSWERED */
  guchar            *drain_buf;     /* PHASE_ANSWERED */
} Connection;

struct _GkpGuard
{
  SoupServer *soup;
  gint64      idle_usec;
  gint64      request_usec;
  gint64      linger_usec;
  guint       max_clients;
  GHashTable *connections;  /* GSocket → Connection */
  gulong      started_id;
  guint       tick_id;
  guint       logged;       /* closes logged since the last tick */
  guint       unlogged;     /* closes not logged since the last tick */
};

static void connection_clear_msg (Connection *conn);

static Connection *
connection_ref (Connection *conn)
{
  g_atomic_ref_count_inc (&conn->ref_count);
  return conn;
}

static void
connection_unref (Connection *conn)
{
  if (!g_atomic_ref_count_dec (&conn->ref_count))
    return;
  connection_clear_msg (conn);
  g_clear_object (&conn->stream);
  g_clear_object (&conn->cancellable);
  g_clear_pointer (&conn->answer, g_bytes_unref);
  g_free (conn->drain_buf);
  g_object_unref (conn->socket);
  g_free (conn);
}

static void
on_msg_finalized_cb (gpointer  user_data,
                     GObject  *where_the_object_was)
{
  Connection *conn = user_data;

  conn->msg = NULL;
}

static void
connection_clear_msg (Connection *conn)
{
  if (conn->msg == NULL)
    return;
  g_signal_handlers_disconnect_by_data (conn->msg, conn);
  g_object_weak_unref (G_OBJECT (conn->msg), on_msg_finalized_cb, conn);
  conn->msg = NULL;
}

static void
on_msg_progress_cb (SoupServerMessage *msg,
                    Connection        *conn)
{
  conn->active = g_get_monotonic_time ();
}

static void
on_msg_got_headers_cb (SoupServerMessage *msg,
                       Connection        *conn)
{
  conn->headers_done = TRUE;
  conn->active = g_get_monotonic_time ();
}

static void
on_msg_got_chunk_cb (SoupServerMessage *msg,
                     GBytes            *chunk,
                     Connection        *conn)
{
  conn->active = g_get_monotonic_time ();
}

static void
on_msg_got_body_cb (SoupServerMessage *msg,
                    Connection        *conn)
{
  conn->phase = PHASE_RESPONDING;
  conn->active = g_get_monotonic_time ();
}

static void
on_msg_wrote_body_data_cb (SoupServerMessage *msg,
                           guint              chunk_size,
                           Connection        *conn)
{
  conn->active = g_get_monotonic_time ();
}

static void
on_msg_finished_cb (SoupServerMessage *msg,
                    Connection        *conn)
{
  conn->phase = PHASE_IDLE;
  conn->active = g_get_monotonic_time ();
  connection_clear_msg (conn);
}

static void
connection_set_msg (Connection        *conn,
                    SoupServerMessage *msg)
{
  if (conn->msg == msg)
    return;
  connection_clear_msg (conn);
  conn->msg = msg;
  g_object_weak_ref (G_OBJECT (msg), on_msg_finalized_cb, conn);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_msg_got_headers_cb), conn);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_msg_got_chunk_cb), conn);
  g_signal_connect (msg, "got-body", G_CALLBACK (on_msg_got_body_cb), conn);
  g_signal_connect (msg, "wrote-informational", G_CALLBACK (on_msg_progress_cb), conn);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_msg_progress_cb), conn);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_msg_wrote_body_data_cb), conn);
  g_signal_connect (msg, "finished", G_CALLBACK (on_msg_finished_cb), conn);
}

/* libsoup 3.2 never closes a keep-alive connection that the client
 * closed while idle (fixed in 3.4): a peek reading end-of-file tells. */
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

static gboolean
connection_is_open (Connection *conn)
{
  return !conn->closed && !g_socket_is_closed (conn->socket);
}

static char *
now_utc (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static void
log_close (Connection *conn,
           const char *why)
{
  g_autofree char *when = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *remote = NULL;

  if (conn->guard != NULL && conn->guard->logged >= LOG_PER_TICK)
    {
      conn->guard->unlogged++;
      return;
    }
  if (conn->guard != NULL)
    conn->guard->logged++;
  when = now_utc ();
  address = g_socket_get_remote_address (conn->socket, NULL);
  if (address != NULL && G_IS_INET_SOCKET_ADDRESS (address))
    remote = g_inet_address_to_string (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  g_printerr ("%s %s closed the connection: %s\n", when, remote != NULL ? remote : "-", why);
}

/* Closes a connection at once.  libsoup notices on its next read or
 * write (the socket says it is closed), gives up the request and lets
 * the connection go; an answered connection is closed by its callbacks. */
static void
connection_close (Connection *conn,
                  const char *why)
{
  if (conn->closed)
    return;
  conn->closed = TRUE;
  if (why != NULL)
    log_close (conn, why);
  if (conn->phase == PHASE_ANSWERED)
    {
      g_cancellable_cancel (conn->cancellable);
      return;
    }
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
  g_socket_close (conn->socket, NULL);
}

/* Past max_clients, closes the connection that showed no sign of life
 * for the longest time, so that idle or stalled connections cannot keep
 * a well-behaved client out (nor use up the file descriptors, after
 * which libsoup 3.2 would stop accepting for good). */
static void
make_room (GkpGuard   *self,
           Connection *newcomer)
{
  for (;;)
    {
      GHashTableIter iter;
      Connection *conn, *victim = NULL;
      guint open = 0;

      g_hash_table_iter_init (&iter, self->connections);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
        {
          if (!connection_is_open (conn))
            continue;
          open++;
          if (conn != newcomer && (victim == NULL || conn->active < victim->active))
            victim = conn;
        }
      if (open <= self->max_clients || victim == NULL)
        return;
      connection_close (victim, "too many connections; this one was the least active");
    }
}

static void
on_request_started_cb (SoupServer        *soup,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  GkpGuard *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);
  gint64 now = g_get_monotonic_time ();
  Connection *conn;

  if (socket == NULL)
    return;
  conn = g_hash_table_lookup (self->connections, socket);
  if (conn == NULL)
    {
      /* libsoup before 3.4 keeps the reference g_socket_accept() gave it
       * besides the one of its connection (fixed by its commit b545d5f0),
       * so every socket leaked.  At this point, the first request of a
       * new connection, the socket has exactly those two. */
      if (soup_get_major_version () == 3 && soup_get_minor_version () < 4 &&
          G_OBJECT (socket)->ref_count == 2)
        g_object_unref (socket);
      conn = g_new0 (Connection, 1);
      g_atomic_ref_count_init (&conn->ref_count);
      conn->guard = self;
      conn->socket = g_object_ref (socket);
      g_hash_table_insert (self->connections, socket, conn);
      conn->active = now;
      make_room (self, conn);
    }
  connection_set_msg (conn, msg);
  conn->phase = PHASE_READING;
  conn->headers_done = FALSE;
  conn->started = now;
  conn->active = now;
}

static const char *
overdue (GkpGuard   *self,
         Connection *conn,
         gint64      now)
{
  switch (conn->phase)
    {
    case PHASE_READING:
      if (!conn->headers_done && now - conn->started > self->idle_usec)
        return "the request headers did not arrive in time";
      if (now - conn->active > self->idle_usec)
        return "the request body stalled";
      if (now - conn->started > self->request_usec)
        return "the request did not arrive in time";
      return NULL;
    case PHASE_RESPONDING:
      return now - conn->active > self->idle_usec ? "the client stopped reading the response"
                                                  : NULL;
    case PHASE_IDLE:
      if (is_closed_by_peer (conn->socket))
        return "";
      /* Closing idle keep-alive connections is routine: not logged. */
      return now - conn->active > self->idle_usec ? "" : NULL;
    case PHASE_ANSWERED:
      return now - conn->started > self->linger_usec ? "" : NULL;
    default:
      return NULL;
    }
}

static gboolean
on_tick_cb (gpointer user_data)
{
  GkpGuard *self = user_data;
  GHashTableIter iter;
  Connection *conn;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    {
      const char *why;

      if (conn->phase != PHASE_ANSWERED && g_socket_is_closed (conn->socket))
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }
      if (conn->closed)
        continue;
      why = overdue (self, conn, now);
      if (why != NULL)
        connection_close (conn, *why != '\0' ? why : NULL);
    }
  if (self->unlogged > 0)
    {
      g_autofree char *when = now_utc ();

      g_printerr ("%s - closed %u more connections\n", when, self->unlogged);
    }
  self->logged = self->unlogged = 0;
  return G_SOURCE_CONTINUE;
}

/**
 * gkp_guard_new:
 * @soup: the server, not listening yet
 * @options: the limits
 *
 * Returns: (transfer full): a guard watching every connection of @soup
 */
GkpGuard *
gkp_guard_new (SoupServer            *soup,
               const GkpGuardOptions *options)
{
  GkpGuard *self = g_new0 (GkpGuard, 1);
  guint shortest = MIN (options->idle_timeout_ms, options->request_timeout_ms);

  g_return_val_if_fail (options->idle_timeout_ms > 0 && options->request_timeout_ms > 0 &&
                        options->max_clients > 0, NULL);

  self->soup = g_object_ref (soup);
  self->idle_usec = (gint64) options->idle_timeout_ms * 1000;
  self->request_usec = (gint64) options->request_timeout_ms * 1000;
  self->linger_usec = MIN (LINGER_USEC, self->idle_usec);
  self->max_clients = options->max_clients;
  self->connections = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) connection_unref);
  self->started_id = g_signal_connect (soup, "request-started",
                                       G_CALLBACK (on_request_started_cb), self);
  /* A deadline is noticed within a tenth of the shortest timeout. */
  self->tick_id = g_timeout_add (CLAMP (shortest / 10, 20, 1000), on_tick_cb, self);
  return self;
}

static Connection *
lookup (GkpGuard          *self,
        SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  return socket != NULL ? g_hash_table_lookup (self->connections, socket) : NULL;
}

/**
 * gkp_guard_claim:
 * @self: the guard
 * @msg: a request
 * @tag: what the connection belongs to (> 0: the access of a token)
 * @limit: how many open connections one tag may have; 0 for no limit
 *
 * Gives the connection of @msg to @tag, unless @tag already has @limit
 * other open connections.  A connection that belongs to a tag keeps it.
 *
 * Returns: whether @msg may go on
 */
gboolean
gkp_guard_claim (GkpGuard          *self,
                 SoupServerMessage *msg,
                 int                tag,
                 guint              limit)
{
  Connection *conn = lookup (self, msg);
  GHashTableIter iter;
  Connection *other;
  guint open = 0;

  if (conn == NULL || conn->tag != 0)
    return TRUE;
  if (limit > 0)
    {
      g_hash_table_iter_init (&iter, self->connections);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &other))
        if (other->tag == tag && connection_is_open (other) && !is_closed_by_peer (other->socket))
          open++;
      if (open >= limit)
        return FALSE;
    }
  conn->tag = tag;
  return TRUE;
}

/* The response of @msg as bytes on the wire, closing the connection. */
static GBytes *
serialize_response (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  GString *out = g_string_new (NULL);
  guint status = soup_server_message_get_status (msg);
  const char *reason = soup_server_message_get_reason_phrase (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  if (status == 0)
    status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  if (reason == NULL)
    reason = soup_status_get_phrase (status);
  g_string_append_printf (out, "HTTP/1.%c %u %s\r\n",
                          soup_server_message_get_http_version (msg) == SOUP_HTTP_1_0 ? '0' : '1',
                          status, reason);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Content-Length") != 0 &&
        g_ascii_strcasecmp (name, "Transfer-Encoding") != 0 &&
        g_ascii_strcasecmp (name, "Connection") != 0 &&
        g_ascii_strcasecmp (name, "Keep-Alive") != 0)
      g_string_append_printf (out, "%s: %s\r\n", name, value);
  g_string_append_printf (out, "Connection: close\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                          g_bytes_get_size (body));
  if (soup_server_message_get_method (msg) != SOUP_METHOD_HEAD)
    g_string_append_len (out, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body));
  return g_string_free_to_bytes (out);
}

static void
answered_done (Connection *conn)
{
  g_io_stream_close (conn->stream, NULL, NULL);
  conn->closed = TRUE;
  if (conn->guard != NULL)
    g_hash_table_remove (conn->guard->connections, conn->socket);
}

static void drain_next (Connection *conn);

static void
on_drained_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Connection *conn = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n > 0 && conn->guard != NULL && !g_cancellable_is_cancelled (conn->cancellable))
    drain_next (conn);
  else
    answered_done (conn);
  connection_unref (conn);
}

static void
drain_next (Connection *conn)
{
  if (conn->drain_buf == NULL)
    conn->drain_buf = g_malloc (DRAIN_BLOCK);
  g_input_stream_read_async (g_io_stream_get_input_stream (conn->stream), conn->drain_buf,
                             DRAIN_BLOCK, G_PRIORITY_DEFAULT, conn->cancellable, on_drained_cb,
                             connection_ref (conn));
}

static void
on_answer_written_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Connection *conn = user_data;

  if (g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL) &&
      conn->guard != NULL)
    {
      /* The answer is out: say so (FIN), then drop what still comes. */
      g_socket_shutdown (conn->socket, FALSE, TRUE, NULL);
      drain_next (conn);
    }
  else
    answered_done (conn);
  connection_unref (conn);
}

/**
 * gkp_guard_answer_now:
 * @self: the guard
 * @msg: a request whose headers are in and whose response is set
 *
 * Sends the response of @msg without reading the request body, which
 * libsoup 3.2 would read in full first, and closes the connection.
 * Call it from a #SoupServerMessage::got-headers handler.
 */
void
gkp_guard_answer_now (GkpGuard          *self,
                      SoupServerMessage *msg)
{
  g_autoptr(SoupServerMessage) hold = g_object_ref (msg);
  Connection *conn = lookup (self, msg);
  g_autoptr(GBytes) answer = serialize_response (msg);
  GIOStream *stream;

  if (conn == NULL || conn->closed)
    {
      /* Not ours: libsoup reads the body, but closes afterwards. */
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      return;
    }
  connection_clear_msg (conn);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    {
      connection_close (conn, NULL);
      return;
    }

  conn->phase = PHASE_ANSWERED;
  conn->stream = stream;
  conn->cancellable = g_cancellable_new ();
  conn->answer = g_steal_pointer (&answer);
  conn->started = conn->active = g_get_monotonic_time ();
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (conn->answer, NULL),
                                   g_bytes_get_size (conn->answer), G_PRIORITY_DEFAULT,
                                   conn->cancellable, on_answer_written_cb, connection_ref (conn));
}

/**
 * gkp_guard_free:
 * @self: (nullable): a guard
 *
 * Stops watching; connections answered early are closed.
 */
void
gkp_guard_free (GkpGuard *self)
{
  GHashTableIter iter;
  Connection *conn;

  if (self == NULL)
    return;
  g_clear_signal_handler (&self->started_id, self->soup);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    {
      conn->guard = NULL;
      connection_clear_msg (conn);
      if (conn->phase == PHASE_ANSWERED)
        {
          g_cancellable_cancel (conn->cancellable);
          g_socket_close (conn->socket, NULL);
        }
    }
  g_hash_table_unref (self->connections);
  g_object_unref (self->soup);
  g_free (self);
}
