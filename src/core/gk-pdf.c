/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkPdf"

#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>
#include <stdio.h>
#include <string.h>

#include "gk-pdf.h"
#include "gk-util.h"

/**
 * gk_pdf_text_free:
 * @text: (nullable): extracted text
 */
void
gk_pdf_text_free (GkPdfText *text)
{
  if (text == NULL)
    return;
  g_strfreev (text->pages);
  g_free (text->title);
  g_free (text);
}

/**
 * gk_pdf_sniff:
 * @path: a file
 *
 * Returns: %TRUE if "%PDF-" appears in the first 1024 bytes, as readers
 *   accept it
 */
gboolean
gk_pdf_sniff (const char *path)
{
  char buffer[1024];
  gsize n = 0;
  FILE *file = fopen (path, "rb");

  if (file == NULL)
    return FALSE;
  n = fread (buffer, 1, sizeof buffer, file);
  fclose (file);
  for (gsize i = 0; i + 5 <= n; i++)
    if (memcmp (buffer + i, "%PDF-", 5) == 0)
      return TRUE;
  return FALSE;
}

/* Poppler sometimes yields text that is not valid UTF-8 from broken font
 * maps; the store and JSON need valid text. */
static char *
clean_text (const char *text)
{
  if (text == NULL)
    return g_strdup ("");
  return g_utf8_make_valid (text, -1);
}

/**
 * gk_pdf_extract:
 * @path: a PDF file
 * @password: (nullable): its user password
 * @cancellable: (nullable): checked between pages
 * @error: return location for an error
 *
 * Returns: (transfer full): the text of every page, or %NULL with
 *   %GK_ERROR_PASSWORD, %GK_ERROR_DAMAGED or %GK_ERROR_CANCELLED
 */
GkPdfText *
gk_pdf_extract (const char   *path,
                const char   *password,
                GCancellable *cancellable,
                GError      **error)
{
  g_autoptr(GkPdfText) result = g_new0 (GkPdfText, 1);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PopplerDocument) document = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int n_pages;

  /* A GFile avoids building a URI by hand: names with spaces, brackets
   * and Chinese characters work. */
  document = poppler_document_new_from_gfile (file, password, cancellable, &local_error);
  if (document == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error_literal (error, GK_ERROR, GK_ERROR_CANCELLED, _("Cancelled"));
      else if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        g_set_error_literal (error, GK_ERROR, GK_ERROR_PASSWORD,
                             password ? _("Wrong password for this encrypted PDF")
                                      : _("Password required: the PDF is encrypted"));
      else
        g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                     _("The PDF is damaged and cannot be read (%s)"),
                     local_error ? local_error->message : _("unknown error"));
      return NULL;
    }

  n_pages = poppler_document_get_n_pages (document);
  if (n_pages <= 0)
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_DAMAGED,
                           _("The PDF has no pages"));
      return NULL;
    }

  result->first_page_ok = TRUE;
  for (int i = 0; i < n_pages; i++)
    {
      g_autoptr(PopplerPage) page = NULL;
      g_autofree char *raw = NULL;
      g_autofree char *text = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (error, GK_ERROR, GK_ERROR_CANCELLED, _("Cancelled"));
          return NULL;
        }

      page = poppler_document_get_page (document, i);
      if (page != NULL)
        raw = poppler_page_get_text (page);
      if (page == NULL && i == 0)
        result->first_page_ok = FALSE;

      text = clean_text (raw);
      if (!gk_str_is_blank (text))
        result->has_text = TRUE;
      g_strv_builder_add (builder, text);
    }

  result->pages = g_strv_builder_end (builder);
  result->n_pages = (guint) n_pages;
  result->title = gk_strdup_or_null (poppler_document_get_title (document));
  return g_steal_pointer (&result);
}
