/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "gk-portal-reply.h"
#include "gk-types.h"

G_BEGIN_DECLS

/* The HTTP client of portal-api.md: one SoupSession (keep-alive, at most
 * max_connections at a time), TLS verification always on (the system's
 * authorities plus an optional CA file), plain http:// only to a
 * loopback address unless allow_insecure, a connect timeout, a
 * response (inactivity) timeout and an overall deadline per request,
 * `Authorization: Bearer` on every request and a Content-Length on every
 * body.
 *
 * Each request answers a GkPortalResponse that classifies the answer by
 * the contract (what the caller must do next, gk-portal-reply.h); an
 * answer that breaks portal-api.md is never a success but a failed
 * attempt (GK_PORTAL_TRANSIENT, broken); transport failures are
 * responses too (status 0, GK_PORTAL_TRANSIENT or GK_PORTAL_FATAL).  The
 * _finish functions fail only when the caller cancelled.  The token
 * never appears in a response, a message or a log. */

#define GK_TYPE_PORTAL_CLIENT (gk_portal_client_get_type ())
G_DECLARE_FINAL_TYPE (GkPortalClient, gk_portal_client, GK, PORTAL_CLIENT, GObject)

typedef enum
{
  GK_PORTAL_PRECONDITION_NONE,       /* unconditional: only on a person's decision to overwrite */
  GK_PORTAL_PRECONDITION_CREATE,     /* If-None-Match: * */
  GK_PORTAL_PRECONDITION_IF_MATCH,   /* If-Match: "<etag>" */
} GkPortalPrecondition;

typedef struct
{
  const char *ca_file;             /* extra authorities (PEM), added to the system's */
  gboolean    allow_insecure;      /* plain http:// to a non-loopback host */
  guint       max_connections;     /* 0: 4 */
  guint       connect_timeout_ms;  /* 0: 10 s; until the request headers are written */
  guint       response_timeout_ms; /* 0: 30 s; the longest silence while sending or receiving */
  guint       request_timeout_ms;  /* 0: 120 s; the longest a whole request may take, however
                                    * the portal trickles (plus 1 s per 128 KiB of body sent) */
  const char *user_agent;          /* NULL: "gongkai/VERSION" */
} GkPortalClientOptions;

/* Is this a loopback host (127.0.0.0/8, ::1, localhost)? */
gboolean          gk_portal_host_is_loopback   (const char *host);
/* Check a base URL: absolute http(s), a host, no user name, query or
 * fragment; http:// only to loopback unless allow_insecure
 * (GK_ERROR_REFUSED then).  GK_ERROR_INVALID for a malformed URL. */
gboolean          gk_portal_check_url          (const char *base_url,
                                                gboolean    allow_insecure,
                                                GError    **error);

/* base_url: e.g. "https://portal.example.gov.cn/api/v1".  Fails for a
 * URL gk_portal_check_url() refuses, a token that cannot be sent, or a
 * CA file that cannot be read. */
GkPortalClient   *gk_portal_client_new         (const char                  *base_url,
                                                const char                  *token,
                                                const GkPortalClientOptions *options,
                                                GError                     **error);
const char       *gk_portal_client_get_base_url (GkPortalClient *self);
/* Drop every connection and fail the requests under way (as cancelled). */
void              gk_portal_client_abort       (GkPortalClient *self);

/* GET /health with the token ("test connection"). */
void              gk_portal_client_health_async   (GkPortalClient      *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
/* TRUE when the portal answered 200 with api 1; *max_file_bytes (if not
 * NULL) is set from the answer.  Else FALSE and an error for the user:
 * GK_ERROR_PERMISSION when the portal refused the token, GK_ERROR_FAILED
 * otherwise. */
gboolean          gk_portal_client_health_finish  (GkPortalClient  *self,
                                                   GAsyncResult    *result,
                                                   gint64          *max_file_bytes,
                                                   GError         **error);

/* HEAD /files/{sha256}: OK (stored) or NOT_FOUND. */
void              gk_portal_client_head_file_async (GkPortalClient      *self,
                                                    const char          *sha256,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
/* PUT /files/{sha256} with these bytes (201 stored now, 200 stored before). */
void              gk_portal_client_put_file_async  (GkPortalClient      *self,
                                                    const char          *sha256,
                                                    const char          *media_type,
                                                    GBytes              *content,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
/* PUT /documents/{id} with this exact JSON body. */
void              gk_portal_client_put_document_async (GkPortalClient       *self,
                                                       const char           *id,
                                                       GBytes               *body,
                                                       GkPortalPrecondition  precondition,
                                                       const char           *etag,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
/* GET /documents/{id}: OK with the record in body, or NOT_FOUND. */
void              gk_portal_client_get_document_async (GkPortalClient      *self,
                                                       const char          *id,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* DELETE /documents/{id} (If-Match when etag is not NULL): OK (204) or
 * NOT_FOUND; both mean the document is not public. */
void              gk_portal_client_delete_document_async (GkPortalClient      *self,
                                                          const char          *id,
                                                          const char          *etag,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
/* GET /documents?limit=N&after=CURSOR (after may be NULL). */
void              gk_portal_client_list_documents_async (GkPortalClient      *self,
                                                         guint                limit,
                                                         const char          *after,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
/* The answer of any request above but health: never NULL unless the
 * caller's cancellable was cancelled (G_IO_ERROR_CANCELLED). */
GkPortalResponse *gk_portal_client_request_finish (GkPortalClient  *self,
                                                   GAsyncResult    *result,
                                                   GError         **error);

G_END_DECLS
