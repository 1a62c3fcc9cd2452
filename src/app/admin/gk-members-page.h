/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gk-admin-page.h"

G_BEGIN_DECLS

/* Members and their roles: add a member, switch each role on or off.
 * The core refuses what must not happen (the last admin losing the
 * role) and audits every change. */

#define GK_TYPE_MEMBERS_PAGE (gk_members_page_get_type ())
G_DECLARE_FINAL_TYPE (GkMembersPage, gk_members_page, GK, MEMBERS_PAGE, GkAdminPage)

GtkWidget *gk_members_page_new (GkContext *context);

/* The translated name of one role ("Reviewer"). */
const char *gk_role_to_label   (GkRole role);
/* "Admin, Reviewer" in the user's words; "No role" for none. */
char       *gk_roles_to_label  (GkRole roles);

G_END_DECLS
