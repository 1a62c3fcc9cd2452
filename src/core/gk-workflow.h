/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "gk-types.h"
#include "gk-item.h"
#include "gk-store.h"

G_BEGIN_DECLS

/* The review workflow (DESIGN.md, "The life of an item"):
 *
 *   draft ─submit─▶ in_review(confidentiality) ─approve─▶ in_review(release) ─approve─▶ approved
 *   returned ◀─return (comment)─ either stage;  returned ─submit─▶ in_review again
 *
 * - review_stages = "2" (the default): 保密审查 then 发布审核, two different
 *   people.  review_stages = "1": one combined sign-off, stored as the
 *   release stage; its reviewer also does the confidentiality check (an
 *   open secrecy mark blocks every approval).  An item already in the
 *   confidentiality stage when the setting changes to "1" is approved by
 *   that stage alone.
 * - submit: drafter or admin; from draft or returned only; the record must
 *   be complete (title, issuer, written_date, index_no, disclosure, the
 *   file; a withheld item also its legal ground) and effective_until must
 *   not be before effective_from.  Every missing field is named at once.
 * - approve: reviewer or admin, who did not draft, edit or submit the
 *   current revision and did not sign its other stage; no open
 *   secrecy-mark finding; the stored file must be intact.  The approval
 *   binds to (revision, file SHA-256) and keeps the exact portal record.
 * - return: reviewer or admin, with a comment.
 * - dismissing a finding: reviewer or admin who did not work on the
 *   revision, with a written reason, before approval.
 * - on_request and withheld items are reviewed and filed (全量备案): their
 *   review ends in "approved" like any other, but they are never
 *   publishable: gk_workflow_get_approved_record() refuses them, so the
 *   sync never sends them.
 *
 * Every transition and finding decision is one transaction that also
 * appends its audit entry (submit, approve, return, dismiss) with the
 * revision, stage and comment or reason.  Refusals are GK_ERROR_REFUSED
 * (the workflow) or GK_ERROR_PERMISSION (a missing role), both exit
 * status 3; a missing comment or reason is GK_ERROR_INVALID. */

typedef enum
{
  GK_REVIEW_DISMISS_ONLY, /* only decide findings */
  GK_REVIEW_APPROVE,
  GK_REVIEW_RETURN,
} GkReviewDecision;

/* One finding decision: dismiss finding_id because of reason. */
typedef struct
{
  gint64      finding_id;
  const char *reason;
} GkDismissal;

/* One signature, as kept in the approvals table. */
typedef struct
{
  gint64  id;
  gint64  revision;
  GkStage stage;
  char   *actor;
  char   *file_sha256;
  char   *record_json;  /* gk_item_to_record_json() of that revision, as signed */
  char   *at;
} GkApproval;

void        gk_approval_free             (GkApproval *approval);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkApproval, gk_approval_free)

/* Pure rules on a record. */
/* Names of the required fields that are blank, NULL-terminated (empty
 * when complete): title issuer written_date index_no disclosure file,
 * and disclosure_ground for a withheld item. */
GStrv       gk_workflow_missing_fields   (GkItem *item);
/* GK_ERROR_REFUSED naming every missing field, or an effective_until
 * before effective_from. */
gboolean    gk_workflow_check_record     (GkItem  *item,
                                          GError **error);
/* Only proactive (主动公开) items are ever published. */
gboolean    gk_workflow_is_publishable   (GkItem *item);
/* 1 or 2, from the review_stages setting (default 2). */
int         gk_workflow_get_review_stages (GkStore *store);
/* Where a submitted item starts: confidentiality, or release with one stage. */
GkStage     gk_workflow_first_stage      (GkStore *store);

/* Can user do it to item now?  With a GError (GK_ERROR_PERMISSION,
 * GK_ERROR_REFUSED) for the core and the CLI … */
gboolean    gk_workflow_check_submit     (GkStore    *store,
                                          const char *user,
                                          GkItem     *item,
                                          GError    **error);
gboolean    gk_workflow_check_approve    (GkStore    *store,
                                          const char *user,
                                          GkItem     *item,
                                          GError    **error);
gboolean    gk_workflow_check_return     (GkStore    *store,
                                          const char *user,
                                          GkItem     *item,
                                          GError    **error);
/* finding_id 0: may the user decide findings of this item at all? */
gboolean    gk_workflow_check_dismiss    (GkStore    *store,
                                          const char *user,
                                          GkItem     *item,
                                          gint64      finding_id,
                                          GError    **error);

/* … and as a yes/no with the reason in plain words for the window's
 * buttons (why_not may be NULL).  They do not read the file, so they are
 * cheap enough for the main thread. */
gboolean    gk_workflow_can_submit       (GkStore    *store,
                                          const char *user,
                                          GkItem     *item,
                                          char      **why_not);
gboolean    gk_workflow_can_approve      (GkStore    *store,
                                          const char *user,
                                          GkItem     *item,
                                          char      **why_not);
gboolean    gk_workflow_can_return       (GkStore    *store,
                                          const char *user,
                                          GkItem     *item,
                                          char      **why_not);
gboolean    gk_workflow_can_dismiss      (GkStore    *store,
                                          const char *user,
                                          GkItem     *item,
                                          char      **why_not);

/* The transitions.  id: full id, unique prefix or 索引号. */
gboolean    gk_workflow_submit           (GkStore    *store,
                                          const char *actor,
                                          const char *id,
                                          GError    **error);
gboolean    gk_workflow_approve          (GkStore    *store,
                                          const char *actor,
                                          const char *id,
                                          const char *comment,
                                          GError    **error);
gboolean    gk_workflow_return           (GkStore    *store,
                                          const char *actor,
                                          const char *id,
                                          const char *comment,
                                          GError    **error);
gboolean    gk_workflow_dismiss_finding  (GkStore    *store,
                                          const char *actor,
                                          const char *id,
                                          gint64      finding_id,
                                          const char *reason,
                                          GError    **error);
/* Dismissals first, then the decision, all in one transaction: if any
 * part is refused nothing changes. */
gboolean    gk_workflow_review           (GkStore           *store,
                                          const char        *actor,
                                          const char        *id,
                                          GkReviewDecision   decision,
                                          const char        *comment,
                                          const GkDismissal *dismissals,
                                          guint              n_dismissals,
                                          GError           **error);
/* The same, bound to the item as it was shown: GK_ERROR_CONFLICT if it
 * changed since (edited, resubmitted, signed by someone else). */
gboolean    gk_workflow_review_seen      (GkStore           *store,
                                          const char        *actor,
                                          GkItem            *seen,
                                          GkReviewDecision   decision,
                                          const char        *comment,
                                          const GkDismissal *dismissals,
                                          guint              n_dismissals,
                                          GError           **error);
/* "12=reason" or "#12=reason" → finding_id, reason (GK_ERROR_INVALID). */
gboolean    gk_workflow_parse_dismissal  (const char *text,
                                          gint64     *finding_id,
                                          char      **reason,
                                          GError    **error);

/* What user may sign now: items in review, most urgent disclosure due
 * date first (none last), then the oldest submission.  Items blocked only
 * by an open finding are listed (the reviewer decides it).  GkItem* with
 * findings; GK_ERROR_PERMISSION without the reviewer or admin role. */
GPtrArray  *gk_workflow_queue            (GkStore    *store,
                                          const char *user,
                                          GError    **error);

/* For the sync: the exact portal record (JSON text) that was approved for
 * the item's current revision, with that revision and file hash.  Only
 * when the item is approved or published, the latest approval is of the
 * current revision and its file hash is the item's, and the item is
 * proactive; else GK_ERROR_REFUSED saying why (GK_ERROR_NOT_FOUND for
 * no item). */
char       *gk_workflow_get_approved_record (GkStore     *store,
                                             const char  *id,
                                             gint64      *revision,
                                             char       **sha256,
                                             GError     **error);
/* Every signature of the item, oldest first (GkApproval*). */
GPtrArray  *gk_workflow_list_approvals   (GkStore    *store,
                                          const char *id,
                                          GError    **error);

G_END_DECLS
