/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "gk-store.h"

G_BEGIN_DECLS

/* The portal sync: approved items out to the portal in batches.
 *
 * A run first writes the outbox (gk-store-sync.h): one job per item,
 * revision and operation, holding the exact body to send, committed
 * before the first request; then it works the outbox with at most
 * `concurrency` items in flight over one keep-alive session.  Per item:
 * HEAD /files/{sha256} (PUT /files only on 404), then PUT /documents/{id}
 * with If-None-Match: * the first time or If-Match: "<etag>" after; a
 * withdrawal is a DELETE.  Transient failures are retried with capped
 * exponential backoff and jitter, honouring Retry-After (capped); 401/403
 * or an untrusted certificate stop the whole batch; 412 flags the item
 * in conflict for a person (`sync --resolve`); a refusal keeps the
 * portal's reason and fields.  An answer that breaks portal-api.md is a
 * failed attempt, never a success.  Each request has an overall
 * deadline (sync_request_timeout) and each run one too
 * (sync_batch_timeout): a run that reaches it stops cleanly, what was
 * not confirmed stays in the outbox.  A job whose answer was lost stays in the
 * outbox and is sent again, byte for byte, by the next run: the portal
 * answers 200 to an identical body, so nothing is published twice.
 *
 * Safety gate: only an item whose current revision has a valid approval
 * and whose disclosure is proactive is ever sent, and what is sent is
 * the record approved for that revision
 * (gk_workflow_get_approved_record()), plus the publish_date filled on
 * first publication.  The gate is checked when the job is written and
 * again just before the document is sent.
 *
 * Every result is audited ("sync"); the token never is.  A run works on
 * a thread of its own (requests, store reads and every commit: never on
 * the caller's context); all callbacks, progress included, run on the
 * thread-default main context of the caller of _async. */

#define GK_TYPE_SYNC (gk_sync_get_type ())
G_DECLARE_FINAL_TYPE (GkSync, gk_sync, GK, SYNC, GObject)

typedef enum
{
  GK_SYNC_OUTCOME_PUBLISHED,
  GK_SYNC_OUTCOME_UPDATED,
  GK_SYNC_OUTCOME_WITHDRAWN,
  GK_SYNC_OUTCOME_CONFLICT,
  GK_SYNC_OUTCOME_REFUSED,
  GK_SYNC_OUTCOME_FAILED,
  GK_SYNC_OUTCOME_SKIPPED,
} GkSyncOutcome;

#define GK_SYNC_N_OUTCOMES (GK_SYNC_OUTCOME_SKIPPED + 1)

typedef struct
{
  char          *id;
  char          *title;
  GkSyncOutcome  outcome;
  char          *operation;   /* publish | update | withdraw, or NULL */
  gint64         revision;
  char          *message;     /* why (refused: the portal's reason; failed: the last error) */
  char          *public_url;
  JsonNode      *fields;      /* refused: [{field, problem}], else NULL */
} GkSyncItemResult;

typedef struct
{
  GPtrArray *results;        /* GkSyncItemResult*, in the order they finished */
  gboolean   dry_run;
  gboolean   stopped;        /* the portal refused the token (or the certificate is untrusted),
                              * or the run reached its time limit */
  gboolean   auth_refused;   /* stopped by 401/403 */
  gboolean   timed_out;      /* stopped by the run's time limit */
  char      *stop_message;
  char      *portal_url;
  GTlsCertificateFlags tls_errors; /* stopped by an untrusted certificate: why, else 0 */
} GkSyncReport;

typedef struct
{
  char     *portal_url;          /* NULL: the library setting portal_url */
  char     *token;               /* wiped when the options are freed */
  char     *ca_file;             /* NULL: the library setting portal_ca_file */
  gboolean  allow_insecure;
  char     *actor;               /* who runs it (publisher or admin) */
  gboolean  dry_run;             /* write nothing, send nothing: say what would be done */
  guint     concurrency;         /* items in flight; default 4 */
  guint     max_attempts;        /* tries per request before an item fails; default 5 */
  guint     retry_base_ms;       /* first backoff; default 500 */
  guint     retry_max_ms;        /* backoff cap; default 30000 */
  guint     retry_after_max_ms;  /* cap on a Retry-After wait; default 60000 */
  guint     connect_timeout_ms;  /* default 10000 */
  guint     response_timeout_ms; /* default 30000: the longest silence */
  guint     request_timeout_ms;  /* default: the setting sync_request_timeout (120 s) */
  guint     batch_timeout_ms;    /* default: the setting sync_batch_timeout (3600 s) */
  GStrv     only_ids;            /* NULL: every approved item; else only these are published
                                  * or updated (the others stay approved and queued for the
                                  * next run); withdrawals are always sent */
} GkSyncOptions;

typedef enum
{
  GK_SYNC_DRIFT_MISSING,  /* approved or published here, absent (or withdrawn) there */
  GK_SYNC_DRIFT_EXTRA,    /* published there, unknown or withdrawn here */
  GK_SYNC_DRIFT_STALE,    /* on both sides, but another revision or ETag there */
} GkSyncDriftKind;

typedef struct
{
  char            *id;
  char            *title;          /* NULL for an id unknown here */
  GkSyncDriftKind  kind;
  gint64           local_revision; /* 0 when unknown here */
  gint64           portal_revision; /* 0 when absent there */
  char            *local_state;
  char            *portal_status;
  char            *message;
} GkSyncDrift;

typedef struct
{
  GPtrArray *drift;        /* GkSyncDrift*, by id */
  guint      n_portal;     /* documents listed by the portal */
  guint      n_local;      /* items that should or may be there */
  char      *portal_url;
} GkSyncCheckReport;

typedef enum
{
  GK_SYNC_RESOLVE_KEEP_PORTAL,  /* the portal's copy stays; its ETag is recorded */
  GK_SYNC_RESOLVE_OVERWRITE,    /* the approved record replaces it (unconditional PUT) */
} GkSyncResolution;

/* Called once per item as it finishes (n_done of n_total). */
typedef void (*GkSyncProgressFunc) (const GkSyncItemResult *result,
                                    guint                   n_done,
                                    guint                   n_total,
                                    gpointer                user_data);

/* Cancels every sync of this process and waits until each has stopped
 * (application shutdown); their results are not delivered. */
void gk_sync_stop_all (void);

const char      *gk_sync_outcome_to_string   (GkSyncOutcome outcome);
const char      *gk_sync_outcome_to_label    (GkSyncOutcome outcome);
const char      *gk_sync_drift_kind_to_string (GkSyncDriftKind kind);

GkSyncOptions   *gk_sync_options_new         (void);
GkSyncOptions   *gk_sync_options_copy        (const GkSyncOptions *options);
void             gk_sync_options_free        (GkSyncOptions *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkSyncOptions, gk_sync_options_free)

GkSyncItemResult *gk_sync_item_result_copy (const GkSyncItemResult *src);
void             gk_sync_item_result_free    (GkSyncItemResult *result);
JsonNode        *gk_sync_item_result_to_json (const GkSyncItemResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkSyncItemResult, gk_sync_item_result_free)

void             gk_sync_report_free         (GkSyncReport *report);
/* How many results have this outcome. */
guint            gk_sync_report_count        (const GkSyncReport *report,
                                              GkSyncOutcome       outcome);
/* {"results": [{id, title, outcome, operation, revision, message,
 * public_url, fields?}], "summary": {published, updated, withdrawn,
 * conflict, refused, failed, skipped, total, dry_run, stopped,
 * timed_out, stop_message}} */
JsonNode        *gk_sync_report_to_json      (const GkSyncReport *report);
/* 0 all done, 1 some failed/conflict/refused, 3 the token was refused. */
int              gk_sync_report_exit_status  (const GkSyncReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkSyncReport, gk_sync_report_free)

void             gk_sync_drift_free          (GkSyncDrift *drift);
void             gk_sync_check_report_free   (GkSyncCheckReport *report);
/* {"drift": [{id, title, kind, local_revision, portal_revision,
 * local_state, portal_status, message}], "summary": {missing, extra,
 * stale, portal_documents, local_items}} */
JsonNode        *gk_sync_check_report_to_json (const GkSyncCheckReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkSyncCheckReport, gk_sync_check_report_free)

GkSync          *gk_sync_new                 (GkStore *store);
GkStore         *gk_sync_get_store           (GkSync  *self);

/* One batch.  Fails (NULL) for options that cannot work (no portal URL,
 * no token, plain http to another host, a missing role:
 * GK_ERROR_PERMISSION), a database error, or cancellation
 * (G_IO_ERROR_CANCELLED; jobs stay in the outbox).  Anything the portal
 * answers is in the report, including a refused token (report->stopped). */
void             gk_sync_run_async           (GkSync              *self,
                                              const GkSyncOptions *options,
                                              GkSyncProgressFunc   progress,
                                              gpointer             progress_data,
                                              GDestroyNotify       progress_destroy,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GkSyncReport    *gk_sync_run_finish          (GkSync        *self,
                                              GAsyncResult  *result,
                                              GError       **error);

/* Reconciliation: page through GET /documents and compare; changes
 * nothing. */
void             gk_sync_check_async         (GkSync              *self,
                                              const GkSyncOptions *options,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GkSyncCheckReport *gk_sync_check_finish      (GkSync        *self,
                                              GAsyncResult  *result,
                                              GError       **error);

/* `sync --resolve ID keep-portal|overwrite` (admin only, audited) for an
 * item flagged in conflict.  keep-portal: GET the portal's document and
 * record its ETag; the approved revision is not sent.  overwrite: the
 * approved record is PUT without a precondition — the only
 * unconditional write.  The result says what happened (outcome
 * published/updated for an overwrite, skipped for keep-portal, or
 * failed/refused); the error is for refusals before any request
 * (GK_ERROR_PERMISSION, GK_ERROR_REFUSED when the item is not in
 * conflict or not approved, GK_ERROR_NOT_FOUND) and 401/403
 * (GK_ERROR_PERMISSION). */
void             gk_sync_resolve_async       (GkSync              *self,
                                              const GkSyncOptions *options,
                                              const char          *id,
                                              GkSyncResolution     resolution,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GkSyncItemResult *gk_sync_resolve_finish     (GkSync        *self,
                                              GAsyncResult  *result,
                                              GError       **error);

/* `withdraw ID --reason TEXT` (publisher or admin): a published item gets
 * a job to DELETE it (*queued = TRUE), sent at once with
 * gk_sync_send_withdrawal_async() when a portal and a token are at hand,
 * else by the next sync; an approved item never sent just becomes
 * withdrawn. */
gboolean         gk_sync_withdraw            (GkStore    *store,
                                              const char *actor,
                                              const char *id,
                                              const char *reason,
                                              gboolean   *queued,
                                              GError    **error);

/* Send the item's queued withdrawal now: DELETE /documents/{id}, with
 * the retries (3 tries unless max_attempts says otherwise) and deadlines
 * of a batch (a batch of one, under the sync lock).  The result's outcome is WITHDRAWN when the portal confirmed
 * it (the item is withdrawn, the job done); anything else (FAILED,
 * CONFLICT, REFUSED, SKIPPED when stopped) leaves the job in the outbox
 * and the message says why.  Fails before any request for options that
 * cannot work (no portal URL: GK_ERROR_INVALID; no token or a missing
 * role: GK_ERROR_PERMISSION; plain http to another host), another sync
 * running (GK_ERROR_REFUSED), no withdrawal queued for the item
 * (GK_ERROR_NOT_FOUND), or cancellation. */
void             gk_sync_send_withdrawal_async (GkSync              *self,
                                                const GkSyncOptions *options,
                                                const char          *id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GkSyncItemResult *gk_sync_send_withdrawal_finish (GkSync        *self,
                                                  GAsyncResult  *result,
                                                  GError       **error);

/* Whether the item has a withdrawal that the portal has not confirmed
 * yet; *last_error (if not NULL) gets the last failure to send it (or
 * NULL). */
gboolean         gk_sync_withdrawal_pending  (GkStore    *store,
                                              const char *id,
                                              char      **last_error);

/* Published 规范性文件 whose effective_until has passed while their
 * validity still says valid.  They are not updated behind the
 * reviewers' backs: someone edits validity (expired or repealed), the
 * new revision is approved again, and the next sync sends the update.
 * GkItem*; each run reports them as skipped, "needs re-approval". */
GPtrArray       *gk_sync_list_needing_reapproval (GkStore    *store,
                                                  const char *today,
                                                  GError    **error);

/* The body a publish/update job sends for this approved record: the
 * record with publish_date set to publish_date when it has none. */
char            *gk_sync_build_body          (const char *approved_record,
                                              const char *publish_date,
                                              GError    **error);

G_END_DECLS
