/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkFinding"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gk-finding.h"

G_DEFINE_BOXED_TYPE (GkFinding, gk_finding, gk_finding_copy, gk_finding_free)

/**
 * gk_finding_new:
 * @kind: what was found
 * @value: the masked value or the matched mark
 * @page: 1-based page
 * @offset: character offset in the page text
 * @length: length in characters
 *
 * Returns: (transfer full): a new open finding (landlines are "info")
 */
GkFinding *
gk_finding_new (GkFindingKind kind, const char *value, int page, int offset, int length)
{
  GkFinding *self = g_new0 (GkFinding, 1);

  self->kind = kind;
  self->value = g_strdup (value);
  self->page = page;
  self->offset = offset;
  self->length = length;
  self->status = kind == GK_FINDING_LANDLINE ? GK_FINDING_INFO : GK_FINDING_OPEN;
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
  self->value = g_strdup (finding->value);
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
  g_free (finding->value);
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
  return finding->kind == GK_FINDING_ID_CARD || finding->kind == GK_FINDING_MOBILE ||
         finding->kind == GK_FINDING_BANK_CARD;
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
  return finding->status == GK_FINDING_OPEN &&
         (finding->kind == GK_FINDING_SECRECY_MARK || gk_finding_is_personal_data (finding));
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
  json_builder_add_string_value (b, gk_finding_kind_to_string (finding->kind));
  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, finding->value);
  json_builder_set_member_name (b, "page");
  json_builder_add_int_value (b, finding->page);
  json_builder_set_member_name (b, "offset");
  json_builder_add_int_value (b, finding->offset);
  json_builder_set_member_name (b, "length");
  json_builder_add_int_value (b, finding->length);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, gk_finding_status_to_string (finding->status));
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

/* Indexed by GkFindingKind and GkFindingStatus. */
static const char *const kind_names[] = {
  [GK_FINDING_SECRECY_MARK] = "secrecy_mark",
  [GK_FINDING_ID_CARD] = "id_card",
  [GK_FINDING_MOBILE] = "mobile",
  [GK_FINDING_BANK_CARD] = "bank_card",
  [GK_FINDING_KEYWORD] = "keyword",
  [GK_FINDING_LANDLINE] = "landline",
};

static const char *const status_names[] = {
  [GK_FINDING_OPEN] = "open",
  [GK_FINDING_DISMISSED] = "dismissed",
  [GK_FINDING_INFO] = "info",
};

/**
 * gk_finding_kind_to_string:
 * @kind: a finding kind
 *
 * Returns: the name of @kind as stored and printed ("secrecy_mark", …)
 */
const char *
gk_finding_kind_to_string (GkFindingKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), "secrecy_mark");
  return kind_names[kind];
}

/**
 * gk_finding_kind_from_string:
 * @string: (nullable): a stored or typed kind name
 * @out: (out): where the kind goes
 *
 * Returns: %TRUE if @string names a kind; %FALSE (and @out untouched) if not
 */
gboolean
gk_finding_kind_from_string (const char *string, GkFindingKind *out)
{
  for (guint i = 0; string != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (string, kind_names[i]) == 0)
      {
        *out = (GkFindingKind) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * gk_finding_status_to_string:
 * @status: a finding status
 *
 * Returns: the name of @status as stored and printed ("open", …)
 */
const char *
gk_finding_status_to_string (GkFindingStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), "open");
  return status_names[status];
}

/**
 * gk_finding_status_from_string:
 * @string: (nullable): a stored or typed status name
 * @out: (out): where the status goes
 *
 * Returns: %TRUE if @string names a status; %FALSE (and @out untouched) if not
 */
gboolean
gk_finding_status_from_string (const char *string, GkFindingStatus *out)
{
  for (guint i = 0; string != NULL && i < G_N_ELEMENTS (status_names); i++)
    if (strcmp (string, status_names[i]) == 0)
      {
        *out = (GkFindingStatus) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * gk_finding_kind_to_label:
 * @kind: a finding kind
 *
 * Returns: the translated name of @kind
 */
const char *
gk_finding_kind_to_label (GkFindingKind kind)
{
  switch (kind)
    {
      case GK_FINDING_SECRECY_MARK:
        return _ ("Secrecy mark");
      case GK_FINDING_ID_CARD:
        return _ ("ID card number");
      case GK_FINDING_MOBILE:
        return _ ("Mobile number");
      case GK_FINDING_BANK_CARD:
        return _ ("Bank card number");
      case GK_FINDING_KEYWORD:
        return _ ("Sensitive word");
      case GK_FINDING_LANDLINE:
        return _ ("Landline number");
      default:
        return "";
    }
}

/**
 * gk_finding_status_to_label:
 * @status: a finding status
 *
 * Returns: the translated name of @status
 */
const char *
gk_finding_status_to_label (GkFindingStatus status)
{
  switch (status)
    {
      case GK_FINDING_OPEN:
        return _ ("Open");
      case GK_FINDING_DISMISSED:
        return _ ("Dismissed");
      case GK_FINDING_INFO:
        return _ ("For information");
      default:
        return "";
    }
}
