/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "gk-portal-client.h"
#include "gk-store-sync.h"
#include "gk-sync.h"

G_BEGIN_DECLS

/* What the three parts of the sync share (never installed, never
 * included outside src/core/gk-sync*.c):
 *
 *   gk-sync.c        the batch engine: the run, its queue of items, each
 *                    item's steps and the portal's answers, retries,
 *                    deadlines, the lock, the outbox written in a worker,
 *                    withdrawals sent at once, the reports;
 *   gk-sync-check.c  reconciliation (GET /documents against the library)
 *                    and conflicts: recording one, looking whether the
 *                    portal holds an earlier body of ours, and a person's
 *                    resolution (keep the portal's copy or overwrite it);
 *   gk-sync-gate.c   what may be sent: the body built from the approval,
 *                    the approved items planned into jobs, and the gate
 *                    checked again right before PUT /documents. */

#define DEFAULT_CONCURRENCY  4
#define MAX_CONCURRENCY      64
#define DEFAULT_MAX_ATTEMPTS 5
/* A withdrawal sent at once, while a person waits: fewer tries (it stays
 * queued for the next run anyway). */
#define DEFAULT_WITHDRAW_ATTEMPTS  3
#define DEFAULT_RETRY_BASE_MS      500
#define DEFAULT_RETRY_MAX_MS       30000
#define DEFAULT_RETRY_AFTER_MAX_MS 60000

struct _GkSync
{
  GObject parent_instance;

  GkStore *store;
};

typedef enum
{
  RUN_BATCH,
  RUN_RESOLVE,
  RUN_WITHDRAW, /* one queued withdrawal, sent at once */
} RunKind;

typedef enum
{
  STEP_HEALTH,
  STEP_HEAD_FILE,
  STEP_PUT_FILE,
  STEP_PUT_DOCUMENT,
  STEP_GET_AFTER_CONFLICT,
  STEP_DELETE,
  STEP_GET_KEEP_PORTAL,
} Step;

typedef struct
{
  char *sha256;
  char *media_type;
} FileRef;

typedef struct _Run Run;

typedef struct
{
  Run       *run;
  GkSyncJob *job; /* NULL for the health check and keep-portal */
  char      *item_id;
  char      *title;
  Step       step;
  GPtrArray *files; /* FileRef* */
  guint      file_index;
  gboolean   upload_only; /* PUT the files without asking first */
  gboolean   file_retry_done;
  gboolean   conflict_checked;
  gboolean   overwrite;    /* a person chose to overwrite: no precondition */
  char      *publish_date; /* in the body */
  GBytes    *body;
  guint      attempt; /* tries of the current request */
  GSource   *delay;
  char      *last_error;
} Work;

struct _Run
{
  GkSync         *self;
  GkStore        *store;
  RunKind         kind;
  GkSyncOptions  *options;
  GkPortalClient *client;
  GTask          *task;
  GCancellable   *cancellable;
  GSource        *cancel_source;
  GMainContext   *context;
  GCancellable   *requests; /* of every request: cancelled with the caller's, or at the deadline */
  gulong          requests_handler;
  GSource        *deadline; /* the run's time limit */

  GkSyncProgressFunc progress;
  gpointer           progress_data;
  GDestroyNotify     progress_destroy;

  GkSyncReport *report;
  GPtrArray    *early;  /* GkSyncItemResult* found before any request */
  GQueue        queue;  /* Work* waiting */
  GPtrArray    *active; /* Work* in flight */
  guint         limit;  /* items in flight now: lowered by 429s */
  guint         n_total;
  guint         n_done;
  gboolean      pumping;
  gboolean      preparing; /* the outbox is being written in a worker */
  gboolean      stopping;
  gboolean      completed;
  GSource      *complete_source; /* completion is deferred to an idle */
  char         *unreachable;     /* the health check failed: why */
  int           lock_fd;         /* the library's sync lock, or -1 */
  GError       *error;

  /* resolve */
  char             *resolve_id;
  GkSyncResolution  resolution;
  GkSyncItemResult *resolve_result;
};

/* gk-sync.c: small things */
G_GNUC_INTERNAL JsonNode   *sync_parse_object (const char *text);
G_GNUC_INTERNAL const char *sync_member_string (JsonObject *object, const char *member);
/* json_node_copy() shares objects and arrays: this one does not. */
G_GNUC_INTERNAL JsonNode         *sync_deep_copy (JsonNode *node);
G_GNUC_INTERNAL GkSyncItemResult *sync_result_new (const char   *id,
                                                   const char   *title,
                                                   GkSyncOutcome outcome,
                                                   const char   *operation,
                                                   gint64        revision,
                                                   const char   *message);

/* gk-sync.c: the run */
G_GNUC_INTERNAL GkSyncOptions  *sync_fill_options (GkSync *self, const GkSyncOptions *options);
G_GNUC_INTERNAL GkPortalClient *sync_create_client (const GkSyncOptions *options, GError **error);
G_GNUC_INTERNAL guint           sync_compute_delay (const GkSyncOptions *options,
                                                    guint                attempt,
                                                    gint64               retry_after_ms);
G_GNUC_INTERNAL void sync_on_caller_cancelled_cb (GCancellable *cancellable, gpointer user_data);
G_GNUC_INTERNAL Run *sync_run_new (GkSync              *self,
                                   RunKind              kind,
                                   const GkSyncOptions *options,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data,
                                   gpointer             source_tag);
G_GNUC_INTERNAL void sync_run_fail (Run *run, GError *error);
G_GNUC_INTERNAL gboolean    sync_setup_client (Run *run, GError **error);
G_GNUC_INTERNAL gboolean    sync_take_lock (Run *run, GError **error);
G_GNUC_INTERNAL void        sync_arm_batch_deadline (Run *run);
G_GNUC_INTERNAL const char *sync_portal_url (Run *run);
G_GNUC_INTERNAL void        sync_pump (Run *run);

/* gk-sync.c: one item */
G_GNUC_INTERNAL void        sync_work_free (Work *work);
G_GNUC_INTERNAL const char *sync_work_operation (Work *work);
G_GNUC_INTERNAL gint64      sync_work_revision (Work *work);
G_GNUC_INTERNAL void        sync_send_step (Work *work);
G_GNUC_INTERNAL void        sync_finish_with (Work         *work,
                                              GkSyncOutcome outcome,
                                              const char   *message,
                                              const char   *public_url,
                                              JsonNode     *fields);
G_GNUC_INTERNAL void        sync_fail_work (Work *work, const char *message);

/* gk-sync-check.c: conflicts */
G_GNUC_INTERNAL void sync_mark_conflict (Work *work, const char *message);
G_GNUC_INTERNAL void sync_handle_get_after_conflict (Work *work, GkPortalResponse *response);
G_GNUC_INTERNAL void sync_handle_keep_portal (Work *work, GkPortalResponse *response);

/* gk-sync-gate.c */
G_GNUC_INTERNAL gboolean sync_check_gate (Work *work, gboolean again, char **why);
G_GNUC_INTERNAL gboolean sync_gate_plan (GkStore             *store,
                                         const GkSyncOptions *options,
                                         GStrv                approved_ids,
                                         GHashTable          *index,
                                         const char          *today,
                                         GArray              *specs,
                                         GPtrArray           *keep,
                                         GPtrArray           *early,
                                         GCancellable        *cancellable,
                                         GError             **error);

/* The engine's own entry points: the public gk_sync_*_async() of
 * gk-sync-engine.c run them on the engine thread, with that thread's
 * main context as the thread-default one (every store call and request
 * of a run happens there). */
G_GNUC_INTERNAL void sync_local_run_async (GkSync              *self,
                                           const GkSyncOptions *options,
                                           GkSyncProgressFunc   progress,
                                           gpointer             progress_data,
                                           GDestroyNotify       progress_destroy,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
G_GNUC_INTERNAL GkSyncReport                      *
sync_local_run_finish (GkSync *self, GAsyncResult *result, GError **error);
G_GNUC_INTERNAL void sync_local_check_async (GkSync              *self,
                                             const GkSyncOptions *options,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
G_GNUC_INTERNAL GkSyncCheckReport                      *
sync_local_check_finish (GkSync *self, GAsyncResult *result, GError **error);
G_GNUC_INTERNAL void sync_local_resolve_async (GkSync              *self,
                                               const GkSyncOptions *options,
                                               const char          *id,
                                               GkSyncResolution     resolution,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
G_GNUC_INTERNAL GkSyncItemResult                      *
sync_local_resolve_finish (GkSync *self, GAsyncResult *result, GError **error);
G_GNUC_INTERNAL void sync_local_send_withdrawal_async (GkSync              *self,
                                                       const GkSyncOptions *options,
                                                       const char          *id,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
G_GNUC_INTERNAL GkSyncItemResult *
sync_local_send_withdrawal_finish (GkSync *self, GAsyncResult *result, GError **error);

G_END_DECLS
