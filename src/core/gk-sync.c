/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiSync"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gk-portal-client.h"
#include "gk-store-sync.h"
#include "gk-sync.h"
#include "gk-token.h"
#include "gk-util.h"
#include "gk-workflow.h"

/* The sync engine.  Everything after the outbox is written runs on the
 * caller's main context, driven by the portal client's callbacks: a
 * queue of items, at most `concurrency` of them in flight, each a small
 * state machine (files, then the document; or the DELETE).  The outbox
 * is written in a worker thread (it reads every approved record), and
 * the per-item database writes are short transactions on the main
 * context. */

#define DEFAULT_CONCURRENCY 4
#define MAX_CONCURRENCY 64
#define DEFAULT_MAX_ATTEMPTS 5
#define DEFAULT_RETRY_BASE_MS 500
#define DEFAULT_RETRY_MAX_MS 30000
#define DEFAULT_RETRY_AFTER_MAX_MS 60000
#define LIST_PAGE_SIZE 1000
#define MAX_LIST_PAGES 100000

struct _GkSync
{
  GObject  parent_instance;

  GkStore *store;
};

G_DEFINE_FINAL_TYPE (GkSync, gk_sync, G_TYPE_OBJECT)

typedef enum
{
  RUN_BATCH,
  RUN_RESOLVE,
} RunKind;

typedef enum
{
  STEP_HEALTH,
  STEP_HEAD_FILE,
  STEP_PUT_FILE,
  STEP_PUT_DOCUMENT,
  STEP_GET_AFTER_CONFLICT,
  STEP_DELETE,
  STEP_GET_KEEP_PORTAL,
} Step;

typedef struct
{
  char *sha256;
  char *media_type;
} FileRef;

typedef struct _Run Run;

typedef struct
{
  Run           *run;
  GkSyncJob     *job;            /* NULL for the health check and keep-portal */
  char          *item_id;
  char          *title;
  Step           step;
  GPtrArray     *files;          /* FileRef* */
  guint          file_index;
  gboolean       upload_only;    /* PUT the files without asking first */
  gboolean       file_retry_done;
  gboolean       conflict_checked;
  gboolean       overwrite;      /* a person chose to overwrite: no precondition */
  char          *publish_date;   /* in the body */
  GBytes        *body;
  guint          attempt;        /* tries of the current request */
  GSource       *delay;
  char          *last_error;
} Work;

struct _Run
{
  GkSync              *self;
  GkStore             *store;
  RunKind              kind;
  GkSyncOptions       *options;
  GkPortalClient      *client;
  GTask               *task;
  GCancellable        *cancellable;
  GSource             *cancel_source;
  GMainContext        *context;

  GkSyncProgressFunc   progress;
  gpointer             progress_data;
  GDestroyNotify       progress_destroy;

  GkSyncReport        *report;
  GPtrArray           *early;    /* GkSyncItemResult* found before any request */
  GQueue               queue;    /* Work* waiting */
  GPtrArray           *active;   /* Work* in flight */
  guint                n_total;
  guint                n_done;
  gboolean             pumping;
  gboolean             stopping;
  gboolean             completed;
  GError              *error;

  /* resolve */
  char                *resolve_id;
  GkSyncResolution     resolution;
  GkSyncItemResult    *resolve_result;
};

/* Prepared in the worker thread. */
typedef struct
{
  GPtrArray *early;  /* GkSyncItemResult* */
  GPtrArray *jobs;   /* GkSyncJob*, pending */
  GPtrArray *titles; /* char*, for jobs */
} Prepared;

static void pump (Run *run);
static void send_step (Work *work);
static void start_queue (Run *run);

/* small things */

static void
file_ref_free (gpointer data)
{
  FileRef *ref = data;

  g_free (ref->sha256);
  g_free (ref->media_type);
  g_free (ref);
}

static void
prepared_free (gpointer data)
{
  Prepared *prepared = data;

  g_clear_pointer (&prepared->early, g_ptr_array_unref);
  g_clear_pointer (&prepared->jobs, g_ptr_array_unref);
  g_clear_pointer (&prepared->titles, g_ptr_array_unref);
  g_free (prepared);
}

static gboolean
is_sha256_hex (const char *text)
{
  gsize n = 0;

  if (text == NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++, n++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
      return FALSE;
  return n == 64;
}

static JsonNode *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_copy (root);
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
member_int (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static GkSyncItemResult *
result_new (const char    *id,
            const char    *title,
            GkSyncOutcome  outcome,
            const char    *operation,
            gint64         revision,
            const char    *message)
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

static GkSyncItemResult *
result_copy (const GkSyncItemResult *src)
{
  GkSyncItemResult *result = result_new (src->id, src->title, src->outcome, src->operation,
                                         src->revision, src->message);

  result->public_url = g_strdup (src->public_url);
  result->fields = src->fields ? json_node_copy (src->fields) : NULL;
  return result;
}

/* The record minus what the portal adds to it in GET /documents/{id}. */
static JsonNode *
portal_record_only (JsonNode *document)
{
  JsonNode *copy = json_node_copy (document);
  JsonObject *object = json_node_get_object (copy);

  json_object_remove_member (object, "etag");
  json_object_remove_member (object, "public_url");
  json_object_remove_member (object, "status");
  json_object_remove_member (object, "updated_at");
  return copy;
}

/* The body to send must be the approved record, publish_date aside. */
static gboolean
body_matches_approved (JsonNode   *body,
                       const char *approved_text)
{
  g_autoptr(JsonNode) approved = parse_object (approved_text);
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  const char *approved_date;
  const char *body_date;

  if (approved == NULL || body == NULL)
    return FALSE;
  approved_date = member_string (json_node_get_object (approved), "publish_date");
  body_date = member_string (json_node_get_object (body), "publish_date");
  if (!gk_str_is_blank (approved_date) && g_strcmp0 (approved_date, body_date) != 0)
    return FALSE;
  a = json_node_copy (approved);
  b = json_node_copy (body);
  json_object_remove_member (json_node_get_object (a), "publish_date");
  json_object_remove_member (json_node_get_object (b), "publish_date");
  return json_node_equal (a, b);
}

/* Run */

static void
run_free (gpointer data)
{
  Run *run = data;

  g_assert (run->active == NULL || run->active->len == 0);
  if (run->cancel_source != NULL)
    {
      g_source_destroy (run->cancel_source);
      g_source_unref (run->cancel_source);
    }
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
  g_clear_pointer (&run->resolve_result, gk_sync_item_result_free);
  g_free (run);
}

static void
work_free (Work *work)
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

static const char *
portal_url (Run *run)
{
  return run->options->portal_url;
}

static const char *
work_operation (Work *work)
{
  return work->job != NULL ? gk_sync_operation_to_string (work->job->operation) : NULL;
}

static gint64
work_revision (Work *work)
{
  return work->job != NULL ? work->job->revision : 0;
}

static void
deliver (Run              *run,
         GkSyncItemResult *result)
{
  run->n_done++;
  if (run->kind == RUN_RESOLVE)
    {
      g_clear_pointer (&run->resolve_result, gk_sync_item_result_free);
      run->resolve_result = result_copy (result);
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

  if (run->error != NULL)
    g_task_return_error (task, g_steal_pointer (&run->error));
  else if (g_cancellable_is_cancelled (run->cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                             _("The sync was cancelled; what was not sent stays in the outbox."));
  else if (run->kind == RUN_RESOLVE)
    {
      if (run->report->stopped)
        g_task_return_new_error (task, GK_ERROR, GK_ERROR_PERMISSION, "%s", run->report->stop_message);
      else if (run->resolve_result == NULL)
        g_task_return_new_error (task, GK_ERROR, GK_ERROR_FAILED, "%s", _("Nothing was done."));
      else
        g_task_return_pointer (task, g_steal_pointer (&run->resolve_result),
                               (GDestroyNotify) gk_sync_item_result_free);
    }
  else
    g_task_return_pointer (task, g_steal_pointer (&run->report), (GDestroyNotify) gk_sync_report_free);
  g_object_unref (task);
}

static void
maybe_complete (Run *run)
{
  if (!run->pumping && run->active->len == 0 && g_queue_is_empty (&run->queue))
    complete (run);
}

static void
finish_work (Work *work)
{
  Run *run = work->run;

  g_ptr_array_remove (run->active, work);
  work_free (work);
  pump (run);
}

/* The item is done for this batch, with this result. */
static void
finish_with (Work          *work,
             GkSyncOutcome  outcome,
             const char    *message,
             const char    *public_url,
             JsonNode      *fields)
{
  GkSyncItemResult *result = result_new (work->item_id, work->title, outcome, work_operation (work),
                                         work_revision (work), message);

  result->public_url = g_strdup (public_url);
  result->fields = fields != NULL ? json_node_copy (fields) : NULL;
  deliver (work->run, result);
  finish_work (work);
}

/* Not sent in this batch (stopped or cancelled): the job stays pending. */
static void
finish_not_sent (Work *work)
{
  Run *run = work->run;
  g_autofree char *message = NULL;

  if (work->item_id == NULL)
    {
      finish_work (work);
      return;
    }
  if (run->report->stopped)
    message = g_strdup_printf (_("Not sent: %s"), run->report->stop_message);
  else
    message = g_strdup (_("Not sent: the sync was cancelled. The item stays in the outbox."));
  finish_with (work, GK_SYNC_OUTCOME_SKIPPED, message, NULL, NULL);
}
