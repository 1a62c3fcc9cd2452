/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Translations: every file with user-visible strings is in
 * po/POTFILES.in, and the zh_CN catalogue (the users' language)
 * translates every one of them. */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

static char *srcdir;

static GPtrArray *
read_potfiles (void)
{
  g_autofree char *path = g_build_filename (srcdir, "po", "POTFILES.in", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *line = g_strstrip (lines[i]);
      if (*line && *line != '#')
        g_ptr_array_add (files, g_strdup (line));
    }
  return files;
}

static gboolean
has_translatable (const char *path)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  if (g_str_has_suffix (path, ".ui"))
    return strstr (contents, "translatable=\"yes\"") != NULL;
  return strstr (contents, " _(\"") != NULL || strstr (contents, "(_(\"") != NULL ||
         strstr (contents, "N_(\"") != NULL || strstr (contents, "ngettext (") != NULL;
}

static void
scan (const char *dir, const char *rel, GPtrArray *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      g_autofree char *child_rel = g_build_filename (rel, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        scan (child, child_rel, out);
      else if ((g_str_has_suffix (name, ".c") || g_str_has_suffix (name, ".ui")) &&
               has_translatable (child))
        g_ptr_array_add (out, g_steal_pointer (&child_rel));
    }
}

static void
test_potfiles_complete (void)
{
  g_autoptr(GPtrArray) listed = read_potfiles ();
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) missing = g_string_new (NULL);

  for (const char *const *top = (const char *const[]) { "src", "ui", NULL }; *top; top++)
    {
      g_autofree char *dir = g_build_filename (srcdir, *top, NULL);
      scan (dir, *top, found);
    }
  g_assert_cmpuint (found->len, >, 5);
  for (guint i = 0; i < found->len; i++)
    if (!g_ptr_array_find_with_equal_func (listed, g_ptr_array_index (found, i), g_str_equal, NULL))
      g_string_append_printf (missing, " %s", (char *) g_ptr_array_index (found, i));
  if (missing->len > 0)
    g_error ("files with translatable strings missing from po/POTFILES.in:%s", missing->str);

  for (guint i = 0; i < listed->len; i++)
    {
      g_autofree char *path = g_build_filename (srcdir, g_ptr_array_index (listed, i), NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        g_error ("po/POTFILES.in lists %s, which does not exist", (char *) g_ptr_array_index (listed, i));
    }
}

static char *
run (const char *const *argv, int *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                      G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  char *out = NULL;

  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (p, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (p);
  return out;
}

static void
test_zh_cn_complete (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("gk-po-XXXXXX", NULL);
  g_autofree char *pot = g_build_filename (tmp, "gongkai.pot", NULL);
  g_autofree char *merged = g_build_filename (tmp, "zh_CN.po", NULL);
  g_autofree char *potfiles = g_build_filename (srcdir, "po", "POTFILES.in", NULL);
  g_autofree char *po = g_build_filename (srcdir, "po", "zh_CN.po", NULL);
  g_autofree char *files_from = g_strdup_printf ("--files-from=%s", potfiles);
  g_autofree char *dir_arg = g_strdup_printf ("--directory=%s", srcdir);
  g_autofree char *out_arg = g_strdup_printf ("--output=%s", pot);
  g_autofree char *out = NULL;
  g_autofree char *stats = NULL;
  int status = 0;
  const char *xgettext[] = {
    "xgettext", files_from, dir_arg, out_arg, "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dngettext:2,3", "--keyword=ngettext:1,2", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_set_error:4:c-format", NULL
  };
  const char *msgmerge[] = { "msgmerge", "--quiet", "--no-fuzzy-matching", "--output-file", merged, po, pot, NULL };
  const char *msgfmt[] = { "msgfmt", "--check", "--statistics", "--output-file=/dev/null", merged, NULL };

  out = run (xgettext, &status);
  g_assert_cmpint (status, ==, 0);
  g_free (out);
  out = run (msgmerge, &status);
  if (status != 0)
    g_error ("msgmerge: %s", out);
  stats = run (msgfmt, &status);
  if (status != 0)
    g_error ("msgfmt --check: %s", stats);
  g_test_message ("zh_CN: %s", stats);
  /* "N translated messages." and nothing fuzzy or untranslated. */
  if (strstr (stats, "untranslated") != NULL || strstr (stats, "fuzzy") != NULL)
    g_error ("po/zh_CN.po is not complete: %s (run: ninja -C _build gongkai-update-po, then translate)", stats);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  srcdir = g_strdup (g_getenv ("GONGKAI_SRCDIR"));
  g_assert_nonnull (srcdir);
  g_test_add_func ("/po/potfiles-complete", test_potfiles_complete);
  g_test_add_func ("/po/zh_CN-complete", test_zh_cn_complete);
  return g_test_run ();
}
