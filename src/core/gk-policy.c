/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPolicy"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <string.h>

#include "gk-finding.h"
#include "gk-policy.h"
#include "gk-util.h"
#include "gk-workflow.h"

/* The one table of who may do what.  Nothing here reads a store: the
 * window asks on its main thread, and the store asks again inside the
 * transaction that makes the change, on the item as loaded there. */

typedef struct
{
  const char *name;
  GkRole      roles;
  const char *what; /* N_(): completes “… cannot %s” */
} ActionInfo;

static const ActionInfo actions[GK_N_ACTIONS] = {
  [GK_ACTION_IMPORT] = { "import", GK_ROLE_DRAFTER | GK_ROLE_ADMIN, N_ ("import documents") },
  [GK_ACTION_EDIT] = { "edit", GK_ROLE_DRAFTER | GK_ROLE_ADMIN, N_ ("edit records") },
  [GK_ACTION_TAG] = { "tag", GK_ROLE_DRAFTER | GK_ROLE_ADMIN, N_ ("tag documents") },
  [GK_ACTION_SCREEN] = { "screen", GK_ROLE_DRAFTER | GK_ROLE_REVIEWER | GK_ROLE_ADMIN,
                         N_ ("screen documents again") },
  [GK_ACTION_SUBMIT] = { "submit", GK_ROLE_DRAFTER | GK_ROLE_ADMIN,
                         N_ ("submit documents for review") },
  [GK_ACTION_APPROVE] = { "approve", GK_ROLE_REVIEWER | GK_ROLE_ADMIN, N_ ("approve documents") },
  [GK_ACTION_RETURN] = { "return", GK_ROLE_REVIEWER | GK_ROLE_ADMIN,
                         N_ ("return documents to their drafters") },
  [GK_ACTION_DISMISS] = { "dismiss", GK_ROLE_REVIEWER | GK_ROLE_ADMIN,
                          N_ ("dismiss screening findings") },
  [GK_ACTION_REVIEW] = { "review", GK_ROLE_REVIEWER | GK_ROLE_ADMIN, N_ ("review documents") },
  [GK_ACTION_PUBLISH] = { "publish", GK_ROLE_PUBLISHER | GK_ROLE_ADMIN,
                          N_ ("publish to the portal") },
  [GK_ACTION_CHECK_PORTAL] = { "check-portal", GK_ROLE_PUBLISHER | GK_ROLE_ADMIN,
                               N_ ("compare the portal with the library") },
  [GK_ACTION_WITHDRAW] = { "withdraw", GK_ROLE_PUBLISHER | GK_ROLE_ADMIN,
                           N_ ("withdraw documents from the portal") },
  [GK_ACTION_RESOLVE] = { "resolve", GK_ROLE_ADMIN, N_ ("decide conflicts with the portal") },
  [GK_ACTION_STORE_TOKEN] = { "store-token", GK_ROLE_ADMIN, N_ ("store the portal token") },
  [GK_ACTION_FORGET_TOKEN] = { "forget-token", GK_ROLE_ADMIN, N_ ("forget the portal token") },
  [GK_ACTION_MANAGE_MEMBERS] = { "manage-members", GK_ROLE_ADMIN,
                                 N_ ("manage the library's members") },
  [GK_ACTION_MANAGE_TAGS] = { "manage-tags", GK_ROLE_ADMIN, N_ ("change the tag catalog") },
  [GK_ACTION_CHANGE_SETTINGS] = { "change-settings", GK_ROLE_ADMIN,
                                  N_ ("change the library's settings") },
  [GK_ACTION_MANAGE_CALENDAR] = { "manage-calendar", GK_ROLE_ADMIN,
                                  N_ ("change the holiday calendar") },
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
role_label (GkRole role)
{
  switch (role)
    {
    case GK_ROLE_DRAFTER:
      /* Translators: a role, inside a sentence */
      return _("drafter");
    case GK_ROLE_REVIEWER:
      /* Translators: a role, inside a sentence */
      return _("reviewer");
    case GK_ROLE_PUBLISHER:
      /* Translators: a role, inside a sentence */
      return _("publisher");
    case GK_ROLE_ADMIN:
      /* Translators: a role, inside a sentence */
      return _("admin");
    case GK_ROLE_NONE:
    default:
      return "";
    }
}

/* "reviewer or admin" / "drafter, reviewer or admin" (with_or), or
 * "drafter, reviewer" (the roles someone has). */
static char *
describe_roles (GkRole   roles,
                gboolean with_or)
{
  static const GkRole order[] = { GK_ROLE_DRAFTER, GK_ROLE_REVIEWER, GK_ROLE_PUBLISHER, GK_ROLE_ADMIN };
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (roles & order[i])
      g_ptr_array_add (names, (gpointer) role_label (order[i]));
  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        /* Translators: between the last two roles of a list: "reviewer or admin" */
        g_string_append (text, with_or && i == names->len - 1 ? _(" or ") : _(", "));
      g_string_append (text, g_ptr_array_index (names, i));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
refuse_role (const GkMember *member,
             GkAction        action,
             GError        **error)
{
  g_autofree char *needed = describe_roles (actions[action].roles, TRUE);
  const char *user = member != NULL && member->user != NULL ? member->user : "";

  if (member == NULL || member->roles == GK_ROLE_NONE)
    gk_set_error_detail (error, GK_ERROR_PERMISSION, GK_ERROR_DETAIL_NOT_A_MEMBER,
                         /* Translators: “rita” cannot approve documents: that needs the reviewer or admin role… */
                         _("“%s” cannot %s: that needs the %s role, and “%s” is not a member of this library."),
                         user, _(actions[action].what), needed, user);
  else
    {
      g_autofree char *held = describe_roles (member->roles, FALSE);

      gk_set_error_detail (error, GK_ERROR_PERMISSION, GK_ERROR_DETAIL_MISSING_ROLE,
                           /* Translators: “rita” cannot approve documents: that needs the reviewer or admin role; “rita” has: drafter. */
                           _("“%s” cannot %s: that needs the %s role; “%s” has: %s."),
                           user, _(actions[action].what), needed, user, held);
    }
  return FALSE;
}

/* Refuse an action the state does not allow, saying what the state is:
 * two whole sentences, so that each translates on its own. */
static gboolean
refuse_state (GkItem  *item,
              GkAction action,
              GError **error)
{
  g_autofree char *lead = NULL;
  g_autofree char *why = NULL;
  const char *name = item_name (item);

  switch (action)
    {
    case GK_ACTION_SUBMIT:
      lead = g_strdup_printf (_("“%s” cannot be submitted."), name);
      break;
    case GK_ACTION_APPROVE:
      lead = g_strdup_printf (_("“%s” cannot be approved."), name);
      break;
    case GK_ACTION_RETURN:
      lead = g_strdup_printf (_("“%s” cannot be returned."), name);
      break;
    case GK_ACTION_DISMISS:
    default:
      lead = g_strdup_printf (_("The findings of “%s” cannot be decided now."), name);
      break;
    }

  switch (item->state)
    {
    case GK_STATE_DRAFT:
      why = g_strdup (_("It is a draft that has not been submitted for review."));
      break;
    case GK_STATE_IN_REVIEW:
      why = g_strdup_printf (_("It is already in review (%s)."), gk_stage_to_label (item->stage));
      break;
    case GK_STATE_RETURNED:
      why = g_strdup (_("It was returned to its drafter and must be submitted again first."));
      break;
    case GK_STATE_APPROVED:
      why = g_strdup_printf (_("Revision %" PRId64 " is already approved; edit the item to start a new revision."),
                             item->revision);
      break;
    case GK_STATE_PUBLISHED:
      why = g_strdup (_("It is published; edit the item to start a new revision."));
      break;
    case GK_STATE_WITHDRAWN:
    default:
      why = g_strdup (_("It was withdrawn; edit the item to start a new revision."));
      break;
    }

  g_set_error (error, GK_ERROR, GK_ERROR_REFUSED, "%s %s", lead, why);
  return FALSE;
}

static gboolean
has_contribution (GkItem            *item,
                  const char        *user,
                  GkContributionKind kind,
                  GkStage            stage)
{
  for (guint i = 0; item->history != NULL && i < item->history->len; i++)
    {
      GkContribution *c = g_ptr_array_index (item->history, i);

      if (c->kind == kind && g_strcmp0 (c->user, user) == 0 &&
          (kind != GK_CONTRIBUTION_SIGNED || c->stage == stage))
        return TRUE;
    }
  return FALSE;
}

/* Separation of duties: nobody reviews a revision they worked on.  A
 * drafter never signs their own document, whatever the revision; the
 * item's own submitted_by counts as a second source for the submitter. */
static gboolean
check_not_contributor (const char *user,
                       GkItem     *item,
                       gboolean    for_findings,
                       GError    **error)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autofree char *listed = NULL;

  if (g_strcmp0 (item->created_by, user) == 0 ||
      has_contribution (item, user, GK_CONTRIBUTION_DRAFTED, GK_STAGE_NONE))
    g_ptr_array_add (labels, (gpointer) _("drafted it"));
  if (has_contribution (item, user, GK_CONTRIBUTION_EDITED, GK_STAGE_NONE))
    g_ptr_array_add (labels, (gpointer) _("edited it"));
  if (has_contribution (item, user, GK_CONTRIBUTION_SUBMITTED, GK_STAGE_NONE) ||
      (item->state == GK_STATE_IN_REVIEW && g_strcmp0 (item->submitted_by, user) == 0))
    g_ptr_array_add (labels, (gpointer) _("submitted it"));
  if (labels->len == 0)
    return TRUE;

  g_ptr_array_add (labels, NULL);
  listed = g_strjoinv (_(", "), (char **) labels->pdata);
  if (for_findings)
    g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                 _("“%s” worked on revision %" PRId64 " of “%s” (%s), so another reviewer "
                   "must decide its findings (separation of duties)."),
                 user, item->revision, item_name (item), listed);
  else
    g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                 _("“%s” worked on revision %" PRId64 " of “%s” (%s), so another reviewer "
                   "must approve it (separation of duties)."),
                 user, item->revision, item_name (item), listed);
  return FALSE;
}

/* One person cannot sign both stages of the same revision. */
static gboolean
check_other_stage (const GkPolicyRules *rules,
                   const char          *user,
                   GkItem              *item,
                   GkStage              stage,
                   GError             **error)
{
  GkStage other = stage == GK_STAGE_RELEASE ? GK_STAGE_CONFIDENTIALITY : GK_STAGE_RELEASE;

  if (!has_contribution (item, user, GK_CONTRIBUTION_SIGNED, other))
    return TRUE;
  /* A confidentiality signature left from before the library went to
   * one stage still counts: one person does not sign twice. */
  if (stage == GK_STAGE_RELEASE && rules->review_stages == 1)
    g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                 _("“%s” signed the confidentiality review of revision %" PRId64
                   " of “%s”; its sign-off needs another reviewer."),
                 user, item->revision, item_name (item));
  else if (stage == GK_STAGE_RELEASE)
    g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                 _("“%s” signed the confidentiality review of revision %" PRId64
                   " of “%s”; the release sign-off needs another reviewer."),
                 user, item->revision, item_name (item));
  else
    g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                 _("“%s” signed the release of revision %" PRId64
                   " of “%s”; the confidentiality review needs another reviewer."),
                 user, item->revision, item_name (item));
  return FALSE;
}

/* Open secrecy marks and open personal numbers block approval at every
 * stage (with one stage, its reviewer does the confidentiality check
 * too); each is named, so the reviewer knows what to decide. */
static gboolean
check_no_blocking_findings (GkItem  *item,
                            GError **error)
{
  g_autofree char *listed = NULL;
  guint n_marks, n_personal, n;

  if (item->findings == NULL)
    return TRUE;
  listed = gk_policy_list_blocking_findings (item->findings, &n_marks, &n_personal);
  n = n_marks + n_personal;
  if (n == 0)
    return TRUE;

  if (n_personal == 0)
    g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "“%s” cannot be approved while a secrecy mark is open: finding %s. "
                              "Remove the marked content, or dismiss the finding with a written reason.",
                              "“%s” cannot be approved while secrecy marks are open: findings %s. "
                              "Remove the marked content, or dismiss each finding with a written reason.",
                              n),
                 item_name (item), listed);
  else if (n_marks == 0)
    g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "“%s” cannot be approved while personal data is open: finding %s. "
                              "Remove it from the document, or dismiss the finding with a written reason.",
                              "“%s” cannot be approved while personal data is open: findings %s. "
                              "Remove it from the document, or dismiss each finding with a written reason.",
                              n),
                 item_name (item), listed);
  else
    g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                 _("“%s” cannot be approved while secrecy marks and personal data are open: findings %s. "
                   "Remove them from the document, or dismiss each finding with a written reason."),
                 item_name (item), listed);
  return FALSE;
}

/* Who may sign the item's current stage, leaving aside what the item
 * itself still needs (findings decided, the record complete): the review
 * queue lists what a reviewer may decide. */
static gboolean
check_review (const GkPolicyRules *rules,
              const char          *user,
              GkItem              *item,
              GError             **error)
{
  GkStage stage;

  if (item->state != GK_STATE_IN_REVIEW)
    return refuse_state (item, GK_ACTION_APPROVE, error);
  /* With one stage the sign-off is stored as the release stage; an item
   * left in the confidentiality stage by a change of the setting is
   * approved by that stage alone, and still not by its other signer. */
  stage = item->stage == GK_STAGE_CONFIDENTIALITY ? GK_STAGE_CONFIDENTIALITY : GK_STAGE_RELEASE;
  return check_not_contributor (user, item, FALSE, error) &&
         check_other_stage (rules, user, item, stage, error);
}

static gboolean
check_approve (const GkPolicyRules *rules,
               const char          *user,
               GkItem              *item,
               GError             **error)
{
  if (!check_review (rules, user, item, error) ||
      !check_no_blocking_findings (item, error))
    return FALSE;
  /* An edit in review sends the item back to draft, but the record must
   * still hold together when it is signed. */
  return gk_workflow_check_record (item, error);
}

static gboolean
check_item_rules (const GkPolicyRules *rules,
                  const char          *user,
                  GkAction             action,
                  GkItem              *item,
                  GError             **error)
{
  switch (action)
    {
    case GK_ACTION_SUBMIT:
      if (item->state != GK_STATE_DRAFT && item->state != GK_STATE_RETURNED)
        return refuse_state (item, action, error);
      return gk_workflow_check_record (item, error);

    case GK_ACTION_APPROVE:
      return check_approve (rules, user, item, error);

    case GK_ACTION_REVIEW:
      return check_review (rules, user, item, error);

    case GK_ACTION_RETURN:
      if (item->state != GK_STATE_IN_REVIEW)
        return refuse_state (item, action, error);
      return TRUE;

    case GK_ACTION_DISMISS:
      /* Findings are decided before approval. */
      if (item->state != GK_STATE_DRAFT && item->state != GK_STATE_IN_REVIEW &&
          item->state != GK_STATE_RETURNED)
        return refuse_state (item, action, error);
      return check_not_contributor (user, item, TRUE, error);

    case GK_ACTION_IMPORT:
    case GK_ACTION_EDIT:
    case GK_ACTION_TAG:
    case GK_ACTION_SCREEN:
    case GK_ACTION_PUBLISH:
    case GK_ACTION_CHECK_PORTAL:
    case GK_ACTION_WITHDRAW:
    case GK_ACTION_RESOLVE:
    case GK_ACTION_STORE_TOKEN:
    case GK_ACTION_FORGET_TOKEN:
    case GK_ACTION_MANAGE_MEMBERS:
    case GK_ACTION_MANAGE_TAGS:
    case GK_ACTION_CHANGE_SETTINGS:
    case GK_ACTION_MANAGE_CALENDAR:
    case GK_N_ACTIONS:
    default:
      /* Edits of any state are allowed (an approved item gets a new
       * revision); what withdrawing and resolving need of the item's
       * sync state is the outbox's to say. */
      return TRUE;
    }
}

/* Public API */

/**
 * gk_action_to_string:
 * @action: an action
 *
 * Returns: the action's name ("approve")
 */
const char *
gk_action_to_string (GkAction action)
{
  g_return_val_if_fail ((guint) action < GK_N_ACTIONS, "");

  return actions[action].name;
}

/**
 * gk_policy_roles_for:
 * @action: an action
 *
 * Returns: the roles that allow @action (holding any one is enough)
 */
GkRole
gk_policy_roles_for (GkAction action)
{
  g_return_val_if_fail ((guint) action < GK_N_ACTIONS, GK_ROLE_NONE);

  return actions[action].roles;
}

/**
 * gk_policy_check:
 * @rules: (nullable): the library's workflow settings (%NULL: the defaults)
 * @member: (nullable): the acting member; %NULL or without roles for a
 *   non-member
 * @action: what they want to do
 * @item: (nullable): the item it is done to, with its findings and
 *   history (as gk_store_get_item() returns it); %NULL for actions on
 *   the library
 * @error: %GK_ERROR_PERMISSION for a missing role, %GK_ERROR_REFUSED for
 *   what the item's state or history forbids
 *
 * Pure: reads only its arguments, so it is safe on any thread.
 *
 * Returns: %TRUE if @member may do @action to @item now
 */
gboolean
gk_policy_check (const GkPolicyRules *rules,
                 const GkMember      *member,
                 GkAction             action,
                 GkItem              *item,
                 GError             **error)
{
  static const GkPolicyRules defaults = { .review_stages = 2 };

  g_return_val_if_fail ((guint) action < GK_N_ACTIONS, FALSE);
  g_return_val_if_fail (item == NULL || GK_IS_ITEM (item), FALSE);

  if (rules == NULL || (rules->review_stages != 1 && rules->review_stages != 2))
    rules = &defaults;
  if (member == NULL || (member->roles & actions[action].roles) == 0)
    return refuse_role (member, action, error);
  if (item == NULL)
    return TRUE;
  return check_item_rules (rules, member->user, action, item, error);
}

/**
 * gk_policy_can:
 * @rules: (nullable): the library's workflow settings
 * @member: (nullable): the acting member
 * @action: what they want to do
 * @item: (nullable): the item it is done to
 * @reason: (out) (optional) (nullable) (transfer full): why not, in the
 *   user's words; %NULL when the answer is yes
 *
 * gk_policy_check() as a yes/no, for a button.
 *
 * Returns: %TRUE if @member may do @action to @item now
 */
gboolean
gk_policy_can (const GkPolicyRules *rules,
               const GkMember      *member,
               GkAction             action,
               GkItem              *item,
               char               **reason)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = gk_policy_check (rules, member, action, item, &error);

  if (reason != NULL)
    *reason = ok ? NULL : g_strdup (error != NULL ? error->message : "");
  return ok;
}

/**
 * gk_policy_list_blocking_findings:
 * @findings: (element-type GkFinding): an item's findings
 * @n_marks: (out): how many open secrecy marks (and keywords) block
 * @n_personal: (out): how many open personal numbers block
 *
 * Returns: (transfer full) (nullable): the blocking findings named, or
 *   %NULL when none blocks
 */
char *
gk_policy_list_blocking_findings (GPtrArray *findings,
                                  guint     *n_marks,
                                  guint     *n_personal)
{
  g_autoptr(GString) listed = NULL;

  *n_marks = *n_personal = 0;
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      GkFinding *finding = g_ptr_array_index (findings, i);

      if (!gk_finding_is_blocking (finding))
        continue;
      if (listed == NULL)
        listed = g_string_new (NULL);
      else
        g_string_append (listed, _(", "));
      /* Translators: one blocking finding: its number, its kind, the
       * (masked) value and the page, e.g. #12 ID card number “3101…” on page 2 */
      g_string_append_printf (listed, _("#%" PRId64 " %s “%s” on page %d"),
                              finding->id, gk_finding_kind_to_label (finding->kind),
                              finding->value ? finding->value : "", finding->page);
      if (gk_finding_is_personal_data (finding))
        (*n_personal)++;
      else
        (*n_marks)++;
    }
  return listed != NULL ? g_string_free (g_steal_pointer (&listed), FALSE) : NULL;
}
