/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gk-context.h"

G_BEGIN_DECLS

/* This desk's preferences (GSettings, for every user): the library
 * folder opened at start, plain http to a portal on another computer,
 * and how many documents are sent to the portal at a time. */

#define GK_TYPE_PREFERENCES_PAGE (gk_preferences_page_get_type ())
G_DECLARE_FINAL_TYPE (GkPreferencesPage, gk_preferences_page, GK, PREFERENCES_PAGE, AdwPreferencesPage)

GtkWidget *gk_preferences_page_new (GkContext *context);

G_END_DECLS
