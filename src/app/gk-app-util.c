/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Gongkai"

#include "config.h"

#include <epoxy/gl.h>
#include <glib/gi18n.h>
#include <string.h>

#include "gk-app-util.h"
#include "gk-util.h"

/**
 * gk_show_web_link:
 * @widget: the widget asking (for the parent window)
 * @uri: (nullable): the address
 *
 * The one way the window opens a link that came from a record or the
 * portal: a portal could send any kind of link, and gtk_show_uri()
 * would hand javascript: or file: on as well.
 *
 * Returns: %TRUE if @uri was an http(s) address and was opened
 */
gboolean
gk_show_web_link (GtkWidget  *widget,
                  const char *uri)
{
  GtkRoot *root = widget != NULL ? gtk_widget_get_root (widget) : NULL;

  if (!gk_url_is_http (uri))
    {
      g_debug ("not opening a link that is not an http(s) address");
      return FALSE;
    }
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
  return TRUE;
}

/**
 * gk_widget_show_toast:
 * @widget: a widget inside an #AdwToastOverlay
 * @text: what to say, in the user's words
 *
 * Shows @text as a toast; logs it when there is no overlay.
 */
void
gk_widget_show_toast (GtkWidget  *widget,
                      const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwToast *toast;

  /* From the window itself (or a dialog of it): its content's overlay. */
  if (overlay == NULL && GTK_IS_WINDOW (root) && !ADW_IS_APPLICATION_WINDOW (root))
    root = GTK_ROOT (gtk_window_get_transient_for (GTK_WINDOW (root)));
  if (overlay == NULL && ADW_IS_APPLICATION_WINDOW (root) &&
      ADW_IS_TOAST_OVERLAY (adw_application_window_get_content (ADW_APPLICATION_WINDOW (root))))
    overlay = adw_application_window_get_content (ADW_APPLICATION_WINDOW (root));
  if (overlay == NULL)
    {
      g_message ("%s", text);
      return;
    }
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/**
 * gk_format_timestamp:
 * @iso: (nullable): an ISO 8601 timestamp
 *
 * Returns: (transfer full): the local date and time, or @iso when it
 *   cannot be read
 */
char *
gk_format_timestamp (const char *iso)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso == NULL)
    return g_strdup ("");
  utc = g_date_time_new_from_iso8601 (iso, NULL);
  if (utc == NULL)
    return g_strdup (iso);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/**
 * gk_format_days_left:
 * @days: working days left; negative when overdue
 *
 * Returns: (transfer full): the days in words
 */
char *
gk_format_days_left (int days)
{
  if (days == 0)
    return g_strdup (_("Due today"));
  if (days < 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d working day overdue", "%d working days overdue", -days), -days);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d working day left", "%d working days left", days), days);
}

/**
 * gk_format_topic:
 * @topic: (nullable): a 主题分类 name
 *
 * Returns: (transfer full): the name for people
 */
char *
gk_format_topic (const char *topic)
{
  g_auto(GStrv) parts = NULL;

  if (topic == NULL)
    return g_strdup ("");
  parts = g_strsplit (topic, "\\", -1);
  return g_strjoinv (" › ", parts);
}

static gboolean
on_row_query_tooltip_cb (
    GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip, gpointer user_data)
{
  const char *text = g_object_get_data (G_OBJECT (widget), "gk-row-tooltip");

  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/**
 * gk_widget_set_row_tooltip:
 * @widget: a widget of a list row
 * @text: (nullable): its tooltip, or %NULL for none
 */
void
gk_widget_set_row_tooltip (GtkWidget *widget, const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (g_object_get_data (G_OBJECT (widget), "gk-row-tooltip-connected") == NULL)
    {
      g_object_set_data (G_OBJECT (widget), "gk-row-tooltip-connected", GINT_TO_POINTER (TRUE));
      gtk_widget_set_has_tooltip (widget, TRUE);
      g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_row_query_tooltip_cb), NULL);
    }
  g_object_set_data_full (G_OBJECT (widget), "gk-row-tooltip", g_strdup (text), g_free);
}

/**
 * gk_row_label_new:
 *
 * Returns: (transfer floating): a start-aligned one-line label that
 *   ellipsizes at its end
 */
GtkWidget *
gk_row_label_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  return label;
}

void
gk_widget_change_tooltip (GtkWidget *widget, const char *text)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

/**
 * gk_choose_renderer:
 *
 * GTK 4.8 draws with OpenGL wherever it can, also where OpenGL is
 * Mesa's software rasterizer: a virtual desktop, a remote session, a PC
 * without a GPU driver — common in an office.  There every frame waits
 * for llvmpipe's threads, which compete with the importer and the sync
 * for the cores: on 2 cores the window's longest main-loop gap was
 * 100–176 ms with GL against 14–31 ms drawn by cairo
 * (docs/performance.md).  So where OpenGL is software, draw with cairo,
 * unless GSK_RENDERER says otherwise.
 *
 * Call it after gtk_init() and before the first window is realized, from
 * main() while no other thread runs: it sets GSK_RENDERER, which GTK
 * reads when it realizes a window.
 *
 * Returns: (nullable): the OpenGL renderer's name when cairo was chosen
 *   because of it, %NULL when GTK chooses as it always does
 */
const char *
gk_choose_renderer (void)
{
  static const char *const software[] = { "llvmpipe", "softpipe", "Software Rasterizer", "SWR" };
  static char             *chosen_for = NULL;
  static gboolean          probed = FALSE;
  g_autoptr (GdkGLContext) context = NULL;
  g_autoptr (GError) error = NULL;
  GdkDisplay *display = gdk_display_get_default ();
  const char *name;

  /* Asked once: a second call answers as the first. */
  if (probed)
    return chosen_for;
  if (display == NULL || g_getenv ("GSK_RENDERER") != NULL)
    return NULL;
  probed = TRUE;
  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      /* GTK finds that out too and draws with cairo. */
      g_debug ("No OpenGL: %s", error->message);
      return NULL;
    }
  gdk_gl_context_make_current (context);
  name = (const char *) glGetString (GL_RENDERER);
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (software); i++)
    if (strstr (name, software[i]) != NULL)
      {
        chosen_for = g_strdup (name);
        break;
      }
  gdk_gl_context_clear_current ();
  if (chosen_for == NULL)
    return NULL;
  g_debug ("OpenGL is drawn in software (%s): drawing with cairo", chosen_for);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  return chosen_for;
}
