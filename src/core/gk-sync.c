/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiSync"

#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "gk-sync-private.h"
#include "gk-token.h"
#include "gk-util.h"
#include "gk-workflow.h"

/* The sync's batch engine.  Everything after the outbox is written runs
 * on the caller's main context, driven by the portal client's callbacks:
 * a queue of items, at most `concurrency` of them in flight, each a small
 * state machine (files, then the document; or the DELETE).  The outbox
 * is written in a worker thread (it reads every approved record), and
 * the per-item database writes are short transactions on the main
 * context.  What may be sent is gk-sync-gate.c's; reconciliation and
 * conflicts are gk-sync-check.c's. */

G_DEFINE_FINAL_TYPE (GkSync, gk_sync, G_TYPE_OBJECT)

static void finish_not_sent (Work *work);

/* Prepared in the worker thread. */
typedef struct
{
  GPtrArray *early;  /* GkSyncItemResult* */
  GPtrArray *jobs;   /* GkSyncJob*, pending */
  GPtrArray *titles; /* char*, for jobs */
} Prepared;

static void
prepared_free (gpointer data)
{
  Prepared *prepared = data;

  g_clear_pointer (&prepared->early, g_ptr_array_unref);
  g_clear_pointer (&prepared->jobs, g_ptr_array_unref);
  g_clear_pointer (&prepared->titles, g_ptr_array_unref);
  g_free (prepared);
}
JsonNode *
sync_parse_object (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_copy (root);
}

const char *
sync_member_string (JsonObject *object, const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

GkSyncItemResult *
sync_result_new (const char   *id,
                 const char   *title,
                 GkSyncOutcome outcome,
                 const char   *operation,
                 gint64        revision,
                 const char   *message)
{
  GkSyncItemResult *result = g_new0 (GkSyncItemResult, 1);

  result->id = g_strdup (id);
  result->title = g_strdup (title);
  result->outcome = outcome;
  result->operation = g_strdup (operation);
  result->revision = revision;
  result->message = g_strdup (message);
  return result;
}

/**
 * gk_sync_item_result_copy:
 * @src: a result
 *
 * Returns: (transfer full): a deep copy
 */
GkSyncItemResult *
gk_sync_item_result_copy (const GkSyncItemResult *src)
{
  GkSyncItemResult *result = sync_result_new (src->id, src->title, src->outcome, src->operation,
                                              src->revision, src->message);

  result->public_url = g_strdup (src->public_url);
  result->fields = src->fields ? json_node_copy (src->fields) : NULL;
  return result;
}

/* json_node_copy() shares objects and arrays: this one does not. */
JsonNode *
sync_deep_copy (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  return sync_parse_object (text);
}

/* Run */

static void
run_free (gpointer data)
{
  Run *run = data;

  g_assert (run->active == NULL || run->active->len == 0);
  /* Before the cancel source goes: it keeps the cancellable alive. */
  if (run->requests_handler != 0)
    g_cancellable_disconnect (run->cancellable, run->requests_handler);
  if (run->complete_source != NULL)
    {
      g_source_destroy (run->complete_source);
      g_source_unref (run->complete_source);
    }
  if (run->cancel_source != NULL)
    {
      g_source_destroy (run->cancel_source);
      g_source_unref (run->cancel_source);
    }
  if (run->deadline != NULL)
    {
      g_source_destroy (run->deadline);
      g_source_unref (run->deadline);
    }
  g_clear_object (&run->requests);
  if (run->progress_destroy != NULL)
    run->progress_destroy (run->progress_data);
  g_clear_object (&run->client);
  g_clear_object (&run->store);
  g_clear_pointer (&run->options, gk_sync_options_free);
  g_clear_pointer (&run->report, gk_sync_report_free);
  g_clear_pointer (&run->early, g_ptr_array_unref);
  g_clear_pointer (&run->active, g_ptr_array_unref);
  g_queue_clear (&run->queue);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_clear_error (&run->error);
  g_free (run->resolve_id);
  g_free (run->unreachable);
  if (run->lock_fd >= 0)
    close (run->lock_fd);
  g_clear_pointer (&run->resolve_result, gk_sync_item_result_free);
  g_free (run);
}

void
sync_work_free (Work *work)
{
  if (work->delay != NULL)
    {
      g_source_destroy (work->delay);
      g_source_unref (work->delay);
    }
  g_clear_pointer (&work->job, gk_sync_job_free);
  g_free (work->item_id);
  g_free (work->title);
  g_clear_pointer (&work->files, g_ptr_array_unref);
  g_free (work->publish_date);
  g_clear_pointer (&work->body, g_bytes_unref);
  g_free (work->last_error);
  g_free (work);
}

const char *
sync_portal_url (Run *run)
{
  return run->options->portal_url;
}

const char *
sync_work_operation (Work *work)
{
  return work->job != NULL ? gk_sync_operation_to_string (work->job->operation) : NULL;
}

gint64
sync_work_revision (Work *work)
{
  return work->job != NULL ? work->job->revision : 0;
}

static void
deliver (Run *run, GkSyncItemResult *result)
{
  run->n_done++;
  if (run->kind == RUN_RESOLVE || run->kind == RUN_WITHDRAW)
    {
      g_clear_pointer (&run->resolve_result, gk_sync_item_result_free);
      run->resolve_result = gk_sync_item_result_copy (result);
    }
  g_ptr_array_add (run->report->results, result);
  if (run->progress != NULL)
    run->progress (result, run->n_done, MAX (run->n_total, run->n_done), run->progress_data);
}

static void
complete (Run *run)
{
  GTask *task = run->task;

  if (run->completed)
    return;
  run->completed = TRUE;
  run->task = NULL;
  if (run->deadline != NULL)
    {
      g_source_destroy (run->deadline);
      g_clear_pointer (&run->deadline, g_source_unref);
    }
  /* Released before the callback, which may start the next run. */
  if (run->lock_fd >= 0)
    {
      close (run->lock_fd);
      run->lock_fd = -1;
    }

  if (run->error != NULL)
    g_task_return_error (task, g_steal_pointer (&run->error));
  else if (g_cancellable_is_cancelled (run->cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                             _ ("The sync was cancelled; what was not sent stays in the outbox."));
  else if (run->kind == RUN_WITHDRAW && run->resolve_result != NULL)
    g_task_return_pointer (task, g_steal_pointer (&run->resolve_result),
                           (GDestroyNotify) gk_sync_item_result_free);
  else if (run->kind == RUN_RESOLVE || run->kind == RUN_WITHDRAW)
    {
      if (run->report->stopped)
        g_task_return_new_error (task, GK_ERROR,
                                 run->report->timed_out ? GK_ERROR_FAILED : GK_ERROR_PERMISSION,
                                 "%s", run->report->stop_message);
      else if (run->resolve_result == NULL)
        g_task_return_new_error (task, GK_ERROR, GK_ERROR_FAILED, "%s", _ ("Nothing was done."));
      else
        g_task_return_pointer (task, g_steal_pointer (&run->resolve_result),
                               (GDestroyNotify) gk_sync_item_result_free);
    }
  else
    g_task_return_pointer (task, g_steal_pointer (&run->report),
                           (GDestroyNotify) gk_sync_report_free);
  g_object_unref (task);
}

static gboolean
is_idle (Run *run)
{
  return !run->pumping && !run->preparing && run->active->len == 0 &&
         g_queue_is_empty (&run->queue);
}

static gboolean
on_complete_cb (gpointer user_data)
{
  Run *run = user_data;

  g_clear_pointer (&run->complete_source, g_source_unref);
  if (is_idle (run))
    complete (run);
  return G_SOURCE_REMOVE;
}

/* Completion never happens inside one of our own callbacks: the run (the
 * task's data) must outlive the code that is still using it. */
static void
maybe_complete (Run *run)
{
  if (!is_idle (run) || run->completed || run->complete_source != NULL)
    return;
  run->complete_source = g_idle_source_new ();
  g_source_set_name (run->complete_source, "[gongkai] sync complete");
  g_source_set_callback (run->complete_source, on_complete_cb, run, NULL);
  g_source_attach (run->complete_source, run->context);
}

static void
finish_work (Work *work)
{
  Run *run = work->run;

  g_ptr_array_remove (run->active, work);
  sync_work_free (work);
  sync_pump (run);
}

/* The item is done for this batch, with this result. */
void
sync_finish_with (Work         *work,
                  GkSyncOutcome outcome,
                  const char   *message,
                  const char   *public_url,
                  JsonNode     *fields)
{
  GkSyncItemResult *result =
      sync_result_new (work->item_id, work->title, outcome, sync_work_operation (work),
                       sync_work_revision (work), message);

  result->public_url = g_strdup (public_url);
  result->fields = fields != NULL ? json_node_copy (fields) : NULL;
  deliver (work->run, result);
  finish_work (work);
}

/* Not sent in this batch (stopped or cancelled): the job stays pending. */
static void
finish_not_sent (Work *work)
{
  Run             *run = work->run;
  g_autofree char *message = NULL;

  if (work->item_id == NULL)
    {
      finish_work (work);
      return;
    }
  if (run->report->stopped)
    message = g_strdup_printf (_ ("Not sent: %s"), run->report->stop_message);
  else
    message = g_strdup (_ ("Not sent: the sync was cancelled. The item stays in the outbox."));
  sync_finish_with (work, GK_SYNC_OUTCOME_SKIPPED, message, NULL, NULL);
}

void
sync_fail_work (Work *work, const char *message)
{
  Run *run = work->run;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = g_strdup (message);

  if (work->job != NULL &&
      !gk_store_sync_record_failure (run->store, run->options->actor, work->job->id,
                                     sync_portal_url (run), message, &error))
    {
      g_free (text);
      text = g_strdup_printf ("%s (%s)", message, error->message);
    }
  sync_finish_with (work, GK_SYNC_OUTCOME_FAILED, text, NULL, NULL);
}

static void
mark_refused (Work *work, GkPortalResponse *response)
{
  Run *run = work->run;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = gk_portal_response_describe (response);
  g_autoptr (JsonNode) fields = gk_portal_response_fields_json (response);

  if (work->job != NULL &&
      !gk_store_sync_mark_refused (run->store, run->options->actor, work->job->id,
                                   sync_portal_url (run), message, fields, &error))
    {
      sync_fail_work (work, error->message);
      return;
    }
  sync_finish_with (work, GK_SYNC_OUTCOME_REFUSED, message, NULL,
                    json_array_get_length (json_node_get_array (fields)) > 0 ? fields : NULL);
}

/* The job may not be sent any more: it leaves the outbox, audited. */
static void
supersede (Work *work, const char *why)
{
  Run *run = work->run;
  g_autoptr (GError) error = NULL;

  if (!gk_store_sync_supersede_job (run->store, run->options->actor, work->job->id, why, &error))
    {
      sync_fail_work (work, error->message);
      return;
    }
  sync_finish_with (work, GK_SYNC_OUTCOME_SKIPPED, why, NULL, NULL);
}

static void
cut_delays_short (Run *run)
{
  g_autoptr (GPtrArray) waiting = g_ptr_array_new ();

  for (guint i = 0; i < run->active->len; i++)
    {
      Work *work = g_ptr_array_index (run->active, i);

      if (work->delay != NULL)
        g_ptr_array_add (waiting, work);
    }
  for (guint i = 0; i < waiting->len; i++)
    {
      Work *work = g_ptr_array_index (waiting, i);

      g_source_destroy (work->delay);
      g_clear_pointer (&work->delay, g_source_unref);
      if (g_cancellable_is_cancelled (run->cancellable))
        finish_work (work);
      else
        finish_not_sent (work);
    }
}

/* 401/403, an untrusted certificate, a server that is not a portal:
 * nothing more is sent in this batch. */
static void
stop_batch (Run *run, GkPortalResponse *response)
{
  if (run->report->stopped)
    return;
  run->stopping = TRUE;
  run->report->stopped = TRUE;
  run->report->auth_refused = response->outcome == GK_PORTAL_AUTH;
  run->report->tls_errors = response->tls_errors;
  if (response->outcome == GK_PORTAL_AUTH || response->outcome == GK_PORTAL_FATAL)
    run->report->stop_message = gk_portal_response_describe (response);
  else
    run->report->stop_message = g_strdup_printf (
        _ ("The server at %s does not answer like a portal of this API (HTTP %u on "
           "/health). Check the portal address."),
        sync_portal_url (run), response->status);
  gk_store_sync_audit_stop (run->store, run->options->actor, sync_portal_url (run),
                            run->report->stop_message, NULL);
  cut_delays_short (run);
}

guint
sync_compute_delay (const GkSyncOptions *options, guint attempt, gint64 retry_after_ms)
{
  guint64 backoff = options->retry_base_ms;
  guint64 delay;

  for (guint i = 1; i < attempt && backoff < options->retry_max_ms; i++)
    backoff *= 2;
  backoff = MIN (backoff, (guint64) options->retry_max_ms);
  /* "Equal jitter": half fixed, half random, so that a crowd of clients
   * that failed together does not come back together. */
  delay =
      backoff / 2 +
      (backoff > 1 ? (guint64) g_random_int_range (0, (gint32) MIN (backoff / 2 + 1, G_MAXINT32))
                   : 0);
  if (retry_after_ms >= 0)
    delay = MAX (delay, (guint64) MIN (retry_after_ms, (gint64) options->retry_after_max_ms));
  return (guint) MIN (delay, (guint64) G_MAXUINT);
}

static gboolean
on_delay_done_cb (gpointer user_data)
{
  Work *work = user_data;

  g_clear_pointer (&work->delay, g_source_unref);
  sync_send_step (work);
  return G_SOURCE_REMOVE;
}

static void
retry_or_fail (Work *work, GkPortalResponse *response)
{
  Run  *run = work->run;
  guint delay;

  g_free (work->last_error);
  work->last_error = gk_portal_response_describe (response);
  work->attempt++;

  /* 429: the portal limits connections (or requests) per token.  Fewer
   * items in flight means fewer connections; the batch keeps the lower
   * pace to its end. */
  if (response->status == 429 && run->limit > 1)
    {
      guint in_flight = 0;

      for (guint i = 0; i < run->active->len; i++)
        if (((Work *) g_ptr_array_index (run->active, i))->item_id != NULL)
          in_flight++;
      if (in_flight > 1)
        {
          run->limit = MIN (run->limit, in_flight) - 1;
          g_debug ("the portal answered 429: at most %u items at once from now on", run->limit);
        }
    }

  if (run->stopping)
    {
      finish_not_sent (work);
      return;
    }
  if (work->attempt >= run->options->max_attempts)
    {
      g_autofree char *message =
          g_strdup_printf (_ ("Failed after %u tries: %s"), work->attempt, work->last_error);

      if (work->step == STEP_HEALTH)
        {
          /* The portal cannot be reached: every item fails with that. */
          run->unreachable = g_steal_pointer (&message);
          finish_work (work);
          return;
        }
      sync_fail_work (work, message);
      return;
    }

  delay = sync_compute_delay (run->options, work->attempt, response->retry_after_ms);
  g_debug ("retrying %s in %u ms (try %u): %s", work->item_id ? work->item_id : "health", delay,
           work->attempt + 1, work->last_error);
  work->delay = g_timeout_source_new (delay);
  g_source_set_name (work->delay, "[gongkai] sync retry");
  g_source_set_callback (work->delay, on_delay_done_cb, work, NULL);
  g_source_attach (work->delay, run->context);
}

static void
next_file (Work *work)
{
  work->file_index++;
  if (work->file_index < work->files->len)
    work->step = work->upload_only ? STEP_PUT_FILE : STEP_HEAD_FILE;
  else
    work->step = STEP_PUT_DOCUMENT;
  sync_send_step (work);
}

static void
handle_health (Work *work, GkPortalResponse *response)
{
  Run *run = work->run;

  if (response->outcome != GK_PORTAL_OK)
    stop_batch (run, response);
  finish_work (work);
}

static void
handle_document_put (Work *work, GkPortalResponse *response)
{
  Run *run = work->run;
  g_autoptr (GError) error = NULL;

  switch (response->outcome)
    {
      case GK_PORTAL_OK:
        {
          /* Checked by gk_portal_reply_parse(): an absolute http(s) URL. */
          const char   *public_url = response->public_url;
          GkSyncOutcome outcome = work->job->operation == GK_SYNC_OP_UPDATE
                                      ? GK_SYNC_OUTCOME_UPDATED
                                      : GK_SYNC_OUTCOME_PUBLISHED;

          if (!gk_store_sync_complete_publish (run->store, run->options->actor, work->job->id,
                                               sync_portal_url (run), response->etag, public_url,
                                               work->publish_date,
                                               work->overwrite ? "overwrite" : NULL, &error))
            {
              /* The portal has it; the next run sends the same body again
               * and the portal answers 200. */
              sync_fail_work (work, error->message);
              return;
            }
          sync_finish_with (work, outcome, NULL, public_url, NULL);
          return;
        }

      case GK_PORTAL_CONFLICT:
        if (!work->conflict_checked && !work->overwrite)
          {
            /* Maybe the portal holds a write of ours whose answer was lost
             * (an older body of this item): look before calling a person. */
            work->conflict_checked = TRUE;
            g_free (work->last_error);
            work->last_error = gk_portal_response_describe (response);
            work->step = STEP_GET_AFTER_CONFLICT;
            sync_send_step (work);
            return;
          }
        {
          g_autofree char *message = gk_portal_response_describe (response);
          sync_mark_conflict (work, message);
        }
        return;

      case GK_PORTAL_REFUSED:
      case GK_PORTAL_NOT_FOUND:
      default:
        if (g_strcmp0 (response->error_code, "file_missing") == 0 && !work->file_retry_done &&
            work->files->len > 0)
          {
            /* The portal lost a file it said it had: upload again, once. */
            work->file_retry_done = TRUE;
            work->upload_only = TRUE;
            work->file_index = 0;
            work->step = STEP_PUT_FILE;
            sync_send_step (work);
            return;
          }
        mark_refused (work, response);
        return;
    }
}

static void
handle_delete (Work *work, GkPortalResponse *response)
{
  Run *run = work->run;
  g_autoptr (GError) error = NULL;

  switch (response->outcome)
    {
      case GK_PORTAL_OK:
      case GK_PORTAL_NOT_FOUND:
        if (!gk_store_sync_complete_withdraw (run->store, run->options->actor, work->job->id,
                                              sync_portal_url (run), response->status, &error))
          {
            sync_fail_work (work, error->message);
            return;
          }
        sync_finish_with (work, GK_SYNC_OUTCOME_WITHDRAWN, NULL, NULL, NULL);
        return;

      case GK_PORTAL_CONFLICT:
        {
          g_autofree char *message = gk_portal_response_describe (response);
          sync_mark_conflict (work, message);
        }
        return;

      default:
        mark_refused (work, response);
        return;
    }
}

static void
on_response_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Work *work = user_data;
  Run  *run = work->run;
  g_autoptr (GError) error = NULL;
  g_autoptr (GkPortalResponse) response =
      gk_portal_client_request_finish (GK_PORTAL_CLIENT (object), result, &error);

  if (response == NULL)
    {
      /* Cancelled: whatever was under way stays in the outbox. */
      if (run->stopping && !g_cancellable_is_cancelled (run->cancellable))
        finish_not_sent (work);
      else
        finish_work (work);
      return;
    }

  switch (response->outcome)
    {
      case GK_PORTAL_AUTH:
      case GK_PORTAL_FATAL:
        stop_batch (run, response);
        finish_not_sent (work);
        return;
      case GK_PORTAL_TRANSIENT:
        retry_or_fail (work, response);
        return;
      default:
        break;
    }
  work->attempt = 0;

  switch (work->step)
    {
      case STEP_HEALTH:
        handle_health (work, response);
        return;

      case STEP_HEAD_FILE:
        if (response->outcome == GK_PORTAL_OK)
          next_file (work);
        else if (response->outcome == GK_PORTAL_NOT_FOUND)
          {
            work->step = STEP_PUT_FILE;
            sync_send_step (work);
          }
        else
          mark_refused (work, response);
        return;

      case STEP_PUT_FILE:
        if (response->outcome == GK_PORTAL_OK)
          next_file (work);
        else
          mark_refused (work, response);
        return;

      case STEP_PUT_DOCUMENT:
        handle_document_put (work, response);
        return;

      case STEP_GET_AFTER_CONFLICT:
        sync_handle_get_after_conflict (work, response);
        return;

      case STEP_DELETE:
        handle_delete (work, response);
        return;

      case STEP_GET_KEEP_PORTAL:
        sync_handle_keep_portal (work, response);
        return;

      default:
        g_assert_not_reached ();
    }
}

void
sync_send_step (Work *work)
{
  Run *run = work->run;

  if (g_cancellable_is_cancelled (run->cancellable))
    {
      finish_work (work);
      return;
    }
  if (run->stopping && work->step != STEP_HEALTH)
    {
      finish_not_sent (work);
      return;
    }

  switch (work->step)
    {
      case STEP_HEALTH:
        gk_portal_client_health_async (run->client, run->requests, on_response_cb, work);
        return;

      case STEP_HEAD_FILE:
        {
          FileRef *ref = g_ptr_array_index (work->files, work->file_index);

          gk_portal_client_head_file_async (run->client, ref->sha256, run->requests, on_response_cb,
                                            work);
        }
        return;

      case STEP_PUT_FILE:
        {
          FileRef         *ref = g_ptr_array_index (work->files, work->file_index);
          g_autofree char *path = gk_store_get_file_path (run->store, ref->sha256);
          g_autoptr (GError) error = NULL;
          g_autoptr (GMappedFile) mapped = g_mapped_file_new (path, FALSE, &error);
          g_autoptr (GBytes) bytes = NULL;

          if (mapped == NULL)
            {
              g_autofree char *message = g_strdup_printf (
                  _ ("The approved document file is missing from the library: %s"), error->message);
              sync_fail_work (work, message);
              return;
            }
          /* Mapped, not read: a 100 MB file costs no heap. */
          bytes = g_mapped_file_get_bytes (mapped);
          gk_portal_client_put_file_async (run->client, ref->sha256, ref->media_type, bytes,
                                           run->requests, on_response_cb, work);
        }
        return;

      case STEP_PUT_DOCUMENT:
        {
          g_autoptr (GkPortalState) state = NULL;
          GkPortalPrecondition precondition = GK_PORTAL_PRECONDITION_CREATE;
          const char          *etag = NULL;
          g_autofree char     *why = NULL;

          /* The gate once more: the item may have been edited, made
           * withheld or withdrawn while its files were uploaded. */
          if (!sync_check_gate (work, TRUE, &why))
            {
              supersede (work, why);
              return;
            }
          if (work->overwrite)
            precondition = GK_PORTAL_PRECONDITION_NONE;
          else
            {
              state = gk_store_sync_get_portal_state (run->store, work->item_id, NULL);
              if (state != NULL && !gk_str_is_blank (state->etag))
                {
                  precondition = GK_PORTAL_PRECONDITION_IF_MATCH;
                  etag = state->etag;
                }
            }
          gk_portal_client_put_document_async (run->client, work->item_id, work->body, precondition,
                                               etag, run->requests, on_response_cb, work);
        }
        return;

      case STEP_GET_AFTER_CONFLICT:
      case STEP_GET_KEEP_PORTAL:
        gk_portal_client_get_document_async (run->client, work->item_id, run->requests,
                                             on_response_cb, work);
        return;

      case STEP_DELETE:
        /* Withdrawal is a person's decision to take the document out of
         * public view: it applies whatever the portal's copy became. */
        gk_portal_client_delete_document_async (run->client, work->item_id, NULL, run->requests,
                                                on_response_cb, work);
        return;

      default:
        g_assert_not_reached ();
    }
}

static void
start_work (Work *work)
{
  Run             *run = work->run;
  g_autofree char *why = NULL;

  if (run->unreachable != NULL)
    {
      /* The portal could not be reached at all. */
      sync_fail_work (work, run->unreachable);
      return;
    }

  if (work->step == STEP_GET_KEEP_PORTAL)
    {
      sync_send_step (work);
      return;
    }
  if (work->job->operation == GK_SYNC_OP_WITHDRAW)
    {
      work->step = STEP_DELETE;
      sync_send_step (work);
      return;
    }
  if (!sync_check_gate (work, FALSE, &why))
    {
      supersede (work, why);
      return;
    }
  work->step = STEP_HEAD_FILE;
  sync_send_step (work);
}

void
sync_pump (Run *run)
{
  if (run->pumping)
    return;
  run->pumping = TRUE;
  while (!g_queue_is_empty (&run->queue) &&
         run->active->len < MIN (run->options->concurrency, run->limit))
    {
      Work *work = g_queue_pop_head (&run->queue);

      g_ptr_array_add (run->active, work);
      if (g_cancellable_is_cancelled (run->cancellable))
        finish_work (work);
      else if (run->stopping)
        finish_not_sent (work);
      else
        start_work (work);
    }
  run->pumping = FALSE;
  maybe_complete (run);
}

static gboolean
on_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  Run *run = user_data;

  run->stopping = TRUE;
  while (!g_queue_is_empty (&run->queue))
    sync_work_free (g_queue_pop_head (&run->queue));
  cut_delays_short (run);
  maybe_complete (run);
  return G_SOURCE_REMOVE;
}

void
sync_on_caller_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* The run's time limit: nothing more is sent, the requests under way
 * are dropped, and every job not confirmed stays in the outbox (a
 * document whose answer was cut may be on the portal: the next run
 * sends the same body, which the portal answers with 200). */
static gboolean
on_batch_deadline_cb (gpointer user_data)
{
  Run *run = user_data;

  g_clear_pointer (&run->deadline, g_source_unref);
  /* Done already, completion waiting for its idle: nothing to stop. */
  if (run->completed || run->report->stopped || is_idle (run))
    return G_SOURCE_REMOVE;
  g_debug ("the run reached its time limit of %u ms", run->options->batch_timeout_ms);
  run->stopping = TRUE;
  run->report->stopped = TRUE;
  run->report->timed_out = TRUE;
  run->report->stop_message = g_strdup_printf (
      _ ("The run was stopped at its time limit of %.0f seconds; what the portal did "
         "not confirm stays in the outbox for the next run."),
      run->options->batch_timeout_ms / 1000.0);
  gk_store_sync_audit_stop (run->store, run->options->actor, sync_portal_url (run),
                            run->report->stop_message, NULL);
  cut_delays_short (run);
  g_cancellable_cancel (run->requests);
  maybe_complete (run);
  return G_SOURCE_REMOVE;
}

void
sync_arm_batch_deadline (Run *run)
{
  run->deadline = g_timeout_source_new (run->options->batch_timeout_ms);
  g_source_set_name (run->deadline, "[gongkai] sync run deadline");
  g_source_set_callback (run->deadline, on_batch_deadline_cb, run, NULL);
  g_source_attach (run->deadline, run->context);
}

/* A time limit setting in seconds, as milliseconds; the default when it
 * is not a valid one. */
static guint
setting_ms (GkStore *store, const char *key, guint maximum_s, guint default_s)
{
  g_autofree char *value = gk_store_get_setting (store, key);
  guint            seconds = default_s;

  if (!gk_parse_seconds (value, 1, maximum_s, &seconds))
    seconds = default_s;
  return seconds * 1000;
}

/* A copy of the options with every default filled in. */
GkSyncOptions *
sync_fill_options (GkSync *self, const GkSyncOptions *options)
{
  GkSyncOptions *o = gk_sync_options_copy (options);

  if (o->concurrency == 0)
    o->concurrency = DEFAULT_CONCURRENCY;
  o->concurrency = MIN (o->concurrency, MAX_CONCURRENCY);
  if (o->max_attempts == 0)
    o->max_attempts = DEFAULT_MAX_ATTEMPTS;
  if (o->retry_base_ms == 0)
    o->retry_base_ms = DEFAULT_RETRY_BASE_MS;
  if (o->retry_max_ms == 0)
    o->retry_max_ms = DEFAULT_RETRY_MAX_MS;
  if (o->retry_max_ms < o->retry_base_ms)
    o->retry_max_ms = o->retry_base_ms;
  if (o->retry_after_max_ms == 0)
    o->retry_after_max_ms = DEFAULT_RETRY_AFTER_MAX_MS;
  if (o->request_timeout_ms == 0)
    o->request_timeout_ms =
        setting_ms (self->store, "sync_request_timeout", GK_SYNC_REQUEST_TIMEOUT_MAX_S,
                    GK_SYNC_REQUEST_TIMEOUT_DEFAULT_S);
  if (o->batch_timeout_ms == 0)
    o->batch_timeout_ms = setting_ms (self->store, "sync_batch_timeout",
                                      GK_SYNC_BATCH_TIMEOUT_MAX_S, GK_SYNC_BATCH_TIMEOUT_DEFAULT_S);
  if (o->actor == NULL)
    o->actor = g_strdup (gk_default_user ());
  if (gk_str_is_blank (o->portal_url))
    {
      g_free (o->portal_url);
      o->portal_url = gk_store_get_setting (self->store, "portal_url");
    }
  if (o->portal_url != NULL)
    {
      gsize len;

      g_strstrip (o->portal_url);
      len = strlen (o->portal_url);
      while (len > 0 && o->portal_url[len - 1] == '/')
        o->portal_url[--len] = '\0';
    }
  if (gk_str_is_blank (o->ca_file))
    {
      g_free (o->ca_file);
      o->ca_file = gk_store_get_setting (self->store, "portal_ca_file");
    }
  return o;
}

Run *
sync_run_new (GkSync              *self,
              RunKind              kind,
              const GkSyncOptions *options,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  Run           *run = g_new0 (Run, 1);
  GkSyncOptions *o = sync_fill_options (self, options);

  run->self = self;
  run->store = g_object_ref (self->store);
  run->kind = kind;
  run->context = g_main_context_ref_thread_default ();
  run->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  run->task = g_task_new (self, run->cancellable, callback, user_data);
  g_task_set_source_tag (run->task, source_tag);
  g_task_set_task_data (run->task, run, run_free);
  g_object_unref (run->cancellable); /* the task holds it */
  run->lock_fd = -1;
  run->active = g_ptr_array_new ();
  run->report = g_new0 (GkSyncReport, 1);
  run->report->results = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_sync_item_result_free);

  run->options = o;
  run->limit = o->concurrency;
  run->report->dry_run = o->dry_run;
  run->report->portal_url = g_strdup (o->portal_url);

  run->cancel_source = g_cancellable_source_new (run->cancellable);
  g_source_set_callback (run->cancel_source, G_SOURCE_FUNC (on_cancelled_cb), run, NULL);
  g_source_attach (run->cancel_source, run->context);
  run->requests = g_cancellable_new ();
  run->requests_handler = g_cancellable_connect (
      run->cancellable, G_CALLBACK (sync_on_caller_cancelled_cb), run->requests, NULL);
  return run;
}

/* One sync at a time per library, across processes: an advisory lock on
 * DIR/sync.lock (dropped by the kernel if the process dies). */
gboolean
sync_take_lock (Run *run, GError **error)
{
  g_autofree char *path = g_build_filename (gk_store_get_path (run->store), "sync.lock", NULL);
  int              fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, GK_ERROR, GK_ERROR_FAILED, _ ("Cannot open the sync lock %s: %s."), path,
                   g_strerror (saved));
      return FALSE;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;

      close (fd);
      if (saved == EWOULDBLOCK)
        g_set_error_literal (
            error, GK_ERROR, GK_ERROR_REFUSED,
            _ ("Another sync of this library is running; try again when it has finished."));
      else
        g_set_error (error, GK_ERROR, GK_ERROR_FAILED, _ ("Cannot lock %s: %s."), path,
                     g_strerror (saved));
      return FALSE;
    }
  run->lock_fd = fd;
  return TRUE;
}

/* Fail before anything started. */
void
sync_run_fail (Run *run, GError *error)
{
  run->error = error;
  complete (run);
}

GkPortalClient *
sync_create_client (const GkSyncOptions *options, GError **error)
{
  GkPortalClientOptions client_options = { 0 };

  if (gk_str_is_blank (options->portal_url))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _ ("No portal address: the library setting portal_url is empty."));
      return NULL;
    }
  if (gk_str_is_blank (options->token))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_PERMISSION,
                   _ ("No portal token was given (it comes from a token file, the environment "
                      "variable %s or the keyring)."),
                   GK_TOKEN_ENV);
      return NULL;
    }
  client_options.ca_file = options->ca_file;
  client_options.allow_insecure = options->allow_insecure;
  client_options.max_connections = options->concurrency;
  client_options.connect_timeout_ms = options->connect_timeout_ms;
  client_options.response_timeout_ms = options->response_timeout_ms;
  client_options.request_timeout_ms = options->request_timeout_ms;
  return gk_portal_client_new (options->portal_url, options->token, &client_options, error);
}

gboolean
sync_setup_client (Run *run, GError **error)
{
  run->client = sync_create_client (run->options, error);
  return run->client != NULL;
}

/* Preparing the outbox (worker thread). */

static GkItem *
find_item (GPtrArray *items, const char *id)
{
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      GkItem *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (item->id, id) == 0)
        return item;
    }
  return NULL;
}

static GPtrArray *
load_items (GkStore *store, GStrv ids, GHashTable *index, GError **error)
{
  GPtrArray *items;

  if (ids == NULL || ids[0] == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);
  items = gk_store_get_items (store, (const char *const *) ids, g_strv_length (ids), error);
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      GkItem *item = g_ptr_array_index (items, i);
      g_hash_table_insert (index, item->id, item);
    }
  return items;
}

/* The ids of @ids that are in @chosen, in the order of @ids. */
static GStrv
chosen_ids (GStrv ids, const char *const *chosen)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; ids[i] != NULL; i++)
    if (g_strv_contains (chosen, ids[i]))
      g_strv_builder_add (builder, ids[i]);
  return g_strv_builder_end (builder);
}

static void
prepare_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  Run           *run = task_data;
  GkStore       *store = run->store;
  GkSyncOptions *options = run->options;
  g_autoptr (GError) error = NULL;
  g_autofree char *today = gk_date_today ();
  g_auto (GStrv) approved_ids = NULL;
  g_auto (GStrv) expired_ids = NULL;
  g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GPtrArray) expired_items = NULL;
  g_autoptr (GArray) specs = g_array_new (FALSE, TRUE, sizeof (GkSyncJobSpec));
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) all_jobs = NULL;
  Prepared *prepared = g_new0 (Prepared, 1);

  prepared->early = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_sync_item_result_free);
  prepared->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_sync_job_free);
  prepared->titles = g_ptr_array_new_with_free_func (g_free);

#define FAIL()                                                                                     \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_task_return_error (task, g_steal_pointer (&error));                                          \
    prepared_free (prepared);                                                                      \
    return;                                                                                        \
  }                                                                                                \
  G_STMT_END

  if ((approved_ids = gk_store_sync_approved_ids (store, &error)) == NULL)
    FAIL ();
  if (options->only_ids != NULL)
    {
      g_auto (GStrv) all_ids = g_steal_pointer (&approved_ids);

      approved_ids = chosen_ids (all_ids, (const char *const *) options->only_ids);
    }
  if ((items = load_items (store, approved_ids, index, &error)) == NULL)
    FAIL ();

  if (!sync_gate_plan (store, options, approved_ids, index, today, specs, keep, prepared->early,
                       cancellable, &error))
    FAIL ();

  if (options->dry_run)
    {
      for (guint i = 0; i < specs->len; i++)
        {
          GkSyncJobSpec   *spec = &g_array_index (specs, GkSyncJobSpec, i);
          GkItem          *item = g_hash_table_lookup (index, spec->item_id);
          g_autofree char *message =
              g_strdup_printf (spec->operation == GK_SYNC_OP_UPDATE
                                   ? _ ("Dry run: revision %" PRId64 " would be sent as an update.")
                                   : _ ("Dry run: revision %" PRId64 " would be published."),
                               spec->revision);

          g_ptr_array_add (prepared->early,
                           sync_result_new (spec->item_id, item ? item->title : NULL,
                                            GK_SYNC_OUTCOME_SKIPPED,
                                            gk_sync_operation_to_string (spec->operation),
                                            spec->revision, message));
        }
    }
  else if (!gk_store_sync_add_jobs (store, options->actor, (GkSyncJobSpec *) specs->data,
                                    specs->len, &error))
    FAIL ();

  /* 规范性文件 past their term: a person must say so (edit validity,
   * approve again); then the update goes out like any other. */
  if ((expired_ids = gk_store_sync_expired_ids (store, today, &error)) == NULL)
    FAIL ();
  if ((expired_items = load_items (store, expired_ids, index, &error)) == NULL)
    FAIL ();
  for (guint i = 0; expired_ids[i] != NULL; i++)
    {
      GkItem          *item = find_item (expired_items, expired_ids[i]);
      g_autofree char *message = g_strdup_printf (
          _ ("Needs re-approval: its validity ended on %s but the portal still shows it "
             "as valid. Edit its validity (expired or repealed) and approve the new "
             "revision; the next sync updates the portal."),
          item && item->effective_until ? item->effective_until : "?");

      g_ptr_array_add (prepared->early, sync_result_new (expired_ids[i], item ? item->title : NULL,
                                                         GK_SYNC_OUTCOME_SKIPPED, NULL,
                                                         item ? item->revision : 0, message));
    }

  if ((all_jobs = gk_store_sync_list_jobs (store, FALSE, &error)) == NULL)
    FAIL ();
  {
    g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
    g_auto (GStrv) job_ids = NULL;
    g_autoptr (GPtrArray) job_items = NULL;
    g_autoptr (GHashTable) job_index = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < all_jobs->len; i++)
      g_strv_builder_add (builder, ((GkSyncJob *) g_ptr_array_index (all_jobs, i))->item_id);
    job_ids = g_strv_builder_end (builder);
    if ((job_items = load_items (store, job_ids, job_index, &error)) == NULL)
      FAIL ();

    for (guint i = 0; i < all_jobs->len; i++)
      {
        GkSyncJob  *job = g_ptr_array_index (all_jobs, i);
        GkItem     *item = g_hash_table_lookup (job_index, job->item_id);
        const char *title = item ? item->title : NULL;

        /* Not chosen: it waits for a run that includes it. */
        if (job->state == GK_SYNC_JOB_PENDING && job->operation != GK_SYNC_OP_WITHDRAW &&
            options->only_ids != NULL &&
            !g_strv_contains ((const char *const *) options->only_ids, job->item_id))
          continue;
        if (job->state == GK_SYNC_JOB_PENDING && !options->dry_run)
          {
            g_ptr_array_add (prepared->jobs, g_ptr_array_steal_index (all_jobs, i));
            g_ptr_array_insert (all_jobs, i, NULL);
            g_ptr_array_add (prepared->titles, g_strdup (title));
          }
        else if (job->state == GK_SYNC_JOB_PENDING)
          {
            g_autofree char *message =
                g_strdup_printf (_ ("Dry run: waiting in the outbox to %s revision %" PRId64 "."),
                                 gk_sync_operation_to_string (job->operation), job->revision);

            g_ptr_array_add (prepared->early,
                             sync_result_new (job->item_id, title, GK_SYNC_OUTCOME_SKIPPED,
                                              gk_sync_operation_to_string (job->operation),
                                              job->revision, message));
          }
        else if (job->state == GK_SYNC_JOB_CONFLICT)
          g_ptr_array_add (
              prepared->early,
              sync_result_new (
                  job->item_id, title, GK_SYNC_OUTCOME_CONFLICT,
                  gk_sync_operation_to_string (job->operation), job->revision,
                  job->last_error
                      ? job->last_error
                      : _ ("In conflict with the portal’s copy; a person must decide.")));
        else if (job->state == GK_SYNC_JOB_REFUSED)
          {
            g_autofree char *message = g_strdup_printf (
                _ ("Refused by the portal earlier: %s Correct the record and approve it "
                   "again to send a new revision."),
                job->last_error ? job->last_error : "");

            g_ptr_array_add (prepared->early,
                             sync_result_new (job->item_id, title, GK_SYNC_OUTCOME_REFUSED,
                                              gk_sync_operation_to_string (job->operation),
                                              job->revision, message));
          }
      }
  }
#undef FAIL

  g_task_return_pointer (task, prepared, prepared_free);
}

static void
start_queue (Run *run)
{
  if (run->options->dry_run)
    {
      maybe_complete (run);
      return;
    }
  /* GET /health first, even with nothing to send: a refused token stops
   * the batch before any item, and is reported when the outbox is empty. */
  {
    Work *health = g_new0 (Work, 1);

    health->run = run;
    health->step = STEP_HEALTH;
    g_ptr_array_add (run->active, health);
    run->pumping = TRUE; /* hold the queue until the health check ends */
    sync_send_step (health);
    run->pumping = FALSE;
  }
}

static void
on_prepared_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Run      *run = user_data;
  GError   *error = NULL;
  Prepared *prepared = g_task_propagate_pointer (G_TASK (result), &error);

  run->preparing = FALSE;
  if (prepared == NULL)
    {
      sync_run_fail (run, error);
      return;
    }

  run->n_total = prepared->early->len + prepared->jobs->len;
  for (guint i = 0; i < prepared->early->len; i++)
    deliver (run, gk_sync_item_result_copy (g_ptr_array_index (prepared->early, i)));
  for (guint i = 0; i < prepared->jobs->len; i++)
    {
      Work *work = g_new0 (Work, 1);

      work->run = run;
      work->job = g_ptr_array_steal_index (prepared->jobs, i);
      g_ptr_array_insert (prepared->jobs, i, NULL);
      work->item_id = g_strdup (work->job->item_id);
      work->title = g_strdup (g_ptr_array_index (prepared->titles, i));
      g_queue_push_tail (&run->queue, work);
    }
  prepared_free (prepared);

  if (g_cancellable_is_cancelled (run->cancellable))
    {
      on_cancelled_cb (run->cancellable, run);
      return;
    }
  start_queue (run);
}

/* GObject */

static void
gk_sync_finalize (GObject *object)
{
  GkSync *self = GK_SYNC (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (gk_sync_parent_class)->finalize (object);
}

static void
gk_sync_class_init (GkSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gk_sync_finalize;
}

static void
gk_sync_init (GkSync *self)
{
}

/* public API */

/**
 * gk_sync_outcome_to_string:
 * @outcome: an outcome
 *
 * Returns: its name in the JSON report
 */
const char *
gk_sync_outcome_to_string (GkSyncOutcome outcome)
{
  static const char *const names[] = {
    "published", "updated", "withdrawn", "conflict", "refused", "failed", "skipped",
  };

  g_return_val_if_fail ((guint) outcome < G_N_ELEMENTS (names), "failed");
  return names[outcome];
}

/**
 * gk_sync_outcome_to_label:
 * @outcome: an outcome
 *
 * Returns: its translated name for the user
 */
const char *
gk_sync_outcome_to_label (GkSyncOutcome outcome)
{
  static const char *const labels[] = {
    N_ ("Published"), N_ ("Updated"), N_ ("Withdrawn"), N_ ("Conflict"),
    N_ ("Refused"),   N_ ("Failed"),  N_ ("Skipped"),
  };

  g_return_val_if_fail ((guint) outcome < G_N_ELEMENTS (labels), "");
  return _ (labels[outcome]);
}

/**
 * gk_sync_drift_kind_to_string:
 * @kind: a drift kind
 *
 * Returns: "missing", "extra" or "stale"
 */
const char *
gk_sync_drift_kind_to_string (GkSyncDriftKind kind)
{
  switch (kind)
    {
      case GK_SYNC_DRIFT_MISSING:
        return "missing";
      case GK_SYNC_DRIFT_EXTRA:
        return "extra";
      case GK_SYNC_DRIFT_STALE:
      default:
        return "stale";
    }
}

/**
 * gk_sync_options_new:
 *
 * Returns: (transfer full): options with every default
 */
GkSyncOptions *
gk_sync_options_new (void)
{
  return g_new0 (GkSyncOptions, 1);
}

/**
 * gk_sync_options_copy:
 * @options: (nullable): options
 *
 * Returns: (transfer full): a deep copy (defaults for %NULL)
 */
GkSyncOptions *
gk_sync_options_copy (const GkSyncOptions *options)
{
  GkSyncOptions *copy = gk_sync_options_new ();

  if (options == NULL)
    return copy;
  *copy = *options;
  copy->portal_url = g_strdup (options->portal_url);
  copy->token = g_strdup (options->token);
  copy->ca_file = g_strdup (options->ca_file);
  copy->actor = g_strdup (options->actor);
  copy->only_ids = g_strdupv (options->only_ids);
  return copy;
}

/**
 * gk_sync_options_free:
 * @options: (nullable): options; the token is wiped
 */
void
gk_sync_options_free (GkSyncOptions *options)
{
  if (options == NULL)
    return;
  g_free (options->portal_url);
  gk_token_free (options->token);
  g_free (options->ca_file);
  g_free (options->actor);
  g_strfreev (options->only_ids);
  g_free (options);
}

/**
 * gk_sync_item_result_free:
 * @result: (nullable): a result
 */
void
gk_sync_item_result_free (GkSyncItemResult *result)
{
  if (result == NULL)
    return;
  g_free (result->id);
  g_free (result->title);
  g_free (result->operation);
  g_free (result->message);
  g_free (result->public_url);
  g_clear_pointer (&result->fields, json_node_unref);
  g_free (result);
}

static void
add_string_or_null (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
build_item_result (JsonBuilder *builder, const GkSyncItemResult *result)
{
  json_builder_begin_object (builder);
  add_string_or_null (builder, "id", result->id);
  add_string_or_null (builder, "title", result->title);
  add_string_or_null (builder, "outcome", gk_sync_outcome_to_string (result->outcome));
  add_string_or_null (builder, "message", result->message);
  add_string_or_null (builder, "public_url", result->public_url);
  add_string_or_null (builder, "operation", result->operation);
  json_builder_set_member_name (builder, "revision");
  if (result->revision > 0)
    json_builder_add_int_value (builder, result->revision);
  else
    json_builder_add_null_value (builder);
  if (result->fields != NULL)
    {
      json_builder_set_member_name (builder, "fields");
      json_builder_add_value (builder, json_node_copy (result->fields));
    }
  json_builder_end_object (builder);
}

/**
 * gk_sync_item_result_to_json:
 * @result: a result
 *
 * Returns: (transfer full): {id, title, outcome, message, public_url, operation, revision, fields?}
 */
JsonNode *
gk_sync_item_result_to_json (const GkSyncItemResult *result)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  build_item_result (builder, result);
  return json_builder_get_root (builder);
}

/**
 * gk_sync_report_free:
 * @report: (nullable): a report
 */
void
gk_sync_report_free (GkSyncReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->results, g_ptr_array_unref);
  g_free (report->stop_message);
  g_free (report->portal_url);
  g_free (report);
}

/**
 * gk_sync_report_count:
 * @report: a report
 * @outcome: an outcome
 *
 * Returns: how many results have @outcome
 */
guint
gk_sync_report_count (const GkSyncReport *report, GkSyncOutcome outcome)
{
  guint n = 0;

  for (guint i = 0; i < report->results->len; i++)
    if (((GkSyncItemResult *) g_ptr_array_index (report->results, i))->outcome == outcome)
      n++;
  return n;
}

/**
 * gk_sync_report_to_json:
 * @report: a report
 *
 * Returns: (transfer full): the report as `sync --json` prints it
 */
JsonNode *
gk_sync_report_to_json (const GkSyncReport *report)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->results->len; i++)
    build_item_result (builder, g_ptr_array_index (report->results, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "summary");
  json_builder_begin_object (builder);
  for (guint o = 0; o < GK_SYNC_N_OUTCOMES; o++)
    {
      json_builder_set_member_name (builder, gk_sync_outcome_to_string (o));
      json_builder_add_int_value (builder, gk_sync_report_count (report, o));
    }
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, report->results->len);
  json_builder_set_member_name (builder, "dry_run");
  json_builder_add_boolean_value (builder, report->dry_run);
  json_builder_set_member_name (builder, "stopped");
  json_builder_add_boolean_value (builder, report->stopped);
  json_builder_set_member_name (builder, "timed_out");
  json_builder_add_boolean_value (builder, report->timed_out);
  add_string_or_null (builder, "stop_message", report->stop_message);
  add_string_or_null (builder, "portal", report->portal_url);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * gk_sync_report_exit_status:
 * @report: a report
 *
 * Returns: 0 when all is done, 1 when some item failed, is in conflict or
 *   was refused (or the batch stopped for another reason), 3 when the
 *   portal refused the token
 */
int
gk_sync_report_exit_status (const GkSyncReport *report)
{
  if (report->stopped)
    return report->auth_refused ? 3 : 1;
  if (gk_sync_report_count (report, GK_SYNC_OUTCOME_FAILED) > 0 ||
      gk_sync_report_count (report, GK_SYNC_OUTCOME_CONFLICT) > 0 ||
      gk_sync_report_count (report, GK_SYNC_OUTCOME_REFUSED) > 0)
    return 1;
  return 0;
}

/**
 * gk_sync_drift_free:
 * @drift: (nullable): a drift entry
 */
void
gk_sync_drift_free (GkSyncDrift *drift)
{
  if (drift == NULL)
    return;
  g_free (drift->id);
  g_free (drift->title);
  g_free (drift->local_state);
  g_free (drift->portal_status);
  g_free (drift->message);
  g_free (drift);
}

/**
 * gk_sync_check_report_free:
 * @report: (nullable): a check report
 */
void
gk_sync_check_report_free (GkSyncCheckReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->drift, g_ptr_array_unref);
  g_free (report->portal_url);
  g_free (report);
}

/**
 * gk_sync_check_report_to_json:
 * @report: a check report
 *
 * Returns: (transfer full): the report as `sync --check --json` prints it
 */
JsonNode *
gk_sync_check_report_to_json (const GkSyncCheckReport *report)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  guint counts[3] = { 0, 0, 0 };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "drift");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->drift->len; i++)
    {
      GkSyncDrift *drift = g_ptr_array_index (report->drift, i);

      counts[drift->kind]++;
      json_builder_begin_object (builder);
      add_string_or_null (builder, "id", drift->id);
      add_string_or_null (builder, "title", drift->title);
      add_string_or_null (builder, "kind", gk_sync_drift_kind_to_string (drift->kind));
      json_builder_set_member_name (builder, "local_revision");
      json_builder_add_int_value (builder, drift->local_revision);
      json_builder_set_member_name (builder, "portal_revision");
      json_builder_add_int_value (builder, drift->portal_revision);
      add_string_or_null (builder, "local_state", drift->local_state);
      add_string_or_null (builder, "portal_status", drift->portal_status);
      add_string_or_null (builder, "message", drift->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "summary");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "missing");
  json_builder_add_int_value (builder, counts[GK_SYNC_DRIFT_MISSING]);
  json_builder_set_member_name (builder, "extra");
  json_builder_add_int_value (builder, counts[GK_SYNC_DRIFT_EXTRA]);
  json_builder_set_member_name (builder, "stale");
  json_builder_add_int_value (builder, counts[GK_SYNC_DRIFT_STALE]);
  json_builder_set_member_name (builder, "portal_documents");
  json_builder_add_int_value (builder, report->n_portal);
  json_builder_set_member_name (builder, "local_items");
  json_builder_add_int_value (builder, report->n_local);
  add_string_or_null (builder, "portal", report->portal_url);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * gk_sync_new:
 * @store: the library
 *
 * Returns: (transfer full): a sync engine for @store
 */
GkSync *
gk_sync_new (GkStore *store)
{
  GkSync *self;

  g_return_val_if_fail (GK_IS_STORE (store), NULL);
  self = g_object_new (GK_TYPE_SYNC, NULL);
  self->store = g_object_ref (store);
  return self;
}

/**
 * gk_sync_get_store:
 * @self: a sync engine
 *
 * Returns: (transfer none): its library
 */
GkStore *
gk_sync_get_store (GkSync *self)
{
  g_return_val_if_fail (GK_IS_SYNC (self), NULL);
  return self->store;
}

/* sync_local_run_async: the engine thread’s side.
 * @self: a sync engine
 * @options: the portal, token and tuning
 * @progress: (nullable) (scope notified): called per finished item
 * @progress_data: for @progress
 * @progress_destroy: (nullable): frees @progress_data
 * @cancellable: (nullable): a cancellable
 * @callback: called when the batch is done
 * @user_data: for @callback
 */
void
sync_local_run_async (GkSync              *self,
                      const GkSyncOptions *options,
                      GkSyncProgressFunc   progress,
                      gpointer             progress_data,
                      GDestroyNotify       progress_destroy,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  Run    *run;
  GError *error = NULL;

  g_return_if_fail (GK_IS_SYNC (self));

  run = sync_run_new (self, RUN_BATCH, options, cancellable, callback, user_data,
                      sync_local_run_async);
  run->progress = progress;
  run->progress_data = progress_data;
  run->progress_destroy = progress_destroy;

  if (!gk_store_check_role (self->store, run->options->actor, GK_ROLE_PUBLISHER | GK_ROLE_ADMIN,
                            &error))
    {
      sync_run_fail (run, error);
      return;
    }
  if (!run->options->dry_run && (!sync_setup_client (run, &error) || !sync_take_lock (run, &error)))
    {
      sync_run_fail (run, error);
      return;
    }
  if (!run->options->dry_run)
    sync_arm_batch_deadline (run);

  {
    g_autoptr (GTask) prepare = g_task_new (self, run->cancellable, on_prepared_cb, run);

    g_task_set_source_tag (prepare, sync_local_run_async);
    g_task_set_task_data (prepare, run, NULL);
    /* The run (and so this task's data) lives until on_prepared_cb. */
    run->preparing = TRUE;
    g_task_run_in_thread (prepare, prepare_thread);
  }
}

/* sync_local_run_finish: the engine thread’s side.
 * @self: a sync engine
 * @result: the result
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): the batch report
 */
GkSyncReport *
sync_local_run_finish (GkSync *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_sync_withdraw:
 * @store: the library
 * @actor: a publisher or admin
 * @id: the item (id, prefix or 索引号)
 * @reason: why, for the audit
 * @queued: (out) (optional): whether a DELETE of the portal's copy was queued
 * @error: the error location
 *
 * Returns: %TRUE on success
 */
gboolean
gk_sync_withdraw (GkStore    *store,
                  const char *actor,
                  const char *id,
                  const char *reason,
                  gboolean   *queued,
                  GError    **error)
{
  return gk_store_sync_withdraw_item (store, actor, id, reason, queued, error);
}

/* sync_local_send_withdrawal_async: the engine thread’s side.
 * @self: a sync engine
 * @options: the portal, token and the acting publisher or admin
 * @id: the item (id, prefix or 索引号)
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
sync_local_send_withdrawal_async (GkSync              *self,
                                  const GkSyncOptions *options,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Run    *run;
  GError *error = NULL;
  g_autoptr (GkItem) item = NULL;
  g_autoptr (GkSyncJob) active = NULL;
  Work *work;

  g_return_if_fail (GK_IS_SYNC (self));

  run = sync_run_new (self, RUN_WITHDRAW, options, cancellable, callback, user_data,
                      sync_local_send_withdrawal_async);
  run->options->concurrency = 1;
  if (options == NULL || options->max_attempts == 0)
    run->options->max_attempts = DEFAULT_WITHDRAW_ATTEMPTS;
  if (!gk_store_check_role (self->store, run->options->actor, GK_ROLE_PUBLISHER | GK_ROLE_ADMIN,
                            &error) ||
      (item = gk_store_get_item (self->store, id, &error)) == NULL)
    {
      sync_run_fail (run, error);
      return;
    }
  active = gk_store_sync_get_active_job (self->store, item->id, &error);
  if (error != NULL)
    {
      sync_run_fail (run, error);
      return;
    }
  if (active == NULL || active->operation != GK_SYNC_OP_WITHDRAW ||
      active->state != GK_SYNC_JOB_PENDING)
    {
      sync_run_fail (run, g_error_new (GK_ERROR, GK_ERROR_NOT_FOUND,
                                       _ ("No withdrawal of “%s” is waiting to be sent."),
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
  work->job = g_steal_pointer (&active);
  work->item_id = g_strdup (item->id);
  work->title = g_strdup (item->title);
  run->n_total = 1;
  g_queue_push_tail (&run->queue, work);
  sync_pump (run);
}

/* sync_local_send_withdrawal_finish: the engine thread’s side.
 * @self: a sync engine
 * @result: the result
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): what was done; the withdrawal
 *   went through only when the outcome is %GK_SYNC_OUTCOME_WITHDRAWN
 */
GkSyncItemResult *
sync_local_send_withdrawal_finish (GkSync *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_sync_withdrawal_pending:
 * @store: the library
 * @id: the item's id
 * @last_error: (out) (optional) (nullable): the last failure to send it
 *
 * Returns: %TRUE while the item has a withdrawal the portal has not
 *   confirmed
 */
gboolean
gk_sync_withdrawal_pending (GkStore *store, const char *id, char **last_error)
{
  g_autoptr (GkSyncJob) job = gk_store_sync_get_active_job (store, id, NULL);
  gboolean pending = job != NULL && job->operation == GK_SYNC_OP_WITHDRAW;

  if (last_error != NULL)
    *last_error = pending ? g_strdup (job->last_error) : NULL;
  return pending;
}

/**
 * gk_sync_list_needing_reapproval:
 * @store: the library
 * @today: (nullable): YYYY-MM-DD; %NULL for today
 * @error: the error location
 *
 * Returns: (transfer full) (element-type GkItem) (nullable): the items
 */
GPtrArray *
gk_sync_list_needing_reapproval (GkStore *store, const char *today, GError **error)
{
  g_autofree char *date = today ? g_strdup (today) : gk_date_today ();
  g_auto (GStrv) ids = gk_store_sync_expired_ids (store, date, error);

  if (ids == NULL)
    return NULL;
  if (ids[0] == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);
  return gk_store_get_items (store, (const char *const *) ids, g_strv_length (ids), error);
}
