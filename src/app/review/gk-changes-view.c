/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiReview"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "gk-changes-view.h"
#include "gk-review-changes.h"

struct _GkChangesView
{
  AdwBin     parent_instance;

  GtkWidget *group;
  GPtrArray *rows;   /* GtkWidget*, not owned */
  char      *title;
};

G_DEFINE_FINAL_TYPE (GkChangesView, gk_changes_view, ADW_TYPE_BIN)

/* overrides */

static void
gk_changes_view_finalize (GObject *object)
{
  GkChangesView *self = GK_CHANGES_VIEW (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_free (self->title);

  G_OBJECT_CLASS (gk_changes_view_parent_class)->finalize (object);
}

static void
gk_changes_view_class_init (GkChangesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gk_changes_view_finalize;
}

static void
gk_changes_view_init (GkChangesView *self)
{
  self->rows = g_ptr_array_new ();
  self->group = adw_preferences_group_new ();
  gtk_widget_set_name (self->group, "changes-view");
  adw_bin_set_child (ADW_BIN (self), self->group);
  gk_changes_view_set_changes (self, NULL, 0, 1);
}

/* public */

/**
 * gk_changes_view_new:
 *
 * Returns: (transfer full): a new view
 */
GtkWidget *
gk_changes_view_new (void)
{
  return g_object_new (GK_TYPE_CHANGES_VIEW, NULL);
}

/**
 * gk_changes_view_set_changes:
 * @self: the view
 * @changes: (element-type GkFieldChange) (nullable): changed fields
 * @base_revision: the approved revision compared with, 0 for none
 * @revision: the revision under review
 */
void
gk_changes_view_set_changes (GkChangesView *self,
                             GPtrArray     *changes,
                             gint64         base_revision,
                             gint64         revision)
{
  AdwPreferencesGroup *group;
  g_autofree char *description = NULL;

  g_return_if_fail (GK_IS_CHANGES_VIEW (self));

  group = ADW_PREFERENCES_GROUP (self->group);
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  g_free (self->title);
  if (base_revision == 0)
    {
      self->title = g_strdup (_("No earlier revision of this document was approved: "
                                "review the whole record."));
      description = g_strdup (self->title);
    }
  else
    {
      self->title = g_strdup_printf (_("Since revision %" PRId64 " was approved:"),
                                     base_revision);
      if (changes == NULL || changes->len == 0)
        description = g_strdup_printf (_("Revision %" PRId64 " has the same record "
                                         "and file as the approved one."), revision);
      else
        description = g_strdup (self->title);
    }
  adw_preferences_group_set_title (group, _("Changes"));
  adw_preferences_group_set_description (group, description);

  for (guint i = 0; changes != NULL && i < changes->len; i++)
    {
      GkFieldChange *change = g_ptr_array_index (changes, i);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      /* Translators: a changed field, "old value → new value" */
      subtitle = g_strdup_printf (_("%s → %s"),
                                  change->old_value ? change->old_value : _("(empty)"),
                                  change->new_value ? change->new_value : _("(empty)"));
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), change->label);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
      gtk_widget_set_name (row, change->field);
      adw_preferences_group_add (group, row);
      g_ptr_array_add (self->rows, row);
    }
}

/**
 * gk_changes_view_get_n_changes:
 * @self: the view
 *
 * Returns: how many changed fields are shown
 */
guint
gk_changes_view_get_n_changes (GkChangesView *self)
{
  g_return_val_if_fail (GK_IS_CHANGES_VIEW (self), 0);

  return self->rows->len;
}

/**
 * gk_changes_view_get_title:
 * @self: the view
 *
 * Returns: the heading shown
 */
const char *
gk_changes_view_get_title (GkChangesView *self)
{
  g_return_val_if_fail (GK_IS_CHANGES_VIEW (self), NULL);

  return self->title;
}
