/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store's internal API, shared by the gk-store*.c files only (the
 * workflow and sync parts of the store build on it).  Nothing outside
 * src/core/gk-store*.c includes this header or holds SQL.
 *
 * Locking and transactions, the usual shape:
 *
 *   g_autoptr(GkStoreLocker) locker = gk_store_priv_lock (self);
 *   g_autoptr(GkStoreTx) tx = NULL;
 *
 *   if (!gk_store_check_role (self, actor, GK_ROLE_REVIEWER, error))
 *     return FALSE;
 *   if ((tx = gk_store_priv_begin (self, error)) == NULL)
 *     return FALSE;
 *   … statements, gk_store_priv_audit (), gk_store_priv_emit_changed () …
 *   return gk_store_priv_commit (g_steal_pointer (&tx), error);
 *
 * A transaction left without commit rolls back when its GkStoreTx goes
 * out of scope.  Transactions nest (the inner ones are SAVEPOINTs), so a
 * public call may be made from inside another transaction.
 *
 * Connections: one writer, used under the store's recursive write lock
 * (gk_store_priv_lock), and a few read-only connections for queries
 * (gk_store_priv_read): a read section takes a reader for the calling
 * thread, inside one read transaction, so reads never wait for a writer's
 * transaction (WAL) and see one consistent snapshot.  Inside a write lock
 * reads use the writer and see what it wrote.  Both return a locker that
 * g_autoptr releases; statements go to the connection the calling thread
 * holds.  "items-changed" signals queued during a write are announced
 * after the commit, on the main context of whoever opened the store. */

#include <sqlite3.h>

#include "gk-calendar.h"
#include "gk-store.h"

G_BEGIN_DECLS

typedef GkStore      GkStoreLocker;
typedef struct _GkStoreTx GkStoreTx;
typedef sqlite3_stmt GkStoreStmt;

/* The calling thread's connection (inside a lock or read section). */
sqlite3       *gk_store_priv_get_db          (GkStore *self);

/* Take the store's recursive write lock (and the writer connection);
 * gk_store_priv_unlock() releases it and, when it was the outermost hold,
 * announces the queued "items-changed". */
GkStoreLocker *gk_store_priv_lock_at         (GkStore    *self,
                                              const char *caller);
#define gk_store_priv_lock(self) gk_store_priv_lock_at ((self), G_STRFUNC)
/* A read section: a read-only connection for this thread (or the writer,
 * when the thread holds the write lock).  No writes inside. */
GkStoreLocker *gk_store_priv_read_at         (GkStore    *self,
                                              const char *caller);
#define gk_store_priv_read(self) gk_store_priv_read_at ((self), G_STRFUNC)
/* Ends what the matching lock or read began. */
void           gk_store_priv_unlock          (GkStoreLocker *locker);

/* BEGIN IMMEDIATE (or a SAVEPOINT when already in a transaction).  The
 * lock must be held.  NULL with an error if the database is busy. */
GkStoreTx     *gk_store_priv_begin           (GkStore *self,
                                              GError **error);
/* Commit (or release the savepoint) and free tx.  On failure the
 * transaction is rolled back. */
gboolean       gk_store_priv_commit          (GkStoreTx *tx,
                                              GError   **error);
/* Roll back and free tx (NULL is ignored). */
void           gk_store_priv_rollback        (GkStoreTx *tx);
gboolean       gk_store_priv_in_transaction  (GkStore *self);

/* A prepared statement from the store's cache, reset and with cleared
 * bindings.  Give it back with gk_store_priv_release() (or let g_autoptr
 * do it); do not finalize it.  Do not prepare the same SQL again while
 * it is still stepping (the cache holds one statement per SQL text). */
GkStoreStmt   *gk_store_priv_prepare         (GkStore    *self,
                                              const char *sql,
                                              GError    **error);
void           gk_store_priv_release         (GkStoreStmt *stmt);
/* Step a statement that returns no rows; FALSE with an error otherwise.
 * A UNIQUE violation is GK_ERROR_CONFLICT. */
gboolean       gk_store_priv_step_done       (GkStore     *self,
                                              GkStoreStmt *stmt,
                                              GError     **error);
/* Run SQL without parameters or results (several statements allowed). */
gboolean       gk_store_priv_exec            (GkStore    *self,
                                              const char *sql,
                                              GError    **error);
/* Set error from the connection's last error (rc is the failing result
 * code); always returns FALSE.  SQLITE_CONSTRAINT_UNIQUE maps to
 * GK_ERROR_CONFLICT, SQLITE_BUSY to GK_ERROR_FAILED with "busy" words. */
gboolean       gk_store_priv_sql_error       (GkStore    *self,
                                              int         rc,
                                              const char *context,
                                              GError    **error);

/* Binding and reading helpers: blank text binds as NULL; a NULL column
 * reads as NULL. */
void           gk_store_priv_bind_text       (GkStoreStmt *stmt,
                                              int          index,
                                              const char  *text);
char          *gk_store_priv_column_text     (GkStoreStmt *stmt,
                                              int          column);

/* Append an audit entry inside the current transaction (required).
 * details is serialised as built (key order kept) and must never hold a
 * full personal number or a token; NULL means {}. */
gboolean       gk_store_priv_audit           (GkStore    *self,
                                              const char *actor,
                                              const char *action,
                                              const char *item_id,
                                              JsonObject *details,
                                              GError    **error);

/* The items columns, in the order gk_store_priv_item_from_row() reads
 * them: "SELECT " GK_STORE_ITEM_COLUMNS " FROM items WHERE …".  The last
 * one is the item's tag names as a JSON array. */
#define GK_STORE_ITEM_COLUMNS \
  "items.id, items.index_no, items.title, items.doc_number, " \
  "items.doc_number_original, items.issuer, items.written_date, " \
  "items.publish_date, items.genre, items.topic, items.category, " \
  "items.audience, items.disclosure, items.disclosure_ground, " \
  "items.validity_status, items.effective_from, items.effective_until, " \
  "items.service_url, items.interprets, items.related, items.summary, " \
  "items.file_sha256, items.file_media_type, items.file_name, " \
  "items.file_bytes, items.revision, items.state, items.stage, items.pages, " \
  "items.flags, items.detected_json, items.created_at, items.created_by, " \
  "items.updated_at, items.updated_by, items.submitted_at, " \
  "items.submitted_by, items.due_date, items.public_url, " \
  "(SELECT json_group_array (name) FROM (SELECT tags.name AS name " \
  "FROM item_tags JOIN tags ON tags.id = item_tags.tag_id " \
  "WHERE item_tags.item_id = items.id ORDER BY item_tags.position))"
#define GK_STORE_ITEM_N_COLUMNS 40

/* Build an item from the current row of a statement that selected
 * GK_STORE_ITEM_COLUMNS first.  No findings. */
GkItem        *gk_store_priv_item_from_row   (GkStoreStmt *stmt);
/* The item with exactly this id; with_findings fills item->findings.
 * GK_ERROR_NOT_FOUND if none. */
GkItem        *gk_store_priv_load_item       (GkStore    *self,
                                              const char *id,
                                              gboolean    with_findings,
                                              GError    **error);
/* GkFinding*, in page and offset order. */
GPtrArray     *gk_store_priv_load_findings   (GkStore    *self,
                                              const char *item_id,
                                              GError    **error);
/* Full id from a full id, a unique prefix (≥ 4) or an exact 索引号.
 * GK_ERROR_NOT_FOUND, or GK_ERROR_INVALID for an ambiguous prefix. */
char          *gk_store_priv_resolve_id      (GkStore    *self,
                                              const char *id,
                                              GError    **error);

/* Who worked on a revision: what is "drafted", "edited" or "submitted".
 * Adding the same (user, what) twice is a no-op. */
gboolean       gk_store_priv_add_contributor (GkStore    *self,
                                              const char *item_id,
                                              gint64      revision,
                                              const char *user,
                                              const char *what,
                                              GError    **error);
/* The distinct users who drafted, edited or submitted this revision. */
GStrv          gk_store_priv_get_contributors (GkStore    *self,
                                               const char *item_id,
                                               gint64      revision,
                                               GError    **error);

/* Queue "library-changed" (members, settings, the catalog) for the
 * end of the write. */
void           gk_store_priv_emit_library_changed (GkStore *self);

/* Queue "items-changed" for item_id (NULL: many items).  Emitted after
 * the outermost lock is released; dropped if the outermost transaction
 * rolls back. */
void           gk_store_priv_emit_changed    (GkStore    *self,
                                              const char *item_id);

/* Write a setting without a role check or audit entry (for the store's
 * own bookkeeping, e.g. a sync cursor).  NULL value deletes it. */
gboolean       gk_store_priv_put_setting     (GkStore    *self,
                                              const char *key,
                                              const char *value,
                                              GError    **error);
/* The store's working-day calendar as it is now (a reference: another
 * thread may install a new one meanwhile). */
GkCalendar    *gk_store_priv_get_calendar    (GkStore *self);
/* Put calendar in place of the store's (takes a reference). */
void gk_store_priv_set_calendar (GkStore *self, GkCalendar *calendar);

/* Defined in gk-store-calendar.c: the calendar built from the holidays
 * table, on the calling thread's connection (inside a transaction, what
 * it wrote).  Never NULL without an error. */
GkCalendar *gk_store_priv_load_calendar (GkStore *self, GError **error);
/* Fill the holidays table from the shipped data (gk_calendar_new_default()),
 * inside the migration to schema 5 (raw connection, its transaction). */
gboolean gk_store_priv_seed_holidays (sqlite3 *db, GError **error);

/* Defined in gk-store-items.c, used by the others. */
/* The disclosure deadline for a written date (NULL if none runs: no
 * written date, or the item is already public, its publish_date today or
 * before). */
char *gk_store_priv_compute_due (GkStore *self, const char *written_date, const char *publish_date);
/* The same with a given calendar (one about to be stored). */
char *
gk_store_priv_due_with (GkCalendar *calendar, const char *written_date, const char *publish_date);

/* Defined in gk-store-tags.c: are these tag names in the catalog?  Names
 * not in previous (newly added to the item) must also be usable: neither
 * the tag nor an ancestor is retired.  Fills *ids (gint64, in the order
 * of names) when ids is non-NULL. */
gboolean       gk_store_priv_check_tags      (GkStore           *self,
                                              const char *const *names,
                                              const char *const *previous,
                                              GArray           **ids,
                                              GError           **error);
/* Is this topic in the list (blank is)? */
gboolean       gk_store_priv_check_topic     (GkStore    *self,
                                              const char *topic,
                                              GError    **error);
/* Fill the topics table from data/topics.txt when it is empty. */
gboolean       gk_store_priv_seed_topics     (GkStore *self,
                                              GError **error);

/* Defined in gk-store-files.c: the hold on files/ and the cleaning of
 * what killed imports left there (the store owns one GkStoreFiles). */
typedef struct _GkStoreFiles GkStoreFiles;
GkStoreFiles  *gk_store_priv_files_new       (const char *files_dir);
void           gk_store_priv_files_free      (GkStoreFiles *files);
GkStoreFiles  *gk_store_priv_get_files       (GkStore *self);
/* Best effort, at opening: never fails, keeps files on any doubt.
 * Without thorough, only after an interrupted import. */
void           gk_store_priv_clean_files     (GkStore *self,
                                              gboolean thorough);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkStoreLocker, gk_store_priv_unlock)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkStoreTx, gk_store_priv_rollback)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkStoreStmt, gk_store_priv_release)

G_END_DECLS
