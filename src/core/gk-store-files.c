/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiStore"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gk-store-private.h"
#include "gk-util.h"

/* files/ and what a killed import leaves in it.
 *
 * An import copies the PDF into files/xx/.incoming-XXXXXX, renames it to
 * files/xx/<sha256> and then commits the item that refers to it.  A kill
 * (SIGKILL, a power cut) in between leaves a partial copy or a file that
 * nothing refers to; opening the library removes both (see
 * gk_store_priv_clean_files()).
 *
 * Looking through files/ costs some 2.5 ms per thousand files, so the
 * opening does it only when an import may have been interrupted: each
 * program that holds files (below) first leaves a mark,
 * files/.importing-XXXXXX (synced to disk before any copy starts), and
 * removes it when its last hold ends, after its last commit.  A mark
 * found while no program holds files is a killed import's; it goes once
 * files/ was looked through.  (The first opening by this release, and
 * gk_store_clean_files(), for audit verify, always look.)
 *
 * Why that is safe against an import running at the same time in this or
 * another process:
 *
 *  - Whoever puts a file into files/ holds files/.lock shared (flock
 *    LOCK_SH) from before it creates the .incoming copy until the item
 *    that refers to the file is committed or the import gave up
 *    (gk_store_hold_files(); gk_store_add_file() holds it for the copy
 *    itself, the importer for the whole run and each file).  The cleaner takes the lock
 *    exclusively and without waiting: when it gets it, no import is
 *    between "created a file" and "committed its row", so every
 *    .incoming copy is a leftover and every unreferenced file is an
 *    orphan.  When it does not get it, it cleans nothing this time.  The
 *    kernel drops a killed process's flock, so a kill never leaves the
 *    library locked.
 *  - It looks for references inside a write transaction (BEGIN
 *    IMMEDIATE) and deletes before it ends: a row that refers to a file
 *    is either committed before (then it is seen) or written after the
 *    file is gone (then gk_store_insert_item() finds the file missing and
 *    refuses).  So not even a caller that takes no hold can end up with a
 *    row whose file was removed.
 *  - A reference is any value of a column whose name contains "sha256" in
 *    any table (items, approvals, and whatever later schemas add), and any
 *    64-digit hexadecimal word in the texts that carry records: approvals'
 *    record_json (the file and the attachments of an approved revision),
 *    the outbox's bodies and the audit details.  A file that any of them
 *    names stays.  When any of this cannot be read, nothing is removed. */

struct _GkStoreFiles
{
  char           *files_dir;
  char           *lock_path;
  GMutex          mutex;
  int             hold_fd;     /* under mutex; -1 when not open */
  guint           holds;       /* under mutex */
  char           *mark_path;   /* under mutex: this program's mark while it holds */
  GkStoreCleanup  cleanup;     /* what was removed (under the store's lock) */
};

#define MARK_PREFIX ".importing-"

/* Texts that carry whole records, and so the hashes of files. */
static const struct
{
  const char *table;
  const char *column;
} record_texts[] = {
  { "approvals", "record_json" },
  { "sync_jobs", "body" },
  { "audit", "details" },
};

#define MAX_LISTED 100

GkStoreFiles *
gk_store_priv_files_new (const char *files_dir)
{
  GkStoreFiles *files = g_new0 (GkStoreFiles, 1);

  files->files_dir = g_strdup (files_dir);
  files->lock_path = g_build_filename (files_dir, ".lock", NULL);
  files->hold_fd = -1;
  files->cleanup.removed = g_new0 (char *, 1);
  g_mutex_init (&files->mutex);
  return files;
}

void
gk_store_priv_files_free (GkStoreFiles *files)
{
  if (files == NULL)
    return;
  if (files->hold_fd >= 0)
    close (files->hold_fd);
  g_mutex_clear (&files->mutex);
  g_free (files->mark_path);
  g_strfreev (files->cleanup.removed);
  g_free (files->files_dir);
  g_free (files->lock_path);
  g_free (files);
}

static int
open_lock (GkStoreFiles *files,
           GError      **error)
{
  int fd = open (files->lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("Could not open the lock file “%s”: %s"), files->lock_path, g_strerror (saved));
    }
  return fd;
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

static gboolean
leave_mark (GkStoreFiles *files,
            GError      **error)
{
  g_autofree char *path = g_build_filename (files->files_dir, MARK_PREFIX "XXXXXX", NULL);
  int fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0640);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("Could not create a file in “%s”: %s"), files->files_dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  sync_dir (files->files_dir);
  files->mark_path = g_steal_pointer (&path);
  return TRUE;
}

/**
 * gk_store_hold_files:
 * @self: a store
 * @error: return location for an error
 *
 * Keeps files that are being added from being taken for leftovers: while
 * any hold is taken (by this or another program), opening the library
 * removes no partial copy and no unreferenced file.  The first hold
 * leaves a mark in files/ that the last one removes: a program killed
 * meanwhile leaves it, and the next opening then looks for leftovers.  Take it before
 * gk_store_add_file() and give it back with gk_store_release_files()
 * once the item that refers to the file is committed (or the import gave
 * up).  Holds nest; a killed program's holds end with it.  Waits while
 * an opening is cleaning (a moment).
 *
 * Returns: %TRUE when held
 */
gboolean
gk_store_hold_files (GkStore *self,
                     GError **error)
{
  GkStoreFiles *files;
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  files = gk_store_priv_get_files (self);
  locker = g_mutex_locker_new (&files->mutex);
  if (files->holds == 0)
    {
      if (files->hold_fd < 0 && (files->hold_fd = open_lock (files, error)) < 0)
        return FALSE;
      while (flock (files->hold_fd, LOCK_SH) != 0)
        if (errno != EINTR)
          {
            int saved = errno;

            g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                         _("Could not lock “%s”: %s"), files->lock_path, g_strerror (saved));
            return FALSE;
          }
      /* The mark, on disk before any file is. */
      if (!leave_mark (files, error))
        {
          flock (files->hold_fd, LOCK_UN);
          return FALSE;
        }
    }
  files->holds++;
  return TRUE;
}

/**
 * gk_store_release_files:
 * @self: a store
 *
 * Gives back one gk_store_hold_files().
 */
void
gk_store_release_files (GkStore *self)
{
  GkStoreFiles *files;
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (GK_IS_STORE (self));

  files = gk_store_priv_get_files (self);
  locker = g_mutex_locker_new (&files->mutex);
  g_return_if_fail (files->holds > 0);
  if (--files->holds == 0)
    {
      /* Every file held was committed or given up: nothing left over. */
      if (files->mark_path != NULL)
        g_unlink (files->mark_path);
      g_clear_pointer (&files->mark_path, g_free);
      flock (files->hold_fd, LOCK_UN);
    }
}

/**
 * gk_store_get_cleanup:
 * @self: a store
 *
 * Returns: (transfer none): what opening the library removed from files/
 */
const GkStoreCleanup *
gk_store_get_cleanup (GkStore *self)
{
  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  return &gk_store_priv_get_files (self)->cleanup;
}

static gboolean
is_hex_prefix (const char *name)
{
  return strlen (name) == 2 && g_ascii_isxdigit (name[0]) && g_ascii_isxdigit (name[1]) &&
         !g_ascii_isupper (name[0]) && !g_ascii_isupper (name[1]);
}

static gboolean
is_sha256_name (const char *name)
{
  if (strlen (name) != 64)
    return FALSE;
  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isdigit (name[i]) && !(name[i] >= 'a' && name[i] <= 'f'))
      return FALSE;
  return TRUE;
}

typedef struct
{
  char   *path;      /* absolute */
  char   *prefix;    /* xx */
  char   *name;      /* .incoming-… or the hash */
  char   *sha256;    /* NULL for a partial copy */
} Leftover;

static void
leftover_free (gpointer data)
{
  Leftover *leftover = data;

  g_free (leftover->path);
  g_free (leftover->prefix);
  g_free (leftover->name);
  g_free (leftover->sha256);
  g_free (leftover);
}

/* The partial copies and the files under a hash name, in files/xx/. */
static GPtrArray *
list_candidates (GkStoreFiles *files)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (leftover_free);
  g_autoptr(GDir) top = g_dir_open (files->files_dir, 0, NULL);
  const char *prefix;

  if (top == NULL)
    return g_steal_pointer (&found);
  while ((prefix = g_dir_read_name (top)) != NULL)
    {
      g_autofree char *sub_path = NULL;
      DIR *sub;
      struct dirent *entry;

      if (!is_hex_prefix (prefix))
        continue;
      sub_path = g_build_filename (files->files_dir, prefix, NULL);
      if ((sub = opendir (sub_path)) == NULL)
        continue;
      while ((entry = readdir (sub)) != NULL)
        {
          const char *name = entry->d_name;
          gboolean partial = g_str_has_prefix (name, ".incoming-");
          g_autofree char *path = NULL;
          GStatBuf st;
          Leftover *leftover;

          /* Only what the program itself writes here, and only regular
           * files: anything else someone put there is left alone. */
          if (!partial && !(is_sha256_name (name) && strncmp (name, prefix, 2) == 0))
            continue;
          if (entry->d_type != DT_REG && entry->d_type != DT_UNKNOWN)
            continue;
          path = g_build_filename (sub_path, name, NULL);
          /* The size is wanted for the report only: no stat for files
           * that turn out to be referenced. */
          if (entry->d_type == DT_UNKNOWN && (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode)))
            continue;
          leftover = g_new0 (Leftover, 1);
          leftover->path = g_steal_pointer (&path);
          leftover->prefix = g_strdup (prefix);
          leftover->sha256 = partial ? NULL : g_strdup (name);
          leftover->name = g_strdup (name);
          g_ptr_array_add (found, leftover);
        }
      closedir (sub);
    }
  return g_steal_pointer (&found);
}

static gboolean
step_error (GkStore *self,
            int      rc,
            GError **error)
{
  if (rc == SQLITE_DONE)
    return TRUE;
  return gk_store_priv_sql_error (self, rc, "files", error);
}

/* Every 64-digit hexadecimal word of text, lowercased. */
static void
add_hex_words (GHashTable *set,
               const char *text)
{
  const char *run = NULL;

  for (const char *p = text;; p++)
    {
      if (*p != '\0' && g_ascii_isxdigit (*p))
        {
          if (run == NULL)
            run = p;
          continue;
        }
      if (run != NULL && p - run == 64)
        g_hash_table_add (set, g_ascii_strdown (run, 64));
      run = NULL;
      if (*p == '\0')
        break;
    }
}

static gboolean
table_exists (GkStore    *self,
              const char *table)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* The hashes of every file the library refers to (see the comment at the
 * top).  NULL when any of it could not be read. */
static GHashTable *
collect_references (GkStore *self,
                    GError **error)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  int rc;

  {
    g_autoptr(GkStoreStmt) stmt =
      gk_store_priv_prepare (self,
                             "SELECT m.name, p.name FROM sqlite_master AS m, pragma_table_info (m.name) AS p "
                             "WHERE m.type = 'table' AND p.name LIKE '%sha256%'",
                             error);

    if (stmt == NULL)
      return NULL;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        char *sql = sqlite3_mprintf ("SELECT \"%w\" FROM \"%w\" WHERE \"%w\" IS NOT NULL",
                                     (const char *) sqlite3_column_text (stmt, 1),
                                     (const char *) sqlite3_column_text (stmt, 0),
                                     (const char *) sqlite3_column_text (stmt, 1));

        g_ptr_array_add (columns, g_strdup (sql));
        sqlite3_free (sql);
      }
    if (!step_error (self, rc, error))
      return NULL;
  }

  for (guint i = 0; i < columns->len; i++)
    {
      g_autoptr(GkStoreStmt) stmt = gk_store_priv_prepare (self, g_ptr_array_index (columns, i), error);

      if (stmt == NULL)
        return NULL;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        add_hex_words (set, (const char *) sqlite3_column_text (stmt, 0));
      if (!step_error (self, rc, error))
        return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (record_texts); i++)
    {
      g_autoptr(GkStoreStmt) stmt = NULL;
      char *sql;

      if (!table_exists (self, record_texts[i].table))
        continue;
      sql = sqlite3_mprintf ("SELECT \"%w\" FROM \"%w\" WHERE \"%w\" IS NOT NULL",
                             record_texts[i].column, record_texts[i].table, record_texts[i].column);
      stmt = gk_store_priv_prepare (self, sql, error);
      sqlite3_free (sql);
      if (stmt == NULL)
        return NULL;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        add_hex_words (set, (const char *) sqlite3_column_text (stmt, 0));
      if (!step_error (self, rc, error))
        return NULL;
    }
  return g_steal_pointer (&set);
}

/* The items' files, in one query (one per file would lock and check
 * the database file each time).  NULL if they cannot be read. */
static GHashTable *
item_files (GkStore *self)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self, "SELECT file_sha256 FROM items WHERE file_sha256 IS NOT NULL", NULL);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (set, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  return rc == SQLITE_DONE ? g_steal_pointer (&set) : NULL;
}

static void
sync_dir_of (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  sync_dir (dir);
}

/* Remove the leftovers under the exclusive lock; FALSE with an error when
 * the library could not be read (nothing unreferenced was removed). */
static gboolean
clean_locked (GkStore        *self,
              GkStoreFiles   *files,
              GkStoreCleanup *report,
              GError        **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GPtrArray) found = list_candidates (files);
  g_autoptr(GHashTable) items = NULL;
  g_autoptr(GHashTable) references = NULL;
  g_autoptr(GStrvBuilder) removed = g_strv_builder_new ();
  g_autoptr(JsonObject) details = NULL;
  g_autoptr(JsonArray) listed = NULL;
  guint n_partial = 0, n_unreferenced = 0;
  guint64 bytes = 0;
  gboolean any = FALSE;

  locker = gk_store_priv_lock (self);

  /* The usual case: every file belongs to an item, nothing to write.
   * When in doubt (unreadable), the full check below decides. */
  items = item_files (self);
  for (guint i = 0; i < found->len && !any; i++)
    {
      Leftover *leftover = g_ptr_array_index (found, i);

      any = leftover->sha256 == NULL || items == NULL || !g_hash_table_contains (items, leftover->sha256);
    }
  if (!any)
    return TRUE;

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  if ((references = collect_references (self, error)) == NULL)
    return FALSE;

  listed = json_array_new ();
  for (guint i = 0; i < found->len; i++)
    {
      Leftover *leftover = g_ptr_array_index (found, i);
      GStatBuf st;

      if (leftover->sha256 != NULL && g_hash_table_contains (references, leftover->sha256))
        continue;
      if (g_lstat (leftover->path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      if (g_unlink (leftover->path) != 0)
        {
          g_debug ("Could not remove the leftover %s: %s", leftover->path, g_strerror (errno));
          continue;
        }
      sync_dir_of (leftover->path);
      if (leftover->sha256 == NULL)
        n_partial++;
      else
        {
          n_unreferenced++;
          if (json_array_get_length (listed) < MAX_LISTED)
            json_array_add_string_element (listed, leftover->sha256);
        }
      bytes += (guint64) st.st_size;
      {
        g_autofree char *relative = g_build_filename ("files", leftover->prefix, leftover->name, NULL);

        g_strv_builder_add (removed, relative);
      }
    }
  /* What is gone is told, even if the entry below fails. */
  report->n_partial += n_partial;
  report->n_unreferenced += n_unreferenced;
  report->bytes += bytes;
  g_strv_builder_addv (removed, (const char **) report->removed);
  g_strfreev (report->removed);
  report->removed = g_strv_builder_end (removed);
  if (n_partial == 0 && n_unreferenced == 0)
    return TRUE;

  /* Counts and hashes only: nothing of the documents themselves. */
  details = json_object_new ();
  json_object_set_string_member (details, "what", "removed leftovers of interrupted imports");
  json_object_set_int_member (details, "partial_copies", n_partial);
  json_object_set_int_member (details, "unreferenced_files", n_unreferenced);
  json_object_set_int_member (details, "bytes", (gint64) bytes);
  json_object_set_array_member (details, "unreferenced", g_steal_pointer (&listed));
  if (!gk_store_priv_audit (self, "", "maintenance", NULL, details, error))
    return FALSE;
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

/* The marks of programs that held files, in files/.  Called with the
 * lock taken exclusively: no program holds files, so every mark is one
 * a killed import left. */
static GPtrArray *
list_marks (GkStoreFiles *files)
{
  g_autoptr(GPtrArray) marks = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) top = g_dir_open (files->files_dir, 0, NULL);
  const char *name;

  while (top != NULL && (name = g_dir_read_name (top)) != NULL)
    if (g_str_has_prefix (name, MARK_PREFIX))
      g_ptr_array_add (marks, g_build_filename (files->files_dir, name, NULL));
  return g_steal_pointer (&marks);
}

static void
clean (GkStore *self,
       gboolean thorough)
{
  GkStoreFiles *files = gk_store_priv_get_files (self);
  g_autoptr(GkStoreLocker) locker = gk_store_priv_lock (self);
  g_autoptr(GPtrArray) marks = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  files->cleanup.skipped = FALSE;
  if ((fd = open_lock (files, &error)) < 0)
    {
      g_debug ("Leftovers not checked: %s", error->message);
      files->cleanup.skipped = TRUE;
      return;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      /* An import is putting files in: they are not leftovers. */
      files->cleanup.skipped = TRUE;
      close (fd);
      return;
    }
  marks = list_marks (files);
  if (!thorough && marks->len == 0)
    {
      close (fd);
      return;
    }
  if (!clean_locked (self, files, &files->cleanup, &error))
    {
      /* The marks stay, so that the next opening tries again. */
      g_debug ("Leftovers not removed: %s", error->message);
      files->cleanup.skipped = TRUE;
    }
  else
    for (guint i = 0; i < marks->len; i++)
      g_unlink (g_ptr_array_index (marks, i));
  close (fd);
}

/**
 * gk_store_priv_clean_files:
 * @self: a store just opened
 * @thorough: look through files/ even if no import was interrupted
 *
 * Removes what interrupted imports left in files/ (partial copies, files
 * no row refers to), unless an import holds the files; records it in
 * gk_store_get_cleanup() and, when something went, in the audit log
 * ("maintenance").  Never fails the opening: on any doubt it keeps the
 * files.
 */
void
gk_store_priv_clean_files (GkStore *self,
                           gboolean thorough)
{
  clean (self, thorough);
}

/**
 * gk_store_clean_files:
 * @self: a store
 *
 * Looks through the whole of files/ now and removes the partial copies
 * and unreferenced files there, as opening does after an interrupted
 * import (see gk_store_get_cleanup() for what went).  Nothing is removed
 * while an import holds the files.
 */
void
gk_store_clean_files (GkStore *self)
{
  g_return_if_fail (GK_IS_STORE (self));

  clean (self, TRUE);
}
