/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiAdmin"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-admin-page.h"
#include "gk-members-page.h"
#include "gk-store-async.h"

typedef struct
{
  GkContext    *context;
  GkStore      *store;
  GtkWidget    *notice_group;
  GPtrArray    *guarded;      /* AdwPreferencesGroup*, not owned */

  /* The page's lifetime: its writes.  Cancelled in dispose. */
  GCancellable *cancellable;
  /* Its reads: also cancelled when the store changes, so that what
   * another library answered is never shown. */
  GCancellable *load_cancellable;
  /* Reads in flight; a reload asked for meanwhile runs once after. */
  guint         loads;
  gboolean      reload_again;
  /* The acting user's roles as last read (roles_known: read at all for
   * this user). */
  GkRole        roles;
  gboolean      roles_known;
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

  /* Until the roles are read, nothing can be used, and nothing is said. */
  for (guint i = 0; i < priv->guarded->len; i++)
    gtk_widget_set_sensitive (g_ptr_array_index (priv->guarded, i), admin && priv->store != NULL);

  if (priv->store == NULL)
    {
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (priv->notice_group),
                                             _("No library is open."));
      gtk_widget_set_visible (priv->notice_group, TRUE);
    }
  else if (!admin && priv->roles_known && priv->guarded->len > 0)
    {
      g_autofree char *roles = priv->roles != GK_ROLE_NONE ? gk_roles_to_label (priv->roles)
                                                           : g_strdup (_("Not a member of this library"));
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
on_items_changed_cb (GkStore     *store,
                     const char  *item_id,
                     GkAdminPage *self)
{
  /* Coalesced: a reload already in flight runs once more after. */
  gk_admin_page_reload (self);
}

static void
cancel_loads (GkAdminPage *self)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  g_cancellable_cancel (priv->load_cancellable);
  g_clear_object (&priv->load_cancellable);
  /* The cancelled reads end without calling back into the page. */
  priv->loads = 0;
  priv->reload_again = FALSE;
}

static void
set_store (GkAdminPage *self,
           GkStore     *store)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  if (priv->store == store)
    return;
  if (priv->store != NULL)
    g_signal_handlers_disconnect_by_func (priv->store, on_items_changed_cb, self);
  cancel_loads (self);
  priv->roles = GK_ROLE_NONE;
  priv->roles_known = FALSE;
  g_set_object (&priv->store, store);
  /* Emitted on the main context that opened the store (the window's). */
  if (store != NULL)
    g_signal_connect_object (store, "items-changed", G_CALLBACK (on_items_changed_cb), self, 0);
}

static void
on_context_changed_cb (GkContext   *context,
                       GParamSpec  *pspec,
                       GkAdminPage *self)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  if (g_str_equal (pspec->name, "user"))
    {
      /* The old user's roles say nothing about the new one. */
      cancel_loads (self);
      priv->roles = GK_ROLE_NONE;
      priv->roles_known = FALSE;
    }
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

  cancel_loads (self);
  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  if (priv->store != NULL)
    g_signal_handlers_disconnect_by_func (priv->store, on_items_changed_cb, self);

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
  priv->cancellable = g_cancellable_new ();
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
 * Returns: whether the acting user is an admin of the library, as last
 *   read (%FALSE until the roles are read)
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

static void
on_roles_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GkAdminPage) self = user_data;
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);
  g_autoptr(GError) error = NULL;
  GkRole roles = gk_store_get_roles_finish (GK_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    gk_admin_page_show_toast (self, error->message);
  else
    {
      priv->roles = roles;
      priv->roles_known = TRUE;
    }
  update_guard (self);
  gk_admin_page_end_load (self);
}

/**
 * gk_admin_page_reload:
 * @self: a page
 *
 * Reads what the page shows again, in the background.  While a read is
 * in flight, a reload asked for runs once after it.
 */
void
gk_admin_page_reload (GkAdminPage *self)
{
  GkAdminPagePrivate *priv;

  g_return_if_fail (GK_IS_ADMIN_PAGE (self));

  priv = gk_admin_page_get_instance_private (self);
  if (priv->loads > 0)
    {
      priv->reload_again = TRUE;
      return;
    }
  priv->reload_again = FALSE;
  update_guard (self);
  if (priv->store != NULL)
    gk_store_get_roles_async (priv->store, gk_context_get_user (priv->context),
                              gk_admin_page_begin_load (self), on_roles_cb, g_object_ref (self));
  if (GK_ADMIN_PAGE_GET_CLASS (self)->reload != NULL)
    GK_ADMIN_PAGE_GET_CLASS (self)->reload (self);
}

/**
 * gk_admin_page_get_cancellable:
 * @self: a page
 *
 * Returns: (transfer none): for the page's writes: cancelled when the
 *   page goes away
 */
GCancellable *
gk_admin_page_get_cancellable (GkAdminPage *self)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  return priv->cancellable;
}

/**
 * gk_admin_page_begin_load:
 * @self: a page
 *
 * Called by reload() for each read it starts; its callback calls
 * gk_admin_page_end_load() unless the read was cancelled.
 *
 * Returns: (transfer none): the cancellable to read with
 */
GCancellable *
gk_admin_page_begin_load (GkAdminPage *self)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  if (priv->load_cancellable == NULL)
    priv->load_cancellable = g_cancellable_new ();
  priv->loads++;
  return priv->load_cancellable;
}

/**
 * gk_admin_page_end_load:
 * @self: a page
 *
 * A read of reload() has landed; after the last one, a reload asked
 * for meanwhile runs.
 */
void
gk_admin_page_end_load (GkAdminPage *self)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  g_return_if_fail (priv->loads > 0);

  if (--priv->loads == 0 && priv->reload_again)
    gk_admin_page_reload (self);
}

/**
 * gk_admin_page_is_loading:
 * @self: a page
 *
 * Returns: whether a read of reload() is in flight
 */
gboolean
gk_admin_page_is_loading (GkAdminPage *self)
{
  GkAdminPagePrivate *priv = gk_admin_page_get_instance_private (self);

  return priv->loads > 0;
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
