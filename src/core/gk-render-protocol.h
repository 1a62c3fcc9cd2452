/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the window and gongkai-render say to each other over a UNIX stream
 * socket: a header, then `length` bytes of payload, in the machine's byte
 * order (both ends are the same build).  One request at a time is in the
 * helper: the client keeps the queue, so that a cancelled render is simply
 * never sent.  Pixels come back in a sealed memfd passed with SCM_RIGHTS
 * alongside the IMAGE header. */

#define GK_RENDER_MAX_PAYLOAD   (64u << 20)
#define GK_RENDER_MAX_SIDE      8192
#define GK_RENDER_FIND_CHUNK    8

typedef enum
{
  /* requests */
  GK_RENDER_OPEN = 1,     /* path NUL password NUL → OPENED | ERROR */
  GK_RENDER_PAGE,         /* GkRenderPageRequest → IMAGE | ERROR */
  GK_RENDER_FIND,         /* GkRenderFindRequest, text → RECTS | ERROR */
  GK_RENDER_LOCATE,       /* GkPdfSpan[] → RECTS | ERROR */

  /* replies */
  GK_RENDER_OPENED = 100, /* guint32 n_pages, then n_pages × { double width, height } */
  GK_RENDER_IMAGE,        /* GkRenderImageReply + one fd */
  GK_RENDER_RECTS,        /* GkPdfRect[] */
  GK_RENDER_ERROR,        /* gint32 GK_ERROR code, then the message (UTF-8) */
} GkRenderMessage;

typedef struct
{
  guint32 type;
  guint32 id;
  guint32 length;
  guint32 reserved;
} GkRenderHeader;

typedef struct
{
  guint32 page;
  guint32 reserved;
  double  scale;
} GkRenderPageRequest;

typedef struct
{
  guint32 first_page;
  guint32 n_pages;
  guint32 first_tag;  /* tag of the chunk's first match */
  guint32 reserved;
} GkRenderFindRequest;

typedef struct
{
  guint32 width;
  guint32 height;
  guint32 stride;
  guint32 reserved;
} GkRenderImageReply;

G_END_DECLS
