/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiAdmin"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "gk-rules-page.h"
#include "gk-settings.h"
#include "gk-store-async.h"
#include "gk-util.h"

struct _GkRulesPage
{
  GkAdminPage    parent_instance;

  GtkWidget     *org_row;
  GtkWidget     *template_row;
  GtkWidget     *preview_row;
  GtkWidget     *save_numbering_button;
  GtkWidget     *stages_row;
  GtkTextBuffer *words;
  GtkWidget     *save_words_button;
  GtkWidget     *words_problem;
  char          *preview;
  GCancellable  *preview_cancellable;  /* the preview being computed */
  gboolean       filling;
};

G_DEFINE_FINAL_TYPE (GkRulesPage, gk_rules_page, GK_TYPE_ADMIN_PAGE)

/* helpers */

static const char *
get_actor (GkRulesPage *self)
{
  return gk_context_get_user (gk_admin_page_get_context (GK_ADMIN_PAGE (self)));
}

static int
current_year (void)
{
  g_autofree char *today = gk_date_today ();

  return atoi (today);
}

static char *
get_words_text (GkRulesPage *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (self->words, &start, &end);
  return gtk_text_buffer_get_text (self->words, &start, &end, FALSE);
}

/* The organisation code and the template make the 索引号 together: each
 * is checked with the other as typed, by the rules the store applies
 * when they are saved.  Blank is the default. */
static gboolean
check_numbering (const char *org,
                 const char *template_text,
                 GError    **error)
{
  const char *org_code = gk_str_is_blank (org) ? NULL : org;
  const char *index_template = gk_str_is_blank (template_text) ? NULL : template_text;

  return gk_setting_check ("org_code", org, NULL, index_template, GK_SETTING_FLAGS_NONE, error) &&
         gk_setting_check ("index_template", template_text, org_code, NULL, GK_SETTING_FLAGS_NONE, error);
}

static void
show_words_problem (GkRulesPage *self,
                    const char  *problem)
{
  gtk_label_set_text (GTK_LABEL (self->words_problem), problem ? problem : "");
  gtk_widget_set_visible (self->words_problem, problem != NULL);
}

/* One word per line, blank lines and surrounding spaces dropped. */
static char *
normalise_words (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *word = g_strstrip (lines[i]);

      if (*word == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, word);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
show_preview (GkRulesPage *self,
              const char  *next,
              const char  *problem)
{
  g_free (self->preview);
  self->preview = g_strdup (next ? next : problem);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->preview_row),
                                 next ? _("Next number") : _("The numbering cannot be used"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->preview_row), self->preview);
  if (next != NULL)
    gtk_widget_remove_css_class (self->preview_row, "error");
  else
    gtk_widget_add_css_class (self->preview_row, "error");
}

static void
on_preview_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GkRulesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = gk_store_next_index_no_finish (GK_STORE (source), result, &error);

  /* Typed on since: a newer preview is on its way. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  show_preview (self, next, next ? NULL : error->message);
}

/* What is typed is checked at once; the next free number is looked up
 * in the background, the newest request replacing older ones. */
static void
update_preview (GkRulesPage *self)
{
  GkStore *store = gk_admin_page_get_store (GK_ADMIN_PAGE (self));
  const char *org = gtk_editable_get_text (GTK_EDITABLE (self->org_row));
  const char *template_text = gtk_editable_get_text (GTK_EDITABLE (self->template_row));
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    return;
  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  if (!check_numbering (org, template_text, &error))
    {
      show_preview (self, NULL, error->message);
      return;
    }
  self->preview_cancellable = g_cancellable_new ();
  gk_store_next_index_no_async (store, template_text, org, current_year (), self->preview_cancellable,
                                on_preview_cb, g_object_ref (self));
}

/* A write of a setting, from the widget that started it. */
typedef struct
{
  GkRulesPage *self;
  GtkWidget   *widget;
  char        *org;   /* the numbering: org_code, written after the template */
} Save;

static void
save_free (Save *save)
{
  g_object_unref (save->self);
  g_object_unref (save->widget);
  g_free (save->org);
  g_free (save);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Save, save_free)

static Save *
save_new (GkRulesPage *self,
          GtkWidget   *widget)
{
  Save *save = g_new0 (Save, 1);

  save->self = g_object_ref (self);
  save->widget = g_object_ref (widget);
  /* Until the store has answered. */
  gtk_widget_set_sensitive (widget, FALSE);
  return save;
}

static void
set_setting (GkRulesPage        *self,
             const char         *key,
             const char         *value,
             GAsyncReadyCallback callback,
             Save               *save)
{
  GkAdminPage *page = GK_ADMIN_PAGE (self);

  gk_store_set_setting_async (gk_admin_page_get_store (page), get_actor (self), key, value,
                              GK_SETTING_FLAGS_NONE, gk_admin_page_get_cancellable (page),
                              callback, save);
}

/* callbacks */

static void
on_numbering_changed_cb (GtkEditable *editable,
                         GkRulesPage *self)
{
  if (!self->filling)
    update_preview (self);
}

static void
on_org_saved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Save) save = user_data;
  GkAdminPage *page = GK_ADMIN_PAGE (save->self);
  g_autoptr(GError) error = NULL;

  if (!gk_store_set_setting_finish (GK_STORE (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (save->widget, TRUE);
  if (error != NULL)
    {
      update_preview (save->self);
      gk_admin_page_show_toast (page, error->message);
      return;
    }
  gk_admin_page_show_toast (page, _("New documents are numbered with this template."));
  gk_admin_page_reload (page);
}

static void
on_template_saved_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Save) save = user_data;
  g_autoptr(GError) error = NULL;

  if (!gk_store_set_setting_finish (GK_STORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_widget_set_sensitive (save->widget, TRUE);
      update_preview (save->self);
      gk_admin_page_show_toast (GK_ADMIN_PAGE (save->self), error->message);
      return;
    }
  /* save->org lives as long as save, which the next callback owns. */
  set_setting (save->self, "org_code", save->org, on_org_saved_cb, save);
  save = NULL;
}

static void
on_save_numbering_clicked_cb (GtkButton   *button,
                              GkRulesPage *self)
{
  GkAdminPage *page = GK_ADMIN_PAGE (self);
  GkStore *store = gk_admin_page_get_store (page);
  g_autoptr(GError) error = NULL;
  g_autofree char *org = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->org_row))));
  g_autofree char *template_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->template_row))));
  Save *save;

  if (store == NULL)
    return;
  /* Both or neither: the preview row already says what is wrong. */
  if (!check_numbering (org, template_text, &error))
    {
      update_preview (self);
      gk_admin_page_show_toast (page, error->message);
      return;
    }
  save = save_new (self, GTK_WIDGET (button));
  save->org = g_steal_pointer (&org);
  set_setting (self, "index_template", template_text, on_template_saved_cb, save);
}

static void
on_stages_saved_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Save) save = user_data;
  GkAdminPage *page = GK_ADMIN_PAGE (save->self);
  g_autoptr(GError) error = NULL;

  if (!gk_store_set_setting_finish (GK_STORE (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (save->widget, TRUE);
  if (error != NULL)
    gk_admin_page_show_toast (page, error->message);
  else
    gk_admin_page_show_toast (page, g_str_equal (save->org, "1")
                                    ? _("Documents submitted from now on need one combined sign-off.")
                                    : _("Documents submitted from now on need a confidentiality review, then a release sign-off by another reviewer."));
  gk_admin_page_reload (page);
}

static void
on_stages_changed_cb (AdwComboRow *row,
                      GParamSpec  *pspec,
                      GkRulesPage *self)
{
  GkStore *store = gk_admin_page_get_store (GK_ADMIN_PAGE (self));
  const char *value = adw_combo_row_get_selected (row) == 0 ? "1" : "2";
  Save *save;

  if (self->filling || store == NULL)
    return;
  save = save_new (self, GTK_WIDGET (row));
  save->org = g_strdup (value);
  set_setting (self, "review_stages", value, on_stages_saved_cb, save);
}

static void
on_words_saved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Save) save = user_data;
  GkAdminPage *page = GK_ADMIN_PAGE (save->self);
  g_autoptr(GError) error = NULL;

  if (!gk_store_set_setting_finish (GK_STORE (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (save->widget, TRUE);
  if (error != NULL)
    {
      /* Shown beside the list, which keeps what was typed. */
      show_words_problem (save->self, error->message);
      gk_admin_page_show_toast (page, error->message);
      return;
    }
  gk_admin_page_show_toast (page, _("The sensitive-word list is saved. Screening uses it for "
                                    "documents imported from now on."));
  gk_admin_page_reload (page);
}

static void
on_save_words_clicked_cb (GtkButton   *button,
                          GkRulesPage *self)
{
  GkStore *store = gk_admin_page_get_store (GK_ADMIN_PAGE (self));
  g_autofree char *text = get_words_text (self);
  g_autofree char *words = normalise_words (text);

  if (store == NULL)
    return;
  set_setting (self, "sensitive_words", words, on_words_saved_cb, save_new (self, GTK_WIDGET (button)));
}

static void
on_settings_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GkRulesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) values = gk_store_get_settings_finish (GK_STORE (source), result, &error);
  const char *org, *template_text, *words;
  char *stages;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (values == NULL)
    {
      gk_admin_page_show_toast (GK_ADMIN_PAGE (self), error->message);
      gk_admin_page_end_load (GK_ADMIN_PAGE (self));
      return;
    }
  org = g_hash_table_lookup (values, "org_code");
  template_text = g_hash_table_lookup (values, "index_template");
  words = g_hash_table_lookup (values, "sensitive_words");
  stages = g_hash_table_lookup (values, "review_stages");

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->org_row), org ? org : "");
  gtk_editable_set_text (GTK_EDITABLE (self->template_row), template_text ? template_text : "");
  /* As gk_workflow_get_review_stages() reads it: two unless it says "1". */
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->stages_row),
                              stages != NULL && strcmp (g_strstrip (stages), "1") == 0 ? 0 : 1);
  gtk_text_buffer_set_text (self->words, words ? words : "", -1);
  show_words_problem (self, NULL);
  self->filling = FALSE;
  update_preview (self);
  gk_admin_page_end_load (GK_ADMIN_PAGE (self));
}

/* overrides */

static void
gk_rules_page_reload (GkAdminPage *page)
{
  static const char *const keys[] = { "org_code", "index_template", "sensitive_words", "review_stages", NULL };
  GkStore *store = gk_admin_page_get_store (page);

  if (store == NULL)
    return;
  gk_store_get_settings_async (store, keys, gk_admin_page_begin_load (page), on_settings_cb,
                               g_object_ref (page));
}

static void
gk_rules_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (gk_rules_page_parent_class)->constructed (object);

  gk_admin_page_reload (GK_ADMIN_PAGE (object));
}

static void
gk_rules_page_dispose (GObject *object)
{
  GkRulesPage *self = GK_RULES_PAGE (object);

  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);

  G_OBJECT_CLASS (gk_rules_page_parent_class)->dispose (object);
}

static void
gk_rules_page_finalize (GObject *object)
{
  GkRulesPage *self = GK_RULES_PAGE (object);

  g_free (self->preview);
  g_clear_object (&self->words);

  G_OBJECT_CLASS (gk_rules_page_parent_class)->finalize (object);
}

static void
gk_rules_page_class_init (GkRulesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GkAdminPageClass *page_class = GK_ADMIN_PAGE_CLASS (klass);

  object_class->constructed = gk_rules_page_constructed;
  object_class->dispose = gk_rules_page_dispose;
  object_class->finalize = gk_rules_page_finalize;
  page_class->reload = gk_rules_page_reload;
}

static void
gk_rules_page_init (GkRulesPage *self)
{
  GtkWidget *numbering = adw_preferences_group_new ();
  GtkWidget *review = adw_preferences_group_new ();
  GtkWidget *screening = adw_preferences_group_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();
  g_autoptr(GtkStringList) stages = NULL;

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Rules"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "preferences-other-symbolic");
  gtk_widget_set_name (GTK_WIDGET (self), "rules");

  /* 索引号 */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (numbering), _("Index Numbers"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (numbering),
                                         _("New documents get the next 索引号 from this template. "
                                           "{org_code} is the organisation code, {year} the year written, "
                                           "{seq} the serial number in that year ({seq:05} pads it to 5 digits)."));
  self->save_numbering_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_set_name (self->save_numbering_button, "save-numbering-button");
  gtk_widget_set_valign (self->save_numbering_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->save_numbering_button, "suggested-action");
  g_signal_connect_object (self->save_numbering_button, "clicked",
                           G_CALLBACK (on_save_numbering_clicked_cb), self, 0);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (numbering), self->save_numbering_button);
  self->org_row = adw_entry_row_new ();
  gtk_widget_set_name (self->org_row, "org-code-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->org_row), _("Organisation code"));
  g_signal_connect_object (self->org_row, "changed", G_CALLBACK (on_numbering_changed_cb), self, 0);
  self->template_row = adw_entry_row_new ();
  gtk_widget_set_name (self->template_row, "index-template-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->template_row), _("Template"));
  g_signal_connect_object (self->template_row, "changed", G_CALLBACK (on_numbering_changed_cb), self, 0);
  self->preview_row = adw_action_row_new ();
  gtk_widget_set_name (self->preview_row, "index-preview-row");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->preview_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->preview_row), _("Next number"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (numbering), self->org_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (numbering), self->template_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (numbering), self->preview_row);

  /* Review stages */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (review), _("Review"));
  stages = gtk_string_list_new ((const char *const []) {
    _("One combined sign-off"),
    _("Two stages: confidentiality review, then release"),
    NULL });
  self->stages_row = adw_combo_row_new ();
  gtk_widget_set_name (self->stages_row, "review-stages-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->stages_row), _("Review stages"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->stages_row),
                               _("With two stages, two different reviewers sign each revision."));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->stages_row), G_LIST_MODEL (stages));
  g_signal_connect_object (self->stages_row, "notify::selected", G_CALLBACK (on_stages_changed_cb), self, 0);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (review), self->stages_row);

  /* Sensitive words */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (screening), _("Sensitive Words"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (screening),
                                         _("The screening flags these words in imported documents, one "
                                           "word or phrase per line."));
  self->save_words_button = gtk_button_new_with_mnemonic (_("Sa_ve"));
  gtk_widget_set_name (self->save_words_button, "save-words-button");
  gtk_widget_set_valign (self->save_words_button, GTK_ALIGN_CENTER);
  g_signal_connect_object (self->save_words_button, "clicked", G_CALLBACK (on_save_words_clicked_cb), self, 0);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (screening), self->save_words_button);
  gtk_widget_set_name (view, "sensitive-words-view");
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 10);
  self->words = g_object_ref (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 160);
  gtk_widget_add_css_class (scrolled, "card");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (screening), scrolled);
  self->words_problem = gtk_label_new (NULL);
  gtk_widget_set_name (self->words_problem, "sensitive-words-problem");
  gtk_label_set_wrap (GTK_LABEL (self->words_problem), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->words_problem), 0);
  gtk_widget_set_margin_top (self->words_problem, 6);
  gtk_widget_add_css_class (self->words_problem, "error");
  gtk_widget_set_visible (self->words_problem, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (screening), self->words_problem);

  gk_admin_page_add_guarded (GK_ADMIN_PAGE (self), ADW_PREFERENCES_GROUP (numbering));
  gk_admin_page_add_guarded (GK_ADMIN_PAGE (self), ADW_PREFERENCES_GROUP (review));
  gk_admin_page_add_guarded (GK_ADMIN_PAGE (self), ADW_PREFERENCES_GROUP (screening));
}

/**
 * gk_rules_page_new:
 * @context: the application context
 *
 * Returns: (transfer full): the page
 */
GtkWidget *
gk_rules_page_new (GkContext *context)
{
  return g_object_new (GK_TYPE_RULES_PAGE, "context", context, NULL);
}

/**
 * gk_rules_page_get_preview:
 * @self: the page
 *
 * Returns: (nullable): the next number shown, or why there is none
 */
const char *
gk_rules_page_get_preview (GkRulesPage *self)
{
  g_return_val_if_fail (GK_IS_RULES_PAGE (self), NULL);

  return self->preview;
}
