/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPortal"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-tls.h"
#include "gk-types.h"

/* A TLS database that trusts the system's authorities plus those of an
 * extra file (an agency-internal CA).  GIO has no "union" database, so
 * verification asks the system first and, if it does not vouch for the
 * chain, the file's database; lookups go to the system's database. */

#define GK_TYPE_TLS_DATABASE (gk_tls_database_get_type ())
G_DECLARE_FINAL_TYPE (GkTlsDatabase, gk_tls_database, GK, TLS_DATABASE, GTlsDatabase)

struct _GkTlsDatabase
{
  GTlsDatabase parent_instance;

  GTlsDatabase *system; /* may be NULL when the backend has none */
  GTlsDatabase *extra;
};

G_DEFINE_FINAL_TYPE (GkTlsDatabase, gk_tls_database, G_TYPE_TLS_DATABASE)

static GTlsCertificateFlags
tls_database_verify_chain (GTlsDatabase           *database,
                           GTlsCertificate        *chain,
                           const char             *purpose,
                           GSocketConnectable     *identity,
                           GTlsInteraction        *interaction,
                           GTlsDatabaseVerifyFlags flags,
                           GCancellable           *cancellable,
                           GError                **error)
{
  GkTlsDatabase       *self = GK_TLS_DATABASE (database);
  GTlsCertificateFlags system_flags = G_TLS_CERTIFICATE_UNKNOWN_CA;
  GTlsCertificateFlags extra_flags;

  if (self->system != NULL)
    {
      g_autoptr (GError) local_error = NULL;

      system_flags = g_tls_database_verify_chain (self->system, chain, purpose, identity,
                                                  interaction, flags, cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return G_TLS_CERTIFICATE_GENERIC_ERROR;
        }
      if (system_flags == 0)
        return 0;
    }

  extra_flags = g_tls_database_verify_chain (self->extra, chain, purpose, identity, interaction,
                                             flags, cancellable, error);
  if (extra_flags == 0)
    return 0;
  /* Report the system's view unless it had none. */
  return self->system != NULL ? system_flags : extra_flags;
}

static char *
tls_database_create_certificate_handle (GTlsDatabase *database, GTlsCertificate *certificate)
{
  GkTlsDatabase *self = GK_TLS_DATABASE (database);
  char          *handle = NULL;

  if (self->system != NULL)
    handle = g_tls_database_create_certificate_handle (self->system, certificate);
  if (handle == NULL)
    handle = g_tls_database_create_certificate_handle (self->extra, certificate);
  return handle;
}

static GTlsCertificate *
tls_database_lookup_certificate_for_handle (GTlsDatabase           *database,
                                            const char             *handle,
                                            GTlsInteraction        *interaction,
                                            GTlsDatabaseLookupFlags flags,
                                            GCancellable           *cancellable,
                                            GError                **error)
{
  GkTlsDatabase   *self = GK_TLS_DATABASE (database);
  GTlsCertificate *certificate = NULL;

  if (self->system != NULL)
    certificate = g_tls_database_lookup_certificate_for_handle (self->system, handle, interaction,
                                                                flags, cancellable, NULL);
  if (certificate == NULL)
    certificate = g_tls_database_lookup_certificate_for_handle (self->extra, handle, interaction,
                                                                flags, cancellable, error);
  return certificate;
}

static GTlsCertificate *
tls_database_lookup_certificate_issuer (GTlsDatabase           *database,
                                        GTlsCertificate        *certificate,
                                        GTlsInteraction        *interaction,
                                        GTlsDatabaseLookupFlags flags,
                                        GCancellable           *cancellable,
                                        GError                **error)
{
  GkTlsDatabase   *self = GK_TLS_DATABASE (database);
  GTlsCertificate *issuer = NULL;

  if (self->system != NULL)
    issuer = g_tls_database_lookup_certificate_issuer (self->system, certificate, interaction,
                                                       flags, cancellable, NULL);
  if (issuer == NULL)
    issuer = g_tls_database_lookup_certificate_issuer (self->extra, certificate, interaction, flags,
                                                       cancellable, error);
  return issuer;
}

static GList *
tls_database_lookup_certificates_issued_by (GTlsDatabase           *database,
                                            GByteArray             *issuer_raw_dn,
                                            GTlsInteraction        *interaction,
                                            GTlsDatabaseLookupFlags flags,
                                            GCancellable           *cancellable,
                                            GError                **error)
{
  GkTlsDatabase *self = GK_TLS_DATABASE (database);
  GList         *list = NULL;

  if (self->system != NULL)
    list = g_tls_database_lookup_certificates_issued_by (self->system, issuer_raw_dn, interaction,
                                                         flags, cancellable, NULL);
  return g_list_concat (
      list, g_tls_database_lookup_certificates_issued_by (self->extra, issuer_raw_dn, interaction,
                                                          flags, cancellable, error));
}

static void
gk_tls_database_finalize (GObject *object)
{
  GkTlsDatabase *self = GK_TLS_DATABASE (object);

  g_clear_object (&self->system);
  g_clear_object (&self->extra);
  G_OBJECT_CLASS (gk_tls_database_parent_class)->finalize (object);
}

static void
gk_tls_database_class_init (GkTlsDatabaseClass *klass)
{
  GObjectClass      *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->finalize = gk_tls_database_finalize;
  database_class->verify_chain = tls_database_verify_chain;
  database_class->create_certificate_handle = tls_database_create_certificate_handle;
  database_class->lookup_certificate_for_handle = tls_database_lookup_certificate_for_handle;
  database_class->lookup_certificate_issuer = tls_database_lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by = tls_database_lookup_certificates_issued_by;
}

static void
gk_tls_database_init (GkTlsDatabase *self)
{
}

/**
 * gk_tls_database_new_with_ca_file:
 * @ca_file: a PEM file of extra authorities (an agency-internal CA)
 * @error: the error location
 *
 * Returns: (transfer full) (nullable): a database that trusts the
 *   system's authorities and those of @ca_file; %NULL and
 *   %GK_ERROR_INVALID when the file cannot be read as one
 */
GTlsDatabase *
gk_tls_database_new_with_ca_file (const char *ca_file, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GTlsDatabase) extra = g_tls_file_database_new (ca_file, &local_error);
  GkTlsDatabase *self;
  GTlsDatabase  *system;

  if (extra == NULL)
    {
      g_autofree char *display = g_filename_display_name (ca_file);

      g_set_error (error, GK_ERROR, GK_ERROR_INVALID, _ ("The CA file %s cannot be used: %s."),
                   display, local_error->message);
      return NULL;
    }

  self = g_object_new (GK_TYPE_TLS_DATABASE, NULL);
  system = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  self->system = system; /* transfer full */
  self->extra = g_steal_pointer (&extra);
  return G_TLS_DATABASE (self);
}
