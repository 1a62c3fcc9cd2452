/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPreview"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gk-page-cache.h"
#include "gk-pdf-canvas.h"

#define MARGIN         16.0
#define PAGE_GAP       12.0
#define MIN_SCALE      0.1
#define MAX_SCALE      6.0
/* Enough for a dozen A4 pages at fit-width on a large screen. */
#define CACHE_BYTES    (160u * 1024u * 1024u)

typedef struct
{
  int           scale_key;
  GCancellable *cancellable;
} PendingRender;

typedef struct
{
  GkPdfCanvas   *canvas;
  GkPdfDocument *document;
  guint          page;
  int            scale_key;
  GCancellable  *cancellable;
} RenderRequest;

struct _GkPdfCanvas
{
  GtkWidget      parent_instance;

  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  guint          hscroll_policy : 1;
  guint          vscroll_policy : 1;

  GkPdfDocument *document;
  GkPageCache   *cache;
  GHashTable    *pending;        /* page → PendingRender* */
  GHashTable    *failed;         /* page → why it cannot be shown (not asked again) */

  GkZoomMode     zoom_mode;
  double         scale;
  double        *page_y;         /* top of each page at the current scale */
  double         content_width;
  double         content_height;
  int            last_width;
  int            last_height;

  /* Keep the same spot in view across a zoom. */
  gboolean       have_anchor;
  guint          anchor_page;
  double         anchor_fraction;

  GArray        *matches;
  int            current_match;
  GArray        *findings;

  guint          current_page;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (GkPdfCanvas, gk_pdf_canvas, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

enum {
  PROP_0,
  PROP_SCALE,
  PROP_ZOOM_MODE,
  PROP_CURRENT_PAGE,
  N_PROPS,
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

enum {
  PAGE_RENDERED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void update_visible (GkPdfCanvas *self);

static void
pending_render_free (PendingRender *pending)
{
  g_cancellable_cancel (pending->cancellable);
  g_clear_object (&pending->cancellable);
  g_free (pending);
}

static void
render_request_free (RenderRequest *request)
{
  g_object_unref (request->canvas);
  g_object_unref (request->document);
  g_object_unref (request->cancellable);
  g_free (request);
}

static double
render_scale (GkPdfCanvas *self)
{
  return self->scale * gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

static double
page_height (GkPdfCanvas *self,
             guint        page)
{
  double width, height;

  gk_pdf_document_get_page_size (self->document, page, &width, &height);
  return height * self->scale;
}

static double
page_width (GkPdfCanvas *self,
            guint        page)
{
  double width, height;

  gk_pdf_document_get_page_size (self->document, page, &width, &height);
  return width * self->scale;
}

static guint
n_pages (GkPdfCanvas *self)
{
  return self->document ? gk_pdf_document_get_n_pages (self->document) : 0;
}

static void
layout_pages (GkPdfCanvas *self)
{
  guint n = n_pages (self);
  double y = MARGIN, max_width = 0;

  g_clear_pointer (&self->page_y, g_free);
  self->page_y = g_new0 (double, n + 1);
  for (guint i = 0; i < n; i++)
    {
      self->page_y[i] = y;
      y += page_height (self, i) + PAGE_GAP;
      max_width = MAX (max_width, page_width (self, i));
    }
  self->page_y[n] = y;
  self->content_height = n > 0 ? y - PAGE_GAP + MARGIN : 0;
  self->content_width = n > 0 ? max_width + 2 * MARGIN : 0;
}

/* First page whose bottom is below y. */
static guint
page_at_y (GkPdfCanvas *self,
           double       y)
{
  guint lo = 0, hi = n_pages (self);

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (self->page_y[mid + 1] - PAGE_GAP <= y)
        lo = mid + 1;
      else
        hi = mid;
    }
  return MIN (lo, MAX (n_pages (self), 1) - 1);
}

static double
page_x (GkPdfCanvas *self,
        guint        page)
{
  double width = MAX (self->content_width, gtk_widget_get_width (GTK_WIDGET (self)));

  return floor ((width - page_width (self, page)) / 2);
}

static void
remember_anchor (GkPdfCanvas *self)
{
  double top;
  guint page;

  if (self->document == NULL || self->page_y == NULL || self->vadjustment == NULL)
    return;
  top = gtk_adjustment_get_value (self->vadjustment);
  page = page_at_y (self, top);
  self->anchor_page = page;
  self->anchor_fraction = (top - self->page_y[page]) / MAX (1.0, page_height (self, page));
  self->have_anchor = TRUE;
}

static double
fit_scale (GkPdfCanvas *self,
           int          width,
           int          height)
{
  double max_width, max_height, scale;

  gk_pdf_document_get_max_page_size (self->document, &max_width, &max_height);
  if (max_width <= 0 || max_height <= 0 || width <= 0)
    return self->scale;
  scale = (width - 2 * MARGIN) / max_width;
  if (self->zoom_mode == GK_ZOOM_FIT_PAGE && height > 0)
    scale = MIN (scale, (height - 2 * MARGIN) / max_height);
  return CLAMP (scale, MIN_SCALE, MAX_SCALE);
}

static void
configure_adjustments (GkPdfCanvas *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double value;

  if (self->vadjustment != NULL)
    {
      double upper = MAX (self->content_height, height);

      if (self->have_anchor && self->document != NULL && self->anchor_page < n_pages (self))
        {
          value = self->page_y[self->anchor_page] +
                  self->anchor_fraction * page_height (self, self->anchor_page);
          self->have_anchor = FALSE;
        }
      else
        value = gtk_adjustment_get_value (self->vadjustment);
      gtk_adjustment_configure (self->vadjustment, CLAMP (value, 0, upper - height), 0, upper,
                                height * 0.1, height * 0.9, height);
    }
  if (self->hadjustment != NULL)
    {
      double upper = MAX (self->content_width, width);

      value = gtk_adjustment_get_value (self->hadjustment);
      gtk_adjustment_configure (self->hadjustment, CLAMP (value, 0, upper - width), 0, upper,
                                width * 0.1, width * 0.9, width);
    }
}

static void
set_scale_internal (GkPdfCanvas *self,
                    double       scale)
{
  scale = CLAMP (scale, MIN_SCALE, MAX_SCALE);
  if (fabs (scale - self->scale) < 1e-4)
    return;
  remember_anchor (self);
  self->scale = scale;
  if (self->document != NULL)
    layout_pages (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
cancel_pending_except (GkPdfCanvas *self,
                       guint        first,
                       guint        last,
                       int          scale_key)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint page = GPOINTER_TO_UINT (key);
      PendingRender *pending = value;

      if (page < first || page > last || pending->scale_key != scale_key)
        g_hash_table_iter_remove (&iter);
    }
}

static void
on_page_rendered_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  RenderRequest *request = user_data;
  GkPdfCanvas *self = request->canvas;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  PendingRender *pending;

  texture = gk_pdf_document_render_finish (GK_PDF_DOCUMENT (source), result, &error);

  pending = g_hash_table_lookup (self->pending, GUINT_TO_POINTER (request->page));
  if (pending != NULL && pending->cancellable == request->cancellable)
    g_hash_table_remove (self->pending, GUINT_TO_POINTER (request->page));

  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) &&
          request->document == self->document)
        {
          /* Shown in the page's place; the rest of the document goes on. */
          g_hash_table_replace (self->failed, GUINT_TO_POINTER (request->page),
                                g_strdup_printf (_("This page could not be displayed: %s"), error->message));
          gtk_widget_queue_draw (GTK_WIDGET (self));
          g_signal_emit (self, signals[PAGE_RENDERED], 0, request->page);
        }
    }
  else if (request->document == self->document)
    {
      gk_page_cache_insert (self->cache, request->page, request->scale_key, texture);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      g_signal_emit (self, signals[PAGE_RENDERED], 0, request->page);
    }
  render_request_free (request);
}

static void
request_page (GkPdfCanvas   *self,
              guint          page,
              int            scale_key,
              GkPdfPriority  priority)
{
  PendingRender *pending;
  RenderRequest *request;

  if (gk_page_cache_lookup (self->cache, page, scale_key) != NULL ||
      g_hash_table_contains (self->failed, GUINT_TO_POINTER (page)))
    return;
  pending = g_hash_table_lookup (self->pending, GUINT_TO_POINTER (page));
  if (pending != NULL && pending->scale_key == scale_key)
    return;

  pending = g_new0 (PendingRender, 1);
  pending->scale_key = scale_key;
  pending->cancellable = g_cancellable_new ();
  g_hash_table_replace (self->pending, GUINT_TO_POINTER (page), pending);

  request = g_new0 (RenderRequest, 1);
  request->canvas = g_object_ref (self);
  request->document = g_object_ref (self->document);
  request->page = page;
  request->scale_key = scale_key;
  request->cancellable = g_object_ref (pending->cancellable);
  gk_pdf_document_render_async (self->document, page, scale_key / 1000.0, priority,
                                pending->cancellable, on_page_rendered_cb, request);
}

static void
update_current_page (GkPdfCanvas *self)
{
  double top, height;
  guint page;

  if (self->document == NULL || self->vadjustment == NULL)
    return;
  top = gtk_adjustment_get_value (self->vadjustment);
  height = gtk_adjustment_get_page_size (self->vadjustment);
  page = page_at_y (self, top + height / 3);
  if (top + height >= self->content_height - 1 && self->content_height > height)
    page = n_pages (self) - 1;
  if (page != self->current_page)
    {
      self->current_page = page;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PAGE]);
    }
}

static void
update_visible (GkPdfCanvas *self)
{
  double top, height;
  guint first, last, n = n_pages (self);
  int key;

  if (self->document == NULL || n == 0 || self->page_y == NULL || self->vadjustment == NULL)
    return;
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (height <= 0)
    return;

  top = gtk_adjustment_get_value (self->vadjustment);
  first = page_at_y (self, top);
  last = page_at_y (self, top + height);
  key = gk_page_cache_scale_key (render_scale (self));

  /* Pages that scrolled away are not worth finishing. */
  cancel_pending_except (self, first > 0 ? first - 1 : 0, MIN (last + 1, n - 1), key);
  for (guint i = first; i <= last; i++)
    request_page (self, i, key, GK_PDF_PRIORITY_VISIBLE);
  if (last + 1 < n)
    request_page (self, last + 1, key, GK_PDF_PRIORITY_NEARBY);
  if (first > 0)
    request_page (self, first - 1, key, GK_PDF_PRIORITY_NEARBY);

  update_current_page (self);
}

static void
on_adjustment_value_changed_cb (GtkAdjustment *adjustment,
                                GkPdfCanvas   *self)
{
  update_visible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (GkPdfCanvas    *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment)
{
  if (*slot == adjustment)
    return;
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, on_adjustment_value_changed_cb, self);
      g_clear_object (slot);
    }
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (on_adjustment_value_changed_cb), self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
append_rect_color (GtkSnapshot           *snapshot,
                   const graphene_rect_t *rect,
                   const char            *color)
{
  GdkRGBA rgba;

  gdk_rgba_parse (&rgba, color);
  gtk_snapshot_append_color (snapshot, &rgba, rect);
}

static void
draw_rects (GkPdfCanvas  *self,
            GtkSnapshot  *snapshot,
            const GArray *rects,
            guint         page,
            double        x,
            double        y,
            gboolean      are_matches)
{
  if (rects == NULL)
    return;
  for (guint i = 0; i < rects->len; i++)
    {
      const GkPdfRect *r = &g_array_index (rects, GkPdfRect, i);
      graphene_rect_t area;
      const char *color;

      if ((guint) r->page != page)
        continue;
      area = GRAPHENE_RECT_INIT (x + (r->x - 1) * self->scale, y + (r->y - 1) * self->scale,
                                 (r->width + 2) * self->scale, (r->height + 2) * self->scale);
      if (are_matches)
        color = (int) i == self->current_match ? "rgba(255,120,0,0.45)" : "rgba(255,220,0,0.40)";
      else
        color = (r->tag & GK_PDF_CANVAS_TAG_BLOCKING) ? "rgba(224,27,36,0.30)"
                                                       : "rgba(255,120,0,0.28)";
      append_rect_color (snapshot, &area, color);
      if (!are_matches)
        {
          /* Underline findings so they show even on coloured text. */
          graphene_rect_t line = GRAPHENE_RECT_INIT (area.origin.x, area.origin.y + area.size.height - 2,
                                                     area.size.width, 2);

          append_rect_color (snapshot, &line,
                             (r->tag & GK_PDF_CANVAS_TAG_BLOCKING) ? "rgba(224,27,36,0.9)"
                                                                   : "rgba(230,97,0,0.9)");
        }
    }
}

static void
draw_page_error (GkPdfCanvas           *self,
                 GtkSnapshot           *snapshot,
                 const graphene_rect_t *page,
                 const char            *message)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), message);
  GdkRGBA color = { 0.75, 0.11, 0.16, 1.0 };
  double margin = MIN (24.0, page->size.width / 10);

  pango_layout_set_width (layout, (int) MAX (1, (page->size.width - 2 * margin) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_push_clip (snapshot, page);
  /* Near the top: the page's top is what is in view after a jump. */
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (page->origin.x + margin,
                                                         page->origin.y + MIN (2 * margin, page->size.height / 6)));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_restore (snapshot);
}

/* GtkWidget */

static void
gk_pdf_canvas_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  *minimum = 0;
  *natural = 200;
}

static void
gk_pdf_canvas_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  GkPdfCanvas *self = GK_PDF_CANVAS (widget);

  if (self->document != NULL && self->zoom_mode != GK_ZOOM_FREE)
    {
      double scale = fit_scale (self, width, height);

      if (fabs (scale - self->scale) > 1e-4)
        {
          if (!self->have_anchor)
            remember_anchor (self);
          self->scale = scale;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
        }
    }
  if (self->document != NULL)
    layout_pages (self);
  self->last_width = width;
  self->last_height = height;
  configure_adjustments (self);
  update_visible (self);
}

static void
gk_pdf_canvas_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  GkPdfCanvas *self = GK_PDF_CANVAS (widget);
  double top, left, height;
  guint first, last;
  int key;

  if (self->document == NULL || n_pages (self) == 0 || self->page_y == NULL)
    return;

  top = self->vadjustment ? gtk_adjustment_get_value (self->vadjustment) : 0;
  left = self->hadjustment ? gtk_adjustment_get_value (self->hadjustment) : 0;
  height = gtk_widget_get_height (widget);
  first = page_at_y (self, top);
  last = page_at_y (self, top + height);
  key = gk_page_cache_scale_key (render_scale (self));

  for (guint i = first; i <= last; i++)
    {
      double x = page_x (self, i) - left;
      double y = self->page_y[i] - top;
      graphene_rect_t page = GRAPHENE_RECT_INIT (x, y, page_width (self, i), page_height (self, i));
      graphene_rect_t frame = GRAPHENE_RECT_INIT (x - 1, y - 1, page.size.width + 2, page.size.height + 2);
      GdkTexture *texture;

      append_rect_color (snapshot, &frame, "rgba(0,0,0,0.18)");
      append_rect_color (snapshot, &page, "#ffffff");

      texture = gk_page_cache_lookup (self->cache, i, key);
      if (texture == NULL)
        texture = gk_page_cache_lookup_any (self->cache, i, key);
      if (texture != NULL)
        gtk_snapshot_append_texture (snapshot, texture, &page);
      else if (g_hash_table_contains (self->failed, GUINT_TO_POINTER (i)))
        draw_page_error (self, snapshot, &page, g_hash_table_lookup (self->failed, GUINT_TO_POINTER (i)));

      draw_rects (self, snapshot, self->findings, i, x, y, FALSE);
      draw_rects (self, snapshot, self->matches, i, x, y, TRUE);
    }
}

static gboolean
on_scroll_cb (GtkEventControllerScroll *controller,
              double                    dx,
              double                    dy,
              GkPdfCanvas              *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (!(state & GDK_CONTROL_MASK) || self->document == NULL)
    return FALSE;
  self->zoom_mode = GK_ZOOM_FREE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_MODE]);
  set_scale_internal (self, self->scale * (dy < 0 ? 1.1 : 1 / 1.1));
  return TRUE;
}

/* GObject */

static void
gk_pdf_canvas_dispose (GObject *object)
{
  GkPdfCanvas *self = GK_PDF_CANVAS (object);

  if (self->pending != NULL)
    g_hash_table_remove_all (self->pending);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, on_adjustment_value_changed_cb, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, on_adjustment_value_changed_cb, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (gk_pdf_canvas_parent_class)->dispose (object);
}

static void
gk_pdf_canvas_finalize (GObject *object)
{
  GkPdfCanvas *self = GK_PDF_CANVAS (object);

  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->failed, g_hash_table_unref);
  g_clear_pointer (&self->cache, gk_page_cache_free);
  g_clear_pointer (&self->page_y, g_free);
  g_clear_pointer (&self->matches, g_array_unref);
  g_clear_pointer (&self->findings, g_array_unref);

  G_OBJECT_CLASS (gk_pdf_canvas_parent_class)->finalize (object);
}

static void
gk_pdf_canvas_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GkPdfCanvas *self = GK_PDF_CANVAS (object);

  switch (prop_id)
    {
    case PROP_SCALE:
      g_value_set_double (value, self->scale);
      break;
    case PROP_ZOOM_MODE:
      g_value_set_int (value, self->zoom_mode);
      break;
    case PROP_CURRENT_PAGE:
      g_value_set_uint (value, self->current_page);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_pdf_canvas_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GkPdfCanvas *self = GK_PDF_CANVAS (object);

  switch (prop_id)
    {
    case PROP_SCALE:
      gk_pdf_canvas_set_scale (self, g_value_get_double (value));
      break;
    case PROP_ZOOM_MODE:
      gk_pdf_canvas_set_zoom_mode (self, g_value_get_int (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_pdf_canvas_class_init (GkPdfCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gk_pdf_canvas_dispose;
  object_class->finalize = gk_pdf_canvas_finalize;
  object_class->get_property = gk_pdf_canvas_get_property;
  object_class->set_property = gk_pdf_canvas_set_property;

  widget_class->measure = gk_pdf_canvas_measure;
  widget_class->size_allocate = gk_pdf_canvas_size_allocate;
  widget_class->snapshot = gk_pdf_canvas_snapshot;

  properties[PROP_SCALE] =
    g_param_spec_double ("scale", NULL, NULL, MIN_SCALE, MAX_SCALE, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM_MODE] =
    g_param_spec_int ("zoom-mode", NULL, NULL, GK_ZOOM_FIT_WIDTH, GK_ZOOM_FREE, GK_ZOOM_FIT_WIDTH,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_PAGE] =
    g_param_spec_uint ("current-page", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /**
   * GkPdfCanvas::page-rendered:
   * @canvas: the canvas
   * @page: the 0-based page whose texture arrived
   */
  signals[PAGE_RENDERED] =
    g_signal_new ("page-rendered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_css_name (widget_class, "pdfcanvas");
}

static void
gk_pdf_canvas_init (GkPdfCanvas *self)
{
  GtkEventController *scroll;
  GtkGesture *click;

  self->scale = 1.0;
  self->zoom_mode = GK_ZOOM_FIT_WIDTH;
  self->current_match = -1;
  self->cache = gk_page_cache_new (CACHE_BYTES);
  self->pending = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                         (GDestroyNotify) pending_render_free);
  self->failed = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  /* A click puts the keyboard in the document, so that Ctrl+F finds in
   * it (as in a PDF reader) rather than in the library. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  click = gtk_gesture_click_new ();
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (gtk_widget_grab_focus), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

/* Public API */

/**
 * gk_pdf_canvas_new:
 *
 * Returns: (transfer full): a new, empty canvas
 */
GtkWidget *
gk_pdf_canvas_new (void)
{
  return g_object_new (GK_TYPE_PDF_CANVAS, NULL);
}

/**
 * gk_pdf_canvas_set_document:
 * @self: a canvas
 * @document: (nullable): the document to show
 *
 * Shows @document from its first page; drops the textures, matches and
 * findings of the previous one.
 */
void
gk_pdf_canvas_set_document (GkPdfCanvas   *self,
                            GkPdfDocument *document)
{
  g_return_if_fail (GK_IS_PDF_CANVAS (self));

  if (self->document == document)
    return;

  g_hash_table_remove_all (self->pending);
  g_hash_table_remove_all (self->failed);
  gk_page_cache_clear (self->cache);
  g_clear_pointer (&self->matches, g_array_unref);
  g_clear_pointer (&self->findings, g_array_unref);
  g_clear_pointer (&self->page_y, g_free);
  self->current_match = -1;
  self->have_anchor = FALSE;
  self->content_width = self->content_height = 0;
  g_set_object (&self->document, document);
  if (self->document != NULL)
    layout_pages (self);
  if (self->vadjustment != NULL)
    gtk_adjustment_set_value (self->vadjustment, 0);
  if (self->current_page != 0)
    {
      self->current_page = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PAGE]);
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * gk_pdf_canvas_get_document:
 * @self: a canvas
 *
 * Returns: (transfer none) (nullable): the document shown
 */
GkPdfDocument *
gk_pdf_canvas_get_document (GkPdfCanvas *self)
{
  g_return_val_if_fail (GK_IS_PDF_CANVAS (self), NULL);

  return self->document;
}

/**
 * gk_pdf_canvas_set_zoom_mode:
 * @self: a canvas
 * @mode: fit width, fit page or free
 *
 * The fit modes follow the canvas size.
 */
void
gk_pdf_canvas_set_zoom_mode (GkPdfCanvas *self,
                             GkZoomMode   mode)
{
  g_return_if_fail (GK_IS_PDF_CANVAS (self));

  if (self->zoom_mode == mode)
    return;
  self->zoom_mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_MODE]);
  if (mode != GK_ZOOM_FREE && self->document != NULL)
    set_scale_internal (self, fit_scale (self, gtk_widget_get_width (GTK_WIDGET (self)),
                                         gtk_widget_get_height (GTK_WIDGET (self))));
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * gk_pdf_canvas_get_zoom_mode:
 * @self: a canvas
 *
 * Returns: the zoom mode
 */
GkZoomMode
gk_pdf_canvas_get_zoom_mode (GkPdfCanvas *self)
{
  g_return_val_if_fail (GK_IS_PDF_CANVAS (self), GK_ZOOM_FIT_WIDTH);

  return self->zoom_mode;
}

/**
 * gk_pdf_canvas_set_scale:
 * @self: a canvas
 * @scale: logical pixels per point (1.0 is 100 %)
 *
 * Zooms to @scale, keeping the top of the view on the same spot.
 */
void
gk_pdf_canvas_set_scale (GkPdfCanvas *self,
                         double       scale)
{
  g_return_if_fail (GK_IS_PDF_CANVAS (self));

  if (self->zoom_mode != GK_ZOOM_FREE)
    {
      self->zoom_mode = GK_ZOOM_FREE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_MODE]);
    }
  set_scale_internal (self, scale);
}

/**
 * gk_pdf_canvas_get_scale:
 * @self: a canvas
 *
 * Returns: logical pixels per point
 */
double
gk_pdf_canvas_get_scale (GkPdfCanvas *self)
{
  g_return_val_if_fail (GK_IS_PDF_CANVAS (self), 1.0);

  return self->scale;
}

/**
 * gk_pdf_canvas_get_current_page:
 * @self: a canvas
 *
 * Returns: the 0-based page in view
 */
guint
gk_pdf_canvas_get_current_page (GkPdfCanvas *self)
{
  g_return_val_if_fail (GK_IS_PDF_CANVAS (self), 0);

  return self->current_page;
}

/**
 * gk_pdf_canvas_goto_page:
 * @self: a canvas
 * @page: 0-based page
 *
 * Scrolls the top of @page into view.
 */
void
gk_pdf_canvas_goto_page (GkPdfCanvas *self,
                         guint        page)
{
  g_return_if_fail (GK_IS_PDF_CANVAS (self));

  if (self->document == NULL || self->page_y == NULL || self->vadjustment == NULL)
    return;
  page = MIN (page, n_pages (self) - 1);
  /* An explicit move wins over the spot kept across a zoom. */
  self->have_anchor = FALSE;
  gtk_adjustment_set_value (self->vadjustment, self->page_y[page] - MARGIN / 2);
  update_visible (self);
}

/**
 * gk_pdf_canvas_scroll_to_rect:
 * @self: a canvas
 * @rect: a rectangle on a page
 *
 * Scrolls only when @rect is not fully in view, then centres it.
 */
void
gk_pdf_canvas_scroll_to_rect (GkPdfCanvas     *self,
                              const GkPdfRect *rect)
{
  double top, height, y, h;

  g_return_if_fail (GK_IS_PDF_CANVAS (self));

  if (self->document == NULL || self->page_y == NULL || self->vadjustment == NULL ||
      (guint) rect->page >= n_pages (self))
    return;
  top = gtk_adjustment_get_value (self->vadjustment);
  height = gtk_adjustment_get_page_size (self->vadjustment);
  y = self->page_y[rect->page] + rect->y * self->scale;
  h = rect->height * self->scale;
  if (y >= top && y + h <= top + height)
    return;
  self->have_anchor = FALSE;
  gtk_adjustment_set_value (self->vadjustment, y - height / 2 + h / 2);
  update_visible (self);
}

/**
 * gk_pdf_canvas_set_matches:
 * @self: a canvas
 * @rects: (nullable) (element-type GkPdfRect): find matches
 * @current: index of the current match, or -1
 *
 * Highlights find matches.
 */
void
gk_pdf_canvas_set_matches (GkPdfCanvas  *self,
                           const GArray *rects,
                           int           current)
{
  g_return_if_fail (GK_IS_PDF_CANVAS (self));

  g_clear_pointer (&self->matches, g_array_unref);
  if (rects != NULL)
    {
      self->matches = g_array_sized_new (FALSE, FALSE, sizeof (GkPdfRect), rects->len);
      g_array_append_vals (self->matches, rects->data, rects->len);
    }
  self->current_match = current;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * gk_pdf_canvas_set_findings:
 * @self: a canvas
 * @rects: (nullable) (element-type GkPdfRect): screening findings
 *
 * Highlights the findings on their pages.
 */
void
gk_pdf_canvas_set_findings (GkPdfCanvas  *self,
                            const GArray *rects)
{
  g_return_if_fail (GK_IS_PDF_CANVAS (self));

  g_clear_pointer (&self->findings, g_array_unref);
  if (rects != NULL)
    {
      self->findings = g_array_sized_new (FALSE, FALSE, sizeof (GkPdfRect), rects->len);
      g_array_append_vals (self->findings, rects->data, rects->len);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * gk_pdf_canvas_get_n_findings_rects:
 * @self: a canvas
 *
 * Returns: how many finding rectangles are highlighted
 */
guint
gk_pdf_canvas_get_n_findings_rects (GkPdfCanvas *self)
{
  g_return_val_if_fail (GK_IS_PDF_CANVAS (self), 0);

  return self->findings ? self->findings->len : 0;
}

/**
 * gk_pdf_canvas_get_findings_rect:
 * @self: a canvas
 * @index: a rectangle
 *
 * Returns: (nullable): a highlighted finding's rectangle
 */
const GkPdfRect *
gk_pdf_canvas_get_findings_rect (GkPdfCanvas *self,
                                 guint        index)
{
  g_return_val_if_fail (GK_IS_PDF_CANVAS (self), NULL);

  if (self->findings == NULL || index >= self->findings->len)
    return NULL;
  return &g_array_index (self->findings, GkPdfRect, index);
}

/**
 * gk_pdf_canvas_get_page_texture:
 * @self: a canvas
 * @page: 0-based page
 *
 * Returns: (transfer none) (nullable): the texture drawn for @page at the
 *   current scale
 */
GdkTexture *
gk_pdf_canvas_get_page_texture (GkPdfCanvas *self,
                                guint        page)
{
  g_return_val_if_fail (GK_IS_PDF_CANVAS (self), NULL);

  return gk_page_cache_lookup (self->cache, page,
                               gk_page_cache_scale_key (render_scale (self)));
}

/**
 * gk_pdf_canvas_get_page_error:
 * @self: a canvas
 * @page: 0-based page
 *
 * Returns: (nullable): the message shown in place of @page when it could
 *   not be rendered
 */
const char *
gk_pdf_canvas_get_page_error (GkPdfCanvas *self,
                              guint        page)
{
  g_return_val_if_fail (GK_IS_PDF_CANVAS (self), NULL);

  return g_hash_table_lookup (self->failed, GUINT_TO_POINTER (page));
}

/**
 * gk_pdf_canvas_get_cache_bytes:
 * @self: a canvas
 *
 * Returns: bytes of rendered pages held
 */
gsize
gk_pdf_canvas_get_cache_bytes (GkPdfCanvas *self)
{
  g_return_val_if_fail (GK_IS_PDF_CANVAS (self), 0);

  return gk_page_cache_get_bytes (self->cache);
}

static const double zoom_steps[] = { 0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0, 5.0 };

/**
 * gk_pdf_canvas_zoom_in:
 * @self: a canvas
 *
 * Zooms to the next larger usual level.
 */
void
gk_pdf_canvas_zoom_in (GkPdfCanvas *self)
{
  double scale = gk_pdf_canvas_get_scale (self);

  for (guint i = 0; i < G_N_ELEMENTS (zoom_steps); i++)
    if (zoom_steps[i] > scale + 0.01)
      {
        gk_pdf_canvas_set_scale (self, zoom_steps[i]);
        return;
      }
}

/**
 * gk_pdf_canvas_zoom_out:
 * @self: a canvas
 *
 * Zooms to the next smaller usual level.
 */
void
gk_pdf_canvas_zoom_out (GkPdfCanvas *self)
{
  double scale = gk_pdf_canvas_get_scale (self);

  for (guint i = G_N_ELEMENTS (zoom_steps); i > 0; i--)
    if (zoom_steps[i - 1] < scale - 0.01)
      {
        gk_pdf_canvas_set_scale (self, zoom_steps[i - 1]);
        return;
      }
}

/**
 * gk_pdf_canvas_zoom_reset:
 * @self: a canvas
 *
 * Shows the pages at their size (100 %).
 */
void
gk_pdf_canvas_zoom_reset (GkPdfCanvas *self)
{
  gk_pdf_canvas_set_scale (self, 1.0);
}
