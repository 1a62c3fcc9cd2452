/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiGuiTest"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "gk-fixtures.h"
#include "gk-gui-test.h"
#include "gk-importer.h"
#include "gk-library-view.h"
#include "gk-window-private.h"

/* The PDF preview in the real window: pages rendered off the main thread
 * at the displayed scale, only the visible ones, a 400-page document's
 * first page at once, zoom, navigation, thumbnails, find, the screening
 * findings on their pages and an encrypted PDF unlocked for viewing. */

#define LONG_PAGES 400

static struct
{
  char          *dir;
  GkApplication *app;
  GkContext     *context;
  GkWindow      *window;
  GkLibraryView *view;
  char          *long_id;
  char          *secret_id;      /* the 秘密 document: a secrecy-mark finding */
  char          *encrypted_id;
  char          *crash_id;       /* its pages crash the reader (a test hook) */
  const GkFixtureDoc *secret_doc;
} h;

static GkPdfView *
preview (void)
{
  return gk_library_view_get_preview (h.view);
}

static GkPdfCanvas *
canvas (void)
{
  return gk_pdf_view_get_canvas (preview ());
}

static char *
import_one (const char *path,
            const char *password)
{
  g_autoptr(GkImporter) importer = gk_context_new_importer (h.context);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { path, NULL };
  GkImportResult *result;

  gk_importer_set_password (importer, password);
  results = gk_importer_import_sync (importer, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  result = g_ptr_array_index (results, 0);
  if (result->status != GK_IMPORT_IMPORTED)
    g_error ("%s: %s", path, result->error);
  return g_strdup (result->id);
}

static void
setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_path = NULL;
  g_autofree char *secret_path = NULL;
  g_autofree char *encrypted_path = NULL;
  g_autofree char *crash_path = NULL;
  guint n_docs;
  const GkFixtureDoc *docs = gk_fixture_corpus (&n_docs);

  for (guint i = 0; i < n_docs && h.secret_doc == NULL; i++)
    if (docs[i].secrecy_printed != NULL)
      h.secret_doc = &docs[i];
  g_assert_nonnull (h.secret_doc);

  h.dir = gk_gui_test_make_tmp ();
  long_path = g_build_filename (h.dir, "long.pdf", NULL);
  secret_path = g_build_filename (h.dir, h.secret_doc->file_name, NULL);
  encrypted_path = g_build_filename (h.dir, "encrypted-secret.pdf", NULL);
  crash_path = g_build_filename (h.dir, "crash.pdf", NULL);
  g_assert_true (gk_fixture_write_long_pdf (long_path, LONG_PAGES, &error));
  g_assert_true (gk_fixture_write_pdf (h.secret_doc, secret_path, &error));
  g_assert_true (gk_fixture_write_encrypted_pdf (encrypted_path, "secret", &error));
  g_assert_true (gk_fixture_write_long_pdf (crash_path, 3, &error));
  g_assert_no_error (error);

  h.context = gk_gui_test_new_library (h.dir);
  h.long_id = import_one (long_path, NULL);
  h.secret_id = import_one (secret_path, NULL);
  h.encrypted_id = import_one (encrypted_path, "secret");
  h.crash_id = import_one (crash_path, NULL);

  h.app = gk_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (h.app), NULL, &error));
  h.window = gk_window_new (h.app, h.context);
  gtk_window_set_default_size (GTK_WINDOW (h.window), 1360, 860);
  gtk_window_present (GTK_WINDOW (h.window));
  h.view = gk_window_get_library_view (h.window);
  GK_GUI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (h.window)), 5000);
  GK_GUI_WAIT (g_list_model_get_n_items (G_LIST_MODEL (gk_library_view_get_item_list (h.view))) == 4, 5000);
}

static void
show (const char *id)
{
  g_assert_true (gk_library_view_select_id (h.view, id));
  g_assert_cmpstr (gk_library_view_get_current_id (h.view), ==, id);
  GK_GUI_WAIT (!gk_library_view_is_loading (h.view), 5000);
}

static gboolean
page_rendered (guint page)
{
  return gk_pdf_canvas_get_page_texture (canvas (), page) != NULL;
}

static GtkWidget *
find_in_preview (const char *name)
{
  return gk_gui_test_find_named (GTK_WIDGET (preview ()), name);
}

/* A 400-page document: page 1 shows at once, and only what is in view is
 * rendered (the rest are placeholders sized from the page sizes). */
static void
test_long_document (void)
{
  gint64 start = g_get_monotonic_time ();
  GkPdfDocument *document;
  GdkTexture *texture;
  double width, height, scale;
  int factor;
  gint64 elapsed;

  show (h.long_id);
  GK_GUI_WAIT (page_rendered (0), 10000);
  elapsed = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("first page of %d shown after %" G_GINT64_FORMAT " ms", LONG_PAGES, elapsed);
  g_assert_cmpint (elapsed, <, 3000);

  document = gk_pdf_canvas_get_document (canvas ());
  g_assert_cmpuint (gk_pdf_document_get_n_pages (document), ==, LONG_PAGES);

  /* Rendered at the displayed scale. */
  texture = gk_pdf_canvas_get_page_texture (canvas (), 0);
  gk_pdf_document_get_page_size (document, 0, &width, &height);
  scale = gk_pdf_canvas_get_scale (canvas ());
  factor = gtk_widget_get_scale_factor (GTK_WIDGET (canvas ()));
  g_assert_cmpint (ABS (gdk_texture_get_width (texture) - (int) ceil (width * scale * factor)), <=, 1);
  g_assert_cmpfloat (gk_gui_test_ink_ratio (texture), >, 0.005);

  /* Only the pages around the view. */
  gk_gui_test_pump (300);
  g_assert_false (page_rendered (LONG_PAGES / 2));
  g_assert_false (page_rendered (LONG_PAGES - 1));
  g_assert_cmpuint (gk_pdf_canvas_get_cache_bytes (canvas ()), <,
                    (gsize) 8 * gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4);
}

/* Page entry, previous and next. */
static void
test_navigation (void)
{
  GtkWidget *entry = find_in_preview ("page-entry");

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "200");
  g_signal_emit_by_name (entry, "activate");
  GK_GUI_WAIT (gk_pdf_canvas_get_current_page (canvas ()) == 199, 5000);
  GK_GUI_WAIT (page_rendered (199), 10000);
  g_assert_false (page_rendered (LONG_PAGES - 1));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preview ()), "preview.next-page", NULL));
  GK_GUI_WAIT (gk_pdf_canvas_get_current_page (canvas ()) == 200, 5000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preview ()), "preview.previous-page", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preview ()), "preview.previous-page", NULL));
  GK_GUI_WAIT (gk_pdf_canvas_get_current_page (canvas ()) == 198, 5000);
  GK_GUI_WAIT (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), "199") == 0, 5000);

  gk_pdf_view_goto_page (preview (), 0);
  GK_GUI_WAIT (gk_pdf_canvas_get_current_page (canvas ()) == 0, 5000);
}

/* Ctrl+plus, Ctrl+minus, Ctrl+0, fit width and fit page. */
/* The toolbar's zoom label says the scale the page is drawn at, once
 * the change has been laid out. */
static void
assert_zoom_label (void)
{
  GtkWidget       *label = gk_gui_test_find_named (GTK_WIDGET (preview ()), "zoom-label");
  g_autofree char *expected = NULL;

  g_assert_nonnull (label);
  gk_gui_test_pump (100);
  expected = g_strdup_printf ("%d%%", (int) lround (gk_pdf_canvas_get_scale (canvas ()) * 100));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, expected);
}

static void
test_zoom (void)
{
  double fit_width = gk_pdf_canvas_get_scale (canvas ());
  double width, height;
  int view_height;

  g_assert_cmpint (gk_pdf_canvas_get_zoom_mode (canvas ()), ==, GK_ZOOM_FIT_WIDTH);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (h.window), "window.zoom-in", NULL));
  g_assert_cmpfloat (gk_pdf_canvas_get_scale (canvas ()), >, fit_width);
  g_assert_cmpint (gk_pdf_canvas_get_zoom_mode (canvas ()), ==, GK_ZOOM_FREE);
  GK_GUI_WAIT (page_rendered (gk_pdf_canvas_get_current_page (canvas ())), 10000);
  assert_zoom_label ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (h.window), "window.zoom-out", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (h.window), "window.zoom-out", NULL));
  g_assert_cmpfloat (gk_pdf_canvas_get_scale (canvas ()), <, fit_width);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (h.window), "window.zoom-reset", NULL));
  g_assert_cmpfloat_with_epsilon (gk_pdf_canvas_get_scale (canvas ()), 1.0, 1e-6);
  GK_GUI_WAIT (page_rendered (gk_pdf_canvas_get_current_page (canvas ())), 10000);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preview ()), "preview.zoom-fit-page", NULL));
  gk_gui_test_pump (100);
  gk_pdf_document_get_page_size (gk_pdf_canvas_get_document (canvas ()), 0, &width, &height);
  view_height = gtk_widget_get_height (GTK_WIDGET (canvas ()));
  g_assert_cmpfloat (height * gk_pdf_canvas_get_scale (canvas ()), <=, view_height);
  assert_zoom_label ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preview ()), "preview.zoom-fit-width", NULL));
  gk_gui_test_pump (100);
  g_assert_cmpfloat_with_epsilon (gk_pdf_canvas_get_scale (canvas ()), fit_width, 0.01);
  assert_zoom_label ();

  /* A level chosen from the menu, then back to the width. */
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (preview ()), "preview.zoom-level", "d", 2.0));
  g_assert_cmpfloat_with_epsilon (gk_pdf_canvas_get_scale (canvas ()), 2.0, 1e-6);
  assert_zoom_label ();
  g_assert_cmpstr (gtk_label_get_label (
                       GTK_LABEL (gk_gui_test_find_named (GTK_WIDGET (preview ()), "zoom-label"))),
                   ==, "200%");
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (preview ()), "preview.zoom-fit-width", NULL));
  assert_zoom_label ();
}

/* The thumbnails strip: lazily rendered; a click goes to that page. */
static void
test_thumbnails (void)
{
  GtkWidget *button = find_in_preview ("thumbnails-button");
  GtkWidget *list = find_in_preview ("thumbnails");
  GtkSelectionModel *model;

  g_assert_nonnull (button);
  g_assert_nonnull (list);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  model = gtk_list_view_get_model (GTK_LIST_VIEW (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, LONG_PAGES);
  GK_GUI_WAIT (gk_gui_test_find_type (list, GTK_TYPE_PICTURE) != NULL &&
               gtk_picture_get_paintable (GTK_PICTURE (gk_gui_test_find_type (list, GTK_TYPE_PICTURE))) != NULL,
               10000);

  g_signal_emit_by_name (list, "activate", 3);
  GK_GUI_WAIT (gk_pdf_canvas_get_current_page (canvas ()) == 3, 5000);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), FALSE);
  gk_pdf_view_goto_page (preview (), 0);
}

static int
n_matches (void)
{
  return gk_pdf_view_get_n_matches (preview ());
}

/* Find runs on the worker; the title's match sits near the top of page 1. */
static void
test_find (void)
{
  g_autoptr(GkItem) item = NULL;
  g_autofree char *needle = NULL;
  const GkPdfRect *first;
  double width, height;

  show (h.secret_id);
  GK_GUI_WAIT (page_rendered (0), 10000);
  item = gk_store_get_item (gk_context_get_store (h.context), h.secret_id, NULL);
  needle = g_utf8_substring (item->title, 0, 4);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (h.window), "window.find-in-document", NULL));
  gk_pdf_view_find (preview (), needle);
  GK_GUI_WAIT (n_matches () >= 1, 10000);

  gk_pdf_document_get_page_size (gk_pdf_canvas_get_document (canvas ()), 0, &width, &height);
  first = gk_pdf_view_get_match (preview (), 0);
  g_assert_nonnull (first);
  g_assert_cmpint (first->page, ==, 0);
  g_test_message ("match of “%s” at %.0f,%.0f %.0fx%.0f on a %.0fx%.0f page",
                  needle, first->x, first->y, first->width, first->height, width, height);
  g_assert_cmpfloat (first->y, <, height / 2);
  g_assert_cmpfloat (first->y, >, 0);
  g_assert_cmpfloat (first->width, >, 0);

  gk_pdf_view_find (preview (), "这段文字不会出现在文件里");
  GK_GUI_WAIT (n_matches () == 0, 10000);
  gk_pdf_view_find (preview (), "");
}

/* The secrecy mark found at import is highlighted where it is printed:
 * at the top left of page 1. */
static void
test_findings (void)
{
  g_autoptr(GkItem) item = gk_store_get_item (gk_context_get_store (h.context), h.secret_id, NULL);
  const GkPdfRect *rect;
  double width, height;
  g_autofree char *shot = NULL;

  g_assert_nonnull (item->findings);
  g_assert_cmpuint (item->findings->len, >, 0);
  show (h.secret_id);
  GK_GUI_WAIT (gk_pdf_canvas_get_n_findings_rects (canvas ()) > 0, 10000);
  rect = gk_pdf_canvas_get_findings_rect (canvas (), 0);
  gk_pdf_document_get_page_size (gk_pdf_canvas_get_document (canvas ()), rect->page, &width, &height);
  g_test_message ("finding at page %d %.0f,%.0f %.0fx%.0f", rect->page + 1, rect->x, rect->y,
                  rect->width, rect->height);
  g_assert_cmpint (rect->page, ==, 0);
  g_assert_cmpfloat (rect->y, <, height / 3);
  g_assert_cmpfloat (rect->x, <, width / 2);
  g_assert_true (rect->tag & GK_PDF_CANVAS_TAG_BLOCKING);

  GK_GUI_WAIT (page_rendered (0), 10000);
  gk_gui_test_pump (200);
  shot = gk_gui_test_screenshot (GTK_WIDGET (h.window), "preview-findings");
}

/* An encrypted PDF asks for its password to be shown (it is not stored). */
static void
test_encrypted (void)
{
  GtkWidget *stack = find_in_preview ("preview-stack");
  GtkWidget *entry = find_in_preview ("preview-password");

  show (h.encrypted_id);
  GK_GUI_WAIT (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "password") == 0, 10000);
  g_assert_false (gk_pdf_view_is_loaded (preview ()));
  gtk_editable_set_text (GTK_EDITABLE (entry), "secret");
  g_signal_emit_by_name (entry, "activate");
  GK_GUI_WAIT (page_rendered (0), 10000);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "document");
  g_assert_cmpfloat (gk_gui_test_ink_ratio (gk_pdf_canvas_get_page_texture (canvas (), 0)), >, 0.005);
}

/* Zoomed far in and scrolled, the page cache stays within its budget. */
static void
test_cache_budget (void)
{
  GtkWidget *entry = find_in_preview ("page-entry");
  gsize budget = 160u * 1024 * 1024;

  show (h.long_id);
  GK_GUI_WAIT (page_rendered (0), 10000);
  gk_pdf_canvas_set_scale (canvas (), 4.0);
  for (guint page = 1; page <= 12; page++)
    {
      g_autofree char *text = g_strdup_printf ("%u", page * 3);

      gtk_editable_set_text (GTK_EDITABLE (entry), text);
      g_signal_emit_by_name (entry, "activate");
      GK_GUI_WAIT (page_rendered (page * 3 - 1), 15000);
      g_assert_cmpuint (gk_pdf_canvas_get_cache_bytes (canvas ()), <=,
                        budget + 2 * gdk_texture_get_width (gk_pdf_canvas_get_page_texture (canvas (), page * 3 - 1)) *
                        gdk_texture_get_height (gk_pdf_canvas_get_page_texture (canvas (), page * 3 - 1)) * 4);
    }
  g_test_message ("cache holds %" G_GSIZE_FORMAT " MB", gk_pdf_canvas_get_cache_bytes (canvas ()) >> 20);
  g_assert_false (page_rendered (0));
  gk_pdf_canvas_set_zoom_mode (canvas (), GK_ZOOM_FIT_WIDTH);
}

static void
on_render_answered_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  guint *answered = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  texture = gk_pdf_document_render_finish (GK_PDF_DOCUMENT (source), result, &error);
  g_assert_true (texture != NULL || error != NULL);
  (*answered)++;
}

/* Closing a document stops its reader at once: the helper is killed and
 * reaped (an in-process reader thread is joined), so that nothing renders
 * when the window goes away, or when exit() runs poppler's static
 * destructors (that aborted the program). */
static void
test_close_waits (void)
{
  g_autoptr(GkPdfDocument) document = NULL;
  guint answered = 0;
  GPid pid;

  show (h.long_id);
  gk_pdf_view_goto_page (preview (), 0);
  GK_GUI_WAIT (page_rendered (0), 10000);
  document = g_object_ref (gk_pdf_canvas_get_document (canvas ()));
  pid = gk_render_client_get_helper_pid (gk_pdf_document_get_client (document));
  /* 0 only when reading in process (GONGKAI_RENDER_IN_PROCESS=1, ASan). */
  g_assert_true (pid > 0 || g_strcmp0 (g_getenv ("GONGKAI_RENDER_IN_PROCESS"), "1") == 0);

  /* Large pages, so that one is still being rendered when we close. */
  for (guint i = 0; i < 3; i++)
    gk_pdf_document_render_async (document, 100 + i, 8.0, GK_PDF_PRIORITY_VISIBLE, NULL,
                                  on_render_answered_cb, &answered);
  GK_GUI_WAIT (gk_pdf_document_get_n_running (document) > 0, 10000);
  gk_pdf_document_close (document);
  g_assert_cmpuint (gk_pdf_document_get_n_running (document), ==, 0);
  if (pid > 0)
    {
      /* Killed and reaped: not even a zombie is left. */
      g_assert_cmpint (kill (pid, 0), ==, -1);
      g_assert_cmpint (errno, ==, ESRCH);
    }

  /* Every request answers, and later ones are refused at once. */
  GK_GUI_WAIT (answered == 3, 10000);
  gk_pdf_document_render_async (document, 0, 1.0, GK_PDF_PRIORITY_VISIBLE, NULL,
                                on_render_answered_cb, &answered);
  GK_GUI_WAIT (answered == 4, 10000);

  /* The preview opens the next document as usual. */
  show (h.secret_id);
  GK_GUI_WAIT (page_rendered (0), 10000);
}

/* A PDF whose pages crash the reader: each page shows why it cannot be
 * displayed, the window stays up, and the next document renders. */
static void
test_render_crash (void)
{
  g_autoptr(GkItem) item = NULL;
  g_autofree char *fault = NULL;
  const char *message;

  item = gk_store_get_item (gk_context_get_store (h.context), h.crash_id, NULL);
  g_assert_nonnull (item);
  /* Honoured by gongkai-render only, for the stored file of this item. */
  fault = g_strdup_printf ("crash:%s", item->file_sha256);
  g_setenv ("GONGKAI_RENDER_FAULT", fault, TRUE);
  show (h.crash_id);
  GK_GUI_WAIT (gk_pdf_canvas_get_page_error (canvas (), 0) != NULL, 15000);
  g_unsetenv ("GONGKAI_RENDER_FAULT");

  message = gk_pdf_canvas_get_page_error (canvas (), 0);
  g_test_message ("%s", message);
  g_assert_true (g_str_has_prefix (message, "This page could not be displayed: "));
  g_assert_nonnull (strstr (message, "crash"));
  g_assert_false (page_rendered (0));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (h.window)));
  g_assert_cmpuint (gk_pdf_document_get_n_pages (gk_pdf_canvas_get_document (canvas ())), ==, 3);
  gk_gui_test_pump (200);
  g_free (gk_gui_test_screenshot (GTK_WIDGET (h.window), "preview-render-crash"));

  show (h.secret_id);
  GK_GUI_WAIT (page_rendered (0), 10000);
  g_assert_cmpfloat (gk_gui_test_ink_ratio (gk_pdf_canvas_get_page_texture (canvas (), 0)), >, 0.005);
  g_assert_null (gk_pdf_canvas_get_page_error (canvas (), 0));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gk_gui_test_init (&argc, &argv);
  setup ();

  g_test_add_func ("/gui/preview/long-document", test_long_document);
  g_test_add_func ("/gui/preview/navigation", test_navigation);
  g_test_add_func ("/gui/preview/zoom", test_zoom);
  g_test_add_func ("/gui/preview/thumbnails", test_thumbnails);
  g_test_add_func ("/gui/preview/find", test_find);
  g_test_add_func ("/gui/preview/findings", test_findings);
  g_test_add_func ("/gui/preview/encrypted", test_encrypted);
  g_test_add_func ("/gui/preview/cache-budget", test_cache_budget);
  g_test_add_func ("/gui/preview/close-waits", test_close_waits);
  g_test_add_func ("/gui/preview/render-crash", test_render_crash);

  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (h.window));
  g_clear_object (&h.context);
  g_clear_object (&h.app);
  gk_gui_test_remove_tree (h.dir);
  g_free (h.dir);
  g_free (h.long_id);
  g_free (h.secret_id);
  g_free (h.encrypted_id);
  g_free (h.crash_id);
  return status;
}
