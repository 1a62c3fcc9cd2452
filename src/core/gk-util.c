/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkUtil"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gk-util.h"

/* GK_ERROR is an extended error domain: its errors carry a GkErrorDetail. */
typedef struct
{
  GkErrorDetail detail;
  char         *field; /* the record field(s) concerned, by key */
} GkErrorPrivate;

static void
gk_error_private_init (GkErrorPrivate *priv)
{
  priv->detail = GK_ERROR_DETAIL_NONE;
  priv->field = NULL;
}

static void
gk_error_private_copy (const GkErrorPrivate *src,
                       GkErrorPrivate       *dest)
{
  dest->detail = src->detail;
  dest->field = g_strdup (src->field);
}

static void
gk_error_private_clear (GkErrorPrivate *priv)
{
  priv->detail = GK_ERROR_DETAIL_NONE;
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (GkError, gk_error)

/**
 * gk_error_get_detail:
 * @error: (nullable): an error
 *
 * Returns: the kind of refusal of a %GK_ERROR error, %GK_ERROR_DETAIL_NONE
 *   for other errors or when none was given
 */
GkErrorDetail
gk_error_get_detail (const GError *error)
{
  if (error == NULL || error->domain != GK_ERROR)
    return GK_ERROR_DETAIL_NONE;
  return gk_error_get_private (error)->detail;
}

/**
 * gk_error_set_detail:
 * @error: a %GK_ERROR error
 * @detail: what kind of refusal it is
 */
void
gk_error_set_detail (GError       *error,
                     GkErrorDetail detail)
{
  g_return_if_fail (error != NULL && error->domain == GK_ERROR);

  gk_error_get_private (error)->detail = detail;
}

/* What gk_set_error_field() and gk_set_error_detail() share. */
static void
propagate_new (GError      **error,
               int           code,
               GkErrorDetail detail,
               const char   *field,
               const char   *format,
               va_list       args)
{
  GError *new_error;

  if (error == NULL)
    return;
  new_error = g_error_new_valist (GK_ERROR, code, format, args);
  gk_error_set_detail (new_error, detail);
  gk_error_set_field (new_error, field);
  g_propagate_error (error, new_error);
}

/**
 * gk_error_get_field:
 * @error: (nullable): an error
 *
 * Returns: (nullable): the key of the record field a %GK_ERROR error is
 *   about ("effective_until"; several: "title, issuer"), or %NULL
 */
const char *
gk_error_get_field (const GError *error)
{
  if (error == NULL || error->domain != GK_ERROR)
    return NULL;
  return gk_error_get_private (error)->field;
}

/**
 * gk_error_set_field:
 * @error: a %GK_ERROR error
 * @field: (nullable): the key of the field it is about
 */
void
gk_error_set_field (GError *error, const char *field)
{
  GkErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == GK_ERROR);

  priv = gk_error_get_private (error);
  g_free (priv->field);
  priv->field = g_strdup (field);
}

/**
 * gk_set_error_field:
 * @error: (nullable): return location for an error
 * @code: a #GkError code
 * @field: the key of the record field concerned
 * @format: printf()-style format of the message (in the user's words:
 *   the field's label, never its key)
 *
 * Like g_set_error() in the %GK_ERROR domain, naming the field: the
 * command line shows its key, the window marks its row.
 */
void
gk_set_error_field (GError **error, int code, const char *field, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  propagate_new (error, code, GK_ERROR_DETAIL_NONE, field, format, args);
  va_end (args);
}

/**
 * gk_set_error_detail:
 * @error: (nullable): return location for an error
 * @code: a #GkError code
 * @detail: what kind of refusal it is
 * @format: printf()-style format of the message
 *
 * Like g_set_error() in the %GK_ERROR domain, with a detail.
 */
void
gk_set_error_detail (GError       **error,
                     int            code,
                     GkErrorDetail  detail,
                     const char    *format,
                     ...)
{
  va_list args;

  va_start (args, format);
  propagate_new (error, code, detail, NULL, format, args);
  va_end (args);
}

/**
 * gk_error_exit_status:
 * @error: an error from the core
 *
 * Returns: the gongkai-ctl exit status for @error (see DESIGN.md).
 */
int
gk_error_exit_status (const GError *error)
{
  if (error == NULL)
    return 0;
  if (error->domain != GK_ERROR)
    return 1;
  switch ((GkError) error->code)
    {
    case GK_ERROR_INVALID:
      return 2;
    case GK_ERROR_REFUSED:
    case GK_ERROR_PERMISSION:
    case GK_ERROR_CONFLICT:
      return 3;
    case GK_ERROR_NOT_FOUND:
      return 4;
    case GK_ERROR_FAILED:
    case GK_ERROR_NEWER_SCHEMA:
    case GK_ERROR_UNSUPPORTED:
    case GK_ERROR_PASSWORD:
    case GK_ERROR_DAMAGED:
    case GK_ERROR_CANCELLED:
    default:
      return 1;
    }
}

/**
 * gk_uuid_new:
 *
 * Returns: a random (version 4) UUID in lowercase canonical form.
 */
char *
gk_uuid_new (void)
{
  return g_uuid_string_random ();
}

/**
 * gk_uuid_is_valid:
 * @text: (nullable): a string
 *
 * Returns: %TRUE if @text is a UUID in lowercase canonical 8-4-4-4-12 form.
 */
gboolean
gk_uuid_is_valid (const char *text)
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
      else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
        return FALSE;
    }
  return TRUE;
}

/**
 * gk_sha256_file:
 * @path: a file
 * @cancellable: (nullable): a #GCancellable
 * @out_size: (out) (optional): the number of bytes read
 * @error: return location for an error
 *
 * Streams the file through SHA-256.
 *
 * Returns: (transfer full): the lowercase hex digest, or %NULL on error
 */
char *
gk_sha256_file (const char   *path,
                GCancellable *cancellable,
                goffset      *out_size,
                GError      **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buffer = g_malloc (64 * 1024);
  goffset total = 0;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, 64 * 1024,
                                      cancellable, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_checksum_update (checksum, buffer, n);
      total += n;
    }

  if (out_size != NULL)
    *out_size = total;
  return g_strdup (g_checksum_get_string (checksum));
}

/**
 * gk_date_parse:
 * @iso: (nullable): a YYYY-MM-DD date
 *
 * Returns: (transfer full) (nullable): the date, or %NULL if @iso is not a
 *   real calendar date in that exact form
 */
GDate *
gk_date_parse (const char *iso)
{
  guint y, m, d;

  if (iso == NULL || strlen (iso) != 10 || iso[4] != '-' || iso[7] != '-')
    return NULL;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (iso[i]))
      return NULL;

  y = (guint) g_ascii_strtoull (iso, NULL, 10);
  m = (guint) g_ascii_strtoull (iso + 5, NULL, 10);
  d = (guint) g_ascii_strtoull (iso + 8, NULL, 10);
  if (y < 1900 || y > 9999 || !g_date_valid_dmy (d, m, y))
    return NULL;
  return g_date_new_dmy (d, m, y);
}

/**
 * gk_date_is_valid:
 * @text: (nullable): a string
 *
 * Returns: %TRUE if @text is a real date written YYYY-MM-DD
 */
gboolean
gk_date_is_valid (const char *text)
{
  GDate *date = gk_date_parse (text);

  if (date == NULL)
    return FALSE;
  g_date_free (date);
  return TRUE;
}

/**
 * gk_date_format:
 * @date: a valid date
 *
 * Returns: (transfer full): @date as YYYY-MM-DD
 */
char *
gk_date_format (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u",
                          g_date_get_year (date),
                          g_date_get_month (date),
                          g_date_get_day (date));
}

/**
 * gk_date_today:
 *
 * Returns: (transfer full): today's local date as YYYY-MM-DD, or, in a
 *   build with test hooks (-Dtest_hooks, config.h GK_TEST_HOOKS), the
 *   value of $GONGKAI_TODAY when it holds a valid date
 */
char *
gk_date_today (void)
{
  /* The tests' clock; an installed release ignores it, so that nobody's
   * deadlines can be moved by an environment variable. */
  const char *pinned = GK_TEST_HOOKS ? g_getenv ("GONGKAI_TODAY") : NULL;
  g_autoptr(GDateTime) now = NULL;

  if (gk_date_is_valid (pinned))
    return g_strdup (pinned);

  now = g_date_time_new_now_local ();
  return g_date_time_format (now, "%Y-%m-%d");
}

/**
 * gk_timestamp_now:
 *
 * Returns: (transfer full): the current UTC time, ISO 8601 with milliseconds
 */
char *
gk_timestamp_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *base = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (now) / 1000);
}

/**
 * gk_url_is_http:
 * @text: (nullable): a string
 *
 * Returns: %TRUE if @text is an absolute http or https URL with a host
 */
gboolean
gk_url_is_http (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (text == NULL || *text == '\0')
    return FALSE;
  /* No white space and no control character: such an address is shown
   * and handed to a browser, and must read as what it opens. */
  for (const char *p = text; *p; p++)
    if (g_ascii_isspace (*p) || (guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (scheme == NULL || host == NULL || *host == '\0')
    return FALSE;
  return g_ascii_strcasecmp (scheme, "http") == 0 ||
         g_ascii_strcasecmp (scheme, "https") == 0;
}

/**
 * gk_utf8_check:
 * @text: (nullable): text from outside the program
 * @length: its length in bytes, or -1 when it ends with a NUL
 * @what: (nullable): what the text is, for the message ("Title (title)")
 * @error: return location for a %GK_ERROR_INVALID error
 *
 * %NULL is valid (no text).  With @length >= 0, a NUL byte inside the
 * text is refused: no field can hold one.
 *
 * Returns: %TRUE if @text is valid UTF-8
 */
gboolean
gk_utf8_check (const char *text,
               gssize      length,
               const char *what,
               GError    **error)
{
  const char *end = NULL;

  if (text == NULL || g_utf8_validate (text, length, &end))
    return TRUE;
  g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
               /* Translators: %s is the field, e.g. "Title (title)"; %d a byte offset */
               _("%s: not valid UTF-8 text (an invalid byte sequence at byte %d)"),
               what ? what : _("Text"), (int) (end - text));
  return FALSE;
}

/**
 * gk_utf8_sanitize:
 * @text: (nullable): text that may not be valid UTF-8
 * @length: its length in bytes, or -1 when it ends with a NUL
 *
 * Returns: (transfer full) (nullable): a valid copy of @text, each invalid
 *   byte sequence and each NUL byte replaced by U+FFFD; %NULL for %NULL
 */
char *
gk_utf8_sanitize (const char *text,
                  gssize      length)
{
  if (text == NULL)
    return NULL;
  if (g_utf8_validate (text, length, NULL))
    return length < 0 ? g_strdup (text) : g_strndup (text, (gsize) length);
  /* g_utf8_make_valid() replaces NUL bytes too when given a length. */
  return g_utf8_make_valid (text, length < 0 ? (gssize) strlen (text) : length);
}

/**
 * gk_parse_seconds:
 * @text: (nullable): a setting's value
 * @minimum: the least allowed
 * @maximum: the most allowed
 * @out: (out) (optional): the number
 *
 * Returns: %TRUE if @text is a whole number from @minimum to @maximum
 */
gboolean
gk_parse_seconds (const char *text,
                  guint       minimum,
                  guint       maximum,
                  guint      *out)
{
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, minimum, maximum, &value, NULL))
    return FALSE;
  if (out != NULL)
    *out = (guint) value;
  return TRUE;
}

/**
 * gk_utf8_length:
 * @text: (nullable): UTF-8 text
 *
 * Returns: the number of characters of @text (0 for %NULL)
 */
glong
gk_utf8_length (const char *text)
{
  return text ? g_utf8_strlen (text, -1) : 0;
}

/**
 * gk_str_is_blank:
 * @text: (nullable): a string
 *
 * Returns: %TRUE if @text is %NULL, empty or only white space (including
 *   the full-width space U+3000)
 */
gboolean
gk_str_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (!g_unichar_isspace (c) && c != 0x3000)
        return FALSE;
    }
  return TRUE;
}

/**
 * gk_strdup_or_null:
 * @text: (nullable): a string
 *
 * Returns: (transfer full) (nullable): a trimmed copy of @text, or %NULL
 *   when it is blank
 */
char *
gk_strdup_or_null (const char *text)
{
  char *copy;

  if (gk_str_is_blank (text))
    return NULL;
  copy = g_strstrip (g_strdup (text));
  return copy;
}

/**
 * gk_strv_from_list:
 * @text: (nullable): a list written as text
 *
 * Splits on , ， 、 ； ; and newlines; trims; drops blanks and repeats.
 *
 * Returns: (transfer full): a %NULL-terminated array, maybe empty
 */
GStrv
gk_strv_from_list (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) current = g_string_new (NULL);
  const char *p = text ? text : "";

  for (;;)
    {
      gunichar c = g_utf8_get_char (p);
      gboolean sep = c == 0 || c == ',' || c == ';' || c == '\n' ||
                     c == 0xFF0C /* ， */ || c == 0x3001 /* 、 */ || c == 0xFF1B /* ； */;

      if (sep)
        {
          g_autofree char *item = gk_strdup_or_null (current->str);

          if (item != NULL && !g_hash_table_contains (seen, item))
            {
              g_strv_builder_add (builder, item);
              g_hash_table_add (seen, g_steal_pointer (&item));
            }
          g_string_truncate (current, 0);
          if (c == 0)
            break;
        }
      else
        g_string_append_unichar (current, c);
      p = g_utf8_next_char (p);
    }
  return g_strv_builder_end (builder);
}

/**
 * gk_strv_equal0:
 * @a: (nullable): a string array
 * @b: (nullable): a string array
 *
 * Returns: %TRUE if both hold the same strings in the same order; %NULL
 *   equals an empty array
 */
gboolean
gk_strv_equal0 (const char *const *a,
                const char *const *b)
{
  guint na = a ? g_strv_length ((GStrv) a) : 0;
  guint nb = b ? g_strv_length ((GStrv) b) : 0;

  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    if (g_strcmp0 (a[i], b[i]) != 0)
      return FALSE;
  return TRUE;
}

/**
 * gk_mask_number:
 * @digits: (nullable): a number as found in a text
 *
 * Keeps the first 3 (4 for 15+ characters) and the last 4 characters and
 * stars the rest, so that a finding can be shown and logged without the
 * number itself.
 *
 * Returns: (transfer full): the masked text
 */
char *
gk_mask_number (const char *digits)
{
  g_autoptr(GString) out = g_string_new (NULL);
  glong len = gk_utf8_length (digits);
  glong head, tail;
  glong i = 0;

  if (len == 0)
    return g_strdup ("");
  head = len >= 15 ? 4 : 3;
  tail = 4;
  if (len <= head + tail)
    {
      head = len > 4 ? 2 : 0;
      tail = len > 4 ? 2 : 0;
    }

  for (const char *p = digits; *p; p = g_utf8_next_char (p), i++)
    {
      if (i < head || i >= len - tail)
        g_string_append_unichar (out, g_utf8_get_char (p));
      else
        g_string_append_c (out, '*');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * gk_default_user:
 *
 * Returns: the acting user when none is given: $GONGKAI_USER, else the OS
 *   account name
 */
const char *
gk_default_user (void)
{
  const char *env = g_getenv ("GONGKAI_USER");

  if (env != NULL && *env != '\0')
    return env;
  return g_get_user_name ();
}

/**
 * gk_default_library_path:
 *
 * Returns: (transfer full): $GONGKAI_LIBRARY, else
 *   $XDG_DATA_HOME/gongkai/library
 */
char *
gk_default_library_path (void)
{
  const char *env = g_getenv ("GONGKAI_LIBRARY");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "gongkai", "library", NULL);
}

/**
 * gk_main_context_dispatch:
 * @context: (nullable): the main context to run @func on (%NULL: the
 *   global default)
 * @priority: the source priority
 * @func: called once, on @context's thread
 * @data: data for @func
 * @notify: (nullable): frees @data after @func ran (or the source died)
 */
void
gk_main_context_dispatch (GMainContext  *context,
                          int            priority,
                          GSourceFunc    func,
                          gpointer       data,
                          GDestroyNotify notify)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, priority);
  g_source_set_callback (source, func, data, notify);
  g_source_attach (source, context);
  g_source_unref (source);
}

/**
 * gk_json_to_string:
 * @node: a JSON node
 * @pretty: indent for people
 *
 * Returns: (transfer full): @node serialised, keys in the order built
 */
char *
gk_json_to_string (JsonNode *node,
                   gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  /* json-glib copies the bytes of strings as they are: should one ever
   * hold invalid UTF-8, the document would not parse.  Replacing the bad
   * bytes (they can only be inside strings) keeps it JSON. */
  if (!g_utf8_validate (text, (gssize) length, NULL))
    {
      char *valid = gk_utf8_sanitize (text, (gssize) length);

      g_free (text);
      text = valid;
    }
  return text;
}

/**
 * gk_format_byte_limit:
 * @bytes: a limit in bytes
 *
 * Returns: (transfer full): "100 MB" for 100 × 1024 × 1024 bytes (limits
 *   are set in binary units: shown as 104.9 MB they look arbitrary),
 *   "512 KB", else g_format_size()'s words
 */
char *
gk_format_byte_limit (guint64 bytes)
{
  const guint64 kb = 1024, mb = 1024 * 1024, gb = 1024 * 1024 * 1024;

  if (bytes >= gb && bytes % gb == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " GB", bytes / gb);
  if (bytes >= mb && bytes % mb == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " MB", bytes / mb);
  if (bytes >= kb && bytes % kb == 0 && bytes < mb)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " KB", bytes / kb);
  return g_format_size (bytes);
}
