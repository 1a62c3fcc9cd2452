/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestSearch"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "gk-calendar.h"
#include "gk-item.h"
#include "gk-store.h"
#include "gk-store-private.h"
#include "gk-util.h"

/* Listing, filters and full-text search (FTS5 trigram plus LIKE for
 * one- and two-character Chinese terms) on a real library. */

typedef struct
{
  char      *dir;
  GkStore   *store;
  GPtrArray *items;   /* GkItem*, in insertion order */
} Fixture;

typedef struct
{
  const char *title;
  const char *doc_number;
  const char *issuer;
  const char *written_date;
  const char *body;
  const char *category;
  const char *tags;
  const char *actor;
  const char *state;          /* set directly afterwards, NULL = draft */
  const char *disclosure;
  const char *effective_until;
} Doc;

static const Doc docs[] = {
  /* 0 */ { "上海市应急管理局关于印发2023年政务公开工作要点的通知", "沪应急办〔2023〕20号", "上海市应急管理局",
           "2023-04-10", "各区应急管理局：现将政务公开工作要点印发给你们。应急管理 应急管理 应急管理。",
           "policy_document", "工作要点", "drafter", NULL, "proactive", NULL },
  /* 1 */ { "关于做好企业税费优惠政策落实工作的通知", "沪财税〔2024〕3号", "上海市财政局",
           "2024-01-15", "减税降费，落实增值税留抵退税政策。", "policy_document", "财政", "drafter", "in_review",
           "proactive", NULL },
  /* 2 */ { "上海市安全生产事故隐患排查治理办法", "沪应急规〔2022〕1号", "上海市应急管理局",
           "2022-06-01", "为了加强安全生产事故隐患排查治理，制定本办法。本办法有效期五年。",
           "normative_document", "行政规范性文件", "drafter2", "published", "proactive", "2027-05-31" },
  /* 3 */ { "上海市生产安全事故应急预案", "沪府办〔2021〕7号", "上海市人民政府办公厅",
           "2021-09-01", "本预案适用于本市行政区域内生产安全事故的应对工作。", "emergency_plan", NULL,
           "drafter2", "approved", "proactive", "2025-04-30" },
  /* 4 */ { "关于2024年度部门预算的说明", NULL, "上海市应急管理局",
           "2024-02-20", "部门预算收支总表；部门预算说明。", "finance", "财政", "drafter", NULL, "proactive", NULL },
  /* 5 */ { "内部工作流程规定", "沪应急办〔2025〕2号", "上海市应急管理局",
           "2025-02-17", "内部事务信息。", "other", NULL, "drafter", NULL, "withheld", NULL },
  /* 6 */ { "关于开展100%覆盖检查的通知", "沪应急办〔2025〕5号", "上海市应急管理局",
           "2025-02-24", "检查覆盖率达到100%，a_b 字段。", "policy_document", NULL, "drafter", NULL, "proactive",
           "2025-03-20" },
  /* 7 */ { "关于\"双随机\"抽查的公告", "沪应急办〔2025〕6号", "上海市应急管理局",
           "2025-02-25", "双随机、一公开。", "enforcement", NULL, "drafter2", "returned", "proactive", NULL },
};

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static void
raw_exec (const char *dir,
          const char *sql)
{
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQL failed: %s: %s", sql, message);
  sqlite3_close (db);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkTag) t1 = NULL, t2 = NULL, t3 = NULL, t4 = NULL, t5 = NULL;

  fixture->dir = g_dir_make_tmp ("gk-test-search-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = gk_store_open (fixture->dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (gk_store_set_member (fixture->store, "admin", "admin", GK_ROLE_ADMIN, &error));
  g_assert_true (gk_store_set_member (fixture->store, "admin", "drafter", GK_ROLE_DRAFTER, &error));
  g_assert_true (gk_store_set_member (fixture->store, "admin", "drafter2", GK_ROLE_DRAFTER, &error));
  t1 = gk_store_add_tag (fixture->store, "admin", "政策文件", NULL, &error);
  t2 = gk_store_add_tag (fixture->store, "admin", "行政规范性文件", "政策文件", &error);
  t3 = gk_store_add_tag (fixture->store, "admin", "政务公开", NULL, &error);
  t4 = gk_store_add_tag (fixture->store, "admin", "工作要点", "政务公开", &error);
  t5 = gk_store_add_tag (fixture->store, "admin", "财政", NULL, &error);
  g_assert_no_error (error);

  fixture->items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      const Doc *doc = &docs[i];
      GkItem *item = gk_item_new ();
      const char *pages[] = { doc->body, "附件：无" };

      item->title = g_strdup (doc->title);
      item->doc_number = g_strdup (doc->doc_number);
      item->issuer = g_strdup (doc->issuer);
      item->written_date = g_strdup (doc->written_date);
      item->category = g_strdup (doc->category);
      item->disclosure = g_strdup (doc->disclosure);
      item->effective_until = g_strdup (doc->effective_until);
      item->tags = gk_strv_from_list (doc->tags);
      g_assert_true (gk_store_insert_item (fixture->store, doc->actor, item, pages, 2, NULL, &error));
      g_assert_no_error (error);
      if (doc->state != NULL)
        {
          g_autofree char *sql =
            g_strdup_printf ("UPDATE items SET state = '%s', stage = %s WHERE id = '%s'", doc->state,
                             strcmp (doc->state, "in_review") == 0 ? "'release'" : "NULL", item->id);

          raw_exec (fixture->dir, sql);
        }
      g_ptr_array_add (fixture->items, item);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->items, g_ptr_array_unref);
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static const char *
id_of (Fixture *fixture,
       guint    index)
{
  return ((GkItem *) g_ptr_array_index (fixture->items, index))->id;
}

/* The indexes (in docs[]) of the items a query finds, in its order, as
 * text such as "2,0". */
static char *
found (Fixture       *fixture,
       const GkQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = gk_store_query (fixture->store, query, 0, 0, &error);
  g_auto(GStrv) ids = gk_store_query_ids (fixture->store, query, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, g_strv_length (ids));
  g_assert_cmpuint (gk_store_count (fixture->store, query, &error), ==, items->len);
  for (guint i = 0; i < items->len; i++)
    {
      GkItem *item = g_ptr_array_index (items, i);

      g_assert_cmpstr (item->id, ==, ids[i]);
      for (guint j = 0; j < fixture->items->len; j++)
        if (strcmp (id_of (fixture, j), item->id) == 0)
          g_string_append_printf (out, "%s%u", out->len ? "," : "", j);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
search (Fixture    *fixture,
        const char *text)
{
  GkQuery query = { .text = text, .sort = "written_date" };

  return found (fixture, &query);
}

/* ---- text search ---- */

static void
test_long_terms (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *a = search (fixture, "政务公开");
  g_autofree char *b = search (fixture, "隐患排查");
  g_autofree char *c = search (fixture, "不存在的词语");
  g_autofree char *d = search (fixture, "上海市财政局");
  g_autofree char *e = search (fixture, "留抵退税");

  g_assert_cmpstr (a, ==, "0");
  g_assert_cmpstr (b, ==, "2");
  g_assert_cmpstr (c, ==, "");
  g_assert_cmpstr (d, ==, "1");     /* issuer */
  g_assert_cmpstr (e, ==, "1");     /* body */
}

static void
test_short_terms (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *one = search (fixture, "税");
  g_autofree char *two = search (fixture, "预案");
  g_autofree char *two_b = search (fixture, "应急");
  g_autofree char *percent = search (fixture, "%");
  g_autofree char *underscore = search (fixture, "_");
  g_autofree char *latin = search (fixture, "A_");

  g_assert_cmpstr (one, ==, "1");
  g_assert_cmpstr (two, ==, "3");
  /* 应急 is in the issuer or the 文号 of most: and in the body of 3. */
  g_assert_cmpstr (two_b, ==, "3,2,0,4,5,6,7");
  /* LIKE wildcards are plain characters. */
  g_assert_cmpstr (percent, ==, "6");
  g_assert_cmpstr (underscore, ==, "6");
  g_assert_cmpstr (latin, ==, "6");
}

static void
test_mixed_terms (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *a = search (fixture, "应急 预案");
  g_autofree char *b = search (fixture, "上海市 税");
  g_autofree char *c = search (fixture, "安全生产  事故\u3000隐患");
  g_autofree char *d = search (fixture, "部门预算 税");
  g_autofree char *e = search (fixture, "〔2025〕");
  g_autofree char *f = search (fixture, "沪应急办〔2023〕20号");
  g_autofree char *g = search (fixture, "\"双随机\"");
  g_autofree char *h = search (fixture, "AND OR NOT *");
  g_autofree char *i = search (fixture, "   ");

  g_assert_cmpstr (a, ==, "3");
  g_assert_cmpstr (b, ==, "1");
  g_assert_cmpstr (c, ==, "2");
  g_assert_cmpstr (d, ==, "");
  g_assert_cmpstr (e, ==, "5,6,7");
  g_assert_cmpstr (f, ==, "0");
  /* Quotes and FTS5 operators are text, not syntax. */
  g_assert_cmpstr (g, ==, "7");
  g_assert_cmpstr (h, ==, "");
  g_assert_cmpstr (i, ==, "3,2,0,1,4,5,6,7");
}

static void
test_rank (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GkQuery query = { .text = "应急管理" };
  g_autoptr(GPtrArray) items = gk_store_query (fixture->store, &query, 0, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, >=, 4);
  /* The 要点 says 应急管理 in its title, issuer and body, again and again. */
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (items, 0))->id, ==, id_of (fixture, 0));
}

/* ---- filters ---- */

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  struct
  {
    GkQuery     query;
    const char *expected;
  } cases[] = {
    { { .state = GK_QUERY_DRAFT, .sort = "written_date" }, "0,4,5,6" },
    { { .state = GK_QUERY_IN_REVIEW }, "1" },
    { { .state = GK_QUERY_IN_REVIEW, .stage = "release" }, "1" },
    { { .stage = "confidentiality" }, "" },
    { { .state = GK_QUERY_PUBLISHED }, "2" },
    { { .tag = "财政", .sort = "written_date" }, "1,4" },
    /* A tag finds the items under its children too. */
    { { .tag = "政策文件" }, "2" },
    { { .tag = "政务公开" }, "0" },
    { { .category = "policy_document", .sort = "written_date" }, "0,1,6" },
    { { .from_date = "2024-01-01", .to_date = "2024-12-31", .sort = "written_date" }, "1,4" },
    { { .created_by = "drafter2", .sort = "written_date" }, "3,2,7" },
    /* Today is 2025-03-03: 6 ends 2025-03-20, 3 ends 2025-04-30. */
    { { .expiring_before = "2025-05-01", .sort = "written_date" }, "3,6" },
    { { .expiring_before = "2025-04-01" }, "6" },
    { { .category = "policy_document", .text = "通知", .sort = "written_date" }, "0,1,6" },
    { { .state = GK_QUERY_DRAFT, .text = "应急", .tag = "工作要点" }, "0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = found (fixture, &cases[i].query);

      g_test_message ("case %u", i);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

static char *
expected_due_within (Fixture *fixture,
                     int      working_days)
{
  g_autoptr(GkCalendar) calendar = gk_calendar_new_default ();
  g_autoptr(GDate) today = gk_date_parse ("2025-03-03");
  g_autoptr(GDate) limit = gk_calendar_add_working_days (calendar, today, working_days);
  g_autofree char *limit_text = gk_date_format (limit);
  GString *expected = g_string_new (NULL);
  /* Not published, withdrawn or withheld (approved is not public yet);
   * in due-date order. */
  guint order[] = { 3, 0, 1, 4, 6, 7 };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      GkItem *item = g_ptr_array_index (fixture->items, order[i]);

      g_assert_nonnull (item->due_date);
      if (strcmp (item->due_date, limit_text) <= 0)
        g_string_append_printf (expected, "%s%u", expected->len ? "," : "", order[i]);
    }
  return g_string_free (expected, FALSE);
}

static void
test_due (Fixture       *fixture,
          gconstpointer  data)
{
  GkQuery          due = { .state = GK_QUERY_DUE, .sort = "written_date" };
  GkQuery within10 = { .due_within = 10, .sort = "due" };
  GkQuery within20 = { .due_within = 20, .sort = "due" };
  g_autofree char *a = found (fixture, &due);
  g_autofree char *b = found (fixture, &within10);
  g_autofree char *c = found (fixture, &within20);
  g_autofree char *expected10 = expected_due_within (fixture, 10);
  g_autofree char *expected20 = expected_due_within (fixture, 20);

  /* Not published or withdrawn, not withheld: 0 1 3 4 6 7. */
  g_assert_cmpstr (a, ==, "3,0,1,4,6,7");

  /* Today is Monday 2025-03-03.  6 and 7 were written on 24 and 25
   * February: due 20 working days later, in late March. */
  g_assert_cmpstr (b, ==, expected10);
  g_assert_cmpstr (b, ==, "3,0,1,4");
  g_assert_cmpstr (c, ==, expected20);
  g_assert_cmpstr (c, ==, "3,0,1,4,6,7");
}

static void
test_sort_and_paging (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GkQuery by_date = { .sort = "written_date" };
  GkQuery by_date_desc = { .sort = "written_date", .descending = TRUE };
  GkQuery newest = { 0 };
  GkQuery by_state = { .sort = "state" };
  GkQuery bad_sort = { .sort = "colour" };
  GkQuery          bad_state = { .state = (GkQueryState) 99 };
  GkQuery by_doc = { .sort = "doc_number" };
  g_autofree char *a = found (fixture, &by_date);
  g_autofree char *b = found (fixture, &by_date_desc);
  g_autofree char *c = found (fixture, &newest);
  g_autofree char *d = found (fixture, &by_state);
  g_autofree char *e = found (fixture, &by_doc);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) none = NULL;

  g_assert_cmpstr (a, ==, "3,2,0,1,4,5,6,7");
  g_assert_cmpstr (b, ==, "7,6,5,4,1,0,2,3");
  /* Default: newest first. */
  g_assert_cmpstr (c, ==, "7,6,5,4,3,2,1,0");
  /* Lifecycle order, then insertion. */
  g_assert_cmpstr (d, ==, "0,4,5,6,7,1,3,2");
  /* Items without a 文号 come last. */
  g_assert_true (g_str_has_suffix (e, ",4"));

  page = gk_store_query (fixture->store, &by_date, 2, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 3);
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (page, 0))->id, ==, id_of (fixture, 0));
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (page, 2))->id, ==, id_of (fixture, 4));
  g_assert_null (((GkItem *) g_ptr_array_index (page, 0))->findings);
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (page, 0))->tags[0], ==, "工作要点");
  g_clear_pointer (&page, g_ptr_array_unref);
  page = gk_store_query (fixture->store, &by_date, 7, 5, &error);
  g_assert_cmpuint (page->len, ==, 1);

  none = gk_store_query (fixture->store, &bad_sort, 0, 0, &error);
  g_assert_null (none);
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_clear_error (&error);
  none = gk_store_query (fixture->store, &bad_state, 0, 0, &error);
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (gk_store_count (fixture->store, &bad_state, &error), ==, 0);
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_clear_error (&error);

  /* The names the command line and the views use. */
  {
    static const struct
    {
      const char  *name;
      GkQueryState state;
    } names[] = {
      { NULL, GK_QUERY_ANY_STATE },        { "", GK_QUERY_ANY_STATE },
      { "draft", GK_QUERY_DRAFT },         { "in_review", GK_QUERY_IN_REVIEW },
      { "queue", GK_QUERY_IN_REVIEW },     { "returned", GK_QUERY_RETURNED },
      { "approved", GK_QUERY_APPROVED },   { "published", GK_QUERY_PUBLISHED },
      { "withdrawn", GK_QUERY_WITHDRAWN }, { "due", GK_QUERY_DUE },
    };
    GkQueryState parsed = GK_QUERY_DUE;

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_assert_true (gk_query_state_parse (names[i].name, &parsed, &error));
        g_assert_no_error (error);
        g_assert_cmpint (parsed, ==, names[i].state);
      }
    g_assert_cmpint (gk_query_state_for (GK_STATE_WITHDRAWN), ==, GK_QUERY_WITHDRAWN);
    g_assert_false (gk_query_state_parse ("lost", &parsed, &error));
    g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "lost"));
    g_clear_error (&error);
  }

  {
    GkQuery broken = { .text = "应急\xe5\x9b" };

    none = gk_store_query (fixture->store, &broken, 0, 0, &error);
    g_assert_null (none);
    g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  }
}

static void
test_get_items (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *ids[] = { id_of (fixture, 5), "00000000-0000-4000-8000-000000000000", id_of (fixture, 1),
                        id_of (fixture, 5) };
  g_autoptr(GPtrArray) items = gk_store_get_items (fixture->store, ids, G_N_ELEMENTS (ids), &error);

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (items, 0))->id, ==, ids[0]);
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (items, 1))->id, ==, ids[2]);
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (items, 1))->title, ==, docs[1].title);
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (items, 2))->id, ==, ids[0]);
  g_clear_pointer (&items, g_ptr_array_unref);

  items = gk_store_get_items (fixture->store, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 0);
}

static void
test_edit_reindexes (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GkItem *item = g_ptr_array_index (fixture->items, 4);
  g_autofree char *before = search (fixture, "决算");
  g_autofree char *after = NULL;

  g_assert_cmpstr (before, ==, "");
  g_assert_true (gk_item_set_field (item, "title", "关于2024年度部门决算的说明", &error));
  g_assert_true (gk_store_update_item (fixture->store, "drafter", item, &error));
  g_assert_no_error (error);
  after = search (fixture, "决算");
  g_assert_cmpstr (after, ==, "4");
  g_clear_pointer (&after, g_free);
  after = search (fixture, "部门决算");
  g_assert_cmpstr (after, ==, "4");
}

/* ---- a large library ---- */

static void
test_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gk-test-search-XXXXXX", NULL);
  g_autoptr(GkStore) store = gk_store_open (dir, TRUE, &error);
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) hits = NULL;
  g_autoptr(GPtrArray) slice = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  const guint n = 20000;
  GkQuery     drafts = { .state = GK_QUERY_DRAFT, .sort = "written_date", .descending = TRUE };
  GkQuery text = { .text = "编号 00123" };
  GkQuery short_text = { .text = "税" };

  g_assert_no_error (error);
  g_assert_true (gk_store_set_member (store, "admin", "admin", GK_ROLE_ADMIN, &error));

  /* One outer transaction: each insert is a savepoint inside it. */
  {
    g_autoptr(GkStoreLocker) locker = gk_store_priv_lock (store);
    g_autoptr(GkStoreTx) tx = gk_store_priv_begin (store, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(GkItem) item = gk_item_new ();
        g_autofree char *page = g_strdup_printf ("第%u号文件正文，编号 %05u。%s", i, i, i % 100 == 0 ? "税收" : "");
        const char *pages[] = { page };

        item->title = g_strdup_printf ("关于第%u项工作的通知", i);
        item->issuer = g_strdup (i % 2 ? "上海市应急管理局" : "上海市财政局");
        item->written_date = g_strdup_printf ("20%02u-%02u-%02u", 10 + i % 15, 1 + i % 12, 1 + i % 28);
        g_assert_true (gk_store_insert_item (store, "admin", item, pages, 1, NULL, &error));
      }
    g_assert_no_error (error);
    g_assert_true (gk_store_priv_commit (g_steal_pointer (&tx), &error));
    g_assert_no_error (error);
  }
  g_test_message ("inserted %u items in %.2f s", n, g_timer_elapsed (timer, NULL));

  g_timer_start (timer);
  ids = gk_store_query_ids (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids), ==, n);
  g_test_message ("query_ids (all, newest first): %.3f s", g_timer_elapsed (timer, NULL));

  g_timer_start (timer);
  g_clear_pointer (&ids, g_strfreev);
  ids = gk_store_query_ids (store, &drafts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids), ==, n);
  g_test_message ("query_ids (drafts by date): %.3f s", g_timer_elapsed (timer, NULL));

  g_timer_start (timer);
  slice = gk_store_get_items (store, (const char *const *) ids + 5000, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (slice->len, ==, 100);
  for (guint i = 0; i < 100; i++)
    g_assert_cmpstr (((GkItem *) g_ptr_array_index (slice, i))->id, ==, ids[5000 + i]);
  g_test_message ("get_items (100): %.3f s", g_timer_elapsed (timer, NULL));

  g_timer_start (timer);
  hits = gk_store_query_ids (store, &text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (hits), ==, 1);
  g_test_message ("search (trigram + LIKE): %.3f s", g_timer_elapsed (timer, NULL));

  g_timer_start (timer);
  g_assert_cmpuint (gk_store_count (store, &short_text, &error), ==, n / 100);
  g_assert_no_error (error);
  g_test_message ("count (one-character term): %.3f s", g_timer_elapsed (timer, NULL));

  g_clear_object (&store);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GONGKAI_TODAY", "2025-03-03", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/search/long-terms", test_long_terms);
  ADD ("/search/short-terms", test_short_terms);
  ADD ("/search/mixed-terms", test_mixed_terms);
  ADD ("/search/rank", test_rank);
  ADD ("/search/filters", test_filters);
  ADD ("/search/due", test_due);
  ADD ("/search/sort-and-paging", test_sort_and_paging);
  ADD ("/search/get-items", test_get_items);
  ADD ("/search/edit-reindexes", test_edit_reindexes);
  g_test_add_func ("/search/large", test_large);

  return g_test_run ();
}
