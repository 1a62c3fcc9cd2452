/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "gk-types.h"

G_BEGIN_DECLS

/* 公文 field detection (GB/T 9704-2012 layout) from extracted page text.
 * Every field is NULL when not found. */
struct _GkDetected
{
  char *doc_number;          /* 发文字号, brackets normalised to 〔〕 */
  char *doc_number_original; /* as written */
  char *title;               /* 标题, joined across lines */
  char *issuer;              /* 发文机关 */
  char *written_date;        /* 成文日期, YYYY-MM-DD */
  char *disclosure;          /* proactive | on_request | withheld, from the 附注 */
  char *secrecy_mark;        /* "秘密★5年", … as found (spaces removed) */
  char *copy_number;         /* 份号 (6 digits at the head of page 1) */
  char *urgency;             /* 特急, 加急, … */
  char *genre;               /* the 文种 the title ends with (通知, 意见…) */
  char *recipients;          /* 主送机关 */
  char *effective_from;      /* 施行日期 of a 规范性文件 */
  char *effective_until;     /* 有效期至 */
  char *signer;              /* 签发人 */
};

/* pages: the text of every page, in order (poppler's layout text: one
 * line per text line).  Reads the first page and the last pages. */
GkDetected *gk_gongwen_detect         (const char *const *pages,
                                       guint              n_pages);
void        gk_detected_free          (GkDetected *detected);
/* {"doc_number", "title", "issuer", "written_date", "disclosure",
 *  "secrecy_mark", …} with null for fields not found. */
JsonNode   *gk_detected_to_json       (const GkDetected *detected);

/* Normalise a 文号's brackets (﹝﹞ [] ［］ () 【】) to 〔〕 and strip spaces;
 * NULL if text does not look like a 文号. */
char       *gk_gongwen_normalize_doc_number (const char *text);
/* The 文号 (with every code the words before it might have glued on)
 * and 《titles》 a text cites; see gk-gongwen.c. */
GStrv gk_gongwen_find_citations (const char *text, GStrv *titles);
/* "2023年4月10日", "二〇二三年四月十日", "2023 年 4 月 10 日" → "2023-04-10";
 * NULL if not a real date. */
char       *gk_gongwen_parse_date     (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkDetected, gk_detected_free)

G_END_DECLS
