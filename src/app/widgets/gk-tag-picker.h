/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "gk-store.h"

G_BEGIN_DECLS

/* A popover to pick a tag from the catalog (标签目录): a search entry over
 * the tag paths, the tree indented.  Emits "tag-chosen" with the name. */

#define GK_TYPE_TAG_PICKER (gk_tag_picker_get_type ())
G_DECLARE_FINAL_TYPE (GkTagPicker, gk_tag_picker, GK, TAG_PICKER, GtkPopover)

GtkWidget *gk_tag_picker_new        (void);
/* tags: GkTag* in tree order (gk_store_list_tags()); retired ones are
 * left out.  Names in exclude (nullable) are not offered. */
void       gk_tag_picker_set_tags   (GkTagPicker       *self,
                                     GPtrArray         *tags,
                                     const char *const *exclude);
/* A flat list of names instead of the catalog (to remove one). */
void       gk_tag_picker_set_names  (GkTagPicker       *self,
                                     const char *const *names);
/* Choose by name, as a click on its row would (tests). */
gboolean   gk_tag_picker_choose     (GkTagPicker       *self,
                                     const char        *name);

G_END_DECLS
