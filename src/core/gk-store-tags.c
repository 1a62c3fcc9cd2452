/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiStore"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gk-data.h"
#include "gk-store-private.h"
#include "gk-util.h"

/* The tag catalog (标签目录): a tree of unique names the admin keeps.
 * Items refer to tags by id, so a rename shows everywhere at once.  A
 * retired tag stays on the items that have it but can no longer be added
 * (nor can the tags under it).
 *
 * The 主题分类 list: "top" and "top\sub" names, seeded from
 * data/topics.txt when a library is made, editable by the admin. */

#define TOPICS_FILE "topics.txt"

/* Used when no data file is found: the State Council top level. */
static const char *const fallback_topics[] = {
  "国务院组织机构", "综合政务", "国民经济管理、国有资产监管", "财政、金融、审计",
  "国土资源、能源", "农业、林业、水利", "工业、交通", "商贸、海关、旅游",
  "市场监管、安全生产监管", "城乡建设、环境保护", "科技、教育",
  "文化、广电、新闻出版", "卫生、体育", "人口与计划生育、妇女儿童工作",
  "劳动、人事、监察", "公安、安全、司法", "民政、扶贫、救灾", "民族、宗教",
  "对外事务", "港澳台侨工作", "国防", "其他",
};

typedef struct
{
  gint64   id;
  char    *name;
  gint64   parent_id;
  gboolean retired;
  guint    n_items;
} TagRow;

static void
tag_row_free (TagRow *row)
{
  g_free (row->name);
  g_free (row);
}

/**
 * gk_tag_free:
 * @tag: (nullable): a tag
 */
void
gk_tag_free (GkTag *tag)
{
  if (tag == NULL)
    return;
  g_free (tag->name);
  g_free (tag->path);
  g_free (tag);
}

static gboolean
check_tag_name (const char *name,
                GError    **error)
{
  static const char *const forbidden[] = { ",", "，", "、", "；", ";", "/", "\n", "\r", "\t" };

  if (!gk_utf8_check (name, -1, _("The tag name"), error))
    return FALSE;
  if (gk_str_is_blank (name))
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID, _("A tag needs a name."));
      return FALSE;
    }
  if (gk_utf8_length (name) > 50)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("The tag name “%s” is too long (at most 50 characters)."), name);
      return FALSE;
    }
  if (g_unichar_isspace (g_utf8_get_char (name)) ||
      g_unichar_isspace (g_utf8_get_char (g_utf8_find_prev_char (name, name + strlen (name)))))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("The tag name “%s” starts or ends with a space."), name);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (forbidden); i++)
    if (strstr (name, forbidden[i]) != NULL)
      {
        g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                     _("The tag name “%s” may not contain commas, “、”, “；” or “/”: they separate tags."),
                     name);
        return FALSE;
      }
  return TRUE;
}

/* The tag's id, or 0 when there is none by that name. */
static gint64
find_tag (GkStore    *self,
          const char *name,
          GError    **error)
{
  g_autoptr(GkStoreStmt) stmt = gk_store_priv_prepare (self, "SELECT id FROM tags WHERE name = ?1", error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  return 0;
}

static gint64
require_tag (GkStore    *self,
             const char *name,
             GError    **error)
{
  gint64 id = find_tag (self, name, error);

  if (id == 0)
    {
      g_autofree char *shown = gk_utf8_sanitize (name ? name : "", -1);

      g_set_error (error, GK_ERROR, GK_ERROR_NOT_FOUND,
                   _("There is no tag “%s” in the tag catalog."), shown);
    }
  return id;
}

/* The tag or one of its ancestors is retired. */
static gboolean
tag_is_retired (GkStore *self,
                gint64   id)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "WITH RECURSIVE up (id, parent_id, retired) AS ("
                           "  SELECT id, parent_id, retired FROM tags WHERE id = ?1"
                           "  UNION SELECT tags.id, tags.parent_id, tags.retired"
                           "    FROM tags JOIN up ON tags.id = up.parent_id"
                           ") SELECT max (retired) FROM up",
                           NULL);

  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_int64 (stmt, 1, id);
  return sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
}

/* Is candidate the tag itself or one of its descendants? */
static gboolean
tag_is_within (GkStore *self,
               gint64   candidate,
               gint64   tag)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "WITH RECURSIVE down (id) AS ("
                           "  SELECT ?1 UNION SELECT tags.id FROM tags JOIN down ON tags.parent_id = down.id"
                           ") SELECT 1 FROM down WHERE id = ?2",
                           NULL);

  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_int64 (stmt, 1, tag);
  sqlite3_bind_int64 (stmt, 2, candidate);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static char *
tag_path (GkStore *self,
          gint64   id)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "WITH RECURSIVE up (id, parent_id, name, depth) AS ("
                           "  SELECT id, parent_id, name, 0 FROM tags WHERE id = ?1"
                           "  UNION SELECT tags.id, tags.parent_id, tags.name, up.depth + 1"
                           "    FROM tags JOIN up ON tags.id = up.parent_id WHERE up.depth < 64"
                           ") SELECT name FROM up ORDER BY depth DESC",
                           NULL);
  g_autoptr(GString) path = g_string_new (NULL);

  if (stmt == NULL)
    return g_strdup ("");
  sqlite3_bind_int64 (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *name = gk_store_priv_column_text (stmt, 0);

      if (path->len > 0)
        g_string_append_c (path, '/');
      g_string_append (path, name ? name : "");
    }
  return g_string_free (g_steal_pointer (&path), FALSE);
}

static GkTag *
load_tag (GkStore *self,
          gint64   id)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "SELECT id, name, parent_id, retired, "
                           "(SELECT count (*) FROM item_tags WHERE tag_id = tags.id) "
                           "FROM tags WHERE id = ?1",
                           NULL);
  GkTag *tag;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  tag = g_new0 (GkTag, 1);
  tag->id = sqlite3_column_int64 (stmt, 0);
  tag->name = gk_store_priv_column_text (stmt, 1);
  tag->parent_id = sqlite3_column_int64 (stmt, 2);
  tag->retired = sqlite3_column_int (stmt, 3) != 0;
  tag->n_items = (guint) sqlite3_column_int (stmt, 4);
  sqlite3_reset (stmt);
  tag->path = tag_path (self, id);
  return tag;
}

static char *
tag_name (GkStore *self,
          gint64   id)
{
  g_autoptr(GkStoreStmt) stmt = gk_store_priv_prepare (self, "SELECT name FROM tags WHERE id = ?1", NULL);

  if (stmt == NULL || id == 0)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return gk_store_priv_column_text (stmt, 0);
  return NULL;
}

static void
set_string_or_null (JsonObject *object,
                    const char *member,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

/**
 * gk_store_add_tag:
 * @self: a store
 * @actor: the acting user (must be admin)
 * @name: the new tag's name, unique in the catalog
 * @parent: (nullable): the parent tag's name, %NULL or "" for a top-level tag
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the new tag
 */
GkTag *
gk_store_add_tag (GkStore    *self,
                  const char *actor,
                  const char *name,
                  const char *parent,
                  GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  g_autoptr(JsonObject) details = NULL;
  g_autofree char *now = NULL;
  gint64 parent_id = 0;
  gint64 existing;
  gint64 id;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  if (!check_tag_name (name, error))
    return NULL;

  locker = gk_store_priv_lock (self);
  if (!gk_store_check_action (self, actor, GK_ACTION_MANAGE_TAGS, NULL, error))
    return NULL;

  if (!gk_str_is_blank (parent) && (parent_id = require_tag (self, parent, error)) <= 0)
    return NULL;
  existing = find_tag (self, name, error);
  if (existing < 0)
    return NULL;
  if (existing > 0)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_CONFLICT,
                   _("The tag catalog already has a tag “%s”."), name);
      return NULL;
    }

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return NULL;
  stmt = gk_store_priv_prepare (self,
                                "INSERT INTO tags (name, parent_id, retired, created_at) VALUES (?1, ?2, 0, ?3)",
                                error);
  if (stmt == NULL)
    return NULL;
  now = gk_timestamp_now ();
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (parent_id > 0)
    sqlite3_bind_int64 (stmt, 2, parent_id);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  if (!gk_store_priv_step_done (self, stmt, error))
    return NULL;
  id = sqlite3_last_insert_rowid (gk_store_priv_get_db (self));

  details = json_object_new ();
  json_object_set_string_member (details, "op", "add");
  json_object_set_string_member (details, "name", name);
  set_string_or_null (details, "parent", gk_str_is_blank (parent) ? NULL : parent);
  if (!gk_store_priv_audit (self, actor, "tag", NULL, details, error))
    return NULL;
  if (!gk_store_priv_commit (g_steal_pointer (&tx), error))
    return NULL;
  return load_tag (self, id);
}

/**
 * gk_store_rename_tag:
 * @self: a store
 * @actor: the acting user (must be admin)
 * @name: the tag's name
 * @new_name: its new name, unique in the catalog
 * @error: return location for an error
 *
 * Every item with the tag shows the new name at once.
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_rename_tag (GkStore    *self,
                     const char *actor,
                     const char *name,
                     const char *new_name,
                     GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  g_autoptr(JsonObject) details = NULL;
  gint64 id;
  gint64 clash;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  if (!check_tag_name (new_name, error))
    return FALSE;

  locker = gk_store_priv_lock (self);
  if (!gk_store_check_action (self, actor, GK_ACTION_MANAGE_TAGS, NULL, error))
    return FALSE;
  if ((id = require_tag (self, name, error)) <= 0)
    return FALSE;
  if (g_strcmp0 (name, new_name) == 0)
    return TRUE;
  clash = find_tag (self, new_name, error);
  if (clash < 0)
    return FALSE;
  if (clash > 0)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_CONFLICT,
                   _("The tag catalog already has a tag “%s”."), new_name);
      return FALSE;
    }

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  stmt = gk_store_priv_prepare (self, "UPDATE tags SET name = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, new_name, -1, SQLITE_TRANSIENT);
  if (!gk_store_priv_step_done (self, stmt, error))
    return FALSE;

  details = json_object_new ();
  json_object_set_string_member (details, "op", "rename");
  json_object_set_string_member (details, "name", name);
  json_object_set_string_member (details, "new_name", new_name);
  if (!gk_store_priv_audit (self, actor, "tag", NULL, details, error))
    return FALSE;
  gk_store_priv_emit_changed (self, NULL);
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

/**
 * gk_store_move_tag:
 * @self: a store
 * @actor: the acting user (must be admin)
 * @name: the tag's name
 * @new_parent: (nullable): the new parent's name, %NULL or "" for the top
 * @error: return location for an error
 *
 * A tag cannot move under itself or one of its descendants.
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_move_tag (GkStore    *self,
                   const char *actor,
                   const char *name,
                   const char *new_parent,
                   GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  g_autoptr(JsonObject) details = NULL;
  g_autoptr(GkTag) tag = NULL;
  g_autofree char *old_parent = NULL;
  gint64 parent_id = 0;
  gint64 id;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  locker = gk_store_priv_lock (self);
  if (!gk_store_check_action (self, actor, GK_ACTION_MANAGE_TAGS, NULL, error))
    return FALSE;
  if ((id = require_tag (self, name, error)) <= 0)
    return FALSE;
  if (!gk_str_is_blank (new_parent) && (parent_id = require_tag (self, new_parent, error)) <= 0)
    return FALSE;
  if (parent_id > 0 && tag_is_within (self, parent_id, id))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("The tag “%s” cannot move under “%s”: that is the tag itself or one of the tags under it."),
                   name, new_parent);
      return FALSE;
    }
  tag = load_tag (self, id);
  if (tag == NULL)
    return require_tag (self, name, error) > 0;
  if (tag->parent_id == parent_id)
    return TRUE;
  old_parent = tag_name (self, tag->parent_id);

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  stmt = gk_store_priv_prepare (self, "UPDATE tags SET parent_id = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (parent_id > 0)
    sqlite3_bind_int64 (stmt, 2, parent_id);
  if (!gk_store_priv_step_done (self, stmt, error))
    return FALSE;

  details = json_object_new ();
  json_object_set_string_member (details, "op", "move");
  json_object_set_string_member (details, "name", name);
  set_string_or_null (details, "parent", old_parent);
  set_string_or_null (details, "new_parent", parent_id > 0 ? new_parent : NULL);
  if (!gk_store_priv_audit (self, actor, "tag", NULL, details, error))
    return FALSE;
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

/**
 * gk_store_retire_tag:
 * @self: a store
 * @actor: the acting user (must be admin)
 * @name: the tag's name
 * @retired: %TRUE to retire it, %FALSE to bring it back
 * @error: return location for an error
 *
 * A retired tag (and every tag under it) stays on the items that have it
 * but cannot be added to an item any more.
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_retire_tag (GkStore    *self,
                     const char *actor,
                     const char *name,
                     gboolean    retired,
                     GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  g_autoptr(JsonObject) details = NULL;
  g_autoptr(GkTag) tag = NULL;
  gint64 id;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  locker = gk_store_priv_lock (self);
  if (!gk_store_check_action (self, actor, GK_ACTION_MANAGE_TAGS, NULL, error))
    return FALSE;
  if ((id = require_tag (self, name, error)) <= 0)
    return FALSE;
  tag = load_tag (self, id);
  if (tag != NULL && tag->retired == !!retired)
    return TRUE;

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  stmt = gk_store_priv_prepare (self, "UPDATE tags SET retired = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, retired ? 1 : 0);
  if (!gk_store_priv_step_done (self, stmt, error))
    return FALSE;

  details = json_object_new ();
  json_object_set_string_member (details, "op", retired ? "retire" : "restore");
  json_object_set_string_member (details, "name", name);
  if (!gk_store_priv_audit (self, actor, "tag", NULL, details, error))
    return FALSE;
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

static int
compare_rows_by_name (gconstpointer a,
                      gconstpointer b)
{
  const TagRow *ra = *(TagRow *const *) a;
  const TagRow *rb = *(TagRow *const *) b;

  return strcmp (ra->name, rb->name);
}

static void
add_subtree (GPtrArray  *out,
             GHashTable *children,
             gint64      parent_id,
             const char *parent_path,
             gboolean    include_retired,
             guint       depth)
{
  GPtrArray *kids = g_hash_table_lookup (children, &parent_id);

  if (kids == NULL || depth > 64)
    return;
  for (guint i = 0; i < kids->len; i++)
    {
      TagRow *row = g_ptr_array_index (kids, i);
      GkTag *tag;

      if (row->retired && !include_retired)
        continue;
      tag = g_new0 (GkTag, 1);
      tag->id = row->id;
      tag->name = g_strdup (row->name);
      tag->parent_id = row->parent_id;
      tag->retired = row->retired;
      tag->n_items = row->n_items;
      tag->path = parent_path ? g_strconcat (parent_path, "/", row->name, NULL) : g_strdup (row->name);
      g_ptr_array_add (out, tag);
      add_subtree (out, children, row->id, tag->path, include_retired, depth + 1);
    }
}

/**
 * gk_store_list_tags:
 * @self: a store
 * @include_retired: also list retired tags (and the tags under them)
 *
 * Returns: (transfer full) (element-type GkTag): the catalog in tree order
 *   (each tag followed by its children, siblings by name), with paths and
 *   item counts
 */
GPtrArray *
gk_store_list_tags (GkStore  *self,
                    gboolean  include_retired)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tag_row_free);
  g_autoptr(GHashTable) children = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                          (GDestroyNotify) g_ptr_array_unref);
  GPtrArray *tags = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_tag_free);

  g_return_val_if_fail (GK_IS_STORE (self), tags);

  locker = gk_store_priv_read (self);
  stmt = gk_store_priv_prepare (self,
                                "SELECT tags.id, tags.name, tags.parent_id, tags.retired, "
                                "(SELECT count (*) FROM item_tags WHERE item_tags.tag_id = tags.id) "
                                "FROM tags",
                                NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      TagRow *row = g_new0 (TagRow, 1);

      row->id = sqlite3_column_int64 (stmt, 0);
      row->name = gk_store_priv_column_text (stmt, 1);
      row->parent_id = sqlite3_column_int64 (stmt, 2);
      row->retired = sqlite3_column_int (stmt, 3) != 0;
      row->n_items = (guint) sqlite3_column_int (stmt, 4);
      g_ptr_array_add (rows, row);
    }

  for (guint i = 0; i < rows->len; i++)
    {
      TagRow *row = g_ptr_array_index (rows, i);
      GPtrArray *kids = g_hash_table_lookup (children, &row->parent_id);

      if (kids == NULL)
        {
          kids = g_ptr_array_new ();
          g_hash_table_insert (children, &row->parent_id, kids);
        }
      g_ptr_array_add (kids, row);
    }
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, children);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_ptr_array_sort (value, compare_rows_by_name);
  }
  add_subtree (tags, children, 0, NULL, include_retired, 0);
  return tags;
}

gboolean
gk_store_priv_check_tags (GkStore           *self,
                          const char *const *names,
                          const char *const *previous,
                          GArray           **ids,
                          GError           **error)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      gint64 id;
      gboolean seen = FALSE;

      if (!gk_utf8_check (names[i], -1, _ ("Tags"), error))
        {
          if (error != NULL && *error != NULL && (*error)->domain == GK_ERROR)
            gk_error_set_field (*error, "tags");
          return FALSE;
        }
      id = find_tag (self, names[i], error);
      if (id < 0)
        return FALSE;
      if (id == 0)
        {
          gk_set_error_field (
              error, GK_ERROR_INVALID, "tags",
              _ ("Tags: “%s” is not in the tag catalog. An admin can add it to the catalog first."),
              names[i]);
          return FALSE;
        }
      if ((previous == NULL || !g_strv_contains (previous, names[i])) && tag_is_retired (self, id))
        {
          gk_set_error_field (
              error, GK_ERROR_INVALID, "tags",
              _ ("Tags: the tag “%s” is retired and cannot be added to items any more."), names[i]);
          return FALSE;
        }
      for (guint j = 0; j < found->len; j++)
        seen |= g_array_index (found, gint64, j) == id;
      if (!seen)
        g_array_append_val (found, id);
    }
  if (ids != NULL)
    *ids = g_steal_pointer (&found);
  return TRUE;
}

/* Topics */

static gboolean
topic_exists (GkStore    *self,
              const char *name)
{
  g_autoptr(GkStoreStmt) stmt = gk_store_priv_prepare (self, "SELECT 1 FROM topics WHERE name = ?1", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
check_topic_name (const char *name,
                  GError    **error)
{
  const char *slash;

  if (!gk_utf8_check (name, -1, _ ("Topic"), error))
    return FALSE;
  if (gk_str_is_blank (name) || gk_utf8_length (name) > 100 || strchr (name, '\n') != NULL)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("“%s” is not a valid topic: give a name of at most 100 characters."),
                   name ? name : "");
      return FALSE;
    }
  slash = strchr (name, '\\');
  if (slash != NULL && (slash == name || slash[1] == '\0' || strchr (slash + 1, '\\') != NULL))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("“%s” is not a valid topic: write “top” or “top\\sub” (two levels at most)."), name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_topic (GkStore    *self,
              const char *name,
              GError    **error)
{
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "INSERT INTO topics (name, position) "
                           "VALUES (?1, (SELECT COALESCE (max (position), 0) + 1 FROM topics))",
                           error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  return gk_store_priv_step_done (self, stmt, error);
}

gboolean
gk_store_priv_seed_topics (GkStore *self,
                           GError **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_lock (self);
  g_autoptr(GkStoreTx) tx = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto (GStrv) candidates = gk_data_candidates (TOPICS_FILE);

  {
    g_autoptr(GkStoreStmt) count = gk_store_priv_prepare (self, "SELECT count (*) FROM topics", error);

    if (count == NULL)
      return FALSE;
    if (sqlite3_step (count) == SQLITE_ROW && sqlite3_column_int (count, 0) > 0)
      return TRUE;
  }

  for (guint i = 0; contents == NULL && candidates[i] != NULL; i++)
    if (!g_file_get_contents (candidates[i], &contents, NULL, NULL) ||
        !g_utf8_validate (contents, -1, NULL))
      g_clear_pointer (&contents, g_free);
  if (contents == NULL)
    {
      g_autoptr (GBytes) builtin = gk_data_builtin (TOPICS_FILE);

      if (builtin != NULL)
        contents = g_strndup (g_bytes_get_data (builtin, NULL), g_bytes_get_size (builtin));
    }
  if (contents != NULL)
    lines = g_strsplit (contents, "\n", -1);
  else
    {
      g_message ("No %s found; using the top level of the State Council topic list", TOPICS_FILE);
      lines = g_strdupv ((GStrv) fallback_topics);
    }

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *slash;

      if (*line == '\0' || *line == '#' || !check_topic_name (line, NULL) || topic_exists (self, line))
        continue;
      slash = strchr (line, '\\');
      if (slash != NULL)
        {
          g_autofree char *top = g_strndup (line, slash - line);

          if (!topic_exists (self, top) && !insert_topic (self, top, error))
            return FALSE;
        }
      if (!insert_topic (self, line, error))
        return FALSE;
    }
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

gboolean
gk_store_priv_check_topic (GkStore    *self,
                           const char *topic,
                           GError    **error)
{
  if (gk_str_is_blank (topic) || topic_exists (self, topic))
    return TRUE;
  gk_set_error_field (error, GK_ERROR_INVALID, "topic",
                      _ ("Topic: “%s” is not in the topic list (主题分类). An admin can add it."),
                      topic);
  return FALSE;
}

/**
 * gk_store_list_topics:
 * @self: a store
 *
 * Returns: (transfer full): the 主题分类 names, each top level followed by
 *   its "top\sub" entries, in the list's order
 */
GStrv
gk_store_list_topics (GkStore *self)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  locker = gk_store_priv_read (self);
  stmt = gk_store_priv_prepare (self,
                                "SELECT name FROM topics ORDER BY "
                                "COALESCE ((SELECT top.position FROM topics AS top WHERE top.name = "
                                "  substr (topics.name, 1, instr (topics.name, '\\') - 1)), position), "
                                "instr (name, '\\') > 0, position",
                                NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  return g_strv_builder_end (builder);
}

/**
 * gk_store_add_topic:
 * @self: a store
 * @actor: the acting user (must be admin)
 * @name: "top" or "top\sub" (the top level must exist)
 * @error: return location for an error
 *
 * Local sites rename and extend the 主题分类; audited as "topic".
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_add_topic (GkStore    *self,
                    const char *actor,
                    const char *name,
                    GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(JsonObject) details = NULL;
  const char *slash;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  if (!check_topic_name (name, error))
    return FALSE;

  locker = gk_store_priv_lock (self);
  if (!gk_store_check_action (self, actor, GK_ACTION_MANAGE_TAGS, NULL, error))
    return FALSE;
  if (topic_exists (self, name))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_CONFLICT,
                   _("The topic list already has “%s”."), name);
      return FALSE;
    }
  slash = strchr (name, '\\');
  if (slash != NULL)
    {
      g_autofree char *top = g_strndup (name, slash - name);

      if (!topic_exists (self, top))
        {
          g_set_error (error, GK_ERROR, GK_ERROR_NOT_FOUND,
                       _("The topic list has no top level “%s”: add it first."), top);
          return FALSE;
        }
    }

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  if (!insert_topic (self, name, error))
    return FALSE;
  details = json_object_new ();
  json_object_set_string_member (details, "op", "add");
  json_object_set_string_member (details, "name", name);
  if (!gk_store_priv_audit (self, actor, "topic", NULL, details, error))
    return FALSE;
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}
