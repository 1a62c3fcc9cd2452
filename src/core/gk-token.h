/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "gk-types.h"

G_BEGIN_DECLS

/* The portal token (a bearer secret).  It comes from a file the user
 * names (--token-file), then $GONGKAI_PORTAL_TOKEN, then the Secret
 * Service keyring (schema "cn.gov.gongkai.Desk.PortalToken", keyed by
 * the portal URL).  It never goes into the library, a log, the audit or
 * an error message: every message here names where the token was looked
 * for, never what it is.  Free tokens with gk_token_free(), which wipes
 * the memory first. */

#define GK_TOKEN_ENV "GONGKAI_PORTAL_TOKEN"
#define GK_TOKEN_SCHEMA_NAME "cn.gov.gongkai.Desk.PortalToken"

typedef enum
{
  GK_TOKEN_SOURCE_NONE,
  GK_TOKEN_SOURCE_FILE,
  GK_TOKEN_SOURCE_ENVIRONMENT,
  GK_TOKEN_SOURCE_KEYRING,
} GkTokenSource;

const char *gk_token_source_to_string (GkTokenSource source);

/* Wipe and free (NULL is ignored). */
void        gk_token_free             (char *token);

/* Can this text be sent in an Authorization header: 1–4096 visible
 * ASCII characters (RFC 6750 b64token and a little more), no spaces? */
gboolean    gk_token_is_valid         (const char *token);

/* The token in a file: the first line, surrounding white space removed.
 * GK_ERROR_NOT_FOUND if the file does not exist, GK_ERROR_INVALID if it
 * is empty or not a usable token, GK_ERROR_FAILED if it cannot be read.
 * When the file can be read by the group or others, *warning (if given)
 * is set to a message saying so (the token is still returned). */
char       *gk_token_read_file        (const char  *path,
                                       char       **warning,
                                       GError     **error);

/* $GONGKAI_PORTAL_TOKEN: NULL without an error when unset or empty;
 * GK_ERROR_INVALID when set to something that is not a usable token. */
char       *gk_token_from_environment (GError **error);

/* The keyring.  The portal URL is the key (a trailing "/" is ignored).
 * lookup: NULL without an error when nothing is stored for the URL; it
 * never prompts, and a token kept in a locked keyring (after a restart,
 * before the session unlocked it) is GK_ERROR_PERMISSION with
 * GK_ERROR_DETAIL_KEYRING_LOCKED, not "none".  When the Secret Service
 * cannot be reached, GK_ERROR_FAILED with GK_ERROR_DETAIL_KEYRING_UNAVAILABLE
 * and a message that says the keyring is unavailable. */
char       *gk_token_keyring_lookup   (const char    *portal_url,
                                       GCancellable  *cancellable,
                                       GError       **error);
/* Storing and forgetting are the admin's (gk_policy_check() with
 * GK_ACTION_STORE_TOKEN, GK_ACTION_FORGET_TOKEN): GK_ERROR_PERMISSION
 * for another member, before the keyring is touched. */
gboolean    gk_token_keyring_store    (const GkMember *member,
                                       const char     *portal_url,
                                       const char     *token,
                                       GCancellable   *cancellable,
                                       GError        **error);
/* TRUE also when nothing was stored. */
gboolean    gk_token_keyring_clear    (const GkMember *member,
                                       const char     *portal_url,
                                       GCancellable   *cancellable,
                                       GError        **error);

/* The same without waiting (for the window): lookup and unlock are
 * libsecret's async calls, store and clear run in a worker. */
void        gk_token_keyring_lookup_async  (const char          *portal_url,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char       *gk_token_keyring_lookup_finish (GAsyncResult        *result,
                                            GError             **error);
/* Unlocks the keyring collection that keeps the token of portal_url,
 * through the keyring's own prompt; TRUE also when nothing is stored.
 * G_IO_ERROR_CANCELLED when the person dismissed the prompt. */
void        gk_token_keyring_unlock_async (const char         *portal_url,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
gboolean    gk_token_keyring_unlock_finish (GAsyncResult *result, GError **error);
void        gk_token_keyring_store_async   (const GkMember      *member,
                                            const char          *portal_url,
                                            const char          *token,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    gk_token_keyring_store_finish  (GAsyncResult        *result,
                                            GError             **error);
void        gk_token_keyring_clear_async   (const GkMember      *member,
                                            const char          *portal_url,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    gk_token_keyring_clear_finish  (GAsyncResult        *result,
                                            GError             **error);

/* The token by precedence: token_file (when not NULL), then the
 * environment, then (when use_keyring) the keyring entry for portal_url.
 * A named file that cannot be used is an error: it does not fall through
 * to the next source.  With no token anywhere, GK_ERROR_PERMISSION with
 * a message listing the three ways to give one (and, when the keyring
 * could not be reached, saying so); GK_ERROR_DETAIL_KEYRING_LOCKED when
 * the keyring holds one but is locked. */
char       *gk_token_resolve          (const char     *token_file,
                                       const char     *portal_url,
                                       gboolean        use_keyring,
                                       GkTokenSource  *source,
                                       char          **warning,
                                       GError        **error);

G_END_DECLS
