/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkPdf"

#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <string.h>
#include <unistd.h>

#include "gk-helper-spawn.h"
#include "gk-pdf.h"
#include "gk-util.h"

/**
 * gk_pdf_text_free:
 * @text: (nullable): extracted text
 */
void
gk_pdf_text_free (GkPdfText *text)
{
  if (text == NULL)
    return;
  g_strfreev (text->pages);
  g_free (text->title);
  g_free (text->page_errors);
  g_free (text);
}

/* poppler-glib reports what it had to skip while parsing as messages of
 * the "Poppler" log domain ("Syntax error at position 146: Bad block
 * header in flate stream").  Counted per thread, they tell which pages
 * lost text to a damaged content stream.  Internal notes (a rebuilt
 * cross-reference table) are repairs, not lost text, and do not count. */
static _Thread_local guint reader_errors;

static void
on_poppler_message_cb (const char     *domain,
                       GLogLevelFlags  level,
                       const char     *message,
                       gpointer        user_data)
{
  if (message != NULL &&
      (g_str_has_prefix (message, "Syntax error") || g_str_has_prefix (message, "I/O error")))
    reader_errors++;
  g_log_default_handler (domain, level, message, user_data);
}

static void
watch_reader_errors (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      g_log_set_handler ("Poppler", G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG,
                         on_poppler_message_cb, NULL);
      g_once_init_leave (&installed, 1);
    }
  reader_errors = 0;
}

/**
 * gk_pdf_sniff:
 * @path: a file
 *
 * Returns: %TRUE if "%PDF-" appears in the first 1024 bytes, as readers
 *   accept it
 */
gboolean
gk_pdf_sniff (const char *path)
{
  char buffer[1024];
  gsize n = 0;
  FILE *file = fopen (path, "rb");

  if (file == NULL)
    return FALSE;
  n = fread (buffer, 1, sizeof buffer, file);
  fclose (file);
  for (gsize i = 0; i + 5 <= n; i++)
    if (memcmp (buffer + i, "%PDF-", 5) == 0)
      return TRUE;
  return FALSE;
}

/* Poppler sometimes yields text that is not valid UTF-8 from broken font
 * maps; the store and JSON need valid text. */
static char *
clean_text (const char *text)
{
  if (text == NULL)
    return g_strdup ("");
  return gk_utf8_sanitize (text, -1);
}

/* Metadata from the info dictionary: valid UTF-8 on one line, or NULL. */
static char *
clean_metadata (char *text)
{
  g_autofree char *owned = text;
  g_autofree char *valid = gk_utf8_sanitize (owned, -1);

  for (char *p = valid; p != NULL && *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  return gk_strdup_or_null (valid);
}

/**
 * gk_pdf_extract:
 * @path: a PDF file
 * @password: (nullable): its user password
 * @cancellable: (nullable): checked between pages
 * @error: return location for an error
 *
 * Returns: (transfer full): the text of every page, or %NULL with
 *   %GK_ERROR_PASSWORD, %GK_ERROR_DAMAGED or %GK_ERROR_CANCELLED
 */
GkPdfText *
gk_pdf_extract (const char   *path,
                const char   *password,
                GCancellable *cancellable,
                GError      **error)
{
  g_autoptr(GkPdfText) result = g_new0 (GkPdfText, 1);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PopplerDocument) document = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int n_pages;

  /* A GFile avoids building a URI by hand: names with spaces, brackets
   * and Chinese characters work.  Always by name, never from memory:
   * poppler-glib 22.12's poppler_document_new_from_bytes() crashes when
   * it retries a password on an encrypted file it cannot decrypt
   * (fuzz/regressions/document/203e7558…). */
  watch_reader_errors ();
  document = poppler_document_new_from_gfile (file, password, cancellable, &local_error);
  result->open_errors = reader_errors;
  if (document == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error_literal (error, GK_ERROR, GK_ERROR_CANCELLED, _("Cancelled"));
      else if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        g_set_error_literal (error, GK_ERROR, GK_ERROR_PASSWORD,
                             password ? _("Wrong password for this encrypted PDF")
                                      : _("Password required: the PDF is encrypted"));
      else
        {
          /* Poppler's words are English and technical: the log has them,
           * the person the verdict in their language. */
          g_debug ("poppler cannot open the document: %s",
                   local_error ? local_error->message : "(no message)");
          g_set_error_literal (error, GK_ERROR, GK_ERROR_DAMAGED,
                               _ ("The PDF is damaged and cannot be read."));
        }
      return NULL;
    }

  n_pages = poppler_document_get_n_pages (document);
  if (n_pages <= 0)
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_DAMAGED,
                           _("The PDF has no pages"));
      return NULL;
    }

  result->first_page_ok = TRUE;
  result->page_errors = g_new0 (guint, n_pages);
  for (int i = 0; i < n_pages; i++)
    {
      g_autoptr(PopplerPage) page = NULL;
      g_autofree char *raw = NULL;
      g_autofree char *text = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (error, GK_ERROR, GK_ERROR_CANCELLED, _("Cancelled"));
          return NULL;
        }

      reader_errors = 0;
      page = poppler_document_get_page (document, i);
      if (page != NULL)
        raw = poppler_page_get_text (page);
      result->page_errors[i] = reader_errors;
      if (page == NULL && i == 0)
        result->first_page_ok = FALSE;

      text = clean_text (raw);
      /* A page without text is a scan only if it shows an image. */
      if (i == 0 && page != NULL && gk_str_is_blank (text))
        {
          GList *images = poppler_page_get_image_mapping (page);

          result->first_page_images = images != NULL;
          poppler_page_free_image_mapping (images);
        }
      if (!gk_str_is_blank (text))
        result->has_text = TRUE;
      g_strv_builder_add (builder, text);
    }

  result->pages = g_strv_builder_end (builder);
  result->n_pages = (guint) n_pages;
  result->title = clean_metadata (poppler_document_get_title (document));
  return g_steal_pointer (&result);
}

/**
 * gk_pdf_text_to_json:
 * @text: (nullable): extracted text
 * @error: (nullable): the error when @text is %NULL
 *
 * Returns: (transfer full): what gongkai-extract prints
 */
char *
gk_pdf_text_to_json (const GkPdfText *text,
                     const GError    *error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  if (text == NULL)
    {
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_int_value (b, error && error->domain == GK_ERROR ? error->code : GK_ERROR_DAMAGED);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, error ? error->message : "");
      json_builder_end_object (b);
    }
  else
    {
      json_builder_set_member_name (b, "has_text");
      json_builder_add_boolean_value (b, text->has_text);
      json_builder_set_member_name (b, "first_page_ok");
      json_builder_add_boolean_value (b, text->first_page_ok);
      json_builder_set_member_name (b, "title");
      if (text->title)
        json_builder_add_string_value (b, text->title);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "pages");
      json_builder_begin_array (b);
      for (guint i = 0; i < text->n_pages; i++)
        json_builder_add_string_value (b, text->pages[i]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "first_page_images");
      json_builder_add_boolean_value (b, text->first_page_images);
      json_builder_set_member_name (b, "open_errors");
      json_builder_add_int_value (b, text->open_errors);
      json_builder_set_member_name (b, "page_errors");
      json_builder_begin_array (b);
      for (guint i = 0; text->page_errors != NULL && i < text->n_pages; i++)
        json_builder_add_int_value (b, text->page_errors[i]);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return gk_json_to_string (root, FALSE);
}

static GkPdfText *
text_from_json (const char *json,
                GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GkPdfText) text = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonObject *object;
  JsonArray *pages;

  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_DAMAGED,
                           _("The PDF reader gave no usable answer: the file is damaged"));
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (object, "error"))
    {
      JsonObject *e = json_object_get_object_member (object, "error");
      g_autofree char *message =
        gk_utf8_sanitize (json_object_get_string_member_with_default (e, "message", ""), -1);

      g_set_error_literal (error, GK_ERROR,
                           (int) json_object_get_int_member_with_default (e, "code", GK_ERROR_DAMAGED),
                           message ? message : "");
      return NULL;
    }

  text = g_new0 (GkPdfText, 1);
  text->has_text = json_object_get_boolean_member_with_default (object, "has_text", FALSE);
  text->first_page_ok = json_object_get_boolean_member_with_default (object, "first_page_ok", FALSE);
  /* The helper reads hostile files: should one take it over, its answer
   * still must not bring invalid UTF-8 (an escape such as \ud800) or a
   * NUL into the library. */
  text->title = clean_metadata (g_strdup (json_object_get_string_member_with_default (object, "title", NULL)));
  pages = json_object_get_array_member (object, "pages");
  builder = g_strv_builder_new ();
  for (guint i = 0; pages && i < json_array_get_length (pages); i++)
    {
      g_autofree char *page = clean_text (json_array_get_string_element (pages, i));

      g_strv_builder_add (builder, page);
    }
  text->pages = g_strv_builder_end (builder);
  text->n_pages = g_strv_length (text->pages);
  if (text->n_pages == 0)
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_DAMAGED, _("The PDF has no pages"));
      return NULL;
    }
  text->open_errors = (guint) json_object_get_int_member_with_default (object, "open_errors", 0);
  text->first_page_images =
    json_object_get_boolean_member_with_default (object, "first_page_images", FALSE);
  text->page_errors = g_new0 (guint, text->n_pages);
  if (json_object_has_member (object, "page_errors") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "page_errors")))
    {
      JsonArray *counts = json_object_get_array_member (object, "page_errors");

      for (guint i = 0; i < text->n_pages && i < json_array_get_length (counts); i++)
        text->page_errors[i] = (guint) CLAMP (json_array_get_int_element (counts, i), 0, G_MAXINT);
    }
  return g_steal_pointer (&text);
}

#define EXTRACT_TIMEOUT_SECONDS 120
#define EXTRACT_MEMORY_LIMIT ((rlim_t) 3 << 30)
/* Reading documents is background work: the window (and the X server
 * drawing it) go first when the cores are busy.  Like a file indexer,
 * the helper runs at a lower priority. */
#define EXTRACT_NICE 10

/* Runs in the child between fork and exec: only async-signal-safe calls. */
static void
limit_child (gpointer user_data)
{
  pid_t parent = (pid_t) GPOINTER_TO_INT (user_data);
  struct rlimit memory = { EXTRACT_MEMORY_LIMIT, EXTRACT_MEMORY_LIMIT };
  struct rlimit cpu = { EXTRACT_TIMEOUT_SECONDS, EXTRACT_TIMEOUT_SECONDS + 5 };
  struct rlimit core = { 0, 0 };

  /* The helper dies with the program: a killed import must not leave it
   * reading (or hanging on) a PDF for up to the CPU limit.  The signal
   * comes when the thread that forked ends, and that thread waits for
   * the helper.  If the program died before this ran, the helper has
   * already been handed to another parent: stop right here. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != parent)
    _exit (127);

  /* AddressSanitizer reserves terabytes of address space: a memory
   * limit would stop the helper before it starts in such a build. */
#ifndef __SANITIZE_ADDRESS__
  setrlimit (RLIMIT_AS, &memory);
#else
  (void) memory;
#endif
  setrlimit (RLIMIT_CPU, &cpu);
  setrlimit (RLIMIT_CORE, &core);
  setpriority (PRIO_PROCESS, 0, EXTRACT_NICE);
}

typedef struct
{
  gboolean  done;
  gboolean  timed_out;
  char     *out;
  GError   *error;
} Communicate;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Communicate *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, NULL, &c->error);
  c->done = TRUE;
}

static gboolean
on_extract_timeout (gpointer user_data)
{
  GSubprocess *process = user_data;

  g_object_set_data (G_OBJECT (process), "timed-out", GINT_TO_POINTER (1));
  g_subprocess_force_exit (process);
  return G_SOURCE_REMOVE;
}

/**
 * gk_pdf_extract_isolated:
 * @path: a PDF file
 * @password: (nullable): its user password
 * @cancellable: (nullable): stops the helper
 * @error: return location for an error
 *
 * Returns: (transfer full): as gk_pdf_extract()
 */
GkPdfText *
gk_pdf_extract_isolated (const char   *path,
                         const char   *password,
                         GCancellable *cancellable,
                         GError      **error)
{
  g_autofree char *helper = gk_helper_find ("gongkai-extract", "GONGKAI_EXTRACT_HELPER");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autofree char *input = NULL;
  Communicate c = { 0 };
  GSource *timeout;

  /* Reading a PDF in this process would let a hostile file take the
   * program down: only when asked for (debugging, sanitizer builds). */
  if (g_strcmp0 (g_getenv ("GONGKAI_EXTRACT_IN_PROCESS"), "1") == 0)
    return gk_pdf_extract (path, password, cancellable, error);
  if (helper == NULL)
    {
      g_set_error_literal (error, GK_ERROR, GK_ERROR_FAILED,
                           _("The PDF reader (gongkai-extract) is missing from this installation; "
                             "reinstall Gongkai Desk."));
      return NULL;
    }

  /* A helper that dies before reading its input must not take us down
   * with SIGPIPE when we write the password to it. */
  {
    static gsize ignored = 0;

    if (g_once_init_enter (&ignored))
      {
        signal (SIGPIPE, SIG_IGN);
        g_once_init_leave (&ignored, 1);
      }
  }

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, limit_child, GINT_TO_POINTER ((int) getpid ()), NULL);
  process = g_subprocess_launcher_spawn (launcher, &c.error, helper, "--", path, NULL);
  if (process == NULL)
    {
      g_main_context_pop_thread_default (context);
      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("The PDF reader could not be started (%s); try again."), c.error->message);
      g_clear_error (&c.error);
      return NULL;
    }

  /* The password goes through a pipe, never the command line. */
  input = g_strdup_printf ("%s\n", password ? password : "");
  g_subprocess_communicate_utf8_async (process, input, cancellable, on_communicated, &c);

  timeout = g_timeout_source_new_seconds (EXTRACT_TIMEOUT_SECONDS);
  g_source_set_callback (timeout, on_extract_timeout, process, NULL);
  g_source_attach (timeout, context);

  while (!c.done)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);
  g_source_unref (timeout);
  if (g_error_matches (c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_subprocess_force_exit (process);
  /* Always reap the helper, so that how it ended is known: a crash can
   * also show up first as a broken pipe while we write the password. */
  g_subprocess_wait (process, NULL, NULL);
  g_main_context_pop_thread_default (context);

  if (g_error_matches (c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&c.error);
      g_free (c.out);
      g_set_error_literal (error, GK_ERROR, GK_ERROR_CANCELLED, _("Cancelled"));
      return NULL;
    }

  if (g_object_get_data (G_OBJECT (process), "timed-out") != NULL)
    {
      g_clear_error (&c.error);
      g_free (c.out);
      g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                   _("Reading the PDF took longer than %d seconds; it was stopped. "
                     "The file may be damaged or built to hang readers."), EXTRACT_TIMEOUT_SECONDS);
      return NULL;
    }

  if (g_subprocess_get_if_signaled (process))
    {
      g_clear_error (&c.error);
      g_free (c.out);
      g_set_error_literal (error, GK_ERROR, GK_ERROR_DAMAGED,
                           _("The PDF made the reader crash: it is damaged or malformed, "
                             "and was not imported"));
      return NULL;
    }

  if (c.error != NULL)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_DAMAGED,
                   _("The PDF could not be read: %s"), c.error->message);
      g_clear_error (&c.error);
      g_free (c.out);
      return NULL;
    }

  {
    GkPdfText *text = text_from_json (c.out ? c.out : "", error);
    g_free (c.out);
    return text;
  }
}
