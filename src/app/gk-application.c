/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiApplication"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-application.h"
#include "gk-context.h"
#include "gk-store-async.h"
#include "gk-sync.h"
#include "gk-pdf-document.h"
#include "gk-resources.h"
#include "gk-util.h"
#include "gk-window.h"

struct _GkApplication
{
  AdwApplication  parent_instance;

  char           *library_path;
  char           *user;
  GkContext      *context;
};

G_DEFINE_FINAL_TYPE (GkApplication, gk_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "library", 'l', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("The library folder (default: $GONGKAI_LIBRARY, then the user data folder)"), N_("DIR") },
  { "as", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Act as this user (default: $GONGKAI_USER, then the account name)"), N_("USER") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
  { NULL }
};

/* The library chosen in Preferences, when the command line and
 * $GONGKAI_LIBRARY do not say; NULL when none was chosen. */
static char *
preferred_library_path (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *path = NULL;

  if (source == NULL || g_getenv ("GONGKAI_LIBRARY") != NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "library-path"))
    return NULL;
  settings = g_settings_new (APPLICATION_ID);
  path = g_settings_get_string (settings, "library-path");
  return gk_str_is_blank (path) ? NULL : g_steal_pointer (&path);
}

static GkContext *
ensure_context (GkApplication *self)
{
  if (self->context == NULL)
    {
      g_autofree char *preferred = self->library_path ? NULL : preferred_library_path ();
      g_autofree char *library = self->library_path
                                 ? g_strdup (self->library_path)
                                 : preferred ? g_steal_pointer (&preferred)
                                             : gk_default_library_path ();
      const char *user = self->user ? self->user : gk_default_user ();

      self->context = gk_context_new (library, user);
    }
  return self->context;
}

static GkWindow *
ensure_window (GkApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (gk_window_new (self, ensure_context (self)));
  return GK_WINDOW (window);
}

static void
on_quit_activated_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GkApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* Closing the window asks about unsaved changes first. */
  if (window != NULL)
    gtk_window_close (window);
  else
    g_application_quit (G_APPLICATION (self));
}

static void
on_about_activated_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  GkApplication *self = user_data;
  static const char *developers[] = { "Gongkai Desk developers", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "modal", TRUE,
                        "application-name", _("Gongkai Desk"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("The workstation of a government information-disclosure office: "
                                      "import, check, review and publish official documents."),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", on_quit_activated_cb },
  { "about", on_about_activated_cb },
};

static int
gk_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  GkApplication *self = GK_APPLICATION (application);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("gongkai %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "library", "^ay", &self->library_path) &&
      self->library_path != NULL && !g_path_is_absolute (self->library_path))
    {
      g_autofree char *relative = g_steal_pointer (&self->library_path);
      g_autofree char *cwd = g_get_current_dir ();

      self->library_path = g_canonicalize_filename (relative, cwd);
    }
  g_variant_dict_lookup (options, "as", "s", &self->user);
  return -1;
}

static void
gk_application_startup (GApplication *application)
{
  GkApplication *self = GK_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (gk_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static void
gk_application_activate (GApplication *application)
{
  GkApplication *self = GK_APPLICATION (application);

  gtk_window_present (GTK_WINDOW (ensure_window (self)));
}

static void
gk_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  GkApplication *self = GK_APPLICATION (application);
  GkWindow *window = ensure_window (self);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < n_files; i++)
    {
      char *path = g_file_get_path (files[i]);

      if (path != NULL)
        g_ptr_array_add (paths, path);
    }
  g_ptr_array_add (paths, NULL);

  gtk_window_present (GTK_WINDOW (window));
  gk_window_import_paths (window, (const char *const *) paths->pdata);
}

static void
gk_application_shutdown (GApplication *application)
{
  GkApplication *self = GK_APPLICATION (application);

  /* Before exit() runs poppler's static destructors, no document may
   * still be rendering. */
  gk_pdf_document_close_all ();
  /* A sync under way stops: what the portal confirmed is committed, the
   * rest stays in the outbox; then every accepted write is on disk. */
  gk_sync_stop_all ();
  if (self->context != NULL && gk_context_get_store (self->context) != NULL)
    gk_store_wait_writes (gk_context_get_store (self->context));

  G_APPLICATION_CLASS (gk_application_parent_class)->shutdown (application);
}

static void
gk_application_finalize (GObject *object)
{
  GkApplication *self = GK_APPLICATION (object);

  g_clear_object (&self->context);
  g_free (self->library_path);
  g_free (self->user);

  G_OBJECT_CLASS (gk_application_parent_class)->finalize (object);
}

static void
gk_application_class_init (GkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = gk_application_finalize;
  app_class->handle_local_options = gk_application_handle_local_options;
  app_class->startup = gk_application_startup;
  app_class->activate = gk_application_activate;
  app_class->shutdown = gk_application_shutdown;
  app_class->open = gk_application_open;

  /* Compiled with --manual-register: the resource lives in a static
   * library that the program and the tests link. */
  gk_app_register_resource ();
}

static void
gk_application_init (GkApplication *self)
{
  GOptionEntry entries[G_N_ELEMENTS (option_entries)];

  /* The translated descriptions; arg_data stays NULL (options arrive in
   * handle-local-options). */
  for (guint i = 0; i < G_N_ELEMENTS (option_entries); i++)
    {
      entries[i] = option_entries[i];
      if (entries[i].description != NULL)
        entries[i].description = _(entries[i].description);
      if (entries[i].arg_description != NULL)
        entries[i].arg_description = _(entries[i].arg_description);
    }
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[FILE.pdf…] — import these files"));
}

/**
 * gk_application_new:
 *
 * Not unique on the session bus: the library and the acting user (--as,
 * shared desks) are choices of each process.
 *
 * Returns: (transfer full): the application
 */
GkApplication *
gk_application_new (void)
{
  return g_object_new (GK_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/cn/gov/gongkai/Desk",
                       NULL);
}

/**
 * gk_application_get_context:
 * @self: the application
 *
 * Returns: (transfer none): the context, made from the options on first use
 */
GkContext *
gk_application_get_context (GkApplication *self)
{
  g_return_val_if_fail (GK_IS_APPLICATION (self), NULL);

  return ensure_context (self);
}

/**
 * gk_application_set_context:
 * @self: the application
 * @context: the context windows will use
 *
 * For tests, which build the context themselves.
 */
void
gk_application_set_context (GkApplication *self,
                            GkContext     *context)
{
  g_return_if_fail (GK_IS_APPLICATION (self));
  g_return_if_fail (GK_IS_CONTEXT (context));

  g_set_object (&self->context, context);
}
