/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "gk-types.h"
#include "gk-store.h"

G_BEGIN_DECLS

/* A lazy GListModel of GkItem over the store, never waiting for it: the
 * ids of the current query are read on the store's reader threads (cheap
 * even for 100,000 items) and announced when they land; the items
 * themselves come in pages of GK_ITEM_LIST_PAGE_SIZE when a position is
 * first asked for — placeholder items (only the id set) at once, filled
 * in place when the page arrives, so a selection holding one stays put.
 * A bounded number of pages stay cached.
 *
 * The list must live on the main context the store was opened in (where
 * the store announces "items-changed"); there the ids are queried again
 * and the smallest changed range is announced, so that a selection away
 * from the change survives; changed items are filled in place.  No GTK:
 * the window and the tests use it. */

#define GK_ITEM_LIST_PAGE_SIZE 100

#define GK_TYPE_ITEM_LIST (gk_item_list_get_type ())
G_DECLARE_FINAL_TYPE (GkItemList, gk_item_list, GK, ITEM_LIST, GObject)

GkItemList    *gk_item_list_new_with_query (GkStore       *store,
                                           const GkQuery *query);
GkItemList    *gk_item_list_new                (GkStore       *store);
GkStore       *gk_item_list_get_store          (GkItemList    *self);

/* Filters: NULL, "" or 0 does not filter.  Each setter queries again
 * (in the background; "loading" tells) when the value changed, unless
 * the list is frozen. */
void           gk_item_list_set_state (GkItemList *self, GkQueryState state);
void           gk_item_list_set_stage          (GkItemList    *self,
                                                const char    *stage);
void           gk_item_list_set_tag            (GkItemList    *self,
                                                const char    *tag);
void           gk_item_list_set_category       (GkItemList    *self,
                                                const char    *category);
void           gk_item_list_set_text           (GkItemList    *self,
                                                const char    *text);
void           gk_item_list_set_created_by     (GkItemList    *self,
                                                const char    *user);
void           gk_item_list_set_date_range     (GkItemList    *self,
                                                const char    *from_date,
                                                const char    *to_date);
void           gk_item_list_set_expiring_before (GkItemList   *self,
                                                 const char   *date);
void           gk_item_list_set_due_within     (GkItemList    *self,
                                                int            working_days);
/* sort: written_date | title | doc_number | issuer | state | due | created
 * (NULL: the store's default, newest first). */
void           gk_item_list_set_sort           (GkItemList    *self,
                                                const char    *sort,
                                                gboolean       descending);
/* Set every filter from query at once (one query); NULL clears them all. */
void           gk_item_list_set_query          (GkItemList    *self,
                                                const GkQuery *query);
/* The current filters; strings owned by the list, valid until the next
 * setter call. */
const GkQuery *gk_item_list_get_query          (GkItemList    *self);

/* Batch several setters into one query. */
void           gk_item_list_freeze             (GkItemList    *self);
void           gk_item_list_thaw               (GkItemList    *self);

/* Query again now (drops the cached pages of changed items). */
void           gk_item_list_refresh            (GkItemList    *self);

/* Position of the item with this id, or G_MAXUINT. */
guint          gk_item_list_find               (GkItemList    *self,
                                                const char    *id);
/* Id at position (owned by the list), without loading the item. */
const char    *gk_item_list_get_id             (GkItemList    *self,
                                                guint          position);
/* Whether a query or a page is on its way ("loading" notifies). */
gboolean       gk_item_list_is_loading         (GkItemList    *self);
/* The last error of a query (NULL when it worked). */
const GError  *gk_item_list_get_error          (GkItemList    *self);

G_END_DECLS
