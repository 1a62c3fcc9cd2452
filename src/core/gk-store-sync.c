/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiStore"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <string.h>

#include "gk-store-private.h"
#include "gk-store-sync.h"
#include "gk-util.h"

/* The outbox (sync_jobs) and the portal state (portal_state), created by
 * schema migration 3 in gk-store.c.  Every write here is one transaction
 * that appends its audit entry; the audit details never hold the token
 * (nothing here ever sees it). */

#define JOB_COLUMNS \
  "id, item_id, revision, operation, body, state, attempts, last_error, reason, created_at, created_by"
#define PORTAL_COLUMNS \
  "item_id, status, revision, etag, public_url, publish_date, synced_at"

static const char *const operation_names[] = { "publish", "update", "withdraw" };
static const char *const job_state_names[] = { "pending", "conflict", "refused", "superseded" };

/* helpers */

static GkSyncJob *
job_from_row (GkStoreStmt *stmt)
{
  GkSyncJob *job = g_new0 (GkSyncJob, 1);
  const char *text;

  job->id = sqlite3_column_int64 (stmt, 0);
  job->item_id = gk_store_priv_column_text (stmt, 1);
  job->revision = sqlite3_column_int64 (stmt, 2);
  gk_sync_operation_from_string ((const char *) sqlite3_column_text (stmt, 3), &job->operation);
  job->body = gk_store_priv_column_text (stmt, 4);
  text = (const char *) sqlite3_column_text (stmt, 5);
  job->state = GK_SYNC_JOB_PENDING;
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (job_state_names); i++)
    if (strcmp (text, job_state_names[i]) == 0)
      job->state = (GkSyncJobState) i;
  job->attempts = sqlite3_column_int (stmt, 6);
  job->last_error = gk_store_priv_column_text (stmt, 7);
  job->reason = gk_store_priv_column_text (stmt, 8);
  job->created_at = gk_store_priv_column_text (stmt, 9);
  job->created_by = gk_store_priv_column_text (stmt, 10);
  return job;
}

static GkPortalState *
portal_state_from_row (GkStoreStmt *stmt,
                       int          first)
{
  GkPortalState *state = g_new0 (GkPortalState, 1);

  state->item_id = gk_store_priv_column_text (stmt, first + 0);
  state->status = gk_store_priv_column_text (stmt, first + 1);
  state->revision = sqlite3_column_int64 (stmt, first + 2);
  state->etag = gk_store_priv_column_text (stmt, first + 3);
  state->public_url = gk_store_priv_column_text (stmt, first + 4);
  state->publish_date = gk_store_priv_column_text (stmt, first + 5);
  state->synced_at = gk_store_priv_column_text (stmt, first + 6);
  return state;
}

static GkSyncJob *
load_job (GkStore    *self,
          gint64      job_id,
          GError    **error)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self, "SELECT " JOB_COLUMNS " FROM sync_jobs WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return job_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, GK_ERROR, GK_ERROR_NOT_FOUND, _("There is no sync job %" PRId64 "."), job_id);
  else
    gk_store_priv_sql_error (self, rc, "load sync job", error);
  return NULL;
}

static GkSyncJob *
load_active_job (GkStore    *self,
                 const char *item_id,
                 GError    **error)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "SELECT " JOB_COLUMNS " FROM sync_jobs "
                           "WHERE item_id = ?1 AND state <> 'superseded'",
                           error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return job_from_row (stmt);
  if (rc != SQLITE_DONE)
    gk_store_priv_sql_error (self, rc, "load sync job", error);
  return NULL;
}

static GkPortalState *
load_portal_state (GkStore    *self,
                   const char *item_id,
                   GError    **error)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self, "SELECT " PORTAL_COLUMNS " FROM portal_state WHERE item_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return portal_state_from_row (stmt, 0);
  if (rc != SQLITE_DONE)
    gk_store_priv_sql_error (self, rc, "load portal state", error);
  return NULL;
}

static GStrv
collect_ids (GkStore     *self,
             GkStoreStmt *stmt,
             GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      gk_store_priv_sql_error (self, rc, "list items", error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

static gboolean
set_job_state (GkStore        *self,
               gint64          job_id,
               GkSyncJobState  state,
               const char     *last_error,
               GError        **error)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "UPDATE sync_jobs SET state = ?2, last_error = COALESCE (?3, last_error), "
                           "updated_at = ?4 WHERE id = ?1",
                           error);
  g_autofree char *now = gk_timestamp_now ();

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_text (stmt, 2, job_state_names[state], -1, SQLITE_STATIC);
  gk_store_priv_bind_text (stmt, 3, last_error);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  return gk_store_priv_step_done (self, stmt, error);
}

static gboolean
delete_job (GkStore  *self,
            gint64    job_id,
            GError  **error)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self, "DELETE FROM sync_jobs WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  return gk_store_priv_step_done (self, stmt, error);
}

static gboolean
supersede_active (GkStore    *self,
                  const char *item_id,
                  GError    **error)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "UPDATE sync_jobs SET state = 'superseded', updated_at = ?2 "
                           "WHERE item_id = ?1 AND state <> 'superseded'",
                           error);
  g_autofree char *now = gk_timestamp_now ();

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  return gk_store_priv_step_done (self, stmt, error);
}

static gboolean
set_conflict_flag (GkStore    *self,
                   const char *item_id,
                   gboolean    set,
                   GError    **error)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           set ? "UPDATE items SET flags = flags | ?2 WHERE id = ?1"
                               : "UPDATE items SET flags = flags & ~?2 WHERE id = ?1",
                           error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, GK_ITEM_FLAG_CONFLICT);
  return gk_store_priv_step_done (self, stmt, error);
}

static gboolean
insert_job (GkStore             *self,
            const char          *actor,
            const GkSyncJobSpec *spec,
            GError             **error)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "INSERT INTO sync_jobs (item_id, revision, operation, body, state, reason, "
                           "created_at, created_by) VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6, ?7)",
                           error);
  g_autofree char *now = gk_timestamp_now ();

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, spec->item_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, spec->revision);
  sqlite3_bind_text (stmt, 3, operation_names[spec->operation], -1, SQLITE_STATIC);
  if (spec->body != NULL)
    sqlite3_bind_text (stmt, 4, spec->body, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 4);
  gk_store_priv_bind_text (stmt, 5, spec->reason);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, actor, -1, SQLITE_TRANSIENT);
  return gk_store_priv_step_done (self, stmt, error);
}

static JsonObject *
result_details (GkSyncJob  *job,
                const char *portal_url,
                const char *outcome)
{
  JsonObject *details = json_object_new ();

  json_object_set_string_member (details, "operation", operation_names[job->operation]);
  json_object_set_int_member (details, "revision", job->revision);
  json_object_set_string_member (details, "outcome", outcome);
  if (portal_url != NULL)
    json_object_set_string_member (details, "portal", portal_url);
  return details;
}

/* A public_url is kept, shown and opened: only an absolute http(s)
 * address (the portal client checks it; this is the last line). */
static gboolean
check_public_url (const char  *public_url,
                  GError     **error)
{
  if (public_url == NULL || gk_url_is_http (public_url))
    return TRUE;
  g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID,
                       _("The portal’s public address of the document is not an absolute http(s) "
                         "address; it is not kept."));
  return FALSE;
}

static gboolean
audit (GkStore    *self,
       const char *actor,
       const char *action,
       const char *item_id,
       JsonObject *details,
       GError    **error)
{
  gboolean ok = gk_store_priv_audit (self, actor, action, item_id, details, error);

  json_object_unref (details);
  return ok;
}

/* public API */

/**
 * gk_sync_operation_to_string:
 * @op: an operation
 *
 * Returns: "publish", "update" or "withdraw"
 */
const char *
gk_sync_operation_to_string (GkSyncOperation op)
{
  g_return_val_if_fail ((guint) op < G_N_ELEMENTS (operation_names), "publish");
  return operation_names[op];
}

/**
 * gk_sync_operation_from_string:
 * @text: (nullable): an operation name
 * @out: (out): the operation
 *
 * Returns: %TRUE if @text names an operation
 */
gboolean
gk_sync_operation_from_string (const char      *text,
                               GkSyncOperation *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (operation_names); i++)
    if (strcmp (text, operation_names[i]) == 0)
      {
        *out = (GkSyncOperation) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * gk_sync_job_state_to_string:
 * @state: a job state
 *
 * Returns: its name
 */
const char *
gk_sync_job_state_to_string (GkSyncJobState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (job_state_names), "pending");
  return job_state_names[state];
}

/**
 * gk_sync_job_free:
 * @job: (nullable): a job
 */
void
gk_sync_job_free (GkSyncJob *job)
{
  if (job == NULL)
    return;
  g_free (job->item_id);
  g_free (job->body);
  g_free (job->last_error);
  g_free (job->reason);
  g_free (job->created_at);
  g_free (job->created_by);
  g_free (job);
}

/**
 * gk_portal_state_free:
 * @state: (nullable): a portal state
 */
void
gk_portal_state_free (GkPortalState *state)
{
  if (state == NULL)
    return;
  g_free (state->item_id);
  g_free (state->status);
  g_free (state->etag);
  g_free (state->public_url);
  g_free (state->publish_date);
  g_free (state->synced_at);
  g_free (state);
}

/**
 * gk_sync_local_row_free:
 * @row: (nullable): a row
 */
void
gk_sync_local_row_free (GkSyncLocalRow *row)
{
  if (row == NULL)
    return;
  g_free (row->item_id);
  g_free (row->title);
  g_free (row->disclosure);
  gk_portal_state_free (row->portal);
  g_free (row);
}

/**
 * gk_store_sync_approved_ids:
 * @self: a store
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): ids of the approved items
 */
GStrv
gk_store_sync_approved_ids (GkStore  *self,
                            GError  **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_read (self);
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self, "SELECT id FROM items WHERE state = 'approved' ORDER BY num", error);

  if (stmt == NULL)
    return NULL;
  return collect_ids (self, stmt, error);
}

/**
 * gk_store_sync_expired_ids:
 * @self: a store
 * @today: YYYY-MM-DD
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): ids of published items past their
 *   effective_until whose validity still says valid
 */
GStrv
gk_store_sync_expired_ids (GkStore    *self,
                           const char *today,
                           GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_read (self);
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "SELECT id FROM items WHERE state = 'published' "
                           "AND effective_until IS NOT NULL AND effective_until < ?1 "
                           "AND (validity_status IS NULL OR validity_status = 'valid') "
                           "ORDER BY effective_until, num",
                           error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, today, -1, SQLITE_TRANSIENT);
  return collect_ids (self, stmt, error);
}

/**
 * gk_store_sync_get_portal_state:
 * @self: a store
 * @item_id: a full item id
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): the portal state, or %NULL
 */
GkPortalState *
gk_store_sync_get_portal_state (GkStore    *self,
                                const char *item_id,
                                GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_read (self);

  return load_portal_state (self, item_id, error);
}

/**
 * gk_store_sync_get_active_job:
 * @self: a store
 * @item_id: a full item id
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): the item's active job, or %NULL
 */
GkSyncJob *
gk_store_sync_get_active_job (GkStore    *self,
                              const char *item_id,
                              GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_read (self);

  return load_active_job (self, item_id, error);
}

/**
 * gk_store_sync_list_jobs:
 * @self: a store
 * @pending_only: only jobs waiting to be sent
 * @error: the error location
 *
 * Returns: (transfer full) (element-type GkSyncJob) (nullable): the jobs
 */
GPtrArray *
gk_store_sync_list_jobs (GkStore   *self,
                         gboolean   pending_only,
                         GError   **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_read (self);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_sync_job_free);
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           pending_only
                           ? "SELECT " JOB_COLUMNS " FROM sync_jobs WHERE state = 'pending' ORDER BY id"
                           : "SELECT " JOB_COLUMNS " FROM sync_jobs WHERE state <> 'superseded' ORDER BY id",
                           error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (jobs, job_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      gk_store_priv_sql_error (self, rc, "list sync jobs", error);
      return NULL;
    }
  return g_steal_pointer (&jobs);
}

/**
 * gk_store_sync_count_active_jobs:
 * @self: a store
 * @error: the error location
 *
 * Returns: the number of jobs in the outbox, or -1 on error
 */
gint64
gk_store_sync_count_active_jobs (GkStore  *self,
                                 GError  **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_read (self);
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self, "SELECT count(*) FROM sync_jobs WHERE state <> 'superseded'", error);
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      gk_store_priv_sql_error (self, rc, "count sync jobs", error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/**
 * gk_store_sync_superseded_bodies:
 * @self: a store
 * @item_id: a full item id
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): the bodies, newest first
 */
GStrv
gk_store_sync_superseded_bodies (GkStore    *self,
                                 const char *item_id,
                                 GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_read (self);
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "SELECT body FROM sync_jobs WHERE item_id = ?1 AND state = 'superseded' "
                           "AND body IS NOT NULL ORDER BY id DESC",
                           error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  return collect_ids (self, stmt, error);
}

/**
 * gk_store_sync_item_was_queued:
 * @self: a store
 * @item_id: a full item id
 * @out: (out): whether the item ever had a job or a portal state
 * @error: the error location
 *
 * Returns: %FALSE on a database error
 */
gboolean
gk_store_sync_item_was_queued (GkStore    *self,
                               const char *item_id,
                               gboolean   *out,
                               GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_read (self);
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "SELECT EXISTS (SELECT 1 FROM sync_jobs WHERE item_id = ?1) "
                           "OR EXISTS (SELECT 1 FROM portal_state WHERE item_id = ?1)",
                           error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return gk_store_priv_sql_error (self, rc, "sync jobs", error);
  *out = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

/**
 * gk_store_sync_local_rows:
 * @self: a store
 * @error: the error location
 *
 * Returns: (transfer full) (element-type GkSyncLocalRow) (nullable): rows by id
 */
GPtrArray *
gk_store_sync_local_rows (GkStore  *self,
                          GError  **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_read (self);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_sync_local_row_free);
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "SELECT items.id, items.title, items.state, items.revision, items.disclosure, "
                           "portal_state.item_id, portal_state.status, portal_state.revision, "
                           "portal_state.etag, portal_state.public_url, portal_state.publish_date, "
                           "portal_state.synced_at "
                           "FROM items LEFT JOIN portal_state ON portal_state.item_id = items.id "
                           "WHERE items.state IN ('approved', 'published', 'withdrawn') "
                           "OR portal_state.item_id IS NOT NULL ORDER BY items.id",
                           error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GkSyncLocalRow *row = g_new0 (GkSyncLocalRow, 1);
      GkState state = GK_STATE_DRAFT;

      row->item_id = gk_store_priv_column_text (stmt, 0);
      row->title = gk_store_priv_column_text (stmt, 1);
      gk_state_from_string ((const char *) sqlite3_column_text (stmt, 2), &state);
      row->state = state;
      row->revision = sqlite3_column_int64 (stmt, 3);
      row->disclosure = gk_store_priv_column_text (stmt, 4);
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        row->portal = portal_state_from_row (stmt, 5);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      gk_store_priv_sql_error (self, rc, "list items", error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/**
 * gk_store_sync_add_jobs:
 * @self: a store
 * @actor: who runs the sync
 * @specs: the jobs
 * @n_specs: how many
 * @error: the error location
 *
 * Returns: %TRUE when all were added (or kept)
 */
gboolean
gk_store_sync_add_jobs (GkStore             *self,
                        const char          *actor,
                        const GkSyncJobSpec *specs,
                        guint                n_specs,
                        GError             **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_lock (self);
  g_autoptr(GkStoreTx) tx = NULL;

  if (n_specs == 0)
    return TRUE;
  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;

  for (guint i = 0; i < n_specs; i++)
    {
      const GkSyncJobSpec *spec = &specs[i];
      g_autoptr(GkSyncJob) active = NULL;
      g_autoptr(GError) local_error = NULL;
      JsonObject *details;

      active = load_active_job (self, spec->item_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (active != NULL && active->revision == spec->revision &&
          (active->operation == spec->operation ||
           (active->operation != GK_SYNC_OP_WITHDRAW && spec->operation != GK_SYNC_OP_WITHDRAW)))
        continue;
      if (active != NULL && !supersede_active (self, spec->item_id, error))
        return FALSE;
      if (!insert_job (self, actor, spec, error))
        return FALSE;

      details = json_object_new ();
      json_object_set_string_member (details, "queued", operation_names[spec->operation]);
      json_object_set_int_member (details, "revision", spec->revision);
      if (active != NULL)
        json_object_set_string_member (details, "supersedes", operation_names[active->operation]);
      /* No "items-changed": a queued job changes nothing the item shows,
       * and the sync writes the outbox from a worker thread (the signal
       * would reach the window off its main thread). */
      if (!audit (self, actor, "sync", spec->item_id, details, error))
        return FALSE;
    }
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

/**
 * gk_store_sync_record_failure:
 * @self: a store
 * @actor: who runs the sync
 * @job_id: the job
 * @portal_url: (nullable): the portal
 * @message: the last error
 * @error: the error location
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_sync_record_failure (GkStore    *self,
                              const char *actor,
                              gint64      job_id,
                              const char *portal_url,
                              const char *message,
                              GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_lock (self);
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GkSyncJob) job = NULL;
  g_autofree char *now = gk_timestamp_now ();
  JsonObject *details;

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  if ((job = load_job (self, job_id, error)) == NULL)
    return FALSE;
  {
    g_autoptr(GkStoreStmt) stmt =
      gk_store_priv_prepare (self,
                             "UPDATE sync_jobs SET attempts = attempts + 1, last_error = ?2, "
                             "updated_at = ?3 WHERE id = ?1",
                             error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, job_id);
    gk_store_priv_bind_text (stmt, 2, message);
    sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
    if (!gk_store_priv_step_done (self, stmt, error))
      return FALSE;
  }
  details = result_details (job, portal_url, "failed");
  json_object_set_string_member (details, "message", message ? message : "");
  if (!audit (self, actor, "sync", job->item_id, details, error))
    return FALSE;
  gk_store_priv_emit_changed (self, job->item_id);
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

/**
 * gk_store_sync_complete_publish:
 * @self: a store
 * @actor: who runs the sync
 * @job_id: the job that was accepted
 * @portal_url: (nullable): the portal
 * @etag: the document's new ETag
 * @public_url: (nullable): its public address
 * @publish_date: the publish_date that was sent
 * @decision: (nullable): "overwrite" when a person chose it
 * @error: the error location
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_sync_complete_publish (GkStore    *self,
                                const char *actor,
                                gint64      job_id,
                                const char *portal_url,
                                const char *etag,
                                const char *public_url,
                                const char *publish_date,
                                const char *decision,
                                GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_lock (self);
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GkSyncJob) job = NULL;
  g_autofree char *now = gk_timestamp_now ();
  JsonObject *details;

  if (!check_public_url (public_url, error))
    return FALSE;
  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  if ((job = load_job (self, job_id, error)) == NULL)
    return FALSE;

  /* Only the item's live job for its current revision is settled: one
   * superseded meanwhile (a withdrawal, a newer decision) or sent for a
   * revision the item no longer has (an edit) is not. */
  {
    g_autoptr(GkItem) item = gk_store_priv_load_item (self, job->item_id, FALSE, error);
    gboolean live = job->state == GK_SYNC_JOB_PENDING ||
                    (decision != NULL && job->state == GK_SYNC_JOB_CONFLICT);

    if (item == NULL)
      return FALSE;
    if (!live || job->operation == GK_SYNC_OP_WITHDRAW || item->revision != job->revision)
      {
        gk_set_error_detail (error, GK_ERROR_REFUSED, GK_ERROR_DETAIL_PORTAL_DIFFERS,
                     _("The portal accepted revision %" PRId64 ", but the item changed while it "
                       "was being sent (it is now at revision %" PRId64 ", its queued job is %s): "
                       "it is not marked published."),
                     job->revision, item->revision, job_state_names[job->state]);
        return FALSE;
      }
  }

  {
    g_autoptr(GkStoreStmt) stmt =
      gk_store_priv_prepare (self,
                             "INSERT INTO portal_state (" PORTAL_COLUMNS ") "
                             "VALUES (?1, 'published', ?2, ?3, ?4, ?5, ?6) "
                             "ON CONFLICT (item_id) DO UPDATE SET status = 'published', "
                             "revision = excluded.revision, etag = excluded.etag, "
                             "public_url = COALESCE (excluded.public_url, public_url), "
                             "publish_date = COALESCE (publish_date, excluded.publish_date), "
                             "synced_at = excluded.synced_at",
                             error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, job->item_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, job->revision);
    gk_store_priv_bind_text (stmt, 3, etag);
    gk_store_priv_bind_text (stmt, 4, public_url);
    gk_store_priv_bind_text (stmt, 5, publish_date);
    sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
    if (!gk_store_priv_step_done (self, stmt, error))
      return FALSE;
  }
  {
    /* Published only if the item is still the revision that was sent. */
    g_autoptr(GkStoreStmt) stmt =
      gk_store_priv_prepare (self,
                             "UPDATE items SET state = 'published', stage = NULL "
                             "WHERE id = ?1 AND state = 'approved' AND revision = ?2",
                             error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, job->item_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, job->revision);
    if (!gk_store_priv_step_done (self, stmt, error))
      return FALSE;
  }
  {
    g_autoptr(GkStoreStmt) stmt =
      gk_store_priv_prepare (self,
                             "UPDATE items SET public_url = COALESCE (?2, public_url), "
                             "publish_date = COALESCE (publish_date, ?3), flags = flags & ~?4 "
                             "WHERE id = ?1",
                             error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, job->item_id, -1, SQLITE_TRANSIENT);
    gk_store_priv_bind_text (stmt, 2, public_url);
    gk_store_priv_bind_text (stmt, 3, publish_date);
    sqlite3_bind_int (stmt, 4, GK_ITEM_FLAG_CONFLICT);
    if (!gk_store_priv_step_done (self, stmt, error))
      return FALSE;
  }
  if (!delete_job (self, job_id, error))
    return FALSE;

  details = result_details (job, portal_url,
                            job->operation == GK_SYNC_OP_UPDATE ? "updated" : "published");
  if (etag != NULL)
    json_object_set_string_member (details, "etag", etag);
  if (public_url != NULL)
    json_object_set_string_member (details, "public_url", public_url);
  if (publish_date != NULL)
    json_object_set_string_member (details, "publish_date", publish_date);
  if (decision != NULL)
    json_object_set_string_member (details, "decision", decision);
  if (!audit (self, actor, decision != NULL ? "sync-resolve" : "sync", job->item_id, details, error))
    return FALSE;
  gk_store_priv_emit_changed (self, job->item_id);
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

/**
 * gk_store_sync_complete_withdraw:
 * @self: a store
 * @actor: who runs the sync
 * @job_id: the withdraw job
 * @portal_url: (nullable): the portal
 * @status: the HTTP status (204 or 404)
 * @error: the error location
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_sync_complete_withdraw (GkStore    *self,
                                 const char *actor,
                                 gint64      job_id,
                                 const char *portal_url,
                                 guint       status,
                                 GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_lock (self);
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GkSyncJob) job = NULL;
  g_autofree char *now = gk_timestamp_now ();
  JsonObject *details;

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  if ((job = load_job (self, job_id, error)) == NULL)
    return FALSE;

  {
    g_autoptr(GkStoreStmt) stmt =
      gk_store_priv_prepare (self,
                             "INSERT INTO portal_state (item_id, status, revision, synced_at) "
                             "VALUES (?1, 'withdrawn', ?2, ?3) "
                             "ON CONFLICT (item_id) DO UPDATE SET status = 'withdrawn', "
                             "synced_at = excluded.synced_at",
                             error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, job->item_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, job->revision);
    sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
    if (!gk_store_priv_step_done (self, stmt, error))
      return FALSE;
  }
  {
    g_autoptr(GkStoreStmt) stmt =
      gk_store_priv_prepare (self,
                             "UPDATE items SET state = 'withdrawn', stage = NULL, public_url = NULL "
                             "WHERE id = ?1 AND revision = ?2 AND state IN ('approved', 'published')",
                             error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, job->item_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, job->revision);
    if (!gk_store_priv_step_done (self, stmt, error))
      return FALSE;
  }
  if (!delete_job (self, job_id, error))
    return FALSE;

  details = result_details (job, portal_url, "withdrawn");
  json_object_set_int_member (details, "status", status);
  if (job->reason != NULL)
    json_object_set_string_member (details, "reason", job->reason);
  if (!audit (self, actor, "sync", job->item_id, details, error))
    return FALSE;
  gk_store_priv_emit_changed (self, job->item_id);
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

/* A job that ends without changing what the portal holds: its state,
 * the audit entry with the outcome and message, in one transaction. */
static gboolean
end_job (GkStore       *self,
         const char    *actor,
         gint64         job_id,
         GkSyncJobState state,
         const char    *outcome,
         const char    *portal_url,
         const char    *message,
         JsonNode      *fields,
         GError       **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_lock (self);
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GkSyncJob) job = NULL;
  JsonObject *details;

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  if ((job = load_job (self, job_id, error)) == NULL)
    return FALSE;
  if (!set_job_state (self, job_id, state, message, error))
    return FALSE;
  if (state == GK_SYNC_JOB_CONFLICT && !set_conflict_flag (self, job->item_id, TRUE, error))
    return FALSE;
  details = result_details (job, portal_url, outcome);
  json_object_set_string_member (details, "message", message ? message : "");
  if (fields != NULL)
    json_object_set_member (details, "fields", json_node_copy (fields));
  if (!audit (self, actor, "sync", job->item_id, details, error))
    return FALSE;
  gk_store_priv_emit_changed (self, job->item_id);
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

/**
 * gk_store_sync_mark_conflict:
 * @self: a store
 * @actor: who runs the sync
 * @job_id: the job the portal answered 412 to
 * @portal_url: (nullable): the portal
 * @message: what the portal said
 * @error: the error location
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_sync_mark_conflict (GkStore    *self,
                             const char *actor,
                             gint64      job_id,
                             const char *portal_url,
                             const char *message,
                             GError    **error)
{
  return end_job (self, actor, job_id, GK_SYNC_JOB_CONFLICT, "conflict",
                  portal_url, message, NULL, error);
}

/**
 * gk_store_sync_mark_refused:
 * @self: a store
 * @actor: who runs the sync
 * @job_id: the refused job
 * @portal_url: (nullable): the portal
 * @message: the portal's reason
 * @fields: (nullable): JSON array of {field, problem}
 * @error: the error location
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_sync_mark_refused (GkStore    *self,
                            const char *actor,
                            gint64      job_id,
                            const char *portal_url,
                            const char *message,
                            JsonNode   *fields,
                            GError    **error)
{
  return end_job (self, actor, job_id, GK_SYNC_JOB_REFUSED, "refused",
                  portal_url, message, fields, error);
}

/**
 * gk_store_sync_supersede_job:
 * @self: a store
 * @actor: who runs the sync
 * @job_id: the job
 * @why: the reason, for the audit
 * @error: the error location
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_sync_supersede_job (GkStore    *self,
                             const char *actor,
                             gint64      job_id,
                             const char *why,
                             GError    **error)
{
  return end_job (self, actor, job_id, GK_SYNC_JOB_SUPERSEDED, "skipped",
                  NULL, why, NULL, error);
}

/**
 * gk_store_sync_adopt_etag:
 * @self: a store
 * @item_id: a full item id
 * @revision: the revision the portal holds
 * @etag: its ETag
 * @public_url: (nullable): its public address
 * @error: the error location
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_sync_adopt_etag (GkStore    *self,
                          const char *item_id,
                          gint64      revision,
                          const char *etag,
                          const char *public_url,
                          GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_lock (self);
  g_autoptr(GkStoreTx) tx = NULL;
  g_autofree char *now = gk_timestamp_now ();

  if (!check_public_url (public_url, error))
    return FALSE;
  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  {
    g_autoptr(GkStoreStmt) stmt =
      gk_store_priv_prepare (self,
                             "INSERT INTO portal_state (" PORTAL_COLUMNS ") "
                             "VALUES (?1, 'published', ?2, ?3, ?4, NULL, ?5) "
                             "ON CONFLICT (item_id) DO UPDATE SET etag = excluded.etag, "
                             "revision = excluded.revision, "
                             "public_url = COALESCE (excluded.public_url, public_url), "
                             "synced_at = excluded.synced_at",
                             error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, revision);
    gk_store_priv_bind_text (stmt, 3, etag);
    gk_store_priv_bind_text (stmt, 4, public_url);
    sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
    if (!gk_store_priv_step_done (self, stmt, error))
      return FALSE;
  }
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

/**
 * gk_store_sync_resolve_keep_portal:
 * @self: a store
 * @actor: the admin who decided
 * @item_id: a full item id
 * @portal_url: (nullable): the portal
 * @etag: (nullable): the portal's ETag, %NULL when it has no such document
 * @public_url: (nullable): the portal's public address of it
 * @withdrawn: the portal's copy is withdrawn
 * @portal_revision: the revision the portal holds
 * @error: the error location
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_sync_resolve_keep_portal (GkStore    *self,
                                   const char *actor,
                                   const char *item_id,
                                   const char *portal_url,
                                   const char *etag,
                                   const char *public_url,
                                   gboolean    withdrawn,
                                   gint64      portal_revision,
                                   GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_lock (self);
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GkSyncJob) job = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = gk_timestamp_now ();
  JsonObject *details;

  if (!gk_store_check_action (self, actor, GK_ACTION_RESOLVE, NULL, error))
    return FALSE;
  if (!check_public_url (public_url, error))
    return FALSE;
  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  job = load_active_job (self, item_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (job != NULL && job->operation == GK_SYNC_OP_WITHDRAW)
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_REFUSED,
                           _("A withdrawal of this item is queued: run the sync first; it withdraws "
                             "the portal’s copy."));
      return FALSE;
    }
  /* The decision is about the job in conflict, nothing else. */
  if (job != NULL && job->state != GK_SYNC_JOB_CONFLICT)
    g_clear_pointer (&job, gk_sync_job_free);

  if (etag != NULL)
    {
      g_autoptr(GkStoreStmt) stmt =
        gk_store_priv_prepare (self,
                               "INSERT INTO portal_state (" PORTAL_COLUMNS ") "
                               "VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6) "
                               "ON CONFLICT (item_id) DO UPDATE SET status = excluded.status, "
                               "revision = excluded.revision, etag = excluded.etag, "
                               "public_url = COALESCE (excluded.public_url, public_url), "
                               "synced_at = excluded.synced_at",
                               error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, withdrawn ? "withdrawn" : "published", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, portal_revision);
      sqlite3_bind_text (stmt, 4, etag, -1, SQLITE_TRANSIENT);
      gk_store_priv_bind_text (stmt, 5, public_url);
      sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
      if (!gk_store_priv_step_done (self, stmt, error))
        return FALSE;
    }
  else
    {
      g_autoptr(GkStoreStmt) stmt =
        gk_store_priv_prepare (self, "DELETE FROM portal_state WHERE item_id = ?1", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
      if (!gk_store_priv_step_done (self, stmt, error))
        return FALSE;
    }

  /* The revision in conflict is settled by the decision: it is not sent
   * again.  A later revision, approved meanwhile, stays approved and is
   * sent by the next sync. */
  if (etag != NULL && (withdrawn || job != NULL))
    {
      g_autoptr(GkStoreStmt) stmt =
        gk_store_priv_prepare (self,
                               withdrawn
                               ? "UPDATE items SET state = 'withdrawn', stage = NULL, public_url = NULL "
                                 "WHERE id = ?1 AND state IN ('approved', 'published')"
                               : "UPDATE items SET state = 'published', stage = NULL, "
                                 "public_url = COALESCE (?2, public_url) "
                                 "WHERE id = ?1 AND state = 'approved' AND revision = ?3",
                               error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
      if (!withdrawn)
        {
          gk_store_priv_bind_text (stmt, 2, public_url);
          sqlite3_bind_int64 (stmt, 3, job->revision);
        }
      if (!gk_store_priv_step_done (self, stmt, error))
        return FALSE;
    }

  if (!set_conflict_flag (self, item_id, FALSE, error))
    return FALSE;
  if (job != NULL && !set_job_state (self, job->id, GK_SYNC_JOB_SUPERSEDED, NULL, error))
    return FALSE;

  details = json_object_new ();
  json_object_set_string_member (details, "decision", "keep-portal");
  if (job != NULL)
    {
      json_object_set_string_member (details, "operation", operation_names[job->operation]);
      json_object_set_int_member (details, "revision", job->revision);
    }
  if (portal_url != NULL)
    json_object_set_string_member (details, "portal", portal_url);
  if (etag != NULL)
    {
      json_object_set_string_member (details, "etag", etag);
      json_object_set_int_member (details, "portal_revision", portal_revision);
      json_object_set_string_member (details, "portal_status", withdrawn ? "withdrawn" : "published");
    }
  else
    json_object_set_string_member (details, "portal_status", "absent");
  if (!audit (self, actor, "sync-resolve", item_id, details, error))
    return FALSE;
  gk_store_priv_emit_changed (self, item_id);
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

/**
 * gk_store_sync_withdraw_item:
 * @self: a store
 * @actor: a publisher or admin
 * @item_id: id, unique prefix or 索引号
 * @reason: why (required)
 * @queued: (out) (optional): whether a DELETE was queued for the portal
 * @error: the error location
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_sync_withdraw_item (GkStore    *self,
                             const char *actor,
                             const char *item_id,
                             const char *reason,
                             gboolean   *queued,
                             GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_lock (self);
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GkItem) item = NULL;
  g_autoptr(GkPortalState) portal = NULL;
  g_autoptr(GkSyncJob) active = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *trimmed = NULL;
  gboolean was_queued = FALSE;
  gboolean did_queue = FALSE;
  gboolean on_portal;
  JsonObject *details;

  if (queued != NULL)
    *queued = FALSE;
  if (!gk_store_check_action (self, actor, GK_ACTION_WITHDRAW, NULL, error) ||
      !gk_utf8_check (reason, -1, _("The reason for the withdrawal"), error))
    return FALSE;
  trimmed = g_strstrip (g_strdup (reason ? reason : ""));
  if (*trimmed == '\0')
    {
      gk_set_error_detail (error, GK_ERROR_INVALID, GK_ERROR_DETAIL_REASON_REQUIRED,
                           "%s", _("A withdrawal needs a reason; the audit keeps it."));
      return FALSE;
    }
  if ((id = gk_store_priv_resolve_id (self, item_id, error)) == NULL)
    return FALSE;

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  if ((item = gk_store_priv_load_item (self, id, FALSE, error)) == NULL)
    return FALSE;
  portal = load_portal_state (self, id, &local_error);
  if (local_error == NULL)
    active = load_active_job (self, id, &local_error);
  if (local_error == NULL)
    gk_store_sync_item_was_queued (self, id, &was_queued, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  on_portal = item->state == GK_STATE_PUBLISHED ||
              (portal != NULL && g_strcmp0 (portal->status, "published") == 0);

  if (active != NULL && active->operation == GK_SYNC_OP_WITHDRAW)
    {
      /* Already asked for: nothing more to do. */
      if (queued != NULL)
        *queued = TRUE;
      return TRUE;
    }
  if (item->state == GK_STATE_WITHDRAWN && !on_portal)
    return TRUE;

  if (on_portal || (item->state == GK_STATE_APPROVED && was_queued))
    {
      GkSyncJobSpec spec = { id, item->revision, GK_SYNC_OP_WITHDRAW, NULL, trimmed };

      if (active != NULL && !supersede_active (self, id, error))
        return FALSE;
      if (!insert_job (self, actor, &spec, error))
        return FALSE;
      did_queue = TRUE;
    }
  else if (item->state == GK_STATE_APPROVED)
    {
      g_autoptr(GkStoreStmt) stmt =
        gk_store_priv_prepare (self,
                               "UPDATE items SET state = 'withdrawn', stage = NULL WHERE id = ?1",
                               error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      if (!gk_store_priv_step_done (self, stmt, error))
        return FALSE;
      if (active != NULL && !supersede_active (self, id, error))
        return FALSE;
    }
  else
    {
      g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                   _("Only an approved or published item can be withdrawn; this one is %s."),
                   gk_state_to_label (item->state));
      return FALSE;
    }
  /* The job that was in conflict is gone: so is the conflict. */
  if (active != NULL && active->state == GK_SYNC_JOB_CONFLICT &&
      !set_conflict_flag (self, id, FALSE, error))
    return FALSE;

  details = json_object_new ();
  json_object_set_int_member (details, "revision", item->revision);
  json_object_set_string_member (details, "reason", trimmed);
  json_object_set_string_member (details, "previous_state", gk_state_to_string (item->state));
  json_object_set_boolean_member (details, "queued", did_queue);
  if (!audit (self, actor, "withdraw", id, details, error))
    return FALSE;
  gk_store_priv_emit_changed (self, id);
  if (!gk_store_priv_commit (g_steal_pointer (&tx), error))
    return FALSE;
  if (queued != NULL)
    *queued = did_queue;
  return TRUE;
}

/**
 * gk_store_sync_audit_stop:
 * @self: a store
 * @actor: who ran the sync
 * @portal_url: (nullable): the portal
 * @message: why the batch stopped
 * @error: the error location
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_sync_audit_stop (GkStore    *self,
                          const char *actor,
                          const char *portal_url,
                          const char *message,
                          GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_lock (self);
  g_autoptr(GkStoreTx) tx = NULL;
  JsonObject *details = json_object_new ();

  json_object_set_string_member (details, "outcome", "stopped");
  if (portal_url != NULL)
    json_object_set_string_member (details, "portal", portal_url);
  json_object_set_string_member (details, "message", message ? message : "");
  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    {
      json_object_unref (details);
      return FALSE;
    }
  if (!audit (self, actor, "sync", NULL, details, error))
    return FALSE;
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}
