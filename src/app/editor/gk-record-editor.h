/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "gk-context.h"

G_BEGIN_DECLS

/* The record of one item: a row for every field of gk_item_field_names(),
 * validated as it is typed through gk_item_set_field() on a working copy;
 * detected values marked until a person confirms or changes them; the
 * item's history from the audit log.  Saving is explicit (editor.save,
 * Ctrl+S in the window). */

#define GK_TYPE_RECORD_EDITOR (gk_record_editor_get_type ())
G_DECLARE_FINAL_TYPE (GkRecordEditor, gk_record_editor, GK, RECORD_EDITOR, GtkWidget)

GtkWidget  *gk_record_editor_new             (GkContext      *context);
/* Show item (with its findings; NULL: nothing).  Drops unsaved changes:
 * ask first with gk_record_editor_is_dirty(). */
void        gk_record_editor_set_item        (GkRecordEditor *self,
                                              GkItem         *item);
GkItem     *gk_record_editor_get_item        (GkRecordEditor *self);
/* The working copy (the values as edited). */
GkItem     *gk_record_editor_get_working     (GkRecordEditor *self);
/* Read the item again from the store when there are no unsaved changes
 * (after a change made elsewhere). */
void        gk_record_editor_reload          (GkRecordEditor *self);
gboolean    gk_record_editor_is_dirty        (GkRecordEditor *self);
/* Fields whose text does not validate, NULL-terminated. */
GStrv       gk_record_editor_get_invalid_fields (GkRecordEditor *self);

/* Save on a worker; the item shown is then read again from the store.
 * Fails with GK_ERROR_INVALID while a field does not validate. */
void        gk_record_editor_save_async      (GkRecordEditor      *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    gk_record_editor_save_finish     (GkRecordEditor      *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void        gk_record_editor_discard         (GkRecordEditor *self);

/* For tests and the window: the row widget of a field (AdwEntryRow,
 * AdwComboRow or AdwActionRow), NULL if unknown. */
GtkWidget  *gk_record_editor_get_row         (GkRecordEditor *self,
                                              const char     *field);
/* Type text into a field's entry row (as a person would). */
gboolean    gk_record_editor_set_text        (GkRecordEditor *self,
                                              const char     *field,
                                              const char     *text);
/* The error shown under a field's row, or NULL. */
const char *gk_record_editor_get_error       (GkRecordEditor *self,
                                              const char     *field);
/* Is the "detected" mark shown on this field? */
gboolean    gk_record_editor_is_detected     (GkRecordEditor *self,
                                              const char     *field);
/* Confirm a detected value (the chip's click). */
void        gk_record_editor_confirm         (GkRecordEditor *self,
                                              const char     *field);
/* Add or remove a tag on the working copy. */
void        gk_record_editor_add_tag         (GkRecordEditor *self,
                                              const char     *name);
void        gk_record_editor_remove_tag      (GkRecordEditor *self,
                                              const char     *name);
/* The related documents (相关文件): link or unlink another item. */
void gk_record_editor_link_related (GkRecordEditor *self, const char *id);
void gk_record_editor_unlink_related (GkRecordEditor *self, const char *id);
/* Rows of the history group. */
guint       gk_record_editor_get_n_history   (GkRecordEditor *self);

/* TRUE while a save or the item's history is on its way. */
gboolean        gk_record_editor_is_loading (GkRecordEditor *self);

G_END_DECLS
