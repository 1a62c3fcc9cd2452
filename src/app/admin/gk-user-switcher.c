/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiAdmin"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-admin-window.h"
#include "gk-members-page.h"
#include "gk-user-switcher.h"

struct _GkUserSwitcher
{
  AdwBin      parent_instance;

  GkContext  *context;
  GtkWidget  *list_box;
  GtkWidget  *admin_button;
  GtkWidget  *admin_caption;
};

G_DEFINE_FINAL_TYPE (GkUserSwitcher, gk_user_switcher, ADW_TYPE_BIN)

static void show_members (GkUserSwitcher *self);

static void
close_popover (GkUserSwitcher *self)
{
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_POPOVER);

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

static void
on_row_activated_cb (GtkListBox     *list_box,
                     GtkListBoxRow  *row,
                     GkUserSwitcher *self)
{
  const char *user = g_object_get_data (G_OBJECT (row), "user");

  if (user != NULL)
    {
      close_popover (self);
      gk_user_switcher_switch_to (self, user);
    }
}

static void
on_admin_clicked_cb (GtkButton      *button,
                     GkUserSwitcher *self)
{
  close_popover (self);
  gk_user_switcher_open_admin (self);
}

static void
on_context_changed_cb (GkContext      *context,
                       GParamSpec     *pspec,
                       GkUserSwitcher *self)
{
  gk_user_switcher_reload (self);
}

static void
on_map_cb (GtkWidget      *widget,
           GkUserSwitcher *self)
{
  /* Members may have changed in the administration window. */
  gk_user_switcher_reload (self);
}

static void
gk_user_switcher_finalize (GObject *object)
{
  GkUserSwitcher *self = GK_USER_SWITCHER (object);

  g_clear_object (&self->context);

  G_OBJECT_CLASS (gk_user_switcher_parent_class)->finalize (object);
}

static void
gk_user_switcher_class_init (GkUserSwitcherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gk_user_switcher_finalize;
}

static void
gk_user_switcher_init (GkUserSwitcher *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Act As"));
  GtkWidget *hint = gtk_label_new (_("On a shared desk, choose who is working now. Every action "
                                     "is recorded under their name."));
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 36);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");

  self->list_box = gtk_list_box_new ();
  gtk_widget_set_name (self->list_box, "members-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list_box), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list_box, "boxed-list");
  g_signal_connect_object (self->list_box, "row-activated", G_CALLBACK (on_row_activated_cb), self, 0);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->list_box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);

  self->admin_button = gtk_button_new_with_mnemonic (_("_Administration…"));
  gtk_widget_set_name (self->admin_button, "admin-button");
  g_signal_connect_object (self->admin_button, "clicked", G_CALLBACK (on_admin_clicked_cb), self, 0);
  self->admin_caption = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->admin_caption), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->admin_caption), 36);
  gtk_label_set_xalign (GTK_LABEL (self->admin_caption), 0);
  gtk_widget_add_css_class (self->admin_caption, "dim-label");
  gtk_widget_add_css_class (self->admin_caption, "caption");

  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), hint);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_box_append (GTK_BOX (box), self->admin_button);
  gtk_box_append (GTK_BOX (box), self->admin_caption);
  gtk_widget_set_margin_top (box, 6);
  adw_bin_set_child (ADW_BIN (self), box);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), self);
}

/**
 * gk_user_switcher_new:
 * @context: the application context
 *
 * Returns: (transfer full): the switcher
 */
GtkWidget *
gk_user_switcher_new (GkContext *context)
{
  GkUserSwitcher *self;

  g_return_val_if_fail (GK_IS_CONTEXT (context), NULL);

  self = g_object_new (GK_TYPE_USER_SWITCHER, NULL);
  self->context = g_object_ref (context);
  g_signal_connect_object (context, "notify::store", G_CALLBACK (on_context_changed_cb), self, 0);
  g_signal_connect_object (context, "notify::user", G_CALLBACK (on_context_changed_cb), self, 0);
  g_signal_connect_object (context, "notify::members", G_CALLBACK (show_members), self, G_CONNECT_SWAPPED);
  gk_user_switcher_reload (self);
  return GTK_WIDGET (self);
}

/* The members as the context last read them; until then, nobody. */
static void
show_members (GkUserSwitcher *self)
{
  GPtrArray *members = gk_context_get_members (self->context);
  const char *acting = gk_context_get_user (self->context);
  gboolean admin = gk_context_can (self->context, GK_ACTION_MANAGE_MEMBERS, NULL, NULL);
  GtkWidget *child;

  gtk_label_set_text (GTK_LABEL (self->admin_caption),
                      admin ? _("Members, tags, numbering, review stages and the calendar.")
                            : _("Only admins can change the library’s settings; you can view them "
                                "and change this desk’s preferences."));
  while ((child = gtk_widget_get_first_child (self->list_box)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list_box), child);

  for (guint i = 0; members != NULL && i < members->len; i++)
    {
      GkMember *member = g_ptr_array_index (members, i);
      g_autofree char *roles = gk_roles_to_label (member->roles);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *avatar = adw_avatar_new (28, member->user, TRUE);
      GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), member->user);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), roles);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);
      gtk_widget_set_visible (check, g_strcmp0 (member->user, acting) == 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_name (row, member->user);
      g_object_set_data_full (G_OBJECT (row), "user", g_strdup (member->user), g_free);
      gtk_list_box_append (GTK_LIST_BOX (self->list_box), row);
    }
}

/**
 * gk_user_switcher_reload:
 * @self: the switcher
 *
 * Lists the members again, in the background (the rows shown stay until
 * the answer is in; a reload asked for meanwhile runs once after).
 */
void
gk_user_switcher_reload (GkUserSwitcher *self)
{
  g_return_if_fail (GK_IS_USER_SWITCHER (self));

  gtk_widget_set_visible (GTK_WIDGET (self), gk_context_get_store (self->context) != NULL);
  /* The check mark and the caption follow a switch of user at once; the
   * rows follow the context's read ("members"). */
  show_members (self);
  gk_context_reload_members (self->context);
}

/**
 * gk_user_switcher_is_loading:
 * @self: the switcher
 *
 * Returns: whether the members are being read
 */
gboolean
gk_user_switcher_is_loading (GkUserSwitcher *self)
{
  g_return_val_if_fail (GK_IS_USER_SWITCHER (self), FALSE);

  return gk_context_is_loading_members (self->context);
}

/**
 * gk_user_switcher_switch_to:
 * @self: the switcher
 * @user: a member's user name
 *
 * Returns: %TRUE when @user acts now (a member as last read)
 */
gboolean
gk_user_switcher_switch_to (GkUserSwitcher *self,
                            const char     *user)
{
  g_return_val_if_fail (GK_IS_USER_SWITCHER (self), FALSE);

  if (gk_context_get_store (self->context) == NULL || gk_context_get_roles_of (self->context, user) == GK_ROLE_NONE)
    return FALSE;
  gk_context_set_user (self->context, user);
  return TRUE;
}

/**
 * gk_user_switcher_open_admin:
 * @self: the switcher
 *
 * Returns: (transfer none): the administration window, shown
 */
GtkWidget *
gk_user_switcher_open_admin (GkUserSwitcher *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWindow *parent = NULL;
  GtkWidget *window;

  g_return_val_if_fail (GK_IS_USER_SWITCHER (self), NULL);

  /* In a popover the root is the main window too. */
  if (GTK_IS_WINDOW (root))
    parent = GTK_WINDOW (root);
  window = gk_admin_window_new (parent, self->context);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}
