/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gk-context.h"

G_BEGIN_DECLS

/* What every page of the administration window shares: the context, the
 * store's "items-changed", and "admins only" — for other members the page
 * says why its groups cannot be used and makes them insensitive.
 * Subclasses implement reload(), called when the store, the acting user
 * or the library's content changes; it starts its reads in the
 * background, each between gk_admin_page_begin_load() and
 * gk_admin_page_end_load(), and reloads coalesce around them. */

#define GK_TYPE_ADMIN_PAGE (gk_admin_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (GkAdminPage, gk_admin_page, GK, ADMIN_PAGE, AdwPreferencesPage)

struct _GkAdminPageClass
{
  AdwPreferencesPageClass parent_class;

  void (*reload) (GkAdminPage *self);
};

GkContext *gk_admin_page_get_context   (GkAdminPage *self);
/* NULL until the library is open. */
GkStore   *gk_admin_page_get_store     (GkAdminPage *self);
gboolean   gk_admin_page_is_admin      (GkAdminPage *self);
/* Groups that only admins may use (insensitive for others). */
void       gk_admin_page_add_guarded   (GkAdminPage         *self,
                                        AdwPreferencesGroup *group);
void       gk_admin_page_reload        (GkAdminPage *self);
/* For writes; cancelled when the page goes. */
GCancellable *gk_admin_page_get_cancellable (GkAdminPage *self);
/* Around each read of reload(): the cancellable to read with (also
 * cancelled when the store or the user changes); end_load() in the
 * callback unless cancelled. */
GCancellable *gk_admin_page_begin_load      (GkAdminPage *self);
void          gk_admin_page_end_load        (GkAdminPage *self);
gboolean      gk_admin_page_is_loading      (GkAdminPage *self);
void       gk_admin_page_show_toast    (GkAdminPage *self,
                                        const char  *text);
/* For dialogs. */
GtkWindow *gk_admin_page_get_window    (GkAdminPage *self);

G_END_DECLS
