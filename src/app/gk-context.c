/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiContext"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-context.h"
#include "gk-store-async.h"

struct _GkContext
{
  GObject       parent_instance;

  char         *library_path;
  char         *user;
  GkStore      *store;
  GkCalendar   *calendar;
  GSettings    *settings;

  /* The members as last read: roles are answered from here, without
   * asking the store on the main thread. */
  GPtrArray    *members;      /* GkMember* */
  GkRole        roles;        /* of user */
  int           review_stages; /* as last read */
  GCancellable *cancellable;
  gboolean      members_loading;
  gboolean      members_dirty;
};

G_DEFINE_FINAL_TYPE (GkContext, gk_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LIBRARY_PATH,
  PROP_USER,
  PROP_STORE,
  PROP_ROLES,
  PROP_MEMBERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GSettings *
new_settings_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed: window size and "
                 "layout will not be remembered.", APPLICATION_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static void
gk_context_finalize (GObject *object)
{
  GkContext *self = GK_CONTEXT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->members, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->calendar, gk_calendar_unref);
  g_free (self->library_path);
  g_free (self->user);

  G_OBJECT_CLASS (gk_context_parent_class)->finalize (object);
}

static void
gk_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GkContext *self = GK_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_LIBRARY_PATH:
      g_value_set_string (value, self->library_path);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_ROLES:
      g_value_set_uint (value, self->roles);
      break;
    case PROP_MEMBERS:
      g_value_set_boxed (value, self->members);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_context_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  GkContext *self = GK_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_LIBRARY_PATH:
      self->library_path = g_value_dup_string (value);
      break;
    case PROP_USER:
      gk_context_set_user (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_context_class_init (GkContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gk_context_finalize;
  object_class->get_property = gk_context_get_property;
  object_class->set_property = gk_context_set_property;

  properties[PROP_LIBRARY_PATH] =
    g_param_spec_string ("library-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, GK_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * GkContext:roles:
   *
   * The acting user's roles (a #GkRole mask), as last read from the
   * library: notified when a switch of user or a change of the members
   * changes them.
   */
  /**
   * GkContext:members:
   *
   * The members as last read (GkMember*): notified after each read.
   */
  properties[PROP_MEMBERS] =
    g_param_spec_boxed ("members", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLES] =
    g_param_spec_uint ("roles", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gk_context_init (GkContext *self)
{
  self->settings = new_settings_if_installed ();
  self->cancellable = g_cancellable_new ();
  self->review_stages = 2;
}

static GkRole
roles_of (GkContext  *self,
          const char *user)
{
  for (guint i = 0; self->members != NULL && i < self->members->len; i++)
    {
      GkMember *member = g_ptr_array_index (self->members, i);

      if (g_strcmp0 (member->user, user) == 0)
        return member->roles;
    }
  return GK_ROLE_NONE;
}

static void
update_roles (GkContext *self)
{
  GkRole roles = roles_of (self, self->user);

  if (roles == self->roles)
    return;
  self->roles = roles;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLES]);
}

static void load_members (GkContext *self, GTask *task);

static void
on_members_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkContext *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = gk_store_list_members_finish (GK_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->members_loading = FALSE;
  if (members != NULL)
    {
      g_clear_pointer (&self->members, g_ptr_array_unref);
      self->members = g_steal_pointer (&members);
      update_roles (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBERS]);
    }
  else
    g_warning ("Could not read the members: %s", error->message);

  if (self->members_dirty)
    {
      self->members_dirty = FALSE;
      load_members (self, NULL);
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_rules_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  GkContext *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) values = gk_store_get_settings_finish (GK_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (values != NULL)
    {
      const char *stages = g_hash_table_lookup (values, "review_stages");

      self->review_stages = stages != NULL && g_str_equal (stages, "1") ? 1 : 2;
    }
  /* Then the members: whoever hears "roles" or "store" sees both. */
  gk_store_list_members_async (self->store, self->cancellable, on_members_cb, task);
}

/* One read in flight at a time; a change meanwhile reads once more.
 * The settings the policy needs are read first, then the members. */
static void
load_members (GkContext *self,
              GTask     *task)
{
  static const char *keys[] = { "review_stages", NULL };

  if (self->members_loading)
    {
      self->members_dirty = TRUE;
      g_clear_object (&task);
      return;
    }
  if (task == NULL)
    task = g_task_new (self, self->cancellable, NULL, NULL);
  self->members_loading = TRUE;
  gk_store_get_settings_async (self->store, keys, self->cancellable, on_rules_cb, task);
}

static void
on_library_changed_cb (GkStore   *store,
                       GkContext *self)
{
  load_members (self, NULL);
}

/**
 * gk_context_new:
 * @library_path: the library folder
 * @user: the acting user
 *
 * The library is not opened yet: see gk_context_open_async().
 *
 * Returns: (transfer full): a new context
 */
GkContext *
gk_context_new (const char *library_path,
                const char *user)
{
  g_return_val_if_fail (library_path != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  return g_object_new (GK_TYPE_CONTEXT,
                       "library-path", library_path,
                       "user", user,
                       NULL);
}

/**
 * gk_context_get_library_path:
 * @self: a context
 *
 * Returns: the library folder
 */
const char *
gk_context_get_library_path (GkContext *self)
{
  g_return_val_if_fail (GK_IS_CONTEXT (self), NULL);

  return self->library_path;
}

/**
 * gk_context_get_user:
 * @self: a context
 *
 * Returns: the acting user
 */
const char *
gk_context_get_user (GkContext *self)
{
  g_return_val_if_fail (GK_IS_CONTEXT (self), NULL);

  return self->user;
}

/**
 * gk_context_set_user:
 * @self: a context
 * @user: the member who acts from now on
 *
 * Everything done afterwards is done (and audited) as @user.
 */
void
gk_context_set_user (GkContext  *self,
                     const char *user)
{
  g_return_if_fail (GK_IS_CONTEXT (self));
  g_return_if_fail (user != NULL && *user != '\0');

  if (g_strcmp0 (self->user, user) == 0)
    return;
  g_free (self->user);
  self->user = g_strdup (user);
  /* The roles come from the members already read: the switch is at
   * once and whoever hears "user" sees the new roles. */
  self->roles = roles_of (self, self->user);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

static void
on_first_members_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkContext *self = g_task_get_source_object (task);

  if (g_task_return_error_if_cancelled (task))
    return;
  /* Now the store is complete for whoever hears "store". */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  g_task_return_boolean (task, TRUE);
}

static void
on_opened_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkContext *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(GkStore) store = gk_store_open_finish (result, &error);

  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->store != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_set_object (&self->store, store);
  /* Another gongkai-ctl or window writing the same library shows here. */
  gk_store_watch_other_writers (store);
  g_signal_connect (store, "library-changed", G_CALLBACK (on_library_changed_cb), self);
  load_members (self, g_task_new (self, self->cancellable, on_first_members_cb,
                                  g_steal_pointer (&task)));
}

/**
 * gk_context_open_async:
 * @self: a context
 * @create: make the library when it does not exist
 *
 * Opens the library in the background.  A library made here has the
 * acting user as its first admin and drafter, as `gongkai-ctl init
 * --admin` would.  "store" is notified once it is open and its members
 * are read.  Fails with GK_ERROR_NOT_FOUND when it does not exist and
 * create is FALSE.
 */
void
gk_context_open_async (GkContext          *self,
                       gboolean            create,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GK_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_context_open_async);
  if (self->store != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  gk_store_open_async (self->library_path, create, self->user, cancellable,
                       on_opened_cb, g_steal_pointer (&task));
}

gboolean
gk_context_open_finish (GkContext    *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gk_context_get_store:
 * @self: a context
 *
 * Returns: (transfer none) (nullable): the open store
 */
GkStore *
gk_context_get_store (GkContext *self)
{
  g_return_val_if_fail (GK_IS_CONTEXT (self), NULL);

  return self->store;
}

/**
 * gk_context_new_importer:
 * @self: a context with an open store
 *
 * Returns: (transfer full): an importer acting as the user
 */
GkImporter *
gk_context_new_importer (GkContext *self)
{
  g_return_val_if_fail (GK_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);

  return gk_importer_new (self->store, self->user);
}

/**
 * gk_context_get_calendar:
 * @self: a context
 *
 * The library's calendar as the store holds it now (it is built again
 * when the library's years change), or the shipped one before a library
 * is open.
 *
 * Returns: (transfer none): the working-day calendar, valid until the
 *   next call
 */
GkCalendar *
gk_context_get_calendar (GkContext *self)
{
  g_return_val_if_fail (GK_IS_CONTEXT (self), NULL);

  if (self->store != NULL)
    {
      g_autoptr (GkCalendar) now = gk_store_get_calendar (self->store);

      if (now != self->calendar)
        {
          g_clear_pointer (&self->calendar, gk_calendar_unref);
          self->calendar = g_steal_pointer (&now);
        }
    }
  else if (self->calendar == NULL)
    self->calendar = gk_calendar_new_default ();
  return self->calendar;
}

/**
 * gk_context_get_roles:
 * @self: a context
 *
 * Returns: the acting user's roles (none before the library is open)
 */
GkRole
gk_context_get_roles (GkContext *self)
{
  g_return_val_if_fail (GK_IS_CONTEXT (self), GK_ROLE_NONE);

  return self->store != NULL ? self->roles : GK_ROLE_NONE;
}

/**
 * gk_context_get_members:
 * @self: a context
 *
 * Returns: (transfer none) (element-type GkMember) (nullable): the
 *   members as last read (kept current through "library-changed")
 */
GPtrArray *
gk_context_get_members (GkContext *self)
{
  g_return_val_if_fail (GK_IS_CONTEXT (self), NULL);

  return self->members;
}

/**
 * gk_context_get_roles_of:
 * @self: a context
 * @user: a user name
 *
 * Returns: the roles of @user among the members as last read
 *   (%GK_ROLE_NONE for someone who is not a member)
 */
GkRole
gk_context_get_roles_of (GkContext  *self,
                         const char *user)
{
  g_return_val_if_fail (GK_IS_CONTEXT (self), GK_ROLE_NONE);

  return roles_of (self, user);
}

/**
 * gk_context_reload_members:
 * @self: a context
 *
 * Reads the members again in the background ("members" notifies; a
 * reload asked for while one runs runs once after it).
 */
void
gk_context_reload_members (GkContext *self)
{
  g_return_if_fail (GK_IS_CONTEXT (self));

  if (self->store != NULL)
    load_members (self, NULL);
}

/**
 * gk_context_is_loading_members:
 * @self: a context
 *
 * Returns: whether the members are being read
 */
gboolean
gk_context_is_loading_members (GkContext *self)
{
  g_return_val_if_fail (GK_IS_CONTEXT (self), FALSE);

  return self->members_loading;
}

/**
 * gk_context_get_member:
 * @self: a context
 *
 * Returns: (transfer full): the acting user with their roles (none
 *   before the library is open)
 */
GkMember *
gk_context_get_member (GkContext *self)
{
  GkMember *member;

  g_return_val_if_fail (GK_IS_CONTEXT (self), NULL);

  /* From the members as last read: no store call on the main thread. */
  member = g_new0 (GkMember, 1);
  member->user = g_strdup (self->user);
  member->roles = self->store != NULL ? self->roles : GK_ROLE_NONE;
  return member;
}

/**
 * gk_context_get_policy_rules:
 * @self: a context
 * @rules: (out caller-allocates): the library's workflow settings
 */
void
gk_context_get_policy_rules (GkContext     *self,
                             GkPolicyRules *rules)
{
  g_return_if_fail (GK_IS_CONTEXT (self));

  rules->review_stages = self->review_stages == 1 ? 1 : 2;
}

/* The window's remedy for a refusal: where to go and what to press. */
static const char *
remedy_for (const GError *error)
{
  switch (gk_error_get_detail (error))
    {
    case GK_ERROR_DETAIL_MISSING_ROLE:
    case GK_ERROR_DETAIL_NOT_A_MEMBER:
      return _("An admin can grant roles on the Members page of Administration.");
    case GK_ERROR_DETAIL_NO_TOKEN:
    case GK_ERROR_DETAIL_KEYRING_UNAVAILABLE:
      return _("Enter the access token under Portal on the Sync page.");
    case GK_ERROR_DETAIL_KEYRING_LOCKED:
      return _ ("Press “Unlock…” on the Sync page and give the keyring’s password.");
    case GK_ERROR_DETAIL_NO_PORTAL_URL:
      return _("An admin sets the portal address under Portal on the Sync page.");
    case GK_ERROR_DETAIL_INSECURE_URL:
      return _("Use an https:// address, or turn on “Allow unencrypted connections” on the Preferences page of Administration.");
    case GK_ERROR_DETAIL_UNKNOWN_CA:
      return _("An admin chooses the agency’s CA file under Portal on the Sync page.");
    case GK_ERROR_DETAIL_CONFLICT_UNDECIDED:
      return _("An admin decides it under Conflicts on the Sync page.");
    case GK_ERROR_DETAIL_NO_SUCH_FINDING:
      return _("Its findings are listed under Screening Findings on the Review Queue page.");
    case GK_ERROR_DETAIL_PORTAL_DIFFERS:
    case GK_ERROR_DETAIL_NO_LIBRARY:
    case GK_ERROR_DETAIL_BAD_FINDING_NUMBER:
    case GK_ERROR_DETAIL_REASON_REQUIRED:
    case GK_ERROR_DETAIL_NONE:
    default:
      return NULL;
    }
}

/**
 * gk_context_error_text:
 * @error: an error from the core
 *
 * Returns: (transfer full): what the window shows for @error
 */
char *
gk_context_error_text (const GError *error)
{
  const char *remedy;

  g_return_val_if_fail (error != NULL, NULL);

  remedy = remedy_for (error);
  if (remedy == NULL)
    return g_strdup (error->message);
  return g_strdup_printf ("%s %s", error->message, remedy);
}

/**
 * gk_context_can:
 * @self: a context
 * @action: what the acting user wants to do
 * @item: (nullable): the item, as the store gave it (findings, history)
 * @reason: (out) (optional) (nullable) (transfer full): why not, with
 *   the window's remedy
 *
 * Returns: %TRUE if the policy allows it
 */
gboolean
gk_context_can (GkContext *self,
                GkAction   action,
                GkItem    *item,
                char     **reason)
{
  g_autoptr(GkMember) member = NULL;
  g_autoptr(GError) error = NULL;
  GkPolicyRules rules;

  g_return_val_if_fail (GK_IS_CONTEXT (self), FALSE);

  member = gk_context_get_member (self);
  gk_context_get_policy_rules (self, &rules);
  if (gk_policy_check (&rules, member, action, item, &error))
    {
      if (reason != NULL)
        *reason = NULL;
      return TRUE;
    }
  if (reason != NULL)
    *reason = gk_context_error_text (error);
  return FALSE;
}

/**
 * gk_context_describe_roles:
 * @self: a context
 *
 * Returns: (transfer full): the user's roles in words, for the header bar
 */
char *
gk_context_describe_roles (GkContext *self)
{
  static const struct { GkRole role; const char *label; } names[] = {
    { GK_ROLE_ADMIN, N_("Admin") },
    { GK_ROLE_DRAFTER, N_("Drafter") },
    { GK_ROLE_REVIEWER, N_("Reviewer") },
    { GK_ROLE_PUBLISHER, N_("Publisher") },
  };
  g_autoptr(GString) text = g_string_new (NULL);
  GkRole roles = gk_context_get_roles (self);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (roles & names[i].role)
      {
        if (text->len > 0)
          /* Translators: separates role names, "Admin, Drafter" */
          g_string_append (text, _(", "));
        g_string_append (text, _(names[i].label));
      }
  if (text->len == 0)
    return g_strdup (_("Not a member of this library"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * gk_context_get_settings:
 * @self: a context
 *
 * Returns: (transfer none) (nullable): the application settings
 */
GSettings *
gk_context_get_settings (GkContext *self)
{
  g_return_val_if_fail (GK_IS_CONTEXT (self), NULL);

  return self->settings;
}
