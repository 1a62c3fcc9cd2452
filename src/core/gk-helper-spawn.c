/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkHelper"

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "gk-helper-spawn.h"

typedef struct
{
  GkHelperLimits limits;
  pid_t          parent;
} ChildSetup;

/* Runs in the child between fork and exec: async-signal-safe calls only. */
static void
limit_child (gpointer user_data)
{
  const ChildSetup *setup = user_data;
  struct rlimit core = { 0, 0 };

  /* AddressSanitizer reserves terabytes of address space: a memory limit
   * would stop the helper before it starts in such a build. */
#ifndef __SANITIZE_ADDRESS__
  if (setup->limits.memory_bytes > 0)
    {
      struct rlimit memory = { setup->limits.memory_bytes, setup->limits.memory_bytes };

      setrlimit (RLIMIT_AS, &memory);
    }
#endif
  if (setup->limits.cpu_seconds > 0)
    {
      struct rlimit cpu = { setup->limits.cpu_seconds,
                            setup->limits.cpu_hard > 0 ? setup->limits.cpu_hard
                                                       : setup->limits.cpu_seconds + 5 };

      setrlimit (RLIMIT_CPU, &cpu);
    }
  setrlimit (RLIMIT_CORE, &core);

  /* A helper must not outlive the window (a crash of ours, a kill -9).
   * The signal follows the spawning *thread*: helpers are spawned from the
   * main context's thread, which lives as long as the program. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != setup->parent)
    _exit (127);
}

/**
 * gk_helper_find:
 * @name: the program's file name, "gongkai-render"
 * @env_variable: (nullable): a variable naming the program, which wins
 *
 * Returns: (transfer full) (nullable): the helper's path, %NULL if missing
 */
char *
gk_helper_find (const char *name,
                const char *env_variable)
{
  const char *env = env_variable ? g_getenv (env_variable) : NULL;
  char *candidate;

  /* The variable (scripts/run and the tests point it into the build
   * tree), else the installed one: an installed program never guesses
   * its way into a build tree. */
  if (env != NULL && g_file_test (env, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (env);
  candidate = g_build_filename (LIBEXECDIR, name, NULL);
  if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
    return candidate;
  g_free (candidate);
  return NULL;
}

/**
 * gk_helper_spawn:
 * @helper: the program (from gk_helper_find())
 * @limits: what the helper may use
 * @child_fd: (transfer full): a descriptor for the helper, or -1
 * @target_fd: the number @child_fd gets in the helper
 * @error: return location for an error
 *
 * Starts @helper with no shell and no standard input or output (it speaks
 * over @child_fd), under @limits.
 *
 * Returns: (transfer full): the process, or %NULL with @error set
 */
GSubprocess *
gk_helper_spawn (const char            *helper,
                 const GkHelperLimits  *limits,
                 int                    child_fd,
                 int                    target_fd,
                 GError               **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *fd_arg = g_strdup_printf ("%d", target_fd);
  ChildSetup *setup = g_new0 (ChildSetup, 1);

  setup->limits = *limits;
  setup->parent = getpid ();
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, limit_child, setup, g_free);
  if (child_fd >= 0)
    g_subprocess_launcher_take_fd (launcher, child_fd, target_fd);
  return g_subprocess_launcher_spawn (launcher, error, helper, "--fd", fd_arg, NULL);
}
