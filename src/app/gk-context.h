/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gk-calendar.h"
#include "gk-importer.h"
#include "gk-store.h"

G_BEGIN_DECLS

/* The one root the window hangs from (like GNOME Calendar's GcalContext):
 * the library path and the store once it is open, the acting user and
 * their roles, the working-day calendar and the settings.  No globals: every
 * widget that needs a service gets the context. */

#define GK_TYPE_CONTEXT (gk_context_get_type ())
G_DECLARE_FINAL_TYPE (GkContext, gk_context, GK, CONTEXT, GObject)

GkContext   *gk_context_new               (const char  *library_path,
                                           const char  *user);
const char  *gk_context_get_library_path  (GkContext   *self);
const char  *gk_context_get_user          (GkContext   *self);
/* Act as another member from now on (a shared desk); notifies "user". */
void         gk_context_set_user          (GkContext   *self,
                                           const char  *user);

/* Open the library in the background (create: make it, with the acting
 * user as its first admin and drafter).  GK_ERROR_NOT_FOUND when it does
 * not exist and create is FALSE.  Notifies "store" when it is open. */
void         gk_context_open_async        (GkContext          *self,
                                           gboolean            create,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
gboolean     gk_context_open_finish       (GkContext    *self,
                                           GAsyncResult *result,
                                           GError      **error);
/* NULL until the library is open. */
GkStore     *gk_context_get_store         (GkContext   *self);
/* A new importer acting as the user (one per import run, so that a
 * password given for one file never leaks into the next run). */
GkImporter  *gk_context_new_importer      (GkContext   *self);
GkCalendar  *gk_context_get_calendar      (GkContext   *self);
/* The roles of the acting user, from the members as last read ("roles"
 * notifies a change). */
GkRole       gk_context_get_roles         (GkContext   *self);
/* The members as last read (GkMember*), NULL before the library is open. */
GPtrArray   *gk_context_get_members       (GkContext   *self);
/* The roles of user among the members as last read. */
GkRole       gk_context_get_roles_of      (GkContext   *self,
                                           const char  *user);
/* Read the members again in the background ("members" notifies). */
void         gk_context_reload_members    (GkContext   *self);
gboolean     gk_context_is_loading_members (GkContext  *self);
/* The acting user as a member of the library (no roles before it is
 * open), and the library's workflow settings: what gk_policy_can() needs. */
GkMember    *gk_context_get_member        (GkContext     *self);
void         gk_context_get_policy_rules  (GkContext     *self,
                                           GkPolicyRules *rules);
/* May the acting user do action (to item, or NULL) now?  The policy's
 * answer; reason (optional) says why not in the user's words, with
 * where in the window the remedy is (gk_context_error_text()). */
gboolean     gk_context_can               (GkContext   *self,
                                           GkAction     action,
                                           GkItem      *item,
                                           char       **reason);
/* A core error as the window shows it: the core's message and, for a
 * refusal the window can help with, the page and button to use. */
char        *gk_context_error_text        (const GError *error);
/* "Admin, Drafter" in the user's words; "Not a member" when none. */
char        *gk_context_describe_roles    (GkContext   *self);
/* NULL when the schema is not installed (then nothing is remembered). */
GSettings   *gk_context_get_settings      (GkContext   *self);

G_END_DECLS
