/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiAdmin"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gk-reason-dialog.h"
#include "gk-store-async.h"
#include "gk-tags-page.h"
#include "gk-util.h"

struct _GkTagsPage
{
  GkAdminPage  parent_instance;

  GtkWidget   *add_row;
  GtkWidget   *retired_switch;
  GtkWidget   *catalog_group;
  GPtrArray   *tag_rows;
  GPtrArray   *tags;          /* GkTag*, as shown */
};

G_DEFINE_FINAL_TYPE (GkTagsPage, gk_tags_page, GK_TYPE_ADMIN_PAGE)

/* helpers */

static const char *
get_actor (GkTagsPage *self)
{
  return gk_context_get_user (gk_admin_page_get_context (GK_ADMIN_PAGE (self)));
}

/* One edit of the catalog on its way. */
typedef struct
{
  GkTagsPage *self;
  GtkWidget  *widget;  /* what started it: insensitive until answered */
  char       *done;    /* said when it worked */
  gboolean    clear;   /* empty the entry row when it worked */
} Edit;

static void
edit_free (Edit *edit)
{
  g_object_unref (edit->self);
  g_clear_object (&edit->widget);
  g_free (edit->done);
  g_free (edit);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Edit, edit_free)

static void
on_edited_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Edit) edit = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = gk_store_edit_tags_finish (GK_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (edit->widget != NULL)
    gtk_widget_set_sensitive (edit->widget, TRUE);
  gk_admin_page_show_toast (GK_ADMIN_PAGE (edit->self), ok ? edit->done : error->message);
  if (!ok)
    return;
  if (edit->clear)
    gtk_editable_set_text (GTK_EDITABLE (edit->widget), "");
  gk_admin_page_reload (GK_ADMIN_PAGE (edit->self));
}

/* done: what to say when it worked (taken); widget: what started it,
 * an entry row is emptied when it worked. */
static void
edit_tags (GkTagsPage *self,
           GtkWidget  *widget,
           GkTagEdit   what,
           const char *name,
           const char *argument,
           char       *done)
{
  GkAdminPage *page = GK_ADMIN_PAGE (self);
  Edit *edit = g_new0 (Edit, 1);

  edit->self = g_object_ref (self);
  edit->widget = widget ? g_object_ref (widget) : NULL;
  edit->done = done;
  edit->clear = ADW_IS_ENTRY_ROW (widget);
  if (widget != NULL)
    gtk_widget_set_sensitive (widget, FALSE);
  gk_store_edit_tags_async (gk_admin_page_get_store (page), get_actor (self), what, name, argument,
                            gk_admin_page_get_cancellable (page), on_edited_cb, edit);
}

static guint
depth_of (const GkTag *tag)
{
  guint depth = 0;

  for (const char *p = tag->path; p != NULL && *p != '\0'; p++)
    if (*p == '/')
      depth++;
  return depth;
}

static GkTag *
find_tag (GkTagsPage *self,
          const char *name)
{
  for (guint i = 0; i < self->tags->len; i++)
    {
      GkTag *tag = g_ptr_array_index (self->tags, i);

      if (g_strcmp0 (tag->name, name) == 0)
        return tag;
    }
  return NULL;
}

static void show_tags (GkTagsPage *self, GPtrArray *tags);

/* callbacks */

static void
on_add_applied_cb (AdwEntryRow *row,
                   GkTagsPage  *self)
{
  GkStore *store = gk_admin_page_get_store (GK_ADMIN_PAGE (self));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (store == NULL || gk_str_is_blank (name))
    return;
  edit_tags (self, GTK_WIDGET (row), GK_TAG_EDIT_ADD, name, NULL,
             g_strdup_printf (_("Tag “%s” added."), name));
}

static void
on_child_response_cb (GkReasonDialog *dialog,
                      const char     *response,
                      GkTagsPage     *self)
{
  GkStore *store = gk_admin_page_get_store (GK_ADMIN_PAGE (self));
  const char *parent = g_object_get_data (G_OBJECT (dialog), "tag");
  g_autofree char *name = gk_reason_dialog_get_text (dialog);

  if (g_strcmp0 (response, "add") != 0 || store == NULL)
    return;
  edit_tags (self, g_object_get_data (G_OBJECT (dialog), "button"), GK_TAG_EDIT_ADD, name, parent,
             g_strdup_printf (_("Tag “%s” added under “%s”."), name, parent));
}

static void
on_rename_response_cb (GkReasonDialog *dialog,
                       const char     *response,
                       GkTagsPage     *self)
{
  GkStore *store = gk_admin_page_get_store (GK_ADMIN_PAGE (self));
  const char *old_name = g_object_get_data (G_OBJECT (dialog), "tag");
  g_autofree char *name = gk_reason_dialog_get_text (dialog);

  if (g_strcmp0 (response, "rename") != 0 || store == NULL)
    return;
  edit_tags (self, g_object_get_data (G_OBJECT (dialog), "button"), GK_TAG_EDIT_RENAME, old_name, name,
             g_strdup_printf (_("“%s” is now “%s” on every document that has it."), old_name, name));
}

static void
on_move_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     GkTagsPage       *self)
{
  GkStore *store = gk_admin_page_get_store (GK_ADMIN_PAGE (self));
  const char *name = g_object_get_data (G_OBJECT (dialog), "tag");
  GtkDropDown *dropdown = g_object_get_data (G_OBJECT (dialog), "dropdown");
  GPtrArray *parents = g_object_get_data (G_OBJECT (dialog), "parents");
  guint chosen = gtk_drop_down_get_selected (dropdown);
  const char *parent = chosen < parents->len ? g_ptr_array_index (parents, chosen) : NULL;
  char *done;

  if (g_strcmp0 (response, "move") != 0 || store == NULL)
    return;
  if (parent != NULL)
    done = g_strdup_printf (_("“%s” is now under “%s”."), name, parent);
  else
    done = g_strdup_printf (_("“%s” is now a top-level tag."), name);
  edit_tags (self, g_object_get_data (G_OBJECT (dialog), "button"), GK_TAG_EDIT_MOVE, name, parent, done);
}

static void
on_tag_action_cb (GtkButton  *button,
                  GkTagsPage *self)
{
  GkStore *store = gk_admin_page_get_store (GK_ADMIN_PAGE (self));
  const char *action = g_object_get_data (G_OBJECT (button), "action");
  const char *name = g_object_get_data (G_OBJECT (button), "tag");
  GkTag *tag = find_tag (self, name);
  GtkWindow *window = gk_admin_page_get_window (GK_ADMIN_PAGE (self));
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (store == NULL || tag == NULL)
    return;

  if (g_str_equal (action, "retire") || g_str_equal (action, "restore"))
    {
      gboolean retire = g_str_equal (action, "retire");
      char *done = retire
        ? g_strdup_printf (_("“%s” is retired: it stays on its documents but cannot be given to others."), name)
        : g_strdup_printf (_("“%s” can be given to documents again."), name);

      edit_tags (self, GTK_WIDGET (button), retire ? GK_TAG_EDIT_RETIRE : GK_TAG_EDIT_RESTORE,
                 name, NULL, done);
      return;
    }

  if (g_str_equal (action, "add"))
    {
      body = g_strdup_printf (_("The new tag goes under “%s”."), tag->path);
      dialog = gk_reason_dialog_new (window, _("Add a Tag"), body, "add", _("_Add"), FALSE, FALSE);
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_child_response_cb), self, 0);
    }
  else if (g_str_equal (action, "rename"))
    {
      body = g_strdup_printf (_("Every document tagged “%s” shows the new name at once."), name);
      dialog = gk_reason_dialog_new (window, _("Rename the Tag"), body, "rename", _("_Rename"), FALSE, FALSE);
      gk_reason_dialog_set_text (GK_REASON_DIALOG (dialog), name);
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response_cb), self, 0);
    }
  else
    {
      g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
      g_autofree char *prefix = g_strconcat (tag->path, "/", NULL);
      GPtrArray *parents = g_ptr_array_new_with_free_func (g_free);
      GtkWidget *dropdown;

      gtk_string_list_append (choices, _("Top level"));
      g_ptr_array_add (parents, NULL);
      for (guint i = 0; i < self->tags->len; i++)
        {
          GkTag *other = g_ptr_array_index (self->tags, i);

          /* Not under itself or one of its own descendants. */
          if (other == tag || g_str_has_prefix (other->path, prefix))
            continue;
          gtk_string_list_append (choices, other->path);
          g_ptr_array_add (parents, g_strdup (other->name));
        }
      dialog = adw_message_dialog_new (window, _("Move the Tag"), NULL);
      body = g_strdup_printf (_("Where does “%s” go? The tags under it move with it."), name);
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body);
      dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (choices)), NULL);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), dropdown);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"), "move", _("_Move"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "move", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_object_set_data (G_OBJECT (dialog), "dropdown", dropdown);
      g_object_set_data_full (G_OBJECT (dialog), "parents", parents, (GDestroyNotify) g_ptr_array_unref);
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_move_response_cb), self, 0);
    }
  g_object_set_data_full (G_OBJECT (dialog), "tag", g_strdup (name), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "button", g_object_ref (button), g_object_unref);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_retired_toggled_cb (GtkSwitch  *toggle,
                       GParamSpec *pspec,
                       GkTagsPage *self)
{
  /* Every tag is read already: only which rows are shown changes. */
  if (self->tags != NULL)
    show_tags (self, g_ptr_array_ref (self->tags));
}

static GtkWidget *
new_tag_button (GkTagsPage *self,
                const GkTag *tag,
                const char  *action,
                const char  *icon,
                const char  *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);
  g_autofree char *name = g_strdup_printf ("%s:%s", action, tag->name);

  gtk_widget_set_name (button, name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  g_object_set_data_full (G_OBJECT (button), "action", g_strdup (action), g_free);
  g_object_set_data_full (G_OBJECT (button), "tag", g_strdup (tag->name), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_tag_action_cb), self, 0);
  return button;
}

/* overrides */

/* tags: every tag (for the move targets); only the shown ones get rows. */
static void
show_tags (GkTagsPage *self,
           GPtrArray  *tags)
{
  gboolean with_retired = gtk_switch_get_active (GTK_SWITCH (self->retired_switch));

  for (guint i = 0; i < self->tag_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->catalog_group),
                                  g_ptr_array_index (self->tag_rows, i));
  g_ptr_array_set_size (self->tag_rows, 0);
  g_clear_pointer (&self->tags, g_ptr_array_unref);
  self->tags = tags;
  if (self->tags->len == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->catalog_group),
                                           _("The catalog is empty. Add the first tag above."));
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->catalog_group), NULL);

  for (guint i = 0; i < self->tags->len; i++)
    {
      GkTag *tag = g_ptr_array_index (self->tags, i);
      g_autofree char *subtitle = NULL;
      GtkWidget *row, *spacer;

      if (tag->retired && !with_retired)
        continue;
      if (tag->retired)
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Retired · stays on %u document",
                                                 "Retired · stays on %u documents", tag->n_items),
                                    tag->n_items);
      else
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document", "%u documents",
                                                 tag->n_items), tag->n_items);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tag->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_name (row, tag->path);
      if (tag->retired)
        gtk_widget_add_css_class (row, "dim-label");

      spacer = gtk_image_new_from_icon_name (depth_of (tag) > 0 ? "pan-end-symbolic" : "folder-symbolic");
      gtk_widget_set_margin_start (spacer, 24 * (int) depth_of (tag));
      gtk_widget_add_css_class (spacer, "dim-label");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), spacer);

      if (!tag->retired)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   new_tag_button (self, tag, "add", "list-add-symbolic", _("Add a tag under this one")));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 new_tag_button (self, tag, "rename", "document-edit-symbolic", _("Rename")));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 new_tag_button (self, tag, "move", "go-jump-symbolic", _("Move under another tag")));
      if (tag->retired)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   new_tag_button (self, tag, "restore", "edit-undo-symbolic",
                                                   _("Restore: it can be given to documents again")));
      else
        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   new_tag_button (self, tag, "retire", "edit-delete-symbolic",
                                                   _("Retire: it stays on old documents only")));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->catalog_group), row);
      g_ptr_array_add (self->tag_rows, row);
    }
}

static void
on_tags_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GkTagsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *tags = gk_store_list_tags_finish (GK_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (tags == NULL)
    gk_admin_page_show_toast (GK_ADMIN_PAGE (self), error->message);
  else
    show_tags (self, tags);
  gk_admin_page_end_load (GK_ADMIN_PAGE (self));
}

static void
gk_tags_page_reload (GkAdminPage *page)
{
  GkTagsPage *self = GK_TAGS_PAGE (page);
  GkStore *store = gk_admin_page_get_store (page);

  if (store == NULL)
    {
      show_tags (self, g_ptr_array_new_with_free_func ((GDestroyNotify) gk_tag_free));
      return;
    }
  /* Retired ones too: the switch only hides their rows. */
  gk_store_list_tags_async (store, TRUE, gk_admin_page_begin_load (page), on_tags_cb,
                            g_object_ref (self));
}

static void
gk_tags_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (gk_tags_page_parent_class)->constructed (object);

  gk_admin_page_reload (GK_ADMIN_PAGE (object));
}

static void
gk_tags_page_finalize (GObject *object)
{
  GkTagsPage *self = GK_TAGS_PAGE (object);

  g_clear_pointer (&self->tag_rows, g_ptr_array_unref);
  g_clear_pointer (&self->tags, g_ptr_array_unref);

  G_OBJECT_CLASS (gk_tags_page_parent_class)->finalize (object);
}

static void
gk_tags_page_class_init (GkTagsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GkAdminPageClass *page_class = GK_ADMIN_PAGE_CLASS (klass);

  object_class->constructed = gk_tags_page_constructed;
  object_class->finalize = gk_tags_page_finalize;
  page_class->reload = gk_tags_page_reload;
}

static void
gk_tags_page_init (GkTagsPage *self)
{
  GtkWidget *add_group = adw_preferences_group_new ();
  GtkWidget *retired_row;

  self->tag_rows = g_ptr_array_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Tags"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "bookmark-new-symbolic");
  gtk_widget_set_name (GTK_WIDGET (self), "tags");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (add_group), _("Tag Catalog"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (add_group),
                                         _("Drafters choose tags from this catalog. A retired tag stays on "
                                           "the documents that have it."));
  self->add_row = adw_entry_row_new ();
  gtk_widget_set_name (self->add_row, "add-tag-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->add_row), _("New top-level tag"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->add_row), TRUE);
  g_signal_connect_object (self->add_row, "apply", G_CALLBACK (on_add_applied_cb), self, 0);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_group), self->add_row);

  retired_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (retired_row), _("Show retired tags"));
  self->retired_switch = gtk_switch_new ();
  gtk_switch_set_active (GTK_SWITCH (self->retired_switch), TRUE);
  gtk_widget_set_valign (self->retired_switch, GTK_ALIGN_CENTER);
  g_signal_connect_object (self->retired_switch, "notify::active", G_CALLBACK (on_retired_toggled_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (retired_row), self->retired_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (retired_row), self->retired_switch);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_group), retired_row);

  self->catalog_group = adw_preferences_group_new ();
  gtk_widget_set_name (self->catalog_group, "catalog-group");

  gk_admin_page_add_guarded (GK_ADMIN_PAGE (self), ADW_PREFERENCES_GROUP (add_group));
  gk_admin_page_add_guarded (GK_ADMIN_PAGE (self), ADW_PREFERENCES_GROUP (self->catalog_group));
}

/**
 * gk_tags_page_new:
 * @context: the application context
 *
 * Returns: (transfer full): the page
 */
GtkWidget *
gk_tags_page_new (GkContext *context)
{
  return g_object_new (GK_TYPE_TAGS_PAGE, "context", context, NULL);
}
