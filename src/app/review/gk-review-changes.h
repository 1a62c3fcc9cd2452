/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "gk-item.h"
#include "gk-store.h"

G_BEGIN_DECLS

/* "What changed since the last approved revision", for the reviewer:
 * the record the workflow kept with the newest release (final)
 * signature of an earlier revision, compared field by field with the
 * item as it is now.  No GTK: the page shows it, the tests check it. */

typedef struct
{
  char *field;      /* a gk_item_field_names() name, or "file" */
  char *label;      /* translated field name */
  char *old_value;  /* in the user's words; NULL when it was empty */
  char *new_value;  /* NULL when it is empty now */
} GkFieldChange;

void          gk_field_change_free              (GkFieldChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkFieldChange, gk_field_change_free)

/* An item holding the fields of a portal record (JSON object text). */
GkItem       *gk_review_item_from_record        (const char  *record_json,
                                                 GError     **error);

/* A field's value in the user's words (labels for the enums, ", " between
 * list entries); NULL when empty. */
char         *gk_review_describe_field          (GkItem      *item,
                                                 const char  *field);

/* GkFieldChange*, in display order, from the item's approvals as read
 * from the store.  *base_revision is the approved revision compared
 * with, 0 when there is none (then the array is empty).  NULL only when
 * the approved record cannot be read. */
GPtrArray    *gk_review_changes_since_approval  (GPtrArray   *approvals,
                                                 GkItem      *item,
                                                 gint64      *base_revision,
                                                 GError     **error);

G_END_DECLS
