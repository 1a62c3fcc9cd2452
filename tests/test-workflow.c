/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The review workflow on a real library: the state machine and every
 * refusal, separation of duties, approvals bound to a revision and a file
 * hash, secrecy findings, non-proactive items, the queue, the audit, and
 * gongkai-ctl submit/review/queue end to end. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gk-fault-proxy.h"
#include "gk-fixtures.h"
#include "gk-store.h"
#include "gk-util.h"
#include "gk-workflow.h"

typedef struct
{
  char    *dir;
  char    *library;
  GkStore *store;
  guint    counter;
} Fixture;

/* Members: admin; drafters dora and dan; reviewers rita, rob and ruth;
 * rex drafts and reviews; pat publishes. */
static const struct { const char *user; GkRole roles; } members[] = {
  { "dora", GK_ROLE_DRAFTER },
  { "dan",  GK_ROLE_DRAFTER },
  { "rita", GK_ROLE_REVIEWER },
  { "rob",  GK_ROLE_REVIEWER },
  { "ruth", GK_ROLE_REVIEWER },
  { "rex",  GK_ROLE_DRAFTER | GK_ROLE_REVIEWER },
  { "pat",  GK_ROLE_PUBLISHER },
};

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("gk-workflow-XXXXXX", &error);
  g_assert_no_error (error);
  f->library = g_build_filename (f->dir, "library", NULL);
  f->store = gk_store_open (f->library, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (gk_store_set_member (f->store, "admin", "admin", GK_ROLE_ADMIN, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_assert_true (gk_store_set_member (f->store, "admin", members[i].user, members[i].roles, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  gk_test_remove_tree (f->dir);
  g_free (f->library);
  g_free (f->dir);
}

/* A complete proactive item whose file is really in files/.  disclosure
 * NULL leaves it undecided; written_date NULL leaves it out. */
static char *
make_item_full (Fixture    *f,
                const char *actor,
                const char *title,
                const char *issuer,
                const char *written_date,
                const char *disclosure,
                GPtrArray  *findings)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = gk_item_new ();
  g_autofree char *source = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  const char *pages[] = { "上海市应急管理局关于印发工作要点的通知" };
  goffset size = 0;

  f->counter++;
  source = g_strdup_printf ("%s/source-%u.pdf", f->dir, f->counter);
  contents = g_strdup_printf ("%%PDF-1.4\n%% workflow test document %u\n%%%%EOF\n", f->counter);
  g_assert_true (g_file_set_contents (source, contents, -1, &error));
  sha = gk_sha256_file (source, NULL, &size, &error);
  g_assert_no_error (error);
  g_assert_true (gk_store_add_file (f->store, source, sha, NULL, &error));
  g_assert_no_error (error);

  item->title = g_strdup (title);
  item->issuer = g_strdup (issuer);
  item->written_date = g_strdup (written_date);
  item->disclosure = g_strdup (disclosure);
  item->file_sha256 = g_strdup (sha);
  item->file_name = g_strdup_printf ("doc-%u.pdf", f->counter);
  item->file_media_type = g_strdup ("application/pdf");
  item->file_bytes = size;
  g_assert_true (gk_store_insert_item (f->store, actor, item, pages, 1, findings, &error));
  g_assert_no_error (error);
  g_assert_nonnull (item->id);
  return g_strdup (item->id);
}

static char *
make_item (Fixture    *f,
           const char *actor,
           const char *title,
           const char *disclosure)
{
  return make_item_full (f, actor, title, "上海市应急管理局", "2025-03-03", disclosure, NULL);
}

static GkItem *
get_item (Fixture    *f,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  GkItem *item = gk_store_get_item (f->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);
  return item;
}

static void
edit_field (Fixture    *f,
            const char *actor,
            const char *id,
            const char *field,
            const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkItem) item = get_item (f, id);
  g_autoptr(GkItem) edited = gk_item_copy (item);

  g_assert_true (gk_item_set_field (edited, field, value, &error));
  g_assert_no_error (error);
  g_assert_true (gk_store_update_item (f->store, actor, edited, &error));
  g_assert_no_error (error);
}

static void
submit_ok (Fixture    *f,
           const char *actor,
           const char *id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_workflow_submit (f->store, actor, id, &error));
  g_assert_no_error (error);
}

static void
approve_ok (Fixture    *f,
            const char *actor,
            const char *id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_workflow_approve (f->store, actor, id, NULL, &error));
  g_assert_no_error (error);
}

/* The call failed with code, and its message contains needle. */
static void
assert_refused (gboolean    ok,
                GError    **errorp,
                int         code,
                const char *needle)
{
  GError *error = *errorp;

  g_assert_false (ok);
  g_assert_error (error, GK_ERROR, code);
  /* Named in the message, or a record field named by its key. */
  if (needle != NULL && strstr (error->message, needle) == NULL &&
      (gk_error_get_field (error) == NULL || strstr (gk_error_get_field (error), needle) == NULL))
    g_error ("“%s” not in the message: %s", needle, error->message);
}

static void
assert_state (Fixture    *f,
              const char *id,
              GkState     state,
              GkStage     stage)
{
  g_autoptr(GkItem) item = get_item (f, id);

  g_assert_cmpstr (gk_state_to_string (item->state), ==, gk_state_to_string (state));
  g_assert_cmpstr (gk_stage_to_string (item->stage), ==, gk_stage_to_string (stage));
}

/* The details of the newest audit entry of an item with this action. */
static JsonObject *
last_audit (Fixture    *f,
            const char *id,
            const char *action,
            char      **actor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = gk_store_audit_log (f->store, id, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_no_error (error);
  for (guint i = log->len; i > 0; i--)
    {
      GkAuditEntry *entry = g_ptr_array_index (log, i - 1);

      if (strcmp (entry->action, action) != 0)
        continue;
      g_assert_true (json_parser_load_from_data (parser, entry->details, -1, &error));
      g_assert_no_error (error);
      if (actor != NULL)
        *actor = g_strdup (entry->actor);
      return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  g_error ("no “%s” audit entry for %s", action, id);
  return NULL;
}

static guint
count_audit (Fixture    *f,
             const char *id,
             const char *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = gk_store_audit_log (f->store, id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < log->len; i++)
    if (strcmp (((GkAuditEntry *) g_ptr_array_index (log, i))->action, action) == 0)
      n++;
  return n;
}

static void
assert_audit_intact (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 first_bad = -1, n = 0;

  g_assert_true (gk_store_audit_verify (f->store, &first_bad, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
}

static GPtrArray *
secrecy_findings (void)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);

  g_ptr_array_add (findings, gk_finding_new (GK_FINDING_SECRECY_MARK, "秘密★1年", 1, 0, 6));
  return findings;
}

static gint64
finding_id_of (Fixture *f, const char *id, GkFindingKind kind, guint nth)
{
  g_autoptr(GkItem) item = get_item (f, id);

  for (guint i = 0; i < item->findings->len; i++)
    {
      GkFinding *finding = g_ptr_array_index (item->findings, i);

      if (finding->kind == kind && nth-- == 0)
        return finding->id;
    }
  g_error ("no %s finding", gk_finding_kind_to_string (kind));
  return 0;
}

/* ---- pure record rules ---- */

static void
test_record_rules (void)
{
  g_autoptr(GkItem) item = gk_item_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) missing = gk_workflow_missing_fields (item);
  const char *const all[] = { "title", "issuer", "written_date", "index_no", "disclosure", "file" };

  g_assert_cmpuint (g_strv_length (missing), ==, G_N_ELEMENTS (all));
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    g_assert_true (g_strv_contains ((const char *const *) missing, all[i]));

  /* One message names every missing field. */
  assert_refused (gk_workflow_check_record (item, &error), &error, GK_ERROR_REFUSED, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    g_assert_nonnull (strstr (gk_error_get_field (error), all[i]));
  /* In the user's words: labels, no keys. */
  g_assert_null (strstr (error->message, "written_date"));
  g_assert_nonnull (strstr (error->message, gk_item_field_label ("written_date")));
  g_clear_error (&error);

  item->title = g_strdup ("关于印发工作要点的通知");
  item->issuer = g_strdup ("上海市应急管理局");
  item->written_date = g_strdup ("2025-03-03");
  item->index_no = g_strdup ("000014349/2025-00001");
  item->file_sha256 = g_strdup ("0000000000000000000000000000000000000000000000000000000000000000");
  item->disclosure = g_strdup ("withheld");
  assert_refused (gk_workflow_check_record (item, &error), &error, GK_ERROR_REFUSED, "disclosure_ground");
  g_clear_error (&error);
  g_assert_false (gk_workflow_is_publishable (item));

  item->disclosure_ground = g_strdup ("Art. 14: state secret");
  g_assert_true (gk_workflow_check_record (item, &error));
  g_assert_no_error (error);

  g_free (item->disclosure);
  item->disclosure = g_strdup ("proactive");
  g_assert_true (gk_workflow_is_publishable (item));
  item->effective_from = g_strdup ("2025-05-01");
  item->effective_until = g_strdup ("2025-04-30");
  assert_refused (gk_workflow_check_record (item, &error), &error, GK_ERROR_REFUSED, "2025-04-30");
  g_clear_error (&error);
  g_free (item->effective_until);
  item->effective_until = g_strdup ("2030-04-30");
  g_assert_true (gk_workflow_check_record (item, &error));
  g_assert_no_error (error);
}

static void
test_parse_dismissal (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  gint64 id = 0;

  g_assert_true (gk_workflow_parse_dismissal ("12=Quoted title, not a mark", &id, &reason, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, 12);
  g_assert_cmpstr (reason, ==, "Quoted title, not a mark");
  g_clear_pointer (&reason, g_free);

  g_assert_true (gk_workflow_parse_dismissal ("#7 = a=b ", &id, &reason, &error));
  g_assert_cmpint (id, ==, 7);
  g_assert_cmpstr (reason, ==, "a=b");
  g_clear_pointer (&reason, g_free);

  assert_refused (gk_workflow_parse_dismissal ("12=  ", &id, &reason, &error), &error, GK_ERROR_INVALID, "reason");
  g_clear_error (&error);
  assert_refused (gk_workflow_parse_dismissal ("12", &id, &reason, &error), &error, GK_ERROR_INVALID, NULL);
  g_clear_error (&error);
  assert_refused (gk_workflow_parse_dismissal ("x1=why", &id, &reason, &error), &error, GK_ERROR_INVALID, NULL);
  g_clear_error (&error);
  assert_refused (gk_workflow_parse_dismissal ("0=why", &id, &reason, &error), &error, GK_ERROR_INVALID, NULL);
  g_clear_error (&error);
  assert_refused (gk_workflow_parse_dismissal ("-3=why", &id, &reason, &error), &error, GK_ERROR_INVALID, NULL);
}

/* ---- submit ---- */

static void
test_submit (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = make_item (f, "dora", "关于印发2025年政务公开工作要点的通知", "proactive");
  g_autofree char *bare = make_item_full (f, "dora", "未完成的记录", NULL, NULL, NULL, NULL);
  g_autoptr(JsonObject) details = NULL;
  g_autofree char *actor = NULL;
  g_autoptr(GkItem) item = NULL;

  /* Roles: a reviewer, a publisher and a stranger cannot submit. */
  assert_refused (gk_workflow_submit (f->store, "rita", id, &error), &error, GK_ERROR_PERMISSION, "drafter");
  g_clear_error (&error);
  assert_refused (gk_workflow_submit (f->store, "pat", id, &error), &error, GK_ERROR_PERMISSION, NULL);
  g_clear_error (&error);
  assert_refused (gk_workflow_submit (f->store, "mallory", id, &error), &error, GK_ERROR_PERMISSION, NULL);
  g_clear_error (&error);
  assert_refused (gk_workflow_submit (f->store, "dora", "ffffffff-0000-4000-8000-000000000000", &error), &error, GK_ERROR_NOT_FOUND, NULL);
  g_clear_error (&error);

  /* Every missing field in one message, and nothing changes. */
  assert_refused (gk_workflow_submit (f->store, "dora", bare, &error), &error, GK_ERROR_REFUSED, "issuer");
  g_assert_nonnull (strstr (gk_error_get_field (error), "written_date"));
  g_assert_nonnull (strstr (gk_error_get_field (error), "disclosure"));
  g_assert_null (strstr (gk_error_get_field (error), "title"));
  g_assert_nonnull (strstr (error->message, gk_item_field_label ("written_date")));
  g_clear_error (&error);
  assert_state (f, bare, GK_STATE_DRAFT, GK_STAGE_NONE);
  g_assert_cmpuint (count_audit (f, bare, "submit"), ==, 0);

  /* Validity dates in the wrong order: the store refuses to save them,
   * and the workflow's own rule refuses such a record too (for records
   * saved before the store checked). */
  edit_field (f, "dora", id, "effective_from", "2025-06-01");
  {
    g_autoptr(GkItem) stored = get_item (f, id);
    g_autoptr(GkItem) reversed = gk_item_copy (stored);

    g_assert_true (gk_item_set_field (reversed, "effective_until", "2025-01-01", &error));
    assert_refused (gk_store_update_item (f->store, "dora", reversed, &error), &error,
                    GK_ERROR_INVALID, "2025-01-01");
    g_clear_error (&error);
    assert_refused (gk_workflow_check_record (reversed, &error), &error, GK_ERROR_REFUSED, "2025-01-01");
    g_clear_error (&error);
  }
  edit_field (f, "dora", id, "effective_until", "2030-01-01");

  /* Another drafter may submit. */
  g_assert_true (gk_workflow_can_submit (f->store, "dan", (item = get_item (f, id)), NULL));
  submit_ok (f, "dan", id);
  g_clear_object (&item);
  item = get_item (f, id);
  g_assert_cmpint (item->state, ==, GK_STATE_IN_REVIEW);
  g_assert_cmpint (item->stage, ==, GK_STAGE_CONFIDENTIALITY);
  g_assert_cmpstr (item->submitted_by, ==, "dan");
  g_assert_nonnull (item->submitted_at);

  details = last_audit (f, id, "submit", &actor);
  g_assert_cmpstr (actor, ==, "dan");
  g_assert_cmpint (json_object_get_int_member (details, "revision"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (details, "stage"), ==, "confidentiality");

  /* Not twice. */
  assert_refused (gk_workflow_submit (f->store, "dora", id, &error), &error, GK_ERROR_REFUSED, "already in review");
  g_clear_error (&error);
  {
    g_autofree char *why = NULL;

    g_assert_false (gk_workflow_can_submit (f->store, "dora", item, &why));
    g_assert_nonnull (why);
  }
  assert_audit_intact (f);
}

/* ---- the two stages and separation of duties ---- */

/* Whoever drafted a document never signs it, in any later revision
 * either (DESIGN.md: "cannot approve an item they drafted"). */
static void
test_drafter_never_signs (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = make_item (f, "admin", "管理员起草的通知", "proactive");

  submit_ok (f, "admin", id);
  approve_ok (f, "rita", id);
  approve_ok (f, "rob", id);
  assert_state (f, id, GK_STATE_APPROVED, GK_STAGE_NONE);

  /* Revision 2, edited and submitted by someone else. */
  edit_field (f, "dora", id, "summary", "第二版的内容概述");
  submit_ok (f, "dora", id);
  assert_refused (gk_workflow_approve (f->store, "admin", id, NULL, &error), &error,
                  GK_ERROR_REFUSED, "drafted");
  g_clear_error (&error);
  approve_ok (f, "ruth", id);
  assert_state (f, id, GK_STATE_IN_REVIEW, GK_STAGE_RELEASE);
}

/* A decision made in a window binds to the item as it was shown: an
 * edit and resubmission, or the other stage signed meanwhile, make the
 * click about something else, and it is refused. */
static void
test_decision_binds_to_what_was_shown (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = make_item (f, "dora", "待审核的通知", "proactive");
  g_autoptr(GkItem) shown = NULL;
  g_autoptr(GkItem) shown_again = NULL;
  g_autoptr(GkItem) second_reviewer = NULL;

  submit_ok (f, "dora", id);
  shown = get_item (f, id);

  /* The drafter edits (back to draft, same revision) and resubmits. */
  edit_field (f, "dora", id, "summary", "新的内容概述");
  submit_ok (f, "dora", id);
  assert_refused (gk_workflow_review_seen (f->store, "rita", shown, GK_REVIEW_APPROVE, NULL, NULL, 0, &error),
                  &error, GK_ERROR_CONFLICT, "changed since you opened it");
  g_clear_error (&error);
  assert_state (f, id, GK_STATE_IN_REVIEW, GK_STAGE_CONFIDENTIALITY);

  /* Looked at again: signed. */
  shown_again = get_item (f, id);
  second_reviewer = get_item (f, id);
  g_assert_true (gk_workflow_review_seen (f->store, "rita", shown_again, GK_REVIEW_APPROVE, NULL, NULL, 0, &error));
  g_assert_no_error (error);
  assert_state (f, id, GK_STATE_IN_REVIEW, GK_STAGE_RELEASE);

  /* Another reviewer still looking at the confidentiality stage cannot
   * sign the release stage by the same click. */
  assert_refused (gk_workflow_review_seen (f->store, "rob", second_reviewer, GK_REVIEW_APPROVE, NULL, NULL, 0, &error),
                  &error, GK_ERROR_CONFLICT, NULL);
  g_clear_error (&error);
  assert_state (f, id, GK_STATE_IN_REVIEW, GK_STAGE_RELEASE);
}

static void
test_two_stages (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *drafted = make_item (f, "rex", "rex 起草的通知", "proactive");
  g_autofree char *edited = make_item (f, "dora", "rex 修改过的通知", "proactive");
  g_autofree char *submitted = make_item (f, "dora", "rex 提交的通知", "proactive");
  g_autofree char *by_admin = make_item (f, "admin", "管理员起草的通知", "proactive");
  g_autoptr(GPtrArray) approvals = NULL;
  g_autoptr(JsonObject) details = NULL;
  g_autofree char *actor = NULL;

  edit_field (f, "rex", edited, "summary", "rex 补充的内容概述");
  submit_ok (f, "dora", drafted);
  submit_ok (f, "dora", edited);
  submit_ok (f, "rex", submitted);
  submit_ok (f, "admin", by_admin);

  /* The drafter, an editor and the submitter of the revision cannot sign it. */
  assert_refused (gk_workflow_approve (f->store, "rex", drafted, NULL, &error), &error, GK_ERROR_REFUSED, "drafted");
  g_assert_nonnull (strstr (error->message, "separation of duties"));
  g_clear_error (&error);
  assert_refused (gk_workflow_approve (f->store, "rex", edited, NULL, &error), &error, GK_ERROR_REFUSED, "edited");
  g_clear_error (&error);
  assert_refused (gk_workflow_approve (f->store, "rex", submitted, NULL, &error), &error, GK_ERROR_REFUSED, "submitted");
  g_clear_error (&error);
  /* An admin is bound too. */
  assert_refused (gk_workflow_approve (f->store, "admin", by_admin, NULL, &error), &error, GK_ERROR_REFUSED, "admin");
  g_clear_error (&error);
  {
    g_autoptr(GkItem) item = get_item (f, drafted);
    g_autofree char *why = NULL;

    g_assert_false (gk_workflow_can_approve (f->store, "rex", item, &why));
    if (strstr (why, "separation of duties") == NULL)
      g_error ("why not: %s", why);
    g_clear_pointer (&why, g_free);
    g_assert_true (gk_workflow_can_approve (f->store, "rita", item, &why));
    g_assert_null (why);
  }
  assert_state (f, drafted, GK_STATE_IN_REVIEW, GK_STAGE_CONFIDENTIALITY);
  g_assert_cmpuint (count_audit (f, drafted, "approve"), ==, 0);

  /* rex may sign items he did not work on; an admin may review. */
  approve_ok (f, "rex", by_admin);
  approve_ok (f, "admin", edited);

  /* Stage one by rita, with a comment in the audit. */
  g_assert_true (gk_workflow_approve (f->store, "rita", drafted, "无涉密内容", &error));
  g_assert_no_error (error);
  assert_state (f, drafted, GK_STATE_IN_REVIEW, GK_STAGE_RELEASE);
  details = last_audit (f, drafted, "approve", &actor);
  g_assert_cmpstr (actor, ==, "rita");
  g_assert_cmpstr (json_object_get_string_member (details, "stage"), ==, "confidentiality");
  g_assert_cmpstr (json_object_get_string_member (details, "comment"), ==, "无涉密内容");
  g_assert_cmpint (json_object_get_int_member (details, "revision"), ==, 1);
  g_clear_pointer (&details, json_object_unref);
  g_clear_pointer (&actor, g_free);

  /* Not approved yet: nothing to publish. */
  g_assert_null (gk_workflow_get_approved_record (f->store, drafted, NULL, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
  g_clear_error (&error);

  /* One person cannot sign both stages. */
  assert_refused (gk_workflow_approve (f->store, "rita", drafted, NULL, &error), &error, GK_ERROR_REFUSED, "rita");
  g_assert_nonnull (strstr (error->message, "confidentiality"));
  g_clear_error (&error);
  assert_state (f, drafted, GK_STATE_IN_REVIEW, GK_STAGE_RELEASE);

  /* A third person can. */
  approve_ok (f, "rob", drafted);
  assert_state (f, drafted, GK_STATE_APPROVED, GK_STAGE_NONE);
  details = last_audit (f, drafted, "approve", &actor);
  g_assert_cmpstr (actor, ==, "rob");
  g_assert_cmpstr (json_object_get_string_member (details, "stage"), ==, "release");
  g_assert_cmpstr (json_object_get_string_member (details, "state"), ==, "approved");

  /* Approved: no further approval, return or submit. */
  assert_refused (gk_workflow_approve (f->store, "ruth", drafted, NULL, &error), &error, GK_ERROR_REFUSED, "already approved");
  g_clear_error (&error);
  assert_refused (gk_workflow_return (f->store, "ruth", drafted, "再看看", &error), &error, GK_ERROR_REFUSED, NULL);
  g_clear_error (&error);
  assert_refused (gk_workflow_submit (f->store, "dora", drafted, &error), &error, GK_ERROR_REFUSED, NULL);
  g_clear_error (&error);

  /* The signatures: each bound to revision 1 and the file. */
  approvals = gk_workflow_list_approvals (f->store, drafted, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (approvals->len, ==, 2);
  {
    g_autoptr(GkItem) item = get_item (f, drafted);
    GkApproval *first = g_ptr_array_index (approvals, 0);
    GkApproval *second = g_ptr_array_index (approvals, 1);
    g_autoptr(JsonNode) record = gk_item_to_record_json (item);
    g_autofree char *record_text = gk_json_to_string (record, FALSE);
    g_autofree char *published = NULL;
    g_autofree char *sha = NULL;
    gint64 revision = 0;

    g_assert_cmpint (first->stage, ==, GK_STAGE_CONFIDENTIALITY);
    g_assert_cmpstr (first->actor, ==, "rita");
    g_assert_cmpint (second->stage, ==, GK_STAGE_RELEASE);
    g_assert_cmpstr (second->actor, ==, "rob");
    g_assert_cmpint (second->revision, ==, 1);
    g_assert_cmpstr (second->file_sha256, ==, item->file_sha256);
    g_assert_cmpstr (second->record_json, ==, record_text);

    published = gk_workflow_get_approved_record (f->store, drafted, &revision, &sha, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (published, ==, second->record_json);
    g_assert_cmpint (revision, ==, 1);
    g_assert_cmpstr (sha, ==, item->file_sha256);
  }
  assert_audit_intact (f);
}

static void
test_permissions_and_states (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = make_item (f, "dora", "权限测试", "proactive");
  g_autoptr(GkItem) item = NULL;
  g_autofree char *why = NULL;

  /* A draft cannot be approved or returned. */
  assert_refused (gk_workflow_approve (f->store, "rita", id, NULL, &error), &error, GK_ERROR_REFUSED, "not been submitted");
  g_clear_error (&error);
  assert_refused (gk_workflow_return (f->store, "rita", id, "意见", &error), &error, GK_ERROR_REFUSED, NULL);
  g_clear_error (&error);

  submit_ok (f, "dora", id);

  /* Missing roles. */
  assert_refused (gk_workflow_approve (f->store, "dan", id, NULL, &error), &error, GK_ERROR_PERMISSION, "reviewer");
  g_clear_error (&error);
  assert_refused (gk_workflow_approve (f->store, "pat", id, NULL, &error), &error, GK_ERROR_PERMISSION, NULL);
  g_clear_error (&error);
  assert_refused (gk_workflow_approve (f->store, "mallory", id, NULL, &error), &error, GK_ERROR_PERMISSION, NULL);
  g_clear_error (&error);
  assert_refused (gk_workflow_approve (f->store, NULL, id, NULL, &error), &error, GK_ERROR_PERMISSION, NULL);
  g_clear_error (&error);
  assert_refused (gk_workflow_return (f->store, "dan", id, "意见", &error), &error, GK_ERROR_PERMISSION, NULL);
  g_clear_error (&error);
  assert_refused (gk_workflow_review (f->store, "pat", id, GK_REVIEW_DISMISS_ONLY, NULL,
                                      &(GkDismissal) { 1, "原因" }, 1, &error), &error, GK_ERROR_PERMISSION, NULL);
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) queue = gk_workflow_queue (f->store, "dora", &error);

    g_assert_null (queue);
    g_assert_error (error, GK_ERROR, GK_ERROR_PERMISSION);
    g_clear_error (&error);
  }

  item = get_item (f, id);
  g_assert_false (gk_workflow_can_approve (f->store, "dan", item, &why));
  g_assert_nonnull (strstr (why, "reviewer"));
  g_clear_pointer (&why, g_free);
  g_assert_false (gk_workflow_can_return (f->store, "dan", item, &why));
  g_clear_pointer (&why, g_free);
  g_assert_true (gk_workflow_can_return (f->store, "rita", item, &why));
  g_assert_null (why);
  g_assert_false (gk_workflow_can_submit (f->store, "rita", item, NULL));
  g_assert_false (gk_workflow_can_dismiss (f->store, "dora", item, NULL));
  g_assert_true (gk_workflow_can_dismiss (f->store, "rita", item, NULL));

  /* Nothing changed. */
  assert_state (f, id, GK_STATE_IN_REVIEW, GK_STAGE_CONFIDENTIALITY);
  g_assert_cmpuint (count_audit (f, id, "approve"), ==, 0);
  g_assert_cmpuint (count_audit (f, id, "return"), ==, 0);
}

/* ---- return ---- */

static void
test_return (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = make_item (f, "dora", "退回测试", "proactive");
  g_autoptr(JsonObject) details = NULL;
  g_autofree char *actor = NULL;

  submit_ok (f, "dora", id);

  /* A comment is required. */
  assert_refused (gk_workflow_return (f->store, "rita", id, NULL, &error), &error, GK_ERROR_INVALID,
                  "A comment is required to return an item");
  g_clear_error (&error);
  assert_refused (gk_workflow_return (f->store, "rita", id, "   ", &error), &error, GK_ERROR_INVALID, "comment");
  g_clear_error (&error);
  assert_state (f, id, GK_STATE_IN_REVIEW, GK_STAGE_CONFIDENTIALITY);

  g_assert_true (gk_workflow_return (f->store, "rita", id, "标题有误，请核对文号", &error));
  g_assert_no_error (error);
  assert_state (f, id, GK_STATE_RETURNED, GK_STAGE_NONE);
  details = last_audit (f, id, "return", &actor);
  g_assert_cmpstr (actor, ==, "rita");
  g_assert_cmpstr (json_object_get_string_member (details, "comment"), ==, "标题有误，请核对文号");
  g_assert_cmpstr (json_object_get_string_member (details, "stage"), ==, "confidentiality");
  g_assert_cmpint (json_object_get_int_member (details, "revision"), ==, 1);
  g_clear_pointer (&details, json_object_unref);
  g_clear_pointer (&actor, g_free);

  /* Returned: not approvable, submit again (after a fix). */
  assert_refused (gk_workflow_approve (f->store, "rob", id, NULL, &error), &error, GK_ERROR_REFUSED, "returned");
  g_clear_error (&error);
  edit_field (f, "dora", id, "title", "退回测试（已改）");
  submit_ok (f, "dora", id);
  assert_state (f, id, GK_STATE_IN_REVIEW, GK_STAGE_CONFIDENTIALITY);

  /* Returned from the release stage as well. */
  approve_ok (f, "rita", id);
  g_assert_true (gk_workflow_return (f->store, "rob", id, "发布时间待定", &error));
  g_assert_no_error (error);
  assert_state (f, id, GK_STATE_RETURNED, GK_STAGE_NONE);
  details = last_audit (f, id, "return", &actor);
  g_assert_cmpstr (json_object_get_string_member (details, "stage"), ==, "release");
  g_assert_null (gk_workflow_get_approved_record (f->store, id, NULL, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
  g_clear_error (&error);

  /* Round three: rita signed stage one of this revision before, so she
   * still cannot sign its release. */
  submit_ok (f, "dora", id);
  approve_ok (f, "ruth", id);
  assert_refused (gk_workflow_approve (f->store, "rita", id, NULL, &error), &error, GK_ERROR_REFUSED, NULL);
  g_clear_error (&error);
  approve_ok (f, "rob", id);
  assert_state (f, id, GK_STATE_APPROVED, GK_STAGE_NONE);
  assert_audit_intact (f);
}

/* ---- approval bound to revision and file ---- */

static void
test_revision_binding (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = make_item (f, "dora", "修订前的标题", "proactive");
  g_autofree char *record1 = NULL;
  g_autofree char *record2 = NULL;
  g_autoptr(GkItem) item = NULL;
  gint64 revision = 0;

  submit_ok (f, "dora", id);
  approve_ok (f, "rita", id);
  approve_ok (f, "rob", id);
  record1 = gk_workflow_get_approved_record (f->store, id, &revision, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (revision, ==, 1);
  g_assert_nonnull (strstr (record1, "修订前的标题"));

  /* An edit after approval: new revision in draft, the approval is void. */
  edit_field (f, "dan", id, "title", "修订后的标题");
  item = get_item (f, id);
  g_assert_cmpint (item->revision, ==, 2);
  g_assert_cmpint (item->state, ==, GK_STATE_DRAFT);
  g_clear_object (&item);
  g_assert_null (gk_workflow_get_approved_record (f->store, id, &revision, NULL, &error));
  g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
  g_clear_error (&error);

  /* dan edited revision 2: he is out; rita and rob may sign it again
   * (they did not work on revision 2). */
  submit_ok (f, "dora", id);
  approve_ok (f, "rob", id);
  {
    g_autofree char *still_void = gk_workflow_get_approved_record (f->store, id, NULL, NULL, &error);

    g_assert_null (still_void);
    g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
    g_clear_error (&error);
  }
  approve_ok (f, "rita", id);
  record2 = gk_workflow_get_approved_record (f->store, id, &revision, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (revision, ==, 2);
  g_assert_nonnull (strstr (record2, "修订后的标题"));
  g_assert_null (strstr (record2, "修订前的标题"));
  assert_audit_intact (f);
}

static void
test_file_binding (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = make_item (f, "dora", "文件被改动的通知", "proactive");
  g_autoptr(GkItem) item = get_item (f, id);
  g_autofree char *path = gk_store_get_file_path (f->store, item->file_sha256);
  g_autofree char *original = NULL;
  gsize length = 0;

  submit_ok (f, "dora", id);
  approve_ok (f, "rita", id);

  /* Someone changes the stored file: its bytes no longer match the hash
   * the approval would bind, so it is not signed. */
  g_assert_true (g_file_get_contents (path, &original, &length, &error));
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_true (g_file_set_contents (path, "%PDF-1.4\n% something else\n", -1, &error));
  g_assert_no_error (error);
  assert_refused (gk_workflow_approve (f->store, "rob", id, NULL, &error), &error, GK_ERROR_DAMAGED, "SHA-256");
  g_clear_error (&error);

  /* Missing altogether. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_clear_object (&item);
  item = get_item (f, id);
  g_assert_false (gk_workflow_can_approve (f->store, "rob", item, NULL));
  assert_refused (gk_workflow_approve (f->store, "rob", id, NULL, &error), &error, GK_ERROR_DAMAGED, NULL);
  g_clear_error (&error);
  assert_state (f, id, GK_STATE_IN_REVIEW, GK_STAGE_RELEASE);

  /* Put back: signs. */
  g_assert_true (g_file_set_contents (path, original, length, &error));
  approve_ok (f, "rob", id);
  assert_state (f, id, GK_STATE_APPROVED, GK_STAGE_NONE);
}

/* ---- findings ---- */

static void
test_secrecy_finding (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) details = NULL;
  g_autofree char *actor = NULL;
  g_autofree char *marks_message = NULL;
  gint64 mark1, mark2, card, landline;

  g_ptr_array_add (findings, gk_finding_new (GK_FINDING_SECRECY_MARK, "秘密★1年", 1, 0, 6));
  g_ptr_array_add (findings, gk_finding_new (GK_FINDING_ID_CARD, "310101********1234", 1, 40, 18));
  g_ptr_array_add (findings, gk_finding_new (GK_FINDING_SECRECY_MARK, "内部资料", 2, 3, 4));
  {
    GkFinding *info = gk_finding_new (GK_FINDING_LANDLINE, "021-6432****", 2, 80, 12);

    info->status = GK_FINDING_INFO;
    g_ptr_array_add (findings, info);
  }
  id = make_item_full (f, "dora", "含密级标志的报告", "上海市应急管理局", "2025-03-03", "proactive", findings);
  mark1 = finding_id_of (f, id, GK_FINDING_SECRECY_MARK, 0);
  mark2 = finding_id_of (f, id, GK_FINDING_SECRECY_MARK, 1);
  card = finding_id_of (f, id, GK_FINDING_ID_CARD, 0);
  landline = finding_id_of (f, id, GK_FINDING_LANDLINE, 0);

  /* Findings do not stop a submission. */
  submit_ok (f, "dora", id);

  /* Open secrecy marks block approval; the message names them. */
  assert_refused (gk_workflow_approve (f->store, "rita", id, NULL, &error), &error, GK_ERROR_REFUSED, "秘密★1年");
  marks_message = g_strdup_printf ("#%" G_GINT64_FORMAT, mark2);
  g_assert_nonnull (strstr (error->message, marks_message));
  g_clear_error (&error);
  {
    g_autoptr(GkItem) item = get_item (f, id);
    g_autofree char *why = NULL;

    g_assert_false (gk_workflow_can_approve (f->store, "rita", item, &why));
    g_assert_nonnull (strstr (why, "内部资料"));
  }

  /* A reason is required, and a refused command changes nothing: the
   * first dismissal is rolled back with the failed second one. */
  {
    GkDismissal both[] = { { mark1, "引用的是已解密文件的标题" }, { mark2, "  " } };

    assert_refused (gk_workflow_review (f->store, "rita", id, GK_REVIEW_APPROVE, NULL, both, 2, &error), &error, GK_ERROR_INVALID, "reason");
    g_clear_error (&error);
  }
  {
    GkDismissal one[] = { { mark1, "引用的是已解密文件的标题" } };

    /* The other mark is still open: approval refused, dismissal undone. */
    assert_refused (gk_workflow_review (f->store, "rita", id, GK_REVIEW_APPROVE, NULL, one, 1, &error), &error, GK_ERROR_REFUSED, "内部资料");
    g_clear_error (&error);
  }
  {
    g_autoptr(GkItem) item = get_item (f, id);

    for (guint i = 0; i < item->findings->len; i++)
      {
        GkFinding *finding = g_ptr_array_index (item->findings, i);

        if (finding->id != landline)
          g_assert_cmpint (finding->status, ==, GK_FINDING_OPEN);
      }
  }
  g_assert_cmpuint (count_audit (f, id, "dismiss"), ==, 0);

  /* Who may dismiss: not the drafter (no role), not a contributor. */
  assert_refused (gk_workflow_dismiss_finding (f->store, "dora", id, mark1, "理由", &error), &error, GK_ERROR_PERMISSION, NULL);
  g_clear_error (&error);
  edit_field (f, "rex", id, "summary", "rex 改过");    /* back to draft, rex now an editor */
  assert_state (f, id, GK_STATE_DRAFT, GK_STAGE_NONE);
  assert_refused (gk_workflow_dismiss_finding (f->store, "rex", id, mark1, "理由", &error), &error, GK_ERROR_REFUSED, "separation of duties");
  g_clear_error (&error);
  submit_ok (f, "dora", id);

  /* Unknown, informational, and reason-less dismissals. */
  assert_refused (gk_workflow_dismiss_finding (f->store, "rita", id, 999999, "理由", &error), &error, GK_ERROR_NOT_FOUND, "999999");
  g_clear_error (&error);
  assert_refused (gk_workflow_dismiss_finding (f->store, "rita", id, landline, "理由", &error), &error, GK_ERROR_REFUSED, "information");
  g_clear_error (&error);
  assert_refused (gk_workflow_dismiss_finding (f->store, "rita", id, mark1, "", &error), &error, GK_ERROR_INVALID, "reason");
  g_clear_error (&error);
  assert_refused (gk_workflow_review (f->store, "rita", id, GK_REVIEW_DISMISS_ONLY, NULL, NULL, 0, &error), &error, GK_ERROR_INVALID, NULL);
  g_clear_error (&error);

  /* Dismissed with a reason: kept on the finding and in the audit. */
  g_assert_true (gk_workflow_dismiss_finding (f->store, "rita", id, mark1, "引用的是已解密文件的标题", &error));
  g_assert_no_error (error);
  details = last_audit (f, id, "dismiss", &actor);
  g_assert_cmpstr (actor, ==, "rita");
  g_assert_cmpint (json_object_get_int_member (details, "finding"), ==, mark1);
  g_assert_cmpstr (json_object_get_string_member (details, "reason"), ==, "引用的是已解密文件的标题");
  g_assert_cmpstr (json_object_get_string_member (details, "kind"), ==, "secrecy_mark");
  g_clear_pointer (&details, json_object_unref);
  g_clear_pointer (&actor, g_free);
  assert_refused (gk_workflow_dismiss_finding (f->store, "rob", id, mark1, "再次", &error), &error, GK_ERROR_REFUSED, "already dismissed by rita");
  g_clear_error (&error);

  /* Still blocked by the second mark and by the open 身份证号: personal
   * data blocks exactly as a secrecy mark does. */
  assert_refused (gk_workflow_approve (f->store, "rita", id, NULL, &error), &error, GK_ERROR_REFUSED, "内部资料");
  g_assert_null (strstr (error->message, "秘密★1年"));
  g_assert_nonnull (strstr (error->message, "310101********1234"));
  g_clear_error (&error);

  /* Dismissing the mark alone is not enough: refused, and undone. */
  {
    GkDismissal one[] = { { mark2, "“内部资料”为正文中的栏目名称" } };

    assert_refused (gk_workflow_review (f->store, "rita", id, GK_REVIEW_APPROVE, "已核", one, 1, &error),
                    &error, GK_ERROR_REFUSED, "310101********1234");
    g_clear_error (&error);
  }
  g_assert_cmpuint (count_audit (f, id, "dismiss"), ==, 1);

  /* Dismiss both and approve in one command. */
  {
    GkDismissal two[] = { { mark2, "“内部资料”为正文中的栏目名称" },
                          { card, "公开的是单位统一社会信用代码说明中的示例号码" } };

    g_assert_true (gk_workflow_review (f->store, "rita", id, GK_REVIEW_APPROVE, "已核", two, 2, &error));
    g_assert_no_error (error);
  }
  assert_state (f, id, GK_STATE_IN_REVIEW, GK_STAGE_RELEASE);
  {
    g_autoptr(GkItem) item = get_item (f, id);

    for (guint i = 0; i < item->findings->len; i++)
      {
        GkFinding *finding = g_ptr_array_index (item->findings, i);

        if (finding->id == mark2)
          {
            g_assert_cmpint (finding->status, ==, GK_FINDING_DISMISSED);
            g_assert_cmpstr (finding->decided_by, ==, "rita");
            g_assert_cmpstr (finding->reason, ==, "“内部资料”为正文中的栏目名称");
          }
        else if (finding->id == card)
          g_assert_cmpint (finding->status, ==, GK_FINDING_DISMISSED);
      }
  }
  g_assert_cmpuint (count_audit (f, id, "dismiss"), ==, 3);

  approve_ok (f, "rob", id);
  assert_state (f, id, GK_STATE_APPROVED, GK_STAGE_NONE);

  /* After approval findings are no longer decided on this revision. */
  assert_refused (gk_workflow_dismiss_finding (f->store, "ruth", id, card, "已脱敏", &error), &error, GK_ERROR_REFUSED, NULL);
  g_clear_error (&error);
  assert_audit_intact (f);
}

/* Open personal numbers (身份证号, mobile, bank card) block approval at both
 * stages, in bulk too, and keep an approved item off the portal when a
 * later screening finds one nobody decided. */
static void
test_personal_data_blocks (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);
  g_autofree char *id = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *record = NULL;
  gint64 card, mobile, bank;

  g_ptr_array_add (findings, gk_finding_new (GK_FINDING_ID_CARD, "310101********0014", 1, 10, 18));
  g_ptr_array_add (findings, gk_finding_new (GK_FINDING_MOBILE, "138****5678", 1, 40, 11));
  g_ptr_array_add (findings, gk_finding_new (GK_FINDING_BANK_CARD, "6222********1234", 2, 5, 19));
  g_ptr_array_add (findings, gk_finding_new (GK_FINDING_LANDLINE, "021-6432****", 2, 80, 12));
  id = make_item_full (f, "dora", "关于补助发放情况的公示", "上海市应急管理局", "2025-03-03", "proactive", findings);
  clean = make_item (f, "dan", "关于开展安全生产检查的通知", "proactive");
  card = finding_id_of (f, id, GK_FINDING_ID_CARD, 0);
  mobile = finding_id_of (f, id, GK_FINDING_MOBILE, 0);
  bank = finding_id_of (f, id, GK_FINDING_BANK_CARD, 0);
  submit_ok (f, "dora", id);
  submit_ok (f, "dan", clean);

  /* 保密审查: refused, every open number named; the landline only informs. */
  assert_refused (gk_workflow_approve (f->store, "rita", id, NULL, &error), &error, GK_ERROR_REFUSED, "personal data");
  g_assert_nonnull (strstr (error->message, "310101********0014"));
  g_assert_nonnull (strstr (error->message, "138****5678"));
  g_assert_nonnull (strstr (error->message, "6222********1234"));
  g_assert_null (strstr (error->message, "021-6432****"));
  g_clear_error (&error);
  {
    g_autoptr(GkItem) item = get_item (f, id);
    g_autofree char *why = NULL;

    g_assert_false (gk_workflow_can_approve (f->store, "rita", item, &why));
    g_assert_nonnull (strstr (why, "138****5678"));
  }

  /* The clean one beside it passes. */
  approve_ok (f, "rita", clean);
  assert_state (f, id, GK_STATE_IN_REVIEW, GK_STAGE_CONFIDENTIALITY);
  assert_state (f, clean, GK_STATE_IN_REVIEW, GK_STAGE_RELEASE);

  /* Dismissed with reasons (kept in the audit): the first stage passes. */
  {
    GkDismissal all[] = { { card, "为已故人员的公开身份信息，经家属同意" },
                          { mobile, "为单位值班电话" },
                          { bank, "为单位对公账户" } };

    g_assert_true (gk_workflow_review (f->store, "rita", id, GK_REVIEW_APPROVE, NULL, all, 3, &error));
    g_assert_no_error (error);
  }
  assert_state (f, id, GK_STATE_IN_REVIEW, GK_STAGE_RELEASE);
  g_assert_cmpuint (count_audit (f, id, "dismiss"), ==, 3);

  /* 发布审核: screened again, a new mobile number turns up; it blocks the
   * second stage too, while the decided ones stay decided. */
  {
    g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);
    gint64 second;

    g_ptr_array_add (again, gk_finding_new (GK_FINDING_ID_CARD, "310101********0014", 1, 10, 18));
    g_ptr_array_add (again, gk_finding_new (GK_FINDING_MOBILE, "138****5678", 1, 40, 11));
    g_ptr_array_add (again, gk_finding_new (GK_FINDING_BANK_CARD, "6222********1234", 2, 5, 19));
    g_ptr_array_add (again, gk_finding_new (GK_FINDING_MOBILE, "139****0000", 2, 60, 11));
    g_assert_true (gk_store_replace_findings (f->store, "ruth", id, again, &error));
    g_assert_no_error (error);
    second = finding_id_of (f, id, GK_FINDING_MOBILE, 1);
    assert_refused (gk_workflow_approve (f->store, "rob", id, NULL, &error), &error, GK_ERROR_REFUSED, "139****0000");
    g_assert_null (strstr (error->message, "138****5678"));
    g_clear_error (&error);
    {
      GkDismissal one[] = { { second, "为政务服务热线转接号码" } };

      g_assert_true (gk_workflow_review (f->store, "rob", id, GK_REVIEW_APPROVE, NULL, one, 1, &error));
      g_assert_no_error (error);
    }
  }
  assert_state (f, id, GK_STATE_APPROVED, GK_STAGE_NONE);
  record = gk_workflow_get_approved_record (f->store, id, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_clear_pointer (&record, g_free);

  /* Screened after approval, a bank card nobody decided: the sync's gate
   * refuses the item. */
  {
    g_autoptr(GPtrArray) later = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);

    g_ptr_array_add (later, gk_finding_new (GK_FINDING_BANK_CARD, "6217********9999", 3, 0, 19));
    g_assert_true (gk_store_replace_findings (f->store, "ruth", id, later, &error));
    g_assert_no_error (error);
  }
  record = gk_workflow_get_approved_record (f->store, id, NULL, NULL, &error);
  g_assert_null (record);
  g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "6217********9999"));
  g_clear_error (&error);
  assert_audit_intact (f);
}

/* ---- only proactive items are ever publishable ---- */

static void
test_non_proactive (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *on_request = make_item (f, "dora", "依申请公开的批复", "on_request");
  g_autofree char *withheld = make_item (f, "dora", "不予公开的请示", "withheld");
  g_autofree char *proactive = make_item (f, "dora", "主动公开的通知", "proactive");
  g_autofree char *later = make_item (f, "dora", "先主动后改为依申请", "proactive");
  const char *all[4];

  /* A withheld item needs its legal ground. */
  assert_refused (gk_workflow_submit (f->store, "dora", withheld, &error), &error, GK_ERROR_REFUSED,
                  "disclosure_ground");
  g_clear_error (&error);
  edit_field (f, "dora", withheld, "disclosure_ground", "Art. 16: process information");

  /* Filed items go through review like the others … */
  for (guint i = 0; i < 3; i++)
    {
      const char *id = i == 0 ? on_request : i == 1 ? withheld : proactive;

      submit_ok (f, "dora", id);
      approve_ok (f, "rita", id);
      approve_ok (f, "rob", id);
      assert_state (f, id, GK_STATE_APPROVED, GK_STAGE_NONE);
    }

  /* … and a proactive approved item turned on_request needs a new
   * revision, whose approval is not publishable either. */
  submit_ok (f, "dora", later);
  approve_ok (f, "rita", later);
  approve_ok (f, "rob", later);
  edit_field (f, "dora", later, "disclosure", "on_request");
  submit_ok (f, "dora", later);
  approve_ok (f, "rob", later);
  approve_ok (f, "rita", later);
  assert_state (f, later, GK_STATE_APPROVED, GK_STAGE_NONE);

  /* The invariant, over the whole library: a record for the portal exists
   * exactly for the proactive item. */
  all[0] = on_request;
  all[1] = withheld;
  all[2] = proactive;
  all[3] = later;
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_autoptr(GkItem) item = get_item (f, all[i]);
      g_autofree char *record = gk_workflow_get_approved_record (f->store, all[i], NULL, NULL, &error);

      if (g_strcmp0 (item->disclosure, "proactive") == 0)
        {
          g_assert_no_error (error);
          g_assert_nonnull (strstr (record, "\"disclosure\":\"proactive\""));
        }
      else
        {
          g_assert_null (record);
          g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
          g_assert_nonnull (strstr (error->message, "never published"));
          g_clear_error (&error);
        }
    }
  {
    GkQuery query = { 0 };
    g_autoptr(GPtrArray) items = NULL;
    guint n_publishable = 0;

    query.state = GK_QUERY_APPROVED;
    items = gk_store_query (f->store, &query, 0, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (items->len, ==, 4);
    for (guint i = 0; i < items->len; i++)
      {
        GkItem *item = g_ptr_array_index (items, i);
        g_autofree char *record = gk_workflow_get_approved_record (f->store, item->id, NULL, NULL, NULL);

        if (record != NULL)
          {
            g_assert_cmpstr (item->disclosure, ==, "proactive");
            n_publishable++;
          }
      }
    g_assert_cmpuint (n_publishable, ==, 1);
  }
}

/* ---- one review stage ---- */

static void
test_one_stage (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *early = make_item (f, "dora", "两级审核时提交", "proactive");
  g_autofree char *id = make_item (f, "dora", "一级审核", "proactive");
  g_autoptr(GPtrArray) approvals = NULL;
  g_autofree char *record = NULL;

  g_assert_cmpint (gk_workflow_get_review_stages (f->store), ==, 2);
  submit_ok (f, "dora", early);

  g_assert_true (gk_store_set_setting (f->store, "admin", "review_stages", "1", &error));
  g_assert_no_error (error);
  g_assert_cmpint (gk_workflow_get_review_stages (f->store), ==, 1);
  g_assert_cmpint (gk_workflow_first_stage (f->store), ==, GK_STAGE_RELEASE);

  /* One combined sign-off, stored as the release stage. */
  submit_ok (f, "dora", id);
  assert_state (f, id, GK_STATE_IN_REVIEW, GK_STAGE_RELEASE);
  approve_ok (f, "rita", id);
  assert_state (f, id, GK_STATE_APPROVED, GK_STAGE_NONE);
  record = gk_workflow_get_approved_record (f->store, id, NULL, NULL, &error);
  g_assert_no_error (error);
  approvals = gk_workflow_list_approvals (f->store, id, &error);
  g_assert_cmpuint (approvals->len, ==, 1);
  g_assert_cmpint (((GkApproval *) g_ptr_array_index (approvals, 0))->stage, ==, GK_STAGE_RELEASE);

  /* An item already in the confidentiality stage ends with that stage. */
  assert_state (f, early, GK_STATE_IN_REVIEW, GK_STAGE_CONFIDENTIALITY);
  approve_ok (f, "rob", early);
  assert_state (f, early, GK_STATE_APPROVED, GK_STAGE_NONE);
  g_clear_pointer (&record, g_free);
  record = gk_workflow_get_approved_record (f->store, early, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
}

/* ---- the queue ---- */

static void
test_queue (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = secrecy_findings ();
  g_autofree char *march = make_item_full (f, "dora", "三月的通知", "上海市应急管理局", "2025-03-10", "proactive", NULL);
  g_autofree char *january = make_item_full (f, "rex", "一月的通知", "上海市应急管理局", "2025-01-06", "proactive", NULL);
  g_autofree char *february = make_item_full (f, "dora", "二月的通知", "上海市应急管理局", "2025-02-03", "proactive", findings);
  g_autofree char *draft = make_item_full (f, "dora", "未提交", "上海市应急管理局", "2024-12-02", "proactive", NULL);
  g_autoptr(GPtrArray) queue = NULL;

  submit_ok (f, "dora", march);
  submit_ok (f, "dora", january);
  submit_ok (f, "dora", february);

  /* Most urgent due date first; drafts are not in it; an item blocked by
   * an open finding is (the reviewer decides the finding). */
  queue = gk_workflow_queue (f->store, "rita", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 3);
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (queue, 0))->id, ==, january);
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (queue, 1))->id, ==, february);
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (queue, 2))->id, ==, march);
  g_assert_nonnull (((GkItem *) g_ptr_array_index (queue, 1))->findings);
  g_assert_false (gk_workflow_can_approve (f->store, "rita", g_ptr_array_index (queue, 1), NULL));
  g_clear_pointer (&queue, g_ptr_array_unref);

  /* rex drafted the January item. */
  queue = gk_workflow_queue (f->store, "rex", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 2);
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (queue, 0))->id, ==, february);
  g_clear_pointer (&queue, g_ptr_array_unref);

  /* After rita signs stage one, the release is for someone else. */
  approve_ok (f, "rita", january);
  queue = gk_workflow_queue (f->store, "rita", &error);
  g_assert_cmpuint (queue->len, ==, 2);
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (queue, 0))->id, ==, february);
  g_clear_pointer (&queue, g_ptr_array_unref);
  queue = gk_workflow_queue (f->store, "rob", &error);
  g_assert_cmpuint (queue->len, ==, 3);
  g_assert_cmpstr (((GkItem *) g_ptr_array_index (queue, 0))->id, ==, january);
  g_assert_cmpint (((GkItem *) g_ptr_array_index (queue, 0))->stage, ==, GK_STAGE_RELEASE);
  g_clear_pointer (&queue, g_ptr_array_unref);

  approve_ok (f, "rob", january);
  queue = gk_workflow_queue (f->store, "admin", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 2);
  (void) draft;
}

/* ---- gongkai-ctl end to end ---- */

typedef struct
{
  int       status;
  char     *out;
  char     *err;
  JsonNode *json;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
  g_clear_pointer (&r->json, json_node_unref);
  memset (r, 0, sizeof *r);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
ctl (Run        *r,
     const char *library,
     const char *user,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("GONGKAI_CTL"));
  g_ptr_array_add (argv, "--library");
  g_ptr_array_add (argv, (char *) library);
  g_ptr_array_add (argv, "--as");
  g_ptr_array_add (argv, (char *) user);
  va_start (args, user);
  while ((arg = va_arg (args, const char *)) != NULL)
    {
      if (strcmp (arg, "--json") == 0)
        json = TRUE;
      g_ptr_array_add (argv, (char *) arg);
    }
  va_end (args);
  g_ptr_array_add (argv, NULL);

  run_clear (r);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  r->status = g_subprocess_get_exit_status (process);
  if (json && r->out != NULL && *r->out != '\0')
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (!json_parser_load_from_data (parser, r->out, -1, &error))
        g_error ("not JSON (%s): %s", error->message, r->out);
      r->json = json_node_copy (json_parser_get_root (parser));
    }
}

static void
expect (Run        *r,
        int         status,
        const char *stderr_needle)
{
  if (r->status != status)
    g_error ("exit %d, expected %d\nstdout: %s\nstderr: %s", r->status, status, r->out, r->err);
  if (stderr_needle != NULL && (r->err == NULL || strstr (r->err, stderr_needle) == NULL))
    g_error ("“%s” not on stderr: %s", stderr_needle, r->err);
}

static JsonObject *
obj (Run *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_node_get_object (r->json);
}

static char *
import_fixture (const char *library,
                const char *dir,
                const char *doc_number)
{
  g_auto(Run) r = { 0 };
  g_autoptr(GError) error = NULL;
  const GkFixtureDoc *doc = gk_fixture_corpus_find (doc_number);
  g_autofree char *path = NULL;
  JsonObject *result;

  g_assert_nonnull (doc);
  path = g_build_filename (dir, doc->file_name, NULL);
  g_assert_true (gk_fixture_write_pdf (doc, path, &error));
  g_assert_no_error (error);
  ctl (&r, library, "dora", "--json", "import", path, NULL);
  expect (&r, 0, NULL);
  result = json_array_get_object_element (json_object_get_array_member (obj (&r), "results"), 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "imported");
  return g_strdup (json_object_get_string_member (result, "id"));
}

/* Imports a corpus document whose first paragraph carries an open
 * 身份证号, mobile and bank card number. */
static char *
import_personal_fixture (const char *library,
                         const char *dir)
{
  g_auto(Run) r = { 0 };
  g_autoptr(GError) error = NULL;
  GkFixtureDoc doc = *gk_fixture_corpus_find ("沪应急办〔2023〕20号");
  g_autofree char *path = g_build_filename (dir, "personal.pdf", NULL);
  JsonObject *result;

  doc.file_name = "personal.pdf";
  doc.lead_paragraph = "经审核，申请人王某某（身份证号11010519491231002X，联系电话13812345678，"
                       "收款账号6222020200112345679）符合补助发放条件，现予公示。";
  g_assert_true (gk_fixture_write_pdf (&doc, path, &error));
  g_assert_no_error (error);
  ctl (&r, library, "dora", "--json", "import", path, NULL);
  expect (&r, 0, NULL);
  result = json_array_get_object_element (json_object_get_array_member (obj (&r), "results"), 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "imported");
  return g_strdup (json_object_get_string_member (result, "id"));
}

/* The ids of the item's open findings of one kind, as --dismiss
 * arguments ("ID=reason"). */
static GPtrArray *
open_personal_dismissals (const char *library,
                          const char *id,
                          guint      *n_kinds)
{
  g_auto(Run) r = { 0 };
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
  JsonArray *findings;
  gboolean seen[3] = { FALSE, FALSE, FALSE };
  const char *kinds[] = { "id_card", "mobile", "bank_card" };

  ctl (&r, library, "rita", "--json", "show", id, NULL);
  expect (&r, 0, NULL);
  findings = json_object_get_array_member (obj (&r), "findings");
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *finding = json_array_get_object_element (findings, i);
      const char *kind = json_object_get_string_member (finding, "kind");

      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        if (strcmp (kind, kinds[k]) == 0 &&
            strcmp (json_object_get_string_member (finding, "status"), "open") == 0)
          {
            seen[k] = TRUE;
            g_ptr_array_add (args, g_strdup_printf ("%" G_GINT64_FORMAT "=公示所需，经申请人书面同意",
                                                    json_object_get_int_member (finding, "id")));
          }
    }
  *n_kinds = seen[0] + seen[1] + seen[2];
  return args;
}

/* gongkai-ctl: open personal data blocks approval at the first stage of
 * two and at the only stage of one, until each number is dismissed with a
 * reason. */
static void
test_cli_personal_data (void)
{
  const char *binary = g_getenv ("GONGKAI_CTL");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  if (binary == NULL || !g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("gongkai-ctl is not built ($GONGKAI_CTL)");
      return;
    }
  dir = g_dir_make_tmp ("gk-workflow-personal-XXXXXX", &error);
  g_assert_no_error (error);

  for (int stages = 2; stages >= 1; stages--)
    {
      g_autofree char *library = g_strdup_printf ("%s/library-%d", dir, stages);
      g_autofree char *stages_text = g_strdup_printf ("%d", stages);
      g_autofree char *id = NULL;
      g_autoptr(GPtrArray) dismissals = NULL;
      g_auto(Run) r = { 0 };
      guint n_kinds = 0;

      ctl (&r, library, "admin", "init", "--org-code", "000014349", NULL);
      expect (&r, 0, NULL);
      ctl (&r, library, "admin", "config", "review_stages", stages_text, NULL);
      expect (&r, 0, NULL);
      for (guint i = 0; i < G_N_ELEMENTS (members); i++)
        {
          g_autofree char *roles = gk_roles_to_string (members[i].roles);

          ctl (&r, library, "admin", "member", "add", members[i].user, "--role", roles, NULL);
          expect (&r, 0, NULL);
        }
      id = import_personal_fixture (library, dir);
      ctl (&r, library, "dora", "edit", id, "title=关于补助发放情况的公示", "issuer=上海市应急管理局",
           "written_date=2023-04-10", "disclosure=proactive", NULL);
      expect (&r, 0, NULL);
      ctl (&r, library, "dora", "submit", id, NULL);
      expect (&r, 0, NULL);

      dismissals = open_personal_dismissals (library, id, &n_kinds);
      g_assert_cmpuint (n_kinds, ==, 3);

      /* Refused with every number named, masked; nothing changes. */
      ctl (&r, library, "rita", "review", id, "approve", NULL);
      expect (&r, 3, "personal data");
      g_assert_nonnull (strstr (r.err, "ID card"));
      g_assert_null (strstr (r.err, "11010519491231002X"));
      g_assert_null (strstr (r.err, "13812345678"));
      ctl (&r, library, "rita", "--json", "show", id, NULL);
      expect (&r, 0, NULL);
      g_assert_cmpstr (json_object_get_string_member (obj (&r), "state"), ==, "in_review");

      /* One number dismissed, two still open: still refused. */
      ctl (&r, library, "rita", "review", id, "approve", "--dismiss", dismissals->pdata[0], NULL);
      expect (&r, 3, "personal data");

      ctl (&r, library, "rita", "--json", "review", id, "approve", "--dismiss", dismissals->pdata[0],
           "--dismiss", dismissals->pdata[1], "--dismiss", dismissals->pdata[2], NULL);
      expect (&r, 0, NULL);
      g_assert_cmpstr (json_object_get_string_member (obj (&r), "state"), ==,
                       stages == 2 ? "in_review" : "approved");
      if (stages == 2)
        {
          ctl (&r, library, "rob", "--json", "review", id, "approve", NULL);
          expect (&r, 0, NULL);
          g_assert_cmpstr (json_object_get_string_member (obj (&r), "state"), ==, "approved");
        }
      ctl (&r, library, "admin", "audit", "verify", NULL);
      expect (&r, 0, NULL);
    }
  gk_test_remove_tree (dir);
}

static void
test_cli (void)
{
  const char *binary = g_getenv ("GONGKAI_CTL");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *library = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *mark = NULL;
  g_autofree char *dismiss = NULL;
  g_auto(Run) r = { 0 };

  if (binary == NULL || !g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("gongkai-ctl is not built ($GONGKAI_CTL)");
      return;
    }

  dir = g_dir_make_tmp ("gk-workflow-cli-XXXXXX", &error);
  g_assert_no_error (error);
  library = g_build_filename (dir, "library", NULL);

  ctl (&r, library, "admin", "init", "--org-code", "000014349", NULL);
  expect (&r, 0, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autofree char *roles = gk_roles_to_string (members[i].roles);

      ctl (&r, library, "admin", "member", "add", members[i].user, "--role", roles, NULL);
      expect (&r, 0, NULL);
    }

  plain = import_fixture (library, dir, "沪应急办〔2023〕20号");
  secret = import_fixture (library, dir, "沪应急〔2022〕5号");

  /* Make both records complete (whatever the detection found). */
  ctl (&r, library, "dora", "edit", plain, "title=关于印发2023年政务公开工作要点的通知",
       "issuer=上海市应急管理局", "written_date=2023-04-10", "disclosure=proactive", NULL);
  expect (&r, 0, NULL);
  ctl (&r, library, "dora", "edit", secret, "title=关于报送专项资金使用情况的报告",
       "issuer=上海市应急管理局", "written_date=2022-03-01", "disclosure=withheld",
       "disclosure_ground=", NULL);
  expect (&r, 0, NULL);

  /* Usage and lookups. */
  ctl (&r, library, "dora", "submit", NULL);
  expect (&r, 2, NULL);
  ctl (&r, library, "dora", "submit", "ffffffff-ffff-4fff-8fff-ffffffffffff", NULL);
  expect (&r, 4, NULL);
  ctl (&r, library, "rita", "review", plain, "bless", NULL);
  expect (&r, 2, "bless");
  ctl (&r, library, "rita", "review", plain, "approve", "--dismiss", "abc", NULL);
  expect (&r, 2, NULL);
  ctl (&r, library, "rita", "review", plain, "dismiss", NULL);
  expect (&r, 2, NULL);
  ctl (&r, library, "rita", "review", "ffffffff-ffff-4fff-8fff-ffffffffffff", "approve", NULL);
  expect (&r, 4, NULL);

  /* Refusals: exit 3 with the reason on stderr, also with --json. */
  ctl (&r, library, "rita", "--json", "submit", plain, NULL);
  expect (&r, 3, "drafter");
  g_assert_true (r.out == NULL || *r.out == '\0');
  ctl (&r, library, "dora", "submit", secret, NULL);
  expect (&r, 3, "disclosure_ground");
  ctl (&r, library, "rita", "review", plain, "approve", NULL);
  expect (&r, 3, "submitted");

  /* Submit. */
  ctl (&r, library, "dora", "--json", "submit", plain, NULL);
  expect (&r, 0, NULL);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "state"), ==, "in_review");
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "stage"), ==, "confidentiality");
  g_assert_cmpint (json_object_get_int_member (obj (&r), "revision"), ==, 1);

  /* The drafter cannot sign; a return needs a comment. */
  ctl (&r, library, "dora", "--json", "review", plain, "approve", NULL);
  expect (&r, 3, "reviewer");
  ctl (&r, library, "rex", "review", plain, "return", NULL);
  expect (&r, 2, "comment");

  /* Queue. */
  ctl (&r, library, "rita", "--json", "queue", NULL);
  expect (&r, 0, NULL);
  {
    JsonArray *items = json_object_get_array_member (obj (&r), "items");

    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "id"), ==, plain);
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (items, 0), "can_approve"));
  }
  ctl (&r, library, "dora", "queue", NULL);
  expect (&r, 3, "reviewer");
  ctl (&r, library, "rita", "queue", NULL);
  expect (&r, 0, NULL);
  {
    g_autofree char *short_id = g_strndup (plain, 8);

    g_assert_nonnull (strstr (r.out, short_id));
  }

  /* Return and submit again. */
  ctl (&r, library, "rita", "--json", "review", plain, "return", "--comment", "请补充内容概述", NULL);
  expect (&r, 0, NULL);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "state"), ==, "returned");
  ctl (&r, library, "dora", "submit", plain, NULL);
  expect (&r, 0, NULL);

  /* Two signatures by two people. */
  ctl (&r, library, "rita", "--json", "review", plain, "approve", "--comment", "无涉密内容", NULL);
  expect (&r, 0, NULL);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "stage"), ==, "release");
  ctl (&r, library, "rita", "review", plain, "approve", NULL);
  expect (&r, 3, "confidentiality");
  ctl (&r, library, "rob", "--json", "review", plain, "approve", NULL);
  expect (&r, 0, NULL);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "state"), ==, "approved");
  ctl (&r, library, "rob", "review", plain, "approve", NULL);
  expect (&r, 3, "already approved");

  /* The secret report: ground given, submitted; the secrecy mark blocks
   * until dismissed with a reason, in the same command. */
  ctl (&r, library, "dora", "edit", secret, "disclosure_ground=Art. 14: state secret", NULL);
  expect (&r, 0, NULL);
  ctl (&r, library, "dora", "--json", "submit", secret, NULL);
  expect (&r, 0, NULL);
  {
    JsonArray *findings = json_object_get_array_member (obj (&r), "findings");

    for (guint i = 0; i < json_array_get_length (findings) && mark == NULL; i++)
      {
        JsonObject *finding = json_array_get_object_element (findings, i);

        if (strcmp (json_object_get_string_member (finding, "kind"), "secrecy_mark") == 0 &&
            strcmp (json_object_get_string_member (finding, "status"), "open") == 0)
          mark = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (finding, "id"));
      }
  }
  g_assert_nonnull (mark);
  ctl (&r, library, "rita", "review", secret, "approve", NULL);
  expect (&r, 3, "secrecy mark");
  ctl (&r, library, "rita", "review", secret, "approve", "--dismiss", "424242=不是密级", NULL);
  expect (&r, 4, NULL);
  dismiss = g_strdup_printf ("%s=", mark);
  ctl (&r, library, "rita", "review", secret, "approve", "--dismiss", dismiss, NULL);
  expect (&r, 2, "reason");

  /* Every open secrecy mark needs its own decision. */
  {
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) run_argv = NULL;
    g_auto(Run) show = { 0 };
    JsonArray *findings;

    ctl (&show, library, "rita", "--json", "show", secret, NULL);
    expect (&show, 0, NULL);
    findings = json_object_get_array_member (obj (&show), "findings");
    for (guint i = 0; i < json_array_get_length (findings); i++)
      {
        JsonObject *finding = json_array_get_object_element (findings, i);

        if (strcmp (json_object_get_string_member (finding, "kind"), "secrecy_mark") == 0 &&
            strcmp (json_object_get_string_member (finding, "status"), "open") == 0)
          {
            g_ptr_array_add (args, g_strdup ("--dismiss"));
            g_ptr_array_add (args, g_strdup_printf ("%" G_GINT64_FORMAT "=本件按不予公开备案，密级标志属实",
                                                    json_object_get_int_member (finding, "id")));
          }
      }
    g_assert_cmpuint (args->len, >=, 2);
    /* ctl() takes varargs: at most three marks in the corpus document. */
    g_assert_cmpuint (args->len, <=, 6);
    if (args->len == 2)
      ctl (&r, library, "rita", "--json", "review", secret, "approve", args->pdata[0], args->pdata[1], NULL);
    else if (args->len == 4)
      ctl (&r, library, "rita", "--json", "review", secret, "approve", args->pdata[0], args->pdata[1],
           args->pdata[2], args->pdata[3], NULL);
    else
      ctl (&r, library, "rita", "--json", "review", secret, "approve", args->pdata[0], args->pdata[1],
           args->pdata[2], args->pdata[3], args->pdata[4], args->pdata[5], NULL);
    expect (&r, 0, NULL);
    g_assert_cmpstr (json_object_get_string_member (obj (&r), "stage"), ==, "release");
    findings = json_object_get_array_member (obj (&r), "findings");
    for (guint i = 0; i < json_array_get_length (findings); i++)
      {
        JsonObject *finding = json_array_get_object_element (findings, i);

        if (strcmp (json_object_get_string_member (finding, "kind"), "secrecy_mark") == 0)
          g_assert_cmpstr (json_object_get_string_member (finding, "status"), ==, "dismissed");
      }
  }
  ctl (&r, library, "ruth", "--json", "review", secret, "approve", NULL);
  expect (&r, 0, NULL);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "state"), ==, "approved");
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "disclosure"), ==, "withheld");

  /* The audit shows every step and still verifies. */
  ctl (&r, library, "admin", "audit", "verify", NULL);
  expect (&r, 0, NULL);
  {
    g_autoptr(GkStore) store = gk_store_open (library, FALSE, &error);
    g_autofree char *record = NULL;

    g_assert_no_error (error);
    record = gk_workflow_get_approved_record (store, plain, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (record);
    g_assert_null (gk_workflow_get_approved_record (store, secret, NULL, NULL, &error));
    g_assert_error (error, GK_ERROR, GK_ERROR_REFUSED);
    g_clear_error (&error);
  }
  gk_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workflow/record-rules", test_record_rules);
  g_test_add_func ("/workflow/parse-dismissal", test_parse_dismissal);
  g_test_add ("/workflow/submit", Fixture, NULL, fixture_setup, test_submit, fixture_teardown);
  g_test_add ("/workflow/two-stages", Fixture, NULL, fixture_setup, test_two_stages, fixture_teardown);
  g_test_add ("/workflow/drafter-never-signs", Fixture, NULL, fixture_setup,
              test_drafter_never_signs, fixture_teardown);
  g_test_add ("/workflow/decision-binds-to-what-was-shown", Fixture, NULL, fixture_setup,
              test_decision_binds_to_what_was_shown, fixture_teardown);
  g_test_add ("/workflow/permissions-and-states", Fixture, NULL, fixture_setup,
              test_permissions_and_states, fixture_teardown);
  g_test_add ("/workflow/return", Fixture, NULL, fixture_setup, test_return, fixture_teardown);
  g_test_add ("/workflow/revision-binding", Fixture, NULL, fixture_setup, test_revision_binding, fixture_teardown);
  g_test_add ("/workflow/file-binding", Fixture, NULL, fixture_setup, test_file_binding, fixture_teardown);
  g_test_add ("/workflow/secrecy-finding", Fixture, NULL, fixture_setup, test_secrecy_finding, fixture_teardown);
  g_test_add ("/workflow/personal-data-blocks", Fixture, NULL, fixture_setup, test_personal_data_blocks, fixture_teardown);
  g_test_add_func ("/workflow/cli-personal-data", test_cli_personal_data);
  g_test_add ("/workflow/non-proactive", Fixture, NULL, fixture_setup, test_non_proactive, fixture_teardown);
  g_test_add ("/workflow/one-stage", Fixture, NULL, fixture_setup, test_one_stage, fixture_teardown);
  g_test_add ("/workflow/queue", Fixture, NULL, fixture_setup, test_queue, fixture_teardown);
  g_test_add_func ("/workflow/cli", test_cli);

  return g_test_run ();
}
