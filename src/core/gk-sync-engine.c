/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiSync"

#include "config.h"

#include "gk-sync-private.h"

/* Where a sync runs.  Each call of the public gk_sync_*_async() starts
 * a thread of its own with a main context of its own, pushed as that
 * thread's default: the batch engine (gk-sync.c), its portal client
 * and every store call it makes — the outbox, the gate checked again
 * before each PUT, each item's result committed — run there, never on
 * the caller's context.  What the caller sees arrives on its
 * thread-default main context: each item's progress, in order, then
 * the result.  A window that syncs 1,000 items only draws the progress.
 *
 * gk_sync_stop_all() (at application shutdown) cancels what is running
 * and waits for it: what the portal confirmed is committed, the rest
 * stays in the outbox. */

typedef enum
{
  CALL_RUN,
  CALL_CHECK,
  CALL_RESOLVE,
  CALL_WITHDRAW,
} CallKind;

typedef struct
{
  CallKind           kind;
  GkSync            *self;
  GTask             *task; /* the caller's, completed on its context */
  GMainContext      *caller;
  GkSyncOptions     *options;
  char              *id;
  GkSyncResolution   resolution;
  GCancellable      *cancellable;
  GkSyncProgressFunc progress;
  gpointer           progress_data;
  GDestroyNotify     progress_destroy;
  struct _Running   *entry;  /* read by the engine thread as it starts */
  guint64            ticket; /* its turn to start */

  /* Set on the engine thread by the engine's callback, read on the
   * caller's context by the last idle (which runs after it). */
  gpointer       result;
  GDestroyNotify result_free;
  GError        *error;

  GMutex   lock;
  GQueue   pending;   /* Progress*, the last one with result NULL: the end */
  gboolean scheduled; /* an idle of the caller's context delivers them */
} Call;

/* The engine thread's own, on its stack. */
typedef struct
{
  Call            *call;
  struct _Running *entry;
  gboolean         done;
} Engine;

typedef struct
{
  Call             *call;
  GkSyncItemResult *result;
  guint             n_done;
  guint             n_total;
} Progress;

/* A sync of this process, for gk_sync_stop_all(). */
typedef struct _Running
{
  GThread      *thread; /* set under running_mutex */
  GCancellable *cancellable;
} Running;

static GMutex     running_mutex;
static GPtrArray *running; /* Running*, while their threads run */

/* The runs start in the order of the calls: each engine thread does its
 * start (the role check, the sync lock) only after the previous call's
 * start is done, so that of two syncs started one after the other the
 * first gets the lock, as the caller would expect. */
static GCond   start_cond;
static guint64 next_ticket; /* under running_mutex */
static guint64 now_starting;

static void
running_free (Running *entry)
{
  g_clear_object (&entry->cancellable);
  g_free (entry);
}

static void progress_free (gpointer data);

static void
call_free (Call *call)
{
  if (call->progress_destroy != NULL)
    call->progress_destroy (call->progress_data);
  g_clear_object (&call->self);
  g_clear_object (&call->task);
  g_clear_pointer (&call->caller, g_main_context_unref);
  g_clear_pointer (&call->options, gk_sync_options_free);
  g_free (call->id);
  g_clear_object (&call->cancellable);
  if (call->result != NULL && call->result_free != NULL)
    call->result_free (call->result);
  g_clear_error (&call->error);
  g_queue_clear_full (&call->pending, progress_free);
  g_mutex_clear (&call->lock);
  g_free (call);
}

/* The caller's context.  What the engine reports waits in the call's
 * queue; one idle delivers it, a few milliseconds' worth at a time and
 * below the priority of drawing, so that a batch whose items finish
 * faster than the window can show them never holds a frame back. */

#define DELIVERY_SLICE_US 4000

static void
progress_free (gpointer data)
{
  Progress *progress = data;

  if (progress != NULL)
    gk_sync_item_result_free (progress->result);
  g_free (progress);
}

static void
return_result (Call *call)
{
  if (call->error != NULL)
    g_task_return_error (call->task, g_steal_pointer (&call->error));
  else
    {
      g_task_return_pointer (call->task, g_steal_pointer (&call->result), call->result_free);
      call->result_free = NULL;
    }
}

static gboolean
deliver_cb (gpointer data)
{
  Call  *call = data;
  gint64 end = g_get_monotonic_time () + DELIVERY_SLICE_US;

  for (;;)
    {
      Progress *progress;

      g_mutex_lock (&call->lock);
      progress = g_queue_pop_head (&call->pending);
      if (progress == NULL)
        {
          call->scheduled = FALSE;
          g_mutex_unlock (&call->lock);
          return G_SOURCE_REMOVE;
        }
      g_mutex_unlock (&call->lock);

      if (progress->result == NULL)
        {
          /* The end: nothing follows it. */
          progress_free (progress);
          return_result (call);
          call_free (call);
          return G_SOURCE_REMOVE;
        }
      call->progress (progress->result, progress->n_done, progress->n_total, call->progress_data);
      progress_free (progress);
      if (g_get_monotonic_time () >= end)
        return G_SOURCE_CONTINUE;
    }
}

/* The engine thread: queue it for the caller (result NULL: the end; the
 * call must not be touched after that). */
static void
post (Call *call, Progress *progress)
{
  g_mutex_lock (&call->lock);
  g_queue_push_tail (&call->pending, progress);
  if (!call->scheduled)
    {
      g_autoptr (GSource) source = g_idle_source_new ();

      call->scheduled = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
      g_source_set_name (source, "[gongkai] sync to caller");
      g_source_set_callback (source, deliver_cb, call, NULL);
      /* Under the lock: the idle may free the call once it runs. */
      g_source_attach (source, call->caller);
    }
  g_mutex_unlock (&call->lock);
}

/* The engine thread */

static void
on_engine_progress_cb (const GkSyncItemResult *result,
                       guint                   n_done,
                       guint                   n_total,
                       gpointer                user_data)
{
  Call     *call = user_data;
  Progress *progress = g_new0 (Progress, 1);

  progress->call = call;
  progress->result = gk_sync_item_result_copy (result);
  progress->n_done = n_done;
  progress->n_total = n_total;
  post (call, progress);
}

static void
on_engine_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Engine *engine = user_data;
  Call   *call = engine->call;
  GkSync *self = GK_SYNC (object);

  switch (call->kind)
    {
      case CALL_RUN:
        call->result = sync_local_run_finish (self, result, &call->error);
        call->result_free = (GDestroyNotify) gk_sync_report_free;
        break;
      case CALL_CHECK:
        call->result = sync_local_check_finish (self, result, &call->error);
        call->result_free = (GDestroyNotify) gk_sync_check_report_free;
        break;
      case CALL_RESOLVE:
        call->result = sync_local_resolve_finish (self, result, &call->error);
        call->result_free = (GDestroyNotify) gk_sync_item_result_free;
        break;
      case CALL_WITHDRAW:
        call->result = sync_local_send_withdrawal_finish (self, result, &call->error);
        call->result_free = (GDestroyNotify) gk_sync_item_result_free;
        break;
      default:
        g_assert_not_reached ();
    }
  /* From here on the call belongs to the caller's context. */
  post (call, g_new0 (Progress, 1));
  engine->done = TRUE;
}

static gpointer
engine_thread (gpointer data)
{
  Call         *call = data;
  Engine        engine = { call, call->entry, FALSE };
  GMainContext *context = g_main_context_new ();
  gboolean      mine;

  g_main_context_push_thread_default (context);
  g_mutex_lock (&running_mutex);
  while (now_starting != call->ticket)
    g_cond_wait (&start_cond, &running_mutex);
  g_mutex_unlock (&running_mutex);
  switch (call->kind)
    {
      case CALL_RUN:
        sync_local_run_async (call->self, call->options,
                              call->progress != NULL ? on_engine_progress_cb : NULL, call, NULL,
                              call->cancellable, on_engine_done_cb, &engine);
        break;
      case CALL_CHECK:
        sync_local_check_async (call->self, call->options, call->cancellable, on_engine_done_cb,
                                &engine);
        break;
      case CALL_RESOLVE:
        sync_local_resolve_async (call->self, call->options, call->id, call->resolution,
                                  call->cancellable, on_engine_done_cb, &engine);
        break;
      case CALL_WITHDRAW:
        sync_local_send_withdrawal_async (call->self, call->options, call->id, call->cancellable,
                                          on_engine_done_cb, &engine);
        break;
      default:
        g_assert_not_reached ();
    }
  g_mutex_lock (&running_mutex);
  now_starting++;
  g_cond_broadcast (&start_cond);
  g_mutex_unlock (&running_mutex);
  call = NULL; /* the caller's once the engine is done */
  while (!engine.done)
    g_main_context_iteration (context, TRUE);
  /* What the run left behind (the portal session's last sources). */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);

  /* Unless gk_sync_stop_all() took it to join it, nobody will: the
   * reference of its creator goes here. */
  g_mutex_lock (&running_mutex);
  mine = engine.entry != NULL && running != NULL && g_ptr_array_remove_fast (running, engine.entry);
  g_mutex_unlock (&running_mutex);
  if (mine)
    {
      g_thread_unref (engine.entry->thread);
      running_free (engine.entry);
    }
  return NULL;
}

static void
start (GkSync              *self,
       CallKind             kind,
       const GkSyncOptions *options,
       const char          *id,
       GkSyncResolution     resolution,
       GkSyncProgressFunc   progress,
       gpointer             progress_data,
       GDestroyNotify       progress_destroy,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data,
       gpointer             source_tag)
{
  Call            *call = g_new0 (Call, 1);
  struct _Running *entry;

  call->kind = kind;
  g_mutex_init (&call->lock);
  g_queue_init (&call->pending);
  call->self = g_object_ref (self);
  call->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (call->task, source_tag);
  call->caller = g_main_context_ref_thread_default ();
  call->options = gk_sync_options_copy (options);
  call->id = g_strdup (id);
  call->resolution = resolution;
  call->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  call->progress = progress;
  call->progress_data = progress_data;
  call->progress_destroy = progress_destroy;

  entry = g_new0 (Running, 1);
  entry->cancellable = g_object_ref (call->cancellable);
  call->entry = entry;
  /* The thread reads entry->thread under the lock: it finds it set. */
  g_mutex_lock (&running_mutex);
  call->ticket = next_ticket++;
  if (running == NULL)
    running = g_ptr_array_new ();
  g_ptr_array_add (running, entry);
  entry->thread = g_thread_new ("gongkai-sync", engine_thread, call);
  g_mutex_unlock (&running_mutex);
}

/**
 * gk_sync_stop_all:
 *
 * Cancels every sync of this process and waits until each has stopped:
 * what the portal confirmed is committed, the rest stays in the outbox.
 * Their results are not delivered any more.  For the application's
 * shutdown.
 */
void
gk_sync_stop_all (void)
{
  g_autoptr (GPtrArray) taken = NULL;

  g_mutex_lock (&running_mutex);
  taken = g_steal_pointer (&running);
  g_mutex_unlock (&running_mutex);
  if (taken == NULL)
    return;
  for (guint i = 0; i < taken->len; i++)
    g_cancellable_cancel (((Running *) g_ptr_array_index (taken, i))->cancellable);
  for (guint i = 0; i < taken->len; i++)
    {
      Running *entry = g_ptr_array_index (taken, i);

      g_thread_join (entry->thread);
      running_free (entry);
    }
}

/* public API */

/**
 * gk_sync_run_async:
 * @self: a sync engine
 * @options: the portal, token and tuning
 * @progress: (nullable) (scope notified): called per finished item, on
 *   the caller's context
 * @progress_data: for @progress
 * @progress_destroy: (nullable): frees @progress_data
 * @cancellable: (nullable): a cancellable
 * @callback: called when the batch is done
 * @user_data: for @callback
 */
void
gk_sync_run_async (GkSync              *self,
                   const GkSyncOptions *options,
                   GkSyncProgressFunc   progress,
                   gpointer             progress_data,
                   GDestroyNotify       progress_destroy,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_return_if_fail (GK_IS_SYNC (self));
  start (self, CALL_RUN, options, NULL, 0, progress, progress_data, progress_destroy, cancellable,
         callback, user_data, gk_sync_run_async);
}

/**
 * gk_sync_run_finish:
 * @self: a sync engine
 * @result: the result
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): the batch report
 */
GkSyncReport *
gk_sync_run_finish (GkSync *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gk_sync_run_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_sync_check_async:
 * @self: a sync engine
 * @options: the portal, token and the acting publisher or admin
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
gk_sync_check_async (GkSync              *self,
                     const GkSyncOptions *options,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (GK_IS_SYNC (self));
  start (self, CALL_CHECK, options, NULL, 0, NULL, NULL, NULL, cancellable, callback, user_data,
         gk_sync_check_async);
}

/**
 * gk_sync_check_finish:
 * @self: a sync engine
 * @result: the result
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): the drift found
 */
GkSyncCheckReport *
gk_sync_check_finish (GkSync *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gk_sync_check_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_sync_resolve_async:
 * @self: a sync engine
 * @options: the portal, token and the acting admin
 * @id: the item (id, prefix or 索引号)
 * @resolution: keep the portal's copy or overwrite it
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
gk_sync_resolve_async (GkSync              *self,
                       const GkSyncOptions *options,
                       const char          *id,
                       GkSyncResolution     resolution,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (GK_IS_SYNC (self));
  g_return_if_fail (id != NULL);
  start (self, CALL_RESOLVE, options, id, resolution, NULL, NULL, NULL, cancellable, callback,
         user_data, gk_sync_resolve_async);
}

/**
 * gk_sync_resolve_finish:
 * @self: a sync engine
 * @result: the result
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): what was done
 */
GkSyncItemResult *
gk_sync_resolve_finish (GkSync *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gk_sync_resolve_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_sync_send_withdrawal_async:
 * @self: a sync engine
 * @options: the portal, token and the acting publisher or admin
 * @id: the item (id, prefix or 索引号)
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 */
void
gk_sync_send_withdrawal_async (GkSync              *self,
                               const GkSyncOptions *options,
                               const char          *id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (GK_IS_SYNC (self));
  g_return_if_fail (id != NULL);
  start (self, CALL_WITHDRAW, options, id, 0, NULL, NULL, NULL, cancellable, callback, user_data,
         gk_sync_send_withdrawal_async);
}

/**
 * gk_sync_send_withdrawal_finish:
 * @self: a sync engine
 * @result: the result
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): what was done; the withdrawal
 *   went through only when the outcome is %GK_SYNC_OUTCOME_WITHDRAWN
 */
GkSyncItemResult *
gk_sync_send_withdrawal_finish (GkSync *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gk_sync_send_withdrawal_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
