/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>
#include "gk-types.h"

G_BEGIN_DECLS

/* What a finding is.  The strings of gk_finding_kind_to_string() are
 * what the store, the JSON and the command line use. */
typedef enum
{
  GK_FINDING_SECRECY_MARK, /* 密级, 份号 and warning marks */
  GK_FINDING_ID_CARD,
  GK_FINDING_MOBILE,
  GK_FINDING_BANK_CARD,
  GK_FINDING_KEYWORD,
  GK_FINDING_LANDLINE, /* for information only */
} GkFindingKind;

/* Where a finding stands: "open", "dismissed" or "info" outside. */
typedef enum
{
  GK_FINDING_OPEN,
  GK_FINDING_DISMISSED,
  GK_FINDING_INFO,
} GkFindingStatus;

/* A screening finding: something in the text that must not go public
 * unchecked.  `value` is always masked for numbers; the full number is
 * never stored, logged or audited. */
struct _GkFinding
{
  gint64          id; /* store row id, 0 before it is stored */
  GkFindingKind   kind;
  char           *value;  /* masked value or the matched mark/word */
  int             page;   /* 1-based page number */
  int             offset; /* character offset of the match in that page's text */
  int             length; /* length of the match in characters */
  GkFindingStatus status; /* landlines are GK_FINDING_INFO from the start */
  char           *reason; /* why it was dismissed */
  char           *decided_by;
  char           *decided_at;
};

#define GK_TYPE_FINDING (gk_finding_get_type ())
GType      gk_finding_get_type   (void) G_GNUC_CONST;
GkFinding *gk_finding_new (GkFindingKind kind, const char *value, int page, int offset, int length);
GkFinding *gk_finding_copy       (const GkFinding *finding);
void       gk_finding_free       (GkFinding *finding);
/* {id, kind, value, page, status} plus reason when dismissed. */
JsonNode  *gk_finding_to_json    (const GkFinding *finding);
/* "secrecy_mark", "open": the stored and printed names.  from_string
 * refuses a name it does not know (and leaves @out alone). */
const char *gk_finding_kind_to_string (GkFindingKind kind);
gboolean    gk_finding_kind_from_string (const char *string, GkFindingKind *out);
const char *gk_finding_status_to_string (GkFindingStatus status);
gboolean    gk_finding_status_from_string (const char *string, GkFindingStatus *out);
/* The user's words for a kind ("Secrecy mark") and a status ("Open"). */
const char *gk_finding_kind_to_label (GkFindingKind kind);
const char *gk_finding_status_to_label (GkFindingStatus status);
/* 身份证号, mobile and bank card numbers. */
gboolean   gk_finding_is_personal_data (const GkFinding *finding);
/* Open secrecy marks and open personal numbers block approval. */
gboolean   gk_finding_is_blocking      (const GkFinding *finding);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkFinding, gk_finding_free)

G_END_DECLS
