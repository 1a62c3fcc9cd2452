/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPortal"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "gkp-record.h"
#include "gkp-store.h"

struct _GkpStore
{
  sqlite3 *db;
  char    *files_dir;
};

struct _GkpUpload
{
  GkpStore  *store;
  char      *sha256;
  char      *temp_path;  /* NULL when the file was already stored */
  int        fd;
  GChecksum *checksum;
  GError    *write_error;
  gboolean   existed;
};

#define SCHEMA_VERSION 1

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS documents ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  body TEXT NOT NULL,"
  "  etag TEXT NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  withdrawn INTEGER NOT NULL DEFAULT 0,"
  "  title TEXT NOT NULL,"
  "  doc_number TEXT,"
  "  publish_date TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS documents_public"
  "  ON documents (withdrawn, publish_date DESC, updated_at DESC, id);"
  "PRAGMA user_version = 1;";

G_DEFINE_QUARK (gkp-store-error-quark, gkp_store_error)

static gboolean
set_sqlite_error (GkpStore   *self,
                  GError    **error,
                  const char *what)
{
  g_set_error (error, GKP_STORE_ERROR, 0, "%s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

static sqlite3_stmt *
prepare (GkpStore   *self,
         const char *sql,
         GError    **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, "prepare");
      return NULL;
    }
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           index)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, index));
}

static void
remove_stale_uploads (const char *files_dir)
{
  g_autoptr(GDir) dir = g_dir_open (files_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, ".incoming-"))
      {
        g_autofree char *path = g_build_filename (files_dir, name, NULL);
        g_unlink (path);
      }
}

static gboolean
sync_directory (const char *path)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = fsync (fd) == 0;
  close (fd);
  return ok;
}

/**
 * gkp_document_free:
 * @doc: (nullable): a document
 *
 * Frees @doc.
 */
void
gkp_document_free (GkpDocument *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->id);
  g_free (doc->body);
  g_free (doc->etag);
  g_free (doc->title);
  g_free (doc->doc_number);
  g_free (doc->publish_date);
  g_free (doc->updated_at);
  g_free (doc);
}

/**
 * gkp_store_open:
 * @data_dir: the portal's data folder, created if needed
 * @error: return location for an error
 *
 * Opens (and creates or migrates) DATA/portal.db and DATA/files/.
 *
 * Returns: (transfer full) (nullable): the store
 */
GkpStore *
gkp_store_open (const char *data_dir,
                GError    **error)
{
  g_autoptr(GkpStore) self = g_new0 (GkpStore, 1);
  g_autofree char *db_path = NULL;
  sqlite3_stmt *stmt;
  int version = 0;
  char *errmsg = NULL;

  self->files_dir = g_build_filename (data_dir, "files", NULL);
  if (g_mkdir_with_parents (self->files_dir, 0750) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot create %s: %s", self->files_dir, g_strerror (saved));
      return NULL;
    }
  remove_stale_uploads (self->files_dir);

  db_path = g_build_filename (data_dir, "portal.db", NULL);
  if (sqlite3_open_v2 (db_path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, GKP_STORE_ERROR, 0, "Cannot open %s: %s", db_path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);

  if (sqlite3_exec (self->db,
                    "PRAGMA journal_mode = WAL;"
                    "PRAGMA synchronous = NORMAL;",
                    NULL, NULL, &errmsg) != SQLITE_OK)
    {
      g_set_error (error, GKP_STORE_ERROR, 0, "Cannot configure %s: %s", db_path, errmsg);
      sqlite3_free (errmsg);
      return NULL;
    }

  if ((stmt = prepare (self, "PRAGMA user_version", error)) == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, GKP_STORE_ERROR, 0,
                   "%s was made by a newer version of gongkai-portal", db_path);
      return NULL;
    }
  if (version < SCHEMA_VERSION &&
      sqlite3_exec (self->db, schema_sql, NULL, NULL, &errmsg) != SQLITE_OK)
    {
      g_set_error (error, GKP_STORE_ERROR, 0, "Cannot create the schema of %s: %s",
                   db_path, errmsg);
      sqlite3_free (errmsg);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * gkp_store_free:
 * @self: (nullable): the store
 *
 * Closes the database (checkpointing the WAL) and frees @self.
 */
void
gkp_store_free (GkpStore *self)
{
  if (self == NULL)
    return;
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_free (self->files_dir);
  g_free (self);
}

/**
 * gkp_store_get_document:
 * @self: the store
 * @id: the document id
 * @out_doc: (out) (transfer full): the document, or %NULL if there is none
 * @error: return location for an error
 *
 * Returns: %FALSE on a database error
 */
gboolean
gkp_store_get_document (GkpStore     *self,
                        const char   *id,
                        GkpDocument **out_doc,
                        GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *out_doc = NULL;
  stmt = prepare (self,
                  "SELECT id, body, etag, revision, withdrawn, title, doc_number,"
                  "       publish_date, updated_at"
                  "  FROM documents WHERE id = ?1",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      GkpDocument *doc = g_new0 (GkpDocument, 1);

      doc->id = column_text (stmt, 0);
      doc->body = column_text (stmt, 1);
      doc->etag = column_text (stmt, 2);
      doc->revision = sqlite3_column_int64 (stmt, 3);
      doc->withdrawn = sqlite3_column_int (stmt, 4) != 0;
      doc->title = column_text (stmt, 5);
      doc->doc_number = column_text (stmt, 6);
      doc->publish_date = column_text (stmt, 7);
      doc->updated_at = column_text (stmt, 8);
      *out_doc = doc;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (self, error, "read document");
  return TRUE;
}

/**
 * gkp_store_put_document:
 * @self: the store
 * @doc: the document to create or replace (body, etag, revision, title,
 *   doc_number, publish_date, withdrawn and updated_at are written)
 * @error: return location for an error
 *
 * Returns: %FALSE on a database error
 */
gboolean
gkp_store_put_document (GkpStore          *self,
                        const GkpDocument *doc,
                        GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "INSERT INTO documents (id, body, etag, revision, withdrawn, title,"
                  "                       doc_number, publish_date, created_at, updated_at)"
                  "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)"
                  "  ON CONFLICT (id) DO UPDATE SET"
                  "    body = excluded.body, etag = excluded.etag,"
                  "    revision = excluded.revision, withdrawn = excluded.withdrawn,"
                  "    title = excluded.title, doc_number = excluded.doc_number,"
                  "    publish_date = excluded.publish_date,"
                  "    updated_at = excluded.updated_at",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, doc->id);
  bind_text (stmt, 2, doc->body);
  bind_text (stmt, 3, doc->etag);
  sqlite3_bind_int64 (stmt, 4, doc->revision);
  sqlite3_bind_int (stmt, 5, doc->withdrawn ? 1 : 0);
  bind_text (stmt, 6, doc->title);
  bind_text (stmt, 7, doc->doc_number);
  bind_text (stmt, 8, doc->publish_date);
  bind_text (stmt, 9, doc->updated_at);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, "write document");
  return TRUE;
}

/**
 * gkp_store_set_withdrawn:
 * @self: the store
 * @id: the document id
 * @withdrawn: the new state
 * @updated_at: the time of the change
 * @error: return location for an error
 *
 * Withdraws or republishes a document, keeping its body and ETag.
 *
 * Returns: %FALSE on a database error
 */
gboolean
gkp_store_set_withdrawn (GkpStore   *self,
                         const char *id,
                         gboolean    withdrawn,
                         const char *updated_at,
                         GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, "UPDATE documents SET withdrawn = ?2, updated_at = ?3 WHERE id = ?1",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, withdrawn ? 1 : 0);
  bind_text (stmt, 3, updated_at);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, "withdraw document");
  return TRUE;
}

static GPtrArray *
collect_documents (GkpStore     *self,
                   sqlite3_stmt *stmt,
                   GError      **error)
{
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) gkp_document_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GkpDocument *doc = g_new0 (GkpDocument, 1);

      doc->id = column_text (stmt, 0);
      doc->etag = column_text (stmt, 1);
      doc->revision = sqlite3_column_int64 (stmt, 2);
      doc->withdrawn = sqlite3_column_int (stmt, 3) != 0;
      doc->title = column_text (stmt, 4);
      doc->doc_number = column_text (stmt, 5);
      doc->publish_date = column_text (stmt, 6);
      doc->updated_at = column_text (stmt, 7);
      g_ptr_array_add (docs, doc);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, "list documents");
      return NULL;
    }
  return g_steal_pointer (&docs);
}

/**
 * gkp_store_list_documents:
 * @self: the store
 * @after_id: (nullable): list the ids greater than this one
 * @limit: the most documents to return
 * @error: return location for an error
 *
 * Lists documents (published and withdrawn) ordered by id, without
 * their bodies.
 *
 * Returns: (transfer full) (element-type GkpDocument): the documents
 */
GPtrArray *
gkp_store_list_documents (GkpStore   *self,
                          const char *after_id,
                          guint       limit,
                          GError    **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *docs;

  stmt = prepare (self,
                  "SELECT id, etag, revision, withdrawn, title, doc_number,"
                  "       publish_date, updated_at"
                  "  FROM documents WHERE ?1 IS NULL OR id > ?1"
                  "  ORDER BY id LIMIT ?2",
                  error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, after_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  docs = collect_documents (self, stmt, error);
  sqlite3_finalize (stmt);
  return docs;
}

/**
 * gkp_store_list_published:
 * @self: the store
 * @offset: how many to skip
 * @limit: the most documents to return
 * @out_total: (out) (optional): the number of published documents
 * @error: return location for an error
 *
 * Lists the published documents, newest publish date first, without
 * their bodies.
 *
 * Returns: (transfer full) (element-type GkpDocument): the documents
 */
GPtrArray *
gkp_store_list_published (GkpStore *self,
                          guint     offset,
                          guint     limit,
                          guint    *out_total,
                          GError  **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *docs;

  if (out_total != NULL)
    {
      stmt = prepare (self, "SELECT count(*) FROM documents WHERE withdrawn = 0", error);
      if (stmt == NULL)
        return NULL;
      *out_total = sqlite3_step (stmt) == SQLITE_ROW ? (guint) sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_finalize (stmt);
    }

  stmt = prepare (self,
                  "SELECT id, etag, revision, withdrawn, title, doc_number,"
                  "       publish_date, updated_at"
                  "  FROM documents WHERE withdrawn = 0"
                  "  ORDER BY publish_date DESC, updated_at DESC, id"
                  "  LIMIT ?1 OFFSET ?2",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  sqlite3_bind_int64 (stmt, 2, offset);
  docs = collect_documents (self, stmt, error);
  sqlite3_finalize (stmt);
  return docs;
}

/**
 * gkp_store_get_file_path:
 * @self: the store
 * @sha256: a lowercase hex SHA-256
 *
 * Returns: (transfer full) (nullable): where that file is (or would be)
 *   stored, or %NULL when @sha256 is not a valid hash
 */
char *
gkp_store_get_file_path (GkpStore   *self,
                         const char *sha256)
{
  if (!gkp_is_sha256_hex (sha256))
    return NULL;
  return g_build_filename (self->files_dir, sha256, NULL);
}

/**
 * gkp_store_has_file:
 * @self: the store
 * @sha256: a lowercase hex SHA-256
 *
 * Returns: whether a file with that hash is stored
 */
gboolean
gkp_store_has_file (GkpStore   *self,
                    const char *sha256)
{
  g_autofree char *path = gkp_store_get_file_path (self, sha256);

  return path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/**
 * gkp_store_begin_upload:
 * @self: the store
 * @sha256: the hash the bytes must have
 * @error: return location for an error
 *
 * Starts receiving a file.  The bytes go to a temporary file next to
 * the store (or nowhere when the file is already stored) while they are
 * hashed; gkp_upload_finish() stores them only if the hash matches.
 *
 * Returns: (transfer full) (nullable): the upload
 */
GkpUpload *
gkp_store_begin_upload (GkpStore   *self,
                        const char *sha256,
                        GError    **error)
{
  g_autoptr(GkpUpload) upload = NULL;

  g_return_val_if_fail (gkp_is_sha256_hex (sha256), NULL);

  upload = g_new0 (GkpUpload, 1);
  upload->store = self;
  upload->sha256 = g_strdup (sha256);
  upload->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  upload->fd = -1;
  upload->existed = gkp_store_has_file (self, sha256);

  if (!upload->existed)
    {
      upload->temp_path = g_build_filename (self->files_dir, ".incoming-XXXXXX", NULL);
      upload->fd = g_mkstemp_full (upload->temp_path, O_WRONLY | O_CLOEXEC, 0644);
      if (upload->fd < 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Cannot create a temporary file in %s: %s", self->files_dir,
                       g_strerror (saved));
          g_clear_pointer (&upload->temp_path, g_free);
          return NULL;
        }
    }

  return g_steal_pointer (&upload);
}

/**
 * gkp_upload_write:
 * @upload: the upload
 * @data: (array length=len): received bytes
 * @len: their number
 * @error: return location for an error
 *
 * Adds received bytes.  After an error the upload is failed and the
 * later calls do nothing.
 *
 * Returns: %FALSE on a write error
 */
gboolean
gkp_upload_write (GkpUpload  *upload,
                  const void *data,
                  gsize       len,
                  GError    **error)
{
  const guint8 *p = data;

  if (upload->write_error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (upload->write_error);
      return FALSE;
    }

  g_checksum_update (upload->checksum, data, len);
  while (upload->fd >= 0 && len > 0)
    {
      ssize_t n = write (upload->fd, p, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;
          g_set_error (&upload->write_error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Cannot write %s: %s", upload->temp_path, g_strerror (saved));
          if (error != NULL)
            *error = g_error_copy (upload->write_error);
          return FALSE;
        }
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/**
 * gkp_upload_finish:
 * @upload: the upload, with all its bytes written
 * @out_result: (out): what happened
 * @error: return location for an error
 *
 * Checks the hash of the received bytes and, when it matches and the
 * file is new, moves the file into the store (synced to disk first).
 *
 * Returns: %FALSE on an I/O error (nothing is stored then)
 */
gboolean
gkp_upload_finish (GkpUpload       *upload,
                   GkpUploadResult *out_result,
                   GError         **error)
{
  g_autofree char *final_path = NULL;
  const char *digest;

  if (upload->write_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&upload->write_error));
      return FALSE;
    }

  digest = g_checksum_get_string (upload->checksum);
  if (strcmp (digest, upload->sha256) != 0)
    {
      *out_result = GKP_UPLOAD_MISMATCH;
      return TRUE;
    }
  final_path = gkp_store_get_file_path (upload->store, upload->sha256);
  if (upload->existed || g_file_test (final_path, G_FILE_TEST_IS_REGULAR))
    {
      *out_result = GKP_UPLOAD_EXISTED;
      return TRUE;
    }

  if (fsync (upload->fd) != 0 || close (upload->fd) != 0)
    {
      int saved = errno;
      upload->fd = -1;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot write %s: %s", upload->temp_path, g_strerror (saved));
      return FALSE;
    }
  upload->fd = -1;
  if (g_rename (upload->temp_path, final_path) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot store %s: %s", final_path, g_strerror (saved));
      return FALSE;
    }
  g_clear_pointer (&upload->temp_path, g_free);
  sync_directory (upload->store->files_dir);

  *out_result = GKP_UPLOAD_CREATED;
  return TRUE;
}

/**
 * gkp_upload_free:
 * @upload: (nullable): an upload
 *
 * Frees @upload, removing its temporary file unless it was stored.
 */
void
gkp_upload_free (GkpUpload *upload)
{
  if (upload == NULL)
    return;
  if (upload->fd >= 0)
    close (upload->fd);
  if (upload->temp_path != NULL)
    g_unlink (upload->temp_path);
  g_free (upload->temp_path);
  g_free (upload->sha256);
  g_checksum_free (upload->checksum);
  g_clear_error (&upload->write_error);
  g_free (upload);
}
