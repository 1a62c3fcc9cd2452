/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <poppler.h>
#include "gk-types.h"

G_BEGIN_DECLS

/* poppler-glib 22.12 (Debian 12) has no autoptr cleanups of its own. */
#if !POPPLER_CHECK_VERSION (23, 0, 0)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)
#endif

/* Text extraction with poppler, page by page.  Poppler access to one
 * document is never shared between threads. */

typedef struct
{
  GStrv    pages;          /* text of each page, NULL-terminated */
  guint    n_pages;
  gboolean has_text;       /* FALSE: image-only, needs OCR */
  gboolean first_page_ok;  /* FALSE: page 1 could not be read */
  char    *title;          /* document info title, if any */
  guint   *page_errors;    /* n_pages counts: syntax errors poppler reported
                            * while reading each page's content (its text
                            * may be incomplete or missing) */
  guint    open_errors;    /* syntax errors while opening the file (repaired) */
  gboolean first_page_images; /* page 1 draws an image (a scan); only looked
                               * for when page 1 has no text */
} GkPdfText;

void       gk_pdf_text_free   (GkPdfText *text);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkPdfText, gk_pdf_text_free)

/* TRUE if the file starts like a PDF (%PDF- within the first 1024 bytes). */
gboolean   gk_pdf_sniff       (const char *path);

/* Extract the text of every page.  Errors: GK_ERROR_PASSWORD (encrypted,
 * no or wrong password), GK_ERROR_DAMAGED (poppler cannot open it),
 * GK_ERROR_CANCELLED. */
GkPdfText *gk_pdf_extract     (const char   *path,
                               const char   *password,
                               GCancellable *cancellable,
                               GError      **error);

/* Like gk_pdf_extract(), but in a separate process (gongkai-extract) with
 * a time and memory limit, so that a hostile PDF that crashes or hangs
 * poppler costs that one file, never the program.  Reads in process
 * only when $GONGKAI_EXTRACT_IN_PROCESS is 1. */
GkPdfText *gk_pdf_extract_isolated (const char   *path,
                                    const char   *password,
                                    GCancellable *cancellable,
                                    GError      **error);

/* For gongkai-extract: the result (or the error) as JSON text. */
char      *gk_pdf_text_to_json     (const GkPdfText *text,
                                    const GError    *error);


G_END_DECLS
