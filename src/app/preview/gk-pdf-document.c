/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPreview"

#include "config.h"

#include <math.h>
#include <poppler.h>
#include <string.h>

#include "gk-pdf.h"
#include "gk-pdf-document.h"
#include "gk-util.h"

/* Pages searched per find job before the worker looks at its queue again
 * (a visible page waiting to be rendered goes first). */
#define FIND_CHUNK_PAGES 8
/* Larger textures are refused by GL drivers and cost too much memory. */
#define MAX_TEXTURE_SIDE 8192

/* What the worker owns: poppler objects are touched only there. */
typedef struct
{
  gatomicrefcount  ref_count;
  char            *path;
  char            *password;
  PopplerDocument *poppler;
  /* Guards closing against a find job putting itself back in the queue
   * while the pool is being freed. */
  GMutex           lock;
  gboolean         closing;
  int              running;   /* jobs inside poppler now (atomic) */
} DocState;

typedef enum
{
  JOB_LOAD,
  JOB_RENDER,
  JOB_FIND,
  JOB_LOCATE,
} JobKind;

typedef struct
{
  JobKind        kind;
  int            priority;
  guint64        sequence;
  GTask         *task;
  DocState      *state;
  gboolean       returned;

  /* render */
  guint          page;
  double         scale;

  /* The caller's main context: the job is freed there, so that the last
   * reference to the document is never dropped on the worker. */
  GMainContext  *context;

  /* find */
  char          *text;
  guint          next_page;
  guint          n_pages;
  GArray        *matches;
  GkPdfFindFunc  found;
  gpointer       found_data;
  GThreadPool   *pool;

  /* locate */
  GArray        *spans;
} Job;

typedef struct
{
  guint   n_pages;
  double *widths;
  double *heights;
} LoadResult;

struct _GkPdfDocument
{
  GObject       parent_instance;

  DocState     *state;
  GThreadPool  *pool;
  guint64       next_sequence;

  guint         n_pages;
  double       *widths;
  double       *heights;
  double        max_width;
  double        max_height;
};

G_DEFINE_FINAL_TYPE (GkPdfDocument, gk_pdf_document, G_TYPE_OBJECT)

/* Every document not yet closed (main thread only), for
 * gk_pdf_document_close_all() at shutdown. */
static GPtrArray *open_documents;

/* Worker state */

static DocState *
doc_state_ref (DocState *state)
{
  g_atomic_ref_count_inc (&state->ref_count);
  return state;
}

static void
doc_state_unref (DocState *state)
{
  if (!g_atomic_ref_count_dec (&state->ref_count))
    return;
  g_clear_object (&state->poppler);
  g_mutex_clear (&state->lock);
  g_free (state->path);
  if (state->password != NULL)
    memset (state->password, 0, strlen (state->password));
  g_free (state->password);
  g_free (state);
}

static void
load_result_free (LoadResult *result)
{
  g_free (result->widths);
  g_free (result->heights);
  g_free (result);
}

static void
job_free (Job *job)
{
  /* A job dropped from the queue (document closed) still owes its task
   * an answer. */
  if (!job->returned && job->task != NULL)
    g_task_return_new_error (job->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "The document was closed");
  g_clear_object (&job->task);
  g_clear_pointer (&job->state, doc_state_unref);
  g_free (job->text);
  g_clear_pointer (&job->matches, g_array_unref);
  g_clear_pointer (&job->spans, g_array_unref);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job);
}

static gboolean
free_job_cb (gpointer data)
{
  job_free (data);
  return G_SOURCE_REMOVE;
}

/* On the worker: the job holds the task, and the task the document; the
 * main thread may already have dropped its own references, so the job is
 * freed there, never here (a document finalized on its own worker could
 * not wait for it). */
static void
release_job (Job *job)
{
  gk_main_context_dispatch (job->context, G_PRIORITY_DEFAULT, free_job_cb, job, NULL);
}

static int
compare_jobs (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const Job *x = a;
  const Job *y = b;

  if (x->priority != y->priority)
    return x->priority < y->priority ? -1 : 1;
  if (x->sequence != y->sequence)
    return x->sequence < y->sequence ? -1 : 1;
  return 0;
}

static void
push_job (GkPdfDocument *self,
          Job           *job)
{
  if (self->pool == NULL)
    {
      /* Closed: the job answers at once, on the caller's context. */
      job->returned = TRUE;
      g_task_return_new_error (job->task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               "The document was closed");
      job_free (job);
      return;
    }
  job->sequence = self->next_sequence++;
  job->state = doc_state_ref (self->state);
  job->pool = self->pool;
  g_thread_pool_push (self->pool, job, NULL);
}

static void
run_load (Job *job)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (job->state->path);
  PopplerDocument *poppler;
  LoadResult *result;

  poppler = poppler_document_new_from_gfile (file, job->state->password,
                                             g_task_get_cancellable (job->task), &error);
  if (poppler == NULL)
    {
      job->returned = TRUE;
      g_task_return_error (job->task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (LoadResult, 1);
  result->n_pages = (guint) MAX (0, poppler_document_get_n_pages (poppler));
  result->widths = g_new0 (double, MAX (1, result->n_pages));
  result->heights = g_new0 (double, MAX (1, result->n_pages));
  for (guint i = 0; i < result->n_pages; i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (poppler, (int) i);

      if (page != NULL)
        poppler_page_get_size (page, &result->widths[i], &result->heights[i]);
      if (result->widths[i] <= 0 || result->heights[i] <= 0)
        {
          /* A page poppler cannot size: show an A4 placeholder. */
          result->widths[i] = 595.0;
          result->heights[i] = 842.0;
        }
    }
  job->state->poppler = poppler;
  job->returned = TRUE;
  g_task_return_pointer (job->task, result, (GDestroyNotify) load_result_free);
}

static void
run_render (Job *job)
{
  g_autoptr(PopplerPage) page = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  double width, height, scale = job->scale;
  int pixel_width, pixel_height;
  GBytes *bytes;
  GdkTexture *texture;

  page = poppler_document_get_page (job->state->poppler, (int) job->page);
  if (page == NULL)
    {
      job->returned = TRUE;
      g_task_return_new_error (job->task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "Page %u cannot be read", job->page + 1);
      return;
    }

  poppler_page_get_size (page, &width, &height);
  if (width <= 0 || height <= 0)
    width = 595.0, height = 842.0;
  scale = MIN (scale, MAX_TEXTURE_SIDE / MAX (width, height));
  pixel_width = MAX (1, (int) ceil (width * scale));
  pixel_height = MAX (1, (int) ceil (height * scale));

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pixel_width, pixel_height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      job->returned = TRUE;
      g_task_return_new_error (job->task, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                               "Page %u is too large to render", job->page + 1);
      return;
    }

  /* The texture keeps the surface's pixels: no copy.  GDK_MEMORY_DEFAULT
   * is cairo's ARGB32 layout. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * pixel_height,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  texture = gdk_memory_texture_new (pixel_width, pixel_height, GDK_MEMORY_DEFAULT,
                                    bytes, (gsize) cairo_image_surface_get_stride (surface));
  g_bytes_unref (bytes);

  job->returned = TRUE;
  g_task_return_pointer (job->task, texture, g_object_unref);
}

typedef struct
{
  GkPdfDocument *document;
  GArray        *rects;
  guint          pages_done;
  GkPdfFindFunc  found;
  gpointer       found_data;
  GCancellable  *cancellable;
} FoundChunk;

static void
found_chunk_free (FoundChunk *chunk)
{
  g_object_unref (chunk->document);
  g_array_unref (chunk->rects);
  g_clear_object (&chunk->cancellable);
  g_free (chunk);
}

static gboolean
dispatch_found_cb (gpointer data)
{
  FoundChunk *chunk = data;

  if (!g_cancellable_is_cancelled (chunk->cancellable))
    chunk->found (chunk->document, chunk->rects, chunk->pages_done, chunk->found_data);
  return G_SOURCE_REMOVE;
}

static void
run_find (Job *job)
{
  g_autoptr(GArray) chunk = g_array_new (FALSE, FALSE, sizeof (GkPdfRect));
  guint end = MIN (job->n_pages, job->next_page + FIND_CHUNK_PAGES);

  for (guint i = job->next_page; i < end; i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (job->state->poppler, (int) i);
      GList *found;
      double width, height;

      if (page == NULL)
        continue;
      poppler_page_get_size (page, &width, &height);
      found = poppler_page_find_text_with_options (page, job->text, POPPLER_FIND_DEFAULT);
      for (GList *l = found; l != NULL; l = l->next)
        {
          PopplerRectangle *r = l->data;
          GkPdfRect rect;

          /* find_text answers in PDF space (origin at the bottom left). */
          rect.page = (int) i;
          rect.tag = (int) (job->matches->len + chunk->len);
          rect.x = MIN (r->x1, r->x2);
          rect.width = fabs (r->x2 - r->x1);
          rect.y = height - MAX (r->y1, r->y2);
          rect.height = fabs (r->y2 - r->y1);
          g_array_append_val (chunk, rect);
        }
      g_list_free_full (found, (GDestroyNotify) poppler_rectangle_free);
    }
  job->next_page = end;
  g_array_append_vals (job->matches, chunk->data, chunk->len);

  if (job->found != NULL && (chunk->len > 0 || end >= job->n_pages))
    {
      FoundChunk *payload = g_new0 (FoundChunk, 1);

      payload->document = g_object_ref (g_task_get_source_object (job->task));
      payload->rects = g_steal_pointer (&chunk);
      payload->pages_done = end;
      payload->found = job->found;
      payload->found_data = job->found_data;
      payload->cancellable = g_task_get_cancellable (job->task)
                             ? g_object_ref (g_task_get_cancellable (job->task)) : NULL;
      gk_main_context_dispatch (job->context, G_PRIORITY_DEFAULT, dispatch_found_cb,
                                payload, (GDestroyNotify) found_chunk_free);
    }
}

/* Groups the characters of a run into one rectangle per line. */
static void
locate_span (const GkPdfSpan        *span,
             const char             *text,
             const PopplerRectangle *layout,
             guint                   n_layout,
             GArray                 *out)
{
  const char *p = text;
  GkPdfRect current = { 0 };
  gboolean open = FALSE;
  int index = 0;

  for (; p != NULL && *p != '\0' && index < span->offset + span->length;
       p = g_utf8_next_char (p), index++)
    {
      gunichar c = g_utf8_get_char (p);
      const PopplerRectangle *r;
      double x, y, w, h;

      if (index < span->offset || (guint) index >= n_layout)
        continue;
      if (g_unichar_isspace (c))
        continue;
      r = &layout[index];
      x = MIN (r->x1, r->x2);
      y = MIN (r->y1, r->y2);
      w = fabs (r->x2 - r->x1);
      h = fabs (r->y2 - r->y1);
      if (open && fabs (y - current.y) < MAX (h, current.height) / 2)
        {
          double right = MAX (current.x + current.width, x + w);
          double bottom = MAX (current.y + current.height, y + h);

          current.x = MIN (current.x, x);
          current.y = MIN (current.y, y);
          current.width = right - current.x;
          current.height = bottom - current.y;
          continue;
        }
      if (open)
        g_array_append_val (out, current);
      current = (GkPdfRect) { span->page, span->tag, x, y, w, h };
      open = TRUE;
    }
  if (open)
    g_array_append_val (out, current);
}

static void
run_locate (Job *job)
{
  g_autoptr(GArray) rects = g_array_new (FALSE, FALSE, sizeof (GkPdfRect));
  int cached_page = -1;
  g_autofree char *text = NULL;
  g_autofree PopplerRectangle *layout = NULL;
  guint n_layout = 0;

  /* Spans come sorted by page: each page's layout is read once. */
  for (guint i = 0; i < job->spans->len; i++)
    {
      const GkPdfSpan *span = &g_array_index (job->spans, GkPdfSpan, i);

      if (g_task_return_error_if_cancelled (job->task))
        {
          job->returned = TRUE;
          return;
        }
      if (span->page != cached_page)
        {
          g_autoptr(PopplerPage) page = NULL;

          g_clear_pointer (&text, g_free);
          g_clear_pointer (&layout, g_free);
          n_layout = 0;
          cached_page = span->page;
          page = poppler_document_get_page (job->state->poppler, span->page);
          if (page == NULL)
            continue;
          text = poppler_page_get_text (page);
          if (!poppler_page_get_text_layout (page, &layout, &n_layout))
            n_layout = 0;
        }
      if (text != NULL && layout != NULL)
        {
          g_autofree char *valid = g_utf8_make_valid (text, -1);

          locate_span (span, valid, layout, n_layout, rects);
        }
    }
  job->returned = TRUE;
  g_task_return_pointer (job->task, g_steal_pointer (&rects), (GDestroyNotify) g_array_unref);
}

/* Runs on the document's worker thread. */
static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  DocState *state = job->state;

  if (g_task_return_error_if_cancelled (job->task))
    {
      job->returned = TRUE;
      release_job (job);
      return;
    }

  if (job->kind != JOB_LOAD && state->poppler == NULL)
    {
      job->returned = TRUE;
      g_task_return_new_error (job->task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               "The document is not open");
      release_job (job);
      return;
    }

  g_atomic_int_inc (&state->running);
  switch (job->kind)
    {
    case JOB_LOAD:
      run_load (job);
      break;
    case JOB_RENDER:
      run_render (job);
      break;
    case JOB_LOCATE:
      run_locate (job);
      break;
    case JOB_FIND:
      run_find (job);
      if (job->next_page < job->n_pages)
        {
          gboolean requeued = FALSE;

          /* Back in the queue behind anything more urgent, unless the
           * document is being closed (its pool takes no more jobs). */
          g_mutex_lock (&state->lock);
          if (!state->closing)
            {
              job->sequence = G_MAXUINT64 / 2 + job->next_page;
              g_thread_pool_push (job->pool, job, NULL);
              requeued = TRUE;
            }
          g_mutex_unlock (&state->lock);
          if (requeued)
            {
              g_atomic_int_dec_and_test (&state->running);
              return;
            }
          break;
        }
      job->returned = TRUE;
      g_task_return_pointer (job->task, g_steal_pointer (&job->matches),
                             (GDestroyNotify) g_array_unref);
      break;
    default:
      g_assert_not_reached ();
    }
  g_atomic_int_dec_and_test (&state->running);
  release_job (job);
}

static Job *
job_new (GkPdfDocument       *self,
         JobKind              kind,
         int                  priority,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data,
         gpointer             source_tag)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->priority = priority;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  job->context = g_main_context_ref_thread_default ();
  return job;
}

/* GObject */

static void
gk_pdf_document_finalize (GObject *object)
{
  GkPdfDocument *self = GK_PDF_DOCUMENT (object);

  /* Always on the main thread (jobs are freed there): waiting for the
   * worker cannot deadlock. */
  gk_pdf_document_close (self);
  g_clear_pointer (&self->state, doc_state_unref);
  g_free (self->widths);
  g_free (self->heights);

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
  self->state = g_new0 (DocState, 1);
  g_atomic_ref_count_init (&self->state->ref_count);
  g_mutex_init (&self->state->lock);
  if (open_documents == NULL)
    open_documents = g_ptr_array_new ();
  g_ptr_array_add (open_documents, self);
  /* One thread: poppler access to this document is serialised. */
  self->pool = g_thread_pool_new_full (run_job, NULL, (GDestroyNotify) job_free,
                                       1, FALSE, NULL);
  g_thread_pool_set_sort_function (self->pool, compare_jobs, NULL);
}

/* Public API */

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GkPdfDocument *self = GK_PDF_DOCUMENT (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  LoadResult *loaded;

  loaded = g_task_propagate_pointer (G_TASK (result), &error);
  if (loaded == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->n_pages = loaded->n_pages;
  self->widths = g_steal_pointer (&loaded->widths);
  self->heights = g_steal_pointer (&loaded->heights);
  for (guint i = 0; i < self->n_pages; i++)
    {
      self->max_width = MAX (self->max_width, self->widths[i]);
      self->max_height = MAX (self->max_height, self->heights[i]);
    }
  load_result_free (loaded);
  g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

/**
 * gk_pdf_document_load_async:
 * @path: a PDF file
 * @password: (nullable): its password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: for @callback
 *
 * Opens the PDF on a new worker and reads every page size (cheap even
 * for hundreds of pages: nothing is rendered).
 */
void
gk_pdf_document_load_async (const char          *path,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GkPdfDocument) self = NULL;
  GTask *outer;
  Job *job;

  g_return_if_fail (path != NULL);

  self = g_object_new (GK_TYPE_PDF_DOCUMENT, NULL);
  self->state->path = g_strdup (path);
  self->state->password = g_strdup (password);

  outer = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (outer, gk_pdf_document_load_async);

  job = job_new (self, JOB_LOAD, GK_PDF_PRIORITY_VISIBLE, cancellable,
                 on_loaded_cb, outer, gk_pdf_document_load_async);
  push_job (self, job);
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

  return self->state->path;
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

  return self->n_pages;
}

/**
 * gk_pdf_document_get_page_size:
 * @self: a document
 * @page: 0-based page number
 * @width: (out): width in points
 * @height: (out): height in points
 *
 * Reads the sizes found at load time; no poppler call.
 */
void
gk_pdf_document_get_page_size (GkPdfDocument *self,
                               guint          page,
                               double        *width,
                               double        *height)
{
  g_return_if_fail (GK_IS_PDF_DOCUMENT (self));

  *width = page < self->n_pages ? self->widths[page] : 0;
  *height = page < self->n_pages ? self->heights[page] : 0;
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
 * @priority: where the job goes in the worker's queue
 * @cancellable: (nullable): cancel when the page scrolled away
 * @callback: called on the caller's main context
 * @user_data: for @callback
 *
 * Renders a page on the worker.
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
  Job *job;

  g_return_if_fail (GK_IS_PDF_DOCUMENT (self));
  g_return_if_fail (scale > 0);

  job = job_new (self, JOB_RENDER, priority, cancellable, callback, user_data,
                 gk_pdf_document_render_async);
  job->page = page;
  job->scale = scale;
  push_job (self, job);
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
 * Finds @text on every page, between rendering jobs.
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
  Job *job;

  g_return_if_fail (GK_IS_PDF_DOCUMENT (self));
  g_return_if_fail (text != NULL);

  job = job_new (self, JOB_FIND, GK_PDF_PRIORITY_TEXT, cancellable, callback, user_data,
                 gk_pdf_document_find_async);
  job->text = g_strdup (text);
  job->n_pages = self->n_pages;
  job->matches = g_array_new (FALSE, FALSE, sizeof (GkPdfRect));
  job->found = found;
  job->found_data = found_data;
  push_job (self, job);
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

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const GkPdfSpan *x = a;
  const GkPdfSpan *y = b;

  if (x->page != y->page)
    return x->page < y->page ? -1 : 1;
  return x->offset < y->offset ? -1 : (x->offset > y->offset);
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
  Job *job;

  g_return_if_fail (GK_IS_PDF_DOCUMENT (self));

  job = job_new (self, JOB_LOCATE, GK_PDF_PRIORITY_NEARBY, cancellable, callback, user_data,
                 gk_pdf_document_locate_async);
  job->spans = g_array_sized_new (FALSE, FALSE, sizeof (GkPdfSpan), n_spans);
  g_array_append_vals (job->spans, spans, n_spans);
  g_array_sort (job->spans, compare_spans);
  push_job (self, job);
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
 * Stops the document's worker: queued jobs answer "cancelled", the job
 * running now is waited for (one page at most), so that no thread is left
 * inside poppler when the window goes away or the program exits (poppler's
 * static destructors would run under it).  Later requests fail with
 * %G_IO_ERROR_CLOSED.  Call on the main thread; closing twice is fine.
 */
void
gk_pdf_document_close (GkPdfDocument *self)
{
  GThreadPool *pool;

  g_return_if_fail (GK_IS_PDF_DOCUMENT (self));

  if (open_documents != NULL)
    g_ptr_array_remove_fast (open_documents, self);
  pool = g_steal_pointer (&self->pool);
  if (pool == NULL)
    return;
  g_mutex_lock (&self->state->lock);
  self->state->closing = TRUE;
  g_mutex_unlock (&self->state->lock);
  g_thread_pool_free (pool, TRUE, TRUE);
}

/**
 * gk_pdf_document_close_all:
 *
 * Closes every open document (application shutdown).
 */
void
gk_pdf_document_close_all (void)
{
  while (open_documents != NULL && open_documents->len > 0)
    gk_pdf_document_close (g_ptr_array_index (open_documents, open_documents->len - 1));
}

/**
 * gk_pdf_document_get_n_running:
 * @self: a document
 *
 * Returns: how many jobs are inside poppler now (0 or 1), for tests
 */
guint
gk_pdf_document_get_n_running (GkPdfDocument *self)
{
  g_return_val_if_fail (GK_IS_PDF_DOCUMENT (self), 0);

  return (guint) g_atomic_int_get (&self->state->running);
}
