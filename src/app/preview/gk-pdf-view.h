/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "gk-pdf-canvas.h"

G_BEGIN_DECLS

/* The PDF preview: toolbar (pages, zoom, find), thumbnails strip and the
 * page canvas; screening findings highlighted on their pages. */

#define GK_TYPE_PDF_VIEW (gk_pdf_view_get_type ())
G_DECLARE_FINAL_TYPE (GkPdfView, gk_pdf_view, GK, PDF_VIEW, GtkWidget)

GtkWidget   *gk_pdf_view_new             (void);
/* Remembers the zoom mode and the thumbnails strip (nullable). */
void         gk_pdf_view_set_settings    (GkPdfView   *self,
                                          GSettings   *settings);
/* Show a PDF; findings: GkFinding* (nullable) to highlight.  Loading the
 * file already shown only updates the findings. */
void         gk_pdf_view_load            (GkPdfView   *self,
                                          const char  *path,
                                          GPtrArray   *findings);
/* Nothing to show; message (nullable) says why. */
void         gk_pdf_view_clear           (GkPdfView   *self,
                                          const char  *message);
GkPdfCanvas *gk_pdf_view_get_canvas      (GkPdfView   *self);
/* TRUE once the document is open (pages may still be rendering). */
gboolean     gk_pdf_view_is_loaded       (GkPdfView   *self);
void         gk_pdf_view_goto_page       (GkPdfView   *self,
                                          guint        page);
/* Open the find bar with this text and search. */
void         gk_pdf_view_find            (GkPdfView   *self,
                                          const char  *text);
/* Matches of the last find (-1 while searching). */
int          gk_pdf_view_get_n_matches   (GkPdfView   *self);
/* A match of the last find, NULL past the end. */
const GkPdfRect *gk_pdf_view_get_match   (GkPdfView   *self,
                                          guint        index);
void         gk_pdf_view_zoom_in         (GkPdfView   *self);
void         gk_pdf_view_zoom_out        (GkPdfView   *self);
void         gk_pdf_view_zoom_reset      (GkPdfView   *self);

G_END_DECLS
