/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkCli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gk-cli.h"
#include "gk-util.h"

/* gongkai-ctl calendar: the library's holiday years (gk-store-calendar.c). */

static void
print_years_json (GkCli *cli, GPtrArray *years, GArray *unknown)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "years");
  json_builder_begin_array (b);
  for (guint i = 0; i < years->len; i++)
    {
      GkCalendarYear *year = g_ptr_array_index (years, i);
      const struct
      {
        const char *name;
        GStrv       dates;
      } lists[] = {
        { "holidays", year->holidays },
        { "workdays", year->workdays },
      };

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "year");
      json_builder_add_int_value (b, year->year);
      json_builder_set_member_name (b, "source");
      if (year->source != NULL)
        json_builder_add_string_value (b, year->source);
      else
        json_builder_add_null_value (b);
      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        {
          g_autofree char *count = g_strconcat (lists[l].name, "_count", NULL);

          json_builder_set_member_name (b, count);
          json_builder_add_int_value (b, g_strv_length (lists[l].dates));
          json_builder_set_member_name (b, lists[l].name);
          json_builder_begin_array (b);
          for (guint d = 0; lists[l].dates[d] != NULL; d++)
            json_builder_add_string_value (b, lists[l].dates[d]);
          json_builder_end_array (b);
        }
      json_builder_set_member_name (b, "updated_at");
      json_builder_add_string_value (b, year->updated_at);
      json_builder_set_member_name (b, "updated_by");
      if (year->updated_by != NULL)
        json_builder_add_string_value (b, year->updated_by);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "unknown_years_with_deadlines");
  json_builder_begin_array (b);
  for (guint i = 0; i < unknown->len; i++)
    json_builder_add_int_value (b, g_array_index (unknown, int, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  gk_cli_print_json (cli, root);
}

static int
calendar_list (GkCli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) unknown = NULL;
  g_autoptr (GPtrArray) years = gk_store_list_holiday_years (cli->store, &unknown, &error);

  if (years == NULL)
    return gk_cli_fail (cli, error);
  if (cli->json)
    {
      print_years_json (cli, years, unknown);
      return GK_EXIT_OK;
    }

  if (years->len == 0)
    g_print ("%s\n", _ ("The library's calendar has no year: deadlines count weekends only."));
  for (guint i = 0; i < years->len; i++)
    {
      GkCalendarYear  *year = g_ptr_array_index (years, i);
      guint            n_holidays = g_strv_length (year->holidays);
      guint            n_workdays = g_strv_length (year->workdays);
      g_autofree char *holidays =
          g_strdup_printf (ngettext ("%u holiday", "%u holidays", n_holidays), n_holidays);
      g_autofree char *workdays =
          g_strdup_printf (ngettext ("%u working day", "%u working days", n_workdays), n_workdays);

      g_print ("%d  %s, %s  %s\n", year->year, holidays, workdays,
               year->source != NULL ? year->source : _ ("(no notice named)"));
    }
  for (guint i = 0; i < unknown->len; i++)
    {
      int year = g_array_index (unknown, int, i);

      g_printerr (_ ("Deadlines in %d count weekends only: add %d's holidays "
                     "(gongkai-ctl calendar import FILE).\n"),
                  year, year);
    }
  return GK_EXIT_OK;
}

static int
calendar_import (GkCli *cli, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize            length = 0;
  guint            n_years = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_autoptr (GError) failure = NULL;
      int code = g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? GK_ERROR_NOT_FOUND
                                                                           : GK_ERROR_INVALID;

      failure = g_error_new (GK_ERROR, code, _ ("Could not read the holiday calendar “%s”: %s"),
                             path, error->message);
      return gk_cli_fail (cli, failure);
    }
  if (!gk_store_import_holidays (cli->store, cli->user, contents, (gssize) length, path, &n_years,
                                 &error))
    return gk_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "imported_years", n_years);
      json_node_take_object (root, object);
      gk_cli_print_json (cli, root);
    }
  else
    g_print (ngettext ("Done: %u year of holidays is in the library's calendar.\n",
                       "Done: %u years of holidays are in the library's calendar.\n", n_years),
             n_years);
  return GK_EXIT_OK;
}

static int
calendar_remove (GkCli *cli, const char *text)
{
  g_autoptr (GError) error = NULL;
  guint64 year;

  if (!g_ascii_string_to_unsigned (text, 10, 1900, 9999, &year, NULL))
    return gk_cli_usage (cli, "calendar", _ ("“%s” is not a year such as 2027"), text);
  if (!gk_store_remove_holiday_year (cli->store, cli->user, (int) year, &error))
    return gk_cli_fail (cli, error);
  if (!cli->json)
    g_print (_ ("Done: %d is no longer in the calendar; its deadlines count weekends only.\n"),
             (int) year);
  return GK_EXIT_OK;
}

static int
cmd_calendar (GkCli *cli, int argc, char **argv)
{
  int status = 0;

  if (!gk_cli_parse_options (cli, argv[0], NULL, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return gk_cli_usage (cli, argv[0], _ ("say “list”, “import FILE” or “remove YEAR”"));

  if (strcmp (argv[1], "list") == 0 && argc == 2)
    {
      if (gk_cli_open_store (cli, &status) == NULL)
        return status;
      return calendar_list (cli);
    }
  if (strcmp (argv[1], "import") == 0 && argc == 3)
    {
      if (gk_cli_open_store (cli, &status) == NULL)
        return status;
      return calendar_import (cli, argv[2]);
    }
  if (strcmp (argv[1], "remove") == 0 && argc == 3)
    {
      if (gk_cli_open_store (cli, &status) == NULL)
        return status;
      return calendar_remove (cli, argv[2]);
    }
  return gk_cli_usage (
      cli, argv[0], _ ("write “calendar list”, “calendar import FILE” or “calendar remove YEAR”"));
}

const GkCliCommand gk_cli_calendar_commands[] = {
  { "calendar", "list | import FILE | remove YEAR",
    N_ ("the holiday calendar of the library (its years, from the State Council's notices)"),
    cmd_calendar },
  { NULL }
};
