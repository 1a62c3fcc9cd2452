/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiAdmin"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-admin-window.h"
#include "gk-calendar-page.h"
#include "gk-members-page.h"
#include "gk-preferences-page.h"
#include "gk-rules-page.h"
#include "gk-tags-page.h"

struct _GkAdminWindow
{
  AdwPreferencesWindow  parent_instance;

  GkContext            *context;
  GHashTable           *pages;   /* name → page, not owned */
};

G_DEFINE_FINAL_TYPE (GkAdminWindow, gk_admin_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
add_page (GkAdminWindow *self,
          const char    *name,
          GtkWidget     *page)
{
  g_hash_table_insert (self->pages, (gpointer) name, page);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
}

static void
gk_admin_window_finalize (GObject *object)
{
  GkAdminWindow *self = GK_ADMIN_WINDOW (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->pages, g_hash_table_unref);

  G_OBJECT_CLASS (gk_admin_window_parent_class)->finalize (object);
}

static void
gk_admin_window_class_init (GkAdminWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gk_admin_window_finalize;
}

static void
gk_admin_window_init (GkAdminWindow *self)
{
  self->pages = g_hash_table_new (g_str_hash, g_str_equal);
  gtk_window_set_title (GTK_WINDOW (self), _("Administration"));
  gtk_window_set_default_size (GTK_WINDOW (self), 760, 680);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), TRUE);
}

/**
 * gk_admin_window_new:
 * @parent: (nullable): the main window
 * @context: the application context
 *
 * Returns: (transfer full): the window, not shown yet
 */
GtkWidget *
gk_admin_window_new (GtkWindow *parent,
                     GkContext *context)
{
  GkAdminWindow *self;

  g_return_val_if_fail (GK_IS_CONTEXT (context), NULL);

  self = g_object_new (GK_TYPE_ADMIN_WINDOW,
                       "transient-for", parent,
                       "modal", FALSE,
                       NULL);
  self->context = g_object_ref (context);
  add_page (self, "members", gk_members_page_new (context));
  add_page (self, "tags", gk_tags_page_new (context));
  add_page (self, "rules", gk_rules_page_new (context));
  add_page (self, "calendar", gk_calendar_page_new (context));
  add_page (self, "preferences", gk_preferences_page_new (context));
  return GTK_WIDGET (self);
}

/**
 * gk_admin_window_show_page:
 * @self: the window
 * @name: a page name
 */
void
gk_admin_window_show_page (GkAdminWindow *self,
                           const char    *name)
{
  GtkWidget *page;

  g_return_if_fail (GK_IS_ADMIN_WINDOW (self));

  page = g_hash_table_lookup (self->pages, name);
  if (page != NULL)
    adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
}

/**
 * gk_admin_window_get_page:
 * @self: the window
 * @name: a page name
 *
 * Returns: (transfer none) (nullable): the page
 */
GtkWidget *
gk_admin_window_get_page (GkAdminWindow *self,
                          const char    *name)
{
  g_return_val_if_fail (GK_IS_ADMIN_WINDOW (self), NULL);

  return g_hash_table_lookup (self->pages, name);
}
