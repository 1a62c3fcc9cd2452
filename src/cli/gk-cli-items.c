/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkCli"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gk-calendar.h"
#include "gk-cli.h"
#include "gk-deadline.h"
#include "gk-import-warnings.h"
#include "gk-importer.h"
#include "gk-screening.h"
#include "gk-sync.h"
#include "gk-util.h"

/* ---- shared output helpers (declared in gk-cli.h) ---- */

/* A file name may hold line breaks and other control characters, and
 * bytes that are no UTF-8: show them escaped, so that no name can fake
 * lines of the output and the output stays text. */
static char *
printable (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = text ? text : "";

  while (*p)
    {
      const char *end = NULL;
      guchar c = (guchar) *p;

      if (c < 0x20 || c == 0x7f)
        {
          g_string_append_printf (out, "\\x%02x", c);
          p++;
        }
      else if (c < 0x80)
        g_string_append_c (out, *p++);
      else if (g_utf8_validate (p, (gssize) strnlen (p, 4), &end) || end > p)
        {
          const char *next = g_utf8_next_char (p);

          g_string_append_len (out, p, next - p);
          p = next;
        }
      else
        {
          g_string_append_printf (out, "\\x%02x", c);
          p++;
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The library's calendar (its years, gk-store.h), else the shipped one. */
static GkCalendar *
cli_calendar (GkCli *cli)
{
  static GkCalendar *calendar;

  if (calendar == NULL)
    calendar = cli->store != NULL ? gk_store_get_calendar (cli->store) : gk_calendar_new_default ();
  return calendar;
}

/**
 * gk_cli_item_json:
 * @cli: the command line state
 * @item: an item
 *
 * Returns: (transfer full): the item as --json prints it, with
 *   days_left (working days to the disclosure deadline) when due, and
 *   withdraw_pending (a withdrawal the portal has not confirmed yet)
 *   with withdraw_error (the last failure to send it)
 */
JsonNode *
gk_cli_item_json (GkCli  *cli,
                  GkItem *item)
{
  JsonNode *node = gk_item_to_json (item);
  JsonObject *object = json_node_get_object (node);
  g_autofree char *withdraw_error = NULL;
  gboolean pending = cli->store != NULL && gk_sync_withdrawal_pending (cli->store, item->id, &withdraw_error);
  GkDeadlineState deadline;
  int left;

  json_object_set_boolean_member (object, "withdraw_pending", pending);
  if (withdraw_error != NULL)
    json_object_set_string_member (object, "withdraw_error", withdraw_error);
  else
    json_object_set_null_member (object, "withdraw_error");
  /* A library written before public addresses were checked may hold
   * another kind of link: never hand it on. */
  if (item->public_url != NULL && !gk_url_is_http (item->public_url))
    json_object_set_null_member (object, "public_url");

  if ((deadline = gk_deadline_for_item (item, cli_calendar (cli), NULL, &left)) != GK_DEADLINE_NONE)
    {
      json_object_set_int_member (object, "days_left", left);
      json_object_set_boolean_member (object, "overdue", deadline == GK_DEADLINE_OVERDUE);
    }
  else
    json_object_set_null_member (object, "days_left");
  return node;
}

static char *
due_text (GkCli *cli, GkItem *item)
{
  int left;
  GkDeadlineState deadline = gk_deadline_for_item (item, cli_calendar (cli), NULL, &left);

  if (deadline == GK_DEADLINE_NONE)
    return g_strdup ("");
  if (deadline == GK_DEADLINE_OVERDUE)
    return g_strdup_printf (_("overdue %d working days"), -left);
  return g_strdup_printf (_("due in %d working days"), left);
}

/**
 * gk_cli_print_item_line:
 * @cli: the command line state
 * @item: an item
 *
 * Prints "id8  state  文号  title  due" on one line.
 */
void
gk_cli_print_item_line (GkCli  *cli,
                        GkItem *item)
{
  g_autofree char *due = due_text (cli, item);
  g_autofree char *short_id = g_strndup (item->id, 8);
  g_autofree char *title = printable (item->title ? item->title : item->file_name);
  gboolean pending = cli->store != NULL && gk_sync_withdrawal_pending (cli->store, item->id, NULL);

  g_print ("%s  %s  %s  %s%s%s%s%s\n",
           short_id,
           gk_state_to_label (item->state),
           item->doc_number ? item->doc_number : "—",
           title,
           *due ? "  · " : "", due,
           pending ? "  · " : "", pending ? _("withdrawal pending") : "");
}

/* ---- init ---- */

static int
cmd_init (GkCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *admin = NULL;
  g_autofree char *org_code = NULL;
  g_autofree char *agency = NULL;
  GOptionEntry entries[] = {
    { "admin", 0, 0, G_OPTION_ARG_STRING, &admin, N_("the first administrator (default: the acting user)"), N_("USER") },
    { "org-code", 0, 0, G_OPTION_ARG_STRING, &org_code, N_("the agency's organisation code, for 索引号"), N_("CODE") },
    { "agency", 0, 0, G_OPTION_ARG_STRING, &agency, N_("the agency's full name"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GkStore) existing = NULL;
  int status = 0;
  gboolean created;

  if (!gk_cli_parse_options (cli, argv[0], entries, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return gk_cli_usage (cli, argv[0], _("unexpected argument “%s”"), argv[1]);
  /* Before the library is made: a refused value must not leave one
   * behind (a new library has the default template). */
  if ((org_code != NULL && !gk_setting_check ("org_code", org_code, NULL, NULL, GK_SETTING_FLAGS_NONE, &error)) ||
      (agency != NULL && !gk_setting_check ("agency_name", agency, NULL, NULL, GK_SETTING_FLAGS_NONE, &error)))
    return gk_cli_fail (cli, error);

  existing = gk_store_open (cli->library, FALSE, &error);
  created = existing == NULL;
  if (existing == NULL && !g_error_matches (error, GK_ERROR, GK_ERROR_NOT_FOUND))
    return gk_cli_fail (cli, error);
  g_clear_error (&error);

  if (created)
    {
      cli->store = gk_store_open (cli->library, TRUE, &error);
      if (cli->store == NULL)
        return gk_cli_fail (cli, error);
      if (!gk_store_add_first_admin (cli->store, cli->user, admin ? admin : cli->user, FALSE, &error))
        return gk_cli_fail (cli, error);
      if (org_code != NULL &&
          !gk_store_set_setting (cli->store, admin ? admin : cli->user, "org_code", org_code, &error))
        return gk_cli_fail (cli, error);
      if (agency != NULL &&
          !gk_store_set_setting (cli->store, admin ? admin : cli->user, "agency_name", agency, &error))
        return gk_cli_fail (cli, error);
    }
  else
    cli->store = g_steal_pointer (&existing);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "library");
      {
        g_autofree char *shown = g_filename_display_name (gk_store_get_path (cli->store));

        json_builder_add_string_value (b, shown);
      }
      json_builder_set_member_name (b, "created");
      json_builder_add_boolean_value (b, created);
      json_builder_set_member_name (b, "schema_version");
      json_builder_add_int_value (b, gk_store_get_schema_version (cli->store));
      json_builder_end_object (b);
      {
        g_autoptr(JsonNode) root = json_builder_get_root (b);
        gk_cli_print_json (cli, root);
      }
    }
  else if (created)
    {
      g_autofree char *shown = g_filename_display_name (gk_store_get_path (cli->store));

      g_print (_("Created the library at %s; %s is its administrator.\n"), shown, admin ? admin : cli->user);
    }
  else
    {
      g_autofree char *shown = g_filename_display_name (gk_store_get_path (cli->store));

      g_print (_("The library at %s already exists; nothing changed.\n"), shown);
    }
  return GK_EXIT_OK;
}

/* ---- member ---- */

static int
cmd_member (GkCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *role_text = NULL;
  GOptionEntry entries[] = {
    { "role", 'r', 0, G_OPTION_ARG_STRING, &role_text, N_("roles: drafter, reviewer, publisher, admin (comma-separated)"), N_("ROLE[,ROLE…]") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *action;

  if (!gk_cli_parse_options (cli, argv[0], entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return gk_cli_usage (cli, argv[0], _("say “add”, “set”, “remove” or “list”"));
  if (gk_cli_open_store (cli, &status) == NULL)
    return status;

  action = argv[1];
  if (strcmp (action, "list") == 0)
    {
      g_autoptr(GPtrArray) members = gk_store_list_members (cli->store);

      if (cli->json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "members");
          json_builder_begin_array (b);
          for (guint i = 0; i < members->len; i++)
            {
              GkMember *m = g_ptr_array_index (members, i);
              g_autofree char *roles = gk_roles_to_string (m->roles);
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "user");
              json_builder_add_string_value (b, m->user);
              json_builder_set_member_name (b, "roles");
              json_builder_begin_array (b);
              {
                g_auto(GStrv) parts = g_strsplit (roles, ",", -1);
                for (guint j = 0; parts[j]; j++)
                  if (*parts[j])
                    json_builder_add_string_value (b, parts[j]);
              }
              json_builder_end_array (b);
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
          json_builder_end_object (b);
          root = json_builder_get_root (b);
          gk_cli_print_json (cli, root);
        }
      else
        for (guint i = 0; i < members->len; i++)
          {
            GkMember *m = g_ptr_array_index (members, i);
            g_autofree char *roles = gk_roles_to_string (m->roles);
            g_print ("%-20s %s\n", m->user, roles);
          }
      return GK_EXIT_OK;
    }

  if (strcmp (action, "add") == 0 || strcmp (action, "set") == 0 || strcmp (action, "remove") == 0)
    {
      GkRole roles = 0;
      const char *user;

      if (argc != 3)
        return gk_cli_usage (cli, argv[0], _("name one user"));
      user = argv[2];
      if (strcmp (action, "remove") != 0)
        {
          if (role_text == NULL)
            return gk_cli_usage (cli, argv[0], _("--role is required"));
          if (!gk_roles_parse (role_text, &roles, &error))
            return gk_cli_usage (cli, argv[0], "%s", error->message);
        }
      if (strcmp (action, "add") == 0)
        roles |= gk_store_get_roles (cli->store, user);
      if (!gk_store_set_member (cli->store, cli->user, user, roles, &error))
        return gk_cli_fail (cli, error);
      if (!cli->json)
        {
          g_autofree char *now = gk_roles_to_string (gk_store_get_roles (cli->store, user));
          g_print (_("%s: %s\n"), user, *now ? now : _("no roles"));
        }
      else
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;
          g_autofree char *now = gk_roles_to_string (gk_store_get_roles (cli->store, user));

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "user");
          json_builder_add_string_value (b, user);
          json_builder_set_member_name (b, "roles");
          json_builder_add_string_value (b, now);
          json_builder_end_object (b);
          root = json_builder_get_root (b);
          gk_cli_print_json (cli, root);
        }
      return GK_EXIT_OK;
    }

  return gk_cli_usage (cli, argv[0], _("unknown member action “%s”"), action);
}

/* ---- import ---- */

typedef struct
{
  GkCli   *cli;
  gboolean tty;
} ImportProgress;

static void
on_import_progress (guint                 done,
                    guint                 total,
                    const GkImportResult *result,
                    gpointer              user_data)
{
  ImportProgress *p = user_data;

  if (p->tty)
    {
      g_autofree char *base = g_path_get_basename (result->path);
      g_autofree char *shown = printable (base);

      g_printerr ("\r\033[K[%u/%u] %s", done, total, shown);
      if (done == total)
        g_printerr ("\r\033[K");
    }
}

static int
cmd_import (GkCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *password = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *published = NULL;
  int jobs = 0;
  GOptionEntry     entries[] = {
        { "password", 0, 0, G_OPTION_ARG_STRING, &password, N_ ("user password for encrypted PDFs"),
          N_ ("PASSWORD") },
        { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
          N_ ("read the PDF password from a file"), N_ ("FILE") },
        { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
          N_ ("files imported at once (default: one per core)"), N_ ("N") },
        { "published", 0, 0, G_OPTION_ARG_STRING, &published,
          N_ ("the documents are already public, since DATE (no deadline runs)"), N_ ("DATE") },
        { NULL }
  };
  g_autoptr(GkImporter) importer = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  ImportProgress progress = { cli, FALSE };
  guint n_imported = 0, n_duplicate = 0, n_failed = 0, n_warned = 0;
  int status = 0;

  if (!gk_cli_parse_options (cli, argv[0], entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return gk_cli_usage (cli, argv[0], _("name at least one file or folder"));
  if (jobs < 0)
    return gk_cli_usage (cli, argv[0], _("--jobs must be positive"));
  if (published != NULL && !gk_date_is_valid (published))
    return gk_cli_usage (cli, argv[0], _ ("--published takes a date as YYYY-MM-DD"));
  if (gk_cli_open_store (cli, &status) == NULL)
    return status;
  if (!gk_store_check_action (cli->store, cli->user, GK_ACTION_IMPORT, NULL, &error))
    return gk_cli_fail (cli, error);

  if (password_file != NULL)
    {
      g_autofree char *contents = NULL;
      if (!g_file_get_contents (password_file, &contents, NULL, &error))
        return gk_cli_fail (cli, error);
      g_free (password);
      password = g_strdup (g_strchomp (contents));
    }

  importer = gk_importer_new (cli->store, cli->user);
  gk_importer_set_password (importer, password);
  gk_importer_set_publish_date (importer, published);
  gk_importer_set_max_workers (importer, (guint) jobs);
  progress.tty = !cli->json && isatty (STDERR_FILENO);

  results = gk_importer_import_sync (importer, (const char *const *) argv + 1,
                                     on_import_progress, &progress, NULL, &error);
  if (results == NULL)
    return gk_cli_fail (cli, error);

  for (guint i = 0; i < results->len; i++)
    {
      GkImportResult *r = g_ptr_array_index (results, i);

      if (r->status == GK_IMPORT_IMPORTED && r->warning != NULL)
        n_warned++;
      switch (r->status)
        {
        case GK_IMPORT_IMPORTED: n_imported++; break;
        case GK_IMPORT_DUPLICATE: n_duplicate++; break;
        case GK_IMPORT_FAILED: default: n_failed++; break;
        }
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "results");
      json_builder_begin_array (b);
      for (guint i = 0; i < results->len; i++)
        json_builder_add_value (b, gk_import_result_to_json (g_ptr_array_index (results, i)));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "summary");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "imported");
      json_builder_add_int_value (b, n_imported);
      json_builder_set_member_name (b, "duplicate");
      json_builder_add_int_value (b, n_duplicate);
      json_builder_set_member_name (b, "failed");
      json_builder_add_int_value (b, n_failed);
      json_builder_set_member_name (b, "with_warnings");
      json_builder_add_int_value (b, n_warned);
      json_builder_end_object (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      gk_cli_print_json (cli, root);
    }
  else
    {
      for (guint i = 0; i < results->len; i++)
        {
          GkImportResult *r = g_ptr_array_index (results, i);
          g_autofree char *short_id = r->id ? g_strndup (r->id, 8) : g_strdup ("--------");
          g_autofree char *path = printable (r->path);

          switch (r->status)
            {
            case GK_IMPORT_IMPORTED:
              g_print (_("imported   %s  %s\n"), short_id, path);
              if (r->detected && r->detected->title)
                g_print ("           %s%s%s\n", r->detected->doc_number ? r->detected->doc_number : "",
                         r->detected->doc_number ? "  " : "", r->detected->title);
              for (guint w = 0; r->warnings && w < json_array_get_length (r->warnings); w++)
                {
                  g_autofree char *text =
                    gk_import_warning_to_text (json_array_get_object_element (r->warnings, w));

                  if (text != NULL)
                    g_print (_("           warning: %s\n"), text);
                }
              if (r->findings && r->findings->len > 0)
                g_print (ngettext ("           %u screening finding: check it before review\n",
                                   "           %u screening findings: check them before review\n",
                                   r->findings->len), r->findings->len);
              break;
            case GK_IMPORT_DUPLICATE:
              g_print (_("duplicate  %s  %s (already in the library)\n"), short_id, path);
              break;
            case GK_IMPORT_FAILED:
            default:
              g_printerr (_("failed     %s: %s\n"), path, r->error);
              break;
            }
        }
      g_print (_("%u imported, %u duplicates, %u failed.\n"), n_imported, n_duplicate, n_failed);
      if (n_warned > 0)
        g_print (g_dngettext (GETTEXT_PACKAGE,
                              "%u imported file has warnings (above): check its record before "
                              "submitting it.\n",
                              "%u imported files have warnings (above): check their records "
                              "before submitting them.\n",
                              n_warned),
                 n_warned);
    }

  return n_failed > 0 ? GK_EXIT_PARTIAL : GK_EXIT_OK;
}

/* ---- list / search ---- */

static int
print_items (GkCli     *cli,
             GPtrArray *items,
             guint      total)
{
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "items");
      json_builder_begin_array (b);
      for (guint i = 0; i < items->len; i++)
        json_builder_add_value (b, gk_cli_item_json (cli, g_ptr_array_index (items, i)));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "total");
      json_builder_add_int_value (b, total);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      gk_cli_print_json (cli, root);
    }
  else
    {
      for (guint i = 0; i < items->len; i++)
        gk_cli_print_item_line (cli, g_ptr_array_index (items, i));
      if (items->len == 0)
        g_printerr ("%s\n", _("No matching items."));
      if (total > items->len)
        g_print (_("(%u of %u shown; use --limit and --offset for more)\n"), items->len, total);
    }
  return GK_EXIT_OK;
}

static int
run_query (GkCli   *cli,
           GkQuery *query,
           int      offset,
           int      limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint total;

  items = gk_store_query (cli->store, query, (guint) offset, (guint) limit, &error);
  if (items == NULL)
    return gk_cli_fail (cli, error);
  total = gk_store_count (cli->store, query, &error);
  if (error != NULL)
    return gk_cli_fail (cli, error);
  return print_items (cli, items, total);
}

static int
cmd_list (GkCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *state = NULL, *tag = NULL, *text = NULL, *category = NULL;
  g_autofree char *sort = NULL, *from = NULL, *to = NULL, *stage = NULL;
  gboolean mine = FALSE, desc = FALSE;
  int due_within = -1, expiring = -1, limit = 200, offset = 0;
  GOptionEntry entries[] = {
    { "state", 's', 0, G_OPTION_ARG_STRING, &state, N_("draft, in_review, returned, approved, published or withdrawn"), N_("STATE") },
    { "stage", 0, 0, G_OPTION_ARG_STRING, &stage, N_("confidentiality or release (with --state in_review)"), N_("STAGE") },
    { "tag", 't', 0, G_OPTION_ARG_STRING, &tag, N_("only items with this tag"), N_("TAG") },
    { "category", 'c', 0, G_OPTION_ARG_STRING, &category, N_("only items of this category"), N_("CATEGORY") },
    { "query", 'q', 0, G_OPTION_ARG_STRING, &text, N_("full-text search in title, 文号, issuer and text"), N_("TEXT") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("written on or after this date"), N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("written on or before this date"), N_("YYYY-MM-DD") },
    { "due-within", 0, 0, G_OPTION_ARG_INT, &due_within, N_("disclosure due within N working days (overdue included)"), N_("N") },
    { "expiring-within", 0, 0, G_OPTION_ARG_INT, &expiring, N_("validity ends within N days"), N_("N") },
    { "mine", 0, 0, G_OPTION_ARG_NONE, &mine, N_("only items I imported"), NULL },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort, N_("written_date, title, doc_number, issuer, state, due or created"), N_("FIELD") },
    { "desc", 0, 0, G_OPTION_ARG_NONE, &desc, N_("sort descending"), NULL },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("at most N items (default 200)"), N_("N") },
    { "offset", 0, 0, G_OPTION_ARG_INT, &offset, N_("skip the first N items"), N_("N") },
    { NULL }
  };
  GkQuery query = { 0 };
  g_autofree char *expiring_before = NULL;
  GkQueryState     parsed_state = GK_QUERY_ANY_STATE;
  int status = 0;

  if (!gk_cli_parse_options (cli, argv[0], entries, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return gk_cli_usage (cli, argv[0], _("unexpected argument “%s”"), argv[1]);
  if (!gk_query_state_parse (state, &parsed_state, NULL))
    return gk_cli_usage (cli, argv[0], _("unknown state “%s” (draft, in_review, returned, approved, published, withdrawn)"), state);
  if ((from && !gk_date_is_valid (from)) || (to && !gk_date_is_valid (to)))
    return gk_cli_usage (cli, argv[0], _("dates are written YYYY-MM-DD"));
  if (limit <= 0 || offset < 0)
    return gk_cli_usage (cli, argv[0], _("--limit must be positive and --offset not negative"));
  if (gk_cli_open_store (cli, &status) == NULL)
    return status;

  if (expiring >= 0)
    {
      g_autofree char *today = gk_date_today ();
      g_autoptr(GDate) date = gk_date_parse (today);
      g_date_add_days (date, (guint) expiring);
      expiring_before = gk_date_format (date);
    }

  query.state = parsed_state;
  query.stage = stage;
  query.tag = tag;
  query.category = category;
  query.text = text;
  query.from_date = from;
  query.to_date = to;
  query.created_by = mine ? cli->user : NULL;
  query.expiring_before = expiring_before;
  query.due_within = due_within >= 0 ? MAX (due_within, 0) : 0;
  if (due_within == 0)
    query.due_within = -1; /* overdue or due today */
  query.sort = sort;
  query.descending = desc;
  return run_query (cli, &query, offset, limit);
}

static int
cmd_search (GkCli  *cli,
            int     argc,
            char  **argv)
{
  int limit = 100;
  GOptionEntry entries[] = {
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("at most N items (default 100)"), N_("N") },
    { NULL }
  };
  g_autofree char *text = NULL;
  GkQuery query = { 0 };
  int status = 0;

  if (!gk_cli_parse_options (cli, argv[0], entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return gk_cli_usage (cli, argv[0], _("say what to search for"));
  if (limit <= 0)
    return gk_cli_usage (cli, argv[0], _("--limit must be positive"));
  text = g_strjoinv (" ", argv + 1);
  if (gk_str_is_blank (text))
    return gk_cli_usage (cli, argv[0], _("say what to search for"));
  if (gk_cli_open_store (cli, &status) == NULL)
    return status;
  query.text = text;
  return run_query (cli, &query, 0, limit);
}

/* ---- show ---- */

/* A sentence put in parentheses loses its full stop. */
static char *
without_full_stop (const char *text)
{
  char *copy = g_strdup (text);
  gsize len = strlen (copy);

  if (len > 0 && copy[len - 1] == '.')
    copy[len - 1] = '\0';
  else if (g_str_has_suffix (copy, "。"))
    copy[len - strlen ("。")] = '\0';
  return copy;
}


static void
print_field (const char *label,
             const char *value)
{
  g_autofree char *shown = printable (value && *value ? value : "—");

  /* Translators: a field and its value in “gongkai-ctl show” */
  g_print (_("%s: %s\n"), label, shown);
}

static int
cmd_show (GkCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GkItem) item = NULL;
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

  if (cli->json)
    {
      g_autoptr(JsonNode) node = gk_cli_item_json (cli, item);
      gk_cli_print_json (cli, node);
      return GK_EXIT_OK;
    }

  print_field (_("ID"), item->id);
  {
    g_autofree char *state = item->stage != GK_STAGE_NONE
      ? g_strdup_printf ("%s (%s)", gk_state_to_label (item->state), gk_stage_to_label (item->stage))
      : g_strdup (gk_state_to_label (item->state));
    print_field (_("State"), state);
  }
  {
    g_autofree char *rev = g_strdup_printf ("%" PRId64, item->revision);
    print_field (_("Revision"), rev);
  }
  for (const char *const *f = gk_item_field_names (); *f; f++)
    {
      g_autofree char *value = gk_item_get_field (item, *f);
      if (strcmp (*f, "category") == 0 && value)
        {
          g_autofree char *both = g_strdup_printf ("%s (%s)", gk_category_to_label (value), value);
          print_field (gk_item_field_label (*f), both);
        }
      else if (strcmp (*f, "disclosure") == 0)
        print_field (gk_item_field_label (*f), gk_disclosure_to_label (value));
      else
        print_field (gk_item_field_label (*f), value);
    }
  {
    g_autofree char *file = g_strdup_printf (ngettext ("%s (%d page, %s)", "%s (%d pages, %s)", item->pages),
                                             item->file_name ? item->file_name : "",
                                             item->pages, item->file_sha256 ? item->file_sha256 : "");
    print_field (_("File"), file);
  }
  {
    g_autofree char *due = due_text (cli, item);
    if (item->due_date)
      {
        g_autofree char *both = g_strdup_printf ("%s (%s)", item->due_date, due);
        print_field (_("Disclosure due"), both);
      }
  }
  {
    /* What the import could not read stays with the item: whoever checks
     * the record must see that it was not (fully) read. */
    g_autoptr(JsonArray) warnings = gk_import_warnings_from_detected_json (item->detected_json);

    for (guint i = 0; warnings != NULL && i < json_array_get_length (warnings); i++)
      {
        g_autofree char *text = gk_import_warning_to_text (json_array_get_object_element (warnings, i));

        if (text != NULL)
          g_print (_("Note from the import: %s\n"), text);
      }
    if (warnings == NULL && (item->flags & GK_ITEM_FLAG_NEEDS_OCR))
      g_print ("%s\n", _("Note: no text layer; this document needs OCR."));
    if (warnings == NULL && (item->flags & GK_ITEM_FLAG_NEEDS_ATTENTION))
      g_print ("%s\n", _("Note: the first page could not be read; check the record by hand."));
  }
  if (item->flags & GK_ITEM_FLAG_CONFLICT)
    g_print ("%s\n", _("Note: the portal's copy changed (conflict); an administrator must decide."));
  if (item->public_url && gk_url_is_http (item->public_url))
    print_field (_("Public page"), item->public_url);
  {
    g_autofree char *withdraw_error = NULL;

    if (gk_sync_withdrawal_pending (cli->store, item->id, &withdraw_error))
      {
        if (withdraw_error != NULL)
          {
            g_autofree char *stopped = without_full_stop (withdraw_error);
            g_autofree char *shown = printable (stopped);

            g_print (_("Note: the withdrawal is pending: the portal has not confirmed it yet (last "
                       "try: %s). “gongkai-ctl sync” sends it again.\n"), shown);
          }
        else
          g_print ("%s\n", _("Note: the withdrawal is pending: it has not been sent to the portal yet. "
                              "“gongkai-ctl sync” sends it."));
      }
  }
  if (item->findings && item->findings->len > 0)
    {
      g_print ("%s\n", _("Screening findings:"));
      for (guint i = 0; i < item->findings->len; i++)
        {
          GkFinding *f = g_ptr_array_index (item->findings, i);
          /* Translators: finding id, kind, value, page, status, then " — reason" */
          g_print (_("  #%" PRId64 "  %s  %s  page %d  %s%s%s\n"),
                   f->id, gk_finding_kind_to_label (f->kind), f->value, f->page,
                   gk_finding_status_to_label (f->status),
                   f->reason ? " — " : "", f->reason ? f->reason : "");
        }
    }
  return GK_EXIT_OK;
}

/* ---- edit / tag ---- */

static int
save_edited (GkCli  *cli,
             GkItem *edited)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) saved = NULL;
  GkState before = edited->state;
  gint64 revision = edited->revision;

  if (!gk_store_update_item (cli->store, cli->user, edited, &error))
    return gk_cli_fail (cli, error);

  /* Say what the edit did to the workflow: people must not miss it. */
  if (edited->revision != revision)
    g_printerr (_("gongkai-ctl: this edit made revision %" PRId64 "; its approval is void "
                  "until it is submitted and reviewed again.\n"), edited->revision);
  else if (before == GK_STATE_IN_REVIEW && edited->state == GK_STATE_DRAFT)
    g_printerr ("%s\n", _("gongkai-ctl: the item was in review; the edit took it back to draft. "
                          "Submit it again."));
  saved = gk_store_get_item (cli->store, edited->id, &error);
  if (saved == NULL)
    return gk_cli_fail (cli, error);
  if (cli->json)
    {
      g_autoptr(JsonNode) node = gk_cli_item_json (cli, saved);
      gk_cli_print_json (cli, node);
    }
  else
    g_print (_("Saved %s (revision %" PRId64 ", %s).\n"),
             saved->title ? saved->title : saved->id, saved->revision,
             gk_state_to_label (saved->state));
  return GK_EXIT_OK;
}

static int
cmd_edit (GkCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GkItem) item = NULL;
  g_autoptr(GkItem) edited = NULL;
  int status = 0;

  if (!gk_cli_parse_options (cli, argv[0], NULL, &argc, &argv, &status))
    return status;
  if (argc < 3)
    return gk_cli_usage (cli, argv[0], _("name an item and at least one FIELD=VALUE"));
  for (int i = 2; i < argc; i++)
    if (strchr (argv[i], '=') == NULL)
      return gk_cli_usage (cli, argv[0], _("“%s” is not FIELD=VALUE"), argv[i]);
  if (gk_cli_open_store (cli, &status) == NULL)
    return status;
  item = gk_cli_get_item (cli, argv[1], &status);
  if (item == NULL)
    return status;

  edited = gk_item_copy (item);
  for (int i = 2; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) pair = g_strsplit (argv[i], "=", 2);

      const char *field = g_strstrip (pair[0]);
      g_autofree char *value = NULL;

      /* interprets and related take item ids: accept what every other
       * command accepts (a prefix or a 索引号) and store the full id. */
      if ((strcmp (field, "interprets") == 0 || strcmp (field, "related") == 0) &&
          g_utf8_validate (pair[1], -1, NULL))
        {
          g_auto(GStrv) refs = gk_strv_from_list (pair[1]);
          g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

          for (guint r = 0; refs[r]; r++)
            {
              g_autoptr(GkItem) target = gk_cli_get_item (cli, refs[r], &status);
              if (target == NULL)
                return status;
              g_ptr_array_add (ids, g_strdup (target->id));
            }
          g_ptr_array_add (ids, NULL);
          value = g_strjoinv (",", (GStrv) ids->pdata);
        }
      else
        value = g_strdup (pair[1]);

      if (!gk_item_set_field (edited, field, value, &error))
        return gk_cli_fail (cli, error);
    }
  return save_edited (cli, edited);
}

static int
cmd_tag (GkCli  *cli,
         int     argc,
         char  **argv)
{
  g_autoptr(GkItem) item = NULL;
  g_autoptr(GkItem) edited = NULL;
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  int status = 0;

  if (!gk_cli_parse_options (cli, argv[0], NULL, &argc, &argv, &status))
    return status;
  if (argc < 3)
    return gk_cli_usage (cli, argv[0], _("name an item and at least one +TAG or -TAG"));
  for (int i = 2; i < argc; i++)
    if ((argv[i][0] != '+' && argv[i][0] != '-') || argv[i][1] == '\0')
      return gk_cli_usage (cli, argv[0], _("“%s”: write +TAG to add a tag or -TAG to remove one"), argv[i]);
  if (gk_cli_open_store (cli, &status) == NULL)
    return status;
  item = gk_cli_get_item (cli, argv[1], &status);
  if (item == NULL)
    return status;

  for (guint i = 0; item->tags && item->tags[i]; i++)
    g_ptr_array_add (tags, g_strdup (item->tags[i]));
  for (int i = 2; i < argc; i++)
    {
      const char *name = argv[i] + 1;
      guint index;
      gboolean present = g_ptr_array_find_with_equal_func (tags, name, g_str_equal, &index);

      if (argv[i][0] == '+' && !present)
        g_ptr_array_add (tags, g_strdup (name));
      else if (argv[i][0] == '-' && present)
        g_ptr_array_remove_index (tags, index);
    }
  g_ptr_array_add (tags, NULL);

  edited = gk_item_copy (item);
  g_strfreev (edited->tags);
  edited->tags = g_strdupv ((GStrv) tags->pdata);
  return save_edited (cli, edited);
}

/* ---- screen ---- */

static int
cmd_screen (GkCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GkItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) pages = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *word_text = NULL;
  g_autoptr(GPtrArray) findings = NULL;
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

  pages = gk_store_get_page_texts (cli->store, item->id, &error);
  if (pages == NULL)
    return gk_cli_fail (cli, error);
  word_text = gk_store_get_setting (cli->store, "sensitive_words");
  words = word_text ? gk_strv_from_list (word_text) : NULL;
  findings = gk_screening_scan ((const char *const *) pages, g_strv_length (pages),
                                (const char *const *) words);
  if (!gk_store_replace_findings (cli->store, cli->user, item->id, findings, &error))
    return gk_cli_fail (cli, error);

  g_clear_object (&item);
  item = gk_cli_get_item (cli, argv[1], &status);
  if (item == NULL)
    return status;
  if (cli->json)
    {
      g_autoptr(JsonNode) node = gk_cli_item_json (cli, item);
      gk_cli_print_json (cli, node);
    }
  else
    g_print (ngettext ("%u finding.\n", "%u findings.\n", item->findings ? item->findings->len : 0),
             item->findings ? item->findings->len : 0);
  return GK_EXIT_OK;
}

/* ---- audit ---- */

static void
print_cleanup (const GkStoreCleanup *cleanup)
{
  if (cleanup->skipped)
    g_print ("%s\n", _("Leftovers of interrupted imports were not looked for: an import is running, "
                       "or the library could not be read."));
  if (cleanup->n_partial > 0)
    g_print (ngettext ("Removed %u partial copy left by an interrupted import.\n",
                       "Removed %u partial copies left by interrupted imports.\n",
                       cleanup->n_partial),
             cleanup->n_partial);
  if (cleanup->n_unreferenced > 0)
    g_print (ngettext ("Removed %u file that no item refers to (left by an interrupted import).\n",
                       "Removed %u files that no item refers to (left by interrupted imports).\n",
                       cleanup->n_unreferenced),
             cleanup->n_unreferenced);
  for (guint i = 0; cleanup->removed && cleanup->removed[i]; i++)
    g_print (_("  removed %s\n"), cleanup->removed[i]);
}

static int
cmd_audit (GkCli  *cli,
           int     argc,
           char  **argv)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!gk_cli_parse_options (cli, argv[0], NULL, &argc, &argv, &status))
    return status;
  if (argc < 2 || (strcmp (argv[1], "verify") != 0 && strcmp (argv[1], "log") != 0))
    return gk_cli_usage (cli, argv[0], _("say “verify” or “log [ID]”"));
  if (gk_cli_open_store (cli, &status) == NULL)
    return status;

  if (strcmp (argv[1], "verify") == 0)
    {
      gint64 first_bad = 0, n_entries = 0;
      const GkStoreCleanup *cleanup;
      gboolean ok;

      if (argc != 2)
        return gk_cli_usage (cli, argv[0], _("“audit verify” takes no argument"));
      /* The whole of files/, not only after an interrupted import. */
      gk_store_clean_files (cli->store);
      ok = gk_store_audit_verify (cli->store, &first_bad, &n_entries, &error);
      cleanup = gk_store_get_cleanup (cli->store);
      if (cli->json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (b);
          /* What opening the library just removed from files/. */
          json_builder_set_member_name (b, "cleaned");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "partial_copies");
          json_builder_add_int_value (b, cleanup->n_partial);
          json_builder_set_member_name (b, "unreferenced_files");
          json_builder_add_int_value (b, cleanup->n_unreferenced);
          json_builder_set_member_name (b, "bytes");
          json_builder_add_int_value (b, (gint64) cleanup->bytes);
          json_builder_set_member_name (b, "removed");
          json_builder_begin_array (b);
          for (guint i = 0; cleanup->removed && cleanup->removed[i]; i++)
            json_builder_add_string_value (b, cleanup->removed[i]);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "skipped");
          json_builder_add_boolean_value (b, cleanup->skipped);
          json_builder_end_object (b);
          json_builder_set_member_name (b, "ok");
          json_builder_add_boolean_value (b, ok);
          json_builder_set_member_name (b, "entries");
          json_builder_add_int_value (b, n_entries);
          json_builder_set_member_name (b, "first_bad");
          if (ok)
            json_builder_add_null_value (b);
          else
            json_builder_add_int_value (b, first_bad);
          json_builder_set_member_name (b, "message");
          if (ok)
            json_builder_add_null_value (b);
          else
            json_builder_add_string_value (b, error ? error->message : "");
          json_builder_end_object (b);
          root = json_builder_get_root (b);
          gk_cli_print_json (cli, root);
        }
      if (!cli->json)
        print_cleanup (cleanup);
      if (!ok)
        {
          if (error)
            g_printerr ("gongkai-ctl: %s\n", error->message);
          return GK_EXIT_PARTIAL;
        }
      if (!cli->json)
        g_print (ngettext ("The audit trail is intact (%" PRId64 " entry).\n",
                           "The audit trail is intact (%" PRId64 " entries).\n",
                           (gulong) n_entries), n_entries);
      return GK_EXIT_OK;
    }

  {
    g_autoptr(GPtrArray) entries = NULL;
    g_autofree char *item_id = NULL;

    if (argc > 3)
      return gk_cli_usage (cli, argv[0], _("“audit log” takes at most one item"));
    if (argc == 3)
      {
        g_autoptr(GkItem) item = gk_cli_get_item (cli, argv[2], &status);
        if (item == NULL)
          return status;
        item_id = g_strdup (item->id);
      }
    entries = gk_store_audit_log (cli->store, item_id, &error);
    if (entries == NULL)
      return gk_cli_fail (cli, error);

    if (cli->json)
      {
        g_autoptr(JsonBuilder) b = json_builder_new ();
        g_autoptr(JsonNode) root = NULL;

        json_builder_begin_object (b);
        json_builder_set_member_name (b, "entries");
        json_builder_begin_array (b);
        for (guint i = 0; i < entries->len; i++)
          {
            GkAuditEntry *e = g_ptr_array_index (entries, i);
            g_autoptr(JsonParser) parser = json_parser_new ();

            json_builder_begin_object (b);
            json_builder_set_member_name (b, "seq");
            json_builder_add_int_value (b, e->seq);
            json_builder_set_member_name (b, "at");
            json_builder_add_string_value (b, e->at);
            json_builder_set_member_name (b, "actor");
            json_builder_add_string_value (b, e->actor);
            json_builder_set_member_name (b, "action");
            json_builder_add_string_value (b, e->action);
            json_builder_set_member_name (b, "item");
            if (e->item_id)
              json_builder_add_string_value (b, e->item_id);
            else
              json_builder_add_null_value (b);
            json_builder_set_member_name (b, "details");
            if (e->details && json_parser_load_from_data (parser, e->details, -1, NULL))
              json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
            else
              json_builder_add_null_value (b);
            json_builder_set_member_name (b, "hash");
            json_builder_add_string_value (b, e->hash);
            json_builder_end_object (b);
          }
        json_builder_end_array (b);
        json_builder_end_object (b);
        root = json_builder_get_root (b);
        gk_cli_print_json (cli, root);
      }
    else
      for (guint i = 0; i < entries->len; i++)
        {
          GkAuditEntry *e = g_ptr_array_index (entries, i);
          g_autofree char *short_id = e->item_id ? g_strndup (e->item_id, 8) : g_strdup ("-");
          g_print ("%6" PRId64 "  %s  %-12s %-10s %s  %s\n",
                   e->seq, e->at, e->actor, e->action, short_id, e->details ? e->details : "");
        }
  }
  return GK_EXIT_OK;
}

/* ---- config ---- */

static int
cmd_config (GkCli  *cli,
            int     argc,
            char  **argv)
{
  const char *const *setting_keys = gk_setting_keys ();
  gboolean allow_insecure = FALSE;
  GOptionEntry entries[] = {
    { "allow-insecure", 0, 0, G_OPTION_ARG_NONE, &allow_insecure,
      N_("accept a plain http:// portal_url on another computer (sync needs --allow-insecure too)"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!gk_cli_parse_options (cli, argv[0], entries, &argc, &argv, &status))
    return status;
  if (argc > 3)
    return gk_cli_usage (cli, argv[0], _("write “config”, “config KEY” or “config KEY VALUE”"));
  if (argc >= 2 && !gk_setting_check_key (argv[1], &error))
    return gk_cli_usage (cli, argv[0], "%s", error->message);
  if (gk_cli_open_store (cli, &status) == NULL)
    return status;

  if (argc == 3)
    {
      if (!gk_store_set_setting_full (cli->store, cli->user, argv[1], argv[2],
                                      allow_insecure ? GK_SETTING_ALLOW_INSECURE : GK_SETTING_FLAGS_NONE,
                                      &error))
        {
          /* The core states the facts; the option is this face's. */
          if (strcmp (argv[1], "portal_url") == 0 && !allow_insecure &&
              g_ascii_strncasecmp (argv[2], "http://", 7) == 0)
            {
              g_autoptr (GError) full =
                  g_error_new (error->domain, error->code, "%s %s", error->message,
                               _ ("Use https://, or add --allow-insecure if you really mean it."));

              return gk_cli_fail (cli, full);
            }
          return gk_cli_fail (cli, error);
        }
      return GK_EXIT_OK;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      for (guint i = 0; setting_keys[i]; i++)
        {
          g_autofree char *value = NULL;
          if (argc == 2 && strcmp (argv[1], setting_keys[i]) != 0)
            continue;
          value = gk_store_get_setting (cli->store, setting_keys[i]);
          json_builder_set_member_name (b, setting_keys[i]);
          if (value)
            json_builder_add_string_value (b, value);
          else
            json_builder_add_null_value (b);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      gk_cli_print_json (cli, root);
      return GK_EXIT_OK;
    }

  for (guint i = 0; setting_keys[i]; i++)
    {
      g_autofree char *value = NULL;
      if (argc == 2 && strcmp (argv[1], setting_keys[i]) != 0)
        continue;
      value = gk_store_get_setting (cli->store, setting_keys[i]);
      if (argc == 2)
        g_print ("%s\n", value ? value : "");
      else
        g_print ("%s = %s\n", setting_keys[i], value ? value : "");
    }
  return GK_EXIT_OK;
}

/* ---- catalog ---- */

static int
cmd_catalog (GkCli  *cli,
             int     argc,
             char  **argv)
{
  g_autofree char *parent = NULL;
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "parent", 'p', 0, G_OPTION_ARG_STRING, &parent, N_("the parent tag"), N_("TAG") },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("list retired tags too"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  const char *action;
  gboolean ok = TRUE;
  int status = 0;

  if (!gk_cli_parse_options (cli, argv[0], entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return gk_cli_usage (cli, argv[0], _("say “list”, “add”, “rename”, “move”, “retire” or “restore”"));
  if (gk_cli_open_store (cli, &status) == NULL)
    return status;
  action = argv[1];

  if (strcmp (action, "list") == 0)
    {
      g_autoptr(GPtrArray) tags = gk_store_list_tags (cli->store, all);

      if (cli->json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "tags");
          json_builder_begin_array (b);
          for (guint i = 0; i < tags->len; i++)
            {
              GkTag *t = g_ptr_array_index (tags, i);
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "name");
              json_builder_add_string_value (b, t->name);
              json_builder_set_member_name (b, "path");
              json_builder_add_string_value (b, t->path);
              json_builder_set_member_name (b, "retired");
              json_builder_add_boolean_value (b, t->retired);
              json_builder_set_member_name (b, "items");
              json_builder_add_int_value (b, t->n_items);
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
          json_builder_end_object (b);
          root = json_builder_get_root (b);
          gk_cli_print_json (cli, root);
        }
      else
        for (guint i = 0; i < tags->len; i++)
          {
            GkTag *t = g_ptr_array_index (tags, i);
            g_print ("%s%s  (%u)\n", t->path, t->retired ? _(" [retired]") : "", t->n_items);
          }
      return GK_EXIT_OK;
    }

  if (strcmp (action, "add") == 0 && argc == 3)
    {
      g_autoptr(GkTag) tag = gk_store_add_tag (cli->store, cli->user, argv[2], parent, &error);
      ok = tag != NULL;
    }
  else if (strcmp (action, "rename") == 0 && argc == 4)
    ok = gk_store_rename_tag (cli->store, cli->user, argv[2], argv[3], &error);
  else if (strcmp (action, "move") == 0 && (argc == 4 || argc == 3))
    ok = gk_store_move_tag (cli->store, cli->user, argv[2], argc == 4 ? argv[3] : NULL, &error);
  else if (strcmp (action, "retire") == 0 && argc == 3)
    ok = gk_store_retire_tag (cli->store, cli->user, argv[2], TRUE, &error);
  else if (strcmp (action, "restore") == 0 && argc == 3)
    ok = gk_store_retire_tag (cli->store, cli->user, argv[2], FALSE, &error);
  else
    return gk_cli_usage (cli, argv[0], _("write “catalog add NAME [--parent TAG]”, “catalog rename OLD NEW”, "
                                         "“catalog move NAME [PARENT]”, “catalog retire NAME” or “catalog restore NAME”"));
  if (!ok)
    return gk_cli_fail (cli, error);
  if (!cli->json)
    g_print (_("Done: the catalog has changed (“gongkai-ctl catalog list” shows it).\n"));
  return GK_EXIT_OK;
}

const GkCliCommand gk_cli_items_commands[] = {
  { "init", "[--admin USER] [--org-code CODE] [--agency NAME]",
    N_ ("create the library (again: no change)"), cmd_init },
  { "member", "add|set|remove|list [USER] [--role ROLE[,ROLE…]]", N_ ("members and their roles"),
    cmd_member },
  { "import", "[--password P] [--published DATE] PATH…",
    N_ ("import PDF files or folders (recursively)"), cmd_import },
  { "list", "[--state S] [--tag T] [--query TEXT] [--due-within N] …", N_ ("list items"),
    cmd_list },
  { "show", "ID", N_ ("show one item's record, state and findings"), cmd_show },
  { "edit", "ID FIELD=VALUE…", N_ ("change fields of the record (names as in the portal record)"),
    cmd_edit },
  { "tag", "ID +NAME|-NAME…",
    N_ ("tag an item (+NAME) or untag it (-NAME); names come from the tag catalog"), cmd_tag },
  { "search", "TEXT", N_ ("full-text search in title, 文号, issuer and text"), cmd_search },
  { "screen", "ID", N_ ("run the confidentiality screening again"), cmd_screen },
  { "audit", "verify | log [ID]", N_ ("check the audit trail, or print it"), cmd_audit },
  { "config", "[--allow-insecure] [KEY [VALUE]]",
    N_ ("library settings (org_code, index_template, review_stages, …)"), cmd_config },
  { "catalog", "list|add|rename|move|retire|restore …", N_ ("the tag catalog (标签目录)"),
    cmd_catalog },
  { NULL }
};
