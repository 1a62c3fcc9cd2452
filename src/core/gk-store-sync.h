/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include "gk-store.h"

G_BEGIN_DECLS

/* The sync's time limits, library settings in whole seconds:
 * sync_request_timeout bounds one request to the portal (connection,
 * upload and the whole answer), sync_batch_timeout one run. */
#define GK_SYNC_REQUEST_TIMEOUT_DEFAULT_S 120
#define GK_SYNC_REQUEST_TIMEOUT_MAX_S     3600
#define GK_SYNC_BATCH_TIMEOUT_DEFAULT_S   3600
#define GK_SYNC_BATCH_TIMEOUT_MAX_S       86400

/* The SQL of the portal sync (gk-sync.h is its public face): the outbox
 * of jobs and what the workstation knows of each item's copy on the
 * portal.
 *
 * The outbox holds at most one active job per item (pending, conflict or
 * refused); adding a job supersedes the item's other active job (the
 * newest decision wins).  A publish or update job stores the exact JSON
 * body to send, so that every retry sends the same bytes.  A job leaves
 * the outbox when it is done (the item's state change, the portal state
 * and the audit entry are one transaction).  Superseded jobs are kept:
 * their bodies tell, after a 412, whether the portal holds a write of
 * ours whose answer was lost. */

typedef enum
{
  GK_SYNC_OP_PUBLISH,
  GK_SYNC_OP_UPDATE,
  GK_SYNC_OP_WITHDRAW,
} GkSyncOperation;

typedef enum
{
  GK_SYNC_JOB_PENDING,
  GK_SYNC_JOB_CONFLICT,    /* 412: waits for `sync --resolve` */
  GK_SYNC_JOB_REFUSED,     /* 400/404/413/422: waits for a new revision */
  GK_SYNC_JOB_SUPERSEDED,  /* replaced by a newer decision; never sent again */
} GkSyncJobState;

typedef struct
{
  gint64          id;
  char           *item_id;
  gint64          revision;
  GkSyncOperation operation;
  char           *body;        /* publish/update: the exact record to PUT */
  GkSyncJobState  state;
  int             attempts;    /* batches that ended without an answer */
  char           *last_error;
  char           *reason;      /* withdraw: why */
  char           *created_at;
  char           *created_by;
} GkSyncJob;

/* What the workstation last confirmed of the item on the portal. */
typedef struct
{
  char   *item_id;
  char   *status;        /* published | withdrawn */
  gint64  revision;
  char   *etag;          /* bare */
  char   *public_url;
  char   *publish_date;  /* the day it first went public */
  char   *synced_at;
} GkPortalState;

/* One row for reconciliation: an item the portal should or may know. */
typedef struct
{
  char          *item_id;
  char          *title;
  GkState        state;
  gint64         revision;
  char          *disclosure;
  GkPortalState *portal;  /* NULL when never confirmed */
} GkSyncLocalRow;

const char *gk_sync_operation_to_string   (GkSyncOperation op);
gboolean    gk_sync_operation_from_string (const char *text, GkSyncOperation *out);
const char *gk_sync_job_state_to_string   (GkSyncJobState state);

void        gk_sync_job_free              (GkSyncJob *job);
void        gk_portal_state_free          (GkPortalState *state);
void        gk_sync_local_row_free        (GkSyncLocalRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkSyncJob, gk_sync_job_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkPortalState, gk_portal_state_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkSyncLocalRow, gk_sync_local_row_free)

/* Reading. */
/* Ids of the items in state approved, oldest approval first. */
GStrv       gk_store_sync_approved_ids    (GkStore    *self,
                                           GError    **error);
/* Ids of published items whose effective_until is before today while
 * their validity still says valid (a 规范性文件 that has expired). */
GStrv       gk_store_sync_expired_ids     (GkStore    *self,
                                           const char *today,
                                           GError    **error);
/* NULL without an error when the portal never confirmed the item. */
GkPortalState *gk_store_sync_get_portal_state (GkStore    *self,
                                               const char *item_id,
                                               GError    **error);
/* The item's active job, or NULL without an error. */
GkSyncJob  *gk_store_sync_get_active_job  (GkStore    *self,
                                           const char *item_id,
                                           GError    **error);
/* Active jobs (pending only, or also conflict and refused), oldest first. */
GPtrArray  *gk_store_sync_list_jobs       (GkStore    *self,
                                           gboolean    pending_only,
                                           GError    **error);
/* Number of active jobs (pending, conflict, refused). */
gint64      gk_store_sync_count_active_jobs (GkStore  *self,
                                             GError  **error);
/* Bodies of the item's superseded publish/update jobs, newest first. */
GStrv       gk_store_sync_superseded_bodies (GkStore    *self,
                                             const char *item_id,
                                             GError    **error);
/* Has the item ever had a job (in any state) or a portal state? */
gboolean    gk_store_sync_item_was_queued (GkStore    *self,
                                           const char *item_id,
                                           gboolean   *out,
                                           GError    **error);
/* Items the portal should or may know (approved, published, withdrawn,
 * or with a portal state), GkSyncLocalRow*, by id. */
GPtrArray  *gk_store_sync_local_rows      (GkStore    *self,
                                           GError    **error);

/* Writing.  Each call is one transaction with its audit entry. */

/* One job to add (gk_store_sync_add_jobs). */
typedef struct
{
  const char     *item_id;
  gint64          revision;
  GkSyncOperation operation;
  const char     *body;
  const char     *reason;
} GkSyncJobSpec;

/* Add jobs in one transaction; an item that already has an active job
 * for the same revision and operation keeps it (its body is not
 * replaced).  Each new job supersedes the item's other active job and is
 * audited ("sync", {"queued": operation, "revision"}).  Safe from a
 * worker thread: it emits no "items-changed". */
gboolean    gk_store_sync_add_jobs        (GkStore             *self,
                                           const char          *actor,
                                           const GkSyncJobSpec *specs,
                                           guint                n_specs,
                                           GError             **error);
/* A batch ended without an answer for the job: attempts + 1, the last
 * error kept, an audit entry ("sync", outcome failed). */
gboolean    gk_store_sync_record_failure  (GkStore    *self,
                                           const char *actor,
                                           gint64      job_id,
                                           const char *portal_url,
                                           const char *message,
                                           GError    **error);
/* The publish/update was accepted: the job leaves the outbox, the portal
 * state is written, the item becomes published (when it is still the
 * approved revision), public_url and (if unset) publish_date are filled,
 * the conflict flag is cleared, and the result is audited.  decision is
 * NULL, or "overwrite" for a resolution. */
gboolean    gk_store_sync_complete_publish (GkStore    *self,
                                            const char *actor,
                                            gint64      job_id,
                                            const char *portal_url,
                                            const char *etag,
                                            const char *public_url,
                                            const char *publish_date,
                                            const char *decision,
                                            GError    **error);
/* The DELETE was answered 204 or 404: the job leaves the outbox, the
 * portal state says withdrawn, the item becomes withdrawn (when it is
 * approved or published), audited. */
gboolean    gk_store_sync_complete_withdraw (GkStore    *self,
                                             const char *actor,
                                             gint64      job_id,
                                             const char *portal_url,
                                             guint       status,
                                             GError    **error);
/* 412: the job waits for a person; the item is flagged conflict. */
gboolean    gk_store_sync_mark_conflict   (GkStore    *self,
                                           const char *actor,
                                           gint64      job_id,
                                           const char *portal_url,
                                           const char *message,
                                           GError    **error);
/* Refused by the portal: the job waits for a new revision. fields is a
 * JSON array of {field, problem} (may be NULL). */
gboolean    gk_store_sync_mark_refused    (GkStore    *self,
                                           const char *actor,
                                           gint64      job_id,
                                           const char *portal_url,
                                           const char *message,
                                           JsonNode   *fields,
                                           GError    **error);
/* The job may no longer be sent (the item changed since approval). */
gboolean    gk_store_sync_supersede_job   (GkStore    *self,
                                           const char *actor,
                                           gint64      job_id,
                                           const char *why,
                                           GError    **error);
/* After a 412 the portal was found to hold a body of ours whose answer
 * was lost: adopt its ETag (no audit entry: nothing was decided). */
gboolean    gk_store_sync_adopt_etag      (GkStore    *self,
                                           const char *item_id,
                                           gint64      revision,
                                           const char *etag,
                                           const char *public_url,
                                           GError    **error);
/* `sync --resolve ID keep-portal`: the portal's copy stays.  With etag
 * (the portal has the document): the portal state takes its ETag and
 * status; without (the portal no longer has it): the portal state is
 * forgotten.  The flag is cleared, the active job superseded, audited
 * ("sync-resolve"). */
gboolean    gk_store_sync_resolve_keep_portal (GkStore    *self,
                                               const char *actor,
                                               const char *item_id,
                                               const char *portal_url,
                                               const char *etag,
                                               const char *public_url,
                                               gboolean    withdrawn,
                                               gint64      portal_revision,
                                               GError    **error);
/* `withdraw ID --reason TEXT` (publisher or admin).  An item that is or
 * may be on the portal (published, or ever queued) gets a withdraw job
 * (*queued = TRUE); an approved item that never left the workstation
 * just becomes withdrawn.  Other states are refused. */
gboolean    gk_store_sync_withdraw_item   (GkStore    *self,
                                           const char *actor,
                                           const char *item_id,
                                           const char *reason,
                                           gboolean   *queued,
                                           GError    **error);
/* A library-wide audit entry for a batch that stopped (401/403, an
 * untrusted certificate): no item changed. */
gboolean    gk_store_sync_audit_stop      (GkStore    *self,
                                           const char *actor,
                                           const char *portal_url,
                                           const char *message,
                                           GError    **error);

G_END_DECLS
