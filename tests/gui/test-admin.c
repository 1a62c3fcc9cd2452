/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiGuiTest"

#include "config.h"

#include <string.h>

#include "gk-admin-window.h"
#include "gk-calendar-page.h"
#include "gk-gui-test.h"
#include "gk-item-picker.h"
#include "gk-store-async.h"
#include "gk-reason-dialog.h"
#include "gk-rules-page.h"
#include "gk-user-switcher.h"
#include "gk-util.h"
#include "gk-window-private.h"
#include "gk-workflow.h"

/* Administration from the real window: opened from the user popover;
 * members added and given roles (the last admin keeps the role); the
 * tag catalog (add under a parent, rename, retire: a retired tag stays
 * on its documents); the 索引号 template with its live preview; the
 * review stages; the sensitive words; the holiday calendar.  A member
 * who is not an admin sees the pages, insensitive, and why. */

static struct
{
  char          *dir;
  GkApplication *app;
  GkContext     *context;
  GkWindow      *window;
  GkAdminWindow *admin;
} h;

static GkStore *
store (void)
{
  return gk_context_get_store (h.context);
}

static GtkWidget *
page (const char *name)
{
  GtkWidget *widget = gk_admin_window_get_page (h.admin, name);

  g_assert_nonnull (widget);
  return widget;
}

static GtkWidget *
find_in (const char *page_name,
         const char *name)
{
  GtkWidget *widget = gk_gui_test_find_named (page (page_name), name);

  g_assert_nonnull (widget);
  return widget;
}

/* As a user's action: from a main-loop dispatch, where the window must
 * never wait on the store (GONGKAI_DEBUG_ASYNC_STORE=1 aborts on a
 * synchronous call there). */
typedef struct
{
  void     (*func) (gpointer data);
  gpointer   data;
  gboolean   done;
} InLoop;

static gboolean
in_loop_cb (gpointer data)
{
  InLoop *in_loop = data;

  in_loop->func (in_loop->data);
  in_loop->done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
in_loop (void   (*func) (gpointer data),
         gpointer data)
{
  InLoop state = { func, data, FALSE };

  g_idle_add (in_loop_cb, &state);
  GK_GUI_WAIT (state.done, 5000);
}

static void
apply (gpointer widget)
{
  g_signal_emit_by_name (widget, "apply");
}

static void
click (gpointer widget)
{
  g_signal_emit_by_name (widget, "clicked");
}

static void
switch_on (gpointer widget)
{
  gtk_switch_set_active (GTK_SWITCH (widget), TRUE);
}

static void
switch_off (gpointer widget)
{
  gtk_switch_set_active (GTK_SWITCH (widget), FALSE);
}

static void
select_first (gpointer widget)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (widget), 0);
}

static void
select_second (gpointer widget)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (widget), 1);
}

static void
activate_row (gpointer row)
{
  GtkWidget *list = gtk_widget_get_parent (row);

  g_signal_emit_by_name (list, "row-activated", row);
}

typedef struct
{
  GtkWidget  *widget;
  const char *text;
} Typing;

static void
type_text (gpointer data)
{
  Typing *typing = data;

  gtk_editable_set_text (GTK_EDITABLE (typing->widget), typing->text);
}

static void
respond_add (gpointer dialog)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "add");
}

/* Results come a moment after an action: wait until the page has
 * written (the widget that started it is sensitive again) and read
 * again. */
static void
settle (const char *page_name,
        GtkWidget  *widget)
{
  GkAdminPage *admin_page = GK_ADMIN_PAGE (page (page_name));

  GK_GUI_WAIT ((widget == NULL || gtk_widget_get_sensitive (widget)) &&
               !gk_admin_page_is_loading (admin_page), 5000);
}

static void
shot (const char *name)
{
  gk_gui_test_pump (150);
  g_free (gk_gui_test_screenshot (GTK_WIDGET (h.admin), name));
}

static GkReasonDialog *
find_reason_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (GK_IS_REASON_DIALOG (window) && gtk_widget_get_visible (window))
        return GK_REASON_DIALOG (window);
    }
  return NULL;
}

static GkTag *
find_tag (const char *name)
{
  g_autoptr(GPtrArray) tags = gk_store_list_tags (store (), TRUE);

  for (guint i = 0; i < tags->len; i++)
    {
      GkTag *tag = g_ptr_array_index (tags, i);

      if (g_str_equal (tag->name, name))
        return g_steal_pointer (&tags->pdata[i]);
    }
  return NULL;
}

static void
test_open (void)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *switcher;

  h.dir = gk_gui_test_make_tmp ();
  h.context = gk_gui_test_new_library (h.dir);
  g_assert_true (gk_store_set_member (store (), gk_context_get_user (h.context), "rita",
                                      GK_ROLE_REVIEWER, &error));
  g_assert_no_error (error);
  h.app = gk_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (h.app), NULL, &error));
  g_assert_no_error (error);

  h.window = gk_window_new (h.app, h.context);
  gtk_window_set_default_size (GTK_WINDOW (h.window), 1400, 900);
  gtk_window_present (GTK_WINDOW (h.window));
  GK_GUI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (h.window)), 5000);

  switcher = gk_gui_test_find_type (GTK_WIDGET (h.window), GK_TYPE_USER_SWITCHER);
  g_assert_nonnull (switcher);
  g_signal_emit_by_name (gk_gui_test_find_named (switcher, "admin-button"), "clicked");
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

        if (GK_IS_ADMIN_WINDOW (window))
          h.admin = GK_ADMIN_WINDOW (window);
      }
  }
  g_assert_nonnull (h.admin);
  gtk_window_set_default_size (GTK_WINDOW (h.admin), 900, 760);
  GK_GUI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (h.admin)) &&
               gtk_widget_get_width (GTK_WIDGET (h.admin)) > 0, 5000);
  settle ("members", NULL);
  settle ("tags", NULL);
  settle ("rules", NULL);
}

static void
test_members (void)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *add_row = find_in ("members", "add-member-row");
  GtkWidget *toggle;
  const char *admin_user = gk_context_get_user (h.context);
  g_autofree char *own_admin = g_strdup_printf ("%s:admin", admin_user);

  gtk_editable_set_text (GTK_EDITABLE (add_row), "pat");
  in_loop (apply, add_row);
  settle ("members", add_row);
  g_assert_cmpint (gk_store_get_roles (store (), "pat"), ==, GK_ROLE_DRAFTER);
  gk_gui_test_pump (20);

  toggle = find_in ("members", "pat:publisher");
  in_loop (switch_on, toggle);
  settle ("members", toggle);
  g_assert_cmpint (gk_store_get_roles (store (), "pat"), ==, GK_ROLE_DRAFTER | GK_ROLE_PUBLISHER);

  /* The only admin cannot drop the role: refused, and the switch says so. */
  toggle = find_in ("members", own_admin);
  in_loop (switch_off, toggle);
  settle ("members", toggle);
  g_assert_true (gk_store_get_roles (store (), admin_user) & GK_ROLE_ADMIN);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  gk_admin_window_show_page (h.admin, "members");
  shot ("admin-members");
}

static void
test_tags (void)
{
  g_autoptr(GkTag) added = NULL;
  g_autoptr(GkTag) child = NULL;
  g_autoptr(GkTag) retired = NULL;
  GtkWidget *add_row = find_in ("tags", "add-tag-row");
  GkReasonDialog *dialog;

  gk_admin_window_show_page (h.admin, "tags");
  gtk_editable_set_text (GTK_EDITABLE (add_row), "财政信息");
  in_loop (apply, add_row);
  settle ("tags", add_row);
  added = find_tag ("财政信息");
  g_assert_nonnull (added);
  gk_gui_test_pump (20);

  g_signal_emit_by_name (find_in ("tags", "add:财政信息"), "clicked");
  GK_GUI_WAIT ((dialog = find_reason_dialog ()) != NULL, 5000);
  g_assert_false (gk_reason_dialog_can_act (dialog));
  gk_reason_dialog_set_text (dialog, "预算公开");
  in_loop (respond_add, dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  GK_GUI_WAIT (gk_gui_test_find_named (page ("tags"), "retire:预算公开") != NULL, 5000);
  settle ("tags", NULL);
  child = find_tag ("预算公开");
  g_assert_nonnull (child);
  g_assert_cmpstr (child->path, ==, "财政信息/预算公开");
  gk_gui_test_pump (20);

  in_loop (click, find_in ("tags", "retire:预算公开"));
  GK_GUI_WAIT (gk_gui_test_find_named (page ("tags"), "restore:预算公开") != NULL, 5000);
  settle ("tags", NULL);
  retired = find_tag ("预算公开");
  g_assert_true (retired->retired);
  gk_gui_test_pump (20);
  /* Shown, with a way back. */
  g_assert_nonnull (gk_gui_test_find_named (page ("tags"), "restore:预算公开"));
  shot ("admin-tags");
}

static void
test_rules (void)
{
  GkRulesPage *rules = GK_RULES_PAGE (page ("rules"));
  GtkWidget *org = find_in ("rules", "org-code-row");
  GtkWidget *template_row = find_in ("rules", "index-template-row");
  g_autofree char *today = gk_date_today ();
  g_autofree char *expected = NULL;
  g_autofree char *saved = NULL;
  GtkWidget *stages;

  gk_admin_window_show_page (h.admin, "rules");
  /* Live: the preview follows what is typed, before saving. */
  gtk_editable_set_text (GTK_EDITABLE (org), "11310000002421012Q");
  in_loop (type_text, &(Typing) { template_row, "{org_code}/{year}-{seq:04}" });
  expected = g_strdup_printf ("11310000002421012Q/%.4s-0001", today);
  /* The next free number is looked up in the background. */
  GK_GUI_WAIT (g_strcmp0 (gk_rules_page_get_preview (rules), expected) == 0, 5000);
  g_assert_cmpstr (gk_rules_page_get_preview (rules), ==, expected);
  gtk_editable_set_text (GTK_EDITABLE (template_row), "{org_code}/{nonsense}");
  g_assert_nonnull (gk_rules_page_get_preview (rules));
  g_assert_cmpstr (gk_rules_page_get_preview (rules), !=, expected);
  gtk_editable_set_text (GTK_EDITABLE (template_row), "{org_code}/{year}-{seq:04}");

  /* A code the store refuses (its check character is wrong) is said in
   * the preview row as it is typed, and saving changes neither setting. */
  gtk_editable_set_text (GTK_EDITABLE (org), "11310000002421012A");
  g_assert_nonnull (strstr (gk_rules_page_get_preview (rules), "org_code"));
  g_assert_true (gtk_widget_has_css_class (find_in ("rules", "index-preview-row"), "error"));
  in_loop (click, find_in ("rules", "save-numbering-button"));
  saved = gk_store_get_setting (store (), "index_template");
  g_assert_cmpstr (saved, !=, "{org_code}/{year}-{seq:04}");
  g_clear_pointer (&saved, g_free);
  g_assert_nonnull (strstr (gk_rules_page_get_preview (rules), "org_code"));

  gtk_editable_set_text (GTK_EDITABLE (org), "11310000002421012Q");
  GK_GUI_WAIT (g_strcmp0 (gk_rules_page_get_preview (rules), expected) == 0, 5000);
  g_assert_cmpstr (gk_rules_page_get_preview (rules), ==, expected);
  g_assert_false (gtk_widget_has_css_class (find_in ("rules", "index-preview-row"), "error"));
  in_loop (click, find_in ("rules", "save-numbering-button"));
  settle ("rules", find_in ("rules", "save-numbering-button"));
  saved = gk_store_get_setting (store (), "index_template");
  g_assert_cmpstr (saved, ==, "{org_code}/{year}-{seq:04}");
  g_clear_pointer (&saved, g_free);
  saved = gk_store_get_setting (store (), "org_code");
  g_assert_cmpstr (saved, ==, "11310000002421012Q");

  stages = find_in ("rules", "review-stages-row");
  in_loop (select_first, stages);
  settle ("rules", stages);
  g_assert_cmpint (gk_workflow_get_review_stages (store ()), ==, 1);
  in_loop (select_second, stages);
  settle ("rules", stages);
  g_assert_cmpint (gk_workflow_get_review_stages (store ()), ==, 2);

  {
    GtkTextView *view = GTK_TEXT_VIEW (find_in ("rules", "sensitive-words-view"));
    g_autofree char *words = NULL;

    GtkWidget *problem = find_in ("rules", "sensitive-words-problem");

    gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), "  内部资料 \n\n仅供参考\n", -1);
    in_loop (click, find_in ("rules", "save-words-button"));
    settle ("rules", find_in ("rules", "save-words-button"));
    words = gk_store_get_setting (store (), "sensitive_words");
    g_assert_cmpstr (words, ==, "内部资料\n仅供参考");
    g_assert_false (gtk_widget_get_visible (problem));

    /* Refused by the store: said beside the list, which keeps the text. */
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), "内部\x01资料", -1);
    in_loop (click, find_in ("rules", "save-words-button"));
    settle ("rules", find_in ("rules", "save-words-button"));
    g_clear_pointer (&words, g_free);
    words = gk_store_get_setting (store (), "sensitive_words");
    g_assert_cmpstr (words, ==, "内部资料\n仅供参考");
    g_assert_true (gtk_widget_get_visible (problem));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (problem)), "sensitive_words"));
    gtk_editable_set_text (GTK_EDITABLE (org), "11310000002421012A");
    shot ("admin-rules-refused");
    gtk_editable_set_text (GTK_EDITABLE (org), "11310000002421012Q");
    gk_admin_page_reload (GK_ADMIN_PAGE (page ("rules")));
    settle ("rules", NULL);
    g_assert_false (gtk_widget_get_visible (problem));
  }
  shot ("admin-rules");
}

typedef struct
{
  GkCalendarPage *page;
  GFile          *file;
  GtkWindow      *dialog;
} CalendarStep;

static void
import_calendar (gpointer data)
{
  CalendarStep *step = data;

  gk_calendar_page_import_file (step->page, step->file);
}

static void
open_add_year (gpointer data)
{
  CalendarStep *step = data;

  step->dialog = gk_calendar_page_edit_year (step->page, 0);
}

static void
set_view_text (GtkWindow *dialog, const char *name, const char *text)
{
  GtkWidget *view = gk_gui_test_find_named (GTK_WIDGET (dialog), name);

  g_assert_nonnull (view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

static void
settle_calendar (GkCalendarPage *calendar)
{
  GK_GUI_WAIT (!gk_calendar_page_is_busy (calendar) &&
                   !gk_admin_page_is_loading (GK_ADMIN_PAGE (calendar)),
               5000);
}

/* The library's years: a holiday file imported, a year typed in (a bad
 * date named where it is typed), and the warning for the deadlines of a
 * year the calendar does not know. */
static void
test_calendar (void)
{
  GkCalendarPage  *calendar = GK_CALENDAR_PAGE (page ("calendar"));
  g_autofree char *path = g_build_filename (h.dir, "2027.ini", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GkItem) item = gk_item_new ();
  g_autoptr (GError) error = NULL;
  CalendarStep step = { calendar, file, NULL };
  GtkWidget   *warning, *problem;

  gk_admin_window_show_page (h.admin, "calendar");
  settle ("calendar", NULL);
  g_assert_cmpuint (gk_calendar_page_get_n_years (calendar), ==, 3);
  g_assert_nonnull (gk_gui_test_find_named (page ("calendar"), "year-2025"));

  /* A document written in 2028 has its deadline counted on weekends only. */
  item->title = g_strdup ("二〇二八年的通知");
  item->written_date = g_strdup ("2028-03-01");
  g_assert_true (gk_store_insert_item (store (), gk_context_get_user (h.context), item, NULL, 0,
                                       NULL, &error));
  g_assert_no_error (error);
  warning = find_in ("calendar", "unknown-years-warning");
  GK_GUI_WAIT (gtk_widget_get_visible (warning), 5000);
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (warning)),
                            "Deadlines in 2028 count weekends only: add 2028's holidays."));

  g_assert_true (
      g_file_set_contents (path,
                           "[2027]\nsource=国办发明电〔2026〕1号\n"
                           "holidays=2027-10-01..2027-10-07\nworkdays=2027-09-26;2027-10-09\n",
                           -1, &error));
  in_loop (import_calendar, &step);
  settle_calendar (calendar);
  g_assert_cmpuint (gk_calendar_page_get_n_years (calendar), ==, 4);
  {
    GtkWidget *row = find_in ("calendar", "year-2027");

    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                     "国办发明电〔2026〕1号 — 7 holidays, 2 working days");
  }

  /* A date that does not exist is named in the dialog; nothing is saved. */
  in_loop (open_add_year, &step);
  g_assert_nonnull (step.dialog);
  gtk_editable_set_text (
      GTK_EDITABLE (gk_gui_test_find_named (GTK_WIDGET (step.dialog), "year-entry")), "2028");
  gtk_editable_set_text (
      GTK_EDITABLE (gk_gui_test_find_named (GTK_WIDGET (step.dialog), "source-entry")),
      "国办发明电〔2027〕1号");
  set_view_text (step.dialog, "holidays-view", "2028-01-01\n2028-02-30");
  in_loop (click, gk_gui_test_find_named (GTK_WIDGET (step.dialog), "save-year-button"));
  problem = gk_gui_test_find_named (GTK_WIDGET (step.dialog), "year-error");
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (problem)), "2028-02-30"));
  shot ("admin-calendar-dialog");

  /* A working day that is a Monday, then the year right. */
  set_view_text (step.dialog, "holidays-view", "2028-01-01；2028-10-01..2028-10-07");
  set_view_text (step.dialog, "workdays-view", "2028-10-09");
  in_loop (click, gk_gui_test_find_named (GTK_WIDGET (step.dialog), "save-year-button"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (problem)),
                            "2028-10-09 is not a Saturday or a Sunday"));
  g_assert_cmpuint (gk_calendar_page_get_n_years (calendar), ==, 4);

  set_view_text (step.dialog, "workdays-view", "2028-09-30\n2028-10-08");
  g_object_add_weak_pointer (G_OBJECT (step.dialog), (gpointer *) &step.dialog);
  in_loop (click, gk_gui_test_find_named (GTK_WIDGET (step.dialog), "save-year-button"));
  GK_GUI_WAIT (step.dialog == NULL, 5000);
  settle_calendar (calendar);
  g_assert_cmpuint (gk_calendar_page_get_n_years (calendar), ==, 5);
  g_assert_nonnull (gk_gui_test_find_named (page ("calendar"), "year-2028"));
  GK_GUI_WAIT (!gtk_widget_get_visible (warning), 5000);
  shot ("admin-calendar");
}

/* The record editor's picker of related documents searches in the
 * background, from the main loop as one types. */
static void
on_item_chosen_cb (GkItemPicker *picker,
                   const char   *id,
                   char        **chosen)
{
  *chosen = g_strdup (id);
}

typedef struct
{
  GtkWidget  *picker;
  const char *text;
} Search;

static void
search (gpointer data)
{
  Search *query = data;

  gk_item_picker_search (GK_ITEM_PICKER (query->picker), query->text);
}

static void
test_item_picker (void)
{
  /* A library of its own: the main window's pages do not watch it. */
  g_autofree char *dir = gk_gui_test_make_tmp ();
  g_autoptr(GkContext) context = gk_gui_test_new_library (dir);
  GkStore *library = gk_context_get_store (context);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) wanted = gk_item_new ();
  g_autoptr(GkItem) other = gk_item_new ();
  g_autofree char *chosen = NULL;
  GtkWidget *picker;

  g_assert_true (gk_item_set_field (wanted, "title", "关于印发应急预案的通知", &error));
  g_assert_true (gk_store_insert_item (library, gk_context_get_user (context), wanted, NULL, 0, NULL, &error));
  g_assert_true (gk_item_set_field (other, "title", "年度报告", &error));
  g_assert_true (gk_store_insert_item (library, gk_context_get_user (context), other, NULL, 0, NULL, &error));
  g_assert_no_error (error);

  picker = g_object_ref_sink (gk_item_picker_new (library));
  g_signal_connect (picker, "item-chosen", G_CALLBACK (on_item_chosen_cb), &chosen);
  in_loop (search, &(Search) { picker, "应急预案" });
  GK_GUI_WAIT (!gk_item_picker_is_searching (GK_ITEM_PICKER (picker)), 5000);
  g_assert_true (gk_item_picker_choose_nth (GK_ITEM_PICKER (picker), 0));
  g_assert_cmpstr (chosen, ==, wanted->id);
  g_assert_false (gk_item_picker_choose_nth (GK_ITEM_PICKER (picker), 1));
  g_object_unref (picker);
  gk_store_wait_writes (library);
  g_clear_object (&context);
  gk_gui_test_remove_tree (dir);
}

/* rita is no admin: everything is shown, nothing can be changed, and
 * the pages say why. */
static void
test_not_an_admin (void)
{
  g_autofree char *text = NULL;

  /* Chosen in the header bar's switcher.  (Not from a main-loop
   * dispatch yet: the record editor still reads the roles synchronously
   * when the user changes.) */
  {
    GtkWidget *switcher = gk_gui_test_find_type (GTK_WIDGET (h.window), GK_TYPE_USER_SWITCHER);

    gk_user_switcher_reload (GK_USER_SWITCHER (switcher));
    GK_GUI_WAIT (!gk_user_switcher_is_loading (GK_USER_SWITCHER (switcher)), 5000);
    activate_row (gk_gui_test_find_named (switcher, "rita"));
    g_assert_cmpstr (gk_context_get_user (h.context), ==, "rita");
  }
  gk_gui_test_pump (20);
  settle ("members", NULL);
  settle ("rules", NULL);
  settle ("tags", NULL);
  g_assert_false (gtk_widget_is_sensitive (find_in ("members", "add-member-row")));
  g_assert_false (gtk_widget_is_sensitive (find_in ("rules", "save-numbering-button")));
  g_assert_false (gtk_widget_is_sensitive (find_in ("tags", "add-tag-row")));
  settle ("calendar", NULL);
  g_assert_false (gtk_widget_is_sensitive (find_in ("calendar", "add-year-button")));
  g_assert_false (gtk_widget_is_sensitive (find_in ("calendar", "edit-year-2025")));
  g_assert_false (gtk_widget_is_sensitive (find_in ("calendar", "remove-year-2025")));
  text = gk_gui_test_collect_text (page ("calendar"));
  g_assert_nonnull (strstr (text, "Only an admin of this library can change"));
  g_assert_nonnull (strstr (text, "国办发明电〔2024〕12号"));
  g_clear_pointer (&text, g_free);
  text = gk_gui_test_collect_text (page ("members"));
  g_assert_nonnull (strstr (text, "rita"));
  /* This desk's preferences are everyone's. */
  g_assert_true (gtk_widget_is_sensitive (gk_gui_test_find_named (page ("preferences"), "allow-insecure-switch")));
}

static void
test_teardown (void)
{
  gtk_window_destroy (GTK_WINDOW (h.admin));
  gtk_window_destroy (GTK_WINDOW (h.window));
  gk_gui_test_pump (50);
  g_clear_object (&h.context);
  g_clear_object (&h.app);
  gk_gui_test_remove_tree (h.dir);
  g_free (h.dir);
}

int
main (int   argc,
      char *argv[])
{
  gk_gui_test_init (&argc, &argv);

  g_test_add_func ("/admin/open", test_open);
  g_test_add_func ("/admin/members", test_members);
  g_test_add_func ("/admin/tags", test_tags);
  g_test_add_func ("/admin/rules", test_rules);
  g_test_add_func ("/admin/calendar", test_calendar);
  g_test_add_func ("/admin/item-picker", test_item_picker);
  g_test_add_func ("/admin/not-an-admin", test_not_an_admin);
  g_test_add_func ("/admin/teardown", test_teardown);
  return g_test_run ();
}
