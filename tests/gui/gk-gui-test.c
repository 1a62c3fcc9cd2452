/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiGuiTest"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <glib/gstdio.h>

#include "gk-app-util.h"
#include "gk-gui-test.h"
#include "gk-store.h"
#include "gk-user-switcher.h"
#include "gk-application.h"
#include "gk-window-private.h"

gboolean
gk_gui_test_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
gk_gui_test_init (int    *argc,
                  char ***argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  gtk_test_init (argc, argv, NULL);
  /* As the program does (gk-main.c). */
  gk_choose_renderer ();
  /* The tests check English words; with GONGKAI_LOCALEDIR set (by hand,
   * for screenshots in the users' language) they show translations. */
  if (g_getenv ("GONGKAI_LOCALEDIR") != NULL)
    {
      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("GONGKAI_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  adw_init ();
  /* Transitions only cost time in a test. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

gboolean
gk_gui_test_wait (gboolean (*cond) (gpointer data),
                  gpointer   data,
                  guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (20, gk_gui_test_tick, NULL);
  gboolean ok;

  while (!(ok = cond (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return ok;
}

void
gk_gui_test_pump (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  guint tick = g_timeout_add (10, gk_gui_test_tick, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

char *
gk_gui_test_make_tmp (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("gongkai-gui-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
gk_gui_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          gk_gui_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
gk_gui_test_store_result (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GkContext *
gk_gui_test_new_library (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "library", NULL);
  const char *user = g_getenv ("GONGKAI_USER") ? g_getenv ("GONGKAI_USER") : "tester";
  GkContext *context = gk_context_new (path, user);
  static const char *tags[] = { "政务公开", "工作要点", "行政规范性文件", "应急预案" };

  g_autoptr(GAsyncResult) result = NULL;

  gk_context_open_async (context, TRUE, NULL, gk_gui_test_store_result, &result);
  GK_GUI_WAIT (result != NULL, 10000);
  g_assert_true (gk_context_open_finish (context, result, &error));
  g_assert_no_error (error);
  g_assert_true (gk_context_get_roles (context) & GK_ROLE_ADMIN);
  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    {
      g_autoptr(GkTag) tag = gk_store_add_tag (gk_context_get_store (context), user, tags[i],
                                               i == 2 ? "政务公开" : NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (tag);
    }
  return context;
}

char *
gk_gui_test_screenshot (GtkWidget  *widget,
                        const char *name)
{
  const char *dir = g_getenv ("GONGKAI_TEST_ARTIFACTS");
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (dir == NULL || *dir == '\0')
    dir = g_get_tmp_dir ();
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, file, NULL);

  g_assert_true (width > 0 && height > 0);
  paintable = gtk_widget_paintable_new (widget);
  /* A window just shown may not have drawn its first frame yet: wait for
   * it (bounded), rather than take an empty picture. */
  for (int tries = 0; node == NULL && tries < 100; tries++)
    {
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node == NULL)
        gk_gui_test_pump (50);
    }
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

double
gk_gui_test_ink_ratio (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *pixels = g_malloc (stride * height);
  guint64 ink = 0;

  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = pixels + y * stride + x * 4;

        /* BGRA, premultiplied; white is 255,255,255,255. */
        if (p[3] > 0 && (p[0] < 200 || p[1] < 200 || p[2] < 200))
          ink++;
      }
  return (double) ink / ((double) width * height);
}

GtkWidget *
gk_gui_test_find_named (GtkWidget  *root,
                        const char *name)
{
  if (root == NULL)
    return NULL;
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = gk_gui_test_find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
gk_gui_test_find_type (GtkWidget *root,
                       GType      type)
{
  if (root == NULL)
    return NULL;
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = gk_gui_test_find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect (GtkWidget *widget,
         GString   *text)
{
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (text, gtk_label_get_label (GTK_LABEL (widget)));
      g_string_append_c (text, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, text);
}

char *
gk_gui_test_collect_text (GtkWidget *root)
{
  GString *text = g_string_new (NULL);

  collect (root, text);
  return g_string_free (text, FALSE);
}

GtkWidget *
gk_gui_test_open_window (GkApplication  *app,
                         GkContext      *context,
                         const char     *view)
{
  GkWindow *window = gk_window_new (app, context);

  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  GK_GUI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (window)) &&
               gtk_widget_get_width (GTK_WIDGET (window)) > 0, 5000);
  gk_window_select_view (window, view);
  return GTK_WIDGET (window);
}

void
gk_gui_test_switch_user (GtkWidget  *window,
                         GkContext  *context,
                         const char *who)
{
  /* A copy: who may be the context's own string, which switching frees. */
  g_autofree char *user = g_strdup (who);
  GtkWidget *switcher, *members, *row;

  switcher = gk_gui_test_find_type (window, GK_TYPE_USER_SWITCHER);
  g_assert_nonnull (switcher);
  gk_user_switcher_reload (GK_USER_SWITCHER (switcher));
  /* The members are read in the background. */
  GK_GUI_WAIT (!gk_user_switcher_is_loading (GK_USER_SWITCHER (switcher)), 5000);
  members = gk_gui_test_find_named (switcher, "members-list");
  g_assert_nonnull (members);
  row = gk_gui_test_find_named (members, user);
  g_assert_nonnull (row);
  g_signal_emit_by_name (members, "row-activated", row);
  g_assert_cmpstr (gk_context_get_user (context), ==, user);
  g_assert_nonnull (strstr (gk_window_get_user_text (GK_WINDOW (window)), user));
  gk_gui_test_pump (20);
}
