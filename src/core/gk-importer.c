/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkImporter"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gk-finding.h"
#include "gk-gongwen.h"
#include "gk-import-warnings.h"
#include "gk-importer.h"
#include "gk-pdf.h"
#include "gk-screening.h"
#include "gk-util.h"

struct _GkImporter
{
  GObject  parent_instance;

  GkStore *store;
  char    *actor;
  char    *password;
  char    *publish_date;
  guint    max_workers;
};

G_DEFINE_FINAL_TYPE (GkImporter, gk_importer, G_TYPE_OBJECT)

/* One import run: the files, and where finished results go. */
typedef struct
{
  GkImporter   *importer;     /* borrowed: the run holds a ref through the task */
  GPtrArray    *files;        /* char* */
  GAsyncQueue  *done;         /* GkImportResult*, in order of completion */
  GCancellable *cancellable;
  char         *password;
  char         *publish_date;
  GStrv         sensitive_words;
} ImportRun;

typedef struct
{
  ImportRun *run;
  guint      index;
} ImportJob;

/* Progress as given by the caller, carried to its main context. */
typedef struct
{
  GkImportProgressFunc func;
  gpointer             data;
  GDestroyNotify       destroy;
  GMainContext        *context;
} Progress;

typedef struct
{
  GObject        *owner;     /* keeps progress alive until dispatched */
  Progress       *progress;
  guint           done;
  guint           total;
  GkImportResult *result;
} ProgressCall;

static void
import_run_free (ImportRun *run)
{
  g_ptr_array_unref (run->files);
  g_async_queue_unref (run->done);
  g_clear_object (&run->cancellable);
  g_free (run->password);
  g_free (run->publish_date);
  g_strfreev (run->sensitive_words);
  g_free (run);
}

/**
 * gk_import_result_free:
 * @result: (nullable): a result
 */
void
gk_import_result_free (GkImportResult *result)
{
  if (result == NULL)
    return;
  g_free (result->path);
  g_free (result->id);
  g_free (result->error);
  g_free (result->warning);
  g_clear_pointer (&result->warnings, json_array_unref);
  g_clear_pointer (&result->detected, gk_detected_free);
  g_clear_pointer (&result->findings, g_ptr_array_unref);
  g_free (result);
}

static GkImportResult *
import_result_copy (const GkImportResult *result)
{
  GkImportResult *copy = g_new0 (GkImportResult, 1);

  copy->path = g_strdup (result->path);
  copy->status = result->status;
  copy->id = g_strdup (result->id);
  copy->error = g_strdup (result->error);
  copy->error_code = result->error_code;
  copy->warning = g_strdup (result->warning);
  copy->warnings = result->warnings ? json_array_ref (result->warnings) : NULL;
  /* Progress callbacks see the status, path, id and message; the full
   * detection stays in the final results. */
  return copy;
}

/**
 * gk_import_status_to_string:
 * @status: a status
 *
 * Returns: imported, duplicate or failed
 */
const char *
gk_import_status_to_string (GkImportStatus status)
{
  switch (status)
    {
    case GK_IMPORT_IMPORTED:
      return "imported";
    case GK_IMPORT_DUPLICATE:
      return "duplicate";
    case GK_IMPORT_FAILED:
    default:
      return "failed";
    }
}

static void
add_nullable (JsonBuilder *b,
              const char  *name,
              const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/**
 * gk_import_result_to_json:
 * @result: a result
 *
 * Returns: (transfer full): {"path", "status", "id", "error", "warning",
 *   "warnings", "detected", "findings"} as `gongkai-ctl import --json`
 *   prints it; "warnings" is an array (gk-import-warnings.h), empty when
 *   there are none
 */
JsonNode *
gk_import_result_to_json (const GkImportResult *result)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  {
    /* The path as the file system has it may hold bytes that are no
     * UTF-8: JSON gets a name people can read (U+FFFD for them). */
    g_autofree char *shown = result->path ? g_filename_display_name (result->path) : NULL;

    add_nullable (b, "path", shown);
  }
  add_nullable (b, "status", gk_import_status_to_string (result->status));
  add_nullable (b, "id", result->id);
  add_nullable (b, "error", result->error);
  add_nullable (b, "warning", result->warning);
  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  for (guint i = 0; result->warnings && i < json_array_get_length (result->warnings); i++)
    json_builder_add_value (b, json_array_dup_element (result->warnings, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "detected");
  if (result->detected != NULL)
    json_builder_add_value (b, gk_detected_to_json (result->detected));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; result->findings && i < result->findings->len; i++)
    json_builder_add_value (b, gk_finding_to_json (g_ptr_array_index (result->findings, i)));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
fail (GkImportResult *result,
      const GError   *error)
{
  result->status = GK_IMPORT_FAILED;
  result->error = gk_utf8_sanitize (error->message, -1);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    result->error_code = GK_ERROR_CANCELLED;
  else
    result->error_code = error->domain == GK_ERROR ? error->code : GK_ERROR_FAILED;
}

/* The user's words for what a non-PDF file is. */
static char *
describe_type (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *description = NULL;
  const char *type;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  type = info ? g_file_info_get_content_type (info) : NULL;
  if (type == NULL)
    return g_strdup (_("unknown type"));
  /* The name says .pdf but the bytes say otherwise: trust the bytes. */
  if (g_content_type_equals (type, "application/pdf"))
    {
      g_autofree guchar *head = NULL;
      gsize len = 0;
      g_autofree char *guessed = NULL;
      g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);

      if (in != NULL)
        {
          head = g_malloc (4096);
          len = g_input_stream_read (G_INPUT_STREAM (in), head, 4096, NULL, NULL);
          guessed = g_content_type_guess (NULL, head, len > 0 ? len : 0, NULL);
          if (guessed != NULL && !g_content_type_is_unknown (guessed) &&
              !g_content_type_equals (guessed, "application/pdf"))
            type = guessed;
          else
            return g_strdup (_("not a PDF document, although its name ends in .pdf"));
          description = g_content_type_get_description (type);
          return g_strdup_printf ("%s (%s)", description, type);
        }
    }
  description = g_content_type_get_description (type);
  return g_strdup_printf ("%s (%s)", description, type);
}

static void
fill_item_from_detected (GkItem           *item,
                         const GkDetected *d)
{
  item->title = g_strdup (d->title);
  item->doc_number = g_strdup (d->doc_number);
  item->doc_number_original = g_strdup (d->doc_number_original);
  item->issuer = g_strdup (d->issuer);
  item->written_date = g_strdup (d->written_date);
  item->disclosure = g_strdup (d->disclosure);
  item->genre = g_strdup (d->genre);
  item->effective_from = g_strdup (d->effective_from);
  item->effective_until = g_strdup (d->effective_until);
}

/* A gk_store_hold_files() given back when it goes out of scope. */
typedef GkStore FilesHold;

static void
files_hold_release (FilesHold *store)
{
  gk_store_release_files (store);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FilesHold, files_hold_release)

static GkImportResult *
import_one (ImportRun  *run,
            const char *path)
{
  GkImporter *self = run->importer;
  g_autoptr(GkImportResult) result = g_new0 (GkImportResult, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkPdfText) text = NULL;
  g_autoptr(GkItem) existing = NULL;
  g_autoptr(GkItem) item = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *stored_path = NULL;
  g_autofree char *basename = NULL;
  g_autoptr(FilesHold) hold = NULL;
  gboolean file_was_there;
  goffset size = 0;

  result->path = g_strdup (path);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *shown = g_filename_display_name (path);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        g_set_error (&error, GK_ERROR, GK_ERROR_NOT_FOUND,
                     _("%s is a symbolic link that leads nowhere (broken, or a loop)"), shown);
      else if (g_file_test (path, G_FILE_TEST_EXISTS))
        g_set_error (&error, GK_ERROR, GK_ERROR_UNSUPPORTED,
                     _("%s is not a regular file"), shown);
      else
        g_set_error (&error, GK_ERROR, GK_ERROR_NOT_FOUND,
                     _("No such file: %s"), shown);
      fail (result, error);
      return g_steal_pointer (&result);
    }

  sha256 = gk_sha256_file (path, run->cancellable, &size, &error);
  if (sha256 == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fail (result, error);
      return g_steal_pointer (&result);
    }
  if (sha256 == NULL)
    {
      g_autoptr(GError) shown = NULL;

      g_set_error (&shown, GK_ERROR, GK_ERROR_FAILED,
                   _("The file cannot be read: %s"), error->message);
      fail (result, shown);
      return g_steal_pointer (&result);
    }

  if (size == 0)
    {
      g_set_error_literal (&error, GK_ERROR, GK_ERROR_DAMAGED,
                           _("The file is empty (0 bytes)"));
      fail (result, error);
      return g_steal_pointer (&result);
    }

  if (!gk_pdf_sniff (path))
    {
      g_autofree char *what = describe_type (path);

      g_set_error (&error, GK_ERROR, GK_ERROR_UNSUPPORTED,
                   _("Unsupported file type: %s. Only PDF documents can be imported; "
                     "convert OFD, Word or WPS files to PDF first."), what);
      fail (result, error);
      return g_steal_pointer (&result);
    }

  existing = gk_store_find_by_sha256 (self->store, sha256);
  if (existing != NULL)
    {
      result->status = GK_IMPORT_DUPLICATE;
      result->id = g_strdup (existing->id);
      return g_steal_pointer (&result);
    }

  text = gk_pdf_extract_isolated (path, run->password, run->cancellable, &error);
  if (text == NULL)
    {
      fail (result, error);
      return g_steal_pointer (&result);
    }

  item = gk_item_new ();
  /* The record keeps the name as text (the portal shows it): bytes
   * that are no UTF-8 are shown as U+FFFD; the file itself is kept
   * under its hash, so nothing is lost. */
  basename = g_filename_display_basename (path);
  item->file_sha256 = g_strdup (sha256);
  item->file_name = g_strdup (basename);
  item->file_bytes = size;
  item->pages = (int) text->n_pages;
  item->publish_date = g_strdup (run->publish_date);

  /* Fields are guessed only from a first page that reads; whatever could
   * not be read is said, and kept with the detected values so that the
   * record is never taken for one that was read. */
  {
    g_autoptr(JsonNode) detected_json = NULL;
    g_autoptr(GkDetected) nothing = NULL;

    if (gk_import_can_detect (text))
      {
        result->detected = gk_gongwen_detect ((const char *const *) text->pages, text->n_pages);
        fill_item_from_detected (item, result->detected);
      }
    result->warnings = gk_import_warnings_check (text, result->detected);
    item->flags |= gk_import_warnings_flags (result->warnings);
    result->warning = gk_import_warnings_to_text (result->warnings);
    if (result->detected == NULL)
      nothing = g_new0 (GkDetected, 1);
    detected_json = gk_detected_to_json (result->detected ? result->detected : nothing);
    if (json_array_get_length (result->warnings) > 0)
      json_object_set_array_member (json_node_get_object (detected_json), "warnings",
                                    json_array_ref (result->warnings));
    item->detected_json = gk_json_to_string (detected_json, FALSE);
  }

  if (text->has_text)
    findings = gk_screening_scan ((const char *const *) text->pages, text->n_pages,
                                  (const char *const *) run->sensitive_words);
  else
    findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);

  /* Held from the copy to the commit of the item that refers to it, so
   * that another program opening the library meanwhile does not take
   * the copy for a leftover of a killed import. */
  if (!gk_store_hold_files (self->store, &error))
    {
      fail (result, error);
      return g_steal_pointer (&result);
    }
  hold = self->store;

  stored_path = gk_store_get_file_path (self->store, sha256);
  file_was_there = g_file_test (stored_path, G_FILE_TEST_EXISTS);
  if (!gk_store_add_file (self->store, path, sha256, run->cancellable, &error))
    {
      fail (result, error);
      return g_steal_pointer (&result);
    }

  if (!gk_store_insert_item (self->store, self->actor, item,
                             (const char *const *) text->pages, text->n_pages,
                             findings, &error))
    {
      g_autoptr(GkItem) twin = NULL;

      /* Another worker imported the same bytes a moment ago. */
      if (g_error_matches (error, GK_ERROR, GK_ERROR_CONFLICT) &&
          (twin = gk_store_find_by_sha256 (self->store, sha256)) != NULL)
        {
          result->status = GK_IMPORT_DUPLICATE;
          result->id = g_strdup (twin->id);
          g_clear_pointer (&result->detected, gk_detected_free);
          g_clear_pointer (&result->warning, g_free);
          g_clear_pointer (&result->warnings, json_array_unref);
          return g_steal_pointer (&result);
        }

      /* Leave nothing half-imported: the copied file goes unless an item
       * already holds it. */
      if (!file_was_there)
        {
          g_autoptr(GkItem) holder = gk_store_find_by_sha256 (self->store, sha256);

          if (holder == NULL)
            g_unlink (stored_path);
        }
      fail (result, error);
      g_clear_pointer (&result->detected, gk_detected_free);
      g_clear_pointer (&result->warning, g_free);
      g_clear_pointer (&result->warnings, json_array_unref);
      return g_steal_pointer (&result);
    }

  result->status = GK_IMPORT_IMPORTED;
  result->id = g_strdup (item->id);

  /* Different bytes, same 公文: a person should look before both go
   * public. */
  {
    g_auto(GStrv) twins = gk_store_find_by_doc_number (self->store, item->doc_number, item->id);

    if (twins[0] != NULL)
      {
        json_array_add_object_element (result->warnings,
                                       gk_import_warning_same_doc_number (twins[0],
                                                                          item->doc_number));
        g_free (result->warning);
        result->warning = gk_import_warnings_to_text (result->warnings);
      }
  }
  result->findings = g_steal_pointer (&findings);
  return g_steal_pointer (&result);
}

static void
import_job_run (gpointer data,
                gpointer user_data)
{
  ImportJob *job = data;
  ImportRun *run = job->run;
  const char *path = g_ptr_array_index (run->files, job->index);
  GkImportResult *result;

  if (g_cancellable_is_cancelled (run->cancellable))
    {
      result = g_new0 (GkImportResult, 1);
      result->path = g_strdup (path);
      result->status = GK_IMPORT_FAILED;
      result->error_code = GK_ERROR_CANCELLED;
      result->error = g_strdup (_("Cancelled"));
    }
  else
    result = import_one (run, path);

  g_async_queue_push (run->done, result);
  g_free (job);
}

static gboolean
progress_call_dispatch (gpointer data)
{
  ProgressCall *call = data;

  call->progress->func (call->done, call->total, call->result, call->progress->data);
  return G_SOURCE_REMOVE;
}

static void
progress_call_free (gpointer data)
{
  ProgressCall *call = data;

  gk_import_result_free (call->result);
  g_clear_object (&call->owner);
  g_free (call);
}

static void
progress_free (Progress *progress)
{
  if (progress == NULL)
    return;
  if (progress->destroy != NULL)
    progress->destroy (progress->data);
  g_clear_pointer (&progress->context, g_main_context_unref);
  g_free (progress);
}

static int
compare_index (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  GHashTable *order = user_data;
  const GkImportResult *ra = *(GkImportResult **) a;
  const GkImportResult *rb = *(GkImportResult **) b;
  guint ia = GPOINTER_TO_UINT (g_hash_table_lookup (order, ra->path));
  guint ib = GPOINTER_TO_UINT (g_hash_table_lookup (order, rb->path));

  return (ia > ib) - (ia < ib);
}

/* Runs in the calling thread: feeds the pool and collects results,
 * reporting each through progress (directly, or on progress->context). */
static GPtrArray *
import_run_execute (ImportRun *run,
                    Progress  *progress,
                    GObject   *owner)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_import_result_free);
  g_autoptr(GHashTable) order = g_hash_table_new (g_str_hash, g_str_equal);
  GThreadPool *pool;
  guint workers = run->importer->max_workers;
  guint total = run->files->len;
  gboolean held;

  if (workers == 0)
    workers = MAX (1, g_get_num_processors ());
  /* One hold for the run (each file also holds its own, nested): see
   * gk_store_hold_files().  When it fails, each file reports why. */
  held = gk_store_hold_files (run->importer->store, NULL);
  pool = g_thread_pool_new (import_job_run, NULL, (int) MIN (workers, MAX (total, 1)), FALSE, NULL);

  for (guint i = 0; i < total; i++)
    {
      ImportJob *job = g_new0 (ImportJob, 1);

      job->run = run;
      job->index = i;
      g_hash_table_insert (order, g_ptr_array_index (run->files, i), GUINT_TO_POINTER (i + 1));
      g_thread_pool_push (pool, job, NULL);
    }

  for (guint done = 1; done <= total; done++)
    {
      GkImportResult *result = g_async_queue_pop (run->done);

      if (progress != NULL && progress->func != NULL)
        {
          if (owner != NULL)
            {
              ProgressCall *call = g_new0 (ProgressCall, 1);

              call->owner = g_object_ref (owner);
              call->progress = progress;
              call->done = done;
              call->total = total;
              call->result = import_result_copy (result);
              gk_main_context_dispatch (progress->context, G_PRIORITY_DEFAULT,
                                        progress_call_dispatch, call, progress_call_free);
            }
          else
            progress->func (done, total, result, progress->data);
        }

      if (result->error_code == GK_ERROR_CANCELLED && result->status == GK_IMPORT_FAILED)
        gk_import_result_free (result);
      else
        g_ptr_array_add (results, result);
    }

  g_thread_pool_free (pool, FALSE, TRUE);
  if (held)
    gk_store_release_files (run->importer->store);
  g_ptr_array_sort_with_data (results, compare_index, order);
  return g_steal_pointer (&results);
}

static ImportRun *
import_run_new (GkImporter   *self,
                GPtrArray    *files,
                GCancellable *cancellable)
{
  ImportRun *run = g_new0 (ImportRun, 1);
  g_autofree char *words = gk_store_get_setting (self->store, "sensitive_words");

  run->importer = self;
  run->files = g_ptr_array_ref (files);
  run->done = g_async_queue_new ();
  run->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  run->password = g_strdup (self->password);
  run->publish_date = g_strdup (self->publish_date);
  run->sensitive_words = words ? gk_strv_from_list (words) : NULL;
  return run;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static void
collect_into (GFile        *file,
              GPtrArray    *out,
              GHashTable   *seen_dirs,
              GCancellable *cancellable)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *path = g_file_get_path (file);

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_ID_FILE,
                            G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
    {
      /* Missing files are reported per file by the import itself. */
      if (path != NULL)
        g_ptr_array_add (out, g_steal_pointer (&path));
      return;
    }

  /* Symbolic-link loops would recurse for ever. */
  {
    const char *id = g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_ID_FILE);
    g_autoptr(GFileEnumerator) children = NULL;
    g_autoptr(GPtrArray) names = NULL;

    if (id != NULL)
      {
        if (g_hash_table_contains (seen_dirs, id))
          return;
        g_hash_table_add (seen_dirs, g_strdup (id));
      }

    children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN,
                                          G_FILE_QUERY_INFO_NONE, cancellable, NULL);
    if (children == NULL)
      return;
    names = g_ptr_array_new_with_free_func (g_free);
    for (;;)
      {
        GFileInfo *child = g_file_enumerator_next_file (children, cancellable, NULL);

        if (child == NULL)
          break;
        if (!g_file_info_get_is_hidden (child))
          g_ptr_array_add (names, g_strdup (g_file_info_get_name (child)));
        g_object_unref (child);
      }
    g_ptr_array_sort (names, compare_names);
    for (guint i = 0; i < names->len; i++)
      {
        g_autoptr(GFile) child = g_file_get_child (file, g_ptr_array_index (names, i));
        collect_into (child, out, seen_dirs, cancellable);
      }
  }
}

/**
 * gk_importer_collect_files:
 * @paths: files and folders
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Expands folders recursively (hidden entries skipped, link loops
 * followed once).  Files that do not exist stay in the list so that the
 * import reports them.
 *
 * Returns: (transfer full) (element-type utf8): the files, in order
 */
GPtrArray *
gk_importer_collect_files (const char *const *paths,
                           GCancellable       *cancellable,
                           GError            **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen_dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) unique = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) deduped = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; paths && paths[i]; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (paths[i]);
      collect_into (file, out, seen_dirs, cancellable);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  for (guint i = 0; i < out->len; i++)
    {
      char *path = g_ptr_array_index (out, i);
      if (!g_hash_table_contains (unique, path))
        {
          g_hash_table_add (unique, path);
          g_ptr_array_add (deduped, g_strdup (path));
        }
    }
  return g_steal_pointer (&deduped);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GkImporter *self = source_object;
  const char *const *paths = task_data;
  Progress *progress = g_object_get_data (G_OBJECT (task), "progress");
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  ImportRun *run;
  GPtrArray *results;

  /* Listing folders touches the disk, so it happens here too. */
  files = gk_importer_collect_files (paths, cancellable, &error);
  if (files == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  run = import_run_new (self, files, cancellable);
  results = import_run_execute (run, progress, G_OBJECT (task));
  import_run_free (run);
  g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
}

static void
gk_importer_finalize (GObject *object)
{
  GkImporter *self = GK_IMPORTER (object);

  g_clear_object (&self->store);
  g_free (self->actor);
  g_free (self->password);
  g_free (self->publish_date);
  G_OBJECT_CLASS (gk_importer_parent_class)->finalize (object);
}

static void
gk_importer_class_init (GkImporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gk_importer_finalize;
}

static void
gk_importer_init (GkImporter *self)
{
}

/**
 * gk_importer_new:
 * @store: the library
 * @actor: the acting user, recorded as the drafter
 *
 * Returns: (transfer full): a new importer
 */
GkImporter *
gk_importer_new (GkStore    *store,
                 const char *actor)
{
  GkImporter *self = g_object_new (GK_TYPE_IMPORTER, NULL);

  self->store = g_object_ref (store);
  self->actor = g_strdup (actor);
  return self;
}

/**
 * gk_importer_set_password:
 * @self: an importer
 * @password: (nullable): the user password for encrypted PDFs
 */
void
gk_importer_set_password (GkImporter *self,
                          const char *password)
{
  g_return_if_fail (GK_IS_IMPORTER (self));
  g_free (self->password);
  self->password = g_strdup (password);
}

/**
 * gk_importer_set_publish_date:
 * @self: an importer
 * @publish_date: (nullable): YYYY-MM-DD, the day the next import's
 *   documents went public elsewhere (an office filing its back
 *   catalogue), or %NULL for documents still to be published
 *
 * Documents imported with a publish date on or before today have no
 * disclosure deadline (gk-deadline.h): they are already public.
 *
 * Returns: %FALSE if @publish_date is not a date
 */
gboolean
gk_importer_set_publish_date (GkImporter *self, const char *publish_date)
{
  g_return_val_if_fail (GK_IS_IMPORTER (self), FALSE);
  if (publish_date != NULL && !gk_date_is_valid (publish_date))
    return FALSE;
  g_free (self->publish_date);
  self->publish_date = g_strdup (publish_date);
  return TRUE;
}

/**
 * gk_importer_set_max_workers:
 * @self: an importer
 * @n_workers: worker threads, 0 for one per core
 */
void
gk_importer_set_max_workers (GkImporter *self,
                             guint       n_workers)
{
  g_return_if_fail (GK_IS_IMPORTER (self));
  self->max_workers = n_workers;
}

/**
 * gk_importer_import_sync:
 * @self: an importer
 * @paths: files and folders
 * @progress: (nullable): called in this thread as each file finishes
 * @progress_data: data for @progress
 * @cancellable: (nullable): stops files not yet started
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type GkImportResult): one result per
 *   file, in the order of gk_importer_collect_files()
 */
GPtrArray *
gk_importer_import_sync (GkImporter           *self,
                         const char *const    *paths,
                         GkImportProgressFunc  progress,
                         gpointer              progress_data,
                         GCancellable         *cancellable,
                         GError              **error)
{
  g_autoptr(GPtrArray) files = NULL;
  Progress p = { progress, progress_data, NULL, NULL };
  ImportRun *run;
  GPtrArray *results;

  g_return_val_if_fail (GK_IS_IMPORTER (self), NULL);

  files = gk_importer_collect_files (paths, cancellable, error);
  if (files == NULL)
    return NULL;
  run = import_run_new (self, files, cancellable);
  results = import_run_execute (run, &p, NULL);
  import_run_free (run);
  return results;
}

/**
 * gk_importer_import_async:
 * @self: an importer
 * @paths: files and folders
 * @progress: (nullable): called on the caller's thread-default main
 *   context as each file finishes
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data when the import ends
 * @cancellable: (nullable): stops files not yet started
 * @callback: called when every file is done
 * @user_data: data for @callback
 *
 * Collects the files and imports them on worker threads; never blocks
 * the caller.
 */
void
gk_importer_import_async (GkImporter           *self,
                          const char *const    *paths,
                          GkImportProgressFunc  progress,
                          gpointer              progress_data,
                          GDestroyNotify        progress_destroy,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Progress *p;

  g_return_if_fail (GK_IS_IMPORTER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_importer_import_async);
  g_task_set_return_on_cancel (task, FALSE);
  /* A cancelled import still returns what it finished. */
  g_task_set_check_cancellable (task, FALSE);

  p = g_new0 (Progress, 1);
  p->func = progress;
  p->data = progress_data;
  p->destroy = progress_destroy;
  p->context = g_main_context_ref_thread_default ();
  g_object_set_data_full (G_OBJECT (task), "progress", p, (GDestroyNotify) progress_free);

  g_task_set_task_data (task, g_strdupv ((GStrv) paths), (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, import_thread);
}

/**
 * gk_importer_import_finish:
 * @self: an importer
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type GkImportResult): one result per
 *   file not cancelled
 */
GPtrArray *
gk_importer_import_finish (GkImporter   *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
