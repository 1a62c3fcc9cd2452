/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark helper for bench/bench-list.sh (not part of the test run).
 *
 *   gk-bench-list prepare DIR N
 *       a library in DIR with N items (no files; realistic Chinese
 *       titles, 文号, issuers, dates, one short page of text each, a tag
 *       on every item, one in four submitted for review), inserted one
 *       by one through gk_store_insert_item()
 *   gk-bench-list open DIR
 *       times, 5 times each (median), what the document list does:
 *       opening the store, a GkItemList until its size and first item are
 *       known, fetching items at random and consecutive positions, and
 *       filtered queries to their first page.  Prints "key value" lines
 *       (milliseconds) for bench-list.sh. */
#define G_LOG_DOMAIN "GongkaiBench"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gk-item-list.h"
#include "gk-store.h"
#include "gk-util.h"
#include "gk-workflow.h"

#define REPEATS 5
#define N_RANDOM 50
#define N_SCROLL 2001    /* positions 0..2000 */
#define BENCH_USER "bench"

/* Also used by bench-list.sh for the sqlite3 baseline and by the report. */
#define TEXT_TERM "应急"
#define TAG_NAME "应急管理"

static const char *const issuers[][2] = {
  { "上海市应急管理局", "沪应急" },
  { "上海市人民政府办公厅", "沪府办" },
  { "上海市财政局", "沪财" },
  { "上海市生态环境局", "沪环" },
  { "上海市住房和城乡建设管理委员会", "沪建" },
  { "上海市卫生健康委员会", "沪卫" },
  { "上海市教育委员会", "沪教委" },
  { "上海市交通委员会", "沪交" },
  { "上海市市场监督管理局", "沪市监" },
  { "上海市民政局", "沪民" },
  { "上海市人力资源和社会保障局", "沪人社" },
  { "上海市规划和自然资源局", "沪规划资源" },
};

static const char *const subjects[] = {
  "进一步加强安全生产工作", "做好2025年度防汛防台工作", "印发政府信息公开工作要点",
  "开展城镇燃气安全专项整治", "规范行政事业性收费管理", "加强生态环境保护督察整改",
  "推进老旧小区综合改造", "做好基本医疗保险待遇调整", "实施义务教育阶段课后服务",
  "优化公共交通线网布局", "开展食品安全风险排查", "完善最低生活保障制度",
  "促进高校毕业生就业创业", "加强耕地保护和用途管制", "推进数字政府建设",
  "做好应急物资储备管理", "建立重大行政决策听证制度", "深化“放管服”改革",
};

static const char *const kinds[] = {
  "的通知", "的实施意见", "的通告", "的批复", "的若干规定", "的工作方案", "的指导意见",
};

static const char *const tags[] = {
  TAG_NAME, "财政预决算", "行政规范性文件", "民生保障", "城市建设", "教育卫生",
};

static const char *const categories[] = {
  "policy_document", "normative_document", "decision", "finance", "report", "other",
};

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("gk-bench-list: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

static void
report (const char *key,
        double     *values)
{
  g_print ("%s %.4f\n", key, median (values, REPEATS));
}

static int
prepare (const char *dir,
         guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkStore) store = gk_store_open (dir, TRUE, &error);
  g_autoptr(GDate) base = g_date_new_dmy (1, G_DATE_JANUARY, 2016);
  g_autofree char *tmp = g_build_filename (dir, "bench-source.pdf", NULL);
  gint64 start;
  guint n_submitted = 0;

  if (store == NULL)
    die ("open", error);
  if (!gk_store_set_member (store, BENCH_USER, BENCH_USER, GK_ROLE_DRAFTER | GK_ROLE_ADMIN, &error))
    die ("member", error);
  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    {
      g_autoptr(GkTag) tag = gk_store_add_tag (store, BENCH_USER, tags[i], NULL, &error);

      if (tag == NULL)
        die ("tag", error);
    }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GkItem) item = gk_item_new ();
      g_autoptr(GDate) written = g_date_copy (base);
      g_autofree char *page = NULL;
      const char *pages[1];
      guint who = (i * 7) % G_N_ELEMENTS (issuers);
      char date[16];

      /* Spread over ten years, not in insertion order. */
      g_date_add_days (written, (i * 37) % 3650);
      g_date_strftime (date, sizeof date, "%Y-%m-%d", written);

      item->title = g_strdup_printf ("%s关于%s%s", issuers[who][0],
                                     subjects[(i / 3) % G_N_ELEMENTS (subjects)],
                                     kinds[i % G_N_ELEMENTS (kinds)]);
      item->issuer = g_strdup (issuers[who][0]);
      item->doc_number = g_strdup_printf ("%s%s〔%d〕%u号", issuers[who][1],
                                          i % 5 == 0 ? "规" : "发",
                                          g_date_get_year (written), i % 400 + 1);
      item->written_date = g_strdup (date);
      item->category = g_strdup (categories[i % G_N_ELEMENTS (categories)]);
      item->disclosure = g_strdup ("proactive");
      item->tags = g_new0 (char *, 2);
      item->tags[0] = g_strdup (tags[i % G_N_ELEMENTS (tags)]);
      page = g_strdup_printf ("各区人民政府，市政府各委、办、局：\n为%s，现将有关事项通知如下。"
                              "一、各单位要高度重视，明确责任分工，于%s前报送工作进展。"
                              "二、本通知自印发之日起施行（编号%u）。\n%s\n%s",
                              subjects[(i / 3) % G_N_ELEMENTS (subjects)], date, i + 1,
                              issuers[who][0], date);
      pages[0] = page;
      /* One in four goes for review, so that state=draft is a real
       * filter; submitting needs the document file. */
      if (i % 4 == 3)
        {
          g_autofree char *contents = NULL;
          g_autofree char *sha = NULL;
          goffset size = 0;

          contents = g_strdup_printf ("%%PDF-1.4\n%% gongkai list benchmark document %06u\n"
                                      "1 0 obj << /Type /Catalog >> endobj\n%%%%EOF\n", i);
          if (!g_file_set_contents (tmp, contents, -1, &error) ||
              (sha = gk_sha256_file (tmp, NULL, &size, &error)) == NULL ||
              !gk_store_add_file (store, tmp, sha, NULL, &error))
            die ("file", error);
          item->file_sha256 = g_strdup (sha);
          item->file_name = g_strdup_printf ("bench-%06u.pdf", i);
          g_free (item->file_media_type);
          item->file_media_type = g_strdup ("application/pdf");
          item->file_bytes = size;
        }
      if (!gk_store_insert_item (store, BENCH_USER, item, pages, 1, NULL, &error))
        die ("insert", error);
      if (i % 4 == 3)
        {
          if (!gk_workflow_submit (store, BENCH_USER, item->id, &error))
            die ("submit", error);
          n_submitted++;
        }
      if ((i + 1) % 10000 == 0)
        g_printerr ("  %u items, %.1f s\n", i + 1, ms_since (start) / 1000.0);
    }
  g_unlink (tmp);
  g_print ("prepared %u items (%u submitted) in %.1f s (%.3f ms per item)\n",
           n, n_submitted, ms_since (start) / 1000.0, n > 0 ? ms_since (start) / n : 0.0);
  return 0;
}

/* Fetch an item and touch what a list row shows. */
static void
fetch (GkItemList *list,
       guint       position)
{
  g_autoptr(GkItem) item = g_list_model_get_item (G_LIST_MODEL (list), position);

  if (item == NULL || item->id == NULL || item->title == NULL)
    die ("get_item returned no item", NULL);
}

typedef struct
{
  const char *key;
  GkQuery     query;
} FilterCase;

static int
open_bench (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkStore) store = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20250303);
  double open_ms[REPEATS], n_ms[REPEATS], first_ms[REPEATS], total_ms[REPEATS];
  double random_ms[REPEATS], scroll_ms[REPEATS], page_ms[REPEATS];
  guint random_pos[N_RANDOM];
  guint n_items = 0;
  FilterCase filters[] = {
    { "filter_state", { .state = GK_QUERY_DRAFT } },
    { "filter_text", { .text = TEXT_TERM } },
    { "filter_tag", { .tag = TAG_NAME } },
    { "filter_all", { .state = GK_QUERY_DRAFT, .text = TEXT_TERM, .tag = TAG_NAME } },
  };

  /* (a) Opening the library (the first one warms the page cache like
   * any second start of the program; all five are counted). */
  for (guint r = 0; r < REPEATS; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(GkStore) s = gk_store_open (dir, FALSE, &error);

      if (s == NULL)
        die ("open", error);
      open_ms[r] = ms_since (t0);
    }
  report ("store_open", open_ms);

  store = gk_store_open (dir, FALSE, &error);
  if (store == NULL)
    die ("open", error);

  /* (b) A new list: its size, then its first item. */
  for (guint r = 0; r < REPEATS; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(GkItemList) list = gk_item_list_new (store);
      gint64 t1;

      n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
      n_ms[r] = ms_since (t0);
      t1 = g_get_monotonic_time ();
      fetch (list, 0);
      first_ms[r] = ms_since (t1);
      total_ms[r] = ms_since (t0);
    }
  g_print ("n_items %u\n", n_items);
  if (n_items == 0)
    die ("the library is empty", NULL);
  report ("list_n_items", n_ms);
  report ("list_first_item", first_ms);
  report ("list_open_total", total_ms);

  /* (c) Scrolling, each time on a fresh list (nothing cached). */
  for (guint i = 0; i < N_RANDOM; i++)
    random_pos[i] = (guint) g_rand_int_range (rand, 0, (gint32) n_items);
  for (guint r = 0; r < REPEATS; r++)
    {
      g_autoptr(GkItemList) list = gk_item_list_new (store);
      guint n_scroll = MIN (N_SCROLL, n_items);
      gint64 t0 = g_get_monotonic_time ();

      for (guint i = 0; i < N_RANDOM; i++)
        fetch (list, random_pos[i]);
      random_ms[r] = ms_since (t0) / N_RANDOM;
      g_clear_object (&list);

      list = gk_item_list_new (store);
      t0 = g_get_monotonic_time ();
      for (guint i = 0; i < n_scroll; i++)
        fetch (list, i);
      scroll_ms[r] = ms_since (t0) / n_scroll;

      /* One page of 100 through the store alone. */
      t0 = g_get_monotonic_time ();
      {
        g_autoptr(GPtrArray) items = NULL;
        const char *ids[GK_ITEM_LIST_PAGE_SIZE];
        guint n = MIN (GK_ITEM_LIST_PAGE_SIZE, n_items - 5000 % n_items);

        for (guint i = 0; i < n; i++)
          ids[i] = gk_item_list_get_id (list, 5000 % n_items + i);
        items = gk_store_get_items (store, ids, n, &error);
        if (items == NULL || items->len != n)
          die ("get_items", error);
      }
      page_ms[r] = ms_since (t0);
    }
  report ("scroll_random_per_item", random_ms);
  report ("scroll_consecutive_per_item", scroll_ms);
  report ("store_get_items_100", page_ms);

  /* (d) Filters to the first page: count known and item 0 loaded. */
  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    {
      double times[REPEATS];
      guint matched = 0;

      for (guint r = 0; r < REPEATS; r++)
        {
          g_autoptr(GkItemList) list = gk_item_list_new (store);
          gint64 t0 = g_get_monotonic_time ();

          gk_item_list_set_query (list, &filters[f].query);
          matched = g_list_model_get_n_items (G_LIST_MODEL (list));
          if (gk_item_list_get_error (list) != NULL)
            die (filters[f].key, (GError *) gk_item_list_get_error (list));
          if (matched > 0)
            fetch (list, 0);
          times[r] = ms_since (t0);
        }
      report (filters[f].key, times);
      g_print ("%s_matches %u\n", filters[f].key, matched);
    }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  if (argc == 4 && strcmp (argv[1], "prepare") == 0)
    return prepare (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
  if (argc == 3 && strcmp (argv[1], "open") == 0)
    return open_bench (argv[2]);
  g_printerr ("usage: gk-bench-list prepare DIR N\n"
              "       gk-bench-list open DIR\n");
  return 2;
}
