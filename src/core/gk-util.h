/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "gk-types.h"

G_BEGIN_DECLS

/* A new random UUID, lowercase canonical 8-4-4-4-12 form. */
char     *gk_uuid_new               (void);
gboolean  gk_uuid_is_valid          (const char *text);

/* Lowercase hex SHA-256 of a file's bytes; streams, never loads it whole. */
char     *gk_sha256_file            (const char   *path,
                                     GCancellable *cancellable,
                                     goffset      *out_size,
                                     GError      **error);

/* TRUE if text is a real calendar date in YYYY-MM-DD form. */
gboolean  gk_date_is_valid          (const char *text);
/* Today's local date as YYYY-MM-DD. Honours $GONGKAI_TODAY (YYYY-MM-DD)
 * so that tests and demos can pin the clock. */
char     *gk_date_today             (void);
/* UTC timestamp, ISO 8601 with milliseconds, for audit and records. */
char     *gk_timestamp_now          (void);
GDate    *gk_date_parse             (const char *iso);
char     *gk_date_format            (const GDate *date);

/* Absolute http(s) URL with a host. */
gboolean  gk_url_is_http            (const char *text);
/* A whole number of seconds from minimum to maximum ("120"), nothing
 * else around it; *out (if not NULL) gets it. */
gboolean  gk_parse_seconds          (const char *text,
                                     guint       minimum,
                                     guint       maximum,
                                     guint      *out);

/* Text from outside (arguments, files, the database) must be valid
 * UTF-8 before it is stored, hashed into the audit or printed as JSON.
 * gk_utf8_check() refuses it with a GK_ERROR_INVALID error that starts
 * with what (the field); with length >= 0 a NUL byte is refused too.
 * gk_utf8_sanitize() replaces every invalid sequence and NUL with U+FFFD,
 * for text that is shown or kept rather than typed (PDF text, display). */
gboolean  gk_utf8_check             (const char *text,
                                     gssize      length,
                                     const char *what,
                                     GError    **error);
char     *gk_utf8_sanitize          (const char *text,
                                     gssize      length);

/* Length in Unicode characters (portal lengths count characters). */
glong     gk_utf8_length            (const char *text);

/* NULL-safe: blank (NULL, "" or only white space) counts as missing. */
gboolean  gk_str_is_blank           (const char *text);
char     *gk_strdup_or_null         (const char *text);

/* Split "a,b, c" (also ，、；;) into a trimmed, de-duplicated strv, no blanks. */
GStrv     gk_strv_from_list         (const char *text);
gboolean  gk_strv_equal0            (const char *const *a,
                                     const char *const *b);

/* Mask a number for display and logs: keep the first 3/4 and last 4
 * characters, star the rest ("110101********1234"). */
char     *gk_mask_number            (const char *digits);

/* The acting user: --as, then $GONGKAI_USER, then the OS account name. */
const char *gk_default_user         (void);

/* The library folder: $GONGKAI_LIBRARY, then $XDG_DATA_HOME/gongkai/library. */
char     *gk_default_library_path   (void);

/* Run func on context's thread, always later through an idle source:
 * unlike g_main_context_invoke(), never right away in the calling
 * thread (which happens from a worker when the context is free). */
void      gk_main_context_dispatch  (GMainContext  *context,
                                     int            priority,
                                     GSourceFunc    func,
                                     gpointer       data,
                                     GDestroyNotify notify);

/* Serialise a JsonNode compactly (stable key order as built). */
char     *gk_json_to_string         (JsonNode *node, gboolean pretty);

/* A size limit as people state it: a whole number of binary megabytes
 * or kilobytes ("100 MB" for 104857600), else as g_format_size() does. */
char *gk_format_byte_limit (guint64 bytes);

G_END_DECLS
