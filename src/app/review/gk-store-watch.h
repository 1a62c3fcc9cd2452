/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "gk-store.h"

G_BEGIN_DECLS

/* The store's "items-changed" comes on whatever thread made the change.
 * A watch brings it to the main context it was made in, coalesced into
 * one call per idle, and only while its owner (held weakly) is alive. */

typedef struct _GkStoreWatch GkStoreWatch;

typedef void (*GkStoreWatchFunc) (gpointer owner);

GkStoreWatch *gk_store_watch_new  (GkStore          *store,
                                   gpointer          owner,
                                   GkStoreWatchFunc  func);
void          gk_store_watch_free (GkStoreWatch     *watch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkStoreWatch, gk_store_watch_free)

G_END_DECLS
