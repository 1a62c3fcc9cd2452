/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gk-application.h"
#include "gk-context.h"

G_BEGIN_DECLS

/* Shared by the GUI tests: init, a bounded main-loop pump (as Nautilus'
 * ITER_CONTEXT_WHILE, but with a deadline), a temporary library and
 * screenshots into $GONGKAI_TEST_ARTIFACTS. */

void        gk_gui_test_init        (int         *argc,
                                     char      ***argv);
/* Iterate the default main context until cond (checked every wake-up, at
 * least every 20 ms) or timeout_ms passes; TRUE if cond held. */
gboolean    gk_gui_test_wait        (gboolean   (*cond) (gpointer data),
                                     gpointer     data,
                                     guint        timeout_ms);
/* Let pending idles and redraws run for about ms milliseconds. */
void        gk_gui_test_pump        (guint        ms);

#define GK_GUI_WAIT(expr, timeout_ms)                                        \
  G_STMT_START {                                                             \
    gint64 gk_wait_end_ = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000; \
    guint gk_wait_tick_ = g_timeout_add (20, gk_gui_test_tick, NULL);         \
    while (!(expr) && g_get_monotonic_time () < gk_wait_end_)                 \
      g_main_context_iteration (NULL, TRUE);                                  \
    g_source_remove (gk_wait_tick_);                                          \
    if (!(expr))                                                              \
      g_error ("%s:%d: timed out after %u ms waiting for %s",                 \
               __FILE__, __LINE__, (guint) (timeout_ms), #expr);              \
  } G_STMT_END

gboolean    gk_gui_test_tick        (gpointer     data);
/* A GAsyncReadyCallback keeping a reference to the result in
 * *(GAsyncResult **) user_data, for GK_GUI_WAIT (result != NULL, …). */
void        gk_gui_test_store_result (GObject      *source,
                                      GAsyncResult *result,
                                      gpointer      user_data);

/* A new temporary folder (removed by gk_gui_test_remove_tree()). */
char       *gk_gui_test_make_tmp    (void);
void        gk_gui_test_remove_tree (const char  *path);
/* A context on a new library in dir/library: the test user ($GONGKAI_USER)
 * is admin and drafter; the catalog holds a few tags. */
GkContext  *gk_gui_test_new_library (const char  *dir);

/* Render widget as it is on screen into a PNG in the artifacts folder
 * ($GONGKAI_TEST_ARTIFACTS, else the temp folder); returns the path. */
char       *gk_gui_test_screenshot  (GtkWidget   *widget,
                                     const char  *name);
/* Fraction of pixels that are not (near) white. */
double      gk_gui_test_ink_ratio   (GdkTexture  *texture);

/* Depth-first search of widget's tree. */
GtkWidget  *gk_gui_test_find_named  (GtkWidget   *root,
                                     const char  *name);
GtkWidget  *gk_gui_test_find_type   (GtkWidget   *root,
                                     GType        type);
/* Every label text under root, joined with newlines. */
char       *gk_gui_test_collect_text (GtkWidget  *root);

/* A real GkWindow for context, presented, mapped and showing view. */
GtkWidget  *gk_gui_test_open_window (GkApplication  *app,
                                     GkContext      *context,
                                     const char     *view);
/* Act as user, as a person on a shared desk does: through the member
 * list of the header bar's user popover. */
void        gk_gui_test_switch_user (GtkWidget   *window,
                                     GkContext   *context,
                                     const char  *user);

G_END_DECLS
