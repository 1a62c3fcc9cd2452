/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Gongkai"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "gk-app-util.h"
#include "gk-application.h"

/* Translations: $GONGKAI_LOCALEDIR (scripts/run points it at the build
 * tree's po/), then the installed ones. */
static const char *
find_locale_dir (void)
{
  const char *env = g_getenv ("GONGKAI_LOCALEDIR");

  if (env != NULL && *env != '\0')
    return env;
  return LOCALEDIR;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GkApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, find_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Gongkai Desk"));
  /* Before any thread runs (it sets GSK_RENDERER); without a display
   * GtkApplication says so itself. */
  if (gtk_init_check ())
    gk_choose_renderer ();

  app = gk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
