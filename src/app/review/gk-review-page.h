/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gk-context.h"

G_BEGIN_DECLS

/* The reviewer's page: the queue of what the acting user may sign now
 * (gk_workflow_queue(): most urgent due date first, then the oldest
 * submission), and for the selected document its PDF beside the record,
 * the screening findings (highlighted on their pages), the changes
 * since the last approved revision, and Approve / Return… buttons that
 * say why when they cannot be used.  Several selected documents can be
 * approved at once; each keeps its own decision.
 *
 * Every store call is asynchronous (gk-store-async.h): decisions run on
 * the store's writer thread (approving hashes the file), the queue and
 * the shown document are read in the background; the page is "busy"
 * while any of them runs.  Widgets carry names for the tests:
 * "queue-list", "approve-button", "return-button", "review-caption",
 * "bulk-approve-button", "bulk-results", "findings-list", "changes-view". */

#define GK_TYPE_REVIEW_PAGE (gk_review_page_get_type ())
G_DECLARE_FINAL_TYPE (GkReviewPage, gk_review_page, GK, REVIEW_PAGE, AdwBin)

GtkWidget  *gk_review_page_new            (GkContext    *context);
GkContext  *gk_review_page_get_context    (GkReviewPage *self);
/* Read the queue again (also done on every change of the store and of
 * the acting user). */
void        gk_review_page_reload         (GkReviewPage *self);
/* Documents the acting user may sign now (listed first); documents in
 * review that wait for someone else follow them, dimmed. */
guint       gk_review_page_get_n_queued   (GkReviewPage *self);
gboolean    gk_review_page_is_listed      (GkReviewPage *self,
                                           const char   *id);
gboolean    gk_review_page_is_signable    (GkReviewPage *self,
                                           const char   *id);
/* Id of the listed document at position, or NULL. */
const char *gk_review_page_get_queued_id  (GkReviewPage *self,
                                           guint         position);
/* Select these queued documents (others are unselected); FALSE when one
 * of them is not in the queue. */
gboolean    gk_review_page_select         (GkReviewPage       *self,
                                           const char *const  *ids);
/* The document shown in detail, or NULL. */
const char *gk_review_page_get_current_id (GkReviewPage *self);
/* A decision is running. */
gboolean    gk_review_page_get_busy       (GkReviewPage *self);
/* The PDF of the shown document is loaded and its findings located. */
gboolean    gk_review_page_get_preview_ready (GkReviewPage *self);
/* Show finding (its position in the list) on its page, as a click does. */
void        gk_review_page_show_finding   (GkReviewPage *self,
                                           guint         position);
GtkWidget  *gk_review_page_get_canvas     (GkReviewPage *self);

G_END_DECLS
