/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "gk-types.h"
#include "gk-store.h"
#include "gk-gongwen.h"

G_BEGIN_DECLS

/* File → item: hash, dedupe, copy into files/, extract text, detect 公文
 * fields, screen, index.  Files are imported in parallel on a worker pool
 * (one thread per core); a bad file yields a per-file result and never
 * stops the others. */

#define GK_TYPE_IMPORTER (gk_importer_get_type ())
G_DECLARE_FINAL_TYPE (GkImporter, gk_importer, GK, IMPORTER, GObject)

typedef enum
{
  GK_IMPORT_IMPORTED,
  GK_IMPORT_DUPLICATE,
  GK_IMPORT_FAILED,
} GkImportStatus;

typedef struct
{
  char           *path;
  GkImportStatus  status;
  char           *id;        /* new item, or the existing one for a duplicate */
  char           *error;     /* the user's words, for failed */
  int             error_code;/* GkError code, for failed */
  char           *warning;   /* imported with a warning (needs OCR, first page unreadable,
                              * fields not found): the texts of warnings, joined */
  JsonArray      *warnings;  /* the warnings (gk-import-warnings.h), NULL if none */
  GkDetected     *detected;  /* NULL unless imported */
  GPtrArray      *findings;  /* GkFinding*, NULL unless imported */
} GkImportResult;

void            gk_import_result_free      (GkImportResult *result);
const char     *gk_import_status_to_string (GkImportStatus status); /* imported | duplicate | failed */
/* {"path", "status", "id", "error", "warning", "warnings", "detected", "findings"} */
JsonNode       *gk_import_result_to_json   (const GkImportResult *result);

/* Called on the thread-default main context of the caller of
 * gk_importer_import_async() (or synchronously for _sync), once per file
 * as it finishes.  done counts finished files, total all files found. */
typedef void (*GkImportProgressFunc) (guint                 done,
                                      guint                 total,
                                      const GkImportResult *result,
                                      gpointer              user_data);

GkImporter     *gk_importer_new            (GkStore    *store,
                                            const char *actor);
/* Password for encrypted PDFs in the next import (NULL: none). */
void            gk_importer_set_password   (GkImporter *self,
                                            const char *password);
/* The day the next import's documents already went public (YYYY-MM-DD):
 * they are filed with it and have no deadline.  FALSE if not a date. */
gboolean gk_importer_set_publish_date (GkImporter *self, const char *publish_date);
/* Worker threads (default: number of cores). */
void            gk_importer_set_max_workers (GkImporter *self,
                                             guint       n_workers);

/* Expand folders recursively into the list of regular files, sorted. */
GPtrArray      *gk_importer_collect_files  (const char *const *paths,
                                            GCancellable       *cancellable,
                                            GError            **error);

void            gk_importer_import_async   (GkImporter           *self,
                                            const char *const    *paths,
                                            GkImportProgressFunc  progress,
                                            gpointer              progress_data,
                                            GDestroyNotify        progress_destroy,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
/* GkImportResult*, in the order of the collected files.  Cancelled files
 * are not in it; the error is set only when nothing could start. */
GPtrArray      *gk_importer_import_finish  (GkImporter   *self,
                                            GAsyncResult *result,
                                            GError      **error);
GPtrArray      *gk_importer_import_sync    (GkImporter           *self,
                                            const char *const    *paths,
                                            GkImportProgressFunc  progress,
                                            gpointer              progress_data,
                                            GCancellable         *cancellable,
                                            GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkImportResult, gk_import_result_free)

G_END_DECLS
