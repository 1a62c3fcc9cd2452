/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gongkai-render: opens one PDF and renders its pages, finds text and
 * places findings for the window's preview, over the socket it is given
 * (--fd N).  Run by gk-render-client in its own process, with limits, so
 * that a PDF that crashes or hangs poppler costs a page, never the window. */
#define G_LOG_DOMAIN "GkRender"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gk-render-server.h"

int
main (int    argc,
      char **argv)
{
  guint64 fd = 0;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("GONGKAI_LOCALEDIR") ? g_getenv ("GONGKAI_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc != 3 || strcmp (argv[1], "--fd") != 0 ||
      !g_ascii_string_to_unsigned (argv[2], 10, 3, 1024, &fd, NULL))
    {
      fprintf (stderr, "usage: gongkai-render --fd N   (run by Gongkai Desk)\n");
      return 2;
    }
  /* The window going away shows up as a failed write, not a signal. */
  signal (SIGPIPE, SIG_IGN);
  return gk_render_server_run ((int) fd, TRUE);
}
