/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The reading end of gk-render-client: answers requests (see
 * gk-render-protocol.h) on a connected UNIX stream socket until it is
 * closed.  In gongkai-render (as_helper: each request gets its own CPU
 * limit, and $GONGKAI_RENDER_FAULT is honoured) or on a thread of the
 * window for debugging.  Returns 0 when the peer closed the socket. */
int gk_render_server_run (int      fd,
                          gboolean as_helper);

/* Sends a message with an optional descriptor (-1: none); blocking. */
gboolean gk_render_send  (int            fd,
                          guint32        type,
                          guint32        id,
                          const void    *payload,
                          gsize          length,
                          int            pass_fd);

G_END_DECLS
