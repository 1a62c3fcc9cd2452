/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gk-sync.h"

G_BEGIN_DECLS

/* Confirms an admin's decision on a portal conflict (412: the portal's
 * copy changed since our last write): keep the portal's copy, or
 * overwrite it with the approved revision.  Responses "cancel" and
 * "resolve"; the decision itself is made by gk_sync_resolve_async(),
 * which the core audits. */

#define GK_TYPE_CONFLICT_DIALOG (gk_conflict_dialog_get_type ())
G_DECLARE_FINAL_TYPE (GkConflictDialog, gk_conflict_dialog, GK, CONFLICT_DIALOG, AdwMessageDialog)

GtkWidget        *gk_conflict_dialog_new            (GtkWindow        *parent,
                                                     const char       *item_id,
                                                     const char       *title,
                                                     gint64            revision,
                                                     GkSyncResolution  resolution);
const char       *gk_conflict_dialog_get_item_id    (GkConflictDialog *self);
GkSyncResolution  gk_conflict_dialog_get_resolution (GkConflictDialog *self);

G_END_DECLS
