/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>
#include "gk-types.h"

G_BEGIN_DECLS

#define GK_TYPE_ITEM (gk_item_get_type ())
G_DECLARE_FINAL_TYPE (GkItem, gk_item, GK, ITEM, GObject)

typedef enum
{
  GK_ITEM_FLAG_NONE            = 0,
  GK_ITEM_FLAG_NEEDS_OCR       = 1 << 0, /* no text layer */
  GK_ITEM_FLAG_NEEDS_ATTENTION = 1 << 1, /* first page unreadable, fields not guessed */
  GK_ITEM_FLAG_CONFLICT        = 1 << 2, /* portal answered 412: a person must decide */
} GkItemFlags;

/* Who worked on an item's current revision, for separation of duties:
 * the policy (gk-policy.h) decides from these without asking the store. */
typedef enum
{
  GK_CONTRIBUTION_DRAFTED,   /* drafted (imported) the item */
  GK_CONTRIBUTION_EDITED,    /* saved an edit of this revision */
  GK_CONTRIBUTION_SUBMITTED, /* submitted this revision for review */
  GK_CONTRIBUTION_SIGNED,    /* signed a review stage of this revision (stage says which) */
} GkContributionKind;

typedef struct
{
  char              *user;
  GkContributionKind kind;
  GkStage            stage; /* for GK_CONTRIBUTION_SIGNED */
} GkContribution;

GkContribution *gk_contribution_new  (const char        *user,
                                      GkContributionKind kind,
                                      GkStage            stage);
GkContribution *gk_contribution_copy (const GkContribution *contribution);
void            gk_contribution_free (GkContribution *contribution);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkContribution, gk_contribution_free)

/* The record of one document: the fields of portal-api.md's document plus
 * the workstation's own state.  Plain public fields: the store fills them,
 * the UI and CLI read them, and edits go through gk_item_set_field() so
 * every value is validated in one place. */
struct _GkItem
{
  GObject parent_instance;

  /* portal record */
  char    *id;                  /* UUID, lowercase canonical */
  char    *index_no;            /* 索引号 */
  char    *title;               /* 标题 */
  char    *doc_number;          /* 发文字号, brackets normalised to 〔〕 */
  char    *doc_number_original; /* as written in the document */
  char    *issuer;              /* 发文机关 / 发布机构 */
  char    *written_date;        /* 成文日期 YYYY-MM-DD */
  char    *publish_date;        /* 发布日期 YYYY-MM-DD, filled by the first sync */
  char    *genre;               /* 文种 (通知, 意见, 预案…) */
  char    *topic;               /* 主题分类 ("top" or "top\\sub") */
  char    *category;            /* policy_document | normative_document | … */
  GStrv    tags;                /* names from the tag catalog */
  GStrv    audience;            /* 适用人群 */
  char    *disclosure;          /* proactive | on_request | withheld | NULL (undecided) */
  char    *disclosure_ground;   /* legal ground when not proactive */
  char    *validity_status;     /* valid | expired | repealed | not_applicable */
  char    *effective_from;      /* 施行日期 */
  char    *effective_until;     /* 有效期至 */
  char    *service_url;         /* 「办」 link */
  char    *interprets;          /* id of the policy an interpretation explains */
  GStrv    related;             /* ids of related items */
  char    *summary;             /* 内容概述 */
  char    *file_sha256;
  char    *file_media_type;
  char    *file_name;
  gint64   file_bytes;
  gint64   revision;            /* ≥ 1; bumped when an approved item is edited */

  /* workstation state */
  GkState  state;
  GkStage  stage;               /* while in review */
  int      pages;
  guint    flags;               /* GkItemFlags */
  char    *detected_json;       /* what import detected, a JSON object */
  char    *created_at;
  char    *created_by;
  char    *updated_at;
  char    *updated_by;
  char    *submitted_at;
  char    *submitted_by;
  char    *due_date;            /* computed: 成文日期 + 20 working days, or NULL */
  char    *public_url;          /* from the portal after publishing */

  GPtrArray *findings;          /* GkFinding*, filled by gk_store_get_item() */
  GPtrArray *history;           /* GkContribution* of the current revision, filled
                                 * by gk_store_get_item() with the findings */
};

GkItem      *gk_item_new                (void);
/* A deep copy, for editing without touching the shown item. */
GkItem      *gk_item_copy               (GkItem *self);
/* Make item a copy of from, in place. */
void         gk_item_assign             (GkItem *item,
                                         GkItem *from);

const char  *gk_state_to_string         (GkState state);
gboolean     gk_state_from_string       (const char *text, GkState *out);
/* The user's words for a state, translated ("草稿", "待审核"…). */
const char  *gk_state_to_label          (GkState state);
const char  *gk_stage_to_string         (GkStage stage);
gboolean     gk_stage_from_string       (const char *text, GkStage *out);
const char  *gk_stage_to_label          (GkStage stage);

/* The editable record fields, in display order, NULL-terminated:
 * index_no title doc_number issuer written_date publish_date genre topic
 * category tags audience disclosure disclosure_ground validity_status
 * effective_from effective_until service_url interprets related summary */
const char *const *gk_item_field_names  (void);
/* The translated label of a field ("标题"), or NULL if unknown. */
const char  *gk_item_field_label        (const char *field);
/* Set one field from text, validating format, enum and length.  An empty
 * value clears the field.  Lists take comma-separated text.  Also accepts
 * validity.status, validity.effective_from, validity.effective_until.
 * Fails with GK_ERROR_INVALID naming the field.  Does not check the tag
 * catalog or other items: the store does that on save. */
gboolean     gk_item_set_field          (GkItem     *self,
                                         const char *field,
                                         const char *value,
                                         GError    **error);
/* The text of a field as gk_item_set_field() would accept it; NULL if unset. */
char        *gk_item_get_field          (GkItem     *self,
                                         const char *field);
/* Names of fields whose values differ, NULL-terminated (for the audit and
 * for "changes since the last approved revision"). */
GStrv        gk_item_diff               (GkItem *a,
                                         GkItem *b);

/* TRUE while the 20-working-day disclosure deadline applies: a due date,
 * not published or withdrawn, not on_request or withheld. */
gboolean     gk_item_is_awaiting_disclosure (GkItem *self);

/* The portal-api.md document record for PUT /documents/{id}. */
JsonNode    *gk_item_to_record_json     (GkItem *self);
/* The record plus state, revision, pages, flags, findings, detected, due:
 * what `gongkai-ctl --json show` prints. */
JsonNode    *gk_item_to_json            (GkItem *self);

/* Allowed values, for validation and pickers. */
const char *const *gk_item_categories        (void);
const char *const *gk_item_disclosures       (void);
const char *const *gk_item_validity_statuses (void);
/* The legal grounds for withholding (条例 Art. 14/15/16 reasons). */
const char *const *gk_item_withheld_grounds  (void);
const char  *gk_category_to_label            (const char *category);
const char  *gk_disclosure_to_label          (const char *disclosure);
const char  *gk_validity_to_label            (const char *status);

G_END_DECLS
