/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiReview"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-findings-list.h"
#include "gk-util.h"

struct _GkFindingsList
{
  AdwBin      parent_instance;

  GtkWidget  *stack;
  GtkWidget  *list_box;
  GPtrArray  *findings;   /* GkFinding* */
  GPtrArray  *rows;       /* GtkWidget*, not owned */
  GPtrArray  *buttons;    /* GtkWidget* or NULL, not owned */
};

G_DEFINE_FINAL_TYPE (GkFindingsList, gk_findings_list, ADW_TYPE_BIN)

enum {
  FINDING_ACTIVATED,
  DISMISS_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* helpers */

static char *
describe_finding (const GkFinding *finding)
{
  g_autofree char *where = g_strdup_printf (_("page %d"), finding->page);

  if (finding->status == GK_FINDING_DISMISSED)
    return g_strdup_printf (_("“%s” on %s — dismissed by %s: %s"),
                            finding->value ? finding->value : "", where,
                            finding->decided_by ? finding->decided_by : _("a reviewer"),
                            finding->reason ? finding->reason : "");
  if (finding->status == GK_FINDING_INFO)
    return g_strdup_printf (_("“%s” on %s — for information"),
                            finding->value ? finding->value : "", where);
  if (gk_finding_is_blocking (finding))
    return g_strdup_printf (_("“%s” on %s — blocks approval until dismissed"),
                            finding->value ? finding->value : "", where);
  return g_strdup_printf (_("“%s” on %s — open"), finding->value ? finding->value : "", where);
}

/* callbacks */

static void
on_row_activated_cb (GtkListBox    *list_box,
                     GtkListBoxRow *row,
                     gpointer       user_data)
{
  GkFindingsList *self = user_data;
  guint position;

  if (g_ptr_array_find (self->rows, row, &position))
    g_signal_emit (self, signals[FINDING_ACTIVATED], 0, position);
}

static void
on_dismiss_clicked_cb (GtkButton *button,
                       gpointer   user_data)
{
  GkFindingsList *self = user_data;
  guint position;

  if (g_ptr_array_find (self->buttons, button, &position))
    g_signal_emit (self, signals[DISMISS_REQUESTED], 0, position);
}

/* overrides */

static void
gk_findings_list_finalize (GObject *object)
{
  GkFindingsList *self = GK_FINDINGS_LIST (object);

  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->buttons, g_ptr_array_unref);

  G_OBJECT_CLASS (gk_findings_list_parent_class)->finalize (object);
}

static void
gk_findings_list_class_init (GkFindingsListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gk_findings_list_finalize;

  /**
   * GkFindingsList::finding-activated:
   * @self: the list
   * @position: the finding's position
   *
   * The user asked to see the finding on its page.
   */
  signals[FINDING_ACTIVATED] =
    g_signal_new ("finding-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /**
   * GkFindingsList::dismiss-requested:
   * @self: the list
   * @position: the finding's position
   *
   * The user wants to dismiss the finding (the page asks for the reason).
   */
  signals[DISMISS_REQUESTED] =
    g_signal_new ("dismiss-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
gk_findings_list_init (GkFindingsList *self)
{
  GtkWidget *empty;

  self->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);
  self->rows = g_ptr_array_new ();
  self->buttons = g_ptr_array_new ();

  self->list_box = gtk_list_box_new ();
  gtk_widget_set_name (self->list_box, "findings-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list_box), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list_box, "boxed-list");
  g_signal_connect_object (self->list_box, "row-activated",
                           G_CALLBACK (on_row_activated_cb), self, 0);

  empty = gtk_label_new (_("The screening found nothing to check."));
  gtk_widget_add_css_class (empty, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (empty), TRUE);
  gtk_label_set_xalign (GTK_LABEL (empty), 0);

  self->stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");
  gtk_stack_add_named (GTK_STACK (self->stack), self->list_box, "list");
  gtk_stack_set_vhomogeneous (GTK_STACK (self->stack), FALSE);
  adw_bin_set_child (ADW_BIN (self), self->stack);
}

/* public */

/**
 * gk_findings_list_new:
 *
 * Returns: (transfer full): a new, empty findings list
 */
GtkWidget *
gk_findings_list_new (void)
{
  return g_object_new (GK_TYPE_FINDINGS_LIST, NULL);
}

/**
 * gk_findings_list_set_findings:
 * @self: the list
 * @findings: (element-type GkFinding) (nullable): the item's findings
 * @why_not: (nullable): why the acting user may not dismiss, or %NULL
 *
 * Shows these findings (copied), open blocking ones first as the
 * screening listed them otherwise.
 */
void
gk_findings_list_set_findings (GkFindingsList *self,
                               GPtrArray      *findings,
                               const char     *why_not)
{
  GtkWidget *child;

  g_return_if_fail (GK_IS_FINDINGS_LIST (self));

  while ((child = gtk_widget_get_first_child (self->list_box)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list_box), child);
  g_ptr_array_set_size (self->findings, 0);
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->buttons, 0);

  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      const GkFinding *finding = g_ptr_array_index (findings, i);
      g_autofree char *subtitle = describe_finding (finding);
      gboolean         open = finding->status == GK_FINDING_OPEN;
      GtkWidget *row, *icon, *button = NULL;

      g_ptr_array_add (self->findings, gk_finding_copy (finding));

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     gk_finding_kind_to_label (finding->kind));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (row, _("Show it on its page"));

      icon = gtk_image_new_from_icon_name (open ? "dialog-warning-symbolic"
                                                : "object-select-symbolic");
      if (open && gk_finding_is_blocking (finding))
        gtk_widget_add_css_class (icon, "error");
      else if (open)
        gtk_widget_add_css_class (icon, "warning");
      else
        gtk_widget_add_css_class (icon, "dim-label");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

      if (open)
        {
          button = gtk_button_new_with_mnemonic (_("_Dismiss…"));
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_set_sensitive (button, why_not == NULL);
          gtk_widget_set_tooltip_text (button, why_not ? why_not
                                                       : _("Dismiss this finding with a written reason"));
          g_signal_connect_object (button, "clicked", G_CALLBACK (on_dismiss_clicked_cb), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }

      gtk_list_box_append (GTK_LIST_BOX (self->list_box), row);
      g_ptr_array_add (self->rows, row);
      g_ptr_array_add (self->buttons, button);
    }

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack),
                                    self->findings->len > 0 ? "list" : "empty");
}

/**
 * gk_findings_list_get_n_findings:
 * @self: the list
 *
 * Returns: how many findings are shown
 */
guint
gk_findings_list_get_n_findings (GkFindingsList *self)
{
  g_return_val_if_fail (GK_IS_FINDINGS_LIST (self), 0);

  return self->findings->len;
}

/**
 * gk_findings_list_get_row:
 * @self: the list
 * @position: a finding's position
 *
 * Returns: (transfer none) (nullable): its row
 */
GtkWidget *
gk_findings_list_get_row (GkFindingsList *self,
                          guint           position)
{
  g_return_val_if_fail (GK_IS_FINDINGS_LIST (self), NULL);

  return position < self->rows->len ? g_ptr_array_index (self->rows, position) : NULL;
}

/**
 * gk_findings_list_get_dismiss_button:
 * @self: the list
 * @position: a finding's position
 *
 * Returns: (transfer none) (nullable): its "Dismiss…" button, %NULL when
 *   the finding is not open
 */
GtkWidget *
gk_findings_list_get_dismiss_button (GkFindingsList *self,
                                     guint           position)
{
  g_return_val_if_fail (GK_IS_FINDINGS_LIST (self), NULL);

  return position < self->buttons->len ? g_ptr_array_index (self->buttons, position) : NULL;
}
