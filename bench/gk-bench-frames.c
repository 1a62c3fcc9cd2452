/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's longest frame gap while the store works (bench/bench-frames.sh).
 *
 *   gk-bench-frames WORKDIR GONGKAI-CTL [SYNC-LIBRARY PORTAL-URL]
 *
 * Opens a new library in WORKDIR in a real window (run it under Xvfb),
 * keeps the frame clock running (a tick callback) and records the longest
 * time between two frames, and between two wake-ups of a 1 ms main-loop
 * heartbeat, during:
 *   idle     — nothing (the baseline of the machine and the X server);
 *   import   — the window imports 60 generated 公文 PDFs;
 *   other    — a gongkai-ctl process imports 60 more into the same
 *              library while the window shows it (and follows it);
 *   sync     — with SYNC-LIBRARY (gk-bench-sync prepare: approved items)
 *              and a portal: the publish page publishes them all, the
 *              token from GONGKAI_PORTAL_TOKEN, the page showing the
 *              progress and each result.
 * Prints one line per scenario; the frame budget is 16 ms at 60 Hz. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "gk-app-util.h"
#include "gk-application.h"
#include "gk-context.h"
#include "gk-fixtures.h"
#include "gk-publish-page.h"
#include "gk-store-async.h"
#include "gk-window.h"
#include "gk-window-private.h"

#define N_DOCS 60

static gint64 last_frame, longest_frame, last_beat, longest_beat, longest_beat_at, started;
static gint64 trace_us; /* BENCH_TRACE=MS: print every main-loop gap longer than MS */
static guint n_frames;

static gboolean
on_tick_cb (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_frame != 0)
    longest_frame = MAX (longest_frame, now - last_frame);
  last_frame = now;
  n_frames++;
  /* A tick callback keeps the frame clock running (60 Hz) without
   * asking for a redraw: the gap measures what holds the main loop. */
  return G_SOURCE_CONTINUE;
}

static gboolean
on_beat_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (trace_us > 0 && last_beat != 0 && now - last_beat > trace_us)
    g_printerr ("beat gap %.0f ms ending at %.2f s (frames so far %u)\n", (now - last_beat) / 1e3,
                (now - started) / 1e6, n_frames);
  if (last_beat != 0 && now - last_beat > longest_beat)
    {
      longest_beat = now - last_beat;
      longest_beat_at = now - started;
    }
  last_beat = now;
  return G_SOURCE_CONTINUE;
}

static void
reset (void)
{
  last_frame = longest_frame = last_beat = longest_beat = longest_beat_at = 0;
  started = g_get_monotonic_time ();
  n_frames = 0;
}

static void
report (const char *scenario,
        gint64      elapsed)
{
  g_print ("%-7s frames %5u in %6.1f s; longest frame gap %6.1f ms; longest main-loop gap %6.1f ms"
           " (ended at %.1f s)\n",
           scenario, n_frames, elapsed / 1e6, longest_frame / 1e3, longest_beat / 1e3,
           longest_beat_at / 1e6);
}

static void
iterate_until (gboolean (*done) (gpointer), gpointer data, guint timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  if (!done (data))
    g_error ("timed out after %u s", timeout_s);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
import_done (gpointer data)
{
  return !gk_window_is_importing (data);
}

static gboolean
process_done (gpointer data)
{
  return *(gboolean *) data;
}

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
page_idle (gpointer data)
{
  return !gk_publish_page_get_busy (data);
}

static void
on_opened_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
on_exited_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static char **
write_docs (const char *dir,
            const char *prefix)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();

  g_mkdir_with_parents (dir, 0700);
  for (guint i = 0; i < N_DOCS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("%s-%02u.pdf", prefix, i);
      char *path = g_build_filename (dir, name, NULL);
      g_autofree char *head = g_strdup_printf ("沪应急%s〔2026〕%u号", prefix, i + 1);
      g_autofree char *title = g_strdup_printf ("关于做好第%u批%s工作的通知", i + 1, prefix);
      const char *pages[] = { head, title, "各区应急管理局：现将有关事项通知如下。",
                              "一、高度重视，加强组织领导。二、落实责任，确保按时完成。",
                              "上海市应急管理局", "2026年3月1日", NULL };

      if (!gk_fixture_write_text_pdf (path, pages, &error))
        g_error ("%s", error->message);
      g_ptr_array_add (paths, path);
    }
  g_ptr_array_add (paths, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&paths), FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkApplication) app = NULL;
  g_autoptr(GkContext) context = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GSubprocess) ctl = NULL;
  g_autofree char *library = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_auto(GStrv) first_paths = NULL;
  g_auto(GStrv) second_paths = NULL;
  GkWindow *window;
  const char *software_gl;
  gboolean exited = FALSE;
  gint64 start;
  guint beat;

  if (argc != 3 && argc != 5)
    {
      g_printerr ("usage: gk-bench-frames WORKDIR GONGKAI-CTL [SYNC-LIBRARY PORTAL-URL]\n");
      return 2;
    }
  library = g_build_filename (argv[1], "library", NULL);
  first = g_build_filename (argv[1], "window-import", NULL);
  second = g_build_filename (argv[1], "ctl-import", NULL);
  first_paths = write_docs (first, "窗口");
  second_paths = write_docs (second, "命令行");

  if (g_getenv ("BENCH_TRACE") != NULL)
    trace_us = 1000 * g_ascii_strtoll (g_getenv ("BENCH_TRACE"), NULL, 10);
  gtk_init ();
  /* As the program does (gk-main.c): cairo where OpenGL is software. */
  software_gl = gk_choose_renderer ();
  if (software_gl != NULL)
    g_print ("OpenGL is drawn in software (%s): the window draws with cairo\n", software_gl);
  adw_init ();
  app = gk_application_new ();
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  context = gk_context_new (library, g_get_user_name ());
  gk_context_open_async (context, TRUE, NULL, on_opened_cb, &opened);
  iterate_until (is_set, &opened, 30);
  if (!gk_context_open_finish (context, opened, &error))
    g_error ("%s", error->message);

  window = gk_window_new (app, context);
  gtk_window_set_default_size (GTK_WINDOW (window), 1360, 860);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick_cb, NULL, NULL);
  beat = g_timeout_add (1, on_beat_cb, NULL);

  /* Settle: the first frames map the window. */
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () < start + G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);

  /* The baseline: the same window, idle. */
  reset ();
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () < start + 3 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  report ("idle", g_get_monotonic_time () - start);

  reset ();
  start = g_get_monotonic_time ();
  gk_window_import_paths (window, (const char *const *) first_paths);
  iterate_until (import_done, window, 600);
  report ("import", g_get_monotonic_time () - start);

  /* Started before the measurement: forking this process (a window,
   * its threads and GL) costs the bench's main loop, not the window's. */
  ctl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                          argv[2], "--library", library, "--as", g_get_user_name (),
                          "import", "--jobs", "2", second, NULL);
  if (ctl == NULL)
    g_error ("%s", error->message);
  reset ();
  start = g_get_monotonic_time ();
  g_subprocess_wait_async (ctl, NULL, on_exited_cb, &exited);
  iterate_until (process_done, &exited, 600);
  /* And the refresh it causes. */
  {
    gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  report ("other", g_get_monotonic_time () - start);

  gk_store_wait_writes (gk_context_get_store (context));
  gtk_window_destroy (GTK_WINDOW (window));

  if (argc == 5)
    {
      g_autoptr (GkContext) synced = gk_context_new (argv[3], "admin");
      g_autoptr (GAsyncResult) sync_opened = NULL;
      GkPublishPage *page;
      const char    *summary;

      gk_context_open_async (synced, FALSE, NULL, on_opened_cb, &sync_opened);
      iterate_until (is_set, &sync_opened, 30);
      if (!gk_context_open_finish (synced, sync_opened, &error) ||
          !gk_store_set_setting (gk_context_get_store (synced), "admin", "portal_url", argv[4],
                                 &error))
        g_error ("%s", error->message);
      window = gk_window_new (app, synced);
      gtk_window_set_default_size (GTK_WINDOW (window), 1360, 860);
      gtk_window_present (GTK_WINDOW (window));
      gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick_cb, NULL, NULL);
      gk_window_select_view (window, "sync");
      page = GK_PUBLISH_PAGE (find_type (GTK_WIDGET (window), GK_TYPE_PUBLISH_PAGE));
      start = g_get_monotonic_time ();
      while (g_get_monotonic_time () < start + 2 * G_USEC_PER_SEC)
        g_main_context_iteration (NULL, TRUE);
      iterate_until (page_idle, page, 60);

      reset ();
      start = g_get_monotonic_time ();
      gk_publish_page_publish (page);
      iterate_until (page_idle, page, 1200);
      report ("sync", g_get_monotonic_time () - start);
      summary = gk_publish_page_get_report_summary (page);
      g_print ("        %s\n", summary != NULL ? summary : "(no report)");
      gk_store_wait_writes (gk_context_get_store (synced));
      gtk_window_destroy (GTK_WINDOW (window));
    }

  g_source_remove (beat);
  return 0;
}
