/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPortal"

#include "config.h"

#include <math.h>
#include <string.h>

#include "gkp-record.h"

/* Records are a few levels deep; the limit keeps hostile nesting away
 * from json-glib's recursive parser. */
#define MAX_JSON_DEPTH 32

#define MAX_INDEX_NO_CHARS 64
#define MAX_TITLE_CHARS    500
#define MAX_LIST_ITEMS     50
#define MAX_LIST_ITEM_CHARS 50

typedef struct
{
  const char *p;
  const char *end;
  guint       depth;
  const char *problem;
} Scanner;

static const char *const validity_statuses[] = {
  "valid", "expired", "repealed", "not_applicable", NULL,
};

static const char *const categories[] = {
  "policy_document", "normative_document", "interpretation", "decision",
  "enforcement", "finance", "emergency_plan", "report", "other", NULL,
};

static gboolean scan_value (Scanner *s);

static gboolean
fail (Scanner    *s,
      const char *problem)
{
  if (s->problem == NULL)
    s->problem = problem;
  return FALSE;
}

static void
skip_space (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
scan_literal (Scanner    *s,
              const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return fail (s, "unexpected characters");
  s->p += len;
  return TRUE;
}

static int
scan_hex4 (Scanner *s)
{
  int value = 0;

  if (s->end - s->p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (s->p[i]);
      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  s->p += 4;
  return value;
}

static gboolean
scan_string (Scanner *s)
{
  s->p++; /* the opening quote */
  while (s->p < s->end)
    {
      guchar c = (guchar) *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return fail (s, "control character in a string");
      if (c != '\\')
        {
          s->p++;
          continue;
        }
      s->p++;
      if (s->p >= s->end)
        break;
      switch (*s->p)
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          s->p++;
          break;
        case 'u':
          {
            int cp;

            s->p++;
            cp = scan_hex4 (s);
            if (cp < 0)
              return fail (s, "bad \\u escape");
            if (cp == 0)
              return fail (s, "NUL character in a string");
            if (cp >= 0xDC00 && cp <= 0xDFFF)
              return fail (s, "unpaired surrogate in a string");
            if (cp >= 0xD800 && cp <= 0xDBFF)
              {
                int low;

                if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                  return fail (s, "unpaired surrogate in a string");
                s->p += 2;
                low = scan_hex4 (s);
                if (low < 0xDC00 || low > 0xDFFF)
                  return fail (s, "unpaired surrogate in a string");
              }
          }
          break;
        default:
          return fail (s, "bad escape in a string");
        }
    }
  return fail (s, "unterminated string");
}

static gboolean
scan_digits (Scanner *s)
{
  const char *start = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return s->p > start;
}

static gboolean
scan_number (Scanner *s)
{
  const char *start = s->p;
  gboolean integer = TRUE;

  if (*s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!scan_digits (s))
    return fail (s, "bad number");
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      integer = FALSE;
      if (!scan_digits (s))
        return fail (s, "bad number");
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      integer = FALSE;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return fail (s, "bad number");
    }
  if (integer)
    {
      /* json-glib would wrap integers beyond 64 bits silently. */
      g_autofree char *text = g_strndup (start, (gsize) (s->p - start));
      gint64 value;

      if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
        return fail (s, "integer out of range");
    }
  else
    {
      /* 1e999 would become infinity, which JSON cannot write back. */
      g_autofree char *text = g_strndup (start, (gsize) (s->p - start));

      if (!isfinite (g_ascii_strtod (text, NULL)))
        return fail (s, "number out of range");
    }
  return TRUE;
}

static gboolean
scan_container (Scanner *s,
                char     close)
{
  gboolean first = TRUE;

  if (++s->depth > MAX_JSON_DEPTH)
    return fail (s, "nested too deeply");
  s->p++;
  skip_space (s);
  if (s->p < s->end && *s->p == close)
    {
      s->p++;
      s->depth--;
      return TRUE;
    }
  for (;;)
    {
      if (!first)
        skip_space (s);
      first = FALSE;
      if (close == '}')
        {
          if (s->p >= s->end || *s->p != '"')
            return fail (s, "expected a member name");
          if (!scan_string (s))
            return FALSE;
          skip_space (s);
          if (s->p >= s->end || *s->p != ':')
            return fail (s, "expected ':'");
          s->p++;
          skip_space (s);
        }
      if (!scan_value (s))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end)
        return fail (s, "unexpected end");
      if (*s->p == close)
        {
          s->p++;
          s->depth--;
          return TRUE;
        }
      if (*s->p != ',')
        return fail (s, "expected ',' or the end of a list");
      s->p++;
      skip_space (s);
    }
}

static gboolean
scan_value (Scanner *s)
{
  if (s->p >= s->end)
    return fail (s, "unexpected end");
  switch (*s->p)
    {
    case '{':
      return scan_container (s, '}');
    case '[':
      return scan_container (s, ']');
    case '"':
      return scan_string (s);
    case 't':
      return scan_literal (s, "true");
    case 'f':
      return scan_literal (s, "false");
    case 'n':
      return scan_literal (s, "null");
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return scan_number (s);
      return fail (s, "unexpected characters");
    }
}

/**
 * gkp_problem_free:
 * @problem: (nullable): a problem
 *
 * Frees @problem.
 */
void
gkp_problem_free (GkpProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->field);
  g_free (problem->problem);
  g_free (problem);
}

/**
 * gkp_json_parse:
 * @data: (array length=len): the body
 * @len: its length
 * @error: return location for an error (the message says what is wrong)
 *
 * Parses strict RFC 8259 JSON: UTF-8, no comments, no trailing commas,
 * bounded nesting, no NUL characters or lone surrogates in strings and
 * integers that fit 64 bits, other numbers that fit a double.  json-glib
 * is laxer, so the text is checked first.
 *
 * Returns: (transfer full) (nullable): the root node
 */
JsonNode *
gkp_json_parse (const char *data,
                gsize       len,
                GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  Scanner s = { data, data + len, 0, NULL };

  if (!g_utf8_validate (data, (gssize) len, NULL))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "the body is not UTF-8");
      return NULL;
    }
  skip_space (&s);
  if (s.p >= s.end)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           "the body is empty");
      return NULL;
    }
  if (scan_value (&s))
    {
      skip_space (&s);
      if (s.p < s.end)
        fail (&s, "characters after the JSON value");
    }
  if (s.problem != NULL)
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                   "malformed JSON at byte %" G_GSIZE_FORMAT ": %s",
                   (gsize) (s.p - data), s.problem);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, error))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static char *
decode_member_name (const char *raw,
                    gsize       len)
{
  g_autofree char *wrapped = g_strdup_printf ("[%.*s]", (int) len, raw);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, wrapped, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return g_strdup (json_array_get_string_element (json_node_get_array (root), 0));
}

/**
 * gkp_json_object_with_members:
 * @text: a JSON object, already checked by gkp_json_parse()
 * @extra: members to add, replacing members of the same name
 *
 * Adds members to a JSON object without regenerating the rest of it, so
 * every other value comes back exactly as it was written (json-glib
 * would rewrite numbers such as 1e22).
 *
 * Returns: (transfer full): the new JSON text
 */
char *
gkp_json_object_with_members (const char *text,
                              JsonObject *extra)
{
  Scanner s = { text, text + strlen (text), 0, NULL };
  GString *out = g_string_new ("{");
  gboolean first = TRUE;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  skip_space (&s);
  if (s.p < s.end && *s.p == '{')
    {
      s.p++;
      skip_space (&s);
      while (s.p < s.end && *s.p == '"')
        {
          const char *key_start = s.p, *value_start;
          g_autofree char *key = NULL;

          if (!scan_string (&s))
            break;
          key = decode_member_name (key_start, (gsize) (s.p - key_start));
          skip_space (&s);
          if (s.p >= s.end || *s.p != ':')
            break;
          s.p++;
          skip_space (&s);
          value_start = s.p;
          if (!scan_value (&s))
            break;
          if (key != NULL && !json_object_has_member (extra, key))
            {
              if (!first)
                g_string_append_c (out, ',');
              first = FALSE;
              g_string_append_len (out, key_start, value_start - key_start);
              g_string_append_len (out, value_start, s.p - value_start);
            }
          skip_space (&s);
          if (s.p >= s.end || *s.p != ',')
            break;
          s.p++;
          skip_space (&s);
        }
    }

  json_object_iter_init (&iter, extra);
  while (json_object_iter_next (&iter, &name, &value))
    {
      g_autoptr(JsonNode) name_node = json_node_new (JSON_NODE_VALUE);
      g_autofree char *name_text = NULL;
      g_autofree char *value_text = NULL;

      json_node_set_string (name_node, name);
      name_text = json_to_string (name_node, FALSE);
      value_text = json_to_string (value, FALSE);
      g_string_append_printf (out, "%s%s:%s", first ? "" : ",", name_text, value_text);
      first = FALSE;
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/**
 * gkp_json_equal:
 * @a: a JSON value
 * @b: another
 *
 * Compares two parsed values: member order does not matter, types do
 * (1, 1.0, "1" and true all differ).
 *
 * Returns: whether @a and @b are the same JSON value
 */
gboolean
gkp_json_equal (JsonNode *a,
                JsonNode *b)
{
  if (json_node_get_node_type (a) != json_node_get_node_type (b))
    return FALSE;

  switch (json_node_get_node_type (a))
    {
    case JSON_NODE_NULL:
      return TRUE;

    case JSON_NODE_OBJECT:
      {
        JsonObject *oa = json_node_get_object (a);
        JsonObject *ob = json_node_get_object (b);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        if (json_object_get_size (oa) != json_object_get_size (ob))
          return FALSE;
        json_object_iter_init (&iter, oa);
        while (json_object_iter_next (&iter, &name, &member))
          {
            JsonNode *other = json_object_get_member (ob, name);
            if (other == NULL || !gkp_json_equal (member, other))
              return FALSE;
          }
        return TRUE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *aa = json_node_get_array (a);
        JsonArray *ab = json_node_get_array (b);
        guint n = json_array_get_length (aa);

        if (json_array_get_length (ab) != n)
          return FALSE;
        for (guint i = 0; i < n; i++)
          if (!gkp_json_equal (json_array_get_element (aa, i), json_array_get_element (ab, i)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (a);

        if (type != json_node_get_value_type (b))
          return FALSE;
        if (type == G_TYPE_INT64)
          return json_node_get_int (a) == json_node_get_int (b);
        if (type == G_TYPE_DOUBLE)
          return json_node_get_double (a) == json_node_get_double (b);
        if (type == G_TYPE_BOOLEAN)
          return json_node_get_boolean (a) == json_node_get_boolean (b);
        if (type == G_TYPE_STRING)
          return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
        return FALSE;
      }

    default:
      return FALSE;
    }
}

/**
 * gkp_is_canonical_uuid:
 * @text: (nullable): a string
 *
 * Returns: whether @text is a UUID in lowercase 8-4-4-4-12 form
 */
gboolean
gkp_is_canonical_uuid (const char *text)
{
  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      char c = text[i];

      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (c != '-')
            return FALSE;
        }
      else if (!g_ascii_isdigit (c) && !(c >= 'a' && c <= 'f'))
        return FALSE;
    }
  return TRUE;
}

/**
 * gkp_is_sha256_hex:
 * @text: (nullable): a string
 *
 * Returns: whether @text is 64 lowercase hex digits
 */
gboolean
gkp_is_sha256_hex (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

/**
 * gkp_is_date:
 * @text: (nullable): a string
 *
 * Returns: whether @text is a real calendar date written YYYY-MM-DD
 */
gboolean
gkp_is_date (const char *text)
{
  guint year, month, day;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  return year >= 1 && g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

static gboolean
is_http_url (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if (*p <= 0x20 || *p == 0x7f)
      return FALSE;
  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return FALSE;
  return g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

static gboolean
is_one_of (const char        *text,
           const char *const *allowed)
{
  return g_strv_contains (allowed, text);
}

static void
add_problem (GPtrArray  *problems,
             const char *field,
             const char *problem)
{
  GkpProblem *p = g_new0 (GkpProblem, 1);

  p->field = g_strdup (field);
  p->problem = g_strdup (problem);
  g_ptr_array_add (problems, p);
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* Returns the member's string, or NULL when it is absent, null (where
 * allowed) or blank; records a problem for any other type. */
static const char *
optional_string (JsonObject *object,
                 const char *member,
                 const char *field,
                 gboolean    nullable,
                 GPtrArray  *problems)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *text;

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (!nullable)
        add_problem (problems, field, "must not be null");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      add_problem (problems, field, "not a string");
      return NULL;
    }
  text = json_node_get_string (node);
  return is_blank (text) ? NULL : text;
}

static const char *
required_string (JsonObject *object,
                 const char *member,
                 const char *field,
                 GPtrArray  *problems)
{
  guint before = problems->len;
  const char *text = optional_string (object, member, field, FALSE, problems);

  if (text == NULL && problems->len == before)
    add_problem (problems, field, "required");
  return text;
}

static void
check_max_chars (const char *text,
                 const char *field,
                 glong       max,
                 GPtrArray  *problems)
{
  if (text != NULL && g_utf8_strlen (text, -1) > max)
    {
      g_autofree char *problem = g_strdup_printf ("longer than %ld characters", max);
      add_problem (problems, field, problem);
    }
}

static void
check_date (const char *text,
            const char *field,
            GPtrArray  *problems)
{
  if (text != NULL && !gkp_is_date (text))
    add_problem (problems, field, "not a date (YYYY-MM-DD)");
}

/* Returns the member's object, or NULL when absent; null and other
 * types are problems. */
static JsonObject *
optional_object (JsonObject *object,
                 const char *member,
                 const char *field,
                 GPtrArray  *problems)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      add_problem (problems, field,
                   JSON_NODE_HOLDS_NULL (node) ? "must not be null" : "not an object");
      return NULL;
    }
  return json_node_get_object (node);
}

static JsonArray *
optional_array (JsonObject *object,
                const char *member,
                const char *field,
                GPtrArray  *problems)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      add_problem (problems, field,
                   JSON_NODE_HOLDS_NULL (node) ? "must not be null" : "not a list");
      return NULL;
    }
  return json_node_get_array (node);
}

static void
check_string_list (JsonObject *record,
                   const char *member,
                   GPtrArray  *problems)
{
  JsonArray *array = optional_array (record, member, member, problems);

  if (array == NULL)
    return;
  if (json_array_get_length (array) > MAX_LIST_ITEMS)
    {
      g_autofree char *problem = g_strdup_printf ("more than %d items", MAX_LIST_ITEMS);
      add_problem (problems, member, problem);
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *field = g_strdup_printf ("%s[%u]", member, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        add_problem (problems, field, "not a string");
      else
        check_max_chars (json_node_get_string (item), field, MAX_LIST_ITEM_CHARS, problems);
    }
}

static void
check_document_id (const char *text,
                   const char *field,
                   const char *own_id,
                   GPtrArray  *problems)
{
  if (text == NULL)
    return;
  if (!gkp_is_canonical_uuid (text))
    add_problem (problems, field, "not a canonical lowercase UUID");
  else if (own_id != NULL && strcmp (text, own_id) == 0)
    add_problem (problems, field, "refers to the document itself");
}

/* Checks one file reference; returns its sha256 when it is well formed. */
static const char *
check_file_ref (JsonObject *file,
                const char *field,
                GPtrArray  *problems)
{
  g_autofree char *sha_field = g_strdup_printf ("%s.sha256", field);
  g_autofree char *type_field = g_strdup_printf ("%s.media_type", field);
  g_autofree char *name_field = g_strdup_printf ("%s.name", field);
  g_autofree char *bytes_field = g_strdup_printf ("%s.bytes", field);
  const char *sha256 = required_string (file, "sha256", sha_field, problems);
  JsonNode *bytes;

  optional_string (file, "media_type", type_field, FALSE, problems);
  optional_string (file, "name", name_field, FALSE, problems);
  bytes = json_object_get_member (file, "bytes");
  if (bytes != NULL &&
      (!JSON_NODE_HOLDS_VALUE (bytes) || json_node_get_value_type (bytes) != G_TYPE_INT64 ||
       json_node_get_int (bytes) < 0))
    add_problem (problems, bytes_field, "not an integer ≥ 0");

  if (sha256 != NULL && !gkp_is_sha256_hex (sha256))
    {
      add_problem (problems, sha_field, "not a lowercase hex SHA-256");
      return NULL;
    }
  return sha256;
}

/**
 * gkp_record_get_string:
 * @record: a record
 * @member: a member name
 *
 * Returns: (nullable): the member's string value, or %NULL when it is
 *   absent, null, blank or not a string
 */
const char *
gkp_record_get_string (JsonObject *record,
                       const char *member)
{
  JsonNode *node = json_object_get_member (record, member);
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  text = json_node_get_string (node);
  return is_blank (text) ? NULL : text;
}

/**
 * gkp_record_validate:
 * @record: the document record sent to PUT /documents/{id}
 * @url_id: the id in the URL
 * @has_file: tells whether a file is stored
 * @user_data: for @has_file
 * @problems: (element-type GkpProblem): receives what is wrong
 *
 * Applies the field rules of portal-api.md.  A record whose disclosure
 * is not "proactive" is NOT_PUBLIC whatever else is wrong with it; the
 * files are only looked up for an otherwise valid record.
 *
 * Returns: the verdict
 */
GkpRecordVerdict
gkp_record_validate (JsonObject     *record,
                     const char     *url_id,
                     GkpHasFileFunc  has_file,
                     gpointer        user_data,
                     GPtrArray      *problems)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) file_fields = g_ptr_array_new_with_free_func (g_free);
  const char *id, *text, *disclosure;
  JsonObject *validity, *file;
  JsonArray *array;
  JsonNode *node;
  guint n_invalid;

  /* Disclosure first: a record that is not public is refused as such. */
  disclosure = required_string (record, "disclosure", "disclosure", problems);
  if (disclosure != NULL && strcmp (disclosure, "proactive") != 0)
    {
      g_ptr_array_set_size (problems, 0);
      add_problem (problems, "disclosure", "not proactive (主动公开)");
      return GKP_RECORD_NOT_PUBLIC;
    }

  id = required_string (record, "id", "id", problems);
  if (id != NULL)
    {
      if (!gkp_is_canonical_uuid (id))
        add_problem (problems, "id", "not a canonical lowercase UUID");
      else if (g_strcmp0 (id, url_id) != 0)
        add_problem (problems, "id", "does not match the id in the URL");
    }
  else if (url_id != NULL && !gkp_is_canonical_uuid (url_id))
    add_problem (problems, "id", "the id in the URL is not a canonical lowercase UUID");

  text = required_string (record, "index_no", "index_no", problems);
  check_max_chars (text, "index_no", MAX_INDEX_NO_CHARS, problems);
  text = required_string (record, "title", "title", problems);
  check_max_chars (text, "title", MAX_TITLE_CHARS, problems);
  required_string (record, "issuer", "issuer", problems);
  check_date (required_string (record, "written_date", "written_date", problems),
              "written_date", problems);
  check_date (required_string (record, "publish_date", "publish_date", problems),
              "publish_date", problems);

  optional_string (record, "doc_number", "doc_number", TRUE, problems);
  optional_string (record, "genre", "genre", FALSE, problems);
  optional_string (record, "topic", "topic", FALSE, problems);
  optional_string (record, "summary", "summary", FALSE, problems);

  text = optional_string (record, "category", "category", FALSE, problems);
  if (text != NULL && !is_one_of (text, categories))
    add_problem (problems, "category", "not one of policy_document, normative_document, "
                 "interpretation, decision, enforcement, finance, emergency_plan, report, other");

  check_string_list (record, "tags", problems);
  check_string_list (record, "audience", problems);

  validity = optional_object (record, "validity", "validity", problems);
  if (validity != NULL)
    {
      text = required_string (validity, "status", "validity.status", problems);
      if (text != NULL && !is_one_of (text, validity_statuses))
        add_problem (problems, "validity.status",
                     "not one of valid, expired, repealed, not_applicable");
      check_date (optional_string (validity, "effective_from", "validity.effective_from",
                                   TRUE, problems),
                  "validity.effective_from", problems);
      check_date (optional_string (validity, "effective_until", "validity.effective_until",
                                   TRUE, problems),
                  "validity.effective_until", problems);
    }

  text = optional_string (record, "service_url", "service_url", TRUE, problems);
  if (text != NULL && !is_http_url (text))
    add_problem (problems, "service_url", "not an absolute http(s) URL");

  check_document_id (optional_string (record, "interprets", "interprets", TRUE, problems),
                     "interprets", id, problems);
  array = optional_array (record, "related", "related", problems);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *field = g_strdup_printf ("related[%u]", i);
      JsonNode *item = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        add_problem (problems, field, "not a string");
      else
        check_document_id (json_node_get_string (item), field, id, problems);
    }

  node = json_object_get_member (record, "revision");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    add_problem (problems, "revision", "required");
  else if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
           json_node_get_int (node) < 1)
    add_problem (problems, "revision", "not an integer ≥ 1");

  node = json_object_get_member (record, "file");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    add_problem (problems, "file", "required");
  else if ((file = optional_object (record, "file", "file", problems)) != NULL &&
           (text = check_file_ref (file, "file", problems)) != NULL)
    {
      g_ptr_array_add (files, g_strdup (text));
      g_ptr_array_add (file_fields, g_strdup ("file.sha256"));
    }

  array = optional_array (record, "attachments", "attachments", problems);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *field = g_strdup_printf ("attachments[%u]", i);
      JsonNode *item = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (item))
        add_problem (problems, field, "not an object");
      else if ((text = check_file_ref (json_node_get_object (item), field, problems)) != NULL)
        {
          g_ptr_array_add (files, g_strdup (text));
          g_ptr_array_add (file_fields, g_strdup_printf ("%s.sha256", field));
        }
    }

  if (problems->len > 0)
    return GKP_RECORD_INVALID;

  n_invalid = 0;
  for (guint i = 0; i < files->len; i++)
    if (!has_file (files->pdata[i], user_data))
      {
        add_problem (problems, file_fields->pdata[i], "not stored on the portal (PUT /files first)");
        n_invalid++;
      }
  return n_invalid > 0 ? GKP_RECORD_FILE_MISSING : GKP_RECORD_VALID;
}
