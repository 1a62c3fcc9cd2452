/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The TLS trust of the portal client: the system's authorities plus
 * those of an extra PEM file (an agency-internal CA).  Verification stays
 * on; nothing here turns it off. */
GTlsDatabase *gk_tls_database_new_with_ca_file (const char *ca_file, GError **error);

G_END_DECLS
