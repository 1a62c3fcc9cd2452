/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkCli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gk-cli.h"
#include "gk-portal-client.h"
#include "gk-sync.h"
#include "gk-token.h"
#include "gk-util.h"

/* The portal commands: sync (batch, --check, --resolve), withdraw and
 * token.  Every rule is the core's (gk-sync.h); these parse, call, wait
 * on a main loop and print.
 *
 * The time limits are library settings (config sync_request_timeout,
 * sync_batch_timeout).  Tuning for tests and slow links, read from the
 * environment (not options, so that scripts keep one stable command
 * line):
 *   GONGKAI_SYNC_MAX_ATTEMPTS, GONGKAI_SYNC_RETRY_BASE_MS,
 *   GONGKAI_SYNC_RETRY_MAX_MS, GONGKAI_SYNC_RETRY_AFTER_MAX_MS,
 *   GONGKAI_SYNC_CONNECT_TIMEOUT_MS, GONGKAI_SYNC_RESPONSE_TIMEOUT_MS. */

typedef struct
{
  GkCli        *cli;
  GMainLoop    *loop;
  GCancellable *cancellable;
  GAsyncResult *result;
} Waiter;

static guint
env_uint (const char *name)
{
  const char *value = g_getenv (name);
  guint64 parsed = 0;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &parsed, NULL))
    return 0;
  return (guint) parsed;
}

static gboolean
on_signal_cb (gpointer user_data)
{
  Waiter *waiter = user_data;

  g_printerr ("%s\n", _("gongkai-ctl: stopping; what was not sent stays in the outbox."));
  g_cancellable_cancel (waiter->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
on_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
  g_main_loop_quit (waiter->loop);
}

/* Run the loop until on_done_cb; SIGINT/SIGTERM cancel. */
static void
wait_for_result (Waiter *waiter)
{
  guint sigint = g_unix_signal_add (SIGINT, on_signal_cb, waiter);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal_cb, waiter);

  if (waiter->result == NULL)
    g_main_loop_run (waiter->loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
}

static const char *
short_id (const char *id,
          char        buffer[9])
{
  if (id == NULL)
    return "";
  g_strlcpy (buffer, id, 9);
  return buffer;
}

/* The core's messages state the facts; the command line adds its own
 * remedies, naming its commands and options. */
static char *
conflict_remedy (const GkSyncItemResult *result)
{
  if (result->outcome != GK_SYNC_OUTCOME_CONFLICT || result->id == NULL)
    return NULL;
  return g_strdup_printf (_ ("Decide with “gongkai-ctl sync --resolve %s keep-portal|overwrite”."),
                          result->id);
}

/* For an error of gk_portal_check_url() on @url. */
static const char *
url_remedy (const GError *error, const char *url)
{
  if (g_error_matches (error, GK_ERROR, GK_ERROR_INVALID) && gk_str_is_blank (url))
    return _ ("Give one with --portal URL or set it with “gongkai-ctl config portal_url URL”.");
  if (g_error_matches (error, GK_ERROR, GK_ERROR_REFUSED))
    return _ ("Use https://, or add --allow-insecure if you really mean it.");
  return NULL;
}

/* For an error of gk_token_resolve() or of the keyring. */
static char *
token_remedy (const GError *error)
{
  /* A token is there, but the keyring kept locked since the restart. */
  if (gk_error_get_detail (error) == GK_ERROR_DETAIL_KEYRING_LOCKED)
    return g_strdup (_ ("Unlock it (for example, log in to the desktop session) or give the "
                        "token with --token-file FILE."));
  if (g_error_matches (error, GK_ERROR, GK_ERROR_PERMISSION))
    return g_strdup_printf (_ ("Give one with --token-file FILE or the environment variable %s, or "
                               "store one with “gongkai-ctl token store”."),
                            GK_TOKEN_ENV);
  if (g_error_matches (error, GK_ERROR, GK_ERROR_FAILED))
    return g_strdup_printf (_ ("Give the portal token with --token-file FILE or the environment "
                               "variable %s instead."),
                            GK_TOKEN_ENV);
  return NULL;
}

/* @error's message, then @remedy (if any). */
static char *
with_remedy (const GError *error, const char *remedy)
{
  return remedy != NULL ? g_strdup_printf ("%s %s", error->message, remedy)
                        : g_strdup (error->message);
}

static int
fail_with_remedy (GkCli *cli, const GError *error, const char *remedy)
{
  g_autofree char *message = with_remedy (error, remedy);
  g_autoptr (GError) full = g_error_new_literal (error->domain, error->code, message);

  return gk_cli_fail (cli, full);
}

static void
print_result_line (const GkSyncItemResult *result)
{
  /* The core keeps only http(s) addresses; checked again where shown. */
  const char *url = gk_url_is_http (result->public_url) ? result->public_url : NULL;
  g_autofree char *remedy = conflict_remedy (result);
  char id[9];

  g_print ("%-10s %s  %s%s%s%s%s\n", gk_sync_outcome_to_label (result->outcome),
           short_id (result->id, id), result->title ? result->title : "",
           result->message || url ? " — " : "",
           result->message ? result->message
           : url           ? url
                           : "",
           remedy != NULL ? " " : "", remedy != NULL ? remedy : "");
}

static void
on_progress_cb (const GkSyncItemResult *result,
                guint                   n_done,
                guint                   n_total,
                gpointer                user_data)
{
  GkCli *cli = user_data;

  if (!cli->json)
    print_result_line (result);
}

/* The portal token as sync and withdraw look for it: --token-file, then
 * $GONGKAI_PORTAL_TOKEN, then the keyring entry of the portal. */
static char *
resolve_token (const char  *token_file,
               const char  *portal_url,
               GError     **error)
{
  g_autofree char *warning = NULL;
  char *token = gk_token_resolve (token_file, portal_url, TRUE, NULL, &warning, error);

  if (warning != NULL)
    g_printerr ("gongkai-ctl: %s\n", warning);
  return token;
}

static void
fill_tuning (GkSyncOptions *options)
{
  options->max_attempts = env_uint ("GONGKAI_SYNC_MAX_ATTEMPTS");
  options->retry_base_ms = env_uint ("GONGKAI_SYNC_RETRY_BASE_MS");
  options->retry_max_ms = env_uint ("GONGKAI_SYNC_RETRY_MAX_MS");
  options->retry_after_max_ms = env_uint ("GONGKAI_SYNC_RETRY_AFTER_MAX_MS");
  options->connect_timeout_ms = env_uint ("GONGKAI_SYNC_CONNECT_TIMEOUT_MS");
  options->response_timeout_ms = env_uint ("GONGKAI_SYNC_RESPONSE_TIMEOUT_MS");
}

static int
run_check (GkCli         *cli,
           GkSync        *sync,
           GkSyncOptions *options,
           Waiter        *waiter)
{
  g_autoptr(GkSyncCheckReport) report = NULL;
  g_autoptr(GError) error = NULL;

  gk_sync_check_async (sync, options, waiter->cancellable, on_done_cb, waiter);
  wait_for_result (waiter);
  report = gk_sync_check_finish (sync, waiter->result, &error);
  if (report == NULL)
    return gk_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonNode) node = gk_sync_check_report_to_json (report);
      gk_cli_print_json (cli, node);
    }
  else
    {
      for (guint i = 0; i < report->drift->len; i++)
        {
          GkSyncDrift *drift = g_ptr_array_index (report->drift, i);
          char id[9];

          g_print ("%-8s %s  %s — %s\n", gk_sync_drift_kind_to_string (drift->kind),
                   short_id (drift->id, id), drift->title ? drift->title : "", drift->message);
        }
      g_print (_("%u documents on the portal, %u items here that should be public, %u differences.\n"),
               report->n_portal, report->n_local, report->drift->len);
    }
  return report->drift->len == 0 ? GK_EXIT_OK : GK_EXIT_PARTIAL;
}

static int
run_resolve (GkCli         *cli,
             GkSync        *sync,
             GkSyncOptions *options,
             const char    *id,
             const char    *decision,
             Waiter        *waiter)
{
  g_autoptr(GkSyncItemResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GkSyncResolution resolution;

  if (g_strcmp0 (decision, "keep-portal") == 0)
    resolution = GK_SYNC_RESOLVE_KEEP_PORTAL;
  else if (g_strcmp0 (decision, "overwrite") == 0)
    resolution = GK_SYNC_RESOLVE_OVERWRITE;
  else
    return gk_cli_usage (cli, "sync", _("--resolve ID needs “keep-portal” or “overwrite”"));

  gk_sync_resolve_async (sync, options, id, resolution, waiter->cancellable, on_done_cb, waiter);
  wait_for_result (waiter);
  result = gk_sync_resolve_finish (sync, waiter->result, &error);
  if (result == NULL)
    return gk_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "results");
      json_builder_begin_array (builder);
      json_builder_add_value (builder, gk_sync_item_result_to_json (result));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "decision");
      json_builder_add_string_value (builder, decision);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      gk_cli_print_json (cli, root);
    }
  else
    print_result_line (result);

  switch (result->outcome)
    {
    case GK_SYNC_OUTCOME_PUBLISHED:
    case GK_SYNC_OUTCOME_UPDATED:
    case GK_SYNC_OUTCOME_SKIPPED:
      return GK_EXIT_OK;
    default:
      return GK_EXIT_PARTIAL;
    }
}

static int
cmd_sync (GkCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *portal = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *resolve = NULL;
  gboolean allow_insecure = FALSE;
  gboolean dry_run = FALSE;
  gboolean check = FALSE;
  int concurrency = 0;
  GOptionEntry entries[] = {
    { "portal", 0, 0, G_OPTION_ARG_STRING, &portal, N_("the portal API's base URL (default: the library setting portal_url)"), N_("URL") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, N_("read the portal token from this file (else $GONGKAI_PORTAL_TOKEN, else the keyring)"), N_("FILE") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("also trust the certificate authorities in this PEM file"), N_("FILE") },
    { "allow-insecure", 0, 0, G_OPTION_ARG_NONE, &allow_insecure, N_("allow plain http:// to a portal on another computer"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("say what would be sent; send and change nothing"), NULL },
    { "check", 0, 0, G_OPTION_ARG_NONE, &check, N_("compare the portal's documents with the library; change nothing"), NULL },
    { "concurrency", 'j', 0, G_OPTION_ARG_INT, &concurrency, N_("items sent at once (default 4)"), N_("N") },
    { "resolve", 0, 0, G_OPTION_ARG_STRING, &resolve, N_("settle a conflict: keep-portal or overwrite (admin)"), N_("ID") },
    { NULL }
  };
  g_autoptr(GkSyncOptions) options = gk_sync_options_new ();
  g_autoptr(GkSync) sync = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Waiter waiter = { cli, NULL, NULL, NULL };
  int status = 0;

  if (!gk_cli_parse_options (cli, argv[0], entries, &argc, &argv, &status))
    return status;
  if (resolve != NULL ? argc != 2 : argc != 1)
    return gk_cli_usage (cli, argv[0], resolve != NULL
                         ? _("write “sync --resolve ID keep-portal” or “sync --resolve ID overwrite”")
                         : _("unexpected argument “%s”"), argc > 1 ? argv[1] : "");
  if (concurrency < 0 || concurrency > 64)
    return gk_cli_usage (cli, argv[0], _("--concurrency must be between 1 and 64"));
  if ((check ? 1 : 0) + (resolve ? 1 : 0) + (dry_run ? 1 : 0) > 1)
    return gk_cli_usage (cli, argv[0], _("--check, --resolve and --dry-run cannot be combined"));
  if (gk_cli_open_store (cli, &status) == NULL)
    return status;

  if (!gk_store_check_action (cli->store, cli->user,
                              resolve != NULL ? GK_ACTION_RESOLVE : check ? GK_ACTION_CHECK_PORTAL : GK_ACTION_PUBLISH,
                              NULL, &error))
    return gk_cli_fail (cli, error);

  options->portal_url = gk_str_is_blank (portal) ? gk_store_get_setting (cli->store, "portal_url")
                                                 : g_strdup (portal);
  options->ca_file = g_strdup (ca_file);
  options->allow_insecure = allow_insecure;
  options->actor = g_strdup (cli->user);
  options->dry_run = dry_run;
  options->concurrency = (guint) concurrency;
  fill_tuning (options);

  if (!dry_run)
    {
      if (!gk_portal_check_url (options->portal_url, allow_insecure, &error))
        return fail_with_remedy (cli, error, url_remedy (error, options->portal_url));
      options->token = resolve_token (token_file, options->portal_url, &error);
      if (options->token == NULL)
        {
          g_autofree char *remedy = token_remedy (error);

          return fail_with_remedy (cli, error, remedy);
        }
    }

  sync = gk_sync_new (cli->store);
  loop = g_main_loop_new (NULL, FALSE);
  waiter.loop = loop;
  waiter.cancellable = cancellable;

  if (check)
    status = run_check (cli, sync, options, &waiter);
  else if (resolve != NULL)
    status = run_resolve (cli, sync, options, resolve, argv[1], &waiter);
  else
    {
      g_autoptr(GkSyncReport) report = NULL;

      gk_sync_run_async (sync, options, on_progress_cb, cli, NULL, cancellable, on_done_cb, &waiter);
      wait_for_result (&waiter);
      report = gk_sync_run_finish (sync, waiter.result, &error);
      if (report == NULL)
        status = gk_cli_fail (cli, error);
      else
        {
          if (cli->json)
            {
              g_autoptr(JsonNode) node = gk_sync_report_to_json (report);
              gk_cli_print_json (cli, node);
            }
          else
            g_print (_("Published %u, updated %u, withdrawn %u, conflict %u, refused %u, failed %u, "
                       "skipped %u.\n"),
                     gk_sync_report_count (report, GK_SYNC_OUTCOME_PUBLISHED),
                     gk_sync_report_count (report, GK_SYNC_OUTCOME_UPDATED),
                     gk_sync_report_count (report, GK_SYNC_OUTCOME_WITHDRAWN),
                     gk_sync_report_count (report, GK_SYNC_OUTCOME_CONFLICT),
                     gk_sync_report_count (report, GK_SYNC_OUTCOME_REFUSED),
                     gk_sync_report_count (report, GK_SYNC_OUTCOME_FAILED),
                     gk_sync_report_count (report, GK_SYNC_OUTCOME_SKIPPED));
          if (report->stopped)
            g_printerr ("gongkai-ctl: %s\n", report->stop_message);
          if (report->tls_errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
            g_printerr ("gongkai-ctl: %s\n",
                        _ ("Give the agency’s CA file with --ca-file FILE (or set the library "
                           "setting portal_ca_file)."));
          status = gk_sync_report_exit_status (report);
        }
    }

  g_clear_object (&waiter.result);
  return status;
}

/* The withdrawal is queued: send it now when a portal is set and a
 * token is at hand.  TRUE when the portal confirmed it; else *why says
 * why it stays queued, and *tried whether the portal was asked. */
static gboolean
send_withdrawal_now (GkCli       *cli,
                     const char  *id,
                     const char  *token_file,
                     char       **why,
                     gboolean    *tried)
{
  g_autoptr(GkSyncOptions) options = gk_sync_options_new ();
  g_autoptr(GkSync) sync = NULL;
  g_autoptr(GkSyncItemResult) result = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Waiter waiter = { cli, NULL, NULL, NULL };

  *tried = FALSE;
  options->portal_url = gk_store_get_setting (cli->store, "portal_url");
  if (gk_str_is_blank (options->portal_url))
    {
      *why = g_strdup (_("No portal address is set (the library setting portal_url)."));
      return FALSE;
    }
  *tried = TRUE;
  if (!gk_portal_check_url (options->portal_url, FALSE, &error))
    {
      *why = with_remedy (error, url_remedy (error, options->portal_url));
      return FALSE;
    }
  if ((options->token = resolve_token (token_file, options->portal_url, &error)) == NULL)
    {
      g_autofree char *remedy = token_remedy (error);

      *why = with_remedy (error, remedy);
      return FALSE;
    }
  options->actor = g_strdup (cli->user);
  fill_tuning (options);

  sync = gk_sync_new (cli->store);
  loop = g_main_loop_new (NULL, FALSE);
  waiter.loop = loop;
  waiter.cancellable = cancellable;
  gk_sync_send_withdrawal_async (sync, options, id, cancellable, on_done_cb, &waiter);
  wait_for_result (&waiter);
  result = gk_sync_send_withdrawal_finish (sync, waiter.result, &error);
  g_clear_object (&waiter.result);
  if (result == NULL)
    {
      *why = g_strdup (error->message);
      return FALSE;
    }
  if (result->outcome == GK_SYNC_OUTCOME_WITHDRAWN)
    return TRUE;
  *why = g_strdup (result->message ? result->message : gk_sync_outcome_to_label (result->outcome));
  return FALSE;
}

static int
cmd_withdraw (GkCli  *cli,
              int     argc,
              char  **argv)
{
  g_autofree char *reason = NULL;
  g_autofree char *token_file = NULL;
  GOptionEntry entries[] = {
    { "reason", 'r', 0, G_OPTION_ARG_STRING, &reason, N_("why it is withdrawn (kept in the audit)"), N_("TEXT") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, N_("read the portal token from this file (else $GONGKAI_PORTAL_TOKEN, else the keyring)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = NULL;
  g_autofree char *why = NULL;
  gboolean queued = FALSE;
  gboolean sent = FALSE;
  gboolean tried = FALSE;
  int status = 0;

  if (!gk_cli_parse_options (cli, argv[0], entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gk_cli_usage (cli, argv[0], _("give one item"));
  if (gk_str_is_blank (reason))
    return gk_cli_usage (cli, argv[0], _("a withdrawal needs --reason TEXT"));
  if (gk_cli_open_store (cli, &status) == NULL)
    return status;

  if (!gk_sync_withdraw (cli->store, cli->user, argv[1], reason, &queued, &error))
    return gk_cli_fail (cli, error);
  if ((item = gk_cli_get_item (cli, argv[1], &status)) == NULL)
    return status;
  if (queued)
    {
      sent = send_withdrawal_now (cli, item->id, token_file, &why, &tried);
      if (sent)
        {
          g_clear_object (&item);
          if ((item = gk_cli_get_item (cli, argv[1], &status)) == NULL)
            return status;
        }
    }

  if (cli->json)
    {
      g_autoptr(JsonNode) node = gk_cli_item_json (cli, item);
      JsonObject *object = json_node_get_object (node);

      /* withdraw_queued: the DELETE waits in the outbox (not sent, or
       * not confirmed); withdraw_sent: the portal confirmed it now. */
      json_object_set_boolean_member (object, "withdraw_queued", queued && !sent);
      json_object_set_boolean_member (object, "withdraw_sent", sent);
      if (why != NULL)
        json_object_set_string_member (object, "withdraw_message", why);
      else
        json_object_set_null_member (object, "withdraw_message");
      gk_cli_print_json (cli, node);
    }
  else if (sent)
    g_print (_("“%s” is withdrawn from the portal.\n"), item->title ? item->title : item->id);
  else if (queued)
    g_print (_("“%s” is not withdrawn from the portal yet: %s The withdrawal stays queued; "
               "“gongkai-ctl sync” sends it.\n"),
             item->title ? item->title : item->id, why);
  else
    g_print (_("“%s” is withdrawn (it was never sent to the portal).\n"),
             item->title ? item->title : item->id);
  /* Done in part when the portal was asked and did not confirm it. */
  return queued && !sent && tried ? GK_EXIT_PARTIAL : GK_EXIT_OK;
}

/* The keyring could not be reached (GK_ERROR_FAILED) or is locked: say
 * how to do without it. */
static int
fail_keyring (GkCli *cli, const GError *error)
{
  g_autofree char *remedy = g_error_matches (error, GK_ERROR, GK_ERROR_FAILED) ||
                                    gk_error_get_detail (error) == GK_ERROR_DETAIL_KEYRING_LOCKED
                                ? token_remedy (error)
                                : NULL;

  return fail_with_remedy (cli, error, remedy);
}

static int
cmd_token (GkCli  *cli,
           int     argc,
           char  **argv)
{
  g_autofree char *portal = NULL;
  g_autofree char *token_file = NULL;
  GOptionEntry entries[] = {
    { "portal", 0, 0, G_OPTION_ARG_STRING, &portal, N_("the portal API's base URL (default: the library setting portal_url)"), N_("URL") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, N_("read the token to store from this file (else $GONGKAI_PORTAL_TOKEN, else standard input)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *warning = NULL;
  g_autoptr(GkMember) member = NULL;
  int status = 0;

  if (!gk_cli_parse_options (cli, argv[0], entries, &argc, &argv, &status))
    return status;
  if (argc != 2 || (strcmp (argv[1], "store") != 0 && strcmp (argv[1], "clear") != 0 &&
                    strcmp (argv[1], "status") != 0))
    return gk_cli_usage (cli, argv[0], _("say “store”, “clear” or “status”"));

  /* Storing and forgetting are the admin's: the library says who that is. */
  if ((gk_str_is_blank (portal) || strcmp (argv[1], "status") != 0) &&
      gk_cli_open_store (cli, &status) == NULL)
    return status;
  if (cli->store != NULL)
    member = gk_store_get_member (cli->store, cli->user);
  if (gk_str_is_blank (portal))
    url = gk_store_get_setting (cli->store, "portal_url");
  else
    url = g_strdup (portal);
  if (!gk_portal_check_url (url, TRUE, &error))
    return fail_with_remedy (cli, error, url_remedy (error, url));

  if (strcmp (argv[1], "store") == 0)
    {
      char *token = NULL;

      if (!gk_policy_check (NULL, member, GK_ACTION_STORE_TOKEN, NULL, &error))
        return gk_cli_fail (cli, error);
      if (token_file != NULL)
        token = gk_token_read_file (token_file, &warning, &error);
      else if ((token = gk_token_from_environment (&error)) == NULL && error == NULL)
        {
          char line[4096 + 2];

          if (isatty (STDIN_FILENO))
            g_printerr ("%s", _("Portal token: "));
          if (fgets (line, sizeof line, stdin) != NULL)
            {
              g_strstrip (line);
              if (gk_token_is_valid (line))
                token = g_strdup (line);
            }
          memset (line, 0, sizeof line);
          if (token == NULL)
            g_set_error_literal (&error, GK_ERROR, GK_ERROR_INVALID,
                                 _("No usable token was given on standard input."));
        }
      if (warning != NULL)
        g_printerr ("gongkai-ctl: %s\n", warning);
      if (token == NULL)
        return gk_cli_fail (cli, error);
      if (!gk_token_keyring_store (member, url, token, NULL, &error))
        {
          gk_token_free (token);
          return fail_keyring (cli, error);
        }
      gk_token_free (token);
      g_print (_("The token for %s is stored in the keyring.\n"), url);
    }
  else if (strcmp (argv[1], "clear") == 0)
    {
      if (!gk_token_keyring_clear (member, url, NULL, &error))
        return gk_cli_fail (cli, error);
      g_print (_("No token for %s is stored in the keyring any more.\n"), url);
    }
  else
    {
      char *token = gk_token_keyring_lookup (url, NULL, &error);

      if (token == NULL && error != NULL)
        return fail_keyring (cli, error);
      g_print (token != NULL ? _("A token for %s is stored in the keyring.\n")
                             : _("No token for %s is stored in the keyring.\n"), url);
      gk_token_free (token);
    }
  return GK_EXIT_OK;
}

const GkCliCommand gk_cli_sync_commands[] = {
  { "sync", "[--portal URL] [--token-file F] [--ca-file F] [--allow-insecure] [--dry-run] [--check] "
            "[--concurrency N] [--resolve ID keep-portal|overwrite]",
    N_("publish approved items to the portal, apply withdrawals, check or settle conflicts"), cmd_sync },
  { "withdraw", "ID --reason TEXT [--token-file F]",
    N_("withdraw an item from public view (撤回), at once when the portal answers"), cmd_withdraw },
  { "token", "store|clear|status [--portal URL] [--token-file F]", N_("the portal token in the keyring"), cmd_token },
  { NULL }
};
