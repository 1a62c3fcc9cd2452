/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPortal"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-portal-reply.h"
#include "gk-util.h"

/* Reading the portal's answers.  A success is believed only when every
 * member portal-api.md names for it is there, of its type and in its
 * range: the portal is an external system, and what it answers is
 * stored in the library (ETag, public_url) and handed to a browser.
 * Error answers are read leniently (a proxy's 502 page is an answer
 * too); only their classification matters. */

#define MAX_MESSAGE_CHARS 2000
#define MAX_FIELDS 200
/* Retry-After of more than a day is nonsense; the caller caps it anyway. */
#define MAX_RETRY_AFTER_S (24 * 3600)
/* json-glib's parser recurses per level: a body of a million "[" would
 * take the stack.  Portal answers nest three levels. */
#define MAX_JSON_DEPTH 64
#define MAX_ETAG_CHARS 256
#define MAX_URL_BYTES 4096
#define MAX_SHOWN_CHARS 80
#define MAX_PROBLEMS 12
#define MAX_LIST_LIMIT 1000

/* helpers */

static void
problem_free (gpointer data)
{
  GkPortalProblem *problem = data;

  g_free (problem->field);
  g_free (problem->problem);
  g_free (problem);
}

static void
listed_free (gpointer data)
{
  GkPortalListed *listed = data;

  g_free (listed->id);
  g_free (listed->etag);
  g_free (listed->status);
  g_free (listed->updated_at);
  g_free (listed);
}

/* Valid UTF-8, at most MAX_MESSAGE_CHARS characters. */
static char *
clip_text (const char *text)
{
  char *valid;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, -1);
  if (g_utf8_strlen (valid, -1) > MAX_MESSAGE_CHARS)
    *g_utf8_offset_to_pointer (valid, MAX_MESSAGE_CHARS) = '\0';
  return valid;
}

static gboolean
json_depth_ok (const guint8 *data,
               gsize         len)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      guint8 c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }
  return TRUE;
}

/* The body as JSON, or NULL and *why (translated) when it is not. */
static JsonNode *
parse_json (const guint8  *data,
            gsize          len,
            char         **why)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (len == 0 || data == NULL)
    {
      *why = g_strdup (_("the body is empty (it should be a JSON object)"));
      return NULL;
    }
  /* Also refuses NUL bytes, which json-glib would stop at. */
  if (!g_utf8_validate ((const char *) data, (gssize) len, NULL))
    {
      *why = g_strdup (_("the body is not UTF-8 text"));
      return NULL;
    }
  if (!json_depth_ok (data, len))
    {
      *why = g_strdup_printf (_("the body nests JSON more than %u levels deep"), MAX_JSON_DEPTH);
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL)
    {
      *why = g_strdup (_("the body is not JSON"));
      return NULL;
    }
  return json_node_ref (root);
}

static const char *
node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Only a JSON integer is a whole number: 3.0 and "3" are not. */
static gboolean
node_int (JsonNode *node,
          gint64   *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  return object != NULL ? node_string (json_object_get_member (object, member)) : NULL;
}

/* A value as the message shows it: short JSON, one line. */
static char *
describe_node (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  if (g_utf8_strlen (valid, -1) > MAX_SHOWN_CHARS)
    {
      *g_utf8_offset_to_pointer (valid, MAX_SHOWN_CHARS) = '\0';
      return g_strconcat (valid, "…", NULL);
    }
  return valid;
}

/* A header value as the message shows it. */
static char *
describe_text (const char *text)
{
  g_autoptr(GString) out = g_string_new ("“");
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  glong n = 0;

  for (const char *p = valid; *p != '\0' && n < MAX_SHOWN_CHARS; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_unichar (out, c);
    }
  if (*valid != '\0' && n >= MAX_SHOWN_CHARS && g_utf8_strlen (valid, -1) > MAX_SHOWN_CHARS)
    g_string_append (out, "…");
  g_string_append (out, "”");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void add_problem (GPtrArray  *problems,
                         const char *format,
                         ...) G_GNUC_PRINTF (2, 3);

static void
add_problem (GPtrArray  *problems,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (problems, g_strdup_vprintf (format, args));
  va_end (args);
}

/* "“name” is missing" or "“name” should be EXPECTED, not VALUE". */
static void
member_problem (GPtrArray  *problems,
                const char *name,
                JsonNode   *node,
                const char *expected)
{
  if (node == NULL)
    add_problem (problems, _("“%s” is missing (it should be %s)"), name, expected);
  else
    {
      g_autofree char *shown = describe_node (node);

      add_problem (problems, _("“%s” should be %s, not %s"), name, expected, shown);
    }
}

static gboolean
text_is_printable (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if (*p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

/* A non-blank string member without control characters, or NULL (and a
 * problem). */
static const char *
want_text (JsonObject *object,
           const char *name,
           const char *shown_name,
           GPtrArray  *problems)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text = node_string (node);

  if (text == NULL || gk_str_is_blank (text) || !text_is_printable (text))
    {
      member_problem (problems, shown_name, node, _("a non-empty string"));
      return NULL;
    }
  return text;
}

static gboolean
want_int (JsonObject *object,
          const char *name,
          const char *shown_name,
          gint64      minimum,
          gint64     *out,
          GPtrArray  *problems)
{
  JsonNode *node = json_object_get_member (object, name);

  if (!node_int (node, out) || *out < minimum)
    {
      g_autofree char *expected = g_strdup_printf (_("a whole number of at least %" PRId64), minimum);

      member_problem (problems, shown_name, node, expected);
      return FALSE;
    }
  return TRUE;
}

static const char *
want_one_of (JsonObject        *object,
             const char        *name,
             const char        *shown_name,
             const char *const *allowed,
             GPtrArray         *problems)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text = node_string (node);
  g_autoptr(GString) expected = NULL;

  if (text != NULL && g_strv_contains (allowed, text))
    return text;
  expected = g_string_new (NULL);
  for (guint i = 0; allowed[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (expected, allowed[i + 1] != NULL ? ", " : _(" or "));
      g_string_append_printf (expected, "\"%s\"", allowed[i]);
    }
  member_problem (problems, shown_name, node, expected->str);
  return NULL;
}

static const char *
want_etag (JsonObject *object,
           const char *name,
           GPtrArray  *problems)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *etag = node_string (node);

  if (!gk_portal_etag_is_valid (etag))
    {
      member_problem (problems, name, node,
                      _("an entity tag (1 to 256 visible ASCII characters, no double quote)"));
      return NULL;
    }
  return etag;
}

static const char *
want_public_url (JsonObject *object,
                 GPtrArray  *problems)
{
  JsonNode *node = json_object_get_member (object, "public_url");
  const char *url = node_string (node);

  if (url == NULL || strlen (url) > MAX_URL_BYTES || !gk_url_is_http (url))
    {
      member_problem (problems, "public_url", node, _("an absolute http(s) address"));
      return NULL;
    }
  return url;
}

/* The ETag header: a strong "…" tag.  Weak tags never match (If-Match),
 * so the portal must not give one for a document. */
static char *
want_etag_header (const char *value,
                  GPtrArray  *problems)
{
  g_autofree char *trimmed = NULL;
  gsize len;

  if (value == NULL)
    {
      add_problem (problems, _("the ETag header is missing"));
      return NULL;
    }
  trimmed = g_strstrip (g_strdup (value));
  len = strlen (trimmed);
  if (g_str_has_prefix (trimmed, "W/"))
    {
      g_autofree char *shown = describe_text (value);

      add_problem (problems, _("the ETag header %s is weak (it should be a strong \"…\" tag)"), shown);
      return NULL;
    }
  if (len < 3 || trimmed[0] != '"' || trimmed[len - 1] != '"')
    {
      g_autofree char *shown = describe_text (value);

      add_problem (problems, _("the ETag header %s is not a quoted entity tag"), shown);
      return NULL;
    }
  trimmed[len - 1] = '\0';
  if (!gk_portal_etag_is_valid (trimmed + 1))
    {
      g_autofree char *shown = describe_text (value);

      add_problem (problems, _("the ETag header %s is not a single valid entity tag"), shown);
      return NULL;
    }
  return g_strdup (trimmed + 1);
}

static gboolean
content_type_is_json (const char *content_type)
{
  g_autofree char *media = NULL;
  const char *semicolon;

  if (content_type == NULL)
    return FALSE;
  semicolon = strchr (content_type, ';');
  media = g_strstrip (semicolon != NULL ? g_strndup (content_type, semicolon - content_type)
                                        : g_strdup (content_type));
  return g_ascii_strcasecmp (media, "application/json") == 0;
}

static gint64
parse_retry_after (const char *value)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  const char *p;
  gint64 seconds = 0;
  GTimeSpan span;

  if (value == NULL)
    return -1;
  while (g_ascii_isspace (*value))
    value++;
  if (*value == '\0')
    return -1;

  if (g_ascii_isdigit (*value))
    {
      for (p = value; g_ascii_isdigit (*p); p++)
        {
          seconds = seconds * 10 + (*p - '0');
          if (seconds > MAX_RETRY_AFTER_S)
            seconds = MAX_RETRY_AFTER_S;
        }
      while (g_ascii_isspace (*p))
        p++;
      return *p == '\0' ? seconds * 1000 : -1;
    }

  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  span = g_date_time_difference (when, now);
  if (span <= 0)
    return 0;
  return MIN (span / 1000, (gint64) MAX_RETRY_AFTER_S * 1000);
}

/* The error shape: {"error": {"code", "message", "fields": [{field, problem}]}} */
static void
read_error_shape (GkPortalResponse *response)
{
  JsonObject *root;
  JsonObject *error;
  JsonNode *fields;

  if (response->body == NULL || !JSON_NODE_HOLDS_OBJECT (response->body))
    return;
  root = json_node_get_object (response->body);
  if (!json_object_has_member (root, "error") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "error")))
    return;
  error = json_object_get_object_member (root, "error");

  response->error_code = clip_text (object_get_string (error, "code"));
  {
    g_autofree char *message = clip_text (object_get_string (error, "message"));

    if (!gk_str_is_blank (message))
      {
        g_free (response->message);
        response->message = g_steal_pointer (&message);
      }
  }

  fields = json_object_get_member (error, "fields");
  if (fields != NULL && JSON_NODE_HOLDS_ARRAY (fields))
    {
      JsonArray *array = json_node_get_array (fields);

      for (guint i = 0; i < json_array_get_length (array) && i < MAX_FIELDS; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          GkPortalProblem *problem;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          problem = g_new0 (GkPortalProblem, 1);
          problem->field = clip_text (object_get_string (json_node_get_object (element), "field"));
          problem->problem = clip_text (object_get_string (json_node_get_object (element), "problem"));
          if (problem->field == NULL)
            problem->field = g_strdup ("");
          if (problem->problem == NULL)
            problem->problem = g_strdup ("");
          g_ptr_array_add (response->fields, problem);
        }
    }
}

static const char *
status_phrase (guint status)
{
  const char *phrase = soup_status_get_phrase (status);

  return phrase != NULL ? phrase : "";
}

static void
classify_error_status (const GkPortalRequestInfo *request,
                       GkPortalResponse          *response)
{
  guint status = response->status;

  read_error_shape (response);
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
    case SOUP_STATUS_FORBIDDEN:
      response->outcome = GK_PORTAL_AUTH;
      break;
    case SOUP_STATUS_NOT_FOUND:
      response->outcome = (request->kind == GK_PORTAL_REQUEST_HEAD_FILE ||
                           request->kind == GK_PORTAL_REQUEST_GET_DOCUMENT ||
                           request->kind == GK_PORTAL_REQUEST_DELETE_DOCUMENT)
                          ? GK_PORTAL_NOT_FOUND : GK_PORTAL_REFUSED;
      break;
    case SOUP_STATUS_PRECONDITION_FAILED:
      response->outcome = GK_PORTAL_CONFLICT;
      break;
    case SOUP_STATUS_REQUEST_TIMEOUT:
    case 429: /* Too Many Requests */
      response->outcome = GK_PORTAL_TRANSIENT;
      break;
    default:
      response->outcome = status < 500 ? GK_PORTAL_REFUSED : GK_PORTAL_TRANSIENT;
      break;
    }
  if (response->message == NULL)
    response->message = g_strdup_printf (_("The portal answered HTTP %u %s."), status, status_phrase (status));
}

/* The 2xx statuses each request may get. */
static gboolean
status_allowed (GkPortalRequestKind kind,
                guint               status,
                const char        **allowed)
{
  switch (kind)
    {
    case GK_PORTAL_REQUEST_PUT_FILE:
    case GK_PORTAL_REQUEST_PUT_DOCUMENT:
      *allowed = "200, 201";
      return status == 200 || status == 201;
    case GK_PORTAL_REQUEST_DELETE_DOCUMENT:
      *allowed = "204, 404";
      return status == 204;
    case GK_PORTAL_REQUEST_HEAD_FILE:
      *allowed = "200, 404";
      return status == 200;
    case GK_PORTAL_REQUEST_HEALTH:
    case GK_PORTAL_REQUEST_GET_DOCUMENT:
    case GK_PORTAL_REQUEST_LIST_DOCUMENTS:
    default:
      *allowed = "200";
      return status == 200;
    }
}

static const char *const document_put_status[] = { "published", NULL };
static const char *const document_status[] = { "published", "withdrawn", NULL };

/* PUT and GET /documents/{id}: {"id", "revision", "etag", "public_url",
 * "status"} (GET: the whole record, plus "updated_at"), header ETag. */
static void
check_document (const GkPortalRequestInfo  *request,
                const GkPortalReplyHeaders *headers,
                GkPortalResponse           *response,
                GPtrArray                  *problems)
{
  JsonObject *object = json_node_get_object (response->body);
  gboolean put = request->kind == GK_PORTAL_REQUEST_PUT_DOCUMENT;
  JsonNode *id_node = json_object_get_member (object, "id");
  const char *id = node_string (id_node);
  const char *etag;
  const char *url;
  const char *status;
  g_autofree char *header_etag = NULL;
  gint64 revision = 0;

  if (id == NULL || gk_str_is_blank (id) ||
      (request->document_id != NULL && strcmp (id, request->document_id) != 0))
    {
      g_autofree char *expected = request->document_id != NULL
                                  ? g_strdup_printf (_("the document’s id \"%s\""), request->document_id)
                                  : g_strdup (_("a non-empty string"));

      member_problem (problems, "id", id_node, expected);
    }
  else
    response->id = g_strdup (id);

  if (want_int (object, "revision", "revision", 1, &revision, problems))
    {
      if (put && request->revision > 0 && revision != request->revision)
        {
          g_autofree char *expected = g_strdup_printf (_("%" PRId64 " (the revision sent)"), request->revision);

          member_problem (problems, "revision", json_object_get_member (object, "revision"), expected);
        }
      else
        response->revision = revision;
    }

  etag = want_etag (object, "etag", problems);
  url = want_public_url (object, problems);
  status = want_one_of (object, "status", "status", put ? document_put_status : document_status, problems);
  if (!put)
    {
      const char *updated_at = want_text (object, "updated_at", "updated_at", problems);

      response->updated_at = g_strdup (updated_at);
    }
  header_etag = want_etag_header (headers->etag, problems);
  if (etag != NULL && header_etag != NULL && strcmp (etag, header_etag) != 0)
    {
      g_autofree char *shown_header = describe_text (headers->etag);
      g_autofree char *shown_body = describe_text (etag);

      add_problem (problems, _("the ETag header %s and the body’s “etag” %s differ"), shown_header, shown_body);
    }
  else if (etag != NULL && header_etag != NULL)
    response->etag = g_steal_pointer (&header_etag);

  response->public_url = g_strdup (url);
  response->document_status = g_strdup (status);
}

static const char *const health_ok[] = { "ok", NULL };

static void
check_health (GkPortalResponse *response,
              GPtrArray        *problems)
{
  JsonObject *object = json_node_get_object (response->body);
  JsonNode *api = json_object_get_member (object, "api");
  gint64 value = 0;

  want_one_of (object, "status", "status", health_ok, problems);
  if (!node_int (api, &value) || value != 1)
    member_problem (problems, "api", api, "1");
  want_int (object, "max_file_bytes", "max_file_bytes", 1, &response->max_file_bytes, problems);
}

/* GET /documents: {"items": [{id, revision, etag, status, updated_at}],
 * "next": "CURSOR" | null}, ordered by id. */
static void
check_listing (const GkPortalRequestInfo *request,
               GkPortalResponse          *response,
               GPtrArray                 *problems)
{
  JsonObject *object = json_node_get_object (response->body);
  JsonNode *items = json_object_get_member (object, "items");
  JsonNode *next = json_object_get_member (object, "next");
  guint limit = request->limit > 0 ? MIN (request->limit, MAX_LIST_LIMIT) : MAX_LIST_LIMIT;

  if (next == NULL || !(JSON_NODE_HOLDS_NULL (next) ||
                        (node_string (next) != NULL && *node_string (next) != '\0' &&
                         text_is_printable (node_string (next)))))
    member_problem (problems, "next", next, _("a cursor (a non-empty string) or null"));
  else if (!JSON_NODE_HOLDS_NULL (next))
    response->next = g_strdup (node_string (next));

  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items))
    {
      member_problem (problems, "items", items, _("an array"));
      return;
    }
  {
    JsonArray *array = json_node_get_array (items);
    guint n = json_array_get_length (array);
    const char *previous = NULL;

    if (n > limit)
      {
        add_problem (problems, _("“items” holds %u entries, more than the %u asked for"), n, limit);
        return;
      }
    for (guint i = 0; i < n && problems->len < MAX_PROBLEMS; i++)
      {
        JsonNode *element = json_array_get_element (array, i);
        g_autofree char *prefix = g_strdup_printf ("items[%u]", i);
        g_autofree char *id_name = g_strdup_printf ("items[%u].id", i);
        g_autofree char *revision_name = g_strdup_printf ("items[%u].revision", i);
        g_autofree char *etag_name = g_strdup_printf ("items[%u].etag", i);
        g_autofree char *status_name = g_strdup_printf ("items[%u].status", i);
        g_autofree char *updated_name = g_strdup_printf ("items[%u].updated_at", i);
        GkPortalListed *listed;
        JsonObject *entry;
        JsonNode *id_node;
        JsonNode *etag_node;
        const char *id;
        const char *etag;
        const char *status;
        const char *updated_at;
        gint64 revision = 0;
        guint before = problems->len;

        if (!JSON_NODE_HOLDS_OBJECT (element))
          {
            member_problem (problems, prefix, element, _("an object"));
            continue;
          }
        entry = json_node_get_object (element);
        id_node = json_object_get_member (entry, "id");
        id = node_string (id_node);
        if (!gk_uuid_is_valid (id))
          member_problem (problems, id_name, id_node, _("a document id (a lowercase UUID)"));
        else if (previous != NULL && strcmp (previous, id) >= 0)
          {
            g_autofree char *shown = describe_node (id_node);

            add_problem (problems, _("“%s” %s is out of order (the listing is ordered by id, each id once)"),
                         id_name, shown);
          }
        want_int (entry, "revision", revision_name, 1, &revision, problems);
        etag_node = json_object_get_member (entry, "etag");
        etag = node_string (etag_node);
        if (!gk_portal_etag_is_valid (etag))
          member_problem (problems, etag_name, etag_node,
                          _("an entity tag (1 to 256 visible ASCII characters, no double quote)"));
        status = want_one_of (entry, "status", status_name, document_status, problems);
        updated_at = want_text (entry, "updated_at", updated_name, problems);
        if (problems->len > before)
          continue;

        listed = g_new0 (GkPortalListed, 1);
        listed->id = g_strdup (id);
        listed->revision = revision;
        listed->etag = g_strdup (etag);
        listed->status = g_strdup (status);
        listed->updated_at = g_strdup (updated_at);
        g_ptr_array_add (response->listed, listed);
        previous = listed->id;
      }
  }
}

static char *
join_problems (GPtrArray *problems)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < problems->len && i < MAX_PROBLEMS; i++)
    {
      if (i > 0)
        g_string_append (text, _("; "));
      g_string_append (text, g_ptr_array_index (problems, i));
    }
  if (problems->len > MAX_PROBLEMS)
    g_string_append_printf (text, _("; and %u more"), problems->len - MAX_PROBLEMS);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* public API */

/**
 * gk_portal_etag_is_valid:
 * @etag: (nullable): a bare entity tag
 *
 * Returns: %TRUE for 1–256 characters of %x21 / %x23–7E (RFC 9110's
 *   etagc without obs-text)
 */
gboolean
gk_portal_etag_is_valid (const char *etag)
{
  gsize n = 0;

  if (etag == NULL || *etag == '\0')
    return FALSE;
  for (const guchar *p = (const guchar *) etag; *p != '\0'; p++, n++)
    if (*p < 0x21 || *p == '"' || *p > 0x7e || n >= MAX_ETAG_CHARS)
      return FALSE;
  return TRUE;
}

/**
 * gk_portal_request_describe:
 * @request: what was asked
 *
 * Returns: (transfer full): "PUT /documents/{id}" and the like
 */
char *
gk_portal_request_describe (const GkPortalRequestInfo *request)
{
  const char *id = request->document_id != NULL && gk_uuid_is_valid (request->document_id)
                   ? request->document_id : "{id}";

  switch (request->kind)
    {
    case GK_PORTAL_REQUEST_HEALTH:
      return g_strdup ("GET /health");
    case GK_PORTAL_REQUEST_HEAD_FILE:
      return g_strdup ("HEAD /files/{sha256}");
    case GK_PORTAL_REQUEST_PUT_FILE:
      return g_strdup ("PUT /files/{sha256}");
    case GK_PORTAL_REQUEST_PUT_DOCUMENT:
      return g_strdup_printf ("PUT /documents/%s", id);
    case GK_PORTAL_REQUEST_GET_DOCUMENT:
      return g_strdup_printf ("GET /documents/%s", id);
    case GK_PORTAL_REQUEST_DELETE_DOCUMENT:
      return g_strdup_printf ("DELETE /documents/%s", id);
    case GK_PORTAL_REQUEST_LIST_DOCUMENTS:
    default:
      return g_strdup ("GET /documents");
    }
}

/**
 * gk_portal_reply_parse:
 * @request: what was asked
 * @status: the answer's HTTP status
 * @headers: (nullable): its headers that matter
 * @body: (nullable) (array length=body_len): its body
 * @body_len: the body's length in bytes
 * @error: the error location
 *
 * Reads one answer of the portal and checks it against portal-api.md.
 *
 * Returns: (transfer full) (nullable): the response, or %NULL with
 *   %GK_ERROR_DAMAGED naming what breaks the contract
 */
GkPortalResponse *
gk_portal_reply_parse (const GkPortalRequestInfo  *request,
                       guint                       status,
                       const GkPortalReplyHeaders *headers,
                       const guint8               *body,
                       gsize                       body_len,
                       GError                    **error)
{
  static const GkPortalReplyHeaders no_headers = { NULL, NULL, NULL };
  g_autoptr(GkPortalResponse) response = gk_portal_response_new (GK_PORTAL_OK, status);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *why = NULL;
  const char *allowed = NULL;
  gboolean expect_json;

  g_return_val_if_fail (request != NULL, NULL);
  if (headers == NULL)
    headers = &no_headers;
  if (body_len > GK_PORTAL_REPLY_MAX_BYTES)
    {
      add_problem (problems, _("the body is larger than %u bytes"), GK_PORTAL_REPLY_MAX_BYTES);
      body_len = 0;
    }

  response->retry_after_ms = parse_retry_after (headers->retry_after);

  if (problems->len == 0 && status >= 300 && status < 400)
    {
      response->outcome = GK_PORTAL_FATAL;
      response->message = g_strdup_printf (_("The portal answered with a redirect (HTTP %u). Set the "
                                             "portal address to the final address of its API."),
                                           status);
      return g_steal_pointer (&response);
    }
  if (problems->len == 0 && status >= 400 && status < 600)
    {
      /* An error answer needs no body, and one from a proxy may not be
       * JSON: read what there is. */
      if (body_len > 0)
        response->body = parse_json (body, body_len, &why);
      classify_error_status (request, response);
      return g_steal_pointer (&response);
    }

  if (problems->len == 0 && !status_allowed (request->kind, status, &allowed))
    add_problem (problems, _("HTTP %u is not an answer this request can get (expected %s)"), status, allowed);

  expect_json = request->kind == GK_PORTAL_REQUEST_HEALTH || request->kind == GK_PORTAL_REQUEST_PUT_DOCUMENT ||
                request->kind == GK_PORTAL_REQUEST_GET_DOCUMENT ||
                request->kind == GK_PORTAL_REQUEST_LIST_DOCUMENTS;
  if (problems->len == 0 && expect_json)
    {
      if (!content_type_is_json (headers->content_type))
        {
          if (headers->content_type == NULL)
            add_problem (problems, _("the Content-Type header is missing (it should be application/json)"));
          else
            {
              g_autofree char *shown = describe_text (headers->content_type);

              add_problem (problems, _("the Content-Type is %s, not application/json"), shown);
            }
        }
      response->body = parse_json (body, body_len, &why);
      if (response->body == NULL)
        add_problem (problems, "%s", why);
      else if (!JSON_NODE_HOLDS_OBJECT (response->body))
        add_problem (problems, _("the body is not a JSON object"));
      else
        switch (request->kind)
          {
          case GK_PORTAL_REQUEST_HEALTH:
            check_health (response, problems);
            break;
          case GK_PORTAL_REQUEST_PUT_DOCUMENT:
          case GK_PORTAL_REQUEST_GET_DOCUMENT:
            check_document (request, headers, response, problems);
            break;
          case GK_PORTAL_REQUEST_LIST_DOCUMENTS:
          default:
            check_listing (request, response, problems);
            break;
          }
    }

  if (problems->len > 0)
    {
      g_autofree char *what = gk_portal_request_describe (request);
      g_autofree char *list = join_problems (problems);

      g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                   _("The portal’s answer to %s does not follow the portal API: %s."), what, list);
      return NULL;
    }
  response->outcome = GK_PORTAL_OK;
  return g_steal_pointer (&response);
}

/**
 * gk_portal_response_new:
 * @outcome: what the answer means
 * @status: its HTTP status, or 0
 *
 * Returns: (transfer full): an empty response
 */
GkPortalResponse *
gk_portal_response_new (GkPortalOutcome outcome,
                        guint           status)
{
  GkPortalResponse *response = g_new0 (GkPortalResponse, 1);

  response->outcome = outcome;
  response->status = status;
  response->retry_after_ms = -1;
  response->fields = g_ptr_array_new_with_free_func (problem_free);
  response->listed = g_ptr_array_new_with_free_func (listed_free);
  return response;
}

/**
 * gk_portal_response_free:
 * @response: (nullable): a response
 */
void
gk_portal_response_free (GkPortalResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->etag);
  g_clear_pointer (&response->body, json_node_unref);
  g_free (response->error_code);
  g_free (response->message);
  g_clear_pointer (&response->fields, g_ptr_array_unref);
  g_free (response->id);
  g_free (response->public_url);
  g_free (response->document_status);
  g_free (response->updated_at);
  g_clear_pointer (&response->listed, g_ptr_array_unref);
  g_free (response->next);
  g_free (response);
}

/**
 * gk_portal_outcome_to_string:
 * @outcome: an outcome
 *
 * Returns: a short name for logs and tests
 */
const char *
gk_portal_outcome_to_string (GkPortalOutcome outcome)
{
  switch (outcome)
    {
    case GK_PORTAL_OK:
      return "ok";
    case GK_PORTAL_NOT_FOUND:
      return "not_found";
    case GK_PORTAL_CONFLICT:
      return "conflict";
    case GK_PORTAL_REFUSED:
      return "refused";
    case GK_PORTAL_AUTH:
      return "auth";
    case GK_PORTAL_TRANSIENT:
      return "transient";
    case GK_PORTAL_FATAL:
    default:
      return "fatal";
    }
}

/**
 * gk_portal_response_fields_json:
 * @response: a response
 *
 * Returns: (transfer full): `[{"field", "problem"}, …]`
 */
JsonNode *
gk_portal_response_fields_json (const GkPortalResponse *response)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; response->fields != NULL && i < response->fields->len; i++)
    {
      GkPortalProblem *problem = g_ptr_array_index (response->fields, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "field", problem->field);
      json_object_set_string_member (object, "problem", problem->problem);
      json_array_add_object_element (array, object);
    }
  json_node_take_array (node, array);
  return node;
}

/**
 * gk_portal_response_describe:
 * @response: a response
 *
 * Returns: (transfer full): what happened, as a sentence for the user
 */
char *
gk_portal_response_describe (const GkPortalResponse *response)
{
  g_autoptr(GString) fields = g_string_new (NULL);
  const char *message = response->message != NULL ? response->message : "";

  for (guint i = 0; response->fields != NULL && i < response->fields->len; i++)
    {
      GkPortalProblem *problem = g_ptr_array_index (response->fields, i);

      g_string_append_printf (fields, "%s%s: %s", fields->len > 0 ? "; " : "",
                              problem->field, problem->problem);
    }

  switch (response->outcome)
    {
    case GK_PORTAL_OK:
      return g_strdup_printf (_("The portal answered HTTP %u."), response->status);
    case GK_PORTAL_NOT_FOUND:
      return g_strdup_printf (_("The portal does not have it (HTTP %u)."), response->status);
    case GK_PORTAL_CONFLICT:
      return g_strdup_printf (_("The portal’s copy was changed by someone else since the last sync "
                                "(HTTP %u: %s). A person must decide which copy to keep."),
                              response->status, message);
    case GK_PORTAL_AUTH:
      return g_strdup_printf (_("The portal refused the token (HTTP %u: %s). Check the token, or ask "
                                "the portal’s administrator for one that may publish."),
                              response->status, message);
    case GK_PORTAL_REFUSED:
      if (fields->len > 0)
        return g_strdup_printf (_("The portal refused it (HTTP %u %s): %s — %s"), response->status,
                                response->error_code ? response->error_code : "", message, fields->str);
      return g_strdup_printf (_("The portal refused it (HTTP %u %s): %s"), response->status,
                              response->error_code ? response->error_code : "", message);
    case GK_PORTAL_TRANSIENT:
      if (response->status != 0 && !response->broken)
        return g_strdup_printf (_("The portal is unavailable for now (HTTP %u): %s"),
                                response->status, message);
      return g_strdup (message);
    case GK_PORTAL_FATAL:
    default:
      return g_strdup (message);
    }
}
