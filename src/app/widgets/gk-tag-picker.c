/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Gongkai"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gk-tag-picker.h"

struct _GkTagPicker
{
  GtkPopover      parent_instance;

  GtkSearchEntry *entry;
  GtkListBox     *list;
  GtkStack       *stack;
  GtkLabel       *empty_label;
};

G_DEFINE_FINAL_TYPE (GkTagPicker, gk_tag_picker, GTK_TYPE_POPOVER)

enum {
  TAG_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
add_row (GkTagPicker *self,
         const char  *name,
         const char  *path,
         guint        depth)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (name);
  g_autofree char *folded = g_utf8_casefold (path, -1);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_start (label, 6 + 16 * (int) depth);
  gtk_widget_set_margin_end (label, 6);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_set_tooltip_text (row, path);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  g_object_set_data_full (G_OBJECT (row), "name", g_strdup (name), g_free);
  g_object_set_data_full (G_OBJECT (row), "path", g_strdup (path), g_free);
  g_object_set_data_full (G_OBJECT (row), "folded", g_steal_pointer (&folded), g_free);
  g_object_set_data (G_OBJECT (row), "depth", GUINT_TO_POINTER (depth));
  g_object_set_data (G_OBJECT (row), "label", label);
  gtk_list_box_append (self->list, row);
}

static void
clear_rows (GkTagPicker *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
}

static void
update_stack (GkTagPicker *self)
{
  gtk_stack_set_visible_child_name (self->stack,
                                    gtk_widget_get_first_child (GTK_WIDGET (self->list)) ? "list" : "empty");
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  GkTagPicker *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *needle = NULL;
  GtkLabel *label = g_object_get_data (G_OBJECT (row), "label");
  guint depth = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "depth"));
  gboolean searching = text != NULL && *text != '\0';

  /* While searching, rows show their whole path: the tree is gone. */
  gtk_label_set_label (label, searching ? g_object_get_data (G_OBJECT (row), "path")
                                        : g_object_get_data (G_OBJECT (row), "name"));
  gtk_widget_set_margin_start (GTK_WIDGET (label), 6 + (searching ? 0 : 16 * (int) depth));
  if (!searching)
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  return strstr (g_object_get_data (G_OBJECT (row), "folded"), needle) != NULL;
}

static void
on_search_changed_cb (GkTagPicker *self)
{
  gtk_list_box_invalidate_filter (self->list);
}

static void
emit_chosen (GkTagPicker   *self,
             GtkListBoxRow *row)
{
  g_autofree char *name = g_strdup (g_object_get_data (G_OBJECT (row), "name"));

  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[TAG_CHOSEN], 0, name);
}

static void
on_row_activated_cb (GtkListBox    *list,
                     GtkListBoxRow *row,
                     GkTagPicker   *self)
{
  emit_chosen (self, row);
}

static void
on_entry_activate_cb (GkTagPicker *self)
{
  /* Enter picks the first row the search leaves. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_child_visible (child) && filter_row (GTK_LIST_BOX_ROW (child), self))
      {
        emit_chosen (self, GTK_LIST_BOX_ROW (child));
        return;
      }
}

static void
on_show_cb (GkTagPicker *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
gk_tag_picker_class_init (GkTagPickerClass *klass)
{
  /**
   * GkTagPicker::tag-chosen:
   * @picker: the picker
   * @name: the tag's name
   */
  signals[TAG_CHOSEN] = g_signal_new ("tag-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
gk_tag_picker_init (GkTagPicker *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->entry, "placeholder-text", _("Search tags"), NULL);
  g_signal_connect_swapped (self->entry, "search-changed", G_CALLBACK (on_search_changed_cb), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (on_entry_activate_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entry));

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_list_box_set_activate_on_single_click (self->list, TRUE);
  gtk_list_box_set_filter_func (self->list, filter_row, self, NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "navigation-sidebar");
  g_signal_connect (self->list, "row-activated", G_CALLBACK (on_row_activated_cb), self);

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->list));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 320);
  gtk_widget_set_size_request (scroller, 260, -1);

  self->empty_label = GTK_LABEL (gtk_label_new (_("The tag catalog is empty. An admin adds tags with “gongkai-ctl catalog add”.")));
  gtk_label_set_wrap (self->empty_label, TRUE);
  gtk_label_set_max_width_chars (self->empty_label, 30);
  gtk_widget_add_css_class (GTK_WIDGET (self->empty_label), "dim-label");
  gtk_widget_set_margin_top (GTK_WIDGET (self->empty_label), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->empty_label), 12);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->stack, scroller, "list");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->empty_label), "empty");
  gtk_stack_set_vhomogeneous (self->stack, FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));

  gtk_popover_set_child (GTK_POPOVER (self), box);
  g_signal_connect (self, "show", G_CALLBACK (on_show_cb), NULL);
  update_stack (self);
}

/**
 * gk_tag_picker_new:
 *
 * Returns: (transfer full): an empty picker
 */
GtkWidget *
gk_tag_picker_new (void)
{
  return g_object_new (GK_TYPE_TAG_PICKER, NULL);
}

/**
 * gk_tag_picker_set_tags:
 * @self: a picker
 * @tags: (element-type GkTag): the catalog in tree order
 * @exclude: (nullable): names not to offer (the item's own tags)
 *
 * Offers the catalog's tags that are not retired.
 */
void
gk_tag_picker_set_tags (GkTagPicker       *self,
                        GPtrArray         *tags,
                        const char *const *exclude)
{
  g_return_if_fail (GK_IS_TAG_PICKER (self));

  clear_rows (self);
  for (guint i = 0; tags != NULL && i < tags->len; i++)
    {
      GkTag *tag = g_ptr_array_index (tags, i);
      guint depth = 0;

      if (tag->retired || (exclude != NULL && g_strv_contains (exclude, tag->name)))
        continue;
      for (const char *p = tag->path; p != NULL && *p != '\0'; p++)
        if (*p == '/')
          depth++;
      add_row (self, tag->name, tag->path ? tag->path : tag->name, depth);
    }
  gtk_label_set_label (self->empty_label,
                       _("The tag catalog is empty. An admin adds tags with “gongkai-ctl catalog add”."));
  update_stack (self);
}

/**
 * gk_tag_picker_set_names:
 * @self: a picker
 * @names: (nullable): tag names
 *
 * Offers exactly these names, without the tree.
 */
void
gk_tag_picker_set_names (GkTagPicker       *self,
                         const char *const *names)
{
  g_return_if_fail (GK_IS_TAG_PICKER (self));

  clear_rows (self);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    add_row (self, names[i], names[i], 0);
  gtk_label_set_label (self->empty_label, _("No tags to remove."));
  update_stack (self);
}

/**
 * gk_tag_picker_choose:
 * @self: a picker
 * @name: a tag name offered by the picker
 *
 * Returns: %TRUE if @name was offered (and "tag-chosen" emitted)
 */
gboolean
gk_tag_picker_choose (GkTagPicker *self,
                      const char  *name)
{
  g_return_val_if_fail (GK_IS_TAG_PICKER (self), FALSE);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (child), "name"), name) == 0)
      {
        emit_chosen (self, GTK_LIST_BOX_ROW (child));
        return TRUE;
      }
  return FALSE;
}
