/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The library settings and their rules.  A value is checked when it is
 * set, with the rule the code that uses it applies, so that a setting
 * that is stored also works (the sync does not find out later).  Pure
 * functions: the store calls them inside gk_store_set_setting(). */

typedef enum
{
  GK_SETTING_FLAGS_NONE     = 0,
  /* portal_url may be plain http:// to another computer (the sync must
   * then be allowed it too). */
  GK_SETTING_ALLOW_INSECURE = 1 << 0,
} GkSettingFlags;

/* Every setting, in the order people see them, NULL-terminated. */
const char *const *gk_setting_keys        (void);
/* The value an unset setting has, or NULL. */
const char        *gk_setting_default     (const char *key);
/* GK_ERROR_INVALID unless key is a setting (and never a secret). */
gboolean           gk_setting_check_key   (const char *key,
                                           GError    **error);
/* Checks value for key.  org_code and index_template make the 索引号
 * together: each is checked with the other's current value (NULL: its
 * default).  Blank values are valid: they go back to the default. */
gboolean           gk_setting_check       (const char    *key,
                                           const char    *value,
                                           const char    *org_code,
                                           const char    *index_template,
                                           GkSettingFlags flags,
                                           GError       **error);
/* A 9-character 组织机构代码 (GB 11714, "00001434-9" also) or an
 * 18-character 统一社会信用代码 (GB 32100), check character included. */
gboolean           gk_org_code_check      (const char *code,
                                           GError    **error);

G_END_DECLS
