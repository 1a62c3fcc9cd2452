/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gongkai-extract: reads one PDF and prints its text as JSON.  Run by the
 * importer in its own process, with limits, so that a PDF that crashes
 * or hangs poppler costs one file and never the program.  The password,
 * if any, is the first line of standard input. */
#define G_LOG_DOMAIN "GkExtract"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "gk-pdf.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkPdfText) text = NULL;
  g_autofree char *json = NULL;
  char line[4096] = "";
  const char *path;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("GONGKAI_LOCALEDIR") ? g_getenv ("GONGKAI_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc == 3 && strcmp (argv[1], "--") == 0)
    path = argv[2];
  else if (argc == 2)
    path = argv[1];
  else
    {
      fprintf (stderr, "usage: gongkai-extract [--] FILE.pdf < password\n");
      return 2;
    }

  if (fgets (line, sizeof line, stdin) != NULL)
    line[strcspn (line, "\r\n")] = '\0';

  text = gk_pdf_extract (path, *line ? line : NULL, NULL, &error);
  json = gk_pdf_text_to_json (text, error);
  fputs (json, stdout);
  return text != NULL ? 0 : 1;
}
