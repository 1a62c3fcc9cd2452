/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiShots"

/* Takes the screenshots in docs/screenshots: a demo library of the
 * fixture corpus, one scene, rendered with the window's own renderer into
 * a PNG.
 *
 *   gk-gui-shots document|edit|import OUT.png
 *
 * The user guide's scenes (docs/user-guide.zh_CN.md): import-public,
 * review, approved, due, publish, publish-confirm, published, admin,
 * admin-tags, admin-rules, admin-calendar.  The publishing scenes use
 * the portal at $GK_SHOTS_PORTAL_URL with the token of
 * $GONGKAI_PORTAL_TOKEN (a gongkai-portal started by hand); without it a
 * port nothing listens on, so a run's failures are what it shows.
 *
 * Not a test: run by hand under Xvfb, see docs/screenshots/README.md. */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "gk-admin-window.h"
#include "gk-app-util.h"
#include "gk-fixtures.h"
#include "gk-gui-test.h"
#include "gk-importer.h"
#include "gk-library-view.h"
#include "gk-publish-page.h"
#include "gk-review-page.h"
#include "gk-window-private.h"
#include "gk-workflow.h"

static char *
find_by_file (GkStore    *store,
              const char *file_name)
{
  g_autoptr(GPtrArray) items = gk_store_query (store, &(GkQuery) { 0 }, 0, 1000, NULL);

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      GkItem *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (item->file_name, file_name) == 0)
        return g_strdup (item->id);
    }
  return NULL;
}

/* A one-page 公文 as the drafter imports, completes and submits it. */
static char *
submit_text_document (GkStore    *store,
                      const char *dir,
                      const char *file_name,
                      const char *text,
                      const char *title,
                      const char *written_date)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, file_name, NULL);
  const char      *pages[] = { text, NULL };
  const char      *paths[] = { path, NULL };
  g_autoptr (GkImporter) importer = gk_importer_new (store, "张三");
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GkItem) item = NULL;
  GkImportResult *result;

  if (!gk_fixture_write_text_pdf (path, pages, &error))
    g_error ("%s", error->message);
  results = gk_importer_import_sync (importer, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  result = g_ptr_array_index (results, 0);
  g_assert_cmpint (result->status, ==, GK_IMPORT_IMPORTED);
  item = gk_store_get_item (store, result->id, NULL);
  gk_item_set_field (item, "title", title, NULL);
  gk_item_set_field (item, "issuer", "上海市应急管理局", NULL);
  gk_item_set_field (item, "written_date", written_date, NULL);
  gk_item_set_field (item, "disclosure", "proactive", NULL);
  gk_item_set_field (item, "category", "policy_document", NULL);
  gk_store_update_item (store, "张三", item, NULL);
  if (!gk_workflow_submit (store, "张三", result->id, &error))
    g_error ("%s", error->message);
  return g_strdup (result->id);
}

/* The guide's people: a reviewer for each stage and a publisher. */
static void
add_guide_members (GkStore *store)
{
  gk_store_set_member (store, "张三", "赵审核", GK_ROLE_REVIEWER, NULL);
  gk_store_set_member (store, "张三", "王发布", GK_ROLE_PUBLISHER, NULL);
}

/* Drafts of the corpus taken through both review stages: approved. */
static guint
approve_some (GkStore *store, guint wanted)
{
  const GkFixtureDoc *docs;
  guint               n_docs, n = 0;

  docs = gk_fixture_corpus (&n_docs);
  for (guint i = 1; i < n_docs && n < wanted; i++)
    {
      g_autofree char *id = find_by_file (store, docs[i].file_name);
      g_autoptr (GkItem) item = id ? gk_store_get_item (store, id, NULL) : NULL;

      if (item == NULL || item->state != GK_STATE_DRAFT || docs[i].secrecy_printed != NULL ||
          g_strcmp0 (docs[i].disclosure, "proactive") != 0)
        continue;
      gk_item_set_field (item, "disclosure", "proactive", NULL);
      gk_item_set_field (item, "tags", "政务公开", NULL);
      gk_store_update_item (store, "张三", item, NULL);
      if (gk_workflow_submit (store, "张三", id, NULL) &&
          gk_workflow_approve (store, "李审核", id, NULL, NULL) &&
          gk_workflow_approve (store, "赵审核", id, NULL, NULL))
        n++;
    }
  return n;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type) && gtk_widget_get_visible (window))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static gboolean
publish_page_idle (GkPublishPage *page)
{
  return !gk_publish_page_get_busy (page);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *samples = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(GkContext) context = NULL;
  g_autoptr(GkImporter) importer = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GkApplication) app = NULL;
  const char *scene = argc > 1 ? argv[1] : "document";
  const char *out = argc > 2 ? argv[2] : "gongkai.png";
  GtkWidget *subject;
  g_autofree char *written = NULL;
  const char *paths[2] = { NULL, NULL };
  const GkFixtureDoc *docs, *secret = NULL;
  GkStore *store;
  GkWindow *window;
  GkLibraryView *view;
  guint n_docs;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, BUILDLOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  gk_choose_renderer ();
  adw_init ();

  dir = gk_gui_test_make_tmp ();
  samples = g_build_filename (dir, "samples", NULL);
  bad = g_build_filename (dir, "incoming", NULL);
  if (!gk_fixture_write_corpus (samples, &error) || !gk_fixture_write_bad_files (bad, &error))
    g_error ("%s", error->message);

  g_setenv ("GONGKAI_USER", "张三", TRUE);
  context = gk_gui_test_new_library (dir);
  store = gk_context_get_store (context);
  gk_store_set_member (store, "张三", "李审核", GK_ROLE_REVIEWER, NULL);
  importer = gk_context_new_importer (context);
  paths[0] = samples;
  results = gk_importer_import_sync (importer, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* A few documents further along: tagged, submitted, approved. */
  docs = gk_fixture_corpus (&n_docs);
  for (guint i = 0; i < n_docs; i++)
    {
      g_autofree char *id = find_by_file (store, docs[i].file_name);
      g_autoptr(GkItem) item = id ? gk_store_get_item (store, id, NULL) : NULL;

      if (docs[i].secrecy_printed != NULL && secret == NULL)
        secret = &docs[i];
      if (item == NULL || i % 3 != 0)
        continue;
      gk_item_set_field (item, "tags", i % 2 ? "政务公开,工作要点" : "应急预案", NULL);
      if (item->disclosure == NULL)
        gk_item_set_field (item, "disclosure", "proactive", NULL);
      gk_store_update_item (store, "张三", item, NULL);
      if (i % 9 == 0 && gk_workflow_submit (store, "张三", id, NULL) && i % 18 == 0)
        gk_workflow_approve (store, "李审核", id, NULL, NULL);
    }

  if (g_str_has_prefix (scene, "publish") || g_str_equal (scene, "approved"))
    {
      const char *url = g_getenv ("GK_SHOTS_PORTAL_URL");

      add_guide_members (store);
      approve_some (store, 4);
      if (!gk_store_set_setting (store, "张三", "portal_url",
                                 url != NULL ? url : "http://127.0.0.1:9/api/v1", &error))
        g_error ("%s", error->message);
      if (g_getenv ("GONGKAI_PORTAL_TOKEN") == NULL)
        g_setenv ("GONGKAI_PORTAL_TOKEN", "shots-token", TRUE);
    }

  app = gk_application_new ();
  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = gk_window_new (app, context);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  view = gk_window_get_library_view (window);
  GK_GUI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (window)), 5000);

  subject = GTK_WIDGET (window);
  if (g_str_equal (scene, "import"))
    {
      paths[0] = bad;
      gk_window_import_paths (window, paths);
      GK_GUI_WAIT (gk_window_get_password_dialog (window) != NULL, 30000);
      {
        GtkWidget *dialog = gk_window_get_password_dialog (window);

        gtk_editable_set_text (GTK_EDITABLE (gk_gui_test_find_named (dialog, "password-entry")), "secret");
        adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "import");
        gtk_window_destroy (GTK_WINDOW (dialog));
      }
      GK_GUI_WAIT (gk_window_get_import_summary (window) != NULL, 30000);
      subject = gk_window_get_import_summary (window);
    }
  else if (g_str_equal (scene, "import-public"))
    {
      GtkWidget *dialog;

      gtk_widget_activate_action (GTK_WIDGET (window), "window.import-public", NULL);
      GK_GUI_WAIT (gk_window_get_public_dialog (window) != NULL, 5000);
      dialog = gk_window_get_public_dialog (window);
      gtk_editable_set_text (GTK_EDITABLE (gk_gui_test_find_named (dialog, "public-date-entry")),
                             "2024-03-01");
      gk_gui_test_pump (300);
      subject = dialog;
    }
  else if (g_str_equal (scene, "review"))
    {
      g_autofree char *personal = NULL;
      const char      *ids[2] = { NULL, NULL };
      GkReviewPage    *page;

      add_guide_members (store);
      submit_text_document (store, dir, "汛期通知.pdf",
                            "上海市应急管理局关于做好2025年汛期安全防范工作的通知\n\n"
                            "各区应急管理局：\n为做好今年汛期安全防范工作，现将有关事项通知如下。",
                            "关于做好2025年汛期安全防范工作的通知", "2025-06-03");
      personal = submit_text_document (
          store, dir, "救助补助公示.pdf",
          "上海市应急管理局关于2025年度救助补助发放情况的公示\n\n"
          "经审核，王某某（身份证号11010519491231002X，收款账号6222020200112345679）"
          "符合救助补助发放条件，现予公示。\n联系人：张伟，联系电话：13812345678。",
          "关于2025年度救助补助发放情况的公示", "2025-05-20");
      gk_gui_test_switch_user (GTK_WIDGET (window), context, "李审核");
      gk_window_select_view (window, "queue");
      page = GK_REVIEW_PAGE (gk_gui_test_find_type (GTK_WIDGET (window), GK_TYPE_REVIEW_PAGE));
      GK_GUI_WAIT (gk_review_page_is_listed (page, personal), 10000);
      GK_GUI_WAIT (!gk_review_page_get_busy (page), 10000);
      ids[0] = personal;
      GK_GUI_WAIT (gk_review_page_select (page, ids), 5000);
      GK_GUI_WAIT (g_strcmp0 (gk_review_page_get_current_id (page), personal) == 0, 5000);
      GK_GUI_WAIT (gk_review_page_get_preview_ready (page), 15000);
      GK_GUI_WAIT (!gk_review_page_get_busy (page), 10000);
    }
  else if (g_str_equal (scene, "approved") || g_str_equal (scene, "due"))
    {
      gk_gui_test_switch_user (GTK_WIDGET (window), context,
                               g_str_equal (scene, "due") ? "张三" : "王发布");
      gk_window_select_view (window, scene);
      GK_GUI_WAIT (!gk_library_view_is_loading (view), 10000);
      gk_gui_test_pump (300);
      GK_GUI_WAIT (!gk_library_view_is_loading (view), 10000);
    }
  else if (g_str_has_prefix (scene, "publish"))
    {
      GkPublishPage *page;

      gk_gui_test_switch_user (GTK_WIDGET (window), context, "王发布");
      gk_window_select_view (window, "sync");
      page = GK_PUBLISH_PAGE (gk_gui_test_find_type (GTK_WIDGET (window), GK_TYPE_PUBLISH_PAGE));
      GK_GUI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (page)), 5000);
      gk_gui_test_pump (300);
      GK_GUI_WAIT (publish_page_idle (page), 10000);
      if (!g_str_equal (scene, "publish"))
        {
          GtkWindow *dialog = NULL;
          GtkWidget *button = gk_gui_test_find_named (GTK_WIDGET (page), "publish-button");

          g_signal_emit_by_name (button, "clicked");
          GK_GUI_WAIT ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL, 5000);
          gk_gui_test_pump (300);
          if (g_str_equal (scene, "publish-confirm"))
            {
              GtkWidget *choices = gk_gui_test_find_named (GTK_WIDGET (dialog), "publish-choices");
              GtkWidget *check = NULL;

              /* Leave the last one out: it waits for the next run. */
              for (GtkWidget *child = gtk_widget_get_last_child (choices);
                   child != NULL && check == NULL; child = gtk_widget_get_prev_sibling (child))
                check = gk_gui_test_find_type (child, GTK_TYPE_CHECK_BUTTON);
              if (check != NULL)
                gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
              gk_gui_test_pump (300);
              subject = GTK_WIDGET (dialog);
            }
          else
            {
              adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "publish");
              gtk_window_destroy (dialog);
              GK_GUI_WAIT (gk_publish_page_get_report_summary (page) != NULL, 60000);
              GK_GUI_WAIT (publish_page_idle (page), 10000);
              gk_gui_test_pump (500);
            }
        }
    }
  else if (g_str_has_prefix (scene, "admin"))
    {
      GtkWidget  *admin;
      const char *page = scene[5] == '-' ? scene + 6 : "members";

      add_guide_members (store);
      admin = gk_admin_window_new (GTK_WINDOW (window), context);
      gtk_window_set_default_size (GTK_WINDOW (admin), 900,
                                   g_str_equal (page, "members") ? 740 : 860);
      gtk_window_present (GTK_WINDOW (admin));
      gk_admin_window_show_page (GK_ADMIN_WINDOW (admin), page);
      GK_GUI_WAIT (gtk_widget_get_mapped (admin), 5000);
      gk_gui_test_pump (1500);
      if (g_str_equal (page, "members"))
        {
          GtkWidget *row = NULL;

          /* One member opened: the roles are switches. */
          GK_GUI_WAIT ((row = gk_gui_test_find_named (admin, "王发布")) != NULL, 5000);
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
          gk_gui_test_pump (500);
        }
      subject = admin;
    }
  else
    {
      g_autofree char *id = find_by_file (store, secret->file_name);
      GkPdfCanvas *canvas = gk_pdf_view_get_canvas (gk_library_view_get_preview (view));

      /* The list is read in the background. */
      GK_GUI_WAIT (gk_library_view_select_id (view, id), 10000);
      GK_GUI_WAIT (!gk_library_view_is_loading (view), 5000);
      GK_GUI_WAIT (gk_pdf_canvas_get_page_texture (canvas, 0) != NULL, 10000);
      GK_GUI_WAIT (gk_pdf_canvas_get_n_findings_rects (canvas) > 0, 10000);
      if (g_str_equal (scene, "record"))
        {
          GkRecordEditor *editor = gk_library_view_get_editor (view);
          const char *tags[] = { "政务公开", "工作要点", "行政规范性文件", "应急预案" };

          /* The whole record, tall (run Xvfb with a tall screen). */
          gtk_window_set_default_size (GTK_WINDOW (window), 1400, 2900);
          for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
            gk_record_editor_add_tag (editor, tags[i]);
          subject = GTK_WIDGET (editor);
        }
      if (g_str_equal (scene, "edit"))
        {
          GkRecordEditor *editor = gk_library_view_get_editor (view);

          gk_record_editor_set_text (editor, "doc_number", "沪应急2022-5");
          gk_record_editor_set_text (editor, "written_date", "2022-02-30");
          gk_record_editor_add_tag (editor, "政务公开");
          gk_record_editor_add_tag (editor, "行政规范性文件");
        }
    }
  gk_gui_test_pump (800);
  written = gk_gui_test_screenshot (subject, "shot");
  if (!g_file_test (written, G_FILE_TEST_EXISTS))
    return 1;
  {
    g_autoptr(GFile) from = g_file_new_for_path (written);
    g_autoptr(GFile) to = g_file_new_for_commandline_arg (out);

    if (!g_file_move (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
      g_error ("%s", error->message);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  gk_gui_test_remove_tree (dir);
  return 0;
}
