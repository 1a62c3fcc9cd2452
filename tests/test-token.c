/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The portal token: file and environment precedence, permission warning,
 * errors that never carry the token, the keyring unavailable, and (when
 * gnome-keyring-daemon is installed) a real Secret Service round trip on
 * a private D-Bus; with gcr's mock prompter too, a token kept in a
 * locked keyring is told apart from none, and unlocked through the
 * keyring's prompt. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <string.h>

#include "gk-test-keyring.h"
#include "gk-token.h"
#include "gk-types.h"

#define SECRET "s3cr3t-Token_value.42~"


/* The acting members: storing and forgetting the token are the admin's. */
static const GkMember admin = { (char *) "admin", GK_ROLE_ADMIN, NULL };
static const GkMember publisher = { (char *) "pat", GK_ROLE_PUBLISHER, NULL };

static char *tmp_dir;

static char *
write_file (const char *name,
            const char *contents,
            int         mode)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_NONE, mode, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
  return path;
}

static void
assert_no_secret (const char *text)
{
  if (text != NULL)
    g_assert_null (strstr (text, SECRET));
}

static void
test_file_private (void)
{
  g_autofree char *path = write_file ("private", "  " SECRET "  \n# comment\n", 0600);
  g_autofree char *warning = NULL;
  g_autoptr(GError) error = NULL;
  char *token = gk_token_read_file (path, &warning, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, SECRET);
  g_assert_null (warning);
  gk_token_free (token);
}

static void
test_file_readable_by_others (void)
{
  g_autofree char *path = write_file ("shared", SECRET "\n", 0644);
  g_autofree char *warning = NULL;
  g_autoptr(GError) error = NULL;
  char *token = gk_token_read_file (path, &warning, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, SECRET);
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (warning, "chmod 600"));
  g_assert_nonnull (strstr (warning, "shared"));
  assert_no_secret (warning);
  gk_token_free (token);
}

static void
test_file_errors (void)
{
  g_autofree char *missing = g_build_filename (tmp_dir, "missing", NULL);
  g_autofree char *empty = write_file ("empty", "\n  \n", 0600);
  g_autofree char *spaced = write_file ("spaced", SECRET " and more\n", 0600);
  g_autofree char *control = write_file ("control", SECRET "\x01\n", 0600);
  g_autoptr(GError) error = NULL;

  g_assert_null (gk_token_read_file (missing, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "missing"));
  g_clear_error (&error);

  g_assert_null (gk_token_read_file (empty, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "empty"));
  g_clear_error (&error);

  g_assert_null (gk_token_read_file (spaced, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  assert_no_secret (error->message);
  g_clear_error (&error);

  g_assert_null (gk_token_read_file (control, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  assert_no_secret (error->message);
  g_clear_error (&error);

  g_assert_null (gk_token_read_file (tmp_dir, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
}

static void
test_validity (void)
{
  g_assert_true (gk_token_is_valid ("abc"));
  g_assert_true (gk_token_is_valid ("a.b-c_d~e+f/g=="));
  g_assert_false (gk_token_is_valid (NULL));
  g_assert_false (gk_token_is_valid (""));
  g_assert_false (gk_token_is_valid ("a b"));
  g_assert_false (gk_token_is_valid ("a\r\nX-Evil: 1"));
  g_assert_false (gk_token_is_valid ("令牌"));
}

static void
test_environment (void)
{
  g_autoptr(GError) error = NULL;
  char *token;

  g_unsetenv (GK_TOKEN_ENV);
  g_assert_null (gk_token_from_environment (&error));
  g_assert_no_error (error);

  g_setenv (GK_TOKEN_ENV, "", TRUE);
  g_assert_null (gk_token_from_environment (&error));
  g_assert_no_error (error);

  g_setenv (GK_TOKEN_ENV, SECRET, TRUE);
  token = gk_token_from_environment (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, SECRET);
  gk_token_free (token);

  g_setenv (GK_TOKEN_ENV, SECRET " x", TRUE);
  g_assert_null (gk_token_from_environment (&error));
  g_assert_error (error, GK_ERROR, GK_ERROR_INVALID);
  assert_no_secret (error->message);
  g_unsetenv (GK_TOKEN_ENV);
}

/* gongkai-ctl with these arguments (NULL-terminated): its exit status
 * and what it wrote on stderr. */
static char *
run_ctl (int *status, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  char   *err = NULL;
  int     wait_status = 0;
  va_list args;

  g_assert_nonnull (g_getenv ("GONGKAI_CTL"));
  g_ptr_array_add (argv, (char *) g_getenv ("GONGKAI_CTL"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, &err, &wait_status, &error));
  g_assert_no_error (error);
  *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  return err;
}

static void
test_precedence (void)
{
  g_autofree char *path = write_file ("file-token", "from-file\n", 0600);
  g_autofree char *missing = g_build_filename (tmp_dir, "nope", NULL);
  g_autoptr(GError) error = NULL;
  GkTokenSource source = GK_TOKEN_SOURCE_NONE;
  char *token;

  /* The file wins over the environment. */
  g_setenv (GK_TOKEN_ENV, "from-env", TRUE);
  token = gk_token_resolve (path, "http://127.0.0.1:1/api/v1", FALSE, &source, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "from-file");
  g_assert_cmpint (source, ==, GK_TOKEN_SOURCE_FILE);
  gk_token_free (token);

  /* Without a file, the environment. */
  token = gk_token_resolve (NULL, "http://127.0.0.1:1/api/v1", FALSE, &source, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "from-env");
  g_assert_cmpint (source, ==, GK_TOKEN_SOURCE_ENVIRONMENT);
  g_assert_cmpstr (gk_token_source_to_string (source), ==, "environment");
  gk_token_free (token);

  /* A named file that is missing is an error, not a fall-through. */
  token = gk_token_resolve (missing, "http://127.0.0.1:1/api/v1", FALSE, &source, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, GK_ERROR, GK_ERROR_NOT_FOUND);
  g_assert_null (strstr (error->message, "from-env"));
  g_assert_cmpint (source, ==, GK_TOKEN_SOURCE_NONE);
  g_clear_error (&error);

  /* Nothing anywhere: the message lists the ways to give one. */
  g_unsetenv (GK_TOKEN_ENV);
  token = gk_token_resolve (NULL, "http://127.0.0.1:1/api/v1", FALSE, &source, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  /* The core says where it looked; each face adds how to give one (the
   * command line's --token-file: /cli/refusal-remedies). */
  g_assert_cmpint (gk_error_get_detail (error), ==, GK_ERROR_DETAIL_NO_TOKEN);
  g_assert_null (strstr (error->message, "--token-file"));
  g_assert_nonnull (strstr (error->message, GK_TOKEN_ENV));
  /* The core states the facts; the command line lists its ways to give one. */
  g_assert_null (strstr (error->message, "--token-file"));
  g_assert_null (strstr (error->message, "gongkai-ctl"));
  {
    g_autofree char *library = g_build_filename (tmp_dir, "precedence-library", NULL);
    g_autofree char *init_err = NULL;
    g_autofree char *err = NULL;
    int              status = -1;

    init_err = run_ctl (&status, "--library", library, "init", NULL);
    g_assert_cmpint (status, ==, 0);
    err = run_ctl (&status, "--library", library, "sync", "--portal", "http://127.0.0.1:1/api/v1",
                   NULL);
    g_assert_cmpint (status, ==, 3);
    g_assert_nonnull (strstr (err, "--token-file"));
    g_assert_nonnull (strstr (err, GK_TOKEN_ENV));
  }
}

static void
test_keyring_unavailable (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      char *token;

      g_unsetenv (GK_TOKEN_ENV);
      token = gk_token_keyring_lookup ("https://portal.example.gov.cn/api/v1", NULL, &error);
      g_assert_null (token);
      g_assert_error (error, GK_ERROR, GK_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "keyring"));
      g_assert_cmpint (gk_error_get_detail (error), ==, GK_ERROR_DETAIL_KEYRING_UNAVAILABLE);
      g_assert_null (strstr (error->message, "--token-file"));
      g_clear_error (&error);
      {
        g_autofree char *err = NULL;
        int              status = -1;

        err = run_ctl (&status, "token", "status", "--portal",
                       "https://portal.example.gov.cn/api/v1", NULL);
        g_assert_cmpint (status, ==, 1);
        g_assert_nonnull (strstr (err, "keyring"));
        g_assert_nonnull (strstr (err, "--token-file"));
      }

      g_assert_false (gk_token_keyring_store (&admin, "https://portal.example.gov.cn/api/v1", SECRET, NULL, &error));
      g_assert_error (error, GK_ERROR, GK_ERROR_FAILED);
      assert_no_secret (error->message);
      g_clear_error (&error);

      /* resolve: no file, no variable, no keyring → one clear refusal. */
      token = gk_token_resolve (NULL, "https://portal.example.gov.cn/api/v1", TRUE, NULL, NULL, &error);
      g_assert_null (token);
      g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
      g_assert_nonnull (strstr (error->message, "keyring"));
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

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

/* The libsecret calls, in a child process whose session bus is the
 * private one (so that no connection of ours outlives the bus). */
static void
keyring_round_trip_child (void)
{
  const char *url = "https://portal.example.gov.cn/api/v1/";
  g_autoptr(GError) error = NULL;
  GkTokenSource source;
  char *token;

  if (!g_test_subprocess ())
    {
      g_test_skip ("run in a child process by /token/keyring/round-trip");
      return;
    }
  token = gk_token_keyring_lookup (url, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (token);

  if (!gk_token_keyring_store (&admin, url, SECRET, NULL, &error))
    {
      /* No default collection the daemon could create without a prompt:
       * tell the parent to skip. */
      g_autofree char *marker = g_build_filename (g_getenv ("GK_TEST_KEYRING_DIR"), "no-collection", NULL);

      g_file_set_contents (marker, error->message, -1, NULL);
      exit (0);
    }
  /* Keyed by the URL, a trailing slash ignored. */
  token = gk_token_keyring_lookup ("https://portal.example.gov.cn/api/v1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, SECRET);
  gk_token_free (token);
  token = gk_token_keyring_lookup ("https://other.example.gov.cn/api/v1", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (token);

  /* The keyring comes last: the environment wins over it. */
  g_setenv (GK_TOKEN_ENV, "from-env", TRUE);
  token = gk_token_resolve (NULL, url, TRUE, &source, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "from-env");
  gk_token_free (token);
  g_unsetenv (GK_TOKEN_ENV);
  token = gk_token_resolve (NULL, url, TRUE, &source, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, SECRET);
  g_assert_cmpint (source, ==, GK_TOKEN_SOURCE_KEYRING);
  gk_token_free (token);

  /* Only an admin forgets it: the core refuses the others before the
   * keyring is touched. */
  g_assert_false (gk_token_keyring_clear (&publisher, url, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_assert_cmpint (gk_error_get_detail (error), ==, GK_ERROR_DETAIL_MISSING_ROLE);
  g_assert_nonnull (strstr (error->message, "forget the portal token"));
  g_clear_error (&error);
  g_assert_false (gk_token_keyring_store (&publisher, url, "another-token", NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_clear_error (&error);
  token = gk_token_keyring_lookup (url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, SECRET);
  gk_token_free (token);

  g_assert_true (gk_token_keyring_clear (&admin, url, NULL, &error));
  g_assert_no_error (error);
  token = gk_token_keyring_lookup (url, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (token);
  exit (0);
}

static gboolean
wait_for_name (const char *address,
               const char *name)
{
  g_autoptr(GDBusConnection) connection =
    g_dbus_connection_new_for_address_sync (address,
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, NULL);
  gboolean up = FALSE;

  if (connection == NULL)
    return FALSE;
  for (int i = 0; i < 100 && !up; i++)
    {
      g_autoptr(GVariant) reply =
        g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                     "org.freedesktop.DBus", "NameHasOwner", g_variant_new ("(s)", name),
                                     G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);

      if (reply != NULL)
        g_variant_get (reply, "(b)", &up);
      if (!up)
        pump_ms (50);
    }
  g_dbus_connection_close_sync (connection, NULL, NULL);
  return up;
}

static void
test_keyring_round_trip (void)
{
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_build_filename (tmp_dir, "keyring-home", NULL);
  g_autofree char *runtime = g_build_filename (home, "run", NULL);
  const char *address;

  if (daemon == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }
  g_mkdir_with_parents (runtime, 0700);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  address = g_test_dbus_get_bus_address (bus);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, daemon, "--foreground",
                                         "--components=secrets", "--unlock", NULL);
  if (process == NULL)
    {
      g_test_skip (error->message);
      g_test_dbus_down (bus);
      return;
    }
  /* --unlock reads the login keyring's password: creates it unlocked. */
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (process), "test-password", 13, NULL, NULL, NULL);
  g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, NULL);

  if (!wait_for_name (address, "org.freedesktop.secrets"))
    g_test_skip ("gnome-keyring-daemon did not start");
  else
    {
      g_autofree char *marker = g_build_filename (home, "no-collection", NULL);

      g_setenv ("GK_TEST_KEYRING_BUS", address, TRUE);
      g_setenv ("GK_TEST_KEYRING_DIR", home, TRUE);
      g_test_trap_subprocess ("/token/keyring/round-trip/child", 20 * G_USEC_PER_SEC,
                              G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_unsetenv ("GK_TEST_KEYRING_BUS");
      g_test_trap_assert_passed ();
      if (g_file_test (marker, G_FILE_TEST_EXISTS))
        g_test_skip ("the keyring daemon has no default collection");
    }

  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
  g_test_dbus_down (bus);
}

static void
on_async_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_async (GAsyncResult **slot)
{
  gint64 end = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  while (*slot == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (pump_ms (10), TRUE);
  g_assert_nonnull (*slot);
  return *slot;
}

static void
assert_locked_error (const GError *error)
{
  g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
  g_assert_cmpint (gk_error_get_detail (error), ==, GK_ERROR_DETAIL_KEYRING_LOCKED);
  g_assert_nonnull (strstr (error->message, "locked"));
  /* The facts only: the faces add their remedies. */
  g_assert_null (strstr (error->message, "--token-file"));
  g_assert_null (strstr (error->message, "gongkai-ctl"));
  assert_no_secret (error->message);
}

/* After a restart the login keyring is locked: the token is there, and
 * the lookup says so (without a prompt: the mock prompter fails the test
 * on a prompt nobody expected); the command line says how to go on; the
 * unlock goes through the keyring's prompt, and a dismissed one leaves
 * the keyring locked. */
static void
keyring_locked_child (void)
{
  const char      *url = "https://portal.example.gov.cn/api/v1";
  const char      *home = g_getenv ("GK_TEST_KEYRING_DIR");
  g_autofree char *skip = NULL;
  g_autoptr (GError) error = NULL;
  GkTestKeyring *keyring;
  char          *token;

  if (!g_test_subprocess ())
    {
      g_test_skip ("run in a child process by /token/keyring/locked");
      return;
    }
  keyring = gk_test_keyring_start (home, &skip);
  if (keyring == NULL || !gk_token_keyring_store (&admin, url, SECRET, NULL, &error))
    {
      g_autofree char *marker = g_build_filename (home, "skip", NULL);

      g_file_set_contents (marker, skip ? skip : error->message, -1, NULL);
      gk_test_keyring_stop (keyring);
      exit (0);
    }
  token = gk_token_keyring_lookup (url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, SECRET);
  gk_token_free (token);

  gk_test_keyring_lock (keyring);

  /* Locked is not missing: synchronously, asynchronously, by resolve. */
  token = gk_token_keyring_lookup (url, NULL, &error);
  g_assert_null (token);
  assert_locked_error (error);
  g_clear_error (&error);
  g_assert_true (gk_test_keyring_is_locked (keyring));
  {
    g_autoptr (GAsyncResult) result = NULL;

    gk_token_keyring_lookup_async (url, NULL, on_async_done_cb, &result);
    token = gk_token_keyring_lookup_finish (wait_async (&result), &error);
    g_assert_null (token);
    assert_locked_error (error);
    g_clear_error (&error);
  }
  /* Nothing kept for another portal: none, locked or not. */
  token = gk_token_keyring_lookup ("https://other.example.gov.cn/api/v1", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (token);
  token = gk_token_resolve (NULL, url, TRUE, NULL, NULL, &error);
  g_assert_null (token);
  assert_locked_error (error);
  g_assert_nonnull (strstr (error->message, GK_TOKEN_ENV));
  g_clear_error (&error);

  /* The command line names the remedy, not "no token". */
  {
    g_autofree char *library = g_build_filename (home, "library", NULL);
    g_autofree char *init_err = NULL;
    g_autofree char *status_err = NULL;
    g_autofree char *sync_err = NULL;
    int              status = -1;

    status_err = run_ctl (&status, "token", "status", "--portal", url, NULL);
    g_assert_cmpint (status, ==, 3);
    if (strstr (status_err, "keyring is locked") == NULL ||
        strstr (status_err, "--token-file") == NULL ||
        strstr (status_err, "log in to the desktop session") == NULL)
      g_error ("gongkai-ctl token status says: %s", status_err);
    init_err = run_ctl (&status, "--library", library, "init", NULL);
    g_assert_cmpint (status, ==, 0);
    sync_err = run_ctl (&status, "--library", library, "sync", "--portal", url, NULL);
    g_assert_cmpint (status, ==, 3);
    if (strstr (sync_err, "locked") == NULL || strstr (sync_err, "--token-file") == NULL ||
        strstr (sync_err, "log in to the desktop session") == NULL)
      g_error ("gongkai-ctl sync says: %s", sync_err);
    assert_no_secret (sync_err);
  }
  g_assert_true (gk_test_keyring_is_locked (keyring));

  /* Cancel in the keyring's prompt: still locked, said as a cancellation. */
  {
    g_autoptr (GAsyncResult) result = NULL;

    gk_test_keyring_expect_cancel (keyring);
    gk_token_keyring_unlock_async (url, NULL, on_async_done_cb, &result);
    g_assert_false (gk_token_keyring_unlock_finish (wait_async (&result), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_assert_false (gk_test_keyring_is_expecting (keyring));
    g_assert_true (gk_test_keyring_is_locked (keyring));
  }
  /* The password typed: unlocked, and the token reads again. */
  {
    g_autoptr (GAsyncResult) result = NULL;

    gk_test_keyring_expect_password (keyring, GK_TEST_KEYRING_PASSWORD);
    gk_token_keyring_unlock_async (url, NULL, on_async_done_cb, &result);
    g_assert_true (gk_token_keyring_unlock_finish (wait_async (&result), &error));
    g_assert_no_error (error);
    g_assert_false (gk_test_keyring_is_expecting (keyring));
    g_assert_false (gk_test_keyring_is_locked (keyring));
  }
  token = gk_token_keyring_lookup (url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, SECRET);
  gk_token_free (token);

  gk_test_keyring_stop (keyring);
  exit (0);
}

static void
test_keyring_locked (void)
{
  g_autoptr (GTestDBus) bus = NULL;
  g_autofree char *home = g_build_filename (tmp_dir, "locked-home", NULL);
  g_autofree char *marker = g_build_filename (home, "skip", NULL);
  g_autofree char *reason = NULL;

  g_mkdir_with_parents (home, 0700);
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  g_setenv ("GK_TEST_KEYRING_BUS", g_test_dbus_get_bus_address (bus), TRUE);
  g_setenv ("GK_TEST_KEYRING_DIR", home, TRUE);
  g_test_trap_subprocess ("/token/keyring/locked/child", 60 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("GK_TEST_KEYRING_BUS");
  g_test_dbus_down (bus);
  g_test_trap_assert_passed ();
  if (g_file_get_contents (marker, &reason, NULL, NULL))
    g_test_skip (reason);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* Never talk to the developer's own keyring: the private bus of the
   * round-trip test, or none at all. */
  if (g_getenv ("GK_TEST_KEYRING_BUS") != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", g_getenv ("GK_TEST_KEYRING_BUS"), TRUE);
  else
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/gongkai-test-bus", TRUE);
  g_unsetenv ("DISPLAY");
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("gk-test-token-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/token/file/private", test_file_private);
  g_test_add_func ("/token/file/readable-by-others", test_file_readable_by_others);
  g_test_add_func ("/token/file/errors", test_file_errors);
  g_test_add_func ("/token/validity", test_validity);
  g_test_add_func ("/token/environment", test_environment);
  g_test_add_func ("/token/precedence", test_precedence);
  g_test_add_func ("/token/keyring/unavailable", test_keyring_unavailable);
  g_test_add_func ("/token/keyring/round-trip", test_keyring_round_trip);
  g_test_add_func ("/token/keyring/round-trip/child", keyring_round_trip_child);
  g_test_add_func ("/token/keyring/locked", test_keyring_locked);
  g_test_add_func ("/token/keyring/locked/child", keyring_locked_child);

  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmp_dir);
    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return status;
}
