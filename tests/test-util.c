/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "gk-util.h"

static void
test_uuid (void)
{
  g_autofree char *id = gk_uuid_new ();

  g_assert_true (gk_uuid_is_valid (id));
  g_assert_true (gk_uuid_is_valid ("0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10"));
  g_assert_false (gk_uuid_is_valid ("0B6C7F9E-1F0A-4C55-9D1E-5C7D2A4E8F10"));
  g_assert_false (gk_uuid_is_valid ("0b6c7f9e1f0a4c559d1e5c7d2a4e8f10"));
  g_assert_false (gk_uuid_is_valid ("0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f1"));
  g_assert_false (gk_uuid_is_valid (NULL));
}

static void
test_dates (void)
{
  g_assert_true (gk_date_is_valid ("2023-04-10"));
  g_assert_true (gk_date_is_valid ("2024-02-29"));
  g_assert_false (gk_date_is_valid ("2023-02-29"));
  g_assert_false (gk_date_is_valid ("2023-4-10"));
  g_assert_false (gk_date_is_valid ("2023/04/10"));
  g_assert_false (gk_date_is_valid ("2023-13-01"));
  g_assert_false (gk_date_is_valid (""));

  g_setenv ("GONGKAI_TODAY", "2025-09-30", TRUE);
  {
    g_autofree char *today = gk_date_today ();
    g_assert_cmpstr (today, ==, "2025-09-30");
  }
  g_setenv ("GONGKAI_TODAY", "not a date", TRUE);
  {
    g_autofree char *today = gk_date_today ();
    g_assert_true (gk_date_is_valid (today));
  }
  g_unsetenv ("GONGKAI_TODAY");
}

static void
test_urls (void)
{
  g_assert_true (gk_url_is_http ("https://zwdt.sh.gov.cn/govPortals/bsfw/item/123"));
  g_assert_true (gk_url_is_http ("http://127.0.0.1:8088/x"));
  g_assert_false (gk_url_is_http ("ftp://example.org/"));
  g_assert_false (gk_url_is_http ("javascript:alert(1)"));
  g_assert_false (gk_url_is_http ("www.example.org"));
  g_assert_false (gk_url_is_http ("https://"));
  g_assert_false (gk_url_is_http ("https://a b.org/"));
}

static void
test_lists (void)
{
  g_auto(GStrv) a = gk_strv_from_list ("各区应急管理局，执法总队、 执法总队; 企业,,");
  g_auto(GStrv) empty = gk_strv_from_list ("  ");

  g_assert_cmpuint (g_strv_length (a), ==, 3);
  g_assert_cmpstr (a[0], ==, "各区应急管理局");
  g_assert_cmpstr (a[1], ==, "执法总队");
  g_assert_cmpstr (a[2], ==, "企业");
  g_assert_cmpuint (g_strv_length (empty), ==, 0);
  g_assert_true (gk_strv_equal0 (NULL, (const char *const *) empty));
  g_assert_false (gk_strv_equal0 ((const char *const *) a, NULL));
}

static void
test_mask (void)
{
  g_autofree char *id = gk_mask_number ("11010519491231002X");
  g_autofree char *mobile = gk_mask_number ("13812345678");
  g_autofree char *card = gk_mask_number ("6222021234567890123");

  g_assert_cmpstr (id, ==, "1101**********002X");
  g_assert_cmpstr (mobile, ==, "138****5678");
  g_assert_cmpstr (card, ==, "6222***********0123");
  g_assert_null (strstr (id, "19491231"));
}

static void
test_sha256 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gk-util-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "a b（1）.txt", NULL);
  g_autofree char *sum = NULL;
  g_autoptr(GError) error = NULL;
  goffset size = 0;

  g_assert_true (g_file_set_contents (path, "abc", 3, NULL));
  sum = gk_sha256_file (path, NULL, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (size, ==, 3);
  g_assert_cmpstr (sum, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_unlink (path);
  g_assert_null (gk_sha256_file (path, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_rmdir (dir);
}

static void
test_exit_status (void)
{
  g_autoptr(GError) invalid = g_error_new_literal (GK_ERROR, GK_ERROR_INVALID, "x");
  g_autoptr(GError) refused = g_error_new_literal (GK_ERROR, GK_ERROR_REFUSED, "x");
  g_autoptr(GError) perm = g_error_new_literal (GK_ERROR, GK_ERROR_PERMISSION, "x");
  g_autoptr(GError) missing = g_error_new_literal (GK_ERROR, GK_ERROR_NOT_FOUND, "x");
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  g_assert_cmpint (gk_error_exit_status (NULL), ==, 0);
  g_assert_cmpint (gk_error_exit_status (invalid), ==, 2);
  g_assert_cmpint (gk_error_exit_status (refused), ==, 3);
  g_assert_cmpint (gk_error_exit_status (perm), ==, 3);
  g_assert_cmpint (gk_error_exit_status (missing), ==, 4);
  g_assert_cmpint (gk_error_exit_status (io), ==, 1);
}

/* A portal's upload limit reads as it was set (100 MB), not 104.9 MB. */
static void
test_byte_limit (void)
{
  static const struct
  {
    guint64     bytes;
    const char *text;
  } cases[] = {
    { 104857600, "100 MB" },
    { 1073741824, "1 GB" },
    { 524288, "512 KB" },
    { 3 * 1024 * 1024 * 1024ULL, "3 GB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = gk_format_byte_limit (cases[i].bytes);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  /* Not a round binary size: GLib's words. */
  {
    g_autofree char *text = gk_format_byte_limit (100000000);
    g_autofree char *glib = g_format_size (100000000);

    g_assert_cmpstr (text, ==, glib);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/util/uuid", test_uuid);
  g_test_add_func ("/util/byte-limit", test_byte_limit);
  g_test_add_func ("/util/dates", test_dates);
  g_test_add_func ("/util/urls", test_urls);
  g_test_add_func ("/util/lists", test_lists);
  g_test_add_func ("/util/mask", test_mask);
  g_test_add_func ("/util/sha256", test_sha256);
  g_test_add_func ("/util/exit-status", test_exit_status);
  return g_test_run ();
}
