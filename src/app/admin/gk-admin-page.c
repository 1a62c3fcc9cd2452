/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiAdmin"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-admin-page.h"
#include "gk-store-watch.h"

typedef struct
{
  GkContext    *context;
  GkStore      *store;
  GkStoreWatch *watch;
  GtkWidget    *notice_group;
  GPtrArray    *guarded;      /* AdwPreferencesGroup*, not owned */
} GkAdminPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (GkAdminPage, gk_admin_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_guard (GkAdminPage *self)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);
  gboolean admin = gk_admin_page_is_admin (self);

  for (guint i = 0; i < priv->guarded->len; i++)
    gtk_widget_set_sensitive (g_ptr_array_index (priv->guarded, i), admin && priv->store != NULL);

  if (priv->store == NULL)
    {
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (priv->notice_group),
                                             _("No library is open."));
      gtk_widget_set_visible (priv->notice_group, TRUE);
    }
  else if (!admin && priv->guarded->len > 0)
    {
      g_autofree char *roles = gk_context_describe_roles (priv->context);
      g_autofree char *text =
        g_strdup_printf (_("Only an admin of this library can change these settings. "
                           "You act as %s (%s)."), gk_context_get_user (priv->context), roles);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (priv->notice_group), text);
      gtk_widget_set_visible (priv->notice_group, TRUE);
    }
  else
    gtk_widget_set_visible (priv->notice_group, FALSE);
}

static void
on_store_changed (gpointer owner)
{
  gk_admin_page_reload (GK_ADMIN_PAGE (owner));
}

static void
set_store (GkAdminPage *self,
           GkStore     *store)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  if (priv->store == store)
    return;
  g_clear_pointer (&priv->watch, gk_store_watch_free);
  g_set_object (&priv->store, store);
  if (store != NULL)
    priv->watch = gk_store_watch_new (store, self, on_store_changed);
}

static void
on_context_changed_cb (GkContext   *context,
                       GParamSpec  *pspec,
                       GkAdminPage *self)
{
  set_store (self, gk_context_get_store (context));
  gk_admin_page_reload (self);
}

static void
gk_admin_page_constructed (GObject *object)
{
  GkAdminPage *self = GK_ADMIN_PAGE (object);
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  G_OBJECT_CLASS (gk_admin_page_parent_class)->constructed (object);

  g_signal_connect_object (priv->context, "notify::store", G_CALLBACK (on_context_changed_cb), self, 0);
  g_signal_connect_object (priv->context, "notify::user", G_CALLBACK (on_context_changed_cb), self, 0);
  set_store (self, gk_context_get_store (priv->context));
}

static void
gk_admin_page_dispose (GObject *object)
{
  GkAdminPage *self = GK_ADMIN_PAGE (object);
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  g_clear_pointer (&priv->watch, gk_store_watch_free);

  G_OBJECT_CLASS (gk_admin_page_parent_class)->dispose (object);
}

static void
gk_admin_page_finalize (GObject *object)
{
  GkAdminPage *self = GK_ADMIN_PAGE (object);
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  g_clear_object (&priv->context);
  g_clear_object (&priv->store);
  g_clear_pointer (&priv->guarded, g_ptr_array_unref);

  G_OBJECT_CLASS (gk_admin_page_parent_class)->finalize (object);
}

static void
gk_admin_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (GK_ADMIN_PAGE (object));

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, priv->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_admin_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (GK_ADMIN_PAGE (object));

  switch (prop_id)
    {
    case PROP_CONTEXT:
      priv->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_admin_page_class_init (GkAdminPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gk_admin_page_constructed;
  object_class->dispose = gk_admin_page_dispose;
  object_class->finalize = gk_admin_page_finalize;
  object_class->get_property = gk_admin_page_get_property;
  object_class->set_property = gk_admin_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, GK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gk_admin_page_init (GkAdminPage *self)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  priv->guarded = g_ptr_array_new ();
  priv->notice_group = adw_preferences_group_new ();
  gtk_widget_set_name (priv->notice_group, "admin-notice");
  gtk_widget_add_css_class (priv->notice_group, "admin-notice");
  gtk_widget_set_visible (priv->notice_group, FALSE);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (priv->notice_group));
}

/**
 * gk_admin_page_get_context:
 * @self: a page
 *
 * Returns: (transfer none): its context
 */
GkContext *
gk_admin_page_get_context (GkAdminPage *self)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  return priv->context;
}

/**
 * gk_admin_page_get_store:
 * @self: a page
 *
 * Returns: (transfer none) (nullable): the open store
 */
GkStore *
gk_admin_page_get_store (GkAdminPage *self)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  return priv->store;
}

/**
 * gk_admin_page_is_admin:
 * @self: a page
 *
 * Returns: whether the acting user is an admin of the library
 */
gboolean
gk_admin_page_is_admin (GkAdminPage *self)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  return gk_context_can (priv->context, GK_ACTION_CHANGE_SETTINGS, NULL, NULL);
}

/**
 * gk_admin_page_add_guarded:
 * @self: a page
 * @group: a group only admins may use
 *
 * Adds @group to the page.
 */
void
gk_admin_page_add_guarded (GkAdminPage         *self,
                           AdwPreferencesGroup *group)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  g_ptr_array_add (priv->guarded, group);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);
}

/**
 * gk_admin_page_reload:
 * @self: a page
 *
 * Reads what the page shows again.
 */
void
gk_admin_page_reload (GkAdminPage *self)
{
  g_return_if_fail (GK_IS_ADMIN_PAGE (self));

  update_guard (self);
  if (GK_ADMIN_PAGE_GET_CLASS (self)->reload != NULL)
    GK_ADMIN_PAGE_GET_CLASS (self)->reload (self);
}

/**
 * gk_admin_page_get_window:
 * @self: a page
 *
 * Returns: (transfer none) (nullable): the window it is in
 */
GtkWindow *
gk_admin_page_get_window (GkAdminPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/**
 * gk_admin_page_show_toast:
 * @self: a page
 * @text: what to say
 *
 * In the preferences window it is in (else in the log).
 */
void
gk_admin_page_show_toast (GkAdminPage *self,
                          const char  *text)
{
  GtkWindow *window = gk_admin_page_get_window (self);

  if (ADW_IS_PREFERENCES_WINDOW (window))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (text));
  else
    g_message ("%s", text);
}
