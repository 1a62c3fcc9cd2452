/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gk-context.h"

G_BEGIN_DECLS

/* For a shared desk: the library's members with their roles, to choose
 * who is acting now (gk_context_set_user(); the core then attributes
 * every action to them in the audit), and the way to the administration
 * window.  Made to sit in the header bar's user popover. */

#define GK_TYPE_USER_SWITCHER (gk_user_switcher_get_type ())
G_DECLARE_FINAL_TYPE (GkUserSwitcher, gk_user_switcher, GK, USER_SWITCHER, AdwBin)

GtkWidget *gk_user_switcher_new        (GkContext      *context);
/* Reads the members again, in the background. */
void       gk_user_switcher_reload     (GkUserSwitcher *self);
gboolean   gk_user_switcher_is_loading (GkUserSwitcher *self);
/* Act as this member (as choosing the row does).  FALSE when the user
 * is not a member of the library as last read. */
gboolean   gk_user_switcher_switch_to  (GkUserSwitcher *self,
                                        const char     *user);
/* Open the administration window (as the button does). */
GtkWidget *gk_user_switcher_open_admin (GkUserSwitcher *self);

G_END_DECLS
