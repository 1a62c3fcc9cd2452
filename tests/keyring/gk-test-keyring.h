/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A real Secret Service for tests: gnome-keyring-daemon on this
 * process's session bus (which must be a private one: GTestDBus), with a
 * login keyring made and unlocked with GK_TEST_KEYRING_PASSWORD, and its
 * prompts answered by gcr's mock prompter in this process (what a person
 * would type into the keyring's own dialog). */

#define GK_TEST_KEYRING_PASSWORD "test-keyring-password"

typedef struct _GkTestKeyring GkTestKeyring;

/* NULL, with *skip_reason set, when the daemon or gcr's mock prompter
 * is missing or the daemon does not come up. */
GkTestKeyring *gk_test_keyring_start (const char *home, char **skip_reason);
void           gk_test_keyring_stop (GkTestKeyring *keyring);
/* Locks the default (login) collection, as a restart leaves it. */
void     gk_test_keyring_lock (GkTestKeyring *keyring);
gboolean gk_test_keyring_is_locked (GkTestKeyring *keyring);
/* The answer to the next prompt: the password, or Cancel. */
void gk_test_keyring_expect_password (GkTestKeyring *keyring, const char *password);
void gk_test_keyring_expect_cancel (GkTestKeyring *keyring);
/* Whether a prompt still waits to be answered as expected. */
gboolean gk_test_keyring_is_expecting (GkTestKeyring *keyring);

G_END_DECLS
