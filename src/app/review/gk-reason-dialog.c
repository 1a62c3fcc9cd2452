/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiReview"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-reason-dialog.h"
#include "gk-util.h"

struct _GkReasonDialog
{
  AdwMessageDialog  parent_instance;

  char             *action;
  GtkWidget        *entry;      /* GtkEntry, or NULL */
  GtkTextBuffer    *buffer;     /* or the text view's buffer */
};

G_DEFINE_FINAL_TYPE (GkReasonDialog, gk_reason_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* callbacks */

static void
on_text_changed_cb (GkReasonDialog *self)
{
  g_autofree char *text = gk_reason_dialog_get_text (self);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), self->action,
                                           !gk_str_is_blank (text));
}

static void
on_entry_activate_cb (GtkEntry       *entry,
                      GkReasonDialog *self)
{
  if (gk_reason_dialog_can_act (self))
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), self->action);
}

/* overrides */

static void
gk_reason_dialog_finalize (GObject *object)
{
  GkReasonDialog *self = GK_REASON_DIALOG (object);

  g_free (self->action);
  g_clear_object (&self->buffer);

  G_OBJECT_CLASS (gk_reason_dialog_parent_class)->finalize (object);
}

static void
gk_reason_dialog_class_init (GkReasonDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gk_reason_dialog_finalize;
}

static void
gk_reason_dialog_init (GkReasonDialog *self)
{
}

/* public */

/**
 * gk_reason_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @heading: the question
 * @body: (nullable): what the text is for
 * @action_id: the response id of the action
 * @action_label: the action's button label (with a mnemonic)
 * @destructive: draw the action as destructive (else suggested)
 * @multiline: a text view rather than a one-line entry
 *
 * Returns: (transfer full): the dialog, not shown yet
 */
GtkWidget *
gk_reason_dialog_new (GtkWindow  *parent,
                      const char *heading,
                      const char *body,
                      const char *action_id,
                      const char *action_label,
                      gboolean    destructive,
                      gboolean    multiline)
{
  GkReasonDialog *self;
  AdwMessageDialog *dialog;

  g_return_val_if_fail (action_id != NULL, NULL);

  self = g_object_new (GK_TYPE_REASON_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "heading", heading,
                       "body", body,
                       NULL);
  dialog = ADW_MESSAGE_DIALOG (self);
  self->action = g_strdup (action_id);

  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  adw_message_dialog_add_response (dialog, action_id, action_label);
  adw_message_dialog_set_response_appearance (dialog, action_id,
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE
                                                          : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, action_id, FALSE);
  adw_message_dialog_set_close_response (dialog, "cancel");

  if (multiline)
    {
      GtkWidget *scrolled = gtk_scrolled_window_new ();
      GtkWidget *view = gtk_text_view_new ();

      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
      gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
      gtk_widget_set_name (view, "reason-text");
      self->buffer = g_object_ref (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)));
      g_signal_connect_object (self->buffer, "changed", G_CALLBACK (on_text_changed_cb),
                               self, G_CONNECT_SWAPPED);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                      GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 110);
      gtk_widget_add_css_class (scrolled, "card");
      adw_message_dialog_set_extra_child (dialog, scrolled);
      gtk_widget_grab_focus (view);
    }
  else
    {
      self->entry = gtk_entry_new ();
      gtk_widget_set_name (self->entry, "reason-text");
      gtk_entry_set_activates_default (GTK_ENTRY (self->entry), FALSE);
      g_signal_connect_object (self->entry, "changed", G_CALLBACK (on_text_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->entry, "activate", G_CALLBACK (on_entry_activate_cb),
                               self, 0);
      adw_message_dialog_set_extra_child (dialog, self->entry);
      gtk_widget_grab_focus (self->entry);
    }
  return GTK_WIDGET (self);
}

/**
 * gk_reason_dialog_get_text:
 * @self: the dialog
 *
 * Returns: (transfer full): the text, stripped
 */
char *
gk_reason_dialog_get_text (GkReasonDialog *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (GK_IS_REASON_DIALOG (self), NULL);

  if (self->entry != NULL)
    text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  else if (self->buffer != NULL)
    {
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (self->buffer, &start, &end);
      text = gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
    }
  if (text == NULL)
    text = g_strdup ("");
  return g_strstrip (g_steal_pointer (&text));
}

/**
 * gk_reason_dialog_set_text:
 * @self: the dialog
 * @text: the text to show (and edit)
 */
void
gk_reason_dialog_set_text (GkReasonDialog *self,
                           const char     *text)
{
  g_return_if_fail (GK_IS_REASON_DIALOG (self));

  if (self->entry != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text ? text : "");
  else if (self->buffer != NULL)
    gtk_text_buffer_set_text (self->buffer, text ? text : "", -1);
}

/**
 * gk_reason_dialog_get_action:
 * @self: the dialog
 *
 * Returns: the action's response id
 */
const char *
gk_reason_dialog_get_action (GkReasonDialog *self)
{
  g_return_val_if_fail (GK_IS_REASON_DIALOG (self), NULL);

  return self->action;
}

/**
 * gk_reason_dialog_can_act:
 * @self: the dialog
 *
 * Returns: whether the action response is enabled
 */
gboolean
gk_reason_dialog_can_act (GkReasonDialog *self)
{
  g_return_val_if_fail (GK_IS_REASON_DIALOG (self), FALSE);

  return adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (self), self->action);
}
