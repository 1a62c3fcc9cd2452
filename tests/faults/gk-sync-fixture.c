/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The harness the sync tests share (test-sync, test-sync-faults,
 * test-sync-kill): a library in a temporary directory with a drafter, two
 * reviewers and a publisher; the real gongkai-portal behind the fault
 * proxy; builders of complete and approved items; a sync run pumped to
 * its end; direct requests to the portal; gongkai-ctl as a subprocess. */
#define G_LOG_DOMAIN "GongkaiTestSyncFixture"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-store-sync.h"
#include "gk-sync-fixture.h"
#include "gk-util.h"
#include "gk-workflow.h"

/**
 * gk_sync_fixture_setup:
 * @f: the fixture to fill
 * @token: the portal's bearer token
 *
 * Opens a new library in a temporary directory with its members, starts
 * gongkai-portal with @token and a fault proxy in front of it.
 */
void
gk_sync_fixture_setup (GkSyncFixture *f,
                       const char    *token)
{
  static const struct { const char *user; GkRole roles; } members[] = {
    { "dora", GK_ROLE_DRAFTER },
    { "rita", GK_ROLE_REVIEWER },
    { "rob", GK_ROLE_REVIEWER },
    { "pat", GK_ROLE_PUBLISHER },
  };
  g_autoptr(GError) error = NULL;

  f->token = g_strdup (token);
  f->auth_header = g_strconcat ("Bearer ", token, NULL);
  f->dir = g_dir_make_tmp ("gk-sync-XXXXXX", &error);
  g_assert_no_error (error);
  f->library = g_build_filename (f->dir, "library", NULL);
  f->store = gk_store_open (f->library, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (gk_store_set_member (f->store, "admin", "admin", GK_ROLE_ADMIN, &error));
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_true (gk_store_set_member (f->store, "admin", members[i].user, members[i].roles, &error));
  g_assert_no_error (error);

  f->portal = gk_test_portal_start (token, &error);
  g_assert_no_error (error);
  f->proxy = gk_fault_proxy_new (gk_test_portal_get_base_url (f->portal), &error);
  g_assert_no_error (error);
}

void
gk_sync_fixture_teardown (GkSyncFixture *f,
                          gconstpointer  data)
{
  g_clear_pointer (&f->proxy, gk_fault_proxy_free);
  g_clear_pointer (&f->portal, gk_test_portal_free);
  g_clear_object (&f->store);
  gk_test_remove_tree (f->dir);
  g_free (f->library);
  g_free (f->dir);
  g_free (f->token);
  g_free (f->auth_header);
}

/* A complete item whose file is really in files/ (a small unique PDF). */
char *
gk_sync_fixture_make_item (GkSyncFixture *f,
                           const char    *title,
                           const char    *disclosure)
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

void
gk_sync_fixture_submit (GkSyncFixture *f,
                        const char    *id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_workflow_submit (f->store, "dora", id, &error));
  g_assert_no_error (error);
}

void
gk_sync_fixture_approve_stage (GkSyncFixture *f,
                               const char    *reviewer,
                               const char    *id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_workflow_approve (f->store, reviewer, id, NULL, &error));
  g_assert_no_error (error);
}

void
gk_sync_fixture_approve (GkSyncFixture *f,
                         const char    *id)
{
  gk_sync_fixture_submit (f, id);
  gk_sync_fixture_approve_stage (f, "rita", id);
  gk_sync_fixture_approve_stage (f, "rob", id);
}

char *
gk_sync_fixture_make_approved (GkSyncFixture *f,
                               const char    *title)
{
  char *id = gk_sync_fixture_make_item (f, title, "proactive");

  gk_sync_fixture_approve (f, id);
  return id;
}

void
gk_sync_fixture_edit_field (GkSyncFixture *f,
                            const char    *id,
                            const char    *field,
                            const char    *value)
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

GkItem *
gk_sync_fixture_get_item (GkSyncFixture *f,
                          const char    *id)
{
  g_autoptr(GError) error = NULL;
  GkItem *item = gk_store_get_item (f->store, id, &error);

  g_assert_no_error (error);
  return item;
}

GkSyncOptions *
gk_sync_fixture_sync_options (GkSyncFixture *f,
                              const char    *actor)
{
  GkSyncOptions *options = gk_sync_options_new ();

  options->portal_url = g_strdup (gk_fault_proxy_get_base_url (f->proxy));
  options->token = g_strdup (f->token);
  options->actor = g_strdup (actor);
  options->retry_base_ms = 10;
  options->retry_max_ms = 50;
  options->retry_after_max_ms = 200;
  options->connect_timeout_ms = 3000;
  options->response_timeout_ms = 3000;
  return options;
}

/* A GAsyncReadyCallback for a GkSyncWait. */
void
gk_sync_fixture_on_done_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  GkSyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static void
on_progress_cb (const GkSyncItemResult *result,
                guint                   n_done,
                guint                   n_total,
                gpointer                user_data)
{
  GkSyncFixture *f = user_data;

  g_assert_cmpuint (n_done, <=, n_total);
  f->progress_calls++;
}

GkSyncReport *
gk_sync_fixture_run_sync_full (GkSyncFixture  *f,
                               GkSyncOptions  *options,
                               GCancellable   *cancellable,
                               GError        **error)
{
  g_autoptr(GkSync) sync = gk_sync_new (f->store);
  GkSyncWait wait = { 0 };
  GkSyncReport *report;

  gk_sync_run_async (sync, options, on_progress_cb, f, NULL, cancellable, gk_sync_fixture_on_done_cb, &wait);
  g_assert_true (gk_test_pump_until (&wait.done, 30000));
  report = gk_sync_run_finish (sync, wait.result, error);
  g_object_unref (wait.result);
  return report;
}

GkSyncReport *
gk_sync_fixture_run_sync (GkSyncFixture *f)
{
  g_autoptr(GkSyncOptions) options = gk_sync_fixture_sync_options (f, "pat");
  g_autoptr(GError) error = NULL;
  GkSyncReport *report = gk_sync_fixture_run_sync_full (f, options, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

const GkSyncItemResult *
gk_sync_fixture_find_result (GkSyncReport *report,
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

void
gk_sync_fixture_assert_outcome (GkSyncReport  *report,
                                const char    *id,
                                GkSyncOutcome  outcome)
{
  const GkSyncItemResult *result = gk_sync_fixture_find_result (report, id);

  if (result == NULL)
    g_error ("no result for %s", id);
  if (result->outcome != outcome)
    g_error ("%s: %s (%s), expected %s", id, gk_sync_outcome_to_string (result->outcome),
             result->message ? result->message : "", gk_sync_outcome_to_string (outcome));
}

/* Straight to the portal (a separate process), not through the proxy. */
static JsonNode *
portal_get_try (GkSyncFixture *f,
                const char    *path,
                guint         *status,
                guint          attempt)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (gk_test_portal_get_base_url (f->portal), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", f->auth_header);
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

JsonNode *
gk_sync_fixture_portal_get (GkSyncFixture *f,
                            const char    *path,
                            guint         *status)
{
  return portal_get_try (f, path, status, 0);
}

guint
gk_sync_fixture_portal_send (GkSyncFixture *f,
                             const char    *method,
                             const char    *path,
                             const char    *content_type,
                             const char    *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (gk_test_portal_get_base_url (f->portal), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", f->auth_header);
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
GPtrArray *
gk_sync_fixture_portal_list (GkSyncFixture *f)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *after = NULL;

  for (;;)
    {
      g_autofree char *path = after ? g_strdup_printf ("/documents?limit=2&after=%s", after)
                                    : g_strdup ("/documents?limit=2");
      guint status = 0;
      g_autoptr(JsonNode) page = gk_sync_fixture_portal_get (f, path, &status);
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
void
gk_sync_fixture_assert_portal_has_approved (GkSyncFixture *f,
                                            const char    *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strconcat ("/documents/", id, NULL);
  g_autofree char *approved = gk_workflow_get_approved_record (f->store, id, NULL, NULL, &error);
  g_autoptr(GkItem) item = gk_sync_fixture_get_item (f, id);
  g_autoptr(JsonNode) doc = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GkPortalState) state = NULL;
  JsonObject *record;
  JsonObject *expected;
  guint status = 0;

  g_assert_no_error (error);
  doc = gk_sync_fixture_portal_get (f, path, &status);
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

gint64
gk_sync_fixture_outbox_size (GkSyncFixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 n = gk_store_sync_count_active_jobs (f->store, &error);

  g_assert_no_error (error);
  return n;
}

void
gk_sync_fixture_run_clear (GkSyncRun *r)
{
  g_free (r->out);
  g_free (r->err);
  g_clear_pointer (&r->json, json_node_unref);
}

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

/* gongkai-ctl --library L --as USER ARGS…, pumping the main context
 * meanwhile (the proxy lives in it). */
void
gk_sync_fixture_ctl (GkSyncFixture *f,
                     GkSyncRun     *r,
                     const char    *user,
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
  if (f->ctl_token != NULL)
    g_subprocess_launcher_setenv (launcher, "GONGKAI_PORTAL_TOKEN", f->ctl_token, TRUE);
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
