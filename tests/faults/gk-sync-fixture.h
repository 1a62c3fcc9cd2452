/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The harness the sync tests share: see gk-sync-fixture.c. */
#pragma once

#include <json-glib/json-glib.h>

#include "gk-fault-proxy.h"
#include "gk-item.h"
#include "gk-store.h"
#include "gk-sync.h"

G_BEGIN_DECLS

typedef struct
{
  char         *dir;
  char         *library;
  GkStore      *store;
  guint         counter;
  GkTestPortal *portal;
  GkFaultProxy *proxy;
  guint         progress_calls;
  char         *token;
  char         *auth_header;
  /* GONGKAI_PORTAL_TOKEN for gk_sync_fixture_ctl(), unset when NULL */
  const char   *ctl_token;
} GkSyncFixture;

/* Filled by gk_sync_fixture_on_done_cb(). */
typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} GkSyncWait;

/* What a gongkai-ctl run printed and how it ended. */
typedef struct
{
  int       status;
  char     *out;
  char     *err;
  JsonNode *json;
} GkSyncRun;

void                    gk_sync_fixture_setup                      (GkSyncFixture  *f,
                                                                    const char     *token);
void                    gk_sync_fixture_teardown                   (GkSyncFixture  *f,
                                                                    gconstpointer   data);

/* A complete item whose file is really in files/ (a small unique PDF). */
char                   *gk_sync_fixture_make_item                  (GkSyncFixture  *f,
                                                                    const char     *title,
                                                                    const char     *disclosure);
void                    gk_sync_fixture_submit                     (GkSyncFixture  *f,
                                                                    const char     *id);
void                    gk_sync_fixture_approve_stage              (GkSyncFixture  *f,
                                                                    const char     *reviewer,
                                                                    const char     *id);
void                    gk_sync_fixture_approve                    (GkSyncFixture  *f,
                                                                    const char     *id);
char                   *gk_sync_fixture_make_approved              (GkSyncFixture  *f,
                                                                    const char     *title);
void                    gk_sync_fixture_edit_field                 (GkSyncFixture  *f,
                                                                    const char     *id,
                                                                    const char     *field,
                                                                    const char     *value);
GkItem                 *gk_sync_fixture_get_item                   (GkSyncFixture  *f,
                                                                    const char     *id);

void                    gk_sync_fixture_on_done_cb                 (GObject        *object,
                                                                    GAsyncResult   *result,
                                                                    gpointer        user_data);
GkSyncOptions          *gk_sync_fixture_sync_options               (GkSyncFixture  *f,
                                                                    const char     *actor);
GkSyncReport           *gk_sync_fixture_run_sync_full              (GkSyncFixture  *f,
                                                                    GkSyncOptions  *options,
                                                                    GCancellable   *cancellable,
                                                                    GError        **error);
GkSyncReport           *gk_sync_fixture_run_sync                   (GkSyncFixture  *f);
const GkSyncItemResult *gk_sync_fixture_find_result                (GkSyncReport   *report,
                                                                    const char     *id);
void                    gk_sync_fixture_assert_outcome             (GkSyncReport   *report,
                                                                    const char     *id,
                                                                    GkSyncOutcome   outcome);

/* Straight to the portal (a separate process), not through the proxy. */
JsonNode               *gk_sync_fixture_portal_get                 (GkSyncFixture  *f,
                                                                    const char     *path,
                                                                    guint          *status);
guint                   gk_sync_fixture_portal_send                (GkSyncFixture  *f,
                                                                    const char     *method,
                                                                    const char     *path,
                                                                    const char     *content_type,
                                                                    const char     *body);
GPtrArray              *gk_sync_fixture_portal_list                (GkSyncFixture  *f);
void                    gk_sync_fixture_assert_portal_has_approved (GkSyncFixture  *f,
                                                                    const char     *id);
gint64                  gk_sync_fixture_outbox_size                (GkSyncFixture  *f);

void                    gk_sync_fixture_ctl                        (GkSyncFixture  *f,
                                                                    GkSyncRun      *r,
                                                                    const char     *user,
                                                                    ...) G_GNUC_NULL_TERMINATED;
void                    gk_sync_fixture_run_clear                  (GkSyncRun      *r);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GkSyncRun, gk_sync_fixture_run_clear)

G_END_DECLS
