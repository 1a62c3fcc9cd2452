/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Crash safety of the sync: gongkai-ctl sync runs as a subprocess against
 * a slow portal (the fault proxy delays every document write), is killed
 * with SIGKILL in the middle of the batch, and is run again.  Every item
 * ends published exactly once, the portal holds exactly the approved
 * records, and the outbox is empty. */
#define G_LOG_DOMAIN "GongkaiTestSyncKill"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "gk-fault-proxy.h"
#include "gk-portal-client.h"
#include "gk-store-sync.h"
#include "gk-store.h"
#include "gk-sync.h"
#include "gk-util.h"
#include "gk-workflow.h"

#define TOKEN "kill-test-token-3c9b8e21f0"
#define TODAY "2025-06-02"
#define N_ITEMS 12
#define CONCURRENCY 3

typedef struct
{
  char         *dir;
  char         *library;
  GkStore      *store;
  guint         counter;
  GkTestPortal *portal;
  GkFaultProxy *proxy;
} Fixture;

/* ---- helpers (as in test-sync.c) ---- */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const struct { const char *user; GkRole roles; } members[] = {
    { "dora", GK_ROLE_DRAFTER },
    { "rita", GK_ROLE_REVIEWER },
    { "rob", GK_ROLE_REVIEWER },
    { "pat", GK_ROLE_PUBLISHER },
  };
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("gk-sync-XXXXXX", &error);
  g_assert_no_error (error);
  f->library = g_build_filename (f->dir, "library", NULL);
  f->store = gk_store_open (f->library, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (gk_store_set_member (f->store, "admin", "admin", GK_ROLE_ADMIN, &error));
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_true (gk_store_set_member (f->store, "admin", members[i].user, members[i].roles, &error));
  g_assert_no_error (error);

  f->portal = gk_test_portal_start (TOKEN, &error);
  g_assert_no_error (error);
  f->proxy = gk_fault_proxy_new (gk_test_portal_get_base_url (f->portal), &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->proxy, gk_fault_proxy_free);
  g_clear_pointer (&f->portal, gk_test_portal_free);
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->library);
  g_free (f->dir);
}

/* A complete item whose file is really in files/ (a small unique PDF). */
static char *
make_item (Fixture    *f,
           const char *title,
           const char *disclosure)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = gk_item_new ();
  g_autofree char *source = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  const char *pages[] = { "关于做好政务公开工作的通知" };
  goffset size = 0;

  f->counter++;
  source = g_strdup_printf ("%s/source-%u.pdf", f->dir, f->counter);
  contents = g_strdup_printf ("%%PDF-1.4\n%% sync test document %u %s\n%%%%EOF\n", f->counter, title);
  g_assert_true (g_file_set_contents (source, contents, -1, &error));
  sha = gk_sha256_file (source, NULL, &size, &error);
  g_assert_no_error (error);
  g_assert_true (gk_store_add_file (f->store, source, sha, NULL, &error));
  g_assert_no_error (error);

  item->title = g_strdup (title);
  item->issuer = g_strdup ("上海市应急管理局");
  item->written_date = g_strdup ("2025-03-03");
  item->disclosure = g_strdup (disclosure);
  if (g_strcmp0 (disclosure, "withheld") == 0)
    item->disclosure_ground = g_strdup (gk_item_withheld_grounds ()[0]);
  item->category = g_strdup ("policy_document");
  item->file_sha256 = g_strdup (sha);
  item->file_name = g_strdup_printf ("doc-%u.pdf", f->counter);
  g_free (item->file_media_type);
  item->file_media_type = g_strdup ("application/pdf");
  item->file_bytes = size;
  g_assert_true (gk_store_insert_item (f->store, "dora", item, pages, 1, NULL, &error));
  g_assert_no_error (error);
  return g_strdup (item->id);
}

static void
submit (Fixture    *f,
        const char *id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_workflow_submit (f->store, "dora", id, &error));
  g_assert_no_error (error);
}

static void
approve_stage (Fixture    *f,
               const char *reviewer,
               const char *id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_workflow_approve (f->store, reviewer, id, NULL, &error));
  g_assert_no_error (error);
}

static void
approve (Fixture    *f,
         const char *id)
{
  submit (f, id);
  approve_stage (f, "rita", id);
  approve_stage (f, "rob", id);
}

static char *
make_approved (Fixture    *f,
               const char *title)
{
  char *id = make_item (f, title, "proactive");

  approve (f, id);
  return id;
}

static GkItem *
get_item (Fixture    *f,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  GkItem *item = gk_store_get_item (f->store, id, &error);

  g_assert_no_error (error);
  return item;
}

/* Straight to the portal (a separate process), not through the proxy. */
static JsonNode *
portal_get_try (Fixture    *f,
                const char *path,
                guint      *status,
                guint       attempt)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (gk_test_portal_get_base_url (f->portal), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " TOKEN);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  if (*status == 429 && attempt < 50)
    {
      /* A portal limiting connections: the sync's may not be closed yet. */
      gboolean never = FALSE;

      gk_test_pump_until (&never, 50);
      return portal_get_try (f, path, status, attempt + 1);
    }
  if (g_bytes_get_size (body) == 0)
    return NULL;
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error));
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
portal_get (Fixture    *f,
            const char *path,
            guint      *status)
{
  return portal_get_try (f, path, status, 0);
}

/* Every document id on the portal (paging until next is null). */
static GPtrArray *
portal_list (Fixture *f)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *after = NULL;

  for (;;)
    {
      g_autofree char *path = after ? g_strdup_printf ("/documents?limit=2&after=%s", after)
                                    : g_strdup ("/documents?limit=2");
      guint status = 0;
      g_autoptr(JsonNode) page = portal_get (f, path, &status);
      JsonObject *object;
      JsonArray *items;

      g_assert_cmpuint (status, ==, 200);
      object = json_node_get_object (page);
      items = json_object_get_array_member (object, "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *entry = json_array_get_object_element (items, i);

          /* One document per id. */
          for (guint j = 0; j < ids->len; j++)
            g_assert_cmpstr (g_ptr_array_index (ids, j), !=, json_object_get_string_member (entry, "id"));
          g_ptr_array_add (ids, g_strdup (json_object_get_string_member (entry, "id")));
        }
      if (json_object_get_null_member (object, "next"))
        break;
      g_free (after);
      after = g_strdup (json_object_get_string_member (object, "next"));
    }
  return ids;
}

/* The portal's copy is exactly the approved record of the item (plus the
 * publish_date the sync filled), and it is public. */
static void
assert_portal_has_approved (Fixture    *f,
                            const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strconcat ("/documents/", id, NULL);
  g_autofree char *approved = gk_workflow_get_approved_record (f->store, id, NULL, NULL, &error);
  g_autoptr(GkItem) item = get_item (f, id);
  g_autoptr(JsonNode) doc = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GkPortalState) state = NULL;
  JsonObject *record;
  JsonObject *expected;
  guint status = 0;

  g_assert_no_error (error);
  doc = portal_get (f, path, &status);
  g_assert_cmpuint (status, ==, 200);
  record = json_node_get_object (doc);
  g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "published");
  state = gk_store_sync_get_portal_state (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (state);
  g_assert_cmpstr (json_object_get_string_member (record, "etag"), ==, state->etag);
  g_assert_cmpstr (json_object_get_string_member (record, "public_url"), ==, item->public_url);
  g_assert_cmpstr (json_object_get_string_member (record, "publish_date"), ==, item->publish_date);
  json_object_remove_member (record, "etag");
  json_object_remove_member (record, "public_url");
  json_object_remove_member (record, "status");
  json_object_remove_member (record, "updated_at");

  g_assert_true (json_parser_load_from_data (parser, approved, -1, &error));
  expected = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (expected, "publish_date"))
    json_object_set_string_member (expected, "publish_date", item->publish_date);
  if (!json_node_equal (json_parser_get_root (parser), doc))
    g_error ("portal copy of %s differs:\n%s\nexpected\n%s", id, json_to_string (doc, TRUE),
             json_to_string (json_parser_get_root (parser), TRUE));
}

static gint64
outbox_size (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 n = gk_store_sync_count_active_jobs (f->store, &error);

  g_assert_no_error (error);
  return n;
}


typedef struct
{
  gboolean done;
} ExitWait;

static void
on_exited_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ExitWait *wait = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  wait->done = TRUE;
}

static GSubprocess *
spawn_sync (Fixture    *f,
            const char *token_file)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GError) error = NULL;
  g_autofree char *concurrency = g_strdup_printf ("%d", CONCURRENCY);
  GSubprocess *process;

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  g_subprocess_launcher_setenv (launcher, "GONGKAI_SYNC_RETRY_BASE_MS", "10", TRUE);
  g_subprocess_launcher_setenv (launcher, "GONGKAI_SYNC_RETRY_MAX_MS", "50", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "GONGKAI_PORTAL_TOKEN");
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("GONGKAI_CTL"),
                                         "--library", f->library, "--as", "pat", "sync",
                                         "--portal", gk_fault_proxy_get_base_url (f->proxy),
                                         "--token-file", token_file, "--concurrency", concurrency, NULL);
  g_assert_no_error (error);
  return process;
}

static gboolean
on_poll_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static guint
count_audit (Fixture    *f,
             const char *id,
             const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = gk_store_audit_log (f->store, id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < log->len; i++)
    {
      GkAuditEntry *entry = g_ptr_array_index (log, i);

      if (g_strcmp0 (entry->action, "sync") == 0 && strstr (entry->details, needle) != NULL)
        n++;
    }
  return n;
}

static void
kill_and_resume (Fixture *f,
                 GkFault  fault,
                 guint    param,
                 guint    kill_after_forwarded)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *token_file = g_build_filename (f->dir, "token", NULL);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  ExitWait wait = { 0 };
  guint published_before = 0;
  gint64 deadline;

  g_assert_true (g_file_set_contents_full (token_file, TOKEN "\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  for (guint i = 0; i < N_ITEMS; i++)
    {
      g_autofree char *title = g_strdup_printf ("断电恢复测试 %02u", i + 1);
      g_ptr_array_add (ids, make_approved (f, title));
    }

  /* A slow portal; kill the batch once some documents went out. */
  gk_fault_proxy_add_full (f->proxy, "PUT", "/documents/", fault, GK_FAULT_ALWAYS, param);
  first = spawn_sync (f, token_file);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (gk_fault_proxy_count (f->proxy, "PUT", "/documents/") < kill_after_forwarded)
    {
      gboolean tick = FALSE;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_timeout_add (5, on_poll_cb, &tick);
      while (!tick)
        g_main_context_iteration (NULL, TRUE);
    }
  g_subprocess_force_exit (first);  /* SIGKILL */
  g_subprocess_wait_async (first, NULL, on_exited_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 10000));
  g_assert_true (g_subprocess_get_if_signaled (first));
  g_assert_cmpint (g_subprocess_get_term_sig (first), ==, SIGKILL);

  /* Killed mid-batch: some items went out, some did not, the rest is in
   * the outbox. */
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GkItem) item = get_item (f, g_ptr_array_index (ids, i));

      if (item->state == GK_STATE_PUBLISHED)
        published_before++;
    }
  g_assert_cmpuint (published_before, <, N_ITEMS);
  g_assert_cmpint (outbox_size (f), ==, N_ITEMS - published_before);

  /* Let whatever the proxy still holds reach the portal, then run again
   * with a healthy portal. */
  {
    gboolean never = FALSE;
    gk_test_pump_until (&never, 300);
  }
  gk_fault_proxy_clear (f->proxy);
  memset (&wait, 0, sizeof wait);
  second = spawn_sync (f, token_file);
  g_subprocess_wait_async (second, NULL, on_exited_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 30000));
  g_assert_true (g_subprocess_get_if_exited (second));
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 0);

  /* Every item published exactly once, the outbox empty. */
  g_assert_cmpint (outbox_size (f), ==, 0);
  listed = portal_list (f);
  g_assert_cmpuint (listed->len, ==, N_ITEMS);
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autoptr(GkItem) item = get_item (f, id);

      g_assert_cmpint (item->state, ==, GK_STATE_PUBLISHED);
      assert_portal_has_approved (f, id);
      g_assert_cmpuint (count_audit (f, id, "\"outcome\":\"published\""), ==, 1);
      g_assert_cmpuint (count_audit (f, id, "\"outcome\":\"updated\""), ==, 0);
      g_assert_cmpuint (count_audit (f, id, "\"queued\":"), ==, 1);
    }
  /* At most the writes in flight at the kill were sent twice (and the
   * portal answered those with 200: the same body). */
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/documents/"), <=, N_ITEMS + CONCURRENCY);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/files/"), <=, N_ITEMS + CONCURRENCY);
}

static void
test_kill_while_slow (Fixture       *f,
                      gconstpointer  data)
{
  /* Each document write waits 150 ms at the proxy, then reaches the portal. */
  kill_and_resume (f, GK_FAULT_DELAY, 150, 5);
}

static void
test_kill_while_answers_hang (Fixture       *f,
                              gconstpointer  data)
{
  /* The writes never come back: killed while every worker waits. */
  kill_and_resume (f, GK_FAULT_HANG, 20000, CONCURRENCY);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GONGKAI_TODAY", TODAY, TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/gongkai-test-bus", TRUE);
  g_unsetenv ("GONGKAI_PORTAL_TOKEN");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync-kill/sigkill-mid-batch", Fixture, NULL, fixture_setup, test_kill_while_slow,
              fixture_teardown);
  g_test_add ("/sync-kill/sigkill-while-answers-hang", Fixture, NULL, fixture_setup,
              test_kill_while_answers_hang, fixture_teardown);

  return g_test_run ();
}
