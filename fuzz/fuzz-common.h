/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What both fuzz targets share: a failed check aborts (libFuzzer and the
 * replay driver report an abort as a crash), and so does a critical or
 * warning from our code or GLib (a g_return_if_fail() that fired is a
 * bug the input found). */
#pragma once

#include <glib.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN static inline void fuzz_fail (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  fputs ("fuzz check failed: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  abort ();
}

static inline void
fuzz_on_log (const char *domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
  g_log_default_handler (domain, level, message, user_data);
  /* Poppler's own complaints are about the input, not a bug of ours. */
  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) != 0 &&
      g_strcmp0 (domain, "Poppler") != 0)
    abort ();
}

static inline void
fuzz_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_log_set_default_handler (fuzz_on_log, NULL);
      g_once_init_leave (&done, 1);
    }
}

static inline void
fuzz_check_utf8 (const char *text, const char *what)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    fuzz_fail ("%s is not valid UTF-8", what);
}

/* NULL, or a real date written YYYY-MM-DD. */
static inline void
fuzz_check_date (const char *text, const char *what)
{
  unsigned year = 0, month = 0, day = 0;
  char     end = 0;

  if (text == NULL)
    return;
  if (strlen (text) != 10 || sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &end) != 3 ||
      text[4] != '-' || text[7] != '-' ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    fuzz_fail ("%s “%s” is not a real YYYY-MM-DD date", what, text);
}

/* As gk_pdf_sniff() decides: "%PDF-" within the first 1024 bytes. */
static inline gboolean
fuzz_looks_like_pdf (const uint8_t *data, size_t size)
{
  for (size_t i = 0; i + 5 <= size && i + 5 <= 1024; i++)
    if (memcmp (data + i, "%PDF-", 5) == 0)
      return TRUE;
  return FALSE;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
