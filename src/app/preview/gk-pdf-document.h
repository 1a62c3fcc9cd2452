/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk/gdk.h>
#include <gio/gio.h>

#include "gk-render-client.h"

G_BEGIN_DECLS

/* A PDF opened for the preview: the GTK face of GkRenderClient.  Every
 * poppler call runs in the document's gongkai-render process, one request
 * at a time, most urgent first (Papers' job scheduler, across a process
 * boundary); results come back to the caller's main context as GTask
 * results.  Immutable requests in, GdkTextures (over the helper's sealed
 * memfd, not copied) and rectangles out: the window never touches
 * poppler. */

#define GK_TYPE_PDF_DOCUMENT (gk_pdf_document_get_type ())
G_DECLARE_FINAL_TYPE (GkPdfDocument, gk_pdf_document, GK, PDF_DOCUMENT, GObject)

/* Matches of one chunk of pages, as they are found (main context). */
typedef void (*GkPdfFindFunc) (GkPdfDocument *document,
                               const GArray  *rects,
                               guint          pages_done,
                               gpointer       user_data);

/* Errors: G_IO_ERROR_CANCELLED, GK_ERROR_PASSWORD (password needed or
 * wrong), GK_ERROR_DAMAGED when the file cannot be read (or made the
 * reader crash or hang). */
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

/* Render one page at scale (device pixels per point) on white.  Errors as
 * gk_render_client_render_async(): a GK_ERROR message says why the page
 * cannot be shown (the reader crashed, hung, ran out of memory). */
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

/* Stop the reader (helper killed and reaped, or thread joined); later
 * requests fail with G_IO_ERROR_CLOSED.  Main thread. */
void           gk_pdf_document_close             (GkPdfDocument       *self);
void           gk_pdf_document_close_all         (void);
/* For tests: requests inside the reader now (0 or 1). */
guint          gk_pdf_document_get_n_running     (GkPdfDocument       *self);
GkRenderClient *gk_pdf_document_get_client       (GkPdfDocument       *self);

G_END_DECLS
