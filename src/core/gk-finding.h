/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>
#include "gk-types.h"

G_BEGIN_DECLS

/* A screening finding: something in the text that must not go public
 * unchecked.  `value` is always masked for numbers; the full number is
 * never stored, logged or audited. */
struct _GkFinding
{
  gint64  id;         /* store row id, 0 before it is stored */
  char   *kind;       /* secrecy_mark (also 份号 and warning marks) | id_card | mobile | bank_card | keyword | landline (info) */
  char   *value;      /* masked value or the matched mark/word */
  int     page;       /* 1-based page number */
  int     offset;     /* character offset of the match in that page's text */
  int     length;     /* length of the match in characters */
  char   *status;     /* open | dismissed | info */
  char   *reason;     /* why it was dismissed */
  char   *decided_by;
  char   *decided_at;
};

#define GK_TYPE_FINDING (gk_finding_get_type ())
GType      gk_finding_get_type   (void) G_GNUC_CONST;
GkFinding *gk_finding_new        (const char *kind,
                                  const char *value,
                                  int         page,
                                  int         offset,
                                  int         length);
GkFinding *gk_finding_copy       (const GkFinding *finding);
void       gk_finding_free       (GkFinding *finding);
/* {id, kind, value, page, status} plus reason when dismissed. */
JsonNode  *gk_finding_to_json    (const GkFinding *finding);
/* The user's words for a kind ("Secrecy mark") and a status ("Open"). */
const char *gk_finding_kind_to_label   (const char *kind);
const char *gk_finding_status_to_label (const char *status);
/* 身份证号, mobile and bank card numbers. */
gboolean   gk_finding_is_personal_data (const GkFinding *finding);
/* Open secrecy marks and open personal numbers block approval. */
gboolean   gk_finding_is_blocking      (const GkFinding *finding);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkFinding, gk_finding_free)

G_END_DECLS
