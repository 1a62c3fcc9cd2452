/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiGuiTest"

#include "config.h"

#include <string.h>

#include "gk-gui-test.h"
#include "gk-item-list.h"
#include "gk-store.h"
#include "gk-util.h"

/* GkItemList, the lazy list model under the window's document list: a
 * real library in a temp folder, thousands of items, changes made on
 * other threads followed on the main context.  No display needed. */

#define N_ITEMS 2500
#define N_SPECIAL 10

static struct
{
  char    *dir;
  GkStore *store;
} h;

static const char *actor = "tester";

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

#define WAIT_FOR(expr, timeout_ms)                                              \
  G_STMT_START {                                                                \
    gint64 end_ = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000;       \
    guint t_ = g_timeout_add (10, tick_cb, NULL);                               \
    while (!(expr) && g_get_monotonic_time () < end_)                           \
      g_main_context_iteration (NULL, TRUE);                                    \
    g_source_remove (t_);                                                       \
    g_assert_true (expr);                                                       \
  } G_STMT_END

/* The list answers at once and fills in the background. */
static void
wait_loaded (GkItemList *list)
{
  WAIT_FOR (!gk_item_list_is_loading (list), 10000);
}

/* An item at position, once its page is there: the object handed out
 * at once is the one filled in place. */
static GkItem *
get_loaded (GkItemList *list,
            guint       position)
{
  GkItem *item = g_list_model_get_item (G_LIST_MODEL (list), position);

  wait_loaded (list);
  return item;
}

static GkItem *
new_item (guint i)
{
  g_autoptr(GError) error = NULL;
  GkItem *item = gk_item_new ();
  g_autofree char *title = i < N_SPECIAL
                           ? g_strdup_printf ("关于需要找到的第%u份通知", i)
                           : g_strdup_printf ("测试公文 %05u 号通知", i);
  g_autofree char *date = g_strdup_printf ("20%02u-%02u-%02u", 10 + i % 15, 1 + i % 12, 1 + i % 28);

  g_assert_true (gk_item_set_field (item, "title", title, &error));
  g_assert_true (gk_item_set_field (item, "issuer", i % 2 ? "上海市应急管理局" : "上海市财政局", &error));
  g_assert_true (gk_item_set_field (item, "written_date", date, &error));
  g_assert_no_error (error);
  return item;
}

static void
setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 start = g_get_monotonic_time ();

  h.dir = g_dir_make_tmp ("gongkai-list-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (h.dir, "library", NULL);
  h.store = gk_store_open (path, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (gk_store_set_member (h.store, actor, actor, GK_ROLE_ADMIN | GK_ROLE_DRAFTER, &error));
  for (guint i = 0; i < N_ITEMS; i++)
    {
      g_autoptr(GkItem) item = new_item (i);

      g_assert_true (gk_store_insert_item (h.store, actor, item, NULL, 0, NULL, &error));
      g_assert_no_error (error);
    }
  g_test_message ("%d items stored in %" G_GINT64_FORMAT " ms", N_ITEMS,
                  (g_get_monotonic_time () - start) / 1000);
}

/* Every position answers; items are loaded a page at a time. */
static void
test_lazy_pages (void)
{
  g_autoptr(GkItemList) list = gk_item_list_new (h.store);
  g_autoptr(GkItem) first = NULL;
  g_autoptr(GkItem) last = NULL;
  g_autoptr(GkItem) again = NULL;
  gint64 start;

  /* Nothing is waited for: the ids arrive later. */
  g_assert_true (gk_item_list_is_loading (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_ITEMS);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == GK_TYPE_ITEM);

  start = g_get_monotonic_time ();
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  last = g_list_model_get_item (G_LIST_MODEL (list), N_ITEMS - 1);
  /* Placeholders first, with their ids; filled in place. */
  g_assert_cmpstr (first->id, ==, gk_item_list_get_id (list, 0));
  g_assert_true (gk_item_list_is_loading (list));
  wait_loaded (list);
  g_test_message ("two pages loaded in %" G_GINT64_FORMAT " us", g_get_monotonic_time () - start);
  g_assert_nonnull (first);
  g_assert_nonnull (last);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), N_ITEMS));

  /* Newest first by default. */
  g_assert_cmpstr (first->title, ==, "测试公文 02499 号通知");
  g_assert_cmpstr (last->title, ==, "关于需要找到的第0份通知");
  g_assert_cmpstr (gk_item_list_get_id (list, 0), ==, first->id);
  g_assert_cmpuint (gk_item_list_find (list, last->id), ==, N_ITEMS - 1);
  g_assert_cmpuint (gk_item_list_find (list, "no-such-id"), ==, G_MAXUINT);

  /* A cached page gives the same object. */
  again = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (again == first);

  for (guint i = 0; i < N_ITEMS; i += 37)
    {
      g_autoptr(GkItem) item = get_loaded (list, i);

      g_assert_cmpstr (item->id, ==, gk_item_list_get_id (list, i));
      g_assert_nonnull (item->title);
    }
}

/* Filters go to the store's query. */
static void
test_filters (void)
{
  g_autoptr(GkItemList) list = gk_item_list_new (h.store);
  GkQuery query = { 0 };

  wait_loaded (list);

  gk_item_list_set_text (list, "需要找到");
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_SPECIAL);
  g_assert_cmpstr (gk_item_list_get_query (list)->text, ==, "需要找到");

  gk_item_list_set_state (list, GK_QUERY_PUBLISHED);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  gk_item_list_set_state (list, GK_QUERY_ANY_STATE);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_SPECIAL);

  gk_item_list_set_query (list, NULL);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_ITEMS);

  query.created_by = actor;
  query.state = GK_QUERY_DRAFT;
  gk_item_list_set_query (list, &query);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_ITEMS);
  query.created_by = "someone-else";
  gk_item_list_set_query (list, &query);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  /* Frozen: nothing happens until thawed, then one query. */
  gk_item_list_set_query (list, NULL);
  wait_loaded (list);
  gk_item_list_freeze (list);
  gk_item_list_set_text (list, "需要找到");
  wait_loaded (list);
  gk_item_list_set_category (list, "normative_document");
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_ITEMS);
  gk_item_list_set_category (list, NULL);
  wait_loaded (list);
  gk_item_list_thaw (list);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_SPECIAL);
}

/* The store sorts: the list is in the order asked for. */
static void
test_sort (void)
{
  g_autoptr(GkItemList) list = gk_item_list_new (h.store);
  g_autofree char *previous = NULL;

  gk_item_list_set_sort (list, "written_date", TRUE);
  wait_loaded (list);
  for (guint i = 0; i < N_ITEMS; i += 13)
    {
      g_autoptr(GkItem) item = get_loaded (list, i);

      if (previous != NULL)
        g_assert_cmpstr (previous, >=, item->written_date);
      g_free (previous);
      previous = g_strdup (item->written_date);
    }
  gk_item_list_set_sort (list, "title", FALSE);
  g_assert_cmpstr (gk_item_list_get_query (list)->sort, ==, "title");
  g_assert_false (gk_item_list_get_query (list)->descending);
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint count;
} Changes;

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Changes    *changes)
{
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
  changes->count++;
}

static gpointer
edit_thread (gpointer data)
{
  const char *id = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = gk_store_get_item (h.store, id, &error);

  g_assert_no_error (error);
  g_assert_true (gk_item_set_field (item, "title", "在另一个线程里改过的标题", &error));
  g_assert_true (gk_store_update_item (h.store, actor, item, &error));
  g_assert_no_error (error);
  return NULL;
}

static gpointer
insert_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = new_item (N_ITEMS + 1);

  g_assert_true (gk_store_insert_item (h.store, actor, item, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  return NULL;
}

/* Changes made on another thread reach the list on its main context, as
 * the smallest range: one row for an edit, one more for an insert. */
static void
test_follows_store (void)
{
  g_autoptr(GkItemList) list = gk_item_list_new (h.store);
  g_autoptr(GkItem) before = NULL;
  g_autoptr(GkItem) after = NULL;
  g_autoptr(GkItem) newest = NULL;
  Changes changes = { 0 };
  GThread *thread;
  guint position = 42;
  g_autofree char *id = NULL;
  g_autofree char *old_title = NULL;

  wait_loaded (list);
  id = g_strdup (gk_item_list_get_id (list, position));
  before = get_loaded (list, position);
  old_title = g_strdup (before->title);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), &changes);

  thread = g_thread_new ("edit", edit_thread, id);
  g_thread_join (thread);
  /* Not yet: the change is dispatched to this thread's main context. */
  g_assert_cmpuint (changes.count, ==, 0);
  WAIT_FOR (changes.count > 0, 5000);
  g_assert_cmpuint (changes.position, ==, position);
  g_assert_cmpuint (changes.removed, ==, 1);
  g_assert_cmpuint (changes.added, ==, 1);
  after = g_list_model_get_item (G_LIST_MODEL (list), position);
  g_assert_cmpstr (after->id, ==, id);
  g_assert_cmpstr (after->title, ==, "在另一个线程里改过的标题");
  g_assert_cmpstr (old_title, !=, after->title);
  /* Filled in place: a selection holding the object keeps it. */
  g_assert_true (before == after);

  changes.count = 0;
  thread = g_thread_new ("insert", insert_thread, NULL);
  g_thread_join (thread);
  WAIT_FOR (changes.count > 0, 5000);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_ITEMS + 1);
  newest = get_loaded (list, 0);
  g_assert_nonnull (strstr (newest->title, "02501"));
  g_assert_cmpstr (gk_item_list_get_id (list, position + 1), ==, id);
  /* The rows that only moved keep their loaded objects: a view neither
   * shows them as placeholders nor binds them again.  Announced: the
   * insertion, then the new row filled — not its whole page. */
  {
    g_autoptr (GkItem) moved = g_list_model_get_item (G_LIST_MODEL (list), position + 1);

    wait_loaded (list);
    gk_gui_test_pump (100);
    g_assert_true (moved == before);
    g_assert_cmpstr (moved->title, ==, "在另一个线程里改过的标题");
    g_assert_cmpuint (changes.count, <=, 2);
    g_assert_cmpuint (changes.position, ==, 0);
    g_assert_cmpuint (changes.added, ==, 1);
  }
}

/* A change to "many" (a tag renamed, another process's commit) that
 * leaves the listed items as they were announces no row: each would be
 * bound again, for nothing. */
static void
test_many_unchanged_is_quiet (void)
{
  g_autoptr(GkItemList) list = gk_item_list_new (h.store);
  g_autoptr(GkItem) first = NULL;
  g_autoptr(GkTag) tag = NULL;
  g_autoptr(GError) error = NULL;
  Changes changes = { 0 };

  wait_loaded (list);
  first = get_loaded (list, 0);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), &changes);
  tag = gk_store_add_tag (h.store, actor, "无人使用的标签", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gk_store_rename_tag (h.store, actor, "无人使用的标签", "仍然无人使用", &error));
  g_assert_no_error (error);
  /* The rename is announced as a change to many: the list reads again. */
  gk_item_list_refresh (list);
  wait_loaded (list);
  gk_gui_test_pump (100);
  wait_loaded (list);
  g_assert_cmpuint (changes.count, ==, 0);
}

/* A list dropped while a change is on its way is not touched. */
static void
test_dispose_with_pending_change (void)
{
  GkItemList *list = gk_item_list_new (h.store);
  GThread *thread;

  thread = g_thread_new ("insert", insert_thread, NULL);
  g_thread_join (thread);
  g_object_unref (list);
  /* The queued dispatch runs and finds the list gone. */
  {
    gint64 end = g_get_monotonic_time () + 200 * 1000;
    guint t = g_timeout_add (10, tick_cb, NULL);

    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (t);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  setup ();

  g_test_add_func ("/item-list/lazy-pages", test_lazy_pages);
  g_test_add_func ("/item-list/filters", test_filters);
  g_test_add_func ("/item-list/sort", test_sort);
  g_test_add_func ("/item-list/follows-store", test_follows_store);
  g_test_add_func ("/item-list/dispose-with-pending-change", test_dispose_with_pending_change);
  g_test_add_func ("/item-list/many-unchanged-is-quiet", test_many_unchanged_is_quiet);

  status = g_test_run ();

  g_clear_object (&h.store);
  gk_gui_test_remove_tree (h.dir);
  g_free (h.dir);
  return status;
}
