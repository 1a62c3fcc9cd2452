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

G_END_DECLS
