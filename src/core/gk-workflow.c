/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiWorkflow"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "gk-store-workflow.h"
#include "gk-policy.h"
#include "gk-util.h"
#include "gk-workflow.h"

/* The rules of the review workflow.  Everything here is decided from an
 * item and what the store knows about who did what; the writes live in
 * gk-store-workflow.c, which calls these checks inside its transaction. */

/* The fields a record needs before review, in display order. */
static const char *const required_fields[] = {
  "title", "issuer", "written_date", "index_no", "disclosure",
};

/* helpers */

static const char *
item_name (GkItem *item)
{
  if (!gk_str_is_blank (item->title))
    return item->title;
  if (!gk_str_is_blank (item->file_name))
    return item->file_name;
  return item->id ? item->id : "";
}

static const char *
field_label (const char *field)
{
  if (strcmp (field, "file") == 0)
    return _("Document file");
  return gk_item_field_label (field);
}

static GPtrArray *
item_findings (GkStore *store,
               GkItem  *item,
               GError **error)
{
  if (item->findings == NULL)
    {
      g_autoptr(GkItem) full = gk_store_get_item (store, item->id, error);

      if (full == NULL)
        return NULL;
      item->findings = g_steal_pointer (&full->findings);
      if (item->findings == NULL)
        item->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);
    }
  return item->findings;
}

static gboolean
check_file_present (GkStore *store,
                    GkItem  *item,
                    GError **error)
{
  g_autofree char *path = gk_store_get_file_path (store, item->file_sha256);

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                   _("The document file of “%s” is missing from the library, so it cannot be approved. "
                     "Import the file again."),
                   item_name (item));
      return FALSE;
    }
  return TRUE;
}

/* The item as the policy needs it: findings and history loaded (an item
 * from a list query has neither). */
static gboolean
load_item_facts (GkStore *store,
                 GkItem  *item,
                 GError **error)
{
  if (item->findings == NULL && item_findings (store, item, error) == NULL)
    return FALSE;
  if (item->history == NULL &&
      (item->history = gk_store_workflow_load_history (store, item->id, item->revision, error)) == NULL)
    return FALSE;
  return TRUE;
}

static gboolean
check_action (GkStore    *store,
              const char *user,
              GkAction    action,
              GkItem     *item,
              GError    **error)
{
  return load_item_facts (store, item, error) &&
         gk_store_check_action (store, user, action, item, error);
}

/* error is read only after ok was computed (argument order is unspecified). */
static gboolean
why_not_from (gboolean   ok,
              GError   **error,
              char     **why_not)
{
  if (why_not != NULL)
    *why_not = ok ? NULL : g_strdup (*error ? (*error)->message : "");
  return ok;
}

/* Public API */

/**
 * gk_approval_free:
 * @approval: (nullable): a signature
 */
void
gk_approval_free (GkApproval *approval)
{
  if (approval == NULL)
    return;
  g_free (approval->actor);
  g_free (approval->file_sha256);
  g_free (approval->record_json);
  g_free (approval->at);
  g_free (approval);
}

/**
 * gk_workflow_missing_fields:
 * @item: an item
 *
 * Returns: (transfer full): the names of the required fields that are
 *   blank ("file" for a missing document file), %NULL-terminated
 */
GStrv
gk_workflow_missing_fields (GkItem *item)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (GK_IS_ITEM (item), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (required_fields); i++)
    {
      g_autofree char *value = gk_item_get_field (item, required_fields[i]);

      if (gk_str_is_blank (value))
        g_strv_builder_add (builder, required_fields[i]);
    }
  if (g_strcmp0 (item->disclosure, "withheld") == 0 && gk_str_is_blank (item->disclosure_ground))
    g_strv_builder_add (builder, "disclosure_ground");
  if (gk_str_is_blank (item->file_sha256))
    g_strv_builder_add (builder, "file");
  return g_strv_builder_end (builder);
}

/**
 * gk_workflow_check_record:
 * @item: an item
 * @error: a %GK_ERROR_REFUSED error naming every missing field, or the
 *   validity dates in the wrong order
 *
 * Returns: %TRUE if the record is complete enough for review
 */
gboolean
gk_workflow_check_record (GkItem  *item,
                          GError **error)
{
  g_auto(GStrv) missing = NULL;

  g_return_val_if_fail (GK_IS_ITEM (item), FALSE);

  missing = gk_workflow_missing_fields (item);
  if (missing[0] != NULL)
    {
      g_autoptr(GString) listed = g_string_new (NULL);
      g_autofree char *keys = g_strjoinv (", ", missing);

      for (guint i = 0; missing[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append (listed, _(", "));
          g_string_append (listed, field_label (missing[i]));
        }
      gk_set_error_field (
          error, GK_ERROR_REFUSED, keys,
          g_dngettext (GETTEXT_PACKAGE,
                       "The record of “%s” is not complete. Fill in this field first: %s.",
                       "The record of “%s” is not complete. Fill in these fields first: %s.",
                       g_strv_length (missing)),
          item_name (item), listed->str);
      return FALSE;
    }

  if (!gk_str_is_blank (item->effective_from) && !gk_str_is_blank (item->effective_until) &&
      strcmp (item->effective_until, item->effective_from) < 0)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                   _("In the record of “%s”, %s (%s) is before %s (%s)."),
                   item_name (item),
                   gk_item_field_label ("effective_until"), item->effective_until,
                   gk_item_field_label ("effective_from"), item->effective_from);
      return FALSE;
    }
  return TRUE;
}

/**
 * gk_workflow_is_publishable:
 * @item: an item
 *
 * Returns: %TRUE if @item is 主动公开 (proactive): nothing else is ever
 *   published
 */
gboolean
gk_workflow_is_publishable (GkItem *item)
{
  g_return_val_if_fail (GK_IS_ITEM (item), FALSE);

  return g_strcmp0 (item->disclosure, "proactive") == 0;
}

/**
 * gk_workflow_get_review_stages:
 * @store: a store
 *
 * Returns: 1 or 2, from the review_stages setting (2 unless it says "1")
 */
int
gk_workflow_get_review_stages (GkStore *store)
{
  GkPolicyRules rules;

  gk_store_get_policy_rules (store, &rules);
  return rules.review_stages;
}

/**
 * gk_workflow_first_stage:
 * @store: a store
 *
 * Returns: the stage a submitted item starts in: confidentiality, or
 *   release when the library has one review stage
 */
GkStage
gk_workflow_first_stage (GkStore *store)
{
  return gk_workflow_get_review_stages (store) == 1 ? GK_STAGE_RELEASE : GK_STAGE_CONFIDENTIALITY;
}

/**
 * gk_workflow_check_submit:
 * @store: a store
 * @user: the acting user
 * @item: the item as stored
 * @error: %GK_ERROR_PERMISSION or %GK_ERROR_REFUSED
 *
 * Returns: %TRUE if @user may submit @item for review now
 */
gboolean
gk_workflow_check_submit (GkStore    *store,
                          const char *user,
                          GkItem     *item,
                          GError    **error)
{
  g_return_val_if_fail (GK_IS_STORE (store), FALSE);
  g_return_val_if_fail (GK_IS_ITEM (item), FALSE);

  return check_action (store, user, GK_ACTION_SUBMIT, item, error);
}

/**
 * gk_workflow_check_approve:
 * @store: a store
 * @user: the acting user
 * @item: the item as stored (its findings are loaded if not set)
 * @error: %GK_ERROR_PERMISSION, %GK_ERROR_REFUSED, or %GK_ERROR_DAMAGED
 *   for a missing file
 *
 * Returns: %TRUE if @user may sign the current stage of @item now
 */
gboolean
gk_workflow_check_approve (GkStore    *store,
                           const char *user,
                           GkItem     *item,
                           GError    **error)
{
  g_return_val_if_fail (GK_IS_STORE (store), FALSE);
  g_return_val_if_fail (GK_IS_ITEM (item), FALSE);

  return check_action (store, user, GK_ACTION_APPROVE, item, error) &&
         check_file_present (store, item, error);
}

/**
 * gk_workflow_check_return:
 * @store: a store
 * @user: the acting user
 * @item: the item as stored
 * @error: %GK_ERROR_PERMISSION or %GK_ERROR_REFUSED
 *
 * The comment a return needs is checked when it is made.
 *
 * Returns: %TRUE if @user may return @item to its drafter now
 */
gboolean
gk_workflow_check_return (GkStore    *store,
                          const char *user,
                          GkItem     *item,
                          GError    **error)
{
  g_return_val_if_fail (GK_IS_STORE (store), FALSE);
  g_return_val_if_fail (GK_IS_ITEM (item), FALSE);

  return check_action (store, user, GK_ACTION_RETURN, item, error);
}

/**
 * gk_workflow_check_dismiss:
 * @store: a store
 * @user: the acting user
 * @item: the item as stored (its findings are loaded if not set)
 * @finding_id: a finding of @item, or 0 to ask about findings in general
 * @error: %GK_ERROR_PERMISSION, %GK_ERROR_REFUSED, or %GK_ERROR_NOT_FOUND
 *   for a finding the item does not have
 *
 * Findings are decided before approval (draft, in review or returned)
 * by a reviewer who did not work on the current revision.
 *
 * Returns: %TRUE if @user may dismiss that finding now
 */
gboolean
gk_workflow_check_dismiss (GkStore    *store,
                           const char *user,
                           GkItem     *item,
                           gint64      finding_id,
                           GError    **error)
{
  GPtrArray *findings;
  GkFinding *finding = NULL;

  g_return_val_if_fail (GK_IS_STORE (store), FALSE);
  g_return_val_if_fail (GK_IS_ITEM (item), FALSE);

  if (!check_action (store, user, GK_ACTION_DISMISS, item, error))
    return FALSE;
  if (finding_id == 0)
    return TRUE;

  if ((findings = item_findings (store, item, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < findings->len && finding == NULL; i++)
    if (((GkFinding *) g_ptr_array_index (findings, i))->id == finding_id)
      finding = g_ptr_array_index (findings, i);
  if (finding == NULL)
    {
      gk_set_error_detail (error, GK_ERROR_NOT_FOUND, GK_ERROR_DETAIL_NO_SUCH_FINDING,
                           _("“%s” has no finding #%" PRId64 "."), item_name (item), finding_id);
      return FALSE;
    }
  if (finding->status == GK_FINDING_DISMISSED)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                   _("Finding #%" PRId64 " of “%s” was already dismissed by %s."),
                   finding_id, item_name (item), finding->decided_by ? finding->decided_by : "?");
      return FALSE;
    }
  if (finding->status != GK_FINDING_OPEN)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                   _("Finding #%" PRId64 " of “%s” is for information only; there is nothing to dismiss."),
                   finding_id, item_name (item));
      return FALSE;
    }
  return TRUE;
}

/**
 * gk_workflow_can_submit:
 * @store: a store
 * @user: the acting user
 * @item: the item as shown
 * @why_not: (out) (optional) (nullable) (transfer full): why not, in the
 *   user's words
 *
 * Returns: %TRUE if a Submit button should be active
 */
gboolean
gk_workflow_can_submit (GkStore    *store,
                        const char *user,
                        GkItem     *item,
                        char      **why_not)
{
  g_autoptr(GError) error = NULL;

  return why_not_from (gk_workflow_check_submit (store, user, item, &error), &error, why_not);
}

/**
 * gk_workflow_can_approve:
 * @store: a store
 * @user: the acting user
 * @item: the item as shown (findings are loaded if not set)
 * @why_not: (out) (optional) (nullable) (transfer full): why not
 *
 * Does not hash the file (approval does).
 *
 * Returns: %TRUE if an Approve button should be active
 */
gboolean
gk_workflow_can_approve (GkStore    *store,
                         const char *user,
                         GkItem     *item,
                         char      **why_not)
{
  g_autoptr(GError) error = NULL;

  return why_not_from (gk_workflow_check_approve (store, user, item, &error), &error, why_not);
}

/**
 * gk_workflow_can_return:
 * @store: a store
 * @user: the acting user
 * @item: the item as shown
 * @why_not: (out) (optional) (nullable) (transfer full): why not
 *
 * Returns: %TRUE if a Return button should be active (the comment is
 *   asked for then)
 */
gboolean
gk_workflow_can_return (GkStore    *store,
                        const char *user,
                        GkItem     *item,
                        char      **why_not)
{
  g_autoptr(GError) error = NULL;

  return why_not_from (gk_workflow_check_return (store, user, item, &error), &error, why_not);
}

/**
 * gk_workflow_can_dismiss:
 * @store: a store
 * @user: the acting user
 * @item: the item as shown
 * @why_not: (out) (optional) (nullable) (transfer full): why not
 *
 * Returns: %TRUE if @user may decide the findings of @item (the Dismiss
 *   buttons of its open findings)
 */
gboolean
gk_workflow_can_dismiss (GkStore    *store,
                         const char *user,
                         GkItem     *item,
                         char      **why_not)
{
  g_autoptr(GError) error = NULL;

  return why_not_from (gk_workflow_check_dismiss (store, user, item, 0, &error), &error, why_not);
}

/**
 * gk_workflow_submit:
 * @store: a store
 * @actor: the acting user (drafter or admin)
 * @id: an item id, unique id prefix or 索引号
 * @error: return location for an error
 *
 * Sends a draft or returned item to its first review stage, records
 * @actor as its submitter and audits "submit".
 *
 * Returns: %TRUE on success
 */
gboolean
gk_workflow_submit (GkStore    *store,
                    const char *actor,
                    const char *id,
                    GError    **error)
{
  g_return_val_if_fail (GK_IS_STORE (store), FALSE);

  return gk_store_workflow_submit (store, actor, id, error);
}

/**
 * gk_workflow_approve:
 * @store: a store
 * @actor: the acting user (reviewer or admin)
 * @id: an item id, unique id prefix or 索引号
 * @comment: (nullable): kept in the audit
 * @error: return location for an error
 *
 * Signs the item's current stage: the confidentiality review moves it to
 * the release stage; the release sign-off (or the only stage) approves
 * it, bound to its revision, file hash and record.
 *
 * Returns: %TRUE on success
 */
gboolean
gk_workflow_approve (GkStore    *store,
                     const char *actor,
                     const char *id,
                     const char *comment,
                     GError    **error)
{
  return gk_workflow_review (store, actor, id, GK_REVIEW_APPROVE, comment, NULL, 0, error);
}

/**
 * gk_workflow_return:
 * @store: a store
 * @actor: the acting user (reviewer or admin)
 * @id: an item id, unique id prefix or 索引号
 * @comment: what must change (required)
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
gk_workflow_return (GkStore    *store,
                    const char *actor,
                    const char *id,
                    const char *comment,
                    GError    **error)
{
  return gk_workflow_review (store, actor, id, GK_REVIEW_RETURN, comment, NULL, 0, error);
}

/**
 * gk_workflow_dismiss_finding:
 * @store: a store
 * @actor: the acting user (reviewer or admin)
 * @id: an item id, unique id prefix or 索引号
 * @finding_id: the finding's id
 * @reason: why it is not a problem (required, kept in the audit)
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
gk_workflow_dismiss_finding (GkStore    *store,
                             const char *actor,
                             const char *id,
                             gint64      finding_id,
                             const char *reason,
                             GError    **error)
{
  GkDismissal dismissal = { finding_id, reason };

  return gk_workflow_review (store, actor, id, GK_REVIEW_DISMISS_ONLY, NULL, &dismissal, 1, error);
}

/**
 * gk_workflow_review:
 * @store: a store
 * @actor: the acting user (reviewer or admin)
 * @id: an item id, unique id prefix or 索引号
 * @decision: approve, return, or only decide findings
 * @comment: (nullable): required to return
 * @dismissals: (array length=n_dismissals) (nullable): findings to dismiss first
 * @n_dismissals: their number
 * @error: return location for an error
 *
 * One review action, in one transaction: if any dismissal or the
 * decision is refused, nothing changes.
 *
 * Returns: %TRUE on success
 */
gboolean
gk_workflow_review (GkStore           *store,
                    const char        *actor,
                    const char        *id,
                    GkReviewDecision   decision,
                    const char        *comment,
                    const GkDismissal *dismissals,
                    guint              n_dismissals,
                    GError           **error)
{
  g_return_val_if_fail (GK_IS_STORE (store), FALSE);
  g_return_val_if_fail (n_dismissals == 0 || dismissals != NULL, FALSE);

  return gk_store_workflow_review (store, actor, id, NULL, decision, comment,
                                   dismissals, n_dismissals, error);
}

/**
 * gk_workflow_review_seen:
 * @store: a library
 * @actor: the reviewer
 * @seen: the item as the reviewer saw it (id, revision, stage, times)
 * @decision: approve, return or dismissals only
 * @comment: (nullable): the comment (required to return)
 * @dismissals: (array length=n_dismissals) (nullable): finding decisions
 * @n_dismissals: how many
 * @error: %GK_ERROR_CONFLICT when the item changed since it was shown,
 *   else as gk_workflow_review()
 *
 * Like gk_workflow_review(), for a window that shows an item and then
 * acts on it: the decision binds to what was shown.
 *
 * Returns: %TRUE on success
 */
gboolean
gk_workflow_review_seen (GkStore           *store,
                         const char        *actor,
                         GkItem            *seen,
                         GkReviewDecision   decision,
                         const char        *comment,
                         const GkDismissal *dismissals,
                         guint              n_dismissals,
                         GError           **error)
{
  g_return_val_if_fail (GK_IS_STORE (store), FALSE);
  g_return_val_if_fail (GK_IS_ITEM (seen), FALSE);
  g_return_val_if_fail (n_dismissals == 0 || dismissals != NULL, FALSE);

  return gk_store_workflow_review (store, actor, seen->id, seen, decision, comment,
                                   dismissals, n_dismissals, error);
}

/**
 * gk_workflow_parse_dismissal:
 * @text: "FINDING=REASON", FINDING being a finding id ("12" or "#12")
 * @finding_id: (out): the id
 * @reason: (out) (transfer full): the reason, trimmed
 * @error: a %GK_ERROR_INVALID error
 *
 * Returns: %TRUE if @text is a dismissal with a reason
 */
gboolean
gk_workflow_parse_dismissal (const char *text,
                             gint64     *finding_id,
                             char      **reason,
                             GError    **error)
{
  const char *equals;
  g_autofree char *number = NULL;
  g_autofree char *why = NULL;
  const char *digits;
  char *end = NULL;
  gint64 value;

  g_return_val_if_fail (finding_id != NULL && reason != NULL, FALSE);

  if (!gk_utf8_check (text, -1, _("The finding to dismiss and its reason"), error))
    return FALSE;
  equals = text ? strchr (text, '=') : NULL;
  if (equals == NULL)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("“%s” is not FINDING=REASON (for example 12=\"The mark is part of a quoted title\")."),
                   text ? text : "");
      return FALSE;
    }
  number = g_strstrip (g_strndup (text, equals - text));
  digits = number[0] == '#' ? number + 1 : number;
  value = g_ascii_strtoll (digits, &end, 10);
  if (*digits == '\0' || !g_ascii_isdigit (*digits) || end == NULL || *end != '\0' || value <= 0)
    {
      gk_set_error_detail (error, GK_ERROR_INVALID, GK_ERROR_DETAIL_BAD_FINDING_NUMBER,
                           _("“%s” is not a finding number."), number);
      return FALSE;
    }
  why = g_strstrip (g_strdup (equals + 1));
  if (gk_str_is_blank (why))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("A written reason is required to dismiss finding #%" PRId64 "."), value);
      return FALSE;
    }
  *finding_id = value;
  *reason = g_steal_pointer (&why);
  return TRUE;
}

/**
 * gk_workflow_queue:
 * @store: a store
 * @user: the acting user
 * @error: %GK_ERROR_PERMISSION without the reviewer or admin role
 *
 * Returns: (transfer full) (element-type GkItem) (nullable): the items in
 *   review that @user may sign, most urgent first, with their findings
 */
GPtrArray *
gk_workflow_queue (GkStore    *store,
                   const char *user,
                   GError    **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_auto(GStrv) ids = NULL;

  g_return_val_if_fail (GK_IS_STORE (store), NULL);

  if (!gk_store_check_action (store, user, GK_ACTION_REVIEW, NULL, error))
    return NULL;
  if ((ids = gk_store_workflow_review_ids (store, error)) == NULL)
    return NULL;

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(GkItem) item = gk_store_get_item (store, ids[i], &local);

      /* Gone or changed since the list was read: not in the queue. */
      if (item == NULL || item->state != GK_STATE_IN_REVIEW)
        continue;
      if (check_action (store, user, GK_ACTION_REVIEW, item, &local))
        g_ptr_array_add (items, g_steal_pointer (&item));
      else if (local != NULL && local->domain == GK_ERROR && local->code == GK_ERROR_FAILED)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
  return g_steal_pointer (&items);
}

/**
 * gk_workflow_get_approved_record:
 * @store: a store
 * @id: an item id, unique id prefix or 索引号
 * @revision: (out) (optional): the approved revision
 * @sha256: (out) (optional) (transfer full): the approved file's hash
 * @error: %GK_ERROR_NOT_FOUND, or %GK_ERROR_REFUSED saying why there is
 *   no valid approval
 *
 * What the sync may publish: the record exactly as signed, and only while
 * the signature still holds (same revision, same file, approved or
 * published, proactive).
 *
 * Returns: (transfer full) (nullable): the approved record, JSON text
 */
char *
gk_workflow_get_approved_record (GkStore     *store,
                                 const char  *id,
                                 gint64      *revision,
                                 char       **sha256,
                                 GError     **error)
{
  g_autoptr(GkItem) item = NULL;
  g_autoptr(GkApproval) approval = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *record;
  JsonObject *file;

  g_return_val_if_fail (GK_IS_STORE (store), NULL);

  if ((item = gk_store_get_item (store, id, error)) == NULL)
    return NULL;

  if (item->state != GK_STATE_APPROVED && item->state != GK_STATE_PUBLISHED)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                   _("Revision %" PRId64 " of “%s” is not approved (it is %s)."),
                   item->revision, item_name (item), gk_state_to_label (item->state));
      return NULL;
    }
  if (!gk_workflow_is_publishable (item))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                   _("“%s” is %s: it is filed in the library and never published."),
                   item_name (item), gk_disclosure_to_label (item->disclosure));
      return NULL;
    }

  approval = gk_store_workflow_get_latest_approval (store, item->id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (approval == NULL)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                   _("“%s” has no approval."), item_name (item));
      return NULL;
    }
  if (approval->revision != item->revision)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                   _("“%s” was approved at revision %" PRId64 " and is now at revision %"
                     PRId64 "; the new revision needs its own approval."),
                   item_name (item), approval->revision, item->revision);
      return NULL;
    }
  if (gk_str_is_blank (approval->file_sha256) ||
      g_strcmp0 (approval->file_sha256, item->file_sha256) != 0)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                   _("The document file of “%s” is not the one that was approved."), item_name (item));
      return NULL;
    }

  /* Screened again after its approval: what is found now must be decided
   * before it goes public, whatever the reviewers saw then. */
  {
    GPtrArray *findings = item_findings (store, item, error);
    g_autofree char *listed = NULL;
    guint n_marks, n_personal;

    if (findings == NULL)
      return NULL;
    listed = gk_policy_list_blocking_findings (findings, &n_marks, &n_personal);
    if (listed != NULL)
      {
        g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                     _("“%s” has open findings that no reviewer decided: %s. "
                       "It must be reviewed again before it goes public."),
                     item_name (item), listed);
        return NULL;
      }
  }

  /* The signed record itself must say the same: a hand-edited approvals
   * row never reaches the portal. */
  if (!json_parser_load_from_data (parser, approval->record_json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (record = json_node_get_object (root)) == NULL ||
      json_object_get_int_member_with_default (record, "revision", 0) != item->revision ||
      g_strcmp0 (json_object_get_string_member_with_default (record, "disclosure", ""), "proactive") != 0 ||
      g_strcmp0 (json_object_get_string_member_with_default (record, "id", ""), item->id) != 0 ||
      !json_object_has_member (record, "file") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (record, "file")) ||
      (file = json_object_get_object_member (record, "file")) == NULL ||
      g_strcmp0 (json_object_get_string_member_with_default (file, "sha256", ""), item->file_sha256) != 0)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                   _("The approved record of “%s” does not match its revision, file or disclosure; "
                     "it must be reviewed again."),
                   item_name (item));
      return NULL;
    }

  if (revision != NULL)
    *revision = approval->revision;
  if (sha256 != NULL)
    *sha256 = g_strdup (approval->file_sha256);
  return g_strdup (approval->record_json);
}

/**
 * gk_workflow_list_approvals:
 * @store: a store
 * @id: an item id, unique id prefix or 索引号
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type GkApproval) (nullable): every
 *   signature of the item, oldest first
 */
GPtrArray *
gk_workflow_list_approvals (GkStore    *store,
                            const char *id,
                            GError    **error)
{
  g_autoptr(GkItem) item = NULL;

  g_return_val_if_fail (GK_IS_STORE (store), NULL);

  if ((item = gk_store_get_item (store, id, error)) == NULL)
    return NULL;
  return gk_store_workflow_list_approvals (store, item->id, error);
}
