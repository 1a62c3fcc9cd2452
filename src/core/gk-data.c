/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiData"

#include "config.h"

#include "gk-core-resources.h"
#include "gk-data.h"

#define RESOURCE_PREFIX "/cn/gov/gongkai/Desk/data/"

/**
 * gk_data_candidates:
 * @name: a data file's name, "holidays.ini"
 *
 * Returns: (transfer full): the paths to try, in order
 */
GStrv
gk_data_candidates (const char *name)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  const char      *env = g_getenv ("GONGKAI_DATA_DIR");
  g_autofree char *installed = g_build_filename (PKGDATADIR, name, NULL);

  if (env != NULL && *env != '\0')
    {
      g_autofree char *path = g_build_filename (env, name, NULL);

      g_strv_builder_add (builder, path);
    }
  g_strv_builder_add (builder, installed);
  return g_strv_builder_end (builder);
}

/**
 * gk_data_find_file:
 * @name: a data file's name
 *
 * Returns: (transfer full) (nullable): the first candidate that is a file
 */
char *
gk_data_find_file (const char *name)
{
  g_auto (GStrv) candidates = gk_data_candidates (name);

  for (guint i = 0; candidates[i] != NULL; i++)
    if (g_file_test (candidates[i], G_FILE_TEST_IS_REGULAR))
      return g_strdup (candidates[i]);
  return NULL;
}

/**
 * gk_data_builtin:
 * @name: a data file's name
 *
 * Returns: (transfer full) (nullable): the shipped copy compiled into
 *   the core
 */
GBytes *
gk_data_builtin (const char *name)
{
  g_autofree char *path = g_strconcat (RESOURCE_PREFIX, name, NULL);

  /* Looked up in the core's own resource, not the global list: a static
   * library's constructor that registers it may be dropped by the
   * linker. */
  return g_resource_lookup_data (gk_core_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}
