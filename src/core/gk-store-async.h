/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gk-store.h"
#include "gk-workflow.h"

G_BEGIN_DECLS

/* The store as a service: every operation the window uses, as an
 * _async/_finish pair.  Writes run in order on the store's one writer
 * thread; reads on a small pool of threads, each with its own read-only
 * connection, so a query never waits behind a write transaction (WAL).
 * The callback runs on the thread-default main context of the caller
 * (GTask), and "items-changed" on the main context of whoever opened the
 * store.  The synchronous calls of gk-store.h remain for the command line
 * and the tests; they run the same code.
 *
 * Arguments are copied before the call returns.  Cancelling drops the
 * result of a read (G_IO_ERROR_CANCELLED); a write that has started
 * completes (its result still reaches the callback). */

typedef enum
{
  GK_STORE_READ,
  GK_STORE_WRITE,
} GkStoreAccess;

/* Runs on one of the store's threads: synchronous store calls are fine
 * there.  Returns the result (freed with result_free if nobody takes it)
 * or NULL with error set. */
typedef gpointer (*GkStoreFunc) (GkStore      *store,
                                 gpointer      data,
                                 GCancellable *cancellable,
                                 GError      **error);

/* The general form behind every pair below, for the core's own compound
 * operations (the sync's per-item commits, say). */
void        gk_store_run_async          (GkStore            *self,
                                         GkStoreAccess       access,
                                         GkStoreFunc         func,
                                         gpointer            data,
                                         GDestroyNotify      data_free,
                                         GDestroyNotify      result_free,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gpointer    gk_store_run_finish         (GkStore      *self,
                                         GAsyncResult *result,
                                         GError      **error);

/* gk_store_open() in the background.  In a library made now,
 * first_admin (when not NULL) becomes its first member, admin and
 * drafter. */
void        gk_store_open_async         (const char         *dir,
                                         gboolean            create,
                                         const char         *first_admin,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GkStore    *gk_store_open_finish        (GAsyncResult *result,
                                         GError      **error);

/* Wait until every queued write has run (the application calls it at
 * shutdown, so that nothing accepted is lost). */
void        gk_store_wait_writes        (GkStore *self);

/* Follow commits by other processes (gongkai-ctl from cron, another
 * window): they are announced as "items-changed" (NULL) on the owner's
 * main context, within about a second. */
void        gk_store_watch_other_writers (GkStore *self);

/* Queries */
void        gk_store_query_ids_async    (GkStore            *self,
                                         const GkQuery      *query,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GStrv       gk_store_query_ids_finish   (GkStore      *self,
                                         GAsyncResult *result,
                                         GError      **error);
void        gk_store_count_async        (GkStore            *self,
                                         const GkQuery      *query,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean    gk_store_count_finish       (GkStore      *self,
                                         GAsyncResult *result,
                                         guint        *n_items,
                                         GError      **error);
/* Several counts in one read (the sidebar): n_queries queries, the
 * result an array of as many guint. */
void        gk_store_count_many_async   (GkStore            *self,
                                         const GkQuery      *queries,
                                         guint               n_queries,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GArray     *gk_store_count_many_finish  (GkStore      *self,
                                         GAsyncResult *result,
                                         GError      **error);
void        gk_store_query_async        (GkStore            *self,
                                         const GkQuery      *query,
                                         guint               offset,
                                         guint               limit,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GPtrArray  *gk_store_query_finish       (GkStore      *self,
                                         GAsyncResult *result,
                                         GError      **error);
void        gk_store_get_items_async    (GkStore            *self,
                                         const char *const  *ids,
                                         guint               n_ids,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GPtrArray  *gk_store_get_items_finish   (GkStore      *self,
                                         GAsyncResult *result,
                                         GError      **error);
/* gk_store_find_cited() on a reader. */
void        gk_store_find_cited_async (GkStore            *self,
                                       const char         *id,
                                       guint               limit,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
GPtrArray  *gk_store_find_cited_finish (GkStore *self, GAsyncResult *result, GError **error);
void        gk_store_get_item_async     (GkStore            *self,
                                         const char         *id,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GkItem     *gk_store_get_item_finish    (GkStore      *self,
                                         GAsyncResult *result,
                                         GError      **error);
void        gk_store_audit_log_async    (GkStore            *self,
                                         const char         *item_id,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GPtrArray  *gk_store_audit_log_finish   (GkStore      *self,
                                         GAsyncResult *result,
                                         GError      **error);

/* Library-wide data */
void        gk_store_list_members_async (GkStore            *self,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GPtrArray  *gk_store_list_members_finish (GkStore      *self,
                                          GAsyncResult *result,
                                          GError      **error);
void        gk_store_get_roles_async    (GkStore            *self,
                                         const char         *user,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GkRole      gk_store_get_roles_finish   (GkStore      *self,
                                         GAsyncResult *result,
                                         GError      **error);
void        gk_store_list_tags_async    (GkStore            *self,
                                         gboolean            include_retired,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GPtrArray  *gk_store_list_tags_finish   (GkStore      *self,
                                         GAsyncResult *result,
                                         GError      **error);
void        gk_store_list_topics_async  (GkStore            *self,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GStrv       gk_store_list_topics_finish (GkStore      *self,
                                         GAsyncResult *result,
                                         GError      **error);
/* The values of keys (NULL-terminated) in one read: key → value, keys
 * without a value absent. */
void        gk_store_get_settings_async (GkStore            *self,
                                         const char *const  *keys,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GHashTable *gk_store_get_settings_finish (GkStore      *self,
                                          GAsyncResult *result,
                                          GError      **error);
void        gk_store_sync_list_jobs_async (GkStore            *self,
                                           gboolean            pending_only,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
GPtrArray  *gk_store_sync_list_jobs_finish (GkStore      *self,
                                            GAsyncResult *result,
                                            GError      **error);
/* Whether each published item's withdrawal waits to be sent
 * (gk_sync_withdrawal_pending()), in one read: a GkWithdrawalState per
 * id, in the order of ids. */
typedef struct
{
  char     *id;
  gboolean  pending;
  char     *last_error;  /* the last failure to send it, or NULL */
} GkWithdrawalState;

void        gk_withdrawal_state_free    (GkWithdrawalState *state);

void        gk_sync_withdrawals_pending_async (GkStore            *store,
                                               const char *const  *ids,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
GPtrArray  *gk_sync_withdrawals_pending_finish (GkStore      *store,
                                                GAsyncResult *result,
                                                GError      **error);
void        gk_workflow_queue_async     (GkStore            *store,
                                         const char         *user,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GPtrArray  *gk_workflow_queue_finish    (GkStore      *store,
                                         GAsyncResult *result,
                                         GError      **error);
void        gk_workflow_list_approvals_async (GkStore            *store,
                                              const char         *id,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
GPtrArray  *gk_workflow_list_approvals_finish (GkStore      *store,
                                               GAsyncResult *result,
                                               GError      **error);

/* Writes */
/* gk_store_update_item(), then (when confirmed is not empty) an audit
 * entry "confirm" naming the fields the user confirmed as detected. */
void        gk_store_update_item_async  (GkStore            *self,
                                         const char         *actor,
                                         GkItem             *edited,
                                         const char *const  *confirmed,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean    gk_store_update_item_finish (GkStore      *self,
                                         GAsyncResult *result,
                                         GError      **error);
void        gk_store_set_setting_async  (GkStore            *self,
                                         const char         *actor,
                                         const char         *key,
                                         const char         *value,
                                         GkSettingFlags      flags,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean    gk_store_set_setting_finish (GkStore      *self,
                                         GAsyncResult *result,
                                         GError      **error);
void        gk_store_set_member_async   (GkStore            *self,
                                         const char         *actor,
                                         const char         *user,
                                         GkRole              roles,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean    gk_store_set_member_finish  (GkStore      *self,
                                         GAsyncResult *result,
                                         GError      **error);

typedef enum
{
  GK_TAG_EDIT_ADD,     /* name under argument (a parent name or NULL) */
  GK_TAG_EDIT_RENAME,  /* name to argument */
  GK_TAG_EDIT_MOVE,    /* name under argument (NULL: top level) */
  GK_TAG_EDIT_RETIRE,  /* retire name */
  GK_TAG_EDIT_RESTORE, /* bring name back */
  GK_TAG_EDIT_ADD_TOPIC, /* a 主题分类 name */
} GkTagEdit;

void        gk_store_edit_tags_async    (GkStore            *self,
                                         const char         *actor,
                                         GkTagEdit           edit,
                                         const char         *name,
                                         const char         *argument,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean    gk_store_edit_tags_finish   (GkStore      *self,
                                         GAsyncResult *result,
                                         GError      **error);
void        gk_store_audit_append_async (GkStore            *self,
                                         const char         *actor,
                                         const char         *action,
                                         const char         *item_id,
                                         JsonObject         *details,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean    gk_store_audit_append_finish (GkStore      *self,
                                          GAsyncResult *result,
                                          GError      **error);
void        gk_workflow_submit_async    (GkStore            *store,
                                         const char         *actor,
                                         const char         *id,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean    gk_workflow_submit_finish   (GkStore      *store,
                                         GAsyncResult *result,
                                         GError      **error);

/* gk_sync_withdraw(): *queued (optional) says whether a withdrawal
 * now waits to be sent to the portal. */
void        gk_sync_withdraw_async      (GkStore            *store,
                                         const char         *actor,
                                         const char         *id,
                                         const char         *reason,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean    gk_sync_withdraw_finish     (GkStore      *store,
                                         GAsyncResult *result,
                                         gboolean     *queued,
                                         GError      **error);

/* One item of a review or workflow batch. */
typedef struct
{
  char     *id;
  char     *title;   /* the item's title (or id) as it was before */
  gboolean  ok;
  char     *message; /* why not, when !ok */
  GkItem   *after;   /* the item after the operation (NULL if gone) */
} GkBatchResult;

void        gk_batch_result_free        (GkBatchResult *result);

typedef enum
{
  GK_BATCH_SUBMIT,
  GK_BATCH_APPROVE,
  GK_BATCH_RETURN,
  GK_BATCH_DISMISS,
  GK_BATCH_ADD_TAG,    /* the tag named by comment */
  GK_BATCH_REMOVE_TAG,
} GkBatchAction;

/* For each id in turn (each its own transaction): submit, approve
 * (bound to the item as seen when seen[i] is not NULL:
 * gk_workflow_review_seen()), return with comment, dismiss finding_id
 * with comment as the reason, or add or remove the tag named comment
 * (an item that has it already, or not, is left as it is).  The result: a GkBatchResult per id. */
void        gk_workflow_batch_async     (GkStore            *store,
                                         const char         *actor,
                                         GkBatchAction       action,
                                         const char *const  *ids,
                                         GPtrArray          *seen,
                                         const char         *comment,
                                         gint64              finding_id,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GPtrArray  *gk_workflow_batch_finish    (GkStore      *store,
                                         GAsyncResult *result,
                                         GError      **error);
/* May user sign each of ids now (gk_workflow_can_approve(), on a reader
 * thread, with each item's history)?  A GkBatchResult per id still in
 * the library: ok, or the reason in message; after is the item. */
void        gk_workflow_can_approve_many_async  (GkStore            *store,
                                                 const char         *user,
                                                 const char *const  *ids,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
GPtrArray  *gk_workflow_can_approve_many_finish (GkStore      *store,
                                                 GAsyncResult *result,
                                                 GError      **error);
/* gk_workflow_review_seen() */
void        gk_workflow_review_async    (GkStore            *store,
                                         const char         *actor,
                                         GkItem             *seen,
                                         GkReviewDecision    decision,
                                         const char         *comment,
                                         const GkDismissal  *dismissals,
                                         guint               n_dismissals,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean    gk_workflow_review_finish   (GkStore      *store,
                                         GAsyncResult *result,
                                         GError      **error);

/* The administration window */
/* gk_store_list_holiday_years(); unknown_deadline_years (optional) as
 * there. */
void       gk_store_list_holiday_years_async (GkStore            *self,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
GPtrArray *gk_store_list_holiday_years_finish (GkStore      *self,
                                               GAsyncResult *result,
                                               GArray      **unknown_deadline_years,
                                               GError      **error);
void       gk_store_set_holiday_year_async (GkStore              *self,
                                            const char           *actor,
                                            const GkCalendarYear *year,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean   gk_store_set_holiday_year_finish (GkStore *self, GAsyncResult *result, GError **error);
void       gk_store_remove_holiday_year_async (GkStore            *self,
                                               const char         *actor,
                                               int                 year,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
gboolean gk_store_remove_holiday_year_finish (GkStore *self, GAsyncResult *result, GError **error);
/* gk_store_import_holidays() of a file read on the writer thread (name
 * for the messages: its display name). */
void     gk_store_import_holidays_async (GkStore            *self,
                                         const char         *actor,
                                         GFile              *file,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean gk_store_import_holidays_finish (GkStore      *self,
                                          GAsyncResult *result,
                                          guint        *n_years,
                                          GError      **error);

/* The 索引号 the next document of year would get from template_text and
 * org_code (a preview: nothing is reserved).  GK_ERROR_INVALID for a
 * template that cannot be used. */
void        gk_store_next_index_no_async  (GkStore            *self,
                                           const char         *template_text,
                                           const char         *org_code,
                                           int                 year,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
char       *gk_store_next_index_no_finish (GkStore      *self,
                                           GAsyncResult *result,
                                           GError      **error);

G_END_DECLS
