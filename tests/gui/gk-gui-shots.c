/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiShots"

/* Takes the screenshots in docs/screenshots: a demo library of the
 * fixture corpus, one scene, rendered with the window's own renderer into
 * a PNG.
 *
 *   gk-gui-shots document|edit|import OUT.png
 *
 * Not a test: run by hand under Xvfb, see docs/screenshots/README.md. */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "gk-app-util.h"
#include "gk-fixtures.h"
#include "gk-gui-test.h"
#include "gk-importer.h"
#include "gk-library-view.h"
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
