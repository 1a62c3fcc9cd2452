/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* JSON and record rules of portal-api.md, independent of HTTP. */

typedef struct
{
  char *field;    /* "written_date", "validity.status", "attachments[1].sha256" */
  char *problem;  /* "not a date (YYYY-MM-DD)" */
} GkpProblem;

typedef enum
{
  GKP_RECORD_VALID,
  GKP_RECORD_INVALID,       /* 422 validation_failed */
  GKP_RECORD_NOT_PUBLIC,    /* 422 not_public */
  GKP_RECORD_FILE_MISSING,  /* 422 file_missing */
} GkpRecordVerdict;

typedef gboolean (*GkpHasFileFunc) (const char *sha256,
                                    gpointer    user_data);

void              gkp_problem_free        (GkpProblem *problem);

JsonNode         *gkp_json_parse          (const char *data,
                                           gsize       len,
                                           GError    **error);
char             *gkp_json_object_with_members (const char *text,
                                                JsonObject *extra);
gboolean          gkp_json_equal          (JsonNode   *a,
                                           JsonNode   *b);

gboolean          gkp_is_canonical_uuid   (const char *text);
gboolean          gkp_is_sha256_hex       (const char *text);
gboolean          gkp_is_date             (const char *text);

GkpRecordVerdict  gkp_record_validate     (JsonObject     *record,
                                           const char     *url_id,
                                           GkpHasFileFunc  has_file,
                                           gpointer        user_data,
                                           GPtrArray      *problems);
const char       *gkp_record_get_string   (JsonObject     *record,
                                           const char     *member);

G_END_DECLS
