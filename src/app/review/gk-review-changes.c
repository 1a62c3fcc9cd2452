/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiReview"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gk-review-changes.h"
#include "gk-util.h"
#include "gk-workflow.h"

/* helpers */

static char *
dup_member_string (JsonObject *object,
                   const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return gk_strdup_or_null (json_node_get_string (node));
}

static GStrv
dup_member_strv (JsonObject *object,
                 const char *name)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonNode *node;
  JsonArray *array;

  if (!json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

static JsonObject *
get_member_object (JsonObject *object,
                   const char *name)
{
  JsonNode *node;

  if (!json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gint64
latest_approved_revision_before (GPtrArray  *approvals,
                                 gint64      revision,
                                 const char **record_json)
{
  gint64 best = 0;

  *record_json = NULL;
  /* Oldest first: the newest final signature of an earlier revision wins.
   * The release stage is the final one (one-stage reviews are stored as
   * release too). */
  for (guint i = 0; i < approvals->len; i++)
    {
      GkApproval *approval = g_ptr_array_index (approvals, i);

      if (approval->stage != GK_STAGE_RELEASE || approval->revision >= revision ||
          approval->record_json == NULL)
        continue;
      if (approval->revision >= best)
        {
          best = approval->revision;
          *record_json = approval->record_json;
        }
    }
  return best;
}

/* "name.pdf (SHA-256 1a2b3c4d…)": the name alone may not have changed. */
static char *
describe_file (GkItem *item)
{
  g_autofree char *short_hash = NULL;

  if (item->file_sha256 == NULL)
    return NULL;
  short_hash = g_strndup (item->file_sha256, 8);
  if (gk_str_is_blank (item->file_name))
    return g_strdup_printf ("SHA-256 %s…", short_hash);
  return g_strdup_printf ("%s (SHA-256 %s…)", item->file_name, short_hash);
}

/* public */

/**
 * gk_field_change_free:
 * @change: (nullable): a change
 */
void
gk_field_change_free (GkFieldChange *change)
{
  if (change == NULL)
    return;
  g_free (change->field);
  g_free (change->label);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

/**
 * gk_review_item_from_record:
 * @record_json: a portal record, as gk_item_to_record_json() makes it
 * @error: return location for an error
 *
 * Reads the record back into an item for comparing.  Values are taken as
 * they are (not validated again): an approved record is what it was.
 *
 * Returns: (transfer full) (nullable): the item
 */
GkItem *
gk_review_item_from_record (const char  *record_json,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GkItem) item = NULL;
  JsonObject *object, *validity, *file;
  JsonNode *root;

  if (record_json == NULL || !json_parser_load_from_data (parser, record_json, -1, error))
    {
      if (record_json == NULL)
        g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID, _("The approved record is empty."));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_INVALID,
                           _("The approved record is not a JSON object."));
      return NULL;
    }
  object = json_node_get_object (root);

  item = gk_item_new ();
  item->id = dup_member_string (object, "id");
  item->index_no = dup_member_string (object, "index_no");
  item->title = dup_member_string (object, "title");
  item->doc_number = dup_member_string (object, "doc_number");
  item->issuer = dup_member_string (object, "issuer");
  item->written_date = dup_member_string (object, "written_date");
  item->publish_date = dup_member_string (object, "publish_date");
  item->genre = dup_member_string (object, "genre");
  item->topic = dup_member_string (object, "topic");
  item->category = dup_member_string (object, "category");
  item->tags = dup_member_strv (object, "tags");
  item->audience = dup_member_strv (object, "audience");
  item->disclosure = dup_member_string (object, "disclosure");
  item->service_url = dup_member_string (object, "service_url");
  item->interprets = dup_member_string (object, "interprets");
  item->related = dup_member_strv (object, "related");
  item->summary = dup_member_string (object, "summary");
  if ((validity = get_member_object (object, "validity")) != NULL)
    {
      item->validity_status = dup_member_string (validity, "status");
      item->effective_from = dup_member_string (validity, "effective_from");
      item->effective_until = dup_member_string (validity, "effective_until");
    }
  if ((file = get_member_object (object, "file")) != NULL)
    {
      item->file_sha256 = dup_member_string (file, "sha256");
      item->file_media_type = dup_member_string (file, "media_type");
      item->file_name = dup_member_string (file, "name");
      if (json_object_has_member (file, "bytes"))
        item->file_bytes = json_object_get_int_member (file, "bytes");
    }
  if (json_object_has_member (object, "revision"))
    item->revision = json_object_get_int_member (object, "revision");
  return g_steal_pointer (&item);
}

/**
 * gk_review_describe_field:
 * @item: an item
 * @field: a field name
 *
 * Returns: (transfer full) (nullable): the value for people, or %NULL
 */
char *
gk_review_describe_field (GkItem     *item,
                          const char *field)
{
  g_autofree char *value = gk_item_get_field (item, field);

  if (gk_str_is_blank (value))
    return NULL;
  if (strcmp (field, "category") == 0)
    return g_strdup (gk_category_to_label (value));
  if (strcmp (field, "disclosure") == 0)
    return g_strdup (gk_disclosure_to_label (value));
  if (strcmp (field, "validity_status") == 0)
    return g_strdup (gk_validity_to_label (value));
  return g_steal_pointer (&value);
}

/**
 * gk_review_changes_since_approval:
 * @approvals: (element-type GkApproval): the item's approvals
 *   (gk_workflow_list_approvals_async())
 * @item: the item under review
 * @base_revision: (out) (optional): the revision compared with, 0 for none
 * @error: return location for an error
 *
 * The legal ground of a withheld item is not part of the portal record,
 * so it is not compared; the document file is ("file").  A publish date
 * the first sync filled in is not an edit and is left out.
 *
 * Returns: (transfer full) (element-type GkFieldChange) (nullable): changes
 */
GPtrArray *
gk_review_changes_since_approval (GPtrArray   *approvals,
                                  GkItem      *item,
                                  gint64      *base_revision,
                                  GError     **error)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GkItem) approved = NULL;
  g_auto(GStrv) differing = NULL;
  const char *record_json = NULL;
  gint64 base;

  g_return_val_if_fail (approvals != NULL, NULL);
  g_return_val_if_fail (GK_IS_ITEM (item), NULL);

  if (base_revision != NULL)
    *base_revision = 0;
  changes = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_field_change_free);

  base = latest_approved_revision_before (approvals, item->revision, &record_json);
  if (base == 0)
    return g_steal_pointer (&changes);

  approved = gk_review_item_from_record (record_json, error);
  if (approved == NULL)
    return NULL;
  if (base_revision != NULL)
    *base_revision = base;

  differing = gk_item_diff (approved, item);
  for (guint i = 0; differing[i] != NULL; i++)
    {
      GkFieldChange *change;

      if (strcmp (differing[i], "disclosure_ground") == 0)
        continue;
      if (strcmp (differing[i], "publish_date") == 0 && gk_str_is_blank (approved->publish_date))
        continue;
      change = g_new0 (GkFieldChange, 1);
      change->field = g_strdup (differing[i]);
      change->label = g_strdup (gk_item_field_label (differing[i]));
      change->old_value = gk_review_describe_field (approved, differing[i]);
      change->new_value = gk_review_describe_field (item, differing[i]);
      g_ptr_array_add (changes, change);
    }

  if (g_strcmp0 (approved->file_sha256, item->file_sha256) != 0)
    {
      GkFieldChange *change = g_new0 (GkFieldChange, 1);

      change->field = g_strdup ("file");
      change->label = g_strdup (_("Document file"));
      change->old_value = describe_file (approved);
      change->new_value = describe_file (item);
      g_ptr_array_add (changes, change);
    }
  return g_steal_pointer (&changes);
}
