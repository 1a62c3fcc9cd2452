/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkSettings"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "gk-item.h"
#include "gk-portal-client.h"
#include "gk-settings.h"
#include "gk-store.h"
#include "gk-store-sync.h"
#include "gk-util.h"

static const struct
{
  const char *key;
  const char *default_value;
} settings[] = {
  { "org_code", "000000000" },
  { "agency_name", NULL },
  { "index_template", "{org_code}/{year}-{seq:05}" },
  { "review_stages", "2" },
  { "portal_url", NULL },
  { "portal_ca_file", NULL },
  { "sensitive_words", NULL },
  { "sync_request_timeout", G_STRINGIFY (GK_SYNC_REQUEST_TIMEOUT_DEFAULT_S) },
  { "sync_batch_timeout", G_STRINGIFY (GK_SYNC_BATCH_TIMEOUT_DEFAULT_S) },
};

static const char *keys[G_N_ELEMENTS (settings) + 1];

#define MAX_AGENCY_NAME_CHARS 200 /* the issuer field's bound */
#define MAX_WORD_CHARS        100
#define MAX_WORDS             10000

/* helpers */

static gboolean
set_problem (GError    **error,
             const char *key,
             const char *problem)
{
  /* Translators: a setting's name, then what is wrong with its value */
  g_set_error (error, GK_ERROR, GK_ERROR_INVALID, _("%s: %s"), key, problem);
  return FALSE;
}

/* A value quoted in a message: valid UTF-8, on one line. */
static char *
shown_value (const char *value)
{
  g_autofree char *valid = gk_utf8_sanitize (value ? value : "", -1);
  GString *out = g_string_new (NULL);

  for (const char *p = valid; *p; p++)
    {
      if (*p == '\n')
        g_string_append (out, "\\n");
      else if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\x%02x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* One line of text: control characters would garble the places it is
 * shown (a title bar, a reply letter). */
static gboolean
check_one_line (const char *key,
                const char *value,
                glong       max_chars,
                GError    **error)
{
  for (const char *p = value; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return set_problem (error, key, _("contains a control character (such as a line break)"));
  if (gk_utf8_length (value) > max_chars)
    {
      g_autofree char *problem = g_strdup_printf (_("too long (at most %d characters)"), (int) max_chars);
      return set_problem (error, key, problem);
    }
  return TRUE;
}

static int
code_value (char c)
{
  if (g_ascii_isdigit (c))
    return c - '0';
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 10;
  return -1;
}

/* GB 11714: 8 digits or capital letters and a check character. */
static gboolean
org9_is_valid (const char *body,
               char        check)
{
  static const int weights[] = { 3, 7, 9, 10, 5, 8, 4, 2 };
  int sum = 0, c9;

  for (guint i = 0; i < 8; i++)
    {
      int v = code_value (body[i]);

      if (v < 0)
        return FALSE;
      sum += v * weights[i];
    }
  c9 = 11 - sum % 11;
  if (c9 == 11)
    return check == '0';
  if (c9 == 10)
    return check == 'X';
  return check == '0' + c9;
}

/* GB 32100: 17 characters of the code set and a check character. */
static gboolean
credit_code_is_valid (const char *code)
{
  static const char charset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int weights[] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
  int sum = 0;

  for (guint i = 0; i < 18; i++)
    if (code[i] == '\0' || strchr (charset, code[i]) == NULL)
      return FALSE;
  for (guint i = 0; i < 17; i++)
    sum += (int) (strchr (charset, code[i]) - charset) * weights[i];
  return code[17] == charset[(31 - sum % 31) % 31];
}

static gboolean
looks_like_code (const char *code)
{
  for (const char *p = code; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'A' && *p <= 'Z') && *p != '-')
      return FALSE;
  return TRUE;
}

/* The 索引号 the template makes must be one the record accepts. */
static gboolean
check_index_numbers (const char *key,
                     const char *template_text,
                     const char *org_code,
                     GError    **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GkItem) scratch = NULL;
  g_autofree char *sample = NULL;

  sample = gk_store_expand_index_template (template_text, org_code, 2024, 1, &local);
  if (sample == NULL)
    return set_problem (error, key, local->message);
  scratch = gk_item_new ();
  if (!gk_item_set_field (scratch, "index_no", sample, &local))
    {
      g_autofree char *shown = shown_value (sample);
      g_autofree char *problem =
        g_strdup_printf (_("it makes 索引号 such as “%s”, which the record does not accept (%s)"),
                         shown, local->message);
      return set_problem (error, key, problem);
    }
  return TRUE;
}

static gboolean
check_sensitive_words (const char *key,
                       const char *value,
                       GError    **error)
{
  g_auto(GStrv) words = gk_strv_from_list (value);
  guint n = g_strv_length (words);

  if (n > MAX_WORDS)
    {
      g_autofree char *problem = g_strdup_printf (_("too many words (at most %d)"), MAX_WORDS);
      return set_problem (error, key, problem);
    }
  for (guint i = 0; i < n; i++)
    {
      for (const char *p = words[i]; *p; p = g_utf8_next_char (p))
        if (g_unichar_iscntrl (g_utf8_get_char (p)))
          return set_problem (error, key, _("a word contains a control character (write one word per line)"));
      if (gk_utf8_length (words[i]) > MAX_WORD_CHARS)
        {
          g_autofree char *problem =
            g_strdup_printf (_("“%s” is too long for a sensitive word (at most %d characters)"),
                             words[i], MAX_WORD_CHARS);
          return set_problem (error, key, problem);
        }
    }
  return TRUE;
}

/* The portal client loads the file with the same call. */
static gboolean
check_ca_file (const char *key,
               const char *value,
               GError    **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GTlsDatabase) database = NULL;

  if (!g_path_is_absolute (value))
    return set_problem (error, key, _("give the full path of the file (it starts with “/”)"));
  database = g_tls_file_database_new (value, &local);
  if (database == NULL)
    {
      g_autofree char *problem = g_strdup_printf (_("%s cannot be used as a CA file: %s"),
                                                  value, local->message);
      return set_problem (error, key, problem);
    }
  return TRUE;
}

/* public */

/**
 * gk_setting_keys:
 *
 * Returns: (transfer none): every setting's name, %NULL-terminated
 */
const char *const *
gk_setting_keys (void)
{
  if (keys[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
      keys[i] = settings[i].key;
  return keys;
}

/**
 * gk_setting_default:
 * @key: a setting name
 *
 * Returns: (nullable): the value the setting has while it is unset
 */
const char *
gk_setting_default (const char *key)
{
  for (guint i = 0; key != NULL && i < G_N_ELEMENTS (settings); i++)
    if (strcmp (settings[i].key, key) == 0)
      return settings[i].default_value;
  return NULL;
}

/**
 * gk_setting_check_key:
 * @key: (nullable): a setting name
 * @error: return location for a %GK_ERROR_INVALID error
 *
 * Returns: %TRUE if @key names a setting
 */
gboolean
gk_setting_check_key (const char *key,
                      GError    **error)
{
  g_autofree char *shown = NULL;
  g_autofree char *known = NULL;

  if (gk_str_is_blank (key) || strlen (key) > 64)
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID, _("A setting needs a name."));
      return FALSE;
    }
  shown = gk_utf8_sanitize (key, -1);
  for (const char *p = key; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_' && *p != '.')
      {
        g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                     _("“%s” is not a valid setting name (use lowercase letters, digits and “_”)."), shown);
        return FALSE;
      }
  if (strstr (key, "token") != NULL || strstr (key, "password") != NULL || strstr (key, "secret") != NULL)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("“%s” cannot be stored in the library: tokens and passwords go to the keyring or a token file, never into the library."),
                   key);
      return FALSE;
    }
  if (g_strv_contains (gk_setting_keys (), key))
    return TRUE;
  known = g_strjoinv (", ", (GStrv) gk_setting_keys ());
  g_set_error (error, GK_ERROR, GK_ERROR_INVALID, _("“%s” is not a setting (settings: %s)."), key, known);
  return FALSE;
}

/**
 * gk_org_code_check:
 * @code: (nullable): an organisation code
 * @error: return location for a %GK_ERROR_INVALID error naming org_code
 *
 * The 前段码 of a 索引号 is the agency's 组织机构代码, 9 characters
 * (written with or without the hyphen before the check character), or
 * its 18-character 统一社会信用代码.  The check character catches typing
 * errors, which would otherwise be in every 索引号 for good.
 *
 * Returns: %TRUE if @code is one of them
 */
gboolean
gk_org_code_check (const char *code,
                   GError    **error)
{
  gsize len = code ? strlen (code) : 0;
  gboolean known_form = FALSE, valid = FALSE;

  if (code != NULL && g_utf8_validate (code, -1, NULL) && looks_like_code (code))
    {
      if (len == 9 && strchr (code, '-') == NULL)
        {
          known_form = TRUE;
          valid = org9_is_valid (code, code[8]);
        }
      else if (len == 10 && code[8] == '-' && strchr (code, '-') == code + 8)
        {
          known_form = TRUE;
          valid = org9_is_valid (code, code[9]);
        }
      else if (len == 18 && strchr (code, '-') == NULL)
        {
          known_form = TRUE;
          valid = credit_code_is_valid (code);
        }
    }
  if (valid)
    return TRUE;

  if (known_form)
    {
      g_autofree char *problem =
        g_strdup_printf (_("the check character of “%s” does not match the code (a typing error?)"), code);
      return set_problem (error, "org_code", problem);
    }
  {
    g_autofree char *shown = shown_value (code);
    g_autofree char *problem =
      g_strdup_printf (_("“%s” is not an organisation code: write the 9-character 组织机构代码 "
                         "(such as 000014349 or 00001434-9) or the 18-character 统一社会信用代码 "
                         "(such as 11500107709320298K), in capital letters"),
                       shown);
    return set_problem (error, "org_code", problem);
  }
}

/**
 * gk_setting_check:
 * @key: a setting name
 * @value: (nullable): its new value; blank goes back to the default
 * @org_code: (nullable): the library's org_code (%NULL: the default)
 * @index_template: (nullable): the library's index_template (%NULL: the
 *   default)
 * @flags: what is allowed besides the strict rules
 * @error: return location for a %GK_ERROR_INVALID error naming @key
 *
 * Each setting is checked with the rule of the code that uses it: the
 * portal address with the sync's gk_portal_check_url(), the CA file by
 * loading it as the portal client does, the 索引号 template by making a
 * number with it and putting it in a record, the sensitive words by
 * splitting them as the screening does.
 *
 * Returns: %TRUE if @value may be stored
 */
gboolean
gk_setting_check (const char    *key,
                  const char    *value,
                  const char    *org_code,
                  const char    *index_template,
                  GkSettingFlags flags,
                  GError       **error)
{
  if (!gk_setting_check_key (key, error) || !gk_utf8_check (value, -1, key, error))
    return FALSE;
  if (gk_str_is_blank (value))
    return TRUE;
  if (org_code == NULL)
    org_code = gk_setting_default ("org_code");
  if (index_template == NULL)
    index_template = gk_setting_default ("index_template");

  if (strcmp (key, "org_code") == 0)
    return gk_org_code_check (value, error) &&
           check_index_numbers (key, index_template, value, error);
  if (strcmp (key, "index_template") == 0)
    return check_index_numbers (key, value, org_code, error);
  if (strcmp (key, "agency_name") == 0)
    return check_one_line (key, value, MAX_AGENCY_NAME_CHARS, error);
  if (strcmp (key, "review_stages") == 0)
    {
      if (strcmp (value, "1") == 0 || strcmp (value, "2") == 0)
        return TRUE;
      g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID,
                           _("review_stages must be 1 (release sign-off only) or 2 (confidentiality review, then release sign-off)."));
      return FALSE;
    }
  if (strcmp (key, "portal_url") == 0)
    {
      g_autoptr(GError) local = NULL;

      if (!gk_portal_check_url (value, (flags & GK_SETTING_ALLOW_INSECURE) != 0, &local))
        return set_problem (error, key, local->message);
      return TRUE;
    }
  if (strcmp (key, "portal_ca_file") == 0)
    return check_ca_file (key, value, error);
  if (strcmp (key, "sensitive_words") == 0)
    return check_sensitive_words (key, value, error);
  if (strcmp (key, "sync_request_timeout") == 0)
    {
      if (gk_parse_seconds (value, 1, GK_SYNC_REQUEST_TIMEOUT_MAX_S, NULL))
        return TRUE;
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("sync_request_timeout must be a whole number of seconds from 1 to %u: the "
                     "longest one request to the portal may take."),
                   GK_SYNC_REQUEST_TIMEOUT_MAX_S);
      return FALSE;
    }
  if (strcmp (key, "sync_batch_timeout") == 0)
    {
      if (gk_parse_seconds (value, 1, GK_SYNC_BATCH_TIMEOUT_MAX_S, NULL))
        return TRUE;
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("sync_batch_timeout must be a whole number of seconds from 1 to %u: the "
                     "longest one sync run may take."),
                   GK_SYNC_BATCH_TIMEOUT_MAX_S);
      return FALSE;
    }
  g_return_val_if_reached (FALSE);
}
