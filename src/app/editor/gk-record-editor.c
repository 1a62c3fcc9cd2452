/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiEditor"

#include "config.h"

#include <inttypes.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "gk-app-util.h"
#include "gk-gongwen.h"
#include "gk-item-picker.h"
#include "gk-record-editor.h"
#include "gk-store-async.h"
#include "gk-tag-picker.h"
#include "gk-wrap-box.h"
#include "gk-util.h"
#include "gk-workflow.h"

typedef enum
{
  ROW_ENTRY,
  ROW_COMBO,
  ROW_TAGS,
  ROW_RELATED,
  ROW_INTERPRETS,
  ROW_GROUND,
} RowKind;

typedef struct
{
  GkRecordEditor *editor;
  char           *field;
  RowKind         kind;
  GtkWidget      *row;          /* entry, combo or action row; the ground's entry row */
  GtkWidget      *combo;        /* the ground's combo (withheld grounds) */
  GtkWidget      *error_row;
  GtkLabel       *error_label;
  GtkWidget      *chip;         /* "detected" */
  GPtrArray      *values;       /* combo values, NULL for "not set" */
  GtkStringList  *labels;
  char           *error;
} FieldRow;

struct _GkRecordEditor
{
  GtkWidget        parent_instance;

  GtkLabel        *title_label;
  GtkLabel        *state_label;
  GtkLabel        *meta_label;
  GtkButton       *submit_button;
  GtkLabel          *action_reason;
  GtkButton       *save_button;
  GtkScrolledWindow *scroller;
  GtkBox          *groups_box;

  GkContext       *context;
  GkItem          *item;
  GkItem          *working;
  JsonObject      *detected;
  GHashTable      *rows;              /* field → FieldRow* */
  GHashTable      *confirmed;         /* fields confirmed since loading */
  GHashTable      *confirmed_before;  /* fields a person set or confirmed (audit) */
  gboolean         built;
  gboolean         loading;
  gboolean         saving;
  GCancellable    *cancellable;      /* every read; cancelled at dispose */
  GCancellable    *item_cancellable; /* the reads for the item shown */
  gboolean         history_loading;
  gboolean         dirty;
  char            *missing_ground;

  GtkWidget       *tags_box;
  GtkWidget       *tags_add_button;
  GkTagPicker     *tag_picker;
  GkItemPicker    *item_picker;
  GtkWidget           *related_box;
  GtkWidget           *related_add_button;
  GkItemPicker        *related_picker;
  AdwPreferencesGroup *findings_group;
  AdwPreferencesGroup *history_group;
  GPtrArray       *findings_rows;
  GPtrArray       *history_rows;
};

G_DEFINE_FINAL_TYPE (GkRecordEditor, gk_record_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DIRTY,
  N_PROPS
};

enum {
  FINDING_ACTIVATED,
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Where each field goes; fields not named here land in "Other fields". */
static const struct { const char *field; const char *group; } layout[] = {
  { "title", "document" },
  { "doc_number", "document" },
  { "issuer", "document" },
  { "written_date", "document" },
  { "genre", "document" },
  { "index_no", "document" },
  { "summary", "document" },
  { "category", "classification" },
  { "topic", "classification" },
  { "tags", "classification" },
  { "audience", "classification" },
  { "disclosure", "disclosure" },
  { "disclosure_ground", "disclosure" },
  { "publish_date", "disclosure" },
  { "validity_status", "validity" },
  { "effective_from", "validity" },
  { "effective_until", "validity" },
  { "service_url", "links" },
  { "interprets", "links" },
  { "related", "links" },
};

static const struct
{
  const char *id;
  const char *title;
  const char *description;
} groups[] = {
  { "document", N_ ("Document"), NULL },
  { "classification", N_ ("Classification"),
    N_ ("Audience: comma-separated, for example 企业, 个体工商户") },
  { "disclosure", N_ ("Disclosure"), NULL },
  { "validity", N_ ("Validity"), N_ ("Dates as YYYY-MM-DD") },
  { "links", N_ ("Links"), NULL },
  { "other", N_ ("Other Fields"), NULL },
};

static void update_dirty (GkRecordEditor *self);
static void load_values (GkRecordEditor *self);
static void load_related (GkRecordEditor *self);

/* Helpers */

static void
field_row_free (FieldRow *row)
{
  g_free (row->field);
  g_free (row->error);
  g_clear_pointer (&row->values, g_ptr_array_unref);
  g_free (row);
}

static GkStore *
get_store (GkRecordEditor *self)
{
  return gk_context_get_store (self->context);
}

static const char *
group_of (const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (layout); i++)
    if (g_str_equal (layout[i].field, field))
      return layout[i].group;
  return "other";
}

static void
show_row_error (FieldRow   *row,
                const char *message)
{
  g_free (row->error);
  row->error = g_strdup (message);
  gtk_label_set_label (row->error_label, message ? message : "");
  gtk_widget_set_visible (row->error_row, message != NULL);
  if (message != NULL)
    {
      gtk_widget_add_css_class (row->row, "error");
      if (row->combo != NULL)
        gtk_widget_add_css_class (row->combo, "error");
    }
  else
    {
      gtk_widget_remove_css_class (row->row, "error");
      if (row->combo != NULL)
        gtk_widget_remove_css_class (row->combo, "error");
    }
}

static gboolean
detected_value_matches (GkRecordEditor *self,
                        const char     *field,
                        const char     *detected)
{
  g_autofree char *current = gk_item_get_field (self->working, field);
  g_autofree char *normal = NULL;

  if (g_strcmp0 (current, detected) == 0)
    return TRUE;
  if (g_str_equal (field, "doc_number"))
    {
      if (g_strcmp0 (self->working->doc_number_original, detected) == 0)
        return TRUE;
      normal = gk_gongwen_normalize_doc_number (detected);
      return normal != NULL && g_strcmp0 (normal, current) == 0;
    }
  return FALSE;
}

static gboolean
field_is_detected (GkRecordEditor *self,
                   const char     *field)
{
  JsonNode *node;

  if (self->detected == NULL || self->working == NULL ||
      g_hash_table_contains (self->confirmed, field) ||
      g_hash_table_contains (self->confirmed_before, field) ||
      !json_object_has_member (self->detected, field))
    return FALSE;
  node = json_object_get_member (self->detected, field);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  return detected_value_matches (self, field, json_node_get_string (node));
}

static void
update_chip (GkRecordEditor *self,
             FieldRow       *row)
{
  if (row->chip != NULL)
    gtk_widget_set_visible (row->chip, field_is_detected (self, row->field));
}

static void
update_ground (GkRecordEditor *self)
{
  FieldRow *row = g_hash_table_lookup (self->rows, "disclosure_ground");
  const char *disclosure = self->working ? self->working->disclosure : NULL;
  gboolean withheld = g_strcmp0 (disclosure, "withheld") == 0;
  gboolean on_request = g_strcmp0 (disclosure, "on_request") == 0;
  gboolean missing;

  if (row == NULL)
    return;
  gtk_widget_set_visible (row->row, on_request);
  gtk_widget_set_visible (row->combo, withheld);
  missing = (withheld || on_request) && self->working && gk_str_is_blank (self->working->disclosure_ground);
  g_clear_pointer (&self->missing_ground, g_free);
  if (missing)
    self->missing_ground = g_strdup (_("Legal ground: required when the document is not disclosed proactively."));
  if (row->error == NULL || missing || g_strcmp0 (row->error, _("Legal ground: required when the document is not disclosed proactively.")) == 0)
    {
      g_clear_pointer (&row->error, g_free);
      show_row_error (row, self->missing_ground);
    }
  if (!withheld && !on_request)
    gtk_widget_set_visible (row->error_row, FALSE);
}

/* A value typed or picked: validate it on the working copy. */
static void
apply_value (GkRecordEditor *self,
             FieldRow       *row,
             const char     *text)
{
  g_autoptr(GError) error = NULL;

  if (self->loading || self->working == NULL)
    return;
  if (!gk_item_set_field (self->working, row->field, text, &error))
    show_row_error (row, error->message);
  else
    show_row_error (row, NULL);
  if (g_str_equal (row->field, "disclosure") || g_str_equal (row->field, "disclosure_ground"))
    update_ground (self);
  update_chip (self, row);
  update_dirty (self);
}

static void
on_entry_changed_cb (GtkEditable *editable,
                     FieldRow    *row)
{
  apply_value (row->editor, row, gtk_editable_get_text (editable));
}

static void
on_combo_selected_cb (AdwComboRow *combo,
                      GParamSpec  *pspec,
                      FieldRow    *row)
{
  guint selected = adw_combo_row_get_selected (combo);
  const char *value = NULL;

  if (selected != GTK_INVALID_LIST_POSITION && selected < row->values->len)
    value = g_ptr_array_index (row->values, selected);
  apply_value (row->editor, row, value);
}

static void
on_chip_clicked_cb (GtkButton *button,
                    FieldRow  *row)
{
  gk_record_editor_confirm (row->editor, row->field);
}

static GtkWidget *
new_chip (FieldRow *row)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *icon = gtk_image_new_from_icon_name ("gk-detected-symbolic");
  GtkWidget *label = gtk_label_new (_("Detected"));

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "detected-chip");
  gtk_widget_set_tooltip_text (button, _("Detected from the document; confirm or change"));
  gtk_widget_set_visible (button, FALSE);
  g_signal_connect (button, "clicked", G_CALLBACK (on_chip_clicked_cb), row);
  return button;
}

static GtkWidget *
new_error_row (FieldRow *row)
{
  GtkWidget *error_row = g_object_new (ADW_TYPE_PREFERENCES_ROW, "activatable", FALSE, NULL);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (error_row), label);
  gtk_widget_add_css_class (error_row, "field-error");
  gtk_widget_set_visible (error_row, FALSE);
  row->error_label = GTK_LABEL (label);
  return error_row;
}

static GtkWidget *
new_combo (FieldRow          *row,
           const char        *title,
           const char *const *values,
           const char *(*label_of) (const char *value),
           const char        *unset_label)
{
  GtkWidget *combo = adw_combo_row_new ();

  row->values = g_ptr_array_new_with_free_func (g_free);
  row->labels = gtk_string_list_new (NULL);
  g_ptr_array_add (row->values, NULL);
  gtk_string_list_append (row->labels, unset_label);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      g_ptr_array_add (row->values, g_strdup (values[i]));
      gtk_string_list_append (row->labels, label_of ? label_of (values[i]) : values[i]);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (combo), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (combo), G_LIST_MODEL (row->labels));
  g_object_unref (row->labels);
  g_signal_connect (combo, "notify::selected", G_CALLBACK (on_combo_selected_cb), row);
  return combo;
}

static void
select_combo_value (FieldRow   *row,
                    GtkWidget  *combo,
                    const char *value,
                    const char *label)
{
  guint index = 0;

  for (guint i = 1; i < row->values->len; i++)
    if (g_strcmp0 (g_ptr_array_index (row->values, i), value) == 0)
      index = i;
  if (index == 0 && value != NULL)
    {
      /* A value from elsewhere (the command line): offer it as it is. */
      g_ptr_array_add (row->values, g_strdup (value));
      gtk_string_list_append (row->labels, label ? label : value);
      index = row->values->len - 1;
    }
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), index);
}

static const char *
translate_ground (const char *ground)
{
  return _(ground);
}

static char *
topic_label (const char *topic)
{
  return gk_format_topic (topic);
}

/* Tags */

static void
on_tag_remove_clicked_cb (GtkButton      *button,
                          GkRecordEditor *self)
{
  gk_record_editor_remove_tag (self, g_object_get_data (G_OBJECT (button), "value"));
}

/* A chip of the tags or related row: the text, and a button that removes
 * value (its "value" data) through on_remove. */
static GtkWidget *
new_removable_chip (GkRecordEditor *self,
                    const char     *text,
                    const char     *value,
                    const char     *remove_tooltip,
                    GCallback       on_remove)
{
  GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_widget_set_tooltip_text (label, text);
  gtk_widget_add_css_class (chip, "tag-chip");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_set_tooltip_text (remove, remove_tooltip);
  g_object_set_data_full (G_OBJECT (remove), "value", g_strdup (value), g_free);
  g_signal_connect (remove, "clicked", on_remove, self);
  gtk_box_append (GTK_BOX (chip), label);
  gtk_box_append (GTK_BOX (chip), remove);
  g_object_set_data (G_OBJECT (chip), "label", label);
  return chip;
}

static void
load_tags (GkRecordEditor *self)
{
  GStrv tags = self->working ? self->working->tags : NULL;

  gk_wrap_box_remove_all (GK_WRAP_BOX (self->tags_box));

  if (tags == NULL || tags[0] == NULL)
    {
      GtkWidget *none = gtk_label_new (_("No tags"));

      gtk_widget_add_css_class (none, "dim-label");
      gk_wrap_box_append (GK_WRAP_BOX (self->tags_box), none);
      return;
    }
  for (guint i = 0; tags[i] != NULL; i++)
    {
      g_autofree char *tooltip = g_strdup_printf (_("Remove the tag “%s”"), tags[i]);

      gk_wrap_box_append (GK_WRAP_BOX (self->tags_box),
                          new_removable_chip (self, tags[i], tags[i], tooltip,
                                              G_CALLBACK (on_tag_remove_clicked_cb)));
    }
}

static void
on_tag_chosen_cb (GkTagPicker    *picker,
                  const char     *name,
                  GkRecordEditor *self)
{
  gk_record_editor_add_tag (self, name);
}

static void
on_catalog_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GkRecordEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tags = gk_store_list_tags_finish (GK_STORE (source), result, &error);

  if (tags == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gk_widget_show_toast (GTK_WIDGET (self), error->message);
      return;
    }
  gk_tag_picker_set_tags (self->tag_picker, tags,
                          self->working ? (const char *const *) self->working->tags : NULL);
}

static void
on_tags_popover_show_cb (GkRecordEditor *self)
{
  if (get_store (self) == NULL)
    return;
  gk_store_list_tags_async (get_store (self), FALSE, self->cancellable, on_catalog_cb,
                            g_object_ref (self));
}

/* How a linked item (related, interpreted) is named: its title with its
 * 文号, or whichever of title, 文号 and file name it has. */
static char *
describe_linked (GkItem *target)
{
  if (target->title != NULL && target->doc_number != NULL)
    return g_strdup_printf ("%s（%s）", target->title, target->doc_number);
  return g_strdup (target->title        ? target->title
                   : target->doc_number ? target->doc_number
                                        : target->file_name);
}

/* Related documents: chips named by the linked item's title, read in
 * the background (its id until then, or if it is not in the library). */

static void
on_related_target_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtkWidget) label = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GkItem) target = gk_store_get_item_finish (GK_STORE (source), result, &error);
  g_autofree char *text = NULL;

  if (target == NULL || gtk_widget_get_parent (label) == NULL)
    return;
  text = describe_linked (target);
  if (text == NULL)
    return;
  gtk_label_set_label (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, text);
}

static void
on_related_remove_clicked_cb (GtkButton *button, GkRecordEditor *self)
{
  gk_record_editor_unlink_related (self, g_object_get_data (G_OBJECT (button), "value"));
}

static void
load_related (GkRecordEditor *self)
{
  GStrv related = self->working ? self->working->related : NULL;

  gk_wrap_box_remove_all (GK_WRAP_BOX (self->related_box));
  if (related == NULL || related[0] == NULL)
    {
      GtkWidget *none = gtk_label_new (_ ("No related documents"));

      gtk_widget_add_css_class (none, "dim-label");
      gk_wrap_box_append (GK_WRAP_BOX (self->related_box), none);
      return;
    }
  for (guint i = 0; related[i] != NULL; i++)
    {
      g_autofree char *shown = g_utf8_substring (related[i], 0, 8);
      GtkWidget *chip = new_removable_chip (self, shown, related[i], _ ("Unlink this document"),
                                            G_CALLBACK (on_related_remove_clicked_cb));

      gk_wrap_box_append (GK_WRAP_BOX (self->related_box), chip);
      if (get_store (self) != NULL)
        gk_store_get_item_async (get_store (self), related[i], self->item_cancellable,
                                 on_related_target_cb,
                                 g_object_ref (g_object_get_data (G_OBJECT (chip), "label")));
    }
}

static void
on_related_chosen_cb (GkItemPicker *picker, const char *id, GkRecordEditor *self)
{
  gk_record_editor_link_related (self, id);
}

/* Interprets */

static void show_interprets (GkRecordEditor *self, FieldRow *row, const char *id, GkItem *target);

static void
on_interprets_target_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GkRecordEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) target = gk_store_get_item_finish (GK_STORE (source), result, &error);
  FieldRow *row = g_hash_table_lookup (self->rows, "interprets");
  const char *id = self->working ? self->working->interprets : NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || row == NULL || id == NULL)
    return;
  show_interprets (self, row, id, target);
}

static void
load_interprets (GkRecordEditor *self,
                 FieldRow       *row)
{
  const char *id = self->working ? self->working->interprets : NULL;

  show_interprets (self, row, id, NULL);
  if (id != NULL && get_store (self) != NULL)
    gk_store_get_item_async (get_store (self), id, self->item_cancellable, on_interprets_target_cb,
                             g_object_ref (self));
}

/* target NULL: not read yet, or not in the library. */
static void
show_interprets (GkRecordEditor *self,
                 FieldRow       *row,
                 const char     *id,
                 GkItem         *target)
{
  g_autofree char *subtitle = NULL;

  if (id == NULL)
    subtitle = g_strdup (_("Not set: choose the policy this document explains"));
  else if (target == NULL)
    subtitle = g_strdup_printf (_ ("An item that is not in this library (%s)"), id);
  else
    subtitle = describe_linked (target);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), subtitle);
}

static void
on_item_chosen_cb (GkItemPicker   *picker,
                   const char     *id,
                   GkRecordEditor *self)
{
  FieldRow *row = g_hash_table_lookup (self->rows, "interprets");

  apply_value (self, row, id);
  load_interprets (self, row);
}

/* The policy an interpretation explains is usually named in its text:
 * offer the library's items it cites. */
static void
on_cited_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GkRecordEditor) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cited = gk_store_find_cited_finish (GK_STORE (source), result, &error);

  if (cited == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No suggestions for the interpreted policy: %s", error->message);
      return;
    }
  if (self->item_picker != NULL)
    gk_item_picker_set_suggestions (self->item_picker, cited);
}

static void
on_interprets_popover_show_cb (GkRecordEditor *self)
{
  if (self->item == NULL || get_store (self) == NULL)
    return;
  gk_store_find_cited_async (get_store (self), self->item->id, 8, self->item_cancellable,
                             on_cited_cb, g_object_ref (self));
}

static void
on_interprets_clear_cb (GtkButton      *button,
                        GkRecordEditor *self)
{
  FieldRow *row = g_hash_table_lookup (self->rows, "interprets");

  apply_value (self, row, NULL);
  load_interprets (self, row);
}

static void
on_open_link_cb (GtkButton      *button,
                 GkRecordEditor *self)
{
  if (self->working != NULL)
    gk_show_web_link (GTK_WIDGET (self), self->working->service_url);
}

/* Building the rows (once; values are loaded per item) */

/* A row of chips under its title, with a button that opens popover to
 * add one: the tags and the related documents. */
static void
build_chips_row (FieldRow   *row,
                 const char *title,
                 GtkWidget  *popover,
                 const char *add_tooltip,
                 GtkWidget **chips_box,
                 GtkWidget **add_button)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (title);

  row->row = g_object_new (ADW_TYPE_PREFERENCES_ROW, "activatable", FALSE, "title", title, NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (header), label);

  *add_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (*add_button), "list-add-symbolic");
  if (popover != NULL)
    gtk_menu_button_set_popover (GTK_MENU_BUTTON (*add_button), popover);
  gtk_widget_set_tooltip_text (*add_button, add_tooltip);
  gtk_widget_add_css_class (*add_button, "flat");
  gtk_box_append (GTK_BOX (header), *add_button);

  /* Chips side by side, wrapping like words (GtkFlowBox put them one
   * per line and ran over the next row). */
  *chips_box = gk_wrap_box_new (6, 6);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), *chips_box);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row->row), box);
}

static void
on_topics_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GkRecordEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) topics = gk_store_list_topics_finish (GK_STORE (source), result, &error);
  FieldRow *row = g_hash_table_lookup (self->rows, "topic");

  if (topics == NULL || row == NULL)
    return;
  for (guint i = 0; topics[i] != NULL; i++)
    {
      /* Show "top › sub" for "top\\sub". */
      g_autofree char *label = topic_label (topics[i]);

      g_ptr_array_add (row->values, g_strdup (topics[i]));
      gtk_string_list_append (row->labels, label);
    }
  /* The item's topic may have come before its choices. */
  if (self->working != NULL)
    load_values (self);
}

static FieldRow *
build_row (GkRecordEditor      *self,
           AdwPreferencesGroup *group,
           const char          *field)
{
  FieldRow *row = g_new0 (FieldRow, 1);
  const char *title = gk_item_field_label (field);

  row->editor = self;
  row->field = g_strdup (field);
  if (title == NULL)
    title = field;

  if (g_str_equal (field, "category"))
    {
      row->kind = ROW_COMBO;
      row->row = new_combo (row, title, gk_item_categories (), gk_category_to_label, _("Not set"));
    }
  else if (g_str_equal (field, "disclosure"))
    {
      row->kind = ROW_COMBO;
      row->row = new_combo (row, title, gk_item_disclosures (), gk_disclosure_to_label, _("Undecided"));
    }
  else if (g_str_equal (field, "validity_status"))
    {
      row->kind = ROW_COMBO;
      row->row = new_combo (row, title, gk_item_validity_statuses (), gk_validity_to_label, _("Not set"));
    }
  else if (g_str_equal (field, "topic"))
    {
      row->kind = ROW_COMBO;
      /* The 主题分类 list comes from the library: filled when read. */
      row->row = new_combo (row, title, NULL, NULL, _("Not set"));
      if (get_store (self) != NULL)
        gk_store_list_topics_async (get_store (self), self->cancellable, on_topics_cb,
                                    g_object_ref (self));
    }
  else if (g_str_equal (field, "disclosure_ground"))
    {
      row->kind = ROW_GROUND;
      row->row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), title);
      g_signal_connect (row->row, "changed", G_CALLBACK (on_entry_changed_cb), row);
      row->combo = new_combo (row, title, gk_item_withheld_grounds (), translate_ground,
                              _("Choose the legal ground"));
      adw_combo_row_set_use_subtitle (ADW_COMBO_ROW (row->combo), TRUE);
    }
  else if (g_str_equal (field, "tags"))
    {
      self->tag_picker = GK_TAG_PICKER (gk_tag_picker_new ());
      g_signal_connect (self->tag_picker, "tag-chosen", G_CALLBACK (on_tag_chosen_cb), self);
      g_signal_connect_swapped (self->tag_picker, "show", G_CALLBACK (on_tags_popover_show_cb), self);
      row->kind = ROW_TAGS;
      build_chips_row (row, title, GTK_WIDGET (self->tag_picker), _ ("Add a Tag from the Catalog"),
                       &self->tags_box, &self->tags_add_button);
      gtk_widget_set_name (self->tags_box, "tags-box");
    }
  else if (g_str_equal (field, "related"))
    {
      GtkWidget *popover = NULL;

      if (get_store (self) != NULL)
        {
          self->related_picker = GK_ITEM_PICKER (gk_item_picker_new (get_store (self)));
          g_signal_connect (self->related_picker, "item-chosen", G_CALLBACK (on_related_chosen_cb),
                            self);
          popover = GTK_WIDGET (self->related_picker);
        }
      row->kind = ROW_RELATED;
      build_chips_row (row, title, popover, _ ("Link a Document of the Library"),
                       &self->related_box, &self->related_add_button);
      gtk_widget_set_name (self->related_box, "related-box");
      gtk_widget_set_name (self->related_add_button, "related-add");
    }
  else if (g_str_equal (field, "interprets"))
    {
      GtkWidget *pick = gtk_menu_button_new ();
      GtkWidget *clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");

      row->kind = ROW_INTERPRETS;
      row->row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row->row), FALSE);
      if (get_store (self) != NULL)
        {
          self->item_picker = GK_ITEM_PICKER (gk_item_picker_new (get_store (self)));
          g_signal_connect (self->item_picker, "item-chosen", G_CALLBACK (on_item_chosen_cb), self);
          g_signal_connect_swapped (self->item_picker, "show",
                                    G_CALLBACK (on_interprets_popover_show_cb), self);
          gtk_menu_button_set_popover (GTK_MENU_BUTTON (pick), GTK_WIDGET (self->item_picker));
        }
      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (pick), "edit-find-symbolic");
      gtk_widget_set_tooltip_text (pick, _("Choose the Policy"));
      gtk_widget_set_name (pick, "interprets-pick");
      gtk_widget_set_valign (pick, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (pick, "flat");
      gtk_widget_set_tooltip_text (clear, _("Clear"));
      gtk_widget_set_valign (clear, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (clear, "flat");
      g_signal_connect (clear, "clicked", G_CALLBACK (on_interprets_clear_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), clear);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), pick);
    }
  else
    {
      row->kind = ROW_ENTRY;
      row->row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), title);
      g_signal_connect (row->row, "changed", G_CALLBACK (on_entry_changed_cb), row);
      if (g_str_equal (field, "service_url"))
        {
          GtkWidget *open = gtk_button_new_from_icon_name ("web-browser-symbolic");

          gtk_widget_set_tooltip_text (open, _("Open the Link"));
          gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (open, "flat");
          g_signal_connect (open, "clicked", G_CALLBACK (on_open_link_cb), self);
          adw_entry_row_add_suffix (ADW_ENTRY_ROW (row->row), open);
        }
    }

  gtk_widget_set_name (row->row, field);
  if (ADW_IS_ENTRY_ROW (row->row))
    {
      row->chip = new_chip (row);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row->row), row->chip);
    }
  else if (ADW_IS_ACTION_ROW (row->row))
    {
      row->chip = new_chip (row);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->chip);
    }

  row->error_row = new_error_row (row);
  adw_preferences_group_add (group, row->row);
  if (row->combo != NULL)
    adw_preferences_group_add (group, row->combo);
  adw_preferences_group_add (group, row->error_row);
  g_hash_table_insert (self->rows, row->field, row);
  return row;
}

static void
build (GkRecordEditor *self)
{
  const char *const *names = gk_item_field_names ();
  g_autoptr(GHashTable) placed = g_hash_table_new (g_str_hash, g_str_equal);

  if (self->built)
    return;
  self->built = TRUE;

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      GtkWidget *group = adw_preferences_group_new ();
      gboolean any = FALSE;

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _(groups[g].title));
      if (groups[g].description != NULL)
        adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), _(groups[g].description));

      /* The layout's order first, then fields the layout does not know. */
      for (guint i = 0; i < G_N_ELEMENTS (layout); i++)
        if (g_str_equal (layout[i].group, groups[g].id) && g_strv_contains (names, layout[i].field))
          {
            build_row (self, ADW_PREFERENCES_GROUP (group), layout[i].field);
            g_hash_table_add (placed, (gpointer) layout[i].field);
            any = TRUE;
          }
      for (guint i = 0; names[i] != NULL; i++)
        if (!g_hash_table_contains (placed, names[i]) &&
            g_str_equal (group_of (names[i]), groups[g].id))
          {
            build_row (self, ADW_PREFERENCES_GROUP (group), names[i]);
            g_hash_table_add (placed, (gpointer) names[i]);
            any = TRUE;
          }
      if (any)
        gtk_box_append (self->groups_box, group);
      else
        {
          g_object_ref_sink (group);
          g_object_unref (group);
        }
    }

  self->findings_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->findings_group, _("Screening Findings"));
  adw_preferences_group_set_description (self->findings_group,
                                         _("What the confidentiality screening found in the text. Click one to see it in the document."));
  gtk_box_append (self->groups_box, GTK_WIDGET (self->findings_group));

  self->history_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->history_group, _("History"));
  gtk_box_append (self->groups_box, GTK_WIDGET (self->history_group));
}

/* History and findings */

static const char *
action_label (const char *action)
{
  static const struct { const char *action; const char *label; } labels[] = {
    { "import", N_("Imported") },
    { "edit", N_("Edited") },
    { "tag", N_("Tags changed") },
    { "confirm", N_("Detected values confirmed") },
    { "submit", N_("Submitted for review") },
    { "approve", N_("Approved") },
    { "return", N_("Returned") },
    { "dismiss", N_("Finding dismissed") },
    { "screening", N_("Screened again") },
    { "sync", N_("Sent to the portal") },
    { "withdraw", N_("Withdrawn") },
  };

  for (guint i = 0; action != NULL && i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (action, labels[i].action))
      return _(labels[i].label);
  return action ? action : "";
}

static char *
describe_details (const GkAuditEntry *entry,
                  GHashTable         *touched)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  JsonObject *details;

  if (entry->details == NULL || !json_parser_load_from_data (parser, entry->details, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_strdup ("");
  details = json_node_get_object (json_parser_get_root (parser));

  if (json_object_has_member (details, "changes") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (details, "changes")))
    {
      JsonObject *changes = json_object_get_object_member (details, "changes");
      g_autoptr(GList) members = json_object_get_members (changes);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *label = gk_item_field_label (l->data);

          if (touched != NULL)
            g_hash_table_add (touched, g_strdup (l->data));
          if (text->len > 0)
            g_string_append (text, _(", "));
          g_string_append (text, label ? label : l->data);
        }
    }
  if (json_object_has_member (details, "fields") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (details, "fields")))
    {
      JsonArray *fields = json_object_get_array_member (details, "fields");

      for (guint i = 0; i < json_array_get_length (fields); i++)
        {
          const char *field = json_array_get_string_element (fields, i);
          const char *label = field ? gk_item_field_label (field) : NULL;

          if (field == NULL)
            continue;
          if (touched != NULL)
            g_hash_table_add (touched, g_strdup (field));
          if (text->len > 0)
            g_string_append (text, _(", "));
          g_string_append (text, label ? label : field);
        }
    }
  if (json_object_has_member (details, "file") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (details, "file")))
    g_string_append (text, json_object_get_string_member (details, "file"));
  for (guint i = 0; i < 2; i++)
    {
      const char *key = i == 0 ? "comment" : "reason";

      if (json_object_has_member (details, key) &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (details, key)))
        {
          if (text->len > 0)
            g_string_append (text, " · ");
          g_string_append (text, json_object_get_string_member (details, key));
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
clear_rows_of (AdwPreferencesGroup *group,
               GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void show_history (GkRecordEditor *self, GPtrArray *entries, const GError *error);

static void
on_history_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GkRecordEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = gk_store_audit_log_finish (GK_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->context == NULL)
    return;
  self->history_loading = FALSE;
  show_history (self, entries, error);
  /* The history tells which values a person set or confirmed: those are
   * no longer marked as detected. */
  {
    GHashTableIter iter;
    FieldRow *row;

    g_hash_table_iter_init (&iter, self->rows);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &row))
      update_chip (self, row);
  }
}

static void
load_history (GkRecordEditor *self)
{
  clear_rows_of (self->history_group, self->history_rows);
  g_hash_table_remove_all (self->confirmed_before);
  self->history_loading = FALSE;
  if (self->item == NULL || get_store (self) == NULL)
    return;
  self->history_loading = TRUE;
  gk_store_audit_log_async (get_store (self), self->item->id, self->item_cancellable, on_history_cb,
                            g_object_ref (self));
}

static void
show_history (GkRecordEditor *self,
              GPtrArray      *entries,
              const GError   *error)
{
  clear_rows_of (self->history_group, self->history_rows);
  g_hash_table_remove_all (self->confirmed_before);
  if (entries == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), error ? error->message : "");
      adw_preferences_group_add (self->history_group, row);
      g_ptr_array_add (self->history_rows, row);
      return;
    }
  /* Newest first. */
  for (guint i = entries->len; i > 0; i--)
    {
      GkAuditEntry *entry = g_ptr_array_index (entries, i - 1);
      gboolean person = g_strcmp0 (entry->action, "edit") == 0 || g_strcmp0 (entry->action, "confirm") == 0;
      g_autofree char *details = describe_details (entry, person ? self->confirmed_before : NULL);
      g_autofree char *when = gk_format_timestamp (entry->at);
      g_autofree char *title = g_strdup_printf (_("%s by %s"), action_label (entry->action),
                                                entry->actor ? entry->actor : "");
      g_autofree char *subtitle = details[0] ? g_strdup_printf ("%s · %s", when, details)
                                             : g_strdup (when);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      adw_preferences_group_add (self->history_group, row);
      g_ptr_array_add (self->history_rows, row);
    }
}

static void
on_finding_row_activated_cb (AdwActionRow   *row,
                             GkRecordEditor *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "index"));

  g_signal_emit (self, signals[FINDING_ACTIVATED], 0, index);
}

static void
load_findings (GkRecordEditor *self)
{
  GPtrArray *findings = self->item ? self->item->findings : NULL;

  clear_rows_of (self->findings_group, self->findings_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->findings_group), findings != NULL && findings->len > 0);
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      GkFinding *finding = g_ptr_array_index (findings, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon;
      /* Translators: a screening finding, "ID card number: 3101…" */
      g_autofree char *title =
          g_strdup_printf (_ ("%s: %s"), gk_finding_kind_to_label (finding->kind),
                           finding->value ? finding->value : "");
      g_autofree char *subtitle = NULL;

      if (finding->status == GK_FINDING_DISMISSED)
        subtitle = g_strdup_printf (_("Page %d · dismissed by %s: %s"), finding->page,
                                    finding->decided_by ? finding->decided_by : "",
                                    finding->reason ? finding->reason : "");
      else if (gk_finding_is_blocking (finding))
        subtitle = g_strdup_printf (_("Page %d · blocks approval until a reviewer decides"), finding->page);
      else
        subtitle = g_strdup_printf (_("Page %d"), finding->page);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      icon = gtk_image_new_from_icon_name (gk_finding_is_blocking (finding) ? "dialog-error-symbolic"
                                                                             : "dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, gk_finding_is_blocking (finding) ? "error" : "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "index", GUINT_TO_POINTER (i));
      g_signal_connect (row, "activated", G_CALLBACK (on_finding_row_activated_cb), self);
      adw_preferences_group_add (self->findings_group, row);
      g_ptr_array_add (self->findings_rows, row);
    }
}

/* Header and state */

static void
update_header (GkRecordEditor *self)
{
  g_autofree char *meta = NULL;
  g_autofree char *created = NULL;
  static const char *state_classes[] = {
    "state-draft", "state-in-review", "state-returned", "state-approved",
    "state-published", "state-withdrawn",
  };

  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), state_classes[i]);
  if (self->item == NULL)
    {
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->state_label, "");
      gtk_label_set_label (self->meta_label, "");
      return;
    }

  gtk_label_set_label (self->title_label,
                       self->item->title ? self->item->title
                       : self->item->file_name ? self->item->file_name : _("Untitled document"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), self->item->title);
  if (self->item->state == GK_STATE_IN_REVIEW && self->item->stage != GK_STAGE_NONE)
    {
      g_autofree char *label = g_strdup_printf ("%s · %s", gk_state_to_label (self->item->state),
                                                gk_stage_to_label (self->item->stage));

      gtk_label_set_label (self->state_label, label);
    }
  else
    gtk_label_set_label (self->state_label, gk_state_to_label (self->item->state));
  if ((guint) self->item->state < G_N_ELEMENTS (state_classes))
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), state_classes[self->item->state]);

  created = gk_format_timestamp (self->item->created_at);
  meta = g_strdup_printf (ngettext ("Revision %" PRId64 " · %d page · imported by %s on %s",
                                    "Revision %" PRId64 " · %d pages · imported by %s on %s",
                                    (gulong) MAX (self->item->pages, 0)),
                          self->item->revision, self->item->pages,
                          self->item->created_by ? self->item->created_by : "", created);
  gtk_label_set_label (self->meta_label, meta);
}

/* Why an action cannot be used, under the header. */
static void
show_action_reason (GkRecordEditor *self, const char *reason)
{
  if (g_strcmp0 (gtk_label_get_label (self->action_reason), reason ? reason : "") != 0)
    gtk_label_set_label (self->action_reason, reason ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->action_reason), reason != NULL);
}

/* The fields review needs that the record (as being edited) leaves
 * empty, 公开属性 at “not set” among them, are marked — while it can
 * still be submitted: a draft or a returned item. */
static void
mark_missing_fields (GkRecordEditor *self)
{
  g_auto (GStrv) missing = NULL;
  GHashTableIter iter;
  FieldRow      *row;
  gboolean       draft = self->item != NULL && self->working != NULL &&
                   (self->item->state == GK_STATE_DRAFT || self->item->state == GK_STATE_RETURNED);

  if (draft)
    missing = gk_workflow_missing_fields (self->working);
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &row))
    {
      gboolean needed = missing != NULL &&
                        g_strv_contains ((const char *const *) missing, row->field) &&
                        row->error == NULL;

      if (needed == gtk_widget_has_css_class (row->row, "needed"))
        continue;
      if (needed)
        gtk_widget_add_css_class (row->row, "needed");
      else
        gtk_widget_remove_css_class (row->row, "needed");
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->row), GTK_ACCESSIBLE_PROPERTY_REQUIRED,
                                      needed, -1);
    }
}

static void
update_actions (GkRecordEditor *self)
{
  g_autofree char *why_not = NULL;
  g_autofree char *edit_why = NULL;
  gboolean can_submit = FALSE;
  /* The policy says who edits records (the store refuses the others):
   * say so by greying the fields rather than failing at save. */
  gboolean may_edit = self->context != NULL &&
                      gk_context_can (self->context, GK_ACTION_EDIT, self->item, &edit_why);
  GHashTableIter iter;
  FieldRow *row;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &row))
    {
      gtk_widget_set_sensitive (row->row, may_edit);
      if (row->combo != NULL)
        gtk_widget_set_sensitive (row->combo, may_edit);
    }
  if (self->tags_add_button != NULL)
    gtk_widget_set_sensitive (self->tags_add_button, may_edit);
  if (self->related_add_button != NULL)
    gtk_widget_set_sensitive (self->related_add_button, may_edit);
  gk_widget_change_tooltip (GTK_WIDGET (self->save_button), may_edit ? NULL : edit_why);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 may_edit && self->item != NULL && self->dirty && !self->saving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.discard",
                                 self->item != NULL && self->dirty && !self->saving);

  if (self->item != NULL && get_store (self) != NULL &&
      (self->item->state == GK_STATE_DRAFT || self->item->state == GK_STATE_RETURNED))
    {
      if (self->dirty)
        why_not = g_strdup (_("Save the record first."));
      else
        can_submit = gk_context_can (self->context, GK_ACTION_SUBMIT, self->item, &why_not);
      gtk_widget_set_visible (GTK_WIDGET (self->submit_button), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->submit_button), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.submit", can_submit && !self->saving);
  gk_widget_change_tooltip (GTK_WIDGET (self->submit_button),
                            can_submit ? _ ("Submit for Review") : why_not);
  /* Greyed fields first: then Submit is not the question. */
  if (self->item != NULL && !may_edit)
    show_action_reason (self, edit_why);
  else if (self->item != NULL && gtk_widget_get_visible (GTK_WIDGET (self->submit_button)) &&
           !can_submit)
    show_action_reason (self, why_not);
  else
    show_action_reason (self, NULL);
  mark_missing_fields (self);
}

static void
update_dirty (GkRecordEditor *self)
{
  g_auto(GStrv) diff = NULL;
  gboolean dirty = FALSE;

  if (self->item != NULL && self->working != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      diff = gk_item_diff (self->item, self->working);
      dirty = diff[0] != NULL || g_hash_table_size (self->confirmed) > 0;
      g_hash_table_iter_init (&iter, self->rows);
      while (!dirty && g_hash_table_iter_next (&iter, NULL, &value))
        {
          FieldRow *row = value;

          /* Text that does not validate is an unsaved change too. */
          if (row->error != NULL && g_strcmp0 (row->error, self->missing_ground) != 0)
            dirty = TRUE;
        }
    }
  if (dirty != self->dirty)
    {
      self->dirty = dirty;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
    }
  update_actions (self);
}

static void
load_values (GkRecordEditor *self)
{
  GHashTableIter iter;
  gpointer value;

  self->loading = TRUE;
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FieldRow *row = value;
      g_autofree char *text = self->working ? gk_item_get_field (self->working, row->field) : NULL;

      show_row_error (row, NULL);
      switch (row->kind)
        {
        case ROW_ENTRY:
          gtk_editable_set_text (GTK_EDITABLE (row->row), text ? text : "");
          break;
        case ROW_COMBO:
          {
            g_autofree char *label = NULL;

            if (g_str_equal (row->field, "topic"))
              label = topic_label (text);
            select_combo_value (row, row->row, text, label);
          }
          break;
        case ROW_GROUND:
          gtk_editable_set_text (GTK_EDITABLE (row->row), text ? text : "");
          select_combo_value (row, row->combo, text, NULL);
          break;
        case ROW_TAGS:
          load_tags (self);
          break;
        case ROW_RELATED:
          load_related (self);
          break;
        case ROW_INTERPRETS:
          load_interprets (self, row);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  self->loading = FALSE;

  update_ground (self);
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    update_chip (self, value);
  gtk_widget_set_sensitive (GTK_WIDGET (self->groups_box), self->item != NULL);
}

static void
set_item_internal (GkRecordEditor *self,
                   GkItem         *item)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  build (self);
  /* What was on its way for the previous item is not wanted. */
  g_cancellable_cancel (self->item_cancellable);
  g_clear_object (&self->item_cancellable);
  self->item_cancellable = g_cancellable_new ();
  g_set_object (&self->item, item);
  g_clear_object (&self->working);
  g_clear_pointer (&self->detected, json_object_unref);
  g_hash_table_remove_all (self->confirmed);
  if (item != NULL)
    {
      self->working = gk_item_copy (item);
      if (item->detected_json != NULL &&
          json_parser_load_from_data (parser, item->detected_json, -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        self->detected = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  if (self->item_picker != NULL)
    {
      gk_item_picker_set_exclude (self->item_picker, item ? item->id : NULL);
      gk_item_picker_set_suggestions (self->item_picker, NULL);
    }
  if (self->related_picker != NULL)
    gk_item_picker_set_exclude (self->related_picker, item ? item->id : NULL);

  load_history (self);
  load_findings (self);
  load_values (self);
  update_header (self);
  update_dirty (self);
}

/* Saving */

typedef struct
{
  GkRecordEditor *self;
  GTask          *outer;
  char           *id;
} SaveRun;

static void
save_run_free (SaveRun *run)
{
  g_object_unref (run->self);
  g_clear_object (&run->outer);
  g_free (run->id);
  g_free (run);
}

static void
on_fresh_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SaveRun *run = user_data;
  GkRecordEditor *self = run->self;
  g_autoptr(GkItem) fresh = gk_store_get_item_finish (GK_STORE (source), result, NULL);

  self->saving = FALSE;
  if (self->context == NULL)
    {
      /* Saved, but the editor is gone (the window closed). */
      g_task_return_boolean (run->outer, TRUE);
      save_run_free (run);
      return;
    }
  /* Show what the store kept (normalised values, new revision, history). */
  if (self->item != NULL && g_strcmp0 (self->item->id, run->id) == 0)
    {
      g_hash_table_remove_all (self->confirmed);
      if (fresh != NULL)
        set_item_internal (self, fresh);
      else
        update_dirty (self);
    }
  update_actions (self);
  g_signal_emit (self, signals[SAVED], 0);
  g_task_return_boolean (run->outer, TRUE);
  save_run_free (run);
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SaveRun *run = user_data;
  GkRecordEditor *self = run->self;
  g_autoptr(GError) error = NULL;

  if (!gk_store_update_item_finish (GK_STORE (source), result, &error))
    {
      self->saving = FALSE;
      if (self->context != NULL)
        update_actions (self);
      g_task_return_error (run->outer, g_steal_pointer (&error));
      save_run_free (run);
      return;
    }
  /* Still saving until the stored values are shown: no second save of
   * the old working copy meanwhile. */
  gk_store_get_item_async (GK_STORE (source), run->id, NULL, on_fresh_cb, run);
}

static void
on_save_action_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GkRecordEditor *self = GK_RECORD_EDITOR (source);
  g_autoptr(GError) error = NULL;

  if (gk_record_editor_save_finish (self, result, &error))
    gk_widget_show_toast (GTK_WIDGET (self), _("Saved"));
  else
    gk_widget_show_toast (GTK_WIDGET (self), error->message);
}

static void
on_restart_review_response_cb (AdwMessageDialog *dialog,
                               const char       *response,
                               GkRecordEditor   *self)
{
  if (g_strcmp0 (response, "save") == 0)
    gk_record_editor_save_async (self, NULL, on_save_action_done_cb, NULL);
  g_object_unref (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GkRecordEditor *self = GK_RECORD_EDITOR (widget);
  g_autofree char *body = NULL;
  GtkRoot *root;
  GtkWidget *dialog;

  /* Saving a document that is in review or approved changes its place in
   * the workflow: say so before, not after. */
  if (self->item != NULL && self->item->state == GK_STATE_IN_REVIEW)
    body = g_strdup (_("This document is in review. Saving takes it back to draft, "
                       "and it must be submitted for review again."));
  else if (self->item != NULL &&
           (self->item->state == GK_STATE_APPROVED || self->item->state == GK_STATE_PUBLISHED ||
            self->item->state == GK_STATE_WITHDRAWN))
    body = g_strdup_printf (_("Saving makes revision %" PRId64 " in draft. The approval of revision %"
                              PRId64 " no longer holds: the new revision must be reviewed again "
                              "before it is published."),
                            self->item->revision + 1, self->item->revision);

  if (body == NULL)
    {
      gk_record_editor_save_async (self, NULL, on_save_action_done_cb, NULL);
      return;
    }

  root = gtk_widget_get_root (widget);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Save and Review Again?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_widget_set_name (dialog, "restart-review-dialog");
  g_signal_connect (dialog, "response", G_CALLBACK (on_restart_review_response_cb), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  gk_record_editor_discard (GK_RECORD_EDITOR (widget));
}

static void
on_submitted_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GkRecordEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;
  if (!gk_workflow_submit_finish (GK_STORE (source), result, &error) && self->context == NULL)
    return;
  if (self->context == NULL)
    return;
  if (error == NULL)
    {
      gk_widget_show_toast (GTK_WIDGET (self), _("Submitted for review"));
      gk_record_editor_reload (self);
    }
  else
    {
      gk_widget_show_toast (GTK_WIDGET (self), error->message);
      update_actions (self);
    }
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GkRecordEditor *self = GK_RECORD_EDITOR (widget);

  if (self->item == NULL || self->dirty || self->saving)
    return;
  self->saving = TRUE;
  update_actions (self);
  gk_workflow_submit_async (get_store (self), gk_context_get_user (self->context), self->item->id,
                            NULL, on_submitted_cb, g_object_ref (self));
}

/* GObject */

static void
gk_record_editor_dispose (GObject *object)
{
  GkRecordEditor *self = GK_RECORD_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->item_cancellable);
  g_clear_object (&self->item_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GK_TYPE_RECORD_EDITOR);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->item);
  g_clear_object (&self->working);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (gk_record_editor_parent_class)->dispose (object);
}

static void
gk_record_editor_finalize (GObject *object)
{
  GkRecordEditor *self = GK_RECORD_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->detected, json_object_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->confirmed, g_hash_table_unref);
  g_clear_pointer (&self->confirmed_before, g_hash_table_unref);
  g_clear_pointer (&self->findings_rows, g_ptr_array_unref);
  g_clear_pointer (&self->history_rows, g_ptr_array_unref);
  g_free (self->missing_ground);

  G_OBJECT_CLASS (gk_record_editor_parent_class)->finalize (object);
}

static void
gk_record_editor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GkRecordEditor *self = GK_RECORD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_DIRTY:
      g_value_set_boolean (value, self->dirty);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_record_editor_class_init (GkRecordEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gk_record_editor_dispose;
  object_class->finalize = gk_record_editor_finalize;
  object_class->get_property = gk_record_editor_get_property;

  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GkRecordEditor::finding-activated:
   * @editor: the editor
   * @index: the finding's index in the item's findings
   */
  signals[FINDING_ACTIVATED] =
    g_signal_new ("finding-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /**
   * GkRecordEditor::saved:
   * @editor: the editor
   */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/gov/gongkai/Desk/gk-record-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, GkRecordEditor, title_label);
  gtk_widget_class_bind_template_child (widget_class, GkRecordEditor, state_label);
  gtk_widget_class_bind_template_child (widget_class, GkRecordEditor, meta_label);
  gtk_widget_class_bind_template_child (widget_class, GkRecordEditor, submit_button);
  gtk_widget_class_bind_template_child (widget_class, GkRecordEditor, action_reason);
  gtk_widget_class_bind_template_child (widget_class, GkRecordEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, GkRecordEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, GkRecordEditor, groups_box);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.discard", NULL, discard_action);
  gtk_widget_class_install_action (widget_class, "editor.submit", NULL, submit_action);

  gtk_widget_class_set_css_name (widget_class, "recordeditor");
}

static void
gk_record_editor_init (GkRecordEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) field_row_free);
  self->confirmed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->confirmed_before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->findings_rows = g_ptr_array_new ();
  self->history_rows = g_ptr_array_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->submit_button), FALSE);
  update_actions (self);
}

/* Public API */

/**
 * gk_record_editor_new:
 * @context: the application context
 *
 * Returns: (transfer full): an editor showing nothing
 */
GtkWidget *
gk_record_editor_new (GkContext *context)
{
  GkRecordEditor *self;

  g_return_val_if_fail (GK_IS_CONTEXT (context), NULL);

  self = g_object_new (GK_TYPE_RECORD_EDITOR, NULL);
  self->context = g_object_ref (context);
  /* Who may submit depends on who acts. */
  g_signal_connect_object (context, "notify::user", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}

/**
 * gk_record_editor_set_item:
 * @self: an editor
 * @item: (nullable): the item, with its findings
 *
 * Shows @item; unsaved changes to the previous one are dropped.
 */
void
gk_record_editor_set_item (GkRecordEditor *self,
                           GkItem         *item)
{
  g_return_if_fail (GK_IS_RECORD_EDITOR (self));
  g_return_if_fail (item == NULL || GK_IS_ITEM (item));

  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  gboolean same = item != NULL && self->item != NULL && g_strcmp0 (item->id, self->item->id) == 0;
  double   value = gtk_adjustment_get_value (adjustment);

  set_item_internal (self, item);
  /* Another document starts at the top; the same one, read again after
   * a change elsewhere (a background import, another desk), stays where
   * the person was reading. */
  if (item != NULL)
    gtk_adjustment_set_value (adjustment, same ? value : 0);
}

/**
 * gk_record_editor_get_item:
 * @self: an editor
 *
 * Returns: (transfer none) (nullable): the item as stored
 */
GkItem *
gk_record_editor_get_item (GkRecordEditor *self)
{
  g_return_val_if_fail (GK_IS_RECORD_EDITOR (self), NULL);

  return self->item;
}

/**
 * gk_record_editor_get_working:
 * @self: an editor
 *
 * Returns: (transfer none) (nullable): the working copy
 */
GkItem *
gk_record_editor_get_working (GkRecordEditor *self)
{
  g_return_val_if_fail (GK_IS_RECORD_EDITOR (self), NULL);

  return self->working;
}

/**
 * gk_record_editor_reload:
 * @self: an editor
 *
 * Reads the item again when nothing is unsaved.
 */
static void
on_reloaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GkRecordEditor) self = user_data;
  g_autoptr(GkItem) fresh = gk_store_get_item_finish (GK_STORE (source), result, NULL);

  /* Not over edits begun meanwhile, nor over another item. */
  if (self->context == NULL)
    return;
  if (fresh == NULL || self->item == NULL || self->dirty || self->saving ||
      g_strcmp0 (fresh->id, self->item->id) != 0)
    return;
  set_item_internal (self, fresh);
}

void
gk_record_editor_reload (GkRecordEditor *self)
{
  g_return_if_fail (GK_IS_RECORD_EDITOR (self));

  if (self->item == NULL || self->dirty || self->saving || get_store (self) == NULL)
    return;
  gk_store_get_item_async (get_store (self), self->item->id, self->cancellable, on_reloaded_cb,
                           g_object_ref (self));
}

/**
 * gk_record_editor_is_loading:
 * @self: an editor
 *
 * Returns: %TRUE while a save or the item's history is on its way
 */
gboolean
gk_record_editor_is_loading (GkRecordEditor *self)
{
  g_return_val_if_fail (GK_IS_RECORD_EDITOR (self), FALSE);

  return self->saving || self->history_loading;
}

/**
 * gk_record_editor_is_dirty:
 * @self: an editor
 *
 * Returns: %TRUE when there are unsaved changes
 */
gboolean
gk_record_editor_is_dirty (GkRecordEditor *self)
{
  g_return_val_if_fail (GK_IS_RECORD_EDITOR (self), FALSE);

  return self->dirty;
}

/**
 * gk_record_editor_get_invalid_fields:
 * @self: an editor
 *
 * Returns: (transfer full): fields with an error shown, %NULL-terminated
 */
GStrv
gk_record_editor_get_invalid_fields (GkRecordEditor *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *const *names = gk_item_field_names ();

  g_return_val_if_fail (GK_IS_RECORD_EDITOR (self), NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      FieldRow *row = g_hash_table_lookup (self->rows, names[i]);

      if (row != NULL && row->error != NULL)
        g_strv_builder_add (builder, names[i]);
    }
  return g_strv_builder_end (builder);
}

/**
 * gk_record_editor_save_async:
 * @self: an editor
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when saved or refused
 * @user_data: for @callback
 *
 * Saves the working copy with gk_store_update_item() on a worker.
 */
void
gk_record_editor_save_async (GkRecordEditor      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_auto(GStrv) invalid = NULL;
  g_autofree const char **confirmed = NULL;
  SaveRun *run;

  g_return_if_fail (GK_IS_RECORD_EDITOR (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, gk_record_editor_save_async);

  if (self->item == NULL || get_store (self) == NULL)
    {
      g_task_return_new_error (outer, GK_ERROR, GK_ERROR_NOT_FOUND, _("No document is open."));
      return;
    }
  if (self->saving)
    {
      g_task_return_new_error (outer, GK_ERROR, GK_ERROR_CONFLICT, _("The record is being saved."));
      return;
    }
  invalid = gk_record_editor_get_invalid_fields (self);
  if (invalid[0] != NULL)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; invalid[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append (names, _(", "));
          g_string_append (names, gk_item_field_label (invalid[i]));
        }
      g_task_return_new_error (outer, GK_ERROR, GK_ERROR_INVALID,
                               _("Not saved: correct the fields marked in red first (%s)."), names->str);
      return;
    }

  confirmed = (const char **) g_hash_table_get_keys_as_array (self->confirmed, NULL);
  run = g_new0 (SaveRun, 1);
  run->self = g_object_ref (self);
  run->outer = g_steal_pointer (&outer);
  run->id = g_strdup (self->working->id);

  self->saving = TRUE;
  update_actions (self);
  gk_store_update_item_async (get_store (self), gk_context_get_user (self->context), self->working,
                              confirmed, NULL, on_saved_cb, run);
}

/**
 * gk_record_editor_save_finish:
 * @self: an editor
 * @result: the result given to the callback
 * @error: return location for an error in the user's words
 *
 * Returns: %TRUE when saved
 */
gboolean
gk_record_editor_save_finish (GkRecordEditor  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gk_record_editor_discard:
 * @self: an editor
 *
 * Drops unsaved changes and shows the stored values again.
 */
void
gk_record_editor_discard (GkRecordEditor *self)
{
  g_autoptr(GkItem) item = NULL;

  g_return_if_fail (GK_IS_RECORD_EDITOR (self));

  if (self->item == NULL)
    return;
  item = g_object_ref (self->item);
  set_item_internal (self, item);
}

/**
 * gk_record_editor_get_row:
 * @self: an editor
 * @field: a field name
 *
 * Returns: (transfer none) (nullable): the field's row
 */
GtkWidget *
gk_record_editor_get_row (GkRecordEditor *self,
                          const char     *field)
{
  FieldRow *row;

  g_return_val_if_fail (GK_IS_RECORD_EDITOR (self), NULL);

  build (self);
  row = g_hash_table_lookup (self->rows, field);
  return row ? row->row : NULL;
}

/**
 * gk_record_editor_set_text:
 * @self: an editor
 * @field: a field shown as an entry row
 * @text: the text to type
 *
 * Returns: %TRUE if @field has an entry row
 */
gboolean
gk_record_editor_set_text (GkRecordEditor *self,
                           const char     *field,
                           const char     *text)
{
  FieldRow *row;

  g_return_val_if_fail (GK_IS_RECORD_EDITOR (self), FALSE);

  row = g_hash_table_lookup (self->rows, field);
  if (row == NULL || !GTK_IS_EDITABLE (row->row))
    return FALSE;
  gtk_editable_set_text (GTK_EDITABLE (row->row), text);
  return TRUE;
}

/**
 * gk_record_editor_get_error:
 * @self: an editor
 * @field: a field name
 *
 * Returns: (nullable): the message shown under the field's row
 */
const char *
gk_record_editor_get_error (GkRecordEditor *self,
                            const char     *field)
{
  FieldRow *row;

  g_return_val_if_fail (GK_IS_RECORD_EDITOR (self), NULL);

  row = g_hash_table_lookup (self->rows, field);
  return row ? row->error : NULL;
}

/**
 * gk_record_editor_is_detected:
 * @self: an editor
 * @field: a field name
 *
 * Returns: %TRUE if the field shows the "detected" mark
 */
gboolean
gk_record_editor_is_detected (GkRecordEditor *self,
                              const char     *field)
{
  FieldRow *row;

  g_return_val_if_fail (GK_IS_RECORD_EDITOR (self), FALSE);

  row = g_hash_table_lookup (self->rows, field);
  return row != NULL && row->chip != NULL && gtk_widget_get_visible (row->chip);
}

/**
 * gk_record_editor_confirm:
 * @self: an editor
 * @field: a field with a detected value
 *
 * A person confirms the detected value; saved as a "confirm" audit entry.
 */
void
gk_record_editor_confirm (GkRecordEditor *self,
                          const char     *field)
{
  FieldRow *row;

  g_return_if_fail (GK_IS_RECORD_EDITOR (self));

  row = g_hash_table_lookup (self->rows, field);
  if (row == NULL || !field_is_detected (self, field))
    return;
  g_hash_table_add (self->confirmed, g_strdup (field));
  update_chip (self, row);
  update_dirty (self);
}

/* Adds value to a list field (tags, related) or takes it out, as the
 * chips' buttons and pickers do; no change if it is already so. */
static void
edit_list_field (GkRecordEditor *self, const char *field, const char *value, gboolean add)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) values = NULL;
  g_autofree char *text = NULL;
  FieldRow        *row = g_hash_table_lookup (self->rows, field);
  GStrv            current;
  gboolean         present;

  if (self->working == NULL || row == NULL || value == NULL)
    return;
  current = g_str_equal (field, "tags") ? self->working->tags : self->working->related;
  present = current != NULL && g_strv_contains ((const char *const *) current, value);
  if (present == add)
    return;
  for (guint i = 0; current != NULL && current[i] != NULL; i++)
    if (add || g_strcmp0 (current[i], value) != 0)
      g_strv_builder_add (builder, current[i]);
  if (add)
    g_strv_builder_add (builder, value);
  values = g_strv_builder_end (builder);
  text = g_strjoinv (",", values);
  apply_value (self, row, text);
  if (row->kind == ROW_TAGS)
    load_tags (self);
  else
    load_related (self);
}

/**
 * gk_record_editor_add_tag:
 * @self: an editor
 * @name: a tag of the catalog
 *
 * Adds @name to the working copy's tags, as the tag picker does.
 */
void
gk_record_editor_add_tag (GkRecordEditor *self,
                          const char     *name)
{
  g_return_if_fail (GK_IS_RECORD_EDITOR (self));

  edit_list_field (self, "tags", name, TRUE);
}

/**
 * gk_record_editor_remove_tag:
 * @self: an editor
 * @name: a tag of the item
 *
 * Takes @name out of the working copy's tags, as its chip's button does.
 */
void
gk_record_editor_remove_tag (GkRecordEditor *self,
                             const char     *name)
{
  g_return_if_fail (GK_IS_RECORD_EDITOR (self));

  edit_list_field (self, "tags", name, FALSE);
}

/**
 * gk_record_editor_link_related:
 * @self: an editor
 * @id: another item of the library
 *
 * Adds @id to the working copy's related documents (相关文件), as the
 * related row's picker does.
 */
void
gk_record_editor_link_related (GkRecordEditor *self, const char *id)
{
  g_return_if_fail (GK_IS_RECORD_EDITOR (self));

  edit_list_field (self, "related", id, TRUE);
}

/**
 * gk_record_editor_unlink_related:
 * @self: an editor
 * @id: a related item
 *
 * Takes @id out of the related documents, as its chip's button does.
 */
void
gk_record_editor_unlink_related (GkRecordEditor *self, const char *id)
{
  g_return_if_fail (GK_IS_RECORD_EDITOR (self));

  edit_list_field (self, "related", id, FALSE);
}

/**
 * gk_record_editor_get_n_history:
 * @self: an editor
 *
 * Returns: how many history rows are shown
 */
guint
gk_record_editor_get_n_history (GkRecordEditor *self)
{
  g_return_val_if_fail (GK_IS_RECORD_EDITOR (self), 0);

  return self->history_rows->len;
}
