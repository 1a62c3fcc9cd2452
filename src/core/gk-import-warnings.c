/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkImportWarnings"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-import-warnings.h"
#include "gk-item.h"

/* A damaged file must not import as a blank record that looks like any
 * other draft: whatever could not be read is said at import, kept with
 * the item, and shown to whoever reviews it. */

static const char *const core_fields[] = { "title", "doc_number", "issuer", "written_date", NULL };

typedef enum
{
  PAGE_TEXT_OK,
  PAGE_TEXT_EMPTY,   /* nothing, or a few digits and dashes (a page number) */
  PAGE_TEXT_GARBAGE, /* characters, but not words: fonts without a character map */
} PageText;

/**
 * gk_import_core_fields:
 *
 * Returns: (transfer none): title, doc_number, issuer, written_date
 */
const char *const *
gk_import_core_fields (void)
{
  return core_fields;
}

static gboolean
is_bad_char (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return c == 0xfffd || type == G_UNICODE_PRIVATE_USE || type == G_UNICODE_UNASSIGNED ||
         type == G_UNICODE_SURROGATE || type == G_UNICODE_CONTROL;
}

/* A 公文 page that reads has Chinese words (or, for a foreign document,
 * enough Latin letters); text made mostly of replacement, private-use or
 * control characters, or of letters of unrelated scripts (character
 * codes taken for Unicode), is what a font without a character map
 * gives. */
static PageText
classify_page_text (const char *text)
{
  guint total = 0, han = 0, letters = 0, bad = 0;

  for (const char *p = text ? text : ""; *p;)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          total++;
          bad++;
          p++;
          continue;
        }
      p = g_utf8_next_char (p);
      if (g_unichar_isspace (c) || c == 0x3000 || c == 0xfeff ||
          g_unichar_type (c) == G_UNICODE_FORMAT)
        continue;
      total++;
      if (g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN)
        han++;
      else if (g_unichar_isalpha (c) && g_unichar_get_script (c) == G_UNICODE_SCRIPT_LATIN)
        letters++;
      else if (is_bad_char (c) ||
               (g_unichar_isalpha (c) && g_unichar_get_script (c) != G_UNICODE_SCRIPT_COMMON &&
                g_unichar_get_script (c) != G_UNICODE_SCRIPT_INHERITED))
        bad++;
    }
  if (total == 0 || (han == 0 && letters == 0 && bad == 0 && total <= 8))
    return PAGE_TEXT_EMPTY;
  if (bad * 2 >= total)
    return PAGE_TEXT_GARBAGE;
  if (han >= 2 || letters >= 20)
    return PAGE_TEXT_OK;
  return PAGE_TEXT_GARBAGE;
}

static guint
page_errors (const GkPdfText *text,
             guint            page)
{
  return text->page_errors != NULL && page < text->n_pages ? text->page_errors[page] : 0;
}

/**
 * gk_import_can_detect:
 * @text: extracted text
 *
 * Returns: %TRUE if page 1 has text that field detection can read
 */
gboolean
gk_import_can_detect (const GkPdfText *text)
{
  return text != NULL && text->has_text && text->first_page_ok && text->n_pages > 0 &&
         classify_page_text (text->pages[0]) == PAGE_TEXT_OK;
}

static JsonObject *
warning_new (const char *code)
{
  JsonObject *warning = json_object_new ();

  json_object_set_string_member (warning, "code", code);
  return warning;
}

static void
add_warning (JsonArray  *warnings,
             JsonObject *warning)
{
  g_autofree char *message = gk_import_warning_to_text (warning);

  json_object_set_string_member (warning, "message", message);
  json_array_add_object_element (warnings, warning);
}

/**
 * gk_import_warnings_check:
 * @text: extracted text
 * @detected: (nullable): the detected fields, if detection ran
 *
 * Returns: (transfer full): the warnings, in the order they matter
 */
JsonArray *
gk_import_warnings_check (const GkPdfText  *text,
                          const GkDetected *detected)
{
  JsonArray *warnings = json_array_new ();
  gboolean   page_one_damaged = FALSE;

  g_return_val_if_fail (text != NULL, warnings);

  /* A scan has no text anywhere, shows an image and reads without
   * errors; a page whose content cannot be parsed is damaged, and one
   * that shows nothing is not a scan either. */
  if (!text->has_text && page_errors (text, 0) == 0 &&
      (text->first_page_images || !text->first_page_ok))
    add_warning (warnings, warning_new ("needs_ocr"));
  else
    {
      PageText    kind = text->n_pages > 0 ? classify_page_text (text->pages[0]) : PAGE_TEXT_EMPTY;
      const char *reason = NULL;

      if (!text->first_page_ok)
        reason = "missing";
      else if (kind != PAGE_TEXT_OK && page_errors (text, 0) > 0)
        reason = "damaged";
      else if (kind == PAGE_TEXT_EMPTY && !text->has_text)
        reason = "blank";
      else if (kind == PAGE_TEXT_EMPTY)
        reason = "empty";
      else if (kind == PAGE_TEXT_GARBAGE)
        reason = "garbage";
      if (reason != NULL)
        {
          JsonObject *warning = warning_new ("page_unreadable");

          json_object_set_int_member (warning, "page", 1);
          json_object_set_string_member (warning, "reason", reason);
          json_object_set_int_member (warning, "reader_errors", page_errors (text, 0));
          add_warning (warnings, warning);
          page_one_damaged = g_str_equal (reason, "damaged");
        }
    }

  if (text->open_errors > 0)
    {
      JsonObject *warning = warning_new ("damaged_file");

      json_object_set_int_member (warning, "reader_errors", text->open_errors);
      add_warning (warnings, warning);
    }

  {
    JsonArray *pages = json_array_new ();
    guint      n_errors = 0;

    for (guint i = page_one_damaged ? 1 : 0; i < text->n_pages; i++)
      if (page_errors (text, i) > 0)
        {
          json_array_add_int_element (pages, i + 1);
          n_errors += page_errors (text, i);
        }
    if (json_array_get_length (pages) > 0)
      {
        JsonObject *warning = warning_new ("reader_errors");

        json_object_set_array_member (warning, "pages", pages);
        json_object_set_int_member (warning, "reader_errors", n_errors);
        add_warning (warnings, warning);
      }
    else
      json_array_unref (pages);
  }

  if (detected != NULL)
    {
      const char *values[] = { detected->title, detected->doc_number, detected->issuer,
                               detected->written_date };
      JsonArray  *missing = json_array_new ();

      G_STATIC_ASSERT (G_N_ELEMENTS (values) + 1 == G_N_ELEMENTS (core_fields));
      for (guint i = 0; i < G_N_ELEMENTS (values); i++)
        if (values[i] == NULL)
          json_array_add_string_element (missing, core_fields[i]);
      if (json_array_get_length (missing) == G_N_ELEMENTS (values))
        {
          add_warning (warnings, warning_new ("no_fields"));
          json_array_unref (missing);
        }
      else if (json_array_get_length (missing) > 0)
        {
          JsonObject *warning = warning_new ("fields_missing");

          json_object_set_array_member (warning, "fields", missing);
          add_warning (warnings, warning);
        }
      else
        json_array_unref (missing);
    }
  return warnings;
}

/**
 * gk_import_warning_same_doc_number:
 * @item_id: the other item
 * @doc_number: the 文号 both have
 *
 * Returns: (transfer full): the warning, with its message
 */
JsonObject *
gk_import_warning_same_doc_number (const char *item_id,
                                   const char *doc_number)
{
  JsonObject *warning = warning_new ("same_doc_number");
  g_autofree char *message = NULL;

  json_object_set_string_member (warning, "item", item_id);
  json_object_set_string_member (warning, "doc_number", doc_number);
  message = gk_import_warning_to_text (warning);
  json_object_set_string_member (warning, "message", message);
  return warning;
}

/**
 * gk_import_warnings_flags:
 * @warnings: (nullable): warnings
 *
 * Returns: the #GkItemFlags they call for
 */
guint
gk_import_warnings_flags (JsonArray *warnings)
{
  guint flags = 0;

  for (guint i = 0; warnings != NULL && i < json_array_get_length (warnings); i++)
    {
      JsonObject *w = json_array_get_object_element (warnings, i);
      const char *code = w ? json_object_get_string_member_with_default (w, "code", "") : "";

      if (g_str_equal (code, "needs_ocr"))
        flags |= GK_ITEM_FLAG_NEEDS_OCR;
      else if (g_str_equal (code, "page_unreadable") || g_str_equal (code, "no_fields"))
        flags |= GK_ITEM_FLAG_NEEDS_ATTENTION;
    }
  return flags;
}

static char *
join_pages (JsonArray *pages)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; pages != NULL && i < json_array_get_length (pages); i++)
    {
      if (i > 0)
        g_string_append (text, _(", "));
      g_string_append_printf (text, "%" G_GINT64_FORMAT, json_array_get_int_element (pages, i));
    }
  return g_string_free (text, FALSE);
}

static char *
join_field_labels (JsonArray *fields)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
    {
      const char *name = json_array_get_string_element (fields, i);
      const char *label = name ? gk_item_field_label (name) : NULL;

      if (text->len > 0)
        g_string_append (text, _(", "));
      g_string_append (text, label ? label : name ? name : "?");
    }
  return g_string_free (text, FALSE);
}

static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/**
 * gk_import_warning_to_text:
 * @warning: a warning
 *
 * Returns: (transfer full) (nullable): its text in the current language
 */
char *
gk_import_warning_to_text (JsonObject *warning)
{
  const char *code;
  guint       n_errors;

  if (warning == NULL)
    return NULL;
  code = json_object_get_string_member_with_default (warning, "code", "");
  n_errors = (guint) CLAMP (json_object_get_int_member_with_default (warning, "reader_errors", 0),
                            0, G_MAXINT);

  if (g_str_equal (code, "needs_ocr"))
    return g_strdup (_("The PDF has no text layer (a scan?): it needs OCR. "
                       "No fields were guessed; fill them in by hand."));
  if (g_str_equal (code, "page_unreadable"))
    {
      const char *reason = json_object_get_string_member_with_default (warning, "reason", "");

      if (g_str_equal (reason, "damaged"))
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "The first page could not be read: its content is "
                                             "damaged (the PDF reader reported %u error). No "
                                             "fields were guessed; check the document and fill "
                                             "in the record.",
                                             "The first page could not be read: its content is "
                                             "damaged (the PDF reader reported %u errors). No "
                                             "fields were guessed; check the document and fill "
                                             "in the record.",
                                             n_errors),
                                n_errors);
      if (g_str_equal (reason, "empty"))
        return g_strdup (_("The first page has no text, although the document has: it may be "
                           "scanned, blank or damaged. No fields were guessed; check the "
                           "document and fill in the record."));
      if (g_str_equal (reason, "blank"))
        return g_strdup (_("The document has no text and its first page shows no image: it is "
                           "blank, its text is drawn as outlines, or its content is damaged. No "
                           "fields were guessed; check the document and fill in the record."));
      if (g_str_equal (reason, "garbage"))
        return g_strdup (_("The text of the first page cannot be decoded: it reads as "
                           "gibberish. No fields were guessed; check the document and fill in "
                           "the record."));
      return g_strdup (_("The first page could not be read: no fields were guessed. "
                         "Please check the document and fill in the record."));
    }
  if (g_str_equal (code, "damaged_file"))
    return g_strdup (_("The PDF is damaged: the reader had to repair it to open it, so text may "
                       "be missing; the record and the screening may be incomplete."));
  if (g_str_equal (code, "reader_errors"))
    {
      JsonArray       *pages = array_member (warning, "pages");
      g_autofree char *listed = join_pages (pages);
      guint            n_pages = pages ? json_array_get_length (pages) : 0;

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The PDF reader reported errors on page %s: text may "
                                           "be missing there, so the record and the screening "
                                           "may be incomplete.",
                                           "The PDF reader reported errors on pages %s: text may "
                                           "be missing there, so the record and the screening "
                                           "may be incomplete.",
                                           n_pages),
                              listed);
    }
  if (g_str_equal (code, "no_fields"))
    return g_strdup (_("None of the title, document number, issuer and date written could be "
                       "read from the text: fill in the record by hand."));
  if (g_str_equal (code, "fields_missing"))
    {
      JsonArray       *fields = array_member (warning, "fields");
      g_autofree char *listed = join_field_labels (fields);
      guint            n_fields = fields ? json_array_get_length (fields) : 0;

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Not found in the text: %s. Check the document and "
                                           "fill it in.",
                                           "Not found in the text: %s. Check the document and "
                                           "fill them in.",
                                           n_fields),
                              listed);
    }
  if (g_str_equal (code, "same_doc_number"))
    {
      const char      *item = json_object_get_string_member_with_default (warning, "item", "");
      g_autofree char *short_id = g_strndup (item, 8);

      return g_strdup_printf (_("Another item (%s) has the same document number %s: "
                                "it may be the same document in another file."),
                              short_id,
                              json_object_get_string_member_with_default (warning, "doc_number",
                                                                          ""));
    }
  return NULL;
}

/**
 * gk_import_warnings_to_text:
 * @warnings: (nullable): warnings
 *
 * Returns: (transfer full) (nullable): their texts joined, or %NULL
 */
char *
gk_import_warnings_to_text (JsonArray *warnings)
{
  GString *text = NULL;

  for (guint i = 0; warnings != NULL && i < json_array_get_length (warnings); i++)
    {
      g_autofree char *one = gk_import_warning_to_text (json_array_get_object_element (warnings, i));

      if (one == NULL)
        continue;
      if (text == NULL)
        text = g_string_new (one);
      else
        g_string_append_printf (text, " %s", one);
    }
  return text ? g_string_free (text, FALSE) : NULL;
}

/**
 * gk_import_warnings_from_detected_json:
 * @detected_json: (nullable): an item's detected values
 *
 * Returns: (transfer full) (nullable): the warnings kept there
 */
JsonArray *
gk_import_warnings_from_detected_json (const char *detected_json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *warnings;

  if (detected_json == NULL || !json_parser_load_from_data (parser, detected_json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  warnings = array_member (json_node_get_object (root), "warnings");
  if (warnings == NULL || json_array_get_length (warnings) == 0)
    return NULL;
  return json_array_ref (warnings);
}
