/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gk-admin-page.h"

G_BEGIN_DECLS

/* The tag catalog (标签目录) as a tree: add a tag (top level or under
 * another), rename, move, retire and restore.  A retired tag stays on
 * the documents that have it but cannot be given to others. */

#define GK_TYPE_TAGS_PAGE (gk_tags_page_get_type ())
G_DECLARE_FINAL_TYPE (GkTagsPage, gk_tags_page, GK, TAGS_PAGE, GkAdminPage)

GtkWidget *gk_tags_page_new (GkContext *context);

G_END_DECLS
