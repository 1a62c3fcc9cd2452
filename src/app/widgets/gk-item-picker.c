/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Gongkai"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "gk-item-picker.h"
#include "gk-store-async.h"

#define MAX_RESULTS 30

struct _GkItemPicker
{
  GtkPopover      parent_instance;

  GkStore        *store;
  char           *exclude;
  GtkSearchEntry *entry;
  GtkListBox     *list;
  GtkLabel       *status;
  GtkLabel       *heading;
  GPtrArray      *suggestions;  /* GkItem*, offered before anything is typed */
  GCancellable   *cancellable;  /* the search on its way */
};

G_DEFINE_FINAL_TYPE (GkItemPicker, gk_item_picker, GTK_TYPE_POPOVER)

enum {
  ITEM_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_results (GkItemPicker *self,
              GPtrArray    *items)
{
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < items->len; i++)
    {
      GkItem *item = g_ptr_array_index (items, i);
      GtkWidget *row;

      if (g_strcmp0 (item->id, self->exclude) == 0 || shown >= MAX_RESULTS)
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     item->title ? item->title : item->file_name ? item->file_name : item->id);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (item->doc_number != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), item->doc_number);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "id", g_strdup (item->id), g_free);
      gtk_list_box_append (self->list, row);
      shown++;
    }
  gtk_label_set_label (self->status, shown == 0 ? _("No documents found.") : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status), shown == 0);
}

static void
on_query_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GkItemPicker) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = gk_store_query_finish (GK_STORE (source), result, &error);

  /* Typed on since: the newer search answers. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (items == NULL)
    {
      gtk_label_set_label (self->status, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->status), TRUE);
      return;
    }
  show_results (self, items);
}

static void
run_search (GkItemPicker *self,
            const char   *text)
{
  GkQuery query = { 0 };
  gboolean suggest =
      (text == NULL || *text == '\0') && self->suggestions != NULL && self->suggestions->len > 0;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->heading), suggest);
  if (suggest)
    {
      show_results (self, self->suggestions);
      return;
    }
  self->cancellable = g_cancellable_new ();
  /* The results shown stay until the new ones are in. */
  if (gtk_widget_get_first_child (GTK_WIDGET (self->list)) == NULL)
    {
      gtk_label_set_label (self->status, _("Loading…"));
      gtk_widget_set_visible (GTK_WIDGET (self->status), TRUE);
    }
  /* A local, indexed query of a few rows: quick enough for typing. */
  query.text = text != NULL && *text != '\0' ? text : NULL;
  gk_store_query_async (self->store, &query, 0, MAX_RESULTS + 1, self->cancellable, on_query_cb,
                        g_object_ref (self));
}

/**
 * gk_item_picker_is_searching:
 * @self: a picker
 *
 * Returns: whether a search is on its way
 */
gboolean
gk_item_picker_is_searching (GkItemPicker *self)
{
  g_return_val_if_fail (GK_IS_ITEM_PICKER (self), FALSE);

  return self->cancellable != NULL;
}

static void
on_search_changed_cb (GkItemPicker *self)
{
  run_search (self, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

static void
on_row_activated_cb (GtkListBox    *list,
                     GtkListBoxRow *row,
                     GkItemPicker  *self)
{
  g_autofree char *id = g_strdup (g_object_get_data (G_OBJECT (row), "id"));

  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[ITEM_CHOSEN], 0, id);
}

static void
on_show_cb (GkItemPicker *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  run_search (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
gk_item_picker_dispose (GObject *object)
{
  GkItemPicker *self = GK_ITEM_PICKER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (gk_item_picker_parent_class)->dispose (object);
}

static void
gk_item_picker_finalize (GObject *object)
{
  GkItemPicker *self = GK_ITEM_PICKER (object);

  g_clear_object (&self->store);
  g_free (self->exclude);
  g_clear_pointer (&self->suggestions, g_ptr_array_unref);

  G_OBJECT_CLASS (gk_item_picker_parent_class)->finalize (object);
}

static void
gk_item_picker_class_init (GkItemPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gk_item_picker_dispose;
  object_class->finalize = gk_item_picker_finalize;

  /**
   * GkItemPicker::item-chosen:
   * @picker: the picker
   * @id: the chosen item's id
   */
  signals[ITEM_CHOSEN] = g_signal_new ("item-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
gk_item_picker_init (GkItemPicker *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->entry, "placeholder-text", _("Search by title or document number"), NULL);
  g_signal_connect_swapped (self->entry, "search-changed", G_CALLBACK (on_search_changed_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entry));

  self->heading = GTK_LABEL (gtk_label_new (_ ("Cited in this document")));
  gtk_label_set_xalign (self->heading, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->heading), "heading");
  gtk_widget_set_margin_start (GTK_WIDGET (self->heading), 6);
  gtk_widget_set_visible (GTK_WIDGET (self->heading), FALSE);
  gtk_widget_set_name (GTK_WIDGET (self->heading), "suggestions-heading");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->heading));

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "navigation-sidebar");
  g_signal_connect (self->list, "row-activated", G_CALLBACK (on_row_activated_cb), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->list));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  gtk_widget_set_size_request (scroller, 360, -1);
  gtk_box_append (GTK_BOX (box), scroller);

  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_label_set_wrap (self->status, TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status));

  gtk_popover_set_child (GTK_POPOVER (self), box);
  g_signal_connect (self, "show", G_CALLBACK (on_show_cb), NULL);
}

/**
 * gk_item_picker_new:
 * @store: the library
 *
 * Returns: (transfer full): a picker over @store's items
 */
GtkWidget *
gk_item_picker_new (GkStore *store)
{
  GkItemPicker *self = g_object_new (GK_TYPE_ITEM_PICKER, NULL);

  self->store = g_object_ref (store);
  return GTK_WIDGET (self);
}

/**
 * gk_item_picker_set_exclude:
 * @self: a picker
 * @id: (nullable): an item not to offer
 *
 * Leaves the edited item itself out of the results.
 */
void
gk_item_picker_set_exclude (GkItemPicker *self,
                            const char   *id)
{
  g_return_if_fail (GK_IS_ITEM_PICKER (self));

  g_free (self->exclude);
  self->exclude = g_strdup (id);
}

/**
 * gk_item_picker_set_suggestions:
 * @self: a picker
 * @items: (nullable) (element-type GkItem): items to offer before anything
 *   is typed (those the document cites), or %NULL
 *
 * Shown under "Cited in this document" while the search is empty; typing
 * searches the library as before.
 */
void
gk_item_picker_set_suggestions (GkItemPicker *self, GPtrArray *items)
{
  const char *text;

  g_return_if_fail (GK_IS_ITEM_PICKER (self));

  g_clear_pointer (&self->suggestions, g_ptr_array_unref);
  if (items != NULL)
    self->suggestions = g_ptr_array_ref (items);
  text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  if (gtk_widget_get_visible (GTK_WIDGET (self)) && (text == NULL || *text == '\0'))
    run_search (self, NULL);
}

/**
 * gk_item_picker_get_n_results:
 * @self: a picker
 *
 * Returns: how many items are offered now
 */
guint
gk_item_picker_get_n_results (GkItemPicker *self)
{
  guint n = 0;

  g_return_val_if_fail (GK_IS_ITEM_PICKER (self), 0);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

/**
 * gk_item_picker_search:
 * @self: a picker
 * @text: (nullable): words
 *
 * Lists the items found for @text (in the background:
 * gk_item_picker_is_searching()).
 */
void
gk_item_picker_search (GkItemPicker *self,
                       const char   *text)
{
  g_return_if_fail (GK_IS_ITEM_PICKER (self));

  run_search (self, text);
}

/**
 * gk_item_picker_choose_nth:
 * @self: a picker
 * @n: 0-based result
 *
 * Returns: %TRUE if there was such a result (and "item-chosen" emitted)
 */
gboolean
gk_item_picker_choose_nth (GkItemPicker *self,
                           guint         n)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (GK_IS_ITEM_PICKER (self), FALSE);

  row = gtk_list_box_get_row_at_index (self->list, (int) n);
  if (row == NULL)
    return FALSE;
  on_row_activated_cb (self->list, row, self);
  return TRUE;
}
