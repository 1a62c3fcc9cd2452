/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiContext"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-context.h"

struct _GkContext
{
  GObject     parent_instance;

  char       *library_path;
  char       *user;
  GkStore    *store;
  GkCalendar *calendar;
  GSettings  *settings;
};

G_DEFINE_FINAL_TYPE (GkContext, gk_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LIBRARY_PATH,
  PROP_USER,
  PROP_STORE,
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

  g_clear_object (&self->store);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gk_context_init (GkContext *self)
{
  self->settings = new_settings_if_installed ();
}

/**
 * gk_context_new:
 * @library_path: the library folder
 * @user: the acting user
 *
 * The library is not opened yet: see gk_context_open().
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

/**
 * gk_context_open:
 * @self: a context
 * @create: make the library when it does not exist
 * @error: return location for an error
 *
 * Opens the library.  A library made here has the acting user as its
 * first admin and drafter, as `gongkai-ctl init --admin` would.
 *
 * Returns: %TRUE when the store is open
 */
gboolean
gk_context_open (GkContext *self,
                 gboolean   create,
                 GError   **error)
{
  g_autoptr(GkStore) store = NULL;
  gboolean existed;

  g_return_val_if_fail (GK_IS_CONTEXT (self), FALSE);

  if (self->store != NULL)
    return TRUE;

  existed = g_file_test (self->library_path, G_FILE_TEST_IS_DIR);
  store = gk_store_open (self->library_path, create, error);
  if (store == NULL)
    return FALSE;

  if (create && !existed &&
      !gk_store_add_first_admin (store, self->user, self->user, TRUE, error))
    return FALSE;

  g_set_object (&self->store, store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  return TRUE;
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
 * Returns: (transfer none): the working-day calendar, loaded on first use
 */
GkCalendar *
gk_context_get_calendar (GkContext *self)
{
  g_return_val_if_fail (GK_IS_CONTEXT (self), NULL);

  if (self->calendar == NULL)
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

  if (self->store == NULL)
    return GK_ROLE_NONE;
  return gk_store_get_roles (self->store, self->user);
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

  if (self->store != NULL)
    return gk_store_get_member (self->store, self->user);
  member = g_new0 (GkMember, 1);
  member->user = g_strdup (self->user);
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

  rules->review_stages = 2;
  if (self->store != NULL)
    gk_store_get_policy_rules (self->store, rules);
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
    case GK_ERROR_DETAIL_NO_PORTAL_URL:
      return _("An admin sets the portal address under Portal on the Sync page.");
    case GK_ERROR_DETAIL_INSECURE_URL:
      return _("Use an https:// address, or turn on “Allow unencrypted connections” on the Preferences page of Administration.");
    case GK_ERROR_DETAIL_UNKNOWN_CA:
      return _("An admin chooses the agency’s CA file under Portal on the Sync page.");
    case GK_ERROR_DETAIL_CONFLICT_UNDECIDED:
      return _("An admin decides it under Conflicts on the Sync page.");
    case GK_ERROR_DETAIL_NO_SUCH_FINDING:
      return _("Its findings are listed under Findings on the Review page.");
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
