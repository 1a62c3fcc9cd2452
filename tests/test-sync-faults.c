/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The portal sync under every fault portal-api.md lists, injected by the
 * fault proxy in front of the real gongkai-portal: 500, 503 and 429 with
 * Retry-After, connection reset, timeout, a cut body, an HTML 502, a
 * change applied whose answer is lost, 401 (the batch stops), 412 after
 * an edit on the portal (conflict, then --resolve), the portal down,
 * a connection limit.  Each ends with the portal converged on the
 * approved records and nothing duplicated.  Then the token-leak check:
 * the token is nowhere in the library, its WAL, the files, the audit or
 * the command line's output. */
#define G_LOG_DOMAIN "GongkaiTestSyncFaults"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-fault-proxy.h"
#include "gk-portal-client.h"
#include "gk-store-sync.h"
#include "gk-store.h"
#include "gk-sync.h"
#include "gk-util.h"
#include "gk-workflow.h"

#define TOKEN "faults-test-token-5d0e7b13aa"
#define TODAY "2025-06-02"

typedef struct
{
  char         *dir;
  char         *library;
  GkStore      *store;
  guint         counter;
  GkTestPortal *portal;
  GkFaultProxy *proxy;
  guint         progress_calls;
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

static void
edit_field (Fixture    *f,
            const char *id,
            const char *field,
            const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = gk_store_get_item (f->store, id, &error);
  g_autoptr(GkItem) edited = NULL;

  g_assert_no_error (error);
  edited = gk_item_copy (item);
  g_assert_true (gk_item_set_field (edited, field, value, &error));
  g_assert_no_error (error);
  g_assert_true (gk_store_update_item (f->store, "dora", edited, &error));
  g_assert_no_error (error);
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

static GkSyncOptions *
sync_options (Fixture    *f,
              const char *actor)
{
  GkSyncOptions *options = gk_sync_options_new ();

  options->portal_url = g_strdup (gk_fault_proxy_get_base_url (f->proxy));
  options->token = g_strdup (TOKEN);
  options->actor = g_strdup (actor);
  options->retry_base_ms = 10;
  options->retry_max_ms = 50;
  options->retry_after_max_ms = 200;
  options->connect_timeout_ms = 3000;
  options->response_timeout_ms = 3000;
  return options;
}

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Wait;

static void
on_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static void
on_progress_cb (const GkSyncItemResult *result,
                guint                   n_done,
                guint                   n_total,
                gpointer                user_data)
{
  Fixture *f = user_data;

  g_assert_cmpuint (n_done, <=, n_total);
  f->progress_calls++;
}

static GkSyncReport *
run_sync_full (Fixture        *f,
               GkSyncOptions  *options,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autoptr(GkSync) sync = gk_sync_new (f->store);
  Wait wait = { 0 };
  GkSyncReport *report;

  gk_sync_run_async (sync, options, on_progress_cb, f, NULL, cancellable, on_done_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 30000));
  report = gk_sync_run_finish (sync, wait.result, error);
  g_object_unref (wait.result);
  return report;
}

static GkSyncReport *
run_sync (Fixture *f)
{
  g_autoptr(GkSyncOptions) options = sync_options (f, "pat");
  g_autoptr(GError) error = NULL;
  GkSyncReport *report = run_sync_full (f, options, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static const GkSyncItemResult *
find_result (GkSyncReport *report,
             const char   *id)
{
  for (guint i = 0; i < report->results->len; i++)
    {
      const GkSyncItemResult *result = g_ptr_array_index (report->results, i);

      if (g_strcmp0 (result->id, id) == 0)
        return result;
    }
  return NULL;
}

static void
assert_outcome (GkSyncReport  *report,
                const char    *id,
                GkSyncOutcome  outcome)
{
  const GkSyncItemResult *result = find_result (report, id);

  if (result == NULL)
    g_error ("no result for %s", id);
  if (result->outcome != outcome)
    g_error ("%s: %s (%s), expected %s", id, gk_sync_outcome_to_string (result->outcome),
             result->message ? result->message : "", gk_sync_outcome_to_string (outcome));
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

static guint
portal_send (Fixture    *f,
             const char *method,
             const char *path,
             const char *content_type,
             const char *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (gk_test_portal_get_base_url (f->portal), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " TOKEN);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
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
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

typedef struct
{
  gboolean done;
  char    *out;
  char    *err;
} CommunicateWait;

static void
on_communicated_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CommunicateWait *wait = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &wait->out, &wait->err, &error);
  g_assert_no_error (error);
  wait->done = TRUE;
}

static const char *ctl_env_token;

/* gongkai-ctl --library L --as USER ARGS…, pumping the main context
 * meanwhile (the proxy lives in it). */
static void
ctl (Fixture    *f,
     Run        *r,
     const char *user,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  CommunicateWait wait = { 0 };
  gboolean json = FALSE;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("GONGKAI_CTL"));
  g_ptr_array_add (argv, "--library");
  g_ptr_array_add (argv, f->library);
  g_ptr_array_add (argv, "--as");
  g_ptr_array_add (argv, (char *) user);
  va_start (args, user);
  while ((arg = va_arg (args, const char *)) != NULL)
    {
      json |= strcmp (arg, "--json") == 0;
      g_ptr_array_add (argv, (char *) arg);
    }
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  g_subprocess_launcher_setenv (launcher, "GONGKAI_SYNC_RETRY_BASE_MS", "10", TRUE);
  g_subprocess_launcher_setenv (launcher, "GONGKAI_SYNC_RETRY_MAX_MS", "50", TRUE);
  if (ctl_env_token != NULL)
    g_subprocess_launcher_setenv (launcher, "GONGKAI_PORTAL_TOKEN", ctl_env_token, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "GONGKAI_PORTAL_TOKEN");
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 50000));
  g_subprocess_wait (process, NULL, NULL);
  r->status = g_subprocess_get_exit_status (process);
  r->out = wait.out;
  r->err = wait.err;
  if (json && r->out != NULL && *r->out != '\0')
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (!json_parser_load_from_data (parser, r->out, -1, &error))
        g_error ("not JSON (%s): %s", error->message, r->out);
      r->json = json_node_copy (json_parser_get_root (parser));
    }
}

static void
ctl_argv (Fixture     *f,
          Run         *r,
          const char  *user,
          const char **args)
{
  const char *a[8] = { NULL };

  for (guint i = 0; i < 7 && args[i] != NULL; i++)
    a[i] = args[i];
  ctl (f, r, user, a[0], a[1], a[2], a[3], a[4], a[5], a[6], NULL);
}


/* Three approved items, published through the faults, must end exactly
 * as without them. */
static GPtrArray *
make_batch (Fixture *f,
            guint    n)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("故障注入测试文件 %u", i + 1);
      g_ptr_array_add (ids, make_approved (f, title));
    }
  return ids;
}

static void
assert_converged (Fixture   *f,
                  GPtrArray *ids)
{
  g_autoptr(GPtrArray) listed = portal_list (f);

  g_assert_cmpuint (listed->len, ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GkItem) item = get_item (f, g_ptr_array_index (ids, i));

      g_assert_cmpint (item->state, ==, GK_STATE_PUBLISHED);
      assert_portal_has_approved (f, g_ptr_array_index (ids, i));
    }
  g_assert_cmpint (outbox_size (f), ==, 0);
  g_assert_cmpuint (gk_fault_proxy_get_pending (f->proxy), ==, 0);
}

static void
assert_all (GkSyncReport  *report,
            GPtrArray     *ids,
            GkSyncOutcome  outcome)
{
  for (guint i = 0; i < ids->len; i++)
    assert_outcome (report, g_ptr_array_index (ids, i), outcome);
}

/* A fault on one path, then a normal batch: everything published once. */
static void
run_fault_case (Fixture    *f,
                const char *method,
                const char *path,
                GkFault     fault,
                guint       times,
                guint       param)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 3);
  g_autoptr(GkSyncReport) report = NULL;

  gk_fault_proxy_add_full (f->proxy, method, path, fault, times, param);
  report = run_sync (f);
  assert_all (report, ids, GK_SYNC_OUTCOME_PUBLISHED);
  g_assert_cmpint (gk_sync_report_exit_status (report), ==, 0);
  assert_converged (f, ids);
  /* Only what reached the portal counts: one document write per item,
   * plus those the fault let through before failing the answer. */
  if (fault == GK_FAULT_TRUNCATE || fault == GK_FAULT_FORWARD_DROP)
    g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/documents/"), <=, 3 + times);
  else
    g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/documents/"), ==, 3);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/files/"), <=, 3 + times);
}

static void
test_500 (Fixture *f, gconstpointer data)
{
  run_fault_case (f, "PUT", "/documents/", GK_FAULT_500, 2, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 5);
}

static void
test_html_502 (Fixture *f, gconstpointer data)
{
  run_fault_case (f, "PUT", "/documents/", GK_FAULT_502_HTML, 3, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 6);
}

static void
test_503_retry_after (Fixture *f, gconstpointer data)
{
  gint64 start = g_get_monotonic_time ();

  /* Retry-After: 1 (s), capped at 200 ms by the options: the retry waits
   * for it although the backoff alone would be 10 ms. */
  run_fault_case (f, "PUT", "/documents/", GK_FAULT_503, 1, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 200 * 1000);
}

static void
test_429_retry_after (Fixture *f, gconstpointer data)
{
  gint64 start = g_get_monotonic_time ();

  run_fault_case (f, "PUT", "/files/", GK_FAULT_429, 2, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 200 * 1000);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/files/"), ==, 3);
}

static void
test_reset (Fixture *f, gconstpointer data)
{
  gk_fault_proxy_add (f->proxy, "HEAD", "/files/", GK_FAULT_RESET, 2);
  run_fault_case (f, "PUT", "/documents/", GK_FAULT_RESET, 2, 0);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/files/"), ==, 3);
}

static void
test_timeout (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 3);
  g_autoptr(GkSyncOptions) options = sync_options (f, "pat");
  g_autoptr(GkSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  gk_fault_proxy_add_full (f->proxy, "PUT", "/documents/", GK_FAULT_HANG, 2, 20000);
  options->response_timeout_ms = 300;
  report = run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  assert_all (report, ids, GK_SYNC_OUTCOME_PUBLISHED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  assert_converged (f, ids);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/documents/"), ==, 3);
}

static void
test_truncated (Fixture *f, gconstpointer data)
{
  run_fault_case (f, "PUT", "/documents/", GK_FAULT_TRUNCATE, 2, 0);
  /* The cut answers' changes were applied; the retries were answered 200
   * for the identical body: still one document each, published once. */
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/documents/"), ==, 5);
}

static void
test_dropped_response (Fixture *f, gconstpointer data)
{
  /* Every first publication is applied and its answer lost. */
  run_fault_case (f, "PUT", "/documents/", GK_FAULT_FORWARD_DROP, 3, 0);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/documents/"), ==, 6);
}

static void
test_dropped_file_and_delete (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 2);
  g_autoptr(GkSyncReport) first = NULL;
  g_autoptr(GkSyncReport) second = NULL;
  g_autoptr(GError) error = NULL;
  gboolean queued = FALSE;
  guint status = 0;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) doc = NULL;

  gk_fault_proxy_add (f->proxy, "PUT", "/files/", GK_FAULT_FORWARD_DROP, 1);
  gk_fault_proxy_add (f->proxy, "PUT", "/files/", GK_FAULT_TRUNCATE, 1);
  first = run_sync (f);
  assert_all (first, ids, GK_SYNC_OUTCOME_PUBLISHED);
  assert_converged (f, ids);

  g_assert_true (gk_sync_withdraw (f->store, "pat", g_ptr_array_index (ids, 0), "撤回", &queued, &error));
  g_assert_true (queued);
  gk_fault_proxy_add (f->proxy, "DELETE", "/documents/", GK_FAULT_FORWARD_DROP, 1);
  gk_fault_proxy_add (f->proxy, "DELETE", "/documents/", GK_FAULT_500, 1);
  second = run_sync (f);
  assert_outcome (second, g_ptr_array_index (ids, 0), GK_SYNC_OUTCOME_WITHDRAWN);
  path = g_strconcat ("/documents/", (char *) g_ptr_array_index (ids, 0), NULL);
  doc = portal_get (f, path, &status);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (doc), "status"), ==, "withdrawn");
  g_assert_cmpint (outbox_size (f), ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "DELETE", "/documents/"), ==, 3);
}

static void
test_failed_after_n_tries (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 2);
  g_autoptr(GkSyncOptions) options = sync_options (f, "pat");
  g_autoptr(GkSyncReport) failed = NULL;
  g_autoptr(GkSyncReport) recovered = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  gk_fault_proxy_add (f->proxy, "PUT", "/documents/", GK_FAULT_500, GK_FAULT_ALWAYS);
  options->max_attempts = 3;
  failed = run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  assert_all (failed, ids, GK_SYNC_OUTCOME_FAILED);
  g_assert_cmpint (gk_sync_report_exit_status (failed), ==, 1);
  for (guint i = 0; i < ids->len; i++)
    {
      const GkSyncItemResult *result = find_result (failed, g_ptr_array_index (ids, i));

      g_assert_nonnull (strstr (result->message, "3 tries"));
      g_assert_nonnull (strstr (result->message, "HTTP 500"));
    }
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 6);

  /* Still in the outbox, with the last error. */
  jobs = gk_store_sync_list_jobs (f->store, TRUE, &error);
  g_assert_cmpuint (jobs->len, ==, 2);
  for (guint i = 0; i < jobs->len; i++)
    {
      GkSyncJob *job = g_ptr_array_index (jobs, i);

      g_assert_cmpint (job->attempts, ==, 1);
      g_assert_nonnull (strstr (job->last_error, "HTTP 500"));
    }

  gk_fault_proxy_clear (f->proxy);
  recovered = run_sync (f);
  assert_all (recovered, ids, GK_SYNC_OUTCOME_PUBLISHED);
  assert_converged (f, ids);
}

static void
test_portal_down (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 3);
  g_autoptr(GkSyncOptions) options = sync_options (f, "pat");
  g_autoptr(GkSyncReport) down = NULL;
  g_autoptr(GkSyncReport) back = NULL;
  g_autoptr(GError) error = NULL;

  gk_test_portal_kill (f->portal);
  options->max_attempts = 2;
  down = run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  assert_all (down, ids, GK_SYNC_OUTCOME_FAILED);
  g_assert_false (down->stopped);
  g_assert_cmpint (outbox_size (f), ==, 3);

  g_assert_true (gk_test_portal_restart (f->portal, &error));
  g_assert_no_error (error);
  back = run_sync (f);
  assert_all (back, ids, GK_SYNC_OUTCOME_PUBLISHED);
  assert_converged (f, ids);
}

static void
test_connection_limit (Fixture *f, gconstpointer data)
{
  const char *args[] = { "--max-connections-per-token", "2", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GkSyncOptions) options = NULL;
  g_autoptr(GkSyncReport) report = NULL;

  /* A portal that answers 429 past two connections, a client with four. */
  g_clear_pointer (&f->proxy, gk_fault_proxy_free);
  g_clear_pointer (&f->portal, gk_test_portal_free);
  f->portal = gk_test_portal_start_full (TOKEN, args, &error);
  g_assert_no_error (error);
  f->proxy = gk_fault_proxy_new (gk_test_portal_get_base_url (f->portal), &error);
  g_assert_no_error (error);

  ids = make_batch (f, 8);
  options = sync_options (f, "pat");
  options->concurrency = 4;
  report = run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  assert_all (report, ids, GK_SYNC_OUTCOME_PUBLISHED);
  g_assert_cmpuint (gk_fault_proxy_get_max_in_flight (f->proxy), <=, 4);
  g_assert_cmpuint (gk_sync_report_count (report, GK_SYNC_OUTCOME_FAILED), ==, 0);

  /* The proxy's kept-alive connections count against the limit too:
   * a fresh proxy, so that the checks below can connect. */
  g_clear_pointer (&f->proxy, gk_fault_proxy_free);
  f->proxy = gk_fault_proxy_new (gk_test_portal_get_base_url (f->portal), &error);
  g_assert_no_error (error);
  assert_converged (f, ids);
}

static void
test_401_stops_the_batch (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 4);
  g_autoptr(GkSyncOptions) options = sync_options (f, "pat");
  g_autoptr(GkSyncReport) stopped = NULL;
  g_autoptr(GkSyncReport) resumed = NULL;
  g_autoptr(GError) error = NULL;
  guint published;

  /* The second document write is refused: nothing more is sent. */
  gk_fault_proxy_add (f->proxy, "PUT", "/documents/", GK_FAULT_500, 1);
  gk_fault_proxy_add (f->proxy, "PUT", "/documents/", GK_FAULT_401, 1);
  options->concurrency = 1;
  stopped = run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (stopped->stopped);
  g_assert_true (stopped->auth_refused);
  g_assert_nonnull (strstr (stopped->stop_message, "The portal refused the token"));
  g_assert_null (strstr (stopped->stop_message, TOKEN));
  g_assert_cmpint (gk_sync_report_exit_status (stopped), ==, 3);
  published = gk_sync_report_count (stopped, GK_SYNC_OUTCOME_PUBLISHED);
  g_assert_cmpuint (published, <=, 1);
  g_assert_cmpuint (gk_sync_report_count (stopped, GK_SYNC_OUTCOME_SKIPPED), ==, 4 - published);
  g_assert_cmpuint (gk_sync_report_count (stopped, GK_SYNC_OUTCOME_FAILED), ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 2 + published);
  g_assert_cmpint (outbox_size (f), ==, 4 - published);

  /* The stop is audited, library-wide. */
  {
    g_autoptr(GPtrArray) log = gk_store_audit_log (f->store, NULL, &error);
    gboolean found = FALSE;

    for (guint i = 0; i < log->len; i++)
      {
        GkAuditEntry *entry = g_ptr_array_index (log, i);

        if (g_strcmp0 (entry->action, "sync") == 0 && entry->item_id == NULL &&
            strstr (entry->details, "\"outcome\":\"stopped\"") != NULL)
          found = TRUE;
      }
    g_assert_true (found);
  }

  resumed = run_sync (f);
  g_assert_false (resumed->stopped);
  assert_converged (f, ids);
}

static void
test_401_on_health (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 2);
  g_autoptr(GkSyncReport) stopped = NULL;

  gk_fault_proxy_add (f->proxy, "GET", "/health", GK_FAULT_401, 1);
  stopped = run_sync (f);
  g_assert_true (stopped->auth_refused);
  assert_all (stopped, ids, GK_SYNC_OUTCOME_SKIPPED);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", NULL), ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "HEAD", NULL), ==, 0);
}

/* PUT straight to the portal, as someone editing there would. */
static void
edit_on_portal (Fixture    *f,
                const char *id,
                const char *title)
{
  guint status = 0;
  g_autofree char *path = g_strconcat ("/documents/", id, NULL);
  g_autoptr(JsonNode) doc = portal_get (f, path, &status);
  JsonObject *record = json_node_get_object (doc);
  g_autofree char *body = NULL;

  json_object_remove_member (record, "etag");
  json_object_remove_member (record, "public_url");
  json_object_remove_member (record, "status");
  json_object_remove_member (record, "updated_at");
  json_object_set_string_member (record, "title", title);
  body = json_to_string (doc, FALSE);
  g_assert_cmpuint (portal_send (f, "PUT", path, "application/json", body), ==, 200);
}

static char *
portal_title (Fixture    *f,
              const char *id)
{
  guint status = 0;
  g_autofree char *path = g_strconcat ("/documents/", id, NULL);
  g_autoptr(JsonNode) doc = portal_get (f, path, &status);

  return g_strdup (json_object_get_string_member (json_node_get_object (doc), "title"));
}

static GkSyncItemResult *
resolve (Fixture          *f,
         const char       *actor,
         const char       *id,
         GkSyncResolution  resolution,
         GError          **error)
{
  g_autoptr(GkSync) sync = gk_sync_new (f->store);
  g_autoptr(GkSyncOptions) options = sync_options (f, actor);
  Wait wait = { 0 };
  GkSyncItemResult *result;

  gk_sync_resolve_async (sync, options, id, resolution, NULL, on_done_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 30000));
  result = gk_sync_resolve_finish (sync, wait.result, error);
  g_object_unref (wait.result);
  return result;
}

static void
test_412_after_portal_edit (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 2);
  const char *overwrite = g_ptr_array_index (ids, 0);
  const char *keep = g_ptr_array_index (ids, 1);
  g_autoptr(GkSyncReport) first = NULL;
  g_autoptr(GkSyncReport) conflict = NULL;
  g_autoptr(GkSyncReport) still = NULL;
  g_autoptr(GkSyncReport) after = NULL;
  g_autoptr(GkSyncItemResult) result = NULL;
  g_autoptr(GError) error = NULL;

  first = run_sync (f);
  assert_all (first, ids, GK_SYNC_OUTCOME_PUBLISHED);

  /* Someone edits both on the portal; here both get a new revision. */
  edit_on_portal (f, overwrite, "门户上改过的标题一");
  edit_on_portal (f, keep, "门户上改过的标题二");
  for (guint i = 0; i < ids->len; i++)
    {
      edit_field (f, g_ptr_array_index (ids, i), "summary", "本地新修订");
      approve (f, g_ptr_array_index (ids, i));
    }

  conflict = run_sync (f);
  assert_all (conflict, ids, GK_SYNC_OUTCOME_CONFLICT);
  g_assert_cmpint (gk_sync_report_exit_status (conflict), ==, 1);
  g_assert_nonnull (strstr (find_result (conflict, keep)->message, "--resolve"));
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GkItem) item = get_item (f, g_ptr_array_index (ids, i));

      g_assert_true (item->flags & GK_ITEM_FLAG_CONFLICT);
      g_assert_cmpint (item->state, ==, GK_STATE_APPROVED);
    }
  /* Never overwritten silently. */
  {
    g_autofree char *t1 = portal_title (f, overwrite);
    g_autofree char *t2 = portal_title (f, keep);

    g_assert_cmpstr (t1, ==, "门户上改过的标题一");
    g_assert_cmpstr (t2, ==, "门户上改过的标题二");
  }

  /* The next sync does not try again: the conflict waits for a person. */
  gk_fault_proxy_reset_counts (f->proxy);
  still = run_sync (f);
  assert_all (still, ids, GK_SYNC_OUTCOME_CONFLICT);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", NULL), ==, 0);

  /* Only an admin decides. */
  result = resolve (f, "pat", overwrite, GK_SYNC_RESOLVE_OVERWRITE, &error);
  g_assert_null (result);
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);

  /* overwrite: the approved record replaces the portal's copy. */
  result = resolve (f, "admin", overwrite, GK_SYNC_RESOLVE_OVERWRITE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, GK_SYNC_OUTCOME_UPDATED);
  g_clear_pointer (&result, gk_sync_item_result_free);
  assert_portal_has_approved (f, overwrite);
  {
    g_autoptr(GkItem) item = get_item (f, overwrite);

    g_assert_false (item->flags & GK_ITEM_FLAG_CONFLICT);
    g_assert_cmpint (item->state, ==, GK_STATE_PUBLISHED);
  }

  /* keep-portal: the portal's copy stays, its ETag is recorded. */
  result = resolve (f, "admin", keep, GK_SYNC_RESOLVE_KEEP_PORTAL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->outcome, ==, GK_SYNC_OUTCOME_SKIPPED);
  g_clear_pointer (&result, gk_sync_item_result_free);
  {
    g_autoptr(GkItem) item = get_item (f, keep);
    g_autoptr(GkPortalState) state = gk_store_sync_get_portal_state (f->store, keep, &error);
    g_autofree char *title = portal_title (f, keep);
    guint status = 0;
    g_autofree char *path = g_strconcat ("/documents/", keep, NULL);
    g_autoptr(JsonNode) doc = portal_get (f, path, &status);

    g_assert_false (item->flags & GK_ITEM_FLAG_CONFLICT);
    g_assert_cmpstr (title, ==, "门户上改过的标题二");
    g_assert_cmpstr (state->etag, ==, json_object_get_string_member (json_node_get_object (doc), "etag"));
  }
  g_assert_cmpint (outbox_size (f), ==, 0);

  /* Both decisions are audited. */
  {
    g_autoptr(GPtrArray) log = gk_store_audit_log (f->store, keep, &error);
    gboolean found = FALSE;

    for (guint i = 0; i < log->len; i++)
      {
        GkAuditEntry *entry = g_ptr_array_index (log, i);

        if (g_strcmp0 (entry->action, "sync-resolve") == 0 && strstr (entry->details, "keep-portal"))
          {
            g_assert_cmpstr (entry->actor, ==, "admin");
            found = TRUE;
          }
      }
    g_assert_true (found);
  }

  /* Nothing left to send; the kept copy is not overwritten later. */
  gk_fault_proxy_reset_counts (f->proxy);
  after = run_sync (f);
  g_assert_cmpuint (after->results->len, ==, 0);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", NULL), ==, 0);
}

/* An answer lost, then the item changed before the retry: the new job's
 * 412 is the portal holding our own older body, not someone's edit. */
static void
test_lost_answer_then_new_revision (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 1);
  const char *id = g_ptr_array_index (ids, 0);
  g_autoptr(GkSyncOptions) options = sync_options (f, "pat");
  g_autoptr(GkSyncReport) lost = NULL;
  g_autoptr(GkSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;

  /* (Always: libsoup itself sends a request again, once, when a kept-alive
   * connection closes under it.) */
  gk_fault_proxy_add (f->proxy, "PUT", "/documents/", GK_FAULT_FORWARD_DROP, GK_FAULT_ALWAYS);
  options->max_attempts = 1;
  lost = run_sync_full (f, options, NULL, &error);
  g_assert_no_error (error);
  assert_outcome (lost, id, GK_SYNC_OUTCOME_FAILED);
  g_assert_cmpuint (gk_fault_proxy_count_forwarded (f->proxy, "PUT", "/documents/"), >=, 1);
  gk_fault_proxy_clear (f->proxy);

  edit_field (f, id, "summary", "第二版");
  approve (f, id);
  gk_fault_proxy_reset_counts (f->proxy);
  report = run_sync (f);
  assert_outcome (report, id, GK_SYNC_OUTCOME_PUBLISHED);
  /* If-None-Match: * → 412, GET: our own first body → If-Match → 200. */
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "PUT", "/documents/"), ==, 2);
  g_assert_cmpuint (gk_fault_proxy_count (f->proxy, "GET", "/documents/"), ==, 1);
  assert_converged (f, ids);
  {
    g_autoptr(GkItem) item = get_item (f, id);

    g_assert_false (item->flags & GK_ITEM_FLAG_CONFLICT);
    g_assert_cmpint (item->revision, ==, 2);
  }
}

/* ---- the token never lands anywhere ---- */

static gboolean
contains_bytes (const char *haystack,
                gsize       len,
                const char *needle)
{
  return haystack != NULL && memmem (haystack, len, needle, strlen (needle)) != NULL;
}

static void
assert_tree_free_of (const char *path,
                     const char *needle,
                     guint      *n_files)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        assert_tree_free_of (child, needle, n_files);
      else
        {
          g_autofree char *contents = NULL;
          gsize len = 0;

          g_assert_true (g_file_get_contents (child, &contents, &len, NULL));
          if (contains_bytes (contents, len, needle))
            g_error ("the token is in %s", child);
          (*n_files)++;
        }
    }
}

static void
test_token_leak (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = make_batch (f, 3);
  g_autofree char *token_file = g_build_filename (f->dir, "token", NULL);
  g_autofree char *wrong_file = g_build_filename (f->dir, "wrong-token", NULL);
  const char *wrong = "wrong-but-secret-token-4242";
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint n_files = 0;

  g_assert_true (g_file_set_contents_full (token_file, TOKEN "\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  g_assert_true (g_file_set_contents_full (wrong_file, "wrong-but-secret-token-4242\n", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0644, NULL));
  g_assert_true (gk_store_set_setting (f->store, "admin", "portal_url",
                                       gk_fault_proxy_get_base_url (f->proxy), &error));

  /* In-process: failures, then success, then a refused token. */
  {
    g_autoptr(GkSyncOptions) options = sync_options (f, "pat");
    g_autoptr(GkSyncReport) report = NULL;

    gk_fault_proxy_add (f->proxy, "PUT", "/documents/", GK_FAULT_500, GK_FAULT_ALWAYS);
    options->max_attempts = 2;
    report = run_sync_full (f, options, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (gk_sync_report_count (report, GK_SYNC_OUTCOME_FAILED), ==, 3);
    gk_fault_proxy_clear (f->proxy);
  }
  {
    g_autoptr(GkSyncOptions) options = sync_options (f, "pat");
    g_autoptr(GkSyncReport) report = NULL;

    g_free (options->token);
    options->token = g_strdup (wrong);
    report = run_sync_full (f, options, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (report->auth_refused);
    g_assert_null (strstr (report->stop_message, wrong));
  }

  /* The command line: success, JSON, a refused token, a dead portal, the
   * token from the environment. */
  edit_field (f, g_ptr_array_index (ids, 0), "summary", "修订");
  approve (f, g_ptr_array_index (ids, 0));
  {
    const char *runs[][6] = {
      { "sync", "--token-file", NULL, NULL, NULL, NULL },
      { "--json", "sync", "--token-file", NULL, NULL, NULL },
      { "sync", "--check", "--token-file", NULL, NULL, NULL },
      { "sync", "--token-file", "WRONG", NULL, NULL, NULL },
      { "--json", "sync", "--token-file", "WRONG", NULL, NULL },
      { "sync", "--portal", "http://127.0.0.1:9/api/v1", "--token-file", NULL, NULL },
      { "sync", NULL, NULL, NULL, NULL, NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
      {
        g_auto(Run) r = { 0 };
        const char *argv[8] = { NULL };
        guint n = 0;

        for (guint j = 0; j < 6 && runs[i][j] != NULL; j++)
          argv[n++] = g_strcmp0 (runs[i][j], "WRONG") == 0 ? wrong_file : runs[i][j];
        if (g_strcmp0 (argv[n - 1], "--token-file") == 0)
          argv[n++] = token_file;
        ctl_env_token = i == G_N_ELEMENTS (runs) - 1 ? TOKEN : NULL;
        ctl_argv (f, &r, "pat", argv);
        g_string_append (output, r.out);
        g_string_append (output, r.err);
      }
    ctl_env_token = NULL;
  }
  assert_converged (f, ids);

  g_assert_false (contains_bytes (output->str, output->len, TOKEN));
  g_assert_false (contains_bytes (output->str, output->len, wrong));
  g_assert_nonnull (strstr (output->str, "refused the token"));

  /* The library folder, every byte: library.db, its WAL, files/. */
  g_clear_object (&f->store);
  {
    g_autoptr(GkStore) reopened = NULL;
    g_autoptr(GPtrArray) log = NULL;

    assert_tree_free_of (f->library, TOKEN, &n_files);
    n_files = 0;
    assert_tree_free_of (f->library, wrong, &n_files);
    g_assert_cmpuint (n_files, >=, 4);

    reopened = gk_store_open (f->library, FALSE, &error);
    g_assert_no_error (error);
    log = gk_store_audit_log (reopened, NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < log->len; i++)
      {
        GkAuditEntry *entry = g_ptr_array_index (log, i);

        g_assert_null (strstr (entry->details, TOKEN));
        g_assert_null (strstr (entry->details, wrong));
      }
    f->store = g_steal_pointer (&reopened);
  }
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GONGKAI_TODAY", TODAY, TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/gongkai-test-bus", TRUE);
  g_unsetenv ("GONGKAI_PORTAL_TOKEN");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/sync-faults/500", test_500);
  ADD ("/sync-faults/502-html", test_html_502);
  ADD ("/sync-faults/503-retry-after", test_503_retry_after);
  ADD ("/sync-faults/429-retry-after", test_429_retry_after);
  ADD ("/sync-faults/connection-reset", test_reset);
  ADD ("/sync-faults/timeout", test_timeout);
  ADD ("/sync-faults/truncated-body", test_truncated);
  ADD ("/sync-faults/applied-answer-lost", test_dropped_response);
  ADD ("/sync-faults/file-and-delete-answers-lost", test_dropped_file_and_delete);
  ADD ("/sync-faults/failed-after-n-tries", test_failed_after_n_tries);
  ADD ("/sync-faults/portal-down", test_portal_down);
  ADD ("/sync-faults/connection-limit-429", test_connection_limit);
  ADD ("/sync-faults/401-stops-the-batch", test_401_stops_the_batch);
  ADD ("/sync-faults/401-on-health", test_401_on_health);
  ADD ("/sync-faults/412-after-portal-edit", test_412_after_portal_edit);
  ADD ("/sync-faults/lost-answer-then-new-revision", test_lost_answer_then_new_revision);
  ADD ("/sync-faults/token-leak", test_token_leak);
#undef ADD

  return g_test_run ();
}
