/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiStore"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "gk-deadline.h"
#include "gk-gongwen.h"
#include "gk-store-private.h"
#include "gk-store-workflow.h"
#include "gk-util.h"

/* Items: insert, load, edit, findings, listing and search.
 *
 * Search uses the FTS5 trigram index over title, 文号, issuer and the page
 * text.  A trigram index cannot answer terms shorter than three
 * characters, and Chinese users type many of those (应急, 税): such terms
 * are matched with LIKE over the same columns. */

typedef sqlite3_stmt OwnedStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwnedStmt, sqlite3_finalize)

/* Index template */

/**
 * gk_store_expand_index_template:
 * @template_text: the template, e.g. "{org_code}/{year}-{seq:05}"
 * @org_code: the agency's organisation code
 * @year: the year
 * @seq: the serial number within the year
 * @error: a %GK_ERROR_INVALID error for a bad template
 *
 * Returns: (transfer full) (nullable): the 索引号
 */
char *
gk_store_expand_index_template (const char *template_text,
                                const char *org_code,
                                int         year,
                                gint64      seq,
                                GError    **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean has_seq = FALSE;
  const char *p = template_text ? template_text : "";

  while (*p != '\0')
    {
      const char *close;
      g_autofree char *name = NULL;

      if (*p != '{')
        {
          if (*p == '}')
            goto bad;
          g_string_append_c (out, *p++);
          continue;
        }
      close = strchr (p, '}');
      if (close == NULL)
        goto bad;
      name = g_strndup (p + 1, close - p - 1);
      if (strcmp (name, "org_code") == 0)
        g_string_append (out, org_code ? org_code : "");
      else if (strcmp (name, "year") == 0)
        g_string_append_printf (out, "%04d", year);
      else if (strcmp (name, "seq") == 0)
        {
          g_string_append_printf (out, "%" PRId64, seq);
          has_seq = TRUE;
        }
      else if (g_str_has_prefix (name, "seq:"))
        {
          const char *digits = name + 4;
          char *end = NULL;
          guint64 width;

          if (*digits == '\0' || !g_ascii_isdigit (*digits))
            goto bad_placeholder;
          width = g_ascii_strtoull (digits, &end, 10);
          if (*end != '\0' || width < 1 || width > 18)
            goto bad_placeholder;
          g_string_append_printf (out, "%0*" PRId64, (int) width, seq);
          has_seq = TRUE;
        }
      else
        {
        bad_placeholder:
          g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                       _("The 索引号 template has an unknown placeholder “{%s}”. "
                         "Use {org_code}, {year}, {seq} or {seq:05}."),
                       name);
          return NULL;
        }
      p = close + 1;
    }

  if (!has_seq)
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID,
                           _("The 索引号 template needs a serial number: {seq} or {seq:05}."));
      return NULL;
    }
  if (gk_utf8_length (out->str) > 64)
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID,
                           _("The 索引号 template makes numbers longer than 64 characters."));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);

bad:
  g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
               _("The 索引号 template “%s” has unbalanced braces."), template_text ? template_text : "");
  return NULL;
}

/* Reading rows */

static GStrv
strv_from_column (GkStoreStmt *stmt,
                  int          column)
{
  g_autofree char *text = gk_store_priv_column_text (stmt, column);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *root;

  if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            {
              /* An escape such as \ud800 decodes to bytes that are no UTF-8. */
              g_autofree char *valid = gk_utf8_sanitize (json_node_get_string (element), -1);

              g_strv_builder_add (builder, valid);
            }
        }
    }
  return g_strv_builder_end (builder);
}

static char *
strv_to_json (const char *const *list)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    json_builder_add_string_value (builder, list[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

GkItem *
gk_store_priv_item_from_row (GkStoreStmt *stmt)
{
  GkItem *item = gk_item_new ();
  GkState state = GK_STATE_DRAFT;
  GkStage stage = GK_STAGE_NONE;

#define TEXT(n) gk_store_priv_column_text (stmt, (n))
  item->id = TEXT (0);
  item->index_no = TEXT (1);
  item->title = TEXT (2);
  item->doc_number = TEXT (3);
  item->doc_number_original = TEXT (4);
  item->issuer = TEXT (5);
  item->written_date = TEXT (6);
  item->publish_date = TEXT (7);
  item->genre = TEXT (8);
  item->topic = TEXT (9);
  item->category = TEXT (10);
  item->audience = strv_from_column (stmt, 11);
  item->disclosure = TEXT (12);
  item->disclosure_ground = TEXT (13);
  item->validity_status = TEXT (14);
  item->effective_from = TEXT (15);
  item->effective_until = TEXT (16);
  item->service_url = TEXT (17);
  item->interprets = TEXT (18);
  item->related = strv_from_column (stmt, 19);
  item->summary = TEXT (20);
  item->file_sha256 = TEXT (21);
  g_free (item->file_media_type);
  item->file_media_type = TEXT (22);
  item->file_name = TEXT (23);
  item->file_bytes = sqlite3_column_int64 (stmt, 24);
  item->revision = sqlite3_column_int64 (stmt, 25);
  gk_state_from_string ((const char *) sqlite3_column_text (stmt, 26), &state);
  item->state = state;
  gk_stage_from_string ((const char *) sqlite3_column_text (stmt, 27), &stage);
  item->stage = stage;
  item->pages = sqlite3_column_int (stmt, 28);
  item->flags = (guint) sqlite3_column_int (stmt, 29);
  item->detected_json = TEXT (30);
  item->created_at = TEXT (31);
  item->created_by = TEXT (32);
  item->updated_at = TEXT (33);
  item->updated_by = TEXT (34);
  item->submitted_at = TEXT (35);
  item->submitted_by = TEXT (36);
  item->due_date = TEXT (37);
  item->public_url = TEXT (38);
  item->tags = strv_from_column (stmt, 39);
#undef TEXT
  return item;
}

/* Binds the first 39 item columns (all but the tags) as ?1 … ?39, in the
 * order of GK_STORE_ITEM_COLUMNS. */
static void
bind_item (GkStoreStmt *stmt,
           GkItem      *item)
{
  g_autofree char *audience = strv_to_json ((const char *const *) item->audience);
  g_autofree char *related = strv_to_json ((const char *const *) item->related);

  gk_store_priv_bind_text (stmt, 1, item->id);
  gk_store_priv_bind_text (stmt, 2, item->index_no);
  gk_store_priv_bind_text (stmt, 3, item->title);
  gk_store_priv_bind_text (stmt, 4, item->doc_number);
  gk_store_priv_bind_text (stmt, 5, item->doc_number_original);
  gk_store_priv_bind_text (stmt, 6, item->issuer);
  gk_store_priv_bind_text (stmt, 7, item->written_date);
  gk_store_priv_bind_text (stmt, 8, item->publish_date);
  gk_store_priv_bind_text (stmt, 9, item->genre);
  gk_store_priv_bind_text (stmt, 10, item->topic);
  gk_store_priv_bind_text (stmt, 11, item->category);
  sqlite3_bind_text (stmt, 12, audience, -1, SQLITE_TRANSIENT);
  gk_store_priv_bind_text (stmt, 13, item->disclosure);
  gk_store_priv_bind_text (stmt, 14, item->disclosure_ground);
  gk_store_priv_bind_text (stmt, 15, item->validity_status);
  gk_store_priv_bind_text (stmt, 16, item->effective_from);
  gk_store_priv_bind_text (stmt, 17, item->effective_until);
  gk_store_priv_bind_text (stmt, 18, item->service_url);
  gk_store_priv_bind_text (stmt, 19, item->interprets);
  sqlite3_bind_text (stmt, 20, related, -1, SQLITE_TRANSIENT);
  gk_store_priv_bind_text (stmt, 21, item->summary);
  gk_store_priv_bind_text (stmt, 22, item->file_sha256);
  gk_store_priv_bind_text (stmt, 23, item->file_media_type);
  gk_store_priv_bind_text (stmt, 24, item->file_name);
  sqlite3_bind_int64 (stmt, 25, item->file_bytes);
  sqlite3_bind_int64 (stmt, 26, item->revision);
  sqlite3_bind_text (stmt, 27, gk_state_to_string (item->state), -1, SQLITE_STATIC);
  gk_store_priv_bind_text (stmt, 28, gk_stage_to_string (item->stage));
  sqlite3_bind_int (stmt, 29, item->pages);
  sqlite3_bind_int (stmt, 30, (int) item->flags);
  gk_store_priv_bind_text (stmt, 31, item->detected_json);
  gk_store_priv_bind_text (stmt, 32, item->created_at);
  gk_store_priv_bind_text (stmt, 33, item->created_by);
  gk_store_priv_bind_text (stmt, 34, item->updated_at);
  gk_store_priv_bind_text (stmt, 35, item->updated_by);
  gk_store_priv_bind_text (stmt, 36, item->submitted_at);
  gk_store_priv_bind_text (stmt, 37, item->submitted_by);
  gk_store_priv_bind_text (stmt, 38, item->due_date);
  gk_store_priv_bind_text (stmt, 39, item->public_url);
}

#define ITEM_WRITE_COLUMNS \
  "id, index_no, title, doc_number, doc_number_original, issuer, written_date, " \
  "publish_date, genre, topic, category, audience, disclosure, disclosure_ground, " \
  "validity_status, effective_from, effective_until, service_url, interprets, related, " \
  "summary, file_sha256, file_media_type, file_name, file_bytes, revision, state, stage, " \
  "pages, flags, detected_json, created_at, created_by, updated_at, updated_by, " \
  "submitted_at, submitted_by, due_date, public_url"
#define ITEM_WRITE_PARAMS \
  "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, " \
  "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, " \
  "?35, ?36, ?37, ?38, ?39"

static GkFinding *
finding_from_row (GkStoreStmt *stmt)
{
  g_autofree char *value = gk_store_priv_column_text (stmt, 2);
  GkFindingKind    kind = GK_FINDING_SECRECY_MARK;
  GkFindingStatus  status = GK_FINDING_OPEN;
  GkFinding       *finding;

  /* A kind this version does not know (a newer one wrote it, or a hand)
   * is taken as a secrecy mark: it blocks approval until someone looks,
   * rather than passing unseen.  The schema admits only the three
   * statuses; anything else would be taken as open, as insert_finding()
   * writes it. */
  gk_finding_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &kind);
  gk_finding_status_from_string ((const char *) sqlite3_column_text (stmt, 6), &status);
  finding = gk_finding_new (kind, value, sqlite3_column_int (stmt, 3), sqlite3_column_int (stmt, 4),
                            sqlite3_column_int (stmt, 5));
  finding->id = sqlite3_column_int64 (stmt, 0);
  finding->status = status;
  finding->reason = gk_store_priv_column_text (stmt, 7);
  finding->decided_by = gk_store_priv_column_text (stmt, 8);
  finding->decided_at = gk_store_priv_column_text (stmt, 9);
  return finding;
}

GPtrArray *
gk_store_priv_load_findings (GkStore    *self,
                             const char *item_id,
                             GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_read (self);
  g_autoptr(GkStoreStmt) stmt =
    gk_store_priv_prepare (self,
                           "SELECT id, kind, value, page, char_offset, char_length, status, reason, "
                           "decided_by, decided_at FROM findings WHERE item_id = ?1 "
                           "ORDER BY page, char_offset, id",
                           error);
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (findings, finding_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      gk_store_priv_sql_error (self, rc, "findings", error);
      return NULL;
    }
  return g_steal_pointer (&findings);
}

GkItem *
gk_store_priv_load_item (GkStore    *self,
                         const char *id,
                         gboolean    with_findings,
                         GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_read (self);
  g_autoptr(GkItem) item = NULL;

  {
    g_autoptr(GkStoreStmt) stmt =
      gk_store_priv_prepare (self, "SELECT " GK_STORE_ITEM_COLUMNS " FROM items WHERE items.id = ?1", error);
    int rc;

    if (stmt == NULL)
      return NULL;
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      item = gk_store_priv_item_from_row (stmt);
    else if (rc == SQLITE_DONE)
      {
        g_set_error (error, GK_ERROR, GK_ERROR_NOT_FOUND, _("There is no item “%s”."), id ? id : "");
        return NULL;
      }
    else
      {
        gk_store_priv_sql_error (self, rc, "load item", error);
        return NULL;
      }
  }

  if (with_findings && (item->findings = gk_store_priv_load_findings (self, item->id, error)) == NULL)
    return NULL;
  /* The policy decides separation of duties from the item alone. */
  if (with_findings &&
      (item->history = gk_store_workflow_load_history (self, item->id, item->revision, error)) == NULL)
    return NULL;
  return g_steal_pointer (&item);
}

static char *
find_one_id (GkStore    *self,
             const char *sql,
             const char *value)
{
  g_autoptr(GkStoreStmt) stmt = gk_store_priv_prepare (self, sql, NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return gk_store_priv_column_text (stmt, 0);
  return NULL;
}

static gboolean
looks_like_id_prefix (const char *text)
{
  if (strlen (text) < 4 || strlen (text) > 36)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

char *
gk_store_priv_resolve_id (GkStore    *self,
                          const char *id,
                          GError    **error)
{
  g_autoptr(GkStoreLocker) locker = gk_store_priv_read (self);
  g_autofree char *text = gk_strdup_or_null (id);
  g_autofree char *lower = NULL;
  char *found;

  if (text == NULL)
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_NOT_FOUND, _("No item given."));
      return NULL;
    }
  lower = g_ascii_strdown (text, -1);

  if (gk_uuid_is_valid (lower) &&
      (found = find_one_id (self, "SELECT id FROM items WHERE id = ?1", lower)) != NULL)
    return found;
  if ((found = find_one_id (self, "SELECT id FROM items WHERE index_no = ?1", text)) != NULL)
    return found;

  if (looks_like_id_prefix (lower))
    {
      g_autoptr(GkStoreStmt) stmt =
        gk_store_priv_prepare (self,
                               "SELECT id FROM items WHERE id >= ?1 AND id < ?1 || '~' ORDER BY id LIMIT 2",
                               error);
      g_autofree char *first = NULL;

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, lower, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          first = gk_store_priv_column_text (stmt, 0);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            {
              g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                           _("“%s” is ambiguous: more than one item id starts with it. Give more characters."),
                           text);
              return NULL;
            }
          return g_steal_pointer (&first);
        }
    }

  g_set_error (error, GK_ERROR, GK_ERROR_NOT_FOUND,
               _("There is no item “%s” (give its id, at least the first 4 characters of its id, or its 索引号)."),
               text);
  return NULL;
}

char *
gk_store_priv_compute_due (GkStore *self, const char *written_date, const char *publish_date)
{
  g_autoptr (GkCalendar) calendar = gk_store_priv_get_calendar (self);

  return gk_store_priv_due_with (calendar, written_date, publish_date);
}

char *
gk_store_priv_due_with (GkCalendar *calendar, const char *written_date, const char *publish_date)
{
  if (!gk_date_is_valid (written_date) || calendar == NULL)
    return NULL;
  /* A document that already went public (the back catalogue an office
   * files, with the day it was published) has no deadline left to run. */
  if (gk_deadline_already_public (publish_date, NULL))
    return NULL;
  return gk_calendar_disclosure_due (calendar, written_date);
}

/* Validation shared by insert and update */

static gboolean
item_exists (GkStore    *self,
             const char *id)
{
  g_autofree char *found = find_one_id (self, "SELECT id FROM items WHERE id = ?1", id);

  return found != NULL;
}

static gboolean
check_links (GkStore *self,
             GkItem  *item,
             GError **error)
{
  if (!gk_str_is_blank (item->interprets))
    {
      if (g_strcmp0 (item->interprets, item->id) == 0)
        {
          gk_set_error_field (error, GK_ERROR_INVALID, "interprets", "%s",
                              _ ("Interprets: an item cannot interpret itself."));
          return FALSE;
        }
      if (!item_exists (self, item->interprets))
        {
          gk_set_error_field (error, GK_ERROR_INVALID, "interprets",
                              _ ("Interprets: there is no item “%s” in the library."),
                              item->interprets);
          return FALSE;
        }
    }
  for (guint i = 0; item->related != NULL && item->related[i] != NULL; i++)
    {
      if (g_strcmp0 (item->related[i], item->id) == 0)
        {
          gk_set_error_field (error, GK_ERROR_INVALID, "related", "%s",
                              _ ("Related: an item cannot be related to itself."));
          return FALSE;
        }
      if (!item_exists (self, item->related[i]))
        {
          gk_set_error_field (error, GK_ERROR_INVALID, "related",
                              _ ("Related: there is no item “%s” in the library."),
                              item->related[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
index_no_taken (GkStore    *self,
                const char *index_no)
{
  g_autofree char *found = find_one_id (self, "SELECT id FROM items WHERE index_no = ?1", index_no);

  return found != NULL;
}

static gboolean
check_index_no_free (GkStore    *self,
                     const char *index_no,
                     GError    **error)
{
  if (gk_utf8_length (index_no) > 64)
    {
      gk_set_error_field (error, GK_ERROR_INVALID, "index_no", "%s",
                          _ ("Index number: too long (at most 64 characters)."));
      return FALSE;
    }
  if (index_no_taken (self, index_no))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_CONFLICT,
                   _("The 索引号 “%s” is already used by another item."), index_no);
      return FALSE;
    }
  return TRUE;
}

/* The next free 索引号 of the written date's year (today's if none), from
 * the template; the year's counter moves on. */
static char *
generate_index_no (GkStore    *self,
                   const char *written_date,
                   GError    **error)
{
  g_autofree char *template_text = gk_store_get_setting (self, "index_template");
  g_autofree char *org_code = gk_store_get_setting (self, "org_code");
  g_autofree char *today = NULL;
  g_autoptr(GkStoreStmt) read = NULL;
  g_autoptr(GkStoreStmt) write = NULL;
  int year;
  gint64 seq = 1;

  if (gk_date_is_valid (written_date))
    year = atoi (written_date);
  else
    {
      today = gk_date_today ();
      year = atoi (today);
    }

  read = gk_store_priv_prepare (self, "SELECT next_seq FROM index_counters WHERE year = ?1", error);
  if (read == NULL)
    return NULL;
  sqlite3_bind_int (read, 1, year);
  if (sqlite3_step (read) == SQLITE_ROW)
    seq = MAX (1, sqlite3_column_int64 (read, 0));
  gk_store_priv_release (g_steal_pointer (&read));

  for (guint tries = 0; tries < 100000; tries++, seq++)
    {
      g_autofree char *candidate = gk_store_expand_index_template (template_text, org_code, year, seq, error);

      if (candidate == NULL)
        return NULL;
      /* Someone may have typed this one by hand: skip it. */
      if (index_no_taken (self, candidate))
        continue;

      write = gk_store_priv_prepare (self,
                                     "INSERT INTO index_counters (year, next_seq) VALUES (?1, ?2) "
                                     "ON CONFLICT (year) DO UPDATE SET next_seq = excluded.next_seq",
                                     error);
      if (write == NULL)
        return NULL;
      sqlite3_bind_int (write, 1, year);
      sqlite3_bind_int64 (write, 2, seq + 1);
      if (!gk_store_priv_step_done (self, write, error))
        return NULL;
      return g_steal_pointer (&candidate);
    }

  g_set_error_literal (error, GK_ERROR, GK_ERROR_FAILED,
                       _("No free 索引号 could be made from the template: check the index_template setting."));
  return NULL;
}

static gboolean
write_item_tags (GkStore    *self,
                 const char *item_id,
                 GArray     *tag_ids,
                 GError    **error)
{
  {
    g_autoptr(GkStoreStmt) clear = gk_store_priv_prepare (self, "DELETE FROM item_tags WHERE item_id = ?1", error);

    if (clear == NULL)
      return FALSE;
    sqlite3_bind_text (clear, 1, item_id, -1, SQLITE_TRANSIENT);
    if (!gk_store_priv_step_done (self, clear, error))
      return FALSE;
  }
  for (guint i = 0; tag_ids != NULL && i < tag_ids->len; i++)
    {
      g_autoptr(GkStoreStmt) insert =
        gk_store_priv_prepare (self,
                               "INSERT INTO item_tags (item_id, tag_id, position) VALUES (?1, ?2, ?3)",
                               error);

      if (insert == NULL)
        return FALSE;
      sqlite3_bind_text (insert, 1, item_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (insert, 2, g_array_index (tag_ids, gint64, i));
      sqlite3_bind_int (insert, 3, (int) i);
      if (!gk_store_priv_step_done (self, insert, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
insert_finding (GkStore    *self,
                const char *item_id,
                GkFinding  *finding,
                GError    **error)
{
  g_autoptr (GkStoreStmt) stmt = gk_store_priv_prepare (
      self,
      "INSERT INTO findings (item_id, kind, value, page, char_offset, char_length, "
      "status, reason, decided_by, decided_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
      error);

  if (stmt == NULL)
    return FALSE;
  /* The names are static strings; an enum out of range gets "open" and
   * "secrecy_mark" (with a critical) from the to_string functions. */
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, gk_finding_kind_to_string (finding->kind), -1, SQLITE_STATIC);
  gk_store_priv_bind_text (stmt, 3, finding->value);
  sqlite3_bind_int (stmt, 4, finding->page);
  sqlite3_bind_int (stmt, 5, finding->offset);
  sqlite3_bind_int (stmt, 6, finding->length);
  sqlite3_bind_text (stmt, 7, gk_finding_status_to_string (finding->status), -1, SQLITE_STATIC);
  gk_store_priv_bind_text (stmt, 8, finding->reason);
  gk_store_priv_bind_text (stmt, 9, finding->decided_by);
  gk_store_priv_bind_text (stmt, 10, finding->decided_at);
  if (!gk_store_priv_step_done (self, stmt, error))
    return FALSE;
  finding->id = sqlite3_last_insert_rowid (gk_store_priv_get_db (self));
  return TRUE;
}

static JsonNode *
parse_json_or_null (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL) &&
      json_parser_get_root (parser) != NULL)
    return json_node_copy (json_parser_get_root (parser));
  return json_node_new (JSON_NODE_NULL);
}

/* Field values as the audit shows them: lists as arrays, text as
 * strings, unset as null. */
static JsonNode *
field_value_node (GkItem     *item,
                  const char *field)
{
  JsonNode *node;

  if (strcmp (field, "tags") == 0 || strcmp (field, "audience") == 0 || strcmp (field, "related") == 0)
    {
      GStrv list = strcmp (field, "tags") == 0 ? item->tags
                   : strcmp (field, "audience") == 0 ? item->audience : item->related;
      JsonArray *array = json_array_new ();

      for (guint i = 0; list != NULL && list[i] != NULL; i++)
        json_array_add_string_element (array, list[i]);
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, array);
    }
  else
    {
      g_autofree char *value = gk_item_get_field (item, field);

      if (value == NULL)
        node = json_node_new (JSON_NODE_NULL);
      else
        {
          node = json_node_new (JSON_NODE_VALUE);
          json_node_set_string (node, value);
        }
    }
  return node;
}

/* Copy the editable record fields of src into dst. */
static void
apply_record_fields (GkItem *dst,
                     GkItem *src)
{
#define COPY_STR(f) G_STMT_START { g_free (dst->f); dst->f = g_strdup (src->f); } G_STMT_END
#define COPY_STRV(f) G_STMT_START { g_strfreev (dst->f); dst->f = g_strdupv (src->f); } G_STMT_END
  COPY_STR (index_no);
  COPY_STR (title);
  COPY_STR (doc_number);
  COPY_STR (doc_number_original);
  COPY_STR (issuer);
  COPY_STR (written_date);
  COPY_STR (publish_date);
  COPY_STR (genre);
  COPY_STR (topic);
  COPY_STR (category);
  COPY_STRV (tags);
  COPY_STRV (audience);
  COPY_STR (disclosure);
  COPY_STR (disclosure_ground);
  COPY_STR (validity_status);
  COPY_STR (effective_from);
  COPY_STR (effective_until);
  COPY_STR (service_url);
  COPY_STR (interprets);
  COPY_STRV (related);
  COPY_STR (summary);
#undef COPY_STR
#undef COPY_STRV
}

/* The values of changed fields must pass gk_item_set_field() too: the
 * item may come from code that did not use it. */
static gboolean
check_field_values (GkItem             *item,
                    const char *const  *fields,
                    GError            **error)
{
  g_autoptr(GkItem) scratch = gk_item_new ();

  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *value = NULL;

      /* Tags are checked against the catalog too, by the caller. */
      value = gk_item_get_field (item, fields[i]);
      if (!gk_item_set_field (scratch, fields[i], value, error))
        return FALSE;
    }

  if (item->effective_from != NULL && item->effective_until != NULL &&
      strcmp (item->effective_until, item->effective_from) < 0)
    {
      gk_set_error_field (error, GK_ERROR_INVALID, "effective_until",
                          _ ("Effective until: %s is before the effective date %s"),
                          item->effective_until, item->effective_from);
      return FALSE;
    }
  return TRUE;
}

/* The importer and the window fill items without gk_item_set_field():
 * whatever they put in, no byte that is not UTF-8 reaches the row. */
static gboolean
check_texts_valid (GkItem  *item,
                   GError **error)
{
  for (const char *const *f = gk_item_field_names (); *f != NULL; f++)
    {
      g_autofree char *value = gk_item_get_field (item, *f);
      if (!gk_utf8_check (value, -1, gk_item_field_label (*f), error))
        {
          if (error != NULL && *error != NULL && (*error)->domain == GK_ERROR)
            gk_error_set_field (*error, *f);
          return FALSE;
        }
    }
  return gk_utf8_check (item->file_name, -1, "file.name", error) &&
         gk_utf8_check (item->doc_number_original, -1, "doc_number_original", error) &&
         gk_utf8_check (item->detected_json, -1, "detected", error);
}

/* Public API: items */

/**
 * gk_store_insert_item:
 * @self: a store
 * @actor: the acting user (drafter or admin)
 * @item: the new item; on success its id, 索引号, revision, state,
 *   created_*, due date and pages are filled in
 * @page_texts: (array length=n_pages) (nullable): the text of each page
 * @n_pages: the number of pages
 * @findings: (nullable) (element-type GkFinding): screening findings;
 *   their ids are filled in
 * @error: return location for an error
 *
 * Inserts a new item in one transaction: the row (revision 1, draft), its
 * tags, its contributor ("drafted"), the page texts, the search index, the
 * findings and the "import" audit entry.  A blank 索引号 is generated from
 * the index_template setting; a typed one must be free.  The file (if
 * any) must already be in files/.  Another item with the same file is
 * %GK_ERROR_CONFLICT (the importer reports it as a duplicate).
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_insert_item (GkStore           *self,
                      const char        *actor,
                      GkItem            *item,
                      const char *const *page_texts,
                      guint              n_pages,
                      GPtrArray         *findings,
                      GError           **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GkItem) row = NULL;
  g_autoptr(GArray) tag_ids = NULL;
  g_autoptr(JsonObject) details = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  gint64 num;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);
  g_return_val_if_fail (GK_IS_ITEM (item), FALSE);

  locker = gk_store_priv_lock (self);
  if (!gk_store_check_action (self, actor, GK_ACTION_IMPORT, NULL, error))
    return FALSE;

  row = gk_item_copy (item);
  g_clear_pointer (&row->findings, g_ptr_array_unref);
  if (!check_texts_valid (row, error))
    return FALSE;
  if (gk_str_is_blank (row->id))
    {
      g_free (row->id);
      row->id = gk_uuid_new ();
    }
  else if (!gk_uuid_is_valid (row->id))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID, _("“%s” is not an item id."), row->id);
      return FALSE;
    }
  if (gk_str_is_blank (row->index_no))
    g_clear_pointer (&row->index_no, g_free);

  if (row->file_sha256 != NULL)
    {
      g_autofree char *path = gk_store_get_file_path (self, row->file_sha256);
      g_autofree char *holder = NULL;

      if (path == NULL)
        {
          g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                       _("“%s” is not a SHA-256 hash (64 lowercase hexadecimal digits)."), row->file_sha256);
          return FALSE;
        }
      holder = find_one_id (self, "SELECT id FROM items WHERE file_sha256 = ?1", row->file_sha256);
      if (holder != NULL)
        {
          g_set_error (error, GK_ERROR, GK_ERROR_CONFLICT,
                       _("This file is already in the library (item %s)."), holder);
          return FALSE;
        }
    }

  if (item_exists (self, row->id))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_CONFLICT, _("There is already an item %s."), row->id);
      return FALSE;
    }
  if (!gk_store_priv_check_tags (self, (const char *const *) row->tags, NULL, &tag_ids, error) ||
      !gk_store_priv_check_topic (self, row->topic, error) ||
      !check_links (self, row, error))
    return FALSE;
  if (row->index_no != NULL && !check_index_no_free (self, row->index_no, error))
    return FALSE;

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;

  /* Checked inside the transaction: the cleaning of leftovers removes
   * unreferenced files inside one too, so either it sees this row or
   * this sees the file gone (gk-store-files.c). */
  if (row->file_sha256 != NULL)
    {
      g_autofree char *path = gk_store_get_file_path (self, row->file_sha256);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, GK_ERROR, GK_ERROR_NOT_FOUND,
                       _("The file of this item is not in the library's files folder (%s)."), path);
          return FALSE;
        }
    }

  if (row->index_no == NULL && (row->index_no = generate_index_no (self, row->written_date, error)) == NULL)
    return FALSE;

  row->revision = 1;
  row->state = GK_STATE_DRAFT;
  row->stage = GK_STAGE_NONE;
  if (n_pages > 0)
    row->pages = (int) n_pages;
  g_free (row->created_at);
  row->created_at = gk_timestamp_now ();
  g_free (row->created_by);
  row->created_by = g_strdup (actor);
  g_free (row->updated_at);
  row->updated_at = g_strdup (row->created_at);
  g_free (row->updated_by);
  row->updated_by = g_strdup (actor);
  g_clear_pointer (&row->submitted_at, g_free);
  g_clear_pointer (&row->submitted_by, g_free);
  g_free (row->due_date);
  row->due_date = gk_store_priv_compute_due (self, row->written_date, row->publish_date);

  {
    g_autoptr(GkStoreStmt) stmt =
      gk_store_priv_prepare (self, "INSERT INTO items (" ITEM_WRITE_COLUMNS ") VALUES (" ITEM_WRITE_PARAMS ")",
                             error);

    if (stmt == NULL)
      return FALSE;
    g_autoptr(GError) local = NULL;

    bind_item (stmt, row);
    if (!gk_store_priv_step_done (self, stmt, &local))
      {
        /* Another thread or program inserted the same file a moment ago. */
        if (g_error_matches (local, GK_ERROR, GK_ERROR_CONFLICT))
          g_set_error_literal (error, GK_ERROR, GK_ERROR_CONFLICT,
                               _("This file or 索引号 is already in the library."));
        else
          g_propagate_error (error, g_steal_pointer (&local));
        return FALSE;
      }
    num = sqlite3_last_insert_rowid (gk_store_priv_get_db (self));
  }

  if (!write_item_tags (self, row->id, tag_ids, error) ||
      !gk_store_priv_add_contributor (self, row->id, 1, actor, "drafted", error))
    return FALSE;

  for (guint i = 0; page_texts != NULL && i < n_pages; i++)
    {
      g_autoptr(GkStoreStmt) page =
        gk_store_priv_prepare (self, "INSERT INTO pages (item_id, page_no, text) VALUES (?1, ?2, ?3)", error);
      /* Extracted text is kept, not typed: bad bytes become U+FFFD. */
      g_autofree char *text = gk_utf8_sanitize (page_texts[i] ? page_texts[i] : "", -1);

      if (page == NULL)
        return FALSE;
      sqlite3_bind_text (page, 1, row->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (page, 2, (int) i + 1);
      sqlite3_bind_text (page, 3, text, -1, SQLITE_TRANSIENT);
      if (!gk_store_priv_step_done (self, page, error))
        return FALSE;
      if (body->len > 0)
        g_string_append_c (body, '\n');
      g_string_append (body, text);
    }

  {
    g_autoptr (GkStoreStmt) fts = gk_store_priv_prepare (
        self,
        "INSERT INTO items_fts (rowid, title, doc_number, issuer, body, file_name) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        error);

    if (fts == NULL)
      return FALSE;
    sqlite3_bind_int64 (fts, 1, num);
    gk_store_priv_bind_text (fts, 2, row->title);
    gk_store_priv_bind_text (fts, 3, row->doc_number);
    gk_store_priv_bind_text (fts, 4, row->issuer);
    sqlite3_bind_text (fts, 5, body->str, (int) body->len, SQLITE_TRANSIENT);
    gk_store_priv_bind_text (fts, 6, row->file_name);
    if (!gk_store_priv_step_done (self, fts, error))
      return FALSE;
  }

  for (guint i = 0; findings != NULL && i < findings->len; i++)
    if (!insert_finding (self, row->id, g_ptr_array_index (findings, i), error))
      return FALSE;

  details = json_object_new ();
  if (row->file_name != NULL)
    json_object_set_string_member (details, "file", row->file_name);
  else
    json_object_set_null_member (details, "file");
  if (row->file_sha256 != NULL)
    json_object_set_string_member (details, "sha256", row->file_sha256);
  else
    json_object_set_null_member (details, "sha256");
  json_object_set_int_member (details, "pages", row->pages);
  json_object_set_string_member (details, "index_no", row->index_no);
  json_object_set_member (details, "detected", parse_json_or_null (row->detected_json));
  json_object_set_int_member (details, "findings", findings ? findings->len : 0);
  if (!gk_store_priv_audit (self, actor, "import", row->id, details, error))
    return FALSE;

  gk_store_priv_emit_changed (self, row->id);
  if (!gk_store_priv_commit (g_steal_pointer (&tx), error))
    return FALSE;

  /* Hand the assigned values back. */
  g_free (item->id);
  item->id = g_strdup (row->id);
  g_free (item->index_no);
  item->index_no = g_strdup (row->index_no);
  item->revision = row->revision;
  item->state = row->state;
  item->stage = row->stage;
  item->pages = row->pages;
  g_free (item->created_at);
  item->created_at = g_strdup (row->created_at);
  g_free (item->created_by);
  item->created_by = g_strdup (row->created_by);
  g_free (item->updated_at);
  item->updated_at = g_strdup (row->updated_at);
  g_free (item->updated_by);
  item->updated_by = g_strdup (row->updated_by);
  g_clear_pointer (&item->submitted_at, g_free);
  g_clear_pointer (&item->submitted_by, g_free);
  g_free (item->due_date);
  item->due_date = g_strdup (row->due_date);
  return TRUE;
}

/**
 * gk_store_find_by_sha256:
 * @self: a store
 * @sha256: a file hash
 *
 * Returns: (transfer full) (nullable): the item holding that file
 *   (without findings), or %NULL
 */
GkItem *
gk_store_find_by_sha256 (GkStore    *self,
                         const char *sha256)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  if (sha256 == NULL)
    return NULL;
  locker = gk_store_priv_read (self);
  id = find_one_id (self, "SELECT id FROM items WHERE file_sha256 = ?1", sha256);
  if (id == NULL)
    return NULL;
  return gk_store_priv_load_item (self, id, FALSE, NULL);
}

/**
 * gk_store_find_by_doc_number:
 * @self: a store
 * @doc_number: a normalised 文号
 * @except_id: (nullable): an item to leave out
 *
 * The same 公文 may come in twice as different files (a rescan, another
 * export): the 文号 tells.
 *
 * Returns: (transfer full): ids of the items with this 文号, maybe empty
 */
GStrv
gk_store_find_by_doc_number (GkStore    *self,
                             const char *doc_number,
                             const char *except_id)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  if (gk_str_is_blank (doc_number))
    return g_strv_builder_end (builder);
  locker = gk_store_priv_read (self);
  stmt = gk_store_priv_prepare (self,
                                "SELECT id FROM items WHERE doc_number = ?1 AND id IS NOT ?2 "
                                "ORDER BY created_at",
                                NULL);
  if (stmt == NULL)
    return g_strv_builder_end (builder);
  gk_store_priv_bind_text (stmt, 1, doc_number);
  gk_store_priv_bind_text (stmt, 2, except_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *id = gk_store_priv_column_text (stmt, 0);
      g_strv_builder_add (builder, id);
    }
  return g_strv_builder_end (builder);
}

/**
 * gk_store_find_cited:
 * @self: a store
 * @id: an item
 * @limit: at most this many
 * @error: %GK_ERROR_NOT_FOUND if there is no such item
 *
 * The library's items whose 文号 or title @id's text cites (an
 * interpretation names the policy it explains), those cited by 文号
 * first; @id itself is left out.
 *
 * Returns: (transfer full) (element-type GkItem): the items
 */
GPtrArray *
gk_store_find_cited (GkStore *self, const char *id, guint limit, GError **error)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto (GStrv) pages = NULL;
  g_auto (GStrv) numbers = NULL;
  g_auto (GStrv) titles = NULL;
  g_autofree char *text = NULL;
  g_autofree char *numbers_json = NULL;
  g_autofree char *titles_json = NULL;
  g_autofree char *full_id = NULL;
  g_autoptr (GkStoreLocker) locker = NULL;
  g_autoptr (GkStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  pages = gk_store_get_page_texts (self, id, error);
  if (pages == NULL)
    return NULL;
  text = g_strjoinv ("\n", pages);
  numbers = gk_gongwen_find_citations (text, &titles);
  if (numbers[0] == NULL && titles[0] == NULL)
    return g_steal_pointer (&items);
  numbers_json = strv_to_json ((const char *const *) numbers);
  titles_json = strv_to_json ((const char *const *) titles);

  locker = gk_store_priv_read (self);
  full_id = gk_store_priv_resolve_id (self, id, error);
  if (full_id == NULL)
    return NULL;
  stmt = gk_store_priv_prepare (
      self,
      "SELECT " GK_STORE_ITEM_COLUMNS " FROM items"
      " WHERE items.id <> ?3 AND"
      " (items.doc_number IN (SELECT value FROM json_each (?1))"
      "  OR items.title IN (SELECT value FROM json_each (?2)))"
      " ORDER BY items.doc_number IN (SELECT value FROM json_each (?1)) DESC,"
      " items.written_date DESC, items.num DESC LIMIT ?4",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, numbers_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, titles_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, full_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, gk_store_priv_item_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      gk_store_priv_sql_error (self, rc, "cited items", error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

/**
 * gk_store_get_item:
 * @self: a store
 * @id: a full id, a unique id prefix (at least 4 characters) or an exact
 *   索引号
 * @error: %GK_ERROR_NOT_FOUND, or %GK_ERROR_INVALID for an ambiguous prefix
 *
 * Returns: (transfer full) (nullable): the item with its findings
 */
GkItem *
gk_store_get_item (GkStore    *self,
                   const char *id,
                   GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autofree char *full_id = NULL;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  locker = gk_store_priv_read (self);
  full_id = gk_store_priv_resolve_id (self, id, error);
  if (full_id == NULL)
    return NULL;
  return gk_store_priv_load_item (self, full_id, TRUE, error);
}

/**
 * gk_store_update_item:
 * @self: a store
 * @actor: the acting user (drafter or admin)
 * @edited: an edited copy of a stored item (found by its id); on success
 *   its revision, state, stage, due date and updated_* are refreshed
 * @error: return location for an error
 *
 * Saves the record fields that differ from the stored item, after
 * checking the tag catalog (a retired tag may stay, not be added), the
 * topic list, the interprets and related ids and the 索引号 (never
 * changed once assigned; unique).  The "edit" audit entry lists every
 * change (old → new).  Editing an approved, published or withdrawn item
 * makes a new revision in draft; editing an item in review sends it back
 * to draft.  No change → %TRUE, nothing written.
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_update_item (GkStore    *self,
                      const char *actor,
                      GkItem     *edited,
                      GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GkItem) stored = NULL;
  g_autoptr(GkItem) row = NULL;
  g_autoptr(GArray) tag_ids = NULL;
  g_autoptr(JsonObject) details = NULL;
  g_auto(GStrv) changes = NULL;
  JsonObject *changes_object;
  gboolean new_revision = FALSE;
  gboolean review_restarted = FALSE;
  gboolean tags_changed = FALSE;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);
  g_return_val_if_fail (GK_IS_ITEM (edited), FALSE);

  locker = gk_store_priv_lock (self);
  /* The role first, before anything is read (the item is asked about
   * again once the changes are known). */
  if (!gk_store_check_action (self, actor, GK_ACTION_EDIT, NULL, error))
    return FALSE;

  /* Read and write in one IMMEDIATE transaction: another process (a
   * cron sync) cannot change the item between the check and the write. */
  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  stored = gk_store_priv_load_item (self, edited->id, FALSE, error);
  if (stored == NULL)
    return FALSE;

  /* The edited copy must be of the item as it is now: a copy taken
   * before a review, a sync or another person's save would silently
   * undo their change (a lost update). */
  if (stored->state != edited->state || stored->revision != edited->revision ||
      g_strcmp0 (stored->updated_at, edited->updated_at) != 0)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_CONFLICT,
                   _("“%s” was changed elsewhere since it was opened (it is now %s, revision %"
                     PRId64 "). Reload it and make the change again."),
                   stored->title ? stored->title : stored->id,
                   gk_state_to_label (stored->state), stored->revision);
      return FALSE;
    }

  changes = gk_item_diff (stored, edited);
  if (changes[0] == NULL)
    return TRUE;
  if (!gk_store_check_action (self, actor,
                              changes[1] == NULL && strcmp (changes[0], "tags") == 0 ? GK_ACTION_TAG : GK_ACTION_EDIT,
                              stored, error))
    return FALSE;

  if (!check_field_values (edited, (const char *const *) changes, error) ||
      !gk_utf8_check (edited->doc_number_original, -1, "doc_number_original", error))
    return FALSE;

  for (guint i = 0; changes[i] != NULL; i++)
    {
      if (strcmp (changes[i], "index_no") == 0)
        {
          if (!gk_str_is_blank (stored->index_no))
            {
              g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID,
                                   _("The 索引号 cannot be changed once assigned."));
              return FALSE;
            }
          if (!gk_str_is_blank (edited->index_no) && !check_index_no_free (self, edited->index_no, error))
            return FALSE;
        }
      else if (strcmp (changes[i], "tags") == 0)
        tags_changed = TRUE;
    }

  if (tags_changed &&
      !gk_store_priv_check_tags (self, (const char *const *) edited->tags,
                                 (const char *const *) stored->tags, &tag_ids, error))
    return FALSE;
  if (g_strv_contains ((const char *const *) changes, "topic") &&
      !gk_store_priv_check_topic (self, edited->topic, error))
    return FALSE;
  if ((g_strv_contains ((const char *const *) changes, "interprets") ||
       g_strv_contains ((const char *const *) changes, "related")) &&
      !check_links (self, edited, error))
    return FALSE;

  row = gk_item_copy (stored);
  apply_record_fields (row, edited);
  if (gk_str_is_blank (row->index_no))
    g_clear_pointer (&row->index_no, g_free);

  switch (stored->state)
    {
    case GK_STATE_APPROVED:
    case GK_STATE_PUBLISHED:
    case GK_STATE_WITHDRAWN:
      /* The approval bound the old revision: what is synced must be what
       * was approved, so the edit starts a new revision from draft. */
      row->revision = stored->revision + 1;
      row->state = GK_STATE_DRAFT;
      row->stage = GK_STAGE_NONE;
      new_revision = TRUE;
      break;

    case GK_STATE_IN_REVIEW:
      /* The reviewers were looking at other values: the review restarts
       * and the item goes back to draft (same revision; the editor is now
       * a contributor of it, so they cannot approve it). */
      row->state = GK_STATE_DRAFT;
      row->stage = GK_STAGE_NONE;
      review_restarted = TRUE;
      break;

    case GK_STATE_DRAFT:
    case GK_STATE_RETURNED:
    default:
      break;
    }

  g_free (row->updated_at);
  row->updated_at = gk_timestamp_now ();
  g_free (row->updated_by);
  row->updated_by = g_strdup (actor);
  if (g_strv_contains ((const char *const *) changes, "written_date") ||
      g_strv_contains ((const char *const *) changes, "publish_date"))
    {
      g_free (row->due_date);
      row->due_date = gk_store_priv_compute_due (self, row->written_date, row->publish_date);
    }

  {
    g_autoptr(GkStoreStmt) stmt =
      gk_store_priv_prepare (self,
                             "UPDATE items SET (" ITEM_WRITE_COLUMNS ") = (" ITEM_WRITE_PARAMS ") "
                             "WHERE id = ?1",
                             error);

    if (stmt == NULL)
      return FALSE;
    bind_item (stmt, row);
    if (!gk_store_priv_step_done (self, stmt, error))
      return FALSE;
  }
  if (tags_changed && !write_item_tags (self, row->id, tag_ids, error))
    return FALSE;
  if (!gk_store_priv_add_contributor (self, row->id, row->revision, actor, "edited", error))
    return FALSE;

  details = json_object_new ();
  json_object_set_int_member (details, "revision", row->revision);
  changes_object = json_object_new ();
  for (guint i = 0; changes[i] != NULL; i++)
    {
      JsonObject *change = json_object_new ();

      json_object_set_member (change, "old", field_value_node (stored, changes[i]));
      json_object_set_member (change, "new", field_value_node (row, changes[i]));
      json_object_set_object_member (changes_object, changes[i], change);
    }
  json_object_set_object_member (details, "changes", changes_object);
  if (new_revision)
    {
      json_object_set_boolean_member (details, "new_revision", TRUE);
      json_object_set_string_member (details, "previous_state", gk_state_to_string (stored->state));
    }
  else if (review_restarted)
    {
      json_object_set_boolean_member (details, "review_restarted", TRUE);
      json_object_set_string_member (details, "previous_state", gk_state_to_string (stored->state));
    }
  if (!gk_store_priv_audit (self, actor, "edit", row->id, details, error))
    return FALSE;

  gk_store_priv_emit_changed (self, row->id);
  if (!gk_store_priv_commit (g_steal_pointer (&tx), error))
    return FALSE;

  edited->revision = row->revision;
  edited->state = row->state;
  edited->stage = row->stage;
  g_free (edited->updated_at);
  edited->updated_at = g_strdup (row->updated_at);
  g_free (edited->updated_by);
  edited->updated_by = g_strdup (row->updated_by);
  g_free (edited->due_date);
  edited->due_date = g_strdup (row->due_date);
  return TRUE;
}

/**
 * gk_store_get_page_texts:
 * @self: a store
 * @id: an item (full id, unique prefix or 索引号)
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the page texts as extracted at
 *   import, in page order, %NULL-terminated
 */
GStrv
gk_store_get_page_texts (GkStore    *self,
                         const char *id,
                         GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *full_id = NULL;
  int rc;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  locker = gk_store_priv_read (self);
  full_id = gk_store_priv_resolve_id (self, id, error);
  if (full_id == NULL)
    return NULL;
  stmt = gk_store_priv_prepare (self, "SELECT text FROM pages WHERE item_id = ?1 ORDER BY page_no", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, full_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *text = gk_store_priv_column_text (stmt, 0);

      g_strv_builder_add (builder, text ? text : "");
    }
  if (rc != SQLITE_DONE)
    {
      gk_store_priv_sql_error (self, rc, "pages", error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

static GkFinding *
find_same_finding (GPtrArray *old,
                   GkFinding *finding)
{
  for (guint i = 0; old != NULL && i < old->len; i++)
    {
      GkFinding *candidate = g_ptr_array_index (old, i);

      if (candidate->kind == finding->kind && g_strcmp0 (candidate->value, finding->value) == 0 &&
          candidate->page == finding->page && candidate->offset == finding->offset)
        return candidate;
    }
  return NULL;
}

/**
 * gk_store_replace_findings:
 * @self: a store
 * @actor: the acting user (drafter, reviewer or admin)
 * @id: the item (full id, unique prefix or 索引号)
 * @findings: (element-type GkFinding): the findings of a new screening
 *   run; their ids are filled in
 * @error: return location for an error
 *
 * Replaces the item's findings.  A finding found again (same kind, masked
 * value, page and offset) keeps its decision (dismissed, with reason).
 * Audited as "screening".
 *
 * Returns: %TRUE on success
 */
gboolean
gk_store_replace_findings (GkStore    *self,
                           const char *actor,
                           const char *id,
                           GPtrArray  *findings,
                           GError    **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreTx) tx = NULL;
  g_autoptr(GPtrArray) old = NULL;
  g_autoptr(JsonObject) details = NULL;
  g_autofree char *full_id = NULL;
  guint n_open = 0;
  guint n_kept = 0;

  g_return_val_if_fail (GK_IS_STORE (self), FALSE);

  locker = gk_store_priv_lock (self);
  if (!gk_store_check_action (self, actor, GK_ACTION_SCREEN, NULL, error))
    return FALSE;
  full_id = gk_store_priv_resolve_id (self, id, error);
  if (full_id == NULL)
    return FALSE;
  old = gk_store_priv_load_findings (self, full_id, error);
  if (old == NULL)
    return FALSE;

  if ((tx = gk_store_priv_begin (self, error)) == NULL)
    return FALSE;
  {
    g_autoptr(GkStoreStmt) clear = gk_store_priv_prepare (self, "DELETE FROM findings WHERE item_id = ?1", error);

    if (clear == NULL)
      return FALSE;
    sqlite3_bind_text (clear, 1, full_id, -1, SQLITE_TRANSIENT);
    if (!gk_store_priv_step_done (self, clear, error))
      return FALSE;
  }
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      GkFinding *finding = g_ptr_array_index (findings, i);
      GkFinding *same = find_same_finding (old, finding);

      if (same != NULL && same->status == GK_FINDING_DISMISSED)
        {
          finding->status = same->status;
          g_free (finding->reason);
          finding->reason = g_strdup (same->reason);
          g_free (finding->decided_by);
          finding->decided_by = g_strdup (same->decided_by);
          g_free (finding->decided_at);
          finding->decided_at = g_strdup (same->decided_at);
          n_kept++;
        }
      if (finding->status == GK_FINDING_OPEN)
        n_open++;
      if (!insert_finding (self, full_id, finding, error))
        return FALSE;
    }

  details = json_object_new ();
  json_object_set_int_member (details, "findings", findings ? findings->len : 0);
  json_object_set_int_member (details, "open", n_open);
  json_object_set_int_member (details, "kept_decisions", n_kept);
  json_object_set_int_member (details, "previous", old->len);
  if (!gk_store_priv_audit (self, actor, "screening", full_id, details, error))
    return FALSE;
  gk_store_priv_emit_changed (self, full_id);
  return gk_store_priv_commit (g_steal_pointer (&tx), error);
}

/* Listing and search */

typedef struct
{
  GString   *from;
  GString   *where;
  GPtrArray *binds;      /* char*: every parameter is text */
  gboolean   ranked;     /* MATCH used: bm25 is available */
} QueryParts;

static void
query_parts_clear (QueryParts *parts)
{
  if (parts->from)
    g_string_free (parts->from, TRUE);
  if (parts->where)
    g_string_free (parts->where, TRUE);
  g_clear_pointer (&parts->binds, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QueryParts, query_parts_clear)

/* Add a text parameter; returns its number for "?N". */
static guint
add_text (QueryParts *parts,
          const char *text)
{
  g_ptr_array_add (parts->binds, g_strdup (text));
  return parts->binds->len;
}

static void
add_condition (QueryParts *parts,
               const char *format,
               ...) G_GNUC_PRINTF (2, 3);

static void
add_condition (QueryParts *parts,
               const char *format,
               ...)
{
  va_list args;

  g_string_append (parts->where, parts->where->len == 0 ? " WHERE " : " AND ");
  g_string_append_c (parts->where, '(');
  va_start (args, format);
  g_string_append_vprintf (parts->where, format, args);
  va_end (args);
  g_string_append_c (parts->where, ')');
}

static char *
escape_like (const char *term)
{
  GString *out = g_string_new ("%");

  for (const char *p = term; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '%');
  return g_string_free (out, FALSE);
}

static GPtrArray *
split_terms (const char *text)
{
  GPtrArray *terms = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) current = g_string_new (NULL);

  for (const char *p = text;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0 || g_unichar_isspace (c))
        {
          /* People type 文号 with [] () ［］: the index holds 〔〕. */
          g_autofree char *doc_number = current->len > 0
            ? gk_gongwen_normalize_doc_number (current->str) : NULL;

          if (doc_number != NULL)
            g_ptr_array_add (terms, g_steal_pointer (&doc_number));
          else if (current->len > 0)
            g_ptr_array_add (terms, g_strdup (current->str));
          g_string_truncate (current, 0);
          if (c == 0)
            break;
        }
      else
        g_string_append_unichar (current, c);
    }
  return terms;
}

static gboolean
build_query (GkStore       *self,
             const GkQuery *query,
             QueryParts    *parts,
             GError       **error)
{
  parts->from = g_string_new (" FROM items");
  parts->where = g_string_new (NULL);
  parts->binds = g_ptr_array_new_with_free_func (g_free);

  if (query == NULL)
    return TRUE;

  if (query->state == GK_QUERY_DUE)
    add_condition (parts, "gk_deadline_applies (items.state, items.disclosure, items.due_date)");
  else if (query->state > GK_QUERY_ANY_STATE && query->state < GK_QUERY_DUE)
    add_condition (
        parts, "items.state = ?%u",
        add_text (parts, gk_state_to_string ((GkState) (query->state - GK_QUERY_DRAFT))));
  else if (query->state != GK_QUERY_ANY_STATE)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID, _ ("%d is not a query state."),
                   (int) query->state);
      return FALSE;
    }

  if (!gk_str_is_blank (query->stage))
    {
      GkStage stage;

      if (!gk_stage_from_string (query->stage, &stage) || stage == GK_STAGE_NONE)
        {
          g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                       _("“%s” is not a review stage (confidentiality or release)."), query->stage);
          return FALSE;
        }
      add_condition (parts, "items.stage = ?%u", add_text (parts, query->stage));
    }

  /* A tag matches the items tagged with it or with a tag under it. */
  if (!gk_str_is_blank (query->tag))
    add_condition (parts,
                   "items.id IN (SELECT item_tags.item_id FROM item_tags WHERE item_tags.tag_id IN ("
                   "WITH RECURSIVE sub (id) AS (SELECT id FROM tags WHERE name = ?%u "
                   "UNION SELECT tags.id FROM tags JOIN sub ON tags.parent_id = sub.id) "
                   "SELECT id FROM sub))",
                   add_text (parts, query->tag));

  if (!gk_str_is_blank (query->category))
    add_condition (parts, "items.category = ?%u", add_text (parts, query->category));
  if (!gk_str_is_blank (query->from_date))
    add_condition (parts, "items.written_date >= ?%u", add_text (parts, query->from_date));
  if (!gk_str_is_blank (query->to_date))
    add_condition (parts, "items.written_date <= ?%u", add_text (parts, query->to_date));
  if (!gk_str_is_blank (query->created_by))
    add_condition (parts, "items.created_by = ?%u", add_text (parts, query->created_by));

  if (!gk_str_is_blank (query->expiring_before))
    {
      g_autofree char *today = gk_date_today ();
      guint before = add_text (parts, query->expiring_before);

      add_condition (parts, "items.effective_until IS NOT NULL AND items.effective_until <= ?%u "
                            "AND items.effective_until >= ?%u",
                     before, add_text (parts, today));
    }

  if (query->due_within != 0)
    {
      g_autofree char *today_text = gk_date_today ();
      g_autoptr(GDate) today = gk_date_parse (today_text);
      g_autofree char *limit = NULL;

      /* Negative: due today or overdue. */
      g_autoptr (GkCalendar) calendar = gk_store_priv_get_calendar (self);

      if (query->due_within > 0 && today != NULL && calendar != NULL)
        {
          g_autoptr (GDate) last =
              gk_calendar_add_working_days (calendar, today, query->due_within);

          limit = last ? gk_date_format (last) : NULL;
        }
      if (limit == NULL)
        limit = g_strdup (today_text);
      add_condition (parts,
                     /* Approved is not public yet: the clock runs until
                      * the portal has it (gk-deadline.h). */
                     "gk_deadline_applies (items.state, items.disclosure, items.due_date) "
                     "AND items.due_date <= ?%u",
                     add_text (parts, limit));
    }

  if (query->text != NULL && !g_utf8_validate (query->text, -1, NULL))
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID, _("The search text is not valid UTF-8 text."));
      return FALSE;
    }
  if (!gk_str_is_blank (query->text))
    {
      g_autoptr(GPtrArray) terms = split_terms (query->text);
      g_autoptr(GString) match = g_string_new (NULL);

      for (guint i = 0; i < terms->len; i++)
        {
          const char *term = g_ptr_array_index (terms, i);

          if (g_utf8_strlen (term, -1) >= 3)
            {
              /* A phrase, so that FTS5 syntax in the text means nothing. */
              g_autofree char *escaped = NULL;
              g_auto(GStrv) pieces = g_strsplit (term, "\"", -1);

              escaped = g_strjoinv ("\"\"", pieces);
              if (match->len > 0)
                g_string_append (match, " AND ");
              g_string_append_printf (match, "\"%s\"", escaped);
            }
          else
            {
              g_autofree char *pattern = escape_like (term);
              guint n = add_text (parts, pattern);

              add_condition (parts,
                             "items.num IN (SELECT rowid FROM items_fts WHERE "
                             "title LIKE ?%u ESCAPE '\\' OR doc_number LIKE ?%u ESCAPE '\\' OR "
                             "issuer LIKE ?%u ESCAPE '\\' OR body LIKE ?%u ESCAPE '\\' OR "
                             "file_name LIKE ?%u ESCAPE '\\')",
                             n, n, n, n, n);
            }
        }
      if (match->len > 0)
        {
          g_string_append (parts->from, " JOIN items_fts ON items_fts.rowid = items.num");
          add_condition (parts, "items_fts MATCH ?%u", add_text (parts, match->str));
          parts->ranked = TRUE;
        }
    }
  return TRUE;
}

static gboolean
build_order (const GkQuery *query,
             gboolean       ranked,
             GString       *sql,
             GError       **error)
{
  const char *sort = query ? query->sort : NULL;
  const char *dir = query && query->descending ? "DESC" : "ASC";
  const char *column = NULL;

  if (gk_str_is_blank (sort))
    {
      if (ranked)
        g_string_append (sql, " ORDER BY bm25 (items_fts), items.num DESC");
      else
        g_string_append (sql, " ORDER BY items.created_at DESC, items.num DESC");
      return TRUE;
    }

  if (strcmp (sort, "written_date") == 0)
    column = "items.written_date";
  else if (strcmp (sort, "title") == 0)
    column = "items.title";
  else if (strcmp (sort, "doc_number") == 0)
    column = "items.doc_number";
  else if (strcmp (sort, "issuer") == 0)
    column = "items.issuer";
  else if (strcmp (sort, "due") == 0)
    column = "items.due_date";
  else if (strcmp (sort, "created") == 0)
    column = "items.created_at";
  else if (strcmp (sort, "state") == 0)
    column = "CASE items.state WHEN 'draft' THEN 0 WHEN 'returned' THEN 1 WHEN 'in_review' THEN 2 "
             "WHEN 'approved' THEN 3 WHEN 'published' THEN 4 ELSE 5 END";
  else
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("“%s” is not a sort order. Sort by: written_date, title, doc_number, issuer, "
                     "state, due, created."),
                   sort);
      return FALSE;
    }
  /* Items without the value go last either way. */
  g_string_append_printf (sql, " ORDER BY (%s) IS NULL, %s %s, items.num %s", column, column, dir, dir);
  return TRUE;
}

static OwnedStmt *
prepare_query (GkStore    *self,
               const char *sql,
               QueryParts *parts,
               GError    **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (gk_store_priv_get_db (self), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_critical ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (gk_store_priv_get_db (self)));
      gk_store_priv_sql_error (self, SQLITE_ERROR, "query", error);
      return NULL;
    }
  for (guint i = 0; i < parts->binds->len; i++)
    gk_store_priv_bind_text (stmt, (int) i + 1, g_ptr_array_index (parts->binds, i));
  return stmt;
}

/* Turn an FTS5 query-syntax failure (it should not happen with phrases)
 * into a clear message. */
static gboolean
step_error (GkStore *self,
            int      rc,
            GError **error)
{
  return gk_store_priv_sql_error (self, rc, "search", error);
}

/**
 * gk_store_query:
 * @self: a store
 * @query: (nullable): filters; %NULL lists everything
 * @offset: rows to skip
 * @limit: rows to return, 0 for all
 * @error: return location for an error
 *
 * Lists items matching every filter.  Text is split on white space; terms
 * of three or more characters use the trigram index, shorter ones a
 * substring match; all terms must match (title, 文号, issuer or body).
 * With text and no explicit sort, the best matches come first (bm25);
 * otherwise the requested sort (default: newest first).
 *
 * Returns: (transfer full) (element-type GkItem) (nullable): the items,
 *   without findings
 */
GPtrArray *
gk_store_query (GkStore       *self,
                const GkQuery *query,
                guint          offset,
                guint          limit,
                GError       **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_auto(QueryParts) parts = { 0 };
  g_autoptr(GString) sql = g_string_new ("SELECT " GK_STORE_ITEM_COLUMNS);
  g_autoptr(OwnedStmt) stmt = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  locker = gk_store_priv_read (self);
  if (!build_query (self, query, &parts, error))
    return NULL;
  g_string_append (sql, parts.from->str);
  g_string_append (sql, parts.where->str);
  if (!build_order (query, parts.ranked, sql, error))
    return NULL;
  g_string_append_printf (sql, " LIMIT %" PRId64 " OFFSET %u",
                          limit > 0 ? (gint64) limit : (gint64) -1, offset);

  stmt = prepare_query (self, sql->str, &parts, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, gk_store_priv_item_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      step_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

/**
 * gk_store_query_ids:
 * @self: a store
 * @query: (nullable): filters, as for gk_store_query()
 * @error: return location for an error
 *
 * Only the ids, in order: cheap for lazy lists of 100,000 items.
 *
 * Returns: (transfer full) (nullable): the ids, %NULL-terminated
 */
GStrv
gk_store_query_ids (GkStore       *self,
                    const GkQuery *query,
                    GError       **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_auto(QueryParts) parts = { 0 };
  g_autoptr(GString) sql = g_string_new ("SELECT items.id");
  g_autoptr(OwnedStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  locker = gk_store_priv_read (self);
  if (!build_query (self, query, &parts, error))
    return NULL;
  g_string_append (sql, parts.from->str);
  g_string_append (sql, parts.where->str);
  if (!build_order (query, parts.ranked, sql, error))
    return NULL;

  stmt = prepare_query (self, sql->str, &parts, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      step_error (self, rc, error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

/**
 * gk_store_count:
 * @self: a store
 * @query: (nullable): filters, as for gk_store_query()
 * @error: return location for an error
 *
 * Returns: the number of matching items (0 with @error set on failure)
 */
guint
gk_store_count (GkStore       *self,
                const GkQuery *query,
                GError       **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_auto(QueryParts) parts = { 0 };
  g_autoptr(GString) sql = g_string_new ("SELECT count (*)");
  g_autoptr(OwnedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GK_IS_STORE (self), 0);

  locker = gk_store_priv_read (self);
  if (!build_query (self, query, &parts, error))
    return 0;
  g_string_append (sql, parts.from->str);
  g_string_append (sql, parts.where->str);

  stmt = prepare_query (self, sql->str, &parts, error);
  if (stmt == NULL)
    return 0;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      step_error (self, rc, error);
      return 0;
    }
  return (guint) sqlite3_column_int64 (stmt, 0);
}

/**
 * gk_store_get_items:
 * @self: a store
 * @ids: (array length=n_ids): item ids
 * @n_ids: how many
 * @error: return location for an error
 *
 * Loads many items in one statement, for lazy lists.  Ids that are not
 * in the library are left out.
 *
 * Returns: (transfer full) (element-type GkItem) (nullable): the items in
 *   the order of @ids, without findings
 */
GPtrArray *
gk_store_get_items (GkStore           *self,
                    const char *const *ids,
                    guint              n_ids,
                    GError           **error)
{
  g_autoptr(GkStoreLocker) locker = NULL;
  g_autoptr(GkStoreStmt) stmt = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *ids_json = NULL;
  int rc;

  g_return_val_if_fail (GK_IS_STORE (self), NULL);

  if (n_ids == 0)
    return g_steal_pointer (&items);

  json_builder_begin_array (builder);
  for (guint i = 0; i < n_ids; i++)
    if (ids[i] != NULL)
      json_builder_add_string_value (builder, ids[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  ids_json = gk_json_to_string (root, FALSE);

  locker = gk_store_priv_read (self);
  stmt = gk_store_priv_prepare (self,
                                "SELECT " GK_STORE_ITEM_COLUMNS " FROM items "
                                "WHERE items.id IN (SELECT value FROM json_each (?1))",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, ids_json, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GkItem *item = gk_store_priv_item_from_row (stmt);

      g_hash_table_replace (by_id, item->id, item);
    }
  if (rc != SQLITE_DONE)
    {
      gk_store_priv_sql_error (self, rc, "get items", error);
      return NULL;
    }
  for (guint i = 0; i < n_ids; i++)
    {
      GkItem *item = ids[i] ? g_hash_table_lookup (by_id, ids[i]) : NULL;

      if (item != NULL)
        g_ptr_array_add (items, g_object_ref (item));
    }
  return g_steal_pointer (&items);
}

/**
 * gk_query_state_for:
 * @state: a state
 *
 * Returns: the query state that lists the items in @state
 */
/* GkQueryState lists the states in GkState's order, after "any". */
G_STATIC_ASSERT (GK_QUERY_DRAFT + GK_STATE_WITHDRAWN == GK_QUERY_WITHDRAWN);
G_STATIC_ASSERT (GK_QUERY_DRAFT + GK_STATE_IN_REVIEW == GK_QUERY_IN_REVIEW);

GkQueryState
gk_query_state_for (GkState state)
{
  return (GkQueryState) (GK_QUERY_DRAFT + state);
}

/**
 * gk_query_state_parse:
 * @text: (nullable): a state's name, "queue" or "due"
 * @out: (out): the query state
 * @error: return location for an error
 *
 * Returns: %TRUE when @text names one (%NULL and "" name any state)
 */
gboolean
gk_query_state_parse (const char *text, GkQueryState *out, GError **error)
{
  GkState state;

  if (gk_str_is_blank (text))
    *out = GK_QUERY_ANY_STATE;
  else if (strcmp (text, "queue") == 0)
    *out = GK_QUERY_IN_REVIEW;
  else if (strcmp (text, "due") == 0)
    *out = GK_QUERY_DUE;
  else if (gk_state_from_string (text, &state))
    *out = gk_query_state_for (state);
  else
    {
      g_set_error (
          error, GK_ERROR, GK_ERROR_INVALID,
          _ ("“%s” is not a state. States: draft, in_review, returned, approved, published, "
             "withdrawn, queue, due."),
          text);
      return FALSE;
    }
  return TRUE;
}
