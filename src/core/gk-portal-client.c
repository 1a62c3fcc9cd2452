/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPortal"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-portal-client.h"
#include "gk-tls.h"
#include "gk-token.h"
#include "gk-util.h"

/* One SoupSession for every request of a client, so that the requests of
 * a batch share keep-alive connections; at most max_connections at once.
 *
 * Timeouts are ours, per request: the connect timeout runs from sending
 * until the request headers are written (DNS, TCP, TLS), then the
 * response timeout is the longest silence allowed while the body goes
 * out or the answer comes in (re-armed on every bit of progress, so a
 * large upload is not cut, a hung portal is).  Progress alone cannot
 * keep a request alive: the request timeout bounds the whole of it,
 * from the first try to the last byte of the answer, so that a portal
 * that trickles a byte now and then is cut too.  When one fires the
 * request is cancelled and answered as GK_PORTAL_TRANSIENT.
 *
 * Bodies are always given as GBytes, so libsoup sends a Content-Length
 * (never chunked) and can send the same bytes again when it restarts a
 * request on a keep-alive connection the server had closed. */

#define DEFAULT_MAX_CONNECTIONS 4
#define DEFAULT_CONNECT_TIMEOUT_MS 10000
#define DEFAULT_RESPONSE_TIMEOUT_MS 30000
#define DEFAULT_REQUEST_TIMEOUT_MS 120000
/* A large upload gets this much more time per byte sent: 128 KiB/s, so
 * that a 100 MB file on a slow office link is not cut. */
#define UPLOAD_BYTES_PER_SECOND (128 * 1024)
#define MAX_MESSAGE_CHARS 2000
#define READ_CHUNK 65536

struct _GkPortalClient
{
  GObject       parent_instance;

  char         *base_url;       /* without a trailing "/" */
  char         *auth_header;    /* "Bearer …": wiped on finalize */
  char         *token;          /* to scrub it from anything the portal says */
  SoupSession  *session;
  guint         connect_timeout_ms;
  guint         response_timeout_ms;
  guint         request_timeout_ms;
};

G_DEFINE_FINAL_TYPE (GkPortalClient, gk_portal_client, G_TYPE_OBJECT)

typedef struct
{
  GkPortalClient *client;      /* unowned: the task holds it */
  GkPortalRequestInfo info;   /* what is asked, to check the answer against */
  char           *document_id;
  SoupMessage    *msg;
  GCancellable   *cancellable; /* ours: cancelled by a timeout or the caller's */
  GCancellable   *caller;
  gulong          caller_handler;
  GSource        *timer;       /* the connect or inactivity timeout, re-armed */
  GSource        *overall;     /* the request timeout, armed once */
  guint           overall_ms;
  gboolean        timed_out;
  gboolean        overall_expired;
  gboolean        connected;
  GInputStream   *stream;
  GByteArray     *body;
  GBytes         *request_body;  /* to send again if libsoup restarts the request */
  char           *content_type;
} Request;

/* helpers */

static char *
scrub (GkPortalClient *self,
       const char     *text)
{
  g_autofree char *valid = NULL;
  GString *out;
  const char *p;
  gsize token_len;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, -1);
  if (g_utf8_strlen (valid, -1) > MAX_MESSAGE_CHARS)
    {
      char *end = g_utf8_offset_to_pointer (valid, MAX_MESSAGE_CHARS);
      *end = '\0';
    }
  if (self->token == NULL || (token_len = strlen (self->token)) == 0)
    return g_steal_pointer (&valid);

  /* A hostile or careless portal might echo the Authorization header. */
  out = g_string_new (NULL);
  p = valid;
  for (;;)
    {
      const char *hit = strstr (p, self->token);

      if (hit == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, hit - p);
      g_string_append (out, "***");
      p = hit + token_len;
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_sha256_hex (const char *text)
{
  gsize n = 0;

  if (text == NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++, n++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
      return FALSE;
  return n == 64;
}

static gboolean
holds_token (GkPortalClient *self,
             const char     *text)
{
  return text != NULL && self->token != NULL && *self->token != '\0' && strstr (text, self->token) != NULL;
}

/* The values of an answer that are kept (in the library, the audit) or
 * shown must not hold the token, which a careless portal might echo. */
static gboolean
response_holds_token (GkPortalClient   *self,
                      GkPortalResponse *response)
{
  if (holds_token (self, response->etag) || holds_token (self, response->public_url) ||
      holds_token (self, response->id) || holds_token (self, response->updated_at) ||
      holds_token (self, response->next))
    return TRUE;
  for (guint i = 0; i < response->listed->len; i++)
    {
      GkPortalListed *listed = g_ptr_array_index (response->listed, i);

      if (holds_token (self, listed->etag) || holds_token (self, listed->updated_at))
        return TRUE;
    }
  return FALSE;
}

static GkPortalResponse *
broken_response (GkPortalClient *self,
                 guint           status,
                 const char     *message)
{
  GkPortalResponse *response = gk_portal_response_new (GK_PORTAL_TRANSIENT, status);

  response->broken = TRUE;
  response->message = scrub (self, message);
  return response;
}

/* What the answer means by the contract (gk-portal-reply.c checks it). */
static GkPortalResponse *
classify_answer (GkPortalClient *self,
                 Request        *req)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);
  guint status = soup_message_get_status (req->msg);
  const char *etag = soup_message_headers_get_list (headers, "ETag");
  const char *retry_after = soup_message_headers_get_list (headers, "Retry-After");
  GkPortalReplyHeaders reply_headers = {
    .content_type = soup_message_headers_get_one (headers, "Content-Type"),
    .etag = etag,
    .retry_after = retry_after,
  };
  g_autoptr(GError) error = NULL;
  GkPortalResponse *response;

  response = gk_portal_reply_parse (&req->info, status, &reply_headers,
                                    req->body != NULL ? req->body->data : NULL,
                                    req->body != NULL ? req->body->len : 0, &error);
  if (response == NULL)
    return broken_response (self, status, error->message);

  /* Whatever the portal says may echo the Authorization header. */
  {
    g_autofree char *message = g_steal_pointer (&response->message);
    g_autofree char *code = g_steal_pointer (&response->error_code);

    response->message = scrub (self, message);
    response->error_code = scrub (self, code);
    for (guint i = 0; i < response->fields->len; i++)
      {
        GkPortalProblem *problem = g_ptr_array_index (response->fields, i);
        g_autofree char *field = g_steal_pointer (&problem->field);
        g_autofree char *text = g_steal_pointer (&problem->problem);

        problem->field = scrub (self, field);
        problem->problem = scrub (self, text);
      }
  }
  if (response_holds_token (self, response))
    {
      g_autofree char *what = gk_portal_request_describe (&req->info);
      g_autofree char *message =
        g_strdup_printf (_("The portal’s answer to %s does not follow the portal API: it holds the "
                           "access token."), what);

      gk_portal_response_free (response);
      return broken_response (self, status, message);
    }
  return response;
}

static char *
describe_certificate_errors (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return g_strdup (_("it is not signed by a known authority, nor by the agency’s CA file if one is set"));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return g_strdup (_("it is not for this host name"));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return g_strdup (_("it is not valid yet"));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return g_strdup (_("it has expired"));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return g_strdup (_("it has been revoked"));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return g_strdup (_("it uses an insecure algorithm"));
  return g_strdup (_("it could not be verified"));
}

/* A request that got no answer. */
static GkPortalResponse *
classify_error (GkPortalClient *self,
                Request        *req,
                const GError   *error)
{
  GkPortalResponse *response = gk_portal_response_new (GK_PORTAL_TRANSIENT, 0);
  g_autofree char *detail = scrub (self, error->message);

  if (req->overall_expired)
    {
      response->message = g_strdup_printf (_("The portal did not finish its answer within %.1f seconds "
                                             "(the time allowed for one request)."),
                                           req->overall_ms / 1000.0);
      return response;
    }
  if (req->timed_out)
    {
      if (req->connected)
        response->message = g_strdup_printf (_("The portal did not answer within %.1f seconds."),
                                             self->response_timeout_ms / 1000.0);
      else
        response->message = g_strdup_printf (_("The portal could not be reached within %.1f seconds."),
                                             self->connect_timeout_ms / 1000.0);
      return response;
    }

  if (error->domain == G_TLS_ERROR)
    {
      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        {
          g_autofree char *why =
            describe_certificate_errors (soup_message_get_tls_peer_certificate_errors (req->msg));

          response->outcome = GK_PORTAL_FATAL;
          response->tls_errors = soup_message_get_tls_peer_certificate_errors (req->msg);
          response->message = g_strdup_printf (_("The portal’s certificate is not trusted: %s."), why);
          return response;
        }
      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS) ||
          g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED) ||
          g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_INAPPROPRIATE_FALLBACK))
        {
          response->outcome = GK_PORTAL_FATAL;
          response->message = g_strdup_printf (_("A secure (TLS) connection to the portal could not "
                                                 "be made: %s."), detail);
          return response;
        }
    }

  if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS) ||
      g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_REDIRECT_BAD_URI))
    {
      response->outcome = GK_PORTAL_FATAL;
      response->message = g_strdup_printf (_("The portal answered with a redirect that cannot be "
                                             "followed: %s."), detail);
      return response;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    response->message = g_strdup_printf (_("The portal’s answer was cut short: %s."), detail);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    response->message = g_strdup_printf (_("The portal refused the connection: %s."), detail);
  else
    response->message = g_strdup_printf (_("The connection to the portal failed: %s."), detail);
  return response;
}

/* requests */

static gboolean
deadline_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs deadline_funcs = {
  NULL, NULL, deadline_dispatch, NULL, NULL, NULL,
};

static gboolean
on_deadline_cb (gpointer user_data)
{
  Request *req = user_data;

  req->timed_out = TRUE;
  g_cancellable_cancel (req->cancellable);
  return G_SOURCE_CONTINUE;
}

/* The request timeout: once, for the whole request; a trickle of bytes
 * does not move it. */
static gboolean
on_overall_deadline_cb (gpointer user_data)
{
  Request *req = user_data;

  req->overall_expired = TRUE;
  req->timed_out = TRUE;
  g_cancellable_cancel (req->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
arm_overall (Request *req)
{
  req->overall = g_source_new (&deadline_funcs, sizeof (GSource));
  g_source_set_name (req->overall, "[gongkai] portal request overall deadline");
  g_source_set_callback (req->overall, on_overall_deadline_cb, req, NULL);
  g_source_attach (req->overall, g_main_context_get_thread_default ());
  g_source_set_ready_time (req->overall, g_get_monotonic_time () + (gint64) req->overall_ms * 1000);
}

static void
arm (Request *req,
     guint    ms)
{
  if (req->timer == NULL)
    {
      req->timer = g_source_new (&deadline_funcs, sizeof (GSource));
      g_source_set_name (req->timer, "[gongkai] portal request deadline");
      g_source_set_callback (req->timer, on_deadline_cb, req, NULL);
      g_source_attach (req->timer, g_main_context_get_thread_default ());
    }
  if (!req->timed_out)
    g_source_set_ready_time (req->timer, g_get_monotonic_time () + (gint64) ms * 1000);
}

static void
on_msg_progress_cb (SoupMessage *msg,
                    gpointer     user_data)
{
  Request *req = user_data;

  req->connected = TRUE;
  arm (req, req->client->response_timeout_ms);
}

static void
on_msg_body_data_cb (SoupMessage *msg,
                     guint        chunk_size,
                     gpointer     user_data)
{
  on_msg_progress_cb (msg, user_data);
}

/* libsoup re-sends a request by itself when a kept-alive connection
 * turns out to be closed, but drops the body stream first: give it the
 * same bytes again. */
static void
on_msg_restarted_cb (SoupMessage *msg,
                     gpointer     user_data)
{
  Request *req = user_data;

  if (req->request_body != NULL)
    soup_message_set_request_body_from_bytes (msg, req->content_type, req->request_body);
  req->connected = FALSE;
  arm (req, req->client->connect_timeout_ms);
}

static void
on_caller_cancelled_cb (GCancellable *caller,
                        gpointer      user_data)
{
  Request *req = user_data;

  g_cancellable_cancel (req->cancellable);
}

static void
request_free (gpointer data)
{
  Request *req = data;

  if (req->timer != NULL)
    {
      g_source_destroy (req->timer);
      g_source_unref (req->timer);
    }
  if (req->overall != NULL)
    {
      g_source_destroy (req->overall);
      g_source_unref (req->overall);
    }
  if (req->caller != NULL && req->caller_handler != 0)
    g_cancellable_disconnect (req->caller, req->caller_handler);
  if (req->msg != NULL)
    g_signal_handlers_disconnect_by_data (req->msg, req);
  g_clear_object (&req->stream);
  g_clear_object (&req->msg);
  g_clear_object (&req->cancellable);
  g_clear_object (&req->caller);
  g_clear_pointer (&req->body, g_byte_array_unref);
  g_clear_pointer (&req->request_body, g_bytes_unref);
  g_free (req->content_type);
  g_free (req->document_id);
  g_free (req);
}

static void
stop_timer (Request *req)
{
  if (req->timer != NULL)
    g_source_set_ready_time (req->timer, -1);
  if (req->overall != NULL)
    g_source_set_ready_time (req->overall, -1);
}

static void
return_response (GTask            *task,
                 GkPortalResponse *response)
{
  Request *req = g_task_get_task_data (task);

  stop_timer (req);
  g_debug ("%s %s → %u %s", soup_message_get_method (req->msg),
           g_uri_get_path (soup_message_get_uri (req->msg)), response->status,
           gk_portal_outcome_to_string (response->outcome));
  g_task_return_pointer (task, response, (GDestroyNotify) gk_portal_response_free);
}

static void
return_error (GTask        *task,
              const GError *error)
{
  Request *req = g_task_get_task_data (task);

  stop_timer (req);
  if (!req->timed_out && req->caller != NULL && g_cancellable_is_cancelled (req->caller))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Cancelled."));
      return;
    }
  return_response (task, classify_error (req->client, req, error));
}

static void read_next (GTask *task);

static void
on_closed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);

  g_input_stream_close_finish (G_INPUT_STREAM (object), result, NULL);
  return_response (task, classify_answer (req->client, req));
}

static void
on_read_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);

  if (bytes == NULL)
    {
      return_error (task, error);
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      g_input_stream_close_async (req->stream, G_PRIORITY_DEFAULT, NULL, on_closed_cb,
                                  g_steal_pointer (&task));
      return;
    }
  if (req->body->len + g_bytes_get_size (bytes) > GK_PORTAL_REPLY_MAX_BYTES)
    {
      GkPortalResponse *response = gk_portal_response_new (GK_PORTAL_TRANSIENT, soup_message_get_status (req->msg));

      /* Dropping the stream unread closes the connection. */
      g_cancellable_cancel (req->cancellable);
      response->message = g_strdup (_("The portal’s answer is too large."));
      return_response (task, response);
      return;
    }
  g_byte_array_append (req->body, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  arm (req, req->client->response_timeout_ms);
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  Request *req = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (req->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   req->cancellable, on_read_cb, task);
}

static void
on_sent_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  req->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (req->stream == NULL)
    {
      return_error (task, error);
      return;
    }
  req->connected = TRUE;
  req->body = g_byte_array_new ();
  arm (req, req->client->response_timeout_ms);
  read_next (g_steal_pointer (&task));
}

static void
send_request (GkPortalClient      *self,
              const GkPortalRequestInfo *info,
              gpointer             source_tag,
              const char          *method,
              const char          *path,
              const char          *content_type,
              GBytes              *body,
              const char          *if_match,
              gboolean             if_none_match_star,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  SoupMessageHeaders *headers;
  Request *req = g_new0 (Request, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, req, request_free);
  req->client = self;
  req->info = *info;
  req->document_id = g_strdup (info->document_id);
  req->info.document_id = req->document_id;
  req->cancellable = g_cancellable_new ();
  req->overall_ms = self->request_timeout_ms;
  if (body != NULL)
    req->overall_ms = (guint) MIN ((guint64) G_MAXUINT / 2,
                                   req->overall_ms + g_bytes_get_size (body) * 1000 / UPLOAD_BYTES_PER_SECOND);

  req->msg = soup_message_new (method, url);
  if (req->msg == NULL)
    {
      GkPortalResponse *response = gk_portal_response_new (GK_PORTAL_FATAL, 0);

      response->message = g_strdup (_("The portal address is not a valid URL."));
      g_task_return_pointer (task, response, (GDestroyNotify) gk_portal_response_free);
      return;
    }
  soup_message_add_flags (req->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (req->msg);
  soup_message_headers_replace (headers, "Authorization", self->auth_header);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (if_match != NULL)
    {
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", if_match);
      soup_message_headers_replace (headers, "If-Match", quoted);
    }
  if (if_none_match_star)
    soup_message_headers_replace (headers, "If-None-Match", "*");
  if (body != NULL)
    {
      req->request_body = g_bytes_ref (body);
      req->content_type = g_strdup (content_type);
      soup_message_set_request_body_from_bytes (req->msg, content_type, body);
    }

  g_signal_connect (req->msg, "wrote-headers", G_CALLBACK (on_msg_progress_cb), req);
  g_signal_connect (req->msg, "wrote-body-data", G_CALLBACK (on_msg_body_data_cb), req);
  g_signal_connect (req->msg, "wrote-body", G_CALLBACK (on_msg_progress_cb), req);
  g_signal_connect (req->msg, "got-headers", G_CALLBACK (on_msg_progress_cb), req);
  g_signal_connect (req->msg, "restarted", G_CALLBACK (on_msg_restarted_cb), req);

  if (cancellable != NULL)
    {
      req->caller = g_object_ref (cancellable);
      req->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled_cb),
                                                   req, NULL);
    }
  arm (req, self->connect_timeout_ms);
  arm_overall (req);
  soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT, req->cancellable,
                           on_sent_cb, g_steal_pointer (&task));
}

/* GObject */

static void
gk_portal_client_finalize (GObject *object)
{
  GkPortalClient *self = GK_PORTAL_CLIENT (object);

  soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_free (self->base_url);
  if (self->auth_header != NULL)
    memset (self->auth_header, 0, strlen (self->auth_header));
  g_free (self->auth_header);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  G_OBJECT_CLASS (gk_portal_client_parent_class)->finalize (object);
}

static void
gk_portal_client_class_init (GkPortalClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gk_portal_client_finalize;
}

static void
gk_portal_client_init (GkPortalClient *self)
{
}

/* public API */

/**
 * gk_portal_host_is_loopback:
 * @host: (nullable): a host name or address literal
 *
 * Returns: %TRUE for localhost, 127.0.0.0/8 and ::1
 */
gboolean
gk_portal_host_is_loopback (const char *host)
{
  g_autofree char *bare = NULL;
  g_autoptr(GInetAddress) address = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;
  len = strlen (host);
  if (host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  if (g_ascii_strcasecmp (bare, "localhost") == 0 || g_ascii_strcasecmp (bare, "localhost.") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * gk_portal_check_url:
 * @base_url: (nullable): the portal's API base URL
 * @allow_insecure: whether plain http:// may go to another computer
 * @error: the error location
 *
 * Returns: %TRUE if requests may be sent to @base_url
 */
gboolean
gk_portal_check_url (const char *base_url,
                     gboolean    allow_insecure,
                     GError    **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (gk_str_is_blank (base_url))
    {
      gk_set_error_detail (error, GK_ERROR_INVALID, GK_ERROR_DETAIL_NO_PORTAL_URL,
                           "%s", _("No portal address is given, and the library has none set."));
      return FALSE;
    }
  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_scheme (uri) == NULL || g_uri_get_host (uri) == NULL ||
      *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("The portal address is not an absolute URL (such as https://portal.example.gov.cn/api/v1)."));
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("The portal address must not hold a user name or password; the token is given separately."));
      return FALSE;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("The portal address must not have a query (?…) or fragment (#…)."));
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("The portal address must start with https:// (or http:// for a portal on this computer)."));
      return FALSE;
    }
  if (!allow_insecure && !gk_portal_host_is_loopback (host))
    {
      gk_set_error_detail (error, GK_ERROR_REFUSED, GK_ERROR_DETAIL_INSECURE_URL,
                           "%s",
                           _("Plain http:// is allowed only for a portal on this computer (127.0.0.1, ::1, "
                             "localhost): the token and the documents would cross the network unencrypted."));
      return FALSE;
    }
  return TRUE;
}

/**
 * gk_portal_client_new:
 * @base_url: the portal's API base URL
 * @token: the bearer token
 * @options: (nullable): transport options
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): a client
 */
GkPortalClient *
gk_portal_client_new (const char                  *base_url,
                      const char                  *token,
                      const GkPortalClientOptions *options,
                      GError                     **error)
{
  static const GkPortalClientOptions defaults = { 0 };
  g_autoptr(GkPortalClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *user_agent = NULL;
  guint max_connections;
  gsize len;

  if (options == NULL)
    options = &defaults;
  if (!gk_portal_check_url (base_url, options->allow_insecure, error))
    return NULL;
  if (!gk_token_is_valid (token))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("The portal token cannot be sent: it must be visible ASCII characters without spaces."));
      return NULL;
    }

  self = g_object_new (GK_TYPE_PORTAL_CLIENT, NULL);
  self->base_url = g_strstrip (g_strdup (base_url));
  len = strlen (self->base_url);
  while (len > 0 && self->base_url[len - 1] == '/')
    self->base_url[--len] = '\0';
  self->token = g_strdup (token);
  self->auth_header = g_strconcat ("Bearer ", token, NULL);
  self->connect_timeout_ms = options->connect_timeout_ms ? options->connect_timeout_ms : DEFAULT_CONNECT_TIMEOUT_MS;
  self->response_timeout_ms = options->response_timeout_ms ? options->response_timeout_ms : DEFAULT_RESPONSE_TIMEOUT_MS;
  self->request_timeout_ms = options->request_timeout_ms ? options->request_timeout_ms : DEFAULT_REQUEST_TIMEOUT_MS;
  max_connections = options->max_connections ? options->max_connections : DEFAULT_MAX_CONNECTIONS;
  user_agent = g_strdup (options->user_agent ? options->user_agent : "gongkai/" PACKAGE_VERSION);

  /* Our own deadlines bound every request; the session's are off. */
  self->session = soup_session_new_with_options ("max-conns", max_connections,
                                                 "max-conns-per-host", max_connections,
                                                 "timeout", 0,
                                                 "idle-timeout", 30,
                                                 "user-agent", user_agent,
                                                 NULL);
  if (options->ca_file != NULL && *options->ca_file != '\0')
    {
      g_autoptr (GTlsDatabase) database =
          gk_tls_database_new_with_ca_file (options->ca_file, error);

      if (database == NULL)
        return NULL;
      soup_session_set_tls_database (self->session, database);
    }

  uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  /* A system proxy must not stand between us and a portal on this computer. */
  if (uri != NULL && gk_portal_host_is_loopback (g_uri_get_host (uri)))
    soup_session_set_proxy_resolver (self->session, NULL);

  return g_steal_pointer (&self);
}

/**
 * gk_portal_client_get_base_url:
 * @self: a client
 *
 * Returns: the base URL, without a trailing slash
 */
const char *
gk_portal_client_get_base_url (GkPortalClient *self)
{
  g_return_val_if_fail (GK_IS_PORTAL_CLIENT (self), NULL);
  return self->base_url;
}

/**
 * gk_portal_client_abort:
 * @self: a client
 */
void
gk_portal_client_abort (GkPortalClient *self)
{
  g_return_if_fail (GK_IS_PORTAL_CLIENT (self));
  soup_session_abort (self->session);
}

/**
 * gk_portal_client_health_async:
 * @self: a client
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
gk_portal_client_health_async (GkPortalClient      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (GK_IS_PORTAL_CLIENT (self));
  send_request (self, &(GkPortalRequestInfo) { GK_PORTAL_REQUEST_HEALTH }, gk_portal_client_health_async, "GET", "/health",
                NULL, NULL, NULL, FALSE, cancellable, callback, user_data);
}

/**
 * gk_portal_client_health_finish:
 * @self: a client
 * @result: the result
 * @max_file_bytes: (out) (optional): the portal's file size limit, or 0
 * @error: the error location
 *
 * Returns: %TRUE when the portal answered and accepted the token
 */
gboolean
gk_portal_client_health_finish (GkPortalClient  *self,
                                GAsyncResult    *result,
                                gint64          *max_file_bytes,
                                GError         **error)
{
  g_autoptr(GkPortalResponse) response = NULL;
  g_autofree char *description = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (max_file_bytes != NULL)
    *max_file_bytes = 0;
  response = g_task_propagate_pointer (G_TASK (result), error);
  if (response == NULL)
    return FALSE;

  if (response->outcome != GK_PORTAL_OK)
    {
      description = gk_portal_response_describe (response);
      g_set_error_literal (error, GK_ERROR,
                           response->outcome == GK_PORTAL_AUTH ? GK_ERROR_PERMISSION : GK_ERROR_FAILED,
                           description);
      return FALSE;
    }

  /* gk_portal_reply_parse() checked "status": "ok", "api": 1 and
   * max_file_bytes. */
  if (max_file_bytes != NULL)
    *max_file_bytes = response->max_file_bytes;
  return TRUE;
}

/**
 * gk_portal_client_head_file_async:
 * @self: a client
 * @sha256: lowercase hex SHA-256 of the file
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
gk_portal_client_head_file_async (GkPortalClient      *self,
                                  const char          *sha256,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (GK_IS_PORTAL_CLIENT (self));
  g_return_if_fail (is_sha256_hex (sha256));
  path = g_strconcat ("/files/", sha256, NULL);
  send_request (self, &(GkPortalRequestInfo) { GK_PORTAL_REQUEST_HEAD_FILE }, gk_portal_client_head_file_async, "HEAD", path,
                NULL, NULL, NULL, FALSE, cancellable, callback, user_data);
}

/**
 * gk_portal_client_put_file_async:
 * @self: a client
 * @sha256: lowercase hex SHA-256 of @content
 * @media_type: (nullable): the file's media type; default application/pdf
 * @content: the file's bytes (a mapped file is best)
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
gk_portal_client_put_file_async (GkPortalClient      *self,
                                 const char          *sha256,
                                 const char          *media_type,
                                 GBytes              *content,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (GK_IS_PORTAL_CLIENT (self));
  g_return_if_fail (is_sha256_hex (sha256));
  g_return_if_fail (content != NULL);
  path = g_strconcat ("/files/", sha256, NULL);
  send_request (self, &(GkPortalRequestInfo) { GK_PORTAL_REQUEST_PUT_FILE }, gk_portal_client_put_file_async, "PUT", path,
                media_type ? media_type : "application/pdf", content, NULL, FALSE,
                cancellable, callback, user_data);
}

/* The record's "revision": the answer must say the same. */
static gint64
body_revision (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;
  JsonNode *revision;

  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  revision = json_object_get_member (json_node_get_object (root), "revision");
  if (revision == NULL || !JSON_NODE_HOLDS_VALUE (revision) ||
      json_node_get_value_type (revision) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (revision);
}

static char *
document_path (const char *id)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

  return g_strconcat ("/documents/", escaped, NULL);
}

/**
 * gk_portal_client_put_document_async:
 * @self: a client
 * @id: the item's UUID
 * @body: the exact JSON record
 * @precondition: which precondition header to send
 * @etag: (nullable): the bare ETag for %GK_PORTAL_PRECONDITION_IF_MATCH
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
gk_portal_client_put_document_async (GkPortalClient       *self,
                                     const char           *id,
                                     GBytes               *body,
                                     GkPortalPrecondition  precondition,
                                     const char           *etag,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  GkPortalRequestInfo info = { 0 };
  g_autofree char *path = NULL;

  g_return_if_fail (GK_IS_PORTAL_CLIENT (self));
  g_return_if_fail (id != NULL && body != NULL);
  g_return_if_fail (precondition != GK_PORTAL_PRECONDITION_IF_MATCH || etag != NULL);
  path = document_path (id);
  info.kind = GK_PORTAL_REQUEST_PUT_DOCUMENT;
  info.document_id = id;
  info.revision = body_revision (body);
  send_request (self, &info, gk_portal_client_put_document_async, "PUT", path,
                "application/json", body,
                precondition == GK_PORTAL_PRECONDITION_IF_MATCH ? etag : NULL,
                precondition == GK_PORTAL_PRECONDITION_CREATE,
                cancellable, callback, user_data);
}

/**
 * gk_portal_client_get_document_async:
 * @self: a client
 * @id: the item's UUID
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
gk_portal_client_get_document_async (GkPortalClient      *self,
                                     const char          *id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (GK_IS_PORTAL_CLIENT (self));
  path = document_path (id);
  send_request (self, &(GkPortalRequestInfo) { GK_PORTAL_REQUEST_GET_DOCUMENT, id },
                gk_portal_client_get_document_async, "GET", path,
                NULL, NULL, NULL, FALSE, cancellable, callback, user_data);
}

/**
 * gk_portal_client_delete_document_async:
 * @self: a client
 * @id: the item's UUID
 * @etag: (nullable): a bare ETag for If-Match
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
gk_portal_client_delete_document_async (GkPortalClient      *self,
                                        const char          *id,
                                        const char          *etag,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (GK_IS_PORTAL_CLIENT (self));
  path = document_path (id);
  send_request (self, &(GkPortalRequestInfo) { GK_PORTAL_REQUEST_DELETE_DOCUMENT, id },
                gk_portal_client_delete_document_async, "DELETE", path,
                NULL, NULL, etag, FALSE, cancellable, callback, user_data);
}

/**
 * gk_portal_client_list_documents_async:
 * @self: a client
 * @limit: page size, 1–1000
 * @after: (nullable): the cursor the previous page returned
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
gk_portal_client_list_documents_async (GkPortalClient      *self,
                                       guint                limit,
                                       const char          *after,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (GK_IS_PORTAL_CLIENT (self));
  limit = CLAMP (limit, 1, 1000);
  if (after != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (after, NULL, FALSE);
      path = g_strdup_printf ("/documents?limit=%u&after=%s", limit, escaped);
    }
  else
    path = g_strdup_printf ("/documents?limit=%u", limit);
  send_request (self, &(GkPortalRequestInfo) { GK_PORTAL_REQUEST_LIST_DOCUMENTS, NULL, 0, limit },
                gk_portal_client_list_documents_async, "GET", path,
                NULL, NULL, NULL, FALSE, cancellable, callback, user_data);
}

/**
 * gk_portal_client_request_finish:
 * @self: a client
 * @result: the result
 * @error: the error location (only for cancellation)
 *
 * Returns: (transfer full) (nullable): the response
 */
GkPortalResponse *
gk_portal_client_request_finish (GkPortalClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
