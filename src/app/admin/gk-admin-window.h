/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gk-context.h"

G_BEGIN_DECLS

/* Administration: members and roles, the tag catalog, the library's
 * rules (索引号 template, review stages, sensitive words), the holiday
 * calendar, and this desk's preferences.  Everyone may open it; the
 * library pages are insensitive, saying why, for members who are not
 * admins. */

#define GK_TYPE_ADMIN_WINDOW (gk_admin_window_get_type ())
G_DECLARE_FINAL_TYPE (GkAdminWindow, gk_admin_window, GK, ADMIN_WINDOW, AdwPreferencesWindow)

GtkWidget *gk_admin_window_new       (GtkWindow     *parent,
                                      GkContext     *context);
/* "members", "tags", "rules", "calendar" or "preferences". */
void       gk_admin_window_show_page (GkAdminWindow *self,
                                      const char    *name);
GtkWidget *gk_admin_window_get_page  (GkAdminWindow *self,
                                      const char    *name);

G_END_DECLS
