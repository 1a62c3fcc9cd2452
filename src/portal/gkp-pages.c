/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPortal"

#include "config.h"

#include <string.h>

#include "gkp-pages.h"
#include "gkp-record.h"
#include "gkp-store.h"

/* These pages stand for the agency's Chinese-language website, not for
 * the workstation's interface, so their text is not translated. */

static const char page_css[] =
  "*{box-sizing:border-box}"
  "body{margin:0;font-family:'Noto Sans CJK SC','Source Han Sans SC','PingFang SC',"
  "'Microsoft YaHei',sans-serif;color:#222;background:#f4f5f7;line-height:1.7}"
  "a{color:#0b4f9c;text-decoration:none}a:hover{text-decoration:underline}"
  ".wrap{max-width:1080px;margin:0 auto;padding:0 20px}"
  "header.site{background:#b71c1c;color:#fff;padding:14px 0;margin-bottom:24px}"
  "header.site a{color:#fff;font-size:1.4em;font-weight:bold;letter-spacing:2px}"
  "header.site .sub{margin-left:16px;opacity:.85}"
  "main{background:#fff;border:1px solid #e1e3e8;border-radius:6px;padding:24px 28px}"
  "h1{font-size:1.45em;line-height:1.5;margin:.2em 0 .8em;text-align:center}"
  "h2{font-size:1.1em;border-left:4px solid #b71c1c;padding-left:8px;margin-top:1.6em}"
  "table{border-collapse:collapse;width:100%}"
  "table.list th,table.list td{padding:9px 8px;border-bottom:1px solid #eceef2;text-align:left}"
  "table.list th{color:#666;font-weight:normal;background:#fafbfc}"
  "table.list td.date,table.list td.no{white-space:nowrap;color:#555}"
  "table.meta{background:#f8f9fb;border:1px solid #e1e3e8;margin-bottom:20px}"
  "table.meta th{width:7em;color:#666;font-weight:normal;text-align:right;padding:6px 10px}"
  "table.meta td{padding:6px 10px}"
  ".badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:.85em;color:#fff}"
  ".badge.valid{background:#2e7d32}.badge.expired{background:#757575}"
  ".badge.repealed{background:#c62828}"
  ".chip{display:inline-block;background:#eef2f8;border-radius:3px;padding:0 8px;margin:0 6px 4px 0}"
  "a.ban{display:inline-block;background:#0b4f9c;color:#fff;border-radius:4px;padding:4px 16px;"
  "font-weight:bold;margin:0 0 12px}"
  "object.pdf{width:100%;height:80vh;border:1px solid #e1e3e8;margin-top:8px}"
  ".pager{margin-top:16px;text-align:center}.pager a,.pager span{margin:0 8px}"
  ".muted{color:#888}"
  "footer{color:#888;font-size:.85em;text-align:center;padding:24px 20px}";

static const char *
category_label (const char *category)
{
  static const struct { const char *id, *label; } labels[] = {
    { "policy_document", "政策文件" },
    { "normative_document", "规范性文件" },
    { "interpretation", "政策解读" },
    { "decision", "决策公开" },
    { "enforcement", "执法公开" },
    { "finance", "财政信息" },
    { "emergency_plan", "应急预案" },
    { "report", "工作报告" },
    { "other", "其他" },
  };

  for (guint i = 0; category != NULL && i < G_N_ELEMENTS (labels); i++)
    if (strcmp (labels[i].id, category) == 0)
      return labels[i].label;
  return NULL;
}

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  g_string_append (out, escaped);
}

static void
begin_page (GString    *out,
            const char *title)
{
  g_string_append (out,
                   "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<title>");
  append_escaped (out, title);
  g_string_append (out, " - 政府信息公开</title>\n<style>");
  g_string_append (out, page_css);
  g_string_append (out,
                   "</style>\n</head>\n<body>\n"
                   "<header class=\"site\"><div class=\"wrap\"><a href=\"/\">政府信息公开</a>"
                   "<span class=\"sub\">参考门户（演示）</span></div></header>\n"
                   "<main class=\"wrap\">\n");
}

static char *
end_page (GString *out)
{
  g_string_append (out,
                   "</main>\n<footer>本站为政务公开工作台的参考门户，仅供演示与测试。</footer>\n"
                   "</body>\n</html>\n");
  return g_string_free (out, FALSE);
}

static void
append_meta_row (GString    *out,
                 const char *label,
                 const char *value)
{
  if (value == NULL)
    return;
  g_string_append_printf (out, "<tr><th>%s</th><td>", label);
  append_escaped (out, value);
  g_string_append (out, "</td></tr>\n");
}

static void
append_chips (GString    *out,
              JsonObject *record,
              const char *member,
              const char *label)
{
  JsonNode *node = json_object_get_member (record, member);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return;
  g_string_append_printf (out, "<tr><th>%s</th><td>", label);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        continue;
      g_string_append (out, "<span class=\"chip\">");
      append_escaped (out, json_node_get_string (item));
      g_string_append (out, "</span>");
    }
  g_string_append (out, "</td></tr>\n");
}

static void
append_validity (GString    *out,
                 JsonObject *record)
{
  JsonNode *node = json_object_get_member (record, "validity");
  JsonObject *validity;
  const char *status, *from, *until, *label = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  validity = json_node_get_object (node);
  status = gkp_record_get_string (validity, "status");
  from = gkp_record_get_string (validity, "effective_from");
  until = gkp_record_get_string (validity, "effective_until");

  if (g_strcmp0 (status, "valid") == 0)
    label = "有效";
  else if (g_strcmp0 (status, "expired") == 0)
    label = "失效";
  else if (g_strcmp0 (status, "repealed") == 0)
    label = "废止";
  if (label == NULL && from == NULL && until == NULL)
    return;

  g_string_append (out, "<tr><th>有效性</th><td>");
  if (label != NULL)
    g_string_append_printf (out, "<span class=\"badge %s\">%s</span> ", status, label);
  if (from != NULL)
    {
      g_string_append (out, "施行日期：");
      append_escaped (out, from);
      g_string_append (out, " ");
    }
  if (until != NULL)
    {
      g_string_append (out, "有效期至：");
      append_escaped (out, until);
    }
  g_string_append (out, "</td></tr>\n");
}

static void
append_document_link (GString      *out,
                      const char   *id,
                      GkpTitleFunc  title_of,
                      gpointer      user_data)
{
  g_autofree char *title = title_of (id, user_data);

  if (title == NULL)
    {
      g_string_append (out, "<span class=\"muted\">（该文件未公开）</span>");
      return;
    }
  g_string_append (out, "<a href=\"/docs/");
  append_escaped (out, id);
  g_string_append (out, "\">");
  append_escaped (out, title);
  g_string_append (out, "</a>");
}

/**
 * gkp_pages_index:
 * @docs: (element-type GkpDocument): one page of published documents,
 *   newest first
 * @page: the page number, from 1
 * @n_pages: the number of pages
 * @total: the number of published documents
 *
 * Returns: (transfer full): the HTML of the home page
 */
char *
gkp_pages_index (GPtrArray *docs,
                 guint      page,
                 guint      n_pages,
                 guint      total)
{
  GString *out = g_string_new (NULL);

  begin_page (out, "信息公开目录");
  g_string_append (out, "<h1>政府信息公开目录</h1>\n");
  g_string_append_printf (out, "<p class=\"muted\">共 %u 件</p>\n", total);
  if (docs->len == 0)
    {
      g_string_append (out, "<p>暂无公开信息。</p>\n");
      return end_page (out);
    }

  g_string_append (out,
                   "<table class=\"list\">\n<thead><tr><th>标题</th><th>文号</th>"
                   "<th>发布日期</th></tr></thead>\n<tbody>\n");
  for (guint i = 0; i < docs->len; i++)
    {
      GkpDocument *doc = docs->pdata[i];

      g_string_append (out, "<tr><td><a href=\"/docs/");
      append_escaped (out, doc->id);
      g_string_append (out, "\">");
      append_escaped (out, doc->title);
      g_string_append (out, "</a></td><td class=\"no\">");
      append_escaped (out, doc->doc_number != NULL ? doc->doc_number : "—");
      g_string_append (out, "</td><td class=\"date\">");
      append_escaped (out, doc->publish_date);
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</tbody>\n</table>\n");

  if (n_pages > 1)
    {
      g_string_append (out, "<div class=\"pager\">");
      if (page > 1)
        g_string_append_printf (out, "<a href=\"/?page=%u\">上一页</a>", page - 1);
      g_string_append_printf (out, "<span>第 %u / %u 页</span>", page, n_pages);
      if (page < n_pages)
        g_string_append_printf (out, "<a href=\"/?page=%u\">下一页</a>", page + 1);
      g_string_append (out, "</div>\n");
    }
  return end_page (out);
}

/**
 * gkp_pages_document:
 * @record: the stored record of a published document
 * @id: its id
 * @updated_at: when it last changed on the portal
 * @title_of: finds the titles of linked documents
 * @user_data: for @title_of
 *
 * Returns: (transfer full): the HTML of the document's page
 */
char *
gkp_pages_document (JsonObject   *record,
                    const char   *id,
                    const char   *updated_at,
                    GkpTitleFunc  title_of,
                    gpointer      user_data)
{
  GString *out = g_string_new (NULL);
  const char *title = gkp_record_get_string (record, "title");
  const char *service_url = gkp_record_get_string (record, "service_url");
  const char *summary = gkp_record_get_string (record, "summary");
  const char *interprets = gkp_record_get_string (record, "interprets");
  const char *media_type = NULL;
  JsonNode *node;

  begin_page (out, title);
  g_string_append (out, "<h1>");
  append_escaped (out, title);
  g_string_append (out, "</h1>\n");

  if (service_url != NULL)
    {
      g_string_append (out, "<p><a class=\"ban\" rel=\"noopener noreferrer\" href=\"");
      append_escaped (out, service_url);
      g_string_append (out, "\" title=\"在线办理\">办</a> 在线办理</p>\n");
    }

  g_string_append (out, "<table class=\"meta\">\n");
  append_meta_row (out, "索引号", gkp_record_get_string (record, "index_no"));
  append_meta_row (out, "主题分类", gkp_record_get_string (record, "topic"));
  append_meta_row (out, "发布机构", gkp_record_get_string (record, "issuer"));
  append_meta_row (out, "成文日期", gkp_record_get_string (record, "written_date"));
  append_meta_row (out, "文号", gkp_record_get_string (record, "doc_number"));
  append_meta_row (out, "发布日期", gkp_record_get_string (record, "publish_date"));
  append_meta_row (out, "文种", gkp_record_get_string (record, "genre"));
  append_meta_row (out, "类别",
                   category_label (gkp_record_get_string (record, "category")));
  append_validity (out, record);
  append_chips (out, record, "tags", "标签");
  append_chips (out, record, "audience", "适用人群");
  append_meta_row (out, "更新时间", updated_at);
  g_string_append (out, "</table>\n");

  if (summary != NULL)
    {
      g_string_append (out, "<h2>内容概要</h2>\n<p>");
      append_escaped (out, summary);
      g_string_append (out, "</p>\n");
    }

  if (interprets != NULL)
    {
      g_string_append (out, "<h2>解读的政策</h2>\n<p>");
      append_document_link (out, interprets, title_of, user_data);
      g_string_append (out, "</p>\n");
    }

  node = json_object_get_member (record, "file");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    media_type = gkp_record_get_string (json_node_get_object (node), "media_type");
  g_string_append (out, "<h2>原文</h2>\n<p><a href=\"/docs/");
  append_escaped (out, id);
  g_string_append (out, "/file\" target=\"_blank\" rel=\"noopener\">查看原文</a></p>\n");
  if (media_type == NULL || g_ascii_strcasecmp (media_type, "application/pdf") == 0)
    {
      g_string_append (out, "<object class=\"pdf\" type=\"application/pdf\" data=\"/docs/");
      append_escaped (out, id);
      g_string_append (out, "/file\"></object>\n");
    }

  node = json_object_get_member (record, "attachments");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
      json_array_get_length (json_node_get_array (node)) > 0)
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append (out, "<h2>附件</h2>\n<ol>\n");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          const char *name = NULL;

          if (JSON_NODE_HOLDS_OBJECT (item))
            name = gkp_record_get_string (json_node_get_object (item), "name");
          g_string_append (out, "<li><a href=\"/docs/");
          append_escaped (out, id);
          g_string_append_printf (out, "/attachments/%u\">", i + 1);
          if (name != NULL)
            append_escaped (out, name);
          else
            g_string_append_printf (out, "附件%u", i + 1);
          g_string_append (out, "</a></li>\n");
        }
      g_string_append (out, "</ol>\n");
    }

  node = json_object_get_member (record, "related");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
      json_array_get_length (json_node_get_array (node)) > 0)
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append (out, "<h2>相关文件</h2>\n<ul>\n");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
            continue;
          g_string_append (out, "<li>");
          append_document_link (out, json_node_get_string (item), title_of, user_data);
          g_string_append (out, "</li>\n");
        }
      g_string_append (out, "</ul>\n");
    }

  return end_page (out);
}

/**
 * gkp_pages_message:
 * @title: the heading, for example "已撤回"
 * @text: one sentence under it
 *
 * Returns: (transfer full): the HTML of a short notice page
 */
char *
gkp_pages_message (const char *title,
                   const char *text)
{
  GString *out = g_string_new (NULL);

  begin_page (out, title);
  g_string_append (out, "<h1>");
  append_escaped (out, title);
  g_string_append (out, "</h1>\n<p style=\"text-align:center\">");
  append_escaped (out, text);
  g_string_append (out, "</p>\n<p style=\"text-align:center\"><a href=\"/\">返回目录</a></p>\n");
  return end_page (out);
}
