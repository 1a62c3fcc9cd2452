/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiItemList"

#include "config.h"

#include <string.h>

#include "gk-item-list.h"
#include "gk-store-async.h"

/* How many pages of GK_ITEM_LIST_PAGE_SIZE items stay loaded. */
#define MAX_CACHED_PAGES 64
/* Bursts of store changes (an import of many files) are folded into one
 * query at most this often. */
#define COALESCE_MS 40

struct _GkItemList
{
  GObject       parent_instance;

  GkStore      *store;
  gulong        changed_handler;
  GHashTable   *changed_ids;   /* announced, not yet queried */
  gboolean      changed_many;
  guint         coalesce_source;

  /* Owned copies of the filters; query points into them. */
  GkQueryState  state;
  char         *stage;
  char         *tag;
  char         *category;
  char         *text;
  char         *created_by;
  char         *from_date;
  char         *to_date;
  char         *expiring_before;
  char         *sort;
  int           due_within;
  gboolean      descending;
  GkQuery       query;

  GStrv         ids;
  guint         n_ids;
  GHashTable   *pages;      /* page index → Page */
  GHashTable   *recycled;   /* id → GkItem loaded before the positions moved */
  GQueue        lru;        /* page indexes, most recently used first */
  guint         generation; /* counts drop_pages() */

  GCancellable *query_cancellable; /* the ids query in flight */
  GHashTable   *pending_ids;       /* changed ids the query in flight must reload */
  gboolean      pending_many;
  GCancellable *load_cancellable;  /* every page load; cancelled at dispose */
  guint         n_loads;

  guint         freeze_count;
  gboolean      dirty_while_frozen;
  GError       *error;
};

static void gk_item_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GkItemList, gk_item_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      gk_item_list_model_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_START_FROZEN,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void requery (GkItemList *self, GHashTable *changed_ids, gboolean many);

/* Pages */

typedef struct
{
  GPtrArray *items;     /* GkItem*, placeholders until loaded */
  gboolean   loading;
} Page;

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
drop_pages (GkItemList *self)
{
  GHashTableIter iter;
  gpointer       value;

  /* Loads in flight belong to the old positions: their results are
   * dropped (see on_items_loaded_cb).  The objects already loaded are
   * handed out again at their new positions: a row whose item only
   * moved (a new document above it) keeps its object, so the view
   * neither rebinds it nor shows a placeholder; the new pages' loads
   * announce only what really changed. */
  self->generation++;
  g_hash_table_remove_all (self->recycled);
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Page *page = value;

      for (guint i = 0; i < page->items->len; i++)
        {
          GkItem *item = g_ptr_array_index (page->items, i);

          if (item->id != NULL && item->revision > 0)
            g_hash_table_replace (self->recycled, item->id, g_object_ref (item));
        }
    }
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
}

static void
touch_page (GkItemList *self,
            guint       page)
{
  gpointer key = GUINT_TO_POINTER (page);

  g_queue_remove (&self->lru, key);
  g_queue_push_head (&self->lru, key);
  while (g_queue_get_length (&self->lru) > MAX_CACHED_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->lru));
}

/* An item not loaded yet, or that the store could not give (removed
 * meanwhile, or an error): the list hands out an object for every
 * position at once, and fills it in place when the store answers. */
static GkItem *
placeholder_item (const char *id)
{
  GkItem *item = gk_item_new ();

  item->id = g_strdup (id);
  return item;
}

typedef struct
{
  GkItemList *self;      /* strong: a load in flight keeps the list */
  guint       generation;
  guint       page;      /* G_MAXUINT: a reload of changed items */
  GPtrArray  *targets;   /* the objects to fill, by id order */
  GArray     *positions; /* of the targets, for a reload */
} Load;

static void
load_free (Load *load)
{
  g_object_unref (load->self);
  g_clear_pointer (&load->targets, g_ptr_array_unref);
  g_clear_pointer (&load->positions, g_array_unref);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

static void
load_finished (GkItemList *self)
{
  g_assert (self->n_loads > 0);
  if (--self->n_loads == 0 && self->query_cancellable == NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static int
compare_positions (gconstpointer a,
                   gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* What a list row shows or a reader of the list relies on. */
static gboolean
item_differs (GkItem *a,
              GkItem *b)
{
  static const char *fields[] = {
    "title", "doc_number", "issuer", "written_date", "tags", "category", "disclosure",
    "effective_until", "validity_status", NULL,
  };

  if (a->revision != b->revision || a->state != b->state || a->stage != b->stage ||
      g_strcmp0 (a->updated_at, b->updated_at) != 0 || g_strcmp0 (a->due_date, b->due_date) != 0 ||
      g_strcmp0 (a->public_url, b->public_url) != 0 || g_strcmp0 (a->submitted_at, b->submitted_at) != 0)
    return TRUE;
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *x = gk_item_get_field (a, fields[i]);
      g_autofree char *y = gk_item_get_field (b, fields[i]);

      if (g_strcmp0 (x, y) != 0)
        return TRUE;
    }
  return FALSE;
}

static void
on_items_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  GkItemList *self = load->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  Page *page = NULL;

  loaded = gk_store_get_items_finish (GK_STORE (source), result, &error);
  if (load->page != G_MAXUINT)
    {
      page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (load->page));
      if (page != NULL && page->items == load->targets)
        page->loading = FALSE;
    }
  load_finished (self);

  if (loaded == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not load items: %s", error ? error->message : "?");
      return;
    }
  /* The positions moved meanwhile: a newer load covers them. */
  if (load->generation != self->generation)
    return;

  for (guint i = 0; i < loaded->len; i++)
    {
      GkItem *item = g_ptr_array_index (loaded, i);

      if (item != NULL && item->id != NULL)
        g_hash_table_insert (by_id, item->id, item);
    }

  if ((page != NULL && page->items == load->targets) || load->page == G_MAXUINT)
    {
      g_autoptr(GArray) changed = g_array_new (FALSE, FALSE, sizeof (guint));
      guint first = load->page != G_MAXUINT ? load->page * GK_ITEM_LIST_PAGE_SIZE : 0;

      for (guint i = 0; i < load->targets->len; i++)
        {
          GkItem *target = g_ptr_array_index (load->targets, i);
          GkItem *item = g_hash_table_lookup (by_id, target->id);
          guint   position =
              load->positions != NULL ? g_array_index (load->positions, guint, i) : first + i;

          /* Only the rows whose item really changed: a placeholder
           * filled, an item another process edited; not one that was
           * handed out already loaded. */
          if (item == NULL || !item_differs (target, item))
            continue;
          gk_item_assign (target, item);
          g_array_append_val (changed, position);
        }
      /* One announcement per run of neighbouring rows. */
      g_array_sort (changed, compare_positions);
      for (guint i = 0; i < changed->len;)
        {
          guint start = g_array_index (changed, guint, i), n = 1;

          while (i + n < changed->len && g_array_index (changed, guint, i + n) == start + n)
            n++;
          g_list_model_items_changed (G_LIST_MODEL (self), start, n, n);
          i += n;
        }
    }
}

static void
start_load (GkItemList *self,
            guint       page,
            GPtrArray  *targets,
            GArray     *positions)
{
  Load *load = g_new0 (Load, 1);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; i < targets->len; i++)
    g_ptr_array_add (ids, ((GkItem *) g_ptr_array_index (targets, i))->id);

  load->self = g_object_ref (self);
  load->generation = self->generation;
  load->page = page;
  load->targets = g_ptr_array_ref (targets);
  load->positions = positions != NULL ? g_array_ref (positions) : NULL;
  if (self->n_loads++ == 0 && self->query_cancellable == NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  gk_store_get_items_async (self->store, (const char *const *) ids->pdata, ids->len,
                            self->load_cancellable, on_items_loaded_cb, load);
}

static GPtrArray *
get_page (GkItemList *self,
          guint       index)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));

  if (page == NULL)
    {
      guint first = index * GK_ITEM_LIST_PAGE_SIZE;
      guint n = MIN (GK_ITEM_LIST_PAGE_SIZE, self->n_ids - first);

      page = g_new0 (Page, 1);
      page->items = g_ptr_array_new_full (n, g_object_unref);
      for (guint i = 0; i < n; i++)
        {
          GkItem *known = g_hash_table_lookup (self->recycled, self->ids[first + i]);

          g_ptr_array_add (page->items, known != NULL ? g_object_ref (known)
                                                      : placeholder_item (self->ids[first + i]));
        }
      page->loading = TRUE;
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
      start_load (self, index, page->items, NULL);
    }
  touch_page (self, index);
  return page->items;
}

/* Querying */

static void
sync_query (GkItemList *self)
{
  self->query.state = self->state;
  self->query.stage = self->stage;
  self->query.tag = self->tag;
  self->query.category = self->category;
  self->query.text = self->text;
  self->query.from_date = self->from_date;
  self->query.to_date = self->to_date;
  self->query.created_by = self->created_by;
  self->query.expiring_before = self->expiring_before;
  self->query.due_within = self->due_within;
  self->query.sort = self->sort;
  self->query.descending = self->descending;
}

/* Reload the cached copies of items that changed without moving, every
 * loaded page when many changed. */
static void
reload_changed (GkItemList *self,
                GHashTable *changed_ids,
                gboolean    many)
{
  GHashTableIter iter;
  gpointer key, value;
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Page *page = value;
      guint first = GPOINTER_TO_UINT (key) * GK_ITEM_LIST_PAGE_SIZE;

      for (guint i = 0; i < page->items->len; i++)
        {
          GkItem *item = g_ptr_array_index (page->items, i);
          guint position = first + i;

          if (item->id != NULL &&
              (many || (changed_ids != NULL && g_hash_table_contains (changed_ids, item->id))))
            {
              g_ptr_array_add (targets, g_object_ref (item));
              g_array_append_val (positions, position);
            }
        }
    }
  if (targets->len > 0)
    start_load (self, G_MAXUINT, targets, positions);
}

static void
on_ids_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GkItemList) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) changed_ids = NULL;
  g_auto(GStrv) old_ids = NULL;
  GStrv new_ids;
  gboolean many;
  guint n_old, n_new, prefix = 0, suffix = 0, removed, added;

  new_ids = gk_store_query_ids_finish (GK_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* a newer query is on its way */

  g_clear_object (&self->query_cancellable);
  changed_ids = g_steal_pointer (&self->pending_ids);
  many = self->pending_many;
  self->pending_many = FALSE;

  g_clear_error (&self->error);
  if (new_ids == NULL)
    {
      if (error != NULL)
        {
          g_warning ("Could not list items: %s", error->message);
          self->error = g_steal_pointer (&error);
        }
      new_ids = g_new0 (char *, 1);
    }

  old_ids = g_steal_pointer (&self->ids);
  n_old = self->n_ids;
  n_new = g_strv_length (new_ids);
  self->ids = new_ids;
  self->n_ids = n_new;

  while (prefix < MIN (n_old, n_new) && strcmp (old_ids[prefix], new_ids[prefix]) == 0)
    prefix++;
  while (suffix < MIN (n_old, n_new) - prefix &&
         strcmp (old_ids[n_old - 1 - suffix], new_ids[n_new - 1 - suffix]) == 0)
    suffix++;
  removed = n_old - prefix - suffix;
  added = n_new - prefix - suffix;

  if (removed > 0 || added > 0)
    {
      /* Positions moved: cached pages no longer line up. */
      drop_pages (self);
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
    }
  else
    reload_changed (self, changed_ids, many);

  if (self->n_loads == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
requery (GkItemList *self,
         GHashTable *changed_ids,
         gboolean    many)
{
  gboolean was_loading = gk_item_list_is_loading (self);

  /* What changed is remembered until a query lands. */
  if (many)
    self->pending_many = TRUE;
  if (changed_ids != NULL && g_hash_table_size (changed_ids) > 0)
    {
      GHashTableIter iter;
      gpointer id;

      if (self->pending_ids == NULL)
        self->pending_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_iter_init (&iter, changed_ids);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        g_hash_table_add (self->pending_ids, g_strdup (id));
    }

  if (self->freeze_count > 0)
    {
      self->dirty_while_frozen = TRUE;
      return;
    }

  /* Only the newest query's answer counts. */
  if (self->query_cancellable != NULL)
    g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  self->query_cancellable = g_cancellable_new ();

  sync_query (self);
  gk_store_query_ids_async (self->store, &self->query, self->query_cancellable,
                            on_ids_cb, g_object_ref (self));
  if (!was_loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Store changes (on the main context the store was opened in, which is
 * the list's) */

static gboolean
dispatch_pending_cb (gpointer data)
{
  GkItemList *self = data;
  g_autoptr(GHashTable) ids = g_steal_pointer (&self->changed_ids);
  gboolean many = self->changed_many;

  self->changed_many = FALSE;
  self->coalesce_source = 0;
  requery (self, ids, many);
  return G_SOURCE_REMOVE;
}

static void
on_store_items_changed_cb (GkStore    *store,
                           const char *item_id,
                           GkItemList *self)
{
  if (item_id == NULL)
    self->changed_many = TRUE;
  else
    {
      if (self->changed_ids == NULL)
        self->changed_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_add (self->changed_ids, g_strdup (item_id));
    }
  /* Bursts (an import of many files) become one query. */
  if (self->coalesce_source == 0)
    {
      self->coalesce_source = g_timeout_add (COALESCE_MS, dispatch_pending_cb, self);
      g_source_set_name_by_id (self->coalesce_source, "[gongkai] item list refresh");
    }
}

static void
set_string (GkItemList  *self,
            char       **field,
            const char  *value)
{
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  requery (self, NULL, FALSE);
}

/* GListModel */

static GType
gk_item_list_get_item_type (GListModel *model)
{
  return GK_TYPE_ITEM;
}

static guint
gk_item_list_get_n_items (GListModel *model)
{
  return GK_ITEM_LIST (model)->n_ids;
}

static gpointer
gk_item_list_get_item (GListModel *model,
                       guint       position)
{
  GkItemList *self = GK_ITEM_LIST (model);
  GPtrArray *items;

  if (position >= self->n_ids)
    return NULL;
  items = get_page (self, position / GK_ITEM_LIST_PAGE_SIZE);
  return g_object_ref (g_ptr_array_index (items, position % GK_ITEM_LIST_PAGE_SIZE));
}

static void
gk_item_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = gk_item_list_get_item_type;
  iface->get_n_items = gk_item_list_get_n_items;
  iface->get_item = gk_item_list_get_item;
}

/* GObject */

static void
gk_item_list_constructed (GObject *object)
{
  GkItemList *self = GK_ITEM_LIST (object);

  G_OBJECT_CLASS (gk_item_list_parent_class)->constructed (object);

  g_assert (GK_IS_STORE (self->store));

  /* The store announces on the main context it was opened in; a list
   * lives there too. */
  self->changed_handler =
    g_signal_connect (self->store, "items-changed",
                      G_CALLBACK (on_store_items_changed_cb), self);
  requery (self, NULL, FALSE);
}

static void
gk_item_list_dispose (GObject *object)
{
  GkItemList *self = GK_ITEM_LIST (object);

  if (self->store != NULL && self->changed_handler != 0)
    g_clear_signal_handler (&self->changed_handler, self->store);
  g_clear_handle_id (&self->coalesce_source, g_source_remove);
  if (self->query_cancellable != NULL)
    g_cancellable_cancel (self->query_cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (gk_item_list_parent_class)->dispose (object);
}

static void
gk_item_list_finalize (GObject *object)
{
  GkItemList *self = GK_ITEM_LIST (object);

  g_clear_object (&self->query_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->changed_ids, g_hash_table_unref);
  g_clear_pointer (&self->pending_ids, g_hash_table_unref);
  g_clear_pointer (&self->ids, g_strfreev);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->recycled, g_hash_table_unref);
  g_queue_clear (&self->lru);
  g_clear_error (&self->error);
  g_free (self->stage);
  g_free (self->tag);
  g_free (self->category);
  g_free (self->text);
  g_free (self->created_by);
  g_free (self->from_date);
  g_free (self->to_date);
  g_free (self->expiring_before);
  g_free (self->sort);

  G_OBJECT_CLASS (gk_item_list_parent_class)->finalize (object);
}

static void
gk_item_list_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GkItemList *self = GK_ITEM_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, gk_item_list_is_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_item_list_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  GkItemList *self = GK_ITEM_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_START_FROZEN:
      if (g_value_get_boolean (value))
        {
          /* The first query waits for the filters (see
           * gk_item_list_new_with_query()). */
          self->freeze_count = 1;
          self->dirty_while_frozen = TRUE;
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_item_list_class_init (GkItemListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gk_item_list_constructed;
  object_class->dispose = gk_item_list_dispose;
  object_class->finalize = gk_item_list_finalize;
  object_class->get_property = gk_item_list_get_property;
  object_class->set_property = gk_item_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, GK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_START_FROZEN] =
    g_param_spec_boolean ("start-frozen", NULL, NULL, FALSE,
                          G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * GkItemList:loading:
   *
   * Whether a query or a page is on its way from the store.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gk_item_list_init (GkItemList *self)
{
  self->ids = g_new0 (char *, 1);
  self->pages = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, page_free);
  /* Keys point into the values. */
  self->recycled = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->load_cancellable = g_cancellable_new ();
  g_queue_init (&self->lru);
}

/* Public API */

/**
 * gk_item_list_new:
 * @store: the library
 *
 * Makes a list of every item (the store's default order), queried at once.
 * Changes to the store are followed on the calling thread's main context.
 *
 * Returns: (transfer full): a new #GkItemList
 */
GkItemList *
gk_item_list_new (GkStore *store)
{
  g_return_val_if_fail (GK_IS_STORE (store), NULL);

  return g_object_new (GK_TYPE_ITEM_LIST, "store", store, NULL);
}

/**
 * gk_item_list_new_with_query:
 * @store: the library
 * @query: (nullable): the filters and order, copied
 *
 * Like gk_item_list_new() followed by gk_item_list_set_query(), but
 * queries the store once instead of twice (on 100,000 items the first,
 * unfiltered query costs tens of milliseconds).
 *
 * Returns: (transfer full): a new list
 */
GkItemList *
gk_item_list_new_with_query (GkStore       *store,
                             const GkQuery *query)
{
  GkItemList *self;

  g_return_val_if_fail (GK_IS_STORE (store), NULL);

  self = g_object_new (GK_TYPE_ITEM_LIST, "store", store, "start-frozen", TRUE, NULL);
  gk_item_list_set_query (self, query);
  gk_item_list_thaw (self);
  return self;
}

/**
 * gk_item_list_get_store:
 * @self: a list
 *
 * Returns: (transfer none): the store the list reads
 */
GkStore *
gk_item_list_get_store (GkItemList *self)
{
  g_return_val_if_fail (GK_IS_ITEM_LIST (self), NULL);

  return self->store;
}

/**
 * gk_item_list_set_state:
 * @self: a list
 * @state: the items' state (%GK_QUERY_ANY_STATE: every item)
 *
 * Shows only items in @state.
 */
void
gk_item_list_set_state (GkItemList *self, GkQueryState state)
{
  g_return_if_fail (GK_IS_ITEM_LIST (self));

  if (self->state == state)
    return;
  self->state = state;
  requery (self, NULL, FALSE);
}

/**
 * gk_item_list_set_stage:
 * @self: a list
 * @stage: (nullable): confidentiality or release
 *
 * Shows only items in this review stage.
 */
void
gk_item_list_set_stage (GkItemList *self,
                        const char *stage)
{
  g_return_if_fail (GK_IS_ITEM_LIST (self));
  set_string (self, &self->stage, stage);
}

/**
 * gk_item_list_set_tag:
 * @self: a list
 * @tag: (nullable): a tag name from the catalog
 *
 * Shows only items with this tag.
 */
void
gk_item_list_set_tag (GkItemList *self,
                      const char *tag)
{
  g_return_if_fail (GK_IS_ITEM_LIST (self));
  set_string (self, &self->tag, tag);
}

/**
 * gk_item_list_set_category:
 * @self: a list
 * @category: (nullable): a category value
 *
 * Shows only items of this category.
 */
void
gk_item_list_set_category (GkItemList *self,
                           const char *category)
{
  g_return_if_fail (GK_IS_ITEM_LIST (self));
  set_string (self, &self->category, category);
}

/**
 * gk_item_list_set_text:
 * @self: a list
 * @text: (nullable): words to search for in title, 文号, issuer and body
 *
 * Shows only items the full-text search finds.
 */
void
gk_item_list_set_text (GkItemList *self,
                       const char *text)
{
  g_autofree char *stripped = text ? g_strstrip (g_strdup (text)) : NULL;

  g_return_if_fail (GK_IS_ITEM_LIST (self));
  set_string (self, &self->text, stripped);
}

/**
 * gk_item_list_set_created_by:
 * @self: a list
 * @user: (nullable): who imported the items
 *
 * Shows only items @user created ("My drafts").
 */
void
gk_item_list_set_created_by (GkItemList *self,
                             const char *user)
{
  g_return_if_fail (GK_IS_ITEM_LIST (self));
  set_string (self, &self->created_by, user);
}

/**
 * gk_item_list_set_date_range:
 * @self: a list
 * @from_date: (nullable): earliest 成文日期, YYYY-MM-DD
 * @to_date: (nullable): latest 成文日期, YYYY-MM-DD
 *
 * Shows only items written in this range.
 */
void
gk_item_list_set_date_range (GkItemList *self,
                             const char *from_date,
                             const char *to_date)
{
  g_return_if_fail (GK_IS_ITEM_LIST (self));

  gk_item_list_freeze (self);
  set_string (self, &self->from_date, from_date);
  set_string (self, &self->to_date, to_date);
  gk_item_list_thaw (self);
}

/**
 * gk_item_list_set_expiring_before:
 * @self: a list
 * @date: (nullable): YYYY-MM-DD
 *
 * Shows only items whose 有效期至 is between today and @date.
 */
void
gk_item_list_set_expiring_before (GkItemList *self,
                                  const char *date)
{
  g_return_if_fail (GK_IS_ITEM_LIST (self));
  set_string (self, &self->expiring_before, date);
}

/**
 * gk_item_list_set_due_within:
 * @self: a list
 * @working_days: 0 for no filter
 *
 * Shows only unpublished items due within this many working days
 * (overdue ones included).
 */
void
gk_item_list_set_due_within (GkItemList *self,
                             int         working_days)
{
  g_return_if_fail (GK_IS_ITEM_LIST (self));

  if (self->due_within == working_days)
    return;
  self->due_within = working_days;
  requery (self, NULL, FALSE);
}

/**
 * gk_item_list_set_sort:
 * @self: a list
 * @sort: (nullable): a sort key of #GkQuery
 * @descending: reverse the order
 *
 * Orders the list; the store sorts, so this is cheap for any size.
 */
void
gk_item_list_set_sort (GkItemList *self,
                       const char *sort,
                       gboolean    descending)
{
  g_return_if_fail (GK_IS_ITEM_LIST (self));

  descending = !!descending;
  if (self->descending == descending && g_strcmp0 (self->sort, sort) == 0)
    return;
  self->descending = descending;
  g_free (self->sort);
  self->sort = g_strdup (sort);
  requery (self, NULL, FALSE);
}

/**
 * gk_item_list_set_query:
 * @self: a list
 * @query: (nullable): all filters and the order, copied
 *
 * Replaces every filter at once and queries once.
 */
void
gk_item_list_set_query (GkItemList    *self,
                        const GkQuery *query)
{
  GkQuery empty = { 0 };

  g_return_if_fail (GK_IS_ITEM_LIST (self));

  if (query == NULL)
    query = &empty;

  gk_item_list_freeze (self);
  gk_item_list_set_state (self, query->state);
  set_string (self, &self->stage, query->stage);
  set_string (self, &self->tag, query->tag);
  set_string (self, &self->category, query->category);
  set_string (self, &self->text, query->text);
  set_string (self, &self->created_by, query->created_by);
  set_string (self, &self->from_date, query->from_date);
  set_string (self, &self->to_date, query->to_date);
  set_string (self, &self->expiring_before, query->expiring_before);
  gk_item_list_set_due_within (self, query->due_within);
  gk_item_list_set_sort (self, query->sort, query->descending);
  gk_item_list_thaw (self);
}

/**
 * gk_item_list_get_query:
 * @self: a list
 *
 * Returns: (transfer none): the current filters and order
 */
const GkQuery *
gk_item_list_get_query (GkItemList *self)
{
  g_return_val_if_fail (GK_IS_ITEM_LIST (self), NULL);

  sync_query (self);
  return &self->query;
}

/**
 * gk_item_list_freeze:
 * @self: a list
 *
 * Holds queries back until the matching gk_item_list_thaw().
 */
void
gk_item_list_freeze (GkItemList *self)
{
  g_return_if_fail (GK_IS_ITEM_LIST (self));

  self->freeze_count++;
}

/**
 * gk_item_list_thaw:
 * @self: a list
 *
 * Queries once if a setter changed something while frozen.
 */
void
gk_item_list_thaw (GkItemList *self)
{
  g_return_if_fail (GK_IS_ITEM_LIST (self));
  g_return_if_fail (self->freeze_count > 0);

  if (--self->freeze_count == 0 && self->dirty_while_frozen)
    {
      self->dirty_while_frozen = FALSE;
      requery (self, NULL, FALSE);
    }
}

/**
 * gk_item_list_refresh:
 * @self: a list
 *
 * Queries again now and reloads every cached item.
 */
void
gk_item_list_refresh (GkItemList *self)
{
  g_return_if_fail (GK_IS_ITEM_LIST (self));

  requery (self, NULL, TRUE);
}

/**
 * gk_item_list_find:
 * @self: a list
 * @id: an item id
 *
 * Returns: the position of @id, or %G_MAXUINT when it is not listed
 */
guint
gk_item_list_find (GkItemList *self,
                   const char *id)
{
  g_return_val_if_fail (GK_IS_ITEM_LIST (self), G_MAXUINT);

  if (id == NULL)
    return G_MAXUINT;
  for (guint i = 0; i < self->n_ids; i++)
    if (strcmp (self->ids[i], id) == 0)
      return i;
  return G_MAXUINT;
}

/**
 * gk_item_list_get_id:
 * @self: a list
 * @position: a position
 *
 * Returns: (nullable): the id at @position, without loading the item
 */
const char *
gk_item_list_get_id (GkItemList *self,
                     guint       position)
{
  g_return_val_if_fail (GK_IS_ITEM_LIST (self), NULL);

  return position < self->n_ids ? self->ids[position] : NULL;
}

/**
 * gk_item_list_is_loading:
 * @self: a list
 *
 * Returns: whether a query or a page is on its way from the store
 */
gboolean
gk_item_list_is_loading (GkItemList *self)
{
  g_return_val_if_fail (GK_IS_ITEM_LIST (self), FALSE);

  return self->query_cancellable != NULL || self->n_loads > 0;
}

/**
 * gk_item_list_get_error:
 * @self: a list
 *
 * Returns: (nullable): why the last query failed
 */
const GError *
gk_item_list_get_error (GkItemList *self)
{
  g_return_val_if_fail (GK_IS_ITEM_LIST (self), NULL);

  return self->error;
}
