/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "gk-types.h"
#include "gk-finding.h"

G_BEGIN_DECLS

/* Confidentiality screening (domain.md section 3): secrecy marks, 份号,
 * warning marks, 身份证号 (GB 11643 checksum + real birth date, and the
 * 15-digit form), mobile numbers, bank cards (16–19 digits + Luhn), the
 * library's sensitive words.  Office landlines are reported with status
 * "info".  Numbers inside a 文号 or a date, failed checksums, masked
 * numbers and short hotlines (12345) are not findings.  Full-width digits
 * and spaces inserted by extraction are normalised before matching;
 * offsets refer to the original page text. */

/* pages: text per page; sensitive_words: NULL-terminated, may be NULL.
 * Returns GkFinding* (status "open", or "info" for landlines), ordered by
 * page and offset.  Kinds: secrecy_mark (密级 marks, 份号 as "份号 000123",
 * warning marks such as 内部资料), id_card, mobile, bank_card, keyword,
 * landline. */
GPtrArray *gk_screening_scan          (const char *const *pages,
                                       guint              n_pages,
                                       const char *const *sensitive_words);

/* The warning marks (内部资料, 注意保存, 内部…) in the order the scanner
 * tries them, longest first, NULL-terminated; and the value a finding
 * reports for one of them.  Field detection uses the same list. */
const char *const *gk_screening_warning_marks      (void);
const char        *gk_screening_warning_mark_value (const char *word);

/* Checks used by the scanner, public for tests and the editor. */
gboolean   gk_screening_id_card_valid (const char *digits);   /* 18 or 15 chars */
gboolean   gk_screening_luhn_valid    (const char *digits);

G_END_DECLS
