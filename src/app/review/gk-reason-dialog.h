/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A message dialog that needs written text before its action can be
 * chosen: the comment of a return, the reason to dismiss a finding or to
 * withdraw a document, a new tag name.  The action response stays
 * disabled while the text is blank.  Responses: "cancel" and the
 * action's id; connect to AdwMessageDialog::response. */

#define GK_TYPE_REASON_DIALOG (gk_reason_dialog_get_type ())
G_DECLARE_FINAL_TYPE (GkReasonDialog, gk_reason_dialog, GK, REASON_DIALOG, AdwMessageDialog)

/* multiline: a text view (comments) instead of an entry (reasons, names). */
GtkWidget  *gk_reason_dialog_new      (GtkWindow  *parent,
                                       const char *heading,
                                       const char *body,
                                       const char *action_id,
                                       const char *action_label,
                                       gboolean    destructive,
                                       gboolean    multiline);
/* The text with surrounding white space removed. */
char       *gk_reason_dialog_get_text (GkReasonDialog *self);
void        gk_reason_dialog_set_text (GkReasonDialog *self,
                                       const char     *text);
const char *gk_reason_dialog_get_action (GkReasonDialog *self);
/* Is the action response enabled (text given)? */
gboolean    gk_reason_dialog_can_act  (GkReasonDialog *self);

G_END_DECLS
