/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiPublish"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "gk-app-util.h"
#include "gk-conflict-dialog.h"
#include "gk-portal-client.h"
#include "gk-publish-page.h"
#include "gk-reason-dialog.h"
#include "gk-store-async.h"
#include "gk-store-sync.h"
#include "gk-sync.h"
#include "gk-token.h"
#include "gk-util.h"
#include "gk-workflow.h"

/* The most recent ones, each with its Withdraw button; the sidebar's
 * "Published" view lists (and searches) them all.  Kept short: the
 * group is rebuilt after each run. */
#define MAX_PUBLISHED_ROWS 20

typedef void (*TokenFunc) (GkPublishPage *self,
                           char          *token,   /* owned, wipe with gk_token_free */
                           const GError  *error,
                           gpointer       user_data);

struct _GkPublishPage
{
  AdwBin          parent_instance;

  GkContext      *context;
  GkStore        *store;
  gulong          items_changed_id;
  gulong          library_changed_id;
  GCancellable   *cancellable;        /* the store reads, cancelled with the store or at dispose */
  guint           n_reads;            /* reads of a reload in flight... */
  gboolean        reload_again;       /* ...and a change came meanwhile */
  gboolean        stale;              /* the library changed while the page was not shown */
  gboolean        report_wants_token; /* the report says a token is missing: gone once one is */
  GCancellable   *unlock_cancellable; /* the keyring's unlock, cancelled at dispose */
  char           *portal_url;         /* the library settings, as last read */
  char           *portal_ca_file;
  gboolean        settings_read;
  guint           waiting_publishable; /* between the two reads of reload_waiting */
  GPtrArray      *conflict_jobs;      /* GkSyncJob, between the reads of reload_conflicts */
  GPtrArray      *published_items;    /* GkItem, between the reads of reload_published */
  guint           published_total;
  GkSync         *sync;
  guint           n_running;

  GtkWidget      *toast_overlay;

  /* portal */
  GtkWidget      *portal_group;
  GtkWidget      *url_row;
  GtkWidget      *ca_row;
  GtkWidget      *ca_choose_button;
  GtkWidget      *ca_clear_button;
  GtkWidget      *settings_problem_row; /* why the address or CA file was refused */
  GtkWidget      *token_row;
  GtkWidget      *token_status_row;
  GtkWidget      *token_forget_button;
  GtkWidget       *token_unlock_button; /* the keyring is locked (after a restart) */
  char           *last_error_text;
  GtkWidget      *test_row;
  GtkWidget      *test_button;
  GtkWidget      *test_spinner;
  char           *test_result;
  char           *session_token;      /* typed here; wiped on dispose */
  char           *session_token_url;
  gboolean        token_in_keyring;
  GCancellable   *token_cancellable;
  GCancellable   *health_cancellable;
  GtkNativeDialog *ca_chooser;

  /* publishing */
  GtkWidget      *publish_group;
  GtkWidget      *waiting_row;
  GtkWidget      *publish_button;
  GtkWidget      *cancel_button;
  GtkWidget      *progress_bar;
  GtkWidget      *report_label;
  GtkWidget      *report_unlock_button; /* the report says the keyring is locked */
  GtkWidget      *results_list; /* a GtkListView: a batch may have thousands */
  GtkWidget      *results_scroller;
  GListStore     *results;          /* GkPublishResult, in the order they finished */
  GHashTable     *result_positions; /* id → position in results + 1 */
  GCancellable   *sync_cancellable;
  gboolean        syncing;
  char           *report_summary;

  /* conflicts and published documents */
  GtkWidget      *conflicts_group;
  GPtrArray      *conflict_rows;
  GtkWidget      *published_group;
  GPtrArray      *published_rows;
  GHashTable     *withdrawing;        /* ids whose withdrawal is being sent */
  GCancellable   *withdraw_cancellable;
  gboolean        disposed;           /* a withdrawal may end after the page is gone */
};

G_DEFINE_FINAL_TYPE (GkPublishPage, gk_publish_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (GkPublishPage *self);
static void refresh_token_status (GkPublishPage *self);
static void clear_token_report (GkPublishPage *self);

/* helpers */

/* One item's result in the batch's list (a GListModel needs objects). */
#define GK_TYPE_PUBLISH_RESULT (gk_publish_result_get_type ())
G_DECLARE_FINAL_TYPE (GkPublishResult, gk_publish_result, GK, PUBLISH_RESULT, GObject)

struct _GkPublishResult
{
  GObject           parent_instance;
  GkSyncItemResult *result;
};

G_DEFINE_FINAL_TYPE (GkPublishResult, gk_publish_result, G_TYPE_OBJECT)

static void
gk_publish_result_finalize (GObject *object)
{
  g_clear_pointer (&GK_PUBLISH_RESULT (object)->result, gk_sync_item_result_free);
  G_OBJECT_CLASS (gk_publish_result_parent_class)->finalize (object);
}

static void
gk_publish_result_class_init (GkPublishResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gk_publish_result_finalize;
}

static void
gk_publish_result_init (GkPublishResult *self)
{
}

static GkPublishResult *
gk_publish_result_new (const GkSyncItemResult *result)
{
  GkPublishResult *self = g_object_new (GK_TYPE_PUBLISH_RESULT, NULL);

  self->result = gk_sync_item_result_copy (result);
  return self;
}

static GtkWindow *
get_parent_window (GkPublishPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_toast (GkPublishPage *self,
            const char    *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), toast);
}

static void
begin_running (GkPublishPage *self)
{
  if (self->n_running++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
end_running (GkPublishPage *self)
{
  g_return_if_fail (self->n_running > 0);

  if (--self->n_running == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* A core error with the window's remedy (gk_context_error_text()); the
 * string lives as long as the page's last such message. */
/* The policy's answer (gk-policy.h); why (optional): its reason. */
static gboolean
may (GkPublishPage *self,
     GkAction       action,
     char         **why)
{
  return gk_context_can (self->context, action, NULL, why);
}

static gboolean
is_keyring_locked (const GError *error)
{
  return gk_error_get_detail (error) == GK_ERROR_DETAIL_KEYRING_LOCKED;
}

static const char *
error_text (GkPublishPage *self, const GError *error)
{
  GkErrorDetail detail = gk_error_get_detail (error);

  g_free (self->last_error_text);
  /* Advice the acting member can follow: only an admin stores the
   * token, so a publisher is told who does it. */
  if ((detail == GK_ERROR_DETAIL_NO_TOKEN || detail == GK_ERROR_DETAIL_KEYRING_UNAVAILABLE) &&
      !may (self, GK_ACTION_STORE_TOKEN, NULL))
    self->last_error_text = g_strdup_printf (
        "%s %s", error->message,
        _ ("An admin enters the access token under Portal on this page; then you can publish."));
  else
    self->last_error_text = gk_context_error_text (error);
  return self->last_error_text;
}

static gboolean
may_publish (GkPublishPage *self)
{
  return may (self, GK_ACTION_PUBLISH, NULL);
}

/* The portal address and CA file as last read (reload() reads them
 * again). */
static char *
get_setting (GkPublishPage *self,
             const char    *key)
{
  if (self->store == NULL)
    return NULL;
  if (g_strcmp0 (key, "portal_url") == 0)
    return g_strdup (self->portal_url);
  if (g_strcmp0 (key, "portal_ca_file") == 0)
    return g_strdup (self->portal_ca_file);
  g_return_val_if_reached (NULL);
}

static gboolean
get_allow_insecure (GkPublishPage *self)
{
  GSettings *settings = gk_context_get_settings (self->context);

  return settings != NULL && g_settings_get_boolean (settings, "portal-allow-insecure");
}

static guint
get_concurrency (GkPublishPage *self)
{
  GSettings *settings = gk_context_get_settings (self->context);

  return settings != NULL ? (guint) CLAMP (g_settings_get_int (settings, "sync-concurrency"), 1, 16) : 4;
}

static const char *
item_title (GkItem *item)
{
  if (!gk_str_is_blank (item->title))
    return item->title;
  if (!gk_str_is_blank (item->file_name))
    return item->file_name;
  return item->id;
}

static void
on_open_clicked_cb (GtkButton     *button,
                    GkPublishPage *self)
{
  const char *uri = g_object_get_data (G_OBJECT (button), "uri");

  if (!gk_show_web_link (GTK_WIDGET (self), uri))
    show_toast (self, _("That address is not a web page (http or https); it is not opened."));
}

/* Only for an http(s) address (else NULL): what the portal sends is
 * checked, but a library may hold an older, unchecked one. */
static GtkWidget *
new_open_button (GkPublishPage *self,
                 const char    *id,
                 const char    *uri)
{
  g_autofree char *name = NULL;
  g_autofree char *tooltip = NULL;
  GtkWidget *button;

  if (!gk_url_is_http (uri))
    return NULL;
  button = gtk_button_new_from_icon_name ("web-browser-symbolic");
  name = g_strdup_printf ("open:%s", id);
  tooltip = g_strdup_printf (_("Open %s in the browser"), uri);
  gtk_widget_set_name (button, name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  g_object_set_data_full (G_OBJECT (button), "uri", g_strdup (uri), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_open_clicked_cb), self, 0);
  return button;
}

static void
remove_rows (AdwPreferencesGroup *group,
             GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
new_row (const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  return row;
}

/* The token: $GONGKAI_PORTAL_TOKEN, then one typed in this window, then
 * the keyring entry of the portal's address. */

typedef struct
{
  GkPublishPage *self;
  TokenFunc      func;
  gpointer       user_data;
} TokenRequest;

static void
on_token_looked_up_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  TokenRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  char *token = gk_token_keyring_lookup_finish (result, &error);

  if (token == NULL && error == NULL)
    gk_set_error_detail (&error, GK_ERROR_PERMISSION, GK_ERROR_DETAIL_NO_TOKEN, "%s",
                         _ ("No portal token is saved for this portal."));
  request->func (request->self, token, error, request->user_data);
  end_running (request->self);
  g_object_unref (request->self);
  g_free (request);
}

static void
fetch_token (GkPublishPage *self,
             TokenFunc      func,
             gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = get_setting (self, "portal_url");
  char *token;
  TokenRequest *request;

  token = gk_token_from_environment (&error);
  if (token != NULL || error != NULL)
    {
      func (self, token, error, user_data);
      return;
    }
  if (self->session_token != NULL && g_strcmp0 (self->session_token_url, url) == 0)
    {
      func (self, g_strdup (self->session_token), NULL, user_data);
      return;
    }
  if (gk_str_is_blank (url))
    {
      g_set_error_literal (&error, GK_ERROR, GK_ERROR_INVALID,
                           _("Set the portal address first."));
      func (self, NULL, error, user_data);
      return;
    }

  request = g_new0 (TokenRequest, 1);
  request->self = g_object_ref (self);
  request->func = func;
  request->user_data = user_data;
  begin_running (self);
  gk_token_keyring_lookup_async (url, NULL, on_token_looked_up_cb, request);
}

static void
set_token_status (GkPublishPage *self,
                  const char    *status,
                  gboolean       can_forget)
{
  g_autofree char *why = NULL;
  gboolean may_forget = may (self, GK_ACTION_FORGET_TOKEN, &why);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->token_status_row), status);
  gtk_widget_set_visible (self->token_unlock_button, FALSE);
  gtk_widget_set_visible (self->token_forget_button, can_forget);
  gtk_widget_set_sensitive (self->token_forget_button, can_forget && may_forget);
  gtk_widget_set_tooltip_text (self->token_forget_button,
                               may_forget ? _("Remove the token from the keyring") : why);
}

static void
on_token_status_looked_up_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GkPublishPage) self = user_data;
  g_autoptr(GError) error = NULL;
  char *token = gk_token_keyring_lookup_finish (result, &error);

  end_running (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->token_in_keyring = token != NULL;
  if (token != NULL)
    {
      set_token_status (self, _ ("Saved in the keyring."), TRUE);
      /* Unlocked, or saved by another program: a report that asked for
       * a token no longer applies. */
      clear_token_report (self);
    }
  else if (is_keyring_locked (error))
    {
      set_token_status (self, _ ("The keyring is locked."), FALSE);
      gtk_widget_set_visible (self->token_unlock_button, TRUE);
    }
  else if (error != NULL)
    set_token_status (self, error_text (self, error), FALSE);
  else
    set_token_status (self, _("No token is saved for this portal yet."), FALSE);
  gk_token_free (token);
}

static void
refresh_token_status (GkPublishPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = get_setting (self, "portal_url");
  char *env = gk_token_from_environment (&error);

  g_cancellable_cancel (self->token_cancellable);
  g_clear_object (&self->token_cancellable);

  if (env != NULL || error != NULL)
    {
      g_autofree char *text = NULL;

      if (env != NULL)
        text = g_strdup_printf (_("Taken from the %s environment variable."), GK_TOKEN_ENV);
      gk_token_free (env);
      set_token_status (self, text ? text : error->message, FALSE);
      return;
    }
  if (self->session_token != NULL && g_strcmp0 (self->session_token_url, url) == 0)
    {
      set_token_status (self, self->token_in_keyring
                              ? _("Saved in the keyring.")
                              : _("Kept until this window closes: the keyring is not available."),
                        TRUE);
      return;
    }
  if (gk_str_is_blank (url))
    {
      set_token_status (self, _("Set the portal address first."), FALSE);
      return;
    }
  set_token_status (self, _("Looking in the keyring…"), FALSE);
  self->token_cancellable = g_cancellable_new ();
  begin_running (self);
  gk_token_keyring_lookup_async (url, self->token_cancellable,
                                 on_token_status_looked_up_cb, g_object_ref (self));
}

static void
on_token_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GkPublishPage) self = user_data;
  g_autoptr(GError) error = NULL;

  end_running (self);
  self->token_in_keyring = gk_token_keyring_store_finish (result, &error);
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The token is kept until this window closes. %s"),
                                               error->message);

      show_toast (self, text);
    }
  else
    show_toast (self, _("The portal token is saved in the keyring."));
  refresh_token_status (self);
}

static void
on_token_applied_cb (AdwEntryRow   *row,
                     GkPublishPage *self)
{
  g_autofree char *url = get_setting (self, "portal_url");
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  /* Never shown again: the entry is emptied whatever happens next. */
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  if (gk_str_is_blank (url))
    {
      show_toast (self, _("Set the portal address first: the token is saved for that address."));
      gk_token_free (g_steal_pointer (&typed));
      return;
    }
  if (!gk_token_is_valid (typed))
    {
      show_toast (self, _("That is not a usable token: it must be 1 to 4096 visible ASCII "
                          "characters without spaces."));
      gk_token_free (g_steal_pointer (&typed));
      return;
    }

  g_clear_pointer (&self->session_token, gk_token_free);
  self->session_token = g_steal_pointer (&typed);
  clear_token_report (self);
  g_free (self->session_token_url);
  self->session_token_url = g_strdup (url);
  self->token_in_keyring = FALSE;
  set_token_status (self, _("Saving in the keyring…"), FALSE);
  begin_running (self);
  {
    g_autoptr(GkMember) member = gk_context_get_member (self->context);

    gk_token_keyring_store_async (member, url, self->session_token, NULL, on_token_stored_cb,
                                  g_object_ref (self));
  }
}

static void
on_token_cleared_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GkPublishPage) self = user_data;
  g_autoptr(GError) error = NULL;

  end_running (self);
  if (!gk_token_keyring_clear_finish (result, &error))
    show_toast (self, error_text (self, error));
  else
    show_toast (self, _("The portal token is forgotten."));
  refresh_token_status (self);
}

static void
on_token_forget_clicked_cb (GtkButton     *button,
                            GkPublishPage *self)
{
  g_autofree char *url = get_setting (self, "portal_url");

  g_clear_pointer (&self->session_token, gk_token_free);
  g_clear_pointer (&self->session_token_url, g_free);
  self->token_in_keyring = FALSE;
  if (gk_str_is_blank (url))
    {
      refresh_token_status (self);
      return;
    }
  begin_running (self);
  {
    g_autoptr(GkMember) member = gk_context_get_member (self->context);

    /* The keyring refuses a member who may not (the button is grey for
     * them; the core says no all the same). */
    gk_token_keyring_clear_async (member, url, NULL, on_token_cleared_cb, g_object_ref (self));
  }
}

/* "Unlock…": the keyring asks for its password in its own prompt; the
 * page then reads the token again (refresh_token_status()), which clears
 * a report that asked for one.  A dismissed prompt leaves the message as
 * it is. */

static void
set_unlocking (GkPublishPage *self, gboolean unlocking)
{
  gtk_widget_set_sensitive (self->token_unlock_button, !unlocking);
  gtk_widget_set_sensitive (self->report_unlock_button, !unlocking);
}

static void
on_keyring_unlocked_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GkPublishPage) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean unlocked = gk_token_keyring_unlock_finish (result, &error);

  end_running (self);
  if (self->disposed)
    return;
  g_clear_object (&self->unlock_cancellable);
  set_unlocking (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!unlocked)
    show_toast (self, error_text (self, error));
  refresh_token_status (self);
}

static void
on_unlock_clicked_cb (GtkButton *button, GkPublishPage *self)
{
  g_autofree char *url = get_setting (self, "portal_url");

  if (gk_str_is_blank (url) || self->unlock_cancellable != NULL)
    return;
  set_unlocking (self, TRUE);
  self->unlock_cancellable = g_cancellable_new ();
  begin_running (self);
  gk_token_keyring_unlock_async (url, self->unlock_cancellable, on_keyring_unlocked_cb,
                                 g_object_ref (self));
}

/* Portal address and CA file (library settings: admins only).  The
 * store checks them with the sync's rules; a refusal stays in view under
 * the rows until a value is saved. */

static void
show_settings_problem (GkPublishPage *self,
                       GtkWidget     *row,
                       const char    *problem)
{
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->settings_problem_row), problem ? problem : "");
  gtk_widget_set_visible (self->settings_problem_row, problem != NULL);
  gtk_widget_remove_css_class (self->url_row, "error");
  gtk_widget_remove_css_class (self->ca_row, "error");
  if (problem != NULL && row != NULL)
    gtk_widget_add_css_class (row, "error");
}

typedef struct
{
  GkPublishPage *self;
  char          *value;
} SettingRequest;

static void
setting_request_free (SettingRequest *request)
{
  g_clear_object (&request->self);
  g_free (request->value);
  g_free (request);
}

static void
on_url_saved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SettingRequest *request = user_data;
  GkPublishPage *self = request->self;
  g_autoptr(GError) error = NULL;

  end_running (self);
  if (!gk_store_set_setting_finish (GK_STORE (source), result, &error))
    show_settings_problem (self, self->url_row, error_text (self, error));
  else if (GK_STORE (source) == self->store)
    {
      show_settings_problem (self, NULL, NULL);
      g_free (self->portal_url);
      self->portal_url = gk_str_is_blank (request->value) ? NULL : g_strdup (request->value);
      g_clear_pointer (&self->test_result, g_free);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->test_row), _("Not tested yet."));
      show_toast (self, _("The portal address is saved."));
      reload (self);
      refresh_token_status (self);
    }
  setting_request_free (request);
}

static void
on_url_applied_cb (AdwEntryRow   *row,
                   GkPublishPage *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  SettingRequest *request;

  if (self->store == NULL)
    return;
  request = g_new0 (SettingRequest, 1);
  request->self = g_object_ref (self);
  request->value = g_strdup (url);
  begin_running (self);
  gk_store_set_setting_async (self->store, gk_context_get_user (self->context), "portal_url", url,
                              get_allow_insecure (self) ? GK_SETTING_ALLOW_INSECURE : GK_SETTING_FLAGS_NONE,
                              NULL, on_url_saved_cb, request);
}

static void
on_ca_file_saved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SettingRequest *request = user_data;
  GkPublishPage *self = request->self;
  g_autoptr(GError) error = NULL;

  end_running (self);
  if (!gk_store_set_setting_finish (GK_STORE (source), result, &error))
    show_settings_problem (self, self->ca_row, error_text (self, error));
  else if (GK_STORE (source) == self->store)
    {
      show_settings_problem (self, NULL, NULL);
      g_free (self->portal_ca_file);
      self->portal_ca_file = g_strdup (request->value);
      reload (self);
    }
  setting_request_free (request);
}

static void
set_ca_file (GkPublishPage *self,
             const char    *path)
{
  SettingRequest *request;

  if (self->store == NULL)
    return;
  request = g_new0 (SettingRequest, 1);
  request->self = g_object_ref (self);
  request->value = g_strdup (path);
  begin_running (self);
  gk_store_set_setting_async (self->store, gk_context_get_user (self->context), "portal_ca_file", path,
                              GK_SETTING_FLAGS_NONE, NULL, on_ca_file_saved_cb, request);
}

static void
on_ca_chooser_response_cb (GtkNativeDialog *chooser,
                           int              response,
                           GkPublishPage   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        set_ca_file (self, path);
    }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->ca_chooser);
}

static void
on_ca_choose_clicked_cb (GtkButton     *button,
                         GkPublishPage *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->ca_chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Choose the Agency’s CA Certificate"),
                                         get_parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_pattern (filter, "*.cer");
  gtk_file_filter_add_mime_type (filter, "application/x-x509-ca-cert");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_ca_chooser_response_cb), self, 0);
  self->ca_chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->ca_chooser);
}

static void
on_ca_clear_clicked_cb (GtkButton     *button,
                        GkPublishPage *self)
{
  set_ca_file (self, NULL);
}

/* Test connection: GET /health with the token. */

typedef struct
{
  GkPublishPage  *self;
  GkPortalClient *client;
} HealthRequest;

static void
finish_test (GkPublishPage *self,
             const char    *text,
             gboolean       ok)
{
  g_free (self->test_result);
  self->test_result = g_strdup (text);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->test_row), text);
  gtk_spinner_set_spinning (GTK_SPINNER (self->test_spinner), FALSE);
  gtk_widget_set_visible (self->test_spinner, FALSE);
  gtk_widget_set_sensitive (self->test_button, TRUE);
  if (ok)
    {
      gtk_widget_remove_css_class (self->test_row, "error");
      gtk_widget_add_css_class (self->test_row, "success");
    }
  else
    {
      gtk_widget_remove_css_class (self->test_row, "success");
      gtk_widget_add_css_class (self->test_row, "error");
    }
}

static void
on_health_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  HealthRequest *request = user_data;
  GkPublishPage *self = request->self;
  g_autoptr(GError) error = NULL;
  gint64 max_bytes = 0;

  if (gk_portal_client_health_finish (GK_PORTAL_CLIENT (source), result, &max_bytes, &error))
    {
      g_autofree char *size = gk_format_byte_limit (max_bytes);
      g_autofree char *text = NULL;

      if (max_bytes > 0)
        text = g_strdup_printf (_("Connected. The portal accepts the token and files of up to %s."), size);
      else
        text = g_strdup (_("Connected. The portal accepts the token."));
      finish_test (self, text, TRUE);
      clear_token_report (self);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    finish_test (self, error_text (self, error), FALSE);
  else
    finish_test (self, _("The test was cancelled."), FALSE);

  end_running (self);
  g_object_unref (request->client);
  g_object_unref (request->self);
  g_free (request);
}

static void
on_test_token_cb (GkPublishPage *self,
                  char          *token,
                  const GError  *token_error,
                  gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = get_setting (self, "portal_url");
  g_autofree char *ca_file = get_setting (self, "portal_ca_file");
  GkPortalClientOptions options = { 0 };
  GkPortalClient *client;
  HealthRequest *request;

  if (token == NULL)
    {
      finish_test (self, token_error ? error_text (self, token_error) : _("No portal token."), FALSE);
      return;
    }
  options.ca_file = ca_file;
  options.allow_insecure = get_allow_insecure (self);
  options.connect_timeout_ms = 10000;
  options.response_timeout_ms = 20000;
  client = gk_portal_client_new (url, token, &options, &error);
  gk_token_free (token);
  if (client == NULL)
    {
      finish_test (self, error_text (self, error), FALSE);
      return;
    }

  g_cancellable_cancel (self->health_cancellable);
  g_clear_object (&self->health_cancellable);
  self->health_cancellable = g_cancellable_new ();
  request = g_new0 (HealthRequest, 1);
  request->self = g_object_ref (self);
  request->client = client;
  begin_running (self);
  gk_portal_client_health_async (client, self->health_cancellable, on_health_cb, request);
}

static void
on_test_clicked_cb (GtkButton     *button,
                    GkPublishPage *self)
{
  gk_publish_page_test_connection (self);
}

/* Publishing */

static char *
describe_fields (JsonNode *fields)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *array;

  if (fields == NULL || !JSON_NODE_HOLDS_ARRAY (fields))
    return NULL;
  array = json_node_get_array (fields);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      const char *field, *problem;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      object = json_node_get_object (element);
      field = json_object_get_string_member_with_default (object, "field", "");
      problem = json_object_get_string_member_with_default (object, "problem", "");
      if (text->len > 0)
        g_string_append (text, _("; "));
      /* Translators: a field the portal refused and why */
      g_string_append_printf (text, _("%s: %s"),
                              gk_item_field_label (field) ? gk_item_field_label (field) : field,
                              problem);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static char *
describe_result (const GkSyncItemResult *result)
{
  g_autofree char *fields = NULL;
  const char *url = gk_url_is_http (result->public_url) ? result->public_url : NULL;

  switch (result->outcome)
    {
    case GK_SYNC_OUTCOME_PUBLISHED:
      return g_strdup_printf (_("Published (revision %" PRId64 ") at %s"),
                              result->revision, url ? url : _("the portal"));
    case GK_SYNC_OUTCOME_UPDATED:
      return g_strdup_printf (_("Updated to revision %" PRId64 " at %s"),
                              result->revision, url ? url : _("the portal"));
    case GK_SYNC_OUTCOME_WITHDRAWN:
      return g_strdup (_("Withdrawn from the portal."));
    case GK_SYNC_OUTCOME_CONFLICT:
      return g_strdup (_("The portal’s copy changed since this workstation last wrote it. "
                         "An admin decides under “Conflicts” which version stays public."));
    case GK_SYNC_OUTCOME_REFUSED:
      fields = describe_fields (result->fields);
      return g_strdup_printf (_("Refused by the portal: %s%s%s"),
                              result->message ? result->message : "",
                              fields ? " — " : "", fields ? fields : "");
    case GK_SYNC_OUTCOME_FAILED:
      return g_strdup_printf (_("Failed: %s It is sent again at the next run."),
                              result->message ? result->message : "");
    case GK_SYNC_OUTCOME_SKIPPED:
    default:
      return g_strdup_printf (_("Skipped: %s"), result->message ? result->message : "");
    }
}

/* A list view asks its scrolled window for the room of the rows it has
 * built, not of all its items: the results get the height of their
 * rows, up to a screenful, then scroll. */
#define RESULT_ROW_HEIGHT 54
#define RESULT_ROWS_SHOWN 7

static void
fit_results (GkPublishPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  int   height = (int) MIN (n, RESULT_ROWS_SHOWN) * RESULT_ROW_HEIGHT;

  gtk_widget_set_visible (self->results_scroller, n > 0);
  /* Min never above max: lifted first, set in that order. */
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (self->results_scroller), -1);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (self->results_scroller), height);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (self->results_scroller), height);
}

static void
show_result (GkPublishPage          *self,
             const GkSyncItemResult *result)
{
  g_autoptr (GkPublishResult) entry = gk_publish_result_new (result);
  guint position = GPOINTER_TO_UINT (g_hash_table_lookup (self->result_positions, result->id));

  /* An item met twice (a retry after a conflict check) keeps its place. */
  if (position > 0)
    g_list_store_splice (self->results, position - 1, 1, (gpointer *) &entry, 1);
  else
    {
      g_list_store_append (self->results, entry);
      g_hash_table_insert (
          self->result_positions, g_strdup (result->id),
          GUINT_TO_POINTER (g_list_model_get_n_items (G_LIST_MODEL (self->results))));
    }
  fit_results (self);
}

/* The rows of the results list: built once per visible row, bound to
 * each result as it scrolls by. */
static void
on_result_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, GkPublishPage *self)
{
  /* Plain boxes and one-line labels (the whole text in the tooltip): a
   * list view keeps a couple of hundred rows alive and lays them all out
   * at every frame, and wrapped labels make each layout a
   * height-for-width measure. */
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gk_row_label_new ();
  GtkWidget *subtitle = gk_row_label_new ();
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *open = gtk_button_new_from_icon_name ("web-browser-symbolic");

  gtk_widget_set_margin_start (row, 12);
  gtk_widget_set_margin_end (row, 12);
  gtk_widget_set_margin_top (row, 8);
  gtk_widget_set_margin_bottom (row, 8);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), subtitle);
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (open, "flat");
  g_signal_connect_object (open, "clicked", G_CALLBACK (on_open_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), texts);
  gtk_box_append (GTK_BOX (row), open);
  g_object_set_data (G_OBJECT (row), "icon", icon);
  g_object_set_data (G_OBJECT (row), "title", title);
  g_object_set_data (G_OBJECT (row), "subtitle", subtitle);
  g_object_set_data (G_OBJECT (row), "open", open);
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_child (list_item, row);
}

static void
on_result_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, GkPublishPage *self)
{
  static const char *const styles[] = { "success", "warning", "error", "dim-label" };
  const GkSyncItemResult  *result = GK_PUBLISH_RESULT (gtk_list_item_get_item (list_item))->result;
  GtkWidget               *row = gtk_list_item_get_child (list_item);
  GtkWidget               *icon = g_object_get_data (G_OBJECT (row), "icon");
  GtkWidget               *open = g_object_get_data (G_OBJECT (row), "open");
  g_autofree char *subtitle = describe_result (result);
  g_autofree char *title = g_strdup_printf ("%s — %s", gk_sync_outcome_to_label (result->outcome),
                                            result->title ? result->title : result->id);
  const char *icon_name = "object-select-symbolic";
  const char *style = "success";
  gboolean         linked = (result->outcome == GK_SYNC_OUTCOME_PUBLISHED ||
                     result->outcome == GK_SYNC_OUTCOME_UPDATED) &&
                    gk_url_is_http (result->public_url);

  switch (result->outcome)
    {
    case GK_SYNC_OUTCOME_CONFLICT:
      icon_name = "dialog-warning-symbolic";
      style = "warning";
      break;
    case GK_SYNC_OUTCOME_REFUSED:
    case GK_SYNC_OUTCOME_FAILED:
      icon_name = "dialog-error-symbolic";
      style = "error";
      break;
    case GK_SYNC_OUTCOME_SKIPPED:
      icon_name = "media-skip-forward-symbolic";
      style = "dim-label";
      break;
    case GK_SYNC_OUTCOME_PUBLISHED:
    case GK_SYNC_OUTCOME_UPDATED:
    case GK_SYNC_OUTCOME_WITHDRAWN:
    default:
      break;
    }
  {
    GtkWidget       *title_label = g_object_get_data (G_OBJECT (row), "title");
    GtkWidget       *subtitle_label = g_object_get_data (G_OBJECT (row), "subtitle");
    g_autofree char *whole = g_strdup_printf ("%s\n%s", title, subtitle);

    gtk_label_set_text (GTK_LABEL (title_label), title);
    gtk_label_set_text (GTK_LABEL (subtitle_label), subtitle);
    gk_widget_set_row_tooltip (row, whole);
  }
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), icon_name);
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (icon, styles[i]);
  gtk_widget_add_css_class (icon, style);

  gtk_widget_set_visible (open, linked);
  if (linked)
    {
      g_autofree char *name = g_strdup_printf ("open:%s", result->id);
      g_autofree char *tooltip = g_strdup_printf (_ ("Open %s in the browser"), result->public_url);

      gtk_widget_set_name (open, name);
      gk_widget_set_row_tooltip (open, tooltip);
      g_object_set_data_full (G_OBJECT (open), "uri", g_strdup (result->public_url), g_free);
    }
}

static void
on_sync_progress_cb (const GkSyncItemResult *result,
                     guint                   n_done,
                     guint                   n_total,
                     gpointer                user_data)
{
  GkPublishPage *self = user_data;
  g_autofree char *text = NULL;

  /* Translators: publishing progress, "3 of 10" */
  text = g_strdup_printf (_("%u of %u"), n_done, n_total);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar),
                                 n_total > 0 ? (double) n_done / n_total : 1.0);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), text);
  show_result (self, result);
}

/* A batch that ended, or never started, with @text as its only report. */
static void
show_publish_failure (GkPublishPage *self, const char *text, gboolean wants_token)
{
  g_free (self->report_summary);
  self->report_summary = g_strdup (text);
  self->report_wants_token = wants_token;
  gtk_widget_set_visible (self->report_unlock_button, FALSE);
  gtk_label_set_text (GTK_LABEL (self->report_label), text);
  gtk_widget_add_css_class (self->report_label, "error");
  gtk_widget_set_visible (self->report_label, TRUE);
  gtk_widget_set_visible (self->progress_bar, FALSE);
}

/* A token was saved, or the portal just accepted one: a report that
 * asked for one no longer applies. */
static void
clear_token_report (GkPublishPage *self)
{
  if (!self->report_wants_token)
    return;
  self->report_wants_token = FALSE;
  g_clear_pointer (&self->report_summary, g_free);
  gtk_widget_set_visible (self->report_label, FALSE);
  gtk_widget_set_visible (self->report_unlock_button, FALSE);
}

/* No token for the batch: said in the report, with "Unlock…" when the
 * keyring that holds it is locked. */
static void
show_token_failure (GkPublishPage *self, const GError *token_error)
{
  show_publish_failure (self, token_error ? error_text (self, token_error) : _ ("No portal token."),
                        TRUE);
  gtk_widget_set_visible (self->report_unlock_button, is_keyring_locked (token_error));
}

static void
set_syncing (GkPublishPage *self,
             gboolean       syncing)
{
  self->syncing = syncing;
  gtk_widget_set_visible (self->cancel_button, syncing);
  gtk_widget_set_sensitive (self->publish_button, !syncing && may_publish (self) && self->store != NULL);
  if (syncing)
    {
      gtk_widget_set_visible (self->progress_bar, TRUE);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0);
      gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), _("Preparing the batch…"));
    }
}

static void
show_report (GkPublishPage      *self,
             const GkSyncReport *report)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_printf (text,
                   /* Translators: the batch report */
                   _("Published %u · Updated %u · Withdrawn %u · Conflicts %u · Refused %u · Failed %u"),
                   gk_sync_report_count (report, GK_SYNC_OUTCOME_PUBLISHED),
                   gk_sync_report_count (report, GK_SYNC_OUTCOME_UPDATED),
                   gk_sync_report_count (report, GK_SYNC_OUTCOME_WITHDRAWN),
                   gk_sync_report_count (report, GK_SYNC_OUTCOME_CONFLICT),
                   gk_sync_report_count (report, GK_SYNC_OUTCOME_REFUSED),
                   gk_sync_report_count (report, GK_SYNC_OUTCOME_FAILED));
  if (gk_sync_report_count (report, GK_SYNC_OUTCOME_SKIPPED) > 0)
    g_string_append_printf (text, _(" · Skipped %u"), gk_sync_report_count (report, GK_SYNC_OUTCOME_SKIPPED));
  g_free (self->report_summary);
  self->report_summary = g_strdup (text->str);

  if (report->results->len == 0 && !report->stopped)
    g_string_append_printf (text, "\n%s", _("Nothing was waiting to be sent."));
  if (report->stopped)
    g_string_append_printf (text, "\n%s", report->stop_message ? report->stop_message
                                                                : _("The portal stopped the batch."));
  gtk_label_set_text (GTK_LABEL (self->report_label), text->str);
  gtk_widget_set_visible (self->report_label, TRUE);
  gtk_widget_set_visible (self->report_unlock_button, FALSE);
  if (report->stopped)
    gtk_widget_add_css_class (self->report_label, "error");
  else
    gtk_widget_remove_css_class (self->report_label, "error");

  /* Each result was shown as it came; a row is added only for one that
   * was not (none, unless a progress callback was lost). */
  for (guint i = 0; i < report->results->len; i++)
    {
      const GkSyncItemResult *result = g_ptr_array_index (report->results, i);

      if (!g_hash_table_contains (self->result_positions, result->id))
        show_result (self, result);
    }
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 1.0);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), _("Done"));
}

static void
on_sync_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GkPublishPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GkSyncReport *report = gk_sync_run_finish (GK_SYNC (source), result, &error);

  set_syncing (self, FALSE);
  g_clear_object (&self->sync_cancellable);
  if (report != NULL)
    {
      show_report (self, report);
      gk_sync_report_free (report);
    }
  else
    {
      const char *text = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                         ? _("Publishing was cancelled. What was not sent stays queued for the next run.")
                         : error_text (self, error);

      show_publish_failure (self, text,
                            g_error_matches (error, GK_ERROR, GK_ERROR_PERMISSION) &&
                                gk_error_get_detail (error) == GK_ERROR_DETAIL_NO_TOKEN);
    }
  reload (self);
  end_running (self);
}

static void
on_publish_token_cb (GkPublishPage *self,
                     char          *token,
                     const GError  *token_error,
                     gpointer       user_data)
{
  g_autoptr(GkSyncOptions) options = NULL;
  g_auto (GStrv) only_ids = user_data;

  if (token == NULL)
    {
      show_token_failure (self, token_error);
      set_syncing (self, FALSE);
      end_running (self);
      return;
    }

  options = gk_sync_options_new ();
  options->token = token;
  options->actor = g_strdup (gk_context_get_user (self->context));
  options->allow_insecure = get_allow_insecure (self);
  options->concurrency = get_concurrency (self);
  options->only_ids = g_steal_pointer (&only_ids);

  self->sync_cancellable = g_cancellable_new ();
  gk_sync_run_async (self->sync, options, on_sync_progress_cb, g_object_ref (self), g_object_unref,
                     self->sync_cancellable, on_sync_done_cb, g_object_ref (self));
}

static void publish_ids (GkPublishPage *self, GStrv only_ids);

/* The confirmation: every approved document listed, each chosen unless
 * the publisher leaves it out; what is left out stays approved and waits
 * for the next run. */
typedef struct
{
  GkPublishPage *self;
  GListStore    *items;  /* GkItem, as listed */
  GHashTable    *chosen; /* id → the GkItem */
  GHashTable    *checks; /* id → its check button, while its row is bound */
  GtkWidget     *dialog;
  GtkWidget     *count_label;
} Choice;

static void
choice_free (Choice *choice)
{
  g_object_unref (choice->self);
  g_object_unref (choice->items);
  g_hash_table_unref (choice->chosen);
  g_hash_table_unref (choice->checks);
  g_free (choice);
}

static void
show_choice_count (Choice *choice)
{
  guint            n = g_list_model_get_n_items (G_LIST_MODEL (choice->items));
  guint            n_chosen = g_hash_table_size (choice->chosen);
  g_autofree char *text = NULL;

  if (n_chosen == n)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The document goes public.",
                                         "All %u documents go public.", n),
                            n);
  else
    {
      g_autofree char *going = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%u of %u goes public; ", "%u of %u go public; ", n_chosen),
          n_chosen, n);
      g_autofree char *left =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u stays approved for the next run.",
                                        "%u stay approved for the next run.", n - n_chosen),
                           n - n_chosen);

      text = g_strconcat (going, left, NULL);
    }
  gtk_label_set_label (GTK_LABEL (choice->count_label), text);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (choice->dialog), "publish",
                                           n_chosen > 0);
}

static void
on_choice_toggled_cb (GtkCheckButton *check, Choice *choice)
{
  GkItem *item = g_object_get_data (G_OBJECT (check), "item");

  if (item == NULL)
    return;
  if (gtk_check_button_get_active (check))
    g_hash_table_insert (choice->chosen, item->id, item);
  else
    g_hash_table_remove (choice->chosen, item->id);
  show_choice_count (choice);
}

static void
on_choice_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, Choice *choice)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gk_row_label_new ();
  GtkWidget *number = gk_row_label_new ();

  gtk_widget_add_css_class (number, "dim-label");
  gtk_widget_add_css_class (number, "caption");
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), number);
  gtk_box_append (GTK_BOX (box), check);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  g_signal_connect (check, "toggled", G_CALLBACK (on_choice_toggled_cb), choice);
  gtk_list_item_set_child (list_item, box);
}

static void
on_choice_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, Choice *choice)
{
  GkItem          *item = gtk_list_item_get_item (list_item);
  GtkWidget       *box = gtk_list_item_get_child (list_item);
  GtkWidget       *check = gtk_widget_get_first_child (box);
  GtkWidget       *title = gtk_widget_get_first_child (gtk_widget_get_last_child (box));
  GtkWidget       *number = gtk_widget_get_next_sibling (title);
  g_autofree char *name = g_strdup_printf ("choose:%s", item->id);
  const char      *shown = !gk_str_is_blank (item->title) ? item->title : item->file_name;

  /* No item while the check is set: that is not the person's choice. */
  g_object_set_data (G_OBJECT (check), "item", NULL);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                               g_hash_table_contains (choice->chosen, item->id));
  g_object_set_data (G_OBJECT (check), "item", item);
  g_hash_table_insert (choice->checks, item->id, check);
  gtk_widget_set_name (check, name);
  gtk_label_set_label (GTK_LABEL (title), shown);
  gk_widget_set_row_tooltip (title, shown);
  gtk_label_set_label (GTK_LABEL (number), item->doc_number ? item->doc_number : "");
  gtk_widget_set_visible (number, !gk_str_is_blank (item->doc_number));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, shown, -1);
}

static void
on_choice_unbind_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, Choice *choice)
{
  GtkWidget *check = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  GkItem    *item = g_object_get_data (G_OBJECT (check), "item");

  if (item != NULL && g_hash_table_lookup (choice->checks, item->id) == check)
    g_hash_table_remove (choice->checks, item->id);
  g_object_set_data (G_OBJECT (check), "item", NULL);
}

/* A row activated (Enter, a click beside the box) turns its choice. */
static void
on_choice_activate_cb (GtkListView *view, guint position, Choice *choice)
{
  g_autoptr (GkItem) item = g_list_model_get_item (G_LIST_MODEL (choice->items), position);
  GtkCheckButton *check = g_hash_table_lookup (choice->checks, item->id);

  /* Its toggled handler records the choice. */
  if (check != NULL)
    gtk_check_button_set_active (check, !gtk_check_button_get_active (check));
}

static void
on_publish_confirm_response_cb (AdwMessageDialog *dialog, const char *response, Choice *choice)
{
  if (g_strcmp0 (response, "publish") == 0 && g_hash_table_size (choice->chosen) > 0)
    {
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
      guint n = g_list_model_get_n_items (G_LIST_MODEL (choice->items));

      /* Exactly what was listed and chosen: a document approved while
       * the dialog was open was not named, and waits. */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr (GkItem) item = g_list_model_get_item (G_LIST_MODEL (choice->items), i);

          if (g_hash_table_contains (choice->chosen, item->id))
            g_strv_builder_add (builder, item->id);
        }
      publish_ids (choice->self, g_strv_builder_end (builder));
    }
}

/* Going public cannot be taken back quietly: name what goes out first,
 * and let the publisher choose. */
static void
on_publish_candidates_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GkPublishPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = gk_store_query_finish (GK_STORE (source), result, &error);
  g_autoptr (GtkListItemFactory) factory = NULL;
  GtkWidget *dialog, *box, *scroller, *view;
  Choice    *choice;
  GtkRoot *root;
  guint      n;

  end_running (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (items == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  choice = g_new0 (Choice, 1);
  choice->self = g_object_ref (self);
  choice->items = g_list_store_new (GK_TYPE_ITEM);
  choice->chosen = g_hash_table_new (g_str_hash, g_str_equal);
  choice->checks = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < items->len; i++)
    {
      GkItem *item = g_ptr_array_index (items, i);

      if (!gk_workflow_is_publishable (item))
        continue;
      g_list_store_append (choice->items, item);
      g_hash_table_insert (choice->chosen, item->id, item);
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (choice->items));
  if (n == 0)
    {
      /* Nothing new goes public: withdrawals and retries only. */
      choice_free (choice);
      gk_publish_page_publish (self);
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _ ("Publish to the Portal?"),
      _ ("These approved documents go public on the portal. Leave out what should "
         "wait: it stays approved for the next run."));
  choice->dialog = dialog;
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "publish", _("_Publish"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "publish",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "publish");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (on_choice_setup_cb), choice);
  g_signal_connect (factory, "bind", G_CALLBACK (on_choice_bind_cb), choice);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_choice_unbind_cb), choice);
  view = gtk_list_view_new (
      GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (choice->items)))),
      g_steal_pointer (&factory));
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (view), FALSE);
  gtk_widget_add_css_class (view, "boxed-list");
  gtk_widget_set_name (view, "publish-choices");
  g_signal_connect (view, "activate", G_CALLBACK (on_choice_activate_cb), choice);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  gtk_widget_set_size_request (scroller, 420, -1);
  choice->count_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (choice->count_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (choice->count_label), 0);
  gtk_widget_set_name (choice->count_label, "publish-choice-count");
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_box_append (GTK_BOX (box), choice->count_label);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  show_choice_count (choice);

  gtk_widget_set_name (dialog, "publish-confirm-dialog");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_publish_confirm_response_cb), choice,
                         (GClosureNotify) choice_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_publish_clicked_cb (GtkButton     *button,
                       GkPublishPage *self)
{
  GkQuery query = { .state = GK_QUERY_APPROVED, .sort = "title" };

  if (self->store == NULL)
    {
      gk_publish_page_publish (self);
      return;
    }
  begin_running (self);
  gk_store_query_async (self->store, &query, 0, 500, self->cancellable, on_publish_candidates_cb,
                        g_object_ref (self));
}

static void
on_cancel_clicked_cb (GtkButton     *button,
                      GkPublishPage *self)
{
  gk_publish_page_cancel (self);
}

/* Conflicts */

typedef struct
{
  GkPublishPage    *self;
  GkSyncResolution  resolution;
  char             *id;
  char             *title;
} ResolveRequest;

static void
resolve_request_free (ResolveRequest *request)
{
  g_clear_object (&request->self);
  g_free (request->id);
  g_free (request->title);
  g_free (request);
}

static void
on_resolved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ResolveRequest *request = user_data;
  GkPublishPage *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkSyncItemResult) outcome = gk_sync_resolve_finish (GK_SYNC (source), result, &error);

  if (outcome == NULL)
    show_toast (self, error_text (self, error));
  else
    {
      g_autofree char *text = NULL;

      if (request->resolution == GK_SYNC_RESOLVE_KEEP_PORTAL && outcome->outcome == GK_SYNC_OUTCOME_SKIPPED)
        text = g_strdup_printf (_("“%s”: the portal’s copy is kept."), request->title);
      else
        {
          g_autofree char *described = describe_result (outcome);

          text = g_strdup_printf (_("“%s”: %s"), request->title, described);
        }
      show_toast (self, text);
      show_result (self, outcome);
    }
  reload (self);
  end_running (self);
  resolve_request_free (request);
}

static void
on_token_for_resolve_cb (GkPublishPage *self,
                         char          *token,
                         const GError  *token_error,
                         gpointer       user_data)
{
  ResolveRequest *request = g_object_steal_data (G_OBJECT (self), "resolve-request");
  g_autoptr(GkSyncOptions) options = NULL;

  if (request == NULL)
    {
      gk_token_free (token);
      return;
    }
  if (token == NULL)
    {
      show_toast (self, token_error ? error_text (self, token_error) : _("No portal token."));
      resolve_request_free (request);
      end_running (self);
      return;
    }
  options = gk_sync_options_new ();
  options->token = token;
  options->actor = g_strdup (gk_context_get_user (self->context));
  options->allow_insecure = get_allow_insecure (self);
  gk_sync_resolve_async (self->sync, options, request->id, request->resolution, NULL,
                         on_resolved_cb, request);
}

static void
on_conflict_dialog_response_cb (GkConflictDialog *dialog,
                                const char       *response,
                                GkPublishPage    *self)
{
  ResolveRequest *request;
  const char *title = g_object_get_data (G_OBJECT (dialog), "title");

  if (g_strcmp0 (response, "resolve") != 0 || self->sync == NULL)
    return;
  request = g_new0 (ResolveRequest, 1);
  request->self = g_object_ref (self);
  request->resolution = gk_conflict_dialog_get_resolution (dialog);
  request->id = g_strdup (gk_conflict_dialog_get_item_id (dialog));
  request->title = g_strdup (title);
  begin_running (self);
  /* One resolution at a time: the buttons are insensitive while busy. */
  g_object_set_data (G_OBJECT (self), "resolve-request", request);
  fetch_token (self, on_token_for_resolve_cb, NULL);
}

static void
on_resolve_clicked_cb (GtkButton     *button,
                       GkPublishPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "id");
  const char *title = g_object_get_data (G_OBJECT (button), "title");
  gint64 revision = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "revision"));
  GkSyncResolution resolution = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "resolution"));
  GtkWidget *dialog;

  if (self->n_running > 0)
    {
      show_toast (self, _("Wait until the current run has finished."));
      return;
    }
  dialog = gk_conflict_dialog_new (get_parent_window (self), id, title, revision, resolution);
  g_object_set_data_full (G_OBJECT (dialog), "title", g_strdup (title), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_conflict_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
new_resolve_button (GkPublishPage    *self,
                    GkItem           *item,
                    gint64            revision,
                    GkSyncResolution  resolution)
{
  gboolean overwrite = resolution == GK_SYNC_RESOLVE_OVERWRITE;
  GtkWidget *button = gtk_button_new_with_mnemonic (overwrite ? _("_Overwrite…") : _("_Keep Portal’s Copy…"));
  g_autofree char *name = g_strdup_printf ("%s:%s", overwrite ? "overwrite" : "keep-portal", item->id);
  g_autofree char *why = NULL;
  gboolean may_resolve;

  gtk_widget_set_name (button, name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (overwrite)
    gtk_widget_add_css_class (button, "destructive-action");
  g_object_set_data_full (G_OBJECT (button), "id", g_strdup (item->id), g_free);
  g_object_set_data_full (G_OBJECT (button), "title", g_strdup (item_title (item)), g_free);
  g_object_set_data (G_OBJECT (button), "revision", GSIZE_TO_POINTER ((gsize) revision));
  g_object_set_data (G_OBJECT (button), "resolution", GINT_TO_POINTER (resolution));
  may_resolve = may (self, GK_ACTION_RESOLVE, &why);
  gtk_widget_set_sensitive (button, may_resolve);
  gtk_widget_set_tooltip_text (button,
                               !may_resolve
                               ? why
                               : overwrite ? _("Replace the portal’s copy with the approved revision")
                                           : _("Leave the portal’s copy as it is"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_resolve_clicked_cb), self, 0);
  return button;
}

static void read_done (GkPublishPage *self);

static void
on_conflict_items_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GkPublishPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = gk_store_get_items_finish (GK_STORE (source), result, &error);
  g_autoptr(GPtrArray) jobs = g_steal_pointer (&self->conflict_jobs);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;
  remove_rows (ADW_PREFERENCES_GROUP (self->conflicts_group), self->conflict_rows);
  if (items == NULL)
    {
      g_warning ("Cannot read the documents in conflict: %s", error->message);
      gtk_widget_set_visible (self->conflicts_group, FALSE);
      goto out;
    }
  for (guint i = 0; i < items->len; i++)
    {
      GkItem *item = g_ptr_array_index (items, i);

      if (item != NULL)
        g_hash_table_insert (by_id, item->id, item);
    }
  for (guint i = 0; jobs != NULL && i < jobs->len; i++)
    {
      GkSyncJob *job = g_ptr_array_index (jobs, i);
      GkItem *item = g_hash_table_lookup (by_id, job->item_id);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (job->state != GK_SYNC_JOB_CONFLICT || item == NULL)
        continue;
      subtitle = g_strdup_printf (_("The portal’s copy changed since this workstation last wrote it, so "
                                    "approved revision %" PRId64 " was not sent."),
                                  job->revision);
      row = new_row (item_title (item), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 new_resolve_button (self, item, job->revision, GK_SYNC_RESOLVE_KEEP_PORTAL));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 new_resolve_button (self, item, job->revision, GK_SYNC_RESOLVE_OVERWRITE));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->conflicts_group), row);
      g_ptr_array_add (self->conflict_rows, row);
    }
  gtk_widget_set_visible (self->conflicts_group, self->conflict_rows->len > 0);

out:
  read_done (self);
}

static void
on_conflict_jobs_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GkPublishPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = gk_store_sync_list_jobs_finish (GK_STORE (source), result, &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      read_done (self);
      return;
    }
  if (jobs == NULL)
    {
      g_warning ("Cannot list the sync jobs: %s", error->message);
      remove_rows (ADW_PREFERENCES_GROUP (self->conflicts_group), self->conflict_rows);
      gtk_widget_set_visible (self->conflicts_group, FALSE);
      read_done (self);
      return;
    }
  for (guint i = 0; i < jobs->len; i++)
    {
      GkSyncJob *job = g_ptr_array_index (jobs, i);

      if (job->state != GK_SYNC_JOB_CONFLICT)
        continue;
      g_ptr_array_add (ids, job->item_id);
    }
  /* The jobs keep the ids alive until the items are read. */
  g_clear_pointer (&self->conflict_jobs, g_ptr_array_unref);
  self->conflict_jobs = g_steal_pointer (&jobs);
  gk_store_get_items_async (GK_STORE (source), (const char *const *) ids->pdata, ids->len,
                            self->cancellable, on_conflict_items_cb, g_object_ref (self));
}

/* Published documents and withdrawal.  A withdrawal is recorded at once
 * (gk_sync_withdraw_async) and, when a portal and a token are at hand, sent at
 * once in the background; if that fails it stays queued, the row says
 * so, and the next publishing run sends it. */

typedef struct
{
  GkPublishPage *self;
  char          *id;
  char          *title;
} WithdrawRequest;

static void
withdraw_request_free (WithdrawRequest *request)
{
  g_clear_object (&request->self);
  g_free (request->id);
  g_free (request->title);
  g_free (request);
}

static void
end_withdrawal (WithdrawRequest *request,
                const char      *text)
{
  GkPublishPage *self = request->self;

  g_hash_table_remove (self->withdrawing, request->id);
  if (!self->disposed)
    {
      show_toast (self, text);
      reload (self);
    }
  end_running (self);
  withdraw_request_free (request);
}

static void
on_withdrawal_sent_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  WithdrawRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkSyncItemResult) outcome = gk_sync_send_withdrawal_finish (GK_SYNC (source), result, &error);
  g_autofree char *text = NULL;

  if (outcome != NULL && outcome->outcome == GK_SYNC_OUTCOME_WITHDRAWN)
    text = g_strdup_printf (_("“%s” is withdrawn from the portal."), request->title);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    text = g_strdup_printf (_("“%s”: sending the withdrawal was stopped; it stays queued for the "
                              "next publishing run."), request->title);
  else
    text = g_strdup_printf (_("“%s” is not off the portal yet: %s The withdrawal stays queued; the "
                              "next publishing run sends it."),
                            request->title, outcome != NULL && outcome->message != NULL
                                            ? outcome->message
                                            : error != NULL ? error->message : "");
  end_withdrawal (request, text);
}

static void
on_withdraw_token_cb (GkPublishPage *self,
                      char          *token,
                      const GError  *token_error,
                      gpointer       user_data)
{
  WithdrawRequest *request = user_data;
  g_autoptr(GkSyncOptions) options = NULL;

  if (token == NULL || self->sync == NULL || self->disposed)
    {
      g_autofree char *text =
        g_strdup_printf (_("“%s” is not off the portal yet: %s The withdrawal stays queued; the next "
                           "publishing run sends it."),
                         request->title, token_error ? token_error->message : _("No portal token."));

      gk_token_free (token);
      end_withdrawal (request, text);
      return;
    }
  options = gk_sync_options_new ();
  options->token = token;
  options->actor = g_strdup (gk_context_get_user (self->context));
  options->allow_insecure = get_allow_insecure (self);
  if (self->withdraw_cancellable == NULL)
    self->withdraw_cancellable = g_cancellable_new ();
  gk_sync_send_withdrawal_async (self->sync, options, request->id, self->withdraw_cancellable,
                                 on_withdrawal_sent_cb, request);
}

static void
on_withdraw_recorded_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  WithdrawRequest *request = user_data;
  GkPublishPage *self = request->self;
  g_autoptr(GError) error = NULL;
  gboolean queued = FALSE;

  if (!gk_sync_withdraw_finish (GK_STORE (source), result, &queued, &error))
    {
      g_hash_table_remove (self->withdrawing, request->id);
      if (!self->disposed)
        {
          show_toast (self, error_text (self, error));
          reload (self);
        }
      end_running (self);
      withdraw_request_free (request);
      return;
    }
  if (!queued)
    {
      g_autofree char *text = g_strdup_printf (_("“%s” is withdrawn."), request->title);

      end_withdrawal (request, text);
      return;
    }

  if (self->disposed)
    {
      end_withdrawal (request, NULL);
      return;
    }
  reload (self);
  fetch_token (self, on_withdraw_token_cb, request);
}

static void
on_withdraw_response_cb (GkReasonDialog *dialog,
                         const char     *response,
                         GkPublishPage  *self)
{
  g_autofree char *reason = NULL;
  const char *id = g_object_get_data (G_OBJECT (dialog), "id");
  const char *title = g_object_get_data (G_OBJECT (dialog), "title");
  WithdrawRequest *request;

  if (g_strcmp0 (response, "withdraw") != 0 || self->store == NULL)
    return;
  reason = gk_reason_dialog_get_text (dialog);
  request = g_new0 (WithdrawRequest, 1);
  request->self = g_object_ref (self);
  request->id = g_strdup (id);
  request->title = g_strdup (title);
  /* Running from here until the withdrawal is sent (or stays queued);
   * the row says so at once. */
  begin_running (self);
  g_hash_table_add (self->withdrawing, g_strdup (id));
  for (guint i = 0; i < self->published_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->published_rows, i);

      if (g_strcmp0 (gtk_widget_get_name (row), id) == 0)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Withdrawing from the portal…"));
    }
  gk_sync_withdraw_async (self->store, gk_context_get_user (self->context), id, reason, NULL,
                          on_withdraw_recorded_cb, request);
}

static void
on_withdraw_clicked_cb (GtkButton     *button,
                        GkPublishPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "id");
  const char *title = g_object_get_data (G_OBJECT (button), "title");
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  body = g_strdup_printf (_("“%s” is taken off the portal now (or by the next publishing run if the "
                            "portal cannot be reached) and stays in the library. Say why: the reason "
                            "is kept in the audit log."), title);
  dialog = gk_reason_dialog_new (get_parent_window (self), _("Withdraw This Document?"), body,
                                 "withdraw", _("_Withdraw"), TRUE, FALSE);
  g_object_set_data_full (G_OBJECT (dialog), "id", g_strdup (id), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "title", g_strdup (title), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_withdraw_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A sentence put in parentheses loses its full stop. */
static char *
without_full_stop (const char *text)
{
  char *copy = g_strdup (text);
  gsize len = strlen (copy);

  if (len > 0 && copy[len - 1] == '.')
    copy[len - 1] = '\0';
  else if (g_str_has_suffix (copy, "。"))
    copy[len - strlen ("。")] = '\0';
  return copy;
}

static void
on_published_pending_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GkPublishPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) states = gk_sync_withdrawals_pending_finish (GK_STORE (source), result, &error);
  g_autoptr(GPtrArray) items = g_steal_pointer (&self->published_items);
  guint total = self->published_total;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;
  if (states == NULL)
    {
      g_warning ("Cannot read the pending withdrawals: %s", error->message);
      states = g_ptr_array_new ();
    }
  remove_rows (ADW_PREFERENCES_GROUP (self->published_group), self->published_rows);
  if (total > items->len)
    {
      g_autofree char *description =
          g_strdup_printf (_ ("The %u most recent of %u published documents; the “Published” view "
                              "in the sidebar lists them all."),
                           items->len, total);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->published_group), description);
    }
  else if (items->len == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->published_group),
                                           _("Nothing is published yet."));
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->published_group), NULL);

  for (guint i = 0; i < items->len; i++)
    {
      GkItem *item = g_ptr_array_index (items, i);
      GkWithdrawalState *state = i < states->len ? g_ptr_array_index (states, i) : NULL;
      const char *withdraw_error = state != NULL ? state->last_error : NULL;
      gboolean pending = state != NULL && state->pending;
      g_autofree char *name = g_strdup_printf ("withdraw:%s", item->id);
      g_autofree char *subtitle = NULL;
      GtkWidget *row, *withdraw, *open;

      if (g_hash_table_contains (self->withdrawing, item->id))
        subtitle = g_strdup (_("Withdrawing from the portal…"));
      else if (pending && withdraw_error != NULL)
        {
          g_autofree char *why = without_full_stop (withdraw_error);

          subtitle = g_strdup_printf (_("Withdrawal pending: the portal has not confirmed it yet (%s). "
                                        "The next publishing run sends it again."),
                                      why);
        }
      else if (pending)
        subtitle = g_strdup (_("Withdrawal pending: not sent to the portal yet. The next publishing "
                               "run sends it."));
      else if (gk_url_is_http (item->public_url))
        subtitle = g_strdup (item->public_url);
      else
        subtitle = g_strdup (_("Published; the portal gave no public address."));
      row = new_row (item_title (item), subtitle);
      gtk_widget_set_name (row, item->id);
      if ((open = new_open_button (self, item->id, item->public_url)) != NULL)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);

      withdraw = gtk_button_new_with_mnemonic (_("_Withdraw…"));
      gtk_widget_set_name (withdraw, name);
      gtk_widget_set_valign (withdraw, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (withdraw), "id", g_strdup (item->id), g_free);
      g_object_set_data_full (G_OBJECT (withdraw), "title", g_strdup (item_title (item)), g_free);
      gtk_widget_set_sensitive (withdraw, may_publish (self) && !pending);
      gtk_widget_set_tooltip_text (withdraw, may_publish (self)
                                             ? _("Take it off the portal, with a reason")
                                             : _("Withdrawing needs the publisher or admin role."));
      g_signal_connect_object (withdraw, "clicked", G_CALLBACK (on_withdraw_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), withdraw);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->published_group), row);
      g_ptr_array_add (self->published_rows, row);
    }

out:
  read_done (self);
}

static void
on_published_count_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GkPublishPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  guint total = 0;

  if (!gk_store_count_finish (GK_STORE (source), result, &total, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      read_done (self);
      return;
    }
  self->published_total = total;
  for (guint i = 0; i < self->published_items->len; i++)
    g_ptr_array_add (ids, ((GkItem *) g_ptr_array_index (self->published_items, i))->id);
  g_ptr_array_add (ids, NULL);
  gk_sync_withdrawals_pending_async (GK_STORE (source), (const char *const *) ids->pdata,
                                     self->cancellable, on_published_pending_cb, g_object_ref (self));
}

static void
on_published_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GkPublishPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = gk_store_query_finish (GK_STORE (source), result, &error);
  GkQuery query = { .state = GK_QUERY_PUBLISHED };

  if (items == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Cannot list the published documents: %s", error->message);
          remove_rows (ADW_PREFERENCES_GROUP (self->published_group), self->published_rows);
        }
      read_done (self);
      return;
    }
  g_clear_pointer (&self->published_items, g_ptr_array_unref);
  self->published_items = g_steal_pointer (&items);
  gk_store_count_async (GK_STORE (source), &query, self->cancellable, on_published_count_cb,
                        g_object_ref (self));
}

static void
on_waiting_jobs_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GkPublishPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = gk_store_sync_list_jobs_finish (GK_STORE (source), result, &error);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  guint n_publishable = self->waiting_publishable, n_withdrawals = 0, n_pending = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      read_done (self);
      return;
    }
  for (guint i = 0; jobs != NULL && i < jobs->len; i++)
    {
      GkSyncJob *job = g_ptr_array_index (jobs, i);

      if (job->operation == GK_SYNC_OP_WITHDRAW)
        n_withdrawals++;
      else
        n_pending++;
    }

  g_string_append_printf (subtitle,
                          g_dngettext (GETTEXT_PACKAGE, "%u approved document waits to be published",
                                       "%u approved documents wait to be published", n_publishable),
                          n_publishable);
  if (n_withdrawals > 0)
    g_string_append_printf (subtitle,
                            g_dngettext (GETTEXT_PACKAGE, ", %u withdrawal", ", %u withdrawals", n_withdrawals),
                            n_withdrawals);
  if (n_pending > n_publishable)
    g_string_append_printf (subtitle,
                            g_dngettext (GETTEXT_PACKAGE, ", %u unfinished send from an earlier run",
                                         ", %u unfinished sends from an earlier run", n_pending - n_publishable),
                            n_pending - n_publishable);
  g_string_append (subtitle, _("."));
  {
    g_autofree char *why = NULL;

    if (!may (self, GK_ACTION_PUBLISH, &why))
      g_string_append_printf (subtitle, "\n%s", why);
  }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->waiting_row), subtitle->str);
  read_done (self);
}

static void
on_waiting_approved_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GkPublishPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) approved = gk_store_query_finish (GK_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      read_done (self);
      return;
    }
  self->waiting_publishable = 0;
  for (guint i = 0; approved != NULL && i < approved->len; i++)
    {
      GkItem *item = g_ptr_array_index (approved, i);

      /* A conflict waits for an admin, not for the next run. */
      if (gk_workflow_is_publishable (item) && !(item->flags & GK_ITEM_FLAG_CONFLICT))
        self->waiting_publishable++;
    }
  gk_store_sync_list_jobs_async (GK_STORE (source), TRUE, self->cancellable, on_waiting_jobs_cb,
                                 g_object_ref (self));
}

/* The portal rows, from the settings as last read and the acting
 * member's roles. */
static void
show_settings (GkPublishPage *self)
{
  g_autofree char *url = get_setting (self, "portal_url");
  g_autofree char *ca_file = get_setting (self, "portal_ca_file");
  g_autofree char *settings_why = NULL;
  g_autofree char *token_why = NULL;
  g_autofree char *publish_why = NULL;
  gboolean admin = may (self, GK_ACTION_CHANGE_SETTINGS, &settings_why);
  gboolean may_store_token = may (self, GK_ACTION_STORE_TOKEN, &token_why);
  gboolean publisher = may (self, GK_ACTION_PUBLISH, &publish_why);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->url_row)), url ? url : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->url_row), url ? url : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->ca_row),
                               ca_file ? ca_file : _("None: only the system’s certificate authorities are trusted."));
  gtk_widget_set_visible (self->ca_clear_button, ca_file != NULL);

  gtk_widget_set_sensitive (self->url_row, admin && self->store != NULL);
  gtk_widget_set_sensitive (self->ca_choose_button, admin && self->store != NULL);
  gtk_widget_set_sensitive (self->ca_clear_button, admin && self->store != NULL);
  gtk_widget_set_sensitive (self->token_row, may_store_token && self->store != NULL);
  gk_widget_change_tooltip (self->token_row, may_store_token ? NULL : token_why);
  gtk_widget_set_sensitive (self->test_button, self->store != NULL && !gk_str_is_blank (url));
  if (!admin)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->portal_group), settings_why);
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->portal_group),
                                           _("Where approved documents are published (portal API version 1)."));

  gtk_widget_set_sensitive (self->publish_button, !self->syncing && publisher && self->store != NULL);
  gk_widget_change_tooltip (self->publish_button,
                            publisher ? _ ("Send approved documents and withdrawals to the portal")
                                      : publish_why);
}

/* One reload at a time (its reads run side by side): a change while it
 * runs reloads once more when the last read lands. */
static void
read_done (GkPublishPage *self)
{
  g_return_if_fail (self->n_reads > 0);

  self->n_reads--;
  end_running (self);
  if (self->n_reads == 0 && self->reload_again && !self->disposed)
    {
      self->reload_again = FALSE;
      reload (self);
    }
}

static void
on_settings_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GkPublishPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) values = gk_store_get_settings_finish (GK_STORE (source), result, &error);
  const char *url;
  gboolean url_changed;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      read_done (self);
      return;
    }
  if (values == NULL)
    {
      g_warning ("Cannot read the portal settings: %s", error->message);
      read_done (self);
      return;
    }
  url = g_hash_table_lookup (values, "portal_url");
  url_changed = !self->settings_read || g_strcmp0 (url, self->portal_url) != 0;
  g_free (self->portal_url);
  self->portal_url = g_strdup (url);
  g_free (self->portal_ca_file);
  self->portal_ca_file = g_strdup (g_hash_table_lookup (values, "portal_ca_file"));
  self->settings_read = TRUE;
  show_settings (self);
  /* The token belongs to the address. */
  if (url_changed)
    refresh_token_status (self);
  read_done (self);
}

static void
begin_read (GkPublishPage *self)
{
  self->n_reads++;
  begin_running (self);
}

static void
reload (GkPublishPage *self)
{
  const char *keys[] = { "portal_url", "portal_ca_file", NULL };
  GkQuery     approved = { .state = GK_QUERY_APPROVED };
  GkQuery     published = { .state = GK_QUERY_PUBLISHED };

  self->stale = FALSE;
  show_settings (self);
  if (self->store == NULL)
    {
      remove_rows (ADW_PREFERENCES_GROUP (self->conflicts_group), self->conflict_rows);
      gtk_widget_set_visible (self->conflicts_group, FALSE);
      remove_rows (ADW_PREFERENCES_GROUP (self->published_group), self->published_rows);
      return;
    }
  if (self->n_reads > 0)
    {
      self->reload_again = TRUE;
      return;
    }
  begin_read (self);
  gk_store_get_settings_async (self->store, keys, self->cancellable, on_settings_cb, g_object_ref (self));
  begin_read (self);
  gk_store_query_async (self->store, &approved, 0, G_MAXINT, self->cancellable, on_waiting_approved_cb,
                        g_object_ref (self));
  begin_read (self);
  gk_store_sync_list_jobs_async (self->store, FALSE, self->cancellable, on_conflict_jobs_cb,
                                 g_object_ref (self));
  begin_read (self);
  gk_store_query_async (self->store, &published, 0, MAX_PUBLISHED_ROWS, self->cancellable,
                        on_published_cb, g_object_ref (self));
}

/* A change of the library: the page reads again, now if it is shown,
 * else when it is (an import of 60 documents would reload a hidden page
 * 60 times, on the window's main loop).  A run reloads when it is done. */
static void
reload_on_change (GkPublishPage *self)
{
  if (self->syncing)
    return;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->stale = TRUE;
  else
    reload (self);
}

static void
on_store_changed_cb (GkStore       *store,
                     const char    *id,
                     GkPublishPage *self)
{
  reload_on_change (self);
}

static void
on_library_changed_cb (GkStore       *store,
                       GkPublishPage *self)
{
  reload_on_change (self);
}

static void
set_store (GkPublishPage *self,
           GkStore       *store)
{
  if (self->store == store)
    return;
  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->items_changed_id, self->store);
      g_clear_signal_handler (&self->library_changed_id, self->store);
    }
  /* The reads of the old library land cancelled (read_done() then
   * reloads from the new one). */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->n_reads > 0)
    self->reload_again = TRUE;
  g_clear_pointer (&self->portal_url, g_free);
  g_clear_pointer (&self->portal_ca_file, g_free);
  self->settings_read = FALSE;
  g_clear_object (&self->sync);
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      self->items_changed_id = g_signal_connect_object (store, "items-changed",
                                                        G_CALLBACK (on_store_changed_cb), self, 0);
      self->library_changed_id = g_signal_connect_object (store, "library-changed",
                                                          G_CALLBACK (on_library_changed_cb), self, 0);
      self->sync = gk_sync_new (store);
    }
}

static void
on_context_store_changed_cb (GkContext     *context,
                             GParamSpec    *pspec,
                             GkPublishPage *self)
{
  set_store (self, gk_context_get_store (context));
  reload (self);
  refresh_token_status (self);
}

static void
on_context_user_changed_cb (GkContext     *context,
                            GParamSpec    *pspec,
                            GkPublishPage *self)
{
  reload (self);
  refresh_token_status (self);
}

/* building */

static GtkWidget *
build_portal_group (GkPublishPage *self)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *box;

  self->portal_group = group;
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Portal"));

  self->url_row = adw_entry_row_new ();
  gtk_widget_set_name (self->url_row, "portal-url-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->url_row), _("Portal address"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->url_row), TRUE);
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (self->url_row), GTK_INPUT_PURPOSE_URL);
  g_signal_connect_object (self->url_row, "apply", G_CALLBACK (on_url_applied_cb), self, 0);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->url_row);

  self->ca_row = new_row (_("Extra certificate authority"), NULL);
  gtk_widget_set_name (self->ca_row, "portal-ca-row");
  self->ca_clear_button = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_set_tooltip_text (self->ca_clear_button, _("Trust only the system’s authorities"));
  gtk_widget_set_valign (self->ca_clear_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->ca_clear_button, "flat");
  g_signal_connect_object (self->ca_clear_button, "clicked", G_CALLBACK (on_ca_clear_clicked_cb), self, 0);
  self->ca_choose_button = gtk_button_new_with_mnemonic (_("C_hoose…"));
  gtk_widget_set_valign (self->ca_choose_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->ca_choose_button,
                               _("A PEM file with the agency’s own certificate authority"));
  g_signal_connect_object (self->ca_choose_button, "clicked", G_CALLBACK (on_ca_choose_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->ca_row), self->ca_clear_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->ca_row), self->ca_choose_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->ca_row);

  self->settings_problem_row = new_row (_("Not saved"), NULL);
  gtk_widget_set_name (self->settings_problem_row, "portal-settings-problem");
  gtk_widget_add_css_class (self->settings_problem_row, "error");
  gtk_widget_set_visible (self->settings_problem_row, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->settings_problem_row);

  self->token_row = adw_password_entry_row_new ();
  gtk_widget_set_name (self->token_row, "token-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_row), _("Access token"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->token_row), TRUE);
  g_signal_connect_object (self->token_row, "apply", G_CALLBACK (on_token_applied_cb), self, 0);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->token_row);

  self->token_status_row = new_row (_("Token"), NULL);
  gtk_widget_set_name (self->token_status_row, "token-status-row");
  self->token_forget_button = gtk_button_new_with_mnemonic (_("_Forget"));
  gtk_widget_set_name (self->token_forget_button, "token-forget-button");
  gtk_widget_set_valign (self->token_forget_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->token_forget_button, _("Remove the token from the keyring"));
  g_signal_connect_object (self->token_forget_button, "clicked", G_CALLBACK (on_token_forget_clicked_cb), self, 0);
  self->token_unlock_button = gtk_button_new_with_mnemonic (_ ("_Unlock…"));
  gtk_widget_set_name (self->token_unlock_button, "token-unlock-button");
  gtk_widget_set_valign (self->token_unlock_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->token_unlock_button,
                               _ ("Unlock the keyring that keeps the token"));
  gtk_widget_set_visible (self->token_unlock_button, FALSE);
  g_signal_connect_object (self->token_unlock_button, "clicked", G_CALLBACK (on_unlock_clicked_cb),
                           self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->token_status_row), self->token_unlock_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->token_status_row), self->token_forget_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->token_status_row);

  self->test_row = new_row (_("Connection"), _("Not tested yet."));
  gtk_widget_set_name (self->test_row, "test-result");
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->test_spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->test_spinner, FALSE);
  self->test_button = gtk_button_new_with_mnemonic (_("_Test Connection"));
  gtk_widget_set_name (self->test_button, "test-connection-button");
  gtk_widget_set_valign (self->test_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->test_button, _("Ask the portal whether it answers and accepts the token"));
  g_signal_connect_object (self->test_button, "clicked", G_CALLBACK (on_test_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (box), self->test_spinner);
  gtk_box_append (GTK_BOX (box), self->test_button);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->test_row), box);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->test_row);
  return group;
}

static GtkWidget *
build_publish_group (GkPublishPage *self)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->publish_group = group;
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Publishing"));

  self->waiting_row = new_row (_("Waiting"), NULL);
  gtk_widget_set_name (self->waiting_row, "waiting-row");
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_set_name (self->cancel_button, "cancel-button");
  gtk_widget_set_visible (self->cancel_button, FALSE);
  g_signal_connect_object (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked_cb), self, 0);
  self->publish_button = gtk_button_new_with_mnemonic (_("_Publish Approved Items"));
  gtk_widget_set_name (self->publish_button, "publish-button");
  gtk_widget_add_css_class (self->publish_button, "suggested-action");
  g_signal_connect_object (self->publish_button, "clicked", G_CALLBACK (on_publish_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (buttons), self->cancel_button);
  gtk_box_append (GTK_BOX (buttons), self->publish_button);
  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->waiting_row), buttons);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->waiting_row);

  self->progress_bar = gtk_progress_bar_new ();
  gtk_widget_set_name (self->progress_bar, "sync-progress");
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (self->progress_bar), TRUE);
  gtk_widget_set_visible (self->progress_bar, FALSE);
  self->report_label = gtk_label_new (NULL);
  gtk_widget_set_name (self->report_label, "sync-report");
  gtk_label_set_wrap (GTK_LABEL (self->report_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->report_label), 0);
  gtk_label_set_selectable (GTK_LABEL (self->report_label), TRUE);
  gtk_widget_add_css_class (self->report_label, "heading");
  gtk_widget_set_visible (self->report_label, FALSE);
  self->report_unlock_button = gtk_button_new_with_mnemonic (_ ("_Unlock…"));
  gtk_widget_set_name (self->report_unlock_button, "report-unlock-button");
  gtk_widget_set_halign (self->report_unlock_button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (self->report_unlock_button,
                               _ ("Unlock the keyring that keeps the token"));
  gtk_widget_set_visible (self->report_unlock_button, FALSE);
  g_signal_connect_object (self->report_unlock_button, "clicked", G_CALLBACK (on_unlock_clicked_cb),
                           self, 0);
  {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (on_result_setup_cb), self);
    g_signal_connect (factory, "bind", G_CALLBACK (on_result_bind_cb), self);
    self->results_list = gtk_list_view_new (
        GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->results)))),
        factory);
  }
  gtk_widget_set_name (self->results_list, "sync-results");
  gtk_widget_add_css_class (self->results_list, "card");
  self->results_scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->results_scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->results_scroller), self->results_list);
  gtk_widget_set_visible (self->results_scroller, FALSE);

  gtk_box_append (GTK_BOX (box), self->progress_bar);
  gtk_box_append (GTK_BOX (box), self->report_label);
  gtk_box_append (GTK_BOX (box), self->report_unlock_button);
  gtk_box_append (GTK_BOX (box), self->results_scroller);
  gtk_widget_set_margin_top (box, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), box);
  return group;
}

/* overrides */

static void
gk_publish_page_constructed (GObject *object)
{
  GkPublishPage *self = GK_PUBLISH_PAGE (object);

  G_OBJECT_CLASS (gk_publish_page_parent_class)->constructed (object);

  g_signal_connect_object (self->context, "notify::store",
                           G_CALLBACK (on_context_store_changed_cb), self, 0);
  g_signal_connect_object (self->context, "notify::user",
                           G_CALLBACK (on_context_user_changed_cb), self, 0);
  set_store (self, gk_context_get_store (self->context));
  reload (self);
  refresh_token_status (self);
}

static void
gk_publish_page_dispose (GObject *object)
{
  GkPublishPage *self = GK_PUBLISH_PAGE (object);

  g_cancellable_cancel (self->sync_cancellable);
  g_cancellable_cancel (self->health_cancellable);
  g_cancellable_cancel (self->token_cancellable);
  g_cancellable_cancel (self->unlock_cancellable);
  self->disposed = TRUE;
  g_cancellable_cancel (self->withdraw_cancellable);
  g_cancellable_cancel (self->cancellable);
  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->items_changed_id, self->store);
      g_clear_signal_handler (&self->library_changed_id, self->store);
    }
  if (self->ca_chooser != NULL)
    gtk_native_dialog_destroy (self->ca_chooser);
  g_clear_object (&self->ca_chooser);

  G_OBJECT_CLASS (gk_publish_page_parent_class)->dispose (object);
}

static void
gk_publish_page_finalize (GObject *object)
{
  GkPublishPage *self = GK_PUBLISH_PAGE (object);

  g_clear_object (&self->context);
  g_clear_object (&self->store);
  g_clear_object (&self->sync);
  g_clear_object (&self->sync_cancellable);
  g_clear_object (&self->health_cancellable);
  g_clear_object (&self->token_cancellable);
  g_clear_object (&self->unlock_cancellable);
  g_clear_object (&self->withdraw_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->portal_url, g_free);
  g_clear_pointer (&self->portal_ca_file, g_free);
  g_clear_pointer (&self->conflict_jobs, g_ptr_array_unref);
  g_clear_pointer (&self->published_items, g_ptr_array_unref);
  g_clear_pointer (&self->withdrawing, g_hash_table_unref);
  g_clear_pointer (&self->session_token, gk_token_free);
  g_free (self->session_token_url);
  g_free (self->test_result);
  g_free (self->report_summary);
  g_clear_pointer (&self->result_positions, g_hash_table_unref);
  g_clear_object (&self->results);
  g_clear_pointer (&self->conflict_rows, g_ptr_array_unref);
  g_clear_pointer (&self->published_rows, g_ptr_array_unref);

  g_free (self->last_error_text);

  G_OBJECT_CLASS (gk_publish_page_parent_class)->finalize (object);
}

static void
gk_publish_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GkPublishPage *self = GK_PUBLISH_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->n_running > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_publish_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GkPublishPage *self = GK_PUBLISH_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_publish_page_map (GtkWidget *widget)
{
  GkPublishPage *self = GK_PUBLISH_PAGE (widget);

  GTK_WIDGET_CLASS (gk_publish_page_parent_class)->map (widget);
  if (self->stale)
    reload (self);
}

static void
gk_publish_page_class_init (GkPublishPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = gk_publish_page_constructed;
  object_class->dispose = gk_publish_page_dispose;
  object_class->finalize = gk_publish_page_finalize;
  object_class->get_property = gk_publish_page_get_property;
  object_class->set_property = gk_publish_page_set_property;
  widget_class->map = gk_publish_page_map;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, GK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gk_publish_page_init (GkPublishPage *self)
{
  GtkWidget *page = adw_preferences_page_new ();

  self->result_positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->results = g_list_store_new (GK_TYPE_PUBLISH_RESULT);
  self->withdrawing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->conflict_rows = g_ptr_array_new ();
  self->published_rows = g_ptr_array_new ();

  self->conflicts_group = adw_preferences_group_new ();
  gtk_widget_set_name (self->conflicts_group, "conflicts-group");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->conflicts_group), _("Conflicts"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->conflicts_group),
                                         _("The portal’s copy of these documents changed since this "
                                           "workstation last published them. An admin decides which "
                                           "version stays public."));
  gtk_widget_set_visible (self->conflicts_group, FALSE);

  self->published_group = adw_preferences_group_new ();
  gtk_widget_set_name (self->published_group, "published-group");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->published_group), _("Published"));

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (build_publish_group (self)));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self->conflicts_group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self->published_group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (build_portal_group (self)));

  self->toast_overlay = adw_toast_overlay_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (self->toast_overlay), page);
  adw_bin_set_child (ADW_BIN (self), self->toast_overlay);
}

/* public */

/**
 * gk_publish_page_new:
 * @context: the application context
 *
 * Returns: (transfer full): a new publishing page
 */
GtkWidget *
gk_publish_page_new (GkContext *context)
{
  g_return_val_if_fail (GK_IS_CONTEXT (context), NULL);

  return g_object_new (GK_TYPE_PUBLISH_PAGE, "context", context, NULL);
}

/**
 * gk_publish_page_get_context:
 * @self: the page
 *
 * Returns: (transfer none): its context
 */
GkContext *
gk_publish_page_get_context (GkPublishPage *self)
{
  g_return_val_if_fail (GK_IS_PUBLISH_PAGE (self), NULL);

  return self->context;
}

/**
 * gk_publish_page_reload:
 * @self: the page
 */
void
gk_publish_page_reload (GkPublishPage *self)
{
  g_return_if_fail (GK_IS_PUBLISH_PAGE (self));

  set_store (self, gk_context_get_store (self->context));
  reload (self);
  refresh_token_status (self);
}

/**
 * gk_publish_page_publish:
 * @self: the page
 *
 * Starts a batch: approved documents and withdrawals out to the portal,
 * with per-item progress.  Does nothing while one runs.
 */
void
gk_publish_page_publish (GkPublishPage *self)
{
  g_return_if_fail (GK_IS_PUBLISH_PAGE (self));

  publish_ids (self, NULL);
}

/* @only_ids: (transfer full) (nullable): what the publisher chose, %NULL
 * for every approved document */
static void
publish_ids (GkPublishPage *self, GStrv only_ids)
{
  if (self->syncing || self->sync == NULL || !may_publish (self))
    {
      g_strfreev (only_ids);
      return;
    }
  g_list_store_remove_all (self->results);
  g_hash_table_remove_all (self->result_positions);
  gtk_widget_set_visible (self->results_scroller, FALSE);
  gtk_widget_set_visible (self->report_label, FALSE);
  gtk_widget_set_visible (self->report_unlock_button, FALSE);
  g_clear_pointer (&self->report_summary, g_free);
  self->report_wants_token = FALSE;
  set_syncing (self, TRUE);
  begin_running (self);
  fetch_token (self, on_publish_token_cb, only_ids);
}

/**
 * gk_publish_page_cancel:
 * @self: the page
 *
 * Stops the running batch; what was not sent stays queued.
 */
void
gk_publish_page_cancel (GkPublishPage *self)
{
  g_return_if_fail (GK_IS_PUBLISH_PAGE (self));

  g_cancellable_cancel (self->sync_cancellable);
}

/**
 * gk_publish_page_test_connection:
 * @self: the page
 *
 * Asks the portal's /health with the token, in the background; the
 * result is shown in words.
 */
void
gk_publish_page_test_connection (GkPublishPage *self)
{
  g_return_if_fail (GK_IS_PUBLISH_PAGE (self));

  gtk_widget_set_sensitive (self->test_button, FALSE);
  gtk_widget_set_visible (self->test_spinner, TRUE);
  gtk_spinner_set_spinning (GTK_SPINNER (self->test_spinner), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->test_row), _("Asking the portal…"));
  gtk_widget_remove_css_class (self->test_row, "success");
  gtk_widget_remove_css_class (self->test_row, "error");
  g_clear_pointer (&self->test_result, g_free);
  fetch_token (self, on_test_token_cb, NULL);
}

/**
 * gk_publish_page_get_busy:
 * @self: the page
 *
 * Returns: whether a batch, a resolution, a test, a keyring call or a read
 *   runs (a page that missed changes while hidden starts reading again:
 *   wait until it is not busy)
 */
gboolean
gk_publish_page_get_busy (GkPublishPage *self)
{
  g_return_val_if_fail (GK_IS_PUBLISH_PAGE (self), FALSE);

  if (self->stale)
    reload (self);
  return self->n_running > 0;
}

/**
 * gk_publish_page_get_test_result:
 * @self: the page
 *
 * Returns: (nullable): the last connection test's result in words
 */
const char *
gk_publish_page_get_test_result (GkPublishPage *self)
{
  g_return_val_if_fail (GK_IS_PUBLISH_PAGE (self), NULL);

  return self->test_result;
}

/**
 * gk_publish_page_get_report_summary:
 * @self: the page
 *
 * Returns: (nullable): the last batch's summary in words
 */
const char *
gk_publish_page_get_report_summary (GkPublishPage *self)
{
  g_return_val_if_fail (GK_IS_PUBLISH_PAGE (self), NULL);

  return self->report_summary;
}

/**
 * gk_publish_page_get_n_conflicts:
 * @self: the page
 *
 * Returns: how many documents are listed as in conflict
 */
guint
gk_publish_page_get_n_conflicts (GkPublishPage *self)
{
  g_return_val_if_fail (GK_IS_PUBLISH_PAGE (self), 0);

  return self->conflict_rows->len;
}
