/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiReview"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "gk-changes-view.h"
#include "gk-deadline.h"
#include "gk-findings-list.h"
#include "gk-import-warnings.h"
#include "gk-pdf-canvas.h"
#include "gk-reason-dialog.h"
#include "gk-review-changes.h"
#include "gk-review-page.h"
#include "gk-store-async.h"
#include "gk-util.h"
#include "gk-workflow.h"

typedef enum
{
  OP_APPROVE,
  OP_RETURN,
  OP_DISMISS,
} OpKind;

/* One decision (or a bulk approval), as the store service gets it. */
typedef struct
{
  GkReviewPage *self;
  OpKind        kind;
  GPtrArray    *ids;          /* char* */
  GPtrArray    *seen;         /* GkItem* as shown, or NULL, parallel to ids */
  GPtrArray    *titles;       /* char*: as the page shows them, parallel to ids */
  char         *text;         /* comment or reason */
  gint64        finding_id;
  gboolean      bulk;
} Op;

/* What became of one document. */
typedef struct
{
  char     *id;
  char     *title;
  gboolean  ok;
  char     *message;
} OpResult;

struct _GkReviewPage
{
  AdwBin              parent_instance;

  GkContext          *context;
  GkStore            *store;
  gulong              items_changed_id;
  gulong              library_changed_id;
  GCancellable       *cancellable;  /* the store reads and writes, cancelled at dispose */
  gboolean            queue_stale;  /* reload when next shown */
  gboolean            queue_loading; /* one queue read in flight... */
  gboolean            queue_again;   /* ...and a change came meanwhile */
  GPtrArray          *pending_queue; /* GkItem: the signable ones, until the rest is read */
  GCancellable       *item_cancellable; /* the shown item's read */
  gboolean            item_loading;
  gboolean            bulk_loading;

  GListStore         *queue;          /* GkItem: the signable ones first */
  GHashTable         *signable;       /* ids the acting user may sign now */
  GtkMultiSelection  *selection;
  gboolean            reloading;
  gboolean            results_pinned;

  GtkWidget          *toast_overlay;
  GtkWidget          *main_stack;     /* "queue" | "closed" */
  GtkWidget          *closed_status;
  GtkWidget          *queue_stack;    /* "empty" | "list" */
  GtkWidget          *list_view;
  GtkWidget          *count_label;
  GtkWidget          *detail_stack;   /* "none" | "item" | "bulk" */

  /* one document */
  GkItem             *item;
  GtkWidget          *canvas;
  GtkWidget          *title_label;
  GtkWidget          *meta_label;
  GtkWidget          *record_group;
  GPtrArray          *record_rows;
  GtkWidget          *findings_group;
  GtkWidget          *findings_list;
  GtkWidget          *changes_view;
  GtkWidget          *approve_button;
  GtkWidget          *return_button;
  GtkWidget          *caption_label;
  GtkWidget          *spinner;
  GkPdfDocument      *document;
  char               *document_sha256;
  GCancellable       *load_cancellable;
  GArray             *finding_rects;  /* GkPdfRect */
  gboolean            preview_ready;

  /* several documents */
  GtkWidget          *bulk_title;
  GtkWidget          *bulk_list;
  GtkWidget          *bulk_approve_button;
  GtkWidget          *bulk_caption;
  GPtrArray          *bulk_ids;       /* char*: the approvable ones */

  gboolean            busy;
};

G_DEFINE_FINAL_TYPE (GkReviewPage, gk_review_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_BUSY,
  PROP_PREVIEW_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_detail (GkReviewPage *self);
static void reload_queue (GkReviewPage *self);

/* helpers */

static void
op_free (Op *op)
{
  g_clear_object (&op->self);
  g_clear_pointer (&op->ids, g_ptr_array_unref);
  g_clear_pointer (&op->seen, g_ptr_array_unref);
  g_clear_pointer (&op->titles, g_ptr_array_unref);
  g_free (op->text);
  g_free (op);
}

static void
op_result_free (OpResult *result)
{
  g_free (result->id);
  g_free (result->title);
  g_free (result->message);
  g_free (result);
}

static const char *
item_title (GkItem *item)
{
  if (!gk_str_is_blank (item->title))
    return item->title;
  if (!gk_str_is_blank (item->file_name))
    return item->file_name;
  return item->id;
}

static void
clear_list_box (GtkWidget *list_box)
{
  GtkWidget *child;

  /* gtk_list_box_remove_all() is GTK 4.12. */
  while ((child = gtk_widget_get_first_child (list_box)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list_box), child);
}

static GtkWindow *
get_parent_window (GkReviewPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_toast (GkReviewPage *self,
            const char   *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), toast);
}

static void
set_busy (GkReviewPage *self,
          gboolean      busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_visible (self->spinner, busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The page is busy for its callers (the tests, the window) while a
 * decision, the queue or the shown item is on its way. */
static void
set_loading (GkReviewPage *self,
             gboolean     *flag,
             gboolean      loading)
{
  if (*flag == loading)
    return;
  *flag = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_preview_ready (GkReviewPage *self,
                   gboolean      ready)
{
  if (self->preview_ready == ready)
    return;
  self->preview_ready = ready;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW_READY]);
}

static char *
describe_due (GkReviewPage *self,
              GkItem       *item,
              gboolean     *overdue)
{
  int left;
  /* The one deadline rule (gk-deadline.h): nothing for items that are
   * not 主动公开. */
  GkDeadlineState deadline = gk_deadline_for_item (item, gk_context_get_calendar (self->context),
                                                   NULL, &left);

  *overdue = FALSE;
  if (deadline == GK_DEADLINE_NONE)
    return NULL;
  if (deadline == GK_DEADLINE_OVERDUE)
    {
      *overdue = TRUE;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Overdue by %d working day",
                                           "Overdue by %d working days", -left), -left);
    }
  if (left == 0)
    return g_strdup (_("Due today"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Due in %d working day",
                                       "Due in %d working days", left), left);
}

static gboolean
has_open_blocking_finding (GkItem *item)
{
  for (guint i = 0; item->findings != NULL && i < item->findings->len; i++)
    {
      GkFinding *finding = g_ptr_array_index (item->findings, i);

      if (finding->status == GK_FINDING_OPEN && gk_finding_is_blocking (finding))
        return TRUE;
    }
  return FALSE;
}

/* Ids of the selected queue entries, in queue order. */
static GPtrArray *
get_selected_ids (GkReviewPage *self)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, selected, &position))
    do
      {
        g_autoptr(GkItem) item = g_list_model_get_item (G_LIST_MODEL (self->queue), position);

        if (item != NULL)
          g_ptr_array_add (ids, g_strdup (item->id));
      }
    while (gtk_bitset_iter_next (&iter, &position));
  return ids;
}

static GkItem *
find_queued (GkReviewPage *self,
             const char   *id,
             guint        *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GkItem) item = g_list_model_get_item (G_LIST_MODEL (self->queue), i);

      if (g_strcmp0 (item->id, id) == 0)
        {
          if (position != NULL)
            *position = i;
          return g_steal_pointer (&item);
        }
    }
  return NULL;
}

static GtkWidget *
new_result_row (const char *title,
                const char *subtitle,
                gboolean    ok)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (ok ? "object-select-symbolic"
                                                     : "action-unavailable-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_add_css_class (icon, ok ? "success" : "error");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}

/* The record, for reading beside the PDF. */
static void
fill_record (GkReviewPage *self)
{
  GkItem *item = self->item;
  g_autofree char *due = NULL;
  g_autofree char *submitted = NULL;
  g_autofree char *meta = NULL;
  gboolean overdue;
  const struct { const char *label; const char *field; gboolean optional; } rows[] = {
    { N_("Document number"), "doc_number", FALSE },
    { N_("Issuer"), "issuer", FALSE },
    { N_("Date written"), "written_date", FALSE },
    { N_("Index number"), "index_no", FALSE },
    { N_("Disclosure"), "disclosure", FALSE },
    { N_("Legal ground"), "disclosure_ground", TRUE },
    { N_("Category"), "category", FALSE },
    { N_("Topic"), "topic", TRUE },
    { N_("Tags"), "tags", FALSE },
    { N_("Validity"), "validity_status", TRUE },
    { N_("Effective from"), "effective_from", TRUE },
    { N_("Effective until"), "effective_until", TRUE },
    { N_("Summary"), "summary", TRUE },
  };

  gtk_label_set_text (GTK_LABEL (self->title_label), item_title (item));

  due = describe_due (self, item, &overdue);
  if (!gk_str_is_blank (item->submitted_by))
    submitted = g_strdup_printf (_("submitted by %s"), item->submitted_by);
  /* Translators: "Revision 2 · Confidentiality review · submitted by dora · Due in 3 working days" */
  meta = g_strdup_printf (_("Revision %" PRId64 " · %s%s%s%s%s"),
                          item->revision, gk_stage_to_label (item->stage),
                          submitted ? " · " : "", submitted ? submitted : "",
                          due ? " · " : "", due ? due : "");
  gtk_label_set_text (GTK_LABEL (self->meta_label), meta);

  for (guint i = 0; i < self->record_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->record_group),
                                  g_ptr_array_index (self->record_rows, i));
  g_ptr_array_set_size (self->record_rows, 0);

  /* A record the import could not read from the document was filled by
   * hand, or not at all: the reviewer must know before signing it. */
  {
    g_autoptr(JsonArray) warnings = gk_import_warnings_from_detected_json (item->detected_json);
    g_autofree char *text = gk_import_warnings_to_text (warnings);

    if (text != NULL)
      {
        GtkWidget *row = adw_action_row_new ();
        GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

        gtk_widget_set_name (row, "import-warnings");
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Not read in full at import"));
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
        adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 8);
        gtk_widget_add_css_class (icon, "warning");
        adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->record_group), row);
        g_ptr_array_add (self->record_rows, row);
      }
  }

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *value = gk_review_describe_field (item, rows[i].field);
      GtkWidget *row;

      if (value == NULL && rows[i].optional)
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(rows[i].label));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value ? value : _("(empty)"));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->record_group), row);
      g_ptr_array_add (self->record_rows, row);
    }
}

/* Approve and Return say why they cannot be used, on the button and
 * under the buttons. */
static void
update_buttons (GkReviewPage *self)
{
  g_autofree char *approve_why = NULL;
  g_autofree char *return_why = NULL;
  g_autoptr(GString) caption = g_string_new (NULL);
  gboolean can_approve = FALSE, can_return = FALSE;

  if (self->item != NULL && self->store != NULL)
    {
      can_approve = gk_context_can (self->context, GK_ACTION_APPROVE, self->item, &approve_why);
      can_return = gk_context_can (self->context, GK_ACTION_RETURN, self->item, &return_why);
    }

  gtk_widget_set_sensitive (self->approve_button, can_approve && !self->busy);
  gtk_widget_set_sensitive (self->return_button, can_return && !self->busy);

  if (can_approve)
    gtk_widget_set_tooltip_text (self->approve_button,
                                 self->item->stage == GK_STAGE_CONFIDENTIALITY
                                 ? _("Sign the confidentiality review of this revision")
                                 : _("Sign the release of this revision"));
  else
    gtk_widget_set_tooltip_text (self->approve_button, approve_why);
  gtk_widget_set_tooltip_text (self->return_button,
                               can_return ? _("Send it back to the drafter with a comment")
                                          : return_why);

  if (!can_approve && approve_why != NULL)
    g_string_append (caption, approve_why);
  if (!can_return && return_why != NULL && g_strcmp0 (return_why, approve_why) != 0)
    {
      if (caption->len > 0)
        g_string_append_c (caption, '\n');
      g_string_append (caption, return_why);
    }
  gtk_label_set_text (GTK_LABEL (self->caption_label), caption->str);
  gtk_widget_set_visible (self->caption_label, caption->len > 0);
}

static void
update_findings (GkReviewPage *self)
{
  g_autofree char *why_not = NULL;
  guint n_open = 0;

  if (!gk_context_can (self->context, GK_ACTION_DISMISS, self->item, &why_not) && why_not == NULL)
    why_not = g_strdup (_("You may not decide the findings of this document."));
  gk_findings_list_set_findings (GK_FINDINGS_LIST (self->findings_list),
                                 self->item->findings, why_not);

  for (guint i = 0; self->item->findings != NULL && i < self->item->findings->len; i++)
    if (((GkFinding *) g_ptr_array_index (self->item->findings, i))->status == GK_FINDING_OPEN)
      n_open++;
  if (n_open > 0)
    {
      g_autofree char *description =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u finding is open. Click one to see it on its page.",
                                      "%u findings are open. Click one to see it on its page.",
                                      n_open), n_open);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->findings_group), description);
    }
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->findings_group), NULL);
}

typedef struct
{
  GkReviewPage *self;
  GkItem       *item;  /* the item the approvals are compared with */
} ChangesLoad;

static void
on_approvals_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ChangesLoad *load = user_data;
  GkReviewPage *self = load->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) approvals = gk_workflow_list_approvals_finish (GK_STORE (source), result, &error);
  g_autoptr(GPtrArray) changes = NULL;
  gint64 base = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;
  /* Overtaken by another document, or another revision of this one. */
  if (self->item == NULL || self->item != load->item)
    goto out;
  if (approvals != NULL)
    changes = gk_review_changes_since_approval (approvals, self->item, &base, &error);
  if (changes == NULL)
    g_warning ("Cannot read the approvals of %s: %s", self->item->id, error->message);
  gk_changes_view_set_changes (GK_CHANGES_VIEW (self->changes_view), changes, base,
                               self->item->revision);
  /* The shown document is complete with its changes. */
  set_loading (self, &self->item_loading, FALSE);

out:
  g_object_unref (load->self);
  g_object_unref (load->item);
  g_free (load);
}

static void
update_changes (GkReviewPage *self)
{
  ChangesLoad *load = g_new0 (ChangesLoad, 1);

  load->self = g_object_ref (self);
  load->item = g_object_ref (self->item);
  gk_workflow_list_approvals_async (self->store, self->item->id, self->item_cancellable,
                                    on_approvals_cb, load);
}

/* PDF beside the record */

static void
on_findings_located_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GkReviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rects = NULL;

  rects = gk_pdf_document_locate_finish (GK_PDF_DOCUMENT (source), result, &error);
  if (rects == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
        {
          g_warning ("Cannot locate the findings: %s", error->message);
          set_preview_ready (self, TRUE);
        }
      return;
    }
  if (GK_PDF_DOCUMENT (source) != self->document)
    return;
  g_clear_pointer (&self->finding_rects, g_array_unref);
  self->finding_rects = g_array_ref (rects);
  gk_pdf_canvas_set_findings (GK_PDF_CANVAS (self->canvas), rects);
  set_preview_ready (self, TRUE);
}

static void
locate_findings (GkReviewPage *self)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (GkPdfSpan));
  GPtrArray *findings = self->item->findings;

  g_clear_pointer (&self->finding_rects, g_array_unref);
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      GkFinding *finding = g_ptr_array_index (findings, i);
      GkPdfSpan span = { 0 };

      if (finding->page < 1 || finding->length <= 0)
        continue;
      span.page = finding->page - 1;
      span.offset = finding->offset;
      span.length = finding->length;
      span.tag = (int) i;
      if (finding->status == GK_FINDING_OPEN && gk_finding_is_blocking (finding))
        span.tag |= GK_PDF_CANVAS_TAG_BLOCKING;
      g_array_append_val (spans, span);
    }
  if (spans->len == 0)
    {
      gk_pdf_canvas_set_findings (GK_PDF_CANVAS (self->canvas), NULL);
      set_preview_ready (self, TRUE);
      return;
    }
  gk_pdf_document_locate_async (self->document, (GkPdfSpan *) spans->data, spans->len,
                                self->load_cancellable, on_findings_located_cb,
                                g_object_ref (self));
}

static void
on_document_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GkReviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkPdfDocument) document = NULL;

  document = gk_pdf_document_load_finish (result, &error);
  if (document == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
        {
          g_autofree char *text = g_strdup_printf (_("The document file cannot be shown: %s"),
                                                   error->message);

          show_toast (self, text);
          set_preview_ready (self, TRUE);
        }
      return;
    }
  if (self->item == NULL)
    return;
  g_set_object (&self->document, document);
  gk_pdf_canvas_set_document (GK_PDF_CANVAS (self->canvas), document);
  locate_findings (self);
}

static void
load_document (GkReviewPage *self)
{
  g_autofree char *path = NULL;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  set_preview_ready (self, FALSE);

  if (self->document != NULL && g_strcmp0 (self->document_sha256, self->item->file_sha256) == 0)
    {
      /* Same file: only the findings may have changed. */
      locate_findings (self);
      return;
    }

  g_clear_object (&self->document);
  g_clear_pointer (&self->document_sha256, g_free);
  g_clear_pointer (&self->finding_rects, g_array_unref);
  gk_pdf_canvas_set_document (GK_PDF_CANVAS (self->canvas), NULL);
  if (self->item->file_sha256 == NULL)
    {
      set_preview_ready (self, TRUE);
      return;
    }
  self->document_sha256 = g_strdup (self->item->file_sha256);
  path = gk_store_get_file_path (self->store, self->item->file_sha256);
  gk_pdf_document_load_async (path, NULL, self->load_cancellable,
                              on_document_loaded_cb, g_object_ref (self));
}

typedef struct
{
  GkReviewPage *self;
  char         *id;
} ItemLoad;

static void present_item (GkReviewPage *self,
                          GkItem       *item);

static void
on_item_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ItemLoad *load = user_data;
  GkReviewPage *self = load->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = gk_store_get_item_finish (GK_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;
  if (item == NULL)
    {
      set_loading (self, &self->item_loading, FALSE);
      g_clear_object (&self->item);
      gtk_stack_set_visible_child_name (GTK_STACK (self->detail_stack), "none");
      goto out;
    }
  present_item (self, item);

out:
  g_object_unref (load->self);
  g_free (load->id);
  g_free (load);
}

/* The item comes from the store, not the queue's copy: the findings and
 * the record as they are now. */
static void
show_item (GkReviewPage *self,
           const char   *id)
{
  ItemLoad *load = g_new0 (ItemLoad, 1);

  g_cancellable_cancel (self->item_cancellable);
  g_clear_object (&self->item_cancellable);
  self->item_cancellable = g_cancellable_new ();
  load->self = g_object_ref (self);
  load->id = g_strdup (id);
  set_loading (self, &self->item_loading, TRUE);
  gk_store_get_item_async (self->store, id, self->item_cancellable, on_item_loaded_cb, load);
}

static void
present_item (GkReviewPage *self,
              GkItem       *item)
{
  g_set_object (&self->item, item);
  fill_record (self);
  update_findings (self);
  update_changes (self);
  update_buttons (self);
  load_document (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->detail_stack), "item");
}

/* Several documents: what each would get, before and after. */
static void
on_bulk_checked_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GkReviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) checks = gk_workflow_can_approve_many_finish (GK_STORE (source), result, &error);
  g_autofree char *title = NULL;
  g_autofree char *button = NULL;
  guint n_ready = 0, n_total;

  if (checks == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_loading (self, &self->bulk_loading, FALSE);
          show_toast (self, error->message);
        }
      return;
    }
  n_total = checks->len;
  clear_list_box ((self->bulk_list));
  g_ptr_array_set_size (self->bulk_ids, 0);
  for (guint i = 0; i < checks->len; i++)
    {
      GkBatchResult *check = g_ptr_array_index (checks, i);

      if (check->ok)
        {
          g_ptr_array_add (self->bulk_ids, g_strdup (check->id));
          n_ready++;
        }
      gtk_list_box_append (GTK_LIST_BOX (self->bulk_list),
                           new_result_row (item_title (check->after),
                                           check->ok ? gk_stage_to_label (check->after->stage) : check->message,
                                           check->ok));
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document selected",
                                        "%u documents selected", n_total), n_total);
  gtk_label_set_text (GTK_LABEL (self->bulk_title), title);
  button = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Approve %u Document",
                                         "_Approve %u Documents", n_ready), n_ready);
  gtk_button_set_label (GTK_BUTTON (self->bulk_approve_button), button);
  gtk_widget_set_visible (self->bulk_approve_button, TRUE);
  gtk_widget_set_sensitive (self->bulk_approve_button, n_ready > 0 && !self->busy);
  if (n_ready < n_total)
    {
      g_autofree char *caption =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "You cannot approve %u of them: the reason is on its row.",
                                      "You cannot approve %u of them: the reasons are on their rows.",
                                      n_total - n_ready), n_total - n_ready);

      gtk_label_set_text (GTK_LABEL (self->bulk_caption), caption);
      gtk_widget_set_visible (self->bulk_caption, TRUE);
    }
  else
    gtk_widget_set_visible (self->bulk_caption, FALSE);
  gtk_stack_set_visible_child_name (GTK_STACK (self->detail_stack), "bulk");
  set_loading (self, &self->bulk_loading, FALSE);
}

static void
show_bulk (GkReviewPage *self,
           GPtrArray    *ids)
{
  g_autoptr(GPtrArray) known = g_ptr_array_new ();

  /* Items of the queue that the user may not sign come from a list query
   * without their history: the store reads each with it and asks the
   * same policy, on a reader thread. */
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GkItem) item = find_queued (self, g_ptr_array_index (ids, i), NULL);

      if (item != NULL)
        g_ptr_array_add (known, g_ptr_array_index (ids, i));
    }
  g_ptr_array_add (known, NULL);
  set_loading (self, &self->bulk_loading, TRUE);
  gk_workflow_can_approve_many_async (self->store, gk_context_get_user (self->context),
                                      (const char *const *) known->pdata, self->cancellable,
                                      on_bulk_checked_cb, g_object_ref (self));
}

static void
show_bulk_results (GkReviewPage *self,
                   GPtrArray    *results)
{
  g_autofree char *title = NULL;
  guint n_ok = 0;

  clear_list_box ((self->bulk_list));
  for (guint i = 0; i < results->len; i++)
    {
      OpResult *result = g_ptr_array_index (results, i);

      n_ok += result->ok ? 1 : 0;
      gtk_list_box_append (GTK_LIST_BOX (self->bulk_list),
                           new_result_row (result->title, result->message, result->ok));
    }
  /* Translators: after a bulk approval */
  title = g_strdup_printf (_("%u approved, %u refused"), n_ok, results->len - n_ok);
  gtk_label_set_text (GTK_LABEL (self->bulk_title), title);
  gtk_widget_set_visible (self->bulk_approve_button, FALSE);
  gtk_widget_set_visible (self->bulk_caption, FALSE);
  g_ptr_array_set_size (self->bulk_ids, 0);
  gtk_stack_set_visible_child_name (GTK_STACK (self->detail_stack), "bulk");
}

static void
update_detail (GkReviewPage *self)
{
  g_autoptr(GPtrArray) ids = NULL;

  if (self->reloading || self->results_pinned)
    return;
  ids = get_selected_ids (self);
  if (ids->len == 0 || self->store == NULL)
    {
      g_clear_object (&self->item);
      g_cancellable_cancel (self->load_cancellable);
      g_cancellable_cancel (self->item_cancellable);
      set_loading (self, &self->item_loading, FALSE);
      gtk_stack_set_visible_child_name (GTK_STACK (self->detail_stack), "none");
    }
  else if (ids->len == 1)
    show_item (self, g_ptr_array_index (ids, 0));
  else
    {
      g_clear_object (&self->item);
      g_cancellable_cancel (self->item_cancellable);
      set_loading (self, &self->item_loading, FALSE);
      show_bulk (self, ids);
    }
}

static void reload_queue_now (GkReviewPage *self);

/* Reading the queue checks every queued item's rules: do it when a
 * person looks, not while the window starts. */
static void
reload_queue (GkReviewPage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->queue_stale = TRUE;
  else
    reload_queue_now (self);
}

static void
show_closed (GkReviewPage *self)
{
  adw_status_page_set_title (ADW_STATUS_PAGE (self->closed_status), _("No Library Open"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->closed_status),
                                   _("Open a library to review its documents."));
  gtk_stack_set_visible_child_name (GTK_STACK (self->main_stack), "closed");
}

/* One queue read at a time: a change while it runs reads once more when
 * it lands. */
static void
queue_read_done (GkReviewPage *self)
{
  set_loading (self, &self->queue_loading, FALSE);
  if (self->queue_again)
    {
      self->queue_again = FALSE;
      reload_queue (self);
    }
}

static void
on_queue_others_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GkReviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) others = gk_store_query_finish (GK_STORE (source), result, &error);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) selected = NULL;
  g_autofree char *count = NULL;
  guint n_old, n_signable;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* A read of a library left behind was cancelled (set_store()). */
  if (GK_STORE (source) != self->store)
    return;
  if (others == NULL)
    g_warning ("Cannot read the documents in review: %s", error->message);

  /* The signable ones (the queue read put them in self->signable, in
   * order, in self->pending_queue), then what is in review but waits for
   * someone else (the acting user drafted it, signed its other stage…):
   * listed, so that they see why. */
  items = g_steal_pointer (&self->pending_queue);
  n_signable = items->len;
  g_hash_table_remove_all (self->signable);
  for (guint i = 0; i < items->len; i++)
    g_hash_table_add (self->signable, g_strdup (((GkItem *) g_ptr_array_index (items, i))->id));
  for (guint i = 0; others != NULL && i < others->len; i++)
    {
      GkItem *other = g_ptr_array_index (others, i);

      if (!g_hash_table_contains (self->signable, other->id))
        g_ptr_array_add (items, g_object_ref (other));
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->main_stack), "queue");

  selected = get_selected_ids (self);
  self->reloading = TRUE;
  n_old = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  g_list_store_splice (self->queue, 0, n_old, items->pdata, items->len);
  for (guint i = 0; i < selected->len; i++)
    {
      guint position;
      g_autoptr(GkItem) item = find_queued (self, g_ptr_array_index (selected, i), &position);

      if (item != NULL)
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, FALSE);
    }
  self->reloading = FALSE;

  if (items->len > n_signable)
    /* Translators: "2 to sign · 1 for others" */
    count = g_strdup_printf (_("%u to sign · %u for others"), n_signable, items->len - n_signable);
  else
    count = g_strdup_printf (_("%u to sign"), n_signable);
  gtk_label_set_text (GTK_LABEL (self->count_label), count);
  gtk_stack_set_visible_child_name (GTK_STACK (self->queue_stack), items->len > 0 ? "list" : "empty");
  update_detail (self);
  queue_read_done (self);
}

static void
on_queue_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GkReviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = gk_workflow_queue_finish (GK_STORE (source), result, &error);
  GkQuery query = { 0 };

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* A read of a library left behind was cancelled (set_store()). */
  if (GK_STORE (source) != self->store)
    return;
  if (items == NULL)
    {
      g_autofree char *roles = gk_context_describe_roles (self->context);
      g_autofree char *description = g_strdup_printf (_("%s\nYou are %s: %s."), error->message,
                                                      gk_context_get_user (self->context), roles);

      adw_status_page_set_title (ADW_STATUS_PAGE (self->closed_status), _("Reviewing Needs a Reviewer"));
      adw_status_page_set_description (ADW_STATUS_PAGE (self->closed_status), description);
      gtk_stack_set_visible_child_name (GTK_STACK (self->main_stack), "closed");
      self->reloading = TRUE;
      g_hash_table_remove_all (self->signable);
      g_list_store_remove_all (self->queue);
      self->reloading = FALSE;
      g_clear_object (&self->item);
      queue_read_done (self);
      return;
    }

  g_clear_pointer (&self->pending_queue, g_ptr_array_unref);
  self->pending_queue = g_steal_pointer (&items);
  query.state = GK_QUERY_IN_REVIEW;
  query.sort = "due";
  gk_store_query_async (self->store, &query, 0, 500, self->cancellable, on_queue_others_cb,
                        g_object_ref (self));
}

static void
reload_queue_now (GkReviewPage *self)
{
  self->queue_stale = FALSE;

  if (self->store == NULL)
    {
      show_closed (self);
      return;
    }
  if (self->queue_loading)
    {
      self->queue_again = TRUE;
      return;
    }
  set_loading (self, &self->queue_loading, TRUE);
  gk_workflow_queue_async (self->store, gk_context_get_user (self->context), self->cancellable,
                           on_queue_cb, g_object_ref (self));
}

static void
on_store_changed_cb (GkStore      *store,
                     const char   *id,
                     GkReviewPage *self)
{
  /* A decision of ours reloads when it is done. */
  if (!self->busy)
    reload_queue (self);
}

static void
on_library_changed_cb (GkStore      *store,
                       GkReviewPage *self)
{
  if (!self->busy)
    reload_queue (self);
}

static void
set_store (GkReviewPage *self,
           GkStore      *store)
{
  if (self->store == store)
    return;
  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->items_changed_id, self->store);
      g_clear_signal_handler (&self->library_changed_id, self->store);
    }
  /* Reads of the old library are of no use any more. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_cancellable_cancel (self->item_cancellable);
  set_loading (self, &self->item_loading, FALSE);
  set_loading (self, &self->queue_loading, FALSE);
  set_loading (self, &self->bulk_loading, FALSE);
  self->queue_again = FALSE;
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      self->items_changed_id = g_signal_connect_object (store, "items-changed",
                                                        G_CALLBACK (on_store_changed_cb), self, 0);
      self->library_changed_id = g_signal_connect_object (store, "library-changed",
                                                          G_CALLBACK (on_library_changed_cb), self, 0);
    }
}

/* Decisions, by the store service. */

static char *
describe_outcome (OpKind  kind,
                  GkItem *item)
{
  if (kind == OP_RETURN)
    return g_strdup (_("Returned to its drafter."));
  if (kind == OP_DISMISS)
    return g_strdup (_("Finding dismissed."));
  if (item != NULL && item->state == GK_STATE_IN_REVIEW)
    /* Translators: the stage that comes next, "Signed. Next: Release sign-off." */
    return g_strdup_printf (_("Signed. Next: %s."), gk_stage_to_label (item->stage));
  if (item != NULL && item->state == GK_STATE_APPROVED && !gk_workflow_is_publishable (item))
    return g_strdup (_("Approved and filed: it is not for proactive disclosure, so it is never published."));
  return g_strdup (_("Approved: it is ready to be published."));
}

static void
on_op_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Op *op = user_data;
  GkReviewPage *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = gk_workflow_batch_finish (GK_STORE (source), result, &error);
  g_autoptr(GPtrArray) results = NULL;

  set_busy (self, FALSE);
  if (batch == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      op_free (op);
      return;
    }

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) op_result_free);
  for (guint i = 0; i < batch->len; i++)
    {
      GkBatchResult *one = g_ptr_array_index (batch, i);
      OpResult *outcome = g_new0 (OpResult, 1);
      const char *title = i < op->titles->len ? g_ptr_array_index (op->titles, i) : NULL;

      outcome->id = g_strdup (one->id);
      outcome->title = g_strdup (title != NULL ? title : one->title);
      outcome->ok = one->ok;
      outcome->message = one->ok ? describe_outcome (op->kind, one->after) : g_strdup (one->message);
      g_ptr_array_add (results, outcome);
    }

  if (op->bulk)
    {
      reload_queue (self);
      show_bulk_results (self, results);
      /* The results stay until the selection changes. */
      self->results_pinned = TRUE;
      op_free (op);
      return;
    }

  if (results->len == 1)
    {
      OpResult *one = g_ptr_array_index (results, 0);
      g_autofree char *text = NULL;

      if (one->ok)
        text = g_strdup_printf (_("“%s”: %s"), one->title, one->message);
      else
        text = g_strdup (one->message);
      show_toast (self, text);
    }
  reload_queue (self);
  /* A decided document usually leaves the acting user's queue; when it
   * stays (a dismissed finding), show it as it is now. */
  if (self->item != NULL)
    show_item (self, self->item->id);
  op_free (op);
}

static void
clear_object_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

/* The copy of this document the page shows, so that the decision binds
 * to what the reviewer saw. */
static GkItem *
find_shown_item (GkReviewPage *self,
                 const char   *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));

  if (self->item != NULL && g_strcmp0 (self->item->id, id) == 0)
    return gk_item_copy (self->item);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GkItem) item = g_list_model_get_item (G_LIST_MODEL (self->queue), i);

      if (g_strcmp0 (item->id, id) == 0)
        return gk_item_copy (item);
    }
  return NULL;
}

static void
run_op (GkReviewPage *self,
        Op           *op)
{
  static const GkBatchAction actions[] = {
    [OP_APPROVE] = GK_BATCH_APPROVE,
    [OP_RETURN] = GK_BATCH_RETURN,
    [OP_DISMISS] = GK_BATCH_DISMISS,
  };

  op->seen = g_ptr_array_new_with_free_func (clear_object_if_set);
  op->titles = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < op->ids->len; i++)
    {
      GkItem *seen = find_shown_item (self, g_ptr_array_index (op->ids, i));

      g_ptr_array_add (op->titles, seen != NULL ? g_strdup (item_title (seen)) : NULL);
      /* Only an approval is bound to the revision seen. */
      if (op->kind != OP_APPROVE)
        g_clear_object (&seen);
      g_ptr_array_add (op->seen, seen);
    }
  g_ptr_array_add (op->ids, NULL);
  op->self = g_object_ref (self);
  set_busy (self, TRUE);
  gtk_widget_set_sensitive (self->approve_button, FALSE);
  gtk_widget_set_sensitive (self->return_button, FALSE);
  gtk_widget_set_sensitive (self->bulk_approve_button, FALSE);

  /* Not the page's cancellable: a decision that has started completes
   * and its result still reaches the page. */
  gk_workflow_batch_async (self->store, gk_context_get_user (self->context), actions[op->kind],
                           (const char *const *) op->ids->pdata, op->seen, op->text, op->finding_id,
                           NULL, on_op_done_cb, op);
}

static Op *
op_new (OpKind      kind,
        const char *id)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->ids = g_ptr_array_new_with_free_func (g_free);
  if (id != NULL)
    g_ptr_array_add (op->ids, g_strdup (id));
  return op;
}

/* callbacks */

static void
on_approve_clicked_cb (GtkButton    *button,
                       GkReviewPage *self)
{
  if (self->item == NULL || self->busy)
    return;
  run_op (self, op_new (OP_APPROVE, self->item->id));
}

static void
on_return_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       GkReviewPage     *self)
{
  Op *op;

  if (g_strcmp0 (response, "return") != 0 || self->item == NULL || self->busy)
    return;
  op = op_new (OP_RETURN, self->item->id);
  op->text = gk_reason_dialog_get_text (GK_REASON_DIALOG (dialog));
  run_op (self, op);
}

static void
on_return_clicked_cb (GtkButton    *button,
                      GkReviewPage *self)
{
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  if (self->item == NULL)
    return;
  body = g_strdup_printf (_("“%s” goes back to its drafter. Say what must change: "
                            "your comment is kept in the audit log."), item_title (self->item));
  dialog = gk_reason_dialog_new (get_parent_window (self), _("Return to the Drafter?"), body,
                                 "return", _("_Return"), TRUE, TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_return_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  GkReviewPage *self;
  gint64        finding_id;
} DismissData;

static void
dismiss_data_free (DismissData *data)
{
  g_clear_object (&data->self);
  g_free (data);
}

static void
on_dismiss_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          user_data)
{
  DismissData *data = user_data;
  GkReviewPage *self = data->self;
  Op *op;

  if (g_strcmp0 (response, "dismiss") != 0 || self->item == NULL || self->busy)
    return;
  op = op_new (OP_DISMISS, self->item->id);
  op->finding_id = data->finding_id;
  op->text = gk_reason_dialog_get_text (GK_REASON_DIALOG (dialog));
  run_op (self, op);
}

static void
on_dismiss_requested_cb (GkFindingsList *list,
                         guint           position,
                         GkReviewPage   *self)
{
  GkFinding *finding;
  GtkWidget *dialog;
  DismissData *data;
  g_autofree char *body = NULL;

  if (self->item == NULL || self->item->findings == NULL || position >= self->item->findings->len)
    return;
  finding = g_ptr_array_index (self->item->findings, position);
  body = g_strdup_printf (_("%s “%s” on page %d. Write why it may be published as it is: "
                            "the reason is kept in the audit log."),
                          gk_finding_kind_to_label (finding->kind),
                          finding->value ? finding->value : "", finding->page);
  dialog = gk_reason_dialog_new (get_parent_window (self), _("Dismiss This Finding?"), body,
                                 "dismiss", _("_Dismiss"), FALSE, FALSE);
  data = g_new0 (DismissData, 1);
  data->self = g_object_ref (self);
  data->finding_id = finding->id;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_dismiss_response_cb),
                         data, (GClosureNotify) (void (*) (void)) dismiss_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_finding_activated_cb (GkFindingsList *list,
                         guint           position,
                         GkReviewPage   *self)
{
  gk_review_page_show_finding (self, position);
}

static void
on_bulk_approve_clicked_cb (GtkButton    *button,
                            GkReviewPage *self)
{
  g_autoptr(GPtrArray) ids = NULL;
  Op *op;

  if (self->busy || self->bulk_ids->len == 0)
    return;
  op = op_new (OP_APPROVE, NULL);
  op->bulk = TRUE;
  /* The ones shown as refused are asked too, so that each keeps its own
   * answer from the core, as it is at that moment. */
  ids = get_selected_ids (self);
  for (guint i = 0; i < ids->len; i++)
    g_ptr_array_add (op->ids, g_strdup (g_ptr_array_index (ids, i)));
  run_op (self, op);
}

static void
on_selection_changed_cb (GtkSelectionModel *model,
                         guint              position,
                         guint              n_items,
                         GkReviewPage      *self)
{
  if (self->reloading)
    return;
  self->results_pinned = FALSE;
  update_detail (self);
}

static void
on_context_store_changed_cb (GkContext    *context,
                             GParamSpec   *pspec,
                             GkReviewPage *self)
{
  set_store (self, gk_context_get_store (context));
  reload_queue (self);
}

static void
on_context_user_changed_cb (GkContext    *context,
                            GParamSpec   *pspec,
                            GkReviewPage *self)
{
  self->results_pinned = FALSE;
  self->reloading = TRUE;
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  self->reloading = FALSE;
  reload_queue (self);
}

static void
on_queue_row_setup_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *list_item,
                       gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *meta = gtk_label_new (NULL);
  GtkWidget *due = gtk_label_new (NULL);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 4);
  gtk_widget_set_margin_end (box, 4);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_lines (GTK_LABEL (title), 2);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_label_set_ellipsize (GTK_LABEL (meta), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_widget_add_css_class (meta, "caption");
  gtk_label_set_xalign (GTK_LABEL (due), 0);
  gtk_widget_add_css_class (due, "caption");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (icon, "error");
  gtk_widget_set_tooltip_text (icon, _("An open secrecy mark or personal data blocks approval"));

  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), meta);
  gtk_box_append (GTK_BOX (texts), due);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_list_item_set_child (list_item, box);
}

static void
on_queue_row_bind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      GkReviewPage             *self)
{
  GkItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *texts = gtk_widget_get_first_child (box);
  GtkWidget *title = gtk_widget_get_first_child (texts);
  GtkWidget *meta = gtk_widget_get_next_sibling (title);
  GtkWidget *due = gtk_widget_get_next_sibling (meta);
  GtkWidget *icon = gtk_widget_get_next_sibling (texts);
  g_autofree char *meta_text = NULL;
  g_autofree char *due_text = NULL;
  gboolean overdue = FALSE;

  gboolean signable = g_hash_table_contains (self->signable, item->id);

  gtk_label_set_text (GTK_LABEL (title), item_title (item));
  if (!signable)
    /* Translators: "Release · another reviewer signs it" */
    meta_text = g_strdup_printf (_("%s · another reviewer signs it"), gk_stage_to_label (item->stage));
  else if (!gk_str_is_blank (item->submitted_by))
    /* Translators: "Confidentiality review · from dora" */
    meta_text = g_strdup_printf (_("%s · from %s"), gk_stage_to_label (item->stage), item->submitted_by);
  else
    meta_text = g_strdup (gk_stage_to_label (item->stage));
  if (signable)
    gtk_widget_remove_css_class (texts, "dim-label");
  else
    gtk_widget_add_css_class (texts, "dim-label");
  gtk_label_set_text (GTK_LABEL (meta), meta_text);

  due_text = describe_due (self, item, &overdue);
  gtk_label_set_text (GTK_LABEL (due), due_text ? due_text : _("No disclosure deadline"));
  if (overdue)
    gtk_widget_add_css_class (due, "error");
  else
    gtk_widget_remove_css_class (due, "error");
  if (due_text == NULL)
    gtk_widget_add_css_class (due, "dim-label");
  else
    gtk_widget_remove_css_class (due, "dim-label");
  gtk_widget_set_visible (icon, has_open_blocking_finding (item));
}

/* building */

static GtkWidget *
build_queue_pane (GkReviewPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *heading = gtk_label_new (_("To Review"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *empty;
  GtkWidget *hint;
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_set_hexpand (heading, TRUE);
  self->count_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->count_label, "dim-label");
  gtk_widget_set_margin_top (header, 10);
  gtk_widget_set_margin_bottom (header, 10);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_end (header, 12);
  gtk_box_append (GTK_BOX (header), heading);
  gtk_box_append (GTK_BOX (header), self->count_label);

  g_signal_connect (factory, "setup", G_CALLBACK (on_queue_row_setup_cb), self);
  g_signal_connect_object (factory, "bind", G_CALLBACK (on_queue_row_bind_cb), self, 0);
  self->list_view = gtk_list_view_new (g_object_ref (GTK_SELECTION_MODEL (self->selection)), factory);
  gtk_widget_set_name (self->list_view, "queue-list");
  gtk_widget_add_css_class (self->list_view, "navigation-sidebar");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->list_view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);

  empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "object-select-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("Nothing to Review"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("Documents submitted for review that you may sign appear here."));
  gtk_widget_add_css_class (empty, "compact");

  self->queue_stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->queue_stack), empty, "empty");
  gtk_stack_add_named (GTK_STACK (self->queue_stack), scrolled, "list");
  gtk_widget_set_vexpand (self->queue_stack, TRUE);

  hint = gtk_label_new (_("Ctrl+click to select several documents and approve them together."));
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  gtk_widget_set_margin_start (hint, 12);
  gtk_widget_set_margin_end (hint, 12);
  gtk_widget_set_margin_top (hint, 6);
  gtk_widget_set_margin_bottom (hint, 8);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), self->queue_stack);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), hint);
  gtk_widget_set_size_request (box, 260, -1);
  return box;
}

static GtkWidget *
build_item_pane (GkReviewPage *self)
{
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *pdf_scrolled = gtk_scrolled_window_new ();
  GtkWidget *side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *side_scrolled = gtk_scrolled_window_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *heading_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  self->canvas = gk_pdf_canvas_new ();
  gtk_widget_set_name (self->canvas, "review-canvas");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (pdf_scrolled), self->canvas);
  gtk_widget_set_size_request (pdf_scrolled, 320, -1);
  gtk_widget_add_css_class (pdf_scrolled, "view");

  self->title_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->title_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->title_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (self->title_label), 0);
  gtk_label_set_selectable (GTK_LABEL (self->title_label), TRUE);
  gtk_widget_add_css_class (self->title_label, "title-3");
  self->meta_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->meta_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->meta_label), 0);
  gtk_widget_add_css_class (self->meta_label, "dim-label");
  gtk_box_append (GTK_BOX (heading_box), self->title_label);
  gtk_box_append (GTK_BOX (heading_box), self->meta_label);

  self->record_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->record_group), _("Record"));

  self->findings_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->findings_group), _("Screening Findings"));
  self->findings_list = gk_findings_list_new ();
  g_signal_connect_object (self->findings_list, "finding-activated",
                           G_CALLBACK (on_finding_activated_cb), self, 0);
  g_signal_connect_object (self->findings_list, "dismiss-requested",
                           G_CALLBACK (on_dismiss_requested_cb), self, 0);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->findings_group), self->findings_list);

  self->changes_view = gk_changes_view_new ();

  gtk_box_append (GTK_BOX (content), heading_box);
  gtk_box_append (GTK_BOX (content), self->findings_group);
  gtk_box_append (GTK_BOX (content), self->changes_view);
  gtk_box_append (GTK_BOX (content), self->record_group);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (side_scrolled), content);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (side_scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (side_scrolled, TRUE);

  self->return_button = gtk_button_new_with_mnemonic (_("_Return…"));
  gtk_widget_set_name (self->return_button, "return-button");
  g_signal_connect_object (self->return_button, "clicked", G_CALLBACK (on_return_clicked_cb), self, 0);
  self->approve_button = gtk_button_new_with_mnemonic (_("_Approve"));
  gtk_widget_set_name (self->approve_button, "approve-button");
  gtk_widget_add_css_class (self->approve_button, "suggested-action");
  g_signal_connect_object (self->approve_button, "clicked", G_CALLBACK (on_approve_clicked_cb), self, 0);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_widget_set_hexpand (self->spinner, TRUE);
  gtk_widget_set_halign (self->spinner, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (buttons), self->spinner);
  gtk_box_append (GTK_BOX (buttons), self->return_button);
  gtk_box_append (GTK_BOX (buttons), self->approve_button);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);

  self->caption_label = gtk_label_new (NULL);
  gtk_widget_set_name (self->caption_label, "review-caption");
  gtk_label_set_wrap (GTK_LABEL (self->caption_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->caption_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (self->caption_label), 0);
  gtk_widget_add_css_class (self->caption_label, "caption");
  gtk_widget_add_css_class (self->caption_label, "warning");

  gtk_box_append (GTK_BOX (actions), buttons);
  gtk_box_append (GTK_BOX (actions), self->caption_label);
  gtk_widget_set_margin_top (actions, 10);
  gtk_widget_set_margin_bottom (actions, 10);
  gtk_widget_set_margin_start (actions, 18);
  gtk_widget_set_margin_end (actions, 18);

  gtk_box_append (GTK_BOX (side), side_scrolled);
  gtk_box_append (GTK_BOX (side), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (side), actions);
  gtk_widget_set_size_request (side, 340, -1);

  gtk_paned_set_start_child (GTK_PANED (paned), pdf_scrolled);
  gtk_paned_set_end_child (GTK_PANED (paned), side);
  gtk_paned_set_resize_end_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (paned), FALSE);
  return paned;
}

static GtkWidget *
build_bulk_pane (GkReviewPage *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  self->bulk_title = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->bulk_title, "title-2");
  gtk_label_set_xalign (GTK_LABEL (self->bulk_title), 0);
  self->bulk_list = gtk_list_box_new ();
  gtk_widget_set_name (self->bulk_list, "bulk-results");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->bulk_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->bulk_list, "boxed-list");
  self->bulk_caption = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->bulk_caption), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->bulk_caption), 0);
  gtk_widget_add_css_class (self->bulk_caption, "dim-label");
  self->bulk_approve_button = gtk_button_new_with_mnemonic (_("_Approve"));
  gtk_widget_set_name (self->bulk_approve_button, "bulk-approve-button");
  gtk_widget_add_css_class (self->bulk_approve_button, "suggested-action");
  gtk_widget_add_css_class (self->bulk_approve_button, "pill");
  gtk_widget_set_halign (self->bulk_approve_button, GTK_ALIGN_CENTER);
  g_signal_connect_object (self->bulk_approve_button, "clicked",
                           G_CALLBACK (on_bulk_approve_clicked_cb), self, 0);

  gtk_box_append (GTK_BOX (box), self->bulk_title);
  gtk_box_append (GTK_BOX (box), self->bulk_list);
  gtk_box_append (GTK_BOX (box), self->bulk_caption);
  gtk_box_append (GTK_BOX (box), self->bulk_approve_button);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 640);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  return scrolled;
}

/* overrides */

static void
gk_review_page_constructed (GObject *object)
{
  GkReviewPage *self = GK_REVIEW_PAGE (object);

  G_OBJECT_CLASS (gk_review_page_parent_class)->constructed (object);

  g_signal_connect_object (self->context, "notify::store",
                           G_CALLBACK (on_context_store_changed_cb), self, 0);
  g_signal_connect_object (self->context, "notify::user",
                           G_CALLBACK (on_context_user_changed_cb), self, 0);
  set_store (self, gk_context_get_store (self->context));
  reload_queue (self);
}

static void
gk_review_page_map (GtkWidget *widget)
{
  GkReviewPage *self = GK_REVIEW_PAGE (widget);

  GTK_WIDGET_CLASS (gk_review_page_parent_class)->map (widget);
  if (self->queue_stale)
    reload_queue (self);
}

static void
gk_review_page_dispose (GObject *object)
{
  GkReviewPage *self = GK_REVIEW_PAGE (object);

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->item_cancellable);
  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->items_changed_id, self->store);
      g_clear_signal_handler (&self->library_changed_id, self->store);
    }
  /* No render may outlive the page (pending callbacks still hold the
   * document). */
  if (self->document != NULL)
    gk_pdf_document_close (self->document);

  G_OBJECT_CLASS (gk_review_page_parent_class)->dispose (object);
}

static void
gk_review_page_finalize (GObject *object)
{
  GkReviewPage *self = GK_REVIEW_PAGE (object);

  g_clear_object (&self->context);
  g_clear_object (&self->store);
  g_clear_object (&self->queue);
  g_clear_pointer (&self->signable, g_hash_table_unref);
  g_clear_object (&self->selection);
  g_clear_object (&self->item);
  g_clear_object (&self->document);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->item_cancellable);
  g_clear_pointer (&self->pending_queue, g_ptr_array_unref);
  g_clear_pointer (&self->document_sha256, g_free);
  g_clear_pointer (&self->finding_rects, g_array_unref);
  g_clear_pointer (&self->record_rows, g_ptr_array_unref);
  g_clear_pointer (&self->bulk_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (gk_review_page_parent_class)->finalize (object);
}

static void
gk_review_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GkReviewPage *self = GK_REVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, gk_review_page_get_busy (self));
      break;
    case PROP_PREVIEW_READY:
      g_value_set_boolean (value, self->preview_ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_review_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GkReviewPage *self = GK_REVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_review_page_class_init (GkReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gk_review_page_constructed;
  object_class->dispose = gk_review_page_dispose;
  GTK_WIDGET_CLASS (klass)->map = gk_review_page_map;
  object_class->finalize = gk_review_page_finalize;
  object_class->get_property = gk_review_page_get_property;
  object_class->set_property = gk_review_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, GK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PREVIEW_READY] =
    g_param_spec_boolean ("preview-ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gk_review_page_init (GkReviewPage *self)
{
  GtkWidget *paned, *none, *queue_pane;

  self->queue = g_list_store_new (GK_TYPE_ITEM);
  self->signable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->queue)));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed_cb), self, 0);
  self->record_rows = g_ptr_array_new ();
  self->bulk_ids = g_ptr_array_new_with_free_func (g_free);

  queue_pane = build_queue_pane (self);

  none = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (none), "x-office-document-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (none), _("Select a Document"));
  adw_status_page_set_description (ADW_STATUS_PAGE (none),
                                   _("Its PDF, record, screening findings and changes are shown here."));

  self->detail_stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->detail_stack), none, "none");
  gtk_stack_add_named (GTK_STACK (self->detail_stack), build_item_pane (self), "item");
  gtk_stack_add_named (GTK_STACK (self->detail_stack), build_bulk_pane (self), "bulk");
  gtk_widget_set_hexpand (self->detail_stack, TRUE);

  paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_start_child (GTK_PANED (paned), queue_pane);
  gtk_paned_set_end_child (GTK_PANED (paned), self->detail_stack);
  gtk_paned_set_resize_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_position (GTK_PANED (paned), 300);

  self->closed_status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->closed_status), "system-lock-screen-symbolic");

  self->main_stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->main_stack), paned, "queue");
  gtk_stack_add_named (GTK_STACK (self->main_stack), self->closed_status, "closed");

  self->toast_overlay = adw_toast_overlay_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (self->toast_overlay), self->main_stack);
  adw_bin_set_child (ADW_BIN (self), self->toast_overlay);
}

/* public */

/**
 * gk_review_page_new:
 * @context: the application context
 *
 * Returns: (transfer full): a new review page
 */
GtkWidget *
gk_review_page_new (GkContext *context)
{
  g_return_val_if_fail (GK_IS_CONTEXT (context), NULL);

  return g_object_new (GK_TYPE_REVIEW_PAGE, "context", context, NULL);
}

/**
 * gk_review_page_get_context:
 * @self: the page
 *
 * Returns: (transfer none): its context
 */
GkContext *
gk_review_page_get_context (GkReviewPage *self)
{
  g_return_val_if_fail (GK_IS_REVIEW_PAGE (self), NULL);

  return self->context;
}

/**
 * gk_review_page_reload:
 * @self: the page
 *
 * Reads the queue again, keeping the selection where it can.
 */
void
gk_review_page_reload (GkReviewPage *self)
{
  g_return_if_fail (GK_IS_REVIEW_PAGE (self));

  set_store (self, gk_context_get_store (self->context));
  reload_queue (self);
}

/**
 * gk_review_page_get_n_queued:
 * @self: the page
 *
 * Returns: how many documents the acting user may sign now, as last
 *   read (a stale queue starts reading again: wait until the page is not
 *   busy)
 */
guint
gk_review_page_get_n_queued (GkReviewPage *self)
{
  g_return_val_if_fail (GK_IS_REVIEW_PAGE (self), 0);

  if (self->queue_stale)
    reload_queue_now (self);
  return g_hash_table_size (self->signable);
}

/**
 * gk_review_page_is_listed:
 * @self: the page
 * @id: a document id
 *
 * Returns: whether the document is listed (to sign, or waiting for
 *   others)
 */
gboolean
gk_review_page_is_listed (GkReviewPage *self,
                          const char   *id)
{
  g_autoptr(GkItem) item = NULL;

  g_return_val_if_fail (GK_IS_REVIEW_PAGE (self), FALSE);

  item = find_queued (self, id, NULL);
  return item != NULL;
}

/**
 * gk_review_page_is_signable:
 * @self: the page
 * @id: a document id
 *
 * Returns: whether the acting user may sign it now (it is in their
 *   queue)
 */
gboolean
gk_review_page_is_signable (GkReviewPage *self,
                            const char   *id)
{
  g_return_val_if_fail (GK_IS_REVIEW_PAGE (self), FALSE);

  return g_hash_table_contains (self->signable, id);
}

/**
 * gk_review_page_get_queued_id:
 * @self: the page
 * @position: a position in the queue
 *
 * Returns: (nullable): the id of the document there
 */
const char *
gk_review_page_get_queued_id (GkReviewPage *self,
                              guint         position)
{
  g_autoptr(GkItem) item = NULL;

  g_return_val_if_fail (GK_IS_REVIEW_PAGE (self), NULL);

  item = g_list_model_get_item (G_LIST_MODEL (self->queue), position);
  /* The queue keeps its own reference to the item. */
  return item != NULL ? item->id : NULL;
}

/**
 * gk_review_page_select:
 * @self: the page
 * @ids: (array zero-terminated=1): documents to select
 *
 * Returns: %TRUE when every one of them is in the queue
 */
gboolean
gk_review_page_select (GkReviewPage       *self,
                       const char *const  *ids)
{
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = NULL;
  gboolean all = TRUE;
  guint n;

  g_return_val_if_fail (GK_IS_REVIEW_PAGE (self), FALSE);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      guint position;
      g_autoptr(GkItem) item = find_queued (self, ids[i], &position);

      if (item != NULL)
        gtk_bitset_add (selected, position);
      else
        all = FALSE;
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  mask = gtk_bitset_new_range (0, n);
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), selected, mask);
  return all;
}

/**
 * gk_review_page_get_current_id:
 * @self: the page
 *
 * Returns: (nullable): the document shown in detail
 */
const char *
gk_review_page_get_current_id (GkReviewPage *self)
{
  g_return_val_if_fail (GK_IS_REVIEW_PAGE (self), NULL);

  if (self->item == NULL ||
      g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->detail_stack)), "item") != 0)
    return NULL;
  return self->item->id;
}

/**
 * gk_review_page_get_busy:
 * @self: the page
 *
 * Returns: whether a decision is being made, or the queue or the shown
 *   document is being read
 */
gboolean
gk_review_page_get_busy (GkReviewPage *self)
{
  g_return_val_if_fail (GK_IS_REVIEW_PAGE (self), FALSE);

  return self->busy || self->queue_loading || self->item_loading || self->bulk_loading;
}

/**
 * gk_review_page_get_preview_ready:
 * @self: the page
 *
 * Returns: whether the shown document's PDF is loaded and its findings
 *   located (or could not be)
 */
gboolean
gk_review_page_get_preview_ready (GkReviewPage *self)
{
  g_return_val_if_fail (GK_IS_REVIEW_PAGE (self), FALSE);

  return self->preview_ready;
}

/**
 * gk_review_page_show_finding:
 * @self: the page
 * @position: the finding's position in the findings list
 *
 * Scrolls the PDF to the finding (to its page when it was not located).
 */
void
gk_review_page_show_finding (GkReviewPage *self,
                             guint         position)
{
  GkFinding *finding;

  g_return_if_fail (GK_IS_REVIEW_PAGE (self));

  if (self->item == NULL || self->item->findings == NULL || position >= self->item->findings->len)
    return;
  finding = g_ptr_array_index (self->item->findings, position);
  for (guint i = 0; self->finding_rects != NULL && i < self->finding_rects->len; i++)
    {
      GkPdfRect *rect = &g_array_index (self->finding_rects, GkPdfRect, i);

      if ((guint) (rect->tag & ~GK_PDF_CANVAS_TAG_BLOCKING) == position)
        {
          gk_pdf_canvas_scroll_to_rect (GK_PDF_CANVAS (self->canvas), rect);
          return;
        }
    }
  if (finding->page >= 1)
    gk_pdf_canvas_goto_page (GK_PDF_CANVAS (self->canvas), finding->page - 1);
}

/**
 * gk_review_page_get_canvas:
 * @self: the page
 *
 * Returns: (transfer none): the PDF canvas beside the record
 */
GtkWidget *
gk_review_page_get_canvas (GkReviewPage *self)
{
  g_return_val_if_fail (GK_IS_REVIEW_PAGE (self), NULL);

  return self->canvas;
}
