/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A PDF opened for display.  Every poppler call on it runs in a
 * gongkai-render process of its own (a PDF that crashes or hangs poppler
 * costs a message in the page area, never the window), one request at a
 * time, most urgent first; results come back to the caller's main context
 * as GTask results: page sizes at open, pixels (a sealed memfd mapped
 * read-only, no copy) and rectangles.  Nothing here blocks.  When
 * $GONGKAI_RENDER_IN_PROCESS or $GONGKAI_EXTRACT_IN_PROCESS is 1, the same
 * server runs on a thread of this process instead (debugging, ASan). */

#define GK_TYPE_RENDER_CLIENT (gk_render_client_get_type ())
G_DECLARE_FINAL_TYPE (GkRenderClient, gk_render_client, GK, RENDER_CLIENT, GObject)

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
  gint32 page;     /* 0-based */
  gint32 tag;      /* the caller's index (which finding, which match) */
  double x;
  double y;
  double width;
  double height;
} GkPdfRect;

/* A run of characters in a page's text (poppler_page_get_text()). */
typedef struct
{
  gint32 page;     /* 0-based */
  gint32 offset;   /* characters */
  gint32 length;   /* characters */
  gint32 tag;
} GkPdfSpan;

/* A rendered page: premultiplied ARGB32 in native byte order (cairo's
 * CAIRO_FORMAT_ARGB32, GDK's GDK_MEMORY_DEFAULT), on white. */
typedef struct
{
  guint   width;
  guint   height;
  gsize   stride;
  GBytes *pixels;
} GkRenderImage;

void           gk_render_image_free             (GkRenderImage *image);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkRenderImage, gk_render_image_free)

/* Matches of one chunk of pages, as they are found (main context). */
typedef void (*GkRenderFindFunc) (GkRenderClient *client,
                                  const GArray   *rects,
                                  guint           pages_done,
                                  gpointer        user_data);

/* Errors: G_IO_ERROR_CANCELLED, GK_ERROR_PASSWORD (password needed or
 * wrong), GK_ERROR_DAMAGED (unreadable, or the reader crashed or hung). */
void            gk_render_client_open_async     (const char          *path,
                                                 const char          *password,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GkRenderClient *gk_render_client_open_finish    (GAsyncResult        *result,
                                                 GError             **error);

const char     *gk_render_client_get_path       (GkRenderClient      *self);
guint           gk_render_client_get_n_pages    (GkRenderClient      *self);
void            gk_render_client_get_page_size  (GkRenderClient      *self,
                                                 guint                page,
                                                 double              *width,
                                                 double              *height);

/* Errors: G_IO_ERROR_CANCELLED, G_IO_ERROR_CLOSED, GK_ERROR_DAMAGED (the
 * page cannot be read, or the reader crashed, hung or ran out of memory on
 * it; such a page is not tried again), GK_ERROR_FAILED (the reader
 * stopped too often on this document, or cannot be started). */
void            gk_render_client_render_async   (GkRenderClient      *self,
                                                 guint                page,
                                                 double               scale,
                                                 GkPdfPriority        priority,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GkRenderImage  *gk_render_client_render_finish  (GkRenderClient      *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

void            gk_render_client_find_async     (GkRenderClient      *self,
                                                 const char          *text,
                                                 GkRenderFindFunc     found,
                                                 gpointer             found_data,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GArray         *gk_render_client_find_finish    (GkRenderClient      *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

void            gk_render_client_locate_async   (GkRenderClient      *self,
                                                 const GkPdfSpan     *spans,
                                                 guint                n_spans,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GArray         *gk_render_client_locate_finish  (GkRenderClient      *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* Seconds a request may take before the reader is stopped (default 30). */
void            gk_render_client_set_timeout    (GkRenderClient      *self,
                                                 guint                seconds);

/* Stops the reader and answers every request G_IO_ERROR_CLOSED (on the
 * main context, later).  The helper is killed and reaped; an in-process
 * server thread is joined (it finishes its page first).  Main thread. */
void            gk_render_client_close          (GkRenderClient      *self);
void            gk_render_client_close_all      (void);

/* For tests: the reader's process id (0 when none or in process), how
 * many times it was started, requests inside it now (0 or 1). */
GPid            gk_render_client_get_helper_pid (GkRenderClient      *self);
guint           gk_render_client_get_n_starts   (GkRenderClient      *self);
guint           gk_render_client_get_n_running  (GkRenderClient      *self);

G_END_DECLS
