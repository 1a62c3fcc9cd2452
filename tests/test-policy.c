/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The policy (gk-policy.h) as a table: member roles × actions × item
 * states, separation of duties from the item's history, one and two
 * review stages; and the deadline (gk-deadline.h) for every state and
 * disclosure.  Pure functions: no store. */

#include "config.h"

#include <string.h>

#include "gk-calendar.h"
#include "gk-deadline.h"
#include "gk-finding.h"
#include "gk-item.h"
#include "gk-policy.h"

#define D GK_ROLE_DRAFTER
#define R GK_ROLE_REVIEWER
#define P GK_ROLE_PUBLISHER
#define A GK_ROLE_ADMIN

/* A complete record by "dora", in state/stage, with a history. */
static GkItem *
make_item (GkState state,
           GkStage stage)
{
  GkItem *item = gk_item_new ();
  g_autoptr(GError) error = NULL;

  item->id = g_strdup ("0b4f7a5e-9a43-4b8e-9b51-6a3d1c2e7f10");
  g_assert_true (gk_item_set_field (item, "title", "关于做好防汛工作的通知", &error));
  g_assert_true (gk_item_set_field (item, "issuer", "上海市应急管理局", &error));
  g_assert_true (gk_item_set_field (item, "written_date", "2025-03-03", &error));
  g_assert_true (gk_item_set_field (item, "index_no", "000014349/2025-00001", &error));
  g_assert_true (gk_item_set_field (item, "disclosure", "proactive", &error));
  item->file_sha256 = g_strdup ("ab");
  item->revision = 1;
  item->state = state;
  item->stage = stage;
  item->created_by = g_strdup ("dora");
  item->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);
  item->history = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_contribution_free);
  g_ptr_array_add (item->history, gk_contribution_new ("dora", GK_CONTRIBUTION_DRAFTED, GK_STAGE_NONE));
  if (state == GK_STATE_IN_REVIEW)
    {
      item->submitted_by = g_strdup ("dora");
      g_ptr_array_add (item->history, gk_contribution_new ("dora", GK_CONTRIBUTION_SUBMITTED, GK_STAGE_NONE));
    }
  return item;
}

typedef struct
{
  GkRole   roles;
  GkAction action;
  int      state; /* GkState, or -1 for no item */
  gboolean allowed;
  GQuark   domain;
  int      code;
} Case;

static void
test_table (void)
{
  static const Case cases[] = {
    /* Library actions by role. */
    { D, GK_ACTION_IMPORT, -1, TRUE },
    { R, GK_ACTION_IMPORT, -1, FALSE, 0, GK_ERROR_PERMISSION },
    { P, GK_ACTION_PUBLISH, -1, TRUE },
    { D, GK_ACTION_PUBLISH, -1, FALSE, 0, GK_ERROR_PERMISSION },
    { A, GK_ACTION_PUBLISH, -1, TRUE },
    { P, GK_ACTION_CHECK_PORTAL, -1, TRUE },
    { P, GK_ACTION_WITHDRAW, -1, TRUE },
    { R, GK_ACTION_WITHDRAW, -1, FALSE, 0, GK_ERROR_PERMISSION },
    { P, GK_ACTION_RESOLVE, -1, FALSE, 0, GK_ERROR_PERMISSION },
    { A, GK_ACTION_RESOLVE, -1, TRUE },
    { P, GK_ACTION_STORE_TOKEN, -1, FALSE, 0, GK_ERROR_PERMISSION },
    { P, GK_ACTION_FORGET_TOKEN, -1, FALSE, 0, GK_ERROR_PERMISSION },
    { A, GK_ACTION_FORGET_TOKEN, -1, TRUE },
    { D | R | P, GK_ACTION_MANAGE_MEMBERS, -1, FALSE, 0, GK_ERROR_PERMISSION },
    { A, GK_ACTION_MANAGE_MEMBERS, -1, TRUE },
    { R, GK_ACTION_MANAGE_TAGS, -1, FALSE, 0, GK_ERROR_PERMISSION },
    { A, GK_ACTION_CHANGE_SETTINGS, -1, TRUE },
    { D, GK_ACTION_CHANGE_SETTINGS, -1, FALSE, 0, GK_ERROR_PERMISSION },
    { A, GK_ACTION_MANAGE_CALENDAR, -1, TRUE },
    { D, GK_ACTION_MANAGE_CALENDAR, -1, FALSE, 0, GK_ERROR_PERMISSION },
    { R, GK_ACTION_REVIEW, -1, TRUE },
    { D, GK_ACTION_REVIEW, -1, FALSE, 0, GK_ERROR_PERMISSION },
    { R, GK_ACTION_SCREEN, -1, TRUE },
    { P, GK_ACTION_SCREEN, -1, FALSE, 0, GK_ERROR_PERMISSION },
    /* Edits in any state, by drafters and admins. */
    { D, GK_ACTION_EDIT, GK_STATE_PUBLISHED, TRUE },
    { A, GK_ACTION_TAG, GK_STATE_IN_REVIEW, TRUE },
    { R, GK_ACTION_EDIT, GK_STATE_DRAFT, FALSE, 0, GK_ERROR_PERMISSION },
    /* Submit: draft or returned only. */
    { D, GK_ACTION_SUBMIT, GK_STATE_DRAFT, TRUE },
    { D, GK_ACTION_SUBMIT, GK_STATE_RETURNED, TRUE },
    { D, GK_ACTION_SUBMIT, GK_STATE_IN_REVIEW, FALSE, 0, GK_ERROR_REFUSED },
    { D, GK_ACTION_SUBMIT, GK_STATE_APPROVED, FALSE, 0, GK_ERROR_REFUSED },
    { R, GK_ACTION_SUBMIT, GK_STATE_DRAFT, FALSE, 0, GK_ERROR_PERMISSION },
    /* Approve and return: in review only, reviewers and admins. */
    { R, GK_ACTION_APPROVE, GK_STATE_IN_REVIEW, TRUE },
    { A, GK_ACTION_APPROVE, GK_STATE_IN_REVIEW, TRUE },
    { R, GK_ACTION_APPROVE, GK_STATE_DRAFT, FALSE, 0, GK_ERROR_REFUSED },
    { R, GK_ACTION_APPROVE, GK_STATE_APPROVED, FALSE, 0, GK_ERROR_REFUSED },
    { D | P, GK_ACTION_APPROVE, GK_STATE_IN_REVIEW, FALSE, 0, GK_ERROR_PERMISSION },
    { R, GK_ACTION_RETURN, GK_STATE_IN_REVIEW, TRUE },
    { R, GK_ACTION_RETURN, GK_STATE_RETURNED, FALSE, 0, GK_ERROR_REFUSED },
    /* Findings are decided before approval. */
    { R, GK_ACTION_DISMISS, GK_STATE_DRAFT, TRUE },
    { R, GK_ACTION_DISMISS, GK_STATE_IN_REVIEW, TRUE },
    { R, GK_ACTION_DISMISS, GK_STATE_PUBLISHED, FALSE, 0, GK_ERROR_REFUSED },
    { D, GK_ACTION_DISMISS, GK_STATE_DRAFT, FALSE, 0, GK_ERROR_PERMISSION },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      GkMember member = { (char *) "rita", c->roles, NULL };
      g_autoptr(GkItem) item = c->state < 0 ? NULL : make_item ((GkState) c->state,
                                                                  c->state == GK_STATE_IN_REVIEW
                                                                  ? GK_STAGE_CONFIDENTIALITY : GK_STAGE_NONE);
      g_autoptr(GError) error = NULL;
      g_autofree char *reason = NULL;
      gboolean ok;

      g_test_message ("case %u: %s", i, gk_action_to_string (c->action));
      ok = gk_policy_check (NULL, &member, c->action, item, &error);
      g_assert_cmpint (ok, ==, c->allowed);
      g_assert_cmpint (gk_policy_can (NULL, &member, c->action, item, &reason), ==, c->allowed);
      if (c->allowed)
        {
          g_assert_no_error (error);
          g_assert_null (reason);
          continue;
        }
      g_assert_error (error, GK_ERROR, c->code);
      g_assert_cmpstr (reason, ==, error->message);
      if (c->code == GK_ERROR_PERMISSION)
        {
          /* Who, and what they would need: the facts, no command. */
          g_assert_cmpint (gk_error_get_detail (error), ==, GK_ERROR_DETAIL_MISSING_ROLE);
          g_assert_nonnull (strstr (error->message, "rita"));
          g_assert_nonnull (strstr (error->message, "admin"));
          g_assert_null (strstr (error->message, "gongkai-ctl"));
        }
    }
}

static void
test_not_a_member (void)
{
  GkMember stranger = { (char *) "eve", GK_ROLE_NONE, NULL };
  g_autoptr(GError) error = NULL;

  g_assert_false (gk_policy_check (NULL, &stranger, GK_ACTION_IMPORT, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_assert_cmpint (gk_error_get_detail (error), ==, GK_ERROR_DETAIL_NOT_A_MEMBER);
  g_assert_nonnull (strstr (error->message, "“eve” is not a member"));
  g_clear_error (&error);
  g_assert_false (gk_policy_check (NULL, NULL, GK_ACTION_IMPORT, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
}

/* Nobody signs a revision they worked on, nor both stages of it, with
 * one review stage as with two. */
static void
test_separation_of_duties (void)
{
  for (int stages = 1; stages <= 2; stages++)
    {
      GkPolicyRules rules = { .review_stages = stages };
      GkMember dora = { (char *) "dora", D | R, NULL };
      GkMember rex = { (char *) "rex", D | R, NULL };
      GkMember rita = { (char *) "rita", R, NULL };
      GkMember rob = { (char *) "rob", R, NULL };
      GkStage first = stages == 1 ? GK_STAGE_RELEASE : GK_STAGE_CONFIDENTIALITY;
      g_autoptr(GkItem) item = make_item (GK_STATE_IN_REVIEW, first);
      g_autoptr(GkItem) second = make_item (GK_STATE_IN_REVIEW, GK_STAGE_RELEASE);
      g_autoptr(GkItem) left_over = make_item (GK_STATE_IN_REVIEW, GK_STAGE_CONFIDENTIALITY);
      g_autofree char *reason = NULL;

      /* The drafter (who submitted it) may not sign it or decide its findings. */
      g_assert_false (gk_policy_can (&rules, &dora, GK_ACTION_APPROVE, item, &reason));
      g_assert_nonnull (strstr (reason, "separation of duties"));
      g_assert_nonnull (strstr (reason, "drafted it"));
      g_clear_pointer (&reason, g_free);
      g_assert_false (gk_policy_can (&rules, &dora, GK_ACTION_DISMISS, item, &reason));
      g_assert_nonnull (strstr (reason, "decide its findings"));
      g_clear_pointer (&reason, g_free);
      g_assert_false (gk_policy_can (&rules, &dora, GK_ACTION_REVIEW, item, NULL));
      /* …nor someone who edited this revision. */
      g_ptr_array_add (item->history, gk_contribution_new ("rex", GK_CONTRIBUTION_EDITED, GK_STAGE_NONE));
      g_assert_false (gk_policy_can (&rules, &rex, GK_ACTION_APPROVE, item, &reason));
      g_assert_nonnull (strstr (reason, "edited it"));
      g_clear_pointer (&reason, g_free);
      /* Another reviewer may. */
      g_assert_true (gk_policy_can (&rules, &rita, GK_ACTION_APPROVE, item, &reason));
      g_assert_null (reason);

      /* The confidentiality signer does not sign the release of the same
       * revision (with two stages), nor the one sign-off of an item that
       * was signed before the library went to one stage. */
      g_ptr_array_add (second->history, gk_contribution_new ("rita", GK_CONTRIBUTION_SIGNED, GK_STAGE_CONFIDENTIALITY));
      g_assert_false (gk_policy_can (&rules, &rita, GK_ACTION_APPROVE, second, &reason));
      g_assert_nonnull (strstr (reason, stages == 1 ? "its sign-off needs another reviewer"
                                                    : "the release sign-off needs another reviewer"));
      g_clear_pointer (&reason, g_free);
      g_assert_true (gk_policy_can (&rules, &rob, GK_ACTION_APPROVE, second, NULL));

      /* An item left in the confidentiality stage is signed there, by
       * anyone who did not sign its release. */
      g_ptr_array_add (left_over->history, gk_contribution_new ("rob", GK_CONTRIBUTION_SIGNED, GK_STAGE_RELEASE));
      g_assert_false (gk_policy_can (&rules, &rob, GK_ACTION_APPROVE, left_over, NULL));
      g_assert_true (gk_policy_can (&rules, &rita, GK_ACTION_APPROVE, left_over, NULL));
    }
}

/* Open secrecy marks block approval but not the queue; an incomplete
 * record blocks submission and approval. */
static void
test_item_needs (void)
{
  GkMember rita = { (char *) "rita", R, NULL };
  GkMember dora = { (char *) "dora", D, NULL };
  g_autoptr(GkItem) item = make_item (GK_STATE_IN_REVIEW, GK_STAGE_CONFIDENTIALITY);
  g_autoptr(GkItem) draft = make_item (GK_STATE_DRAFT, GK_STAGE_NONE);
  GkFinding *mark = gk_finding_new (GK_FINDING_SECRECY_MARK, "秘密", 1, 0, 2);
  g_autoptr(GError) error = NULL;

  mark->id = 12;
  g_ptr_array_add (item->findings, mark);
  g_assert_false (gk_policy_check (NULL, &rita, GK_ACTION_APPROVE, item, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "#12"));
  g_clear_error (&error);
  g_assert_true (gk_policy_check (NULL, &rita, GK_ACTION_REVIEW, item, &error));

  g_clear_pointer (&draft->issuer, g_free);
  g_assert_false (gk_policy_check (NULL, &dora, GK_ACTION_SUBMIT, draft, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
  g_assert_nonnull (strstr (gk_error_get_field (error), "issuer"));
}

/* One deadline: nothing for 依申请公开 and 不予公开, nor once published. */
static void
test_deadline (void)
{
  g_autoptr(GkCalendar) calendar = gk_calendar_new_default ();
  static const struct
  {
    const char     *disclosure;
    GkState         state;
    const char     *today;
    GkDeadlineState expected;
  } cases[] = {
    /* Written 2025-03-03: due 20 working days later, 2025-03-31. */
    { "proactive", GK_STATE_DRAFT, "2025-04-10", GK_DEADLINE_OVERDUE },
    { "proactive", GK_STATE_APPROVED, "2025-04-10", GK_DEADLINE_OVERDUE },
    { "proactive", GK_STATE_IN_REVIEW, "2025-03-27", GK_DEADLINE_SOON },
    { "proactive", GK_STATE_DRAFT, "2025-03-04", GK_DEADLINE_OK },
    { "proactive", GK_STATE_PUBLISHED, "2025-04-10", GK_DEADLINE_NONE },
    { "proactive", GK_STATE_WITHDRAWN, "2025-04-10", GK_DEADLINE_NONE },
    { "on_request", GK_STATE_DRAFT, "2025-04-10", GK_DEADLINE_NONE },
    { "withheld", GK_STATE_IN_REVIEW, "2025-04-10", GK_DEADLINE_NONE },
    /* Undecided may yet be 主动公开: its clock runs. */
    { NULL, GK_STATE_DRAFT, "2025-04-10", GK_DEADLINE_OVERDUE },
  };

  g_assert_nonnull (calendar);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GkItem) item = make_item (cases[i].state, GK_STAGE_NONE);
      int left = 99;

      g_clear_pointer (&item->disclosure, g_free);
      item->disclosure = g_strdup (cases[i].disclosure);
      item->due_date = gk_calendar_disclosure_due (calendar, item->written_date);
      g_test_message ("case %u", i);
      g_assert_cmpint (gk_deadline_for_item (item, calendar, cases[i].today, &left), ==, cases[i].expected);
      if (cases[i].expected == GK_DEADLINE_NONE)
        g_assert_cmpint (left, ==, 0);
      else if (cases[i].expected == GK_DEADLINE_OVERDUE)
        g_assert_cmpint (left, <, 0);
      /* The store's queries ask the same rule. */
      g_assert_cmpint (gk_deadline_applies (item->state, item->disclosure, item->due_date), ==,
                       cases[i].expected != GK_DEADLINE_NONE);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/policy/table", test_table);
  g_test_add_func ("/policy/not-a-member", test_not_a_member);
  g_test_add_func ("/policy/separation-of-duties", test_separation_of_duties);
  g_test_add_func ("/policy/item-needs", test_item_needs);
  g_test_add_func ("/policy/deadline", test_deadline);
  return g_test_run ();
}
