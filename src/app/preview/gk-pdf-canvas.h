/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "gk-pdf-document.h"

G_BEGIN_DECLS

/* The pages of a document, stacked, in a GtkScrolledWindow (the canvas is
 * GtkScrollable: it lays out and draws only what is in view).  Pages
 * without a texture yet are white placeholders sized from the page
 * sizes; visible pages are rendered on the document's worker at the
 * displayed scale and cached within a byte budget. */

typedef enum
{
  GK_ZOOM_FIT_WIDTH,
  GK_ZOOM_FIT_PAGE,
  GK_ZOOM_FREE,
} GkZoomMode;

#define GK_TYPE_PDF_CANVAS (gk_pdf_canvas_get_type ())
G_DECLARE_FINAL_TYPE (GkPdfCanvas, gk_pdf_canvas, GK, PDF_CANVAS, GtkWidget)

GtkWidget     *gk_pdf_canvas_new               (void);
void           gk_pdf_canvas_set_document      (GkPdfCanvas   *self,
                                                GkPdfDocument *document);
GkPdfDocument *gk_pdf_canvas_get_document      (GkPdfCanvas   *self);

void           gk_pdf_canvas_set_zoom_mode     (GkPdfCanvas   *self,
                                                GkZoomMode     mode);
GkZoomMode     gk_pdf_canvas_get_zoom_mode     (GkPdfCanvas   *self);
/* Logical pixels per point; sets the zoom mode to free. */
void           gk_pdf_canvas_set_scale         (GkPdfCanvas   *self,
                                                double         scale);
double         gk_pdf_canvas_get_scale         (GkPdfCanvas   *self);
/* One step along the usual zoom levels (25 %–500 %); reset is 100 %. */
void           gk_pdf_canvas_zoom_in           (GkPdfCanvas   *self);
void           gk_pdf_canvas_zoom_out          (GkPdfCanvas   *self);
void           gk_pdf_canvas_zoom_reset        (GkPdfCanvas   *self);

/* 0-based; the page at the top third of the view. */
guint          gk_pdf_canvas_get_current_page  (GkPdfCanvas   *self);
void           gk_pdf_canvas_goto_page         (GkPdfCanvas   *self,
                                                guint          page);
/* Scroll so that a rectangle (a match, a finding) is in view. */
void           gk_pdf_canvas_scroll_to_rect    (GkPdfCanvas     *self,
                                                const GkPdfRect *rect);

/* Find matches (yellow; current one orange) and screening findings (red
 * for blocking, orange for the rest: tag & GK_PDF_CANVAS_TAG_BLOCKING). */
#define GK_PDF_CANVAS_TAG_BLOCKING 0x40000000
void           gk_pdf_canvas_set_matches       (GkPdfCanvas   *self,
                                                const GArray  *rects,
                                                int            current);
void           gk_pdf_canvas_set_findings      (GkPdfCanvas   *self,
                                                const GArray  *rects);
guint          gk_pdf_canvas_get_n_findings_rects (GkPdfCanvas *self);
const GkPdfRect *gk_pdf_canvas_get_findings_rect (GkPdfCanvas *self,
                                                  guint        index);

/* The texture shown for a page at the current scale, if rendered. */
GdkTexture    *gk_pdf_canvas_get_page_texture  (GkPdfCanvas   *self,
                                                guint          page);
/* Why a page is shown as a message instead ("This page could not be
 * displayed: …"), or NULL. */
const char    *gk_pdf_canvas_get_page_error    (GkPdfCanvas   *self,
                                                guint          page);
/* Textures currently cached, in bytes. */
gsize          gk_pdf_canvas_get_cache_bytes   (GkPdfCanvas   *self);

G_END_DECLS
