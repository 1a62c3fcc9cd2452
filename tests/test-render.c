/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "gk-fault-proxy.h"
#include "gk-fixtures.h"
#include "gk-render-client.h"
#include "gk-types.h"
#include "gk-util.h"

/* The preview's reader: gongkai-render opened per document, pages back as
 * pixels in a sealed memfd, find and locate in the helper, a crash, a hang
 * or an allocation failure in it costing one page (with a message), a
 * bounded number of restarts, and close() leaving no process behind.  The
 * same server on a thread when asked to read in process. */

#define WAIT(expr, timeout_ms)                                                 \
  G_STMT_START {                                                               \
    gint64 end_ = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000;      \
    guint tick_ = g_timeout_add (20, tick_cb, NULL);                           \
    while (!(expr) && g_get_monotonic_time () < end_)                          \
      g_main_context_iteration (NULL, TRUE);                                   \
    g_source_remove (tick_);                                                   \
    if (!(expr))                                                               \
      g_error ("%s:%d: timed out after %u ms waiting for %s",                  \
               __FILE__, __LINE__, (guint) (timeout_ms), #expr);               \
  } G_STMT_END

typedef struct
{
  char *dir;
  char *long_pdf;    /* 6 pages */
  char *text_pdf;    /* known words on known pages */
} Fixture;

typedef struct
{
  gboolean        done;
  GkRenderClient *client;
  GkRenderImage  *image;
  GArray         *rects;
  GError         *error;
  guint           chunks;
} Result;

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
result_clear (Result *r)
{
  g_clear_object (&r->client);
  g_clear_pointer (&r->image, gk_render_image_free);
  g_clear_pointer (&r->rects, g_array_unref);
  g_clear_error (&r->error);
  r->done = FALSE;
  r->chunks = 0;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *pages[] = { "第一页 开头\n公开 目录", "第二页\n政务公开 第二次 公开", NULL };

  f->dir = g_dir_make_tmp ("gk-render-XXXXXX", &error);
  g_assert_no_error (error);
  f->long_pdf = g_build_filename (f->dir, "long.pdf", NULL);
  f->text_pdf = g_build_filename (f->dir, "text.pdf", NULL);
  g_assert_true (gk_fixture_write_long_pdf (f->long_pdf, 6, &error));
  g_assert_true (gk_fixture_write_text_pdf (f->text_pdf, pages, &error));
  g_assert_no_error (error);
  g_unsetenv ("GONGKAI_RENDER_FAULT");
  g_unsetenv ("GONGKAI_RENDER_IN_PROCESS");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_unsetenv ("GONGKAI_RENDER_FAULT");
  g_unsetenv ("GONGKAI_RENDER_IN_PROCESS");
  gk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->long_pdf);
  g_free (f->text_pdf);
}

static void
on_opened_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->client = gk_render_client_open_finish (result, &r->error);
  r->done = TRUE;
}

static void
on_rendered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->image = gk_render_client_render_finish (GK_RENDER_CLIENT (source), result, &r->error);
  r->done = TRUE;
}

static void
on_found_cb (GkRenderClient *client, const GArray *rects, guint pages_done, gpointer user_data)
{
  Result *r = user_data;

  r->chunks++;
}

static void
on_rects_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  if (r->chunks > 0 || g_task_get_source_tag (G_TASK (result)) == gk_render_client_find_async)
    r->rects = gk_render_client_find_finish (GK_RENDER_CLIENT (source), result, &r->error);
  else
    r->rects = gk_render_client_locate_finish (GK_RENDER_CLIENT (source), result, &r->error);
  r->done = TRUE;
}

static GkRenderClient *
open_pdf (const char *path)
{
  Result r = { 0 };

  gk_render_client_open_async (path, NULL, NULL, on_opened_cb, &r);
  WAIT (r.done, 20000);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.client);
  return g_steal_pointer (&r.client);
}

static void
render (GkRenderClient *client, guint page, double scale, Result *r)
{
  result_clear (r);
  gk_render_client_render_async (client, page, scale, GK_PDF_PRIORITY_VISIBLE, NULL, on_rendered_cb, r);
  WAIT (r->done, 30000);
}

/* Share of pixels that are not white. */
static double
ink_ratio (const GkRenderImage *image)
{
  const guint8 *data = g_bytes_get_data (image->pixels, NULL);
  guint64 ink = 0;

  for (guint y = 0; y < image->height; y++)
    for (guint x = 0; x < image->width; x++)
      {
        const guint8 *p = data + y * image->stride + x * 4;

        if (p[0] < 200 || p[1] < 200 || p[2] < 200)
          ink++;
      }
  return (double) ink / ((double) image->width * image->height);
}

static void
check_document (GkRenderClient *client, gboolean in_process)
{
  Result r = { 0 };
  double width, height;

  g_assert_cmpuint (gk_render_client_get_n_pages (client), ==, 6);
  gk_render_client_get_page_size (client, 0, &width, &height);
  g_assert_cmpfloat (fabs (width - 595.0), <, 2);
  g_assert_cmpfloat (fabs (height - 842.0), <, 2);
  if (in_process)
    g_assert_cmpint (gk_render_client_get_helper_pid (client), ==, 0);
  else
    {
      g_assert_cmpint (gk_render_client_get_helper_pid (client), >, 0);
      g_assert_cmpint (gk_render_client_get_helper_pid (client), !=, getpid ());
    }

  render (client, 0, 1.5, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (r.image->width, ==, (guint) ceil (width * 1.5));
  g_assert_cmpuint (r.image->height, ==, (guint) ceil (height * 1.5));
  g_assert_cmpuint (r.image->stride, >=, r.image->width * 4);
  g_assert_cmpuint (g_bytes_get_size (r.image->pixels), ==, r.image->stride * r.image->height);
  g_assert_cmpfloat (ink_ratio (r.image), >, 0.005);
  g_assert_cmpfloat (ink_ratio (r.image), <, 0.5);

  /* Huge scales are capped at 8192 pixels a side. */
  render (client, 1, 50.0, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (MAX (r.image->width, r.image->height), ==, 8192);

  /* A page that does not exist. */
  render (client, 99, 1.0, &r);
  g_assert_error (r.error, GK_ERROR, GK_ERROR_DAMAGED);
  result_clear (&r);
}

static void
test_helper (Fixture *f, gconstpointer data)
{
  g_autoptr(GkRenderClient) client = open_pdf (f->long_pdf);

  check_document (client, FALSE);
  g_assert_cmpuint (gk_render_client_get_n_starts (client), ==, 1);
}

static void
test_in_process (Fixture *f, gconstpointer data)
{
  g_autoptr(GkRenderClient) client = NULL;

  g_setenv ("GONGKAI_RENDER_IN_PROCESS", "1", TRUE);
  client = open_pdf (f->long_pdf);
  check_document (client, TRUE);
}

/* Find in chunks, with rectangles in page space from the top left; locate
 * maps a run of page text to where it is drawn. */
static void
test_find_locate (Fixture *f, gconstpointer data)
{
  g_autoptr(GkRenderClient) client = open_pdf (f->text_pdf);
  Result r = { 0 };
  GkPdfSpan span = { 1, 0, 3, 7 };
  double width, height;

  gk_render_client_find_async (client, "公开", on_found_cb, &r, NULL, on_rects_cb, &r);
  WAIT (r.done, 20000);
  g_assert_no_error (r.error);
  g_assert_cmpuint (r.chunks, >=, 1);
  /* Once on page 1, twice on page 2. */
  g_assert_cmpuint (r.rects->len, ==, 3);
  g_assert_cmpint (g_array_index (r.rects, GkPdfRect, 0).page, ==, 0);
  g_assert_cmpint (g_array_index (r.rects, GkPdfRect, 2).page, ==, 1);
  for (guint i = 0; i < r.rects->len; i++)
    {
      const GkPdfRect *rect = &g_array_index (r.rects, GkPdfRect, i);

      gk_render_client_get_page_size (client, (guint) rect->page, &width, &height);
      g_assert_cmpint (rect->tag, ==, (int) i);
      g_assert_cmpfloat (rect->width, >, 0);
      g_assert_cmpfloat (rect->y, >, 0);
      g_assert_cmpfloat (rect->y, <, height / 2);
    }
  result_clear (&r);

  gk_render_client_locate_async (client, &span, 1, NULL, on_rects_cb, &r);
  WAIT (r.done, 20000);
  g_assert_no_error (r.error);
  g_assert_cmpuint (r.rects->len, ==, 1);
  g_assert_cmpint (g_array_index (r.rects, GkPdfRect, 0).page, ==, 1);
  g_assert_cmpint (g_array_index (r.rects, GkPdfRect, 0).tag, ==, 7);
  g_assert_cmpfloat (g_array_index (r.rects, GkPdfRect, 0).width, >, 0);
  result_clear (&r);
}

/* A page that crashes the reader fails with a message and is not tried
 * again; other pages restart it, up to a bound; other documents go on. */
static void
test_crash (Fixture *f, gconstpointer data)
{
  g_autoptr(GkRenderClient) client = NULL;
  g_autoptr(GkRenderClient) other = NULL;
  g_autofree char *fault = g_strdup_printf ("crash:%s/long.pdf", f->dir);
  Result r = { 0 };

  g_setenv ("GONGKAI_RENDER_FAULT", fault, TRUE);
  /* Restarted readers inherit it too; it names long.pdf only. */
  client = open_pdf (f->long_pdf);
  other = open_pdf (f->text_pdf);

  render (client, 0, 1.0, &r);
  g_assert_error (r.error, GK_ERROR, GK_ERROR_DAMAGED);
  g_test_message ("%s", r.error->message);
  g_assert_nonnull (strstr (r.error->message, "crash"));
  g_assert_cmpuint (gk_render_client_get_n_starts (client), ==, 1);

  /* The same page again: the same message, no new reader. */
  render (client, 0, 1.0, &r);
  g_assert_error (r.error, GK_ERROR, GK_ERROR_DAMAGED);
  g_assert_nonnull (strstr (r.error->message, "crash"));
  g_assert_cmpuint (gk_render_client_get_n_starts (client), ==, 1);

  /* Other pages restart the reader (it crashes on each of them here)... */
  for (guint page = 1; page <= 3; page++)
    {
      render (client, page, 1.0, &r);
      g_assert_error (r.error, GK_ERROR, GK_ERROR_DAMAGED);
      g_assert_cmpuint (gk_render_client_get_n_starts (client), ==, page + 1);
    }
  /* ...four times at most. */
  render (client, 4, 1.0, &r);
  g_assert_error (r.error, GK_ERROR, GK_ERROR_FAILED);
  g_assert_cmpuint (gk_render_client_get_n_starts (client), ==, 4);

  /* The program and the other document are fine. */
  render (other, 0, 1.0, &r);
  g_assert_no_error (r.error);
  g_assert_cmpfloat (ink_ratio (r.image), >, 0.0002);
  result_clear (&r);
}

/* A reader that hangs is stopped after the timeout. */
static void
test_hang (Fixture *f, gconstpointer data)
{
  g_autoptr(GkRenderClient) client = NULL;
  g_autofree char *fault = g_strdup_printf ("hang:%s/long.pdf", f->dir);
  Result r = { 0 };
  gint64 start;

  g_setenv ("GONGKAI_RENDER_FAULT", fault, TRUE);
  client = open_pdf (f->long_pdf);
  g_unsetenv ("GONGKAI_RENDER_FAULT");
  gk_render_client_set_timeout (client, 1);

  start = g_get_monotonic_time ();
  render (client, 2, 1.0, &r);
  g_assert_error (r.error, GK_ERROR, GK_ERROR_DAMAGED);
  g_test_message ("%s after %" G_GINT64_FORMAT " ms", r.error->message,
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_nonnull (strstr (r.error->message, "longer than 1 second "));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  result_clear (&r);
}

/* The memory limit holds: a reader that allocates without end is refused
 * and stops, and the page says so. */
static void
test_memory (Fixture *f, gconstpointer data)
{
  g_autoptr(GkRenderClient) client = NULL;
  g_autofree char *fault = g_strdup_printf ("memory:%s/long.pdf", f->dir);
  Result r = { 0 };

#ifdef __SANITIZE_ADDRESS__
  g_test_skip ("no memory limit under AddressSanitizer");
  return;
#endif
  g_setenv ("GONGKAI_RENDER_FAULT", fault, TRUE);
  client = open_pdf (f->long_pdf);
  g_unsetenv ("GONGKAI_RENDER_FAULT");

  render (client, 0, 1.0, &r);
  g_assert_error (r.error, GK_ERROR, GK_ERROR_DAMAGED);
  g_test_message ("%s", r.error->message);
  g_assert_nonnull (strstr (r.error->message, "memory"));
  result_clear (&r);
}

static void
on_counted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  guint *n_cancelled = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkRenderImage) image = NULL;

  image = gk_render_client_render_finish (GK_RENDER_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    (*n_cancelled)++;
}

/* Scrolling fast cancels what scrolled away: nothing of it waits. */
static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GkRenderClient) client = open_pdf (f->long_pdf);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint n_cancelled = 0;
  Result r = { 0 };

  for (guint i = 0; i < 100; i++)
    gk_render_client_render_async (client, i % 6, 3.0, GK_PDF_PRIORITY_VISIBLE, cancellable,
                                   on_counted_cb, &n_cancelled);
  g_cancellable_cancel (cancellable);
  render (client, 5, 0.5, &r);
  g_assert_no_error (r.error);
  WAIT (n_cancelled == 100, 10000);
  result_clear (&r);
}

static void
on_closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  guint *n_closed = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkRenderImage) image = NULL;

  image = gk_render_client_render_finish (GK_RENDER_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    (*n_closed)++;
}

static void
check_close (GkRenderClient *client, gboolean in_process)
{
  GPid pid = gk_render_client_get_helper_pid (client);
  guint n_closed = 0;

  for (guint i = 0; i < 4; i++)
    gk_render_client_render_async (client, i, 8.0, GK_PDF_PRIORITY_VISIBLE, NULL, on_closed_cb, &n_closed);
  g_assert_cmpuint (gk_render_client_get_n_running (client), ==, 1);
  gk_render_client_close (client);
  g_assert_cmpuint (gk_render_client_get_n_running (client), ==, 0);
  if (!in_process)
    {
      /* Killed and reaped: not even a zombie is left. */
      g_assert_cmpint (pid, >, 0);
      g_assert_cmpint (kill (pid, 0), ==, -1);
      g_assert_cmpint (errno, ==, ESRCH);
    }
  gk_render_client_render_async (client, 0, 1.0, GK_PDF_PRIORITY_VISIBLE, NULL, on_closed_cb, &n_closed);
  WAIT (n_closed == 5, 10000);
}

/* Closing leaves no reader behind: no poppler code runs afterwards. */
static void
test_close (Fixture *f, gconstpointer data)
{
  g_autoptr(GkRenderClient) client = open_pdf (f->long_pdf);
  g_autoptr(GkRenderClient) threaded = NULL;

  check_close (client, FALSE);
  g_setenv ("GONGKAI_RENDER_IN_PROCESS", "1", TRUE);
  threaded = open_pdf (f->long_pdf);
  check_close (threaded, TRUE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  g_test_add ("/render/helper", Fixture, NULL, fixture_set_up, test_helper, fixture_tear_down);
  g_test_add ("/render/in-process", Fixture, NULL, fixture_set_up, test_in_process, fixture_tear_down);
  g_test_add ("/render/find-locate", Fixture, NULL, fixture_set_up, test_find_locate, fixture_tear_down);
  g_test_add ("/render/crash", Fixture, NULL, fixture_set_up, test_crash, fixture_tear_down);
  g_test_add ("/render/hang", Fixture, NULL, fixture_set_up, test_hang, fixture_tear_down);
  g_test_add ("/render/memory", Fixture, NULL, fixture_set_up, test_memory, fixture_tear_down);
  g_test_add ("/render/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/render/close", Fixture, NULL, fixture_set_up, test_close, fixture_tear_down);
  return g_test_run ();
}
