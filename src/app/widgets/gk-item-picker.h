/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "gk-store.h"

G_BEGIN_DECLS

/* A popover to pick another item of the library by searching its title,
 * 文号 or text (the policy an interpretation explains).  Emits
 * "item-chosen" with the item's id. */

#define GK_TYPE_ITEM_PICKER (gk_item_picker_get_type ())
G_DECLARE_FINAL_TYPE (GkItemPicker, gk_item_picker, GK, ITEM_PICKER, GtkPopover)

GtkWidget *gk_item_picker_new          (GkStore      *store);
/* This item is not offered (the one being edited). */
void       gk_item_picker_set_exclude  (GkItemPicker *self,
                                        const char   *id);
/* Search now (tests; the entry does it as one types), in the
 * background: the results are in when is_searching() says FALSE. */
void       gk_item_picker_search       (GkItemPicker *self,
                                        const char   *text);
gboolean   gk_item_picker_is_searching (GkItemPicker *self);
/* Items offered before anything is typed (those the document cites). */
void  gk_item_picker_set_suggestions (GkItemPicker *self, GPtrArray *items);
guint gk_item_picker_get_n_results (GkItemPicker *self);
/* Choose the n-th result (tests); FALSE if there is none. */
gboolean   gk_item_picker_choose_nth   (GkItemPicker *self,
                                        guint         n);

G_END_DECLS
