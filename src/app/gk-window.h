/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gk-application.h"
#include "gk-context.h"

G_BEGIN_DECLS

/* The workstation window: sidebar of views, the document list with the
 * selected document's preview and record, import (button, Ctrl+O, drag
 * and drop) with progress and a summary. */

#define GK_TYPE_WINDOW (gk_window_get_type ())
G_DECLARE_FINAL_TYPE (GkWindow, gk_window, GK, WINDOW, AdwApplicationWindow)

GkWindow  *gk_window_new           (GkApplication     *application,
                                    GkContext         *context);
GkContext *gk_window_get_context   (GkWindow          *self);
/* Import files and folders (recursively); asks to create the library
 * first when there is none. */
void       gk_window_import_paths  (GkWindow          *self,
                                    const char *const *paths);
/* The same for documents already public since publish_date (YYYY-MM-DD):
 * they are filed with it and no deadline runs. */
void
gk_window_import_public_paths (GkWindow *self, const char *const *paths, const char *publish_date);

G_END_DECLS
