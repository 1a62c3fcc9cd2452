/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the bytes as one answer of the portal, read by
 * gk_portal_reply_parse() as the portal client reads every answer.
 *
 * The input is
 *   byte 0      what was asked (GkPortalRequestKind, modulo 7)
 *   bytes 1–2   the HTTP status, big-endian, modulo 1000
 *   byte 3      flags: bits 0–1 Content-Type (0 none, 1 application/json,
 *               2 application/json; charset=utf-8, 3 the next line),
 *               bit 2 an ETag line follows, bit 3 a Retry-After line,
 *               bit 4 the request names no document id,
 *               bits 5–7 the revision sent (0: unknown)
 *   byte 4      the listing's limit (0: unknown)
 *   then the header lines the flags announce, each ending in '\n',
 *   then the body (none when empty).
 * Header values are what libsoup gives: any bytes but NUL.
 *
 * Besides memory errors, it checks what the contract promises callers:
 * an answer is taken (GK_PORTAL_OK) only with every member in range, and
 * every text that comes out is valid UTF-8. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "gk-portal-reply.h"
#include "gk-util.h"

#include "fuzz-common.h"

#define DOCUMENT_ID "0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10"

/* The next header line of the input: its bytes up to '\n' (or the end),
 * cut at a NUL as a C string would be. */
static char *
take_line (const uint8_t **data, size_t *size)
{
  const uint8_t *end = memchr (*data, '\n', *size);
  size_t         len = end != NULL ? (size_t) (end - *data) : *size;
  char          *line = g_strndup ((const char *) *data, len);

  *data += len;
  *size -= len;
  if (end != NULL)
    {
      (*data)++;
      (*size)--;
    }
  return line;
}

static void
check_text (const char *text, const char *what)
{
  fuzz_check_utf8 (text, what);
}

static void
check_taken (const GkPortalRequestInfo *request, const GkPortalResponse *response)
{
  if (response->status < 200 || response->status >= 300)
    fuzz_fail ("HTTP %u was taken as a success", response->status);

  switch (request->kind)
    {
      case GK_PORTAL_REQUEST_PUT_DOCUMENT:
      case GK_PORTAL_REQUEST_GET_DOCUMENT:
        if (response->id == NULL ||
            (request->document_id != NULL && strcmp (response->id, request->document_id) != 0))
          fuzz_fail ("a document answer was taken with id “%s”",
                     response->id ? response->id : "(null)");
        if (response->revision < 1)
          fuzz_fail ("a document answer was taken with revision %" G_GINT64_FORMAT,
                     response->revision);
        if (request->kind == GK_PORTAL_REQUEST_PUT_DOCUMENT && request->revision > 0 &&
            response->revision != request->revision)
          fuzz_fail ("PUT answered revision %" G_GINT64_FORMAT " for %" G_GINT64_FORMAT
                     " and was taken",
                     response->revision, request->revision);
        if (!gk_url_is_http (response->public_url))
          fuzz_fail ("a document answer was taken with public_url “%s”",
                     response->public_url ? response->public_url : "(null)");
        if (!gk_portal_etag_is_valid (response->etag))
          fuzz_fail ("a document answer was taken with ETag “%s”",
                     response->etag ? response->etag : "(null)");
        if (g_strcmp0 (response->document_status, "published") != 0 &&
            (request->kind == GK_PORTAL_REQUEST_PUT_DOCUMENT ||
             g_strcmp0 (response->document_status, "withdrawn") != 0))
          fuzz_fail ("a document answer was taken with status “%s”",
                     response->document_status ? response->document_status : "(null)");
        if (request->kind == GK_PORTAL_REQUEST_GET_DOCUMENT &&
            gk_str_is_blank (response->updated_at))
          fuzz_fail ("GET /documents/{id} was taken without updated_at");
        break;
      case GK_PORTAL_REQUEST_HEALTH:
        if (response->max_file_bytes < 1)
          fuzz_fail ("GET /health was taken with max_file_bytes %" G_GINT64_FORMAT,
                     response->max_file_bytes);
        break;
      case GK_PORTAL_REQUEST_LIST_DOCUMENTS:
        if (request->limit > 0 && response->listed->len > request->limit)
          fuzz_fail ("a listing of %u entries was taken for a limit of %u", response->listed->len,
                     request->limit);
        if (response->next != NULL && *response->next == '\0')
          fuzz_fail ("a listing was taken with an empty cursor");
        check_text (response->next, "the listing's cursor");
        for (guint i = 0; i < response->listed->len; i++)
          {
            GkPortalListed *listed = g_ptr_array_index (response->listed, i);

            if (!gk_uuid_is_valid (listed->id))
              fuzz_fail ("listed entry %u was taken with id “%s”", i,
                         listed->id ? listed->id : "(null)");
            if (i > 0 &&
                strcmp (((GkPortalListed *) g_ptr_array_index (response->listed, i - 1))->id,
                        listed->id) >= 0)
              fuzz_fail ("listed entry %u was taken out of order", i);
            if (listed->revision < 1 || !gk_portal_etag_is_valid (listed->etag))
              fuzz_fail ("listed entry %u was taken with revision %" G_GINT64_FORMAT
                         " or a bad ETag",
                         i, listed->revision);
            if (g_strcmp0 (listed->status, "published") != 0 &&
                g_strcmp0 (listed->status, "withdrawn") != 0)
              fuzz_fail ("listed entry %u was taken with status “%s”", i,
                         listed->status ? listed->status : "(null)");
            check_text (listed->updated_at, "a listed entry's updated_at");
          }
        break;
      case GK_PORTAL_REQUEST_HEAD_FILE:
      case GK_PORTAL_REQUEST_PUT_FILE:
      case GK_PORTAL_REQUEST_DELETE_DOCUMENT:
      default:
        break;
    }
}

static void
check_response (const GkPortalRequestInfo *request, const GkPortalResponse *response)
{
  g_autofree char *described = gk_portal_response_describe (response);
  g_autoptr (JsonNode) fields = gk_portal_response_fields_json (response);
  g_autofree char *fields_text = gk_json_to_string (fields, FALSE);

  if (response->outcome == GK_PORTAL_OK)
    check_taken (request, response);
  else if (response->status >= 200 && response->status < 300)
    fuzz_fail ("HTTP %u came back as %s, not as a success or an error", response->status,
               gk_portal_outcome_to_string (response->outcome));
  if (response->retry_after_ms < -1)
    fuzz_fail ("Retry-After became %" G_GINT64_FORMAT " ms", response->retry_after_ms);
  check_text (response->etag, "the response's ETag");
  check_text (response->error_code, "the portal's error code");
  check_text (response->message, "the portal's message");
  check_text (response->id, "the response's id");
  check_text (response->public_url, "the response's public_url");
  check_text (response->updated_at, "the response's updated_at");
  for (guint i = 0; i < response->fields->len; i++)
    {
      GkPortalProblem *problem = g_ptr_array_index (response->fields, i);

      check_text (problem->field, "a problem's field");
      check_text (problem->problem, "a problem's text");
    }
  check_text (described, "the response's description");
  check_text (fields_text, "the problems' JSON");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const content_types[] = { NULL, "application/json",
                                               "application/json; charset=utf-8" };
  g_autofree char         *content_type = NULL;
  g_autofree char         *etag = NULL;
  g_autofree char         *retry_after = NULL;
  g_autofree char         *what = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GkPortalResponse) response = NULL;
  GkPortalRequestInfo  request = { 0 };
  GkPortalReplyHeaders headers = { 0 };
  guint                status;
  guint                flags;

  fuzz_init ();
  if (size < 5)
    return 0;
  request.kind = (GkPortalRequestKind) (data[0] % 7);
  status = (((guint) data[1] << 8) | data[2]) % 1000;
  flags = data[3];
  request.document_id = (flags & 0x10) ? NULL : DOCUMENT_ID;
  request.revision = (flags >> 5) & 0x7;
  request.limit = data[4];
  data += 5;
  size -= 5;

  if ((flags & 0x3) == 3)
    content_type = take_line (&data, &size);
  else
    content_type = g_strdup (content_types[flags & 0x3]);
  if (flags & 0x4)
    etag = take_line (&data, &size);
  if (flags & 0x8)
    retry_after = take_line (&data, &size);
  headers.content_type = content_type;
  headers.etag = etag;
  headers.retry_after = retry_after;

  what = gk_portal_request_describe (&request);
  check_text (what, "the request's description");
  response =
      gk_portal_reply_parse (&request, status, &headers, size > 0 ? data : NULL, size, &error);
  if ((response == NULL) == (error == NULL))
    fuzz_fail ("gk_portal_reply_parse() gave %s",
               response ? "a response and an error" : "neither a response nor an error");
  if (response == NULL)
    {
      if (!g_error_matches (error, GK_ERROR, GK_ERROR_DAMAGED))
        fuzz_fail ("a broken answer gave an error other than GK_ERROR_DAMAGED: %s", error->message);
      check_text (error->message, "the error's message");
      return 0;
    }
  if (response->status != status)
    fuzz_fail ("the response says HTTP %u for HTTP %u", response->status, status);
  check_response (&request, response);
  return 0;
}
