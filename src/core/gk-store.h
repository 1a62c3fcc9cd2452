/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "gk-types.h"
#include "gk-item.h"
#include "gk-finding.h"
#include "gk-settings.h"
#include "gk-policy.h"
#include "gk-calendar.h"

G_BEGIN_DECLS

/* The library: one folder holding library.db (SQLite, WAL) and files/
 * addressed by SHA-256.  Every SQL statement of the program lives in the
 * gk-store*.c files.  All public calls are thread-safe (one recursive lock
 * per store) and every multi-row change is one transaction that also
 * appends its audit entries. */

#define GK_TYPE_STORE (gk_store_get_type ())
G_DECLARE_FINAL_TYPE (GkStore, gk_store, GK, STORE, GObject)

/* The newest schema this build understands: the number of migration
 * steps in gk-store.c (a static assertion keeps them equal). */
#define GK_STORE_SCHEMA_VERSION 6

typedef struct
{
  gint64   id;
  char    *name;
  gint64   parent_id;   /* 0 for a top-level tag */
  char    *path;        /* "政策文件/行政规范性文件" */
  gboolean retired;
  guint    n_items;
} GkTag;

void     gk_tag_free (GkTag *tag);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkTag, gk_tag_free)

typedef struct
{
  gint64  seq;
  char   *at;
  char   *actor;
  char   *action;   /* import, edit, tag, submit, approve, return, dismiss, sync, withdraw, member, setting, … */
  char   *item_id;  /* NULL for library-wide entries */
  char   *details;  /* JSON object text */
  char   *prev_hash;
  char   *hash;
} GkAuditEntry;

void     gk_audit_entry_free (GkAuditEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkAuditEntry, gk_audit_entry_free)

/* Which items by state: those in one state, or those a deadline applies
 * to (gk-deadline.h: 主动公开, not yet published, with a due date). */
typedef enum
{
  GK_QUERY_ANY_STATE = 0,
  GK_QUERY_DRAFT,
  GK_QUERY_IN_REVIEW, /* the review queue */
  GK_QUERY_RETURNED,
  GK_QUERY_APPROVED,
  GK_QUERY_PUBLISHED,
  GK_QUERY_WITHDRAWN,
  GK_QUERY_DUE,
} GkQueryState;

/* The query state of the items in state. */
GkQueryState gk_query_state_for (GkState state);
/* A state's name, "queue" (in review) or "due"; NULL or "" for any. */
gboolean gk_query_state_parse (const char *text, GkQueryState *out, GError **error);

/* Filters for listing and search; NULL/0 fields do not filter. */
typedef struct
{
  GkQueryState state;
  const char *stage;        /* confidentiality | release */
  const char *tag;
  const char *category;
  const char *text;         /* full-text search: title, 文号, issuer, body */
  const char *from_date;    /* written_date ≥ */
  const char *to_date;      /* written_date ≤ */
  const char *created_by;   /* "My drafts" */
  const char *expiring_before; /* effective_until ≤ this date (and ≥ today) */
  int         due_within;   /* working days: due date ≤ today + N working days; < 0: due today or overdue; 0 = no filter */
  const char *sort;         /* written_date | title | doc_number | issuer | state | due | created; default created desc */
  gboolean    descending;
} GkQuery;

const char *gk_role_to_string   (GkRole role);
/* "drafter,reviewer" → bits; FALSE on an unknown name. */
gboolean    gk_roles_parse      (const char *text, GkRole *out, GError **error);
char       *gk_roles_to_string  (GkRole roles);

/* Open the library at dir.  With create, makes the folder, database and
 * files/.  Migrates an older schema; refuses a newer one with
 * GK_ERROR_NEWER_SCHEMA.  Without create, a missing library is
 * GK_ERROR_NOT_FOUND. */
GkStore    *gk_store_open              (const char *dir,
                                        gboolean    create,
                                        GError    **error);
const char *gk_store_get_path          (GkStore *self);
/* Where the file with this hash lives (it may not exist). */
char       *gk_store_get_file_path     (GkStore *self, const char *sha256);
/* Copy a file into files/ under its hash (atomic: temp file + rename). */
gboolean    gk_store_add_file          (GkStore      *self,
                                        const char   *source_path,
                                        const char   *sha256,
                                        GCancellable *cancellable,
                                        GError      **error);
int         gk_store_get_schema_version (GkStore *self);

/* Files being added are held (a shared lock on files/.lock, in this and
 * other programs) from before gk_store_add_file() until the item that
 * refers to them is committed: opening the library meanwhile does not
 * take them for leftovers.  Holds nest. */
gboolean    gk_store_hold_files        (GkStore *self, GError **error);
void        gk_store_release_files     (GkStore *self);

/* What opening the library (after an interrupted import) and
 * gk_store_clean_files() (always) removed from files/: the partial copies
 * and the files nothing refers to that killed imports left behind. */
typedef struct
{
  guint    n_partial;      /* files/xx/.incoming-* copies */
  guint    n_unreferenced; /* files/xx/<sha256> that no row refers to */
  guint64  bytes;          /* their size together */
  GStrv    removed;        /* their paths under the library folder, "files/ab/…" */
  gboolean skipped;        /* not looked at: an import was putting files in,
                            * or the library could not be read */
} GkStoreCleanup;

const GkStoreCleanup *gk_store_get_cleanup (GkStore *self);
void        gk_store_clean_files       (GkStore *self);
/* Tests only: create a library at an older schema version, as an older
 * release made it, to test the migrations. */
gboolean    gk_store_create_at_version (const char *dir,
                                        int         version,
                                        GError    **error);

/* Settings: org_code, index_template, review_stages ("1" or "2"),
 * agency_name, portal_url, portal_ca_file, sync_request_timeout and
 * sync_batch_timeout (seconds), sensitive_words (one per line);
 * gk-settings.h has their rules. */
char       *gk_store_get_setting       (GkStore *self, const char *key);
gboolean    gk_store_set_setting       (GkStore    *self,
                                        const char *actor,
                                        const char *key,
                                        const char *value,
                                        GError    **error);
gboolean    gk_store_set_setting_full  (GkStore       *self,
                                        const char    *actor,
                                        const char    *key,
                                        const char    *value,
                                        GkSettingFlags flags,
                                        GError       **error);
/* What gk_store_set_setting_full() would say, without storing. */
gboolean    gk_store_check_setting     (GkStore       *self,
                                        const char    *key,
                                        const char    *value,
                                        GkSettingFlags flags,
                                        GError       **error);

/* Expand an 索引号 template: {org_code} {year} {seq} {seq:0N} (N digits,
 * zero-padded).  GK_ERROR_INVALID for an unknown placeholder or a
 * template without {seq…}. */
char       *gk_store_expand_index_template (const char *template_text,
                                            const char *org_code,
                                            int         year,
                                            gint64      seq,
                                            GError    **error);

/* Members and roles. */
gboolean    gk_store_set_member        (GkStore    *self,
                                        const char *actor,
                                        const char *user,
                                        GkRole      roles,
                                        GError    **error);
/* A new library's first admin (the bootstrap of gk_store_set_member()). */
gboolean    gk_store_add_first_admin   (GkStore    *self,
                                        const char *actor,
                                        const char *user,
                                        gboolean    also_drafter,
                                        GError    **error);
GkRole      gk_store_get_roles         (GkStore *self, const char *user);
GPtrArray  *gk_store_list_members      (GkStore *self); /* GkMember* */
/* The member user as the policy sees it: roles GK_ROLE_NONE for a
 * non-member (never NULL). */
GkMember   *gk_store_get_member        (GkStore *self, const char *user);
/* The settings the policy depends on (review_stages). */
void        gk_store_get_policy_rules  (GkStore *self, GkPolicyRules *rules);
/* The store's enforcement: gk_policy_check() with the actor as a member
 * of this library and its settings (GK_ERROR_INVALID when the name is
 * not valid UTF-8).  item as loaded, with findings and history. */
gboolean    gk_store_check_action      (GkStore    *self,
                                        const char *actor,
                                        GkAction    action,
                                        GkItem     *item,
                                        GError    **error);
/* Fails with GK_ERROR_PERMISSION naming the role when user lacks all of roles
 * (GK_ERROR_INVALID when the name is not valid UTF-8).  Prefer
 * gk_store_check_action(): this is the bare role test under it. */
gboolean    gk_store_check_role        (GkStore    *self,
                                        const char *user,
                                        GkRole      any_of,
                                        GError    **error);

/* Tag catalog (标签目录).  Names are unique in the catalog. */
GkTag      *gk_store_add_tag           (GkStore *self, const char *actor,
                                        const char *name, const char *parent,
                                        GError **error);
gboolean    gk_store_rename_tag        (GkStore *self, const char *actor,
                                        const char *name, const char *new_name,
                                        GError **error);
gboolean    gk_store_move_tag          (GkStore *self, const char *actor,
                                        const char *name, const char *new_parent,
                                        GError **error);
gboolean    gk_store_retire_tag        (GkStore *self, const char *actor,
                                        const char *name, gboolean retired,
                                        GError **error);
GPtrArray  *gk_store_list_tags         (GkStore *self, gboolean include_retired); /* GkTag*, tree order */

/* The holiday calendar (gk-store-calendar.c): one row per year, in the
 * library, so that every desk of it counts the same working days.  A
 * new library (and one made before schema 5) starts with the shipped
 * data/holidays.ini.  Changing a year (admin: GK_ACTION_MANAGE_CALENDAR)
 * computes again, in the same transaction, the disclosure deadline of
 * every item written in that year or the one before that is not yet
 * published or withdrawn, and audits "calendar" (the year) and "due"
 * (each item whose deadline moved). */
/* The working-day calendar as it is now (no I/O): see gk-store.c. */
GkCalendar *gk_store_get_calendar (GkStore *self);
/* The years (GkCalendarYear*, ascending).  unknown_deadline_years
 * (optional): the years, ascending (GArray of int), of the deadlines
 * that run (gk_deadline_applies()) and were counted across a year the
 * calendar does not know (weekends only there). */
GPtrArray *
gk_store_list_holiday_years (GkStore *self, GArray **unknown_deadline_years, GError **error);
/* Add or replace a year (checked with gk_calendar_year_check()). */
gboolean gk_store_set_holiday_year (GkStore              *self,
                                    const char           *actor,
                                    const GkCalendarYear *year,
                                    GError              **error);
/* GK_ERROR_NOT_FOUND when the library has no such year. */
gboolean gk_store_remove_holiday_year (GkStore *self, const char *actor, int year, GError **error);
/* Every year of a key file in the holidays.ini format (name for the
 * messages), added or replaced in one transaction: all or none.
 * n_years (optional): how many. */
gboolean gk_store_import_holidays (GkStore    *self,
                                   const char *actor,
                                   const char *contents,
                                   gssize      length,
                                   const char *name,
                                   guint      *n_years,
                                   GError    **error);

/* 主题分类 list, shipped as data and editable: "top" and "top\\sub" names. */
GStrv       gk_store_list_topics       (GkStore *self);
gboolean    gk_store_add_topic         (GkStore *self, const char *actor,
                                        const char *name, GError **error);

/* Items. */
/* Insert a new item with its page texts and findings, in one transaction:
 * assigns id (if NULL), index_no (from the template unless set), revision 1,
 * state draft, created_*; indexes the text; audits "import".  The file must
 * already be in files/. */
gboolean    gk_store_insert_item       (GkStore           *self,
                                        const char        *actor,
                                        GkItem            *item,
                                        const char *const *page_texts,
                                        guint              n_pages,
                                        GPtrArray         *findings,
                                        GError           **error);
/* The item holding a file with this hash, or NULL. */
GkItem     *gk_store_find_by_sha256    (GkStore *self, const char *sha256);
/* Ids of the items with this (normalised) 文号, except except_id. */
/* Items whose 文号 or title the text of id cites (gk-store-items.c). */
GPtrArray  *gk_store_find_cited (GkStore *self, const char *id, guint limit, GError **error);
GStrv       gk_store_find_by_doc_number (GkStore    *self,
                                         const char *doc_number,
                                         const char *except_id);
/* By full id, a unique id prefix (≥ 4 characters) or the 索引号.
 * Fills findings.  GK_ERROR_NOT_FOUND if none. */
GkItem     *gk_store_get_item          (GkStore    *self,
                                        const char *id,
                                        GError    **error);
/* Save an edited copy: validates the tag catalog, topic, interprets and
 * related ids and the 索引号's uniqueness; audits each changed field
 * (old → new); an edit of an approved or published item makes a new
 * revision in draft (its approval is void).  No change → TRUE, nothing
 * written. */
gboolean    gk_store_update_item       (GkStore    *self,
                                        const char *actor,
                                        GkItem     *edited,
                                        GError    **error);
/* Page texts as extracted at import, NULL-terminated. */
GStrv       gk_store_get_page_texts    (GkStore *self, const char *id, GError **error);
/* Replace an item's findings (screening run again); keeps decisions on
 * findings that are found again. */
gboolean    gk_store_replace_findings  (GkStore *self, const char *actor,
                                        const char *id, GPtrArray *findings,
                                        GError **error);

GPtrArray  *gk_store_query             (GkStore        *self,
                                        const GkQuery  *query,
                                        guint           offset,
                                        guint           limit,
                                        GError        **error); /* GkItem*, no findings */
/* Only the ids, in order: cheap even for 100,000 items (for lazy lists). */
GStrv       gk_store_query_ids         (GkStore        *self,
                                        const GkQuery  *query,
                                        GError        **error);
/* Light items for these ids, in the same order (for lazy lists). */
GPtrArray  *gk_store_get_items         (GkStore            *self,
                                        const char *const  *ids,
                                        guint               n_ids,
                                        GError            **error);
guint       gk_store_count             (GkStore        *self,
                                        const GkQuery  *query,
                                        GError        **error);

/* Audit: append-only, hash-chained. */
GPtrArray  *gk_store_audit_log         (GkStore *self, const char *item_id,
                                        GError **error); /* GkAuditEntry*, in order */
/* TRUE when intact; else FALSE with *first_bad set to the seq of the first
 * entry that was edited, removed or moved, and an error saying so. */
gboolean    gk_store_audit_verify      (GkStore *self, gint64 *first_bad,
                                        gint64 *n_entries, GError **error);
/* Append an entry outside any other change (e.g. a refused sync). */
gboolean    gk_store_audit_append      (GkStore    *self,
                                        const char *actor,
                                        const char *action,
                                        const char *item_id,
                                        JsonObject *details,
                                        GError    **error);

/* Emitted (on the thread that made the change) after a committed change
 * to items: "items-changed" (const char *item_id or NULL for many). */

G_END_DECLS
