/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiLibrary"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "gk-app-util.h"
#include "gk-deadline.h"
#include "gk-library-view.h"
#include "gk-store-async.h"
#include "gk-tag-picker.h"
#include "gk-util.h"
#include "gk-workflow.h"

/* Bigger selections are not restored after the list changes. */
#define MAX_TRACKED_SELECTION 2000

struct _GkLibraryView
{
  GtkWidget          parent_instance;

  GtkSearchBar      *search_bar;
  GtkSearchEntry    *search_entry;
  GtkDropDown       *tag_filter;
  GtkDropDown       *category_filter;
  GtkDropDown       *state_filter;
  GtkPaned          *vpaned;
  GtkStack          *list_stack;
  GtkScrolledWindow *list_scroller;
  GtkColumnView     *column_view;
  AdwStatusPage     *empty_page;
  GtkRevealer       *bulk_revealer;
  GtkLabel          *bulk_label;
  GtkButton         *bulk_submit_button;
  GtkMenuButton     *bulk_add_button;
  GtkMenuButton     *bulk_remove_button;
  GtkStack          *detail_stack;
  AdwStatusPage     *multi_page;
  GtkPaned          *hpaned;
  GkPdfView         *preview;
  GkRecordEditor    *editor;

  GkContext         *context;
  GkItemList        *list;
  GtkMultiSelection *selection;

  /* The view's own filters; strings owned by preset_strings. */
  GkQuery            preset;
  GPtrArray         *preset_strings;
  char              *sort_key;
  gboolean           sort_descending;
  GPtrArray         *tag_names;       /* tag filter values, [0] = NULL */
  char              *wanted_tag;      /* to select once the catalog is read */
  gboolean           filling_filters;

  char              *current_id;
  GCancellable      *item_cancellable;  /* the shown item's read */
  gboolean           item_loading;      /* a newly selected item is on its way */
  GCancellable      *cancellable;       /* every other read, cancelled at dispose */
  GHashTable        *selected_ids;
  gboolean           restoring;
  gboolean           asking;
  gboolean           busy;
  GkTagPicker       *add_picker;
  GkTagPicker       *remove_picker;
  GObject           *probe_a;
  GObject           *probe_b;
  guint              scroll_source;
  guint              scroll_position;
  guint              scroll_tries;
};

G_DEFINE_FINAL_TYPE (GkLibraryView, gk_library_view, GTK_TYPE_WIDGET)

typedef enum
{
  COLUMN_TITLE,
  COLUMN_DOC_NUMBER,
  COLUMN_ISSUER,
  COLUMN_WRITTEN_DATE,
  COLUMN_STATE,
  COLUMN_TAGS,
  COLUMN_DUE,
} ColumnId;

static const struct
{
  ColumnId    id;
  const char *field;      /* for the label: gk_item_field_label () */
  const char *label;      /* when there is no field */
  const char *sort;       /* GkQuery sort key, NULL: not sortable */
  int         width;
  gboolean    expand;
} columns[] = {
  { COLUMN_TITLE, "title", NULL, "title", 280, TRUE },
  { COLUMN_DOC_NUMBER, "doc_number", NULL, "doc_number", 170, FALSE },
  { COLUMN_ISSUER, "issuer", NULL, "issuer", 140, FALSE },
  { COLUMN_WRITTEN_DATE, "written_date", NULL, "written_date", 105, FALSE },
  { COLUMN_STATE, NULL, N_ ("State"), "state", 110, FALSE },
  { COLUMN_TAGS, "tags", NULL, NULL, 120, FALSE },
  { COLUMN_DUE, NULL, N_ ("Due"), "due", 215, FALSE }, /* "1748 working days overdue" */
};

static const char *state_classes[] = {
  "state-draft", "state-in-review", "state-returned", "state-approved",
  "state-published", "state-withdrawn",
};

/* The primary sort column of the column view, found by asking its sorter
 * to compare two probes: GTK 4.8 has no public API for it, and the list
 * is never sorted by GTK (the store sorts). */
static const char *probe_hit;

static void apply_query (GkLibraryView *self);
static void show_item (GkLibraryView *self, const char *id);
static void load_item (GkLibraryView *self, gboolean refresh);

/* Helpers */

static GkStore *
get_store (GkLibraryView *self)
{
  return gk_context_get_store (self->context);
}

static const char *
own_string (GkLibraryView *self,
            const char    *text)
{
  if (text == NULL)
    return NULL;
  g_ptr_array_add (self->preset_strings, g_strdup (text));
  return g_ptr_array_index (self->preset_strings, self->preset_strings->len - 1);
}

static const char *
dropdown_value (GtkDropDown *dropdown,
                GPtrArray   *values)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (values == NULL || selected == GTK_INVALID_LIST_POSITION || selected >= values->len)
    return NULL;
  return g_ptr_array_index (values, selected);
}

static GPtrArray *
values_of (GtkDropDown *dropdown)
{
  return g_object_get_data (G_OBJECT (dropdown), "values");
}

static void
update_empty (GkLibraryView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean filtered = (text != NULL && *text != '\0') ||
                      gtk_drop_down_get_selected (self->tag_filter) > 0 ||
                      gtk_drop_down_get_selected (self->category_filter) > 0 ||
                      gtk_drop_down_get_selected (self->state_filter) > 0;
  const GError *error = gk_item_list_get_error (self->list);

  /* No verdict on an empty list before the store answered. */
  if (n == 0 && gk_item_list_is_loading (self->list))
    return;
  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
      return;
    }
  if (error != NULL)
    {
      adw_status_page_set_icon_name (self->empty_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->empty_page, _("The Documents Cannot Be Listed"));
      adw_status_page_set_description (self->empty_page, error->message);
    }
  else if (filtered)
    {
      adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Results"));
      adw_status_page_set_description (self->empty_page, _("Try other words or remove a filter."));
    }
  else if (self->preset.state != GK_QUERY_ANY_STATE || self->preset.created_by != NULL ||
           self->preset.expiring_before != NULL || self->preset.due_within != 0)
    {
      /* A view of the library (drafts, ready to publish, expiring…) that
       * happens to be empty: nothing to import here. */
      adw_status_page_set_icon_name (self->empty_page, "object-select-symbolic");
      adw_status_page_set_title (self->empty_page, _("Nothing in This View"));
      adw_status_page_set_description (self->empty_page,
                                       _("No document of the library is in this state now."));
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_page, "folder-documents-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Documents Here"));
      adw_status_page_set_description (self->empty_page,
                                       _("Import PDF files with the Import button (Ctrl+O) or drop them on the window."));
    }
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

static void
apply_query (GkLibraryView *self)
{
  GkQuery query = self->preset;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const char *tag = dropdown_value (self->tag_filter, self->tag_names);
  const char *category = dropdown_value (self->category_filter, values_of (self->category_filter));
  const char *state = dropdown_value (self->state_filter, values_of (self->state_filter));

  if (self->list == NULL)
    return;
  if (gtk_search_bar_get_search_mode (self->search_bar))
    {
      if (text != NULL && *text != '\0')
        query.text = text;
      if (tag != NULL)
        query.tag = tag;
      if (category != NULL)
        query.category = category;
      if (state != NULL && gk_query_state_parse (state, &query.state, NULL))
        query.stage = NULL;
    }
  if (self->sort_key != NULL)
    {
      query.sort = self->sort_key;
      query.descending = self->sort_descending;
    }
  gk_item_list_set_query (self->list, &query);
  update_empty (self);
}

static void
on_filter_tags_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GkLibraryView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tags = gk_store_list_tags_finish (GK_STORE (source), result, &error);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const char *current;
  g_autofree char *keep = NULL;
  guint selected = 0;

  if (tags == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the tag catalog: %s", error->message);
      return;
    }
  current = dropdown_value (self->tag_filter, self->tag_names);
  /* A tag asked for (gk_library_view_set_filters()) before the catalog
   * was there wins over the one shown. */
  keep = self->wanted_tag != NULL ? g_steal_pointer (&self->wanted_tag) : g_strdup (current);
  g_clear_pointer (&self->tag_names, g_ptr_array_unref);
  self->tag_names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->tag_names, NULL);
  gtk_string_list_append (labels, _("Any tag"));
  for (guint i = 0; i < tags->len; i++)
    {
      GkTag *tag = g_ptr_array_index (tags, i);

      if (g_strcmp0 (tag->name, keep) == 0)
        selected = self->tag_names->len;
      g_ptr_array_add (self->tag_names, g_strdup (tag->name));
      gtk_string_list_append (labels, tag->path ? tag->path : tag->name);
    }
  self->filling_filters = TRUE;
  gtk_drop_down_set_model (self->tag_filter, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->tag_filter, selected);
  self->filling_filters = FALSE;
  if (g_strcmp0 (keep, current) != 0)
    apply_query (self);
}

static void
fill_tag_filter (GkLibraryView *self)
{
  if (get_store (self) == NULL)
    return;
  gk_store_list_tags_async (get_store (self), TRUE, self->cancellable, on_filter_tags_cb,
                            g_object_ref (self));
}

static void
fill_dropdown (GtkDropDown        *dropdown,
               const char         *any,
               const char *const  *values,
               const char       *(*label_of) (const char *))
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GPtrArray *owned = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (owned, NULL);
  gtk_string_list_append (labels, any);
  for (guint i = 0; values[i] != NULL; i++)
    {
      g_ptr_array_add (owned, g_strdup (values[i]));
      gtk_string_list_append (labels, label_of (values[i]));
    }
  g_object_set_data_full (G_OBJECT (dropdown), "values", owned, (GDestroyNotify) g_ptr_array_unref);
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (labels));
}

static const char *
state_label_of (const char *name)
{
  GkState state;

  return gk_state_from_string (name, &state) ? gk_state_to_label (state) : name;
}

/* Columns */

static void
on_cell_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, gk_row_label_new ());
}

static void
on_cell_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 GkLibraryView            *self)
{
  ColumnId column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkWidget *label = gtk_list_item_get_child (list_item);
  GkItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *owned = NULL;
  const char *text = NULL;
  const char *tooltip = NULL;

  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "dim-label");
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (label, state_classes[i]);
  gtk_widget_remove_css_class (label, "state-pill");
  gtk_widget_set_halign (label, GTK_ALIGN_FILL);

  switch (column)
    {
    case COLUMN_TITLE:
      text = item->title ? item->title : item->file_name;
      tooltip = text;
      if (item->title == NULL)
        gtk_widget_add_css_class (label, "dim-label");
      break;
    case COLUMN_DOC_NUMBER:
      text = item->doc_number;
      break;
    case COLUMN_ISSUER:
      text = item->issuer;
      tooltip = text;
      break;
    case COLUMN_WRITTEN_DATE:
      text = item->written_date;
      break;
    case COLUMN_STATE:
      text = gk_state_to_label (item->state);
      gtk_widget_add_css_class (label, "state-pill");
      gtk_widget_set_halign (label, GTK_ALIGN_START);
      if ((guint) item->state < G_N_ELEMENTS (state_classes))
        gtk_widget_add_css_class (label, state_classes[item->state]);
      if (item->state == GK_STATE_IN_REVIEW)
        tooltip = gk_stage_to_label (item->stage);
      break;
    case COLUMN_TAGS:
      if (item->tags != NULL && item->tags[0] != NULL)
        owned = g_strjoinv ("、", item->tags);
      text = owned;
      tooltip = owned;
      break;
    case COLUMN_DUE:
      {
        int days;
        /* The one deadline rule (gk-deadline.h): nothing for 依申请公开 and
         * 不予公开 items, as in the "Due soon" view. */
        GkDeadlineState deadline = gk_deadline_for_item (item, gk_context_get_calendar (self->context),
                                                         NULL, &days);

        if (deadline == GK_DEADLINE_NONE)
          {
            /* Public already (published here, or filed from the back
             * catalogue with the day it went public): say since when. */
            if (item->state != GK_STATE_WITHDRAWN &&
                gk_deadline_already_public (item->publish_date, NULL))
              {
                owned = g_strdup_printf (_ ("Public since %s"), item->publish_date);
                text = owned;
                gtk_widget_add_css_class (label, "dim-label");
              }
            break;
          }
        owned = gk_format_days_left (days);
        text = owned;
        tooltip = item->due_date;
        if (deadline == GK_DEADLINE_OVERDUE)
          gtk_widget_add_css_class (label, "error");
        else if (deadline == GK_DEADLINE_SOON)
          gtk_widget_add_css_class (label, "warning");
      }
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_label_set_label (GTK_LABEL (label), text ? text : "");
  gk_widget_set_row_tooltip (label, tooltip);
}

static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  if (probe_hit == NULL)
    probe_hit = user_data;
  return GTK_ORDERING_SMALLER;
}

static void
on_sorter_changed_cb (GtkSorter     *sorter,
                      GtkSorterChange change,
                      GkLibraryView *self)
{
  GtkOrdering order;
  GSettings *settings = gk_context_get_settings (self->context);

  probe_hit = NULL;
  order = gtk_sorter_compare (sorter, self->probe_a, self->probe_b);
  g_free (self->sort_key);
  self->sort_key = order == GTK_ORDERING_EQUAL ? NULL : g_strdup (probe_hit);
  self->sort_descending = order == GTK_ORDERING_LARGER;
  probe_hit = NULL;

  if (settings != NULL)
    {
      g_settings_set_string (settings, "sort-key", self->sort_key ? self->sort_key : "");
      g_settings_set_boolean (settings, "sort-descending", self->sort_descending);
    }
  apply_query (self);
}

static void
build_columns (GkLibraryView *self)
{
  GSettings *settings = gk_context_get_settings (self->context);
  g_autofree char *sort_key = settings ? g_settings_get_string (settings, "sort-key") : NULL;
  gboolean descending = settings ? g_settings_get_boolean (settings, "sort-descending") : FALSE;
  GtkColumnViewColumn *sort_column = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      const char *title = columns[i].field ? gk_item_field_label (columns[i].field) : _(columns[i].label);
      GtkColumnViewColumn *column;

      g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (columns[i].id));
      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind_cb), self);
      column = gtk_column_view_column_new (title, factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_fixed_width (column, columns[i].width);
      if (columns[i].sort != NULL)
        {
          g_autoptr(GtkSorter) sorter =
            GTK_SORTER (gtk_custom_sorter_new (probe_compare, (gpointer) columns[i].sort, NULL));

          gtk_column_view_column_set_sorter (column, sorter);
          if (g_strcmp0 (sort_key, columns[i].sort) == 0)
            sort_column = column;
        }
      gtk_column_view_append_column (self->column_view, column);
      g_object_unref (column);
    }

  if (sort_column != NULL)
    {
      gtk_column_view_sort_by_column (self->column_view, sort_column,
                                      descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
      self->sort_key = g_strdup (sort_key);
      self->sort_descending = descending;
    }
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed_cb), self, 0);
}

/* Selection and the detail pane */

static void
remember_selection (GkLibraryView *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GtkBitsetIter iter;
  guint position;

  g_hash_table_remove_all (self->selected_ids);
  if (gtk_bitset_get_size (selected) > MAX_TRACKED_SELECTION)
    return;
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      const char *id = gk_item_list_get_id (self->list, position);

      if (id != NULL)
        g_hash_table_add (self->selected_ids, g_strdup (id));
    }
}

static void
restore_selection (GkLibraryView *self)
{
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));

  for (guint i = 0; i < n && gtk_bitset_get_size (selected) < g_hash_table_size (self->selected_ids); i++)
    if (g_hash_table_contains (self->selected_ids, gk_item_list_get_id (self->list, i)))
      gtk_bitset_add (selected, i);
  mask = gtk_bitset_new_range (0, n);
  self->restoring = TRUE;
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), selected, mask);
  self->restoring = FALSE;
}

static void
update_bulk_bar (GkLibraryView *self,
                 guint          n_selected)
{
  g_autofree char *label = NULL;

  gtk_revealer_set_reveal_child (self->bulk_revealer, n_selected >= 2);
  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document selected",
                                        "%u documents selected", n_selected), n_selected);
  gtk_label_set_label (self->bulk_label, label);
  adw_status_page_set_title (self->multi_page, label);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "library.submit-selected",
                                 n_selected >= 1 && !self->busy);
}

typedef struct
{
  GkLibraryView *self;
  char          *id;
} ShowRequest;

static void
on_leave_for_selection_cb (gboolean proceed,
                           gpointer user_data)
{
  ShowRequest *request = user_data;
  GkLibraryView *self = request->self;

  if (proceed)
    show_item (self, request->id);
  else
    {
      /* Cancel: back to the item with the unsaved changes. */
      guint position = gk_item_list_find (self->list, self->current_id);

      self->restoring = TRUE;
      if (position != G_MAXUINT)
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
      else
        gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
      self->restoring = FALSE;
      remember_selection (self);
      update_bulk_bar (self, position != G_MAXUINT ? 1 : 0);
    }
  g_object_unref (self);
  g_free (request->id);
  g_free (request);
}

static void
update_selection (GkLibraryView *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n = gtk_bitset_get_size (selected);
  const char *id = n == 1 ? gk_item_list_get_id (self->list, gtk_bitset_get_nth (selected, 0)) : NULL;
  ShowRequest *request;

  remember_selection (self);
  update_bulk_bar (self, (guint) MIN (n, G_MAXUINT));

  if (g_strcmp0 (id, self->current_id) == 0 && (id != NULL || n < 2))
    return;
  request = g_new0 (ShowRequest, 1);
  request->self = g_object_ref (self);
  request->id = g_strdup (id);
  gk_library_view_confirm_leave (self, on_leave_for_selection_cb, request);
}

static void
on_selection_changed_cb (GtkSelectionModel *model,
                         guint              position,
                         guint              n_items,
                         GkLibraryView     *self)
{
  if (self->restoring || self->asking)
    return;
  update_selection (self);
}

static void
on_model_items_changed_cb (GListModel    *model,
                           guint          position,
                           guint          removed,
                           guint          added,
                           GkLibraryView *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  guint current;

  update_empty (self);
  if (g_hash_table_size (self->selected_ids) > 0)
    {
      selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
      if (gtk_bitset_get_size (selected) < g_hash_table_size (self->selected_ids))
        restore_selection (self);
    }

  /* The item shown changed in the store: show the new values unless the
   * person is editing. */
  current = gk_item_list_find (self->list, self->current_id);
  if (current != G_MAXUINT && current >= position && current < position + added &&
      !gk_record_editor_is_dirty (self->editor))
    load_item (self, TRUE);
}

/* The item shown, from the store: the list's copy has no findings. */
static void
present_item (GkLibraryView *self,
              GkItem        *item)
{
  g_autofree char *path = NULL;

  gk_record_editor_set_item (self->editor, item);
  if (item == NULL)
    {
      g_autoptr(GtkBitset) selected =
        gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

      gk_pdf_view_clear (self->preview, NULL);
      gtk_stack_set_visible_child_name (self->detail_stack,
                                        gtk_bitset_get_size (selected) >= 2 ? "multi" : "none");
      return;
    }

  if (item->file_sha256 != NULL)
    path = gk_store_get_file_path (get_store (self), item->file_sha256);
  if (path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR))
    gk_pdf_view_load (self->preview, path, item->findings);
  else
    gk_pdf_view_clear (self->preview, _("The document's file is missing from the library."));
  gtk_stack_set_visible_child_name (self->detail_stack, "item");
}

/* Whether fresh differs from what the panel shows (a refresh of the
 * list that changed nothing of this item leaves the panel alone: no
 * jump of its scroll, no reload of the preview). */
static gboolean
item_changed (GkItem *shown,
              GkItem *fresh)
{
  guint n_shown, n_fresh;

  if (shown == NULL || fresh == NULL)
    return shown != fresh;
  n_shown = shown->findings != NULL ? shown->findings->len : 0;
  n_fresh = fresh->findings != NULL ? fresh->findings->len : 0;
  if (n_shown != n_fresh || shown->revision != fresh->revision || shown->state != fresh->state ||
      shown->stage != fresh->stage || g_strcmp0 (shown->updated_at, fresh->updated_at) != 0)
    return TRUE;
  for (guint i = 0; i < n_shown; i++)
    {
      GkFinding *a = g_ptr_array_index (shown->findings, i);
      GkFinding *b = g_ptr_array_index (fresh->findings, i);

      if (a->id != b->id || a->status != b->status)
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  GkLibraryView *self;
  char          *id;
  gboolean       refresh;  /* the same item again, after a change */
} ShowLoad;

static void
on_item_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ShowLoad *load = user_data;
  GkLibraryView *self = load->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = gk_store_get_item_finish (GK_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_strcmp0 (load->id, self->current_id) != 0)
    goto out;

  /* A refresh that overtook the first read answers for it too. */
  if (load->refresh && self->item_loading)
    load->refresh = FALSE;
  self->item_loading = FALSE;
  if (load->refresh)
    {
      /* Edits in progress are never overwritten. */
      if (item != NULL && !gk_record_editor_is_dirty (self->editor) &&
          item_changed (gk_record_editor_get_item (self->editor), item))
        present_item (self, item);
      goto out;
    }
  if (item == NULL)
    {
      gk_widget_show_toast (GTK_WIDGET (self), error->message);
      g_clear_pointer (&self->current_id, g_free);
    }
  present_item (self, item);

out:
  g_object_unref (load->self);
  g_free (load->id);
  g_free (load);
}

static void
load_item (GkLibraryView *self,
           gboolean       refresh)
{
  ShowLoad *load = g_new0 (ShowLoad, 1);

  g_cancellable_cancel (self->item_cancellable);
  g_clear_object (&self->item_cancellable);
  self->item_cancellable = g_cancellable_new ();
  load->self = g_object_ref (self);
  load->id = g_strdup (self->current_id);
  load->refresh = refresh;
  gk_store_get_item_async (get_store (self), self->current_id, self->item_cancellable,
                           on_item_loaded_cb, load);
}

static void
show_item (GkLibraryView *self,
           const char    *id)
{
  g_free (self->current_id);
  self->current_id = g_strdup (id);
  if (id == NULL)
    {
      g_cancellable_cancel (self->item_cancellable);
      self->item_loading = FALSE;
      present_item (self, NULL);
      return;
    }
  self->item_loading = TRUE;
  load_item (self, FALSE);
}

static void
on_finding_activated_cb (GkRecordEditor *editor,
                         guint           index,
                         GkLibraryView  *self)
{
  GkItem *item = gk_record_editor_get_item (editor);
  GkFinding *finding;

  if (item == NULL || item->findings == NULL || index >= item->findings->len)
    return;
  finding = g_ptr_array_index (item->findings, index);
  if (finding->page >= 1)
    gk_pdf_view_goto_page (self->preview, (guint) finding->page - 1);
}

static gboolean
scroll_to_position_cb (gpointer data)
{
  GkLibraryView *self = data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->list_scroller);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  double row, top, page, upper = gtk_adjustment_get_upper (adjustment);

  if (self->scroll_position >= n)
    {
      self->scroll_source = 0;
      return G_SOURCE_REMOVE;
    }
  /* Not laid out yet: try again after the next frame. */
  if (upper <= 0 || !gtk_widget_get_mapped (GTK_WIDGET (self->column_view)))
    {
      if (++self->scroll_tries < 40)
        return G_SOURCE_CONTINUE;
      self->scroll_source = 0;
      return G_SOURCE_REMOVE;
    }
  self->scroll_source = 0;
  /* Rows are one line each: all the same height. */
  row = upper / n;
  top = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  if (row * self->scroll_position < top || row * (self->scroll_position + 1) > top + page)
    gtk_adjustment_set_value (adjustment, row * self->scroll_position - page / 3);
  return G_SOURCE_REMOVE;
}

/* Unsaved changes */

typedef struct
{
  GkLibraryView *self;
  GkProceedFunc  func;
  gpointer       user_data;
} LeaveRequest;

static void
on_leave_saved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LeaveRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  saved = gk_record_editor_save_finish (GK_RECORD_EDITOR (source), result, &error);
  if (!saved)
    gk_widget_show_toast (GTK_WIDGET (request->self), error->message);
  request->self->asking = FALSE;
  request->func (saved, request->user_data);
  g_object_unref (request->self);
  g_free (request);
}

static void
on_leave_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      LeaveRequest     *request)
{
  /* One answer per question, however the dialog is answered. */
  g_signal_handlers_disconnect_by_func (dialog, on_leave_response_cb, request);
  if (g_str_equal (response, "save"))
    {
      gk_record_editor_save_async (request->self->editor, NULL, on_leave_saved_cb, request);
      return;
    }
  if (g_str_equal (response, "discard"))
    gk_record_editor_discard (request->self->editor);
  request->self->asking = FALSE;
  request->func (g_str_equal (response, "discard"), request->user_data);
  g_object_unref (request->self);
  g_free (request);
}

/* Bulk actions */

typedef struct
{
  GkLibraryView *self;
  GkBatchAction  action;
  char          *tag;
} BulkRun;

static void
on_bulk_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BulkRun *run = user_data;
  GkLibraryView *self = run->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = gk_workflow_batch_finish (GK_STORE (source), result, &error);
  g_autofree char *text = NULL;
  g_autoptr(GtkBitset) selected = NULL;
  guint done = 0, failed = 0;
  const char *first_error = NULL;

  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      GkBatchResult *one = g_ptr_array_index (results, i);

      if (one->ok)
        done++;
      else
        {
          failed++;
          if (first_error == NULL)
            first_error = one->message;
        }
    }
  self->busy = FALSE;
  if (results == NULL)
    text = g_strdup (error->message);
  else if (failed > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u document was not changed: %s",
                                         "%u documents were not changed: %s", failed),
                            failed, first_error);
  else if (run->action == GK_BATCH_SUBMIT)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document submitted for review",
                                         "%u documents submitted for review", done), done);
  else if (run->action == GK_BATCH_ADD_TAG)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Tag “%2$s” added to %1$u document",
                                         "Tag “%2$s” added to %1$u documents", done),
                            done, run->tag);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Tag “%2$s” removed from %1$u document",
                                         "Tag “%2$s” removed from %1$u documents", done),
                            done, run->tag);
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    {
      gk_widget_show_toast (GTK_WIDGET (self), text);
      selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
      update_bulk_bar (self, (guint) gtk_bitset_get_size (selected));
      gk_record_editor_reload (self->editor);
    }
  g_object_unref (run->self);
  g_free (run->tag);
  g_free (run);
}

static GStrv
selected_ids (GkLibraryView *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    g_strv_builder_add (builder, gk_item_list_get_id (self->list, position));
  return g_strv_builder_end (builder);
}

static void
run_bulk (GkLibraryView *self,
          GkBatchAction  action,
          const char    *tag)
{
  g_auto(GStrv) ids = NULL;
  BulkRun *run;

  if (self->busy || get_store (self) == NULL)
    return;
  ids = selected_ids (self);
  if (ids[0] == NULL)
    return;
  run = g_new0 (BulkRun, 1);
  run->self = g_object_ref (self);
  run->action = action;
  run->tag = g_strdup (tag);
  self->busy = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "library.submit-selected", FALSE);
  gk_workflow_batch_async (get_store (self), gk_context_get_user (self->context), action,
                           (const char *const *) ids, NULL, tag, 0, NULL, on_bulk_done_cb, run);
}

static void
on_bulk_add_chosen_cb (GkTagPicker   *picker,
                       const char    *name,
                       GkLibraryView *self)
{
  gk_library_view_tag_selected (self, name, TRUE);
}

static void
on_bulk_remove_chosen_cb (GkTagPicker   *picker,
                          const char    *name,
                          GkLibraryView *self)
{
  gk_library_view_tag_selected (self, name, FALSE);
}

static void
on_picker_tags_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GkLibraryView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tags = gk_store_list_tags_finish (GK_STORE (source), result, &error);

  if (tags != NULL)
    gk_tag_picker_set_tags (self->add_picker, tags, NULL);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gk_widget_show_toast (GTK_WIDGET (self), error->message);
}

static void
on_bulk_add_show_cb (GkLibraryView *self)
{
  if (get_store (self) != NULL)
    gk_store_list_tags_async (get_store (self), FALSE, self->cancellable, on_picker_tags_cb,
                              g_object_ref (self));
}

static void
on_bulk_remove_show_cb (GkLibraryView *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(GkItem) item = g_list_model_get_item (G_LIST_MODEL (self->list), position);

      for (guint i = 0; item != NULL && item->tags != NULL && item->tags[i] != NULL; i++)
        if (!g_ptr_array_find_with_equal_func (names, item->tags[i], g_str_equal, NULL))
          g_ptr_array_add (names, g_strdup (item->tags[i]));
    }
  g_ptr_array_add (names, NULL);
  gk_tag_picker_set_names (self->remove_picker, (const char *const *) names->pdata);
}

static void
submit_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  gk_library_view_submit_selected (GK_LIBRARY_VIEW (widget));
}

/* Search */

static void
on_search_changed_cb (GkLibraryView *self)
{
  apply_query (self);
}

static void
on_stop_search_cb (GkLibraryView *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
on_filter_changed_cb (GkLibraryView *self)
{
  if (!self->filling_filters)
    apply_query (self);
}

/* The catalog may have changed. */
static void
on_library_changed_cb (GkLibraryView *self)
{
  if (gtk_search_bar_get_search_mode (self->search_bar))
    fill_tag_filter (self);
}

static void
on_search_mode_cb (GkLibraryView *self)
{
  if (gtk_search_bar_get_search_mode (self->search_bar))
    fill_tag_filter (self);
  apply_query (self);
}

static void
on_paned_position_cb (GtkPaned   *paned,
                      GParamSpec *pspec,
                      GSettings  *settings)
{
  const char *key = g_object_get_data (G_OBJECT (paned), "settings-key");

  if (gtk_widget_get_mapped (GTK_WIDGET (paned)))
    g_settings_set_int (settings, key, gtk_paned_get_position (paned));
}

/* GObject */

static void
gk_library_view_dispose (GObject *object)
{
  GkLibraryView *self = GK_LIBRARY_VIEW (object);

  g_clear_handle_id (&self->scroll_source, g_source_remove);
  g_cancellable_cancel (self->item_cancellable);
  g_clear_object (&self->item_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GK_TYPE_LIBRARY_VIEW);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->context);
  g_clear_object (&self->probe_a);
  g_clear_object (&self->probe_b);
  g_clear_pointer (&self->wanted_tag, g_free);

  G_OBJECT_CLASS (gk_library_view_parent_class)->dispose (object);
}

static void
gk_library_view_finalize (GObject *object)
{
  GkLibraryView *self = GK_LIBRARY_VIEW (object);

  g_clear_pointer (&self->preset_strings, g_ptr_array_unref);
  g_clear_pointer (&self->tag_names, g_ptr_array_unref);
  g_clear_pointer (&self->selected_ids, g_hash_table_unref);
  g_free (self->sort_key);
  g_free (self->current_id);

  G_OBJECT_CLASS (gk_library_view_parent_class)->finalize (object);
}

static void
gk_library_view_class_init (GkLibraryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gk_library_view_dispose;
  object_class->finalize = gk_library_view_finalize;

  g_type_ensure (GK_TYPE_PDF_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/gov/gongkai/Desk/gk-library-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, tag_filter);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, category_filter);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, state_filter);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, vpaned);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, column_view);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, bulk_revealer);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, bulk_label);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, bulk_submit_button);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, bulk_add_button);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, bulk_remove_button);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, multi_page);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, hpaned);
  gtk_widget_class_bind_template_child (widget_class, GkLibraryView, preview);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);

  gtk_widget_class_install_action (widget_class, "library.submit-selected", NULL, submit_selected_action);

  gtk_widget_class_set_css_name (widget_class, "libraryview");
}

static void
gk_library_view_init (GkLibraryView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->preset_strings = g_ptr_array_new_with_free_func (g_free);
  self->selected_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->probe_a = g_object_new (G_TYPE_OBJECT, NULL);
  self->probe_b = g_object_new (G_TYPE_OBJECT, NULL);

  self->add_picker = GK_TAG_PICKER (gk_tag_picker_new ());
  g_signal_connect (self->add_picker, "tag-chosen", G_CALLBACK (on_bulk_add_chosen_cb), self);
  g_signal_connect_swapped (self->add_picker, "show", G_CALLBACK (on_bulk_add_show_cb), self);
  gtk_menu_button_set_popover (self->bulk_add_button, GTK_WIDGET (self->add_picker));
  self->remove_picker = GK_TAG_PICKER (gk_tag_picker_new ());
  g_signal_connect (self->remove_picker, "tag-chosen", G_CALLBACK (on_bulk_remove_chosen_cb), self);
  g_signal_connect_swapped (self->remove_picker, "show", G_CALLBACK (on_bulk_remove_show_cb), self);
  gtk_menu_button_set_popover (self->bulk_remove_button, GTK_WIDGET (self->remove_picker));

  fill_dropdown (self->category_filter, _("Any category"), gk_item_categories (), gk_category_to_label);
  {
    static const char *states[] = { "draft", "in_review", "returned", "approved", "published", "withdrawn", NULL };

    fill_dropdown (self->state_filter, _("Any state"), states, state_label_of);
  }
  g_signal_connect_swapped (self->tag_filter, "notify::selected", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->category_filter, "notify::selected", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->state_filter, "notify::selected", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->search_bar, "notify::search-mode-enabled", G_CALLBACK (on_search_mode_cb), self);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self->column_view));
}

/* Public API */

/**
 * gk_library_view_new:
 * @context: the application context, with the library open
 *
 * Returns: (transfer full): a view of every item
 */
GtkWidget *
gk_library_view_new (GkContext *context)
{
  GkLibraryView *self;
  GSettings *settings;

  g_return_val_if_fail (GK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (gk_context_get_store (context) != NULL, NULL);

  self = g_object_new (GK_TYPE_LIBRARY_VIEW, NULL);
  self->context = g_object_ref (context);

  self->editor = GK_RECORD_EDITOR (gk_record_editor_new (context));
  gtk_widget_set_size_request (GTK_WIDGET (self->editor), 340, -1);
  gtk_paned_set_end_child (self->hpaned, GTK_WIDGET (self->editor));
  g_signal_connect_object (self->editor, "finding-activated", G_CALLBACK (on_finding_activated_cb), self, 0);

  settings = gk_context_get_settings (context);
  gk_pdf_view_set_settings (self->preview, settings);
  if (settings != NULL)
    {
      gtk_paned_set_position (self->vpaned, g_settings_get_int (settings, "list-height"));
      gtk_paned_set_position (self->hpaned, g_settings_get_int (settings, "preview-width"));
      g_object_set_data (G_OBJECT (self->vpaned), "settings-key", (gpointer) "list-height");
      g_object_set_data (G_OBJECT (self->hpaned), "settings-key", (gpointer) "preview-width");
      g_signal_connect_object (self->vpaned, "notify::position", G_CALLBACK (on_paned_position_cb), settings, 0);
      g_signal_connect_object (self->hpaned, "notify::position", G_CALLBACK (on_paned_position_cb), settings, 0);
    }
  else
    {
      gtk_paned_set_position (self->vpaned, 400);
      gtk_paned_set_position (self->hpaned, 620);
    }

  build_columns (self);
  /* Created frozen: the first query waits for the view's filters. */
  self->list = g_object_new (GK_TYPE_ITEM_LIST, "store", gk_context_get_store (context),
                             "start-frozen", TRUE, NULL);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (on_selection_changed_cb), self, 0);
  /* After the selection model has handled the change. */
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (on_model_items_changed_cb), self, 0);
  g_signal_connect_object (self->list, "notify::loading", G_CALLBACK (update_empty), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gk_context_get_store (context), "library-changed",
                           G_CALLBACK (on_library_changed_cb), self, G_CONNECT_SWAPPED);

  apply_query (self);
  gk_item_list_thaw (self->list);
  update_bulk_bar (self, 0);
  return GTK_WIDGET (self);
}

/**
 * gk_library_view_set_preset:
 * @self: a view
 * @preset: (nullable): the filters of the sidebar entry
 *
 * Shows the items of another view; the search bar's filters stay.
 */
void
gk_library_view_set_preset (GkLibraryView *self,
                            const GkQuery *preset)
{
  GkQuery empty = { 0 };
  g_autoptr(GPtrArray) old = NULL;

  g_return_if_fail (GK_IS_LIBRARY_VIEW (self));

  if (preset == NULL)
    preset = &empty;
  old = g_steal_pointer (&self->preset_strings);
  self->preset_strings = g_ptr_array_new_with_free_func (g_free);
  self->preset = *preset;
  self->preset.stage = own_string (self, preset->stage);
  self->preset.tag = own_string (self, preset->tag);
  self->preset.category = own_string (self, preset->category);
  self->preset.text = own_string (self, preset->text);
  self->preset.from_date = own_string (self, preset->from_date);
  self->preset.to_date = own_string (self, preset->to_date);
  self->preset.created_by = own_string (self, preset->created_by);
  self->preset.expiring_before = own_string (self, preset->expiring_before);
  self->preset.sort = own_string (self, preset->sort);
  apply_query (self);

  /* Another view: the item shown stays only if this view lists it (or
   * the person is editing it), not beside a list it is not in. */
  if (self->current_id != NULL && !gk_record_editor_is_dirty (self->editor) &&
      gk_item_list_find (self->list, self->current_id) == G_MAXUINT)
    show_item (self, NULL);
}

/**
 * gk_library_view_get_item_list:
 * @self: a view
 *
 * Returns: (transfer none): the lazy list shown
 */
GkItemList *
gk_library_view_get_item_list (GkLibraryView *self)
{
  g_return_val_if_fail (GK_IS_LIBRARY_VIEW (self), NULL);

  return self->list;
}

/**
 * gk_library_view_get_column_view:
 * @self: a view
 *
 * Returns: (transfer none): the document list
 */
GtkColumnView *
gk_library_view_get_column_view (GkLibraryView *self)
{
  g_return_val_if_fail (GK_IS_LIBRARY_VIEW (self), NULL);

  return self->column_view;
}

/**
 * gk_library_view_get_preview:
 * @self: a view
 *
 * Returns: (transfer none): the PDF preview
 */
GkPdfView *
gk_library_view_get_preview (GkLibraryView *self)
{
  g_return_val_if_fail (GK_IS_LIBRARY_VIEW (self), NULL);

  return self->preview;
}

/**
 * gk_library_view_get_editor:
 * @self: a view
 *
 * Returns: (transfer none): the record editor
 */
GkRecordEditor *
gk_library_view_get_editor (GkLibraryView *self)
{
  g_return_val_if_fail (GK_IS_LIBRARY_VIEW (self), NULL);

  return self->editor;
}

/**
 * gk_library_view_get_search_bar:
 * @self: a view
 *
 * Returns: (transfer none): the search bar
 */
GtkSearchBar *
gk_library_view_get_search_bar (GkLibraryView *self)
{
  g_return_val_if_fail (GK_IS_LIBRARY_VIEW (self), NULL);

  return self->search_bar;
}

/**
 * gk_library_view_search:
 * @self: a view
 * @text: (nullable): words to search for
 *
 * Opens the search bar (with @text) and focuses it.
 */
void
gk_library_view_search (GkLibraryView *self,
                        const char    *text)
{
  g_return_if_fail (GK_IS_LIBRARY_VIEW (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  apply_query (self);
}

static void
select_value (GtkDropDown *dropdown,
              GPtrArray   *values,
              const char  *value)
{
  guint index = 0;

  for (guint i = 1; values != NULL && i < values->len; i++)
    if (g_strcmp0 (g_ptr_array_index (values, i), value) == 0)
      index = i;
  gtk_drop_down_set_selected (dropdown, index);
}

/**
 * gk_library_view_set_filters:
 * @self: a view
 * @tag: (nullable): a tag name
 * @category: (nullable): a category value
 * @state: (nullable): a state name
 *
 * Sets the search bar's filters (and opens it).
 */
void
gk_library_view_set_filters (GkLibraryView *self,
                             const char    *tag,
                             const char    *category,
                             const char    *state)
{
  g_return_if_fail (GK_IS_LIBRARY_VIEW (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  g_free (self->wanted_tag);
  self->wanted_tag = g_strdup (tag);
  fill_tag_filter (self);
  self->filling_filters = TRUE;
  select_value (self->tag_filter, self->tag_names, tag);
  select_value (self->category_filter, values_of (self->category_filter), category);
  select_value (self->state_filter, values_of (self->state_filter), state);
  self->filling_filters = FALSE;
  apply_query (self);
}

/**
 * gk_library_view_select_id:
 * @self: a view
 * @id: an item id
 *
 * Returns: %TRUE if the item is listed (and now selected)
 */
gboolean
gk_library_view_select_id (GkLibraryView *self,
                           const char    *id)
{
  guint position;

  g_return_val_if_fail (GK_IS_LIBRARY_VIEW (self), FALSE);

  position = gk_item_list_find (self->list, id);
  if (position == G_MAXUINT)
    return FALSE;
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  g_clear_handle_id (&self->scroll_source, g_source_remove);
  self->scroll_position = position;
  /* Once the rows are laid out. */
  self->scroll_tries = 0;
  self->scroll_source = g_timeout_add (25, scroll_to_position_cb, self);
  return TRUE;
}

/**
 * gk_library_view_is_loading:
 * @self: a view
 *
 * Returns: %TRUE while the item just selected is read from the store
 *   (the record and preview still show the previous one)
 */
gboolean
gk_library_view_is_loading (GkLibraryView *self)
{
  g_return_val_if_fail (GK_IS_LIBRARY_VIEW (self), FALSE);

  return self->item_loading;
}

/**
 * gk_library_view_get_current_id:
 * @self: a view
 *
 * Returns: (nullable): the id of the item in the detail pane
 */
const char *
gk_library_view_get_current_id (GkLibraryView *self)
{
  g_return_val_if_fail (GK_IS_LIBRARY_VIEW (self), NULL);

  return self->current_id;
}

/**
 * gk_library_view_has_unsaved_changes:
 * @self: a view
 *
 * Returns: %TRUE if the record editor holds unsaved changes
 */
gboolean
gk_library_view_has_unsaved_changes (GkLibraryView *self)
{
  g_return_val_if_fail (GK_IS_LIBRARY_VIEW (self), FALSE);

  return gk_record_editor_is_dirty (self->editor);
}

/**
 * gk_library_view_confirm_leave:
 * @self: a view
 * @func: called with the outcome
 * @user_data: for @func
 *
 * With unsaved changes, asks whether to save them (Save / Discard /
 * Cancel); without, calls @func at once.
 */
void
gk_library_view_confirm_leave (GkLibraryView *self,
                               GkProceedFunc  func,
                               gpointer       user_data)
{
  LeaveRequest *request;
  GkItem *item;
  GtkWidget *dialog;
  GtkRoot *root;
  g_autofree char *body = NULL;

  g_return_if_fail (GK_IS_LIBRARY_VIEW (self));

  if (!gk_record_editor_is_dirty (self->editor))
    {
      func (TRUE, user_data);
      return;
    }

  item = gk_record_editor_get_item (self->editor);
  body = g_strdup_printf (_("The record of “%s” has changes that are not saved. Unsaved changes are lost."),
                          item && item->title ? item->title : item && item->file_name ? item->file_name : "");
  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Save Changes?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_widget_set_name (dialog, "unsaved-changes-dialog");

  request = g_new0 (LeaveRequest, 1);
  request->self = g_object_ref (self);
  request->func = func;
  request->user_data = user_data;
  self->asking = TRUE;
  g_signal_connect (dialog, "response", G_CALLBACK (on_leave_response_cb), request);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * gk_library_view_save:
 * @self: a view
 *
 * Saves the record shown (Ctrl+S).
 */
void
gk_library_view_save (GkLibraryView *self)
{
  g_return_if_fail (GK_IS_LIBRARY_VIEW (self));

  gtk_widget_activate_action (GTK_WIDGET (self->editor), "editor.save", NULL);
}

/**
 * gk_library_view_tag_selected:
 * @self: a view
 * @tag: a tag name
 * @add: add it, or remove it
 *
 * Adds or removes a tag on every selected item, on a worker.
 */
void
gk_library_view_tag_selected (GkLibraryView *self,
                              const char    *tag,
                              gboolean       add)
{
  g_return_if_fail (GK_IS_LIBRARY_VIEW (self));
  g_return_if_fail (tag != NULL);

  run_bulk (self, add ? GK_BATCH_ADD_TAG : GK_BATCH_REMOVE_TAG, tag);
}

/**
 * gk_library_view_submit_selected:
 * @self: a view
 *
 * Submits every selected item for review, on a worker.
 */
void
gk_library_view_submit_selected (GkLibraryView *self)
{
  g_return_if_fail (GK_IS_LIBRARY_VIEW (self));

  run_bulk (self, GK_BATCH_SUBMIT, NULL);
}

/**
 * gk_library_view_is_busy:
 * @self: a view
 *
 * Returns: %TRUE while a bulk action runs
 */
gboolean
gk_library_view_is_busy (GkLibraryView *self)
{
  g_return_val_if_fail (GK_IS_LIBRARY_VIEW (self), FALSE);

  return self->busy;
}
