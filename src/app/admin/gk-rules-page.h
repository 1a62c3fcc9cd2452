/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gk-admin-page.h"

G_BEGIN_DECLS

/* The library's rules: the 索引号 template and organisation code (with
 * the next number previewed as they are typed,
 * gk_store_next_index_no_async()), the review stages (one
 * combined sign-off or two), and the sensitive-word list the screening
 * looks for (one word per line). */

#define GK_TYPE_RULES_PAGE (gk_rules_page_get_type ())
G_DECLARE_FINAL_TYPE (GkRulesPage, gk_rules_page, GK, RULES_PAGE, GkAdminPage)

GtkWidget *gk_rules_page_new               (GkContext   *context);
/* What the preview row shows now. */
const char *gk_rules_page_get_preview      (GkRulesPage *self);

G_END_DECLS
