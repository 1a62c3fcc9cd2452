/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gk-context.h"

G_BEGIN_DECLS

#define GK_TYPE_APPLICATION (gk_application_get_type ())
G_DECLARE_FINAL_TYPE (GkApplication, gk_application, GK, APPLICATION, AdwApplication)

GkApplication *gk_application_new          (void);
/* The context of the running application (made on the first activate). */
GkContext     *gk_application_get_context  (GkApplication *self);
/* For tests: use this context instead of one from the command line. */
void           gk_application_set_context  (GkApplication *self,
                                            GkContext     *context);

G_END_DECLS
