/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiGuiTest"

#include "config.h"

#include <string.h>

#include "gk-gui-test.h"
#include "gk-publish-page.h"
#include "gk-test-keyring.h"
#include "gk-token.h"
#include "gk-window-private.h"

/* After a restart the keyring that keeps the portal token is locked: the
 * publish page says so (not "no token"), offers "Unlock…", and after the
 * keyring's own prompt reads the token again and drops the report that
 * asked for one.  A dismissed prompt leaves the message.  Runs a real
 * gnome-keyring-daemon on a private bus (GTestDBus) whose prompts gcr's
 * mock prompter answers, as a person would.  Tests run in order. */

#define PORTAL_URL "https://portal.example.gov.cn/api/v1"
#define TOKEN      "gui-keyring-token-5d1e"

static struct
{
  GTestDBus     *bus;
  GkTestKeyring *keyring;
  char          *skip;
  char          *dir;
  GkApplication *app;
  GkContext     *context;
  GkWindow      *window;
  GkPublishPage *page;
} h;

static GtkWidget *
find (const char *name)
{
  GtkWidget *widget = gk_gui_test_find_named (GTK_WIDGET (h.page), name);

  g_assert_nonnull (widget);
  return widget;
}

static gboolean
page_idle (void)
{
  return !gk_publish_page_get_busy (h.page);
}

static const char *
token_status (void)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (find ("token-status-row")));
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_mapped (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
skipped (void)
{
  if (h.keyring == NULL)
    g_test_skip (h.skip);
  return h.keyring == NULL;
}

static void
test_setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *home = NULL;
  GkMember         admin = { (char *) g_getenv ("GONGKAI_USER"), GK_ROLE_ADMIN, NULL };

  g_unsetenv (GK_TOKEN_ENV);
  h.dir = gk_gui_test_make_tmp ();
  home = g_build_filename (h.dir, "home", NULL);
  g_mkdir_with_parents (home, 0700);
  h.keyring = gk_test_keyring_start (home, &h.skip);
  if (skipped ())
    return;

  h.context = gk_gui_test_new_library (h.dir);
  g_assert_true (gk_store_set_setting (gk_context_get_store (h.context), admin.user, "portal_url",
                                       PORTAL_URL, &error));
  g_assert_no_error (error);
  /* Saved before the restart... */
  g_assert_true (gk_token_keyring_store (&admin, PORTAL_URL, TOKEN, NULL, &error));
  g_assert_no_error (error);
  /* ...and locked since. */
  gk_test_keyring_lock (h.keyring);

  h.app = gk_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (h.app), NULL, &error));
  g_assert_no_error (error);
  h.window = GK_WINDOW (gk_gui_test_open_window (h.app, h.context, "sync"));
  h.page = GK_PUBLISH_PAGE (gk_gui_test_find_type (GTK_WIDGET (h.window), GK_TYPE_PUBLISH_PAGE));
  g_assert_nonnull (h.page);
  GK_GUI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (h.page)), 5000);
  GK_GUI_WAIT (page_idle (), 10000);
}

/* The page says the keyring is locked, under Portal and in the report of
 * a batch that could not start, each with "Unlock…"; reading it never
 * prompts (an unexpected prompt fails the test in the mock prompter). */
static void
test_locked_is_said (void)
{
  const char *summary;

  if (skipped ())
    return;
  g_assert_cmpstr (token_status (), ==, "The keyring is locked.");
  g_assert_true (gtk_widget_get_visible (find ("token-unlock-button")));
  g_assert_false (gtk_widget_get_visible (find ("token-forget-button")));

  gk_publish_page_publish (h.page);
  GK_GUI_WAIT (page_idle () && gk_publish_page_get_report_summary (h.page) != NULL, 15000);
  summary = gk_publish_page_get_report_summary (h.page);
  if (!g_str_has_prefix (summary, "The keyring is locked") || strstr (summary, "Unlock") == NULL)
    g_error ("the report says: %s", summary);
  g_assert_null (strstr (summary, "No portal token is saved"));
  g_assert_null (strstr (summary, TOKEN));
  g_assert_true (gtk_widget_get_visible (find ("sync-report")));
  g_assert_true (gtk_widget_get_visible (find ("report-unlock-button")));
  g_assert_false (gtk_widget_get_visible (find ("sync-progress")));
  g_assert_true (gk_test_keyring_is_locked (h.keyring));
  g_free (gk_gui_test_screenshot (GTK_WIDGET (h.window), "keyring-locked"));
}

/* Cancel in the keyring's prompt: the message stays as it was. */
static void
test_unlock_cancelled (void)
{
  g_autofree char *summary = NULL;

  if (skipped ())
    return;
  summary = g_strdup (gk_publish_page_get_report_summary (h.page));
  gk_test_keyring_expect_cancel (h.keyring);
  click (find ("report-unlock-button"));
  GK_GUI_WAIT (page_idle () && !gk_test_keyring_is_expecting (h.keyring), 15000);
  g_assert_true (gk_test_keyring_is_locked (h.keyring));
  g_assert_cmpstr (gk_publish_page_get_report_summary (h.page), ==, summary);
  g_assert_true (gtk_widget_get_visible (find ("sync-report")));
  g_assert_true (gtk_widget_get_visible (find ("report-unlock-button")));
  g_assert_true (gtk_widget_is_sensitive (find ("report-unlock-button")));
  g_assert_cmpstr (token_status (), ==, "The keyring is locked.");
}

/* The password typed into the prompt: the page reads the token again,
 * the report that asked for one is gone, the token is "saved". */
static void
test_unlock (void)
{
  if (skipped ())
    return;
  gk_test_keyring_expect_password (h.keyring, GK_TEST_KEYRING_PASSWORD);
  click (find ("token-unlock-button"));
  GK_GUI_WAIT (page_idle () && !gk_test_keyring_is_expecting (h.keyring), 15000);
  GK_GUI_WAIT (page_idle (), 10000);
  g_assert_false (gk_test_keyring_is_locked (h.keyring));
  g_assert_cmpstr (token_status (), ==, "Saved in the keyring.");
  g_assert_false (gtk_widget_get_visible (find ("token-unlock-button")));
  g_assert_true (gtk_widget_get_visible (find ("token-forget-button")));
  g_assert_null (gk_publish_page_get_report_summary (h.page));
  g_assert_false (gtk_widget_get_visible (find ("sync-report")));
  g_assert_false (gtk_widget_get_visible (find ("report-unlock-button")));
}

static void
test_teardown (void)
{
  if (h.window != NULL)
    gtk_window_destroy (GTK_WINDOW (h.window));
  gk_gui_test_pump (50);
  g_clear_object (&h.context);
  g_clear_object (&h.app);
  g_clear_pointer (&h.keyring, gk_test_keyring_stop);
  if (h.dir != NULL)
    gk_gui_test_remove_tree (h.dir);
  g_free (h.dir);
  g_free (h.skip);
}

int
main (int argc, char *argv[])
{
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  int              status;

  /* Never the developer's own keyring: a bus of the test's own (its
   * start unsets DISPLAY, which the window needs). */
  h.bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (h.bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  gk_gui_test_init (&argc, &argv);

  g_test_add_func ("/keyring/setup", test_setup);
  g_test_add_func ("/keyring/locked-is-said", test_locked_is_said);
  g_test_add_func ("/keyring/unlock-cancelled", test_unlock_cancelled);
  g_test_add_func ("/keyring/unlock", test_unlock);
  g_test_add_func ("/keyring/teardown", test_teardown);
  status = g_test_run ();
  /* The application and libsecret keep their bus connections to the
   * end: stop the bus without waiting for them (g_test_dbus_down() and
   * the object's finalize would wait, then fail). */
  g_test_dbus_stop (h.bus);
  return status;
}
