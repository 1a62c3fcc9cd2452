/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "gk-types.h"
#include "gk-gongwen.h"
#include "gk-pdf.h"

G_BEGIN_DECLS

/* What an import could not read, said so that a person checks the record
 * instead of trusting it.  A warning is a JSON object, so that it travels
 * in `import --json`, is kept with the item (in its detected values) and
 * is shown again later in the reader's language:
 *
 *   {"code": "needs_ocr"}                          no text layer at all (a scan)
 *   {"code": "page_unreadable", "page": 1,         page 1 gave nothing usable:
 *    "reason": "missing" | "damaged" | "empty" |   nothing was detected
 *              "blank" | "garbage",
 *    "reader_errors": N}
 *   {"code": "reader_errors", "pages": [2, 5],     poppler reported errors reading
 *    "reader_errors": N}                           these pages (page 0: opening
 *                                                  the file): text may be missing
 *   {"code": "no_fields"}                          text, but no 标题, 文号, 发文机关
 *                                                  or 成文日期 in it
 *   {"code": "fields_missing",                     some of them not found
 *    "fields": ["doc_number", "written_date"]}
 *   {"code": "same_doc_number", "item": "3f2a…",   another item has this 文号
 *    "doc_number": "沪应急办〔2023〕20号"}
 *
 * Each also has "message", the text in the language of the import. */

/* The record fields every 公文 should yield; a warning names those that
 * were not found. */
const char *const *gk_import_core_fields (void);

/* Whether detection may read page 1 of text: FALSE when the page is
 * missing, damaged, empty or undecodable (a page_unreadable or needs_ocr
 * warning says why). */
gboolean    gk_import_can_detect (const GkPdfText *text);

/* The warnings about text (what extraction could read) and, when
 * detection ran, detected (what it could not find); detected may be NULL.
 * Returns: (transfer full): a JSON array, empty when all is well. */
JsonArray  *gk_import_warnings_check (const GkPdfText  *text,
                                      const GkDetected *detected);

JsonObject *gk_import_warning_same_doc_number (const char *item_id,
                                               const char *doc_number);

/* GK_ITEM_FLAG_NEEDS_OCR and GK_ITEM_FLAG_NEEDS_ATTENTION as the warnings
 * call for them: a record that was not read at all needs attention. */
guint       gk_import_warnings_flags (JsonArray *warnings);

/* The user's words for one warning, in the current language; NULL for
 * an object that is not a warning. */
char       *gk_import_warning_to_text (JsonObject *warning);
/* Every warning's text, joined by spaces; NULL when there is none. */
char       *gk_import_warnings_to_text (JsonArray *warnings);

/* The warnings kept with an item (its detected_json); NULL if none. */
JsonArray  *gk_import_warnings_from_detected_json (const char *detected_json);

G_END_DECLS
