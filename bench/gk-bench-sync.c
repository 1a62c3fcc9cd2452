/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark helper for bench/run-sync.sh (not part of the test run).
 *
 *   gk-bench-sync prepare DIR N
 *       a library in DIR with N small approved items (a few hundred bytes
 *       of PDF each), ready to sync
 *   gk-bench-sync curl-config DIR BASE_URL TOKEN_FILE OUT_DIR
 *       the requests the sync sends for that library (HEAD and PUT of
 *       each file, PUT of each document with If-None-Match: *, the same
 *       bodies byte for byte), as three curl config files:
 *       OUT_DIR/heads.cfg, OUT_DIR/files.cfg, OUT_DIR/documents.cfg
 *   gk-bench-sync verify DIR
 *       exit 0 when every item is published and the outbox is empty */
#define G_LOG_DOMAIN "GongkaiBench"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gk-store-sync.h"
#include "gk-store.h"
#include "gk-sync.h"
#include "gk-token.h"
#include "gk-util.h"
#include "gk-workflow.h"

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("gk-bench-sync: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

static int
prepare (const char *dir,
         guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkStore) store = gk_store_open (dir, TRUE, &error);
  g_autofree char *tmp = NULL;
  gint64 start = g_get_monotonic_time ();

  if (store == NULL)
    die ("open", error);
  if (!gk_store_set_member (store, "bench", "admin", GK_ROLE_ADMIN, &error) ||
      !gk_store_set_member (store, "admin", "drafter", GK_ROLE_DRAFTER, &error) ||
      !gk_store_set_member (store, "admin", "reviewer1", GK_ROLE_REVIEWER, &error) ||
      !gk_store_set_member (store, "admin", "reviewer2", GK_ROLE_REVIEWER, &error) ||
      !gk_store_set_member (store, "admin", "publisher", GK_ROLE_PUBLISHER, &error))
    die ("members", error);
  tmp = g_build_filename (dir, "bench-source.pdf", NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GkItem) item = gk_item_new ();
      g_autofree char *contents = NULL;
      g_autofree char *sha = NULL;
      const char *pages[] = { "政务公开基准测试文件" };
      goffset size = 0;

      contents = g_strdup_printf ("%%PDF-1.4\n%% gongkai sync benchmark document %06u\n"
                                  "1 0 obj << /Type /Catalog >> endobj\n%%%%EOF\n", i);
      if (!g_file_set_contents (tmp, contents, -1, &error) ||
          (sha = gk_sha256_file (tmp, NULL, &size, &error)) == NULL ||
          !gk_store_add_file (store, tmp, sha, NULL, &error))
        die ("file", error);

      item->title = g_strdup_printf ("关于政务公开基准测试的通知（第%u号）", i + 1);
      item->issuer = g_strdup ("上海市应急管理局");
      item->doc_number = g_strdup_printf ("沪应急办〔2025〕%u号", i + 1);
      item->written_date = g_strdup ("2025-03-03");
      item->disclosure = g_strdup ("proactive");
      item->category = g_strdup ("policy_document");
      item->file_sha256 = g_strdup (sha);
      item->file_name = g_strdup_printf ("bench-%06u.pdf", i);
      g_free (item->file_media_type);
      item->file_media_type = g_strdup ("application/pdf");
      item->file_bytes = size;
      if (!gk_store_insert_item (store, "drafter", item, pages, 1, NULL, &error) ||
          !gk_workflow_submit (store, "drafter", item->id, &error) ||
          !gk_workflow_approve (store, "reviewer1", item->id, NULL, &error) ||
          !gk_workflow_approve (store, "reviewer2", item->id, NULL, &error))
        die ("item", error);
    }
  g_unlink (tmp);
  g_print ("prepared %u approved items in %.1f s\n", n, (g_get_monotonic_time () - start) / 1e6);
  return 0;
}

static void write_config_line (GString *out, const char *key, const char *value);

/* Per-transfer options repeat in every group of a curl config. */
static void
write_common (GString    *out,
              const char *auth)
{
  write_config_line (out, "header", auth);
  write_config_line (out, "header", "Expect:");
  write_config_line (out, "output", "/dev/null");
  write_config_line (out, "write-out", "%{http_code}\\n");
  g_string_append (out, "silent\nshow-error\n");
}

static void
write_config_line (GString    *out,
                   const char *key,
                   const char *value)
{
  g_string_append_printf (out, "%s = \"", key);
  for (const char *p = value; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append (out, "\"\n");
}

static int
curl_config (const char *dir,
             const char *base_url,
             const char *token_file,
             const char *out_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkStore) store = gk_store_open (dir, FALSE, &error);
  g_autoptr(GString) heads = g_string_new (NULL);
  g_autoptr(GString) files = g_string_new (NULL);
  g_autoptr(GString) documents = g_string_new (NULL);
  g_autofree char *today = gk_date_today ();
  g_autofree char *auth = NULL;
  g_autofree char *bodies = g_build_filename (out_dir, "bodies", NULL);
  g_auto(GStrv) ids = NULL;
  char *token;

  if (store == NULL)
    die ("open", error);
  if ((token = gk_token_read_file (token_file, NULL, &error)) == NULL)
    die ("token", error);
  auth = g_strconcat ("Authorization: Bearer ", token, NULL);
  gk_token_free (token);
  g_mkdir_with_parents (bodies, 0700);

  if ((ids = gk_store_sync_approved_ids (store, &error)) == NULL)
    die ("items", error);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *sha = NULL;
      g_autofree char *record = gk_workflow_get_approved_record (store, ids[i], NULL, &sha, &error);
      g_autofree char *body = NULL;
      g_autofree char *body_path = NULL;
      g_autofree char *file_path = NULL;
      g_autofree char *file_url = NULL;
      g_autofree char *document_url = NULL;

      if (record == NULL || (body = gk_sync_build_body (record, today, &error)) == NULL)
        die ("record", error);
      body_path = g_strdup_printf ("%s/%s.json", bodies, ids[i]);
      if (!g_file_set_contents (body_path, body, -1, &error))
        die ("body", error);
      file_path = gk_store_get_file_path (store, sha);
      file_url = g_strdup_printf ("%s/files/%s", base_url, sha);
      document_url = g_strdup_printf ("%s/documents/%s", base_url, ids[i]);

      if (i > 0)
        {
          g_string_append (heads, "next\n");
          g_string_append (files, "next\n");
          g_string_append (documents, "next\n");
        }
      write_config_line (heads, "url", file_url);
      g_string_append (heads, "head\n");
      write_common (heads, auth);

      write_config_line (files, "url", file_url);
      write_config_line (files, "upload-file", file_path);
      write_common (files, auth);
      write_config_line (files, "header", "Content-Type: application/pdf");

      write_config_line (documents, "url", document_url);
      write_config_line (documents, "upload-file", body_path);
      write_common (documents, auth);
      write_config_line (documents, "header", "Content-Type: application/json");
      write_config_line (documents, "header", "If-None-Match: *");
    }

  {
    g_autofree char *a = g_build_filename (out_dir, "heads.cfg", NULL);
    g_autofree char *b = g_build_filename (out_dir, "files.cfg", NULL);
    g_autofree char *c = g_build_filename (out_dir, "documents.cfg", NULL);

    if (!g_file_set_contents_full (a, heads->str, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error) ||
        !g_file_set_contents_full (b, files->str, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error) ||
        !g_file_set_contents_full (c, documents->str, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error))
      die ("config", error);
  }
  g_print ("%u items\n", g_strv_length (ids));
  return 0;
}

static int
verify (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkStore) store = gk_store_open (dir, FALSE, &error);
  GkQuery query = { .state = GK_QUERY_PUBLISHED };
  guint published;
  gint64 jobs;

  if (store == NULL)
    die ("open", error);
  published = gk_store_count (store, &query, &error);
  jobs = gk_store_sync_count_active_jobs (store, &error);
  g_print ("%u published, %" G_GINT64_FORMAT " jobs in the outbox\n", published, jobs);
  query.state = GK_QUERY_APPROVED;
  return jobs == 0 && gk_store_count (store, &query, NULL) == 0 ? 0 : 1;
}

int
main (int    argc,
      char **argv)
{
  if (argc == 4 && strcmp (argv[1], "prepare") == 0)
    return prepare (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
  if (argc == 6 && strcmp (argv[1], "curl-config") == 0)
    return curl_config (argv[2], argv[3], argv[4], argv[5]);
  if (argc == 3 && strcmp (argv[1], "verify") == 0)
    return verify (argv[2]);
  g_printerr ("usage: gk-bench-sync prepare DIR N | curl-config DIR BASE_URL TOKEN_FILE OUT_DIR | verify DIR\n");
  return 2;
}
