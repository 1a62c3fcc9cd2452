/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiSync"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <string.h>

#include "gk-sync-private.h"
#include "gk-util.h"
#include "gk-workflow.h"

/* Reconciliation and conflicts.  gk_sync_check_async() pages through
 * GET /documents and compares (it changes nothing).  A 412 makes the
 * item's job a conflict for a person, after a look whether the portal
 * holds an earlier body of ours whose answer was lost; the person's
 * resolution (gk_sync_resolve_async()) runs as a batch of one through the
 * engine: keep the portal's copy (GET, record its ETag) or overwrite it
 * (the one unconditional PUT). */

#define LIST_PAGE_SIZE 1000
#define MAX_LIST_PAGES 100000

/* The record minus what the portal adds to it in GET /documents/{id}. */
static JsonNode *
portal_record_only (JsonNode *document)
{
  JsonNode   *copy = sync_deep_copy (document);
  JsonObject *object = json_node_get_object (copy);

  json_object_remove_member (object, "etag");
  json_object_remove_member (object, "public_url");
  json_object_remove_member (object, "status");
  json_object_remove_member (object, "updated_at");
  return copy;
}

void
sync_mark_conflict (Work *work, const char *message)
{
  Run *run = work->run;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  /* The faces add how to decide (a command, a page's buttons). */
  text = g_strdup_printf (_ ("%s A person must decide which copy stays: the portal’s or the "
                             "approved record."),
                          message);
  if (!gk_store_sync_mark_conflict (run->store, run->options->actor, work->job->id,
                                    sync_portal_url (run), text, &error))
    {
      sync_fail_work (work, error->message);
      return;
    }
  sync_finish_with (work, GK_SYNC_OUTCOME_CONFLICT, text, NULL, NULL);
}

static gboolean
matches_own_body (Work *work, JsonNode *portal_record)
{
  Run *run = work->run;
  g_auto (GStrv) bodies = NULL;
  g_autoptr (JsonNode) current = sync_parse_object (work->job->body);

  if (current != NULL && json_node_equal (current, portal_record))
    return TRUE;
  bodies = gk_store_sync_superseded_bodies (run->store, work->item_id, NULL);
  for (guint i = 0; bodies != NULL && bodies[i] != NULL; i++)
    {
      g_autoptr (JsonNode) body = sync_parse_object (bodies[i]);

      if (body != NULL && json_node_equal (body, portal_record))
        return TRUE;
    }
  return FALSE;
}

void
sync_handle_get_after_conflict (Work *work, GkPortalResponse *response)
{
  Run *run = work->run;

  if (response->outcome == GK_PORTAL_OK && !gk_str_is_blank (response->etag))
    {
      g_autoptr (JsonNode) record = portal_record_only (response->body);

      if (matches_own_body (work, record))
        {
          g_autoptr (GError) error = NULL;

          if (!gk_store_sync_adopt_etag (run->store, work->item_id, response->revision,
                                         response->etag, response->public_url, &error))
            {
              sync_fail_work (work, error->message);
              return;
            }
          g_debug ("%s: the portal holds an earlier body of ours; updating it", work->item_id);
          work->step = STEP_PUT_DOCUMENT;
          sync_send_step (work);
          return;
        }
    }
  sync_mark_conflict (work, work->last_error);
}

void
sync_handle_keep_portal (Work *work, GkPortalResponse *response)
{
  Run *run = work->run;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  if (response->outcome == GK_PORTAL_OK && !gk_str_is_blank (response->etag))
    {
      gboolean withdrawn = g_strcmp0 (response->document_status, "withdrawn") == 0;
      gint64   revision = response->revision;

      if (!gk_store_sync_resolve_keep_portal (run->store, run->options->actor, work->item_id,
                                              sync_portal_url (run), response->etag,
                                              response->public_url, withdrawn, revision, &error))
        {
          sync_finish_with (work, GK_SYNC_OUTCOME_FAILED, error->message, NULL, NULL);
          return;
        }
      message = g_strdup_printf (_ ("The portal’s copy (revision %" PRId64 ", %s) was kept; "
                                    "the conflict is cleared."),
                                 revision, withdrawn ? _ ("withdrawn") : _ ("published"));
      sync_finish_with (work, GK_SYNC_OUTCOME_SKIPPED, message, response->public_url, NULL);
      return;
    }
  if (response->outcome == GK_PORTAL_NOT_FOUND)
    {
      if (!gk_store_sync_resolve_keep_portal (run->store, run->options->actor, work->item_id,
                                              sync_portal_url (run), NULL, NULL, FALSE, 0, &error))
        {
          sync_finish_with (work, GK_SYNC_OUTCOME_FAILED, error->message, NULL, NULL);
          return;
        }
      sync_finish_with (work, GK_SYNC_OUTCOME_SKIPPED,
                        _ ("The portal has no copy of it; the conflict is cleared and the approved "
                           "record will be published by the next sync."),
                        NULL, NULL);
      return;
    }
  message = gk_portal_response_describe (response);
  sync_finish_with (work, GK_SYNC_OUTCOME_FAILED, message, NULL, NULL);
}

/* Reconciliation */

typedef struct
{
  gint64 revision;
  char  *etag;
  char  *status;
} PortalEntry;

typedef struct
{
  GkStore        *store;
  GkSyncOptions  *options;
  GkPortalClient *client;
  GMainContext   *context;
  GHashTable     *portal;  /* id → PortalEntry* */
  GHashTable     *cursors; /* cursors seen, against a listing that loops */
  char           *after;
  char           *last_id; /* the last id listed, for the order across pages */
  guint           attempt;
  guint           pages;
  GSource        *delay;
  GTask          *task;     /* unowned: the check is its data */
  GCancellable   *requests; /* cancelled with the caller's, or at the deadline */
  gulong          requests_handler;
  GCancellable   *caller;
  GSource        *deadline;
  gboolean        deadline_hit;
} CheckRun;

static void
portal_entry_free (gpointer data)
{
  PortalEntry *entry = data;

  g_free (entry->etag);
  g_free (entry->status);
  g_free (entry);
}

static void
check_run_free (gpointer data)
{
  CheckRun *check = data;

  if (check->delay != NULL)
    {
      g_source_destroy (check->delay);
      g_source_unref (check->delay);
    }
  if (check->deadline != NULL)
    {
      g_source_destroy (check->deadline);
      g_source_unref (check->deadline);
    }
  if (check->requests_handler != 0)
    g_cancellable_disconnect (check->caller, check->requests_handler);
  g_clear_object (&check->caller);
  g_clear_object (&check->requests);
  g_free (check->last_id);
  g_clear_object (&check->store);
  g_clear_pointer (&check->options, gk_sync_options_free);
  g_clear_object (&check->client);
  g_clear_pointer (&check->context, g_main_context_unref);
  g_clear_pointer (&check->portal, g_hash_table_unref);
  g_clear_pointer (&check->cursors, g_hash_table_unref);
  g_free (check->after);
  g_free (check);
}

static GkSyncDrift *
drift_new (const char     *id,
           const char     *title,
           GkSyncDriftKind kind,
           gint64          local_revision,
           gint64          portal_revision,
           const char     *local_state,
           const char     *portal_status,
           const char     *message)
{
  GkSyncDrift *drift = g_new0 (GkSyncDrift, 1);

  drift->id = g_strdup (id);
  drift->title = g_strdup (title);
  drift->kind = kind;
  drift->local_revision = local_revision;
  drift->portal_revision = portal_revision;
  drift->local_state = g_strdup (local_state);
  drift->portal_status = g_strdup (portal_status);
  drift->message = g_strdup (message);
  return drift;
}

static gint
compare_drift (gconstpointer a, gconstpointer b)
{
  const GkSyncDrift *da = *(const GkSyncDrift *const *) a;
  const GkSyncDrift *db = *(const GkSyncDrift *const *) b;

  return g_strcmp0 (da->id, db->id);
}

static GkSyncCheckReport *
compare_with_portal (CheckRun *check, GError **error)
{
  g_autoptr (GPtrArray) rows = gk_store_sync_local_rows (check->store, error);
  g_autoptr (GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  GkSyncCheckReport *report;
  GHashTableIter     iter;
  gpointer           key, value;

  if (rows == NULL)
    return NULL;

  report = g_new0 (GkSyncCheckReport, 1);
  report->drift = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_sync_drift_free);
  report->n_portal = g_hash_table_size (check->portal);
  report->portal_url = g_strdup (check->options->portal_url);

  for (guint i = 0; i < rows->len; i++)
    {
      GkSyncLocalRow *row = g_ptr_array_index (rows, i);
      PortalEntry    *there = g_hash_table_lookup (check->portal, row->item_id);
      gboolean        proactive = g_strcmp0 (row->disclosure, "proactive") == 0;
      gboolean confirmed = row->portal != NULL && g_strcmp0 (row->portal->status, "published") == 0;
      gboolean public_there = there != NULL && g_strcmp0 (there->status, "published") == 0;
      gboolean should_be_public;
      const char *state = gk_state_to_string (row->state);
      gint64      expected;

      g_hash_table_add (known, row->item_id);
      if (row->state == GK_STATE_WITHDRAWN)
        should_be_public = FALSE;
      else if (row->state == GK_STATE_PUBLISHED || (row->state == GK_STATE_APPROVED && proactive))
        should_be_public = TRUE;
      else
        should_be_public =
            confirmed; /* an older revision, still public while the new one is worked on */
      if (should_be_public)
        report->n_local++;

      if (should_be_public && !public_there)
        {
          g_autofree char *message = NULL;

          if (row->state == GK_STATE_APPROVED && !confirmed)
            message = g_strdup (
                there == NULL
                    ? _ ("Approved here and not on the portal yet (the next sync publishes it).")
                    : _ ("Approved here; withdrawn on the portal (the next sync publishes it)."));
          else
            message = g_strdup (there == NULL ? _ ("Published here but absent from the portal.")
                                              : _ ("Published here but withdrawn on the portal."));
          g_ptr_array_add (report->drift,
                           drift_new (row->item_id, row->title, GK_SYNC_DRIFT_MISSING,
                                      row->revision, there ? there->revision : 0, state,
                                      there ? there->status : NULL, message));
          continue;
        }
      if (!should_be_public && public_there)
        {
          const char *message =
              row->state == GK_STATE_WITHDRAWN
                  ? _ ("Withdrawn here but still published on the portal.")
              : !proactive ? _ ("Not for proactive disclosure here but published on the portal.")
                           : _ ("Not approved here but published on the portal.");

          g_ptr_array_add (report->drift,
                           drift_new (row->item_id, row->title, GK_SYNC_DRIFT_EXTRA, row->revision,
                                      there->revision, state, there->status, message));
          continue;
        }
      if (!should_be_public || !public_there)
        continue;

      expected = (row->state == GK_STATE_APPROVED || row->state == GK_STATE_PUBLISHED ||
                  row->portal == NULL)
                     ? row->revision
                     : row->portal->revision;
      if (there->revision != expected)
        {
          g_autofree char *message = g_strdup_printf (
              _ ("The portal has revision %" PRId64 "; this library expects revision %" PRId64 "."),
              there->revision, expected);

          g_ptr_array_add (report->drift,
                           drift_new (row->item_id, row->title, GK_SYNC_DRIFT_STALE, expected,
                                      there->revision, state, there->status, message));
        }
      else if (row->portal != NULL && row->portal->etag != NULL && there->etag != NULL &&
               g_strcmp0 (row->portal->etag, there->etag) != 0)
        g_ptr_array_add (
            report->drift,
            drift_new (row->item_id, row->title, GK_SYNC_DRIFT_STALE, expected, there->revision,
                       state, there->status,
                       _ ("The portal’s copy was changed since the last sync (another ETag).")));
    }

  g_hash_table_iter_init (&iter, check->portal);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PortalEntry *there = value;

      if (g_hash_table_contains (known, key) || g_strcmp0 (there->status, "published") != 0)
        continue;
      g_ptr_array_add (
          report->drift,
          drift_new (key, NULL, GK_SYNC_DRIFT_EXTRA, 0, there->revision, NULL, there->status,
                     _ ("Published on the portal but not published from this library.")));
    }
  g_ptr_array_sort (report->drift, compare_drift);
  return report;
}

static void list_next_page (GTask *task);

static gboolean
on_check_delay_cb (gpointer user_data)
{
  GTask    *task = user_data;
  CheckRun *check = g_task_get_task_data (task);

  g_clear_pointer (&check->delay, g_source_unref);
  /* The source drops its reference when it is done: the request takes
   * one of its own. */
  list_next_page (g_object_ref (task));
  return G_SOURCE_REMOVE;
}

static char *
check_time_limit_message (CheckRun *check)
{
  return g_strdup_printf (_ ("The check was stopped at its time limit of %.0f seconds."),
                          check->options->batch_timeout_ms / 1000.0);
}

static gboolean
on_check_deadline_cb (gpointer user_data)
{
  CheckRun *check = user_data;

  g_clear_pointer (&check->deadline, g_source_unref);
  check->deadline_hit = TRUE;
  /* A request under way ends as cancelled (on_list_page_cb says why);
   * a retry waiting ends here. */
  g_cancellable_cancel (check->requests);
  if (check->delay != NULL)
    {
      g_autoptr (GTask) task = g_object_ref (check->task);
      g_autofree char *message = check_time_limit_message (check);

      g_source_destroy (check->delay);
      g_clear_pointer (&check->delay, g_source_unref);
      g_task_return_new_error (task, GK_ERROR, GK_ERROR_FAILED, "%s", message);
    }
  return G_SOURCE_REMOVE;
}

static void
on_list_page_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CheckRun *check = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GkPortalResponse) response =
      gk_portal_client_request_finish (GK_PORTAL_CLIENT (object), result, &error);
  g_autofree char *description = NULL;

  if (response == NULL)
    {
      if (check->deadline_hit && !g_cancellable_is_cancelled (check->caller))
        {
          g_autofree char *message = check_time_limit_message (check);

          g_task_return_new_error (task, GK_ERROR, GK_ERROR_FAILED, "%s", message);
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  description = gk_portal_response_describe (response);

  if (response->outcome == GK_PORTAL_TRANSIENT)
    {
      if (++check->attempt >= check->options->max_attempts)
        {
          g_task_return_new_error (task, GK_ERROR, GK_ERROR_FAILED, _ ("Failed after %u tries: %s"),
                                   check->attempt, description);
          return;
        }
      check->delay = g_timeout_source_new (
          sync_compute_delay (check->options, check->attempt, response->retry_after_ms));
      g_source_set_callback (check->delay, on_check_delay_cb, g_object_ref (task), g_object_unref);
      g_source_attach (check->delay, check->context);
      return;
    }
  if (response->outcome != GK_PORTAL_OK)
    {
      g_task_return_new_error (task, GK_ERROR,
                               response->outcome == GK_PORTAL_AUTH ? GK_ERROR_PERMISSION
                                                                   : GK_ERROR_FAILED,
                               "%s", description);
      return;
    }
  check->attempt = 0;

  /* gk_portal_reply_parse() checked each entry and the order within the
   * page; the order across pages is checked here. */
  if (response->listed->len > 0 && check->last_id != NULL &&
      strcmp (((GkPortalListed *) g_ptr_array_index (response->listed, 0))->id, check->last_id) <=
          0)
    {
      g_task_return_new_error (task, GK_ERROR, GK_ERROR_FAILED, "%s",
                               _ ("The portal’s document listing is not ordered by id across pages "
                                  "(an id came back or went backwards)."));
      return;
    }
  for (guint i = 0; i < response->listed->len; i++)
    {
      GkPortalListed *listed = g_ptr_array_index (response->listed, i);
      PortalEntry    *entry = g_new0 (PortalEntry, 1);

      entry->revision = listed->revision;
      entry->etag = g_strdup (listed->etag);
      entry->status = g_strdup (listed->status);
      g_hash_table_replace (check->portal, g_strdup (listed->id), entry);
      if (i + 1 == response->listed->len)
        {
          g_free (check->last_id);
          check->last_id = g_strdup (listed->id);
        }
    }

  if (response->next == NULL)
    {
      GkSyncCheckReport *report = compare_with_portal (check, &error);

      if (report == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, report, (GDestroyNotify) gk_sync_check_report_free);
      return;
    }
  if (g_hash_table_contains (check->cursors, response->next) || ++check->pages > MAX_LIST_PAGES)
    {
      g_task_return_new_error (
          task, GK_ERROR, GK_ERROR_FAILED, "%s",
          _ ("The portal’s document listing never ends (a cursor came back)."));
      return;
    }
  g_free (check->after);
  check->after = g_strdup (response->next);
  g_hash_table_add (check->cursors, g_strdup (check->after));
  list_next_page (g_steal_pointer (&task));
}

static void
list_next_page (GTask *task)
{
  CheckRun *check = g_task_get_task_data (task);

  gk_portal_client_list_documents_async (check->client, LIST_PAGE_SIZE, check->after,
                                         check->requests, on_list_page_cb, task);
}

/* sync_local_check_async: the engine thread’s side.
 * @self: a sync engine
 * @options: the portal and token
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
sync_local_check_async (GkSync              *self,
                        const GkSyncOptions *options,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  CheckRun *check;
  GError   *error = NULL;

  g_return_if_fail (GK_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sync_local_check_async);

  check = g_new0 (CheckRun, 1);
  check->store = g_object_ref (self->store);
  check->options = sync_fill_options (self, options);
  check->context = g_main_context_ref_thread_default ();
  check->portal = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, portal_entry_free);
  check->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  check->task = task;
  check->requests = g_cancellable_new ();
  if (cancellable != NULL)
    {
      check->caller = g_object_ref (cancellable);
      check->requests_handler = g_cancellable_connect (
          cancellable, G_CALLBACK (sync_on_caller_cancelled_cb), check->requests, NULL);
    }
  g_task_set_task_data (task, check, check_run_free);

  if (!gk_store_check_role (self->store, check->options->actor, GK_ROLE_PUBLISHER | GK_ROLE_ADMIN,
                            &error) ||
      (check->client = sync_create_client (check->options, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  check->deadline = g_timeout_source_new (check->options->batch_timeout_ms);
  g_source_set_name (check->deadline, "[gongkai] sync check deadline");
  g_source_set_callback (check->deadline, on_check_deadline_cb, check, NULL);
  g_source_attach (check->deadline, check->context);
  list_next_page (g_steal_pointer (&task));
}

/* sync_local_check_finish: the engine thread’s side.
 * @self: a sync engine
 * @result: the result
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): the drift found
 */
GkSyncCheckReport *
sync_local_check_finish (GkSync *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* sync_local_resolve_async: the engine thread’s side.
 * @self: a sync engine
 * @options: the portal, token and the acting admin
 * @id: the item (id, prefix or 索引号)
 * @resolution: keep the portal's copy or overwrite it
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
sync_local_resolve_async (GkSync              *self,
                          const GkSyncOptions *options,
                          const char          *id,
                          GkSyncResolution     resolution,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Run    *run;
  GError *error = NULL;
  g_autoptr (GkItem) item = NULL;
  Work *work;

  g_return_if_fail (GK_IS_SYNC (self));

  run = sync_run_new (self, RUN_RESOLVE, options, cancellable, callback, user_data,
                      sync_local_resolve_async);
  run->resolution = resolution;
  run->options->concurrency = 1;

  if (!gk_store_check_role (self->store, run->options->actor, GK_ROLE_ADMIN, &error) ||
      (item = gk_store_get_item (self->store, id, &error)) == NULL)
    {
      sync_run_fail (run, error);
      return;
    }
  /* A withdrawal is a person's later decision: neither overwriting nor
   * keeping the portal's copy may drop it. */
  {
    g_autoptr (GkSyncJob) active = gk_store_sync_get_active_job (self->store, item->id, &error);

    if (error != NULL)
      {
        sync_run_fail (run, error);
        return;
      }
    if (active != NULL && active->operation == GK_SYNC_OP_WITHDRAW)
      {
        sync_run_fail (run,
                       g_error_new_literal (GK_ERROR, GK_ERROR_REFUSED,
                                            _ ("A withdrawal of this item is queued: run the sync "
                                               "first; it withdraws the portal’s copy.")));
        return;
      }
  }
  if ((item->flags & GK_ITEM_FLAG_CONFLICT) == 0)
    {
      sync_run_fail (
          run,
          g_error_new (GK_ERROR, GK_ERROR_REFUSED,
                       _ ("“%s” is not in conflict with the portal: there is nothing to resolve."),
                       item->title ? item->title : item->id));
      return;
    }
  if (!sync_setup_client (run, &error) || !sync_take_lock (run, &error))
    {
      sync_run_fail (run, error);
      return;
    }
  sync_arm_batch_deadline (run);

  work = g_new0 (Work, 1);
  work->run = run;
  work->item_id = g_strdup (item->id);
  work->title = g_strdup (item->title);
  run->resolve_id = g_strdup (item->id);

  if (resolution == GK_SYNC_RESOLVE_KEEP_PORTAL)
    {
      work->step = STEP_GET_KEEP_PORTAL;
      work->job = gk_store_sync_get_active_job (self->store, item->id, NULL);
    }
  else
    {
      g_autofree char *approved = NULL;
      g_autoptr (GkSyncJob) active = NULL;
      gint64 revision = 0;

      approved = gk_workflow_get_approved_record (self->store, item->id, &revision, NULL, &error);
      if (approved == NULL)
        {
          g_prefix_error (&error, _ ("The portal’s copy cannot be overwritten: "));
          sync_work_free (work);
          sync_run_fail (run, error);
          return;
        }
      active = gk_store_sync_get_active_job (self->store, item->id, &error);
      if (error == NULL && (active == NULL || active->revision != revision || active->body == NULL))
        {
          g_autoptr (GkPortalState) state =
              gk_store_sync_get_portal_state (self->store, item->id, NULL);
          g_autofree char *today = gk_date_today ();
          g_autofree char *body = NULL;
          GkSyncJobSpec    spec = { 0 };

          body = gk_sync_build_body (approved,
                                     state && state->publish_date ? state->publish_date
                                     : item->publish_date         ? item->publish_date
                                                                  : today,
                                     &error);
          spec.item_id = item->id;
          spec.revision = revision;
          spec.operation = state != NULL && g_strcmp0 (state->status, "published") == 0
                               ? GK_SYNC_OP_UPDATE
                               : GK_SYNC_OP_PUBLISH;
          spec.body = body;
          if (body != NULL &&
              gk_store_sync_add_jobs (self->store, run->options->actor, &spec, 1, &error))
            {
              g_clear_pointer (&active, gk_sync_job_free);
              active = gk_store_sync_get_active_job (self->store, item->id, &error);
            }
        }
      if (error != NULL || active == NULL)
        {
          if (error == NULL)
            error = g_error_new_literal (GK_ERROR, GK_ERROR_FAILED,
                                         _ ("The outbox has no job for it."));
          sync_work_free (work);
          sync_run_fail (run, error);
          return;
        }
      work->job = g_steal_pointer (&active);
      work->overwrite = TRUE;
    }

  run->n_total = 1;
  g_queue_push_tail (&run->queue, work);
  sync_pump (run);
}

/* sync_local_resolve_finish: the engine thread’s side.
 * @self: a sync engine
 * @result: the result
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): what was done
 */
GkSyncItemResult *
sync_local_resolve_finish (GkSync *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
