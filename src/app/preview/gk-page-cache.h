/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk/gdk.h>

G_BEGIN_DECLS

/* Rendered pages kept within a byte budget, least recently used out
 * first (as Papers' pixbuf cache).  Keyed by page and scale (the scale in
 * thousandths, so that a zoom step does not hit a texture of another
 * size). */

typedef struct _GkPageCache GkPageCache;

GkPageCache *gk_page_cache_new          (gsize        max_bytes);
void         gk_page_cache_free         (GkPageCache *self);
void         gk_page_cache_clear        (GkPageCache *self);
/* Marks the entry as used. */
GdkTexture  *gk_page_cache_lookup       (GkPageCache *self,
                                         guint        page,
                                         int          scale_key);
/* Any texture of this page, the one closest to scale_key (to stretch while
 * the right one renders); does not mark it used. */
GdkTexture  *gk_page_cache_lookup_any   (GkPageCache *self,
                                         guint        page,
                                         int          scale_key);
void         gk_page_cache_insert       (GkPageCache *self,
                                         guint        page,
                                         int          scale_key,
                                         GdkTexture  *texture);
gsize        gk_page_cache_get_bytes    (GkPageCache *self);

int          gk_page_cache_scale_key    (double       scale);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkPageCache, gk_page_cache_free)

G_END_DECLS
