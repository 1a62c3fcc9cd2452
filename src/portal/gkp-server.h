/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "gkp-store.h"

G_BEGIN_DECLS

/* The HTTP side of the reference portal: the ingestion API of
 * portal-api.md under a base path, and the public pages outside it. */

typedef struct _GkpServer GkpServer;

typedef struct
{
  const char *token;                  /* may read and write */
  const char *readonly_token;         /* nullable: may only read */
  const char *base_path;              /* "/api/v1" */
  const char *public_url;             /* nullable: "http://ADDRESS:PORT" */
  guint64     max_file_bytes;
  guint       max_connections_per_token;  /* 0: no limit */
  guint       idle_timeout_ms;            /* > 0 */
  guint       request_timeout_ms;         /* > 0 */
  guint       max_clients;                /* > 0 */
} GkpServerOptions;

GkpServer  *gkp_server_new            (GkpStore               *store,
                                       const GkpServerOptions *options);
gboolean    gkp_server_listen         (GkpServer              *self,
                                       const char             *address,
                                       guint                   port,
                                       GError                **error);
guint       gkp_server_get_port       (GkpServer              *self);
const char *gkp_server_get_local_url  (GkpServer              *self);
const char *gkp_server_get_public_url (GkpServer              *self);
void        gkp_server_free           (GkpServer              *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkpServer, gkp_server_free)

G_END_DECLS
