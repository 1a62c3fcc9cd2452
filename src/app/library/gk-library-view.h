/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "gk-context.h"
#include "gk-item-list.h"
#include "gk-pdf-view.h"
#include "gk-record-editor.h"

G_BEGIN_DECLS

/* The documents of one view (a sidebar entry: its preset filters) as a
 * lazy, store-sorted column view, with search and filters above and the
 * selected document's preview and record below. */

#define GK_TYPE_LIBRARY_VIEW (gk_library_view_get_type ())
G_DECLARE_FINAL_TYPE (GkLibraryView, gk_library_view, GK, LIBRARY_VIEW, GtkWidget)

/* Called with proceed = TRUE when the caller may go on (saved, discarded
 * or nothing unsaved) and FALSE when the person chose Cancel. */
typedef void (*GkProceedFunc) (gboolean proceed,
                               gpointer user_data);

GtkWidget      *gk_library_view_new              (GkContext     *context);
/* The view's own filters (state, created_by, …); the search bar's text,
 * tag, category and state filters apply on top.  Copied. */
void            gk_library_view_set_preset       (GkLibraryView *self,
                                                  const GkQuery *preset);
GkItemList     *gk_library_view_get_item_list    (GkLibraryView *self);
GtkColumnView  *gk_library_view_get_column_view  (GkLibraryView *self);
GkPdfView      *gk_library_view_get_preview      (GkLibraryView *self);
GkRecordEditor *gk_library_view_get_editor       (GkLibraryView *self);
GtkSearchBar   *gk_library_view_get_search_bar   (GkLibraryView *self);

/* Open the search bar and search for text (Ctrl+F opens it empty). */
void            gk_library_view_search           (GkLibraryView *self,
                                                  const char    *text);
/* Filters of the search bar (NULL: any). */
void            gk_library_view_set_filters      (GkLibraryView *self,
                                                  const char    *tag,
                                                  const char    *category,
                                                  const char    *state);
/* Select the item (only it); FALSE if it is not listed. */
gboolean        gk_library_view_select_id        (GkLibraryView *self,
                                                  const char    *id);
/* The item shown in the detail pane, or NULL. */
const char     *gk_library_view_get_current_id   (GkLibraryView *self);
/* TRUE while the item just selected is on its way from the store. */
gboolean        gk_library_view_is_loading       (GkLibraryView *self);

/* Unsaved changes: ask Save / Discard / Cancel, then call func. */
void            gk_library_view_confirm_leave    (GkLibraryView *self,
                                                  GkProceedFunc  func,
                                                  gpointer       user_data);
gboolean        gk_library_view_has_unsaved_changes (GkLibraryView *self);
void            gk_library_view_save             (GkLibraryView *self);

/* Bulk actions on the selected items (on a worker; a toast reports). */
void            gk_library_view_tag_selected     (GkLibraryView *self,
                                                  const char    *tag,
                                                  gboolean       add);
void            gk_library_view_submit_selected  (GkLibraryView *self);
/* TRUE while a bulk action runs. */
gboolean        gk_library_view_is_busy          (GkLibraryView *self);

G_END_DECLS
