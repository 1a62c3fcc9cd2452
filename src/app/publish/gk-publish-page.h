/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gk-context.h"

G_BEGIN_DECLS

/* The publisher's page: the portal's address, extra CA file and token
 * (kept in the keyring, never shown again once saved), "Test
 * connection", "Publish approved items" with per-item progress and the
 * batch report, the conflicts the portal reported (412) with the admin's
 * two choices, and the published documents with their public addresses
 * and "Withdraw…".
 *
 * Every store, network and keyring call is asynchronous; the page is
 * "busy" while one runs (a reload's reads among them).  Widgets carry names for the tests:
 * "portal-url-row", "portal-ca-row", "token-row", "token-status-row", "token-unlock-button" and
 * "report-unlock-button" (shown while the keyring is locked), "test-connection-button",
 * "test-result", "publish-button", "cancel-button", "sync-progress", "sync-report", "sync-results",
 * "conflicts-group", "published-group"; per document
 * "keep-portal:ID", "overwrite:ID", "open:ID" and "withdraw:ID". */

#define GK_TYPE_PUBLISH_PAGE (gk_publish_page_get_type ())
G_DECLARE_FINAL_TYPE (GkPublishPage, gk_publish_page, GK, PUBLISH_PAGE, AdwBin)

GtkWidget  *gk_publish_page_new                (GkContext     *context);
GkContext  *gk_publish_page_get_context        (GkPublishPage *self);
/* Read settings, conflicts and published documents again. */
void        gk_publish_page_reload             (GkPublishPage *self);
/* As the buttons do. */
void        gk_publish_page_publish            (GkPublishPage *self);
void        gk_publish_page_cancel             (GkPublishPage *self);
void        gk_publish_page_test_connection    (GkPublishPage *self);
gboolean    gk_publish_page_get_busy           (GkPublishPage *self);
/* The last "Test connection" result in words (NULL before one). */
const char *gk_publish_page_get_test_result    (GkPublishPage *self);
/* The last batch's summary line (NULL before one). */
const char *gk_publish_page_get_report_summary (GkPublishPage *self);
/* Documents listed as in conflict. */
guint       gk_publish_page_get_n_conflicts    (GkPublishPage *self);

G_END_DECLS
