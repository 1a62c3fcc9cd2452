/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiStore"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <string.h>

#include "gk-store-private.h"
#include "gk-util.h"

/* The audit log: append-only and hash-chained.
 *
 * Each entry's canonical text is the compact JSON array
 *   [seq, at, actor, action, item_id | null, details]
 * serialised by json-glib from a node built here, keys of details in the
 * order they were built (details is stored as exactly its serialised
 * text).  hash = lowercase hex SHA-256 (prev_hash ‖ canonical), where
 * prev_hash is the previous entry's hash, 64 zeros for the first.  The
 * newest (seq, hash) is also kept in audit_head, so verify notices
 * entries cut off the end too. */

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static char *
node_to_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, FALSE);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static char *
canonical_entry (gint64      seq,
                 const char *at,
                 const char *actor,
                 const char *action,
                 const char *item_id,
                 JsonNode   *details)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();

  json_array_add_int_element (array, seq);
  json_array_add_string_element (array, at);
  json_array_add_string_element (array, actor);
  json_array_add_string_element (array, action);
  if (item_id != NULL)
    json_array_add_string_element (array, item_id);
  else
    json_array_add_null_element (array);
  json_array_add_element (array, json_node_copy (details));
  json_node_take_array (root, array);
  return node_to_text (root);
}

/* The first string in node that is not valid UTF-8, as the name of its
 * member ("reason", "changes.title.new"); NULL when all are valid. */
static char *
find_invalid_string (JsonNode   *node,
                     const char *path)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING &&
          !g_utf8_validate (json_node_get_string (node), -1, NULL))
        return g_strdup (*path ? path : "details");
      return NULL;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            char *bad = find_invalid_string (json_array_get_element (array, i), path);

            if (bad != NULL)
              return bad;
          }
        return NULL;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          {
            g_autofree char *shown = gk_utf8_sanitize (name, -1);
            g_autofree char *child = *path ? g_strconcat (path, ".", shown, NULL) : g_strdup (shown);
            char *bad = !g_utf8_validate (name, -1, NULL) ? g_strdup (child)
                                                           : find_invalid_string (member, child);

            if (bad != NULL)
              return bad;
          }
        return NULL;
      }

    case JSON_NODE_NULL:
    default:
      return NULL;
    }
}

static char *
chain_hash (const char *prev_hash,
            const char *canonical)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) prev_hash, strlen (prev_hash));
  g_checksum_update (checksum, (const guchar *) canonical, strlen (canonical));
  return g_strdup (g_checksum_get_string (checksum));
}

static GkAuditEntry *
entry_from_row (GkStoreStmt *stmt)
{
  GkAuditEntry *entry = g_new0 (GkAuditEntry, 1);

  entry->seq = sqlite3_column_int64 (stmt, 0);
  entry->at = gk_store_priv_column_text (stmt, 1);
  entry->actor = gk_store_priv_column_text (stmt, 2);
  entry->action = gk_store_priv_column_text (stmt, 3);
  entry->item_id = gk_store_priv_column_text (stmt, 4);
  entry->details = gk_store_priv_column_text (stmt, 5);
  entry->prev_hash = gk_store_priv_column_text (stmt, 6);
  entry->hash = gk_store_priv_column_text (stmt, 7);
  return entry;
}

/**
 * gk_audit_entry_free:
 * @entry: (nullable): an audit entry
 */
void
gk_audit_entry_free (GkAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->at);
  g_free (entry->actor);
  g_free (entry->action);
  g_free (entry->item_id);
  g_free (entry->details);
  g_free (entry->prev_hash);
  g_free (entry->hash);
  g_free (entry);
}

gboolean
gk_store_priv_audit (GkStore    *self,
                     const char *actor,
                     const char *action,
                     const char *item_id,
                     JsonObject *details,
                     GError    **error)
{
  g_autoptr(JsonNode) details_node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *details_text = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *prev_hash = NULL;
  g_autofree char *at = gk_timestamp_now ();

  /* An entry of no item is a change to the library as a whole. */
  if (item_id == NULL)
    gk_store_priv_emit_library_changed (self);
  gint64 seq = 1;

  g_return_val_if_fail (gk_store_priv_in_transaction (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  if (actor == NULL)
    actor = "";

  if (details != NULL)
    json_node_set_object (details_node, details);
  else
    json_node_take_object (details_node, json_object_new ());

  /* The last guard: bytes that are no UTF-8 would make an entry that
   * cannot be read back, and verify would call it changed for ever. */
  if (!gk_utf8_check (actor, -1, _("The acting user's name"), error) ||
      !gk_utf8_check (action, -1, "action", error) ||
      !gk_utf8_check (item_id, -1, "item", error))
    return FALSE;
  {
    g_autofree char *bad = find_invalid_string (details_node, "");

    if (bad != NULL)
      {
        g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                     _("%s: not valid UTF-8 text (an invalid byte sequence); nothing was changed"), bad);
        return FALSE;
      }
  }
  details_text = node_to_text (details_node);

  {
    g_autoptr(GkStoreStmt) last =
      gk_store_priv_prepare (self, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", error);

    if (last == NULL)
      return FALSE;
    if (sqlite3_step (last) == SQLITE_ROW)
      {
        seq = sqlite3_column_int64 (last, 0) + 1;
        prev_hash = gk_store_priv_column_text (last, 1);
      }
    else
      prev_hash = g_strdup (ZERO_HASH);
  }

  canonical = canonical_entry (seq, at, actor, action, item_id, details_node);
  hash = chain_hash (prev_hash, canonical);

  {
    g_autoptr(GkStoreStmt) insert =
      gk_store_priv_prepare (self,
                             "INSERT INTO audit (seq, at, actor, action, item_id, details, prev_hash, hash) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                             error);

    if (insert == NULL)
      return FALSE;
    sqlite3_bind_int64 (insert, 1, seq);
    sqlite3_bind_text (insert, 2, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (insert, 3, actor, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (insert, 4, action, -1, SQLITE_TRANSIENT);
    if (item_id != NULL)
      sqlite3_bind_text (insert, 5, item_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (insert, 6, details_text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (insert, 7, prev_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (insert, 8, hash, -1, SQLITE_TRANSIENT);
    if (!gk_store_priv_step_done (self, insert, error))
      return FALSE;
  }

  {
    g_autoptr(GkStoreStmt) head =
      gk_store_priv_prepare (self,
                             "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2) "
                             "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                             error);

    if (head == NULL)
      return FALSE;
    sqlite3_bind_int64 (head, 1, seq);
    sqlite3_bind_text (head, 2, hash, -1, SQLITE_TRANSIENT);
    return gk_store_priv_step_done (self, head, error);
  }
}

/**
 * gk_store_audit_append:
 * @self: a store
 * @actor: the acting user
 * @action: what happened ("sync", "export"…)
 * @item_id: (nullable): the item, or %NULL for a library-wide entry
 * @details: (nullable): details, serialised in the order built; never a
 *   token or a full personal number
 * @error: return location for an error
 *
 * Appends one entry in its own transaction, for events that change
 * nothing else (a refused sync, an export).
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_audit_append (GkStore    *self,
                       const char *actor,
                       const char *action,
                       const char *item_id,
                       JsonObject *details,
                       GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreTx) tx = NULL;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  if (gk_str_is_blank (action))
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID, _("An audit entry needs an action."));
      return FALSE;
    }

  locker = gk_store_priv_lock (self);
  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  if (!gk_store_priv_audit (self, actor, action, item_id, details, error))
    return FALSE;
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

/**
 * gk_store_audit_log:
 * @self: a store
 * @item_id: (nullable): an item (full id, unique prefix or 索引号), or
 *   %NULL for the whole log
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type GkAuditEntry): the entries in
 *   order
 */
GPtrArray *
gk_store_audit_log (GkStore    *self,
                    const char *item_id,
                    GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_audit_entry_free);
  g_autofree char *full_id = NULL;
  int rc;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  locker = gk_store_priv_read (self);

  if (item_id != NULL)
    {
      g_autoptr(GError) local = NULL;

      full_id = gk_store_priv_resolve_id (self, item_id, &local);
      if (full_id == NULL)
        {
          /* An item that is gone still has its history. */
          if (!g_error_matches (local, GK_ERROR, GK_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return NULL;
            }
          full_id = g_strdup (item_id);
        }
      stmt = gk_store_priv_prepare (self,
                                    "SELECT seq, at, actor, action, item_id, details, prev_hash, hash "
                                    "FROM audit WHERE item_id = ?1 ORDER BY seq",
                                    error);
      if (stmt != NULL)
        sqlite3_bind_text (stmt, 1, full_id, -1, SQLITE_TRANSIENT);
    }
  else
    stmt = gk_store_priv_prepare (self,
                                  "SELECT seq, at, actor, action, item_id, details, prev_hash, hash "
                                  "FROM audit ORDER BY seq",
                                  error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      gk_store_priv_sql_error (self, rc, "audit log", error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static gboolean
report_bad (gint64      seq,
            const char *message_format,
            gint64     *first_bad,
            GError    **error)
{
  g_autofree char *seq_text = g_strdup_printf ("%" PRId64, seq);

  if (first_bad != NULL)
    *first_bad = seq;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED, message_format, seq_text);
#pragma GCC diagnostic pop
  return FALSE;
}

/* Check one stored entry against the chain; NULL when it holds, else the
 * message format (with one %s for its seq). */
/* The canonical text with the details as stored, byte for byte: for an
 * entry that an earlier version wrote with bytes that are no UTF-8 in
 * its details (json-glib copied them into the hashed text as they were),
 * which no parser reads back. */
static char *
canonical_with_raw_details (GkAuditEntry *entry,
                            const char   *raw_details)
{
  g_autoptr(JsonNode) null_details = json_node_new (JSON_NODE_NULL);
  g_autofree char *text = canonical_entry (entry->seq, entry->at, entry->actor, entry->action,
                                           entry->item_id, null_details);
  gsize len = strlen (text);

  g_assert (len >= 5 && strcmp (text + len - 5, "null]") == 0);
  text[len - 5] = '\0';
  return g_strconcat (text, raw_details, "]", NULL);
}

static const char *
check_entry (GkAuditEntry *entry,
             const char   *raw_details,
             const char   *expected_prev)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *details_again = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *hash = NULL;
  JsonNode *details;

  if (g_strcmp0 (entry->prev_hash, expected_prev) != 0)
    return _("The audit log is not intact: entry %s does not follow the entry before it "
             "(an entry was removed, inserted or moved).");

  if (entry->details == NULL || entry->at == NULL || entry->actor == NULL || entry->action == NULL ||
      !json_parser_load_from_data (parser, entry->details, -1, NULL) ||
      (details = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (details))
    return _("The audit log is not intact: entry %s was changed (its details are not the ones recorded).");

  /* The stored text must be exactly the canonical serialisation. */
  details_again = node_to_text (details);
  if (strcmp (details_again, entry->details) != 0)
    return _("The audit log is not intact: entry %s was changed (its details are not the ones recorded).");

  /* Read back, the details had their bad bytes replaced; the hash was
   * made over the bytes themselves. */
  if (raw_details != NULL && !g_utf8_validate (raw_details, -1, NULL))
    canonical = canonical_with_raw_details (entry, raw_details);
  else
    canonical = canonical_entry (entry->seq, entry->at, entry->actor, entry->action,
                                 entry->item_id, details);
  hash = chain_hash (entry->prev_hash, canonical);
  if (g_strcmp0 (hash, entry->hash) != 0)
    return _("The audit log is not intact: entry %s was changed (edited or moved).");
  return NULL;
}

/**
 * gk_store_audit_verify:
 * @self: a store
 * @first_bad: (out) (optional): the seq of the first entry that was
 *   edited, removed or moved (0 when intact)
 * @n_entries: (out) (optional): the number of entries checked
 * @error: a %GK_ERROR_DAMAGED error saying what is wrong
 *
 * Recomputes the hash chain in seq order: finds edited entries (their
 * hash), removed ones (a gap in seq, a broken link, or a shorter log than
 * the recorded head) and reordered ones (a broken link or hash).
 *
 * Returns: %TRUE when the log is intact
 */
gboolean
gk_store_audit_verify (GkStore *self,
                       gint64  *first_bad,
                       gint64  *n_entries,
                       GError **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autofree char *prev_hash = g_strdup (ZERO_HASH);
  g_autofree char *head_hash = NULL;
  gboolean ok = TRUE;
  gboolean have_head = FALSE;
  gint64 head_seq = 0;
  gint64 expected = 1;
  gint64 count = 0;
  int rc;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  if (first_bad != NULL)
    *first_bad = 0;
  if (n_entries != NULL)
    *n_entries = 0;

  /* A read section is one snapshot for the head and the entries. */
  locker = gk_store_priv_read (self);

  {
    g_autoptr(GkStoreStmt) head = gk_store_priv_prepare (self, "SELECT seq, hash FROM audit_head WHERE id = 1", error);

    if (head == NULL)
      ok = FALSE;
    else if (sqlite3_step (head) == SQLITE_ROW)
      {
        have_head = TRUE;
        head_seq = sqlite3_column_int64 (head, 0);
        head_hash = gk_store_priv_column_text (head, 1);
      }
  }

  if (ok)
    {
      g_autoptr(GkStoreStmt) stmt =
        gk_store_priv_prepare (self,
                               "SELECT seq, at, actor, action, item_id, details, prev_hash, hash "
                               "FROM audit ORDER BY seq",
                               error);

      if (stmt == NULL)
        ok = FALSE;
      while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autoptr(GkAuditEntry) entry = entry_from_row (stmt);
          const char *problem;

          count++;
          if (entry->seq != expected)
            {
              ok = report_bad (expected,
                               _("The audit log is not intact: entry %s is missing (removed or renumbered)."),
                               first_bad, error);
              break;
            }
          const char *raw_details = (const char *) sqlite3_column_text (stmt, 5);

          /* A NUL inside was never written by the program. */
          if (raw_details != NULL && strlen (raw_details) != (gsize) sqlite3_column_bytes (stmt, 5))
            raw_details = NULL;
          problem = check_entry (entry, raw_details, prev_hash);
          if (problem != NULL)
            {
              ok = report_bad (entry->seq, problem, first_bad, error);
              break;
            }
          g_free (prev_hash);
          prev_hash = g_strdup (entry->hash);
          expected++;
        }
      if (ok && rc != SQLITE_DONE)
        ok = gk_store_priv_sql_error (self, rc, "audit verify", error);
    }

  /* The last entry must be the recorded head: else entries were cut off
   * the end (or added by hand without the head). */
  if (ok && (have_head || count > 0))
    {
      gint64 last = expected - 1;

      if (!have_head)
        ok = report_bad (last, _("The audit log is not intact: its end marker is missing after entry %s."),
                         first_bad, error);
      else if (head_seq > last)
        ok = report_bad (last + 1, _("The audit log is not intact: entry %s and the ones after it were removed."),
                         first_bad, error);
      else if (head_seq < last)
        ok = report_bad (head_seq + 1, _("The audit log is not intact: entry %s was added outside the program."),
                         first_bad, error);
      else if (g_strcmp0 (head_hash, prev_hash) != 0)
        ok = report_bad (last, _("The audit log is not intact: entry %s was changed (edited or moved)."),
                         first_bad, error);
    }

  if (n_entries != NULL)
    *n_entries = count;
  return ok;
}
