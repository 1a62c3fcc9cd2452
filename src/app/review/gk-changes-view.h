/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* "Changes since revision N was approved": one row per changed field,
 * old → new (GkFieldChange from gk-review-changes.h). */

#define GK_TYPE_CHANGES_VIEW (gk_changes_view_get_type ())
G_DECLARE_FINAL_TYPE (GkChangesView, gk_changes_view, GK, CHANGES_VIEW, AdwBin)

GtkWidget *gk_changes_view_new          (void);
/* changes: GkFieldChange* (NULL or empty with base_revision 0: never
 * approved before). */
void       gk_changes_view_set_changes  (GkChangesView *self,
                                         GPtrArray     *changes,
                                         gint64         base_revision,
                                         gint64         revision);
guint      gk_changes_view_get_n_changes (GkChangesView *self);
/* The heading in words ("Changes since revision 1 was approved"). */
const char *gk_changes_view_get_title   (GkChangesView *self);

G_END_DECLS
