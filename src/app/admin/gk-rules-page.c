/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiAdmin"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "gk-rules-page.h"
#include "gk-settings.h"
#include "gk-util.h"
#include "gk-workflow.h"

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
  gboolean       filling;
};

G_DEFINE_FINAL_TYPE (GkRulesPage, gk_rules_page, GK_TYPE_ADMIN_PAGE)

/* helpers */

static const char *
get_actor (GkRulesPage *self)
{
  return gk_context_get_user (gk_admin_page_get_context (GK_ADMIN_PAGE (self)));
}

static gboolean
index_no_taken (GkStore    *store,
                const char *index_no)
{
  g_autoptr(GkItem) item = gk_store_get_item (store, index_no, NULL);

  return item != NULL && g_strcmp0 (item->index_no, index_no) == 0;
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
update_preview (GkRulesPage *self)
{
  GkStore *store = gk_admin_page_get_store (GK_ADMIN_PAGE (self));
  const char *org = gtk_editable_get_text (GTK_EDITABLE (self->org_row));
  const char *template_text = gtk_editable_get_text (GTK_EDITABLE (self->template_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;

  if (store == NULL)
    return;
  if (check_numbering (org, template_text, &error))
    next = gk_rules_preview_index_no (store, template_text, org, current_year (), &error);
  g_free (self->preview);
  self->preview = g_strdup (next ? next : error->message);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->preview_row),
                                 next ? _("Next number") : _("The numbering cannot be used"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->preview_row), self->preview);
  if (next != NULL)
    gtk_widget_remove_css_class (self->preview_row, "error");
  else
    gtk_widget_add_css_class (self->preview_row, "error");
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
on_save_numbering_clicked_cb (GtkButton   *button,
                              GkRulesPage *self)
{
  GkAdminPage *page = GK_ADMIN_PAGE (self);
  GkStore *store = gk_admin_page_get_store (page);
  g_autoptr(GError) error = NULL;
  g_autofree char *org = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->org_row))));
  g_autofree char *template_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->template_row))));

  if (store == NULL)
    return;
  /* Both or neither: the preview row already says what is wrong. */
  if (!check_numbering (org, template_text, &error) ||
      !gk_store_set_setting (store, get_actor (self), "index_template", template_text, &error) ||
      !gk_store_set_setting (store, get_actor (self), "org_code", org, &error))
    {
      update_preview (self);
      gk_admin_page_show_toast (page, error->message);
      return;
    }
  gk_admin_page_show_toast (page, _("New documents are numbered with this template."));
  gk_admin_page_reload (page);
}

static void
on_stages_changed_cb (AdwComboRow *row,
                      GParamSpec  *pspec,
                      GkRulesPage *self)
{
  GkAdminPage *page = GK_ADMIN_PAGE (self);
  GkStore *store = gk_admin_page_get_store (page);
  g_autoptr(GError) error = NULL;
  const char *value = adw_combo_row_get_selected (row) == 0 ? "1" : "2";

  if (self->filling || store == NULL)
    return;
  if (!gk_store_set_setting (store, get_actor (self), "review_stages", value, &error))
    gk_admin_page_show_toast (page, error->message);
  else
    gk_admin_page_show_toast (page, value[0] == '1'
                                    ? _("Documents submitted from now on need one combined sign-off.")
                                    : _("Documents submitted from now on need a confidentiality review, then a release sign-off by another reviewer."));
  gk_admin_page_reload (page);
}

static void
on_save_words_clicked_cb (GtkButton   *button,
                          GkRulesPage *self)
{
  GkAdminPage *page = GK_ADMIN_PAGE (self);
  GkStore *store = gk_admin_page_get_store (page);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = get_words_text (self);
  g_autofree char *words = normalise_words (text);

  if (store == NULL)
    return;
  if (!gk_store_set_setting (store, get_actor (self), "sensitive_words", words, &error))
    {
      /* Shown beside the list, which keeps what was typed. */
      show_words_problem (self, error->message);
      gk_admin_page_show_toast (page, error->message);
      return;
    }
  gk_admin_page_show_toast (page, _("The sensitive-word list is saved. Screening uses it for "
                                    "documents imported from now on."));
  gk_admin_page_reload (page);
}

/* overrides */

static void
gk_rules_page_reload (GkAdminPage *page)
{
  GkRulesPage *self = GK_RULES_PAGE (page);
  GkStore *store = gk_admin_page_get_store (page);
  g_autofree char *org = NULL;
  g_autofree char *template_text = NULL;
  g_autofree char *words = NULL;

  if (store == NULL)
    return;
  org = gk_store_get_setting (store, "org_code");
  template_text = gk_store_get_setting (store, "index_template");
  words = gk_store_get_setting (store, "sensitive_words");

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->org_row), org ? org : "");
  gtk_editable_set_text (GTK_EDITABLE (self->template_row), template_text ? template_text : "");
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->stages_row),
                              gk_workflow_get_review_stages (store) == 1 ? 0 : 1);
  gtk_text_buffer_set_text (self->words, words ? words : "", -1);
  show_words_problem (self, NULL);
  self->filling = FALSE;
  update_preview (self);
}

static void
gk_rules_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (gk_rules_page_parent_class)->constructed (object);

  gk_admin_page_reload (GK_ADMIN_PAGE (object));
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

/**
 * gk_rules_preview_index_no:
 * @store: the store
 * @template_text: an 索引号 template
 * @org_code: the organisation code
 * @year: the year
 * @error: a %GK_ERROR_INVALID error for a bad template
 *
 * The store numbers a year's documents one after another and skips
 * numbers already taken, so the used serial numbers are (nearly) a run
 * from 1: the first free one is found by doubling, then halving.
 *
 * Returns: (transfer full) (nullable): the next 索引号
 */
char *
gk_rules_preview_index_no (GkStore    *store,
                           const char *template_text,
                           const char *org_code,
                           int         year,
                           GError    **error)
{
  g_autofree char *first = NULL;
  gint64 taken = 0, free_seq = 1;

  g_return_val_if_fail (GK_IS_STORE (store), NULL);

  first = gk_store_expand_index_template (template_text, org_code, year, 1, error);
  if (first == NULL)
    return NULL;
  if (!index_no_taken (store, first))
    return g_steal_pointer (&first);

  taken = 1;
  free_seq = 2;
  for (;;)
    {
      g_autofree char *candidate = gk_store_expand_index_template (template_text, org_code, year,
                                                                   free_seq, error);

      if (candidate == NULL)
        return NULL;
      if (!index_no_taken (store, candidate))
        break;
      taken = free_seq;
      if (free_seq > G_MAXINT64 / 4)
        return g_steal_pointer (&candidate);
      free_seq *= 2;
    }
  while (free_seq - taken > 1)
    {
      gint64 middle = taken + (free_seq - taken) / 2;
      g_autofree char *candidate = gk_store_expand_index_template (template_text, org_code, year,
                                                                   middle, error);

      if (candidate == NULL)
        return NULL;
      if (index_no_taken (store, candidate))
        taken = middle;
      else
        free_seq = middle;
    }
  return gk_store_expand_index_template (template_text, org_code, year, free_seq, error);
}
