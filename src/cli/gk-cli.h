/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "gk-store.h"

G_BEGIN_DECLS

/* gongkai-ctl: the command line over the core.  Every command is a
 * function in a table; the files gk-cli-items.c, gk-cli-review.c,
 * gk-cli-sync.c and gk-cli-calendar.c each export one table.  Exit
 * statuses (DESIGN.md):
 * 0 done, 1 done in part, 2 usage, 3 refused, 4 not found. */

enum
{
  GK_EXIT_OK        = 0,
  GK_EXIT_PARTIAL   = 1,
  GK_EXIT_USAGE     = 2,
  GK_EXIT_REFUSED   = 3,
  GK_EXIT_NOT_FOUND = 4,
};

typedef struct
{
  char     *library;  /* --library, $GONGKAI_LIBRARY, or the default */
  char     *user;     /* --as, $GONGKAI_USER, or the OS account */
  gboolean  json;     /* --json: one JSON document on stdout */
  GkStore  *store;    /* opened by gk_cli_open_store() */
} GkCli;

/* argv[0] is the command's name; options of the command follow. */
typedef int (*GkCliFunc) (GkCli *cli, int argc, char **argv);

typedef struct
{
  const char *name;
  const char *synopsis;  /* "ID FIELD=VALUE…" */
  const char *summary;   /* N_() */
  GkCliFunc   func;
} GkCliCommand;

/* NULL-terminated tables (name == NULL ends them). */
extern const GkCliCommand gk_cli_items_commands[];
extern const GkCliCommand gk_cli_review_commands[];
extern const GkCliCommand gk_cli_sync_commands[];
extern const GkCliCommand gk_cli_calendar_commands[];

/* Open the existing library; on error prints it and returns NULL with
 * *exit_status set. */
GkStore  *gk_cli_open_store   (GkCli *cli, int *exit_status);
/* The error's message and the command line's remedy for it (keyed by
 * gk_error_get_detail()): what the CLI prints for a core error. */
char     *gk_cli_error_text   (const GError *error);
/* Print error on stderr (in the user's language) and return its exit status. */
int       gk_cli_fail         (GkCli *cli, const GError *error);
/* Print a usage problem for the command on stderr and return 2. */
int       gk_cli_usage        (GkCli *cli, const char *command, const char *format, ...) G_GNUC_PRINTF (3, 4);
/* Print node as the one JSON document on stdout (pretty, UTF-8). */
void      gk_cli_print_json   (GkCli *cli, JsonNode *node);
/* Parse the command's own options; prints usage errors.  Returns FALSE
 * (with *exit_status = 2) on a bad option.  argc/argv are updated to
 * the remaining arguments (argv[0] stays the command name). */
gboolean  gk_cli_parse_options (GkCli        *cli,
                                const char   *command,
                                GOptionEntry *entries,
                                int          *argc,
                                char       ***argv,
                                int          *exit_status);
/* Load an item by id / prefix / 索引号; prints the error and sets
 * *exit_status when not found. */
GkItem   *gk_cli_get_item     (GkCli *cli, const char *id, int *exit_status);
/* One line per item for list/search/queue output. */
void      gk_cli_print_item_line (GkCli *cli, GkItem *item);
/* The JSON of an item as `show --json` prints it (adds days_left). */
JsonNode *gk_cli_item_json    (GkCli *cli, GkItem *item);

G_END_DECLS
