/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sys/resource.h>

G_BEGIN_DECLS

/* Starting a helper program that reads untrusted PDFs: found beside the
 * program, in the build tree or in libexecdir (or where an environment
 * variable says), run without a shell, with limits on memory, CPU time and
 * core files, and killed when the parent dies. */

typedef struct
{
  rlim_t memory_bytes;   /* RLIMIT_AS; 0: none */
  rlim_t cpu_seconds;    /* RLIMIT_CPU soft limit; 0: none */
  rlim_t cpu_hard;       /* RLIMIT_CPU hard limit; 0: the soft one + 5 s */
} GkHelperLimits;

/* 3 GiB of address space, as for gongkai-extract. */
#define GK_HELPER_MEMORY_LIMIT ((rlim_t) 3 << 30)

char        *gk_helper_find  (const char            *name,
                              const char            *env_variable);
GSubprocess *gk_helper_spawn (const char            *helper,
                              const GkHelperLimits  *limits,
                              int                    child_fd,
                              int                    target_fd,
                              GError               **error);

G_END_DECLS
