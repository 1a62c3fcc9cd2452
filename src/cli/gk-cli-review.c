/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkCli"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <string.h>

#include "gk-cli.h"
#include "gk-util.h"
#include "gk-workflow.h"

/* The review commands: submit, review, queue.  Every rule is the core's
 * (gk-workflow.h); these only parse, call and print. */

static const char *
item_name (GkItem *item)
{
  if (!gk_str_is_blank (item->title))
    return item->title;
  if (!gk_str_is_blank (item->file_name))
    return item->file_name;
  return item->id;
}

/* Print the item as it is now: the updated item with --json, else message. */
static int
print_updated (GkCli      *cli,
               const char *id,
               const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = gk_store_get_item (cli->store, id, &error);

  if (item == NULL)
    return gk_cli_fail (cli, error);
  if (cli->json)
    {
      g_autoptr(JsonNode) node = gk_cli_item_json (cli, item);
      gk_cli_print_json (cli, node);
    }
  else if (message != NULL)
    g_print ("%s\n", message);
  return GK_EXIT_OK;
}

/* ---- submit ---- */

static int
cmd_submit (GkCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GkItem) item = NULL;
  g_autoptr(GkItem) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  int status = 0;

  if (!gk_cli_parse_options (cli, argv[0], NULL, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gk_cli_usage (cli, argv[0], _("name one item"));
  if (gk_cli_open_store (cli, &status) == NULL)
    return status;
  item = gk_cli_get_item (cli, argv[1], &status);
  if (item == NULL)
    return status;

  if (!gk_workflow_submit (cli->store, cli->user, item->id, &error))
    return gk_cli_fail (cli, error);

  after = gk_store_get_item (cli->store, item->id, NULL);
  message = g_strdup_printf (_("Submitted “%s” (revision %" PRId64 ") for review: %s."),
                             item_name (item), item->revision,
                             after ? gk_stage_to_label (after->stage) : "");
  return print_updated (cli, item->id, message);
}

/* ---- review ---- */

static char *
approved_message (GkItem *before,
                  GkItem *after)
{
  if (after->state == GK_STATE_IN_REVIEW)
    return g_strdup_printf (_("Signed “%s” (revision %" PRId64 "): %s done. Next: %s."),
                            item_name (after), after->revision,
                            gk_stage_to_label (before->stage), gk_stage_to_label (after->stage));
  if (!gk_workflow_is_publishable (after))
    return g_strdup_printf (_("Approved “%s” (revision %" PRId64 "). Disclosure: %s. "
                              "It is filed in the library and will not be published."),
                            item_name (after), after->revision,
                            gk_disclosure_to_label (after->disclosure));
  return g_strdup_printf (_("Approved “%s” (revision %" PRId64 ") for publication; "
                            "the next sync sends it to the portal."),
                          item_name (after), after->revision);
}

static int
cmd_review (GkCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *comment = NULL;
  g_auto(GStrv) dismiss_texts = NULL;
  GOptionEntry entries[] = {
    { "comment", 'm', 0, G_OPTION_ARG_STRING, &comment,
      N_("the reviewer's comment (required to return)"), N_("TEXT") },
    { "dismiss", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &dismiss_texts,
      N_("dismiss a screening finding with a written reason (repeatable; before the decision)"),
      N_("FINDING=REASON") },
    { NULL }
  };
  g_autoptr(GArray) dismissals = g_array_new (FALSE, TRUE, sizeof (GkDismissal));
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GkItem) item = NULL;
  g_autoptr(GkItem) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GkReviewDecision decision;
  const char *action;
  int status = 0;

  if (!gk_cli_parse_options (cli, argv[0], entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return gk_cli_usage (cli, argv[0], _("name one item and say “approve”, “return” or “dismiss”"));

  action = argv[2];
  if (strcmp (action, "approve") == 0)
    decision = GK_REVIEW_APPROVE;
  else if (strcmp (action, "return") == 0)
    decision = GK_REVIEW_RETURN;
  else if (strcmp (action, "dismiss") == 0)
    decision = GK_REVIEW_DISMISS_ONLY;
  else
    return gk_cli_usage (cli, argv[0], _("unknown decision “%s”: say “approve”, “return” or “dismiss”"),
                         action);

  for (guint i = 0; dismiss_texts != NULL && dismiss_texts[i] != NULL; i++)
    {
      GkDismissal dismissal = { 0 };
      char *reason = NULL;

      if (!gk_workflow_parse_dismissal (dismiss_texts[i], &dismissal.finding_id, &reason, &error))
        {
          g_autofree char *text = gk_cli_error_text (error);

          return gk_cli_usage (cli, argv[0], "%s", text);
        }
      g_ptr_array_add (reasons, reason);
      dismissal.reason = reason;
      g_array_append_val (dismissals, dismissal);
    }
  if (decision == GK_REVIEW_DISMISS_ONLY && dismissals->len == 0)
    return gk_cli_usage (cli, argv[0], _("“dismiss” needs at least one --dismiss FINDING=REASON"));

  if (gk_cli_open_store (cli, &status) == NULL)
    return status;
  item = gk_cli_get_item (cli, argv[1], &status);
  if (item == NULL)
    return status;

  if (!gk_workflow_review (cli->store, cli->user, item->id, decision, comment,
                           (const GkDismissal *) (gpointer) dismissals->data, dismissals->len, &error))
    return gk_cli_fail (cli, error);

  after = gk_store_get_item (cli->store, item->id, &error);
  if (after == NULL)
    return gk_cli_fail (cli, error);

  switch (decision)
    {
    case GK_REVIEW_APPROVE:
      message = approved_message (item, after);
      break;
    case GK_REVIEW_RETURN:
      message = g_strdup_printf (_("Returned “%s” (revision %" PRId64 ") to its drafter."),
                                 item_name (after), after->revision);
      break;
    case GK_REVIEW_DISMISS_ONLY:
    default:
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Dismissed %u finding of “%s”.",
                                              "Dismissed %u findings of “%s”.",
                                              dismissals->len),
                                 dismissals->len, item_name (after));
      break;
    }
  if (decision != GK_REVIEW_DISMISS_ONLY && dismissals->len > 0 && !cli->json)
    g_print (g_dngettext (GETTEXT_PACKAGE, "Dismissed %u finding.\n", "Dismissed %u findings.\n",
                          dismissals->len),
             dismissals->len);
  return print_updated (cli, item->id, message);
}

/* ---- queue ---- */

static int
cmd_queue (GkCli  *cli,
           int     argc,
           char  **argv)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!gk_cli_parse_options (cli, argv[0], NULL, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return gk_cli_usage (cli, argv[0], _("unexpected argument “%s”"), argv[1]);
  if (gk_cli_open_store (cli, &status) == NULL)
    return status;

  items = gk_workflow_queue (cli->store, cli->user, &error);
  if (items == NULL)
    return gk_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonObject) object = json_object_new ();
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < items->len; i++)
        {
          GkItem *item = g_ptr_array_index (items, i);
          JsonNode *node = gk_cli_item_json (cli, item);
          g_autofree char *why_not = NULL;
          gboolean can = gk_workflow_can_approve (cli->store, cli->user, item, &why_not);

          json_object_set_boolean_member (json_node_get_object (node), "can_approve", can);
          if (why_not != NULL)
            json_object_set_string_member (json_node_get_object (node), "why_not", why_not);
          else
            json_object_set_null_member (json_node_get_object (node), "why_not");
          json_array_add_element (array, node);
        }
      json_object_set_array_member (object, "items", array);
      json_node_set_object (root, object);
      gk_cli_print_json (cli, root);
      return GK_EXIT_OK;
    }

  if (items->len == 0)
    {
      g_print ("%s\n", _("Nothing waits for your review."));
      return GK_EXIT_OK;
    }
  for (guint i = 0; i < items->len; i++)
    {
      GkItem *item = g_ptr_array_index (items, i);
      g_autofree char *why_not = NULL;

      gk_cli_print_item_line (cli, item);
      g_print ("          %s\n", gk_stage_to_label (item->stage));
      if (!gk_workflow_can_approve (cli->store, cli->user, item, &why_not))
        g_print ("          %s\n", why_not);
    }
  return GK_EXIT_OK;
}

const GkCliCommand gk_cli_review_commands[] = {
  { "submit", "ID", N_("submit an item for review (drafter)"), cmd_submit },
  { "review", "ID approve|return|dismiss [--comment TEXT] [--dismiss FINDING=REASON]…",
    N_("approve the current review stage, return with a comment, or dismiss findings (reviewer)"),
    cmd_review },
  { "queue", "", N_("the items in review that you may sign, most urgent first"), cmd_queue },
  { NULL }
};
