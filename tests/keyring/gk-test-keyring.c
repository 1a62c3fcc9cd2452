/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiTestKeyring"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#if GK_TEST_HAVE_GCR
#define GCR_API_SUBJECT_TO_CHANGE
#include <gcr/gcr-base.h>
#endif

#include "gk-test-keyring.h"

/* The daemon is told the mock prompter's bus name at its start
 * (GNOME_KEYRING_TEST_PROMPTER), so the prompter runs first. */

struct _GkTestKeyring
{
  GSubprocess     *daemon;
  GDBusConnection *bus;
  gboolean         prompter_started;
};

#define SECRETS_NAME    "org.freedesktop.secrets"
#define SECRETS_PATH    "/org/freedesktop/secrets"
#define SECRETS_SERVICE "org.freedesktop.Secret.Service"

static gboolean
on_tick_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
pump_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_tick_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
name_has_owner (GDBusConnection *bus, const char *name)
{
  g_autoptr (GVariant) reply = g_dbus_connection_call_sync (
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
      g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  gboolean up = FALSE;

  if (reply != NULL)
    g_variant_get (reply, "(b)", &up);
  return up;
}

static char *
default_collection (GkTestKeyring *keyring)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = g_dbus_connection_call_sync (
      keyring->bus, SECRETS_NAME, SECRETS_PATH, SECRETS_SERVICE, "ReadAlias",
      g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
      &error);
  char *path = NULL;

  g_assert_no_error (error);
  g_variant_get (reply, "(o)", &path);
  g_assert_cmpstr (path, !=, "/");
  return path;
}

/**
 * gk_test_keyring_start:
 * @home: an empty folder for the keyring files (HOME, XDG_DATA_HOME)
 * @skip_reason: (out): why not, when %NULL is returned
 *
 * Returns: (nullable): the running keyring
 */
GkTestKeyring *
gk_test_keyring_start (const char *home, char **skip_reason)
{
#if GK_TEST_HAVE_GCR
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *runtime = g_build_filename (home, "run", NULL);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;
  GkTestKeyring *keyring;
  const char    *prompter;
  GOutputStream *in;

  *skip_reason = NULL;
  if (daemon == NULL)
    {
      *skip_reason = g_strdup ("gnome-keyring-daemon is not installed");
      return NULL;
    }
  g_assert_nonnull (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_mkdir_with_parents (runtime, 0700);

  keyring = g_new0 (GkTestKeyring, 1);
  keyring->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  prompter = gcr_mock_prompter_start ();
  keyring->prompter_started = TRUE;

  launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                 G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "GNOME_KEYRING_TEST_PROMPTER", prompter, TRUE);
  keyring->daemon = g_subprocess_launcher_spawn (launcher, &error, daemon, "--foreground",
                                                 "--components=secrets", "--unlock", NULL);
  if (keyring->daemon == NULL)
    {
      *skip_reason = g_strdup (error->message);
      gk_test_keyring_stop (keyring);
      return NULL;
    }
  /* --unlock reads the login keyring's password: it is made, unlocked. */
  in = g_subprocess_get_stdin_pipe (keyring->daemon);
  g_output_stream_write_all (in, GK_TEST_KEYRING_PASSWORD, strlen (GK_TEST_KEYRING_PASSWORD), NULL,
                             NULL, NULL);
  g_output_stream_close (in, NULL, NULL);

  for (int i = 0; i < 200 && !name_has_owner (keyring->bus, SECRETS_NAME); i++)
    pump_ms (25);
  if (!name_has_owner (keyring->bus, SECRETS_NAME))
    {
      *skip_reason = g_strdup ("gnome-keyring-daemon did not start");
      gk_test_keyring_stop (keyring);
      return NULL;
    }
  return keyring;
#else
  *skip_reason = g_strdup ("gcr-base-3 (libgcr-3-dev) is not installed: no prompter to answer");
  return NULL;
#endif
}

/**
 * gk_test_keyring_stop:
 * @keyring: (nullable): the keyring
 */
void
gk_test_keyring_stop (GkTestKeyring *keyring)
{
  if (keyring == NULL)
    return;
  if (keyring->daemon != NULL)
    {
      g_subprocess_force_exit (keyring->daemon);
      g_subprocess_wait (keyring->daemon, NULL, NULL);
      g_clear_object (&keyring->daemon);
    }
#if GK_TEST_HAVE_GCR
  if (keyring->prompter_started)
    gcr_mock_prompter_stop ();
#endif
  g_clear_object (&keyring->bus);
  g_free (keyring);
}

/**
 * gk_test_keyring_lock:
 * @keyring: the keyring
 *
 * Locks the default collection through the Secret Service's own Lock
 * (no libsecret objects of this process are involved).
 */
void
gk_test_keyring_lock (GkTestKeyring *keyring)
{
  g_autofree char *collection = default_collection (keyring);
  const char      *paths[] = { collection, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply =
      g_dbus_connection_call_sync (keyring->bus, SECRETS_NAME, SECRETS_PATH, SECRETS_SERVICE,
                                   "Lock", g_variant_new ("(^ao)", paths), G_VARIANT_TYPE ("(aoo)"),
                                   G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (gk_test_keyring_is_locked (keyring));
}

/**
 * gk_test_keyring_is_locked:
 * @keyring: the keyring
 *
 * Returns: whether the default collection is locked
 */
gboolean
gk_test_keyring_is_locked (GkTestKeyring *keyring)
{
  g_autofree char *collection = default_collection (keyring);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = g_dbus_connection_call_sync (
      keyring->bus, SECRETS_NAME, collection, "org.freedesktop.DBus.Properties", "Get",
      g_variant_new ("(ss)", "org.freedesktop.Secret.Collection", "Locked"), G_VARIANT_TYPE ("(v)"),
      G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_autoptr (GVariant) value = NULL;

  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return g_variant_get_boolean (value);
}

/**
 * gk_test_keyring_expect_password:
 * @keyring: the keyring
 * @password: what the person types into the next prompt
 */
void
gk_test_keyring_expect_password (GkTestKeyring *keyring, const char *password)
{
#if GK_TEST_HAVE_GCR
  gcr_mock_prompter_expect_password_ok (password, NULL);
#endif
}

/**
 * gk_test_keyring_expect_cancel:
 * @keyring: the keyring
 *
 * The person presses Cancel in the next prompt.
 */
void
gk_test_keyring_expect_cancel (GkTestKeyring *keyring)
{
#if GK_TEST_HAVE_GCR
  gcr_mock_prompter_expect_password_cancel ();
#endif
}

/**
 * gk_test_keyring_is_expecting:
 * @keyring: the keyring
 *
 * Returns: whether an expected prompt has not come yet
 */
gboolean
gk_test_keyring_is_expecting (GkTestKeyring *keyring)
{
#if GK_TEST_HAVE_GCR
  return gcr_mock_prompter_is_expecting ();
#else
  return FALSE;
#endif
}
