/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkFinding"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-finding.h"

G_DEFINE_BOXED_TYPE (GkFinding, gk_finding, gk_finding_copy, gk_finding_free)

/**
 * gk_finding_new:
 * @kind: secrecy_mark, id_card, mobile, bank_card, keyword or landline
 * @value: the masked value or the matched mark
 * @page: 1-based page
 * @offset: character offset in the page text
 * @length: length in characters
 *
 * Returns: (transfer full): a new open finding (landlines are "info")
 */
GkFinding *
gk_finding_new (const char *kind,
                const char *value,
                int         page,
                int         offset,
                int         length)
{
  GkFinding *self = g_new0 (GkFinding, 1);

  self->kind = g_strdup (kind);
  self->value = g_strdup (value);
  self->page = page;
  self->offset = offset;
  self->length = length;
  self->status = g_strdup (g_strcmp0 (kind, "landline") == 0 ? "info" : "open");
  return self;
}

/**
 * gk_finding_copy:
 * @finding: a finding
 *
 * Returns: (transfer full): a deep copy
 */
GkFinding *
gk_finding_copy (const GkFinding *finding)
{
  GkFinding *self = g_new0 (GkFinding, 1);

  *self = *finding;
  self->kind = g_strdup (finding->kind);
  self->value = g_strdup (finding->value);
  self->status = g_strdup (finding->status);
  self->reason = g_strdup (finding->reason);
  self->decided_by = g_strdup (finding->decided_by);
  self->decided_at = g_strdup (finding->decided_at);
  return self;
}

/**
 * gk_finding_free:
 * @finding: (nullable): a finding
 */
void
gk_finding_free (GkFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->kind);
  g_free (finding->value);
  g_free (finding->status);
  g_free (finding->reason);
  g_free (finding->decided_by);
  g_free (finding->decided_at);
  g_free (finding);
}

/**
 * gk_finding_is_personal_data:
 * @finding: a finding
 *
 * Returns: %TRUE for a personal number (身份证号, mobile, bank card): the
 *   personal information that must not go public undecided
 */
gboolean
gk_finding_is_personal_data (const GkFinding *finding)
{
  return g_strcmp0 (finding->kind, "id_card") == 0 ||
         g_strcmp0 (finding->kind, "mobile") == 0 ||
         g_strcmp0 (finding->kind, "bank_card") == 0;
}

/**
 * gk_finding_is_blocking:
 * @finding: a finding
 *
 * An open secrecy mark or an open personal number blocks approval at every
 * stage: a reviewer dismisses it with a written reason (or, later, the
 * content is redacted).  Sensitive words and landlines only inform.
 *
 * Returns: %TRUE if this finding blocks approval
 */
gboolean
gk_finding_is_blocking (const GkFinding *finding)
{
  return g_strcmp0 (finding->status, "open") == 0 &&
         (g_strcmp0 (finding->kind, "secrecy_mark") == 0 || gk_finding_is_personal_data (finding));
}

/**
 * gk_finding_to_json:
 * @finding: a finding
 *
 * Returns: (transfer full): {id, kind, value, page, status} (+ reason,
 *   decided_by when decided)
 */
JsonNode *
gk_finding_to_json (const GkFinding *finding)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, finding->id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, finding->kind);
  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, finding->value);
  json_builder_set_member_name (b, "page");
  json_builder_add_int_value (b, finding->page);
  json_builder_set_member_name (b, "offset");
  json_builder_add_int_value (b, finding->offset);
  json_builder_set_member_name (b, "length");
  json_builder_add_int_value (b, finding->length);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, finding->status);
  if (finding->reason != NULL)
    {
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, finding->reason);
    }
  if (finding->decided_by != NULL)
    {
      json_builder_set_member_name (b, "decided_by");
      json_builder_add_string_value (b, finding->decided_by);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * gk_finding_kind_to_label:
 * @kind: (nullable): a finding kind
 *
 * Returns: the translated name of @kind
 */
const char *
gk_finding_kind_to_label (const char *kind)
{
  if (g_strcmp0 (kind, "secrecy_mark") == 0)
    return _("Secrecy mark");
  if (g_strcmp0 (kind, "id_card") == 0)
    return _("ID card number");
  if (g_strcmp0 (kind, "mobile") == 0)
    return _("Mobile number");
  if (g_strcmp0 (kind, "bank_card") == 0)
    return _("Bank card number");
  if (g_strcmp0 (kind, "keyword") == 0)
    return _("Sensitive word");
  if (g_strcmp0 (kind, "landline") == 0)
    return _("Landline number");
  return kind ? kind : "";
}

/**
 * gk_finding_status_to_label:
 * @status: (nullable): open, dismissed or info
 *
 * Returns: the translated name of @status
 */
const char *
gk_finding_status_to_label (const char *status)
{
  if (g_strcmp0 (status, "open") == 0)
    return _("Open");
  if (g_strcmp0 (status, "dismissed") == 0)
    return _("Dismissed");
  if (g_strcmp0 (status, "info") == 0)
    return _("For information");
  return status ? status : "";
}
