/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPortal"

#include "config.h"

#include <libsoup/soup.h>
#include <netinet/in.h>
#include <string.h>

#include "gkp-guard.h"
#include "gkp-pages.h"
#include "gkp-record.h"
#include "gkp-server.h"

#define MAX_JSON_BYTES   (1024 * 1024)
/* Requests other than the uploads may carry a body this large (read and
 * dropped); a refused request with a larger body is answered before the
 * body is read, and its connection closed. */
#define MAX_OTHER_BYTES  (64 * 1024)
#define DEFAULT_LIMIT    100
#define MAX_LIMIT        1000
#define INDEX_PAGE_SIZE  50
#define CURSOR_PREFIX    "gkp1:"
#define LISTEN_BACKLOG   511

typedef enum
{
  ACCESS_NONE,
  ACCESS_READ,
  ACCESS_WRITE,
} Access;

typedef enum
{
  MATCH_YES,
  MATCH_NO,
  MATCH_MALFORMED,
} Match;

struct _GkpServer
{
  SoupServer *soup;
  GkpStore   *store;
  char       *token;
  char       *readonly_token;
  char       *base_path;
  char       *public_url;
  char       *local_url;
  guint64     max_file_bytes;
  guint       max_connections;
  GkpGuard   *guard;
  guint       port;
};

/* What a request declares about its body. */
typedef enum
{
  BODY_NONE,
  BODY_LENGTH,
  BODY_CHUNKED,
  BODY_MALFORMED,
} BodyFraming;

static GQuark start_time_quark;
static GQuark upload_quark;
static GQuark preset_quark;

static char *
now_utc (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
secrets_equal (const char *given,
               const char *expected)
{
  gsize given_len = strlen (given);
  gsize expected_len = strlen (expected);
  guchar diff = given_len == expected_len ? 0 : 1;

  /* Compare every byte so the time does not tell where they differ. */
  for (gsize i = 0; i < expected_len; i++)
    diff |= (guchar) expected[i] ^ (guchar) (i < given_len ? given[i] : 0);
  return diff == 0;
}

/* The path inside the API base path ("/health"), or NULL for the public side. */
static const char *
api_path (GkpServer  *self,
          const char *path)
{
  gsize len = strlen (self->base_path);

  if (strncmp (path, self->base_path, len) != 0)
    return NULL;
  if (path[len] == '\0' || path[len] == '/')
    return path + len;
  return NULL;
}

/* The {id} of "/prefix/{id}", or NULL when the path has another shape. */
static const char *
path_item (const char *rel,
           const char *prefix)
{
  const char *item;

  if (!g_str_has_prefix (rel, prefix))
    return NULL;
  item = rel + strlen (prefix);
  if (*item == '\0' || strchr (item, '/') != NULL)
    return NULL;
  return item;
}

static gboolean
is_read_method (const char *method)
{
  return method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD;
}

static void
set_json_response (SoupServerMessage *msg,
                   guint              status,
                   JsonNode          *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, len);
}

static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *code,
             const char        *message,
             GPtrArray         *problems)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_array (builder);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      GkpProblem *problem = problems->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, problem->field);
      json_builder_set_member_name (builder, "problem");
      json_builder_add_string_value (builder, problem->problem);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  set_json_response (msg, status, root);
}

static void
reply_field_error (SoupServerMessage *msg,
                   guint              status,
                   const char        *code,
                   const char        *message,
                   const char        *field,
                   const char        *problem)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) gkp_problem_free);
  GkpProblem *p = g_new0 (GkpProblem, 1);

  p->field = g_strdup (field);
  p->problem = g_strdup (problem);
  g_ptr_array_add (problems, p);
  reply_error (msg, status, code, message, problems);
}

static void
reply_internal_error (SoupServerMessage *msg,
                      const GError      *error)
{
  g_warning ("%s", error->message);
  reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "unavailable",
               "The portal could not complete the request; try again later.", NULL);
}

static void
reply_method_not_allowed (SoupServerMessage *msg,
                          const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "bad_request",
               "This method is not allowed here.", NULL);
}

static void
reply_html (SoupServerMessage *msg,
            guint              status,
            char              *html)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; "
                                "object-src 'self'; frame-src 'self'; img-src 'self'");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    html, strlen (html));
}

static void
set_etag_header (SoupServerMessage *msg,
                 const char        *etag)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", etag);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", quoted);
}

static char *
public_url_for (GkpServer  *self,
                const char *id)
{
  return g_strdup_printf ("%s/docs/%s", self->public_url, id);
}

static char *
new_etag (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  GString *etag = g_string_new (NULL);

  for (const char *p = uuid; *p != '\0'; p++)
    if (*p != '-')
      g_string_append_c (etag, *p);
  return g_string_free (etag, FALSE);
}

static gboolean
is_star (const char *header)
{
  while (*header == ' ' || *header == '\t')
    header++;
  if (*header++ != '*')
    return FALSE;
  while (*header == ' ' || *header == '\t')
    header++;
  return *header == '\0';
}

/* Parses If-Match: "*", or a list of quoted ETags; weak ones never match. */
static Match
evaluate_if_match (const char *header,
                   const char *current_etag)
{
  g_auto(GStrv) parts = g_strsplit (header, ",", -1);
  gboolean any = FALSE;
  Match result = MATCH_NO;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *tag = g_strstrip (parts[i]);
      gsize len;
      gboolean weak = FALSE;

      if (*tag == '\0')
        continue;
      any = TRUE;
      if (strcmp (tag, "*") == 0)
        {
          if (current_etag != NULL)
            result = MATCH_YES;
          continue;
        }
      if (g_str_has_prefix (tag, "W/"))
        {
          weak = TRUE;
          tag += 2;
        }
      len = strlen (tag);
      if (len < 2 || tag[0] != '"' || tag[len - 1] != '"' || memchr (tag + 1, '"', len - 2) != NULL)
        return MATCH_MALFORMED;
      if (!weak && current_etag != NULL && strlen (current_etag) == len - 2 &&
          strncmp (tag + 1, current_etag, len - 2) == 0)
        result = MATCH_YES;
    }
  return any ? result : MATCH_MALFORMED;
}

static char *
encode_cursor (const char *id)
{
  g_autofree char *raw = g_strconcat (CURSOR_PREFIX, id, NULL);
  char *cursor = g_base64_encode ((const guchar *) raw, strlen (raw));

  /* URL-safe, without padding, so it needs no escaping in a query. */
  for (char *p = cursor; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return cursor;
}

/* Returns the id inside a cursor this portal made, or NULL. */
static char *
decode_cursor (const char *cursor)
{
  g_autoptr(GString) b64 = g_string_new (NULL);
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  gsize len;

  if (*cursor == '\0' || strlen (cursor) > 128)
    return NULL;
  for (const char *p = cursor; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (b64, *p);
      else if (*p == '-')
        g_string_append_c (b64, '+');
      else if (*p == '_')
        g_string_append_c (b64, '/');
      else
        return NULL;
    }
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  raw = g_base64_decode (b64->str, &len);
  text = g_strndup ((const char *) raw, len);
  if (strlen (text) != len || !g_str_has_prefix (text, CURSOR_PREFIX) ||
      !gkp_is_canonical_uuid (text + strlen (CURSOR_PREFIX)))
    return NULL;
  again = encode_cursor (text + strlen (CURSOR_PREFIX));
  if (strcmp (again, cursor) != 0)
    return NULL;
  return g_strdup (text + strlen (CURSOR_PREFIX));
}

static Access
authenticate (GkpServer         *self,
              SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  const char *token;

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return ACCESS_NONE;
  token = header + 7;
  while (*token == ' ')
    token++;
  if (*token == '\0')
    return ACCESS_NONE;
  if (secrets_equal (token, self->token))
    return ACCESS_WRITE;
  if (self->readonly_token != NULL && secrets_equal (token, self->readonly_token))
    return ACCESS_READ;
  return ACCESS_NONE;
}

static void
on_upload_got_chunk_cb (SoupServerMessage *msg,
                        GBytes            *chunk,
                        gpointer           user_data)
{
  GkpUpload *upload = user_data;
  gsize len;
  const void *data = g_bytes_get_data (chunk, &len);

  /* A failed write is reported by gkp_upload_finish(). */
  gkp_upload_write (upload, data, len, NULL);
}

/* Reads the framing of a request body more strictly than libsoup 3.2,
 * which takes "Content-Length: -1" for a body without end, "+5" for 5,
 * the last of several different Content-Length headers, and lets
 * Transfer-Encoding override Content-Length: each a way to hang the
 * connection or to smuggle a request past a proxy. */
static BodyFraming
read_body_framing (SoupServerMessage *msg,
                   goffset           *out_length,
                   const char       **out_problem)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value, *length_text = NULL;
  gboolean transfer_encoding = FALSE;
  guint64 length;

  *out_length = 0;
  *out_problem = NULL;
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (g_ascii_strcasecmp (name, "Transfer-Encoding") == 0)
        transfer_encoding = TRUE;
      else if (g_ascii_strcasecmp (name, "Content-Length") == 0)
        {
          if (*value == '\0' || strspn (value, "0123456789") != strlen (value))
            {
              *out_problem = "Content-Length must be a whole number of bytes.";
              return BODY_MALFORMED;
            }
          if (length_text != NULL && strcmp (length_text, value) != 0)
            {
              *out_problem = "The request has Content-Length headers that disagree.";
              return BODY_MALFORMED;
            }
          length_text = value;
        }
    }
  if (transfer_encoding && length_text != NULL)
    {
      *out_problem = "A request may not have both Content-Length and Transfer-Encoding.";
      return BODY_MALFORMED;
    }
  if (transfer_encoding)
    {
      *out_problem = "Chunked request bodies are not accepted; send a Content-Length.";
      return BODY_CHUNKED;
    }
  if (length_text == NULL)
    return BODY_NONE;
  /* Too many digits for 64 bits is over every limit. */
  if (!g_ascii_string_to_unsigned (length_text, 10, 0, G_MAXINT64, &length, NULL))
    length = G_MAXINT64;
  *out_length = (goffset) length;
  return BODY_LENGTH;
}

/* Whether a (decoded) path is text: UTF-8 without control characters. */
static gboolean
is_clean_path (const char *path)
{
  if (!g_utf8_validate (path, -1, NULL))
    return FALSE;
  for (const guchar *p = (const guchar *) path; *p != '\0'; p++)
    if (*p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

/* Refuses a request in the form of its side: the contract's JSON error
 * under the API, a page on the public side. */
static void
refuse (GkpServer         *self,
        SoupServerMessage *msg,
        guint              status,
        const char        *code,
        const char        *message)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *path = uri != NULL ? g_uri_get_path (uri) : NULL;

  if (path != NULL && api_path (self, path) != NULL)
    reply_error (msg, status, code, message, NULL);
  else if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
    reply_html (msg, status, gkp_pages_message ("请求过大", "请求的内容超过了限制。"));
  else
    reply_html (msg, status, gkp_pages_message ("请求无效", "无法处理该请求。"));
}

/* The largest body the request may have. */
static guint64
body_limit (GkpServer         *self,
            SoupServerMessage *msg,
            const char        *rel,
            char             **out_message)
{
  if (rel != NULL && soup_server_message_get_method (msg) == SOUP_METHOD_PUT)
    {
      if (path_item (rel, "/files/") != NULL)
        {
          *out_message = g_strdup_printf ("The file is larger than %" G_GUINT64_FORMAT " bytes.",
                                          self->max_file_bytes);
          return self->max_file_bytes;
        }
      if (path_item (rel, "/documents/") != NULL)
        {
          *out_message = g_strdup ("JSON bodies may not exceed 1 MiB.");
          return MAX_JSON_BYTES;
        }
    }
  *out_message = g_strdup ("This request may not have a body over 64 KiB.");
  return MAX_OTHER_BYTES;
}

/* libsoup answers a request whose headers it cannot parse (a request
 * line or a Content-Length it cannot read, an unknown Transfer-Encoding)
 * by itself, with no body and no chance to give one; so every request
 * starts with the contract's error as its body, which the early handler
 * takes away. */
static void
preset_malformed (SoupServerMessage *msg)
{
  static const char body[] =
    "{\"error\":{\"code\":\"bad_request\",\"message\":\"The request is malformed.\","
    "\"fields\":[]}}";

  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
  g_object_set_qdata (G_OBJECT (msg), preset_quark, GINT_TO_POINTER (TRUE));
}

static void
clear_preset (SoupServerMessage *msg)
{
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_message_headers_remove (soup_server_message_get_response_headers (msg), "Content-Type");
  g_object_set_qdata (G_OBJECT (msg), preset_quark, NULL);
}

static void
on_early_request_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  GkpServer *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *rel = api_path (self, path);
  const char *sha256, *problem;
  g_autofree char *too_large = NULL;
  BodyFraming framing;
  goffset length;
  guint64 limit;
  Access access;

  clear_preset (msg);
  /* Only PUT /documents keeps its body in memory; every other body is
   * streamed to a file or dropped as it arrives. */
  soup_message_body_set_accumulate (body, FALSE);

  if (!is_clean_path (path))
    {
      refuse (self, msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
              "The path is not UTF-8 text.");
      return;
    }
  framing = read_body_framing (msg, &length, &problem);
  if (framing == BODY_MALFORMED || framing == BODY_CHUNKED)
    {
      refuse (self, msg, SOUP_STATUS_BAD_REQUEST, "bad_request", problem);
      return;
    }

  if (rel != NULL)
    {
      access = authenticate (self, msg);
      if (access == ACCESS_NONE)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "WWW-Authenticate", "Bearer realm=\"gongkai-portal\"");
          reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                       "The token is missing or wrong.", NULL);
          return;
        }
      if (!is_read_method (method) && access != ACCESS_WRITE)
        {
          reply_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", "This token may only read.", NULL);
          return;
        }
      if (!gkp_guard_claim (self->guard, msg, access, self->max_connections))
        {
          SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);

          soup_message_headers_replace (response, "Retry-After", "1");
          soup_message_headers_replace (response, "Connection", "close");
          reply_error (msg, 429, "rate_limited",
                       "Too many connections for this token; retry later.", NULL);
          return;
        }
    }

  limit = body_limit (self, msg, rel, &too_large);
  if ((guint64) length > limit)
    {
      refuse (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", too_large);
      return;
    }
  if (rel == NULL || method != SOUP_METHOD_PUT)
    return;
  if (framing != BODY_LENGTH)
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                   "A PUT needs a Content-Length.", NULL);
      return;
    }

  if (path_item (rel, "/documents/") != NULL)
    {
      soup_message_body_set_accumulate (body, TRUE);
      return;
    }

  if ((sha256 = path_item (rel, "/files/")) != NULL)
    {
      g_autoptr(GError) error = NULL;
      GkpUpload *upload;

      if (!gkp_is_sha256_hex (sha256))
        {
          reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "Files are named by the lowercase hex SHA-256 of their bytes.", NULL);
          return;
        }
      upload = gkp_store_begin_upload (self->store, sha256, &error);
      if (upload == NULL)
        {
          reply_internal_error (msg, error);
          return;
        }
      g_object_set_qdata_full (G_OBJECT (msg), upload_quark, upload,
                               (GDestroyNotify) gkp_upload_free);
      g_signal_connect (msg, "got-chunk", G_CALLBACK (on_upload_got_chunk_cb), upload);
    }
}

static void log_request (SoupServerMessage *msg,
                         gboolean           aborted);

/* Runs after libsoup and the early handler have seen the headers.  A
 * request refused by then is answered at once when its body is large,
 * of unknown length or malformed: libsoup 3.2 would read all of it
 * before sending the answer (or wait for ever). */
static void
on_got_headers_cb (SoupServerMessage *msg,
                   gpointer           user_data)
{
  GkpServer *self = user_data;
  guint status = soup_server_message_get_status (msg);
  const char *problem;
  BodyFraming framing;
  goffset length;

  if (status == 0)
    return;
  /* libsoup refused the request (a path with %00 or an encoded "..")
   * before the early handler: the error in the form of its side. */
  if (g_object_get_qdata (G_OBJECT (msg), preset_quark) != NULL)
    {
      clear_preset (msg);
      refuse (self, msg, status, "bad_request", "The request is malformed.");
    }

  framing = read_body_framing (msg, &length, &problem);
  if (framing == BODY_CHUNKED || framing == BODY_MALFORMED ||
      status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE ||
      (framing == BODY_LENGTH && length > MAX_OTHER_BYTES))
    {
      log_request (msg, FALSE);
      gkp_guard_answer_now (self->guard, msg);
    }
}

static void
handle_health (GkpServer         *self,
               SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_set_member_name (builder, "api");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "max_file_bytes");
  json_builder_add_int_value (builder, (gint64) self->max_file_bytes);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  set_json_response (msg, SOUP_STATUS_OK, root);
}

static void
handle_file_head (GkpServer         *self,
                  SoupServerMessage *msg,
                  const char        *sha256)
{
  soup_server_message_set_status (msg, gkp_store_has_file (self->store, sha256)
                                       ? SOUP_STATUS_OK : SOUP_STATUS_NOT_FOUND, NULL);
}

static void
handle_file_put (GkpServer         *self,
                 SoupServerMessage *msg,
                 const char        *sha256)
{
  GkpUpload *upload = g_object_get_qdata (G_OBJECT (msg), upload_quark);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  GkpUploadResult result;

  if (upload == NULL)
    {
      reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "unavailable",
                   "The upload was not started.", NULL);
      return;
    }
  if (!gkp_upload_finish (upload, &result, &error))
    {
      reply_internal_error (msg, error);
      return;
    }
  if (result == GKP_UPLOAD_MISMATCH)
    {
      reply_field_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "hash_mismatch",
                         "The bytes received do not have the SHA-256 of the URL; nothing was stored.",
                         "sha256", "does not match the bytes received");
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, sha256);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  set_json_response (msg, result == GKP_UPLOAD_CREATED ? SOUP_STATUS_CREATED : SOUP_STATUS_OK,
                     root);
}

static void
reply_document_written (GkpServer         *self,
                        SoupServerMessage *msg,
                        guint              status,
                        const char        *id,
                        gint64             revision,
                        const char        *etag)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = public_url_for (self, id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, revision);
  json_builder_set_member_name (builder, "etag");
  json_builder_add_string_value (builder, etag);
  json_builder_set_member_name (builder, "public_url");
  json_builder_add_string_value (builder, url);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "published");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  set_etag_header (msg, etag);
  set_json_response (msg, status, root);
}

static gboolean
has_file_cb (const char *sha256,
             gpointer    user_data)
{
  GkpServer *self = user_data;

  return gkp_store_has_file (self->store, sha256);
}

static void
handle_document_put (GkpServer         *self,
                     SoupServerMessage *msg,
                     const char        *id)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) gkp_problem_free);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GkpDocument) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = NULL;
  const char *content_type, *if_match, *if_none_match;
  GkpRecordVerdict verdict;
  GkpDocument doc = { 0 };
  JsonObject *record;
  const char *data;
  gsize len;

  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type == NULL || g_ascii_strcasecmp (content_type, "application/json") != 0)
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                   "A document must be sent as Content-Type: application/json.", NULL);
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (body, &len);
  root = gkp_json_parse (data != NULL ? data : "", len, &error);
  if (root == NULL)
    {
      g_autofree char *message = g_strdup_printf ("The body is not valid JSON: %s.", error->message);
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message, NULL);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                   "The body must be a JSON object.", NULL);
      return;
    }
  record = json_node_get_object (root);

  if (!gkp_is_canonical_uuid (id))
    {
      reply_field_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "validation_failed",
                         "The document was refused.", "id",
                         "the id in the URL is not a canonical lowercase UUID");
      return;
    }

  if (!gkp_store_get_document (self->store, id, &stored, &error))
    {
      reply_internal_error (msg, error);
      return;
    }

  /* A retry after a lost response must succeed whatever it asserts. */
  if (stored != NULL)
    {
      g_autoptr(JsonNode) stored_root = gkp_json_parse (stored->body, strlen (stored->body), NULL);

      if (stored_root != NULL && gkp_json_equal (root, stored_root))
        {
          if (stored->withdrawn)
            {
              now = now_utc ();
              if (!gkp_store_set_withdrawn (self->store, id, FALSE, now, &error))
                {
                  reply_internal_error (msg, error);
                  return;
                }
            }
          reply_document_written (self, msg, SOUP_STATUS_OK, id, stored->revision, stored->etag);
          return;
        }
    }

  if_none_match = soup_message_headers_get_one (headers, "If-None-Match");
  if_match = soup_message_headers_get_list (headers, "If-Match");
  if (if_none_match != NULL && !is_star (if_none_match))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                   "If-None-Match may only be *.", NULL);
      return;
    }
  if (if_match != NULL)
    {
      switch (evaluate_if_match (if_match, stored != NULL ? stored->etag : NULL))
        {
        case MATCH_MALFORMED:
          reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "If-Match must carry quoted ETags: If-Match: \"etag\".", NULL);
          return;
        case MATCH_NO:
          reply_error (msg, SOUP_STATUS_PRECONDITION_FAILED, "precondition_failed",
                       stored != NULL ? "The portal's copy of the document has changed."
                                      : "The portal does not have this document.",
                       NULL);
          return;
        case MATCH_YES:
        default:
          break;
        }
    }
  if (if_none_match != NULL && stored != NULL)
    {
      reply_error (msg, SOUP_STATUS_PRECONDITION_FAILED, "precondition_failed",
                   "The portal already has this document.", NULL);
      return;
    }

  verdict = gkp_record_validate (record, id, has_file_cb, self, problems);
  switch (verdict)
    {
    case GKP_RECORD_NOT_PUBLIC:
      reply_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "not_public",
                   "Only proactively disclosed (主动公开) documents are published.", problems);
      return;
    case GKP_RECORD_INVALID:
      reply_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "validation_failed",
                   "The document was refused.", problems);
      return;
    case GKP_RECORD_FILE_MISSING:
      reply_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "file_missing",
                   "A file of the document is not stored on the portal.", problems);
      return;
    case GKP_RECORD_VALID:
    default:
      break;
    }

  now = now_utc ();
  doc.id = (char *) id;
  doc.body = g_strndup (data, len);
  doc.etag = new_etag ();
  doc.revision = json_object_get_int_member (record, "revision");
  doc.withdrawn = FALSE;
  doc.title = (char *) gkp_record_get_string (record, "title");
  doc.doc_number = (char *) gkp_record_get_string (record, "doc_number");
  doc.publish_date = (char *) gkp_record_get_string (record, "publish_date");
  doc.updated_at = now;
  if (!gkp_store_put_document (self->store, &doc, &error))
    reply_internal_error (msg, error);
  else
    reply_document_written (self, msg, stored == NULL ? SOUP_STATUS_CREATED : SOUP_STATUS_OK,
                            id, doc.revision, doc.etag);
  g_free (doc.body);
  g_free (doc.etag);
}

static void
reply_not_found (SoupServerMessage *msg)
{
  reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such document.", NULL);
}

/* Looks up a document for the API; replies 404 (or 500) when there is none. */
static GkpDocument *
find_document (GkpServer         *self,
               SoupServerMessage *msg,
               const char        *id)
{
  g_autoptr(GError) error = NULL;
  GkpDocument *doc = NULL;

  if (!gkp_is_canonical_uuid (id))
    reply_not_found (msg);
  else if (!gkp_store_get_document (self->store, id, &doc, &error))
    reply_internal_error (msg, error);
  else if (doc == NULL)
    reply_not_found (msg);
  return doc;
}

static void
handle_document_get (GkpServer         *self,
                     SoupServerMessage *msg,
                     const char        *id)
{
  g_autoptr(GkpDocument) doc = NULL;
  g_autoptr(JsonObject) extra = NULL;
  g_autofree char *text = NULL;
  g_autofree char *url = public_url_for (self, id);
  gsize len;

  doc = find_document (self, msg, id);
  if (doc == NULL)
    return;

  extra = json_object_new ();
  json_object_set_string_member (extra, "etag", doc->etag);
  json_object_set_string_member (extra, "public_url", url);
  json_object_set_string_member (extra, "status", doc->withdrawn ? "withdrawn" : "published");
  json_object_set_string_member (extra, "updated_at", doc->updated_at);
  text = gkp_json_object_with_members (doc->body, extra);
  len = strlen (text);

  set_etag_header (msg, doc->etag);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
}

static void
handle_document_delete (GkpServer         *self,
                        SoupServerMessage *msg,
                        const char        *id)
{
  g_autoptr(GkpDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = NULL;
  const char *if_match;

  doc = find_document (self, msg, id);
  if (doc == NULL)
    return;
  if (doc->withdrawn)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  if_match = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                            "If-Match");
  if (if_match != NULL)
    {
      switch (evaluate_if_match (if_match, doc->etag))
        {
        case MATCH_MALFORMED:
          reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "If-Match must carry quoted ETags: If-Match: \"etag\".", NULL);
          return;
        case MATCH_NO:
          reply_error (msg, SOUP_STATUS_PRECONDITION_FAILED, "precondition_failed",
                       "The portal's copy of the document has changed.", NULL);
          return;
        case MATCH_YES:
        default:
          break;
        }
    }

  now = now_utc ();
  if (!gkp_store_set_withdrawn (self->store, id, TRUE, now, &error))
    {
      reply_internal_error (msg, error);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static void
handle_document_list (GkpServer         *self,
                      SoupServerMessage *msg,
                      GHashTable        *query)
{
  const char *limit_text = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  const char *after = query != NULL ? g_hash_table_lookup (query, "after") : NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after_id = NULL;
  guint64 limit = DEFAULT_LIMIT;

  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 1, MAX_LIMIT, &limit, NULL))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                   "limit must be a whole number from 1 to 1000.", NULL);
      return;
    }
  if (after != NULL && (after_id = decode_cursor (after)) == NULL)
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                   "after must be a cursor returned by this portal.", NULL);
      return;
    }

  docs = gkp_store_list_documents (self->store, after_id, (guint) limit + 1, &error);
  if (docs == NULL)
    {
      reply_internal_error (msg, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < docs->len && i < limit; i++)
    {
      GkpDocument *doc = docs->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, doc->id);
      json_builder_set_member_name (builder, "revision");
      json_builder_add_int_value (builder, doc->revision);
      json_builder_set_member_name (builder, "etag");
      json_builder_add_string_value (builder, doc->etag);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, doc->withdrawn ? "withdrawn" : "published");
      json_builder_set_member_name (builder, "updated_at");
      json_builder_add_string_value (builder, doc->updated_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next");
  if (docs->len > limit)
    {
      g_autofree char *cursor = encode_cursor (((GkpDocument *) docs->pdata[limit - 1])->id);
      json_builder_add_string_value (builder, cursor);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  set_json_response (msg, SOUP_STATUS_OK, root);
}

static void
handle_api (GkpServer         *self,
            SoupServerMessage *msg,
            const char        *rel,
            GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  const char *item;

  if (strcmp (rel, "/health") == 0)
    {
      if (is_read_method (method))
        handle_health (self, msg);
      else
        reply_method_not_allowed (msg, "GET, HEAD");
    }
  else if ((item = path_item (rel, "/files/")) != NULL)
    {
      if (method == SOUP_METHOD_HEAD)
        handle_file_head (self, msg, item);
      else if (method == SOUP_METHOD_PUT)
        handle_file_put (self, msg, item);
      else
        reply_method_not_allowed (msg, "HEAD, PUT");
    }
  else if (strcmp (rel, "/documents") == 0)
    {
      if (is_read_method (method))
        handle_document_list (self, msg, query);
      else
        reply_method_not_allowed (msg, "GET, HEAD");
    }
  else if ((item = path_item (rel, "/documents/")) != NULL)
    {
      if (method == SOUP_METHOD_PUT)
        handle_document_put (self, msg, item);
      else if (is_read_method (method))
        handle_document_get (self, msg, item);
      else if (method == SOUP_METHOD_DELETE)
        handle_document_delete (self, msg, item);
      else
        reply_method_not_allowed (msg, "GET, HEAD, PUT, DELETE");
    }
  else
    reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such endpoint.", NULL);
}

static char *
title_of_cb (const char *id,
             gpointer    user_data)
{
  GkpServer *self = user_data;
  g_autoptr(GkpDocument) doc = NULL;

  if (!gkp_is_canonical_uuid (id) || !gkp_store_get_document (self->store, id, &doc, NULL) ||
      doc == NULL || doc->withdrawn)
    return NULL;
  return g_steal_pointer (&doc->title);
}

static void
reply_page_not_found (SoupServerMessage *msg)
{
  reply_html (msg, SOUP_STATUS_NOT_FOUND,
              gkp_pages_message ("未找到", "您访问的页面或信息不存在。"));
}

/* Looks up a published document for the public side; replies 404 (and
 * says 已撤回 for a withdrawn one) when there is none. */
static GkpDocument *
find_public_document (GkpServer         *self,
                      SoupServerMessage *msg,
                      const char        *id)
{
  g_autoptr(GkpDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  if (!gkp_is_canonical_uuid (id))
    {
      reply_page_not_found (msg);
      return NULL;
    }
  if (!gkp_store_get_document (self->store, id, &doc, &error))
    {
      g_warning ("%s", error->message);
      reply_html (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                  gkp_pages_message ("暂时无法访问", "请稍后再试。"));
      return NULL;
    }
  if (doc == NULL)
    {
      reply_page_not_found (msg);
      return NULL;
    }
  if (doc->withdrawn)
    {
      reply_html (msg, SOUP_STATUS_NOT_FOUND,
                  gkp_pages_message ("已撤回", "该信息已撤回，不再公开。"));
      return NULL;
    }
  return g_steal_pointer (&doc);
}

static void
serve_index (GkpServer         *self,
             SoupServerMessage *msg,
             GHashTable        *query)
{
  const char *page_text = query != NULL ? g_hash_table_lookup (query, "page") : NULL;
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(GError) error = NULL;
  guint64 page = 1;
  guint total = 0, n_pages;

  if (page_text != NULL && !g_ascii_string_to_unsigned (page_text, 10, 1, G_MAXUINT32, &page, NULL))
    page = 1;
  for (;;)
    {
      g_clear_pointer (&docs, g_ptr_array_unref);
      docs = gkp_store_list_published (self->store, (guint) MIN ((page - 1) * INDEX_PAGE_SIZE, G_MAXUINT32),
                                       INDEX_PAGE_SIZE, &total, &error);
      if (docs == NULL)
        {
          g_warning ("%s", error->message);
          reply_html (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                      gkp_pages_message ("暂时无法访问", "请稍后再试。"));
          return;
        }
      n_pages = MAX (1, (total + INDEX_PAGE_SIZE - 1) / INDEX_PAGE_SIZE);
      if (page <= n_pages)
        break;
      page = n_pages;
    }
  reply_html (msg, SOUP_STATUS_OK, gkp_pages_index (docs, (guint) page, n_pages, total));
}

static void
serve_document (GkpServer         *self,
                SoupServerMessage *msg,
                const char        *id)
{
  g_autoptr(GkpDocument) doc = find_public_document (self, msg, id);
  g_autoptr(JsonNode) root = NULL;

  if (doc == NULL)
    return;
  root = gkp_json_parse (doc->body, strlen (doc->body), NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reply_page_not_found (msg);
      return;
    }
  reply_html (msg, SOUP_STATUS_OK,
              gkp_pages_document (json_node_get_object (root), id, doc->updated_at,
                                  title_of_cb, self));
}

static gboolean
is_simple_media_type (const char *type)
{
  const char *slash = type != NULL ? strchr (type, '/') : NULL;

  if (slash == NULL || slash == type || slash[1] == '\0' || strlen (type) > 100)
    return FALSE;
  for (const char *p = type; *p != '\0'; p++)
    if (p != slash && !g_ascii_isalnum (*p) && strchr (".+-", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* Serves file member @index of a published document: 0 is "file", n is
 * attachments[n-1]. */
static void
serve_document_file (GkpServer         *self,
                     SoupServerMessage *msg,
                     const char        *id,
                     guint              index)
{
  g_autoptr(GkpDocument) doc = find_public_document (self, msg, id);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *escaped_name = NULL;
  g_autofree char *disposition = NULL;
  const char *sha256 = NULL, *media_type = NULL, *name = NULL;
  JsonObject *file = NULL;
  JsonNode *node;
  gboolean inline_ok;

  if (doc == NULL)
    return;
  root = gkp_json_parse (doc->body, strlen (doc->body), NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *record = json_node_get_object (root);

      if (index == 0)
        node = json_object_get_member (record, "file");
      else
        {
          node = json_object_get_member (record, "attachments");
          if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
              index <= json_array_get_length (json_node_get_array (node)))
            node = json_array_get_element (json_node_get_array (node), index - 1);
          else
            node = NULL;
        }
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        file = json_node_get_object (node);
    }
  if (file != NULL)
    {
      sha256 = gkp_record_get_string (file, "sha256");
      media_type = gkp_record_get_string (file, "media_type");
      name = gkp_record_get_string (file, "name");
    }
  path = sha256 != NULL ? gkp_store_get_file_path (self->store, sha256) : NULL;
  if (path == NULL || (mapped = g_mapped_file_new (path, FALSE, &error)) == NULL)
    {
      reply_page_not_found (msg);
      return;
    }

  /* Only a PDF is shown inline; anything else is a download, so a
   * hostile media type cannot run in the portal's origin. */
  if (media_type == NULL || !is_simple_media_type (media_type))
    media_type = "application/pdf";
  inline_ok = g_ascii_strcasecmp (media_type, "application/pdf") == 0;
  if (!inline_ok && g_strrstr (media_type, "html") != NULL)
    media_type = "application/octet-stream";
  if (name == NULL)
    name = inline_ok ? "document.pdf" : "document";
  escaped_name = g_uri_escape_string (name, NULL, FALSE);
  disposition = g_strdup_printf ("%s; filename*=UTF-8''%s", inline_ok ? "inline" : "attachment",
                                 escaped_name);

  bytes = g_mapped_file_get_bytes (mapped);
  soup_message_headers_replace (headers, "Content-Disposition", disposition);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  /* A sandbox would stop browsers from showing the PDF inline. */
  if (!inline_ok)
    soup_message_headers_replace (headers, "Content-Security-Policy", "sandbox");
  soup_message_headers_set_content_type (headers, media_type, NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static void
handle_public (GkpServer         *self,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  if (!is_read_method (soup_server_message_get_method (msg)))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, HEAD");
      reply_html (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                  gkp_pages_message ("不支持的请求", "本页面只能浏览。"));
      return;
    }
  if (strcmp (path, "/") == 0)
    {
      serve_index (self, msg, query);
      return;
    }

  /* /docs/{id}, /docs/{id}/file, /docs/{id}/attachments/{n} */
  parts = g_strsplit (path + 1, "/", 5);
  n = g_strv_length (parts);
  if (n >= 2 && strcmp (parts[0], "docs") == 0)
    {
      guint64 index;

      if (n == 2)
        {
          serve_document (self, msg, parts[1]);
          return;
        }
      if (n == 3 && strcmp (parts[2], "file") == 0)
        {
          serve_document_file (self, msg, parts[1], 0);
          return;
        }
      if (n == 4 && strcmp (parts[2], "attachments") == 0 &&
          g_ascii_string_to_unsigned (parts[3], 10, 1, 1000, &index, NULL))
        {
          serve_document_file (self, msg, parts[1], (guint) index);
          return;
        }
    }
  reply_page_not_found (msg);
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  GkpServer *self = user_data;
  const char *rel = api_path (self, path);

  if (rel != NULL)
    handle_api (self, msg, rel, query);
  else
    handle_public (self, msg, path, query);
}

static void
on_request_started_cb (SoupServer        *server,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  GkpServer *self = user_data;
  gint64 *start = g_new (gint64, 1);

  *start = g_get_monotonic_time ();
  g_object_set_qdata_full (G_OBJECT (msg), start_time_quark, start, g_free);
  /* libsoup looks the address up when first asked, which fails once the
   * guard has closed the socket; the log asks at the end. */
  soup_server_message_get_remote_address (msg);
  preset_malformed (msg);
  /* After libsoup's own handler, which runs the early handler. */
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers_cb), self);
}

/* One line per request on stderr; headers (the token!) are never logged. */
static void
log_request (SoupServerMessage *msg,
             gboolean           aborted)
{
  gint64 *start = g_object_get_qdata (G_OBJECT (msg), start_time_quark);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *remote = soup_server_message_get_remote_host (msg);
  const char *query = uri != NULL ? g_uri_get_query (uri) : NULL;
  g_autofree char *now = now_utc ();
  double ms = start != NULL ? (g_get_monotonic_time () - *start) / 1000.0 : 0.0;

  g_printerr ("%s %s %s %s%s%s %u %.1f ms%s\n", now, remote != NULL ? remote : "-",
              method != NULL ? method : "-", uri != NULL ? g_uri_get_path (uri) : "-",
              query != NULL ? "?" : "", query != NULL ? query : "",
              soup_server_message_get_status (msg), ms, aborted ? " (aborted)" : "");
}

static void
on_request_finished_cb (SoupServer        *server,
                        SoupServerMessage *msg,
                        gpointer           user_data)
{
  log_request (msg, FALSE);
}

static void
on_request_aborted_cb (SoupServer        *server,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  log_request (msg, TRUE);
}

/**
 * gkp_server_new:
 * @store: the store; it must outlive the server
 * @options: the settings; the strings are copied
 *
 * Returns: (transfer full): a server, not listening yet
 */
GkpServer *
gkp_server_new (GkpStore               *store,
                const GkpServerOptions *options)
{
  GkpServer *self = g_new0 (GkpServer, 1);
  GkpGuardOptions guard_options;

  if (start_time_quark == 0)
    {
      start_time_quark = g_quark_from_static_string ("gkp-start-time");
      upload_quark = g_quark_from_static_string ("gkp-upload");
      preset_quark = g_quark_from_static_string ("gkp-preset");
    }

  self->store = store;
  self->token = g_strdup (options->token);
  self->readonly_token = g_strdup (options->readonly_token);
  self->base_path = g_strdup (options->base_path);
  self->public_url = g_strdup (options->public_url);
  self->max_file_bytes = options->max_file_bytes;
  self->max_connections = options->max_connections_per_token;

  self->soup = soup_server_new ("server-header", "gongkai-portal/" PACKAGE_VERSION " ", NULL);
  guard_options.idle_timeout_ms = options->idle_timeout_ms;
  guard_options.request_timeout_ms = options->request_timeout_ms;
  guard_options.max_clients = options->max_clients;
  self->guard = gkp_guard_new (self->soup, &guard_options);
  soup_server_add_early_handler (self->soup, NULL, on_early_request_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, on_request_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_finished_cb), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_aborted_cb), self);
  return self;
}

/**
 * gkp_server_listen:
 * @self: the server
 * @address: an IP address, "127.0.0.1"
 * @port: the port, 0 for any free one
 * @error: return location for an error
 *
 * Starts listening; the public URL defaults to http://ADDRESS:PORT.
 *
 * Returns: whether the server listens
 */
gboolean
gkp_server_listen (GkpServer  *self,
                   const char *address,
                   guint       port,
                   GError    **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocket) socket = NULL;
  GSList *listeners;

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address", address);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (inet, (guint16) port);
  /* Our own socket, for a longer queue of connections waiting to be
   * accepted than libsoup's (10): a burst must not have the kernel drop
   * the connections of well-behaved clients. */
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, socket_address, TRUE, error) || !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (self->soup, socket, 0, error))
    return FALSE;

  listeners = soup_server_get_listeners (self->soup);
  if (listeners != NULL)
    local = g_socket_get_local_address (listeners->data, NULL);
  g_slist_free (listeners);
  if (local != NULL)
    self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));

  if (g_inet_address_get_is_any (inet))
    address = g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 ? "::1" : "127.0.0.1";
  g_free (self->local_url);
  if (strchr (address, ':') != NULL)
    self->local_url = g_strdup_printf ("http://[%s]:%u", address, self->port);
  else
    self->local_url = g_strdup_printf ("http://%s:%u", address, self->port);
  if (self->public_url == NULL)
    self->public_url = g_strdup (self->local_url);
  return TRUE;
}

/**
 * gkp_server_get_port:
 * @self: a listening server
 *
 * Returns: the bound port
 */
guint
gkp_server_get_port (GkpServer *self)
{
  return self->port;
}

/**
 * gkp_server_get_local_url:
 * @self: a listening server
 *
 * Returns: http://ADDRESS:PORT of the listening socket
 */
const char *
gkp_server_get_local_url (GkpServer *self)
{
  return self->local_url;
}

/**
 * gkp_server_get_public_url:
 * @self: a listening server
 *
 * Returns: the URL of the public pages, without a trailing slash
 */
const char *
gkp_server_get_public_url (GkpServer *self)
{
  return self->public_url;
}

/**
 * gkp_server_free:
 * @self: (nullable): a server
 *
 * Disconnects every client and frees @self.
 */
void
gkp_server_free (GkpServer *self)
{
  if (self == NULL)
    return;
  soup_server_disconnect (self->soup);
  g_clear_pointer (&self->guard, gkp_guard_free);
  g_clear_object (&self->soup);
  g_free (self->token);
  g_free (self->readonly_token);
  g_free (self->base_path);
  g_free (self->public_url);
  g_free (self->local_url);
  g_free (self);
}
