/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiStore"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gk-settings.h"
#include "gk-store-async.h"
#include "gk-deadline.h"
#include "gk-store-private.h"
#include "gk-util.h"

/* One SQLite connection with its statement cache.  The writer is used
 * only under the store's write lock; a reader by one thread at a time,
 * between gk_store_priv_read() and the matching unlock. */
typedef struct
{
  sqlite3    *db;
  GHashTable *statements;      /* SQL text → sqlite3_stmt* */
  guint       tx_depth;
  gboolean    read_only;
} Conn;

struct _GkStore
{
  GObject       parent_instance;

  char         *path;
  char         *files_dir;
  Conn         *writer;
  GkCalendar   *calendar; /* under calendar_mutex */
  GMutex        calendar_mutex;
  GkStoreFiles *files;

  GRecMutex     lock;           /* the writer connection */
  GPtrArray    *pending;        /* item ids to announce, under lock */
  gboolean      pending_many;
  gboolean      pending_library; /* members, settings, the catalog */

  GMutex        readers_mutex;
  GPtrArray    *idle_readers;   /* Conn*, under readers_mutex */

  GMainContext *owner_context;  /* where "items-changed" is emitted */
  GThread      *owner_thread;   /* the thread that opened the store */
  GMutex        announce_mutex;
  GHashTable   *announce_ids;   /* under announce_mutex */
  gboolean      announce_many;
  gboolean      announce_library;
  gboolean      announce_scheduled;

  GMutex        pools_mutex;
  GThreadPool  *write_pool;     /* one thread: writes run in order */
  GThreadPool  *read_pool;      /* N_READERS threads */
  guint         writes_queued;  /* under pools_mutex */
  GCond         writes_done;

  /* Commits by other processes (gk_store_watch_other_writers()) */
  GFileMonitor *wal_monitor;
  GSource      *other_writers_timer;
  gint64        data_version;   /* of the writer connection: only others' commits change it */
  gint          check_queued;   /* atomic */
};

/* What the calling thread holds of one store: the connection its
 * statements go to.  A thread's bindings form a stack (a write inside a
 * read, or another store's call inside a store's, push one more). */
typedef struct
{
  GkStore  *store;
  Conn     *conn;
  guint     depth;
  gboolean  writing;
} Binding;

static GPrivate thread_bindings = G_PRIVATE_INIT (NULL); /* GSList of Binding*, top first */

struct _GkStoreTx
{
  GkStore *store;
  guint    depth;              /* 1 = the outermost transaction */
};

/* How many read-only connections serve queries at once. */
#define N_READERS 3

G_DEFINE_FINAL_TYPE (GkStore, gk_store, G_TYPE_OBJECT)

enum {
  ITEMS_CHANGED,
  LIBRARY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define DB_NAME "library.db"

/* PRAGMA application_id of a library ("GKDS"), written by migration 4:
 * a database without it is a library only if it is an older one (its
 * schema's tables tell). */
#define GK_STORE_APPLICATION_ID 0x474B4453u
#define GK_STORE_APPLICATION_ID_SCHEMA 4

/* Schema migrations.  migrations[i] takes a library from user_version i
 * to i + 1, in one transaction.  Never edit a step that has shipped:
 * libraries in the field were made by it.  Append new migrations here
 * (at the end of the array) and raise GK_STORE_SCHEMA_VERSION in
 * gk-store.h to the new count. */
static const char *const migrations[] = {
  /* 1: the initial schema. */
  "CREATE TABLE settings ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");"
  "CREATE TABLE members ("
  "  user     TEXT PRIMARY KEY,"
  "  roles    INTEGER NOT NULL DEFAULT 0,"
  "  added_at TEXT NOT NULL"
  ");"
  "CREATE TABLE tags ("
  "  id         INTEGER PRIMARY KEY,"
  "  name       TEXT NOT NULL UNIQUE,"
  "  parent_id  INTEGER REFERENCES tags (id),"
  "  retired    INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL"
  ");"
  "CREATE INDEX tags_parent ON tags (parent_id);"
  "CREATE TABLE topics ("
  "  name     TEXT PRIMARY KEY,"
  "  position INTEGER NOT NULL"
  ");"
  "CREATE TABLE items ("
  "  num                 INTEGER PRIMARY KEY,"
  "  id                  TEXT NOT NULL UNIQUE,"
  "  index_no            TEXT,"
  "  title               TEXT,"
  "  doc_number          TEXT,"
  "  doc_number_original TEXT,"
  "  issuer              TEXT,"
  "  written_date        TEXT,"
  "  publish_date        TEXT,"
  "  genre               TEXT,"
  "  topic               TEXT,"
  "  category            TEXT,"
  "  audience            TEXT NOT NULL DEFAULT '[]',"
  "  disclosure          TEXT,"
  "  disclosure_ground   TEXT,"
  "  validity_status     TEXT,"
  "  effective_from      TEXT,"
  "  effective_until     TEXT,"
  "  service_url         TEXT,"
  "  interprets          TEXT,"
  "  related             TEXT NOT NULL DEFAULT '[]',"
  "  summary             TEXT,"
  "  file_sha256         TEXT,"
  "  file_media_type     TEXT,"
  "  file_name           TEXT,"
  "  file_bytes          INTEGER NOT NULL DEFAULT 0,"
  "  revision            INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),"
  "  state               TEXT NOT NULL DEFAULT 'draft' CHECK (state IN"
  "                        ('draft', 'in_review', 'returned', 'approved', 'published', "
  "'withdrawn')),"
  "  stage               TEXT CHECK (stage IS NULL OR stage IN ('confidentiality', 'release')),"
  "  pages               INTEGER NOT NULL DEFAULT 0,"
  "  flags               INTEGER NOT NULL DEFAULT 0,"
  "  detected_json       TEXT,"
  "  created_at          TEXT NOT NULL,"
  "  created_by          TEXT NOT NULL,"
  "  updated_at          TEXT,"
  "  updated_by          TEXT,"
  "  submitted_at        TEXT,"
  "  submitted_by        TEXT,"
  "  due_date            TEXT,"
  "  public_url          TEXT"
  ");"
  "CREATE UNIQUE INDEX items_index_no ON items (index_no);"
  "CREATE UNIQUE INDEX items_file_sha256 ON items (file_sha256);"
  "CREATE INDEX items_state ON items (state, stage);"
  "CREATE INDEX items_created ON items (created_at, num);"
  "CREATE INDEX items_written ON items (written_date);"
  "CREATE INDEX items_due ON items (due_date);"
  "CREATE INDEX items_until ON items (effective_until);"
  "CREATE INDEX items_created_by ON items (created_by);"
  "CREATE INDEX items_category ON items (category);"
  "CREATE INDEX items_title ON items (title);"
  "CREATE INDEX items_doc_number ON items (doc_number);"
  "CREATE INDEX items_issuer ON items (issuer);"
  "CREATE TABLE item_tags ("
  "  item_id  TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,"
  "  tag_id   INTEGER NOT NULL REFERENCES tags (id),"
  "  position INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (item_id, tag_id)"
  ");"
  "CREATE INDEX item_tags_tag ON item_tags (tag_id);"
  "CREATE TABLE pages ("
  "  item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,"
  "  page_no INTEGER NOT NULL,"
  "  text    TEXT NOT NULL,"
  "  PRIMARY KEY (item_id, page_no)"
  ");"
  /* rowid = items.num; body = the page texts joined. */
  "CREATE VIRTUAL TABLE items_fts USING fts5 ("
  "  title, doc_number, issuer, body, tokenize = 'trigram'"
  ");"
  "CREATE TRIGGER items_fts_update AFTER UPDATE OF title, doc_number, issuer ON items "
  "BEGIN"
  "  UPDATE items_fts SET title = new.title, doc_number = new.doc_number, issuer = new.issuer"
  "   WHERE rowid = new.num;"
  "END;"
  "CREATE TRIGGER items_fts_delete AFTER DELETE ON items "
  "BEGIN"
  "  DELETE FROM items_fts WHERE rowid = old.num;"
  "END;"
  "CREATE TABLE findings ("
  "  id          INTEGER PRIMARY KEY,"
  "  item_id     TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,"
  "  kind        TEXT NOT NULL,"
  "  value       TEXT,"
  "  page        INTEGER NOT NULL DEFAULT 0,"
  "  char_offset INTEGER NOT NULL DEFAULT 0,"
  "  char_length INTEGER NOT NULL DEFAULT 0,"
  "  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'info')),"
  "  reason      TEXT,"
  "  decided_by  TEXT,"
  "  decided_at  TEXT"
  ");"
  "CREATE INDEX findings_item ON findings (item_id);"
  "CREATE TABLE approvals ("
  "  id          INTEGER PRIMARY KEY,"
  "  item_id     TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,"
  "  revision    INTEGER NOT NULL,"
  "  stage       TEXT NOT NULL,"
  "  actor       TEXT NOT NULL,"
  "  file_sha256 TEXT,"
  "  record_json TEXT NOT NULL,"
  "  at          TEXT NOT NULL"
  ");"
  "CREATE INDEX approvals_item ON approvals (item_id, revision);"
  "CREATE TABLE index_counters ("
  "  year     INTEGER PRIMARY KEY,"
  "  next_seq INTEGER NOT NULL"
  ");"
  "CREATE TABLE audit ("
  "  seq       INTEGER PRIMARY KEY,"
  "  at        TEXT NOT NULL,"
  "  actor     TEXT NOT NULL,"
  "  action    TEXT NOT NULL,"
  "  item_id   TEXT,"
  "  details   TEXT NOT NULL,"
  "  prev_hash TEXT NOT NULL,"
  "  hash      TEXT NOT NULL"
  ");"
  "CREATE INDEX audit_item ON audit (item_id, seq);"
  /* The newest entry, so that verify also sees entries cut off the end. */
  "CREATE TABLE audit_head ("
  "  id   INTEGER PRIMARY KEY CHECK (id = 1),"
  "  seq  INTEGER NOT NULL,"
  "  hash TEXT NOT NULL"
  ");"
  /* Append-only through the program.  Someone with the file can drop
   * these; the hash chain then shows what they changed. */
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
  "BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
  "BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;",

  /* 2: who drafted, edited and submitted each revision, so that the
   * workflow can keep a reviewer off a revision they worked on.  Schema 1
   * knew only created_by and submitted_by: carry those over. */
  "CREATE TABLE item_contributors ("
  "  item_id  TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,"
  "  revision INTEGER NOT NULL,"
  "  user     TEXT NOT NULL,"
  "  what     TEXT NOT NULL CHECK (what IN ('drafted', 'edited', 'submitted')),"
  "  at       TEXT NOT NULL,"
  "  PRIMARY KEY (item_id, revision, user, what)"
  ");"
  "INSERT INTO item_contributors (item_id, revision, user, what, at)"
  "  SELECT id, 1, created_by, 'drafted', created_at FROM items;"
  "INSERT OR IGNORE INTO item_contributors (item_id, revision, user, what, at)"
  "  SELECT id, revision, updated_by, 'edited', COALESCE (updated_at, created_at) FROM items"
  "   WHERE updated_by IS NOT NULL AND updated_at IS NOT NULL AND updated_at <> created_at;"
  "INSERT OR IGNORE INTO item_contributors (item_id, revision, user, what, at)"
  "  SELECT id, revision, submitted_by, 'submitted', COALESCE (submitted_at, created_at) FROM items"
  "   WHERE submitted_by IS NOT NULL;",

  /* 3: the portal sync (gk-store-sync.c): the outbox of jobs, at most one
   * active (not superseded) job per item, and what the portal last
   * confirmed of each item. */
  "CREATE TABLE sync_jobs ("
  "  id         INTEGER PRIMARY KEY,"
  "  item_id    TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,"
  "  revision   INTEGER NOT NULL,"
  "  operation  TEXT NOT NULL CHECK (operation IN ('publish', 'update', 'withdraw')),"
  "  body       TEXT,"
  "  state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN"
  "               ('pending', 'conflict', 'refused', 'superseded')),"
  "  attempts   INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  reason     TEXT,"
  "  created_at TEXT NOT NULL,"
  "  created_by TEXT NOT NULL,"
  "  updated_at TEXT"
  ");"
  "CREATE UNIQUE INDEX sync_jobs_active ON sync_jobs (item_id) WHERE state <> 'superseded';"
  "CREATE INDEX sync_jobs_state ON sync_jobs (state, id);"
  "CREATE INDEX sync_jobs_item ON sync_jobs (item_id, id);"
  "CREATE TABLE portal_state ("
  "  item_id      TEXT PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,"
  "  status       TEXT NOT NULL CHECK (status IN ('published', 'withdrawn')),"
  "  revision     INTEGER NOT NULL,"
  "  etag         TEXT,"
  "  public_url   TEXT,"
  "  publish_date TEXT,"
  "  synced_at    TEXT NOT NULL"
  ");",

  /* 4: the mark that tells a library from any other SQLite database
   * (see identify_library()). */
  "PRAGMA application_id = 1196115027;",

  /* 5: the holiday calendar in the library (gk-store-calendar.c), so
   * that every desk of it counts the same working days; filled from the
   * shipped data by fill_migration(). */
  "CREATE TABLE holidays ("
  "  year       INTEGER PRIMARY KEY CHECK (year BETWEEN 1900 AND 9999),"
  "  holidays   TEXT NOT NULL DEFAULT '',"
  "  workdays   TEXT NOT NULL DEFAULT '',"
  "  source     TEXT,"
  "  updated_at TEXT NOT NULL,"
  "  updated_by TEXT"
  ");",

  /* 6: file names are searched too, so that an untitled import (a scan,
   * a damaged file) is found by its name: the full-text index gains a
   * file_name column, rebuilt from the items and their pages. */
  "DROP TRIGGER items_fts_update;"
  "DROP TABLE items_fts;"
  "CREATE VIRTUAL TABLE items_fts USING fts5 ("
  "  title, doc_number, issuer, body, file_name, tokenize = 'trigram'"
  ");"
  "INSERT INTO items_fts (rowid, title, doc_number, issuer, body, file_name)"
  "  SELECT num, title, doc_number, issuer,"
  "         COALESCE ((SELECT group_concat (text, char (10)) FROM"
  "                     (SELECT text FROM pages WHERE pages.item_id = items.id ORDER BY page_no)), "
  "''),"
  "         file_name"
  "    FROM items;"
  "CREATE TRIGGER items_fts_update AFTER UPDATE OF title, doc_number, issuer, file_name ON items "
  "BEGIN"
  "  UPDATE items_fts SET title = new.title, doc_number = new.doc_number, issuer = new.issuer,"
  "                       file_name = new.file_name"
  "   WHERE rowid = new.num;"
  "END;",

  /* Append new migrations here. */
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == GK_STORE_SCHEMA_VERSION);

static const char *const role_names[] = { "drafter", "reviewer", "publisher", "admin" };

/* helpers */

static gboolean
sha256_is_valid (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;
  return TRUE;
}

static int
read_user_version (sqlite3 *db,
                   int     *out)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out = sqlite3_column_int (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  return rc;
}

static gboolean
set_db_error (sqlite3    *db,
              const char *context,
              GError    **error)
{
  int code = sqlite3_errcode (db);
  int extended = sqlite3_extended_errcode (db);
  const char *message = sqlite3_errmsg (db);

  if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY)
    g_set_error (error, GK_ERROR, GK_ERROR_CONFLICT,
                 _("The value is already used by another record (%s: %s)."), context, message);
  else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                 _("The library is busy: another program is writing to it. Try again in a moment (%s)."),
                 context);
  else if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
    g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                 _("The library database is damaged or is not a Gongkai Desk library (%s: %s)."),
                 context, message);
  else
    g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                 _("The library database failed (%s: %s)."), context, message);
  return FALSE;
}

static gboolean
exec_db (sqlite3    *db,
         const char *sql,
         const char *context,
         GError    **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_db_error (db, context, error);
  return TRUE;
}

/* What a migration takes from outside the database, in its transaction
 * (version is the one it makes). */
static gboolean
fill_migration (sqlite3 *db, int version, GError **error)
{
  switch (version)
    {
      case 5:
        return gk_store_priv_seed_holidays (db, error);
      default:
        return TRUE;
    }
}

/* Take the library from its user_version up to target, one step per
 * transaction.  The version is read again inside each transaction so two
 * programs opening an old library at once migrate it once. */
static gboolean
migrate (sqlite3 *db,
         int      target,
         GError **error)
{
  for (;;)
    {
      g_autofree char *set_version = NULL;
      int version = 0;

      if (!exec_db (db, "BEGIN IMMEDIATE", "migrate", error))
        return FALSE;
      if (read_user_version (db, &version) != SQLITE_OK)
        {
          set_db_error (db, "migrate", error);
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      if (version >= target)
        return exec_db (db, "COMMIT", "migrate", error);

      set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (!exec_db (db, migrations[version], "migrate", error) ||
          !fill_migration (db, version + 1, error) ||
          !exec_db (db, set_version, "migrate", error) || !exec_db (db, "COMMIT", "migrate", error))
        {
          g_prefix_error (error, _("Could not update the library to schema %d: "), version + 1);
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      g_debug ("Library migrated to schema %d", version + 1);
    }
}

/* What a library's folder holds besides library.db: with any of it and no
 * database, the database is missing, and a new one would orphan it. */
static const char *const library_content[] = {
  "files", DB_NAME "-wal", DB_NAME "-shm", DB_NAME "-journal",
};

/* The tables of each schema before 4 (from which a library also carries
 * GK_STORE_APPLICATION_ID): how an older library is known. */
static const struct
{
  const char *name;
  int         since;
} marker_tables[] = {
  { "settings", 1 }, { "members", 1 }, { "tags", 1 }, { "topics", 1 }, { "items", 1 },
  { "item_tags", 1 }, { "pages", 1 }, { "items_fts", 1 }, { "findings", 1 },
  { "approvals", 1 }, { "index_counters", 1 }, { "audit", 1 }, { "audit_head", 1 },
  { "item_contributors", 2 }, { "sync_jobs", 3 }, { "portal_state", 3 },
};

/* Is library.db there, and a regular SQLite file?  GK_ERROR_NOT_FOUND
 * when it is not there at all; GK_ERROR_DAMAGED naming the path and what
 * is wrong otherwise.  Nothing is created or changed. */
static gboolean
check_db_file (const char *db_path,
               GError    **error)
{
  static const char magic[16] = "SQLite format 3";
  char header[16] = { 0 };
  GStatBuf st;
  ssize_t n;
  int fd;

  if (g_lstat (db_path, &st) != 0)
    {
      int saved = errno;

      /* ENOTDIR: the library "folder" is a file, so no library either. */
      if (saved == ENOENT || saved == ENOTDIR)
        g_set_error (error, GK_ERROR, GK_ERROR_NOT_FOUND,
                     _("There is no library database “%s”."), db_path);
      else
        g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                     _("Could not open the library database “%s”: %s"), db_path, g_strerror (saved));
      return FALSE;
    }
  /* A link could lead to another library, or out of this one. */
  if (S_ISLNK (st.st_mode))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                   _("“%s” is a symbolic link: a library's database must be a regular file in the "
                     "library folder. It was not opened."),
                   db_path);
      return FALSE;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                   _("“%s” is a folder, not a library database. It was not opened."), db_path);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                   _("“%s” is not a regular file, so it is not a library database. It was not opened."),
                   db_path);
      return FALSE;
    }
  /* SQLite takes an empty file for an empty database; here it is a
   * library that lost its contents, and its files/ would be orphaned. */
  if (st.st_size == 0)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                   _("“%s” is empty (0 bytes): it is not a Gongkai Desk library, or the library lost its "
                     "contents. It was not opened, and no new library was made in its place."),
                   db_path);
      return FALSE;
    }

  fd = open (db_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("Could not open the library database “%s”: %s"), db_path, g_strerror (saved));
      return FALSE;
    }
  n = read (fd, header, sizeof header);
  close (fd);
  if (n != (ssize_t) sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                   _("“%s” is not a Gongkai Desk library: it is not an SQLite database (damaged, or "
                     "another kind of file). It was not opened."),
                   db_path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
open_failed (sqlite3    *db,
             const char *db_path,
             GError    **error)
{
  g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
               _("“%s” is damaged or is not a Gongkai Desk library (%s). It was not opened."),
               db_path, sqlite3_errmsg (db));
  return FALSE;
}

static int
read_int_pragma (sqlite3    *db,
                 const char *sql,
                 int        *out)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      *out = sqlite3_column_int (stmt, 0);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  return rc;
}

/* Is this SQLite database a Gongkai Desk library?  Reads only: another
 * application's database is left exactly as it was. */
static gboolean
identify_library (sqlite3    *db,
                  const char *db_path,
                  GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int application_id = 0;
  int version = 0;
  int n_tables = 0;
  int n_markers = 0;
  int expected = 0;
  int rc;

  if (read_int_pragma (db, "PRAGMA application_id", &application_id) != SQLITE_OK ||
      read_int_pragma (db, "PRAGMA user_version", &version) != SQLITE_OK)
    return open_failed (db, db_path, error);

  if ((guint32) application_id == GK_STORE_APPLICATION_ID)
    return TRUE;
  if (application_id != 0)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                   _("“%s” is the database of another application (application id 0x%08x), not a "
                     "Gongkai Desk library. It was not opened."),
                   db_path, (guint32) application_id);
      return FALSE;
    }

  /* Before schema 4 libraries carried no application id: they are known
   * by the tables of their schema. */
  rc = sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      rc = SQLITE_OK;
      n_tables++;
      for (guint i = 0; i < G_N_ELEMENTS (marker_tables); i++)
        if (marker_tables[i].since <= version &&
            g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), marker_tables[i].name) == 0)
          n_markers++;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return open_failed (db, db_path, error);

  for (guint i = 0; i < G_N_ELEMENTS (marker_tables); i++)
    if (marker_tables[i].since <= version)
      expected++;
  if (version >= 1 && version < GK_STORE_APPLICATION_ID_SCHEMA && n_markers == expected)
    return TRUE;

  if (n_tables == 0)
    g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                 _("“%s” is an empty SQLite database, not a Gongkai Desk library. It was not opened, and "
                   "no library was made in it."),
                 db_path);
  else
    g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                 _("“%s” is an SQLite database but not a Gongkai Desk library (it lacks a library's "
                   "marks and tables). It was not opened, and nothing was changed in it."),
                 db_path);
  return FALSE;
}

/* Open an existing library.db (check_db_file() passed) for reading and
 * writing, after making sure it is a library. */
static gboolean
open_db (const char *db_path,
         sqlite3   **out_db,
         GError    **error)
{
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *mode;
  int rc;

  rc = sqlite3_open_v2 (db_path, &db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("Could not open the library database “%s”: %s"),
                   db_path, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, 5000);

  /* Before anything writes to it (the journal mode is written into the
   * file). */
  if (!identify_library (db, db_path, error))
    {
      sqlite3_close (db);
      return FALSE;
    }

  /* WAL: readers never block the writer, and a crash never loses a
   * committed transaction; NORMAL sync is durable enough in WAL mode. */
  rc = sqlite3_prepare_v2 (db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      open_failed (db, db_path, error);
      sqlite3_finalize (stmt);
      sqlite3_close (db);
      return FALSE;
    }
  mode = (const char *) sqlite3_column_text (stmt, 0);
  if (g_ascii_strcasecmp (mode ? mode : "", "wal") != 0)
    g_warning ("The library database is not in WAL mode (%s); is it on a network share?",
               mode ? mode : "?");
  sqlite3_finalize (stmt);

  /* FULL: a commit is on disk when it returns, so that not even a power
   * cut loses a committed item or approval (NORMAL in WAL mode is safe
   * against a crash of the program, not of the machine). */
  if (!exec_db (db, "PRAGMA foreign_keys = ON;"
                    "PRAGMA synchronous = FULL;"
                    "PRAGMA busy_timeout = 5000;",
                "open", error))
    {
      sqlite3_close (db);
      return FALSE;
    }

  *out_db = db;
  return TRUE;
}

/* GK_ERROR_REFUSED when dir holds library content (files/, the database's
 * journals) but no library.db. */
static gboolean
check_no_orphaned_content (const char *dir,
                           GError    **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (library_content); i++)
    {
      g_autofree char *path = g_build_filename (dir, library_content[i], NULL);
      GStatBuf st;

      if (g_lstat (path, &st) == 0)
        {
          g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                       _("“%s” holds a library's content (%s) but no library database (%s): the "
                         "database was moved or deleted. The folder was not opened, and no new library "
                         "was made over that content."),
                       dir, library_content[i], DB_NAME);
          return FALSE;
        }
    }
  return TRUE;
}

static void
sync_dir (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* Make a new library.db at schema version: built complete under a
 * temporary name and then linked into place, so that library.db is
 * never there half made (a kill here leaves only the temporary file),
 * and a library another program made meanwhile is never replaced. */
static gboolean
create_db (const char *dir,
           int         version,
           GError    **error)
{
  g_autofree char *db_path = g_build_filename (dir, DB_NAME, NULL);
  g_autofree char *tmp_path = g_build_filename (dir, "." DB_NAME ".new-XXXXXX", NULL);
  sqlite3 *db = NULL;
  gboolean ok;
  int fd;

  if (g_mkdir_with_parents (dir, 0750) != 0)
    {
      int saved = errno;

      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("Could not create the library folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0640);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("Could not create a file in “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  if (sqlite3_open_v2 (tmp_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("Could not open the library database “%s”: %s"),
                   tmp_path, db ? sqlite3_errmsg (db) : "");
      sqlite3_close (db);
      g_unlink (tmp_path);
      return FALSE;
    }
  sqlite3_extended_result_codes (db, 1);
  ok = exec_db (db, "PRAGMA synchronous = FULL", "create", error) && migrate (db, version, error);
  sqlite3_close (db);

  if (ok && link (tmp_path, db_path) != 0 && errno != EEXIST)
    {
      int saved = errno;

      /* A file system without hard links (FAT, some shares): a rename,
       * which could replace a library made in the same instant by
       * another program; only then. */
      if ((saved == EPERM || saved == ENOTSUP || saved == EOPNOTSUPP || saved == ENOSYS) &&
          !g_file_test (db_path, G_FILE_TEST_EXISTS))
        ok = g_rename (tmp_path, db_path) == 0;
      else
        ok = FALSE;
      if (!ok)
        {
          saved = errno;
          g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                       _("Could not create the library database “%s”: %s"), db_path, g_strerror (saved));
        }
    }
  g_unlink (tmp_path);
  {
    g_autofree char *journal = g_strconcat (tmp_path, "-journal", NULL);

    g_unlink (journal);
  }
  if (ok)
    sync_dir (dir);
  return ok;
}

static gboolean
ensure_files_dir (GkStore *self,
                  GError **error)
{
  if (g_mkdir_with_parents (self->files_dir, 0750) != 0)
    {
      int saved = errno;

      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("Could not create the folder “%s”: %s"),
                   self->files_dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
user_name_is_valid (const char *user)
{
  if (gk_str_is_blank (user) || !g_utf8_validate (user, -1, NULL) || gk_utf8_length (user) > 64)
    return FALSE;
  for (const char *p = user; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == ',')
        return FALSE;
    }
  return TRUE;
}

static GkRole
read_roles (GkStore    *self,
            const char *user)
{
  g_autoptr(GkStoreStmt) stmt = gk_store_priv_prepare (self, "SELECT roles FROM members WHERE user = ?1", NULL);

  if (stmt == NULL || user == NULL)
    return GK_ROLE_NONE;
  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return (GkRole) sqlite3_column_int (stmt, 0);
  return GK_ROLE_NONE;
}

static guint
count_admins (GkStore *self)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self, "SELECT count(*) FROM members WHERE roles & 8", NULL);

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    return (guint) sqlite3_column_int (stmt, 0);
  return 0;
}

/* Connections */

/* gk_deadline_applies(state, disclosure, due_date) in SQL: the "Due soon"
 * view and the review queue ask the same function as the window's column
 * and the command line. */
static void
sql_deadline_applies (sqlite3_context *context,
                      int              argc,
                      sqlite3_value  **argv)
{
  const char *state_text = (const char *) sqlite3_value_text (argv[0]);
  GkState state;

  if (!gk_state_from_string (state_text, &state))
    {
      sqlite3_result_int (context, 0);
      return;
    }
  sqlite3_result_int (context,
                      gk_deadline_applies (state, (const char *) sqlite3_value_text (argv[1]),
                                           (const char *) sqlite3_value_text (argv[2])));
}

static Conn *
conn_new (sqlite3  *db,
          gboolean  read_only)
{
  Conn *conn = g_new0 (Conn, 1);

  sqlite3_create_function_v2 (db, "gk_deadline_applies", 3,
                              SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                              NULL, sql_deadline_applies, NULL, NULL, NULL);

  conn->db = db;
  conn->read_only = read_only;
  conn->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
  return conn;
}

static void
conn_free (Conn *conn)
{
  if (conn == NULL)
    return;
  /* Statements first: a connection with live statements does not close. */
  g_clear_pointer (&conn->statements, g_hash_table_unref);
  sqlite3_close (conn->db);
  g_free (conn);
}

/* A read-only connection to the same database, set up like the writer
 * for what reads need.  WAL lets it read the last committed state while
 * the writer is inside a transaction. */
static Conn *
open_reader (GkStore *self,
             GError **error)
{
  g_autofree char *db_path = g_build_filename (self->path, DB_NAME, NULL);
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("Could not open the library database “%s”: %s"),
                   db_path, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_extended_result_codes (db, 1);
  if (!exec_db (db, "PRAGMA busy_timeout = 5000; PRAGMA query_only = ON;", "open", error))
    {
      sqlite3_close (db);
      return NULL;
    }
  return conn_new (db, TRUE);
}

static Conn *
take_reader (GkStore *self,
             GError **error)
{
  Conn *conn = NULL;

  g_mutex_lock (&self->readers_mutex);
  if (self->idle_readers->len > 0)
    conn = g_ptr_array_steal_index_fast (self->idle_readers, self->idle_readers->len - 1);
  g_mutex_unlock (&self->readers_mutex);
  return conn != NULL ? conn : open_reader (self, error);
}

static void
give_back_reader (GkStore *self,
                  Conn    *conn)
{
  g_mutex_lock (&self->readers_mutex);
  if (self->idle_readers->len < N_READERS + 1)
    {
      g_ptr_array_add (self->idle_readers, conn);
      conn = NULL;
    }
  g_mutex_unlock (&self->readers_mutex);
  conn_free (conn);
}

/* Bindings */

static Binding *
top_binding (GkStore *self)
{
  for (GSList *l = g_private_get (&thread_bindings); l != NULL; l = l->next)
    {
      Binding *binding = l->data;

      if (binding->store == self)
        return binding;
    }
  return NULL;
}

static void
push_binding (GkStore  *self,
              Conn     *conn,
              gboolean  writing)
{
  Binding *binding = g_new0 (Binding, 1);

  binding->store = self;
  binding->conn = conn;
  binding->depth = 1;
  binding->writing = writing;
  g_private_set (&thread_bindings, g_slist_prepend (g_private_get (&thread_bindings), binding));
}

static void
pop_binding (Binding *binding)
{
  g_private_set (&thread_bindings, g_slist_remove (g_private_get (&thread_bindings), binding));
  g_free (binding);
}

/* The connection this thread's statements go to.  Outside any lock or
 * read section there is none: that is a bug in the caller. */
static Conn *
current_conn (GkStore *self)
{
  Binding *binding = top_binding (self);

  if (G_UNLIKELY (binding == NULL))
    {
      g_critical ("A store statement outside gk_store_priv_lock() or gk_store_priv_read()");
      return self->writer;
    }
  return binding->conn;
}

static gboolean
strict_async (void)
{
  static gsize once = 0;
  static gboolean strict = FALSE;

  if (g_once_init_enter (&once))
    {
      strict = g_strcmp0 (g_getenv ("GONGKAI_DEBUG_ASYNC_STORE"), "1") == 0;
      g_once_init_leave (&once, 1);
    }
  return strict;
}

/* The debug switch of the GUI tests (GONGKAI_DEBUG_ASYNC_STORE=1): a
 * window must never wait on the store, so a synchronous call made from
 * a dispatch of the default main context — where every handler of the
 * window runs — aborts, naming the call.  A test's own setup and checks,
 * made from its body outside any dispatch, pass. */
static void
check_not_on_main_thread (const char *caller)
{
  if (strict_async () && g_main_depth () > 0 &&
      g_main_context_is_owner (g_main_context_default ()))
    g_error ("Synchronous store call %s on the thread of the default main context: "
             "the window must use the asynchronous API", caller);
}

/* Changes announced on the owner's main context */

static gboolean
emit_announced_cb (gpointer data)
{
  GWeakRef *weak = data;
  g_autoptr(GkStore) self = g_weak_ref_get (weak);
  g_autoptr(GHashTable) ids = NULL;
  gboolean many, library;

  if (self == NULL)
    return G_SOURCE_REMOVE;
  g_mutex_lock (&self->announce_mutex);
  ids = g_steal_pointer (&self->announce_ids);
  many = self->announce_many;
  library = self->announce_library;
  self->announce_many = FALSE;
  self->announce_library = FALSE;
  self->announce_scheduled = FALSE;
  g_mutex_unlock (&self->announce_mutex);

  if (library)
    g_signal_emit (self, signals[LIBRARY_CHANGED], 0);

  if (many)
    g_signal_emit (self, signals[ITEMS_CHANGED], 0, NULL);
  else if (ids != NULL)
    {
      GHashTableIter iter;
      gpointer id;

      g_hash_table_iter_init (&iter, ids);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        g_signal_emit (self, signals[ITEMS_CHANGED], 0, id);
    }
  return G_SOURCE_REMOVE;
}

static void
free_weak_ref (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* After a commit: tell the listeners, on the main context of whoever
 * opened the store.  A change made on that context's own thread is
 * announced at once; one made elsewhere (a worker, the service's writer)
 * is folded into one dispatch. */
static void
announce (GkStore   *self,
          GPtrArray *ids,
          gboolean   many,
          gboolean   library)
{
  g_autoptr(GMainContext) here = g_main_context_ref_thread_default ();
  gboolean schedule = FALSE;

  /* A worker without a context of its own also "has" the global default
   * one: only the opener's own thread may emit at once. */
  if (here == self->owner_context && g_thread_self () == self->owner_thread)
    {
      if (library)
        g_signal_emit (self, signals[LIBRARY_CHANGED], 0);
      if (ids == NULL && !many)
        return;
      if (many)
        g_signal_emit (self, signals[ITEMS_CHANGED], 0, NULL);
      else
        for (guint i = 0; i < ids->len; i++)
          g_signal_emit (self, signals[ITEMS_CHANGED], 0, g_ptr_array_index (ids, i));
      return;
    }

  g_mutex_lock (&self->announce_mutex);
  if (library)
    self->announce_library = TRUE;
  if (many)
    self->announce_many = TRUE;
  else if (ids != NULL)
    {
      if (self->announce_ids == NULL)
        self->announce_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < ids->len; i++)
        g_hash_table_add (self->announce_ids, g_strdup (g_ptr_array_index (ids, i)));
    }
  if (!self->announce_scheduled)
    schedule = self->announce_scheduled = TRUE;
  g_mutex_unlock (&self->announce_mutex);

  if (schedule)
    {
      GWeakRef *weak = g_new0 (GWeakRef, 1);

      g_weak_ref_init (weak, self);
      gk_main_context_dispatch (self->owner_context, G_PRIORITY_DEFAULT, emit_announced_cb,
                                weak, free_weak_ref);
    }
}

/* The service: operations on the store's threads */

typedef struct
{
  GkStoreFunc    func;
  gpointer       data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
  gboolean       write;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_free (job);
}

static void
run_job (gpointer task_data,
         gpointer pool_data)
{
  g_autoptr(GTask) task = task_data;
  GkStore *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  gboolean write = job->write;
  GError *error = NULL;
  gpointer result;

  /* A read nobody waits for any more is not worth running; a write
   * that was queued is what the user asked for. */
  if (!write && g_task_return_error_if_cancelled (task))
    return;

  result = job->func (self, job->data, cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, job->result_free);

  if (write)
    {
      g_mutex_lock (&self->pools_mutex);
      if (--self->writes_queued == 0)
        g_cond_broadcast (&self->writes_done);
      g_mutex_unlock (&self->pools_mutex);
    }
  /* The task's reference to the store may be the last one: dropped
   * here, on this thread (gk_store_finalize() allows for it). */
}

static GThreadPool *
get_pool (GkStore *self,
          gboolean write)
{
  GThreadPool **pool = write ? &self->write_pool : &self->read_pool;

  if (*pool == NULL)
    {
      g_autoptr(GError) error = NULL;

      *pool = g_thread_pool_new (run_job, NULL, write ? 1 : N_READERS, FALSE, &error);
      if (*pool == NULL)
        g_error ("Could not start the store's threads: %s", error->message);
    }
  return *pool;
}

/**
 * gk_store_run_async:
 *
 * Runs func (data) on the writer thread (%GK_STORE_WRITE, in the order
 * of the calls) or on one of the reader threads (%GK_STORE_READ).  The
 * callback runs on the caller's thread-default main context.
 */
void
gk_store_run_async (GkStore            *self,
                    GkStoreAccess       access,
                    GkStoreFunc         func,
                    gpointer            data,
                    GDestroyNotify      data_free,
                    GDestroyNotify      result_free,
                    GCancellable       *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;
  gboolean write = access == GK_STORE_WRITE;

  g_return_if_fail (GK_IS_STORE (self));
  g_return_if_fail (func != NULL);

  job = g_new0 (Job, 1);
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  job->write = write;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_store_run_async);
  g_task_set_task_data (task, job, job_free);
  g_task_set_name (task, write ? "[gongkai] store write" : "[gongkai] store read");

  g_mutex_lock (&self->pools_mutex);
  if (write)
    self->writes_queued++;
  g_thread_pool_push (get_pool (self, write), g_steal_pointer (&task), NULL);
  g_mutex_unlock (&self->pools_mutex);
}

gpointer
gk_store_run_finish (GkStore      *self,
                     GAsyncResult *result,
                     GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gk_store_wait_writes (GkStore *self)
{
  g_return_if_fail (GK_IS_STORE (self));

  g_mutex_lock (&self->pools_mutex);
  while (self->writes_queued > 0)
    g_cond_wait (&self->writes_done, &self->pools_mutex);
  g_mutex_unlock (&self->pools_mutex);
}

/* Commits by other processes */

/* On the writer thread: the writer connection's data_version moves only
 * when another connection committed; our readers never write, so that
 * is another process (or another GkStore on the same library). */
static gpointer
check_other_writers (GkStore      *self,
                     gpointer      data,
                     GCancellable *cancellable,
                     GError      **error)
{
  gint64 version = -1;

  g_rec_mutex_lock (&self->lock);
  {
    sqlite3_stmt *stmt = NULL;

    if (sqlite3_prepare_v2 (self->writer->db, "PRAGMA data_version", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step (stmt) == SQLITE_ROW)
      version = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
  }
  g_rec_mutex_unlock (&self->lock);

  g_atomic_int_set (&self->check_queued, 0);
  if (version >= 0 && self->data_version != version)
    {
      gboolean first = self->data_version == 0;

      self->data_version = version;
      if (!first)
        {
          g_autoptr (GError) local = NULL;
          g_autoptr (GkCalendar) calendar = NULL;

          /* Another desk may have changed the holidays: the deadlines
           * it stored used them, and so must ours. */
          {
            g_autoptr (GkStoreLocker) locker = gk_store_priv_lock (self);

            calendar = gk_store_priv_load_calendar (self, &local);
          }
          if (calendar != NULL)
            gk_store_priv_set_calendar (self, calendar);
          else
            g_warning ("Could not read the library's holiday calendar: %s", local->message);
          announce (self, NULL, TRUE, TRUE);
        }
    }
  return GINT_TO_POINTER (TRUE);
}

static void
queue_check (GkStore *self)
{
  /* At most one check waits in the queue. */
  if (!g_atomic_int_compare_and_exchange (&self->check_queued, 0, 1))
    return;
  gk_store_run_async (self, GK_STORE_WRITE, check_other_writers, NULL, NULL, NULL, NULL, NULL, NULL);
}

static void
on_wal_changed_cb (GFileMonitor      *monitor,
                   GFile             *file,
                   GFile             *other,
                   GFileMonitorEvent  event,
                   gpointer           user_data)
{
  queue_check (user_data);
}

static gboolean
other_writers_tick_cb (gpointer data)
{
  GWeakRef *weak = data;
  g_autoptr(GkStore) self = g_weak_ref_get (weak);

  if (self == NULL)
    return G_SOURCE_REMOVE;
  queue_check (self);
  return G_SOURCE_CONTINUE;
}

void
gk_store_watch_other_writers (GkStore *self)
{
  g_autofree char *wal_path = NULL;
  g_autoptr(GFile) wal = NULL;
  GWeakRef *weak;

  g_return_if_fail (GK_IS_STORE (self));

  if (self->other_writers_timer != NULL)
    return;

  /* The first check only learns the current version. */
  queue_check (self);

  /* Every commit in WAL mode writes library.db-wal: a file monitor
   * hears it at once.  The tick covers what the monitor cannot see
   * (a network file system, a checkpoint that reset the file). */
  wal_path = g_build_filename (self->path, DB_NAME "-wal", NULL);
  wal = g_file_new_for_path (wal_path);
  self->wal_monitor = g_file_monitor_file (wal, G_FILE_MONITOR_NONE, NULL, NULL);
  if (self->wal_monitor != NULL)
    {
      g_file_monitor_set_rate_limit (self->wal_monitor, 200);
      g_signal_connect_object (self->wal_monitor, "changed", G_CALLBACK (on_wal_changed_cb), self, 0);
    }

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  self->other_writers_timer = g_timeout_source_new_seconds (1);
  g_source_set_callback (self->other_writers_timer, other_writers_tick_cb, weak, free_weak_ref);
  g_source_set_name (self->other_writers_timer, "[gongkai] other writers");
  g_source_attach (self->other_writers_timer, self->owner_context);
}

static GkStore *
store_new (const char *dir,
           sqlite3    *db)
{
  GkStore *self = g_object_new (GK_TYPE_STORE, NULL);

  self->path = g_strdup (dir);
  self->files_dir = g_build_filename (dir, "files", NULL);
  self->files = gk_store_priv_files_new (self->files_dir);
  self->writer = conn_new (db, FALSE);
  return self;
}

/* GObject */

static void
gk_store_finalize (GObject *object)
{
  GkStore *self = GK_STORE (object);

  /* Every queued operation holds a reference: the pools are idle now.
   * This may run on one of their threads (a task's last reference), so
   * do not wait for them. */
  if (self->write_pool != NULL)
    g_thread_pool_free (self->write_pool, TRUE, FALSE);
  if (self->read_pool != NULL)
    g_thread_pool_free (self->read_pool, TRUE, FALSE);
  g_clear_object (&self->wal_monitor);
  if (self->other_writers_timer != NULL)
    {
      g_source_destroy (self->other_writers_timer);
      g_clear_pointer (&self->other_writers_timer, g_source_unref);
    }
  g_clear_pointer (&self->idle_readers, g_ptr_array_unref);
  g_clear_pointer (&self->writer, conn_free);
  g_clear_pointer (&self->calendar, gk_calendar_unref);
  g_clear_pointer (&self->files, gk_store_priv_files_free);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->announce_ids, g_hash_table_unref);
  g_clear_pointer (&self->owner_context, g_main_context_unref);
  g_free (self->path);
  g_free (self->files_dir);
  g_rec_mutex_clear (&self->lock);
  g_mutex_clear (&self->readers_mutex);
  g_mutex_clear (&self->calendar_mutex);
  g_mutex_clear (&self->announce_mutex);
  g_mutex_clear (&self->pools_mutex);
  g_cond_clear (&self->writes_done);

  G_OBJECT_CLASS (gk_store_parent_class)->finalize (object);
}

static void
gk_store_class_init (GkStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gk_store_finalize;

  /**
   * GkStore::items-changed:
   * @store: the store
   * @item_id: (nullable): the changed item, or %NULL when many changed
   *
   * Emitted after a committed change to items, on the main context that
   * was the thread-default one when the store was opened, without the
   * store's lock held.
   */
  signals[ITEMS_CHANGED] =
    g_signal_new ("items-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * GkStore::library-changed:
   * @store: the store
   *
   * Emitted after a committed change to the library as a whole — its
   * members and roles, settings, tag catalog — or any commit of another
   * process, on the same main context as #GkStore::items-changed.
   */
  signals[LIBRARY_CHANGED] =
    g_signal_new ("library-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
gk_store_init (GkStore *self)
{
  g_rec_mutex_init (&self->lock);
  g_mutex_init (&self->readers_mutex);
  g_mutex_init (&self->calendar_mutex);
  g_mutex_init (&self->announce_mutex);
  g_mutex_init (&self->pools_mutex);
  g_cond_init (&self->writes_done);
  self->pending = g_ptr_array_new_with_free_func (g_free);
  self->idle_readers = g_ptr_array_new_with_free_func ((GDestroyNotify) conn_free);
  self->owner_context = g_main_context_ref_thread_default ();
  self->owner_thread = g_thread_self ();
}

/* Private API (gk-store-private.h) */

sqlite3 *
gk_store_priv_get_db (GkStore *self)
{
  return current_conn (self)->db;
}

GkStoreFiles *
gk_store_priv_get_files (GkStore *self)
{
  return self->files;
}

GkStoreLocker *
gk_store_priv_lock_at (GkStore    *self,
                       const char *caller)
{
  Binding *binding = top_binding (self);

  if (binding != NULL && binding->writing)
    {
      binding->depth++;
      return self;
    }
  if (binding == NULL)
    check_not_on_main_thread (caller);
  g_rec_mutex_lock (&self->lock);
  push_binding (self, self->writer, TRUE);
  return self;
}

GkStoreLocker *
gk_store_priv_read_at (GkStore    *self,
                       const char *caller)
{
  g_autoptr(GError) error = NULL;
  Binding *binding = top_binding (self);
  Conn *conn;

  /* Inside a write the reads see what it wrote: the writer serves them. */
  if (binding != NULL)
    {
      binding->depth++;
      return self;
    }
  check_not_on_main_thread (caller);
  conn = take_reader (self, &error);
  if (conn == NULL)
    {
      /* The writer can always read; a reader that cannot open (out of
       * file descriptors, say, or the folder is gone) costs concurrency,
       * not the answer: the query itself reports what is wrong. */
      g_debug ("%s", error->message);
      return gk_store_priv_lock_at (self, caller);
    }
  /* One snapshot for the whole section. */
  if (sqlite3_exec (conn->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK)
    conn->tx_depth = 1;
  push_binding (self, conn, FALSE);
  return self;
}

void
gk_store_priv_unlock (GkStoreLocker *self)
{
  Binding *binding = top_binding (self);
  g_autoptr(GPtrArray) ids = NULL;
  gboolean many = FALSE, library;

  g_assert (binding != NULL && binding->depth > 0);

  if (--binding->depth > 0)
    return;

  if (!binding->writing)
    {
      Conn *conn = binding->conn;

      pop_binding (binding);
      if (conn->tx_depth > 0)
        sqlite3_exec (conn->db, "COMMIT", NULL, NULL, NULL);
      conn->tx_depth = 0;
      give_back_reader (self, conn);
      return;
    }

  pop_binding (binding);
  if (self->pending->len > 0 || self->pending_many)
    {
      many = self->pending_many;
      ids = g_steal_pointer (&self->pending);
      self->pending = g_ptr_array_new_with_free_func (g_free);
      self->pending_many = FALSE;
    }
  library = self->pending_library;
  self->pending_library = FALSE;
  g_rec_mutex_unlock (&self->lock);

  if (ids != NULL || library)
    announce (self, ids, many, library);
}

GkStoreTx *
gk_store_priv_begin (GkStore *self,
                     GError **error)
{
  Binding *binding = top_binding (self);
  Conn *conn;
  GkStoreTx *tx;

  g_assert (binding != NULL && binding->writing);
  conn = binding->conn;

  if (conn->tx_depth == 0)
    {
      if (!exec_db (conn->db, "BEGIN IMMEDIATE", "begin", error))
        return NULL;
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("SAVEPOINT gk_sp_%u", conn->tx_depth);

      if (!exec_db (conn->db, sql, "savepoint", error))
        return NULL;
    }

  tx = g_new0 (GkStoreTx, 1);
  tx->store = g_object_ref (self);
  tx->depth = ++conn->tx_depth;
  return tx;
}

static void
tx_free (GkStoreTx *tx)
{
  g_object_unref (tx->store);
  g_free (tx);
}

void
gk_store_priv_rollback (GkStoreTx *tx)
{
  GkStore *self;
  Conn *conn;

  if (tx == NULL)
    return;
  self = tx->store;
  conn = self->writer;
  g_assert (tx->depth == conn->tx_depth);

  if (tx->depth == 1)
    {
      sqlite3_exec (conn->db, "ROLLBACK", NULL, NULL, NULL);
      /* Nothing changed after all. */
      g_ptr_array_set_size (self->pending, 0);
      self->pending_many = FALSE;
      self->pending_library = FALSE;
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("ROLLBACK TO gk_sp_%u; RELEASE gk_sp_%u",
                                              tx->depth - 1, tx->depth - 1);

      sqlite3_exec (conn->db, sql, NULL, NULL, NULL);
    }
  conn->tx_depth--;
  tx_free (tx);
}

gboolean
gk_store_priv_commit (GkStoreTx *tx,
                      GError   **error)
{
  GkStore *self = tx->store;
  Conn *conn = self->writer;
  g_autofree char *sql = NULL;

  g_assert (tx->depth == conn->tx_depth);

  if (tx->depth == 1)
    sql = g_strdup ("COMMIT");
  else
    sql = g_strdup_printf ("RELEASE gk_sp_%u", tx->depth - 1);

  if (!exec_db (conn->db, sql, "commit", error))
    {
      gk_store_priv_rollback (tx);
      return FALSE;
    }
  conn->tx_depth--;
  tx_free (tx);
  return TRUE;
}

gboolean
gk_store_priv_in_transaction (GkStore *self)
{
  Binding *binding = top_binding (self);

  return binding != NULL && binding->writing && binding->conn->tx_depth > 0;
}

GkStoreStmt *
gk_store_priv_prepare (GkStore    *self,
                       const char *sql,
                       GError    **error)
{
  Conn *conn = current_conn (self);
  sqlite3_stmt *stmt = g_hash_table_lookup (conn->statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          g_critical ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (conn->db));
          set_db_error (conn->db, "prepare", error);
          return NULL;
        }
      g_hash_table_insert (conn->statements, g_strdup (sql), stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

void
gk_store_priv_release (GkStoreStmt *stmt)
{
  if (stmt == NULL)
    return;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

gboolean
gk_store_priv_step_done (GkStore     *self,
                         GkStoreStmt *stmt,
                         GError     **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      gboolean ret = gk_store_priv_sql_error (self, rc, "write", error);

      sqlite3_reset (stmt);
      return ret;
    }
  return TRUE;
}

gboolean
gk_store_priv_exec (GkStore    *self,
                    const char *sql,
                    GError    **error)
{
  return exec_db (current_conn (self)->db, sql, "exec", error);
}

gboolean
gk_store_priv_sql_error (GkStore    *self,
                         int         rc,
                         const char *context,
                         GError    **error)
{
  return set_db_error (current_conn (self)->db, context, error);
}

void
gk_store_priv_bind_text (GkStoreStmt *stmt,
                         int          index,
                         const char  *text)
{
  if (gk_str_is_blank (text))
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

char *
gk_store_priv_column_text (GkStoreStmt *stmt,
                           int          column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  /* Whatever another program wrote: what is read is shown, hashed and
   * printed as JSON, so it leaves the store as valid UTF-8. */
  return text ? gk_utf8_sanitize (text, sqlite3_column_bytes (stmt, column)) : NULL;
}

void
gk_store_priv_emit_library_changed (GkStore *self)
{
  Binding *binding = top_binding (self);

  g_assert (binding != NULL && binding->writing);
  self->pending_library = TRUE;
}

void
gk_store_priv_emit_changed (GkStore    *self,
                            const char *item_id)
{
  Binding *binding = top_binding (self);

  g_assert (binding != NULL && binding->writing);

  if (item_id == NULL)
    {
      self->pending_many = TRUE;
      return;
    }
  if (self->pending_many)
    return;
  for (guint i = 0; i < self->pending->len; i++)
    if (strcmp (g_ptr_array_index (self->pending, i), item_id) == 0)
      return;
  /* A bulk change is announced once, as "many". */
  if (self->pending->len >= 32)
    {
      g_ptr_array_set_size (self->pending, 0);
      self->pending_many = TRUE;
      return;
    }
  g_ptr_array_add (self->pending, g_strdup (item_id));
}

gboolean
gk_store_priv_put_setting (GkStore    *self,
                           const char *key,
                           const char *value,
                           GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_lock (self);
  g_autoptr(GkStoreStmt) stmt = NULL;

  if (value == NULL)
    stmt = gk_store_priv_prepare (self, "DELETE FROM settings WHERE key = ?1", error);
  else
    stmt = gk_store_priv_prepare (self,
                                  "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return gk_store_priv_step_done (self, stmt, error);
}

GkCalendar *
gk_store_priv_get_calendar (GkStore *self)
{
  GkCalendar *calendar;

  g_mutex_lock (&self->calendar_mutex);
  calendar = self->calendar != NULL ? gk_calendar_ref (self->calendar) : NULL;
  g_mutex_unlock (&self->calendar_mutex);
  return calendar;
}

void
gk_store_priv_set_calendar (GkStore *self, GkCalendar *calendar)
{
  GkCalendar *old;

  g_mutex_lock (&self->calendar_mutex);
  old = self->calendar;
  self->calendar = calendar != NULL ? gk_calendar_ref (calendar) : NULL;
  g_mutex_unlock (&self->calendar_mutex);
  g_clear_pointer (&old, gk_calendar_unref);
}

/**
 * gk_store_get_calendar:
 * @self: a store
 *
 * The working-day calendar built from the library's holiday years, as
 * it is now: a change of them (here or by another program, once heard)
 * puts a new one in place, so take it again after "library-changed".
 * No I/O.
 *
 * Returns: (transfer full): the calendar
 */
GkCalendar *
gk_store_get_calendar (GkStore *self)
{
  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  return gk_store_priv_get_calendar (self);
}

gboolean
gk_store_priv_add_contributor (GkStore    *self,
                               const char *item_id,
                               gint64      revision,
                               const char *user,
                               const char *what,
                               GError    **error)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "INSERT OR IGNORE INTO item_contributors (item_id, revision, user, what, at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)",
                           error);
  g_autofree char *now = gk_timestamp_now ();

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, revision);
  sqlite3_bind_text (stmt, 3, user, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, what, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  return gk_store_priv_step_done (self, stmt, error);
}

GStrv
gk_store_priv_get_contributors (GkStore    *self,
                                const char *item_id,
                                gint64      revision,
                                GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_read (self);
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "SELECT DISTINCT user FROM item_contributors "
                           "WHERE item_id = ?1 AND revision = ?2 ORDER BY user",
                           error);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, revision);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      gk_store_priv_sql_error (self, rc, "contributors", error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

/* Public API */

/**
 * gk_role_to_string:
 * @role: one role bit
 *
 * Returns: the role's name on the command line ("drafter"…), "" if @role
 *   is not exactly one known role
 */
const char *
gk_role_to_string (GkRole role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (role == (GkRole) (1 << i))
      return role_names[i];
  return "";
}

/**
 * gk_roles_to_string:
 * @roles: a set of roles
 *
 * Returns: (transfer full): the names joined with "," ("drafter,reviewer"),
 *   "" for none
 */
char *
gk_roles_to_string (GkRole roles)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (roles & (1 << i))
      {
        if (text->len > 0)
          g_string_append_c (text, ',');
        g_string_append (text, role_names[i]);
      }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * gk_roles_parse:
 * @text: role names separated by commas ("drafter,reviewer"), or "none"
 * @out: (out): the roles
 * @error: a %GK_ERROR_INVALID error naming the unknown role
 *
 * Returns: %TRUE if every name is a role
 */
gboolean
gk_roles_parse (const char *text,
                GkRole     *out,
                GError    **error)
{
  g_auto(GStrv) parts = NULL;
  GkRole roles = GK_ROLE_NONE;
  guint n = 0;

  if (text == NULL)
    text = "";
  parts = g_strsplit_set (text, ", ;", -1);
  for (guint i = 0; parts[i]; i++)
    {
      gboolean known = FALSE;

      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      n++;
      if (g_ascii_strcasecmp (parts[i], "none") == 0)
        continue;
      for (guint r = 0; r < G_N_ELEMENTS (role_names); r++)
        if (g_ascii_strcasecmp (parts[i], role_names[r]) == 0)
          {
            roles |= 1 << r;
            known = TRUE;
          }
      if (!known)
        {
          g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                       _("“%s” is not a role. Roles: drafter, reviewer, publisher, admin."), parts[i]);
          return FALSE;
        }
    }
  if (n == 0)
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID,
                           _("No role given. Roles: drafter, reviewer, publisher, admin."));
      return FALSE;
    }
  *out = roles;
  return TRUE;
}

/**
 * gk_member_free:
 * @member: (nullable): a member
 */
void
gk_member_free (GkMember *member)
{
  if (member == NULL)
    return;
  g_free (member->user);
  g_free (member->added_at);
  g_free (member);
}

/**
 * gk_store_open:
 * @dir: the library folder
 * @create: create the folder and database when missing
 * @error: return location for an error
 *
 * Opens (or creates) a library: library.db in WAL mode with foreign keys
 * on, and the files/ folder.  An older schema is migrated step by step;
 * a newer one is refused with %GK_ERROR_NEWER_SCHEMA.  Without @create a
 * missing library is %GK_ERROR_NOT_FOUND.  A library.db that is not a
 * library (empty, not SQLite, another application's, damaged, a folder
 * or a link) is %GK_ERROR_DAMAGED, and a folder with a library's files
 * but no library.db is %GK_ERROR_REFUSED, with or without @create:
 * neither is ever written to.  Opening removes what killed imports left
 * in files/ (gk_store_get_cleanup()).
 *
 * Returns: (transfer full) (nullable): the store
 */
GkStore *
gk_store_open (const char *dir,
               gboolean    create,
               GError    **error)
{
  g_autoptr(GkStore) self = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *db_path = NULL;
  sqlite3 *db = NULL;
  int version = 0;

  g_return_val_if_fail (dir != NULL, NULL);

  if (gk_str_is_blank (dir))
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID, _("No library folder given."));
      return NULL;
    }

  db_path = g_build_filename (dir, DB_NAME, NULL);
  if (!check_db_file (db_path, &local))
    {
      if (!g_error_matches (local, GK_ERROR, GK_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      if (!check_no_orphaned_content (dir, error))
        return NULL;
      if (!create)
        {
          gk_set_error_detail (error, GK_ERROR_NOT_FOUND, GK_ERROR_DETAIL_NO_LIBRARY,
                               _("There is no library in “%s”."), dir);
          return NULL;
        }
      if (!create_db (dir, GK_STORE_SCHEMA_VERSION, error) || !check_db_file (db_path, error))
        return NULL;
    }

  if (!open_db (db_path, &db, error))
    return NULL;
  self = store_new (dir, db);

  if (read_user_version (db, &version) != SQLITE_OK)
    {
      set_db_error (db, dir, error);
      return NULL;
    }
  if (version > GK_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_NEWER_SCHEMA,
                   _("This library was created by a newer version of Gongkai Desk (schema %d); "
                     "this version understands up to %d."),
                   version, GK_STORE_SCHEMA_VERSION);
      return NULL;
    }
  if (version < GK_STORE_SCHEMA_VERSION && !migrate (db, GK_STORE_SCHEMA_VERSION, error))
    return NULL;

  if (!ensure_files_dir (self, error))
    return NULL;

  {
    g_autoptr (GkStoreLocker) locker = gk_store_priv_lock (self);
    g_autoptr (GkCalendar) calendar = gk_store_priv_load_calendar (self, error);

    if (calendar == NULL)
      return NULL;
    gk_store_priv_set_calendar (self, calendar);
  }

  if (!gk_store_priv_seed_topics (self, error))
    return NULL;

  /* Releases before schema 4 left no mark of an interrupted import:
   * look through files/ once. */
  gk_store_priv_clean_files (self, version < GK_STORE_APPLICATION_ID_SCHEMA);
  return g_steal_pointer (&self);
}

/**
 * gk_store_create_at_version:
 * @dir: a folder for a new library
 * @version: the schema version to stop at (1 … GK_STORE_SCHEMA_VERSION)
 * @error: return location for an error
 *
 * For tests of migrations only: creates a library whose schema is
 * @version, as an older release of the program would have made it.
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_create_at_version (const char *dir,
                            int         version,
                            GError    **error)
{
  g_autofree char *files = g_build_filename (dir, "files", NULL);

  g_return_val_if_fail (version >= 1 && version <= GK_STORE_SCHEMA_VERSION, FALSE);

  if (!create_db (dir, version, error))
    return FALSE;
  if (g_mkdir_with_parents (files, 0750) != 0)
    {
      int saved = errno;

      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("Could not create the folder “%s”: %s"), files, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/**
 * gk_store_get_path:
 * @self: a store
 *
 * Returns: the library folder
 */
const char *
gk_store_get_path (GkStore *self)
{
  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  return self->path;
}

/**
 * gk_store_get_file_path:
 * @self: a store
 * @sha256: a lowercase hex SHA-256
 *
 * Returns: (transfer full) (nullable): files/ab/abcdef… for @sha256 (the
 *   file may not exist), %NULL if @sha256 is not 64 lowercase hex digits
 */
char *
gk_store_get_file_path (GkStore    *self,
                        const char *sha256)
{
  char prefix[3];

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  if (!sha256_is_valid (sha256))
    return NULL;
  prefix[0] = sha256[0];
  prefix[1] = sha256[1];
  prefix[2] = '\0';
  return g_build_filename (self->files_dir, prefix, sha256, NULL);
}

static gboolean add_file_held (GkStore      *self,
                               const char   *source_path,
                               const char   *sha256,
                               GCancellable *cancellable,
                               GError      **error);

/**
 * gk_store_add_file:
 * @self: a store
 * @source_path: the file to copy
 * @sha256: its SHA-256 (the caller hashed it)
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Copies @source_path into files/ under @sha256: into a temporary file in
 * the same folder, synced to disk, size checked, then renamed, so a crash
 * never leaves a half-written file under a hash name.  Nothing is done if
 * the file is already there.  Hold the files (gk_store_hold_files())
 * until the item that refers to it is committed; a crash before that
 * leaves a file that the next opening removes.
 *
 * Returns: %TRUE when the file is in the library
 */
gboolean
gk_store_add_file (GkStore      *self,
                   const char   *source_path,
                   const char   *sha256,
                   GCancellable *cancellable,
                   GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  /* The copy is held: an opening meanwhile does not take the
   * .incoming file for a leftover. */
  if (!gk_store_hold_files (self, error))
    return FALSE;
  ok = add_file_held (self, source_path, sha256, cancellable, error);
  gk_store_release_files (self);
  return ok;
}

/* Crash tests stop the program the first time it reaches a named moment
 * (GONGKAI_TEST_STOP_AT=NAME), and kill it there or let it go on. */
static void
stop_point (const char *name)
{
  static gint stopped = 0;

  /* A test hook: only in builds with -Dtest_hooks (config.h). */
  if (GK_TEST_HOOKS && G_UNLIKELY (g_strcmp0 (g_getenv ("GONGKAI_TEST_STOP_AT"), name) == 0) &&
      g_atomic_int_compare_and_exchange (&stopped, 0, 1))
    raise (SIGSTOP);
}

static gboolean
add_file_held (GkStore      *self,
               const char   *source_path,
               const char   *sha256,
               GCancellable *cancellable,
               GError      **error)
{
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *tmp_path = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GOutputStream) output = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local = NULL;
  GStatBuf st;
  goffset expected;
  gssize copied;
  int fd;

  target = gk_store_get_file_path (self, sha256);
  if (target == NULL)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("“%s” is not a SHA-256 hash (64 lowercase hexadecimal digits)."),
                   sha256 ? sha256 : "");
      return FALSE;
    }
  if (g_file_test (target, G_FILE_TEST_IS_REGULAR))
    return TRUE;

  dir = g_path_get_dirname (target);
  if (g_mkdir_with_parents (dir, 0750) != 0)
    {
      int saved = errno;

      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  source = g_file_new_for_path (source_path);
  input = g_file_read (source, cancellable, &local);
  if (input != NULL)
    info = g_file_input_stream_query_info (input, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, &local);
  if (info == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error_literal (error, GK_ERROR, GK_ERROR_CANCELLED, _("Cancelled"));
      else
        g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                     _("Could not read “%s”: %s"), source_path, local->message);
      return FALSE;
    }
  expected = g_file_info_get_size (info);

  tmp_path = g_build_filename (dir, ".incoming-XXXXXX", NULL);
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0640);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("Could not create a file in “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  output = g_unix_output_stream_new (fd, TRUE);

  copied = g_output_stream_splice (output, G_INPUT_STREAM (input),
                                   G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE,
                                   cancellable, &local);
  stop_point ("store-copying");
  if (copied >= 0 && fsync (fd) != 0)
    {
      int saved = errno;

      g_set_error (&local, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
      copied = -1;
    }
  if (copied >= 0 && !g_output_stream_close (output, cancellable, &local))
    copied = -1;

  if (copied < 0)
    {
      g_unlink (tmp_path);
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error_literal (error, GK_ERROR, GK_ERROR_CANCELLED, _("Cancelled"));
      else
        g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                     _("Could not copy “%s” into the library: %s"), source_path, local->message);
      return FALSE;
    }

  if (g_stat (tmp_path, &st) != 0 || (goffset) st.st_size != expected || copied != expected)
    {
      g_unlink (tmp_path);
      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("Copying “%s” into the library gave a file of the wrong size (the disk may be full)."),
                   source_path);
      return FALSE;
    }

  /* The name says what the bytes are: the source may have changed since
   * it was hashed (a scanner still writing it), and a wrong file under a
   * hash name would stay wrong for ever. */
  {
    g_autofree char *copied_sha256 = gk_sha256_file (tmp_path, cancellable, NULL, NULL);

    if (g_strcmp0 (copied_sha256, sha256) != 0)
      {
        g_unlink (tmp_path);
        g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                     _("“%s” changed while it was being imported; import it again when it is complete."),
                     source_path);
        return FALSE;
      }
  }

  if (g_rename (tmp_path, target) != 0)
    {
      int saved = errno;

      g_unlink (tmp_path);
      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("Could not store “%s” in the library: %s"), source_path, g_strerror (saved));
      return FALSE;
    }

  /* Make the rename itself durable before the item row refers to it. */
  sync_dir (dir);
  stop_point ("store-stored");
  return TRUE;
}

/**
 * gk_store_get_schema_version:
 * @self: a store
 *
 * Returns: the library's schema version (PRAGMA user_version)
 */
int
gk_store_get_schema_version (GkStore *self)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  int version = 0;

  g_return_val_if_fail (GK_IS_STORE (self), 0);

  locker = gk_store_priv_read (self);
  read_user_version (gk_store_priv_get_db (self), &version);
  return version;
}

/**
 * gk_store_get_setting:
 * @self: a store
 * @key: a setting name
 *
 * Returns: (transfer full) (nullable): the value; for org_code,
 *   index_template and review_stages the default when unset
 */
char *
gk_store_get_setting (GkStore    *self,
                      const char *key)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  locker = gk_store_priv_read (self);
  stmt = gk_store_priv_prepare (self, "SELECT value FROM settings WHERE key = ?1", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        return gk_store_priv_column_text (stmt, 0);
    }
  return g_strdup (gk_setting_default (key));
}

/* The stored value of a setting, NULL when unset (no default). */
static char *
read_setting (GkStore    *self,
              const char *key,
              gboolean   *found,
              GError    **error)
{
  g_autoptr(GkStoreStmt) stmt = gk_store_priv_prepare (self, "SELECT value FROM settings WHERE key = ?1", error);

  *found = FALSE;
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  *found = TRUE;
  return gk_store_priv_column_text (stmt, 0);
}

/* The value checked with the library's current org_code and
 * index_template: the two make the 索引号 together. */
static gboolean
check_setting_here (GkStore       *self,
                    const char    *key,
                    const char    *value,
                    GkSettingFlags flags,
                    GError       **error)
{
  g_autofree char *org_code = gk_store_get_setting (self, "org_code");
  g_autofree char *index_template = gk_store_get_setting (self, "index_template");

  return gk_setting_check (key, value, org_code, index_template, flags, error);
}

/**
 * gk_store_check_setting:
 * @self: a store
 * @key: a setting name
 * @value: (nullable): a value for it; blank is the default
 * @flags: what is allowed besides the strict rules
 * @error: return location for a %GK_ERROR_INVALID error naming @key
 *
 * What gk_store_set_setting_full() would say about @value, without
 * storing it: for a window that shows the problem while it is typed.
 *
 * Returns: %TRUE if @value may be stored
 */
gboolean
gk_store_check_setting (GkStore       *self,
                        const char    *key,
                        const char    *value,
                        GkSettingFlags flags,
                        GError       **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  locker = gk_store_priv_lock (self);
  return check_setting_here (self, key, value, flags, error);
}

/**
 * gk_store_set_setting:
 * @self: a store
 * @actor: the acting user (must be admin)
 * @key: a setting name
 * @value: (nullable): the value; blank goes back to the default
 * @error: return location for an error
 *
 * gk_store_set_setting_full() with the strict rules.
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_set_setting (GkStore    *self,
                      const char *actor,
                      const char *key,
                      const char *value,
                      GError    **error)
{
  return gk_store_set_setting_full (self, actor, key, value, GK_SETTING_FLAGS_NONE, error);
}

/**
 * gk_store_set_setting_full:
 * @self: a store
 * @actor: the acting user (must be admin)
 * @key: a setting name (gk_setting_keys())
 * @value: (nullable): the value; blank goes back to the default
 * @flags: what is allowed besides the strict rules
 * @error: return location for an error
 *
 * Refuses unknown names and names that would hold a secret, then checks
 * the value with the rule of the code that uses it (gk_setting_check()),
 * so that what is stored works.  Audited as "setting".
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_set_setting_full (GkStore       *self,
                           const char    *actor,
                           const char    *key,
                           const char    *value,
                           GkSettingFlags flags,
                           GError       **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(JsonObject) details = NULL;
  g_autofree char *current = NULL;
  const char *stored = gk_str_is_blank (value) ? NULL : value;
  gboolean found = FALSE;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  if (!gk_setting_check_key (key, error))
    return FALSE;

  locker = gk_store_priv_lock (self);
  if (!gk_store_check_action (self, actor, GK_ACTION_CHANGE_SETTINGS, NULL, error))
    return FALSE;

  /* Checked and written in one transaction: another program cannot
   * change the other half of the 索引号 in between. */
  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  if (!check_setting_here (self, key, value, flags, error))
    return FALSE;
  {
    g_autoptr(GError) local = NULL;

    current = read_setting (self, key, &found, &local);
    if (local != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local));
        return FALSE;
      }
  }
  if (found ? g_strcmp0 (current, stored) == 0 : stored == NULL)
    return TRUE;
  if (!gk_store_priv_put_setting (self, key, stored, error))
    return FALSE;

  details = json_object_new ();
  json_object_set_string_member (details, "key", key);
  if (stored == NULL)
    json_object_set_null_member (details, "value");
  else if (gk_utf8_length (stored) <= 200)
    json_object_set_string_member (details, "value", stored);
  else
    {
      g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, stored, -1);

      /* Long values (a sensitive-word list) are summarised. */
      json_object_set_int_member (details, "chars", gk_utf8_length (stored));
      json_object_set_string_member (details, "sha256", digest);
    }
  if (!gk_store_priv_audit (self, actor, "setting", NULL, details, error))
    return FALSE;
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

/**
 * gk_store_set_member:
 * @self: a store
 * @actor: the acting user (admin, unless the library has no admin yet)
 * @user: the member's account name
 * @roles: the roles to grant; %GK_ROLE_NONE removes the member
 * @error: return location for an error
 *
 * Grants exactly @roles to @user.  The last admin cannot lose the admin
 * role.  Audited as "member".
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_set_member (GkStore    *self,
                     const char *actor,
                     const char *user,
                     GkRole      roles,
                     GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  g_autoptr(JsonObject) details = NULL;
  g_autofree char *roles_text = NULL;
  g_autofree char *old_text = NULL;
  g_autofree char *now = NULL;
  GkRole old;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  if (!gk_utf8_check (user, -1, _("The member's user name"), error))
    return FALSE;
  if (!user_name_is_valid (user))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("“%s” is not a valid user name (no spaces or commas, at most 64 characters)."),
                   user ? user : "");
      return FALSE;
    }
  if (roles & ~(GK_ROLE_DRAFTER | GK_ROLE_REVIEWER | GK_ROLE_PUBLISHER | GK_ROLE_ADMIN))
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID, _("Unknown role."));
      return FALSE;
    }

  locker = gk_store_priv_lock (self);

  /* Bootstrap: a new library has no admin; its first admin is named by
   * whoever creates it (gongkai-ctl init --admin). */
  if (count_admins (self) > 0 && !gk_store_check_action (self, actor, GK_ACTION_MANAGE_MEMBERS, NULL, error))
    return FALSE;

  old = read_roles (self, user);
  if (old == roles)
    {
      g_autoptr(GkStoreStmt) exists = gk_store_priv_prepare (self, "SELECT 1 FROM members WHERE user = ?1", error);

      if (exists == NULL)
        return FALSE;
      sqlite3_bind_text (exists, 1, user, -1, SQLITE_TRANSIENT);
      if (roles == GK_ROLE_NONE || sqlite3_step (exists) == SQLITE_ROW)
        return TRUE;
    }
  if ((old & GK_ROLE_ADMIN) && !(roles & GK_ROLE_ADMIN) && count_admins (self) == 1)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_REFUSED,
                   _("“%s” is the library's only admin. Make another member admin first."), user);
      return FALSE;
    }

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;

  now = gk_timestamp_now ();
  if (roles == GK_ROLE_NONE)
    stmt = gk_store_priv_prepare (self, "DELETE FROM members WHERE user = ?1", error);
  else
    stmt = gk_store_priv_prepare (self,
                                  "INSERT INTO members (user, roles, added_at) VALUES (?1, ?2, ?3) "
                                  "ON CONFLICT (user) DO UPDATE SET roles = excluded.roles",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_TRANSIENT);
  if (roles != GK_ROLE_NONE)
    {
      sqlite3_bind_int (stmt, 2, roles);
      sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
    }
  if (!gk_store_priv_step_done (self, stmt, error))
    return FALSE;

  roles_text = gk_roles_to_string (roles);
  old_text = gk_roles_to_string (old);
  details = json_object_new ();
  json_object_set_string_member (details, "user", user);
  json_object_set_string_member (details, "roles", roles_text);
  json_object_set_string_member (details, "previous", old_text);
  if (!gk_store_priv_audit (self, actor ? actor : "", "member", NULL, details, error))
    return FALSE;
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

/**
 * gk_store_add_first_admin:
 * @self: a new store (no admin yet), or one where @actor is admin
 * @actor: who makes the library
 * @user: its first admin
 * @also_drafter: grant the drafter role too (the window's own library)
 * @error: as gk_store_set_member()
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_add_first_admin (GkStore    *self,
                          const char *actor,
                          const char *user,
                          gboolean    also_drafter,
                          GError    **error)
{
  return gk_store_set_member (self, actor, user,
                              GK_ROLE_ADMIN | (also_drafter ? GK_ROLE_DRAFTER : GK_ROLE_NONE), error);
}

/**
 * gk_store_get_roles:
 * @self: a store
 * @user: (nullable): an account name
 *
 * Returns: the roles of @user (%GK_ROLE_NONE for a non-member)
 */
GkRole
gk_store_get_roles (GkStore    *self,
                    const char *user)
{
  g_autoptr(GkStoreLocker) locker = NULL;

  g_return_val_if_fail (GK_IS_STORE (self), GK_ROLE_NONE);

  locker = gk_store_priv_read (self);
  return read_roles (self, user);
}

/**
 * gk_store_list_members:
 * @self: a store
 *
 * Returns: (transfer full) (element-type GkMember): the members by name
 */
GPtrArray *
gk_store_list_members (GkStore *self)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  GPtrArray *members = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_member_free);

  g_return_val_if_fail (GK_IS_STORE (self), members);

  locker = gk_store_priv_read (self);
  stmt = gk_store_priv_prepare (self, "SELECT user, roles, added_at FROM members ORDER BY user", NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      GkMember *member = g_new0 (GkMember, 1);

      member->user = gk_store_priv_column_text (stmt, 0);
      member->roles = (GkRole) sqlite3_column_int (stmt, 1);
      member->added_at = gk_store_priv_column_text (stmt, 2);
      g_ptr_array_add (members, member);
    }
  return members;
}

/**
 * gk_store_get_member:
 * @self: a store
 * @user: (nullable): an account name
 *
 * Returns: (transfer full): @user with its roles in this library
 *   (%GK_ROLE_NONE for a non-member)
 */
GkMember *
gk_store_get_member (GkStore    *self,
                     const char *user)
{
  GkMember *member = g_new0 (GkMember, 1);

  g_return_val_if_fail (GK_IS_STORE (self), member);

  member->user = g_strdup (user ? user : "");
  member->roles = gk_store_get_roles (self, user);
  return member;
}

/**
 * gk_store_get_policy_rules:
 * @self: a store
 * @rules: (out caller-allocates): the library's workflow settings
 */
void
gk_store_get_policy_rules (GkStore       *self,
                           GkPolicyRules *rules)
{
  g_autofree char *value = NULL;

  g_return_if_fail (GK_IS_STORE (self));
  g_return_if_fail (rules != NULL);

  value = gk_store_get_setting (self, "review_stages");
  rules->review_stages = value != NULL && strcmp (g_strstrip (value), "1") == 0 ? 1 : 2;
}

/**
 * gk_store_check_action:
 * @self: a store
 * @actor: (nullable): the acting user
 * @action: what they want to do
 * @item: (nullable): the item, as loaded with its findings and history
 * @error: as gk_policy_check()
 *
 * Returns: %TRUE if @actor may do @action to @item now
 */
gboolean
gk_store_check_action (GkStore    *self,
                       const char *actor,
                       GkAction    action,
                       GkItem     *item,
                       GError    **error)
{
  g_autoptr(GkMember) member = NULL;
  GkPolicyRules rules;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  if (!gk_utf8_check (actor, -1, _("The acting user's name"), error))
    return FALSE;
  member = gk_store_get_member (self, actor);
  gk_store_get_policy_rules (self, &rules);
  return gk_policy_check (&rules, member, action, item, error);
}

/**
 * gk_store_check_role:
 * @self: a store
 * @user: (nullable): the acting user
 * @any_of: the roles that allow the action
 * @error: a %GK_ERROR_PERMISSION error naming the role(s) needed
 *
 * Returns: %TRUE if @user holds at least one of @any_of
 */
gboolean
gk_store_check_role (GkStore    *self,
                     const char *user,
                     GkRole      any_of,
                     GError    **error)
{
  g_autofree char *needed = NULL;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  if (user != NULL && (gk_store_get_roles (self, user) & any_of) != 0)
    return TRUE;
  if (!gk_utf8_check (user, -1, _("The acting user's name"), error))
    return FALSE;

  needed = gk_roles_to_string (any_of);
  if (strchr (needed, ',') == NULL)
    gk_set_error_detail (error, GK_ERROR_PERMISSION, GK_ERROR_DETAIL_MISSING_ROLE,
                         _("“%s” does not have the %s role needed for this."),
                         user ? user : "", needed);
  else
    {
      g_auto(GStrv) names = g_strsplit (needed, ",", -1);
      g_autofree char *listed = g_strjoinv (", ", names);

      gk_set_error_detail (error, GK_ERROR_PERMISSION, GK_ERROR_DETAIL_MISSING_ROLE,
                           _("“%s” needs one of these roles for this: %s."),
                           user ? user : "", listed);
    }
  return FALSE;
}

/* Opening in the background */

typedef struct
{
  char    *dir;
  char    *first_admin;
  gboolean create;
  GThread *caller;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->dir);
  g_free (data->first_admin);
  g_free (data);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;
  g_autoptr(GkStore) store = NULL;
  GError *error = NULL;
  gboolean existed = g_file_test (data->dir, G_FILE_TEST_IS_DIR);

  store = gk_store_open (data->dir, data->create, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Results and signals belong to whoever asked, not to this thread. */
  g_main_context_unref (store->owner_context);
  store->owner_context = g_main_context_ref (g_task_get_context (task));
  store->owner_thread = data->caller;

  if (data->create && !existed && data->first_admin != NULL &&
      !gk_store_add_first_admin (store, data->first_admin, data->first_admin, TRUE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

/**
 * gk_store_open_async:
 * @dir: the library folder
 * @create: make it when it does not exist
 * @first_admin: (nullable): in a library made now, the first member,
 *   admin and drafter
 *
 * gk_store_open() on a worker thread; the store announces its changes
 * on the caller's thread-default main context.
 */
void
gk_store_open_async (const char         *dir,
                     gboolean            create,
                     const char         *first_admin,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (dir != NULL);

  data = g_new0 (OpenData, 1);
  data->dir = g_strdup (dir);
  data->first_admin = g_strdup (first_admin);
  data->create = create;
  data->caller = g_thread_self ();
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_store_open_async);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

GkStore *
gk_store_open_finish (GAsyncResult *result,
                      GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
