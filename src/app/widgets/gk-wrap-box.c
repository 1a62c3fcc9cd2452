/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiWrapBox"

#include "config.h"

#include "gk-wrap-box.h"

struct _GkWrapBox
{
  GtkWidget parent_instance;

  int column_spacing;
  int row_spacing;
};

G_DEFINE_FINAL_TYPE (GkWrapBox, gk_wrap_box, GTK_TYPE_WIDGET)

/* Lays the children out in width (or only measures, when allocate is
 * FALSE): each at its natural width, at most width, a new line when the
 * next does not fit.  Returns the height used. */
static int
lay_out (GkWrapBox *self, int width, gboolean allocate)
{
  int      x = 0, y = 0, line_height = 0;
  gboolean first_in_line = TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min_w, nat_w, child_w, child_h;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
      child_w = MIN (nat_w, MAX (width, min_w));
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, child_w, &child_h, NULL, NULL, NULL);

      if (!first_in_line && x + self->column_spacing + child_w > width)
        {
          y += line_height + self->row_spacing;
          x = 0;
          line_height = 0;
          first_in_line = TRUE;
        }
      if (!first_in_line)
        x += self->column_spacing;
      if (allocate)
        {
          gboolean      rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
          GtkAllocation box = { rtl ? width - x - child_w : x, y, child_w, child_h };

          gtk_widget_size_allocate (child, &box, -1);
        }
      x += child_w;
      line_height = MAX (line_height, child_h);
      first_in_line = FALSE;
    }
  return y + line_height;
}

static GtkSizeRequestMode
gk_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
gk_wrap_box_measure (GtkWidget     *widget,
                     GtkOrientation orientation,
                     int            for_size,
                     int           *minimum,
                     int           *natural,
                     int           *minimum_baseline,
                     int           *natural_baseline)
{
  GkWrapBox *self = GK_WRAP_BOX (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int widest = 0, all = 0, n = 0;

      /* At least the widest child; naturally all of them in one line. */
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int min_w, nat_w;

          if (!gtk_widget_should_layout (child))
            continue;
          gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
          widest = MAX (widest, min_w);
          all += nat_w;
          n++;
        }
      *minimum = widest;
      *natural = MAX (widest, all + MAX (n - 1, 0) * self->column_spacing);
    }
  else
    {
      int height = lay_out (self, for_size < 0 ? G_MAXINT / 2 : for_size, FALSE);

      *minimum = *natural = height;
    }
}

static void
gk_wrap_box_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  lay_out (GK_WRAP_BOX (widget), width, TRUE);
}

static void
gk_wrap_box_dispose (GObject *object)
{
  gk_wrap_box_remove_all (GK_WRAP_BOX (object));
  G_OBJECT_CLASS (gk_wrap_box_parent_class)->dispose (object);
}

static void
gk_wrap_box_class_init (GkWrapBoxClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gk_wrap_box_dispose;
  widget_class->get_request_mode = gk_wrap_box_get_request_mode;
  widget_class->measure = gk_wrap_box_measure;
  widget_class->size_allocate = gk_wrap_box_size_allocate;
}

static void
gk_wrap_box_init (GkWrapBox *self)
{
}

/**
 * gk_wrap_box_new:
 * @column_spacing: pixels between children in a line
 * @row_spacing: pixels between lines
 *
 * Returns: (transfer floating): a new wrap box
 */
GtkWidget *
gk_wrap_box_new (int column_spacing, int row_spacing)
{
  GkWrapBox *self = g_object_new (GK_TYPE_WRAP_BOX, NULL);

  self->column_spacing = MAX (column_spacing, 0);
  self->row_spacing = MAX (row_spacing, 0);
  return GTK_WIDGET (self);
}

/**
 * gk_wrap_box_append:
 * @self: a wrap box
 * @child: a widget without a parent
 */
void
gk_wrap_box_append (GkWrapBox *self, GtkWidget *child)
{
  g_return_if_fail (GK_IS_WRAP_BOX (self));
  g_return_if_fail (gtk_widget_get_parent (child) == NULL);

  gtk_widget_set_parent (child, GTK_WIDGET (self));
}

/**
 * gk_wrap_box_remove_all:
 * @self: a wrap box
 */
void
gk_wrap_box_remove_all (GkWrapBox *self)
{
  GtkWidget *child;

  g_return_if_fail (GK_IS_WRAP_BOX (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
}
