/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiToken"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gk-policy.h"
#include "gk-token.h"

/* Where the portal token comes from.  The token is a secret: no message
 * built here contains it, and every buffer that held it is wiped. */

#define MAX_TOKEN_FILE_BYTES (64 * 1024)
#define MAX_TOKEN_CHARS 4096

static const SecretSchema token_schema = {
  GK_TOKEN_SCHEMA_NAME,
  SECRET_SCHEMA_NONE,
  {
    { "portal", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* helpers */

static void
wipe (char  *buffer,
      gsize  len)
{
  volatile char *p = buffer;

  while (len-- > 0)
    *p++ = 0;
}

static char *
normalize_url (const char *portal_url)
{
  char *url = g_strstrip (g_strdup (portal_url ? portal_url : ""));
  gsize len = strlen (url);

  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  return url;
}

/* The first line of text, trimmed, as a new string. */
static char *
first_line_trimmed (const char *text,
                    gsize       len)
{
  gsize start = 0;
  gsize end;

  while (start < len && g_ascii_isspace (text[start]))
    start++;
  end = start;
  while (end < len && text[end] != '\n' && text[end] != '\r')
    end++;
  while (end > start && g_ascii_isspace (text[end - 1]))
    end--;
  return g_strndup (text + start, end - start);
}

static void
set_keyring_error (GError     **error,
                   const GError *cause)
{
  gk_set_error_detail (error, GK_ERROR_FAILED, GK_ERROR_DETAIL_KEYRING_UNAVAILABLE,
                       _("The keyring (Secret Service) is not available: %s."),
                       cause != NULL ? cause->message : _("no answer"));
}

/* public API */

/**
 * gk_token_source_to_string:
 * @source: where a token came from
 *
 * Returns: a short name ("file", "environment", "keyring" or "none")
 */
const char *
gk_token_source_to_string (GkTokenSource source)
{
  switch (source)
    {
    case GK_TOKEN_SOURCE_FILE:
      return "file";
    case GK_TOKEN_SOURCE_ENVIRONMENT:
      return "environment";
    case GK_TOKEN_SOURCE_KEYRING:
      return "keyring";
    case GK_TOKEN_SOURCE_NONE:
    default:
      return "none";
    }
}

/**
 * gk_token_free:
 * @token: (nullable): a token
 *
 * Overwrites the token with zeros, then frees it.
 */
void
gk_token_free (char *token)
{
  if (token == NULL)
    return;
  wipe (token, strlen (token));
  g_free (token);
}

/**
 * gk_token_is_valid:
 * @token: (nullable): text
 *
 * Returns: %TRUE if @token can go into an `Authorization: Bearer` header
 */
gboolean
gk_token_is_valid (const char *token)
{
  gsize n = 0;

  if (token == NULL || *token == '\0')
    return FALSE;
  for (const char *p = token; *p != '\0'; p++, n++)
    if ((guchar) *p < 0x21 || (guchar) *p > 0x7e)
      return FALSE;
  return n <= MAX_TOKEN_CHARS;
}

/**
 * gk_token_read_file:
 * @path: the token file
 * @warning: (out) (optional) (nullable): set when the file is readable by others
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): the token; free with gk_token_free()
 */
char *
gk_token_read_file (const char  *path,
                    char       **warning,
                    GError     **error)
{
  g_autofree char *display = NULL;
  char buffer[4096];
  GString *text;
  struct stat st;
  char *token;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  if (warning != NULL)
    *warning = NULL;
  display = g_filename_display_name (path);

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, GK_ERROR, saved == ENOENT ? GK_ERROR_NOT_FOUND : GK_ERROR_FAILED,
                   _("Cannot read the token file %s: %s."), display, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("The token file %s is not a regular file."), display);
      close (fd);
      return NULL;
    }
  if (st.st_size > MAX_TOKEN_FILE_BYTES)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("The token file %s is too large to hold a token."), display);
      close (fd);
      return NULL;
    }

  text = g_string_sized_new (256);
  for (;;)
    {
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                       _("Cannot read the token file %s: %s."), display, g_strerror (saved));
          close (fd);
          wipe (buffer, sizeof buffer);
          wipe (text->str, text->allocated_len);
          g_string_free (text, TRUE);
          return NULL;
        }
      if (n == 0)
        break;
      g_string_append_len (text, buffer, n);
      if (text->len > MAX_TOKEN_FILE_BYTES)
        break;
    }
  close (fd);
  wipe (buffer, sizeof buffer);

  token = first_line_trimmed (text->str, text->len);
  wipe (text->str, text->allocated_len);
  g_string_free (text, TRUE);

  if (*token == '\0')
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("The token file %s is empty."), display);
      gk_token_free (token);
      return NULL;
    }
  if (!gk_token_is_valid (token))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("The token file %s does not hold a usable token: a token is one line of "
                     "visible ASCII characters without spaces."), display);
      gk_token_free (token);
      return NULL;
    }

  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0 && warning != NULL)
    *warning = g_strdup_printf (_("The token file %s can be read by other users of this computer; "
                                  "make it private with “chmod 600”."), display);
  return token;
}

/**
 * gk_token_from_environment:
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): the token in $GONGKAI_PORTAL_TOKEN,
 *   or %NULL (without an error) when it is unset or empty
 */
char *
gk_token_from_environment (GError **error)
{
  const char *value = g_getenv (GK_TOKEN_ENV);
  char *token;

  if (value == NULL)
    return NULL;
  token = first_line_trimmed (value, strlen (value));
  if (*token == '\0')
    {
      gk_token_free (token);
      return NULL;
    }
  if (!gk_token_is_valid (token) || strchr (value, '\n') != NULL)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("The environment variable %s does not hold a usable token: a token is "
                     "visible ASCII characters without spaces."), GK_TOKEN_ENV);
      gk_token_free (token);
      return NULL;
    }
  return token;
}

/* Every item stored for the URL, locked ones too, with the secrets of
 * the unlocked ones: unlike secret_password_lookup(), a search without
 * SECRET_SEARCH_UNLOCK never prompts and tells a locked keyring (an item
 * without its secret) from one that holds nothing. */
#define LOOKUP_FLAGS (SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS)

static GHashTable *
url_attributes (const char *url)
{
  return secret_attributes_build (&token_schema, "portal", url, NULL);
}

/* A libsecret failure: a cancellation as it is, anything else as the
 * keyring being unavailable. */
static void
propagate_keyring_error (GError **error, GError *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, cause);
  else
    {
      set_keyring_error (error, cause);
      g_error_free (cause);
    }
}

/* The token among the items of a search, or NULL: without an error when
 * there are none, GK_ERROR_DETAIL_KEYRING_LOCKED when the only ones are
 * locked. */
static char *
token_from_items (GList *items, const char *url, GError **error)
{
  gboolean locked = FALSE;

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr (SecretValue) value = secret_item_get_secret (l->data);
      const char *text;
      char       *token;

      /* The search loads the secrets of unlocked items only. */
      if (value == NULL)
        {
          locked = TRUE;
          continue;
        }
      text = secret_value_get_text (value);
      token = text != NULL ? first_line_trimmed (text, strlen (text)) : NULL;
      if (!gk_token_is_valid (token))
        {
          g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                       _ ("The keyring entry for %s does not hold a usable token."), url);
          gk_token_free (token);
          return NULL;
        }
      return token;
    }
  if (locked)
    gk_set_error_detail (error, GK_ERROR_PERMISSION, GK_ERROR_DETAIL_KEYRING_LOCKED,
                         _ ("The keyring is locked: the portal token for %s cannot be read "
                            "until it is unlocked."),
                         url);
  return NULL;
}

static void
free_items (GList *items)
{
  g_list_free_full (items, g_object_unref);
}

/**
 * gk_token_keyring_lookup:
 * @portal_url: the portal's base URL
 * @cancellable: (nullable): a cancellable
 * @error: the error location
 *
 * Never prompts: a token kept in a locked keyring is
 * %GK_ERROR_PERMISSION with %GK_ERROR_DETAIL_KEYRING_LOCKED.
 *
 * Returns: (transfer full) (nullable): the stored token, or %NULL without
 *   an error when none is stored; free with gk_token_free()
 */
char *
gk_token_keyring_lookup (const char    *portal_url,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *url = normalize_url (portal_url);
  g_autoptr (GHashTable) attributes = url_attributes (url);
  g_autoptr (SecretService) service = NULL;
  GError *local_error = NULL;
  GList  *items;
  char *token;

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, cancellable, &local_error);
  if (service == NULL)
    {
      propagate_keyring_error (error, local_error);
      return NULL;
    }
  items = secret_service_search_sync (service, &token_schema, attributes, LOOKUP_FLAGS, cancellable,
                                      &local_error);
  if (local_error != NULL)
    {
      propagate_keyring_error (error, local_error);
      return NULL;
    }
  token = token_from_items (items, url, error);
  free_items (items);
  return token;
}

/* The keyring's side of gk_token_keyring_store(), after the policy said yes. */
static gboolean
store_unchecked (const char    *portal_url,
                 const char    *token,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autofree char *url = normalize_url (portal_url);
  g_autofree char *label = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!gk_token_is_valid (token))
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("This is not a usable token: a token is visible ASCII characters without spaces."));
      return FALSE;
    }
  if (*url == '\0')
    {
      g_set_error (error, GK_ERROR, GK_ERROR_INVALID, _("The portal address is missing."));
      return FALSE;
    }

  label = g_strdup_printf (_("Gongkai Desk portal token for %s"), url);
  if (!secret_password_store_sync (&token_schema, SECRET_COLLECTION_DEFAULT, label, token,
                                   cancellable, &local_error, "portal", url, NULL))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_keyring_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* The keyring's side of gk_token_keyring_clear(), after the policy said yes. */
static gboolean
clear_unchecked (const char    *portal_url,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autofree char *url = normalize_url (portal_url);
  g_autoptr(GError) local_error = NULL;

  secret_password_clear_sync (&token_schema, cancellable, &local_error, "portal", url, NULL);
  if (local_error != NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_keyring_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/**
 * gk_token_keyring_store:
 * @member: the acting member (an admin: gk_policy_check())
 * @portal_url: the portal's base URL (the key)
 * @token: the token
 * @cancellable: (nullable): a cancellable
 * @error: %GK_ERROR_PERMISSION for a member who may not, else as the keyring says
 *
 * Returns: %TRUE when the keyring holds @token for @portal_url
 */
gboolean
gk_token_keyring_store (const GkMember *member,
                        const char     *portal_url,
                        const char     *token,
                        GCancellable   *cancellable,
                        GError        **error)
{
  return gk_policy_check (NULL, member, GK_ACTION_STORE_TOKEN, NULL, error) &&
         store_unchecked (portal_url, token, cancellable, error);
}

/**
 * gk_token_keyring_clear:
 * @member: the acting member (an admin: gk_policy_check())
 * @portal_url: the portal's base URL (the key)
 * @cancellable: (nullable): a cancellable
 * @error: %GK_ERROR_PERMISSION for a member who may not, else as the keyring says
 *
 * Returns: %TRUE when the keyring holds no token for @portal_url (also
 *   when it held none)
 */
gboolean
gk_token_keyring_clear (const GkMember *member,
                        const char     *portal_url,
                        GCancellable   *cancellable,
                        GError        **error)
{
  return gk_policy_check (NULL, member, GK_ACTION_FORGET_TOKEN, NULL, error) &&
         clear_unchecked (portal_url, cancellable, error);
}

/* Storing and forgetting, off the caller's thread: the keyring calls are
 * D-Bus round trips; a worker runs them so that the window never waits. */

typedef struct
{
  char *url;
  char *token;
} KeyringData;

static void
keyring_data_free (gpointer data)
{
  KeyringData *kd = data;

  g_free (kd->url);
  gk_token_free (kd->token);
  g_free (kd);
}

static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  KeyringData *kd = task_data;
  GError *error = NULL;

  if (store_unchecked (kd->url, kd->token, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
clear_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  KeyringData *kd = task_data;
  GError *error = NULL;

  if (clear_unchecked (kd->url, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
run_keyring_task (const char          *portal_url,
                  const char          *token,
                  gpointer             source_tag,
                  GTaskThreadFunc      func,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  KeyringData *kd = g_new0 (KeyringData, 1);

  kd->url = g_strdup (portal_url);
  kd->token = g_strdup (token);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, kd, keyring_data_free);
  g_task_run_in_thread (task, func);
}

/* The lookup and the unlock are libsecret's own async calls: D-Bus
 * round trips answered on the caller's main context, no thread of ours.
 * Both first find the items stored for the URL (the task data is the
 * normalized URL). */

static void on_lookup_searched_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void on_unlock_searched_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
on_service_got_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (SecretService) service = NULL;
  g_autoptr (GHashTable) attributes = url_attributes (g_task_get_task_data (task));
  GError       *error = NULL;
  gboolean      unlocking = g_task_get_source_tag (task) == gk_token_keyring_unlock_async;
  GCancellable *cancellable;

  service = secret_service_get_finish (result, &error);
  if (service == NULL)
    {
      GError *keyring_error = NULL;

      propagate_keyring_error (&keyring_error, error);
      g_task_return_error (task, keyring_error);
      return;
    }
  /* The unlock needs the items, not their secrets. */
  cancellable = g_task_get_cancellable (task);
  secret_service_search (
      service, &token_schema, attributes, unlocking ? SECRET_SEARCH_ALL : LOOKUP_FLAGS, cancellable,
      unlocking ? on_unlock_searched_cb : on_lookup_searched_cb, g_steal_pointer (&task));
}

static void
start_keyring_call (const char         *portal_url,
                    gpointer            source_tag,
                    GCancellable       *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, normalize_url (portal_url), g_free);
  secret_service_get (SECRET_SERVICE_OPEN_SESSION, cancellable, on_service_got_cb, task);
}

static void
on_lookup_searched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  GList  *items = secret_service_search_finish (SECRET_SERVICE (source), result, &error);
  char   *token;

  if (error != NULL)
    {
      GError *keyring_error = NULL;

      propagate_keyring_error (&keyring_error, error);
      g_task_return_error (task, keyring_error);
      return;
    }
  token = token_from_items (items, g_task_get_task_data (task), &error);
  free_items (items);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, (GDestroyNotify) gk_token_free);
}

/**
 * gk_token_keyring_lookup_async:
 * @portal_url: the portal's base URL
 * @cancellable: (nullable): a cancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: for @callback
 *
 * As gk_token_keyring_lookup(), with libsecret's async calls.
 */
void
gk_token_keyring_lookup_async (const char          *portal_url,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  start_keyring_call (portal_url, gk_token_keyring_lookup_async, cancellable, callback, user_data);
}

/**
 * gk_token_keyring_lookup_finish:
 * @result: the result
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): as gk_token_keyring_lookup()
 */
char *
gk_token_keyring_lookup_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_unlocked_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  GList  *unlocked = NULL;

  secret_service_unlock_finish (SECRET_SERVICE (source), result, &unlocked, &error);
  if (error != NULL)
    {
      GError *keyring_error = NULL;

      propagate_keyring_error (&keyring_error, error);
      g_task_return_error (task, keyring_error);
    }
  else if (unlocked == NULL)
    /* The person dismissed the keyring's prompt. */
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                             _ ("The keyring was not unlocked."));
  else
    g_task_return_boolean (task, TRUE);
  free_items (unlocked);
}

static void
on_unlock_searched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError       *error = NULL;
  GList        *items = secret_service_search_finish (SECRET_SERVICE (source), result, &error);
  GCancellable *cancellable;

  if (error != NULL)
    {
      GError *keyring_error = NULL;

      propagate_keyring_error (&keyring_error, error);
      g_task_return_error (task, keyring_error);
      return;
    }
  /* Nothing stored: nothing to unlock (the next lookup says so). */
  if (items == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* Unlocking an item unlocks its collection, through the keyring's own
   * prompt. */
  cancellable = g_task_get_cancellable (task);
  secret_service_unlock (SECRET_SERVICE (source), items, cancellable, on_unlocked_cb,
                         g_steal_pointer (&task));
  free_items (items);
}

/**
 * gk_token_keyring_unlock_async:
 * @portal_url: the portal's base URL
 * @cancellable: (nullable): a cancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: for @callback
 *
 * Unlocks what keeps the token of @portal_url (its keyring collection),
 * asking the person through the keyring's own prompt.
 */
void
gk_token_keyring_unlock_async (const char         *portal_url,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  start_keyring_call (portal_url, gk_token_keyring_unlock_async, cancellable, callback, user_data);
}

/**
 * gk_token_keyring_unlock_finish:
 * @result: the result
 * @error: %G_IO_ERROR_CANCELLED also when the person dismissed the prompt
 *
 * Returns: %TRUE when nothing stored for the URL is locked any more
 */
gboolean
gk_token_keyring_unlock_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gk_token_keyring_store_async:
 * @member: the acting member (an admin: gk_policy_check())
 * @portal_url: the portal's base URL
 * @token: the token
 * @cancellable: (nullable): a cancellable
 * @callback: called on the caller's main context
 * @user_data: for @callback
 */
void
gk_token_keyring_store_async (const GkMember      *member,
                              const char          *portal_url,
                              const char          *token,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GError *error = NULL;

  if (!gk_policy_check (NULL, member, GK_ACTION_STORE_TOKEN, NULL, &error))
    {
      g_task_report_error (NULL, callback, user_data, gk_token_keyring_store_async, error);
      return;
    }
  run_keyring_task (portal_url, token, gk_token_keyring_store_async, store_thread,
                    cancellable, callback, user_data);
}

/**
 * gk_token_keyring_store_finish:
 * @result: the result
 * @error: the error location
 *
 * Returns: %TRUE on success
 */
gboolean
gk_token_keyring_store_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gk_token_keyring_clear_async:
 * @member: the acting member (an admin: gk_policy_check())
 * @portal_url: the portal's base URL
 * @cancellable: (nullable): a cancellable
 * @callback: called on the caller's main context
 * @user_data: for @callback
 */
void
gk_token_keyring_clear_async (const GkMember      *member,
                              const char          *portal_url,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GError *error = NULL;

  if (!gk_policy_check (NULL, member, GK_ACTION_FORGET_TOKEN, NULL, &error))
    {
      g_task_report_error (NULL, callback, user_data, gk_token_keyring_clear_async, error);
      return;
    }
  run_keyring_task (portal_url, NULL, gk_token_keyring_clear_async, clear_thread,
                    cancellable, callback, user_data);
}

/**
 * gk_token_keyring_clear_finish:
 * @result: the result
 * @error: the error location
 *
 * Returns: %TRUE on success
 */
gboolean
gk_token_keyring_clear_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gk_token_resolve:
 * @token_file: (nullable): --token-file
 * @portal_url: (nullable): the portal's base URL (the keyring key)
 * @use_keyring: whether to ask the keyring last
 * @source: (out) (optional): where the token came from
 * @warning: (out) (optional) (nullable): a warning about the token file
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): the token; free with gk_token_free()
 */
char *
gk_token_resolve (const char     *token_file,
                  const char     *portal_url,
                  gboolean        use_keyring,
                  GkTokenSource  *source,
                  char          **warning,
                  GError        **error)
{
  g_autoptr(GError) keyring_error = NULL;
  char *token;

  if (source != NULL)
    *source = GK_TOKEN_SOURCE_NONE;
  if (warning != NULL)
    *warning = NULL;

  if (token_file != NULL)
    {
      token = gk_token_read_file (token_file, warning, error);
      if (token != NULL && source != NULL)
        *source = GK_TOKEN_SOURCE_FILE;
      return token;
    }

  {
    GError *env_error = NULL;

    token = gk_token_from_environment (&env_error);
    if (env_error != NULL)
      {
        g_propagate_error (error, env_error);
        return NULL;
      }
    if (token != NULL)
      {
        if (source != NULL)
          *source = GK_TOKEN_SOURCE_ENVIRONMENT;
        return token;
      }
  }

  if (use_keyring && portal_url != NULL)
    {
      token = gk_token_keyring_lookup (portal_url, NULL, &keyring_error);
      if (token != NULL)
        {
          if (source != NULL)
            *source = GK_TOKEN_SOURCE_KEYRING;
          return token;
        }
      if (g_error_matches (keyring_error, GK_ERROR, GK_ERROR_INVALID))
        {
          g_propagate_error (error, g_steal_pointer (&keyring_error));
          return NULL;
        }
    }

  if (gk_error_get_detail (keyring_error) == GK_ERROR_DETAIL_KEYRING_LOCKED)
    gk_set_error_detail (
        error, GK_ERROR_PERMISSION, GK_ERROR_DETAIL_KEYRING_LOCKED,
        _ ("No portal token: none was given, the environment variable %s is not set, "
           "and the keyring that holds the one for this portal is locked."),
        GK_TOKEN_ENV);
  else if (keyring_error != NULL)
    gk_set_error_detail (error, GK_ERROR_PERMISSION, GK_ERROR_DETAIL_NO_TOKEN,
                         _("No portal token: none was given, the environment variable %s is not set, "
                           "and the keyring cannot be read (%s)."),
                         GK_TOKEN_ENV, keyring_error->message);
  else
    gk_set_error_detail (error, GK_ERROR_PERMISSION, GK_ERROR_DETAIL_NO_TOKEN,
                         _("No portal token: none was given, the environment variable %s is not set, "
                           "and the keyring holds none for this portal."),
                         GK_TOKEN_ENV);
  return NULL;
}
