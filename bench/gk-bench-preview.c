/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gk-bench-preview FILE.pdf [SCALE]: opens FILE through the preview's
 * render client (a gongkai-render helper, as the window does) and gets
 * page 1 as pixels, then exits.  bench/bench-preview.sh times it against
 * pdftocairo on the same file. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "gk-render-client.h"

typedef struct
{
  GkRenderClient *client;
  GkRenderImage  *image;
  GError         *error;
  gboolean        done;
} Run;

static void
on_rendered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;

  run->image = gk_render_client_render_finish (GK_RENDER_CLIENT (source), result, &run->error);
  run->done = TRUE;
}

static void
on_opened_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;

  run->client = gk_render_client_open_finish (result, &run->error);
  if (run->client == NULL)
    run->done = TRUE;
}

int
main (int argc, char **argv)
{
  Run run = { 0 };
  double scale = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 150.0 / 72.0;

  if (argc < 2 || argc > 3 || !(scale > 0))
    {
      fprintf (stderr, "usage: gk-bench-preview FILE.pdf [SCALE]\n");
      return 2;
    }
  gk_render_client_open_async (argv[1], NULL, NULL, on_opened_cb, &run);
  while (run.client == NULL && !run.done)
    g_main_context_iteration (NULL, TRUE);
  if (run.client != NULL)
    {
      gk_render_client_render_async (run.client, 0, scale, GK_PDF_PRIORITY_VISIBLE, NULL,
                                     on_rendered_cb, &run);
      while (!run.done)
        g_main_context_iteration (NULL, TRUE);
    }
  if (run.image == NULL)
    {
      fprintf (stderr, "gk-bench-preview: %s\n", run.error ? run.error->message : "no page");
      return 1;
    }
  if (g_getenv ("GK_BENCH_VERBOSE"))
    fprintf (stderr, "%u×%u pixels, %u pages\n", run.image->width, run.image->height,
             gk_render_client_get_n_pages (run.client));
  gk_render_image_free (run.image);
  gk_render_client_close (run.client);
  g_object_unref (run.client);
  return 0;
}
