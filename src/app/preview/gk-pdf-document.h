/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk/gdk.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* A PDF opened for the preview.  Every poppler call on it runs on the
 * document's own worker (a thread pool of one: poppler access to one
 * document is serialised, as in Papers' job scheduler), ordered by
 * priority; results come back to the caller's main context as GTask
 * results.  Immutable requests in, GdkTextures and rectangles out: the
 * main thread never touches poppler. */

#define GK_TYPE_PDF_DOCUMENT (gk_pdf_document_get_type ())
G_DECLARE_FINAL_TYPE (GkPdfDocument, gk_pdf_document, GK, PDF_DOCUMENT, GObject)

/* Lower runs first. */
typedef enum
{
  GK_PDF_PRIORITY_VISIBLE   = 0,
  GK_PDF_PRIORITY_NEARBY    = 1,
  GK_PDF_PRIORITY_THUMBNAIL = 2,
  GK_PDF_PRIORITY_TEXT      = 3,
} GkPdfPriority;

/* A rectangle on a page, in points from the page's top-left corner. */
typedef struct
{
  int    page;     /* 0-based */
  int    tag;      /* the caller's index (which finding, which match) */
  double x;
  double y;
  double width;
  double height;
} GkPdfRect;

/* A run of characters in a page's text (poppler_page_get_text()). */
typedef struct
{
  int page;        /* 0-based */
  int offset;      /* characters */
  int length;      /* characters */
  int tag;
} GkPdfSpan;

/* Matches of one chunk of pages, as they are found (main context). */
typedef void (*GkPdfFindFunc) (GkPdfDocument *document,
                               const GArray  *rects,
                               guint          pages_done,
                               gpointer       user_data);

/* Errors: G_IO_ERROR_CANCELLED, POPPLER_ERROR_ENCRYPTED (password needed or
 * wrong), or another poppler error when the file cannot be read. */
void           gk_pdf_document_load_async        (const char          *path,
                                                  const char          *password,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GkPdfDocument *gk_pdf_document_load_finish       (GAsyncResult        *result,
                                                  GError             **error);

const char    *gk_pdf_document_get_path          (GkPdfDocument       *self);
guint          gk_pdf_document_get_n_pages       (GkPdfDocument       *self);
/* Page size in points; 0 × 0 for a page out of range. */
void           gk_pdf_document_get_page_size     (GkPdfDocument       *self,
                                                  guint                page,
                                                  double              *width,
                                                  double              *height);
/* The largest page width and height (for fit-width / fit-page). */
void           gk_pdf_document_get_max_page_size (GkPdfDocument       *self,
                                                  double              *width,
                                                  double              *height);

/* Render one page at scale (device pixels per point) on white. */
void           gk_pdf_document_render_async      (GkPdfDocument       *self,
                                                  guint                page,
                                                  double               scale,
                                                  GkPdfPriority        priority,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GdkTexture    *gk_pdf_document_render_finish     (GkPdfDocument       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Find text on every page, a chunk of pages at a time so that rendering
 * goes on in between.  found (nullable) is called with each chunk's
 * matches; the result is every match (GkPdfRect, tag = match index). */
void           gk_pdf_document_find_async        (GkPdfDocument       *self,
                                                  const char          *text,
                                                  GkPdfFindFunc        found,
                                                  gpointer             found_data,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GArray        *gk_pdf_document_find_finish       (GkPdfDocument       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Where runs of page text are drawn (the screening findings): one
 * rectangle per line a run covers, tagged with the run's tag. */
void           gk_pdf_document_locate_async      (GkPdfDocument       *self,
                                                  const GkPdfSpan     *spans,
                                                  guint                n_spans,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GArray        *gk_pdf_document_locate_finish     (GkPdfDocument       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Stop the worker, waiting for the job it runs (main thread). */
void           gk_pdf_document_close             (GkPdfDocument       *self);
void           gk_pdf_document_close_all         (void);
guint          gk_pdf_document_get_n_running     (GkPdfDocument       *self);

G_END_DECLS
