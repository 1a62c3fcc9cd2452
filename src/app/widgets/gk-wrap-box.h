/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Children side by side at their natural width, wrapping onto a new line
 * when the next one does not fit, like words in a paragraph (tag chips).
 * GtkFlowBox aligns its children in columns, so chips of different
 * widths spread out; libadwaita's AdwWrapBox came after 1.2. */

#define GK_TYPE_WRAP_BOX (gk_wrap_box_get_type ())
G_DECLARE_FINAL_TYPE (GkWrapBox, gk_wrap_box, GK, WRAP_BOX, GtkWidget)

GtkWidget *gk_wrap_box_new (int column_spacing, int row_spacing);
void       gk_wrap_box_append (GkWrapBox *self, GtkWidget *child);
void       gk_wrap_box_remove_all (GkWrapBox *self);

G_END_DECLS
