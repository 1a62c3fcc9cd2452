/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPreview"

#include "config.h"

#include "gk-pdf-document.h"

struct _GkPdfDocument
{
  GObject         parent_instance;

  GkRenderClient *client;
  double          max_width;
  double          max_height;
};

G_DEFINE_FINAL_TYPE (GkPdfDocument, gk_pdf_document, G_TYPE_OBJECT)

typedef struct
{
  GkPdfFindFunc found;
  gpointer      found_data;
} FindData;

/* Callbacks */

static void
on_opened_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkRenderClient) client = NULL;
  GkPdfDocument *self;

  client = gk_render_client_open_finish (result, &error);
  if (client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self = g_object_new (GK_TYPE_PDF_DOCUMENT, NULL);
  self->client = g_steal_pointer (&client);
  for (guint i = 0; i < gk_render_client_get_n_pages (self->client); i++)
    {
      double width, height;

      gk_render_client_get_page_size (self->client, i, &width, &height);
      self->max_width = MAX (self->max_width, width);
      self->max_height = MAX (self->max_height, height);
    }
  g_task_return_pointer (task, self, g_object_unref);
}

static void
on_rendered_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkRenderImage) image = NULL;

  image = gk_render_client_render_finish (GK_RENDER_CLIENT (source), result, &error);
  if (image == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The texture keeps the mapping of the helper's memfd: no copy.
   * GDK_MEMORY_DEFAULT is cairo's ARGB32 layout. */
  g_task_return_pointer (task,
                         gdk_memory_texture_new ((int) image->width, (int) image->height,
                                                 GDK_MEMORY_DEFAULT, image->pixels, image->stride),
                         g_object_unref);
}

static void
on_found_cb (GkRenderClient *client,
             const GArray   *rects,
             guint           pages_done,
             gpointer        user_data)
{
  GTask *task = user_data;
  FindData *data = g_task_get_task_data (task);

  if (data->found != NULL && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    data->found (g_task_get_source_object (task), rects, pages_done, data->found_data);
}

static void
on_rects_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GArray *rects;

  if (g_task_get_source_tag (task) == gk_pdf_document_find_async)
    rects = gk_render_client_find_finish (GK_RENDER_CLIENT (source), result, &error);
  else
    rects = gk_render_client_locate_finish (GK_RENDER_CLIENT (source), result, &error);
  if (rects == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, rects, (GDestroyNotify) g_array_unref);
}

/* GObject */

static void
gk_pdf_document_finalize (GObject *object)
{
  GkPdfDocument *self = GK_PDF_DOCUMENT (object);

  if (self->client != NULL)
    gk_render_client_close (self->client);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (gk_pdf_document_parent_class)->finalize (object);
}

static void
gk_pdf_document_class_init (GkPdfDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gk_pdf_document_finalize;
}

static void
gk_pdf_document_init (GkPdfDocument *self)
{
}

/* Public API */

/**
 * gk_pdf_document_load_async:
 * @path: a PDF file
 * @password: (nullable): its password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: for @callback
 *
 * Starts the document's reader and reads every page size (cheap even for
 * hundreds of pages: nothing is rendered).
 */
void
gk_pdf_document_load_async (const char          *path,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_pdf_document_load_async);
  gk_render_client_open_async (path, password, cancellable, on_opened_cb, task);
}

/**
 * gk_pdf_document_load_finish:
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the open document, or %NULL with @error set
 */
GkPdfDocument *
gk_pdf_document_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_pdf_document_get_path:
 * @self: a document
 *
 * Returns: the file the document was opened from
 */
const char *
gk_pdf_document_get_path (GkPdfDocument *self)
{
  g_return_val_if_fail (GK_IS_PDF_DOCUMENT (self), NULL);

  return gk_render_client_get_path (self->client);
}

/**
 * gk_pdf_document_get_n_pages:
 * @self: a document
 *
 * Returns: the number of pages
 */
guint
gk_pdf_document_get_n_pages (GkPdfDocument *self)
{
  g_return_val_if_fail (GK_IS_PDF_DOCUMENT (self), 0);

  return gk_render_client_get_n_pages (self->client);
}

/**
 * gk_pdf_document_get_page_size:
 * @self: a document
 * @page: 0-based page number
 * @width: (out): width in points
 * @height: (out): height in points
 *
 * Reads the sizes found at load time; no request.
 */
void
gk_pdf_document_get_page_size (GkPdfDocument *self,
                               guint          page,
                               double        *width,
                               double        *height)
{
  g_return_if_fail (GK_IS_PDF_DOCUMENT (self));

  gk_render_client_get_page_size (self->client, page, width, height);
}

/**
 * gk_pdf_document_get_max_page_size:
 * @self: a document
 * @width: (out): the widest page's width in points
 * @height: (out): the tallest page's height in points
 *
 * For fit-width and fit-page.
 */
void
gk_pdf_document_get_max_page_size (GkPdfDocument *self,
                                   double        *width,
                                   double        *height)
{
  g_return_if_fail (GK_IS_PDF_DOCUMENT (self));

  *width = self->max_width;
  *height = self->max_height;
}

/**
 * gk_pdf_document_render_async:
 * @self: a document
 * @page: 0-based page number
 * @scale: device pixels per point
 * @priority: where the request goes in the queue
 * @cancellable: (nullable): cancel when the page scrolled away
 * @callback: called on the caller's main context
 * @user_data: for @callback
 *
 * Renders a page in the reader.
 */
void
gk_pdf_document_render_async (GkPdfDocument       *self,
                              guint                page,
                              double               scale,
                              GkPdfPriority        priority,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GK_IS_PDF_DOCUMENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_pdf_document_render_async);
  gk_render_client_render_async (self->client, page, scale, priority, cancellable,
                                 on_rendered_cb, task);
}

/**
 * gk_pdf_document_render_finish:
 * @self: a document
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the page as a texture
 */
GdkTexture *
gk_pdf_document_render_finish (GkPdfDocument  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_pdf_document_find_async:
 * @self: a document
 * @text: what to find
 * @found: (nullable): called with each chunk's matches on the main context
 * @found_data: for @found
 * @cancellable: (nullable): a #GCancellable
 * @callback: called at the end
 * @user_data: for @callback
 *
 * Finds @text on every page, between renders.
 */
void
gk_pdf_document_find_async (GkPdfDocument       *self,
                            const char          *text,
                            GkPdfFindFunc        found,
                            gpointer             found_data,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  FindData *data;

  g_return_if_fail (GK_IS_PDF_DOCUMENT (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_pdf_document_find_async);
  data = g_new0 (FindData, 1);
  data->found = found;
  data->found_data = found_data;
  g_task_set_task_data (task, data, g_free);
  gk_render_client_find_async (self->client, text, on_found_cb, task, cancellable,
                               on_rects_cb, task);
}

/**
 * gk_pdf_document_find_finish:
 * @self: a document
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type GkPdfRect): every match
 */
GArray *
gk_pdf_document_find_finish (GkPdfDocument  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_pdf_document_locate_async:
 * @self: a document
 * @spans: (array length=n_spans): runs of page text
 * @n_spans: how many
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: for @callback
 *
 * Maps character runs (screening findings) to rectangles on their pages
 * with poppler's text layout.
 */
void
gk_pdf_document_locate_async (GkPdfDocument       *self,
                              const GkPdfSpan     *spans,
                              guint                n_spans,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GK_IS_PDF_DOCUMENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_pdf_document_locate_async);
  gk_render_client_locate_async (self->client, spans, n_spans, cancellable, on_rects_cb, task);
}

/**
 * gk_pdf_document_locate_finish:
 * @self: a document
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type GkPdfRect): the rectangles
 */
GArray *
gk_pdf_document_locate_finish (GkPdfDocument  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_pdf_document_close:
 * @self: a document
 *
 * Stops the document's reader (see gk_render_client_close()): no poppler
 * code runs for it afterwards, in particular not under poppler's static
 * destructors at exit.  Requests answer %G_IO_ERROR_CLOSED.
 */
void
gk_pdf_document_close (GkPdfDocument *self)
{
  g_return_if_fail (GK_IS_PDF_DOCUMENT (self));

  gk_render_client_close (self->client);
}

/**
 * gk_pdf_document_close_all:
 *
 * Closes every open document (application shutdown).
 */
void
gk_pdf_document_close_all (void)
{
  gk_render_client_close_all ();
}

/**
 * gk_pdf_document_get_n_running:
 * @self: a document
 *
 * Returns: requests inside the reader now (0 or 1), for tests
 */
guint
gk_pdf_document_get_n_running (GkPdfDocument *self)
{
  g_return_val_if_fail (GK_IS_PDF_DOCUMENT (self), 0);

  return gk_render_client_get_n_running (self->client);
}

/**
 * gk_pdf_document_get_client:
 * @self: a document
 *
 * Returns: (transfer none): the reader's client, for tests
 */
GkRenderClient *
gk_pdf_document_get_client (GkPdfDocument *self)
{
  g_return_val_if_fail (GK_IS_PDF_DOCUMENT (self), NULL);

  return self->client;
}
