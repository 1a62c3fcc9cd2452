/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the GUI tests reach into; not for other widgets. */

#include "gk-importer.h"
#include "gk-library-view.h"
#include "gk-window.h"

G_BEGIN_DECLS

GkLibraryView *gk_window_get_library_view     (GkWindow   *self);
/* "missing", "error" or "library". */
const char    *gk_window_get_page             (GkWindow   *self);
gboolean       gk_window_is_importing         (GkWindow   *self);
/* The import summary or the password prompt while shown, else NULL. */
GtkWidget     *gk_window_get_import_summary   (GkWindow   *self);
GtkWidget     *gk_window_get_password_dialog  (GkWindow   *self);
/* "Import Documents Already Public…"'s question, while shown. */
GtkWidget *gk_window_get_public_dialog (GkWindow *self);
/* The file chooser while shown; publish_date: the day its files are
 * public since, NULL for an ordinary import. */
GtkNativeDialog *gk_window_get_chooser (GkWindow *self, const char **publish_date);
/* GkImportResult* of the last finished import run. */
GPtrArray     *gk_window_get_import_results   (GkWindow   *self);
void           gk_window_cancel_import        (GkWindow   *self);
/* Views: all mine queue approved published due expiring sync. */
void           gk_window_select_view          (GkWindow   *self,
                                               const char *view);
const char    *gk_window_get_view             (GkWindow   *self);
/* The count shown beside a view in the sidebar (-1: none shown). */
int            gk_window_get_view_count       (GkWindow   *self,
                                               const char *view);
/* The text of the header bar's user button ("tester · Admin, Drafter"). */
const char    *gk_window_get_user_text        (GkWindow   *self);

G_END_DECLS
