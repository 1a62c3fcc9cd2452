/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gk-finding.h"

G_BEGIN_DECLS

/* The screening findings of the item under review: kind, masked value,
 * page and decision, one row each.  Activating a row asks to show the
 * finding on its page ("finding-activated"); an open finding has a
 * "Dismiss…" button ("dismiss-requested"), insensitive with the reason
 * when the acting user may not decide it.  Both signals pass the
 * finding's position in the array given to set_findings(). */

#define GK_TYPE_FINDINGS_LIST (gk_findings_list_get_type ())
G_DECLARE_FINAL_TYPE (GkFindingsList, gk_findings_list, GK, FINDINGS_LIST, AdwBin)

GtkWidget  *gk_findings_list_new            (void);
/* findings: GkFinding* (copied).  why_not: NULL when the user may
 * dismiss, else the reason shown on the buttons. */
void        gk_findings_list_set_findings   (GkFindingsList *self,
                                             GPtrArray      *findings,
                                             const char     *why_not);
guint       gk_findings_list_get_n_findings (GkFindingsList *self);
/* The row of the finding at position (for tests and focus). */
GtkWidget  *gk_findings_list_get_row        (GkFindingsList *self,
                                             guint           position);
GtkWidget  *gk_findings_list_get_dismiss_button (GkFindingsList *self,
                                                 guint           position);


G_END_DECLS
