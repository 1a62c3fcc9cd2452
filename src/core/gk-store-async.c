/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiStore"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-store-async.h"
#include "gk-store-sync.h"
#include "gk-sync.h"

/* Each pair below copies its arguments into an Args, runs the
 * synchronous call on one of the store's threads (gk_store_run_async())
 * and hands its result back.  Nothing here holds SQL. */

typedef struct
{
  GkQuery    query;
  GPtrArray *strings;   /* what query points into */
  char      *a;
  char      *b;
  char      *c;
  char      *d;
  GStrv      strv;
  GPtrArray *objects;
  gpointer   object;
  JsonObject *json;
  GArray    *queries;   /* GkQuery, for count_many */
  GArray    *dismissals; /* GkDismissal, reasons in strings */
  gint64     number;
  int        flags;
  gboolean   flag;
  GkCalendarYear *year;
} Args;

static void
args_free (gpointer data)
{
  Args *args = data;

  g_clear_pointer (&args->strings, g_ptr_array_unref);
  g_free (args->a);
  g_free (args->b);
  g_free (args->c);
  g_free (args->d);
  g_strfreev (args->strv);
  g_clear_pointer (&args->objects, g_ptr_array_unref);
  g_clear_object (&args->object);
  g_clear_pointer (&args->json, json_object_unref);
  g_clear_pointer (&args->queries, g_array_unref);
  g_clear_pointer (&args->dismissals, g_array_unref);
  g_clear_pointer (&args->year, gk_calendar_year_free);
  g_free (args);
}

static Args *
args_new (void)
{
  Args *args = g_new0 (Args, 1);

  args->strings = g_ptr_array_new_with_free_func (g_free);
  return args;
}

static const char *
keep (Args       *args,
      const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;
  copy = g_strdup (text);
  g_ptr_array_add (args->strings, copy);
  return copy;
}

static void
copy_query (Args          *args,
            GkQuery       *to,
            const GkQuery *from)
{
  *to = (GkQuery) { 0 };
  if (from == NULL)
    return;
  to->state = from->state;
  to->stage = keep (args, from->stage);
  to->tag = keep (args, from->tag);
  to->category = keep (args, from->category);
  to->text = keep (args, from->text);
  to->from_date = keep (args, from->from_date);
  to->to_date = keep (args, from->to_date);
  to->created_by = keep (args, from->created_by);
  to->expiring_before = keep (args, from->expiring_before);
  to->due_within = from->due_within;
  to->sort = keep (args, from->sort);
  to->descending = from->descending;
}

static void
run (GkStore            *store,
     GkStoreAccess       access,
     GkStoreFunc         func,
     Args               *args,
     GDestroyNotify      result_free,
     GCancellable       *cancellable,
     GAsyncReadyCallback callback,
     gpointer            user_data)
{
  gk_store_run_async (store, access, func, args, args_free, result_free,
                      cancellable, callback, user_data);
}

static gboolean
finish_boolean (GkStore      *store,
                GAsyncResult *result,
                GError      **error)
{
  return GPOINTER_TO_INT (gk_store_run_finish (store, result, error));
}

static void
object_unref0 (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

#define DONE(ok) ((ok) ? GINT_TO_POINTER (TRUE) : NULL)

/* Queries */

static gpointer
query_ids_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;

  return gk_store_query_ids (store, &args->query, error);
}

void
gk_store_query_ids_async (GkStore            *self,
                          const GkQuery      *query,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  Args *args = args_new ();

  copy_query (args, &args->query, query);
  run (self, GK_STORE_READ, query_ids_func, args, (GDestroyNotify) g_strfreev,
       cancellable, callback, user_data);
}

GStrv
gk_store_query_ids_finish (GkStore      *self,
                           GAsyncResult *result,
                           GError      **error)
{
  return gk_store_run_finish (self, result, error);
}

static gpointer
count_many_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;
  g_autoptr(GArray) counts = g_array_sized_new (FALSE, TRUE, sizeof (guint), args->queries->len);

  for (guint i = 0; i < args->queries->len; i++)
    {
      GError *local = NULL;
      guint n = gk_store_count (store, &g_array_index (args->queries, GkQuery, i), &local);

      if (local != NULL)
        {
          g_propagate_error (error, local);
          return NULL;
        }
      g_array_append_val (counts, n);
    }
  return g_steal_pointer (&counts);
}

void
gk_store_count_many_async (GkStore            *self,
                           const GkQuery      *queries,
                           guint               n_queries,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  Args *args = args_new ();

  args->queries = g_array_sized_new (FALSE, TRUE, sizeof (GkQuery), n_queries);
  g_array_set_size (args->queries, n_queries);
  for (guint i = 0; i < n_queries; i++)
    copy_query (args, &g_array_index (args->queries, GkQuery, i), &queries[i]);
  run (self, GK_STORE_READ, count_many_func, args, (GDestroyNotify) g_array_unref,
       cancellable, callback, user_data);
}

GArray *
gk_store_count_many_finish (GkStore      *self,
                            GAsyncResult *result,
                            GError      **error)
{
  return gk_store_run_finish (self, result, error);
}

void
gk_store_count_async (GkStore            *self,
                      const GkQuery      *query,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  GkQuery empty = { 0 };

  gk_store_count_many_async (self, query != NULL ? query : &empty, 1, cancellable, callback, user_data);
}

gboolean
gk_store_count_finish (GkStore      *self,
                       GAsyncResult *result,
                       guint        *n_items,
                       GError      **error)
{
  g_autoptr(GArray) counts = gk_store_count_many_finish (self, result, error);

  if (counts == NULL)
    return FALSE;
  if (n_items != NULL)
    *n_items = g_array_index (counts, guint, 0);
  return TRUE;
}

static gpointer
query_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;

  return gk_store_query (store, &args->query, (guint) args->number, (guint) args->flags, error);
}

void
gk_store_query_async (GkStore            *self,
                      const GkQuery      *query,
                      guint               offset,
                      guint               limit,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  Args *args = args_new ();

  copy_query (args, &args->query, query);
  args->number = offset;
  args->flags = (int) limit;
  run (self, GK_STORE_READ, query_func, args, (GDestroyNotify) g_ptr_array_unref,
       cancellable, callback, user_data);
}

GPtrArray *
gk_store_query_finish (GkStore      *self,
                       GAsyncResult *result,
                       GError      **error)
{
  return gk_store_run_finish (self, result, error);
}

static gpointer
get_items_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;

  return gk_store_get_items (store, (const char *const *) args->strv,
                             g_strv_length (args->strv), error);
}

void
gk_store_get_items_async (GkStore            *self,
                          const char *const  *ids,
                          guint               n_ids,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  Args *args = args_new ();

  args->strv = g_new0 (char *, n_ids + 1);
  for (guint i = 0; i < n_ids; i++)
    args->strv[i] = g_strdup (ids[i]);
  run (self, GK_STORE_READ, get_items_func, args, (GDestroyNotify) g_ptr_array_unref,
       cancellable, callback, user_data);
}

GPtrArray *
gk_store_get_items_finish (GkStore      *self,
                           GAsyncResult *result,
                           GError      **error)
{
  return gk_store_run_finish (self, result, error);
}

static gpointer
find_cited_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;

  return gk_store_find_cited (store, args->a, (guint) args->number, error);
}

void
gk_store_find_cited_async (GkStore            *self,
                           const char         *id,
                           guint               limit,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (id);
  args->number = limit;
  run (self, GK_STORE_READ, find_cited_func, args, g_object_unref, cancellable, callback,
       user_data);
}

GPtrArray *
gk_store_find_cited_finish (GkStore *self, GAsyncResult *result, GError **error)
{
  return gk_store_run_finish (self, result, error);
}

static gpointer
get_item_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  return gk_store_get_item (store, ((Args *) data)->a, error);
}

void
gk_store_get_item_async (GkStore            *self,
                         const char         *id,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (id);
  run (self, GK_STORE_READ, get_item_func, args, g_object_unref, cancellable, callback, user_data);
}

GkItem *
gk_store_get_item_finish (GkStore      *self,
                          GAsyncResult *result,
                          GError      **error)
{
  return gk_store_run_finish (self, result, error);
}

static gpointer
audit_log_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  return gk_store_audit_log (store, ((Args *) data)->a, error);
}

void
gk_store_audit_log_async (GkStore            *self,
                          const char         *item_id,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (item_id);
  run (self, GK_STORE_READ, audit_log_func, args, (GDestroyNotify) g_ptr_array_unref,
       cancellable, callback, user_data);
}

GPtrArray *
gk_store_audit_log_finish (GkStore      *self,
                           GAsyncResult *result,
                           GError      **error)
{
  return gk_store_run_finish (self, result, error);
}

/* Library-wide data */

static gpointer
list_members_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  return gk_store_list_members (store);
}

void
gk_store_list_members_async (GkStore            *self,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  run (self, GK_STORE_READ, list_members_func, args_new (), (GDestroyNotify) g_ptr_array_unref,
       cancellable, callback, user_data);
}

GPtrArray *
gk_store_list_members_finish (GkStore      *self,
                              GAsyncResult *result,
                              GError      **error)
{
  return gk_store_run_finish (self, result, error);
}

static gpointer
get_roles_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  /* Boxed, so that "no roles" is not mistaken for an error. */
  GkRole *roles = g_new (GkRole, 1);

  *roles = gk_store_get_roles (store, ((Args *) data)->a);
  return roles;
}

void
gk_store_get_roles_async (GkStore            *self,
                          const char         *user,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (user);
  run (self, GK_STORE_READ, get_roles_func, args, g_free, cancellable, callback, user_data);
}

GkRole
gk_store_get_roles_finish (GkStore      *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_autofree GkRole *roles = gk_store_run_finish (self, result, error);

  return roles != NULL ? *roles : 0;
}

static gpointer
list_tags_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  return gk_store_list_tags (store, ((Args *) data)->flag);
}

void
gk_store_list_tags_async (GkStore            *self,
                          gboolean            include_retired,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  Args *args = args_new ();

  args->flag = include_retired;
  run (self, GK_STORE_READ, list_tags_func, args, (GDestroyNotify) g_ptr_array_unref,
       cancellable, callback, user_data);
}

GPtrArray *
gk_store_list_tags_finish (GkStore      *self,
                           GAsyncResult *result,
                           GError      **error)
{
  return gk_store_run_finish (self, result, error);
}

static gpointer
list_topics_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  GStrv topics = gk_store_list_topics (store);

  return topics != NULL ? topics : g_new0 (char *, 1);
}

void
gk_store_list_topics_async (GkStore            *self,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  run (self, GK_STORE_READ, list_topics_func, args_new (), (GDestroyNotify) g_strfreev,
       cancellable, callback, user_data);
}

GStrv
gk_store_list_topics_finish (GkStore      *self,
                             GAsyncResult *result,
                             GError      **error)
{
  return gk_store_run_finish (self, result, error);
}

static gpointer
get_settings_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; args->strv[i] != NULL; i++)
    {
      char *value = gk_store_get_setting (store, args->strv[i]);

      if (value != NULL)
        g_hash_table_insert (values, g_strdup (args->strv[i]), value);
    }
  return values;
}

void
gk_store_get_settings_async (GkStore            *self,
                             const char *const  *keys,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  Args *args = args_new ();

  args->strv = g_strdupv ((GStrv) keys);
  run (self, GK_STORE_READ, get_settings_func, args, (GDestroyNotify) g_hash_table_unref,
       cancellable, callback, user_data);
}

GHashTable *
gk_store_get_settings_finish (GkStore      *self,
                              GAsyncResult *result,
                              GError      **error)
{
  return gk_store_run_finish (self, result, error);
}

static gpointer
list_jobs_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  return gk_store_sync_list_jobs (store, ((Args *) data)->flag, error);
}

void
gk_store_sync_list_jobs_async (GkStore            *self,
                               gboolean            pending_only,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  Args *args = args_new ();

  args->flag = pending_only;
  run (self, GK_STORE_READ, list_jobs_func, args, (GDestroyNotify) g_ptr_array_unref,
       cancellable, callback, user_data);
}

GPtrArray *
gk_store_sync_list_jobs_finish (GkStore      *self,
                                GAsyncResult *result,
                                GError      **error)
{
  return gk_store_run_finish (self, result, error);
}

void
gk_withdrawal_state_free (GkWithdrawalState *state)
{
  if (state == NULL)
    return;
  g_free (state->id);
  g_free (state->last_error);
  g_free (state);
}

static gpointer
withdrawals_pending_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;
  GPtrArray *states = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_withdrawal_state_free);

  for (guint i = 0; args->strv[i] != NULL; i++)
    {
      GkWithdrawalState *state = g_new0 (GkWithdrawalState, 1);

      state->id = g_strdup (args->strv[i]);
      state->pending = gk_sync_withdrawal_pending (store, args->strv[i], &state->last_error);
      g_ptr_array_add (states, state);
    }
  return states;
}

void
gk_sync_withdrawals_pending_async (GkStore            *store,
                                   const char *const  *ids,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  Args *args = args_new ();
  const char *none[] = { NULL };

  args->strv = g_strdupv ((GStrv) (ids != NULL ? ids : none));
  run (store, GK_STORE_READ, withdrawals_pending_func, args, (GDestroyNotify) g_ptr_array_unref,
       cancellable, callback, user_data);
}

GPtrArray *
gk_sync_withdrawals_pending_finish (GkStore      *store,
                                    GAsyncResult *result,
                                    GError      **error)
{
  return gk_store_run_finish (store, result, error);
}

static gpointer
queue_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  return gk_workflow_queue (store, ((Args *) data)->a, error);
}

void
gk_workflow_queue_async (GkStore            *store,
                         const char         *user,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (user);
  run (store, GK_STORE_READ, queue_func, args, (GDestroyNotify) g_ptr_array_unref,
       cancellable, callback, user_data);
}

GPtrArray *
gk_workflow_queue_finish (GkStore      *store,
                          GAsyncResult *result,
                          GError      **error)
{
  return gk_store_run_finish (store, result, error);
}

static gpointer
list_approvals_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  return gk_workflow_list_approvals (store, ((Args *) data)->a, error);
}

void
gk_workflow_list_approvals_async (GkStore            *store,
                                  const char         *id,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (id);
  run (store, GK_STORE_READ, list_approvals_func, args, (GDestroyNotify) g_ptr_array_unref,
       cancellable, callback, user_data);
}

GPtrArray *
gk_workflow_list_approvals_finish (GkStore      *store,
                                   GAsyncResult *result,
                                   GError      **error)
{
  return gk_store_run_finish (store, result, error);
}

/* Writes */

static gpointer
update_item_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;
  GkItem *edited = args->object;

  if (!gk_store_update_item (store, args->a, edited, error))
    return NULL;
  if (args->strv != NULL && args->strv[0] != NULL)
    {
      g_autoptr(JsonObject) details = json_object_new ();
      JsonArray *fields = json_array_new ();

      for (guint i = 0; args->strv[i] != NULL; i++)
        json_array_add_string_element (fields, args->strv[i]);
      json_object_set_array_member (details, "fields", fields);
      if (!gk_store_audit_append (store, args->a, "confirm", edited->id, details, error))
        return NULL;
    }
  return DONE (TRUE);
}

void
gk_store_update_item_async (GkStore            *self,
                            const char         *actor,
                            GkItem             *edited,
                            const char *const  *confirmed,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (actor);
  args->object = gk_item_copy (edited);
  args->strv = confirmed != NULL ? g_strdupv ((GStrv) confirmed) : NULL;
  run (self, GK_STORE_WRITE, update_item_func, args, NULL, cancellable, callback, user_data);
}

gboolean
gk_store_update_item_finish (GkStore      *self,
                             GAsyncResult *result,
                             GError      **error)
{
  return finish_boolean (self, result, error);
}

static gpointer
set_setting_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;

  return DONE (gk_store_set_setting_full (store, args->a, args->b, args->c, args->flags, error));
}

void
gk_store_set_setting_async (GkStore            *self,
                            const char         *actor,
                            const char         *key,
                            const char         *value,
                            GkSettingFlags      flags,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (actor);
  args->b = g_strdup (key);
  args->c = g_strdup (value);
  args->flags = flags;
  run (self, GK_STORE_WRITE, set_setting_func, args, NULL, cancellable, callback, user_data);
}

gboolean
gk_store_set_setting_finish (GkStore      *self,
                             GAsyncResult *result,
                             GError      **error)
{
  return finish_boolean (self, result, error);
}

static gpointer
set_member_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;

  return DONE (gk_store_set_member (store, args->a, args->b, (GkRole) args->flags, error));
}

void
gk_store_set_member_async (GkStore            *self,
                           const char         *actor,
                           const char         *user,
                           GkRole              roles,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (actor);
  args->b = g_strdup (user);
  args->flags = (int) roles;
  run (self, GK_STORE_WRITE, set_member_func, args, NULL, cancellable, callback, user_data);
}

gboolean
gk_store_set_member_finish (GkStore      *self,
                            GAsyncResult *result,
                            GError      **error)
{
  return finish_boolean (self, result, error);
}

static gpointer
edit_tags_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;
  const char *actor = args->a, *name = args->b, *argument = args->c;

  switch ((GkTagEdit) args->flags)
    {
    case GK_TAG_EDIT_ADD:
      {
        g_autoptr(GkTag) tag = gk_store_add_tag (store, actor, name, argument, error);

        return DONE (tag != NULL);
      }
    case GK_TAG_EDIT_RENAME:
      return DONE (gk_store_rename_tag (store, actor, name, argument, error));
    case GK_TAG_EDIT_MOVE:
      return DONE (gk_store_move_tag (store, actor, name, argument, error));
    case GK_TAG_EDIT_RETIRE:
      return DONE (gk_store_retire_tag (store, actor, name, TRUE, error));
    case GK_TAG_EDIT_RESTORE:
      return DONE (gk_store_retire_tag (store, actor, name, FALSE, error));
    case GK_TAG_EDIT_ADD_TOPIC:
      return DONE (gk_store_add_topic (store, actor, name, error));
    default:
      g_return_val_if_reached (NULL);
    }
}

void
gk_store_edit_tags_async (GkStore            *self,
                          const char         *actor,
                          GkTagEdit           edit,
                          const char         *name,
                          const char         *argument,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (actor);
  args->b = g_strdup (name);
  args->c = g_strdup (argument);
  args->flags = edit;
  run (self, GK_STORE_WRITE, edit_tags_func, args, NULL, cancellable, callback, user_data);
}

gboolean
gk_store_edit_tags_finish (GkStore      *self,
                           GAsyncResult *result,
                           GError      **error)
{
  return finish_boolean (self, result, error);
}

static gpointer
audit_append_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;

  return DONE (gk_store_audit_append (store, args->a, args->b, args->c, args->json, error));
}

void
gk_store_audit_append_async (GkStore            *self,
                             const char         *actor,
                             const char         *action,
                             const char         *item_id,
                             JsonObject         *details,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (actor);
  args->b = g_strdup (action);
  args->c = g_strdup (item_id);
  args->json = details != NULL ? json_object_ref (details) : NULL;
  run (self, GK_STORE_WRITE, audit_append_func, args, NULL, cancellable, callback, user_data);
}

gboolean
gk_store_audit_append_finish (GkStore      *self,
                              GAsyncResult *result,
                              GError      **error)
{
  return finish_boolean (self, result, error);
}

static gpointer
submit_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;

  return DONE (gk_workflow_submit (store, args->a, args->b, error));
}

void
gk_workflow_submit_async (GkStore            *store,
                          const char         *actor,
                          const char         *id,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (actor);
  args->b = g_strdup (id);
  run (store, GK_STORE_WRITE, submit_func, args, NULL, cancellable, callback, user_data);
}

gboolean
gk_workflow_submit_finish (GkStore      *store,
                           GAsyncResult *result,
                           GError      **error)
{
  return finish_boolean (store, result, error);
}

void
gk_batch_result_free (GkBatchResult *result)
{
  if (result == NULL)
    return;
  g_free (result->id);
  g_free (result->title);
  g_free (result->message);
  g_clear_object (&result->after);
  g_free (result);
}

static gboolean
retag (GkStore     *store,
       const char  *actor,
       const char  *id,
       const char  *tag,
       gboolean     add,
       GError     **error)
{
  g_autoptr(GkItem) item = gk_store_get_item (store, id, error);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) tags = NULL;
  g_autofree char *text = NULL;
  gboolean has;

  if (item == NULL)
    return FALSE;
  has = item->tags != NULL && g_strv_contains ((const char *const *) item->tags, tag);
  if (has == add)
    return TRUE;
  builder = g_strv_builder_new ();
  for (guint i = 0; item->tags != NULL && item->tags[i] != NULL; i++)
    if (g_strcmp0 (item->tags[i], tag) != 0)
      g_strv_builder_add (builder, item->tags[i]);
  if (add)
    g_strv_builder_add (builder, tag);
  tags = g_strv_builder_end (builder);
  text = g_strjoinv (",", tags);
  if (!gk_item_set_field (item, "tags", text, error))
    return FALSE;
  return gk_store_update_item (store, actor, item, error);
}

/* Success is 1 (sent already, or nothing to send) or 2 (queued). */
static gpointer
withdraw_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;
  gboolean queued = FALSE;

  if (!gk_sync_withdraw (store, args->a, args->b, args->c, &queued, error))
    return NULL;
  return GINT_TO_POINTER (queued ? 2 : 1);
}

void
gk_sync_withdraw_async (GkStore            *store,
                        const char         *actor,
                        const char         *id,
                        const char         *reason,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (actor);
  args->b = g_strdup (id);
  args->c = g_strdup (reason);
  run (store, GK_STORE_WRITE, withdraw_func, args, NULL, cancellable, callback, user_data);
}

gboolean
gk_sync_withdraw_finish (GkStore      *store,
                         GAsyncResult *result,
                         gboolean     *queued,
                         GError      **error)
{
  int outcome = GPOINTER_TO_INT (gk_store_run_finish (store, result, error));

  if (queued != NULL)
    *queued = outcome == 2;
  return outcome != 0;
}

static gpointer
batch_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_batch_result_free);

  for (guint i = 0; args->strv[i] != NULL; i++)
    {
      const char *id = args->strv[i];
      GkItem *seen = args->objects != NULL && i < args->objects->len
                       ? g_ptr_array_index (args->objects, i) : NULL;
      g_autoptr(GError) local = NULL;
      g_autoptr(GkItem) before = gk_store_get_item (store, id, NULL);
      GkBatchResult *result = g_new0 (GkBatchResult, 1);
      gboolean ok = FALSE;

      switch ((GkBatchAction) args->flags)
        {
        case GK_BATCH_SUBMIT:
          ok = gk_workflow_submit (store, args->a, id, &local);
          break;
        case GK_BATCH_APPROVE:
          if (seen != NULL)
            ok = gk_workflow_review_seen (store, args->a, seen, GK_REVIEW_APPROVE,
                                          args->b, NULL, 0, &local);
          else
            ok = gk_workflow_approve (store, args->a, id, args->b, &local);
          break;
        case GK_BATCH_RETURN:
          ok = gk_workflow_return (store, args->a, id, args->b, &local);
          break;
        case GK_BATCH_DISMISS:
          ok = gk_workflow_dismiss_finding (store, args->a, id, args->number, args->b, &local);
          break;
        case GK_BATCH_ADD_TAG:
        case GK_BATCH_REMOVE_TAG:
          ok = retag (store, args->a, id, args->b, args->flags == GK_BATCH_ADD_TAG, &local);
          break;
        default:
          g_assert_not_reached ();
        }
      result->id = g_strdup (id);
      result->title = g_strdup (before != NULL && before->title != NULL && *before->title != '\0'
                                ? before->title : id);
      result->ok = ok;
      result->message = ok ? NULL : g_strdup (local != NULL ? local->message : "");
      result->after = gk_store_get_item (store, id, NULL);
      g_ptr_array_add (results, result);
    }
  return results;
}

void
gk_workflow_batch_async (GkStore            *store,
                         const char         *actor,
                         GkBatchAction       action,
                         const char *const  *ids,
                         GPtrArray          *seen,
                         const char         *comment,
                         gint64              finding_id,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (actor);
  args->b = g_strdup (comment);
  args->strv = g_strdupv ((GStrv) ids);
  args->flags = action;
  args->number = finding_id;
  if (seen != NULL)
    {
      args->objects = g_ptr_array_new_full (seen->len, object_unref0);
      for (guint i = 0; i < seen->len; i++)
        {
          GkItem *item = g_ptr_array_index (seen, i);

          g_ptr_array_add (args->objects, item != NULL ? gk_item_copy (item) : NULL);
        }
    }
  run (store, GK_STORE_WRITE, batch_func, args, (GDestroyNotify) g_ptr_array_unref,
       cancellable, callback, user_data);
}

GPtrArray *
gk_workflow_batch_finish (GkStore      *store,
                          GAsyncResult *result,
                          GError      **error)
{
  return gk_store_run_finish (store, result, error);
}

static gpointer
can_approve_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_batch_result_free);

  for (guint i = 0; args->strv[i] != NULL; i++)
    {
      g_autoptr(GkItem) item = gk_store_get_item (store, args->strv[i], NULL);
      GkBatchResult *result;

      if (item == NULL)
        continue;
      result = g_new0 (GkBatchResult, 1);
      result->id = g_strdup (item->id);
      result->title = g_strdup (item->title != NULL && *item->title != '\0' ? item->title : item->id);
      result->ok = gk_workflow_can_approve (store, args->a, item, &result->message);
      result->after = g_steal_pointer (&item);
      g_ptr_array_add (results, result);
    }
  return results;
}

void
gk_workflow_can_approve_many_async (GkStore            *store,
                                    const char         *user,
                                    const char *const  *ids,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (user);
  args->strv = g_strdupv ((GStrv) ids);
  run (store, GK_STORE_READ, can_approve_func, args, (GDestroyNotify) g_ptr_array_unref,
       cancellable, callback, user_data);
}

GPtrArray *
gk_workflow_can_approve_many_finish (GkStore      *store,
                                     GAsyncResult *result,
                                     GError      **error)
{
  return gk_store_run_finish (store, result, error);
}

static gpointer
review_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;

  return DONE (gk_workflow_review_seen (store, args->a, args->object, (GkReviewDecision) args->flags,
                                        args->b, (const GkDismissal *) args->dismissals->data,
                                        args->dismissals->len, error));
}

void
gk_workflow_review_async (GkStore            *store,
                          const char         *actor,
                          GkItem             *seen,
                          GkReviewDecision    decision,
                          const char         *comment,
                          const GkDismissal  *dismissals,
                          guint               n_dismissals,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (actor);
  args->b = g_strdup (comment);
  args->object = gk_item_copy (seen);
  args->flags = decision;
  args->dismissals = g_array_sized_new (FALSE, TRUE, sizeof (GkDismissal), n_dismissals);
  for (guint i = 0; i < n_dismissals; i++)
    {
      GkDismissal copy = { dismissals[i].finding_id, keep (args, dismissals[i].reason) };

      g_array_append_val (args->dismissals, copy);
    }
  run (store, GK_STORE_WRITE, review_func, args, NULL, cancellable, callback, user_data);
}

gboolean
gk_workflow_review_finish (GkStore      *store,
                           GAsyncResult *result,
                           GError      **error)
{
  return finish_boolean (store, result, error);
}

/* The administration window */

static gboolean
index_no_taken (GkStore    *store,
                const char *index_no)
{
  g_autoptr(GkItem) item = gk_store_get_item (store, index_no, NULL);

  return item != NULL && g_strcmp0 (item->index_no, index_no) == 0;
}

/* The store numbers a year's documents one after another and skips
 * numbers already taken, so the used serial numbers are (nearly) a run
 * from 1: the first free one is found by doubling, then halving. */
static gpointer
next_index_no_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;
  const char *template_text = args->a, *org_code = args->b;
  int year = (int) args->number;
  g_autofree char *first = NULL;
  gint64 taken = 0, free_seq = 1;

  first = gk_store_expand_index_template (template_text, org_code, year, 1, error);
  if (first == NULL)
    return NULL;
  if (!index_no_taken (store, first))
    return g_steal_pointer (&first);

  taken = 1;
  free_seq = 2;
  for (;;)
    {
      g_autofree char *candidate = gk_store_expand_index_template (template_text, org_code, year,
                                                                   free_seq, error);

      if (candidate == NULL)
        return NULL;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!index_no_taken (store, candidate))
        break;
      taken = free_seq;
      if (free_seq > G_MAXINT64 / 4)
        return g_steal_pointer (&candidate);
      free_seq *= 2;
    }
  while (free_seq - taken > 1)
    {
      gint64 middle = taken + (free_seq - taken) / 2;
      g_autofree char *candidate = gk_store_expand_index_template (template_text, org_code, year,
                                                                   middle, error);

      if (candidate == NULL)
        return NULL;
      if (index_no_taken (store, candidate))
        taken = middle;
      else
        free_seq = middle;
    }
  return gk_store_expand_index_template (template_text, org_code, year, free_seq, error);
}

void
gk_store_next_index_no_async (GkStore            *self,
                              const char         *template_text,
                              const char         *org_code,
                              int                 year,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (template_text);
  args->b = g_strdup (org_code);
  args->number = year;
  run (self, GK_STORE_READ, next_index_no_func, args, g_free, cancellable, callback, user_data);
}

char *
gk_store_next_index_no_finish (GkStore      *self,
                               GAsyncResult *result,
                               GError      **error)
{
  return gk_store_run_finish (self, result, error);
}

/* The holiday calendar */

typedef struct
{
  GPtrArray *years;
  GArray    *unknown;
} HolidayYears;

static void
holiday_years_free (gpointer data)
{
  HolidayYears *result = data;

  g_clear_pointer (&result->years, g_ptr_array_unref);
  g_clear_pointer (&result->unknown, g_array_unref);
  g_free (result);
}

static gpointer
list_holiday_years_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  g_autoptr (GArray) unknown = NULL;
  GPtrArray    *years = gk_store_list_holiday_years (store, &unknown, error);
  HolidayYears *result;

  if (years == NULL)
    return NULL;
  result = g_new0 (HolidayYears, 1);
  result->years = years;
  result->unknown = g_steal_pointer (&unknown);
  return result;
}

void
gk_store_list_holiday_years_async (GkStore            *self,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  run (self, GK_STORE_READ, list_holiday_years_func, args_new (), holiday_years_free, cancellable,
       callback, user_data);
}

GPtrArray *
gk_store_list_holiday_years_finish (GkStore      *self,
                                    GAsyncResult *result,
                                    GArray      **unknown_deadline_years,
                                    GError      **error)
{
  HolidayYears *data = gk_store_run_finish (self, result, error);
  GPtrArray    *years;

  if (data == NULL)
    return NULL;
  years = g_steal_pointer (&data->years);
  if (unknown_deadline_years != NULL)
    *unknown_deadline_years = g_steal_pointer (&data->unknown);
  holiday_years_free (data);
  return years;
}

static gpointer
set_holiday_year_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;

  return DONE (gk_store_set_holiday_year (store, args->a, args->year, error));
}

void
gk_store_set_holiday_year_async (GkStore              *self,
                                 const char           *actor,
                                 const GkCalendarYear *year,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (actor);
  args->year = gk_calendar_year_copy (year);
  run (self, GK_STORE_WRITE, set_holiday_year_func, args, NULL, cancellable, callback, user_data);
}

gboolean
gk_store_set_holiday_year_finish (GkStore *self, GAsyncResult *result, GError **error)
{
  return finish_boolean (self, result, error);
}

static gpointer
remove_holiday_year_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;

  return DONE (gk_store_remove_holiday_year (store, args->a, (int) args->number, error));
}

void
gk_store_remove_holiday_year_async (GkStore            *self,
                                    const char         *actor,
                                    int                 year,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (actor);
  args->number = year;
  run (self, GK_STORE_WRITE, remove_holiday_year_func, args, NULL, cancellable, callback,
       user_data);
}

gboolean
gk_store_remove_holiday_year_finish (GkStore *self, GAsyncResult *result, GError **error)
{
  return finish_boolean (self, result, error);
}

/* A holiday file is a few kilobytes: more is not one. */
#define HOLIDAY_FILE_MAX_BYTES (1024 * 1024)

static gpointer
import_holidays_func (GkStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Args *args = data;
  g_autoptr (GError) local = NULL;
  g_autofree char *contents = NULL;
  gsize            length = 0;
  guint           *n_years;

  if (!g_file_load_contents (G_FILE (args->object), cancellable, &contents, &length, NULL, &local))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_NOT_FOUND,
                   _ ("Could not read the holiday calendar “%s”: %s"), args->b, local->message);
      return NULL;
    }
  if (length > HOLIDAY_FILE_MAX_BYTES)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _ ("The holiday calendar “%s” is too large to be one."), args->b);
      return NULL;
    }
  n_years = g_new0 (guint, 1);
  if (!gk_store_import_holidays (store, args->a, contents, (gssize) length, args->b, n_years,
                                 error))
    {
      g_free (n_years);
      return NULL;
    }
  return n_years;
}

void
gk_store_import_holidays_async (GkStore            *self,
                                const char         *actor,
                                GFile              *file,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  Args *args = args_new ();

  args->a = g_strdup (actor);
  args->object = g_object_ref (file);
  args->b = g_file_get_parse_name (file);
  run (self, GK_STORE_WRITE, import_holidays_func, args, g_free, cancellable, callback, user_data);
}

gboolean
gk_store_import_holidays_finish (GkStore      *self,
                                 GAsyncResult *result,
                                 guint        *n_years,
                                 GError      **error)
{
  g_autofree guint *count = gk_store_run_finish (self, result, error);

  if (count == NULL)
    return FALSE;
  if (n_years != NULL)
    *n_years = *count;
  return TRUE;
}
