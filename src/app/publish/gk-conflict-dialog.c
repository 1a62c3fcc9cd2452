/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPublish"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "gk-conflict-dialog.h"

struct _GkConflictDialog
{
  AdwMessageDialog  parent_instance;

  char             *item_id;
  GkSyncResolution  resolution;
};

G_DEFINE_FINAL_TYPE (GkConflictDialog, gk_conflict_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
gk_conflict_dialog_finalize (GObject *object)
{
  GkConflictDialog *self = GK_CONFLICT_DIALOG (object);

  g_free (self->item_id);

  G_OBJECT_CLASS (gk_conflict_dialog_parent_class)->finalize (object);
}

static void
gk_conflict_dialog_class_init (GkConflictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gk_conflict_dialog_finalize;
}

static void
gk_conflict_dialog_init (GkConflictDialog *self)
{
}

/**
 * gk_conflict_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @item_id: the document in conflict
 * @title: its title, for the question
 * @revision: the approved revision that would be sent
 * @resolution: the decision to confirm
 *
 * Returns: (transfer full): the dialog, not shown yet
 */
GtkWidget *
gk_conflict_dialog_new (GtkWindow        *parent,
                        const char       *item_id,
                        const char       *title,
                        gint64            revision,
                        GkSyncResolution  resolution)
{
  GkConflictDialog *self;
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  g_return_val_if_fail (item_id != NULL, NULL);

  self = g_object_new (GK_TYPE_CONFLICT_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  dialog = ADW_MESSAGE_DIALOG (self);
  self->item_id = g_strdup (item_id);
  self->resolution = resolution;

  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  if (resolution == GK_SYNC_RESOLVE_OVERWRITE)
    {
      adw_message_dialog_set_heading (dialog, _("Overwrite the Portal’s Copy?"));
      body = g_strdup_printf (_("Someone changed “%s” on the portal since this workstation last "
                                "published it. Overwriting replaces their version with approved "
                                "revision %" PRId64 ". Their changes are lost. "
                                "Your decision is kept in the audit log."), title, revision);
      adw_message_dialog_add_response (dialog, "resolve", _("_Overwrite"));
      adw_message_dialog_set_response_appearance (dialog, "resolve", ADW_RESPONSE_DESTRUCTIVE);
    }
  else
    {
      adw_message_dialog_set_heading (dialog, _("Keep the Portal’s Copy?"));
      body = g_strdup_printf (_("The portal keeps its current version of “%s”, and approved "
                                "revision %" PRId64 " is not sent. A later revision, once "
                                "approved, is published over it as usual. Your decision is kept "
                                "in the audit log."), title, revision);
      adw_message_dialog_add_response (dialog, "resolve", _("_Keep Portal’s Copy"));
      adw_message_dialog_set_response_appearance (dialog, "resolve", ADW_RESPONSE_SUGGESTED);
    }
  adw_message_dialog_set_body (dialog, body);
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_default_response (dialog, "cancel");
  return GTK_WIDGET (self);
}

/**
 * gk_conflict_dialog_get_item_id:
 * @self: the dialog
 *
 * Returns: the document in conflict
 */
const char *
gk_conflict_dialog_get_item_id (GkConflictDialog *self)
{
  g_return_val_if_fail (GK_IS_CONFLICT_DIALOG (self), NULL);

  return self->item_id;
}

/**
 * gk_conflict_dialog_get_resolution:
 * @self: the dialog
 *
 * Returns: the decision it confirms
 */
GkSyncResolution
gk_conflict_dialog_get_resolution (GkConflictDialog *self)
{
  g_return_val_if_fail (GK_IS_CONFLICT_DIALOG (self), GK_SYNC_RESOLVE_KEEP_PORTAL);

  return self->resolution;
}
