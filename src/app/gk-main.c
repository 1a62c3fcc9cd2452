/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Gongkai"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "gk-application.h"

/* Translations: $GONGKAI_LOCALEDIR, then the build tree's po/ when the
 * program runs from the build tree, then the installed ones. */
static const char *
find_locale_dir (void)
{
  const char *env = g_getenv ("GONGKAI_LOCALEDIR");
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *build_root = g_path_get_dirname (BUILDLOCALEDIR);

  if (env != NULL && *env != '\0')
    return env;
  if (self_path != NULL && g_str_has_prefix (self_path, build_root) &&
      g_file_test (BUILDLOCALEDIR, G_FILE_TEST_IS_DIR))
    return BUILDLOCALEDIR;
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

  app = gk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
