/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the bytes as a PDF through what an import does with it
 * (gk_pdf_extract(), poppler's text and metadata as gongkai-extract reads
 * them; then field detection, the import's warnings and screening), and
 * the same bytes as page text straight into detection and screening, so
 * that text-level bugs are reached without a valid PDF.
 *
 * Built with libFuzzer by -Dfuzz=true; always built with
 * fuzz-replay-main.c, which replays fuzz/corpus and fuzz/regressions in
 * the unit suite.  Nothing here keeps state from one input to the next. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gk-finding.h"
#include "gk-gongwen.h"
#include "gk-import-warnings.h"
#include "gk-pdf.h"
#include "gk-screening.h"
#include "gk-util.h"

#include "fuzz-common.h"

/* The password of tests/data/encrypted-secret.pdf: an encrypted seed
 * then reaches poppler's decryption too. */
#define FIXTURE_PASSWORD "secret"

/* The text path takes at most this many pages (the rest stays in the
 * last one). */
#define MAX_TEXT_PAGES 64
/* The text path reads at most this much of an input: a 公文's pages of
 * text are a few KB each, and the fuzzer spent most of its time
 * scanning the binary of the seed PDFs as text.  The PDF path gives
 * screening whole pages, however long. */
#define MAX_TEXT_BYTES (32 * 1024)

static const char *const sensitive_words[] = { "内部讨论稿", "征求意见", "绝密", "★", NULL };

static void
check_detected (const GkDetected *detected)
{
  const char *const fields[] = {
    detected->doc_number,      detected->doc_number_original,
    detected->title,           detected->issuer,
    detected->written_date,    detected->disclosure,
    detected->secrecy_mark,    detected->copy_number,
    detected->urgency,         detected->genre,
    detected->recipients,      detected->effective_from,
    detected->effective_until, detected->signer,
  };
  g_autoptr (JsonNode) json = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    fuzz_check_utf8 (fields[i], "a detected field");
  fuzz_check_date (detected->written_date, "written_date");
  fuzz_check_date (detected->effective_from, "effective_from");
  fuzz_check_date (detected->effective_until, "effective_until");
  if (detected->doc_number != NULL)
    {
      /* A detected 文号 is a normalised one: normalising it again keeps it. */
      g_autofree char *again = gk_gongwen_normalize_doc_number (detected->doc_number);

      if (again == NULL || strcmp (again, detected->doc_number) != 0)
        fuzz_fail ("the detected 文号 “%s” does not normalise to itself (“%s”)",
                   detected->doc_number, again ? again : "(null)");
    }
  json = gk_detected_to_json (detected);
  text = gk_json_to_string (json, FALSE);
  fuzz_check_utf8 (text, "the detected values' JSON");
}

static void
check_findings (GPtrArray *findings, const char *const *pages, guint n_pages)
{
  for (guint i = 0; i < findings->len; i++)
    {
      GkFinding *finding = g_ptr_array_index (findings, i);
      g_autoptr (JsonNode) json = NULL;
      g_autofree char *text = NULL;
      glong            chars;
      GkFindingKind    kind;

      if (finding->page < 1 || (guint) finding->page > n_pages)
        fuzz_fail ("finding %u (%s) is on page %d of %u", i,
                   gk_finding_kind_to_string (finding->kind), finding->page, n_pages);
      chars = g_utf8_strlen (pages[finding->page - 1], -1);
      if (finding->offset < 0 || finding->length <= 0 ||
          (glong) finding->offset + finding->length > chars)
        fuzz_fail ("finding %u (%s) at %d+%d lies outside its page of %ld characters", i,
                   gk_finding_kind_to_string (finding->kind), finding->offset, finding->length,
                   chars);
      if (!gk_finding_kind_from_string (gk_finding_kind_to_string (finding->kind), &kind) ||
          kind != finding->kind)
        fuzz_fail ("finding %u has no kind of its own (%d)", i, (int) finding->kind);
      fuzz_check_utf8 (finding->value, "a finding's value");
      json = gk_finding_to_json (finding);
      text = gk_json_to_string (json, FALSE);
      fuzz_check_utf8 (text, "a finding's JSON");
      (void) gk_finding_is_blocking (finding);
    }
}

/* What the importer does with the text of a file (gk-importer.c). */
static void
import_text (const GkPdfText *text)
{
  g_autoptr (GkDetected) detected = NULL;
  g_autoptr (JsonArray) warnings = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autofree char *words = NULL;

  if (gk_import_can_detect (text))
    {
      detected = gk_gongwen_detect ((const char *const *) text->pages, text->n_pages);
      check_detected (detected);
    }
  warnings = gk_import_warnings_check (text, detected);
  (void) gk_import_warnings_flags (warnings);
  words = gk_import_warnings_to_text (warnings);
  fuzz_check_utf8 (words, "the import's warnings");
  if (text->has_text)
    {
      findings =
          gk_screening_scan ((const char *const *) text->pages, text->n_pages, sensitive_words);
      check_findings (findings, (const char *const *) text->pages, text->n_pages);
    }
}

/* The bytes as a file the importer reads: gk_pdf_extract() takes a
 * path, so they go into an anonymous in-memory file, gone with its
 * descriptor (nothing is left behind when an input crashes). */
static void
fuzz_pdf (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GkPdfText) text = NULL;
  g_autofree char *path = NULL;
  int              fd = memfd_create ("fuzz-document", MFD_CLOEXEC);
  size_t           done = 0;

  if (fd < 0)
    fuzz_fail ("memfd_create: %s", g_strerror (errno));
  while (done < size)
    {
      ssize_t n = write (fd, data + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        fuzz_fail ("write: %s", g_strerror (errno));
      done += (size_t) n;
    }
  path = g_strdup_printf ("/proc/self/fd/%d", fd);

  text = gk_pdf_extract (path, NULL, NULL, &error);
  if (text == NULL && g_error_matches (error, GK_ERROR, GK_ERROR_PASSWORD))
    {
      g_clear_error (&error);
      text = gk_pdf_extract (path, FIXTURE_PASSWORD, NULL, &error);
    }
  close (fd);
  if (text == NULL)
    {
      if (error == NULL)
        fuzz_fail ("extraction failed without an error");
      fuzz_check_utf8 (error->message, "the extraction error");
      return;
    }
  if (text->n_pages == 0 || text->pages == NULL || g_strv_length (text->pages) != text->n_pages)
    fuzz_fail ("the text has %u pages but %u page texts", text->n_pages,
               text->pages ? g_strv_length (text->pages) : 0);
  for (guint i = 0; i < text->n_pages; i++)
    fuzz_check_utf8 (text->pages[i], "a page's text");
  fuzz_check_utf8 (text->title, "the document's title");

  /* The helper's answer, read back as the importer reads it. */
  {
    g_autofree char *json = gk_pdf_text_to_json (text, NULL);

    fuzz_check_utf8 (json, "gongkai-extract's answer");
  }
  import_text (text);
}

/* The bytes as the text of pages split at form feeds, as poppler's
 * page text would be, made valid UTF-8 as the reader makes it. */
static void
fuzz_text (const uint8_t *data, size_t size)
{
  g_autofree char *valid =
      gk_utf8_sanitize ((const char *) data, (gssize) MIN (size, MAX_TEXT_BYTES));
  g_auto (GStrv) split = g_strsplit (valid, "\f", MAX_TEXT_PAGES);
  g_autoptr (GkPdfText) text = g_new0 (GkPdfText, 1);

  /* An import always has at least one page. */
  if (split[0] == NULL)
    {
      g_strfreev (split);
      split = g_new0 (char *, 2);
      split[0] = g_strdup ("");
    }
  text->pages = g_steal_pointer (&split);
  text->n_pages = g_strv_length (text->pages);
  text->first_page_ok = TRUE;
  text->page_errors = g_new0 (guint, text->n_pages);
  for (guint i = 0; i < text->n_pages; i++)
    if (!gk_str_is_blank (text->pages[i]))
      text->has_text = TRUE;
  import_text (text);

  /* The helpers detection is built on, over each line. */
  for (guint i = 0; i < text->n_pages && i < 2; i++)
    {
      g_auto (GStrv) lines = g_strsplit (text->pages[i], "\n", 64);

      for (guint j = 0; lines[j] != NULL; j++)
        {
          g_autofree char *number = gk_gongwen_normalize_doc_number (lines[j]);
          g_autofree char *date = gk_gongwen_parse_date (lines[j]);

          fuzz_check_utf8 (number, "a normalised 文号");
          fuzz_check_date (date, "a parsed date");
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_init ();
  if (fuzz_looks_like_pdf (data, size))
    fuzz_pdf (data, size);
  fuzz_text (data, size);
  return 0;
}
