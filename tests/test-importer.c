/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "gk-fault-proxy.h"
#include "gk-fixtures.h"
#include "gk-import-warnings.h"
#include "gk-importer.h"
#include "gk-store.h"
#include "gk-util.h"

typedef struct
{
  char    *dir;
  char    *library;
  char    *inbox;
  GkStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("gk-importer-XXXXXX", &error);
  g_assert_no_error (error);
  f->library = g_build_filename (f->dir, "library", NULL);
  f->inbox = g_build_filename (f->dir, "收件 (inbox)", NULL);
  g_mkdir_with_parents (f->inbox, 0700);
  f->store = gk_store_open (f->library, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (gk_store_set_member (f->store, "tester", "tester",
                                     GK_ROLE_ADMIN | GK_ROLE_DRAFTER, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  gk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->library);
  g_free (f->inbox);
}

static GPtrArray *
import_paths (Fixture *f, const char *const *paths, const char *password)
{
  g_autoptr(GkImporter) importer = gk_importer_new (f->store, "tester");
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  gk_importer_set_password (importer, password);
  results = gk_importer_import_sync (importer, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (results);
  return results;
}

static GkImportResult *
import_one (Fixture *f, const char *path, const char *password)
{
  const char *paths[] = { path, NULL };
  g_autoptr(GPtrArray) results = import_paths (f, paths, password);
  GkImportResult *r;

  g_assert_cmpuint (results->len, ==, 1);
  r = g_ptr_array_steal_index (results, 0);
  g_assert_cmpstr (r->path, ==, path);
  return r;
}

static guint
count_store_files (Fixture *f)
{
  g_autofree char *files = g_build_filename (f->library, "files", NULL);
  g_autoptr(GDir) top = g_dir_open (files, 0, NULL);
  const char *name;
  guint n = 0;

  while (top && (name = g_dir_read_name (top)) != NULL)
    {
      g_autofree char *sub = g_build_filename (files, name, NULL);
      g_autoptr(GDir) dir = g_dir_open (sub, 0, NULL);
      const char *leaf;

      while (dir && (leaf = g_dir_read_name (dir)) != NULL)
        if (!g_str_has_prefix (leaf, ".") && strlen (leaf) == 64)
          n++;
    }
  return n;
}

static guint
count_items (Fixture *f)
{
  GkQuery query = { 0 };
  g_autoptr(GError) error = NULL;
  guint n = gk_store_count (f->store, &query, &error);

  g_assert_no_error (error);
  return n;
}

static JsonObject *find_warning (JsonArray *warnings, const char *code);

/* The whole corpus, from a folder with spaces, brackets and Chinese in
 * its name: every file imported, its detected fields in the record, and
 * a second import finds only duplicates of the same items. */
static void
test_corpus_and_duplicates (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) again = NULL;
  const char *paths[] = { f->inbox, NULL };
  guint n_docs = 0;
  const GkFixtureDoc *docs = gk_fixture_corpus (&n_docs);

  g_assert_true (gk_fixture_write_corpus (f->inbox, &error));
  g_assert_no_error (error);

  first = import_paths (f, paths, NULL);
  g_assert_cmpuint (first->len, ==, n_docs);
  for (guint i = 0; i < first->len; i++)
    {
      GkImportResult *r = g_ptr_array_index (first, i);
      g_autoptr(GkItem) item = NULL;
      g_autofree char *base = g_path_get_basename (r->path);
      const GkFixtureDoc *doc = NULL;

      if (r->status != GK_IMPORT_IMPORTED)
        g_error ("%s: %s", r->path, r->error ? r->error : "not imported");
      for (guint j = 0; j < n_docs; j++)
        if (strcmp (docs[j].file_name, base) == 0)
          doc = &docs[j];
      g_assert_nonnull (doc);

      item = gk_store_get_item (f->store, r->id, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (item->file_name, ==, doc->file_name);
      g_assert_cmpint (item->pages, ==, doc->n_pages);
      g_assert_cmpint (item->state, ==, GK_STATE_DRAFT);
      g_assert_nonnull (item->index_no);
      g_assert_nonnull (item->detected_json);
      /* Detected values fill the empty record. */
      g_assert_cmpstr (item->doc_number, ==, r->detected->doc_number);
      g_assert_cmpstr (item->title, ==, r->detected->title);
      g_assert_cmpstr (item->written_date, ==, r->detected->written_date);
      /* A clean file warns of nothing but the core fields it lacks. */
      {
        const char *expected[] = { doc->title, doc->doc_number, doc->issuer, doc->written_date };
        g_autoptr(GString) lacking = g_string_new (NULL);
        g_autoptr(GString) named = g_string_new (NULL);
        JsonObject *w = find_warning (r->warnings, "fields_missing");

        for (guint k = 0; k < G_N_ELEMENTS (expected); k++)
          if (expected[k] == NULL)
            g_string_append_printf (lacking, "%s ", gk_import_core_fields ()[k]);
        for (guint k = 0; w != NULL && k < json_array_get_length (json_object_get_array_member (w, "fields")); k++)
          g_string_append_printf (named, "%s ",
                                  json_array_get_string_element (json_object_get_array_member (w, "fields"), k));
        g_assert_cmpstr (named->str, ==, lacking->str);
        g_assert_cmpuint (r->warnings ? json_array_get_length (r->warnings) : 0, ==, w != NULL ? 1 : 0);
        g_assert_false (item->flags & (GK_ITEM_FLAG_NEEDS_OCR | GK_ITEM_FLAG_NEEDS_ATTENTION));
      }
    }
  g_assert_cmpuint (count_items (f), ==, n_docs);
  g_assert_cmpuint (count_store_files (f), ==, n_docs);

  again = import_paths (f, paths, NULL);
  g_assert_cmpuint (again->len, ==, n_docs);
  for (guint i = 0; i < again->len; i++)
    {
      GkImportResult *r = g_ptr_array_index (again, i);
      GkImportResult *before = g_ptr_array_index (first, i);

      g_assert_cmpint (r->status, ==, GK_IMPORT_DUPLICATE);
      g_assert_cmpstr (r->id, ==, before->id);
    }
  g_assert_cmpuint (count_items (f), ==, n_docs);
}

static void
test_bad_files (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bad = g_build_filename (f->dir, "坏 文件", NULL);
  g_autoptr(GkImportResult) empty = NULL;
  g_autoptr(GkImportResult) random = NULL;
  g_autoptr(GkImportResult) png = NULL;
  g_autoptr(GkImportResult) image = NULL;
  g_autoptr(GkImportResult) xref = NULL;
  g_autoptr(GkImportResult) locked = NULL;
  g_autoptr(GkImportResult) wrong = NULL;
  g_autoptr(GkImportResult) unlocked = NULL;
  g_autoptr(GkImportResult) truncated = NULL;
  g_autoptr(GkImportResult) missing = NULL;
  g_autoptr(GkItem) item = NULL;
  g_autofree char *p = NULL;

  g_assert_true (gk_fixture_write_bad_files (bad, &error));
  g_assert_no_error (error);

#define BAD(name) (g_free (p), p = g_build_filename (bad, name, NULL))

  empty = import_one (f, BAD ("empty.pdf"), NULL);
  g_assert_cmpint (empty->status, ==, GK_IMPORT_FAILED);
  g_assert_nonnull (strstr (empty->error, "empty"));

  random = import_one (f, BAD ("random.pdf"), NULL);
  g_assert_cmpint (random->status, ==, GK_IMPORT_FAILED);
  g_assert_cmpint (random->error_code, ==, GK_ERROR_UNSUPPORTED);

  png = import_one (f, BAD ("png-renamed.pdf"), NULL);
  g_assert_cmpint (png->status, ==, GK_IMPORT_FAILED);
  g_assert_cmpint (png->error_code, ==, GK_ERROR_UNSUPPORTED);
  /* The message names the real type. */
  g_assert_nonnull (strstr (png->error, "image/png"));

  image = import_one (f, BAD ("image-only.pdf"), NULL);
  g_assert_cmpint (image->status, ==, GK_IMPORT_IMPORTED);
  g_assert_nonnull (image->warning);
  g_assert_nonnull (strstr (image->warning, "OCR"));
  item = gk_store_get_item (f->store, image->id, &error);
  g_assert_no_error (error);
  g_assert_true (item->flags & GK_ITEM_FLAG_NEEDS_OCR);
  g_assert_null (item->title);
  g_assert_null (item->doc_number);

  xref = import_one (f, BAD ("broken-xref.pdf"), NULL);
  g_assert_cmpint (xref->status, ==, GK_IMPORT_IMPORTED);
  g_assert_null (xref->warning);
  g_assert_nonnull (xref->detected->doc_number);

  locked = import_one (f, BAD ("encrypted-secret.pdf"), NULL);
  g_assert_cmpint (locked->status, ==, GK_IMPORT_FAILED);
  g_assert_cmpint (locked->error_code, ==, GK_ERROR_PASSWORD);
  g_assert_nonnull (strstr (locked->error, "Password required"));
  wrong = import_one (f, BAD ("encrypted-secret.pdf"), "guess");
  g_assert_cmpint (wrong->status, ==, GK_IMPORT_FAILED);
  g_assert_cmpint (wrong->error_code, ==, GK_ERROR_PASSWORD);
  unlocked = import_one (f, BAD ("encrypted-secret.pdf"), "secret");
  g_assert_cmpint (unlocked->status, ==, GK_IMPORT_IMPORTED);

  /* A truncated PDF either fails cleanly or is read as far as it goes;
   * either way the program goes on and nothing half-imported stays. */
  truncated = import_one (f, BAD ("truncated.pdf"), NULL);
  g_assert_true (truncated->status == GK_IMPORT_FAILED || truncated->status == GK_IMPORT_IMPORTED);
  if (truncated->status == GK_IMPORT_FAILED)
    g_assert_nonnull (truncated->error);

  missing = import_one (f, BAD ("no-such-file.pdf"), NULL);
  g_assert_cmpint (missing->status, ==, GK_IMPORT_FAILED);
  g_assert_cmpint (missing->error_code, ==, GK_ERROR_NOT_FOUND);
#undef BAD

  /* Only what was imported is in the library. */
  g_assert_cmpuint (count_items (f), ==, 3 + (truncated->status == GK_IMPORT_IMPORTED));
  g_assert_cmpuint (count_store_files (f), ==, count_items (f));
}

/* A reader that crashes costs one file, never the program. */
static void
test_crashing_reader (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *helper = g_build_filename (f->dir, "crash.sh", NULL);
  g_autofree char *pdf = g_build_filename (f->inbox, "hostile.pdf", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("GONGKAI_EXTRACT_HELPER"));
  g_autoptr(GkImportResult) r = NULL;

  g_assert_true (g_file_set_contents (helper, "#!/bin/sh\nkill -SEGV $$\n", -1, NULL));
  g_chmod (helper, 0700);
  g_assert_true (gk_fixture_write_long_pdf (pdf, 2, &error));
  g_assert_no_error (error);

  g_setenv ("GONGKAI_EXTRACT_HELPER", helper, TRUE);
  r = import_one (f, pdf, NULL);
  if (saved)
    g_setenv ("GONGKAI_EXTRACT_HELPER", saved, TRUE);
  else
    g_unsetenv ("GONGKAI_EXTRACT_HELPER");

  g_assert_cmpint (r->status, ==, GK_IMPORT_FAILED);
  g_assert_cmpint (r->error_code, ==, GK_ERROR_DAMAGED);
  g_assert_nonnull (strstr (r->error, "crash"));
  g_assert_cmpuint (count_items (f), ==, 0);
  g_assert_cmpuint (count_store_files (f), ==, 0);
}

typedef struct
{
  GCancellable *cancellable;
  guint         calls;
  guint         total;
  GPtrArray    *results;
  GError       *error;
  gboolean      done;
  GThread      *main_thread;
} AsyncRun;

static void
on_progress (guint done, guint total, const GkImportResult *result, gpointer user_data)
{
  AsyncRun *run = user_data;

  /* Progress arrives on the caller's thread, in order. */
  g_assert_true (g_thread_self () == run->main_thread);
  g_assert_cmpuint (done, ==, run->calls + 1);
  run->calls = done;
  run->total = total;
  if (done == 2 && run->cancellable != NULL)
    g_cancellable_cancel (run->cancellable);
}

static void
on_imported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncRun *run = user_data;

  run->results = gk_importer_import_finish (GK_IMPORTER (source), result, &run->error);
  run->done = TRUE;
}

static void
run_async (Fixture *f, AsyncRun *run)
{
  g_autoptr(GkImporter) importer = gk_importer_new (f->store, "tester");
  const char *paths[] = { f->inbox, NULL };
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  run->main_thread = g_thread_self ();
  gk_importer_set_max_workers (importer, 1);
  gk_importer_import_async (importer, paths, on_progress, run, NULL, run->cancellable,
                            on_imported, run);
  while (!run->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (run->done);
}

static void
test_async_progress_and_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  AsyncRun cancelled = { 0 };
  AsyncRun rest = { 0 };
  guint n_docs = 0;

  gk_fixture_corpus (&n_docs);
  g_assert_true (gk_fixture_write_corpus (f->inbox, &error));

  cancelled.cancellable = g_cancellable_new ();
  run_async (f, &cancelled);
  g_assert_no_error (cancelled.error);
  g_assert_cmpuint (cancelled.total, ==, n_docs);
  /* Files not started when cancelled are not imported, and not reported
   * as results; what was imported is whole. */
  g_assert_cmpuint (cancelled.results->len, <, n_docs);
  g_assert_cmpuint (count_items (f), ==, cancelled.results->len);
  g_assert_cmpuint (count_store_files (f), ==, cancelled.results->len);

  /* Importing again finishes the job. */
  run_async (f, &rest);
  g_assert_no_error (rest.error);
  g_assert_cmpuint (rest.results->len, ==, n_docs);
  g_assert_cmpuint (rest.calls, ==, n_docs);
  g_assert_cmpuint (count_items (f), ==, n_docs);

  g_clear_object (&cancelled.cancellable);
  g_ptr_array_unref (cancelled.results);
  g_ptr_array_unref (rest.results);
}

/* Different bytes, same 公文: imported, with a warning naming the twin. */
static void
test_same_doc_number (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = g_build_filename (f->inbox, "a.pdf", NULL);
  g_autofree char *b = g_build_filename (f->inbox, "b.pdf", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GkImportResult) first = NULL;
  g_autoptr(GkImportResult) second = NULL;
  guint n = 0;
  const GkFixtureDoc *docs = gk_fixture_corpus (&n);

  g_assert_true (gk_fixture_write_pdf (&docs[0], a, &error));
  g_assert_true (g_file_get_contents (a, &contents, &len, NULL));
  /* Bytes after %%EOF are ignored by readers: same document, new hash. */
  {
    g_autoptr(GString) copy = g_string_new_len (contents, len);
    g_string_append (copy, "\n% rescanned\n");
    g_assert_true (g_file_set_contents (b, copy->str, copy->len, NULL));
  }

  first = import_one (f, a, NULL);
  second = import_one (f, b, NULL);
  g_assert_cmpint (first->status, ==, GK_IMPORT_IMPORTED);
  g_assert_null (first->warning);
  g_assert_cmpint (second->status, ==, GK_IMPORT_IMPORTED);
  g_assert_nonnull (second->warning);
  g_assert_nonnull (strstr (second->warning, docs[0].doc_number));
  {
    g_autofree char *short_id = g_strndup (first->id, 8);
    g_assert_nonnull (strstr (second->warning, short_id));
  }
}

/* The warning of the given code in a result, or NULL. */
static JsonObject *
find_warning (JsonArray  *warnings,
              const char *code)
{
  for (guint i = 0; warnings != NULL && i < json_array_get_length (warnings); i++)
    {
      JsonObject *w = json_array_get_object_element (warnings, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (w, "code", NULL), code) == 0)
        return w;
    }
  return NULL;
}

/* The warnings kept with the stored item. */
static JsonArray *
stored_warnings (Fixture    *f,
                 const char *id,
                 guint      *flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = gk_store_get_item (f->store, id, &error);

  g_assert_no_error (error);
  *flags = item->flags;
  return gk_import_warnings_from_detected_json (item->detected_json);
}

static const GkFixtureDoc *
corpus_doc_with_pages (guint min_pages,
                       guint max_pages)
{
  guint n;
  const GkFixtureDoc *docs = gk_fixture_corpus (&n);

  for (guint i = 0; i < n; i++)
    if (docs[i].n_pages >= min_pages && docs[i].n_pages <= max_pages && docs[i].doc_number != NULL &&
        docs[i].written_date != NULL && docs[i].issuer != NULL && docs[i].title != NULL)
      return &docs[i];
  g_assert_not_reached ();
}

/* A PDF whose first page's content stream is corrupt imports with a
 * warning that says the page could not be read (not that it needs OCR),
 * no field guessed from the other pages, and the warning kept with the
 * item; so does a one-page document, which has no text at all. */
static void
test_damaged_first_page (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const GkFixtureDoc *doc = &gk_fixture_corpus (NULL)[0];
  const GkFixtureDoc *single = corpus_doc_with_pages (1, 1);
  g_autofree char *damaged = g_build_filename (f->inbox, "损坏 page 1.pdf", NULL);
  g_autofree char *one = g_build_filename (f->inbox, "one page.pdf", NULL);
  g_autoptr(GkImportResult) r = NULL;
  g_autoptr(GkImportResult) s = NULL;
  g_autoptr(JsonArray) kept = NULL;
  g_autoptr(GkItem) item = NULL;
  JsonObject *w;
  guint flags = 0;

  g_assert_cmpuint (doc->n_pages, >=, 2);
  g_assert_true (gk_fixture_write_damaged_page_pdf (doc, 1, TRUE, damaged, &error));
  g_assert_no_error (error);
  r = import_one (f, damaged, NULL);
  g_assert_cmpint (r->status, ==, GK_IMPORT_IMPORTED);
  g_assert_nonnull (r->warning);
  g_test_message ("%s", r->warning);
  g_assert_nonnull (strstr (r->warning, "first page could not be read"));
  g_assert_null (strstr (r->warning, "OCR"));
  w = find_warning (r->warnings, "page_unreadable");
  g_assert_nonnull (w);
  g_assert_cmpstr (json_object_get_string_member (w, "reason"), ==, "damaged");
  g_assert_cmpint (json_object_get_int_member (w, "page"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (w, "reader_errors"), >, 0);
  g_assert_null (find_warning (r->warnings, "needs_ocr"));
  /* Nothing is guessed from page 2 as if it were page 1. */
  g_assert_null (r->detected);

  item = gk_store_get_item (f->store, r->id, &error);
  g_assert_no_error (error);
  g_assert_null (item->title);
  g_assert_null (item->doc_number);
  g_assert_null (item->written_date);
  g_assert_true (item->flags & GK_ITEM_FLAG_NEEDS_ATTENTION);
  g_assert_false (item->flags & GK_ITEM_FLAG_NEEDS_OCR);
  kept = stored_warnings (f, r->id, &flags);
  g_assert_nonnull (kept);
  g_assert_nonnull (find_warning (kept, "page_unreadable"));
  {
    g_autofree char *again = gk_import_warnings_to_text (kept);
    g_assert_cmpstr (again, ==, r->warning);
  }

  /* One page, its only content stream damaged: no text at all, but the
   * reader's errors tell it from a scan. */
  g_assert_true (gk_fixture_write_damaged_page_pdf (single, 1, TRUE, one, &error));
  g_assert_no_error (error);
  s = import_one (f, one, NULL);
  g_assert_cmpint (s->status, ==, GK_IMPORT_IMPORTED);
  g_assert_nonnull (find_warning (s->warnings, "page_unreadable"));
  g_assert_null (find_warning (s->warnings, "needs_ocr"));
  g_clear_pointer (&kept, json_array_unref);
  kept = stored_warnings (f, s->id, &flags);
  g_assert_true (flags & GK_ITEM_FLAG_NEEDS_ATTENTION);
  g_assert_false (flags & GK_ITEM_FLAG_NEEDS_OCR);
}

/* A page whose content draws nothing (its stream blanked, no error to
 * report): neither a scan nor a read record. */
static void
test_blank_page (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const GkFixtureDoc *single = corpus_doc_with_pages (1, 1);
  g_autofree char *path = g_build_filename (f->inbox, "blank.pdf", NULL);
  g_autoptr(GkImportResult) r = NULL;
  JsonObject *w;

  g_assert_true (gk_fixture_write_blank_page_pdf (single, 1, path, &error));
  g_assert_no_error (error);
  r = import_one (f, path, NULL);
  g_assert_cmpint (r->status, ==, GK_IMPORT_IMPORTED);
  g_test_message ("%s", r->warning);
  g_assert_null (find_warning (r->warnings, "needs_ocr"));
  w = find_warning (r->warnings, "page_unreadable");
  g_assert_nonnull (w);
  g_assert_cmpstr (json_object_get_string_member (w, "reason"), ==, "blank");
}

/* Damage that leaves some text: the reader's errors are named by page,
 * and the fields that could not be found are listed. */
static void
test_damaged_later_pages (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const GkFixtureDoc *doc = &gk_fixture_corpus (NULL)[0];
  g_autofree char *half = g_build_filename (f->inbox, "half.pdf", NULL);
  g_autofree char *second = g_build_filename (f->inbox, "second.pdf", NULL);
  g_autoptr(GkImportResult) h = NULL;
  g_autoptr(GkImportResult) p2 = NULL;
  g_autoptr(JsonArray) kept = NULL;
  JsonObject *w;
  JsonArray *pages;
  guint flags = 0;

  /* Page 2 holds the 署名 and the 成文日期: page 1 reads, so the title
   * and the 文号 are detected; the date is missing and said to be. */
  g_assert_true (gk_fixture_write_damaged_page_pdf (doc, 2, TRUE, second, &error));
  g_assert_no_error (error);
  p2 = import_one (f, second, NULL);
  g_assert_cmpint (p2->status, ==, GK_IMPORT_IMPORTED);
  g_test_message ("%s", p2->warning);
  g_assert_nonnull (p2->detected);
  g_assert_cmpstr (p2->detected->title, ==, doc->title);
  g_assert_cmpstr (p2->detected->doc_number, ==, doc->doc_number);
  w = find_warning (p2->warnings, "reader_errors");
  g_assert_nonnull (w);
  pages = json_object_get_array_member (w, "pages");
  g_assert_cmpuint (json_array_get_length (pages), ==, 1);
  g_assert_cmpint (json_array_get_int_element (pages, 0), ==, 2);
  g_assert_nonnull (strstr (p2->warning, "page 2"));
  w = find_warning (p2->warnings, "fields_missing");
  g_assert_nonnull (w);
  {
    JsonArray *fields = json_object_get_array_member (w, "fields");
    gboolean date_named = FALSE;

    for (guint i = 0; i < json_array_get_length (fields); i++)
      date_named |= g_strcmp0 (json_array_get_string_element (fields, i), "written_date") == 0;
    g_assert_true (date_named);
    g_assert_nonnull (strstr (p2->warning, "Date written"));
  }
  g_assert_null (find_warning (p2->warnings, "page_unreadable"));
  kept = stored_warnings (f, p2->id, &flags);
  g_assert_nonnull (find_warning (kept, "reader_errors"));
  g_assert_nonnull (find_warning (kept, "fields_missing"));
  /* Read in part: not flagged as unread, but the warnings stay. */
  g_assert_false (flags & GK_ITEM_FLAG_NEEDS_ATTENTION);

  /* Page 1 cut in the middle of its content: the reader errors on page 1
   * are reported whatever detection made of the rest. */
  g_assert_true (gk_fixture_write_damaged_page_pdf (doc, 1, FALSE, half, &error));
  g_assert_no_error (error);
  h = import_one (f, half, NULL);
  g_assert_cmpint (h->status, ==, GK_IMPORT_IMPORTED);
  g_test_message ("%s", h->warning);
  g_assert_nonnull (h->warning);
  g_assert_true (find_warning (h->warnings, "reader_errors") != NULL ||
                 find_warning (h->warnings, "page_unreadable") != NULL);
  if ((w = find_warning (h->warnings, "reader_errors")) != NULL)
    g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (w, "pages"), 0), ==, 1);
}

/* The rules on synthetic extraction results: a scan keeps its OCR
 * warning; an empty or undecodable first page, or text without any field,
 * is said for what it is; a whole record gives no warning. */
static void
test_warning_rules (Fixture *f, gconstpointer data)
{
  const char *good = "上海市应急管理局文件\n沪应急办〔2023〕20号\n关于印发工作要点的通知\n"
                     "各区应急管理局：\n现印发你们。\n上海市应急管理局\n2023年4月10日\n";
  struct
  {
    const char *pages[3];
    gboolean    has_text;
    guint       errors[2];
    const char *code;   /* the first warning, NULL: none */
    const char *reason;
    gboolean    images; /* page 1 shows an image */
  } cases[] = {
    { { "", "", NULL }, FALSE, { 0, 0 }, "needs_ocr", NULL, TRUE },
    { { "", "", NULL }, FALSE, { 3, 0 }, "page_unreadable", "damaged", TRUE },
    { { "", NULL }, FALSE, { 2 }, "page_unreadable", "damaged", FALSE },
    /* Nothing drawn at all, or only outlines: not a scan. */
    { { "", NULL }, FALSE, { 0 }, "page_unreadable", "blank", FALSE },
    { { " \n\u3000\n— 1 —\n", good, NULL }, TRUE, { 0, 0 }, "page_unreadable", "empty" },
    { { "\uFFFD\uFFFD\uE000\uE001\uE002 \uFFFD\n\uE003\uE004", good, NULL }, TRUE, { 0, 0 }, "page_unreadable", "garbage" },
    { { "!#$%&'()*+,-./ \"#!$", good, NULL }, TRUE, { 0, 0 }, "page_unreadable", "garbage" },
    { { "ДЖЗИЙКЛ ΔΘΛΞ ҒҚ ԱԲԳ 中 ДЖЗИЙКЛ ΔΘΛΞ", good, NULL }, TRUE, { 0, 0 }, "page_unreadable", "garbage" },
    { { "\uFFFD\uFFFD\uFFFD", good, NULL }, TRUE, { 2, 0 }, "page_unreadable", "damaged" },
    { { "一、基本情况\n（一）本表数据截至年底。\n（二）数据来源于各区上报。\n", NULL }, TRUE, { 0 }, "no_fields", NULL },
    { { good, NULL }, TRUE, { 0 }, NULL, NULL },
    { { good, "第二页的正文。\n", NULL }, TRUE, { 0, 4 }, "reader_errors", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GkPdfText text = { 0 };
      guint errors[3] = { 0 };
      g_autoptr(GkDetected) detected = NULL;
      g_autoptr(JsonArray) warnings = NULL;
      g_autofree char *message = NULL;

      text.pages = (GStrv) cases[i].pages;
      text.n_pages = g_strv_length (text.pages);
      text.has_text = cases[i].has_text;
      text.first_page_ok = TRUE;
      text.first_page_images = cases[i].images;
      for (guint p = 0; p < text.n_pages && p < 2; p++)
        errors[p] = cases[i].errors[p];
      text.page_errors = errors;
      if (gk_import_can_detect (&text))
        detected = gk_gongwen_detect ((const char *const *) text.pages, text.n_pages);
      warnings = gk_import_warnings_check (&text, detected);
      message = gk_import_warnings_to_text (warnings);
      g_test_message ("case %u: %s", i, message ? message : "(none)");
      if (cases[i].code == NULL)
        {
          g_assert_cmpuint (json_array_get_length (warnings), ==, 0);
          g_assert_null (message);
          continue;
        }
      g_assert_cmpuint (json_array_get_length (warnings), >, 0);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (warnings, 0), "code"),
                       ==, cases[i].code);
      if (cases[i].reason != NULL)
        {
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (warnings, 0),
                                                          "reason"),
                           ==, cases[i].reason);
          /* Nothing is guessed from a first page that does not read. */
          g_assert_false (gk_import_can_detect (&text));
        }
      g_assert_nonnull (message);
      g_assert_cmpuint (gk_import_warnings_flags (warnings) &
                        (GK_ITEM_FLAG_NEEDS_OCR | GK_ITEM_FLAG_NEEDS_ATTENTION), !=,
                        g_str_equal (cases[i].code, "reader_errors") ? 1u : 0u);
    }
}

static void
test_unsupported_types (Fixture *f, gconstpointer data)
{
  g_autofree char *docx = g_build_filename (f->inbox, "通知.docx", NULL);
  g_autofree char *txt = g_build_filename (f->inbox, "说明.txt", NULL);
  g_autoptr(GkImportResult) a = NULL;
  g_autoptr(GkImportResult) b = NULL;

  /* A DOCX is a ZIP file. */
  g_assert_true (g_file_set_contents (docx, "PK\003\004\024\000\000\000\010\000", 10, NULL));
  g_assert_true (g_file_set_contents (txt, "关于印发的通知\n", -1, NULL));
  a = import_one (f, docx, NULL);
  b = import_one (f, txt, NULL);
  g_assert_cmpint (a->status, ==, GK_IMPORT_FAILED);
  g_assert_cmpint (a->error_code, ==, GK_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (a->error, "Only PDF"));
  g_assert_cmpint (b->status, ==, GK_IMPORT_FAILED);
  g_assert_nonnull (strstr (b->error, "text/plain"));
  g_assert_cmpuint (count_items (f), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/importer/corpus-and-duplicates", Fixture, NULL, fixture_set_up, test_corpus_and_duplicates, fixture_tear_down);
  g_test_add ("/importer/bad-files", Fixture, NULL, fixture_set_up, test_bad_files, fixture_tear_down);
  g_test_add ("/importer/crashing-reader", Fixture, NULL, fixture_set_up, test_crashing_reader, fixture_tear_down);
  g_test_add ("/importer/async-progress-cancel", Fixture, NULL, fixture_set_up, test_async_progress_and_cancel, fixture_tear_down);
  g_test_add ("/importer/same-doc-number", Fixture, NULL, fixture_set_up, test_same_doc_number, fixture_tear_down);
  g_test_add ("/importer/unsupported-types", Fixture, NULL, fixture_set_up, test_unsupported_types, fixture_tear_down);
  g_test_add ("/importer/damaged-first-page", Fixture, NULL, fixture_set_up, test_damaged_first_page, fixture_tear_down);
  g_test_add ("/importer/damaged-later-pages", Fixture, NULL, fixture_set_up, test_damaged_later_pages, fixture_tear_down);
  g_test_add ("/importer/warning-rules", Fixture, NULL, fixture_set_up, test_warning_rules, fixture_tear_down);
  g_test_add ("/importer/blank-page", Fixture, NULL, fixture_set_up, test_blank_page, fixture_tear_down);
  return g_test_run ();
}
