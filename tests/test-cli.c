/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gongkai-ctl end to end: the real binary on a real library, --json
 * parsed, exit statuses as DESIGN.md says. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gk-fixtures.h"
#include "gk-item.h"

static char *tmp_dir;
static char *library;
static char *inbox;
static const char *run_in;   /* the working folder of ctl(), NULL: ours */

typedef struct
{
  int       status;
  char     *out;
  char     *err;
  JsonNode *json;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
  g_clear_pointer (&r->json, json_node_unref);
  memset (r, 0, sizeof *r);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
ctl_va (Run        *r,
        const char *lib,
        const char *user,
        va_list     args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  const char *arg;

  g_ptr_array_add (argv, (char *) g_getenv ("GONGKAI_CTL"));
  g_ptr_array_add (argv, "--library");
  g_ptr_array_add (argv, (char *) lib);
  g_ptr_array_add (argv, "--as");
  g_ptr_array_add (argv, (char *) user);
  while ((arg = va_arg (args, const char *)) != NULL)
    {
      if (strcmp (arg, "--json") == 0)
        json = TRUE;
      g_ptr_array_add (argv, (char *) arg);
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  if (run_in != NULL)
    g_subprocess_launcher_set_cwd (launcher, run_in);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  r->status = g_subprocess_get_exit_status (process);
  if (json && r->out && *r->out)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      if (!json_parser_load_from_data (parser, r->out, -1, &error))
        g_error ("not JSON (%s): %s", error->message, r->out);
      r->json = json_node_copy (json_parser_get_root (parser));
    }
}

/* Runs gongkai-ctl --library L --as USER ARGS…; parses stdout as JSON
 * when --json is among the arguments. */
static void
ctl (Run *r, const char *user, ...)
{
  va_list args;

  va_start (args, user);
  ctl_va (r, library, user, args);
  va_end (args);
}

/* The same on another library folder. */
static void
ctl_at (Run *r, const char *lib, const char *user, ...)
{
  va_list args;

  va_start (args, user);
  ctl_va (r, lib, user, args);
  va_end (args);
}

static JsonObject *
obj (Run *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_node_get_object (r->json);
}

static char *
first_id (void)
{
  g_auto(Run) r = { 0 };
  JsonArray *items;

  ctl (&r, "drafter", "--json", "list", "--sort", "doc_number", NULL);
  g_assert_cmpint (r.status, ==, 0);
  items = json_object_get_array_member (obj (&r), "items");
  g_assert_cmpuint (json_array_get_length (items), >, 0);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (items, 0), "id"));
}

static void
test_init_and_members (void)
{
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) c = { 0 };
  g_auto(Run) d = { 0 };
  g_auto(Run) e = { 0 };
  g_auto(Run) f = { 0 };

  ctl (&a, "admin", "list", NULL);
  g_assert_cmpint (a.status, ==, 4);
  g_assert_nonnull (strstr (a.err, "init"));

  ctl (&b, "admin", "--json", "init", "--org-code", "000014349", NULL);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_true (json_object_get_boolean_member (obj (&b), "created"));

  ctl (&c, "admin", "--json", "init", NULL);
  g_assert_cmpint (c.status, ==, 0);
  g_assert_false (json_object_get_boolean_member (obj (&c), "created"));

  ctl (&d, "admin", "member", "add", "drafter", "--role", "drafter", NULL);
  g_assert_cmpint (d.status, ==, 0);
  ctl (&e, "admin", "member", "add", "bob", "--role", "poet", NULL);
  g_assert_cmpint (e.status, ==, 2);
  g_assert_nonnull (strstr (e.err, "poet"));
  /* Only an admin manages members. */
  ctl (&f, "drafter", "member", "add", "mallory", "--role", "admin", NULL);
  g_assert_cmpint (f.status, ==, 3);
}

static void
test_import (void)
{
  g_auto(Run) r = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) refused = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_dir = g_build_filename (tmp_dir, "bad files", NULL);
  JsonArray *results;
  guint n_docs = 0;

  gk_fixture_corpus (&n_docs);
  g_assert_true (gk_fixture_write_corpus (inbox, &error));
  g_assert_no_error (error);

  ctl (&refused, "stranger", "import", inbox, NULL);
  g_assert_cmpint (refused.status, ==, 3);

  ctl (&r, "drafter", "--json", "import", inbox, NULL);
  g_assert_cmpint (r.status, ==, 0);
  results = json_object_get_array_member (obj (&r), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, n_docs);
  for (guint i = 0; i < n_docs; i++)
    {
      JsonObject *o = json_array_get_object_element (results, i);
      JsonObject *detected;

      g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "imported");
      g_assert_true (json_object_has_member (o, "path"));
      g_assert_true (json_object_has_member (o, "error"));
      g_assert_true (json_object_has_member (o, "findings"));
      detected = json_object_get_object_member (o, "detected");
      g_assert_nonnull (detected);
      for (const char *const *k = (const char *const[]) { "doc_number", "title", "issuer",
                                                          "written_date", "disclosure",
                                                          "secrecy_mark", NULL }; *k; k++)
        g_assert_true (json_object_has_member (detected, *k));
      g_assert_cmpuint (strlen (json_object_get_string_member (o, "id")), ==, 36);
    }

  ctl (&again, "drafter", "--json", "import", inbox, NULL);
  g_assert_cmpint (again.status, ==, 0);
  results = json_object_get_array_member (obj (&again), "results");
  for (guint i = 0; i < n_docs; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, i), "status"),
                     ==, "duplicate");

  /* A line break in a file name cannot fake a line of the output. */
  {
    g_auto(Run) tricky = { 0 };
    g_autofree char *dir = g_build_filename (tmp_dir, "tricky", NULL);
    g_autofree char *name = g_build_filename (dir, "a\nimported   deadbeef  fake.pdf", NULL);
    g_auto(GStrv) lines = NULL;

    g_mkdir_with_parents (dir, 0700);
    g_assert_true (gk_fixture_write_long_pdf (name, 1, &error));
    ctl (&tricky, "drafter", "import", dir, NULL);
    g_assert_cmpint (tricky.status, ==, 0);
    lines = g_strsplit (tricky.out, "\n", -1);
    for (guint i = 0; lines[i]; i++)
      g_assert_false (g_str_has_prefix (lines[i], "imported   deadbeef"));
    g_assert_nonnull (strstr (tricky.out, "\\x0a"));
  }

  g_assert_true (gk_fixture_write_bad_files (bad_dir, &error));
  ctl (&bad, "drafter", "--json", "import", bad_dir, NULL);
  /* Done in part: the good ones kept, the bad ones reported. */
  g_assert_cmpint (bad.status, ==, 1);
  results = json_object_get_array_member (obj (&bad), "results");
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *o = json_array_get_object_element (results, i);
      const char *path = json_object_get_string_member (o, "path");
      const char *status = json_object_get_string_member (o, "status");

      if (g_str_has_suffix (path, "empty.pdf") || g_str_has_suffix (path, "png-renamed.pdf") ||
          g_str_has_suffix (path, "random.pdf") || g_str_has_suffix (path, "encrypted-secret.pdf"))
        {
          g_assert_cmpstr (status, ==, "failed");
          g_assert_nonnull (json_object_get_string_member (o, "error"));
        }
      if (g_str_has_suffix (path, "image-only.pdf"))
        g_assert_cmpstr (status, ==, "imported");
    }
}

/* A file whose first page cannot be read imports with a warning in the
 * output and in the JSON, and the record says so when shown later; a
 * scan keeps its own (OCR) warning. */
static void
test_import_damaged (void)
{
  g_auto(Run) text = { 0 };
  g_auto(Run) json = { 0 };
  g_auto(Run) show = { 0 };
  g_auto(Run) show_json = { 0 };
  g_auto(Run) scan_json = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmp_dir, "damaged", NULL);
  g_autofree char *first = g_build_filename (dir, "第一页损坏.pdf", NULL);
  g_autofree char *other_dir = g_build_filename (tmp_dir, "damaged 2", NULL);
  g_autofree char *second = g_build_filename (other_dir, "second.pdf", NULL);
  g_autofree char *scan = g_build_filename (other_dir, "scan.pdf", NULL);
  const GkFixtureDoc *docs = gk_fixture_corpus (NULL);
  JsonArray *results;
  JsonObject *detected;
  const char *id = NULL;
  const char *scan_id = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_mkdir_with_parents (other_dir, 0700);
  g_assert_true (gk_fixture_write_damaged_page_pdf (&docs[1], 1, TRUE, first, &error));
  g_assert_true (gk_fixture_write_damaged_page_pdf (&docs[2], 1, TRUE, second, &error));
  g_assert_true (gk_fixture_write_image_only_pdf (scan, &error));
  g_assert_no_error (error);
  /* Not the image-only file of the bad files (already imported): bytes
   * after %%EOF change the hash, not the document. */
  {
    g_autofree char *bytes = NULL;
    gsize len = 0;
    g_autoptr(GString) copy = NULL;

    g_assert_true (g_file_get_contents (scan, &bytes, &len, NULL));
    copy = g_string_new_len (bytes, len);
    g_string_append (copy, "\n% scanned again\n");
    g_assert_true (g_file_set_contents (scan, copy->str, copy->len, NULL));
  }

  ctl (&text, "drafter", "import", dir, NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_test_message ("%s", text.out);
  g_assert_nonnull (strstr (text.out, "warning: The first page could not be read: its content is damaged"));
  g_assert_nonnull (strstr (text.out, "1 imported file has warnings"));

  ctl (&json, "drafter", "--json", "import", other_dir, NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (obj (&json), "summary"),
                                               "with_warnings"), ==, 2);
  results = json_object_get_array_member (obj (&json), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *o = json_array_get_object_element (results, i);
      JsonArray *warnings = json_object_get_array_member (o, "warnings");
      JsonObject *w = json_array_get_object_element (warnings, 0);
      const char *path = json_object_get_string_member (o, "path");

      g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "imported");
      g_assert_nonnull (json_object_get_string_member (o, "warning"));
      g_assert_nonnull (json_object_get_string_member (w, "message"));
      if (g_str_has_suffix (path, "scan.pdf"))
        {
          g_assert_cmpstr (json_object_get_string_member (w, "code"), ==, "needs_ocr");
          scan_id = json_object_get_string_member (o, "id");
        }
      else
        {
          g_assert_cmpstr (json_object_get_string_member (w, "code"), ==, "page_unreadable");
          g_assert_cmpstr (json_object_get_string_member (w, "reason"), ==, "damaged");
          id = json_object_get_string_member (o, "id");
        }
    }
  g_assert_nonnull (id);
  g_assert_nonnull (scan_id);

  /* Kept with the item: a reviewer sees later that it was not read. */
  ctl (&show, "drafter", "show", id, NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_nonnull (strstr (show.out, "Note from the import: The first page could not be read"));
  ctl (&show_json, "drafter", "--json", "show", id, NULL);
  g_assert_true (json_object_get_boolean_member (obj (&show_json), "needs_attention"));
  g_assert_false (json_object_get_boolean_member (obj (&show_json), "needs_ocr"));
  detected = json_object_get_object_member (obj (&show_json), "detected");
  g_assert_true (json_object_get_null_member (detected, "title"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (detected, "warnings"), 0), "code"),
                   ==, "page_unreadable");
  ctl (&scan_json, "drafter", "--json", "show", scan_id, NULL);
  g_assert_true (json_object_get_boolean_member (obj (&scan_json), "needs_ocr"));
  g_assert_false (json_object_get_boolean_member (obj (&scan_json), "needs_attention"));
}

static void
test_list_show_search (void)
{
  g_auto(Run) list = { 0 };
  g_auto(Run) bad_state = { 0 };
  g_auto(Run) show = { 0 };
  g_auto(Run) missing = { 0 };
  g_auto(Run) search = { 0 };
  g_auto(Run) human = { 0 };
  g_autofree char *id = first_id ();
  JsonObject *o;

  ctl (&list, "drafter", "--json", "list", "--state", "draft", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (obj (&list), "total"), >, 30);

  ctl (&bad_state, "drafter", "list", "--state", "lost", NULL);
  g_assert_cmpint (bad_state.status, ==, 2);

  ctl (&show, "drafter", "--json", "show", id, NULL);
  g_assert_cmpint (show.status, ==, 0);
  o = obj (&show);
  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "draft");
  g_assert_cmpint (json_object_get_int_member (o, "revision"), ==, 1);
  g_assert_true (json_object_has_member (o, "findings"));
  g_assert_true (json_object_has_member (o, "detected"));
  g_assert_true (json_object_has_member (o, "pages"));
  g_assert_true (json_object_has_member (o, "index_no"));

  ctl (&missing, "drafter", "show", "ffffffff-0000-0000-0000-000000000000", NULL);
  g_assert_cmpint (missing.status, ==, 4);

  /* A 2-character Chinese query works (trigram needs 3). */
  ctl (&search, "drafter", "--json", "search", "应急", NULL);
  g_assert_cmpint (search.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (obj (&search), "total"), >, 0);

  /* People type 文号 with ASCII brackets; the library holds 〔〕. */
  {
    g_auto(Run) exact = { 0 };
    g_auto(Run) ascii = { 0 };

    ctl (&exact, "drafter", "--json", "search", "沪应急办〔2023〕20号", NULL);
    ctl (&ascii, "drafter", "--json", "search", "沪应急办[2023]20号", NULL);
    g_assert_cmpint (json_object_get_int_member (obj (&exact), "total"), >=, 1);
    g_assert_cmpint (json_object_get_int_member (obj (&ascii), "total"), ==,
                     json_object_get_int_member (obj (&exact), "total"));
  }

  ctl (&human, "drafter", "show", id, NULL);
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, id));
}

static void
test_edit_and_tag (void)
{
  g_autofree char *id = first_id ();
  g_auto(Run) ok = { 0 };
  g_auto(Run) bad_date = { 0 };
  g_auto(Run) bad_field = { 0 };
  g_auto(Run) bad_url = { 0 };
  g_auto(Run) no_tag = { 0 };
  g_auto(Run) catalog = { 0 };
  g_auto(Run) tagged = { 0 };
  g_auto(Run) stranger = { 0 };
  g_auto(Run) audit = { 0 };
  g_auto(Run) verify = { 0 };
  JsonArray *entries;
  gboolean saw_edit = FALSE, saw_import = FALSE;

  ctl (&ok, "drafter", "--json", "edit", id, "title=关于测试的通知", "category=normative_document",
       "validity.status=valid", "service_url=https://zwdt.sh.gov.cn/x", NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (obj (&ok), "title"), ==, "关于测试的通知");

  ctl (&bad_date, "drafter", "edit", id, "written_date=2023-02-30", NULL);
  g_assert_cmpint (bad_date.status, ==, 2);
  g_assert_nonnull (strstr (bad_date.err, "written_date"));
  ctl (&bad_field, "drafter", "edit", id, "colour=red", NULL);
  g_assert_cmpint (bad_field.status, ==, 2);
  ctl (&bad_url, "drafter", "edit", id, "service_url=javascript:alert(1)", NULL);
  g_assert_cmpint (bad_url.status, ==, 2);
  g_assert_nonnull (strstr (bad_url.err, "service_url"));

  ctl (&no_tag, "drafter", "tag", id, "+政务公开", NULL);
  g_assert_cmpint (no_tag.status, !=, 0);
  g_assert_nonnull (strstr (no_tag.err, "政务公开"));
  ctl (&catalog, "admin", "catalog", "add", "政务公开", NULL);
  g_assert_cmpint (catalog.status, ==, 0);
  ctl (&tagged, "drafter", "--json", "tag", id, "+政务公开", NULL);
  g_assert_cmpint (tagged.status, ==, 0);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (obj (&tagged), "tags"), 0),
                   ==, "政务公开");

  /* “-NAME” is an argument, not an option. */
  {
    g_auto(Run) untag = { 0 };

    ctl (&untag, "drafter", "--json", "tag", id, "-政务公开", NULL);
    g_assert_cmpint (untag.status, ==, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (&untag), "tags")), ==, 0);
  }

  /* interprets takes what every command takes: an id prefix. */
  {
    g_auto(Run) list = { 0 };
    g_auto(Run) link = { 0 };
    JsonArray *items;
    const char *other;
    g_autofree char *prefix = NULL;

    ctl (&list, "drafter", "--json", "list", "--sort", "doc_number", "--desc", NULL);
    items = json_object_get_array_member (obj (&list), "items");
    other = json_object_get_string_member (json_array_get_object_element (items, 0), "id");
    g_assert_cmpstr (other, !=, id);
    prefix = g_strndup (other, 8);
    g_autofree char *arg = g_strconcat ("interprets=", prefix, NULL);

    ctl (&link, "drafter", "--json", "edit", id, "category=interpretation", arg, NULL);
    g_assert_cmpint (link.status, ==, 0);
    g_assert_cmpstr (json_object_get_string_member (obj (&link), "interprets"), ==, other);
  }

  ctl (&stranger, "stranger", "edit", id, "title=x", NULL);
  g_assert_cmpint (stranger.status, ==, 3);

  ctl (&audit, "drafter", "--json", "audit", "log", id, NULL);
  g_assert_cmpint (audit.status, ==, 0);
  entries = json_object_get_array_member (obj (&audit), "entries");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      const char *action = json_object_get_string_member (json_array_get_object_element (entries, i), "action");
      saw_import |= g_strcmp0 (action, "import") == 0;
      saw_edit |= g_strcmp0 (action, "edit") == 0;
    }
  g_assert_true (saw_import);
  g_assert_true (saw_edit);

  ctl (&verify, "drafter", "audit", "verify", NULL);
  g_assert_cmpint (verify.status, ==, 0);
}

static void
test_usage_errors (void)
{
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) c = { 0 };

  ctl (&a, "drafter", "frobnicate", NULL);
  g_assert_cmpint (a.status, ==, 2);
  ctl (&b, "drafter", "edit", NULL);
  g_assert_cmpint (b.status, ==, 2);
  ctl (&c, "drafter", "import", "--no-such-option", NULL);
  g_assert_cmpint (c.status, ==, 2);
}

static char *
file_digest (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return g_strdup ("(unreadable)");
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* Another application's database. */
static void
write_sqlite (const char *path,
              const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Every command refuses a library.db that is not a library (exit 1,
 * naming the file and what is wrong), init included, and none of them
 * writes to it or beside it. */
/* An office filing its back catalogue imports documents that went public
 * long ago: with --published they keep that day and never show overdue
 * (issue 11, point 6); a later import without it has its deadline. */
static void
test_import_already_public (void)
{
  g_autofree char *lib = g_build_filename (tmp_dir, "back-catalogue", NULL);
  g_autofree char *old_dir = g_build_filename (tmp_dir, "catalogue-old", NULL);
  g_autofree char *new_dir = g_build_filename (tmp_dir, "catalogue-new", NULL);
  g_autoptr (GError) error = NULL;
  const GkFixtureDoc *docs;
  const GkFixtureDoc *chosen[2] = { NULL, NULL };
  g_auto (Run) init = { 0 };
  g_auto (Run) member = { 0 };
  g_auto (Run) bad = { 0 };
  g_auto (Run) old = { 0 };
  g_auto (Run) fresh = { 0 };
  g_auto (Run) due = { 0 };
  g_auto (Run) shown = { 0 };
  JsonArray  *results, *items;
  const char *old_id, *new_id;
  guint       n_docs = 0;

  docs = gk_fixture_corpus (&n_docs);
  /* Two documents that would have a deadline: proactive, with a date. */
  {
    guint n = 0;

    for (guint i = 0; i < n_docs && n < 2; i++)
      if (g_strcmp0 (docs[i].disclosure, "proactive") == 0 && docs[i].written_date != NULL &&
          docs[i].secrecy_mark == NULL && docs[i].title != NULL)
        chosen[n++] = &docs[i];
    g_assert_cmpuint (n, ==, 2);
  }
  g_assert_cmpint (g_mkdir_with_parents (old_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (new_dir, 0700), ==, 0);
  {
    g_autofree char *a = g_build_filename (old_dir, "old.pdf", NULL);
    g_autofree char *b = g_build_filename (new_dir, "new.pdf", NULL);

    g_assert_true (gk_fixture_write_pdf (chosen[0], a, &error));
    g_assert_true (gk_fixture_write_pdf (chosen[1], b, &error));
    g_assert_no_error (error);
  }

  ctl_at (&init, lib, "admin", "init", "--admin", "admin", NULL);
  g_assert_cmpint (init.status, ==, 0);
  ctl_at (&member, lib, "admin", "member", "add", "drafter", "--role", "drafter", NULL);
  g_assert_cmpint (member.status, ==, 0);

  ctl_at (&bad, lib, "drafter", "import", "--published", "2024-02-30", old_dir, NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "--published"));

  ctl_at (&old, lib, "drafter", "--json", "import", "--published", "2024-03-01", old_dir, NULL);
  g_assert_cmpint (old.status, ==, 0);
  results = json_object_get_array_member (obj (&old), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  old_id = json_object_get_string_member (json_array_get_object_element (results, 0), "id");

  ctl_at (&fresh, lib, "drafter", "--json", "import", new_dir, NULL);
  g_assert_cmpint (fresh.status, ==, 0);
  results = json_object_get_array_member (obj (&fresh), "results");
  new_id = json_object_get_string_member (json_array_get_object_element (results, 0), "id");

  ctl_at (&shown, lib, "drafter", "--json", "show", old_id, NULL);
  g_assert_cmpint (shown.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (obj (&shown), "publish_date"), ==, "2024-03-01");
  g_assert_true (json_object_get_null_member (obj (&shown), "due_date"));

  /* Both documents were written years ago: only the one still to be
   * published is overdue. */
  ctl_at (&due, lib, "drafter", "--json", "list", "--due-within", "100000", NULL);
  g_assert_cmpint (due.status, ==, 0);
  items = json_object_get_array_member (obj (&due), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "id"),
                   ==, new_id);
}

static void
test_not_a_library (void)
{
  const char *const kinds[] = { "empty", "garbage", "other-sqlite", "folder", "symlink", "truncated" };
  const char *const words[] = { "empty (0 bytes)", "not an SQLite database", "not a Gongkai Desk library",
                                "is a folder", "symbolic link", "damaged" };
  const char *const commands[][3] = {
    { "init", NULL, NULL }, { "list", NULL, NULL }, { "audit", "verify", NULL },
    { "--json", "audit", "verify" }, { "member", "add", "x" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *lib = g_build_filename (tmp_dir, kinds[k], NULL);
      g_autofree char *db = g_build_filename (lib, "library.db", NULL);
      g_autofree char *files = g_build_filename (lib, "files", NULL);
      g_autofree char *before = NULL;

      g_assert_cmpint (g_mkdir_with_parents (lib, 0700), ==, 0);
      if (strcmp (kinds[k], "empty") == 0)
        g_assert_true (g_file_set_contents (db, "", 0, NULL));
      else if (strcmp (kinds[k], "garbage") == 0)
        g_assert_true (g_file_set_contents (db, "\x13\x37 some bytes that are no database at all", -1, NULL));
      else if (strcmp (kinds[k], "other-sqlite") == 0)
        write_sqlite (db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);"
                          "INSERT INTO notes (text) VALUES ('keep me');");
      else if (strcmp (kinds[k], "folder") == 0)
        g_assert_cmpint (g_mkdir (db, 0700), ==, 0);
      else if (strcmp (kinds[k], "symlink") == 0)
        {
          g_autofree char *real = g_build_filename (library, "library.db", NULL);

          g_assert_cmpint (symlink (real, db), ==, 0);
        }
      else
        {
          g_auto(Run) init = { 0 };
          g_autofree char *contents = NULL;
          gsize length = 0;

          ctl_at (&init, lib, "admin", "init", NULL);
          g_assert_cmpint (init.status, ==, 0);
          g_assert_true (g_file_get_contents (db, &contents, &length, NULL));
          g_assert_true (g_file_set_contents (db, contents, (gssize) length / 2, NULL));
          /* Without its files/, so that only the database is at stake. */
          {
            g_autofree char *lock = g_build_filename (files, ".lock", NULL);

            g_unlink (lock);
            g_assert_cmpint (g_rmdir (files), ==, 0);
          }
        }
      before = file_digest (db);

      for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
        {
          g_auto(Run) r = { 0 };
          g_autofree char *after = NULL;

          ctl_at (&r, lib, "admin", commands[c][0], commands[c][1], commands[c][2], NULL);
          if (r.status != 1 || strstr (r.err, db) == NULL || strstr (r.err, words[k]) == NULL)
            g_error ("%s, %s: exit %d: %s", kinds[k], commands[c][0], r.status, r.err);
          g_assert_null (strstr (r.out, "already exists"));
          g_assert_null (strstr (r.out, "intact"));
          after = file_digest (db);
          g_assert_cmpstr (after, ==, before);
          g_assert_false (g_file_test (files, G_FILE_TEST_EXISTS));
        }
    }
}

/* A folder with a library's files but no library.db: init refuses to
 * make a library over them (exit 3) and so does every other command. */
static void
test_files_without_database (void)
{
  g_autofree char *lib = g_build_filename (tmp_dir, "lost its database", NULL);
  g_autofree char *stored = g_build_filename (lib, "files", "ab", "abcdef0123", NULL);
  g_autofree char *db = g_build_filename (lib, "library.db", NULL);
  g_autofree char *parent = g_path_get_dirname (stored);
  g_auto(Run) init = { 0 };
  g_auto(Run) list = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_true (g_file_set_contents (stored, "%PDF-1.4 a stored document", -1, NULL));

  ctl_at (&init, lib, "admin", "init", NULL);
  g_assert_cmpint (init.status, ==, 3);
  g_assert_nonnull (strstr (init.err, lib));
  g_assert_nonnull (strstr (init.err, "no library database"));
  g_assert_null (strstr (init.out, "Created"));
  ctl_at (&list, lib, "admin", "list", NULL);
  g_assert_cmpint (list.status, ==, 3);
  g_assert_nonnull (strstr (list.err, "no library database"));
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (stored, G_FILE_TEST_IS_REGULAR));
}

/* A command other than init on a folder without a library says so
 * (exit 4) and makes nothing; init there makes one, and again changes
 * nothing (exit 0). */
static void
test_no_library_here (void)
{
  g_autofree char *lib = g_build_filename (tmp_dir, "not yet", NULL);
  const char *const commands[][2] = { { "list", NULL }, { "audit", "verify" }, { "import", "x.pdf" } };
  g_auto(Run) first = { 0 };
  g_auto(Run) again = { 0 };

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      g_auto(Run) r = { 0 };

      ctl_at (&r, lib, "admin", commands[c][0], commands[c][1], NULL);
      g_assert_cmpint (r.status, ==, 4);
      g_assert_nonnull (strstr (r.err, "no library at"));
      g_assert_false (g_file_test (lib, G_FILE_TEST_EXISTS));
    }
  ctl_at (&first, lib, "admin", "init", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_nonnull (strstr (first.out, "Created the library"));
  ctl_at (&again, lib, "admin", "init", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "already exists; nothing changed"));
}

/* audit verify reports what its opening removed: a partial copy and a
 * file no item refers to, left by a killed import. */
static void
test_audit_verify_reports_cleaning (void)
{
  g_autofree char *sub = g_build_filename (library, "files", "fe", NULL);
  g_autofree char *partial = g_build_filename (sub, ".incoming-Q1w2E3", NULL);
  g_autofree char *orphan_sha = NULL;
  g_autofree char *orphan = NULL;
  g_autofree char *orphan_relative = NULL;
  g_auto(Run) json = { 0 };
  g_auto(Run) text = { 0 };
  g_auto(Run) quiet = { 0 };
  JsonObject *cleaned;
  JsonArray *removed;
  guint n_found = 0;

  /* A hash that starts with "fe": its bytes do not matter to the check. */
  orphan_sha = g_strnfill (64, 'e');
  orphan_sha[0] = 'f';
  orphan = g_build_filename (sub, orphan_sha, NULL);
  orphan_relative = g_build_filename ("files", "fe", orphan_sha, NULL);
  g_assert_cmpint (g_mkdir_with_parents (sub, 0750), ==, 0);
  g_assert_true (g_file_set_contents (partial, "%PDF-1.4 half", -1, NULL));
  g_assert_true (g_file_set_contents (orphan, "%PDF-1.4 whole, but no item", -1, NULL));

  ctl (&json, "drafter", "--json", "audit", "verify", NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_true (json_object_get_boolean_member (obj (&json), "ok"));
  cleaned = json_object_get_object_member (obj (&json), "cleaned");
  g_assert_cmpint (json_object_get_int_member (cleaned, "partial_copies"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (cleaned, "unreferenced_files"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (cleaned, "bytes"), ==,
                   strlen ("%PDF-1.4 half") + strlen ("%PDF-1.4 whole, but no item"));
  g_assert_false (json_object_get_boolean_member (cleaned, "skipped"));
  removed = json_object_get_array_member (cleaned, "removed");
  g_assert_cmpuint (json_array_get_length (removed), ==, 2);
  for (guint i = 0; i < 2; i++)
    if (g_strcmp0 (json_array_get_string_element (removed, i), orphan_relative) == 0)
      n_found++;
  g_assert_cmpuint (n_found, ==, 1);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (orphan, G_FILE_TEST_EXISTS));

  /* In words, too. */
  g_assert_true (g_file_set_contents (partial, "%PDF-1.4 half", -1, NULL));
  ctl (&text, "drafter", "audit", "verify", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "Removed 1 partial copy left by an interrupted import."));
  g_assert_nonnull (strstr (text.out, "removed files/fe/.incoming-Q1w2E3"));
  g_assert_nonnull (strstr (text.out, "The audit trail is intact"));

  /* Nothing left: nothing said. */
  ctl (&quiet, "drafter", "audit", "verify", NULL);
  g_assert_cmpint (quiet.status, ==, 0);
  g_assert_null (strstr (quiet.out, "Removed"));
}

/* ---- text that is not UTF-8 ---- */

/* Each a different way of not being UTF-8 (see test-input.c). */
static const char *const bad_bytes[] = { "\xff\xfe", "\xed\xa0\x80", "\x80", "\xc0\xaf", "\xe4\xb8", NULL };

/* The audit verifies and show --json is one JSON document (ctl() fails
 * the test on output that is not UTF-8 or not JSON). */
static void
assert_intact (const char *id)
{
  g_auto(Run) verify = { 0 };
  g_auto(Run) show = { 0 };

  ctl (&verify, "admin", "audit", "verify", NULL);
  g_assert_cmpint (verify.status, ==, 0);
  ctl (&show, "admin", "--json", "show", id, NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (obj (&show), "id"), ==, id);
}

static void
assert_refused (Run        *r,
                const char *named)
{
  g_assert_cmpint (r->status, ==, 2);
  if (strstr (r->err, named) == NULL)
    g_error ("“%s” does not name %s", r->err, named);
}

static void
test_invalid_utf8 (void)
{
  g_autofree char *id = first_id ();
  g_auto(Run) before = { 0 };
  g_autofree char *title = NULL;

  ctl (&before, "admin", "--json", "show", id, NULL);
  title = g_strdup (json_object_get_string_member (obj (&before), "title"));

  /* Every field of the record, with every kind of bad bytes. */
  for (const char *const *field = gk_item_field_names (); *field != NULL; field++)
    for (guint i = 0; bad_bytes[i] != NULL; i++)
      {
        g_auto(Run) edit = { 0 };
        g_autofree char *arg = g_strdup_printf ("%s=关于%s通知", *field, bad_bytes[i]);
        g_autofree char *named = g_strdup_printf ("(field %s)", *field);

        ctl (&edit, "drafter", "edit", id, arg, NULL);
        assert_refused (&edit, named);
        assert_intact (id);
      }
  {
    g_auto(Run) after = { 0 };

    ctl (&after, "admin", "--json", "show", id, NULL);
    g_assert_cmpstr (json_object_get_string_member (obj (&after), "title"), ==, title);
  }

  for (guint i = 0; bad_bytes[i] != NULL; i++)
    {
      g_autofree char *bad = g_strdup_printf ("关于%s通知", bad_bytes[i]);
      g_autofree char *add_tag = g_strconcat ("+", bad, NULL);
      g_autofree char *dismissal = g_strconcat ("1=", bad, NULL);
      g_autofree char *comment = g_strconcat ("--comment=", bad, NULL);
      g_autofree char *user = g_strconcat ("zhang", bad_bytes[i], NULL);
      g_auto(Run) tag = { 0 };
      g_auto(Run) review = { 0 };
      g_auto(Run) review_eq = { 0 };
      g_auto(Run) dismiss = { 0 };
      g_auto(Run) withdraw = { 0 };
      g_auto(Run) member = { 0 };
      g_auto(Run) as = { 0 };
      g_auto(Run) catalog = { 0 };
      g_auto(Run) rename = { 0 };
      g_auto(Run) config = { 0 };
      g_auto(Run) key = { 0 };
      g_auto(Run) search = { 0 };

      ctl (&tag, "drafter", "tag", id, add_tag, NULL);
      assert_refused (&tag, "(field tags)");
      ctl (&review, "admin", "review", id, "return", "--comment", bad, NULL);
      assert_refused (&review, "--comment");
      ctl (&review_eq, "admin", "review", id, "return", comment, NULL);
      assert_refused (&review_eq, "--comment");
      ctl (&dismiss, "admin", "review", id, "dismiss", "--dismiss", dismissal, NULL);
      assert_refused (&dismiss, "--dismiss");
      ctl (&withdraw, "admin", "withdraw", id, "--reason", bad, NULL);
      assert_refused (&withdraw, "--reason");
      ctl (&member, "admin", "member", "add", user, "--role", "drafter", NULL);
      assert_refused (&member, "user name");
      ctl (&as, user, "list", NULL);
      assert_refused (&as, "--as");
      ctl (&catalog, "admin", "catalog", "add", bad, NULL);
      assert_refused (&catalog, "tag name");
      ctl (&rename, "admin", "catalog", "rename", "政务公开", bad, NULL);
      assert_refused (&rename, "tag name");
      ctl (&config, "admin", "config", "agency_name", bad, NULL);
      assert_refused (&config, "agency_name");
      ctl (&key, "admin", "config", bad, "x", NULL);
      g_assert_cmpint (key.status, ==, 2);
      ctl (&search, "drafter", "search", bad, NULL);
      assert_refused (&search, "search text");
      assert_intact (id);
    }

  /* A file whose name is not UTF-8 is imported and shown readably. */
  {
    g_autofree char *dir = g_build_filename (tmp_dir, "names", NULL);
    g_autofree char *name = g_build_filename (dir, "报告\xff\xfe.pdf", NULL);
    g_autoptr(GError) error = NULL;
    g_auto(Run) json = { 0 };
    g_auto(Run) human = { 0 };
    JsonObject *result;

    g_mkdir_with_parents (dir, 0700);
    g_assert_true (gk_fixture_write_long_pdf (name, 3, &error));
    g_assert_no_error (error);
    ctl (&json, "drafter", "--json", "import", name, NULL);
    g_assert_cmpint (json.status, ==, 0);
    result = json_array_get_object_element (json_object_get_array_member (obj (&json), "results"), 0);
    g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "imported");
    g_assert_true (g_str_has_suffix (json_object_get_string_member (result, "path"),
                                     "报告\xef\xbf\xbd\xef\xbf\xbd.pdf"));
    assert_intact (json_object_get_string_member (result, "id"));

    ctl (&human, "drafter", "import", name, NULL);
    g_assert_cmpint (human.status, ==, 0);
    g_assert_nonnull (strstr (human.out, "报告\\xff\\xfe.pdf"));
  }
}

/* ---- settings are checked when they are set ---- */

static void
test_settings (void)
{
  g_auto(Run) newline = { 0 };
  g_auto(Run) check = { 0 };
  g_auto(Run) plain = { 0 };
  g_auto(Run) allowed = { 0 };
  g_auto(Run) shown = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) stages = { 0 };
  g_auto(Run) code = { 0 };
  g_auto(Run) template = { 0 };
  g_auto(Run) words = { 0 };
  g_auto(Run) ca = { 0 };
  g_auto(Run) all = { 0 };

  ctl (&newline, "admin", "config", "org_code", "a\nb", NULL);
  assert_refused (&newline, "org_code");
  ctl (&check, "admin", "config", "org_code", "123456789", NULL);
  assert_refused (&check, "org_code");
  ctl (&code, "admin", "config", "org_code", "11500107709320298K", NULL);
  g_assert_cmpint (code.status, ==, 0);
  ctl (&template, "admin", "config", "index_template", "{org_code}\t{seq}", NULL);
  assert_refused (&template, "index_template");

  /* The rule the sync applies: http:// only to this computer… */
  ctl (&plain, "admin", "config", "portal_url", "http://10.0.0.1/api/v1", NULL);
  assert_refused (&plain, "portal_url");
  /* …unless allowed, as sync --allow-insecure allows it. */
  ctl (&allowed, "admin", "config", "--allow-insecure", "portal_url", "http://10.0.0.1/api/v1", NULL);
  g_assert_cmpint (allowed.status, ==, 0);
  ctl (&shown, "admin", "config", "portal_url", NULL);
  g_assert_cmpstr (shown.out, ==, "http://10.0.0.1/api/v1\n");

  ctl (&unknown, "admin", "config", "colour", "red", NULL);
  assert_refused (&unknown, "colour");
  ctl (&stages, "admin", "config", "review_stages", "3", NULL);
  assert_refused (&stages, "review_stages");
  ctl (&words, "admin", "config", "sensitive_words", "内部\x01资料", NULL);
  assert_refused (&words, "sensitive_words");
  ctl (&ca, "admin", "config", "portal_ca_file", "relative.pem", NULL);
  assert_refused (&ca, "portal_ca_file");

  ctl (&all, "admin", "--json", "config", NULL);
  g_assert_cmpint (all.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (obj (&all), "org_code"), ==, "11500107709320298K");
  g_assert_cmpstr (json_object_get_string_member (obj (&all), "review_stages"), ==, "2");
  g_assert_true (json_object_get_null_member (obj (&all), "agency_name"));

  /* init checks its values before it makes a library. */
  {
    g_autofree char *saved = library;
    g_autofree char *fresh = g_build_filename (tmp_dir, "fresh library", NULL);
    g_auto(Run) init = { 0 };

    library = fresh;
    ctl (&init, "admin", "init", "--org-code", "12345", NULL);
    library = g_steal_pointer (&saved);
    assert_refused (&init, "org_code");
    g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
  }
}

/* ---- calendar: the library's holiday years ---- */

static gboolean
json_int_array_has (JsonArray *array, gint64 wanted)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (json_array_get_int_element (array, i) == wanted)
      return TRUE;
  return FALSE;
}

static void
test_calendar (void)
{
  g_autofree char *id = first_id ();
  g_autofree char *good = g_build_filename (tmp_dir, "2027.ini", NULL);
  g_autofree char *bad = g_build_filename (tmp_dir, "bad.ini", NULL);
  g_autofree char *missing = g_build_filename (tmp_dir, "missing.ini", NULL);
  g_auto (Run) edit = { 0 };
  g_auto (Run) before = { 0 };
  g_auto (Run) text = { 0 };
  g_auto (Run) refused = { 0 };
  g_auto (Run) broken = { 0 };
  g_auto (Run) absent = { 0 };
  g_auto (Run) imported = { 0 };
  g_auto (Run) after = { 0 };
  g_auto (Run) shown = { 0 };
  g_auto (Run) no_year = { 0 };
  g_auto (Run) not_year = { 0 };
  g_auto (Run) removed = { 0 };
  JsonArray *years;

  g_assert_true (
      g_file_set_contents (good,
                           "[2027]\nsource=国办发明电〔2026〕1号\n"
                           "holidays=2027-10-01..2027-10-07\nworkdays=2027-09-26;2027-10-09\n",
                           -1, NULL));
  g_assert_true (g_file_set_contents (bad, "[2027]\nworkdays=2027-10-04\n", -1, NULL));

  ctl (&edit, "drafter", "edit", id, "written_date=2027-09-20", NULL);
  g_assert_cmpint (edit.status, ==, 0);

  /* The shipped years, and the deadline counted in a year without them. */
  ctl (&before, "drafter", "--json", "calendar", "list", NULL);
  g_assert_cmpint (before.status, ==, 0);
  years = json_object_get_array_member (obj (&before), "years");
  g_assert_cmpuint (json_array_get_length (years), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (years, 1), "year"),
                   ==, 2025);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (years, 1), "source"), ==,
      "国办发明电〔2024〕12号");
  g_assert_true (json_int_array_has (
      json_object_get_array_member (obj (&before), "unknown_years_with_deadlines"), 2027));
  ctl (&text, "drafter", "calendar", "list", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "2025  28 holidays, 5 working days  国办发明电〔2024〕12号"));
  g_assert_nonnull (strstr (text.err, "Deadlines in 2027 count weekends only"));

  ctl (&refused, "drafter", "calendar", "import", good, NULL);
  g_assert_cmpint (refused.status, ==, 3);
  ctl (&broken, "admin", "calendar", "import", bad, NULL);
  g_assert_cmpint (broken.status, ==, 2);
  g_assert_nonnull (strstr (broken.err, "2027-10-04 is not a Saturday or a Sunday"));
  ctl (&absent, "admin", "calendar", "import", missing, NULL);
  g_assert_cmpint (absent.status, ==, 4);

  ctl (&imported, "admin", "calendar", "import", good, NULL);
  g_assert_cmpint (imported.status, ==, 0);
  ctl (&after, "drafter", "--json", "calendar", "list", NULL);
  years = json_object_get_array_member (obj (&after), "years");
  g_assert_cmpuint (json_array_get_length (years), ==, 4);
  g_assert_cmpint (
      json_object_get_int_member (json_array_get_object_element (years, 3), "holidays_count"), ==,
      7);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (years, 3), "updated_by"), ==,
      "admin");
  g_assert_false (json_int_array_has (
      json_object_get_array_member (obj (&after), "unknown_years_with_deadlines"), 2027));
  ctl (&shown, "drafter", "--json", "show", id, NULL);
  g_assert_cmpstr (json_object_get_string_member (obj (&shown), "due_date"), ==, "2027-10-21");

  ctl (&no_year, "admin", "calendar", "remove", "2030", NULL);
  g_assert_cmpint (no_year.status, ==, 4);
  ctl (&not_year, "admin", "calendar", "remove", "20x7", NULL);
  g_assert_cmpint (not_year.status, ==, 2);
  ctl (&removed, "admin", "calendar", "remove", "2027", NULL);
  g_assert_cmpint (removed.status, ==, 0);
}

/* ---- “--” ends the options, everywhere ---- */

static void
test_end_of_options (void)
{
  g_autofree char *id = first_id ();
  g_autofree char *dash_dir = g_build_filename (tmp_dir, "dash", NULL);
  g_autofree char *dash_file = g_build_filename (dash_dir, "-file.pdf", NULL);
  g_autoptr(GError) error = NULL;

  /* search: text that starts with “-”. */
  {
    g_auto(Run) dashes = { 0 };
    g_auto(Run) bare = { 0 };
    g_auto(Run) top = { 0 };
    g_auto(Run) option_like = { 0 };
    g_auto(Run) help = { 0 };

    ctl (&dashes, "drafter", "--json", "search", "--", "- -", NULL);
    g_assert_cmpint (dashes.status, ==, 0);
    ctl (&bare, "drafter", "--json", "search", "- -", NULL);
    g_assert_cmpint (bare.status, ==, 0);
    g_assert_cmpint (json_object_get_int_member (obj (&bare), "total"), ==,
                     json_object_get_int_member (obj (&dashes), "total"));
    ctl (&top, "drafter", "--json", "--", "search", "-应急", NULL);
    g_assert_cmpint (top.status, ==, 0);
    ctl (&option_like, "drafter", "--json", "search", "--", "--limit", NULL);
    g_assert_cmpint (option_like.status, ==, 0);
    g_assert_cmpint (json_object_get_int_member (obj (&option_like), "total"), ==, 0);
    /* After “--”, even --help is text to search for. */
    ctl (&help, "drafter", "search", "--", "--help", NULL);
    g_assert_cmpint (help.status, ==, 0);
    g_assert_null (strstr (help.out, "Usage"));
  }

  /* edit: a value that starts with “-”. */
  {
    g_auto(Run) edit = { 0 };
    g_auto(Run) json_after = { 0 };

    ctl (&edit, "drafter", "--json", "edit", id, "--", "title=-x 关于", "summary=--json", NULL);
    g_assert_cmpint (edit.status, ==, 0);
    g_assert_cmpstr (json_object_get_string_member (obj (&edit), "title"), ==, "-x 关于");
    g_assert_cmpstr (json_object_get_string_member (obj (&edit), "summary"), ==, "--json");
    /* The global --json before “--” still counts; after it, it is text. */
    ctl (&json_after, "drafter", "edit", id, "--", "--json", NULL);
    assert_refused (&json_after, "--json");
  }

  /* tag: “-NAME” removes a tag, with or without “--”. */
  {
    g_auto(Run) catalog = { 0 };
    g_auto(Run) add = { 0 };
    g_auto(Run) remove = { 0 };
    g_auto(Run) again = { 0 };
    g_auto(Run) gone = { 0 };
    g_auto(Run) bare = { 0 };

    ctl (&catalog, "admin", "catalog", "add", "--", "-减负", NULL);
    g_assert_cmpint (catalog.status, ==, 0);
    ctl (&add, "drafter", "--json", "tag", id, "--", "+政务公开", "+-减负", NULL);
    g_assert_cmpint (add.status, ==, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (&add), "tags")), ==, 2);
    ctl (&remove, "drafter", "--json", "tag", id, "--", "--减负", NULL);
    g_assert_cmpint (remove.status, ==, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (&remove), "tags")), ==, 1);
    ctl (&bare, "drafter", "--json", "tag", id, "-政务公开", NULL);
    g_assert_cmpint (bare.status, ==, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (&bare), "tags")), ==, 0);
    ctl (&again, "drafter", "--json", "tag", id, "--", "+政务公开", NULL);
    g_assert_cmpint (again.status, ==, 0);
    ctl (&gone, "drafter", "--json", "tag", id, "--", "-政务公开", NULL);
    g_assert_cmpint (gone.status, ==, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (&gone), "tags")), ==, 0);
  }

  /* import: a file whose name starts with “-”. */
  {
    g_auto(Run) refused = { 0 };
    g_auto(Run) import = { 0 };
    JsonObject *result;

    g_mkdir_with_parents (dash_dir, 0700);
    g_assert_true (gk_fixture_write_long_pdf (dash_file, 2, &error));
    g_assert_no_error (error);
    run_in = dash_dir;
    ctl (&refused, "drafter", "import", "-file.pdf", NULL);
    ctl (&import, "drafter", "--json", "import", "--", "-file.pdf", NULL);
    run_in = NULL;
    g_assert_cmpint (refused.status, ==, 2);
    g_assert_cmpint (import.status, ==, 0);
    result = json_array_get_object_element (json_object_get_array_member (obj (&import), "results"), 0);
    g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "imported");
  }

  /* audit, show, review: operands after “--” too. */
  {
    g_auto(Run) log = { 0 };
    g_auto(Run) show = { 0 };
    g_auto(Run) review = { 0 };

    ctl (&log, "drafter", "--json", "audit", "log", "--", id, NULL);
    g_assert_cmpint (log.status, ==, 0);
    ctl (&show, "drafter", "--json", "show", "--", id, NULL);
    g_assert_cmpint (show.status, ==, 0);
    ctl (&review, "admin", "review", id, "return", "--comment", "x", "--", "--extra", NULL);
    assert_refused (&review, "approve");
  }

  /* And the help says so. */
  {
    g_auto(Run) top = { 0 };
    g_auto(Run) command = { 0 };

    ctl (&top, "drafter", "--help", NULL);
    g_assert_cmpint (top.status, ==, 0);
    g_assert_nonnull (strstr (top.out, "  --  "));
    g_assert_nonnull (strstr (top.out, "end of the options"));
    ctl (&command, "drafter", "tag", "--help", NULL);
    g_assert_cmpint (command.status, ==, 0);
    g_assert_nonnull (strstr (command.out, "“--” ends the options"));
  }
  assert_intact (id);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("gk-cli-XXXXXX", NULL);
  library = g_build_filename (tmp_dir, "my library", NULL);
  inbox = g_build_filename (tmp_dir, "公文 (2023)", NULL);

  /* In order: each step builds on the library the previous one left. */
  g_test_add_func ("/cli/init-and-members", test_init_and_members);
  g_test_add_func ("/cli/import", test_import);
  g_test_add_func ("/cli/import-damaged", test_import_damaged);
  g_test_add_func ("/cli/list-show-search", test_list_show_search);
  g_test_add_func ("/cli/edit-and-tag", test_edit_and_tag);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/import-already-public", test_import_already_public);
  g_test_add_func ("/cli/not-a-library", test_not_a_library);
  g_test_add_func ("/cli/files-without-database", test_files_without_database);
  g_test_add_func ("/cli/no-library-here", test_no_library_here);
  g_test_add_func ("/cli/audit-verify-reports-cleaning", test_audit_verify_reports_cleaning);
  g_test_add_func ("/cli/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/cli/settings", test_settings);
  g_test_add_func ("/cli/end-of-options", test_end_of_options);
  g_test_add_func ("/cli/calendar", test_calendar);
  status = g_test_run ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", tmp_dir);
  }
  return status;
}
