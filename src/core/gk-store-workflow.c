/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiStore"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <string.h>

#include "gk-store-private.h"
#include "gk-store-workflow.h"
#include "gk-util.h"
#include "gk-workflow.h"

/* The workflow's statements: state transitions, signatures and finding
 * decisions.  Each write is one transaction holding its audit entry; the
 * rules are asked (gk-workflow.c) on the item as loaded inside that
 * transaction. */

/* helpers */

static const char *
item_name (GkItem *item)
{
  if (!gk_str_is_blank (item->title))
    return item->title;
  if (!gk_str_is_blank (item->file_name))
    return item->file_name;
  return item->id;
}

static GkApproval *
approval_from_row (GkStoreStmt *stmt)
{
  GkApproval *approval = g_new0 (GkApproval, 1);
  g_autofree char *stage = gk_store_priv_column_text (stmt, 2);

  approval->id = sqlite3_column_int64 (stmt, 0);
  approval->revision = sqlite3_column_int64 (stmt, 1);
  if (!gk_stage_from_string (stage, &approval->stage))
    approval->stage = GK_STAGE_NONE;
  approval->actor = gk_store_priv_column_text (stmt, 3);
  approval->file_sha256 = gk_store_priv_column_text (stmt, 4);
  approval->record_json = gk_store_priv_column_text (stmt, 5);
  approval->at = gk_store_priv_column_text (stmt, 6);
  return approval;
}

static void
set_string_or_null (JsonObject *object,
                    const char *name,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static gboolean
set_state (GkStore    *self,
           const char *item_id,
           GkState     state,
           GkStage     stage,
           GError    **error)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self, "UPDATE items SET state = ?2, stage = ?3 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, gk_state_to_string (state), -1, SQLITE_STATIC);
  gk_store_priv_bind_text (stmt, 3, gk_stage_to_string (stage));
  return gk_store_priv_step_done (self, stmt, error);
}

/* Hash the stored file before the transaction (it may be large): the
 * signature must be over the bytes that are really there. */
static gboolean
check_file_bytes (GkStore *self,
                  GkItem  *item,
                  GError **error)
{
  g_autofree char *path = gk_store_get_file_path (self, item->file_sha256);
  g_autofree char *actual = NULL;
  g_autoptr(GError) local = NULL;

  if (path == NULL)
    return TRUE;  /* no file: the record check names it */
  actual = gk_sha256_file (path, NULL, NULL, &local);
  if (actual == NULL)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                   _("The document file of “%s” cannot be read from the library (%s), so it cannot be approved."),
                   item_name (item), local->message);
      return FALSE;
    }
  if (strcmp (actual, item->file_sha256) != 0)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                   _("The document file of “%s” in the library was changed after import (its SHA-256 "
                     "no longer matches), so it cannot be approved. Import the original file again."),
                   item_name (item));
      return FALSE;
    }
  return TRUE;
}

static GkFinding *
find_finding (GkItem *item,
              gint64  finding_id)
{
  for (guint i = 0; item->findings != NULL && i < item->findings->len; i++)
    {
      GkFinding *finding = g_ptr_array_index (item->findings, i);

      if (finding->id == finding_id)
        return finding;
    }
  return NULL;
}

static gboolean
dismiss_finding (GkStore           *self,
                 const char        *actor,
                 GkItem            *item,
                 const GkDismissal *dismissal,
                 GError           **error)
{
  g_autoptr(JsonObject) details = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *now = NULL;
  GkFinding *finding;

  if (!gk_workflow_check_dismiss (self, actor, item, dismissal->finding_id, error))
    return FALSE;
  reason = g_strstrip (g_strdup (dismissal->reason ? dismissal->reason : ""));
  if (*reason == '\0')
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("A written reason is required to dismiss finding #%" PRId64 "."),
                   dismissal->finding_id);
      return FALSE;
    }

  finding = find_finding (item, dismissal->finding_id);
  g_assert (finding != NULL);
  now = gk_timestamp_now ();
  {
    g_autoptr(GkStoreStmt) stmt =
      gk_store_priv_prepare (self,
                             "UPDATE findings SET status = 'dismissed', reason = ?3, decided_by = ?4, "
                             "decided_at = ?5 WHERE id = ?1 AND item_id = ?2 AND status = 'open'",
                             error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, finding->id);
    sqlite3_bind_text (stmt, 2, item->id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 4, actor, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
    if (!gk_store_priv_step_done (self, stmt, error))
      return FALSE;
    if (sqlite3_changes (gk_store_priv_get_db (self)) != 1)
      {
        g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                     _("Finding #%" PRId64 " of “%s” is no longer open."),
                     finding->id, item_name (item));
        return FALSE;
      }
  }

  finding->status = GK_FINDING_DISMISSED;
  g_free (finding->reason);
  finding->reason = g_strdup (reason);
  g_free (finding->decided_by);
  finding->decided_by = g_strdup (actor);
  g_free (finding->decided_at);
  finding->decided_at = g_strdup (now);

  details = json_object_new ();
  json_object_set_int_member (details, "finding", finding->id);
  json_object_set_string_member (details, "kind", gk_finding_kind_to_string (finding->kind));
  /* Numbers are stored masked; the full value never reaches the audit. */
  set_string_or_null (details, "value", finding->value);
  json_object_set_int_member (details, "page", finding->page);
  json_object_set_string_member (details, "reason", reason);
  json_object_set_int_member (details, "revision", item->revision);
  set_string_or_null (details, "state", gk_state_to_string (item->state));
  set_string_or_null (details, "stage", gk_stage_to_string (item->stage));
  return gk_store_priv_audit (self, actor, "dismiss", item->id, details, error);
}

static gboolean
approve_item (GkStore    *self,
              const char *actor,
              GkItem     *item,
              const char *comment,
              GError    **error)
{
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(JsonObject) details = NULL;
  g_autofree char *record_text = NULL;
  g_autofree char *now = NULL;
  GkStage stage;
  GkState new_state;
  GkStage new_stage;

  if (!gk_workflow_check_approve (self, actor, item, error))
    return FALSE;

  stage = item->stage == GK_STAGE_CONFIDENTIALITY ? GK_STAGE_CONFIDENTIALITY : GK_STAGE_RELEASE;
  if (stage == GK_STAGE_CONFIDENTIALITY && gk_workflow_get_review_stages (self) == 2)
    {
      new_state = GK_STATE_IN_REVIEW;
      new_stage = GK_STAGE_RELEASE;
    }
  else
    {
      new_state = GK_STATE_APPROVED;
      new_stage = GK_STAGE_NONE;
    }

  /* The exact record of this revision is what the sync will send. */
  record = gk_item_to_record_json (item);
  record_text = gk_json_to_string (record, FALSE);
  now = gk_timestamp_now ();
  {
    g_autoptr(GkStoreStmt) stmt =
      gk_store_priv_prepare (self,
                             "INSERT INTO approvals (item_id, revision, stage, actor, file_sha256, record_json, at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                             error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, item->id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, item->revision);
    sqlite3_bind_text (stmt, 3, gk_stage_to_string (stage), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, actor, -1, SQLITE_TRANSIENT);
    gk_store_priv_bind_text (stmt, 5, item->file_sha256);
    sqlite3_bind_text (stmt, 6, record_text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 7, now, -1, SQLITE_TRANSIENT);
    if (!gk_store_priv_step_done (self, stmt, error))
      return FALSE;
  }
  if (!set_state (self, item->id, new_state, new_stage, error))
    return FALSE;

  details = json_object_new ();
  json_object_set_int_member (details, "revision", item->revision);
  json_object_set_string_member (details, "stage", gk_stage_to_string (stage));
  set_string_or_null (details, "file_sha256", item->file_sha256);
  set_string_or_null (details, "comment", gk_str_is_blank (comment) ? NULL : comment);
  json_object_set_string_member (details, "state", gk_state_to_string (new_state));
  set_string_or_null (details, "next_stage", gk_stage_to_string (new_stage));
  set_string_or_null (details, "disclosure", item->disclosure);
  if (!gk_store_priv_audit (self, actor, "approve", item->id, details, error))
    return FALSE;

  item->state = new_state;
  item->stage = new_stage;
  return TRUE;
}

static gboolean
return_item (GkStore    *self,
             const char *actor,
             GkItem     *item,
             const char *comment,
             GError    **error)
{
  g_autoptr(JsonObject) details = NULL;
  g_autofree char *text = NULL;

  if (!gk_workflow_check_return (self, actor, item, error))
    return FALSE;
  text = g_strstrip (g_strdup (comment ? comment : ""));
  if (*text == '\0')
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID,
                           _("A comment is required to return an item: say what must change."));
      return FALSE;
    }
  if (!set_state (self, item->id, GK_STATE_RETURNED, GK_STAGE_NONE, error))
    return FALSE;

  details = json_object_new ();
  json_object_set_int_member (details, "revision", item->revision);
  set_string_or_null (details, "stage", gk_stage_to_string (item->stage));
  json_object_set_string_member (details, "comment", text);
  if (!gk_store_priv_audit (self, actor, "return", item->id, details, error))
    return FALSE;

  item->state = GK_STATE_RETURNED;
  item->stage = GK_STAGE_NONE;
  return TRUE;
}

/* Reads */

/**
 * gk_store_workflow_get_contributions:
 * @self: a store
 * @item_id: a full item id
 * @revision: a revision
 * @user: (nullable): a user
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): "drafted", "edited", "submitted"
 *   as recorded for @user on that revision; %NULL on a database error
 */
GStrv
gk_store_workflow_get_contributions (GkStore    *self,
                                     const char *item_id,
                                     gint64      revision,
                                     const char *user,
                                     GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  if (user == NULL)
    return g_strv_builder_end (builder);
  locker = gk_store_priv_read (self);
  stmt = gk_store_priv_prepare (self,
                                "SELECT what FROM item_contributors "
                                "WHERE item_id = ?1 AND revision = ?2 AND user = ?3 "
                                "ORDER BY CASE what WHEN 'drafted' THEN 0 WHEN 'edited' THEN 1 ELSE 2 END",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, revision);
  sqlite3_bind_text (stmt, 3, user, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      gk_store_priv_sql_error (self, rc, "contributions", error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

/**
 * gk_store_workflow_load_history:
 * @self: a store
 * @item_id: a full item id
 * @revision: the item's current revision
 * @error: return location for an error
 *
 * Who worked on and who signed that revision, for the policy's
 * separation of duties (gk_policy_can()).
 *
 * Returns: (transfer full) (element-type GkContribution) (nullable): the
 *   contributions, %NULL on a database error
 */
GPtrArray *
gk_store_workflow_load_history (GkStore    *self,
                                const char *item_id,
                                gint64      revision,
                                GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_contribution_free);
  int rc;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  locker = gk_store_priv_read (self);
  stmt = gk_store_priv_prepare (self,
                                "SELECT user, what, NULL FROM item_contributors "
                                "WHERE item_id = ?1 AND revision = ?2 "
                                "UNION ALL SELECT actor, 'signed', stage FROM approvals "
                                "WHERE item_id = ?1 AND revision = ?2",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, revision);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *user = (const char *) sqlite3_column_text (stmt, 0);
      const char *what = (const char *) sqlite3_column_text (stmt, 1);
      GkContributionKind kind;
      GkStage stage = GK_STAGE_NONE;

      if (g_strcmp0 (what, "drafted") == 0)
        kind = GK_CONTRIBUTION_DRAFTED;
      else if (g_strcmp0 (what, "edited") == 0)
        kind = GK_CONTRIBUTION_EDITED;
      else if (g_strcmp0 (what, "submitted") == 0)
        kind = GK_CONTRIBUTION_SUBMITTED;
      else if (g_strcmp0 (what, "signed") == 0 &&
               gk_stage_from_string ((const char *) sqlite3_column_text (stmt, 2), &stage))
        kind = GK_CONTRIBUTION_SIGNED;
      else
        continue;
      if (user != NULL)
        g_ptr_array_add (history, gk_contribution_new (user, kind, stage));
    }
  if (rc != SQLITE_DONE)
    {
      gk_store_priv_sql_error (self, rc, "contributions", error);
      return NULL;
    }
  return g_steal_pointer (&history);
}

/**
 * gk_store_workflow_has_signed:
 * @self: a store
 * @item_id: a full item id
 * @revision: a revision
 * @stage: a review stage
 * @user: (nullable): a user
 * @error: set on a database error
 *
 * Returns: %TRUE if @user signed @stage of that revision
 */
gboolean
gk_store_workflow_has_signed (GkStore    *self,
                              const char *item_id,
                              gint64      revision,
                              GkStage     stage,
                              const char *user,
                              GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  if (user == NULL || gk_stage_to_string (stage) == NULL)
    return FALSE;
  locker = gk_store_priv_read (self);
  stmt = gk_store_priv_prepare (self,
                                "SELECT 1 FROM approvals "
                                "WHERE item_id = ?1 AND revision = ?2 AND stage = ?3 AND actor = ?4 LIMIT 1",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, revision);
  sqlite3_bind_text (stmt, 3, gk_stage_to_string (stage), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, user, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    gk_store_priv_sql_error (self, rc, "signatures", error);
  return FALSE;
}

/**
 * gk_store_workflow_get_latest_approval:
 * @self: a store
 * @item_id: a full item id
 * @error: set on a database error
 *
 * Returns: (transfer full) (nullable): the newest signature of the item,
 *   %NULL (without an error) if it has none
 */
GkApproval *
gk_store_workflow_get_latest_approval (GkStore    *self,
                                       const char *item_id,
                                       GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  locker = gk_store_priv_read (self);
  stmt = gk_store_priv_prepare (self,
                                "SELECT id, revision, stage, actor, file_sha256, record_json, at "
                                "FROM approvals WHERE item_id = ?1 ORDER BY id DESC LIMIT 1",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return approval_from_row (stmt);
  if (rc != SQLITE_DONE)
    gk_store_priv_sql_error (self, rc, "approvals", error);
  return NULL;
}

/**
 * gk_store_workflow_list_approvals:
 * @self: a store
 * @item_id: a full item id
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type GkApproval) (nullable): the
 *   item's signatures, oldest first
 */
GPtrArray *
gk_store_workflow_list_approvals (GkStore    *self,
                                  const char *item_id,
                                  GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) approvals = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_approval_free);
  int rc;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  locker = gk_store_priv_read (self);
  stmt = gk_store_priv_prepare (self,
                                "SELECT id, revision, stage, actor, file_sha256, record_json, at "
                                "FROM approvals WHERE item_id = ?1 ORDER BY id",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (approvals, approval_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      gk_store_priv_sql_error (self, rc, "approvals", error);
      return NULL;
    }
  return g_steal_pointer (&approvals);
}

/**
 * gk_store_workflow_review_ids:
 * @self: a store
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): ids of the items in review, the
 *   earliest disclosure due date first (none last), then the oldest
 *   submission
 */
GStrv
gk_store_workflow_review_ids (GkStore  *self,
                              GError  **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  locker = gk_store_priv_read (self);
  stmt = gk_store_priv_prepare (self,
                                "SELECT id FROM items WHERE state = 'in_review' "
                                "ORDER BY NOT gk_deadline_applies (state, disclosure, due_date), "
                                "CASE WHEN gk_deadline_applies (state, disclosure, due_date) THEN due_date END, "
                                "submitted_at, num",
                                error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      gk_store_priv_sql_error (self, rc, "review queue", error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

/* Writes */

/**
 * gk_store_workflow_submit:
 * @self: a store
 * @actor: the acting user
 * @id: an item id, unique id prefix or 索引号
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_workflow_submit (GkStore    *self,
                          const char *actor,
                          const char *id,
                          GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GkItem) item = NULL;
  g_autoptr(JsonObject) details = NULL;
  g_autofree char *full_id = NULL;
  g_autofree char *now = NULL;
  GkStage stage;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  locker = gk_store_priv_lock (self);
  if ((full_id = gk_store_priv_resolve_id (self, id, error)) == NULL)
    return FALSE;
  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  if ((item = gk_store_priv_load_item (self, full_id, TRUE, error)) == NULL)
    return FALSE;
  if (!gk_workflow_check_submit (self, actor, item, error))
    return FALSE;

  stage = gk_workflow_first_stage (self);
  now = gk_timestamp_now ();
  {
    g_autoptr(GkStoreStmt) stmt =
      gk_store_priv_prepare (self,
                             "UPDATE items SET state = 'in_review', stage = ?2, submitted_at = ?3, "
                             "submitted_by = ?4 WHERE id = ?1",
                             error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, item->id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, gk_stage_to_string (stage), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 4, actor, -1, SQLITE_TRANSIENT);
    if (!gk_store_priv_step_done (self, stmt, error))
      return FALSE;
  }
  if (!gk_store_priv_add_contributor (self, item->id, item->revision, actor, "submitted", error))
    return FALSE;

  details = json_object_new ();
  json_object_set_int_member (details, "revision", item->revision);
  json_object_set_string_member (details, "stage", gk_stage_to_string (stage));
  json_object_set_string_member (details, "previous_state", gk_state_to_string (item->state));
  set_string_or_null (details, "disclosure", item->disclosure);
  set_string_or_null (details, "file_sha256", item->file_sha256);
  if (!gk_store_priv_audit (self, actor, "submit", item->id, details, error))
    return FALSE;

  gk_store_priv_emit_changed (self, item->id);
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

/**
 * gk_store_workflow_review:
 * @self: a store
 * @actor: the acting user
 * @id: an item id, unique id prefix or 索引号
 * @decision: what to do after the dismissals
 * @comment: (nullable): the reviewer's comment (required to return)
 * @dismissals: (array length=n_dismissals) (nullable): findings to dismiss
 * @n_dismissals: their number
 * @error: return location for an error
 *
 * Returns: %TRUE on success; on failure nothing changed
 */
gboolean
gk_store_workflow_review (GkStore           *self,
                          const char        *actor,
                          const char        *id,
                          GkItem            *seen,
                          GkReviewDecision   decision,
                          const char        *comment,
                          const GkDismissal *dismissals,
                          guint              n_dismissals,
                          GError           **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GkItem) item = NULL;
  g_autofree char *full_id = NULL;
  g_autofree char *hashed_sha256 = NULL;
  gint64 hashed_revision = 0;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  if (decision == GK_REVIEW_DISMISS_ONLY && n_dismissals == 0)
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID,
                           _("Name at least one finding to dismiss, with its reason."));
      return FALSE;
    }
  if (!gk_utf8_check (comment, -1, _("The reviewer's comment"), error))
    return FALSE;
  for (guint i = 0; i < n_dismissals; i++)
    {
      g_autofree char *what =
        g_strdup_printf (_("The reason for dismissing finding #%" PRId64), dismissals[i].finding_id);

      if (!gk_utf8_check (dismissals[i].reason, -1, what, error))
        return FALSE;
    }

  locker = gk_store_priv_lock (self);
  if ((full_id = gk_store_priv_resolve_id (self, id, error)) == NULL)
    return FALSE;

  if (decision == GK_REVIEW_APPROVE)
    {
      g_autoptr(GkItem) before = gk_store_priv_load_item (self, full_id, FALSE, error);

      if (before == NULL)
        return FALSE;
      /* Refuse on the rules first: no need to read a file that will not
       * be signed (the rules are asked again inside the transaction). */
      if (n_dismissals == 0 && !gk_workflow_check_approve (self, actor, before, error))
        return FALSE;
      if (before->file_sha256 != NULL && !check_file_bytes (self, before, error))
        return FALSE;
      hashed_sha256 = g_strdup (before->file_sha256);
      hashed_revision = before->revision;
    }

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  if ((item = gk_store_priv_load_item (self, full_id, TRUE, error)) == NULL)
    return FALSE;

  /* A decision is about what the reviewer looked at: if the item was
   * edited, resubmitted or moved to the other stage since, the click is
   * about something else. */
  if (seen != NULL &&
      (item->revision != seen->revision || item->state != seen->state ||
       item->stage != seen->stage ||
       g_strcmp0 (item->submitted_at, seen->submitted_at) != 0 ||
       g_strcmp0 (item->updated_at, seen->updated_at) != 0))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_CONFLICT,
                   _("“%s” changed since you opened it (it is now %s, revision %" PRId64 "). "
                     "Look at it again before you decide."),
                   item_name (item),
                   item->state == GK_STATE_IN_REVIEW ? gk_stage_to_label (item->stage)
                                                      : gk_state_to_label (item->state),
                   item->revision);
      return FALSE;
    }

  for (guint i = 0; i < n_dismissals; i++)
    if (!dismiss_finding (self, actor, item, &dismissals[i], error))
      return FALSE;

  switch (decision)
    {
    case GK_REVIEW_APPROVE:
      if (g_strcmp0 (item->file_sha256, hashed_sha256) != 0 || item->revision != hashed_revision)
        {
          g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                       _("“%s” changed while it was being approved. Look at it again and approve the new state."),
                       item_name (item));
          return FALSE;
        }
      if (!approve_item (self, actor, item, comment, error))
        return FALSE;
      break;

    case GK_REVIEW_RETURN:
      if (!return_item (self, actor, item, comment, error))
        return FALSE;
      break;

    case GK_REVIEW_DISMISS_ONLY:
    default:
      break;
    }

  gk_store_priv_emit_changed (self, item->id);
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}
