/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gk-store.h"
#include "gk-workflow.h"

G_BEGIN_DECLS

/* The SQL side of the workflow (gk-workflow.h is its public face).  The
 * writes take the store lock, open one transaction, load the item inside
 * it, ask gk-workflow.c's rules, write and audit: a rule is never checked
 * on one state and applied to another.  Ids here are full item ids unless
 * said otherwise. */

/* What user did on this revision: "drafted", "edited", "submitted"
 * (empty if nothing).  NULL only on a database error. */
GStrv       gk_store_workflow_get_contributions (GkStore    *self,
                                                 const char *item_id,
                                                 gint64      revision,
                                                 const char *user,
                                                 GError    **error);
/* Who worked on and signed the revision (GkContribution*), for the
 * policy's separation of duties.  NULL only on a database error. */
GPtrArray  *gk_store_workflow_load_history      (GkStore    *self,
                                                 const char *item_id,
                                                 gint64      revision,
                                                 GError    **error);
/* Did user sign this stage of this revision?  FALSE on error too. */
gboolean    gk_store_workflow_has_signed        (GkStore    *self,
                                                 const char *item_id,
                                                 gint64      revision,
                                                 GkStage     stage,
                                                 const char *user,
                                                 GError    **error);
/* The newest signature of the item; NULL without error if none. */
GkApproval *gk_store_workflow_get_latest_approval (GkStore    *self,
                                                   const char *item_id,
                                                   GError    **error);
/* GkApproval*, oldest first. */
GPtrArray  *gk_store_workflow_list_approvals    (GkStore    *self,
                                                 const char *item_id,
                                                 GError    **error);
/* Ids of the items in review: due date (none last), submission, import. */
GStrv       gk_store_workflow_review_ids        (GkStore  *self,
                                                 GError  **error);

/* id: full id, unique prefix or 索引号. */
gboolean    gk_store_workflow_submit            (GkStore    *self,
                                                 const char *actor,
                                                 const char *id,
                                                 GError    **error);
/* seen: (nullable) the item as the reviewer saw it; the decision is
 * refused with GK_ERROR_CONFLICT if the item changed since. */
gboolean    gk_store_workflow_review            (GkStore           *self,
                                                 const char        *actor,
                                                 const char        *id,
                                                 GkItem            *seen,
                                                 GkReviewDecision   decision,
                                                 const char        *comment,
                                                 const GkDismissal *dismissals,
                                                 guint              n_dismissals,
                                                 GError           **error);

G_END_DECLS
