/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Keeps a SoupServer alive against hostile or broken clients, which
 * libsoup 3.2 does not: it has no timeouts at all, reads a whole
 * request body before the response can be sent, and stops accepting
 * for good once it runs out of file descriptors.
 *
 * The guard sees every connection from the moment it is accepted and
 * closes it when a request's headers or body stall for longer than the
 * idle timeout, when a request has not fully arrived within the request
 * timeout, when a response stalls for longer than the idle timeout, or
 * when it stays idle between requests for longer than that.  Past
 * max_clients open connections, a new one closes the connection that
 * showed no sign of life for the longest time. */

typedef struct _GkpGuard GkpGuard;

typedef struct
{
  guint idle_timeout_ms;     /* > 0 */
  guint request_timeout_ms;  /* > 0 */
  guint max_clients;         /* > 0 */
} GkpGuardOptions;

GkpGuard *gkp_guard_new         (SoupServer             *soup,
                                 const GkpGuardOptions  *options);
gboolean  gkp_guard_claim       (GkpGuard               *self,
                                 SoupServerMessage      *msg,
                                 int                     tag,
                                 guint                   limit);
void      gkp_guard_answer_now  (GkpGuard               *self,
                                 SoupServerMessage      *msg);
void      gkp_guard_free        (GkpGuard               *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkpGuard, gkp_guard_free)

G_END_DECLS
