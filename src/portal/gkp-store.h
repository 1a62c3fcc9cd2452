/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The reference portal's storage: DATA/portal.db (SQLite, WAL) for the
 * documents and DATA/files/<sha256> for the uploaded files.  Every call
 * runs on the main thread. */

#define GKP_STORE_ERROR (gkp_store_error_quark ())
GQuark gkp_store_error_quark (void);

typedef struct _GkpStore GkpStore;
typedef struct _GkpUpload GkpUpload;

typedef struct
{
  char    *id;
  char    *body;          /* the record exactly as sent; NULL in listings */
  char    *etag;          /* bare value, without quotes */
  gint64   revision;
  gboolean withdrawn;
  char    *title;
  char    *doc_number;    /* nullable */
  char    *publish_date;
  char    *updated_at;    /* ISO 8601 UTC, "2024-05-01T08:00:00Z" */
} GkpDocument;

typedef enum
{
  GKP_UPLOAD_CREATED,   /* stored now */
  GKP_UPLOAD_EXISTED,   /* was already stored; the bytes were discarded */
  GKP_UPLOAD_MISMATCH,  /* the bytes do not hash to the expected value */
} GkpUploadResult;

void         gkp_document_free           (GkpDocument *doc);

GkpStore    *gkp_store_open              (const char   *data_dir,
                                          GError      **error);
void         gkp_store_free              (GkpStore     *self);

gboolean     gkp_store_get_document      (GkpStore     *self,
                                          const char   *id,
                                          GkpDocument **out_doc,
                                          GError      **error);
gboolean     gkp_store_put_document      (GkpStore          *self,
                                          const GkpDocument *doc,
                                          GError           **error);
gboolean     gkp_store_set_withdrawn     (GkpStore     *self,
                                          const char   *id,
                                          gboolean      withdrawn,
                                          const char   *updated_at,
                                          GError      **error);
GPtrArray   *gkp_store_list_documents    (GkpStore     *self,
                                          const char   *after_id,
                                          guint         limit,
                                          GError      **error);
GPtrArray   *gkp_store_list_published    (GkpStore     *self,
                                          guint         offset,
                                          guint         limit,
                                          guint        *out_total,
                                          GError      **error);

char        *gkp_store_get_file_path     (GkpStore     *self,
                                          const char   *sha256);
gboolean     gkp_store_has_file          (GkpStore     *self,
                                          const char   *sha256);

GkpUpload   *gkp_store_begin_upload      (GkpStore     *self,
                                          const char   *sha256,
                                          GError      **error);
gboolean     gkp_upload_write            (GkpUpload    *upload,
                                          const void   *data,
                                          gsize         len,
                                          GError      **error);
gboolean     gkp_upload_finish           (GkpUpload       *upload,
                                          GkpUploadResult *out_result,
                                          GError         **error);
void         gkp_upload_free             (GkpUpload    *upload);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkpDocument, gkp_document_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkpStore, gkp_store_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkpUpload, gkp_upload_free)

G_END_DECLS
