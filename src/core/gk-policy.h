/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "gk-types.h"
#include "gk-item.h"

G_BEGIN_DECLS

/* Who may do what: one answer for the store, which enforces it, and for
 * the faces, which grey a button and explain it (the window) or refuse
 * (the command line).  A pure function of what the caller already holds
 * — the acting member with its roles, the item with its state, findings
 * and history (gk_store_get_item() fills them), and the library's
 * workflow settings — so that the window may ask on its main thread.
 *
 * What needs the store (the file's bytes, a finding that is no longer
 * open, the item as it is inside the writing transaction) is checked
 * again where the change is made (gk-workflow.c, gk-store*.c). */

/* Every action a face offers. */
typedef enum
{
  GK_ACTION_IMPORT,          /* add documents to the library */
  GK_ACTION_EDIT,            /* change an item's record */
  GK_ACTION_TAG,             /* change an item's tags */
  GK_ACTION_SCREEN,          /* screen a document again */
  GK_ACTION_SUBMIT,          /* send a draft to review */
  GK_ACTION_APPROVE,         /* sign the current review stage */
  GK_ACTION_RETURN,          /* return an item to its drafter */
  GK_ACTION_DISMISS,         /* dismiss a screening finding */
  GK_ACTION_REVIEW,          /* see the review queue; with an item: may sign its
                              * stage once its findings are decided (the queue) */
  GK_ACTION_PUBLISH,         /* run the sync: publish and send withdrawals */
  GK_ACTION_CHECK_PORTAL,    /* compare the portal's documents with the library */
  GK_ACTION_WITHDRAW,        /* withdraw a published item */
  GK_ACTION_RESOLVE,         /* decide a conflict with the portal */
  GK_ACTION_STORE_TOKEN,     /* keep the portal token in the keyring */
  GK_ACTION_FORGET_TOKEN,    /* remove the portal token from the keyring */
  GK_ACTION_MANAGE_MEMBERS,  /* add members, change their roles */
  GK_ACTION_MANAGE_TAGS,     /* the tag catalog and the 主题分类 list */
  GK_ACTION_CHANGE_SETTINGS, /* the library's settings (portal, 索引号, review stages…) */
  GK_ACTION_MANAGE_CALENDAR, /* the holiday calendar's years */
  GK_N_ACTIONS
} GkAction;

/* The library settings the rules depend on (gk_workflow_get_policy_rules()
 * reads them from a store). */
typedef struct
{
  int review_stages; /* 1 or 2; 0 reads as 2 */
} GkPolicyRules;

/* The action's name ("approve"), for tests and logs. */
const char *gk_action_to_string      (GkAction action);
/* The roles that allow the action (any one of them). */
GkRole      gk_policy_roles_for      (GkAction action);

/* May member do action to item (NULL for actions on no item) now?  FALSE
 * with GK_ERROR_PERMISSION (detail GK_ERROR_DETAIL_MISSING_ROLE or
 * GK_ERROR_DETAIL_NOT_A_MEMBER) naming the member, the action and the
 * roles needed, or GK_ERROR_REFUSED saying what about the item forbids
 * it (its state, separation of duties, open findings, missing fields).
 * member NULL or without roles is a non-member. */
gboolean    gk_policy_check          (const GkPolicyRules *rules,
                                      const GkMember      *member,
                                      GkAction             action,
                                      GkItem              *item,
                                      GError             **error);
/* The same as a yes/no with the reason in the user's words (reason may
 * be NULL; set to NULL when the answer is yes). */
gboolean    gk_policy_can            (const GkPolicyRules *rules,
                                      const GkMember      *member,
                                      GkAction             action,
                                      GkItem              *item,
                                      char               **reason);

/* The open findings that block approval, named ("#12 身份证号 “3101…” on
 * page 2, …"), NULL when none; counts of secrecy marks and personal data. */
char       *gk_policy_list_blocking_findings (GPtrArray *findings,
                                              guint     *n_marks,
                                              guint     *n_personal);

G_END_DECLS
