/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiGuiTest"

#include "config.h"

#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "gk-app-util.h"
#include "gk-conflict-dialog.h"
#include "gk-fault-proxy.h"
#include "gk-fixtures.h"
#include "gk-token.h"
#include "gk-gui-test.h"
#include "gk-importer.h"
#include "gk-publish-page.h"
#include "gk-reason-dialog.h"
#include "gk-sync.h"
#include "gk-user-switcher.h"
#include "gk-util.h"
#include "gk-window-private.h"
#include "gk-workflow.h"

/* Publishing from the real window to the real reference portal
 * (gongkai-portal on 127.0.0.1): the admin sets the portal's address and
 * token (kept for the session when no keyring answers), tests the
 * connection, publishes the approved documents with per-item progress
 * and a report; a document changed on the portal behind our back comes
 * back as a conflict (412) and the admin overwrites it; a withdrawal
 * with a reason takes a document off the portal at once, or, with the
 * portal down, waits (and says so) for the next run; only http(s) links
 * are ever opened.  Tests run in order. */

#define TOKEN "gui-test-token-7f3a9c"

static struct
{
  char          *dir;
  char          *files;
  char          *library;
  GkTestPortal  *portal;
  GkApplication *app;
  GkContext     *context;
  GkWindow      *window;
  GkPublishPage *page;
  char          *first_id;
  char          *second_id;
} h;

static GkStore *
store (void)
{
  return gk_context_get_store (h.context);
}

static GkItem *
get_item (const char *id)
{
  g_autoptr(GError) error = NULL;
  GkItem *item = gk_store_get_item (store (), id, &error);

  g_assert_no_error (error);
  return item;
}

static GtkWidget *
find (const char *name)
{
  GtkWidget *widget = gk_gui_test_find_named (GTK_WIDGET (h.page), name);

  g_assert_nonnull (widget);
  return widget;
}

static GtkWindow *
find_dialog (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type) && gtk_widget_get_visible (window))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static void
respond (GtkWindow  *dialog,
         const char *response)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (dialog);
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_mapped (button));
  g_signal_emit_by_name (button, "clicked");
}

/* "Publish Approved Items": the page first names what goes public. */
static void
publish_confirmed (const char *expected_title)
{
  GtkWindow *dialog = NULL;

  click (find ("publish-button"));
  GK_GUI_WAIT ((dialog = find_dialog (ADW_TYPE_MESSAGE_DIALOG)) != NULL, 5000);
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (dialog)), ==, "publish-confirm-dialog");
  gk_gui_test_pump (100);
  if (expected_title != NULL)
    {
      g_autofree char *text = gk_gui_test_collect_text (GTK_WIDGET (dialog));

      if (strstr (text, expected_title) == NULL)
        g_error ("“%s” not named in: %s", expected_title, text);
    }
  respond (dialog, "publish");
}


static gboolean
page_idle (void)
{
  return !gk_publish_page_get_busy (h.page);
}

static void
shot (const char *name)
{
  gk_gui_test_pump (150);
  g_free (gk_gui_test_screenshot (GTK_WIDGET (h.window), name));
}

/* The acting member, chosen as a person on a shared desk does: in the
 * header bar's user popover. */
static void
act_as (const char *who)
{
  if (h.window == NULL)
    {
      h.window = GK_WINDOW (gk_gui_test_open_window (h.app, h.context, "sync"));
      h.page = GK_PUBLISH_PAGE (gk_gui_test_find_type (GTK_WIDGET (h.window), GK_TYPE_PUBLISH_PAGE));
      g_assert_nonnull (h.page);
      GK_GUI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (h.page)), 5000);
    }
  gk_gui_test_switch_user (GTK_WIDGET (h.window), h.context, who);
  GK_GUI_WAIT (page_idle (), 10000);
}

static void
approve_both_stages (const char *id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_workflow_approve (store (), "rita", id, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (gk_workflow_approve (store (), "rob", id, NULL, &error));
  g_assert_no_error (error);
}

static char *
approve_document (const char *file_name,
                  const char *text,
                  const char *title)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (h.files, file_name, NULL);
  const char *pages[] = { text, NULL };
  const char *paths[] = { path, NULL };
  g_autoptr(GkImporter) importer = gk_importer_new (store (), "dora");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GkItem) item = NULL;
  GkImportResult *result;
  char *id;

  g_assert_true (gk_fixture_write_text_pdf (path, pages, &error));
  results = gk_importer_import_sync (importer, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  result = g_ptr_array_index (results, 0);
  g_assert_cmpint (result->status, ==, GK_IMPORT_IMPORTED);
  id = g_strdup (result->id);

  item = get_item (id);
  g_assert_true (gk_item_set_field (item, "title", title, &error));
  g_assert_true (gk_item_set_field (item, "issuer", "上海市应急管理局", &error));
  g_assert_true (gk_item_set_field (item, "written_date", "2025-06-03", &error));
  g_assert_true (gk_item_set_field (item, "disclosure", "proactive", &error));
  g_assert_true (gk_item_set_field (item, "category", "policy_document", &error));
  g_assert_no_error (error);
  g_assert_true (gk_store_update_item (store (), "dora", item, &error));
  g_assert_true (gk_workflow_submit (store (), "dora", id, &error));
  g_assert_no_error (error);
  approve_both_stages (id);
  return id;
}

/* Straight to the portal, as another system would. */
static guint
portal_request (const char  *method,
                const char  *id,
                const char  *body,
                char       **reply)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/documents/%s", gk_test_portal_get_base_url (h.portal), id);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;

  soup_message_headers_append (soup_message_get_request_headers (message),
                               "Authorization", "Bearer " TOKEN);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  if (reply != NULL)
    *reply = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  return soup_message_get_status (message);
}

static void
test_setup (void)
{
  g_autoptr(GError) error = NULL;
  static const struct { const char *user; GkRole roles; } members[] = {
    { "dora", GK_ROLE_DRAFTER },
    { "rita", GK_ROLE_REVIEWER },
    { "rob", GK_ROLE_REVIEWER },
    { "pat", GK_ROLE_PUBLISHER },
  };

  /* The token comes from the page, not from the environment. */
  g_unsetenv (GK_TOKEN_ENV);
  h.dir = gk_gui_test_make_tmp ();
  h.files = g_build_filename (h.dir, "files", NULL);
  g_mkdir_with_parents (h.files, 0755);
  h.context = gk_gui_test_new_library (h.dir);
  h.library = g_strdup (gk_context_get_library_path (h.context));
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_assert_true (gk_store_set_member (store (), gk_context_get_user (h.context),
                                          members[i].user, members[i].roles, &error));
      g_assert_no_error (error);
    }
  h.first_id = approve_document ("first.pdf",
                                 "上海市应急管理局关于印发2025年政务公开工作要点的通知\n\n各区应急管理局：\n现将工作要点印发给你们。",
                                 "关于印发2025年政务公开工作要点的通知");
  h.second_id = approve_document ("second.pdf",
                                  "上海市应急管理局关于做好2025年汛期安全防范工作的通知\n\n各区应急管理局：\n请做好汛期安全防范工作。",
                                  "关于做好2025年汛期安全防范工作的通知");

  h.portal = gk_test_portal_start (TOKEN, &error);
  g_assert_no_error (error);
  g_assert_nonnull (h.portal);

  h.app = gk_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (h.app), NULL, &error));
  g_assert_no_error (error);
}

static void
test_portal_settings (void)
{
  g_autofree char *url = NULL;
  GtkWidget *url_row, *token_row;
  const char *result;

  act_as (gk_context_get_user (h.context));
  url_row = find ("portal-url-row");
  token_row = find ("token-row");
  g_assert_true (gtk_widget_is_sensitive (url_row));

  /* What the sync would refuse is refused when it is saved, and said
   * under the row (plain http:// to another computer). */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "http://10.0.0.1/api/v1");
  g_signal_emit_by_name (url_row, "apply");
  /* The store answers in the background. */
  GK_GUI_WAIT (page_idle (), 10000);
  url = gk_store_get_setting (store (), "portal_url");
  g_assert_cmpstr (url, !=, "http://10.0.0.1/api/v1");
  g_clear_pointer (&url, g_free);
  g_assert_true (gtk_widget_get_visible (find ("portal-settings-problem")));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find ("portal-settings-problem"))),
                            "portal_url"));
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));

  gtk_editable_set_text (GTK_EDITABLE (url_row), gk_test_portal_get_base_url (h.portal));
  g_signal_emit_by_name (url_row, "apply");
  GK_GUI_WAIT (page_idle (), 10000);
  url = gk_store_get_setting (store (), "portal_url");
  g_assert_cmpstr (url, ==, gk_test_portal_get_base_url (h.portal));
  g_assert_false (gtk_widget_get_visible (find ("portal-settings-problem")));
  g_assert_false (gtk_widget_has_css_class (url_row, "error"));
  GK_GUI_WAIT (page_idle (), 10000);

  /* Typed once, never shown again; without a keyring it is kept for the
   * session. */
  gtk_editable_set_text (GTK_EDITABLE (token_row), TOKEN);
  g_signal_emit_by_name (token_row, "apply");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (token_row)), ==, "");
  GK_GUI_WAIT (page_idle (), 15000);
  g_assert_nonnull (adw_action_row_get_subtitle (ADW_ACTION_ROW (find ("token-status-row"))));

  click (find ("test-connection-button"));
  GK_GUI_WAIT (page_idle () && gk_publish_page_get_test_result (h.page) != NULL, 15000);
  result = gk_publish_page_get_test_result (h.page);
  g_assert_true (g_str_has_prefix (result, "Connected"));
  /* The reference portal's limit, as it was set. */
  g_assert_nonnull (strstr (result, "100 MB"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find ("test-result"))), ==, result);
}

static void
test_publish (void)
{
  g_autoptr(GkItem) first = NULL;
  g_autoptr(GkItem) second = NULL;
  g_autofree char *name = NULL;
  g_autofree char *reply = NULL;
  const char *summary;

  {
    g_autoptr(GkItem) shown = get_item (h.first_id);
    publish_confirmed (shown->title);
  }
  g_assert_true (gtk_widget_get_visible (find ("sync-progress")));
  GK_GUI_WAIT (page_idle (), 30000);
  summary = gk_publish_page_get_report_summary (h.page);
  g_assert_nonnull (summary);
  g_assert_true (g_str_has_prefix (summary, "Published 2 "));

  first = get_item (h.first_id);
  second = get_item (h.second_id);
  g_assert_cmpint (first->state, ==, GK_STATE_PUBLISHED);
  g_assert_cmpint (second->state, ==, GK_STATE_PUBLISHED);
  g_assert_nonnull (first->public_url);
  g_assert_nonnull (strstr (first->public_url, h.first_id));
  g_assert_cmpuint (portal_request ("GET", h.first_id, NULL, &reply), ==, 200);
  g_assert_nonnull (strstr (reply, "关于印发2025年政务公开工作要点的通知"));

  /* Every result of the batch is on screen, each with its link. */
  {
    g_autofree char *first_open = g_strdup_printf ("open:%s", h.first_id);
    g_autofree char *second_open = g_strdup_printf ("open:%s", h.second_id);

    g_assert_nonnull (gk_gui_test_find_named (find ("sync-results"), first_open));
    g_assert_nonnull (gk_gui_test_find_named (find ("sync-results"), second_open));
    /* Two results need no scrolling: both rows are in view. */
    {
      GtkWidget      *scroller = gtk_widget_get_parent (find ("sync-results"));
      GtkWidget      *second_row = gk_gui_test_find_named (find ("sync-results"), second_open);
      graphene_rect_t bounds;

      g_assert_true (GTK_IS_SCROLLED_WINDOW (scroller));
      g_assert_nonnull (second_row);
      gk_gui_test_pump (150);
      g_assert_true (gtk_widget_compute_bounds (second_row, scroller, &bounds));
      if (bounds.origin.y < 0 ||
          bounds.origin.y + bounds.size.height > gtk_widget_get_height (scroller) + 1)
        g_error ("the second result (%.0f–%.0f) is outside the list's %d pixels", bounds.origin.y,
                 bounds.origin.y + bounds.size.height, gtk_widget_get_height (scroller));
    }
  }

  /* Listed as published, with the public address to open. */
  name = g_strdup_printf ("open:%s", h.first_id);
  g_assert_nonnull (gk_gui_test_find_named (find ("published-group"), name));
  g_assert_cmpuint (gk_publish_page_get_n_conflicts (h.page), ==, 0);
  shot ("publish-report");
}

/* Someone edits the first document on the portal; our next revision
 * meets a 412, and the admin overwrites the portal's copy. */
static void
test_conflict (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GkItem) edited = NULL;
  g_autoptr(GkItem) resolved = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *body = NULL;
  g_autofree char *button = NULL;
  JsonObject *record;
  GtkWindow *dialog;

  g_assert_cmpuint (portal_request ("GET", h.first_id, NULL, &reply), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, reply, -1, &error));
  record = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (record, "title", "门户网站上被改过的标题");
  body = gk_json_to_string (json_parser_get_root (parser), FALSE);
  g_assert_cmpuint (portal_request ("PUT", h.first_id, body, NULL), ==, 200);

  edited = get_item (h.first_id);
  g_assert_true (gk_item_set_field (edited, "summary", "补充了内容概述。", &error));
  g_assert_true (gk_store_update_item (store (), "dora", edited, &error));
  g_assert_true (gk_workflow_submit (store (), "dora", h.first_id, &error));
  g_assert_no_error (error);
  approve_both_stages (h.first_id);

  publish_confirmed (NULL);
  GK_GUI_WAIT (page_idle (), 30000);
  g_assert_nonnull (strstr (gk_publish_page_get_report_summary (h.page), "Conflicts 1"));
  g_assert_cmpuint (gk_publish_page_get_n_conflicts (h.page), ==, 1);
  g_assert_true (gtk_widget_get_visible (find ("conflicts-group")));
  shot ("publish-conflict");

  button = g_strdup_printf ("overwrite:%s", h.first_id);
  click (find (button));
  GK_GUI_WAIT ((dialog = find_dialog (GK_TYPE_CONFLICT_DIALOG)) != NULL, 5000);
  g_assert_cmpint (gk_conflict_dialog_get_resolution (GK_CONFLICT_DIALOG (dialog)), ==,
                   GK_SYNC_RESOLVE_OVERWRITE);
  respond (dialog, "resolve");
  GK_GUI_WAIT (page_idle (), 30000);

  resolved = get_item (h.first_id);
  g_assert_cmpint (resolved->state, ==, GK_STATE_PUBLISHED);
  g_assert_cmpint (resolved->revision, ==, 2);
  g_assert_false (resolved->flags & GK_ITEM_FLAG_CONFLICT);
  g_assert_cmpuint (gk_publish_page_get_n_conflicts (h.page), ==, 0);
  g_clear_pointer (&reply, g_free);
  g_assert_cmpuint (portal_request ("GET", h.first_id, NULL, &reply), ==, 200);
  g_assert_null (strstr (reply, "门户网站上被改过的标题"));
  g_assert_nonnull (strstr (reply, "补充了内容概述。"));
}

static guint
public_page_status (const char *id)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/docs/%s", gk_test_portal_get_url (h.portal), id);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;

  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (message);
}

static void
assert_public_page_gone (const char *id)
{
  guint status = public_page_status (id);

  if (status != 404 && status != 410)
    g_error ("the public page of %s answers %u after the withdrawal", id, status);
}

static void
withdraw_in_dialog (const char *id,
                    const char *reason)
{
  g_autofree char *button = g_strdup_printf ("withdraw:%s", id);
  GtkWindow *dialog;

  click (find (button));
  GK_GUI_WAIT ((dialog = find_dialog (GK_TYPE_REASON_DIALOG)) != NULL, 5000);
  g_assert_false (gk_reason_dialog_can_act (GK_REASON_DIALOG (dialog)));
  gk_reason_dialog_set_text (GK_REASON_DIALOG (dialog), reason);
  g_assert_true (gk_reason_dialog_can_act (GK_REASON_DIALOG (dialog)));
  respond (dialog, "withdraw");
}

static const char *
row_subtitle (const char *id)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (find (id)));
}

/* A withdrawal goes out at once, in the background: the public page is
 * gone without a publishing run. */
static void
test_withdraw (void)
{
  g_autoptr(GkItem) item = NULL;
  g_autofree char *reply = NULL;

  g_assert_cmpuint (public_page_status (h.second_id), ==, 200);
  withdraw_in_dialog (h.second_id, "该通知已被新文件替代。");
  /* The dialog's answer came back before the portal's: the DELETE runs
   * while the window goes on. */
  g_assert_true (gk_publish_page_get_busy (h.page));
  g_assert_cmpstr (row_subtitle (h.second_id), ==, "Withdrawing from the portal…");
  GK_GUI_WAIT (page_idle (), 30000);

  item = get_item (h.second_id);
  g_assert_cmpint (item->state, ==, GK_STATE_WITHDRAWN);
  g_assert_false (gk_sync_withdrawal_pending (store (), h.second_id, NULL));
  g_assert_cmpuint (portal_request ("GET", h.second_id, NULL, &reply), ==, 200);
  g_assert_nonnull (strstr (reply, "\"withdrawn\""));
  assert_public_page_gone (h.second_id);
  /* No longer listed as published. */
  g_assert_null (gk_gui_test_find_named (find ("published-group"), h.second_id));
}

/* The portal is down: the withdrawal stays queued, the row says so, and
 * the next publishing run sends it. */
static void
test_withdraw_portal_down (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) published = NULL;
  g_autoptr(GkItem) pending = NULL;
  g_autoptr(GkItem) withdrawn = NULL;
  g_autofree char *button = NULL;
  g_autofree char *third = approve_document ("third.pdf",
                                             "上海市应急管理局关于开展安全生产月活动的通知\n\n各区应急管理局：\n请认真组织开展。",
                                             "关于开展2025年安全生产月活动的通知");

  publish_confirmed ("关于开展2025年安全生产月活动的通知");
  GK_GUI_WAIT (page_idle (), 30000);
  published = get_item (third);
  g_assert_cmpint (published->state, ==, GK_STATE_PUBLISHED);
  g_assert_cmpuint (public_page_status (third), ==, 200);

  g_assert_true (gk_test_portal_stop (h.portal, &error));
  g_assert_no_error (error);
  withdraw_in_dialog (third, "门户网站停机时撤回。");
  GK_GUI_WAIT (page_idle (), 60000);

  pending = get_item (third);
  g_assert_cmpint (pending->state, ==, GK_STATE_PUBLISHED);
  g_assert_true (gk_sync_withdrawal_pending (store (), third, NULL));
  if (!g_str_has_prefix (row_subtitle (third), "Withdrawal pending: the portal has not confirmed it yet"))
    g_error ("the row says: %s", row_subtitle (third));
  button = g_strdup_printf ("withdraw:%s", third);
  g_assert_false (gtk_widget_is_sensitive (find (button)));
  shot ("publish-withdrawal-pending");

  g_assert_true (gk_test_portal_restart (h.portal, &error));
  g_assert_no_error (error);
  /* Still public: the DELETE never reached the portal. */
  g_assert_cmpuint (public_page_status (third), ==, 200);
  click (find ("publish-button"));
  GK_GUI_WAIT (page_idle (), 30000);
  g_assert_nonnull (strstr (gk_publish_page_get_report_summary (h.page), "Withdrawn 1"));
  withdrawn = get_item (third);
  g_assert_cmpint (withdrawn->state, ==, GK_STATE_WITHDRAWN);
  g_assert_false (gk_sync_withdrawal_pending (store (), third, NULL));
  assert_public_page_gone (third);
}

/* Only http(s) links are opened: an address from an older library that
 * is something else gets no button, is not shown, and the one way the
 * window opens links refuses it. */
static void
test_only_web_links (void)
{
  static const char *const refused[] = {
    "javascript:alert(1)", "file:///etc/passwd", "/docs/relative", "ftp://portal.example.gov.cn/x",
    "https://portal.example.gov.cn/a\x01b", "data:text/html,<script>alert(1)</script>", "", NULL,
  };
  g_autofree char *db_path = g_build_filename (h.library, "library.db", NULL);
  g_autofree char *open_name = g_strdup_printf ("open:%s", h.first_id);
  g_autofree char *sql = NULL;
  g_autofree char *text = NULL;
  sqlite3 *db = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    g_assert_false (gk_show_web_link (GTK_WIDGET (h.page), refused[i]));

  /* Published, with a link the portal gave. */
  g_assert_nonnull (gk_gui_test_find_named (find ("published-group"), open_name));

  /* A library written before addresses were checked. */
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sql = sqlite3_mprintf ("UPDATE items SET public_url = 'javascript:alert(1)' WHERE id = %Q", h.first_id);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_free (g_steal_pointer (&sql));
  sqlite3_close (db);
  gk_publish_page_reload (h.page);
  gk_gui_test_pump (50);
  GK_GUI_WAIT (page_idle (), 10000);

  g_assert_nonnull (find (h.first_id));
  g_assert_null (gk_gui_test_find_named (find ("published-group"), open_name));
  text = gk_gui_test_collect_text (GTK_WIDGET (h.page));
  g_assert_null (strstr (text, "javascript:"));
  g_assert_null (strstr (row_subtitle (h.first_id), "javascript:"));
}

/* A reviewer cannot publish or change the portal settings; the page
 * says why. */
static void
test_reviewer_cannot_publish (void)
{
  g_autofree char *text = NULL;

  act_as ("rita");
  g_assert_false (gtk_widget_is_sensitive (find ("publish-button")));
  g_assert_nonnull (gtk_widget_get_tooltip_text (find ("publish-button")));
  g_assert_false (gtk_widget_is_sensitive (find ("portal-url-row")));
  text = gk_gui_test_collect_text (GTK_WIDGET (h.page));
  g_assert_nonnull (strstr (text, "rita"));
}

/* Without a token, a publisher is told who can give one (only an admin
 * stores it), not to type it into a row that is grey for them. */
static void
test_publisher_without_token (void)
{
  const char *summary;

  /* The admin forgets the token typed at the start. */
  act_as (g_getenv ("GONGKAI_USER"));
  GK_GUI_WAIT (page_idle () && gtk_widget_is_sensitive (find ("token-forget-button")), 10000);
  click (find ("token-forget-button"));
  GK_GUI_WAIT (page_idle () && !gtk_widget_get_visible (find ("token-forget-button")), 10000);
  act_as ("pat");
  GK_GUI_WAIT (page_idle (), 10000);
  g_assert_false (gtk_widget_is_sensitive (find ("token-row")));
  gk_publish_page_publish (h.page);
  GK_GUI_WAIT (page_idle () && gk_publish_page_get_report_summary (h.page) != NULL, 15000);
  summary = gk_publish_page_get_report_summary (h.page);
  if (strstr (summary, "An admin enters the access token") == NULL)
    g_error ("a publisher is told: %s", summary);
  /* The batch never started: no bar left saying it is being prepared. */
  g_assert_false (gtk_widget_get_visible (find ("sync-progress")));
  g_assert_true (gtk_widget_get_visible (find ("sync-report")));
}

static void
on_busy_cb (GObject *page, GParamSpec *pspec, guint *n_busy)
{
  if (gk_publish_page_get_busy (GK_PUBLISH_PAGE (page)))
    (*n_busy)++;
}

/* While another view is shown, the publish page does not read the library
 * at each change (an import of 60 documents read it 60 times on the
 * window's main loop); shown again, it reads once and is up to date. */
static void
test_hidden_page_reads_when_shown (void)
{
  g_autofree char *third_id = NULL;
  guint            n_busy = 0;
  gulong           handler;

  act_as (g_getenv ("GONGKAI_USER"));
  GK_GUI_WAIT (page_idle (), 10000);
  gk_window_select_view (h.window, "all");
  GK_GUI_WAIT (!gtk_widget_get_mapped (GTK_WIDGET (h.page)), 5000);
  handler = g_signal_connect (h.page, "notify::busy", G_CALLBACK (on_busy_cb), &n_busy);

  /* Another document imported, submitted and approved twice: four
   * changes. */
  third_id = approve_document ("third.pdf",
                               "上海市应急管理局关于开展2025年安全生产月活动的通知\n\n各区应急管理"
                               "局：\n请组织开展安全生产月活动。",
                               "关于开展2025年安全生产月活动的通知");
  gk_gui_test_pump (300);
  g_assert_cmpuint (n_busy, ==, 0);

  gk_window_select_view (h.window, "sync");
  GK_GUI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (h.page)), 5000);
  GK_GUI_WAIT (n_busy > 0 && page_idle (), 10000);
  g_signal_handler_disconnect (h.page, handler);
  if (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find ("waiting-row"))),
              "1 approved document") == NULL)
    g_error ("the page shows: %s",
             adw_action_row_get_subtitle (ADW_ACTION_ROW (find ("waiting-row"))));
}

/* The confirmation lists every approved document, all chosen; the
 * publisher leaves one out: only the other goes public, the one left out
 * stays approved, and the page says it still waits. */
static void
test_choose_what_goes_public (void)
{
  g_autofree char *fourth_id = NULL;
  g_autofree char *third_name = NULL;
  g_autofree char *fourth_name = NULL;
  g_autoptr (GkItem) third = NULL;
  g_autoptr (GkItem) fourth = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) approved = NULL;
  GkQuery    query = { .state = GK_QUERY_APPROVED };
  GtkWindow *dialog = NULL;
  GtkWidget *check, *count;

  /* The admin saves the token again (an earlier test forgot it): the
   * report that asked for one is gone. */
  act_as (g_getenv ("GONGKAI_USER"));
  g_assert_true (gtk_widget_get_visible (find ("sync-report")));
  gtk_editable_set_text (GTK_EDITABLE (find ("token-row")), TOKEN);
  g_signal_emit_by_name (find ("token-row"), "apply");
  GK_GUI_WAIT (page_idle (), 15000);
  g_assert_false (gtk_widget_get_visible (find ("sync-report")));
  g_assert_null (gk_publish_page_get_report_summary (h.page));

  fourth_id = approve_document ("fourth.pdf",
                                "上海市应急管理局关于开展2025年防灾减灾宣传周活动的通知\n\n各区应急"
                                "管理局：\n请组织开展宣传周活动。",
                                "关于开展2025年防灾减灾宣传周活动的通知");
  approved = gk_store_query (store (), &query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (approved->len, ==, 2);
  third = g_object_ref (g_ptr_array_index (approved, 0));
  if (g_str_equal (third->id, fourth_id))
    g_set_object (&third, g_ptr_array_index (approved, 1));
  GK_GUI_WAIT (page_idle (), 10000);

  click (find ("publish-button"));
  GK_GUI_WAIT ((dialog = find_dialog (ADW_TYPE_MESSAGE_DIALOG)) != NULL, 5000);
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (dialog)), ==, "publish-confirm-dialog");
  gk_gui_test_pump (100);
  third_name = g_strdup_printf ("choose:%s", third->id);
  fourth_name = g_strdup_printf ("choose:%s", fourth_id);
  count = gk_gui_test_find_named (GTK_WIDGET (dialog), "publish-choice-count");
  g_assert_nonnull (count);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (count)), ==, "All 2 documents go public.");
  check = gk_gui_test_find_named (GTK_WIDGET (dialog), third_name);
  g_assert_nonnull (check);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_true (gtk_check_button_get_active (
      GTK_CHECK_BUTTON (gk_gui_test_find_named (GTK_WIDGET (dialog), fourth_name))));

  /* Left out: the dialog says what stays. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (count)), ==,
                   "1 of 2 goes public; 1 stays approved for the next run.");
  gk_gui_test_pump (100);
  g_free (gk_gui_test_screenshot (GTK_WIDGET (dialog), "publish-choose"));
  gtk_check_button_set_active (
      GTK_CHECK_BUTTON (gk_gui_test_find_named (GTK_WIDGET (dialog), fourth_name)), FALSE);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "publish"));
  gtk_check_button_set_active (
      GTK_CHECK_BUTTON (gk_gui_test_find_named (GTK_WIDGET (dialog), fourth_name)), TRUE);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "publish"));
  respond (dialog, "publish");
  GK_GUI_WAIT (page_idle () && gk_publish_page_get_report_summary (h.page) != NULL, 30000);
  if (!g_str_has_prefix (gk_publish_page_get_report_summary (h.page), "Published 1 "))
    g_error ("the report says: %s", gk_publish_page_get_report_summary (h.page));

  fourth = get_item (fourth_id);
  g_assert_cmpint (fourth->state, ==, GK_STATE_PUBLISHED);
  {
    g_autoptr (GkItem) left_out = get_item (third->id);

    g_assert_cmpint (left_out->state, ==, GK_STATE_APPROVED);
  }
  if (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find ("waiting-row"))),
              "1 approved document") == NULL)
    g_error ("the page shows: %s",
             adw_action_row_get_subtitle (ADW_ACTION_ROW (find ("waiting-row"))));
}

static void
test_teardown (void)
{
  if (h.window != NULL)
    gtk_window_destroy (GTK_WINDOW (h.window));
  gk_gui_test_pump (50);
  g_clear_object (&h.context);
  g_clear_object (&h.app);
  g_clear_pointer (&h.portal, gk_test_portal_free);
  gk_gui_test_remove_tree (h.dir);
  g_free (h.dir);
  g_free (h.files);
  g_free (h.library);
  g_free (h.first_id);
  g_free (h.second_id);
}

int
main (int   argc,
      char *argv[])
{
  /* No Secret Service: a test session's keyring daemon would wait for a
   * person to create a keyring.  The page then keeps the typed token for
   * the session, which is what it must do without a keyring. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/gongkai-test-bus", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  gk_gui_test_init (&argc, &argv);

  g_test_add_func ("/publish/setup", test_setup);
  g_test_add_func ("/publish/portal-settings", test_portal_settings);
  g_test_add_func ("/publish/publish", test_publish);
  g_test_add_func ("/publish/conflict", test_conflict);
  g_test_add_func ("/publish/withdraw", test_withdraw);
  g_test_add_func ("/publish/withdraw-portal-down", test_withdraw_portal_down);
  g_test_add_func ("/publish/only-web-links", test_only_web_links);
  g_test_add_func ("/publish/reviewer-cannot-publish", test_reviewer_cannot_publish);
  g_test_add_func ("/publish/publisher-without-token", test_publisher_without_token);
  g_test_add_func ("/publish/hidden-page-reads-when-shown", test_hidden_page_reads_when_shown);
  g_test_add_func ("/publish/choose-what-goes-public", test_choose_what_goes_public);
  g_test_add_func ("/publish/teardown", test_teardown);
  return g_test_run ();
}
