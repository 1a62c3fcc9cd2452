/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiAdmin"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-members-page.h"
#include "gk-store-async.h"
#include "gk-util.h"

struct _GkMembersPage
{
  GkAdminPage  parent_instance;

  GtkWidget   *add_row;
  GtkWidget   *members_group;
  GHashTable  *member_rows;   /* user → AdwExpanderRow, not owned */
  gboolean     filling;
};

G_DEFINE_FINAL_TYPE (GkMembersPage, gk_members_page, GK_TYPE_ADMIN_PAGE)

static const struct
{
  GkRole      role;
  const char *name;
  const char *label;
  const char *description;
} roles[] = {
  { GK_ROLE_DRAFTER, "drafter", N_("Drafter"), N_("Imports documents, fills their records and submits them") },
  { GK_ROLE_REVIEWER, "reviewer", N_("Reviewer"), N_("Signs the confidentiality review and the release, or returns documents") },
  { GK_ROLE_PUBLISHER, "publisher", N_("Publisher"), N_("Publishes approved documents to the portal and withdraws them") },
  { GK_ROLE_ADMIN, "admin", N_("Admin"), N_("Manages members, the tag catalog and the library's settings") },
};

/* One change of a member's roles, from reading them to writing them. */
typedef struct
{
  GkMembersPage *self;
  GtkWidget     *widget;  /* the switch or the entry row that started it */
  char          *user;
  GkRole         role;    /* the switch's role */
  gboolean       on;
  GkRole         before;
} Change;

static void
change_free (Change *change)
{
  g_object_unref (change->self);
  g_object_unref (change->widget);
  g_free (change->user);
  g_free (change);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Change, change_free)

static Change *
change_new (GkMembersPage *self,
            GtkWidget     *widget,
            const char    *user)
{
  Change *change = g_new0 (Change, 1);

  change->self = g_object_ref (self);
  change->widget = g_object_ref (widget);
  change->user = g_strdup (user);
  /* Until the write is answered. */
  gtk_widget_set_sensitive (widget, FALSE);
  return change;
}

static const char *
get_actor (GkMembersPage *self)
{
  return gk_context_get_user (gk_admin_page_get_context (GK_ADMIN_PAGE (self)));
}

/* callbacks */

static void
on_role_set_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Change) change = user_data;
  GkMembersPage *self = change->self;
  GkAdminPage *page = GK_ADMIN_PAGE (self);
  g_autoptr(GError) error = NULL;

  if (!gk_store_set_member_finish (GK_STORE (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (change->widget, TRUE);
  if (error != NULL)
    {
      gk_admin_page_show_toast (page, error->message);
      /* Back to what the library holds. */
      self->filling = TRUE;
      gtk_switch_set_active (GTK_SWITCH (change->widget), (change->before & change->role) != 0);
      self->filling = FALSE;
      return;
    }
  gk_admin_page_reload (page);
}

static void
on_role_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Change) change = user_data;
  GkMembersPage *self = change->self;
  GkAdminPage *page = GK_ADMIN_PAGE (self);
  g_autoptr(GError) error = NULL;
  GkRole current;

  change->before = gk_store_get_roles_finish (GK_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      gtk_widget_set_sensitive (change->widget, TRUE);
      gk_admin_page_show_toast (page, error->message);
      return;
    }
  current = change->on ? (change->before | change->role) : (change->before & ~change->role);
  /* change->user lives as long as change, which the next callback owns. */
  gk_store_set_member_async (GK_STORE (source), get_actor (self), change->user, current,
                             gk_admin_page_get_cancellable (page), on_role_set_cb, change);
  change = NULL;
}

static void
on_role_switched_cb (GtkSwitch     *toggle,
                     GParamSpec    *pspec,
                     GkMembersPage *self)
{
  GkAdminPage *page = GK_ADMIN_PAGE (self);
  GkStore *store = gk_admin_page_get_store (page);
  Change *change;

  if (self->filling || store == NULL)
    return;
  change = change_new (self, GTK_WIDGET (toggle), g_object_get_data (G_OBJECT (toggle), "user"));
  change->role = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toggle), "role"));
  change->on = gtk_switch_get_active (toggle);
  /* The other roles as the library holds them, not as shown. */
  gk_store_get_roles_async (store, change->user, gk_admin_page_get_cancellable (page),
                            on_role_read_cb, change);
}

static void
on_member_added_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Change) change = user_data;
  GkAdminPage *page = GK_ADMIN_PAGE (change->self);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!gk_store_set_member_finish (GK_STORE (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (change->widget, TRUE);
  if (error != NULL)
    {
      gk_admin_page_show_toast (page, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (change->widget), "");
  text = g_strdup_printf (_("“%s” is a member now, as a drafter. Switch on "
                            "their other roles below."), change->user);
  gk_admin_page_show_toast (page, text);
  gk_admin_page_reload (page);
}

static void
on_add_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Change) change = user_data;
  GkMembersPage *self = change->self;
  GkAdminPage *page = GK_ADMIN_PAGE (self);
  g_autoptr(GError) error = NULL;
  GkRole current = gk_store_get_roles_finish (GK_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL || current != GK_ROLE_NONE)
    {
      g_autofree char *text = error == NULL ? g_strdup_printf (_("“%s” is already a member."), change->user)
                                            : NULL;

      gtk_widget_set_sensitive (change->widget, TRUE);
      gk_admin_page_show_toast (page, text ? text : error->message);
      return;
    }
  gk_store_set_member_async (GK_STORE (source), get_actor (self), change->user, GK_ROLE_DRAFTER,
                             gk_admin_page_get_cancellable (page), on_member_added_cb, change);
  change = NULL;
}

static void
on_add_applied_cb (AdwEntryRow   *row,
                   GkMembersPage *self)
{
  GkAdminPage *page = GK_ADMIN_PAGE (self);
  GkStore *store = gk_admin_page_get_store (page);
  g_autofree char *user = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (store == NULL || gk_str_is_blank (user))
    return;
  gk_store_get_roles_async (store, user, gk_admin_page_get_cancellable (page), on_add_read_cb,
                            change_new (self, GTK_WIDGET (row), user));
}

/* The rows */

static GtkWidget *
new_member_row (GkMembersPage *self,
                const char    *user)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *avatar = adw_avatar_new (32, user, TRUE);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), avatar);
  gtk_widget_set_name (row, user);

  for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
    {
      GtkWidget *role_row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();
      g_autofree char *name = g_strdup_printf ("%s:%s", user, roles[r].name);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (role_row), _(roles[r].label));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (role_row), _(roles[r].description));
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_widget_set_name (toggle, name);
      g_object_set_data_full (G_OBJECT (toggle), "user", g_strdup (user), g_free);
      g_object_set_data (G_OBJECT (toggle), "role", GUINT_TO_POINTER (roles[r].role));
      g_object_set_data (G_OBJECT (row), roles[r].name, toggle);
      g_signal_connect_object (toggle, "notify::active", G_CALLBACK (on_role_switched_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (role_row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (role_row), toggle);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), role_row);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->members_group), row);
  g_hash_table_insert (self->member_rows, g_strdup (user), row);
  return row;
}

/* Rows are updated in place (an expanded row stays open, a switch stays
 * the same widget); rows of members gone are removed. */
static void
show_members (GkMembersPage *self,
              GPtrArray     *members)
{
  const char *acting = get_actor (self);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;

  self->filling = TRUE;
  for (guint i = 0; members != NULL && i < members->len; i++)
    {
      GkMember *member = g_ptr_array_index (members, i);
      g_autofree char *summary = gk_roles_to_label (member->roles);
      g_autofree char *title = NULL;
      GtkWidget *row = g_hash_table_lookup (self->member_rows, member->user);

      if (row == NULL)
        row = new_member_row (self, member->user);
      g_hash_table_add (seen, member->user);
      if (g_strcmp0 (member->user, acting) == 0)
        title = g_strdup_printf (_("%s (you)"), member->user);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title ? title : member->user);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), summary);
      for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
        {
          GtkWidget *toggle = g_object_get_data (G_OBJECT (row), roles[r].name);

          /* A switch whose change is on its way is left to it. */
          if (gtk_widget_get_sensitive (toggle))
            gtk_switch_set_active (GTK_SWITCH (toggle), (member->roles & roles[r].role) != 0);
        }
    }
  g_hash_table_iter_init (&iter, self->member_rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (seen, key))
      {
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->members_group), value);
        g_hash_table_iter_remove (&iter);
      }
  self->filling = FALSE;
}

static void
on_members_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GkMembersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = gk_store_list_members_finish (GK_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (members == NULL)
    gk_admin_page_show_toast (GK_ADMIN_PAGE (self), error->message);
  else
    show_members (self, members);
  gk_admin_page_end_load (GK_ADMIN_PAGE (self));
}

/* overrides */

static void
gk_members_page_reload (GkAdminPage *page)
{
  GkMembersPage *self = GK_MEMBERS_PAGE (page);
  GkStore *store = gk_admin_page_get_store (page);

  if (store == NULL)
    {
      show_members (self, NULL);
      return;
    }
  gk_store_list_members_async (store, gk_admin_page_begin_load (page), on_members_cb,
                               g_object_ref (self));
}

static void
gk_members_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (gk_members_page_parent_class)->constructed (object);

  gk_admin_page_reload (GK_ADMIN_PAGE (object));
}

static void
gk_members_page_finalize (GObject *object)
{
  GkMembersPage *self = GK_MEMBERS_PAGE (object);

  g_clear_pointer (&self->member_rows, g_hash_table_unref);

  G_OBJECT_CLASS (gk_members_page_parent_class)->finalize (object);
}

static void
gk_members_page_class_init (GkMembersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GkAdminPageClass *page_class = GK_ADMIN_PAGE_CLASS (klass);

  object_class->constructed = gk_members_page_constructed;
  object_class->finalize = gk_members_page_finalize;
  page_class->reload = gk_members_page_reload;
}

static void
gk_members_page_init (GkMembersPage *self)
{
  GtkWidget *add_group = adw_preferences_group_new ();

  self->member_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Members"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "system-users-symbolic");
  gtk_widget_set_name (GTK_WIDGET (self), "members");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (add_group), _("Add a Member"));
  adw_preferences_group_set_description (
      ADW_PREFERENCES_GROUP (add_group),
      _ ("The user name is the account name people sign in with; on a shared desk, "
         "each chooses theirs with the button in the header bar."));
  self->add_row = adw_entry_row_new ();
  gtk_widget_set_name (self->add_row, "add-member-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->add_row), _("User name"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->add_row), TRUE);
  g_signal_connect_object (self->add_row, "apply", G_CALLBACK (on_add_applied_cb), self, 0);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_group), self->add_row);

  self->members_group = adw_preferences_group_new ();
  gtk_widget_set_name (self->members_group, "members-group");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->members_group), _("Members and Roles"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->members_group),
                                         _("One person cannot sign both review stages of a document, "
                                           "nor approve what they drafted, edited or submitted."));

  gk_admin_page_add_guarded (GK_ADMIN_PAGE (self), ADW_PREFERENCES_GROUP (add_group));
  gk_admin_page_add_guarded (GK_ADMIN_PAGE (self), ADW_PREFERENCES_GROUP (self->members_group));
}

/**
 * gk_members_page_new:
 * @context: the application context
 *
 * Returns: (transfer full): the page
 */
GtkWidget *
gk_members_page_new (GkContext *context)
{
  return g_object_new (GK_TYPE_MEMBERS_PAGE, "context", context, NULL);
}

/**
 * gk_role_to_label:
 * @role: one role
 *
 * Returns: its translated name
 */
const char *
gk_role_to_label (GkRole role)
{
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (roles[i].role == role)
      return _(roles[i].label);
  return "";
}

/**
 * gk_roles_to_label:
 * @bits: roles
 *
 * Returns: (transfer full): the roles in words, admin first
 */
char *
gk_roles_to_label (GkRole bits)
{
  static const GkRole order[] = { GK_ROLE_ADMIN, GK_ROLE_DRAFTER, GK_ROLE_REVIEWER, GK_ROLE_PUBLISHER };
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (bits & order[i])
      {
        if (text->len > 0)
          /* Translators: separates role names, "Admin, Drafter" */
          g_string_append (text, _(", "));
        g_string_append (text, gk_role_to_label (order[i]));
      }
  if (text->len == 0)
    return g_strdup (_("No role"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}
