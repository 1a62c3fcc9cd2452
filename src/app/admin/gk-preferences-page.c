/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiAdmin"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-preferences-page.h"
#include "gk-util.h"

struct _GkPreferencesPage
{
  AdwPreferencesPage  parent_instance;

  GkContext          *context;
  GSettings          *settings;
  GtkWidget          *library_row;
  GtkWidget          *default_button;
  GtkWidget          *insecure_switch;
  GtkWidget          *concurrency_spin;
  GtkNativeDialog    *chooser;
};

G_DEFINE_FINAL_TYPE (GkPreferencesPage, gk_preferences_page, ADW_TYPE_PREFERENCES_PAGE)

static void
update_library_row (GkPreferencesPage *self)
{
  g_autofree char *chosen = self->settings ? g_settings_get_string (self->settings, "library-path") : NULL;
  g_autofree char *fallback = gk_default_library_path ();
  g_autofree char *subtitle = NULL;

  if (!gk_str_is_blank (chosen))
    subtitle = g_strdup_printf (_("%s\nOpen now: %s"), chosen, gk_context_get_library_path (self->context));
  else
    subtitle = g_strdup_printf (_("Default (%s)\nOpen now: %s"), fallback,
                                gk_context_get_library_path (self->context));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->library_row), subtitle);
  gtk_widget_set_visible (self->default_button, !gk_str_is_blank (chosen));
}

static void
on_chooser_response_cb (GtkNativeDialog   *chooser,
                        int                response,
                        GkPreferencesPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->settings != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, "library-path", path);
    }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

static void
on_choose_clicked_cb (GtkButton         *button,
                      GkPreferencesPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Choose the Library Folder"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
on_default_clicked_cb (GtkButton         *button,
                       GkPreferencesPage *self)
{
  if (self->settings != NULL)
    g_settings_reset (self->settings, "library-path");
}

static void
gk_preferences_page_dispose (GObject *object)
{
  GkPreferencesPage *self = GK_PREFERENCES_PAGE (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  G_OBJECT_CLASS (gk_preferences_page_parent_class)->dispose (object);
}

static void
gk_preferences_page_finalize (GObject *object)
{
  GkPreferencesPage *self = GK_PREFERENCES_PAGE (object);

  g_clear_object (&self->context);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gk_preferences_page_parent_class)->finalize (object);
}

static void
gk_preferences_page_class_init (GkPreferencesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gk_preferences_page_dispose;
  object_class->finalize = gk_preferences_page_finalize;
}

static void
gk_preferences_page_init (GkPreferencesPage *self)
{
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Preferences"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "emblem-system-symbolic");
  gtk_widget_set_name (GTK_WIDGET (self), "preferences");
}

/**
 * gk_preferences_page_new:
 * @context: the application context
 *
 * Returns: (transfer full): the page
 */
GtkWidget *
gk_preferences_page_new (GkContext *context)
{
  GkPreferencesPage *self = g_object_new (GK_TYPE_PREFERENCES_PAGE, NULL);
  GtkWidget *library_group = adw_preferences_group_new ();
  GtkWidget *portal_group = adw_preferences_group_new ();
  GtkWidget *choose, *row;
  GtkAdjustment *adjustment;

  self->context = g_object_ref (context);
  self->settings = gk_context_get_settings (context) ? g_object_ref (gk_context_get_settings (context)) : NULL;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (library_group), _("Library"));
  adw_preferences_group_set_description (
      ADW_PREFERENCES_GROUP (library_group),
      _ ("The library this workstation opens when the program starts. "
         "A change takes effect at the next start."));
  self->library_row = adw_action_row_new ();
  gtk_widget_set_name (self->library_row, "library-path-row");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->library_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->library_row), _("Library folder"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self->library_row), 3);
  self->default_button = gtk_button_new_with_mnemonic (_("Use _Default"));
  gtk_widget_set_valign (self->default_button, GTK_ALIGN_CENTER);
  g_signal_connect_object (self->default_button, "clicked", G_CALLBACK (on_default_clicked_cb), self, 0);
  choose = gtk_button_new_with_mnemonic (_("C_hoose…"));
  gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
  g_signal_connect_object (choose, "clicked", G_CALLBACK (on_choose_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->library_row), self->default_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->library_row), choose);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (library_group), self->library_row);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (portal_group), _("Portal Connection"));
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Allow unencrypted connections"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Plain http:// to a portal on another computer. Only for a test portal "
                                 "on a closed network: the token would travel in the clear."));
  self->insecure_switch = gtk_switch_new ();
  gtk_widget_set_name (self->insecure_switch, "allow-insecure-switch");
  gtk_widget_set_valign (self->insecure_switch, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->insecure_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), self->insecure_switch);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (portal_group), row);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Documents sent at a time"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Lower it when the portal limits connections."));
  adjustment = gtk_adjustment_new (4, 1, 16, 1, 4, 0);
  self->concurrency_spin = gtk_spin_button_new (adjustment, 1, 0);
  gtk_widget_set_name (self->concurrency_spin, "concurrency-spin");
  gtk_widget_set_valign (self->concurrency_spin, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->concurrency_spin);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (portal_group), row);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (library_group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (portal_group));

  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "portal-allow-insecure", self->insecure_switch, "active",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "sync-concurrency", adjustment, "value", G_SETTINGS_BIND_DEFAULT);
      g_signal_connect_object (self->settings, "changed::library-path",
                               G_CALLBACK (update_library_row), self, G_CONNECT_SWAPPED);
    }
  else
    {
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (portal_group),
                                             _("The settings schema is not installed, so these cannot be kept."));
      gtk_widget_set_sensitive (portal_group, FALSE);
      gtk_widget_set_sensitive (choose, FALSE);
    }
  update_library_row (self);
  return GTK_WIDGET (self);
}
