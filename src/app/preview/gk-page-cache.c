/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPreview"

#include "config.h"

#include <math.h>

#include "gk-page-cache.h"

typedef struct
{
  guint       page;
  int         scale_key;
  GdkTexture *texture;
  gsize       bytes;
  GList      *link;      /* in lru */
} Entry;

struct _GkPageCache
{
  gsize       max_bytes;
  gsize       bytes;
  GHashTable *entries;   /* Entry* → Entry* (hashed by page and scale) */
  GQueue      lru;       /* Entry*, most recently used first */
};

static guint
entry_hash (gconstpointer key)
{
  const Entry *entry = key;

  return entry->page * 2654435761u ^ (guint) entry->scale_key;
}

static gboolean
entry_equal (gconstpointer a,
             gconstpointer b)
{
  const Entry *x = a;
  const Entry *y = b;

  return x->page == y->page && x->scale_key == y->scale_key;
}

static void
entry_free (Entry *entry)
{
  g_clear_object (&entry->texture);
  g_free (entry);
}

static void
remove_entry (GkPageCache *self,
              Entry       *entry)
{
  g_queue_delete_link (&self->lru, entry->link);
  self->bytes -= entry->bytes;
  g_hash_table_remove (self->entries, entry);
}

/**
 * gk_page_cache_scale_key:
 * @scale: a render scale
 *
 * Returns: the key of @scale in the cache (thousandths)
 */
int
gk_page_cache_scale_key (double scale)
{
  return (int) lround (scale * 1000.0);
}

/**
 * gk_page_cache_new:
 * @max_bytes: the budget for texture pixels
 *
 * Returns: (transfer full): an empty cache
 */
GkPageCache *
gk_page_cache_new (gsize max_bytes)
{
  GkPageCache *self = g_new0 (GkPageCache, 1);

  self->max_bytes = max_bytes;
  self->entries = g_hash_table_new_full (entry_hash, entry_equal, NULL,
                                         (GDestroyNotify) entry_free);
  g_queue_init (&self->lru);
  return self;
}

/**
 * gk_page_cache_free:
 * @self: a cache
 *
 * Frees the cache and drops its textures.
 */
void
gk_page_cache_free (GkPageCache *self)
{
  if (self == NULL)
    return;
  gk_page_cache_clear (self);
  g_hash_table_unref (self->entries);
  g_free (self);
}

/**
 * gk_page_cache_clear:
 * @self: a cache
 *
 * Drops every texture.
 */
void
gk_page_cache_clear (GkPageCache *self)
{
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->entries);
  self->bytes = 0;
}

/**
 * gk_page_cache_lookup:
 * @self: a cache
 * @page: 0-based page
 * @scale_key: from gk_page_cache_scale_key()
 *
 * Returns: (transfer none) (nullable): the texture
 */
GdkTexture *
gk_page_cache_lookup (GkPageCache *self,
                      guint        page,
                      int          scale_key)
{
  Entry key = { page, scale_key };
  Entry *entry = g_hash_table_lookup (self->entries, &key);

  if (entry == NULL)
    return NULL;
  g_queue_unlink (&self->lru, entry->link);
  g_queue_push_head_link (&self->lru, entry->link);
  return entry->texture;
}

/**
 * gk_page_cache_lookup_any:
 * @self: a cache
 * @page: 0-based page
 * @scale_key: the scale wanted
 *
 * Returns: (transfer none) (nullable): the closest texture of @page
 */
GdkTexture *
gk_page_cache_lookup_any (GkPageCache *self,
                          guint        page,
                          int          scale_key)
{
  Entry *best = NULL;

  for (GList *l = self->lru.head; l != NULL; l = l->next)
    {
      Entry *entry = l->data;

      if (entry->page != page)
        continue;
      if (best == NULL || ABS (entry->scale_key - scale_key) < ABS (best->scale_key - scale_key))
        best = entry;
    }
  return best ? best->texture : NULL;
}

/**
 * gk_page_cache_insert:
 * @self: a cache
 * @page: 0-based page
 * @scale_key: from gk_page_cache_scale_key()
 * @texture: the rendered page
 *
 * Adds the texture, dropping the least recently used ones over budget
 * (never the one just added).
 */
void
gk_page_cache_insert (GkPageCache *self,
                      guint        page,
                      int          scale_key,
                      GdkTexture  *texture)
{
  Entry key = { page, scale_key };
  Entry *entry = g_hash_table_lookup (self->entries, &key);

  g_return_if_fail (GDK_IS_TEXTURE (texture));

  if (entry != NULL)
    remove_entry (self, entry);

  entry = g_new0 (Entry, 1);
  entry->page = page;
  entry->scale_key = scale_key;
  entry->texture = g_object_ref (texture);
  entry->bytes = (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4;
  g_queue_push_head (&self->lru, entry);
  entry->link = self->lru.head;
  g_hash_table_add (self->entries, entry);
  self->bytes += entry->bytes;

  while (self->bytes > self->max_bytes && self->lru.tail != NULL && self->lru.tail->data != entry)
    remove_entry (self, self->lru.tail->data);
}

/**
 * gk_page_cache_get_bytes:
 * @self: a cache
 *
 * Returns: the bytes of pixels held
 */
gsize
gk_page_cache_get_bytes (GkPageCache *self)
{
  return self->bytes;
}
