/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkCli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "gk-cli.h"
#include "gk-util.h"

static const GkCliCommand *const tables[] = {
  gk_cli_items_commands,
  gk_cli_review_commands,
  gk_cli_sync_commands,
};

static const GkCliCommand *
find_command (const char *name)
{
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (const GkCliCommand *c = tables[t]; c->name != NULL; c++)
      if (strcmp (c->name, name) == 0)
        return c;
  return NULL;
}

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: gongkai-ctl [--library DIR] [--as USER] [--json] COMMAND …"));
  fprintf (out, "%s\n\n", _("Gongkai Desk (政务公开工作台) on the command line: import, record, review "
                            "and publish government documents."));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (const GkCliCommand *c = tables[t]; c->name != NULL; c++)
      {
        g_autofree char *left = g_strdup_printf ("%s %s", c->name, c->synopsis);
        fprintf (out, "  %-44s %s\n", left, _(c->summary));
      }
  fprintf (out, "\n%s\n", _("Options:"));
  fprintf (out, "  %-44s %s\n", "--library DIR",
           _("the library folder (default: $GONGKAI_LIBRARY, then $XDG_DATA_HOME/gongkai/library)"));
  fprintf (out, "  %-44s %s\n", "--as USER",
           _("act as this member (default: $GONGKAI_USER, then the account name)"));
  fprintf (out, "  %-44s %s\n", "--json", _("print one JSON document on standard output"));
  fprintf (out, "  %-44s %s\n", "--version", _("print the version"));
  fprintf (out, "\n%s\n", _("Exit status: 0 done; 1 done in part; 2 usage; 3 refused by the workflow "
                            "or a missing role; 4 not found."));
  fprintf (out, "%s\n", _("Run “gongkai-ctl COMMAND --help” for the options of a command."));
}

/**
 * gk_cli_fail:
 * @cli: the command line state
 * @error: what went wrong
 *
 * Returns: the exit status for @error, after printing it on stderr
 */
int
gk_cli_fail (GkCli        *cli,
             const GError *error)
{
  g_printerr ("gongkai-ctl: %s\n", error->message);
  return gk_error_exit_status (error);
}

/**
 * gk_cli_usage:
 * @cli: the command line state
 * @command: (nullable): the command, for the hint
 * @format: printf-style message
 *
 * Returns: 2, after printing the message on stderr
 */
int
gk_cli_usage (GkCli      *cli,
              const char *command,
              const char *format,
              ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("gongkai-ctl: %s\n", message);
  if (command != NULL)
    {
      const GkCliCommand *c = find_command (command);
      if (c != NULL)
        g_printerr (_("Usage: gongkai-ctl %s %s\n"), c->name, c->synopsis);
    }
  return GK_EXIT_USAGE;
}

/**
 * gk_cli_print_json:
 * @cli: the command line state
 * @node: the document to print
 */
void
gk_cli_print_json (GkCli    *cli,
                   JsonNode *node)
{
  g_autofree char *text = gk_json_to_string (node, TRUE);

  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

/**
 * gk_cli_open_store:
 * @cli: the command line state
 * @exit_status: (out): the exit status on failure
 *
 * Returns: (transfer none) (nullable): the opened library
 */
GkStore *
gk_cli_open_store (GkCli *cli,
                   int   *exit_status)
{
  g_autoptr(GError) error = NULL;

  if (cli->store != NULL)
    return cli->store;

  cli->store = gk_store_open (cli->library, FALSE, &error);
  if (cli->store == NULL)
    {
      if (g_error_matches (error, GK_ERROR, GK_ERROR_NOT_FOUND))
        g_printerr (_("gongkai-ctl: no library at %s. Create one with “gongkai-ctl init” "
                      "or choose one with --library DIR.\n"), cli->library);
      else
        gk_cli_fail (cli, error);
      *exit_status = error->domain == GK_ERROR && error->code == GK_ERROR_NOT_FOUND
                     ? GK_EXIT_NOT_FOUND : gk_error_exit_status (error);
      if (*exit_status == GK_EXIT_OK)
        *exit_status = GK_EXIT_PARTIAL;
      return NULL;
    }
  return cli->store;
}

/**
 * gk_cli_parse_options:
 * @cli: the command line state
 * @command: the command's name
 * @entries: (nullable): its options
 * @argc: (inout): argument count, argv[0] being the command
 * @argv: (inout): arguments
 * @exit_status: (out): 2 on a bad option, 0 after --help
 *
 * Returns: %TRUE to go on with the command
 */
gboolean
gk_cli_parse_options (GkCli        *cli,
                      const char   *command,
                      GOptionEntry *entries,
                      int          *argc,
                      char       ***argv,
                      int          *exit_status)
{
  const GkCliCommand *c = find_command (command);
  g_autofree char *parameter = g_strdup_printf ("%s %s", command, c ? c->synopsis : "");
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (c != NULL)
    g_option_context_set_summary (context, _(c->summary));
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* A command without options takes “-NAME” (tag) as an argument. */
  g_option_context_set_strict_posix (context, FALSE);
  if (entries == NULL)
    g_option_context_set_ignore_unknown_options (context, TRUE);

  for (int i = 1; i < *argc; i++)
    if (strcmp ((*argv)[i], "--help") == 0 || strcmp ((*argv)[i], "-h") == 0)
      {
        g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
        g_print ("%s", help);
        *exit_status = GK_EXIT_OK;
        return FALSE;
      }

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_status = gk_cli_usage (cli, command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * gk_cli_get_item:
 * @cli: the command line state (store open)
 * @id: an id, id prefix or 索引号
 * @exit_status: (out): set on failure
 *
 * Returns: (transfer full) (nullable): the item
 */
GkItem *
gk_cli_get_item (GkCli      *cli,
                 const char *id,
                 int        *exit_status)
{
  g_autoptr(GError) error = NULL;
  GkItem *item = gk_store_get_item (cli->store, id, &error);

  if (item == NULL)
    *exit_status = gk_cli_fail (cli, error);
  return item;
}

static gboolean
take_value (int    *i,
            int     argc,
            char  **argv,
            const char *name,
            char  **out)
{
  const char *arg = argv[*i];
  gsize len = strlen (name);

  if (strcmp (arg, name) == 0)
    {
      if (*i + 1 >= argc)
        return FALSE;
      g_free (*out);
      *out = g_strdup (argv[*i + 1]);
      *i += 1;
      return TRUE;
    }
  if (strncmp (arg, name, len) == 0 && arg[len] == '=')
    {
      g_free (*out);
      *out = g_strdup (arg + len + 1);
      return TRUE;
    }
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  GkCli cli = { 0 };
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  const GkCliCommand *command;
  int status;

  /* A locale that is not installed (LANG=zh_CN.UTF-8 on a bare system)
   * would print every Chinese character as “?”: fall back to C.UTF-8. */
  if (setlocale (LC_ALL, "") == NULL)
    setlocale (LC_ALL, "C.UTF-8");
  g_set_prgname ("gongkai-ctl");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("GONGKAI_LOCALEDIR") ? g_getenv ("GONGKAI_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Global options may stand before or after the command, so that
   * “gongkai-ctl list --json” works as well as “gongkai-ctl --json list”.
   * “--” ends option scanning. */
  g_ptr_array_add (rest, argv[0]);
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        {
          for (; i < argc; i++)
            g_ptr_array_add (rest, argv[i]);
          break;
        }
      if (strcmp (argv[i], "--json") == 0)
        cli.json = TRUE;
      else if (take_value (&i, argc, argv, "--library", &cli.library) ||
               take_value (&i, argc, argv, "--as", &cli.user))
        ;
      else if ((strcmp (argv[i], "--library") == 0 || strcmp (argv[i], "--as") == 0))
        return gk_cli_usage (&cli, NULL, _("%s needs a value"), argv[i]);
      else if (strcmp (argv[i], "--version") == 0 && rest->len == 1)
        {
          g_print ("gongkai-ctl %s\n", PACKAGE_VERSION);
          return GK_EXIT_OK;
        }
      else
        g_ptr_array_add (rest, argv[i]);
    }
  g_ptr_array_add (rest, NULL);

  if (rest->len < 3)
    {
      print_help (stderr);
      return GK_EXIT_USAGE;
    }
  if (strcmp (g_ptr_array_index (rest, 1), "--help") == 0 ||
      strcmp (g_ptr_array_index (rest, 1), "-h") == 0 ||
      strcmp (g_ptr_array_index (rest, 1), "help") == 0)
    {
      print_help (stdout);
      return GK_EXIT_OK;
    }

  command = find_command (g_ptr_array_index (rest, 1));
  if (command == NULL)
    {
      g_printerr (_("gongkai-ctl: unknown command “%s”.\n"), (char *) g_ptr_array_index (rest, 1));
      print_help (stderr);
      return GK_EXIT_USAGE;
    }

  if (cli.library == NULL)
    cli.library = gk_default_library_path ();
  if (cli.user == NULL)
    cli.user = g_strdup (gk_default_user ());
  if (gk_str_is_blank (cli.user))
    return gk_cli_usage (&cli, NULL, _("--as needs a user name"));

  {
    int sub_argc = (int) rest->len - 2;
    g_auto(GStrv) owned = g_new0 (char *, rest->len);
    g_autofree char **sub_argv = g_new0 (char *, rest->len);

    /* GOption reorders and drops entries of the array it parses, so the
     * command gets a shallow copy and the strings are freed from here. */
    for (int i = 0; i < sub_argc; i++)
      sub_argv[i] = owned[i] = g_strdup (g_ptr_array_index (rest, i + 1));
    status = command->func (&cli, sub_argc, sub_argv);
  }

  g_clear_object (&cli.store);
  g_free (cli.library);
  g_free (cli.user);
  return status;
}
