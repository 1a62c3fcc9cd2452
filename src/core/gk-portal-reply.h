/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "gk-types.h"

G_BEGIN_DECLS

/* The portal's answers, read and checked against portal-api.md.
 *
 * gk_portal_reply_parse() is a pure function over the bytes of one
 * answer (its status, the few headers that matter, its body): no
 * network, no client, no token, so that tests and a fuzzer can call it
 * on anything.  An answer that follows the contract, success or error,
 * becomes a GkPortalResponse that says what the caller must do next.
 * An answer that breaks it (a 2xx whose body lacks a member or has one
 * of the wrong type or range, a weak or missing ETag, a public_url that
 * is not an absolute http(s) address, a status code this request cannot
 * get, a body that is not JSON…) is a GError (GK_ERROR_DAMAGED) that
 * names every problem found: never a success. */

typedef enum
{
  GK_PORTAL_OK,         /* 2xx, checked */
  GK_PORTAL_NOT_FOUND,  /* 404 where it is an answer: HEAD /files, GET and DELETE /documents */
  GK_PORTAL_CONFLICT,   /* 412: the portal's copy changed; a person must decide */
  GK_PORTAL_REFUSED,    /* 400, 404 on PUT, 413, 422 and other 4xx: do not retry */
  GK_PORTAL_AUTH,       /* 401, 403: stop the batch */
  GK_PORTAL_TRANSIENT,  /* 429, 5xx, refused/reset connections, timeouts, cut, unreadable
                         * or broken answers: retry */
  GK_PORTAL_FATAL,      /* certificate not trusted, redirect, TLS failure: stop the batch */
} GkPortalOutcome;

typedef enum
{
  GK_PORTAL_REQUEST_HEALTH,           /* GET /health */
  GK_PORTAL_REQUEST_HEAD_FILE,        /* HEAD /files/{sha256} */
  GK_PORTAL_REQUEST_PUT_FILE,         /* PUT /files/{sha256} */
  GK_PORTAL_REQUEST_PUT_DOCUMENT,     /* PUT /documents/{id} */
  GK_PORTAL_REQUEST_GET_DOCUMENT,     /* GET /documents/{id} */
  GK_PORTAL_REQUEST_DELETE_DOCUMENT,  /* DELETE /documents/{id} */
  GK_PORTAL_REQUEST_LIST_DOCUMENTS,   /* GET /documents?limit=N&after=CURSOR */
} GkPortalRequestKind;

/* What was asked: the answer is checked against it. */
typedef struct
{
  GkPortalRequestKind  kind;
  const char          *document_id;  /* the {id} of a /documents/{id} request */
  gint64               revision;     /* PUT /documents: the record's revision (0: unknown) */
  guint                limit;        /* GET /documents: the limit asked for (0: unknown) */
} GkPortalRequestInfo;

/* The answer's headers that matter; NULL when absent.  A header sent
 * more than once is given as its values joined with ", ". */
typedef struct
{
  const char *content_type;
  const char *etag;
  const char *retry_after;
} GkPortalReplyHeaders;

typedef struct
{
  char *field;
  char *problem;
} GkPortalProblem;

/* One entry of GET /documents. */
typedef struct
{
  char   *id;          /* canonical lowercase UUID */
  gint64  revision;    /* ≥ 1 */
  char   *etag;        /* bare */
  char   *status;      /* published | withdrawn */
  char   *updated_at;
} GkPortalListed;

typedef struct
{
  GkPortalOutcome  outcome;
  guint            status;          /* HTTP status; 0 when no answer came */
  char            *etag;            /* the bare, strong ETag of a checked 2xx answer */
  JsonNode        *body;            /* the parsed JSON body, or NULL */
  char            *error_code;      /* the error shape's "code", e.g. "validation_failed" */
  char            *message;         /* the portal's message, or what went wrong on the way */
  GPtrArray       *fields;          /* GkPortalProblem*, from the error shape */
  gint64           retry_after_ms;  /* Retry-After, in ms; -1 when absent */
  gboolean         broken;          /* the answer broke portal-api.md (message says how):
                                     * outcome TRANSIENT, a failed attempt */
  GTlsCertificateFlags tls_errors; /* why the certificate is not trusted (outcome FATAL), else 0:
                                    * for the faces' remedies (a CA file) */

  /* Of a checked 2xx answer: */
  char            *id;              /* PUT/GET /documents/{id}: equal to the URL's */
  gint64           revision;        /* PUT/GET /documents/{id}: ≥ 1 */
  char            *public_url;      /* PUT/GET /documents/{id}: absolute http(s) */
  char            *document_status; /* PUT: published; GET: published | withdrawn */
  char            *updated_at;      /* GET /documents/{id} */
  gint64           max_file_bytes;  /* GET /health: ≥ 1 */
  GPtrArray       *listed;          /* GET /documents: GkPortalListed*, by id */
  char            *next;            /* GET /documents: the next cursor, NULL at the end */
} GkPortalResponse;

/* Answers larger than this are not read (a portal answer is small). */
#define GK_PORTAL_REPLY_MAX_BYTES (16 * 1024 * 1024)

/* Read one answer.  Returns the response (never with outcome
 * GK_PORTAL_OK unless every member the contract names for that answer
 * is there, of its type and in its range), or NULL and GK_ERROR_DAMAGED
 * with every problem found ("“public_url” should be an absolute http(s)
 * address, not \"javascript:alert(1)\"; …").  body may be NULL when
 * body_len is 0. */
GkPortalResponse *gk_portal_reply_parse          (const GkPortalRequestInfo  *request,
                                                  guint                       status,
                                                  const GkPortalReplyHeaders *headers,
                                                  const guint8               *body,
                                                  gsize                       body_len,
                                                  GError                    **error);
/* "PUT /documents/{id}" and so on, for messages. */
char             *gk_portal_request_describe     (const GkPortalRequestInfo  *request);

/* A response for the client to fill (retry_after_ms -1, fields empty). */
GkPortalResponse *gk_portal_response_new         (GkPortalOutcome  outcome,
                                                  guint            status);
void              gk_portal_response_free        (GkPortalResponse *response);
/* A sentence for the user: the portal's message plus its fields
 * ("written_date: not a date"), or what went wrong on the way. */
char             *gk_portal_response_describe    (const GkPortalResponse *response);
/* The fields as a JSON array [{"field", "problem"}] (never NULL). */
JsonNode         *gk_portal_response_fields_json (const GkPortalResponse *response);
const char       *gk_portal_outcome_to_string    (GkPortalOutcome outcome);

/* Is this a strong entity tag's bare value (1–256 visible ASCII
 * characters but the double quote)? */
gboolean          gk_portal_etag_is_valid        (const char *etag);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkPortalResponse, gk_portal_response_free)

G_END_DECLS
