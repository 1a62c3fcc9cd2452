/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiGuiTest"

#include "config.h"

#include <string.h>

#include "gk-changes-view.h"
#include "gk-findings-list.h"
#include "gk-fixtures.h"
#include "gk-gui-test.h"
#include "gk-importer.h"
#include "gk-pdf-canvas.h"
#include "gk-reason-dialog.h"
#include "gk-review-page.h"
#include "gk-user-switcher.h"
#include "gk-util.h"
#include "gk-window-private.h"
#include "gk-workflow.h"

/* The review queue in the real window, driven as reviewers would: a
 * drafter's submissions appear in a reviewer's queue, most urgent first;
 * the PDF is shown beside the record with the screening findings
 * highlighted; a finding is dismissed with a reason; an own document
 * cannot be approved and the button says why; a return needs a comment;
 * two reviewers sign the two stages; the changes since the last approved
 * revision are listed; a bulk approval keeps a decision per document.
 * Tests run in order and share the library. */

static struct
{
  char          *dir;
  char          *files;
  char          *library;
  GkApplication *app;
  GkContext     *context;
  GkWindow      *window;
  GkReviewPage  *page;
  char          *secret_id;   /* a secrecy mark and a mobile number; due first */
  char          *plain_id;
  char          *returned_id;
  char          *revised_id;  /* approved once, then edited and submitted again */
  char          *signed_id;   /* rita signed its first stage */
  char          *personal_id; /* an open 身份证号 and bank card number */
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

static GkReasonDialog *
find_reason_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (GK_IS_REASON_DIALOG (window) && gtk_widget_get_visible (window))
        return GK_REASON_DIALOG (window);
    }
  return NULL;
}

/* As a click on a response button does: respond, then the dialog goes. */
static void
respond (GkReasonDialog *dialog,
         const char     *response)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
page_idle (void)
{
  return !gk_review_page_get_busy (h.page);
}

/* The window as this member sees it, on the review page. */
/* The acting member, chosen as a person on a shared desk does: in the
 * header bar's user popover. */
static void
act_as (const char *who)
{
  if (h.window == NULL)
    {
      h.window = GK_WINDOW (gk_gui_test_open_window (h.app, h.context, "queue"));
      h.page = GK_REVIEW_PAGE (gk_gui_test_find_type (GTK_WIDGET (h.window), GK_TYPE_REVIEW_PAGE));
      g_assert_nonnull (h.page);
      GK_GUI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (h.page)), 5000);
    }
  gk_gui_test_switch_user (GTK_WIDGET (h.window), h.context, who);
  /* The queue is read again for this member, in the background. */
  GK_GUI_WAIT (page_idle (), 10000);
}

/* As a click does: only on a sensitive, visible button. */
static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_mapped (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
shot (const char *name)
{
  /* Let the last changes be laid out and drawn. */
  gk_gui_test_pump (150);
  g_free (gk_gui_test_screenshot (GTK_WIDGET (h.window), name));
}

static void
select_one (const char *id)
{
  const char *ids[] = { id, NULL };

  g_assert_true (gk_review_page_select (h.page, ids));
  GK_GUI_WAIT (g_strcmp0 (gk_review_page_get_current_id (h.page), id) == 0, 5000);
  GK_GUI_WAIT (gk_review_page_get_preview_ready (h.page), 15000);
  /* The first page is drawn (the findings are highlighted on it). */
  GK_GUI_WAIT (gk_pdf_canvas_get_page_texture (GK_PDF_CANVAS (gk_review_page_get_canvas (h.page)), 0) != NULL,
               15000);
}

/* Import a one-page 公文 as dora, complete its record and submit it. */
static char *
submit_document (const char *file_name,
                 const char *text,
                 const char *title,
                 const char *written_date)
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
  g_assert_no_error (error);
  results = gk_importer_import_sync (importer, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  result = g_ptr_array_index (results, 0);
  g_assert_cmpint (result->status, ==, GK_IMPORT_IMPORTED);
  id = g_strdup (result->id);

  item = get_item (id);
  g_assert_true (gk_item_set_field (item, "title", title, &error));
  g_assert_true (gk_item_set_field (item, "issuer", "上海市应急管理局", &error));
  g_assert_true (gk_item_set_field (item, "written_date", written_date, &error));
  g_assert_true (gk_item_set_field (item, "disclosure", "proactive", &error));
  g_assert_true (gk_item_set_field (item, "category", "policy_document", &error));
  g_assert_no_error (error);
  g_assert_true (gk_store_update_item (store (), "dora", item, &error));
  g_assert_no_error (error);
  g_assert_true (gk_workflow_submit (store (), "dora", id, &error));
  g_assert_no_error (error);
  return id;
}

static guint
find_finding (GkItem *item, GkFindingKind kind)
{
  for (guint i = 0; item->findings != NULL && i < item->findings->len; i++)
    if (((GkFinding *) g_ptr_array_index (item->findings, i))->kind == kind)
      return i;
  return G_MAXUINT;
}

static void
test_setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) revised = NULL;
  static const struct { const char *user; GkRole roles; } members[] = {
    { "dora", GK_ROLE_DRAFTER | GK_ROLE_REVIEWER },
    { "rita", GK_ROLE_REVIEWER },
    { "rob", GK_ROLE_REVIEWER },
    { "pat", GK_ROLE_PUBLISHER },
  };

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

  /* Written dates set the disclosure deadlines, so the queue's order. */
  h.plain_id = submit_document ("plain.pdf",
                                "上海市应急管理局关于做好2025年汛期安全防范工作的通知\n\n"
                                "各区应急管理局：\n为做好今年汛期安全防范工作，现将有关事项通知如下。",
                                "关于做好2025年汛期安全防范工作的通知", "2025-04-01");
  h.secret_id = submit_document ("secret.pdf",
                                 "秘密★1年\n\n上海市应急管理局关于印发2025年政务公开工作要点的通知\n\n"
                                 "各区应急管理局：\n现将《2025年政务公开工作要点》印发给你们，请认真贯彻落实。\n"
                                 "联系人：张伟，联系电话：13812345678。",
                                 "关于印发2025年政务公开工作要点的通知", "2025-01-06");
  h.returned_id = submit_document ("return.pdf",
                                   "上海市应急管理局关于开展安全生产月活动的通知\n\n各区应急管理局：\n请按要求组织开展活动。",
                                   "关于开展安全生产月活动的通知", "2025-05-06");
  h.personal_id = submit_document ("personal.pdf",
                                   "上海市应急管理局关于2025年度救助补助发放情况的公示\n\n"
                                   "经审核，王某某（身份证号11010519491231002X，收款账号6222020200112345679）"
                                   "符合救助补助发放条件，现予公示。",
                                   "关于2025年度救助补助发放情况的公示", "2025-05-08");
  h.signed_id = submit_document ("signed.pdf",
                                 "上海市应急管理局关于加强危险化学品安全管理的意见\n\n各区应急管理局：\n请结合实际抓好落实。",
                                 "关于加强危险化学品安全管理的意见", "2025-05-12");
  g_assert_true (gk_workflow_approve (store (), "rita", h.signed_id, NULL, &error));
  g_assert_no_error (error);

  /* Approved at revision 1, then edited: revision 2 is reviewed again. */
  h.revised_id = submit_document ("revised.pdf",
                                  "上海市应急管理局关于修订应急预案管理办法的通知\n\n各区应急管理局：\n现将修订后的办法印发给你们。",
                                  "关于修订应急预案管理办法的通知", "2025-05-20");
  g_assert_true (gk_workflow_approve (store (), "rita", h.revised_id, NULL, &error));
  g_assert_true (gk_workflow_approve (store (), "rob", h.revised_id, NULL, &error));
  g_assert_no_error (error);
  revised = get_item (h.revised_id);
  g_assert_cmpint (revised->state, ==, GK_STATE_APPROVED);
  g_assert_true (gk_item_set_field (revised, "title", "关于修订应急预案管理办法（2025年修订）的通知", &error));
  g_assert_true (gk_item_set_field (revised, "summary", "修订后的办法自2025年7月1日起施行。", &error));
  g_assert_true (gk_store_update_item (store (), "dora", revised, &error));
  g_assert_no_error (error);
  g_assert_true (gk_workflow_submit (store (), "dora", h.revised_id, &error));
  g_assert_no_error (error);

  h.app = gk_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (h.app), NULL, &error));
  g_assert_no_error (error);
}

/* rita's queue: what she may sign, most urgent first; the PDF beside the
 * record with the findings highlighted; approval blocked by the mark. */
static void
test_queue (void)
{
  g_autoptr(GkItem) secret = NULL;
  GkFindingsList *findings;
  GtkWidget *approve, *caption;
  guint mark;

  act_as ("rita");
  /* rita signed the first stage of one: it waits for someone else. */
  g_assert_cmpuint (gk_review_page_get_n_queued (h.page), ==, 5);
  g_assert_true (gk_review_page_is_signable (h.page, h.secret_id));
  g_assert_false (gk_review_page_is_signable (h.page, h.signed_id));
  g_assert_true (gk_review_page_is_listed (h.page, h.signed_id));
  /* Written first, due first. */
  g_assert_cmpstr (gk_review_page_get_queued_id (h.page, 0), ==, h.secret_id);
  g_assert_cmpstr (gk_review_page_get_queued_id (h.page, 1), ==, h.plain_id);

  select_one (h.secret_id);
  secret = get_item (h.secret_id);

  /* The zoom keys act on the document beside the record. */
  {
    GkPdfCanvas *canvas = GK_PDF_CANVAS (gk_review_page_get_canvas (h.page));
    double before = gk_pdf_canvas_get_scale (canvas);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (h.window), "window.zoom-in", NULL));
    g_assert_cmpfloat (gk_pdf_canvas_get_scale (canvas), >, before);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (h.window), "window.zoom-reset", NULL));
    g_assert_cmpfloat_with_epsilon (gk_pdf_canvas_get_scale (canvas), 1.0, 0.001);
  }
  mark = find_finding (secret, GK_FINDING_SECRECY_MARK);
  g_assert_cmpuint (mark, !=, G_MAXUINT);
  g_assert_cmpuint (find_finding (secret, GK_FINDING_MOBILE), !=, G_MAXUINT);

  findings = GK_FINDINGS_LIST (gk_gui_test_find_type (GTK_WIDGET (h.page), GK_TYPE_FINDINGS_LIST));
  g_assert_nonnull (findings);
  g_assert_cmpuint (gk_findings_list_get_n_findings (findings), ==, secret->findings->len);
  /* Highlighted on the page. */
  g_assert_cmpuint (gk_pdf_canvas_get_n_findings_rects (GK_PDF_CANVAS (gk_review_page_get_canvas (h.page))), >=, 2);

  approve = find ("approve-button");
  caption = find ("review-caption");
  g_assert_false (gtk_widget_get_sensitive (approve));
  g_assert_nonnull (gtk_widget_get_tooltip_text (approve));
  g_assert_true (gtk_widget_get_visible (caption));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (caption)), ==, gtk_widget_get_tooltip_text (approve));
  g_assert_true (gtk_widget_get_sensitive (find ("return-button")));

  /* A click on a finding shows it on its page. */
  g_signal_emit_by_name (find ("findings-list"), "row-activated",
                         gk_findings_list_get_row (findings, mark));
  gk_gui_test_pump (100);
  shot ("review-queue");
}

static void
test_dismiss_finding (void)
{
  g_autoptr(GkItem) before = get_item (h.secret_id);
  g_autoptr(GkItem) after = NULL;
  GkFindingsList *findings = GK_FINDINGS_LIST (gk_gui_test_find_type (GTK_WIDGET (h.page), GK_TYPE_FINDINGS_LIST));
  guint           mark = find_finding (before, GK_FINDING_SECRECY_MARK);
  GkReasonDialog *dialog;
  GkFinding *finding;

  g_assert_null (find_reason_dialog ());
  click (gk_findings_list_get_dismiss_button (findings, mark));
  GK_GUI_WAIT ((dialog = find_reason_dialog ()) != NULL, 5000);
  /* A reason is required. */
  g_assert_false (gk_reason_dialog_can_act (dialog));
  gk_reason_dialog_set_text (dialog, "   ");
  g_assert_false (gk_reason_dialog_can_act (dialog));
  gk_reason_dialog_set_text (dialog, "标题中引用的是文件名称，并非本件密级。");
  g_assert_true (gk_reason_dialog_can_act (dialog));
  respond (dialog, "dismiss");
  GK_GUI_WAIT (page_idle () && find_reason_dialog () == NULL, 10000);
  GK_GUI_WAIT (gk_review_page_get_preview_ready (h.page), 10000);

  after = get_item (h.secret_id);
  finding = g_ptr_array_index (after->findings, mark);
  g_assert_cmpint (finding->status, ==, GK_FINDING_DISMISSED);
  g_assert_cmpstr (finding->decided_by, ==, "rita");
  g_assert_cmpstr (finding->reason, ==, "标题中引用的是文件名称，并非本件密级。");

  /* The open mobile number still blocks, and the caption names it. */
  {
    guint      mobile = find_finding (after, GK_FINDING_MOBILE);
    GkFinding *number = g_ptr_array_index (after->findings, mobile);
    g_autoptr(GkItem) decided = NULL;

    g_assert_false (gtk_widget_get_sensitive (find ("approve-button")));
    g_assert_true (gtk_widget_get_visible (find ("review-caption")));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find ("review-caption"))), number->value));

    click (gk_findings_list_get_dismiss_button (findings, mobile));
    GK_GUI_WAIT ((dialog = find_reason_dialog ()) != NULL, 5000);
    gk_reason_dialog_set_text (dialog, "为本局对外公布的联系人电话。");
    respond (dialog, "dismiss");
    GK_GUI_WAIT (page_idle () && find_reason_dialog () == NULL, 10000);
    GK_GUI_WAIT (gk_review_page_get_preview_ready (h.page), 10000);
    decided = get_item (h.secret_id);
    g_assert_cmpint (((GkFinding *) g_ptr_array_index (decided->findings, mobile))->status, ==,
                     GK_FINDING_DISMISSED);
  }
  /* Nothing blocks rita now. */
  g_assert_true (gtk_widget_get_sensitive (find ("approve-button")));
  g_assert_false (gtk_widget_get_visible (find ("review-caption")));
}

/* dora drafted it: she sees it, and the buttons say why she cannot sign. */
static void
test_own_document (void)
{
  GtkWidget *approve, *caption;
  const char *why;

  act_as ("dora");
  g_assert_true (gk_review_page_is_listed (h.page, h.plain_id));
  g_assert_false (gk_review_page_is_signable (h.page, h.plain_id));
  select_one (h.plain_id);
  approve = find ("approve-button");
  caption = find ("review-caption");
  g_assert_false (gtk_widget_get_sensitive (approve));
  why = gtk_widget_get_tooltip_text (approve);
  g_assert_nonnull (why);
  g_assert_nonnull (strstr (why, "dora"));
  g_assert_true (gtk_widget_get_visible (caption));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (caption)), why));

  /* The command line refuses her with the same reason: both faces ask
   * the one policy of the core (gk_policy_check), each adds its remedy. */
  {
    g_autoptr (GkItem) item = get_item (h.plain_id);
    g_autoptr (GError) refusal = NULL;
    g_autoptr (GError) error = NULL;
    g_autoptr (GSubprocess) ctl = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_false (gk_store_check_action (store (), "dora", GK_ACTION_APPROVE, item, &refusal));
    g_assert_nonnull (refusal);
    ctl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                            g_getenv ("GONGKAI_CTL"), "--library", h.library, "--as", "dora",
                            "review", h.plain_id, "approve", NULL);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate_utf8 (ctl, NULL, NULL, &out, &err, &error));
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (ctl), !=, 0);
    if (strstr (err, refusal->message) == NULL || strstr (why, refusal->message) == NULL)
      g_error ("the core says “%s”; the command line “%s”; the window “%s”", refusal->message, err,
               why);
  }
  shot ("review-own-document");
}

static void
test_return_needs_comment (void)
{
  g_autoptr(GkItem) item = NULL;
  g_autoptr(GPtrArray) log = NULL;
  GkReasonDialog *dialog;
  gboolean audited = FALSE;

  act_as ("rita");
  select_one (h.returned_id);
  click (find ("return-button"));
  GK_GUI_WAIT ((dialog = find_reason_dialog ()) != NULL, 5000);
  g_assert_false (gk_reason_dialog_can_act (dialog));
  gk_reason_dialog_set_text (dialog, "请补充活动的时间安排和联系人。");
  g_assert_true (gk_reason_dialog_can_act (dialog));
  respond (dialog, "return");
  GK_GUI_WAIT (page_idle () && find_reason_dialog () == NULL, 10000);

  item = get_item (h.returned_id);
  g_assert_cmpint (item->state, ==, GK_STATE_RETURNED);
  g_assert_false (gk_review_page_is_listed (h.page, h.returned_id));
  log = gk_store_audit_log (store (), h.returned_id, NULL);
  for (guint i = 0; log != NULL && i < log->len; i++)
    {
      GkAuditEntry *entry = g_ptr_array_index (log, i);

      if (g_str_equal (entry->action, "return") && g_str_equal (entry->actor, "rita") &&
          strstr (entry->details, "请补充活动的时间安排和联系人。") != NULL)
        audited = TRUE;
    }
  g_assert_true (audited);
}

/* rita signs the confidentiality review; she cannot sign the release;
 * rob does. */
static void
test_two_stages (void)
{
  g_autoptr(GkItem) first = NULL;
  g_autoptr(GkItem) second = NULL;
  const char *why;

  select_one (h.secret_id);
  click (find ("approve-button"));
  GK_GUI_WAIT (page_idle (), 10000);
  first = get_item (h.secret_id);
  g_assert_cmpint (first->state, ==, GK_STATE_IN_REVIEW);
  g_assert_cmpint (first->stage, ==, GK_STAGE_RELEASE);
  g_assert_false (gk_review_page_is_signable (h.page, h.secret_id));

  select_one (h.secret_id);
  g_assert_false (gtk_widget_get_sensitive (find ("approve-button")));
  why = gtk_widget_get_tooltip_text (find ("approve-button"));
  g_assert_nonnull (why);
  g_assert_nonnull (strstr (why, "rita"));

  act_as ("rob");
  g_assert_true (gk_review_page_is_signable (h.page, h.secret_id));
  select_one (h.secret_id);
  g_assert_true (gtk_widget_get_sensitive (find ("approve-button")));
  click (find ("approve-button"));
  GK_GUI_WAIT (page_idle (), 10000);
  second = get_item (h.secret_id);
  g_assert_cmpint (second->state, ==, GK_STATE_APPROVED);
  g_assert_false (gk_review_page_is_listed (h.page, h.secret_id));
}

static void
test_changes_since_approval (void)
{
  GkChangesView *changes;
  GtkWidget *title_row;
  g_autofree char *text = NULL;

  select_one (h.revised_id);
  changes = GK_CHANGES_VIEW (gk_gui_test_find_type (GTK_WIDGET (h.page), GK_TYPE_CHANGES_VIEW));
  g_assert_nonnull (changes);
  g_assert_cmpuint (gk_changes_view_get_n_changes (changes), ==, 2);
  g_assert_nonnull (strstr (gk_changes_view_get_title (changes), "1"));
  title_row = gk_gui_test_find_named (GTK_WIDGET (changes), "title");
  g_assert_nonnull (title_row);
  text = g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (title_row)));
  g_assert_nonnull (strstr (text, "关于修订应急预案管理办法的通知"));
  g_assert_nonnull (strstr (text, "关于修订应急预案管理办法（2025年修订）的通知"));
  g_assert_nonnull (gk_gui_test_find_named (GTK_WIDGET (changes), "summary"));
  shot ("review-changes");
}

/* rita selects four; she already cannot sign one, and one has open
 * personal data: each keeps its answer. */
static void
test_bulk_approve (void)
{
  const char *ids[] = { h.plain_id, h.revised_id, h.signed_id, h.personal_id, NULL };
  g_autoptr(GkItem) personal = get_item (h.personal_id);
  g_autofree char *masked_card = NULL;
  g_autoptr(GkItem) plain = NULL;
  g_autoptr(GkItem) revised = NULL;
  g_autoptr(GkItem) signed_item = NULL;
  g_autofree char *text = NULL;
  GtkWidget *button, *results;

  act_as ("rita");
  g_assert_true (gk_review_page_select (h.page, ids));
  /* Each is checked against the policy on a reader thread. */
  GK_GUI_WAIT (!gk_review_page_get_busy (h.page), 5000);
  gk_gui_test_pump (50);
  button = find ("bulk-approve-button");
  results = find ("bulk-results");
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_get_sensitive (button));
  /* Before: which one will be refused, and why. */
  text = gk_gui_test_collect_text (results);
  g_assert_nonnull (strstr (text, "rita"));
  for (guint i = 0; i < personal->findings->len; i++)
    if (((GkFinding *) g_ptr_array_index (personal->findings, i))->kind == GK_FINDING_ID_CARD)
      masked_card = g_strdup (((GkFinding *) g_ptr_array_index (personal->findings, i))->value);
  g_assert_nonnull (masked_card);
  g_assert_nonnull (strstr (text, masked_card));
  g_assert_null (strstr (text, "11010519491231002X"));
  g_clear_pointer (&text, g_free);

  click (button);
  GK_GUI_WAIT (page_idle (), 15000);
  gk_gui_test_pump (50);

  plain = get_item (h.plain_id);
  revised = get_item (h.revised_id);
  signed_item = get_item (h.signed_id);
  g_assert_cmpint (plain->state, ==, GK_STATE_IN_REVIEW);
  g_assert_cmpint (plain->stage, ==, GK_STAGE_RELEASE);
  g_assert_cmpint (revised->stage, ==, GK_STAGE_RELEASE);
  /* rita signed its first stage herself: refused, still waiting. */
  g_assert_cmpint (signed_item->state, ==, GK_STATE_IN_REVIEW);
  g_assert_cmpint (signed_item->stage, ==, GK_STAGE_RELEASE);
  /* Open personal data: refused, still at the confidentiality review. */
  g_clear_object (&personal);
  personal = get_item (h.personal_id);
  g_assert_cmpint (personal->state, ==, GK_STATE_IN_REVIEW);
  g_assert_cmpint (personal->stage, ==, GK_STAGE_CONFIDENTIALITY);

  text = gk_gui_test_collect_text (results);
  g_assert_nonnull (strstr (text, "2"));
  g_assert_nonnull (strstr (text, "关于2025年度救助补助发放情况的公示"));
  g_assert_nonnull (strstr (text, masked_card));
  g_assert_nonnull (strstr (text, "关于加强危险化学品安全管理的意见"));
  g_assert_false (gtk_widget_get_visible (button));
  shot ("review-bulk");
}

/* A document whose first page could not be read at import, its record
 * filled by hand: the reviewer sees that it was not read. */
static void
test_import_warnings (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (h.files, "damaged.pdf", NULL);
  const char *paths[] = { path, NULL };
  g_autoptr(GkImporter) importer = gk_importer_new (store (), "dora");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GkItem) item = NULL;
  g_autofree char *id = NULL;
  g_autofree char *plain_text = NULL;
  GtkWidget *row;

  g_assert_true (gk_fixture_write_damaged_page_pdf (&gk_fixture_corpus (NULL)[0], 1, TRUE, path, &error));
  g_assert_no_error (error);
  results = gk_importer_import_sync (importer, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  id = g_strdup (((GkImportResult *) g_ptr_array_index (results, 0))->id);
  item = get_item (id);
  g_assert_true (gk_item_set_field (item, "title", "关于印发2023年政务公开工作要点的通知", &error));
  g_assert_true (gk_item_set_field (item, "issuer", "上海市应急管理局", &error));
  g_assert_true (gk_item_set_field (item, "written_date", "2023-04-10", &error));
  g_assert_true (gk_item_set_field (item, "disclosure", "proactive", &error));
  g_assert_true (gk_item_set_field (item, "category", "policy_document", &error));
  g_assert_true (gk_store_update_item (store (), "dora", item, &error));
  g_assert_true (gk_workflow_submit (store (), "dora", id, &error));
  g_assert_no_error (error);

  act_as ("rob");
  GK_GUI_WAIT (gk_review_page_is_listed (h.page, id), 10000);
  select_one (id);
  row = find ("import-warnings");
  plain_text = gk_gui_test_collect_text (row);
  g_test_message ("%s", plain_text);
  g_assert_nonnull (strstr (plain_text, "The first page could not be read"));
  shot ("review-import-warnings");

  /* A plain text, not laid out as a 公文: read, but no field found in
   * it; said as such, not as a damaged page. */
  g_clear_pointer (&plain_text, g_free);
  select_one (h.plain_id);
  plain_text = gk_gui_test_collect_text (find ("import-warnings"));
  g_test_message ("%s", plain_text);
  g_assert_null (strstr (plain_text, "first page could not be read"));
  g_assert_nonnull (strstr (plain_text, "from the text"));
}

/* A member without the reviewer role is told why there is no queue. */
static void
test_not_a_reviewer (void)
{
  g_autofree char *text = NULL;

  act_as ("pat");
  g_assert_cmpuint (gk_review_page_get_n_queued (h.page), ==, 0);
  text = gk_gui_test_collect_text (GTK_WIDGET (h.page));
  g_assert_nonnull (strstr (text, "pat"));
}

static void
test_teardown (void)
{
  if (h.window != NULL)
    gtk_window_destroy (GTK_WINDOW (h.window));
  gk_gui_test_pump (50);
  g_clear_object (&h.context);
  g_clear_object (&h.app);
  gk_gui_test_remove_tree (h.dir);
  g_free (h.dir);
  g_free (h.files);
  g_free (h.library);
  g_free (h.secret_id);
  g_free (h.plain_id);
  g_free (h.returned_id);
  g_free (h.revised_id);
  g_free (h.signed_id);
  g_free (h.personal_id);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gk_gui_test_init (&argc, &argv);

  g_test_add_func ("/review/setup", test_setup);
  g_test_add_func ("/review/queue", test_queue);
  g_test_add_func ("/review/dismiss-finding", test_dismiss_finding);
  g_test_add_func ("/review/own-document", test_own_document);
  g_test_add_func ("/review/return-needs-comment", test_return_needs_comment);
  g_test_add_func ("/review/two-stages", test_two_stages);
  g_test_add_func ("/review/changes-since-approval", test_changes_since_approval);
  g_test_add_func ("/review/bulk-approve", test_bulk_approve);
  g_test_add_func ("/review/import-warnings", test_import_warnings);
  g_test_add_func ("/review/not-a-reviewer", test_not_a_reviewer);
  g_test_add_func ("/review/teardown", test_teardown);
  status = g_test_run ();
  return status;
}
