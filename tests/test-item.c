/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "gk-item.h"
#include "gk-util.h"

static void
set_ok (GkItem *item, const char *field, const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_item_set_field (item, field, value, &error));
  g_assert_no_error (error);
}

static void
set_bad (GkItem *item, const char *field, const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (gk_item_set_field (item, field, value, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  /* The error names the field, so a person knows what to fix: its key
   * for the command line, its label in the message. */
  g_assert_cmpstr (gk_error_get_field (error), ==,
                   field[0] == 'v' && strchr (field, '.') ? "validity" : field);
  g_assert_nonnull (strstr (error->message, gk_item_field_label (gk_error_get_field (error))));
  {
    g_autofree char *key = g_strdup_printf ("(%s)", gk_error_get_field (error));

    /* The window shows the message: no internal key in it. */
    g_assert_null (strstr (error->message, key));
  }
}

static void
test_set_field_validates (void)
{
  g_autoptr(GkItem) item = gk_item_new ();
  g_autofree char *long_title = NULL;
  GString *s = g_string_new (NULL);

  set_ok (item, "title", "  关于印发2023年政务公开工作要点的通知 ");
  g_assert_cmpstr (item->title, ==, "关于印发2023年政务公开工作要点的通知");

  /* Lengths count characters, not bytes: 500 Chinese characters fit. */
  for (int i = 0; i < 500; i++)
    g_string_append (s, "文");
  set_ok (item, "title", s->str);
  g_string_append (s, "文");
  long_title = g_string_free (s, FALSE);
  set_bad (item, "title", long_title);

  set_ok (item, "written_date", "2023-04-10");
  set_ok (item, "written_date", "2023年4月10日");
  g_assert_cmpstr (item->written_date, ==, "2023-04-10");
  set_bad (item, "written_date", "2023-02-30");
  set_bad (item, "written_date", "yesterday");

  set_ok (item, "doc_number", "沪应急办[2023]20号");
  g_assert_cmpstr (item->doc_number, ==, "沪应急办〔2023〕20号");
  g_assert_cmpstr (item->doc_number_original, ==, "沪应急办[2023]20号");
  set_bad (item, "doc_number", "hello");

  set_ok (item, "category", "normative_document");
  set_ok (item, "category", "规范性文件");
  g_assert_cmpstr (item->category, ==, "normative_document");
  set_bad (item, "category", "poem");

  set_ok (item, "disclosure", "主动公开");
  g_assert_cmpstr (item->disclosure, ==, "proactive");
  set_bad (item, "disclosure", "secret");

  set_ok (item, "validity.status", "valid");
  g_assert_cmpstr (item->validity_status, ==, "valid");
  set_ok (item, "validity.effective_until", "2028-12-31");
  g_assert_cmpstr (item->effective_until, ==, "2028-12-31");

  set_ok (item, "service_url", "https://zwdt.sh.gov.cn/item/1");
  set_bad (item, "service_url", "zwdt.sh.gov.cn/item/1");
  set_ok (item, "service_url", "");
  g_assert_null (item->service_url);

  set_ok (item, "audience", "各区应急管理局，执法总队");
  g_assert_cmpuint (g_strv_length (item->audience), ==, 2);
  set_ok (item, "interprets", "0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10");
  set_bad (item, "interprets", "not-an-id");
  set_bad (item, "related", "0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10, nope");

  {
    g_autoptr(GError) error = NULL;
    g_assert_false (gk_item_set_field (item, "colour", "red", &error));
    g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  }
}

static void
test_record_json (void)
{
  g_autoptr(GkItem) item = gk_item_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;

  item->id = g_strdup ("0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10");
  set_ok (item, "index_no", "000014349/2023-00001");
  set_ok (item, "title", "关于印发工作要点的通知");
  set_ok (item, "issuer", "上海市应急管理局");
  set_ok (item, "written_date", "2023-04-10");
  set_ok (item, "disclosure", "proactive");
  set_ok (item, "tags", "政务公开, 工作要点");
  item->file_sha256 = g_strdup ("ab12");
  item->file_bytes = 532855;
  item->file_name = g_strdup ("a.pdf");
  item->revision = 3;

  node = gk_item_to_record_json (item);
  o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "title"), ==, "关于印发工作要点的通知");
  /* Nullable fields are null; optional blank ones are left out. */
  g_assert_true (json_object_has_member (o, "doc_number"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (o, "doc_number")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (o, "service_url")));
  g_assert_false (json_object_has_member (o, "summary"));
  g_assert_false (json_object_has_member (o, "publish_date"));
  g_assert_false (json_object_has_member (o, "state"));
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (o, "tags")), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "revision"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "file"), "bytes"), ==, 532855);
}

static void
test_diff_and_copy (void)
{
  g_autoptr(GkItem) a = gk_item_new ();
  g_autoptr(GkItem) b = NULL;
  g_auto(GStrv) none = NULL;
  g_auto(GStrv) changed = NULL;

  set_ok (a, "title", "甲");
  set_ok (a, "tags", "一, 二");
  b = gk_item_copy (a);
  none = gk_item_diff (a, b);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  set_ok (b, "tags", "一");
  set_ok (b, "issuer", "乙");
  changed = gk_item_diff (a, b);
  g_assert_cmpuint (g_strv_length (changed), ==, 2);
  g_assert_true (g_strv_contains ((const char *const *) changed, "tags"));
  g_assert_true (g_strv_contains ((const char *const *) changed, "issuer"));
}

static void
test_control_characters (void)
{
  g_autoptr(GkItem) item = gk_item_new ();

  set_bad (item, "title", "关于\n印发的通知");
  set_bad (item, "issuer", "上海市\x01应急管理局");
  set_bad (item, "audience", "企业\x07, 市民");
  /* A summary may run over several lines. */
  set_ok (item, "summary", "第一段。\n第二段。");
  set_bad (item, "summary", "a\x01b");
}

static void
test_awaiting_disclosure (void)
{
  g_autoptr(GkItem) item = gk_item_new ();

  g_assert_false (gk_item_is_awaiting_disclosure (item));
  item->due_date = g_strdup ("2025-05-09");
  g_assert_true (gk_item_is_awaiting_disclosure (item));
  item->state = GK_STATE_APPROVED;
  g_assert_true (gk_item_is_awaiting_disclosure (item));
  item->state = GK_STATE_PUBLISHED;
  g_assert_false (gk_item_is_awaiting_disclosure (item));
  item->state = GK_STATE_DRAFT;
  set_ok (item, "disclosure", "on_request");
  g_assert_false (gk_item_is_awaiting_disclosure (item));
}

static void
test_states (void)
{
  GkState s;

  for (int i = GK_STATE_DRAFT; i <= GK_STATE_WITHDRAWN; i++)
    {
      g_assert_true (gk_state_from_string (gk_state_to_string (i), &s));
      g_assert_cmpint (s, ==, i);
    }
  g_assert_false (gk_state_from_string ("lost", &s));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/item/set-field", test_set_field_validates);
  g_test_add_func ("/item/record-json", test_record_json);
  g_test_add_func ("/item/diff-copy", test_diff_and_copy);
  g_test_add_func ("/item/states", test_states);
  g_test_add_func ("/item/control-characters", test_control_characters);
  g_test_add_func ("/item/awaiting-disclosure", test_awaiting_disclosure);
  return g_test_run ();
}
