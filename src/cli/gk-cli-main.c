/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkCli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gk-cli.h"
#include "gk-util.h"

static const GkCliCommand *const tables[] = {
  gk_cli_items_commands,
  gk_cli_review_commands,
  gk_cli_sync_commands,
  gk_cli_calendar_commands,
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
  fprintf (out, "  %-44s %s\n", "--",
           _("end of the options: what follows is taken as it is, even if it starts with “-” "
             "(every command accepts it)"));
  fprintf (out, "\n%s\n", _("Exit status: 0 done; 1 done in part; 2 usage; 3 refused by the workflow "
                            "or a missing role; 4 not found."));
  fprintf (out, "%s\n", _("Run “gongkai-ctl COMMAND --help” for the options of a command."));
}

/* What to type to get past a refusal: the core says what is wrong, the
 * command line adds its own commands and options. */
static const char *
remedy_for (const GError *error)
{
  switch (gk_error_get_detail (error))
    {
    case GK_ERROR_DETAIL_MISSING_ROLE:
    case GK_ERROR_DETAIL_NOT_A_MEMBER:
      return _("An admin can grant it with “gongkai-ctl member add USER --role ROLE”.");
    case GK_ERROR_DETAIL_NO_LIBRARY:
      return _("Create one with “gongkai-ctl init” or choose one with --library DIR.");
    case GK_ERROR_DETAIL_NO_SUCH_FINDING:
      return _("Its findings are listed by “gongkai-ctl show”.");
    case GK_ERROR_DETAIL_BAD_FINDING_NUMBER:
      return _("Write the number “gongkai-ctl show” lists, as in 12=REASON.");
    case GK_ERROR_DETAIL_REASON_REQUIRED:
      return _("Give it with --reason TEXT.");
    case GK_ERROR_DETAIL_NO_TOKEN:
      return _("Give one with --token-file FILE or the environment variable GONGKAI_PORTAL_TOKEN, "
               "or store one with “gongkai-ctl token store”.");
    case GK_ERROR_DETAIL_KEYRING_UNAVAILABLE:
      return _("Give the portal token with --token-file FILE or the environment variable "
               "GONGKAI_PORTAL_TOKEN instead.");
    case GK_ERROR_DETAIL_KEYRING_LOCKED:
      return _ ("Unlock it (for example, log in to the desktop session) or give the token with "
                "--token-file FILE.");
    case GK_ERROR_DETAIL_NO_PORTAL_URL:
      return _("Give one with --portal URL or set it with “gongkai-ctl config portal_url URL”.");
    case GK_ERROR_DETAIL_INSECURE_URL:
      return _("Use https://, or --allow-insecure if you really mean it.");
    case GK_ERROR_DETAIL_UNKNOWN_CA:
      return _("Give the agency’s CA file with --ca-file FILE.");
    case GK_ERROR_DETAIL_PORTAL_DIFFERS:
      return _("Run “gongkai-ctl sync --check” to compare the portal’s copy.");
    case GK_ERROR_DETAIL_CONFLICT_UNDECIDED:
      return _("Decide with “gongkai-ctl sync --resolve ID keep-portal” or “… overwrite”.");
    case GK_ERROR_DETAIL_NONE:
    default:
      return NULL;
    }
}

/**
 * gk_cli_error_text:
 * @error: what went wrong
 *
 * Returns: (transfer full): the core's message with the command line's
 *   remedy, valid UTF-8
 */
char *
gk_cli_error_text (const GError *error)
{
  /* A message may quote what was typed, bytes that are no UTF-8 too. */
  g_autofree char *message = gk_utf8_sanitize (error->message, -1);
  const char *remedy = remedy_for (error);
  const char      *field = gk_error_get_field (error);

  /* The window names a field by its label; here it is typed by its key
   * (“set ID effective_until=…”): say which. */
  if (field != NULL)
    {
      /* Translators: a message, then the key of the field it is about */
      char *with_field = g_strdup_printf (_ ("%s (field %s)"), message, field);

      g_free (message);
      message = with_field;
    }
  if (remedy == NULL)
    return g_steal_pointer (&message);
  return g_strdup_printf ("%s %s", message, remedy);
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
  g_autofree char *message = gk_cli_error_text (error);

  g_printerr ("gongkai-ctl: %s\n", message);
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
  if (!g_utf8_validate (message, -1, NULL))
    {
      char *valid = gk_utf8_sanitize (message, -1);

      g_free (message);
      message = valid;
    }

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
        {
          g_autofree char *shown = g_filename_display_name (cli->library);

          g_printerr (_("gongkai-ctl: no library at %s. Create one with “gongkai-ctl init” "
                        "or choose one with --library DIR.\n"), shown);
        }
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

/* The entry of option ("--comment", "-m"), its name len bytes long. */
static GOptionEntry *
find_entry (GOptionEntry *entries,
            const char   *option,
            gsize         len)
{
  for (GOptionEntry *e = entries; e != NULL && e->long_name != NULL; e++)
    {
      if (option[1] == '-' ? len == strlen (e->long_name) + 2 && strncmp (option + 2, e->long_name, len - 2) == 0
                           : len == 2 && e->short_name != 0 && option[1] == e->short_name)
        return e;
    }
  return NULL;
}

/* Is argv[i] the value of the option before it (“--comment TEXT”)? */
static GOptionEntry *
value_of (GOptionEntry *entries,
          char        **argv,
          int           i)
{
  const char *before = i > 1 ? argv[i - 1] : "";
  GOptionEntry *e;

  if (before[0] != '-' || before[1] == '\0' || strchr (before, '=') != NULL)
    return NULL;
  e = find_entry (entries, before, strlen (before));
  return e != NULL && e->arg != G_OPTION_ARG_NONE ? e : NULL;
}

/* "- -", "-应急", "-、": no option is named so; GOption would still take
 * them for one. */
static gboolean
cannot_be_option (const char *arg)
{
  if (arg[0] != '-' || arg[1] == '\0')
    return FALSE;
  if (arg[1] == '-')
    return arg[2] != '\0' && !g_ascii_isalnum (arg[2]);
  return !g_ascii_isalnum (arg[1]) && arg[1] != '?';
}

/* The option that an argument with bytes that are no UTF-8 belongs to:
 * "--comment" for "--comment=…" or for the value after "--comment",
 * NULL for an operand (the command names the field) or a file name. */
static char *
option_of_invalid (GOptionEntry *entries,
                   char        **argv,
                   int           i)
{
  const char *arg = argv[i];
  GOptionEntry *e = NULL;

  if (arg[0] == '-' && arg[1] != '\0' && !cannot_be_option (arg))
    {
      gsize len = arg[1] == '-' ? strcspn (arg, "=") : 2;

      if ((e = find_entry (entries, arg, len)) != NULL)
        return e->arg == G_OPTION_ARG_STRING || e->arg == G_OPTION_ARG_STRING_ARRAY
               ? g_strndup (arg, len) : NULL;
    }
  e = value_of (entries, argv, i);
  /* File names are bytes: they need not be UTF-8. */
  if (e != NULL && (e->arg == G_OPTION_ARG_STRING || e->arg == G_OPTION_ARG_STRING_ARRAY))
    return g_strdup (argv[i - 1]);
  return NULL;
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
 * “--” ends the options: what follows it is passed on as operands, even
 * “--help” or “-NAME”.
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
  g_autofree char **options = NULL;
  g_autoptr(GPtrArray) placeholders = g_ptr_array_new_with_free_func (g_free);
  int n_options = *argc;
  int n_parsed;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (c != NULL)
    g_option_context_set_summary (context, _(c->summary));
  g_option_context_set_description (context,
                                    _("“--” ends the options: the arguments after it are taken as they are, "
                                      "even if they start with “-”."));
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* A command without options takes “-NAME” (tag) as an argument. */
  g_option_context_set_strict_posix (context, FALSE);
  if (entries == NULL)
    g_option_context_set_ignore_unknown_options (context, TRUE);

  for (int i = 1; i < *argc; i++)
    if (strcmp ((*argv)[i], "--") == 0)
      {
        n_options = i;
        break;
      }

  for (int i = 1; i < n_options; i++)
    if (strcmp ((*argv)[i], "--help") == 0 || strcmp ((*argv)[i], "-h") == 0)
      {
        g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
        g_print ("%s", help);
        *exit_status = GK_EXIT_OK;
        return FALSE;
      }

  for (int i = 1; i < n_options; i++)
    if (!g_utf8_validate ((*argv)[i], -1, NULL))
      {
        g_autofree char *option = option_of_invalid (entries, *argv, i);

        if (option != NULL)
          {
            *exit_status = gk_cli_usage (cli, command, _("%s: not valid UTF-8 text (an invalid byte sequence)"),
                                         option);
            return FALSE;
          }
      }

  /* GOption sees only what stands before “--”; it may reorder and drop
   * entries, so it parses a copy, and the result goes back in place.
   * What cannot be an option stands in as a placeholder that GOption
   * keeps where it is. */
  options = g_new0 (char *, n_options + 1);
  memcpy (options, *argv, sizeof (char *) * (gsize) n_options);
  for (int i = 1; i < n_options; i++)
    if (cannot_be_option (options[i]) && value_of (entries, *argv, i) == NULL)
      g_ptr_array_add (placeholders, options[i] = g_strdup_printf ("gk-operand-%d", i));
  n_parsed = n_options;
  if (!g_option_context_parse (context, &n_parsed, &options, &error))
    {
      if (g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION))
        *exit_status = gk_cli_usage (cli, command, _("%s (for an argument that starts with “-”, write “--” before it)"),
                                     error->message);
      else
        *exit_status = gk_cli_usage (cli, command, "%s", error->message);
      return FALSE;
    }
  {
    int n = 0;

    for (int i = 0; i < n_parsed; i++)
      {
        char *arg = options[i];

        for (guint k = 0; k < placeholders->len; k++)
          if (arg == g_ptr_array_index (placeholders, k))
            arg = (*argv)[atoi (arg + strlen ("gk-operand-"))];
        (*argv)[n++] = arg;
      }
    for (int i = n_options + 1; i < *argc; i++)
      (*argv)[n++] = (*argv)[i];
    (*argv)[n] = NULL;
    *argc = n;
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
   * “--” ends option scanning: the command gets it, so that its own
   * options end there too (“gongkai-ctl -- search -x” searches for “-x”). */
  g_ptr_array_add (rest, argv[0]);
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        {
          int dashes = i;

          if (rest->len == 1 && i + 1 < argc)
            g_ptr_array_add (rest, argv[++i]);
          g_ptr_array_add (rest, argv[dashes]);
          for (i++; i < argc; i++)
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
      g_autofree char *shown = gk_utf8_sanitize (g_ptr_array_index (rest, 1), -1);

      g_printerr (_("gongkai-ctl: unknown command “%s”.\n"), shown);
      print_help (stderr);
      return GK_EXIT_USAGE;
    }

  if (cli.library == NULL)
    cli.library = gk_default_library_path ();
  if (cli.user == NULL)
    cli.user = g_strdup (gk_default_user ());
  if (!g_utf8_validate (cli.user, -1, NULL))
    return gk_cli_usage (&cli, NULL, _("--as (or $GONGKAI_USER): not valid UTF-8 text (an invalid byte sequence)"));
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
