/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiSync"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <string.h>

#include "gk-sync-private.h"
#include "gk-util.h"
#include "gk-workflow.h"

/* The gate: what may be sent to the portal.  Only an item whose current
 * revision has a valid approval and whose disclosure is proactive, and
 * only the record approved for that revision (plus the publish_date of
 * its first publication).  Checked when the job is planned
 * (sync_gate_plan(), from the approval) and again by the engine before
 * the files are sent and right before PUT /documents
 * (sync_check_gate()). */

/* small things */

static void
file_ref_free (gpointer data)
{
  FileRef *ref = data;

  g_free (ref->sha256);
  g_free (ref->media_type);
  g_free (ref);
}

static gboolean
is_sha256_hex (const char *text)
{
  gsize n = 0;

  if (text == NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++, n++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
      return FALSE;
  return n == 64;
}

/* The body to send must be the approved record, publish_date aside. */
static gboolean
body_matches_approved (JsonNode *body, const char *approved_text)
{
  g_autoptr (JsonNode) approved = sync_parse_object (approved_text);
  g_autoptr (JsonNode) a = NULL;
  g_autoptr (JsonNode) b = NULL;
  const char *approved_date;
  const char *body_date;

  if (approved == NULL || body == NULL)
    return FALSE;
  approved_date = sync_member_string (json_node_get_object (approved), "publish_date");
  body_date = sync_member_string (json_node_get_object (body), "publish_date");
  if (!gk_str_is_blank (approved_date) && g_strcmp0 (approved_date, body_date) != 0)
    return FALSE;
  a = sync_deep_copy (approved);
  b = sync_deep_copy (body);
  json_object_remove_member (json_node_get_object (a), "publish_date");
  json_object_remove_member (json_node_get_object (b), "publish_date");
  return json_node_equal (a, b);
}

/* The gate, again, just before sending: the job must still be the item's
 * active job (pending; in conflict when a person chose to overwrite) and
 * its body the approved record of the item's current revision.  @again:
 * checked once more right before PUT /documents (uploads, retries and
 * backoff may have taken minutes); the first time it also lists the
 * files to upload. */
gboolean
sync_check_gate (Work *work, gboolean again, char **why)
{
  Run *run = work->run;
  g_autoptr (GError) error = NULL;
  g_autofree char *approved = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr (JsonNode) body = NULL;
  g_autoptr (GkSyncJob) active = NULL;
  JsonObject *object;
  JsonObject *file;
  JsonNode   *attachments;
  gint64      revision = 0;

  active = gk_store_sync_get_active_job (run->store, work->item_id, &error);
  if (error != NULL)
    {
      *why = g_strdup_printf (_ ("Not sent: %s"), error->message);
      return FALSE;
    }
  if (active == NULL || active->id != work->job->id ||
      !(active->state == GK_SYNC_JOB_PENDING ||
        (work->overwrite && active->state == GK_SYNC_JOB_CONFLICT)))
    {
      if (active != NULL && active->operation == GK_SYNC_OP_WITHDRAW)
        *why =
            g_strdup (_ ("Not sent: a withdrawal of the item was queued meanwhile; the next sync "
                         "applies it."));
      else
        *why =
            g_strdup (_ ("Not sent: the queued job was replaced by a newer decision meanwhile."));
      return FALSE;
    }

  approved =
      gk_workflow_get_approved_record (run->store, work->item_id, &revision, &sha256, &error);
  if (approved == NULL)
    {
      *why = g_strdup_printf (_ ("Not sent: %s"), error->message);
      return FALSE;
    }
  if (revision != work->job->revision)
    {
      *why = g_strdup_printf (_ ("Not sent: revision %" PRId64 " was queued, but the item is "
                                 "now at revision %" PRId64 "."),
                              work->job->revision, revision);
      return FALSE;
    }
  body = sync_parse_object (work->job->body);
  if (body == NULL || !body_matches_approved (body, approved))
    {
      *why = g_strdup (_ ("Not sent: the queued record is not the approved one."));
      return FALSE;
    }
  object = json_node_get_object (body);
  if (g_strcmp0 (sync_member_string (object, "disclosure"), "proactive") != 0)
    {
      *why = g_strdup (_ ("Not sent: the record is not for proactive disclosure."));
      return FALSE;
    }
  if (g_strcmp0 (sync_member_string (object, "id"), work->item_id) != 0)
    {
      *why = g_strdup (_ ("Not sent: the queued record is for another item."));
      return FALSE;
    }
  file = json_object_has_member (object, "file") &&
                 JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "file"))
             ? json_object_get_object_member (object, "file")
             : NULL;
  if (file == NULL || g_strcmp0 (sync_member_string (file, "sha256"), sha256) != 0 ||
      !is_sha256_hex (sha256))
    {
      *why = g_strdup (_ ("Not sent: the record’s file is not the approved file."));
      return FALSE;
    }
  if (again)
    return TRUE;

  work->files = g_ptr_array_new_with_free_func (file_ref_free);
  {
    FileRef *ref = g_new0 (FileRef, 1);

    ref->sha256 = g_strdup (sha256);
    ref->media_type = g_strdup (sync_member_string (file, "media_type"));
    g_ptr_array_add (work->files, ref);
  }
  attachments = json_object_get_member (object, "attachments");
  if (attachments != NULL && JSON_NODE_HOLDS_ARRAY (attachments))
    {
      JsonArray *array = json_node_get_array (attachments);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode   *element = json_array_get_element (array, i);
          const char *hash;
          FileRef    *ref;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          hash = sync_member_string (json_node_get_object (element), "sha256");
          if (!is_sha256_hex (hash))
            {
              *why = g_strdup (_ ("Not sent: an attachment of the record has no valid hash."));
              return FALSE;
            }
          ref = g_new0 (FileRef, 1);
          ref->sha256 = g_strdup (hash);
          ref->media_type =
              g_strdup (sync_member_string (json_node_get_object (element), "media_type"));
          g_ptr_array_add (work->files, ref);
        }
    }

  work->publish_date = g_strdup (sync_member_string (object, "publish_date"));
  work->body = g_bytes_new (work->job->body, strlen (work->job->body));
  return TRUE;
}

/**
 * gk_sync_build_body:
 * @approved_record: the approved record (JSON text)
 * @publish_date: the date for a record without one
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): the exact body to send
 */
char *
gk_sync_build_body (const char *approved_record, const char *publish_date, GError **error)
{
  g_autoptr (JsonNode) root = sync_parse_object (approved_record);
  g_autoptr (JsonGenerator) generator = NULL;
  JsonObject *object;

  if (root == NULL)
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_DAMAGED,
                           _ ("The approved record is not a JSON object."));
      return NULL;
    }
  object = json_node_get_object (root);
  if (gk_str_is_blank (sync_member_string (object, "publish_date")) && publish_date != NULL)
    json_object_set_string_member (object, "publish_date", publish_date);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Plans what may be sent: for each approved item, the job of its
 * approved revision (unless the outbox holds it already), the body built
 * from the approval.  An approved item the workflow does not let out
 * (on_request, withheld, a file that changed) gets no job; it is said in
 * @early (always in a dry run, else unless it is simply not proactive).
 * Runs in the worker that writes the outbox. */
gboolean
sync_gate_plan (GkStore             *store,
                const GkSyncOptions *options,
                GStrv                approved_ids,
                GHashTable          *index,
                const char          *today,
                GArray              *specs,
                GPtrArray           *keep,
                GPtrArray           *early,
                GCancellable        *cancellable,
                GError             **error_out)
{
  g_autoptr (GError) error = NULL;

  for (guint i = 0; approved_ids[i] != NULL; i++)
    {
      const char *id = approved_ids[i];
      GkItem     *item = g_hash_table_lookup (index, id);
      g_autoptr (GkSyncJob) active = NULL;
      g_autoptr (GkPortalState) state = NULL;
      g_autofree char *approved = NULL;
      g_autofree char *body = NULL;
      const char      *publish_date;
      gint64           revision = 0;
      GkSyncJobSpec    spec = { 0 };

      if (g_cancellable_is_cancelled (cancellable))
        break;
      approved = gk_workflow_get_approved_record (store, id, &revision, NULL, &error);
      if (approved == NULL)
        {
          if (!g_error_matches (error, GK_ERROR, GK_ERROR_REFUSED))
            {
              g_propagate_error (error_out, g_steal_pointer (&error));
              return FALSE;
            }
          /* Approved but not publishable: on_request and withheld items
           * are filed here and never sent (said in a dry run only, not in
           * every batch's report); anything else (a file that changed)
           * is reported. */
          if (!options->dry_run && item != NULL && g_strcmp0 (item->disclosure, "proactive") != 0)
            {
              g_clear_error (&error);
              continue;
            }
          g_ptr_array_add (early,
                           sync_result_new (id, item ? item->title : NULL, GK_SYNC_OUTCOME_SKIPPED,
                                            NULL, item ? item->revision : 0, error->message));
          g_clear_error (&error);
          continue;
        }
      active = gk_store_sync_get_active_job (store, id, &error);
      if (error != NULL)
        {
          g_propagate_error (error_out, g_steal_pointer (&error));
          return FALSE;
        }
      if (active != NULL &&
          (active->operation == GK_SYNC_OP_WITHDRAW || active->revision == revision))
        continue; /* already in the outbox */
      state = gk_store_sync_get_portal_state (store, id, &error);
      if (error != NULL)
        {
          g_propagate_error (error_out, g_steal_pointer (&error));
          return FALSE;
        }

      publish_date = state != NULL && !gk_str_is_blank (state->publish_date) ? state->publish_date
                     : item != NULL && !gk_str_is_blank (item->publish_date) ? item->publish_date
                                                                             : today;
      if ((body = gk_sync_build_body (approved, publish_date, &error)) == NULL)
        {
          g_propagate_error (error_out, g_steal_pointer (&error));
          return FALSE;
        }

      spec.item_id = g_strdup (id);
      spec.revision = revision;
      spec.operation = state != NULL && g_strcmp0 (state->status, "published") == 0
                           ? GK_SYNC_OP_UPDATE
                           : GK_SYNC_OP_PUBLISH;
      spec.body = g_steal_pointer (&body);
      g_ptr_array_add (keep, (char *) spec.item_id);
      g_ptr_array_add (keep, (char *) spec.body);
      g_array_append_val (specs, spec);
    }

  return TRUE;
}
