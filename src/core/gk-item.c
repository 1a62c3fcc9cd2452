/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkItem"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gk-finding.h"
#include "gk-gongwen.h"
#include "gk-deadline.h"
#include "gk-item.h"
#include "gk-util.h"

G_DEFINE_FINAL_TYPE (GkItem, gk_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_DOC_NUMBER,
  PROP_ISSUER,
  PROP_WRITTEN_DATE,
  PROP_STATE_LABEL,
  PROP_TAGS_TEXT,
  PROP_DUE_DATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  FIELD_TEXT,
  FIELD_DOC_NUMBER,
  FIELD_DATE,
  FIELD_ENUM,
  FIELD_LIST,
  FIELD_URL,
  FIELD_ID,
  FIELD_ID_LIST,
} FieldKind;

typedef struct
{
  const char *name;
  const char *label;      /* N_() */
  FieldKind   kind;
  int         max_chars;  /* per value for lists */
  gsize       offset;     /* of the char* or GStrv in GkItem */
  const char *const *(*values) (void);
} FieldInfo;

static const char *const categories[] = {
  "policy_document", "normative_document", "interpretation", "decision",
  "enforcement", "finance", "emergency_plan", "report", "other", NULL
};
static const char *const disclosures[] = { "proactive", "on_request", "withheld", NULL };
static const char *const validity_statuses[] = { "valid", "expired", "repealed", "not_applicable", NULL };

/* 条例 Art. 14, 15 and 16, in the words of the annual-report format
 * (国办公开办函〔2021〕30号) so that reports can be counted from them. */
static const char *const withheld_grounds[] = {
  N_("Art. 14: state secret"),
  N_("Art. 14: disclosure prohibited by law or administrative regulation"),
  N_("Art. 14: would endanger national, public or economic security or social stability"),
  N_("Art. 15: trade secret or personal privacy of a third party"),
  N_("Art. 16: internal affairs information"),
  N_("Art. 16: process information"),
  N_("Art. 16: administrative law-enforcement case file"),
  NULL
};

const char *const *gk_item_categories (void) { return categories; }
const char *const *gk_item_disclosures (void) { return disclosures; }
const char *const *gk_item_validity_statuses (void) { return validity_statuses; }
const char *const *gk_item_withheld_grounds (void) { return withheld_grounds; }

#define OFF(field) G_STRUCT_OFFSET (GkItem, field)

static const FieldInfo fields[] = {
  { "index_no",          N_("Index number"),    FIELD_TEXT,       64,   OFF (index_no), NULL },
  { "title",             N_("Title"),           FIELD_TEXT,       500,  OFF (title), NULL },
  { "doc_number",        N_("Document number"), FIELD_DOC_NUMBER, 100,  OFF (doc_number), NULL },
  { "issuer",            N_("Issuer"),          FIELD_TEXT,       200,  OFF (issuer), NULL },
  { "written_date",      N_("Date written"),    FIELD_DATE,       10,   OFF (written_date), NULL },
  { "publish_date",      N_("Publish date"),    FIELD_DATE,       10,   OFF (publish_date), NULL },
  { "genre",             N_("Genre"),           FIELD_TEXT,       50,   OFF (genre), NULL },
  { "topic",             N_("Topic"),           FIELD_TEXT,       100,  OFF (topic), NULL },
  { "category",          N_("Category"),        FIELD_ENUM,       50,   OFF (category), gk_item_categories },
  { "tags",              N_("Tags"),            FIELD_LIST,       50,   OFF (tags), NULL },
  { "audience",          N_("Audience"),        FIELD_LIST,       50,   OFF (audience), NULL },
  { "disclosure",        N_("Disclosure"),      FIELD_ENUM,       20,   OFF (disclosure), gk_item_disclosures },
  { "disclosure_ground", N_("Legal ground"),    FIELD_TEXT,       500,  OFF (disclosure_ground), NULL },
  { "validity_status",   N_("Validity"),        FIELD_ENUM,       20,   OFF (validity_status), gk_item_validity_statuses },
  { "effective_from",    N_("Effective from"),  FIELD_DATE,       10,   OFF (effective_from), NULL },
  { "effective_until",   N_("Effective until"), FIELD_DATE,       10,   OFF (effective_until), NULL },
  { "service_url",       N_("Service link"),    FIELD_URL,        2000, OFF (service_url), NULL },
  { "interprets",        N_("Interprets"),      FIELD_ID,         36,   OFF (interprets), NULL },
  { "related",           N_("Related"),         FIELD_ID_LIST,    36,   OFF (related), NULL },
  { "summary",           N_("Summary"),         FIELD_TEXT,       2000, OFF (summary), NULL },
};

static const char *field_names[G_N_ELEMENTS (fields) + 1];

/* Chinese and English words people type for enum values. */
static const struct { const char *word; const char *value; } enum_aliases[] = {
  { "主动公开", "proactive" }, { "主动", "proactive" },
  { "依申请公开", "on_request" }, { "依申请", "on_request" },
  { "不予公开", "withheld" }, { "免予公开", "withheld" }, { "不公开", "withheld" },
  { "有效", "valid" }, { "失效", "expired" }, { "已失效", "expired" },
  { "废止", "repealed" }, { "已废止", "repealed" }, { "不适用", "not_applicable" },
  { "政策文件", "policy_document" }, { "规范性文件", "normative_document" },
  { "行政规范性文件", "normative_document" }, { "政策解读", "interpretation" },
  { "解读", "interpretation" }, { "决策", "decision" }, { "执法", "enforcement" },
  { "财政", "finance" }, { "财政信息", "finance" }, { "应急预案", "emergency_plan" },
  { "预案", "emergency_plan" }, { "报告", "report" }, { "其他", "other" },
};

static const FieldInfo *
find_field (const char *name)
{
  if (name == NULL)
    return NULL;
  if (g_str_has_prefix (name, "validity."))
    {
      const char *rest = name + strlen ("validity.");
      if (strcmp (rest, "status") == 0)
        name = "validity_status";
      else
        name = rest;
    }
  if (strcmp (name, "validity") == 0)
    name = "validity_status";
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (strcmp (fields[i].name, name) == 0)
      return &fields[i];
  return NULL;
}

static char **
field_str (GkItem          *self,
           const FieldInfo *info)
{
  return (char **) G_STRUCT_MEMBER_P (self, info->offset);
}

static GStrv *
field_strv (GkItem          *self,
            const FieldInfo *info)
{
  return (GStrv *) G_STRUCT_MEMBER_P (self, info->offset);
}

static gboolean
set_invalid (GError         **error,
             const FieldInfo *info,
             const char      *problem)
{
  gk_set_error_field (error, GK_ERROR_INVALID, info->name,
                      /* Translators: "Title: too long (at most 500 characters)" */
                      _ ("%s: %s"), _ (info->label), problem);
  return FALSE;
}

static const char *
resolve_enum (const FieldInfo *info,
              const char      *value)
{
  const char *const *values = info->values ();

  for (guint i = 0; values[i]; i++)
    if (strcmp (values[i], value) == 0)
      return values[i];
  for (guint i = 0; i < G_N_ELEMENTS (enum_aliases); i++)
    if (strcmp (enum_aliases[i].word, value) == 0 &&
        g_strv_contains (values, enum_aliases[i].value))
      return enum_aliases[i].value;
  return NULL;
}

static void
gk_item_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  GkItem *self = GK_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_DOC_NUMBER:
      g_value_set_string (value, self->doc_number);
      break;
    case PROP_ISSUER:
      g_value_set_string (value, self->issuer);
      break;
    case PROP_WRITTEN_DATE:
      g_value_set_string (value, self->written_date);
      break;
    case PROP_STATE_LABEL:
      g_value_set_string (value, gk_state_to_label (self->state));
      break;
    case PROP_TAGS_TEXT:
      g_value_take_string (value, self->tags ? g_strjoinv ("、", self->tags) : NULL);
      break;
    case PROP_DUE_DATE:
      g_value_set_string (value, self->due_date);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void clear_fields (GkItem *self);

static void
gk_item_finalize (GObject *object)
{
  GkItem *self = GK_ITEM (object);

  clear_fields (self);

  G_OBJECT_CLASS (gk_item_parent_class)->finalize (object);
}

static void
clear_fields (GkItem *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (fields[i].kind == FIELD_LIST || fields[i].kind == FIELD_ID_LIST)
        g_clear_pointer (field_strv (self, &fields[i]), g_strfreev);
      else
        g_clear_pointer (field_str (self, &fields[i]), g_free);
    }
  g_free (self->id);
  g_free (self->doc_number_original);
  g_free (self->file_sha256);
  g_free (self->file_media_type);
  g_free (self->file_name);
  g_free (self->detected_json);
  g_free (self->created_at);
  g_free (self->created_by);
  g_free (self->updated_at);
  g_free (self->updated_by);
  g_free (self->submitted_at);
  g_free (self->submitted_by);
  g_free (self->due_date);
  g_free (self->public_url);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  self->id = self->doc_number_original = self->file_sha256 = NULL;
  self->file_media_type = self->file_name = self->detected_json = NULL;
  self->created_at = self->created_by = self->updated_at = self->updated_by = NULL;
  self->submitted_at = self->submitted_by = self->due_date = self->public_url = NULL;
}

static void
gk_item_class_init (GkItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gk_item_finalize;
  object_class->get_property = gk_item_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOC_NUMBER] = g_param_spec_string ("doc-number", NULL, NULL, NULL,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ISSUER] = g_param_spec_string ("issuer", NULL, NULL, NULL,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_WRITTEN_DATE] = g_param_spec_string ("written-date", NULL, NULL, NULL,
                                                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE_LABEL] = g_param_spec_string ("state-label", NULL, NULL, NULL,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TAGS_TEXT] = g_param_spec_string ("tags-text", NULL, NULL, NULL,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DUE_DATE] = g_param_spec_string ("due-date", NULL, NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    field_names[i] = fields[i].name;
  field_names[G_N_ELEMENTS (fields)] = NULL;
}

static void
gk_item_init (GkItem *self)
{
  self->revision = 1;
  self->state = GK_STATE_DRAFT;
  self->stage = GK_STAGE_NONE;
  self->file_media_type = g_strdup ("application/pdf");
}

/**
 * gk_item_new:
 *
 * Returns: (transfer full): an empty draft item, revision 1
 */
GkItem *
gk_item_new (void)
{
  return g_object_new (GK_TYPE_ITEM, NULL);
}

/**
 * gk_item_copy:
 * @self: an item
 *
 * Returns: (transfer full): a deep copy of @self, findings included
 */
GkItem *
gk_item_copy (GkItem *self)
{
  GkItem *copy;

  g_return_val_if_fail (GK_IS_ITEM (self), NULL);

  copy = gk_item_new ();
  gk_item_assign (copy, self);
  return copy;
}

/**
 * gk_item_assign:
 *
 * Makes self a copy of from, in place: a list model fills the object it
 * already handed out (a placeholder, an item that changed), so that a
 * selection holding it stays put.
 */
void
gk_item_assign (GkItem *copy,
                GkItem *self)
{
  g_return_if_fail (GK_IS_ITEM (copy));
  g_return_if_fail (GK_IS_ITEM (self));

  if (copy == self)
    return;
  clear_fields (copy);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (fields[i].kind == FIELD_LIST || fields[i].kind == FIELD_ID_LIST)
        *field_strv (copy, &fields[i]) = g_strdupv (*field_strv (self, &fields[i]));
      else
        *field_str (copy, &fields[i]) = g_strdup (*field_str (self, &fields[i]));
    }
  copy->id = g_strdup (self->id);
  copy->doc_number_original = g_strdup (self->doc_number_original);
  copy->file_sha256 = g_strdup (self->file_sha256);
  copy->file_media_type = g_strdup (self->file_media_type);
  copy->file_name = g_strdup (self->file_name);
  copy->file_bytes = self->file_bytes;
  copy->revision = self->revision;
  copy->state = self->state;
  copy->stage = self->stage;
  copy->pages = self->pages;
  copy->flags = self->flags;
  copy->detected_json = g_strdup (self->detected_json);
  copy->created_at = g_strdup (self->created_at);
  copy->created_by = g_strdup (self->created_by);
  copy->updated_at = g_strdup (self->updated_at);
  copy->updated_by = g_strdup (self->updated_by);
  copy->submitted_at = g_strdup (self->submitted_at);
  copy->submitted_by = g_strdup (self->submitted_by);
  copy->due_date = g_strdup (self->due_date);
  copy->public_url = g_strdup (self->public_url);
  if (self->findings != NULL)
    {
      copy->findings = g_ptr_array_copy (self->findings, (GCopyFunc) gk_finding_copy, NULL);
      g_ptr_array_set_free_func (copy->findings, (GDestroyNotify) gk_finding_free);
    }
  if (self->history != NULL)
    {
      copy->history = g_ptr_array_copy (self->history, (GCopyFunc) gk_contribution_copy, NULL);
      g_ptr_array_set_free_func (copy->history, (GDestroyNotify) gk_contribution_free);
    }
}

/**
 * gk_contribution_new:
 * @user: who
 * @kind: what they did to the revision
 * @stage: the stage they signed (%GK_CONTRIBUTION_SIGNED), else %GK_STAGE_NONE
 *
 * Returns: (transfer full): a contribution
 */
GkContribution *
gk_contribution_new (const char        *user,
                     GkContributionKind kind,
                     GkStage            stage)
{
  GkContribution *contribution = g_new0 (GkContribution, 1);

  contribution->user = g_strdup (user);
  contribution->kind = kind;
  contribution->stage = stage;
  return contribution;
}

/**
 * gk_contribution_copy:
 * @contribution: a contribution
 *
 * Returns: (transfer full): a copy
 */
GkContribution *
gk_contribution_copy (const GkContribution *contribution)
{
  return gk_contribution_new (contribution->user, contribution->kind, contribution->stage);
}

/**
 * gk_contribution_free:
 * @contribution: (nullable): a contribution
 */
void
gk_contribution_free (GkContribution *contribution)
{
  if (contribution == NULL)
    return;
  g_free (contribution->user);
  g_free (contribution);
}

static const char *const state_names[] = {
  "draft", "in_review", "returned", "approved", "published", "withdrawn"
};

/**
 * gk_state_to_string:
 * @state: a state
 *
 * Returns: the state's name in the record and on the command line
 */
const char *
gk_state_to_string (GkState state)
{
  if ((guint) state < G_N_ELEMENTS (state_names))
    return state_names[state];
  return "draft";
}

/**
 * gk_state_from_string:
 * @text: (nullable): a state name
 * @out: (out): the state
 *
 * Returns: %TRUE if @text names a state
 */
gboolean
gk_state_from_string (const char *text,
                      GkState    *out)
{
  for (guint i = 0; text && i < G_N_ELEMENTS (state_names); i++)
    if (strcmp (text, state_names[i]) == 0)
      {
        *out = (GkState) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * gk_state_to_label:
 * @state: a state
 *
 * Returns: the translated name of @state for people
 */
const char *
gk_state_to_label (GkState state)
{
  switch (state)
    {
    case GK_STATE_DRAFT:
      return _("Draft");
    case GK_STATE_IN_REVIEW:
      return _("In review");
    case GK_STATE_RETURNED:
      return _("Returned");
    case GK_STATE_APPROVED:
      return _("Approved");
    case GK_STATE_PUBLISHED:
      return _("Published");
    case GK_STATE_WITHDRAWN:
      return _("Withdrawn");
    default:
      return _("Draft");
    }
}

/**
 * gk_stage_to_string:
 * @stage: a review stage
 *
 * Returns: (nullable): confidentiality, release, or %NULL for none
 */
const char *
gk_stage_to_string (GkStage stage)
{
  switch (stage)
    {
    case GK_STAGE_CONFIDENTIALITY:
      return "confidentiality";
    case GK_STAGE_RELEASE:
      return "release";
    case GK_STAGE_NONE:
    default:
      return NULL;
    }
}

/**
 * gk_stage_from_string:
 * @text: (nullable): a stage name
 * @out: (out): the stage
 *
 * Returns: %TRUE if @text names a stage (%NULL or "" is none)
 */
gboolean
gk_stage_from_string (const char *text,
                      GkStage    *out)
{
  if (text == NULL || *text == '\0')
    *out = GK_STAGE_NONE;
  else if (strcmp (text, "confidentiality") == 0)
    *out = GK_STAGE_CONFIDENTIALITY;
  else if (strcmp (text, "release") == 0)
    *out = GK_STAGE_RELEASE;
  else
    return FALSE;
  return TRUE;
}

/**
 * gk_stage_to_label:
 * @stage: a review stage
 *
 * Returns: the translated name of @stage ("" for none)
 */
const char *
gk_stage_to_label (GkStage stage)
{
  switch (stage)
    {
    case GK_STAGE_CONFIDENTIALITY:
      return _("Confidentiality review");
    case GK_STAGE_RELEASE:
      return _("Release sign-off");
    case GK_STAGE_NONE:
    default:
      return "";
    }
}

/**
 * gk_item_field_names:
 *
 * Returns: the editable record fields in display order, %NULL-terminated
 */
const char *const *
gk_item_field_names (void)
{
  g_type_ensure (GK_TYPE_ITEM);
  g_type_class_unref (g_type_class_ref (GK_TYPE_ITEM));
  return field_names;
}

/**
 * gk_item_field_label:
 * @field: a field name
 *
 * Returns: (nullable): the translated label of @field
 */
const char *
gk_item_field_label (const char *field)
{
  const FieldInfo *info = find_field (field);

  return info ? _(info->label) : NULL;
}

/* Control characters would garble lists and pages and travel to the
 * portal; a summary may hold line breaks and tabs. */
static gboolean
check_characters (const FieldInfo *info,
                  const char      *value,
                  GError         **error)
{
  gboolean multi_line = strcmp (info->name, "summary") == 0;

  for (const char *p = value; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (multi_line && (c == '\n' || c == '\t'))
        continue;
      if (g_unichar_iscntrl (c))
        return set_invalid (error, info, _("contains a control character (such as a line break)"));
    }
  return TRUE;
}

static gboolean
check_length (const FieldInfo *info,
              const char      *value,
              GError         **error)
{
  if (gk_utf8_length (value) > info->max_chars)
    {
      g_autofree char *problem =
        g_strdup_printf (_("too long (at most %d characters)"), info->max_chars);
      return set_invalid (error, info, problem);
    }
  return TRUE;
}

static gboolean
parse_list (const FieldInfo *info,
            const char      *value,
            GStrv           *out,
            GError         **error)
{
  g_auto(GStrv) list = gk_strv_from_list (value);
  guint n = g_strv_length (list);

  if (n > 50)
    return set_invalid (error, info, _("too many values (at most 50)"));
  for (guint i = 0; i < n; i++)
    {
      if (!check_characters (info, list[i], error) || !check_length (info, list[i], error))
        return FALSE;
      if (info->kind == FIELD_ID_LIST && !gk_uuid_is_valid (list[i]))
        {
          g_autofree char *problem =
            g_strdup_printf (_("“%s” is not an item id"), list[i]);
          return set_invalid (error, info, problem);
        }
    }
  *out = g_steal_pointer (&list);
  return TRUE;
}

/**
 * gk_item_set_field:
 * @self: an item
 * @field: a field name (see gk_item_field_names())
 * @value: (nullable): the new value as text; blank clears the field
 * @error: return location for a %GK_ERROR_INVALID error naming the field
 *
 * The one place where record values are validated.
 *
 * Returns: %TRUE if the value was valid and set
 */
gboolean
gk_item_set_field (GkItem     *self,
                   const char *field,
                   const char *value,
                   GError    **error)
{
  const FieldInfo *info = find_field (field);
  g_autofree char *text = NULL;

  g_return_val_if_fail (GK_IS_ITEM (self), FALSE);

  if (info == NULL)
    {
      g_autofree char *shown = gk_utf8_sanitize (field ? field : "", -1);

      g_set_error (error, GK_ERROR, GK_ERROR_INVALID,
                   _("“%s” is not a field of the record. Fields: %s"),
                   shown,
                   "index_no, title, doc_number, issuer, written_date, publish_date, genre, topic, "
                   "category, tags, audience, disclosure, disclosure_ground, validity_status, "
                   "effective_from, effective_until, service_url, interprets, related, summary");
      return FALSE;
    }

  /* Before anything reads it as characters: bytes that are no UTF-8
   * would reach the database, the audit hash and the JSON output. */
  if (value != NULL && !g_utf8_validate (value, -1, NULL))
    return set_invalid (error, info, _("not valid UTF-8 text (an invalid byte sequence)"));
  text = gk_strdup_or_null (value);

  if (info->kind == FIELD_LIST || info->kind == FIELD_ID_LIST)
    {
      GStrv list = NULL;

      if (text != NULL && !parse_list (info, text, &list, error))
        return FALSE;
      if (list == NULL)
        list = g_new0 (char *, 1);
      g_strfreev (*field_strv (self, info));
      *field_strv (self, info) = list;
      return TRUE;
    }

  if (text != NULL && !check_characters (info, text, error))
    return FALSE;

  if (text != NULL)
    {
      switch (info->kind)
        {
        case FIELD_TEXT:
          if (!check_length (info, text, error))
            return FALSE;
          break;

        case FIELD_DOC_NUMBER:
          {
            g_autofree char *normal = NULL;

            if (!check_length (info, text, error))
              return FALSE;
            normal = gk_gongwen_normalize_doc_number (text);
            if (normal == NULL)
              return set_invalid (error, info,
                                  _("does not look like a document number (for example 沪应急办〔2023〕20号)"));
            g_free (self->doc_number_original);
            self->doc_number_original = g_steal_pointer (&text);
            text = g_steal_pointer (&normal);
          }
          break;

        case FIELD_DATE:
          if (!gk_date_is_valid (text))
            {
              g_autofree char *parsed = gk_gongwen_parse_date (text);

              if (parsed == NULL)
                return set_invalid (error, info,
                                    _("not a date (write it as YYYY-MM-DD, for example 2023-04-10)"));
              g_free (text);
              text = g_steal_pointer (&parsed);
            }
          break;

        case FIELD_ENUM:
          {
            const char *resolved = resolve_enum (info, text);

            if (resolved == NULL)
              {
                g_autofree char *allowed = g_strjoinv (", ", (GStrv) info->values ());
                g_autofree char *problem =
                  g_strdup_printf (_("“%s” is not one of: %s"), text, allowed);
                return set_invalid (error, info, problem);
              }
            g_free (text);
            text = g_strdup (resolved);
          }
          break;

        case FIELD_URL:
          if (!check_length (info, text, error))
            return FALSE;
          if (!gk_url_is_http (text))
            return set_invalid (error, info,
                                _("not an absolute http or https address"));
          break;

        case FIELD_ID:
          if (!gk_uuid_is_valid (text))
            return set_invalid (error, info, _("not an item id"));
          break;

        case FIELD_LIST:
        case FIELD_ID_LIST:
        default:
          g_assert_not_reached ();
        }
    }
  else if (info->kind == FIELD_DOC_NUMBER)
    g_clear_pointer (&self->doc_number_original, g_free);

  g_free (*field_str (self, info));
  *field_str (self, info) = g_steal_pointer (&text);
  return TRUE;
}

/**
 * gk_item_get_field:
 * @self: an item
 * @field: a field name
 *
 * Returns: (transfer full) (nullable): the value as text (lists joined
 *   with ", "), %NULL when unset
 */
char *
gk_item_get_field (GkItem     *self,
                   const char *field)
{
  const FieldInfo *info = find_field (field);

  g_return_val_if_fail (GK_IS_ITEM (self), NULL);

  if (info == NULL)
    return NULL;
  if (info->kind == FIELD_LIST || info->kind == FIELD_ID_LIST)
    {
      GStrv list = *field_strv (self, info);

      if (list == NULL || list[0] == NULL)
        return NULL;
      return g_strjoinv (", ", list);
    }
  return g_strdup (*field_str (self, info));
}

/**
 * gk_item_diff:
 * @a: an item
 * @b: another item
 *
 * Returns: (transfer full): the names of record fields that differ
 */
GStrv
gk_item_diff (GkItem *a,
              GkItem *b)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gboolean same;

      if (fields[i].kind == FIELD_LIST || fields[i].kind == FIELD_ID_LIST)
        same = gk_strv_equal0 ((const char *const *) *field_strv (a, &fields[i]),
                               (const char *const *) *field_strv (b, &fields[i]));
      else
        same = g_strcmp0 (*field_str (a, &fields[i]), *field_str (b, &fields[i])) == 0;
      if (!same)
        g_strv_builder_add (builder, fields[i].name);
    }
  return g_strv_builder_end (builder);
}

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (gk_str_is_blank (value))
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, value);
}

static void
add_string_if_set (JsonBuilder *b,
                   const char  *name,
                   const char  *value)
{
  if (gk_str_is_blank (value))
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
add_strv (JsonBuilder       *b,
          const char        *name,
          const char *const *list)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; list && list[i]; i++)
    json_builder_add_string_value (b, list[i]);
  json_builder_end_array (b);
}

static void
build_record (GkItem      *self,
              JsonBuilder *b)
{
  add_string_if_set (b, "id", self->id);
  add_string_if_set (b, "index_no", self->index_no);
  add_string_if_set (b, "title", self->title);
  add_string_or_null (b, "doc_number", self->doc_number);
  add_string_if_set (b, "issuer", self->issuer);
  add_string_if_set (b, "written_date", self->written_date);
  add_string_if_set (b, "publish_date", self->publish_date);
  add_string_if_set (b, "genre", self->genre);
  add_string_if_set (b, "topic", self->topic);
  add_string_if_set (b, "category", self->category);
  add_strv (b, "tags", (const char *const *) self->tags);
  add_strv (b, "audience", (const char *const *) self->audience);
  add_string_if_set (b, "disclosure", self->disclosure);
  if (!gk_str_is_blank (self->validity_status))
    {
      json_builder_set_member_name (b, "validity");
      json_builder_begin_object (b);
      add_string_if_set (b, "status", self->validity_status);
      add_string_or_null (b, "effective_from", self->effective_from);
      add_string_or_null (b, "effective_until", self->effective_until);
      json_builder_end_object (b);
    }
  add_string_or_null (b, "service_url", self->service_url);
  add_string_or_null (b, "interprets", self->interprets);
  add_strv (b, "related", (const char *const *) self->related);
  add_string_if_set (b, "summary", self->summary);
  if (self->file_sha256 != NULL)
    {
      json_builder_set_member_name (b, "file");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, self->file_sha256);
      json_builder_set_member_name (b, "media_type");
      json_builder_add_string_value (b, self->file_media_type ? self->file_media_type : "application/pdf");
      json_builder_set_member_name (b, "bytes");
      json_builder_add_int_value (b, self->file_bytes);
      add_string_if_set (b, "name", self->file_name);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "attachments");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "revision");
  json_builder_add_int_value (b, self->revision);
}

/* Did build_record() write this key? (It writes the optional ones only
 * when they are set.) */
static gboolean
has_member_so_far (GkItem     *self,
                   const char *key)
{
  g_autofree char *value = NULL;

  if (strcmp (key, "id") == 0)
    return !gk_str_is_blank (self->id);
  value = gk_item_get_field (self, key);
  return !gk_str_is_blank (value);
}

/**
 * gk_item_is_awaiting_disclosure:
 * @self: an item
 *
 * Returns: %TRUE if the item has a disclosure deadline still running:
 *   it has a due date, is not published or withdrawn, and is not
 *   依申请公开 or 不予公开
 */
gboolean
gk_item_is_awaiting_disclosure (GkItem *self)
{
  g_return_val_if_fail (GK_IS_ITEM (self), FALSE);

  return gk_deadline_applies (self->state, self->disclosure, self->due_date);
}

/**
 * gk_item_to_record_json:
 * @self: an item
 *
 * Builds the document record of portal-api.md: blank optional fields are
 * left out, the nullable ones (doc_number, service_url, interprets, the
 * validity dates) are null, lists are arrays.
 *
 * Returns: (transfer full): the record
 */
JsonNode *
gk_item_to_record_json (GkItem *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  build_record (self, b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * gk_item_to_json:
 * @self: an item
 *
 * Returns: (transfer full): the record plus the workstation's state, as
 *   gongkai-ctl --json prints it
 */
JsonNode *
gk_item_to_json (GkItem *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  build_record (self, b);
  /* Scripts may rely on every key: what the portal record leaves out
   * when blank is null here. */
  for (const char *const *key = (const char *const[]) { "id", "index_no", "title", "issuer",
                                                        "written_date", "publish_date", "genre",
                                                        "topic", "category", "disclosure",
                                                        "summary", NULL }; *key; key++)
    if (!has_member_so_far (self, *key))
      {
        json_builder_set_member_name (b, *key);
        json_builder_add_null_value (b);
      }
  if (gk_str_is_blank (self->validity_status))
    {
      json_builder_set_member_name (b, "validity");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "status");
      json_builder_add_null_value (b);
      add_string_or_null (b, "effective_from", self->effective_from);
      add_string_or_null (b, "effective_until", self->effective_until);
      json_builder_end_object (b);
    }
  add_string_or_null (b, "doc_number_original", self->doc_number_original);
  add_string_or_null (b, "disclosure_ground", self->disclosure_ground);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, gk_state_to_string (self->state));
  add_string_or_null (b, "stage", gk_stage_to_string (self->stage));
  json_builder_set_member_name (b, "pages");
  json_builder_add_int_value (b, self->pages);
  json_builder_set_member_name (b, "needs_ocr");
  json_builder_add_boolean_value (b, (self->flags & GK_ITEM_FLAG_NEEDS_OCR) != 0);
  json_builder_set_member_name (b, "needs_attention");
  json_builder_add_boolean_value (b, (self->flags & GK_ITEM_FLAG_NEEDS_ATTENTION) != 0);
  json_builder_set_member_name (b, "conflict");
  json_builder_add_boolean_value (b, (self->flags & GK_ITEM_FLAG_CONFLICT) != 0);
  add_string_or_null (b, "due_date", self->due_date);
  add_string_or_null (b, "public_url", self->public_url);
  add_string_or_null (b, "created_at", self->created_at);
  add_string_or_null (b, "created_by", self->created_by);
  add_string_or_null (b, "updated_at", self->updated_at);
  add_string_or_null (b, "updated_by", self->updated_by);
  add_string_or_null (b, "submitted_by", self->submitted_by);

  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; self->findings && i < self->findings->len; i++)
    json_builder_add_value (b, gk_finding_to_json (g_ptr_array_index (self->findings, i)));
  json_builder_end_array (b);

  json_builder_set_member_name (b, "detected");
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    if (self->detected_json != NULL &&
        json_parser_load_from_data (parser, self->detected_json, -1, NULL) &&
        json_parser_get_root (parser) != NULL)
      json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
    else
      json_builder_add_null_value (b);
  }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * gk_category_to_label:
 * @category: (nullable): a category value
 *
 * Returns: the translated name of @category
 */
const char *
gk_category_to_label (const char *category)
{
  static const struct { const char *value; const char *label; } labels[] = {
    { "policy_document", N_("Policy document") },
    { "normative_document", N_("Normative document") },
    { "interpretation", N_("Policy interpretation") },
    { "decision", N_("Major decision") },
    { "enforcement", N_("Law enforcement") },
    { "finance", N_("Finance") },
    { "emergency_plan", N_("Emergency plan") },
    { "report", N_("Report") },
    { "other", N_("Other") },
  };

  for (guint i = 0; category && i < G_N_ELEMENTS (labels); i++)
    if (strcmp (labels[i].value, category) == 0)
      return _(labels[i].label);
  return category ? category : "";
}

/**
 * gk_disclosure_to_label:
 * @disclosure: (nullable): a disclosure value
 *
 * Returns: the translated name (主动公开…), or "Undecided" for %NULL
 */
const char *
gk_disclosure_to_label (const char *disclosure)
{
  if (g_strcmp0 (disclosure, "proactive") == 0)
    return _("Proactive disclosure");
  if (g_strcmp0 (disclosure, "on_request") == 0)
    return _("Disclosure on request");
  if (g_strcmp0 (disclosure, "withheld") == 0)
    return _("Not disclosed");
  return _("Undecided");
}

/**
 * gk_validity_to_label:
 * @status: (nullable): a validity status
 *
 * Returns: the translated name of @status
 */
const char *
gk_validity_to_label (const char *status)
{
  if (g_strcmp0 (status, "valid") == 0)
    return _("Valid");
  if (g_strcmp0 (status, "expired") == 0)
    return _("Expired");
  if (g_strcmp0 (status, "repealed") == 0)
    return _("Repealed");
  if (g_strcmp0 (status, "not_applicable") == 0)
    return _("Not applicable");
  return "";
}
