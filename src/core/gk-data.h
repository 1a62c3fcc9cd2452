/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The data the program ships (data/holidays.ini, data/topics.txt), found
 * in one way everywhere: a file of that name in $GONGKAI_DATA_DIR (tests,
 * scripts/run, a site's own calendar), else in the installed data folder
 * (PKGDATADIR), else the copy compiled into the core as a GResource, so
 * that the shipped data is always there.  Never the source or build
 * tree. */

/* The files to try, in order (NULL-terminated; those that do not exist
 * included). */
GStrv gk_data_candidates (const char *name);
/* The first candidate that is a regular file, or NULL. */
char *gk_data_find_file (const char *name);
/* The copy compiled into the core, or NULL when @name is not shipped. */
GBytes *gk_data_builtin (const char *name);

G_END_DECLS
