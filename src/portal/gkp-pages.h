/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The public side of the reference portal: what a citizen sees.  The
 * pages are the government website's own, so they are in Chinese. */

/* Returns the title of a published document, or NULL. */
typedef char *(*GkpTitleFunc) (const char *id,
                               gpointer    user_data);

char *gkp_pages_index    (GPtrArray    *docs,
                          guint         page,
                          guint         n_pages,
                          guint         total);
char *gkp_pages_document (JsonObject   *record,
                          const char   *id,
                          const char   *updated_at,
                          GkpTitleFunc  title_of,
                          gpointer      user_data);
char *gkp_pages_message  (const char   *title,
                          const char   *text);

G_END_DECLS
