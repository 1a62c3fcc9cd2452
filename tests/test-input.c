/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestInput"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "gk-fault-proxy.h"
#include "gk-fixtures.h"
#include "gk-importer.h"
#include "gk-item.h"
#include "gk-pdf.h"
#include "gk-portal-client.h"
#include "gk-settings.h"
#include "gk-store.h"
#include "gk-store-sync.h"
#include "gk-util.h"
#include "gk-workflow.h"

/* Text as it enters the program: bytes that are no UTF-8 are refused
 * where a person typed them, replaced where a document or another
 * program brought them, and never reach the audit hash or the JSON; and
 * every setting is checked, when it is set, with the rule of its user. */

/* Each a different way of not being UTF-8: bytes that never start a
 * character, a surrogate, a lone continuation byte, an overlong form, a
 * character cut short. */
static const char *const bad_bytes[] = { "\xff\xfe", "\xed\xa0\x80", "\x80", "\xc0\xaf", "\xe4\xb8", NULL };

#define REPLACEMENT "\xef\xbf\xbd"

typedef struct
{
  char    *dir;
  GkStore *store;
  char    *item_id;
} Fixture;

/* The record fields as GkItem holds them, to put bytes in the way code
 * that skips gk_item_set_field() (the window, the importer) could. */
static const struct
{
  const char *name;
  gsize       offset;
  gboolean    list;
  const char *good;
} raw_fields[] = {
  { "index_no", G_STRUCT_OFFSET (GkItem, index_no), FALSE, "000014349/2024-00009" },
  { "title", G_STRUCT_OFFSET (GkItem, title), FALSE, "关于印发的通知" },
  { "doc_number", G_STRUCT_OFFSET (GkItem, doc_number), FALSE, "沪应急办〔2023〕20号" },
  { "issuer", G_STRUCT_OFFSET (GkItem, issuer), FALSE, "上海市应急管理局" },
  { "written_date", G_STRUCT_OFFSET (GkItem, written_date), FALSE, "2024-01-02" },
  { "publish_date", G_STRUCT_OFFSET (GkItem, publish_date), FALSE, "2024-01-05" },
  { "genre", G_STRUCT_OFFSET (GkItem, genre), FALSE, "通知" },
  { "topic", G_STRUCT_OFFSET (GkItem, topic), FALSE, "综合政务" },
  { "category", G_STRUCT_OFFSET (GkItem, category), FALSE, "other" },
  { "tags", G_STRUCT_OFFSET (GkItem, tags), TRUE, "政务公开" },
  { "audience", G_STRUCT_OFFSET (GkItem, audience), TRUE, "企业" },
  { "disclosure", G_STRUCT_OFFSET (GkItem, disclosure), FALSE, "proactive" },
  { "disclosure_ground", G_STRUCT_OFFSET (GkItem, disclosure_ground), FALSE, "依据" },
  { "validity_status", G_STRUCT_OFFSET (GkItem, validity_status), FALSE, "valid" },
  { "effective_from", G_STRUCT_OFFSET (GkItem, effective_from), FALSE, "2024-02-01" },
  { "effective_until", G_STRUCT_OFFSET (GkItem, effective_until), FALSE, "2029-02-01" },
  { "service_url", G_STRUCT_OFFSET (GkItem, service_url), FALSE, "https://zwdt.sh.gov.cn/x" },
  { "interprets", G_STRUCT_OFFSET (GkItem, interprets), FALSE, NULL },
  { "related", G_STRUCT_OFFSET (GkItem, related), TRUE, NULL },
  { "summary", G_STRUCT_OFFSET (GkItem, summary), FALSE, "概述" },
};

static char *
bad_text (const char *bad)
{
  return g_strconcat ("关于", bad, "通知", NULL);
}

static void
set_raw (GkItem     *item,
         guint       field,
         const char *value)
{
  gpointer where = G_STRUCT_MEMBER_P (item, raw_fields[field].offset);

  if (raw_fields[field].list)
    {
      g_strfreev (*(GStrv *) where);
      *(GStrv *) where = g_strsplit (value, "\x1e", -1);
    }
  else
    {
      g_free (*(char **) where);
      *(char **) where = g_strdup (value);
    }
}

static gint64
assert_audit_intact (GkStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 first_bad = -1, n = 0;

  g_assert_true (gk_store_audit_verify (store, &first_bad, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first_bad, ==, 0);
  return n;
}

/* What --json prints of an item parses, and all its text is valid. */
static void
assert_json_parses (GkItem *item)
{
  g_autoptr(JsonNode) node = gk_item_to_json (item);
  g_autofree char *text = gk_json_to_string (node, TRUE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
}

static void
assert_invalid_naming (GError    **error,
                       const char *name)
{
  g_assert_error (*error, GK_ERROR, GK_ERROR_INVALID);
  g_assert_true (g_utf8_validate ((*error)->message, -1, NULL));
  if (name[0] == '(')
    {
      /* A record field: named by its key in the error (the command line
       * shows it), by its label in the message. */
      g_autofree char *key = g_strndup (name + 1, strlen (name) - 2);

      if (g_strcmp0 (gk_error_get_field (*error), key) != 0 ||
          strstr ((*error)->message, gk_item_field_label (key)) == NULL)
        g_error ("“%s” (field %s) does not name %s", (*error)->message, gk_error_get_field (*error),
                 key);
    }
  else if (strstr ((*error)->message, name) == NULL)
    g_error ("“%s” does not name %s", (*error)->message, name);
  g_assert_cmpint (gk_error_exit_status (*error), ==, 2);
  g_clear_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = gk_item_new ();
  g_autoptr(GkTag) tag = NULL;
  const char *pages[] = { "第一页 正文" };

  f->dir = g_dir_make_tmp ("gk-test-input-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = gk_store_open (f->dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (gk_store_set_member (f->store, "root", "admin",
                                      GK_ROLE_ADMIN | GK_ROLE_DRAFTER | GK_ROLE_REVIEWER | GK_ROLE_PUBLISHER,
                                      &error));
  g_assert_true (gk_store_set_member (f->store, "admin", "drafter", GK_ROLE_DRAFTER, &error));
  g_assert_no_error (error);
  tag = gk_store_add_tag (f->store, "admin", "政务公开", NULL, &error);
  g_assert_no_error (error);

  g_assert_true (gk_item_set_field (item, "title", "关于开展安全生产检查的通知", &error));
  g_assert_true (gk_item_set_field (item, "issuer", "上海市应急管理局", &error));
  g_assert_true (gk_item_set_field (item, "written_date", "2024-05-06", &error));
  g_assert_true (gk_store_insert_item (f->store, "drafter", item, pages, 1, NULL, &error));
  g_assert_no_error (error);
  f->item_id = g_strdup (item->id);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  gk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->item_id);
}

static void
raw_exec (Fixture    *f,
          const char *sql)
{
  g_autofree char *path = g_build_filename (f->dir, "library.db", NULL);
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQL failed: %s: %s", sql, message);
  sqlite3_close (db);
}

/* ---- the helpers ---- */

static void
test_utf8_helpers (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_utf8_check (NULL, -1, "x", &error));
  g_assert_true (gk_utf8_check ("关于印发的通知", -1, "x", &error));
  g_assert_no_error (error);

  for (guint i = 0; bad_bytes[i] != NULL; i++)
    {
      g_autofree char *bad = bad_text (bad_bytes[i]);
      g_autofree char *valid = gk_utf8_sanitize (bad, -1);

      g_assert_false (gk_utf8_check (bad, -1, "Title (title)", &error));
      g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "Title (title): "));
      g_clear_error (&error);

      g_assert_true (g_utf8_validate (valid, -1, NULL));
      g_assert_true (g_str_has_prefix (valid, "关于" REPLACEMENT));
      g_assert_true (g_str_has_suffix (valid, "通知"));
    }

  /* With a length, a NUL byte is not text either. */
  g_assert_true (gk_utf8_check ("a\0b", 1, "x", &error));
  g_assert_false (gk_utf8_check ("a\0b", 3, "x", &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autofree char *valid = gk_utf8_sanitize ("a\0b", 3);

    g_assert_cmpstr (valid, ==, "a" REPLACEMENT "b");
  }

  /* A JSON document stays one, even if a string in it is not text. */
  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
    g_autoptr(JsonObject) object = json_object_new ();
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autofree char *text = NULL;

    json_object_set_string_member (object, "title", "a\xff\"b\xe4\xb8");
    json_node_set_object (node, object);
    text = gk_json_to_string (node, FALSE);
    g_assert_true (g_utf8_validate (text, -1, NULL));
    g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "title"),
                     ==, "a" REPLACEMENT "\"b" REPLACEMENT REPLACEMENT);
  }
}

/* ---- the record: gk_item_set_field() ---- */

static void
test_item_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = gk_item_new ();
  guint n_fields = 0;

  for (const char *const *f = gk_item_field_names (); *f != NULL; f++, n_fields++)
    for (guint i = 0; bad_bytes[i] != NULL; i++)
      {
        g_autofree char *bad = bad_text (bad_bytes[i]);
        g_autofree char *before = gk_item_get_field (item, *f);
        g_autofree char *after = NULL;
        g_autofree char *named = g_strdup_printf ("(%s)", *f);

        g_assert_false (gk_item_set_field (item, *f, bad, &error));
        assert_invalid_naming (&error, named);
        after = gk_item_get_field (item, *f);
        g_assert_cmpstr (after, ==, before);
      }
  /* Every field of the record was tried. */
  g_assert_cmpuint (n_fields, ==, G_N_ELEMENTS (raw_fields));

  /* A field name that is not text is not a field, and the message is. */
  g_assert_false (gk_item_set_field (item, "ti\xfftle", "x", &error));
  assert_invalid_naming (&error, "ti" REPLACEMENT "tle");
}

/* ---- the store ---- */

static void
test_store_items (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 n_entries = assert_audit_intact (f->store);

  /* An edit that puts bad bytes in the struct (not through the one
   * place) is refused naming the field, and nothing changes. */
  for (guint field = 0; field < G_N_ELEMENTS (raw_fields); field++)
    for (guint i = 0; bad_bytes[i] != NULL; i++)
      {
        g_autoptr(GkItem) stored = gk_store_get_item (f->store, f->item_id, &error);
        g_autoptr(GkItem) edited = gk_item_copy (stored);
        g_autoptr(GkItem) again = NULL;
        g_autofree char *bad = bad_text (bad_bytes[i]);
        g_autofree char *named = g_strdup_printf ("(%s)", raw_fields[field].name);
        g_autofree char *before = gk_item_get_field (stored, raw_fields[field].name);
        g_autofree char *after = NULL;

        g_assert_no_error (error);
        set_raw (edited, field, bad);
        g_assert_false (gk_store_update_item (f->store, "drafter", edited, &error));
        assert_invalid_naming (&error, named);

        again = gk_store_get_item (f->store, f->item_id, &error);
        g_assert_no_error (error);
        after = gk_item_get_field (again, raw_fields[field].name);
        g_assert_cmpstr (after, ==, before);
        assert_json_parses (again);
        g_assert_cmpint (assert_audit_intact (f->store), ==, n_entries);
      }

  /* The good values go in, each an audited edit that verifies. */
  {
    g_autoptr(GkItem) stored = gk_store_get_item (f->store, f->item_id, &error);
    g_autoptr(GkItem) edited = gk_item_copy (stored);

    for (guint field = 0; field < G_N_ELEMENTS (raw_fields); field++)
      if (raw_fields[field].good != NULL && strcmp (raw_fields[field].name, "index_no") != 0)
        set_raw (edited, field, raw_fields[field].good);
    g_assert_true (gk_store_update_item (f->store, "drafter", edited, &error));
    g_assert_no_error (error);
    g_assert_cmpint (assert_audit_intact (f->store), ==, n_entries + 1);
  }

  /* A new item: bad bytes in a field or in the file name are refused. */
  for (guint field = 0; field < G_N_ELEMENTS (raw_fields); field++)
    for (guint i = 0; bad_bytes[i] != NULL; i++)
      {
        g_autoptr(GkItem) item = gk_item_new ();
        g_autofree char *bad = bad_text (bad_bytes[i]);
        g_autofree char *named = g_strdup_printf ("(%s)", raw_fields[field].name);

        set_raw (item, field, bad);
        g_assert_false (gk_store_insert_item (f->store, "drafter", item, NULL, 0, NULL, &error));
        assert_invalid_naming (&error, named);
      }
  {
    g_autoptr(GkItem) item = gk_item_new ();

    item->title = g_strdup ("标题");
    item->file_name = g_strdup ("报告\xff.pdf");
    g_assert_false (gk_store_insert_item (f->store, "drafter", item, NULL, 0, NULL, &error));
    assert_invalid_naming (&error, "file.name");
  }
  g_assert_cmpint (assert_audit_intact (f->store), ==, n_entries + 1);

  /* Page text that is not UTF-8 is kept, with U+FFFD for the bad bytes. */
  {
    g_autoptr(GkItem) item = gk_item_new ();
    g_autofree char *bad = bad_text ("\xed\xa0\x80");
    const char *pages[] = { bad };
    g_auto(GStrv) kept = NULL;

    item->title = g_strdup ("页面");
    g_assert_true (gk_store_insert_item (f->store, "drafter", item, pages, 1, NULL, &error));
    g_assert_no_error (error);
    kept = gk_store_get_page_texts (f->store, item->id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (kept[0], ==, "关于" REPLACEMENT REPLACEMENT REPLACEMENT "通知");
  }
  assert_audit_intact (f->store);
}

static void
test_store_names_and_reasons (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 n_entries = assert_audit_intact (f->store);

  for (guint i = 0; bad_bytes[i] != NULL; i++)
    {
      g_autofree char *bad = bad_text (bad_bytes[i]);
      g_autofree char *user = g_strconcat ("zhang", bad_bytes[i], NULL);
      g_autoptr(GkTag) tag = NULL;
      g_autoptr(GkItem) stored = gk_store_get_item (f->store, f->item_id, &error);
      g_autoptr(GkItem) edited = gk_item_copy (stored);
      GkDismissal dismissal = { 1, bad };
      gint64 finding = 0;
      char *reason = NULL;

      /* Members and the acting user. */
      g_assert_false (gk_store_set_member (f->store, "admin", user, GK_ROLE_DRAFTER, &error));
      assert_invalid_naming (&error, "user name");
      g_assert_false (gk_store_set_member (f->store, user, "li", GK_ROLE_DRAFTER, &error));
      assert_invalid_naming (&error, "acting user");
      g_assert_true (gk_item_set_field (edited, "summary", "新的概述", &error));
      g_assert_false (gk_store_update_item (f->store, user, edited, &error));
      assert_invalid_naming (&error, "acting user");

      /* The tag catalog, and tags set on an item. */
      tag = gk_store_add_tag (f->store, "admin", bad, NULL, &error);
      g_assert_null (tag);
      assert_invalid_naming (&error, "tag name");
      g_assert_false (gk_store_rename_tag (f->store, "admin", "政务公开", bad, &error));
      assert_invalid_naming (&error, "tag name");
      g_strfreev (edited->tags);
      edited->tags = g_strsplit (bad, ",", -1);
      g_assert_false (gk_store_update_item (f->store, "drafter", edited, &error));
      assert_invalid_naming (&error, "(tags)");

      /* A reviewer's comment, a dismissal's reason, a withdrawal's. */
      g_assert_false (gk_workflow_review (f->store, "admin", f->item_id, GK_REVIEW_RETURN, bad, NULL, 0, &error));
      assert_invalid_naming (&error, "comment");
      g_assert_false (gk_workflow_review (f->store, "admin", f->item_id, GK_REVIEW_DISMISS_ONLY, NULL,
                                          &dismissal, 1, &error));
      assert_invalid_naming (&error, "#1");
      g_assert_false (gk_workflow_parse_dismissal (bad, &finding, &reason, &error));
      g_assert_null (reason);
      g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_false (gk_store_sync_withdraw_item (f->store, "admin", f->item_id, bad, NULL, &error));
      assert_invalid_naming (&error, "withdrawal");

      /* Any other entry: the audit writer is the last guard. */
      {
        g_autoptr(JsonObject) details = json_object_new ();

        json_object_set_string_member (details, "note", bad);
        g_assert_false (gk_store_audit_append (f->store, "admin", "export", f->item_id, details, &error));
        assert_invalid_naming (&error, "note");
        g_assert_false (gk_store_audit_append (f->store, user, "export", f->item_id, NULL, &error));
        assert_invalid_naming (&error, "acting user");
      }
      g_assert_cmpint (assert_audit_intact (f->store), ==, n_entries);
    }
  {
    g_autoptr(GPtrArray) tags = gk_store_list_tags (f->store, TRUE);

    g_assert_cmpuint (tags->len, ==, 1);
  }
}

/* Another program wrote bytes that are no UTF-8 into the database: they
 * are read back replaced, the item can still be edited and the audit
 * still verifies. */
static void
test_store_reads_replaced (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = NULL;
  g_autoptr(GkItem) edited = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *value = NULL;
  g_auto(GStrv) pages = NULL;
  gint64 n_entries;

  sql = g_strdup_printf ("UPDATE items SET title = CAST (X'e585b3e4ba8eff' AS TEXT), "
                         "audience = CAST (X'5b22e4bc81eda080225d' AS TEXT) WHERE id = '%s'; "
                         "UPDATE pages SET text = CAST (X'41004280' AS TEXT) WHERE item_id = '%s'; "
                         "INSERT INTO settings (key, value) VALUES ('agency_name', CAST (X'e4b88aff' AS TEXT));",
                         f->item_id, f->item_id);
  raw_exec (f, sql);
  n_entries = assert_audit_intact (f->store);

  item = gk_store_get_item (f->store, f->item_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item->title, ==, "关于" REPLACEMENT);
  g_assert_cmpuint (g_strv_length (item->audience), ==, 1);
  g_assert_true (g_utf8_validate (item->audience[0], -1, NULL));
  assert_json_parses (item);
  pages = gk_store_get_page_texts (f->store, f->item_id, &error);
  g_assert_cmpstr (pages[0], ==, "A" REPLACEMENT "B" REPLACEMENT);
  value = gk_store_get_setting (f->store, "agency_name");
  g_assert_cmpstr (value, ==, "上" REPLACEMENT);

  /* The edit records the old title as it was read: the entry verifies. */
  edited = gk_item_copy (item);
  g_assert_true (gk_item_set_field (edited, "title", "关于印发的通知", &error));
  g_assert_true (gk_store_update_item (f->store, "drafter", edited, &error));
  g_assert_no_error (error);
  g_assert_cmpint (assert_audit_intact (f->store), ==, n_entries + 1);
}

/* A library that an earlier version let such bytes into (an edit of
 * summary=\xff\xfe): its entries were hashed over the bytes as they
 * were, and still verify; changing one of those bytes is still found. */
static void
test_audit_legacy_entry (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = gk_store_audit_log (f->store, NULL, &error);
  GkAuditEntry *last = g_ptr_array_index (log, log->len - 1);
  const char *details = "{\"revision\":1,\"changes\":{\"summary\":{\"old\":null,\"new\":\"\xff\xfe\"}}}";
  g_autofree char *canonical = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GString) quoted = g_string_new (NULL);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gint64 seq = last->seq + 1;
  gint64 first_bad = 0, n = 0;

  /* As gk-store-audit.c describes the chain: SHA-256 (prev ‖ canonical). */
  canonical = g_strdup_printf ("[%" G_GINT64_FORMAT ",\"2024-05-06T08:00:00.000Z\",\"drafter\",\"edit\",\"%s\",%s]",
                               seq, f->item_id, details);
  g_checksum_update (checksum, (const guchar *) last->hash, -1);
  g_checksum_update (checksum, (const guchar *) canonical, -1);
  for (const char *p = details; *p; p++)
    g_string_append_printf (quoted, "%02x", (guchar) *p);
  sql = g_strdup_printf ("INSERT INTO audit (seq, at, actor, action, item_id, details, prev_hash, hash) "
                         "VALUES (%" G_GINT64_FORMAT ", '2024-05-06T08:00:00.000Z', 'drafter', 'edit', '%s', "
                         "CAST (X'%s' AS TEXT), '%s', '%s'); "
                         "UPDATE audit_head SET seq = %" G_GINT64_FORMAT ", hash = '%s' WHERE id = 1;",
                         seq, f->item_id, quoted->str, last->hash, g_checksum_get_string (checksum),
                         seq, g_checksum_get_string (checksum));
  raw_exec (f, sql);

  g_assert_cmpint (assert_audit_intact (f->store), ==, seq);
  /* What is read and printed of it is valid text. */
  {
    g_autoptr(GPtrArray) again = gk_store_audit_log (f->store, f->item_id, &error);
    GkAuditEntry *entry = g_ptr_array_index (again, again->len - 1);

    g_assert_cmpint (entry->seq, ==, seq);
    g_assert_true (g_utf8_validate (entry->details, -1, NULL));
    g_assert_nonnull (strstr (entry->details, REPLACEMENT REPLACEMENT));
  }
  /* New entries chain on. */
  g_assert_true (gk_store_set_setting (f->store, "admin", "agency_name", "上海市应急管理局", &error));
  g_assert_no_error (error);
  g_assert_cmpint (assert_audit_intact (f->store), ==, seq + 1);

  /* One byte of the old entry changed: found. */
  g_free (sql);
  sql = g_strdup_printf ("DROP TRIGGER IF EXISTS audit_no_update; "
                         "UPDATE audit SET details = CAST (replace (CAST (details AS BLOB), X'fffe', X'fefe') AS TEXT) "
                         "WHERE seq = %" G_GINT64_FORMAT ";",
                         seq);
  raw_exec (f, sql);
  g_assert_false (gk_store_audit_verify (f->store, &first_bad, &n, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_DAMAGED);
  g_assert_cmpint (first_bad, ==, seq);
}

/* ---- settings ---- */

static void
assert_setting_refused (Fixture       *f,
                        const char    *key,
                        const char    *value,
                        GkSettingFlags flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) checked = NULL;
  g_autofree char *before = gk_store_get_setting (f->store, key);
  g_autofree char *after = NULL;

  g_assert_false (gk_store_check_setting (f->store, key, value, flags, &checked));
  g_assert_false (gk_store_set_setting_full (f->store, "admin", key, value, flags, &error));
  g_assert_cmpstr (error->message, ==, checked->message);
  assert_invalid_naming (&error, key);
  after = gk_store_get_setting (f->store, key);
  g_assert_cmpstr (after, ==, before);
}

static void
assert_setting_kept (Fixture       *f,
                     const char    *key,
                     const char    *value,
                     GkSettingFlags flags)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;

  g_assert_true (gk_store_check_setting (f->store, key, value, flags, &error));
  g_assert_true (gk_store_set_setting_full (f->store, "admin", key, value, flags, &error));
  g_assert_no_error (error);
  after = gk_store_get_setting (f->store, key);
  g_assert_cmpstr (after, ==, value);
}

static void
test_settings_rules (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 n_entries = assert_audit_intact (f->store);

  /* Every setting refuses bytes that are no UTF-8. */
  for (const char *const *key = gk_setting_keys (); *key != NULL; key++)
    for (guint i = 0; bad_bytes[i] != NULL; i++)
      {
        g_autofree char *bad = bad_text (bad_bytes[i]);

        assert_setting_refused (f, *key, bad, GK_SETTING_FLAGS_NONE);
      }

  /* Unknown names and secrets are refused; an admin is needed first. */
  g_assert_false (gk_store_set_setting (f->store, "admin", "colour", "red", &error));
  assert_invalid_naming (&error, "colour");
  g_assert_false (gk_store_set_setting (f->store, "admin", "portal_token", "abc", &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (gk_store_set_setting (f->store, "drafter", "org_code", "a\nb", &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);

  /* org_code: the 前段码 of the 索引号 (domain.md 1.1), check character
   * included. */
  for (const char *const *code = (const char *const[]) { "000014349", "00001434-9", "014236727",
                                                         "11500107709320298K", "11330700MB10327095",
                                                         NULL }; *code; code++)
    assert_setting_kept (f, "org_code", *code, GK_SETTING_FLAGS_NONE);
  for (const char *const *code = (const char *const[]) { "a\nb", "123456789", "00001434-8", "0000143-49",
                                                         "11500107709320298k", "11500107709320298A",
                                                         "11310000MB2F", "000014349 ", "{org}", "机构代码",
                                                         "000014349000014349000014349", NULL }; *code; code++)
    assert_setting_refused (f, "org_code", *code, GK_SETTING_FLAGS_NONE);

  /* index_template: it must make an 索引号 the record accepts, with the
   * org_code it goes with. */
  assert_setting_kept (f, "org_code", "000014349", GK_SETTING_FLAGS_NONE);
  assert_setting_kept (f, "index_template", "{org_code}/{year}-{seq:05}", GK_SETTING_FLAGS_NONE);
  assert_setting_kept (f, "index_template", "SHYJ-{year}-{seq:06}", GK_SETTING_FLAGS_NONE);
  for (const char *const *t = (const char *const[]) { "{org_code}\n{year}-{seq}", "{org_code}\t{seq}",
                                                      "{org_code}/{year}", "{org}/{seq}", "{seq",
                                                      "{org_code}/{year}-{seq:05}-"
                                                      "01234567890123456789012345678901234567890123456789",
                                                      NULL }; *t; t++)
    assert_setting_refused (f, "index_template", *t, GK_SETTING_FLAGS_NONE);
  assert_setting_kept (f, "index_template", "{org_code}{org_code}{org_code}{org_code}-{seq}",
                       GK_SETTING_FLAGS_NONE);
  /* An 18-character code would make that template's numbers too long. */
  assert_setting_refused (f, "org_code", "11500107709320298K", GK_SETTING_FLAGS_NONE);
  assert_setting_kept (f, "index_template", "{org_code}/{year}-{seq:05}", GK_SETTING_FLAGS_NONE);

  /* agency_name: one line of at most 200 characters. */
  assert_setting_kept (f, "agency_name", "上海市应急管理局", GK_SETTING_FLAGS_NONE);
  assert_setting_refused (f, "agency_name", "上海市\n应急管理局", GK_SETTING_FLAGS_NONE);
  assert_setting_refused (f, "agency_name", "上海市\x01应急管理局", GK_SETTING_FLAGS_NONE);
  {
    g_autoptr(GString) name = g_string_new (NULL);

    for (guint i = 0; i < 201; i++)
      g_string_append (name, "局");
    assert_setting_refused (f, "agency_name", name->str, GK_SETTING_FLAGS_NONE);
  }

  /* review_stages: 1 or 2. */
  assert_setting_kept (f, "review_stages", "1", GK_SETTING_FLAGS_NONE);
  assert_setting_refused (f, "review_stages", "3", GK_SETTING_FLAGS_NONE);
  assert_setting_refused (f, "review_stages", "two", GK_SETTING_FLAGS_NONE);

  /* portal_url: exactly what the sync accepts (gk_portal_check_url). */
  for (const char *const *url = (const char *const[]) { "https://portal.example.gov.cn/api/v1",
                                                        "http://127.0.0.1:8080/api/v1", "http://[::1]/api/v1",
                                                        "http://localhost/api/v1", "http://10.0.0.1/api/v1",
                                                        "http://portal.example.gov.cn/api/v1",
                                                        "ftp://portal.example.gov.cn/api",
                                                        "https://user:pw@portal.example.gov.cn/api",
                                                        "https://portal.example.gov.cn/api?x=1",
                                                        "https://portal.example.gov.cn/api#top",
                                                        "portal.example.gov.cn", "https://", NULL };
       *url; url++)
    for (int insecure = 0; insecure <= 1; insecure++)
      {
        g_autoptr(GError) sync_error = NULL;
        GkSettingFlags flags = insecure ? GK_SETTING_ALLOW_INSECURE : GK_SETTING_FLAGS_NONE;

        if (gk_portal_check_url (*url, insecure, &sync_error))
          assert_setting_kept (f, "portal_url", *url, flags);
        else
          assert_setting_refused (f, "portal_url", *url, flags);
      }
  assert_setting_refused (f, "portal_url", "http://10.0.0.1/api/v1", GK_SETTING_FLAGS_NONE);
  assert_setting_kept (f, "portal_url", "http://10.0.0.1/api/v1", GK_SETTING_ALLOW_INSECURE);

  /* portal_ca_file: a file the portal client can load, by its full path. */
  {
    g_autofree char *pem = g_build_filename (f->dir, "ca.pem", NULL);
    g_autofree char *not_pem = g_build_filename (f->dir, "library.db", NULL);
    g_autofree char *missing = g_build_filename (f->dir, "missing.pem", NULL);
    g_autofree char *openssl = g_find_program_in_path ("openssl");

    assert_setting_refused (f, "portal_ca_file", "ca.pem", GK_SETTING_FLAGS_NONE);
    assert_setting_refused (f, "portal_ca_file", not_pem, GK_SETTING_FLAGS_NONE);
    assert_setting_refused (f, "portal_ca_file", missing, GK_SETTING_FLAGS_NONE);
    if (openssl != NULL)
      {
        g_autofree char *command =
          g_strdup_printf ("openssl req -x509 -newkey rsa:2048 -nodes -keyout '%s/ca.key' -out '%s' "
                           "-days 2 -subj /CN=Gongkai-Test-CA", f->dir, pem);
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;
        int status = 0;

        g_assert_true (g_spawn_command_line_sync (command, &out, &err, &status, &error));
        g_assert_no_error (error);
        if (g_spawn_check_wait_status (status, NULL))
          assert_setting_kept (f, "portal_ca_file", pem, GK_SETTING_FLAGS_NONE);
      }
  }

  /* sensitive_words: split as the screening splits them. */
  assert_setting_kept (f, "sensitive_words", "内部资料\n不得外传、工作秘密", GK_SETTING_FLAGS_NONE);
  assert_setting_refused (f, "sensitive_words", "内部\x01资料", GK_SETTING_FLAGS_NONE);
  {
    g_autoptr(GString) word = g_string_new (NULL);

    for (guint i = 0; i < 101; i++)
      g_string_append (word, "密");
    assert_setting_refused (f, "sensitive_words", word->str, GK_SETTING_FLAGS_NONE);
    g_string_truncate (word, 0);
    for (guint i = 0; i < 10001; i++)
      g_string_append_printf (word, "词%u\n", i);
    assert_setting_refused (f, "sensitive_words", word->str, GK_SETTING_FLAGS_NONE);
  }

  /* Blank still goes back to the default. */
  assert_setting_kept (f, "review_stages", "2", GK_SETTING_FLAGS_NONE);
  g_assert_true (gk_store_set_setting (f->store, "admin", "review_stages", "", &error));
  g_assert_no_error (error);

  g_assert_cmpint (assert_audit_intact (f->store), >, n_entries);
}

/* ---- import ---- */

static GkImportResult *
import_path (Fixture    *f,
             const char *path)
{
  g_autoptr(GkImporter) importer = gk_importer_new (f->store, "drafter");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { path, NULL };

  results = gk_importer_import_sync (importer, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  return g_ptr_array_steal_index (results, 0);
}

/* A file whose name is not UTF-8 (a USB stick from another system) is
 * imported; its name is kept readable. */
static void
test_import_file_name (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *inbox = g_build_filename (f->dir, "inbox \xff", NULL);
  g_autofree char *path = g_build_filename (inbox, "报告\xff\xfe.pdf", NULL);
  g_autoptr(GkImportResult) result = NULL;
  g_autoptr(GkItem) item = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) log = NULL;

  g_mkdir_with_parents (inbox, 0700);
  g_assert_true (gk_fixture_write_long_pdf (path, 1, &error));
  g_assert_no_error (error);

  result = import_path (f, path);
  if (result->status != GK_IMPORT_IMPORTED)
    g_error ("not imported: %s", result->error);
  item = gk_store_get_item (f->store, result->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item->file_name, ==, "报告" REPLACEMENT REPLACEMENT ".pdf");
  assert_json_parses (item);

  json = gk_import_result_to_json (result);
  text = gk_json_to_string (json, FALSE);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (strstr (text, "报告" REPLACEMENT REPLACEMENT ".pdf"));

  log = gk_store_audit_log (f->store, item->id, &error);
  g_assert_cmpstr (((GkAuditEntry *) g_ptr_array_index (log, 0))->action, ==, "import");
  assert_audit_intact (f->store);

  /* A name that does not exist is reported readably too. */
  {
    g_autofree char *gone = g_build_filename (inbox, "gone\xff.pdf", NULL);
    g_autoptr(GkImportResult) missing = import_path (f, gone);

    g_assert_cmpint (missing->status, ==, GK_IMPORT_FAILED);
    g_assert_true (g_utf8_validate (missing->error, -1, NULL));
  }
}

/* The PDF reader runs in its own process because PDFs are hostile; a
 * reader that was taken over must still not bring bytes that are no
 * UTF-8 into the library (JSON escapes decode to them: "\ud800"). */
static void
test_import_reader_answer (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *helper = g_build_filename (f->dir, "reader.sh", NULL);
  g_autofree char *pdf = g_build_filename (f->dir, "hostile.pdf", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("GONGKAI_EXTRACT_HELPER"));
  g_autoptr(GkImportResult) result = NULL;
  g_auto(GStrv) pages = NULL;

  g_assert_true (g_file_set_contents (helper,
                                      "#!/bin/sh\n"
                                      /* As gongkai-extract does: the password first (a
                                       * helper gone before it is written is a broken pipe). */
                                      "read -r password\n"
                                      "cat <<'EOF'\n"
                                      "{\"has_text\":true,\"first_page_ok\":true,\"title\":\"T\\ud800x\","
                                      "\"pages\":[\"关于印发\\ud800的通知\\n上海市应急管理局\",\"第二页\\udbff页\"]}\n"
                                      "EOF\n",
                                      -1, &error));
  g_chmod (helper, 0700);
  g_assert_true (gk_fixture_write_long_pdf (pdf, 2, &error));
  g_assert_no_error (error);

  g_setenv ("GONGKAI_EXTRACT_HELPER", helper, TRUE);
  g_unsetenv ("GONGKAI_EXTRACT_IN_PROCESS");
  result = import_path (f, pdf);
  if (saved)
    g_setenv ("GONGKAI_EXTRACT_HELPER", saved, TRUE);
  else
    g_unsetenv ("GONGKAI_EXTRACT_HELPER");

  if (result->status != GK_IMPORT_IMPORTED)
    g_error ("not imported: %s", result->error);
  pages = gk_store_get_page_texts (f->store, result->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (pages), ==, 2);
  for (guint i = 0; pages[i] != NULL; i++)
    {
      g_assert_true (g_utf8_validate (pages[i], -1, NULL));
      g_assert_nonnull (strstr (pages[i], REPLACEMENT));
    }
  {
    g_autoptr(GkItem) item = gk_store_get_item (f->store, result->id, &error);

    g_assert_no_error (error);
    assert_json_parses (item);
  }
  assert_audit_intact (f->store);
}

/* A PDF whose text maps glyphs to surrogates and to U+0000, and whose
 * info dictionary holds strings that are no text (a lone surrogate in
 * UTF-16, a bare byte-order mark). */
static const char hostile_cmap[] =
  "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
  "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
  "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
  "5 beginbfchar\n<41> <D800>\n<42> <0000>\n<43> <0043>\n<44> <DFFF>\n<45> <0045>\nendbfchar\n"
  "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

static void
write_hostile_pdf (const char *path)
{
  g_autoptr(GString) pdf = g_string_new ("%PDF-1.4\n");
  g_autoptr(GError) error = NULL;
  const char *content = "BT /F1 24 Tf 72 720 Td (ABCDE) Tj ET";
  g_autofree char *objects[7] = { NULL };
  gsize offsets[7];
  gsize xref;

  objects[0] = g_strdup ("<< /Type /Catalog /Pages 2 0 R >>");
  objects[1] = g_strdup ("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  objects[2] = g_strdup ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                         "/Resources << /Font << /F1 5 0 R >> >> >>");
  objects[3] = g_strdup_printf ("<< /Length %zu >>\nstream\n%s\nendstream", strlen (content), content);
  objects[4] = g_strdup ("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>");
  objects[5] = g_strdup_printf ("<< /Length %zu >>\nstream\n%sendstream", strlen (hostile_cmap), hostile_cmap);
  objects[6] = g_strdup ("<< /Title <FEFFD8000041> /Author (\\377\\376x) /Keywords <FEFFDC00> >>");
  for (guint i = 0; i < 7; i++)
    {
      offsets[i] = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj\n%s\nendobj\n", i + 1, objects[i]);
    }
  xref = pdf->len;
  g_string_append (pdf, "xref\n0 8\n0000000000 65535 f \n");
  for (guint i = 0; i < 7; i++)
    g_string_append_printf (pdf, "%010zu 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size 8 /Root 1 0 R /Info 7 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
  g_assert_true (g_file_set_contents (path, pdf->str, (gssize) pdf->len, &error));
  g_assert_no_error (error);
}

static void
test_import_hostile_text (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "hostile-text.pdf", NULL);

  write_hostile_pdf (pdf);

  /* In process and in the reader process alike. */
  for (int isolated = 0; isolated <= 1; isolated++)
    {
      g_autoptr(GkPdfText) text = NULL;

      if (isolated)
        text = gk_pdf_extract_isolated (pdf, NULL, NULL, &error);
      else
        text = gk_pdf_extract (pdf, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (text->n_pages, ==, 1);
      g_assert_true (g_utf8_validate (text->pages[0], -1, NULL));
      g_assert_nonnull (strstr (text->pages[0], "C"));
      g_assert_nonnull (strstr (text->pages[0], "E"));
      g_assert_true (text->title == NULL || g_utf8_validate (text->title, -1, NULL));
    }

  {
    g_autoptr(GkImportResult) result = import_path (f, pdf);
    g_auto(GStrv) pages = NULL;

    if (result->status != GK_IMPORT_IMPORTED)
      g_error ("not imported: %s", result->error);
    pages = gk_store_get_page_texts (f->store, result->id, &error);
    g_assert_true (g_utf8_validate (pages[0], -1, NULL));
  }
  assert_audit_intact (f->store);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  g_test_add_func ("/input/utf8-helpers", test_utf8_helpers);
  g_test_add_func ("/input/item-fields", test_item_fields);
  ADD ("/input/store-items", test_store_items);
  ADD ("/input/store-names-and-reasons", test_store_names_and_reasons);
  ADD ("/input/store-reads-replaced", test_store_reads_replaced);
  ADD ("/input/audit-legacy-entry", test_audit_legacy_entry);
  ADD ("/input/settings-rules", test_settings_rules);
  ADD ("/input/import-file-name", test_import_file_name);
  ADD ("/input/import-reader-answer", test_import_reader_answer);
  ADD ("/input/import-hostile-text", test_import_hostile_text);
#undef ADD
  return g_test_run ();
}
