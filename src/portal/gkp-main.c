/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPortal"

#include "config.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "gkp-server.h"
#include "gkp-store.h"

#define DEFAULT_MAX_FILE_BYTES G_GINT64_CONSTANT (104857600)
#define DEFAULT_IDLE_TIMEOUT     30.0
#define DEFAULT_REQUEST_TIMEOUT  600.0
#define DEFAULT_MAX_CLIENTS      1000
#define MAX_TIMEOUT              86400.0
/* File descriptors kept for the database, the log and the like; each
 * client may need two (its socket and an upload's temporary file). */
#define RESERVED_FDS             32

static char *opt_data;
static char *opt_address;
static int opt_port = 8088;
static char *opt_token_file;
static char *opt_readonly_token_file;
static char *opt_port_file;
static char *opt_base_path;
static char *opt_public_url;
static gint64 opt_max_file_bytes = DEFAULT_MAX_FILE_BYTES;
static int opt_max_connections;
static double opt_idle_timeout = DEFAULT_IDLE_TIMEOUT;
static double opt_request_timeout = DEFAULT_REQUEST_TIMEOUT;
static int opt_max_clients = DEFAULT_MAX_CLIENTS;
static gboolean opt_version;

static const GOptionEntry entries[] = {
  { "data", 0, 0, G_OPTION_ARG_FILENAME, &opt_data,
    N_("Folder of the portal’s database and files (created if needed)"), N_("DIR") },
  { "address", 0, 0, G_OPTION_ARG_STRING, &opt_address,
    N_("IP address to listen on (default: 127.0.0.1)"), N_("ADDRESS") },
  { "port", 0, 0, G_OPTION_ARG_INT, &opt_port,
    N_("Port to listen on; 0 picks a free one (default: 8088)"), N_("N") },
  { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_token_file,
    N_("File holding the token that may publish (default: $GONGKAI_PORTAL_TOKEN)"), N_("FILE") },
  { "readonly-token-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_readonly_token_file,
    N_("File holding an extra token that may only read"), N_("FILE") },
  { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_port_file,
    N_("Write the bound port to this file once listening"), N_("FILE") },
  { "base-path", 0, 0, G_OPTION_ARG_STRING, &opt_base_path,
    N_("Path of the API (default: /api/v1)"), N_("PATH") },
  { "public-url", 0, 0, G_OPTION_ARG_STRING, &opt_public_url,
    N_("Address of the public pages in public_url (default: http://ADDRESS:PORT)"), N_("URL") },
  { "max-file-bytes", 0, 0, G_OPTION_ARG_INT64, &opt_max_file_bytes,
    N_("Largest file accepted (default: 104857600)"), N_("N") },
  { "max-connections-per-token", 0, 0, G_OPTION_ARG_INT, &opt_max_connections,
    N_("Answer 429 past this many open connections per token (default: 0, no limit)"), N_("N") },
  { "idle-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &opt_idle_timeout,
    N_("Close a connection whose request headers have not all arrived after this many seconds, "
       "that sends or reads nothing for as long during a request, or that stays idle as long "
       "between requests (default: 30)"), N_("SECONDS") },
  { "request-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &opt_request_timeout,
    N_("Close a connection whose request, body included, has not fully arrived after this many "
       "seconds (default: 600)"), N_("SECONDS") },
  { "max-clients", 0, 0, G_OPTION_ARG_INT, &opt_max_clients,
    N_("Keep at most this many connections open; a new one closes the least active "
       "(default: 1000, fewer if the open-file limit is lower)"), N_("N") },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, N_("Print the version"), NULL },
  { NULL },
};

static gboolean
is_valid_token (const char *token)
{
  if (*token == '\0')
    return FALSE;
  for (const guchar *p = (const guchar *) token; *p != '\0'; p++)
    if (*p <= 0x20 || *p >= 0x7f)
      return FALSE;
  return TRUE;
}

static char *
read_token (const char *path,
            GError    **error)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  g_strstrip (contents);
  if (!is_valid_token (contents))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The token in %s is empty or has spaces or control characters."), path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

static char *
normalize_base_path (const char *path)
{
  g_autofree char *copy = g_strdup (path);
  gsize len = strlen (copy);

  while (len > 1 && copy[len - 1] == '/')
    copy[--len] = '\0';
  if (copy[0] != '/' || len < 2 || strstr (copy, "//") != NULL || strchr (copy, '?') != NULL ||
      strcmp (copy, "/docs") == 0 || g_str_has_prefix (copy, "/docs/"))
    return NULL;
  return g_steal_pointer (&copy);
}

static char *
normalize_public_url (const char *url)
{
  g_autofree char *copy = g_strdup (url);
  gsize len = strlen (copy);
  g_autoptr(GUri) uri = NULL;

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  uri = g_uri_parse (copy, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    return NULL;
  return g_steal_pointer (&copy);
}

/* Raises the open-file limit as far as the clients need (and the hard
 * limit allows), and keeps the clients within it: libsoup 3.2 stops
 * accepting connections for good once it runs out of descriptors. */
static guint
fit_max_clients (guint wanted)
{
  struct rlimit limit;
  rlim_t needed = (rlim_t) wanted * 2 + RESERVED_FDS;
  guint fits;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return wanted;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed)
    {
      struct rlimit raised = limit;

      raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? needed : MIN (needed, limit.rlim_max);
      if (setrlimit (RLIMIT_NOFILE, &raised) == 0)
        limit = raised;
    }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= needed)
    return wanted;
  fits = limit.rlim_cur > RESERVED_FDS + 2 ? (guint) ((limit.rlim_cur - RESERVED_FDS) / 2) : 1;
  g_printerr (_("gongkai-portal: the open-file limit (%lu) allows %u clients, not %u.\n"),
              (unsigned long) limit.rlim_cur, fits, wanted);
  return fits;
}

static gboolean
on_stop_signal_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_printerr ("gongkai-portal: %s\n", message);
  g_printerr (_("Run “gongkai-portal --help” for the options.\n"));
  return 2;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkpStore) store = NULL;
  g_autoptr(GkpServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *token = NULL;
  g_autofree char *readonly_token = NULL;
  g_autofree char *base_path = NULL;
  g_autofree char *public_url = NULL;
  GkpServerOptions options = { 0 };
  guint sigint_id, sigterm_id;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("GONGKAI_LOCALEDIR") ? g_getenv ("GONGKAI_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Reference receiver of the portal ingestion API (portal-api.md), "
                                  "with the public pages a citizen sees, for the demo and the tests."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);

  if (opt_version)
    {
      printf ("gongkai-portal %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (opt_data == NULL)
    return usage_error (context, _("The --data folder is required."));
  if (opt_port < 0 || opt_port > 65535)
    return usage_error (context, _("The port must be between 0 and 65535."));
  if (opt_max_file_bytes < 1)
    return usage_error (context, _("--max-file-bytes must be at least 1."));
  if (opt_max_connections < 0)
    return usage_error (context, _("--max-connections-per-token must not be negative."));
  if (!(opt_idle_timeout >= 0.001 && opt_idle_timeout <= MAX_TIMEOUT))
    return usage_error (context, _("--idle-timeout must be between 0.001 and 86400 seconds."));
  if (!(opt_request_timeout >= 0.001 && opt_request_timeout <= MAX_TIMEOUT))
    return usage_error (context, _("--request-timeout must be between 0.001 and 86400 seconds."));
  if (opt_max_clients < 1)
    return usage_error (context, _("--max-clients must be at least 1."));

  base_path = normalize_base_path (opt_base_path != NULL ? opt_base_path : "/api/v1");
  if (base_path == NULL)
    return usage_error (context, _("--base-path must be an absolute path other than / and /docs."));
  if (opt_public_url != NULL && (public_url = normalize_public_url (opt_public_url)) == NULL)
    return usage_error (context, _("--public-url must be an absolute http(s) URL."));

  if (opt_token_file != NULL)
    {
      token = read_token (opt_token_file, &error);
      if (token == NULL)
        return usage_error (context, error->message);
    }
  else if (g_getenv ("GONGKAI_PORTAL_TOKEN") != NULL)
    {
      token = g_strstrip (g_strdup (g_getenv ("GONGKAI_PORTAL_TOKEN")));
      if (!is_valid_token (token))
        return usage_error (context, _("$GONGKAI_PORTAL_TOKEN is empty or has spaces or control "
                                       "characters."));
    }
  else
    return usage_error (context, _("No token: give --token-file or set $GONGKAI_PORTAL_TOKEN."));

  if (opt_readonly_token_file != NULL)
    {
      readonly_token = read_token (opt_readonly_token_file, &error);
      if (readonly_token == NULL)
        return usage_error (context, error->message);
      if (strcmp (readonly_token, token) == 0)
        return usage_error (context, _("The read-only token must differ from the publishing token."));
    }

  store = gkp_store_open (opt_data, &error);
  if (store == NULL)
    {
      g_printerr (_("gongkai-portal: cannot open the data folder: %s\n"), error->message);
      return 1;
    }

  options.token = token;
  options.readonly_token = readonly_token;
  options.base_path = base_path;
  options.public_url = public_url;
  options.max_file_bytes = (guint64) opt_max_file_bytes;
  options.max_connections_per_token = (guint) opt_max_connections;
  options.idle_timeout_ms = (guint) (opt_idle_timeout * 1000 + 0.5);
  options.request_timeout_ms = (guint) (opt_request_timeout * 1000 + 0.5);
  options.max_clients = fit_max_clients ((guint) opt_max_clients);
  server = gkp_server_new (store, &options);
  if (!gkp_server_listen (server, opt_address != NULL ? opt_address : "127.0.0.1",
                          (guint) opt_port, &error))
    {
      g_printerr (_("gongkai-portal: cannot listen: %s\n"), error->message);
      return 1;
    }

  if (opt_port_file != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%u\n", gkp_server_get_port (server));

      if (!g_file_set_contents (opt_port_file, text, -1, &error))
        {
          g_printerr (_("gongkai-portal: cannot write the port file: %s\n"), error->message);
          return 1;
        }
    }

  printf (_("Portal: %s/\n"), gkp_server_get_public_url (server));
  printf (_("API base URL: %s%s\n"), gkp_server_get_local_url (server), base_path);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_stop_signal_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_stop_signal_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  g_clear_pointer (&server, gkp_server_free);
  g_clear_pointer (&store, gkp_store_free);
  if (opt_port_file != NULL)
    g_remove (opt_port_file);
  return 0;
}
