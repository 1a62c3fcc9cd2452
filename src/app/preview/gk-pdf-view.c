/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPreview"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "gk-finding.h"
#include "gk-types.h"
#include "gk-page-cache.h"
#include "gk-pdf-view.h"

#define THUMBNAIL_WIDTH  96
#define THUMBNAIL_BYTES  (24u * 1024u * 1024u)

struct _GkPdfView
{
  GtkWidget       parent_instance;

  GtkBox         *toolbar;
  GtkToggleButton *thumbnails_button;
  GtkEntry       *page_entry;
  GtkLabel       *n_pages_label;
  GtkLabel       *findings_label;
  GtkMenuButton  *zoom_button;
  GtkLabel       *zoom_label;
  guint           sync_source;
  GtkToggleButton *find_button;
  GtkSearchBar   *find_bar;
  GtkSearchEntry *find_entry;
  GtkLabel       *find_label;
  GtkStack       *stack;
  AdwStatusPage  *empty_page;
  AdwStatusPage  *error_page;
  GtkSpinner     *spinner;
  GtkPasswordEntry *password_entry;
  GtkListView    *thumbnails_view;
  GtkScrolledWindow *scroller;
  GkPdfCanvas    *canvas;

  GSettings      *settings;
  char           *path;
  GPtrArray      *findings;       /* GkFinding* */
  GCancellable   *load_cancellable;
  GCancellable   *find_cancellable;
  GCancellable   *locate_cancellable;
  GtkStringList  *pages_model;
  GtkSingleSelection *thumbnails_selection;
  GkPageCache    *thumbnails;
  GArray         *matches;        /* GkPdfRect */
  int             current_match;
  gboolean        finding;
  gboolean        syncing_thumbnails;
};

G_DEFINE_FINAL_TYPE (GkPdfView, gk_pdf_view, GTK_TYPE_WIDGET)

enum {
  LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_find (GkPdfView *self);

/* Helpers */

static void
update_zoom_label (GkPdfView *self)
{
  g_autofree char *label = NULL;

  /* Translators: zoom level, "125%" */
  label = g_strdup_printf (_("%d%%"), (int) lround (gk_pdf_canvas_get_scale (self->canvas) * 100));
  gtk_label_set_label (self->zoom_label, label);
}

static void
update_page_widgets (GkPdfView *self)
{
  GkPdfDocument *document = gk_pdf_canvas_get_document (self->canvas);
  guint n = document ? gk_pdf_document_get_n_pages (document) : 0;
  guint page = gk_pdf_canvas_get_current_page (self->canvas);
  g_autofree char *of = NULL;
  g_autofree char *number = NULL;

  /* Translators: after the page number entry: "3 of 12" */
  of = n > 0 ? g_strdup_printf (_("of %u"), n) : g_strdup ("");
  gtk_label_set_label (self->n_pages_label, of);
  if (!gtk_widget_has_focus (GTK_WIDGET (self->page_entry)) &&
      !gtk_widget_is_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->page_entry)))))
    {
      number = n > 0 ? g_strdup_printf ("%u", page + 1) : g_strdup ("");
      gtk_editable_set_text (GTK_EDITABLE (self->page_entry), number);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.previous-page", n > 0 && page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.next-page", n > 0 && page + 1 < n);

  if (n > 0 && self->thumbnails_selection != NULL &&
      gtk_single_selection_get_selected (self->thumbnails_selection) != page)
    {
      self->syncing_thumbnails = TRUE;
      gtk_single_selection_set_selected (self->thumbnails_selection, page);
      self->syncing_thumbnails = FALSE;
    }
}

static void
update_find_label (GkPdfView *self)
{
  g_autofree char *text = NULL;
  const char *needle = gtk_editable_get_text (GTK_EDITABLE (self->find_entry));

  if (needle == NULL || *needle == '\0')
    text = g_strdup ("");
  else if (self->matches == NULL || self->matches->len == 0)
    text = g_strdup (self->finding ? _("Searching…") : _("No matches"));
  else
    /* Translators: current find match and number of matches, "3 of 12" */
    text = g_strdup_printf (_("%d of %u"), self->current_match + 1, self->matches->len);
  gtk_label_set_label (self->find_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.find-next",
                                 self->matches != NULL && self->matches->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.find-previous",
                                 self->matches != NULL && self->matches->len > 0);
}

static void
update_findings_label (GkPdfView *self)
{
  guint open = 0, blocking = 0;

  for (guint i = 0; self->findings != NULL && i < self->findings->len; i++)
    {
      GkFinding *finding = g_ptr_array_index (self->findings, i);

      if (finding->status == GK_FINDING_DISMISSED)
        continue;
      open++;
      if (gk_finding_is_blocking (finding))
        blocking++;
    }
  if (open == 0)
    gtk_label_set_label (self->findings_label, "");
  else
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u finding", "%u findings", open), open);

      gtk_label_set_label (self->findings_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->findings_label),
                                   _("What the confidentiality screening found is highlighted on the pages: "
                                     "red blocks approval, orange needs a look."));
    }
  if (blocking > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->findings_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->findings_label), "error");
}

static void
select_match (GkPdfView *self,
              int        index)
{
  if (self->matches == NULL || self->matches->len == 0)
    return;
  index = (index + (int) self->matches->len) % (int) self->matches->len;
  self->current_match = index;
  gk_pdf_canvas_set_matches (self->canvas, self->matches, index);
  gk_pdf_canvas_scroll_to_rect (self->canvas, &g_array_index (self->matches, GkPdfRect, index));
  update_find_label (self);
}

static void
on_found_cb (GkPdfDocument *document,
             const GArray  *rects,
             guint          pages_done,
             gpointer       user_data)
{
  GkPdfView *self = GK_PDF_VIEW (user_data);

  if (document != gk_pdf_canvas_get_document (self->canvas) || self->matches == NULL)
    return;
  g_array_append_vals (self->matches, rects->data, rects->len);
  if (self->current_match < 0 && self->matches->len > 0)
    select_match (self, 0);
  else
    gk_pdf_canvas_set_matches (self->canvas, self->matches, self->current_match);
  update_find_label (self);
}

static void
on_find_finished_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GkPdfView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) matches = NULL;

  matches = gk_pdf_document_find_finish (GK_PDF_DOCUMENT (source), result, &error);
  if (matches == NULL)
    return;
  if (GK_PDF_DOCUMENT (source) != gk_pdf_canvas_get_document (self->canvas))
    return;
  self->finding = FALSE;
  update_find_label (self);
}

static void
start_find (GkPdfView *self)
{
  GkPdfDocument *document = gk_pdf_canvas_get_document (self->canvas);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->find_entry));

  g_cancellable_cancel (self->find_cancellable);
  g_clear_object (&self->find_cancellable);
  g_clear_pointer (&self->matches, g_array_unref);
  self->current_match = -1;
  self->finding = FALSE;
  gk_pdf_canvas_set_matches (self->canvas, NULL, -1);

  if (document != NULL && text != NULL && *text != '\0')
    {
      self->matches = g_array_new (FALSE, FALSE, sizeof (GkPdfRect));
      self->find_cancellable = g_cancellable_new ();
      self->finding = TRUE;
      gk_pdf_document_find_async (document, text, on_found_cb, self,
                                  self->find_cancellable, on_find_finished_cb,
                                  g_object_ref (self));
    }
  update_find_label (self);
}

static void
on_located_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GkPdfView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rects = NULL;

  rects = gk_pdf_document_locate_finish (GK_PDF_DOCUMENT (source), result, &error);
  if (rects == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
        g_warning ("Could not place the findings: %s", error->message);
      return;
    }
  if (GK_PDF_DOCUMENT (source) == gk_pdf_canvas_get_document (self->canvas))
    gk_pdf_canvas_set_findings (self->canvas, rects);
}

static void
locate_findings (GkPdfView *self)
{
  GkPdfDocument *document = gk_pdf_canvas_get_document (self->canvas);
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (GkPdfSpan));

  g_cancellable_cancel (self->locate_cancellable);
  g_clear_object (&self->locate_cancellable);
  gk_pdf_canvas_set_findings (self->canvas, NULL);
  update_findings_label (self);

  if (document == NULL || self->findings == NULL)
    return;
  for (guint i = 0; i < self->findings->len; i++)
    {
      GkFinding *finding = g_ptr_array_index (self->findings, i);
      GkPdfSpan span;

      if (finding->status == GK_FINDING_DISMISSED || finding->page < 1 || finding->length <= 0 ||
          (guint) finding->page > gk_pdf_document_get_n_pages (document))
        continue;
      span.page = finding->page - 1;
      span.offset = finding->offset;
      span.length = finding->length;
      span.tag = (int) i | (gk_finding_is_blocking (finding) ? GK_PDF_CANVAS_TAG_BLOCKING : 0);
      g_array_append_val (spans, span);
    }
  if (spans->len == 0)
    return;
  self->locate_cancellable = g_cancellable_new ();
  gk_pdf_document_locate_async (document, (const GkPdfSpan *) spans->data, spans->len,
                                self->locate_cancellable, on_located_cb, g_object_ref (self));
}

/* Thumbnails */

typedef struct
{
  GtkPicture *picture;
  guint       page;
  int         key;
  GkPdfView  *view;
} ThumbnailRequest;

static void
on_thumbnail_rendered_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  ThumbnailRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  texture = gk_pdf_document_render_finish (GK_PDF_DOCUMENT (source), result, &error);
  if (texture != NULL && GK_PDF_DOCUMENT (source) == gk_pdf_canvas_get_document (request->view->canvas))
    {
      gk_page_cache_insert (request->view->thumbnails, request->page, request->key, texture);
      if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (request->picture), "page")) == request->page + 1)
        gtk_picture_set_paintable (request->picture, GDK_PAINTABLE (texture));
    }
  g_object_unref (request->picture);
  g_object_unref (request->view);
  g_free (request);
}

static void
on_thumbnail_setup_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *list_item,
                       GkPdfView                *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_size_request (picture, THUMBNAIL_WIDTH, (int) (THUMBNAIL_WIDTH * 1.414));
  gtk_widget_add_css_class (frame, "thumbnail");
  gtk_widget_set_halign (frame, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (frame), picture);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), frame);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  g_object_set_data (G_OBJECT (box), "picture", picture);
  g_object_set_data (G_OBJECT (box), "label", label);
  gtk_list_item_set_child (list_item, box);
}

static void
on_thumbnail_bind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      GkPdfView                *self)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkPicture *picture = g_object_get_data (G_OBJECT (box), "picture");
  GtkLabel *label = g_object_get_data (G_OBJECT (box), "label");
  GkPdfDocument *document = gk_pdf_canvas_get_document (self->canvas);
  guint page = gtk_list_item_get_position (list_item);
  g_autofree char *number = g_strdup_printf ("%u", page + 1);
  double width, height, scale;
  GdkTexture *texture;
  ThumbnailRequest *request;
  int key;

  gtk_label_set_label (label, number);
  g_object_set_data (G_OBJECT (picture), "page", GUINT_TO_POINTER (page + 1));
  gtk_picture_set_paintable (picture, NULL);
  if (document == NULL)
    return;

  gk_pdf_document_get_page_size (document, page, &width, &height);
  if (width <= 0)
    return;
  scale = THUMBNAIL_WIDTH / width * gtk_widget_get_scale_factor (GTK_WIDGET (self));
  key = gk_page_cache_scale_key (scale);
  texture = gk_page_cache_lookup (self->thumbnails, page, key);
  if (texture != NULL)
    {
      gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
      return;
    }

  request = g_new0 (ThumbnailRequest, 1);
  request->picture = g_object_ref (picture);
  request->page = page;
  request->key = key;
  request->view = g_object_ref (self);
  gk_pdf_document_render_async (document, page, key / 1000.0, GK_PDF_PRIORITY_THUMBNAIL,
                                self->load_cancellable, on_thumbnail_rendered_cb, request);
}

static void
on_thumbnail_unbind_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *list_item,
                        GkPdfView                *self)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkPicture *picture = g_object_get_data (G_OBJECT (box), "picture");

  g_object_set_data (G_OBJECT (picture), "page", NULL);
}

static void
on_thumbnail_selection_changed_cb (GtkSelectionModel *model,
                                   guint              position,
                                   guint              n_items,
                                   GkPdfView         *self)
{
  guint selected = gtk_single_selection_get_selected (self->thumbnails_selection);

  if (!self->syncing_thumbnails && selected != GTK_INVALID_LIST_POSITION)
    gk_pdf_canvas_goto_page (self->canvas, selected);
}

static void
on_thumbnail_activate_cb (GtkListView *view,
                          guint        position,
                          GkPdfView   *self)
{
  gk_pdf_canvas_goto_page (self->canvas, position);
}

/* Loading */

static void
show_document (GkPdfView     *self,
               GkPdfDocument *document)
{
  guint n = gk_pdf_document_get_n_pages (document);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);

  gk_page_cache_clear (self->thumbnails);
  gk_pdf_canvas_set_document (self->canvas, document);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (numbers, g_strdup_printf ("%u", i + 1));
  g_ptr_array_add (numbers, NULL);
  g_clear_object (&self->pages_model);
  self->pages_model = gtk_string_list_new ((const char *const *) numbers->pdata);
  self->thumbnails_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->pages_model)));
  gtk_single_selection_set_autoselect (self->thumbnails_selection, FALSE);
  g_signal_connect_object (self->thumbnails_selection, "selection-changed",
                           G_CALLBACK (on_thumbnail_selection_changed_cb), self, 0);
  gtk_list_view_set_model (self->thumbnails_view, GTK_SELECTION_MODEL (self->thumbnails_selection));
  g_object_unref (self->thumbnails_selection);

  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "document");
  update_page_widgets (self);
  update_zoom_label (self);
  locate_findings (self);
  if (gtk_search_bar_get_search_mode (self->find_bar))
    start_find (self);
  g_signal_emit (self, signals[LOADED], 0);
}

static void
on_document_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GkPdfView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkPdfDocument) document = NULL;

  document = gk_pdf_document_load_finish (result, &error);
  /* An answer for a load that was replaced since (another document was
   * chosen meanwhile) is not this view's, whatever it says. */
  if (g_task_get_cancellable (G_TASK (result)) != self->load_cancellable)
    return;
  if (document == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
        return;
      gtk_spinner_stop (self->spinner);
      if (g_error_matches (error, GK_ERROR, GK_ERROR_PASSWORD))
        {
          gtk_stack_set_visible_child_name (self->stack, "password");
          gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
        }
      else
        {
          g_autofree char *text =
            g_strdup_printf (_("The file could not be read: %s"), error->message);

          adw_status_page_set_description (self->error_page, text);
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      return;
    }
  if (g_strcmp0 (gk_pdf_document_get_path (document), self->path) != 0)
    return;
  show_document (self, document);
}

static void
start_load (GkPdfView  *self,
            const char *password)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->find_cancellable);
  g_cancellable_cancel (self->locate_cancellable);
  g_clear_pointer (&self->matches, g_array_unref);
  self->current_match = -1;
  gk_pdf_canvas_set_document (self->canvas, NULL);
  gtk_list_view_set_model (self->thumbnails_view, NULL);
  self->thumbnails_selection = NULL;
  update_page_widgets (self);
  update_find_label (self);

  self->load_cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_start (self->spinner);
  gk_pdf_document_load_async (self->path, password, self->load_cancellable,
                              on_document_loaded_cb, g_object_ref (self));
}

/* Callbacks */

static void
on_unlock_cb (GkPdfView *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));

  if (self->path == NULL || password == NULL || *password == '\0')
    return;
  start_load (self, password);
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
}

static void
on_page_entry_activate_cb (GtkEntry  *entry,
                           GkPdfView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  guint64 page = 0;

  if (g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &page, NULL))
    gk_pdf_canvas_goto_page (self->canvas, (guint) page - 1);
  gtk_widget_grab_focus (GTK_WIDGET (self->scroller));
  update_page_widgets (self);
}

static void
on_find_entry_search_changed_cb (GtkSearchEntry *entry,
                                 GkPdfView      *self)
{
  start_find (self);
}

static void
on_find_entry_activate_cb (GtkSearchEntry *entry,
                           GkPdfView      *self)
{
  select_match (self, self->current_match + 1);
}

static void
on_find_entry_next_match_cb (GtkSearchEntry *entry,
                             GkPdfView      *self)
{
  select_match (self, self->current_match + 1);
}

static void
on_find_entry_previous_match_cb (GtkSearchEntry *entry,
                                 GkPdfView      *self)
{
  select_match (self, self->current_match - 1);
}

static void
on_find_entry_stop_search_cb (GtkSearchEntry *entry,
                              GkPdfView      *self)
{
  gtk_search_bar_set_search_mode (self->find_bar, FALSE);
}

static void
on_find_bar_search_mode_cb (GkPdfView *self)
{
  if (gtk_search_bar_get_search_mode (self->find_bar))
    gtk_widget_grab_focus (GTK_WIDGET (self->find_entry));
  else
    {
      g_cancellable_cancel (self->find_cancellable);
      g_clear_pointer (&self->matches, g_array_unref);
      self->current_match = -1;
      gk_pdf_canvas_set_matches (self->canvas, NULL, -1);
    }
}

/* The canvas notifies from its size allocation: the toolbar follows
 * once that is over, never in the middle of a layout. */
static void sync_widgets_cb (gpointer data);

static gboolean
sync_widgets_idle_cb (gpointer data)
{
  sync_widgets_cb (data);
  return G_SOURCE_REMOVE;
}

static void
sync_widgets_cb (gpointer data)
{
  GkPdfView *self = data;
  GkZoomMode mode = gk_pdf_canvas_get_zoom_mode (self->canvas);

  self->sync_source = 0;
  update_page_widgets (self);
  update_zoom_label (self);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "zoom-mode",
                           mode == GK_ZOOM_FIT_WIDTH ? "fit-width"
                           : mode == GK_ZOOM_FIT_PAGE ? "fit-page" : "free");
}

static void
queue_sync_widgets (GkPdfView *self)
{
  /* Before the next frame: an idle of the default priority waits behind
   * the rendering of a zoomed page, and the label said the old scale. */
  if (self->sync_source == 0)
    self->sync_source =
        g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, sync_widgets_idle_cb, self, NULL);
}

static void
on_canvas_current_page_cb (GkPdfView *self)
{
  queue_sync_widgets (self);
}

static void
on_canvas_zoom_cb (GkPdfView *self)
{
  queue_sync_widgets (self);
}

/* Actions */

static void
zoom_level_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GkPdfView *self = GK_PDF_VIEW (widget);

  gk_pdf_canvas_set_scale (self->canvas, g_variant_get_double (parameter));
}

static void
simple_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GkPdfView *self = GK_PDF_VIEW (widget);
  guint page = gk_pdf_canvas_get_current_page (self->canvas);

  if (g_str_equal (action_name, "preview.zoom-in"))
    gk_pdf_view_zoom_in (self);
  else if (g_str_equal (action_name, "preview.zoom-out"))
    gk_pdf_view_zoom_out (self);
  else if (g_str_equal (action_name, "preview.zoom-reset"))
    gk_pdf_view_zoom_reset (self);
  else if (g_str_equal (action_name, "preview.zoom-fit-width"))
    gk_pdf_canvas_set_zoom_mode (self->canvas, GK_ZOOM_FIT_WIDTH);
  else if (g_str_equal (action_name, "preview.zoom-fit-page"))
    gk_pdf_canvas_set_zoom_mode (self->canvas, GK_ZOOM_FIT_PAGE);
  else if (g_str_equal (action_name, "preview.previous-page"))
    gk_pdf_canvas_goto_page (self->canvas, page > 0 ? page - 1 : 0);
  else if (g_str_equal (action_name, "preview.next-page"))
    gk_pdf_canvas_goto_page (self->canvas, page + 1);
  else if (g_str_equal (action_name, "preview.find"))
    {
      gtk_search_bar_set_search_mode (self->find_bar, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->find_entry));
    }
  else if (g_str_equal (action_name, "preview.find-next"))
    select_match (self, self->current_match + 1);
  else if (g_str_equal (action_name, "preview.find-previous"))
    select_match (self, self->current_match - 1);
}

/* GObject */

static void
gk_pdf_view_dispose (GObject *object)
{
  GkPdfView *self = GK_PDF_VIEW (object);
  GkPdfDocument *document = self->canvas ? gk_pdf_canvas_get_document (self->canvas) : NULL;

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->find_cancellable);
  g_cancellable_cancel (self->locate_cancellable);
  /* Pending callbacks still hold the document: stop its renders now,
   * not whenever the last of them runs (perhaps never, at exit). */
  if (document != NULL)
    gk_pdf_document_close (document);
  g_clear_handle_id (&self->sync_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), GK_TYPE_PDF_VIEW);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->settings);
  g_clear_object (&self->pages_model);

  G_OBJECT_CLASS (gk_pdf_view_parent_class)->dispose (object);
}

static void
gk_pdf_view_finalize (GObject *object)
{
  GkPdfView *self = GK_PDF_VIEW (object);

  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->find_cancellable);
  g_clear_object (&self->locate_cancellable);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->matches, g_array_unref);
  g_clear_pointer (&self->thumbnails, gk_page_cache_free);
  g_free (self->path);

  G_OBJECT_CLASS (gk_pdf_view_parent_class)->finalize (object);
}

static void
gk_pdf_view_class_init (GkPdfViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *simple_actions[] = {
    "preview.zoom-in", "preview.zoom-out", "preview.zoom-reset", "preview.zoom-fit-width",
    "preview.zoom-fit-page", "preview.previous-page", "preview.next-page", "preview.find",
    "preview.find-next", "preview.find-previous",
  };

  object_class->dispose = gk_pdf_view_dispose;
  object_class->finalize = gk_pdf_view_finalize;

  /**
   * GkPdfView::loaded:
   * @view: the view
   *
   * The document is open and its first pages are being rendered.
   */
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (GK_TYPE_PDF_CANVAS);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/gov/gongkai/Desk/gk-pdf-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, thumbnails_button);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, page_entry);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, n_pages_label);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, findings_label);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, find_button);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, find_bar);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, find_entry);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, find_label);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, stack);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, error_page);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, spinner);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, password_entry);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, thumbnails_view);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, scroller);
  gtk_widget_class_bind_template_child (widget_class, GkPdfView, canvas);
  gtk_widget_class_bind_template_callback (widget_class, on_page_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_find_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_find_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_find_entry_next_match_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_find_entry_previous_match_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_find_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_thumbnail_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_unlock_cb);

  for (guint i = 0; i < G_N_ELEMENTS (simple_actions); i++)
    gtk_widget_class_install_action (widget_class, simple_actions[i], NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "preview.zoom-level", "d", zoom_level_action);

  gtk_widget_class_set_css_name (widget_class, "pdfview");
}

static void
gk_pdf_view_init (GkPdfView *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->current_match = -1;
  self->thumbnails = gk_page_cache_new (THUMBNAIL_BYTES);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (on_thumbnail_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_thumbnail_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_thumbnail_unbind_cb), self);
  gtk_list_view_set_factory (self->thumbnails_view, factory);
  g_object_unref (factory);

  g_signal_connect_object (self->canvas, "notify::current-page",
                           G_CALLBACK (on_canvas_current_page_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "notify::scale",
                           G_CALLBACK (on_canvas_zoom_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "notify::zoom-mode",
                           G_CALLBACK (on_canvas_zoom_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->find_bar, "notify::search-mode-enabled",
                           G_CALLBACK (on_find_bar_search_mode_cb), self, G_CONNECT_SWAPPED);
  gtk_search_bar_connect_entry (self->find_bar, GTK_EDITABLE (self->find_entry));

  update_zoom_label (self);
  update_page_widgets (self);
  update_find_label (self);
}

/* Public API */

/**
 * gk_pdf_view_new:
 *
 * Returns: (transfer full): a new, empty preview
 */
GtkWidget *
gk_pdf_view_new (void)
{
  return g_object_new (GK_TYPE_PDF_VIEW, NULL);
}

/**
 * gk_pdf_view_set_settings:
 * @self: a preview
 * @settings: (nullable): the application settings
 *
 * Restores and then remembers the zoom mode and the thumbnails strip.
 */
void
gk_pdf_view_set_settings (GkPdfView *self,
                          GSettings *settings)
{
  g_autofree char *mode = NULL;

  g_return_if_fail (GK_IS_PDF_VIEW (self));

  if (!g_set_object (&self->settings, settings) || settings == NULL)
    return;
  g_settings_bind (settings, "show-thumbnails", self->thumbnails_button, "active",
                   G_SETTINGS_BIND_DEFAULT);
  mode = g_settings_get_string (settings, "zoom-mode");
  if (g_strcmp0 (mode, "fit-page") == 0)
    gk_pdf_canvas_set_zoom_mode (self->canvas, GK_ZOOM_FIT_PAGE);
  else
    gk_pdf_canvas_set_zoom_mode (self->canvas, GK_ZOOM_FIT_WIDTH);
}

/**
 * gk_pdf_view_load:
 * @self: a preview
 * @path: a PDF file
 * @findings: (nullable) (element-type GkFinding): findings to highlight
 *
 * Opens the file on a worker and shows its first page as soon as it is
 * rendered.  The same file again only updates the findings.
 */
void
gk_pdf_view_load (GkPdfView  *self,
                  const char *path,
                  GPtrArray  *findings)
{
  g_return_if_fail (GK_IS_PDF_VIEW (self));
  g_return_if_fail (path != NULL);

  g_clear_pointer (&self->findings, g_ptr_array_unref);
  if (findings != NULL)
    self->findings = g_ptr_array_ref (findings);

  if (g_strcmp0 (self->path, path) == 0 &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") != 0)
    {
      locate_findings (self);
      return;
    }

  g_free (self->path);
  self->path = g_strdup (path);
  update_findings_label (self);
  start_load (self, NULL);
}

/**
 * gk_pdf_view_clear:
 * @self: a preview
 * @message: (nullable): why there is nothing to show
 *
 * Shows no document.
 */
void
gk_pdf_view_clear (GkPdfView  *self,
                   const char *message)
{
  g_return_if_fail (GK_IS_PDF_VIEW (self));

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->find_cancellable);
  g_cancellable_cancel (self->locate_cancellable);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->matches, g_array_unref);
  gk_pdf_canvas_set_document (self->canvas, NULL);
  gtk_list_view_set_model (self->thumbnails_view, NULL);
  self->thumbnails_selection = NULL;
  gtk_spinner_stop (self->spinner);
  adw_status_page_set_description (self->empty_page, message);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_page_widgets (self);
  update_findings_label (self);
}

/**
 * gk_pdf_view_get_canvas:
 * @self: a preview
 *
 * Returns: (transfer none): the page canvas
 */
GkPdfCanvas *
gk_pdf_view_get_canvas (GkPdfView *self)
{
  g_return_val_if_fail (GK_IS_PDF_VIEW (self), NULL);

  return self->canvas;
}

/**
 * gk_pdf_view_is_loaded:
 * @self: a preview
 *
 * Returns: %TRUE when a document is open
 */
gboolean
gk_pdf_view_is_loaded (GkPdfView *self)
{
  g_return_val_if_fail (GK_IS_PDF_VIEW (self), FALSE);

  return gk_pdf_canvas_get_document (self->canvas) != NULL;
}

/**
 * gk_pdf_view_goto_page:
 * @self: a preview
 * @page: 0-based page
 *
 * Scrolls to @page.
 */
void
gk_pdf_view_goto_page (GkPdfView *self,
                       guint      page)
{
  g_return_if_fail (GK_IS_PDF_VIEW (self));

  gk_pdf_canvas_goto_page (self->canvas, page);
}

/**
 * gk_pdf_view_find:
 * @self: a preview
 * @text: what to find
 *
 * Opens the find bar and searches the document for @text.
 */
void
gk_pdf_view_find (GkPdfView  *self,
                  const char *text)
{
  g_return_if_fail (GK_IS_PDF_VIEW (self));

  gtk_search_bar_set_search_mode (self->find_bar, TRUE);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->find_entry)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->find_entry), text);
  start_find (self);
}

/**
 * gk_pdf_view_get_n_matches:
 * @self: a preview
 *
 * Returns: matches of the last find, -1 while it still runs
 */
int
gk_pdf_view_get_n_matches (GkPdfView *self)
{
  g_return_val_if_fail (GK_IS_PDF_VIEW (self), 0);

  if (self->finding)
    return -1;
  return self->matches ? (int) self->matches->len : 0;
}

/**
 * gk_pdf_view_get_match:
 * @self: a preview
 * @index: a match
 *
 * Returns: (nullable): where the match is
 */
const GkPdfRect *
gk_pdf_view_get_match (GkPdfView *self,
                       guint      index)
{
  g_return_val_if_fail (GK_IS_PDF_VIEW (self), NULL);

  if (self->matches == NULL || index >= self->matches->len)
    return NULL;
  return &g_array_index (self->matches, GkPdfRect, index);
}

/**
 * gk_pdf_view_zoom_in:
 * @self: a preview
 *
 * Zooms to the next step.
 */
void
gk_pdf_view_zoom_in (GkPdfView *self)
{
  gk_pdf_canvas_zoom_in (self->canvas);
}

/**
 * gk_pdf_view_zoom_out:
 * @self: a preview
 *
 * Zooms to the previous step.
 */
void
gk_pdf_view_zoom_out (GkPdfView *self)
{
  gk_pdf_canvas_zoom_out (self->canvas);
}

/**
 * gk_pdf_view_zoom_reset:
 * @self: a preview
 *
 * Shows pages at their real size (100 %).
 */
void
gk_pdf_view_zoom_reset (GkPdfView *self)
{
  gk_pdf_canvas_zoom_reset (self->canvas);
}
