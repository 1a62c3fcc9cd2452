/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Test helpers for the portal sync tests.
 *
 * GkFaultProxy is an HTTP proxy on 127.0.0.1 (ephemeral port) in front of
 * a portal.  It forwards every request unchanged unless a scripted fault
 * matches it.  It runs in the thread-default GMainContext of the thread
 * that created it (the test's main context) and only makes progress while
 * that context is iterated: the client under test must therefore run its
 * requests asynchronously in the same context (and the test pump the
 * context, bounded, until they finish), or run them in another thread.
 * A client that blocks the test's thread on a synchronous request to the
 * proxy deadlocks.
 *
 * Faults are a queue of rules.  Each request takes the first rule whose
 * method and path prefix match and that still has applications left.
 * Paths are relative to the upstream base path: for an upstream of
 * http://127.0.0.1:5000/api/v1, "PUT /api/v1/documents/…" matches the
 * prefix "/documents/".  Query strings are not part of the path.
 *
 * Beware of libsoup's own retry: a SoupSession resends an idempotent
 * request (GET, HEAD, PUT, DELETE) once, by itself, when a *reused*
 * keep-alive connection closes before any byte of the answer.  So RESET
 * and FORWARD_DROP on such a connection show up as two requests here and
 * the client may see success (after FORWARD_DROP the portal then gets the
 * PUT twice, which the identical-body rule answers with 200).  Use a
 * fresh session, or times = 2, to make the client see the failure.
 *
 * GkTestPortal runs the real gongkai-portal binary ($GONGKAI_PORTAL, set
 * by tests/meson.build) on a temporary data folder. */

typedef enum
{
  GK_FAULT_500,           /* 500 with a JSON "unavailable" error body */
  GK_FAULT_502_HTML,      /* 502 with an HTML body, as from a front proxy */
  GK_FAULT_503,           /* 503 "unavailable" with Retry-After: param s (default 1) */
  GK_FAULT_429,           /* 429 "rate_limited" with Retry-After: param s (default 1) */
  GK_FAULT_401,           /* 401 "unauthorized" */
  GK_FAULT_412,           /* 412 "precondition_failed" */
  GK_FAULT_RESET,         /* close the connection (TCP RST) without answering;
                           * nothing reaches the upstream */
  GK_FAULT_HANG,          /* answer nothing for param ms (default 10000), then
                           * close the connection; nothing reaches the upstream */
  GK_FAULT_TRUNCATE,      /* forward the request (the change is applied), then
                           * send the upstream's status and headers with a
                           * Content-Length larger than the bytes that follow
                           * (half of the body), and close.  A body-less answer
                           * (204, 201 without body) is sent as 200 with a cut
                           * JSON body; useless for HEAD.  (The answer does
                           * not say "Connection: close": libsoup 3.2 takes a
                           * cut body of such an answer for a whole one, so a
                           * client should also check what it parses.) */
  GK_FAULT_FORWARD_DROP,  /* forward the request (the change is applied), then
                           * close the connection without answering */
  GK_FAULT_DELAY,         /* wait param ms (default 1000), then forward normally */
  GK_FAULT_REPLY,         /* answer what gk_fault_proxy_add_reply() says (a hostile
                           * portal): after forwarding the request (the change is
                           * applied) or without */
  GK_FAULT_TRICKLE_HEAD,  /* forward the request, then send the upstream's answer
                           * (status line, headers, body) one byte every param ms
                           * (default 500), then close */
  GK_FAULT_TRICKLE_BODY,  /* forward the request, send the upstream's status and
                           * headers at once, then its body one byte every param
                           * ms (default 500), then close; an answer without a
                           * body gets a JSON one */
} GkFault;

/* For gk_fault_proxy_add(): a rule that never runs out. */
#define GK_FAULT_ALWAYS G_MAXUINT

typedef struct _GkFaultProxy GkFaultProxy;
typedef struct _GkTestPortal GkTestPortal;

GkFaultProxy *gk_fault_proxy_new                 (const char    *upstream_base,
                                                  GError       **error);
const char   *gk_fault_proxy_get_base_url        (GkFaultProxy  *self);
void          gk_fault_proxy_add                 (GkFaultProxy  *self,
                                                  const char    *method,
                                                  const char    *path_prefix,
                                                  GkFault        fault,
                                                  guint          times);
void          gk_fault_proxy_add_full            (GkFaultProxy  *self,
                                                  const char    *method,
                                                  const char    *path_prefix,
                                                  GkFault        fault,
                                                  guint          times,
                                                  guint          param);
/* A GK_FAULT_REPLY rule: status, an ETag header (sent as given, NULL for
 * none), a Content-Type (NULL: application/json; "" for none) and a body
 * (NULL for none). */
void          gk_fault_proxy_add_reply           (GkFaultProxy  *self,
                                                  const char    *method,
                                                  const char    *path_prefix,
                                                  guint          times,
                                                  gboolean       forward,
                                                  guint          status,
                                                  const char    *etag,
                                                  const char    *content_type,
                                                  const char    *body);
void          gk_fault_proxy_clear               (GkFaultProxy  *self);
guint         gk_fault_proxy_get_pending         (GkFaultProxy  *self);
guint         gk_fault_proxy_count               (GkFaultProxy  *self,
                                                  const char    *method,
                                                  const char    *path_prefix);
guint         gk_fault_proxy_count_forwarded     (GkFaultProxy  *self,
                                                  const char    *method,
                                                  const char    *path_prefix);
void          gk_fault_proxy_reset_counts        (GkFaultProxy  *self);
guint         gk_fault_proxy_get_max_connections (GkFaultProxy  *self);
guint         gk_fault_proxy_get_max_in_flight   (GkFaultProxy  *self);
void          gk_fault_proxy_free                (GkFaultProxy  *self);

GkTestPortal *gk_test_portal_start               (const char    *token,
                                                  GError       **error);
GkTestPortal *gk_test_portal_start_full          (const char         *token,
                                                  const char *const  *extra_args,
                                                  GError            **error);
const char   *gk_test_portal_get_base_url        (GkTestPortal  *self);
const char   *gk_test_portal_get_url             (GkTestPortal  *self);
guint         gk_test_portal_get_port            (GkTestPortal  *self);
const char   *gk_test_portal_get_data_dir        (GkTestPortal  *self);
const char   *gk_test_portal_get_log_path        (GkTestPortal  *self);
gboolean      gk_test_portal_stop                (GkTestPortal  *self,
                                                  GError       **error);
void          gk_test_portal_kill                (GkTestPortal  *self);
gboolean      gk_test_portal_restart             (GkTestPortal  *self,
                                                  GError       **error);
void          gk_test_portal_free                (GkTestPortal  *self);

gboolean      gk_test_pump_until                 (gboolean      *flag,
                                                  guint          timeout_ms);
void          gk_test_remove_tree                (const char    *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkFaultProxy, gk_fault_proxy_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkTestPortal, gk_test_portal_free)

G_END_DECLS
