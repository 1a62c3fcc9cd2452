/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-replay [--target NAME] DIR|FILE…: runs a fuzz target on every
 * file given and on every file in every directory given (not recursing,
 * in name order), so that the unit suite re-runs each seed and each
 * crash ever found (fuzz/corpus/TARGET, fuzz/regressions/TARGET).  The
 * target is the name of the file's directory unless --target names it.
 * Built without libFuzzer, with any compiler: each target's
 * LLVMFuzzerTestOneInput() is compiled under its own name (fuzz/meson.build)
 * so that one program holds them all.  A crash or a failed check aborts,
 * and the test fails with the file's name last on its output. */
#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int fuzz_document_one_input (const uint8_t *data, size_t size);
int fuzz_portal_reply_one_input (const uint8_t *data, size_t size);

typedef int (*FuzzEntry) (const uint8_t *data, size_t size);

static const struct
{
  const char *name;
  FuzzEntry   entry;
} targets[] = {
  { "document", fuzz_document_one_input },
  { "portal-reply", fuzz_portal_reply_one_input },
};

typedef struct
{
  char     *path;
  FuzzEntry entry;
  char     *target;
} Input;

static void
input_free (gpointer data)
{
  Input *input = data;

  g_free (input->path);
  g_free (input->target);
  g_free (input);
}

static FuzzEntry
find_target (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    if (strcmp (targets[i].name, name) == 0)
      return targets[i].entry;
  return NULL;
}

/* One TAP case per file: a crash ends the output after its name. */
static gboolean
replay_file (const Input *input, guint number)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize            length = 0;

  if (!g_file_get_contents (input->path, &contents, &length, &error))
    {
      printf ("not ok %u - %s # %s\n", number, input->path, error->message);
      return FALSE;
    }
  printf ("# %s: %s (%" G_GSIZE_FORMAT " bytes)\n", input->target, input->path, length);
  fflush (stdout);
  /* A copy of exactly its size, so that ASan sees a read past the end. */
  {
    g_autofree guint8 *copy = g_memdup2 (contents, length);

    input->entry (copy, length);
  }
  printf ("ok %u - %s: %s\n", number, input->target, input->path);
  fflush (stdout);
  return TRUE;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
add_input (const char *path, const char *target, GPtrArray *inputs)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *dir_name = g_path_get_basename (dir);
  const char      *name = target != NULL ? target : dir_name;
  Input           *input;

  if (find_target (name) == NULL)
    {
      fprintf (stderr, "fuzz-replay: %s: no fuzz target “%s” (give --target NAME)\n", path, name);
      return FALSE;
    }
  input = g_new0 (Input, 1);
  input->path = g_strdup (path);
  input->target = g_strdup (name);
  input->entry = find_target (name);
  g_ptr_array_add (inputs, input);
  return TRUE;
}

static gboolean
add_dir (const char *path, const char *target, GPtrArray *inputs)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *base = g_path_get_basename (path);
  const char      *name;
  gboolean         ok = TRUE;

  /* A target may have no regressions yet: a missing directory is none. */
  if (dir == NULL)
    return TRUE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      char *child = g_build_filename (path, name, NULL);

      if (name[0] == '.' || g_file_test (child, G_FILE_TEST_IS_DIR))
        g_free (child);
      else
        g_ptr_array_add (names, child);
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    ok = add_input (g_ptr_array_index (names, i), target != NULL ? target : base, inputs) && ok;
  return ok;
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) inputs = g_ptr_array_new_with_free_func (input_free);
  const char *target = NULL;
  gboolean    ok = TRUE;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s [--target document|portal-reply] DIR|FILE…\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--target") == 0 && i + 1 < argc)
        target = argv[++i];
      else if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        ok = add_dir (argv[i], target, inputs) && ok;
      else if (g_file_test (argv[i], G_FILE_TEST_EXISTS))
        ok = add_input (argv[i], target, inputs) && ok;
    }
  if (!ok)
    return 2;

  printf ("1..%u\n", inputs->len);
  for (guint i = 0; i < inputs->len; i++)
    ok = replay_file (g_ptr_array_index (inputs, i), i + 1) && ok;
  return ok ? 0 : 1;
}
