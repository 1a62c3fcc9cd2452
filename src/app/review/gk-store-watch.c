/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiReview"

#include "config.h"

#include "gk-store-watch.h"
#include "gk-util.h"

/* Shared between the signal handler (any thread) and the idle (main
 * context); lives until both are done with it. */
typedef struct
{
  gatomicrefcount   ref;
  GWeakRef          owner;
  GMainContext     *context;
  GkStoreWatchFunc  func;
  gint              pending;
  gint              active;
} Link;

struct _GkStoreWatch
{
  GkStore *store;
  gulong   handler;
  Link    *link;
};

static Link *
link_ref (Link *link)
{
  g_atomic_ref_count_inc (&link->ref);
  return link;
}

static void
link_unref (Link *link)
{
  if (!g_atomic_ref_count_dec (&link->ref))
    return;
  g_weak_ref_clear (&link->owner);
  g_main_context_unref (link->context);
  g_free (link);
}

static gboolean
on_dispatch_cb (gpointer user_data)
{
  Link *link = user_data;
  g_autoptr(GObject) owner = NULL;

  g_atomic_int_set (&link->pending, 0);
  if (!g_atomic_int_get (&link->active))
    return G_SOURCE_REMOVE;
  owner = g_weak_ref_get (&link->owner);
  if (owner != NULL)
    link->func (owner);
  return G_SOURCE_REMOVE;
}

static void
on_store_items_changed_cb (GkStore    *store,
                           const char *item_id,
                           gpointer    user_data)
{
  Link *link = user_data;

  if (!g_atomic_int_get (&link->active))
    return;
  if (g_atomic_int_compare_and_exchange (&link->pending, 0, 1))
    gk_main_context_dispatch (link->context, G_PRIORITY_DEFAULT_IDLE,
                              on_dispatch_cb, link_ref (link),
                              (GDestroyNotify) link_unref);
}

/**
 * gk_store_watch_new:
 * @store: the store to watch
 * @owner: (type GObject): the object @func is called with
 * @func: called on this thread's default main context after changes
 *
 * Returns: (transfer full): the watch; free it before @owner goes
 */
GkStoreWatch *
gk_store_watch_new (GkStore          *store,
                    gpointer          owner,
                    GkStoreWatchFunc  func)
{
  GkStoreWatch *watch;
  Link *link;

  g_return_val_if_fail (GK_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_OBJECT (owner), NULL);

  link = g_new0 (Link, 1);
  g_atomic_ref_count_init (&link->ref);
  g_weak_ref_init (&link->owner, owner);
  link->context = g_main_context_ref_thread_default ();
  link->func = func;
  link->active = 1;

  watch = g_new0 (GkStoreWatch, 1);
  watch->store = g_object_ref (store);
  watch->link = link;
  watch->handler = g_signal_connect_data (store, "items-changed",
                                          G_CALLBACK (on_store_items_changed_cb),
                                          link_ref (link),
                                          (GClosureNotify) (void (*) (void)) link_unref, 0);
  return watch;
}

/**
 * gk_store_watch_free:
 * @watch: (nullable): a watch
 *
 * No call comes after this, even from a change already on its way.
 */
void
gk_store_watch_free (GkStoreWatch *watch)
{
  if (watch == NULL)
    return;
  g_atomic_int_set (&watch->link->active, 0);
  g_clear_signal_handler (&watch->handler, watch->store);
  g_clear_object (&watch->store);
  link_unref (watch->link);
  g_free (watch);
}
