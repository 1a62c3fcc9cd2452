/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _GkStore GkStore;
typedef struct _GkItem GkItem;
typedef struct _GkFinding GkFinding;
typedef struct _GkImporter GkImporter;
typedef struct _GkDetected GkDetected;
typedef struct _GkCalendar GkCalendar;
typedef struct _GkItemList GkItemList;

/* Roles are a bit set: a member may hold several. */
typedef enum
{
  GK_ROLE_NONE      = 0,
  GK_ROLE_DRAFTER   = 1 << 0,
  GK_ROLE_REVIEWER  = 1 << 1,
  GK_ROLE_PUBLISHER = 1 << 2,
  GK_ROLE_ADMIN     = 1 << 3,
} GkRole;

/* A member of a library and its roles (GK_ROLE_NONE: not a member). */
typedef struct
{
  char   *user;
  GkRole  roles;
  char   *added_at;
} GkMember;

void     gk_member_free (GkMember *member);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkMember, gk_member_free)

typedef enum
{
  GK_STATE_DRAFT,
  GK_STATE_IN_REVIEW,
  GK_STATE_RETURNED,
  GK_STATE_APPROVED,
  GK_STATE_PUBLISHED,
  GK_STATE_WITHDRAWN,
} GkState;

/* Review stages of an item in GK_STATE_IN_REVIEW. */
typedef enum
{
  GK_STAGE_NONE,
  GK_STAGE_CONFIDENTIALITY, /* 保密审查 */
  GK_STAGE_RELEASE,         /* 发布审核 */
} GkStage;

/* One error domain for refusals every layer shows to the user.  The
 * codes map onto gongkai-ctl exit statuses (see gk_error_exit_status()). */
#define GK_ERROR (gk_error_quark ())
GQuark gk_error_quark (void);

typedef enum
{
  GK_ERROR_FAILED,        /* exit 1: something broke (I/O, database) */
  GK_ERROR_INVALID,       /* exit 2: a bad value; the message names the field */
  GK_ERROR_REFUSED,       /* exit 3: the workflow does not allow it */
  GK_ERROR_PERMISSION,    /* exit 3: the acting user lacks the role */
  GK_ERROR_NOT_FOUND,     /* exit 4 */
  GK_ERROR_NEWER_SCHEMA,  /* exit 1: library made by a newer version */
  GK_ERROR_UNSUPPORTED,   /* exit 1: file type we cannot import */
  GK_ERROR_PASSWORD,      /* exit 1: PDF needs a password */
  GK_ERROR_DAMAGED,       /* exit 1: file cannot be read */
  GK_ERROR_CONFLICT,      /* exit 3: a uniqueness or portal precondition clash */
  GK_ERROR_CANCELLED,     /* exit 1 */
} GkError;

int gk_error_exit_status (const GError *error);

/* What kind of refusal a GK_ERROR is, beyond its code: the core's message
 * states the facts, and each face looks at the detail to add its own
 * remedy (the command line its command or option, the window its page
 * and button).  Kept in the error's private data (an extended error
 * domain), so it survives g_error_copy(), GTask and g_propagate_error(). */
typedef enum
{
  GK_ERROR_DETAIL_NONE,
  GK_ERROR_DETAIL_MISSING_ROLE,        /* the acting member lacks the role for an action */
  GK_ERROR_DETAIL_NOT_A_MEMBER,        /* the acting user is not a member of the library */
  GK_ERROR_DETAIL_NO_LIBRARY,          /* there is no library at the path */
  GK_ERROR_DETAIL_NO_SUCH_FINDING,     /* the item has no finding with that number */
  GK_ERROR_DETAIL_BAD_FINDING_NUMBER,  /* a dismissal does not start with a finding number */
  GK_ERROR_DETAIL_REASON_REQUIRED,     /* a withdrawal without a reason */
  GK_ERROR_DETAIL_NO_TOKEN,            /* no portal token anywhere */
  GK_ERROR_DETAIL_KEYRING_UNAVAILABLE, /* the Secret Service cannot be reached */
  GK_ERROR_DETAIL_NO_PORTAL_URL,       /* no portal address given or set */
  GK_ERROR_DETAIL_INSECURE_URL,        /* plain http:// to another computer */
  GK_ERROR_DETAIL_UNKNOWN_CA,          /* the portal's certificate is from an unknown authority */
  GK_ERROR_DETAIL_PORTAL_DIFFERS,      /* the portal holds something the library does not know of */
  GK_ERROR_DETAIL_CONFLICT_UNDECIDED,  /* a person must decide a conflict with the portal */
  GK_ERROR_DETAIL_KEYRING_LOCKED,      /* a token is kept in a keyring that is locked */
} GkErrorDetail;

GkErrorDetail gk_error_get_detail (const GError *error);
void          gk_error_set_detail (GError       *error,
                                   GkErrorDetail detail);
/* The record field(s) an error is about, by key ("effective_until"):
 * messages use the field's label; the command line adds the key. */
const char *gk_error_get_field (const GError *error);
void        gk_error_set_field (GError *error, const char *field);
void gk_set_error_field (GError **error, int code, const char *field, const char *format, ...)
    G_GNUC_PRINTF (4, 5);
/* g_set_error() with a detail. */
void          gk_set_error_detail (GError       **error,
                                   int            code,
                                   GkErrorDetail  detail,
                                   const char    *format,
                                   ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
