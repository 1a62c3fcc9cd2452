/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiWindow"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gk-admin-window.h"
#include "gk-app-util.h"
#include "gk-item-list.h"
#include "gk-library-view.h"
#include "gk-publish-page.h"
#include "gk-review-page.h"
#include "gk-store-async.h"
#include "gk-deadline.h"
#include "gk-user-switcher.h"
#include "gk-util.h"
#include "gk-window-private.h"

/* Days ahead for the "Expiring" view (规范性文件 whose 有效期至 is near). */
#define EXPIRING_DAYS 90
/* Working days ahead for the "Due soon" view (overdue ones included):
 * the deadline's own "soon" (gk-deadline.h). */
#define DUE_SOON_WORKING_DAYS GK_DEADLINE_SOON_WORKING_DAYS

typedef enum
{
  VIEW_ALL,
  VIEW_MINE,
  VIEW_QUEUE,
  VIEW_APPROVED,
  VIEW_PUBLISHED,
  VIEW_DUE,
  VIEW_EXPIRING,
  VIEW_SYNC,
  N_VIEWS
} ViewId;

/* The sidebar.  page: the content page that shows the view ("library" is
 * the document list with the view's filters).  The review and publish
 * pages (src/app/review, src/app/publish) take over their entries by
 * changing page here. */
static const struct
{
  ViewId      id;
  const char *name;
  const char *icon;
  const char *label;
  const char *page;
  gboolean    counted;
} views[N_VIEWS] = {
  { VIEW_ALL, "all", "folder-documents-symbolic", N_("All Documents"), "library", FALSE },
  { VIEW_MINE, "mine", "document-edit-symbolic", N_("My Drafts"), "library", FALSE },
  { VIEW_QUEUE, "queue", "security-high-symbolic", N_("Review Queue"), "review", TRUE },
  { VIEW_APPROVED, "approved", "emblem-ok-symbolic", N_("Ready to Publish"), "library", TRUE },
  { VIEW_PUBLISHED, "published", "web-browser-symbolic", N_("Published"), "library", FALSE },
  { VIEW_DUE, "due", "alarm-symbolic", N_("Due Soon / Overdue"), "library", TRUE },
  { VIEW_EXPIRING, "expiring", "preferences-system-time-symbolic", N_("Expiring"), "library", TRUE },
  { VIEW_SYNC, "sync", "emblem-synchronizing-symbolic", N_("Sync"), "publish", FALSE },
};

typedef struct
{
  GkWindow     *window;
  GkImporter   *importer;
  GCancellable *cancellable;
  GPtrArray    *results;        /* GkImportResult* */
  guint         total;
  guint         done;
  guint         asking;         /* index of the result whose password is asked */
  char         *publish_date;   /* already public since (NULL: to be published) */
  gboolean      wrong_password;
  gboolean      held;
} ImportRun;

struct _GkWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay   *toast_overlay;
  GtkStack          *main_stack;
  AdwStatusPage     *missing_page;
  AdwStatusPage     *error_page;
  AdwLeaflet        *leaflet;
  GtkListBox        *sidebar_list;
  GtkLabel          *library_label;
  GtkBox            *content_box;
  AdwHeaderBar      *content_header;
  AdwWindowTitle    *view_title;
  AdwSplitButton    *import_button;
  GtkMenuButton     *user_button;
  AdwAvatar         *user_avatar;
  GtkLabel          *user_label;
  GtkLabel          *user_name_label;
  GtkLabel          *user_roles_label;
  GtkLabel          *user_hint_label;
  GtkBox            *user_popover_box;
  GtkWidget         *user_switcher;
  GtkToggleButton   *search_button;
  GtkRevealer       *import_revealer;
  GtkSpinner        *import_spinner;
  GtkLabel          *import_label;
  GtkProgressBar    *import_progress;
  GtkStack          *content_stack;

  GkContext         *context;
  GkLibraryView     *library_view;
  GtkWidget         *review_page;
  GtkWidget         *publish_page;
  GtkListBoxRow     *rows[N_VIEWS];
  GtkLabel          *counts[N_VIEWS];
  gboolean           creating;
  guint              count_values[N_VIEWS];
  gboolean           count_known[N_VIEWS];
  GCancellable      *counts_cancellable;
  gboolean           counts_loading;
  gboolean           counts_dirty;
  guint              counts_source;
  ViewId             view;
  gboolean           switching_view;

  ImportRun         *import;
  GPtrArray         *last_results;
  GtkWidget         *summary_dialog;
  GtkWidget         *password_dialog;
  GStrv              pending_paths;
  GtkFileChooserNative *chooser;
  GtkWidget            *public_dialog;
  gboolean           close_confirmed;
  char              *user_text;
};

G_DEFINE_FINAL_TYPE (GkWindow, gk_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_import (GkWindow *self, const char *const *paths, const char *publish_date);
static void ask_next_password (ImportRun *run);

/* Views */

static void
build_query (GkWindow *self,
             ViewId    view,
             GkQuery  *query,
             char    **owned_date)
{
  memset (query, 0, sizeof *query);
  switch (view)
    {
    case VIEW_MINE:
      query->created_by = gk_context_get_user (self->context);
      query->state = GK_QUERY_DRAFT;
      break;
    case VIEW_QUEUE:
      query->state = GK_QUERY_IN_REVIEW;
      break;
    case VIEW_APPROVED:
      query->state = GK_QUERY_APPROVED;
      break;
    case VIEW_PUBLISHED:
      query->state = GK_QUERY_PUBLISHED;
      break;
    case VIEW_DUE:
      query->state = GK_QUERY_DUE;
      query->due_within = DUE_SOON_WORKING_DAYS;
      query->sort = "due";
      break;
    case VIEW_EXPIRING:
      {
        g_autofree char *today = gk_date_today ();
        g_autoptr(GDate) date = gk_date_parse (today);

        if (date != NULL)
          {
            g_date_add_days (date, EXPIRING_DAYS);
            *owned_date = gk_date_format (date);
          }
        query->category = "normative_document";
        query->expiring_before = *owned_date;
      }
      break;
    case VIEW_ALL:
    case VIEW_SYNC:
    case N_VIEWS:
    default:
      break;
    }
}

static void
update_view_title (GkWindow *self)
{
  g_autofree char *subtitle = NULL;

  if (g_str_equal (views[self->view].page, "library") && self->library_view != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (gk_library_view_get_item_list (self->library_view)));

      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document", "%u documents", n), n);
    }
  adw_window_title_set_title (self->view_title, _(views[self->view].label));
  adw_window_title_set_subtitle (self->view_title, subtitle);
}

static void
show_counts (GkWindow *self)
{
  for (guint i = 0; i < N_VIEWS; i++)
    {
      guint n = self->count_values[i];
      g_autofree char *text = NULL;

      if (!self->count_known[i])
        continue;
      text = g_strdup_printf ("%u", n);
      gtk_label_set_label (self->counts[i], text);
      gtk_widget_set_visible (GTK_WIDGET (self->counts[i]), n > 0);
    }
}

static void update_counts (GkWindow *self);

static void
on_counts_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GkWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) counts = gk_store_count_many_finish (GK_STORE (source), result, &error);
  guint j = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->counts_loading = FALSE;
  if (counts == NULL)
    g_warning ("Could not count the views: %s", error->message);
  else
    for (guint i = 0; i < N_VIEWS; i++)
      if (views[i].counted && j < counts->len)
        {
          self->count_values[i] = g_array_index (counts, guint, j++);
          self->count_known[i] = TRUE;
        }
  show_counts (self);
  if (self->counts_dirty)
    {
      self->counts_dirty = FALSE;
      update_counts (self);
    }
}

/* The sidebar's numbers: one count query per view, all in one read; one
 * read in flight, and a change meanwhile reads once more after it. */
static void
update_counts (GkWindow *self)
{
  GkStore *store = gk_context_get_store (self->context);
  GkQuery queries[N_VIEWS];
  char *owned[N_VIEWS] = { NULL, };
  guint n = 0;

  if (store == NULL)
    return;
  if (self->counts_loading)
    {
      self->counts_dirty = TRUE;
      return;
    }
  for (guint i = 0; i < N_VIEWS; i++)
    {
      if (!views[i].counted)
        continue;
      build_query (self, views[i].id, &queries[n], &owned[n]);
      queries[n].sort = NULL;
      n++;
    }
  self->counts_loading = TRUE;
  gk_store_count_many_async (store, queries, n, self->counts_cancellable, on_counts_cb,
                             g_object_ref (self));
  for (guint i = 0; i < n; i++)
    g_free (owned[i]);
}

static gboolean
update_counts_cb (gpointer data)
{
  GkWindow *self = data;

  self->counts_source = 0;
  update_counts (self);
  return G_SOURCE_REMOVE;
}

/* A burst of changes (an import) is counted once. */
static void
on_store_changed_cb (GkWindow *self)
{
  if (self->counts_source == 0)
    self->counts_source = g_timeout_add (100, update_counts_cb, self);
}

typedef struct
{
  GkWindow *self;
  ViewId    view;
} SwitchRequest;

static void
on_leave_for_view_cb (gboolean proceed,
                      gpointer user_data)
{
  SwitchRequest *request = user_data;
  GkWindow *self = request->self;

  if (proceed)
    {
      g_autofree char *owned = NULL;
      GkQuery query;

      self->view = request->view;
      if (g_str_equal (views[self->view].page, "library"))
        {
          build_query (self, self->view, &query, &owned);
          gk_library_view_set_preset (self->library_view, &query);
        }
      gtk_stack_set_visible_child_name (self->content_stack, views[self->view].page);
      gtk_widget_set_visible (GTK_WIDGET (self->search_button),
                              g_str_equal (views[self->view].page, "library"));
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
    }
  else
    {
      self->switching_view = TRUE;
      gtk_list_box_select_row (self->sidebar_list, self->rows[self->view]);
      self->switching_view = FALSE;
    }
  update_view_title (self);
  g_object_unref (self);
  g_free (request);
}

static void
on_sidebar_row_selected_cb (GtkListBox    *list,
                            GtkListBoxRow *row,
                            GkWindow      *self)
{
  SwitchRequest *request;

  if (row == NULL || self->switching_view || self->library_view == NULL)
    return;
  request = g_new0 (SwitchRequest, 1);
  request->self = g_object_ref (self);
  request->view = (ViewId) GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "view"));
  gk_library_view_confirm_leave (self->library_view, on_leave_for_view_cb, request);
}

static void
on_back_clicked_cb (GkWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
build_sidebar (GkWindow *self)
{
  for (guint i = 0; i < N_VIEWS; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *icon = gtk_image_new_from_icon_name (views[i].icon);
      GtkWidget *label = gtk_label_new (_(views[i].label));
      GtkWidget *count = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (count, "sidebar-count");
      gtk_widget_add_css_class (count, "numeric");
      if (views[i].id == VIEW_DUE)
        gtk_widget_add_css_class (count, "urgent");
      gtk_widget_set_visible (count, FALSE);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), count);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_widget_set_name (row, views[i].name);
      g_object_set_data (G_OBJECT (row), "view", GINT_TO_POINTER (views[i].id));
      gtk_list_box_append (self->sidebar_list, row);
      self->rows[i] = GTK_LIST_BOX_ROW (row);
      self->counts[i] = GTK_LABEL (count);
    }
}

static void
update_user (GkWindow *self)
{
  g_autofree char *roles = gk_context_describe_roles (self->context);
  const char *user = gk_context_get_user (self->context);

  g_free (self->user_text);
  self->user_text = g_strdup_printf ("%s · %s", user, roles);
  gtk_label_set_label (self->user_label, self->user_text);
  gtk_label_set_label (self->user_name_label, user);
  gtk_label_set_label (self->user_roles_label, roles);
  adw_avatar_set_text (self->user_avatar, user);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->user_button), self->user_text);
}

static void
on_list_changed_cb (GkWindow *self)
{
  update_view_title (self);
}

/* Another member acts now (a shared desk): their name, roles and drafts. */
static void
on_user_changed_cb (GkWindow *self)
{
  g_autofree char *owned = NULL;
  GkQuery query;

  update_user (self);
  if (self->library_view == NULL)
    return;
  update_counts (self);
  if (g_str_equal (views[self->view].page, "library"))
    {
      build_query (self, self->view, &query, &owned);
      gk_library_view_set_preset (self->library_view, &query);
    }
}

static void
on_user_popover_shown_cb (GkWindow *self)
{
  /* Roles may have changed in the administration window. */
  update_user (self);
}

static void
setup_library (GkWindow *self)
{
  GkStore *store = gk_context_get_store (self->context);
  g_autofree char *library_text = NULL;

  self->library_view = GK_LIBRARY_VIEW (gk_library_view_new (self->context));
  gtk_stack_add_named (self->content_stack, GTK_WIDGET (self->library_view), "library");
  self->review_page = gk_review_page_new (self->context);
  gtk_stack_add_named (self->content_stack, self->review_page, "review");
  self->publish_page = gk_publish_page_new (self->context);
  gtk_stack_add_named (self->content_stack, self->publish_page, "publish");

  g_object_bind_property (self->search_button, "active",
                          gk_library_view_get_search_bar (self->library_view), "search-mode-enabled",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_signal_connect_object (gk_library_view_get_item_list (self->library_view), "items-changed",
                           G_CALLBACK (on_list_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (store, "items-changed", G_CALLBACK (on_store_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "library-changed", G_CALLBACK (on_store_changed_cb),
                           self, G_CONNECT_SWAPPED);

  self->user_switcher = gk_user_switcher_new (self->context);
  gtk_box_append (self->user_popover_box, self->user_switcher);
  gtk_widget_set_visible (GTK_WIDGET (self->user_hint_label), FALSE);
  g_signal_connect_object (self->context, "notify::user", G_CALLBACK (on_user_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_menu_button_get_popover (self->user_button), "show",
                           G_CALLBACK (on_user_popover_shown_cb), self, G_CONNECT_SWAPPED);

  library_text = g_strdup_printf (_("Library: %s"), gk_context_get_library_path (self->context));
  gtk_label_set_label (self->library_label, library_text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->library_label), gk_context_get_library_path (self->context));

  update_user (self);
  update_counts (self);
  gtk_stack_set_visible_child_name (self->main_stack, "library");
  gtk_list_box_select_row (self->sidebar_list, self->rows[VIEW_ALL]);
  update_view_title (self);

  if (self->pending_paths != NULL)
    {
      g_auto(GStrv) paths = g_steal_pointer (&self->pending_paths);

      start_import (self, (const char *const *) paths, NULL);
    }
}

static void
on_library_opened_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GkWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (gk_context_open_finish (GK_CONTEXT (source), result, &error))
    {
      setup_library (self);
      if (self->creating)
        gk_widget_show_toast (GTK_WIDGET (self), _("The library was created. Import documents to begin."));
      self->creating = FALSE;
      return;
    }
  if (self->creating)
    {
      self->creating = FALSE;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.create-library", TRUE);
      gk_widget_show_toast (GTK_WIDGET (self), error->message);
      return;
    }
  if (g_error_matches (error, GK_ERROR, GK_ERROR_NOT_FOUND))
    {
      g_autofree char *text =
        g_strdup_printf (_("There is no document library at %s yet. Create it to start importing "
                           "documents; you will be its first admin."),
                         gk_context_get_library_path (self->context));

      adw_status_page_set_description (self->missing_page, text);
      gtk_stack_set_visible_child_name (self->main_stack, "missing");
      return;
    }
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->main_stack, "error");
}

static void
open_library (GkWindow *self)
{
  /* A context opened already (by the application or a test) needs no
   * waiting. */
  if (gk_context_get_store (self->context) != NULL)
    {
      setup_library (self);
      return;
    }
  gk_context_open_async (self->context, FALSE, NULL, on_library_opened_cb, g_object_ref (self));
}

/* Import */

static void
import_run_free (ImportRun *run)
{
  GApplication *application = g_application_get_default ();

  /* Held while files are written into the library (see start_import). */
  if (run->held && application != NULL)
    g_application_release (application);
  g_clear_object (&run->importer);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->results, g_ptr_array_unref);
  g_free (run->publish_date);
  g_object_unref (run->window);
  g_free (run);
}

static void
set_import_banner (GkWindow   *self,
                   const char *text,
                   double      fraction)
{
  gtk_label_set_label (self->import_label, text);
  if (fraction < 0)
    gtk_progress_bar_pulse (self->import_progress);
  else
    gtk_progress_bar_set_fraction (self->import_progress, fraction);
}

static void
on_import_progress_cb (guint                 done,
                       guint                 total,
                       const GkImportResult *result,
                       gpointer              user_data)
{
  ImportRun *run = user_data;
  /* File names may hold bytes that are no UTF-8: labels need text. */
  g_autofree char *name = result && result->path ? g_filename_display_basename (result->path) : NULL;
  g_autofree char *text = NULL;

  run->done = done;
  run->total = total;
  /* Translators: import progress, "Imported 3 of 10 files (通知.pdf)" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u of %u file (%s)",
                                       "Imported %u of %u files (%s)", total),
                          done, total, name ? name : "");
  set_import_banner (run->window, text, total > 0 ? (double) done / total : -1);
}

static void
on_summary_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        GkWindow         *self)
{
  if (self->summary_dialog == GTK_WIDGET (dialog))
    self->summary_dialog = NULL;
}

static const char *
status_icon (const GkImportResult *result)
{
  switch (result->status)
    {
    case GK_IMPORT_IMPORTED:
      return result->warning ? "dialog-warning-symbolic" : "emblem-ok-symbolic";
    case GK_IMPORT_DUPLICATE:
      return "edit-copy-symbolic";
    case GK_IMPORT_FAILED:
    default:
      return "dialog-error-symbolic";
    }
}

static void
show_summary (ImportRun *run)
{
  GkWindow *self = run->window;
  guint imported = 0, duplicates = 0, failed = 0, warned = 0, cancelled;
  gboolean was_cancelled;
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;
  GtkWidget *list = NULL;
  guint n_rows = 0;
  const char *heading;

  for (guint i = 0; i < run->results->len; i++)
    {
      GkImportResult *result = g_ptr_array_index (run->results, i);

      if (result->status == GK_IMPORT_IMPORTED)
        {
          imported++;
          warned += result->warning != NULL;
        }
      else if (result->status == GK_IMPORT_DUPLICATE)
        duplicates++;
      else
        failed++;
    }
  cancelled = run->total > run->results->len ? run->total - run->results->len : 0;
  was_cancelled = g_cancellable_is_cancelled (run->cancellable);

  g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "%u file imported.",
                                             "%u files imported.", imported), imported);
  /* A record that could not be read must not pass for one that was. */
  if (warned > 0)
    {
      g_string_append_c (body, ' ');
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u of them has warnings: check its record before submitting it.",
                                                 "%u of them have warnings: check their records before submitting them.",
                                                 warned),
                              warned);
    }
  if (duplicates > 0)
    {
      g_string_append_c (body, ' ');
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "%u was already in the library.",
                                                 "%u were already in the library.", duplicates), duplicates);
    }
  if (failed > 0)
    {
      g_string_append_c (body, ' ');
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "%u could not be imported.",
                                                 "%u could not be imported.", failed), failed);
    }
  if (cancelled > 0)
    {
      g_string_append_c (body, ' ');
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "%u was not imported: the import was cancelled.",
                                                 "%u were not imported: the import was cancelled.", cancelled),
                              cancelled);
    }
  else if (was_cancelled)
    {
      g_string_append_c (body, ' ');
      g_string_append (body, _("The import was cancelled before every file was read."));
    }
  heading = cancelled > 0 || was_cancelled ? _("Import Cancelled") : failed > 0 ? _("Import Finished with Problems")
                                                                : warned > 0 ? _("Import Finished with Warnings")
                                                                             : _("Import Finished");

  /* Every file that needs a word: failures with their reason, duplicates,
   * imports with a warning. */
  for (guint i = 0; i < run->results->len; i++)
    {
      GkImportResult *result = g_ptr_array_index (run->results, i);
      g_autofree char *name = g_filename_display_basename (result->path);
      g_autofree char *shown_path = g_filename_display_name (result->path);
      GtkWidget *row, *icon;
      const char *subtitle;

      if (result->status == GK_IMPORT_IMPORTED && result->warning == NULL && run->results->len > 1)
        continue;
      if (list == NULL)
        {
          list = gtk_list_box_new ();
          gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
          gtk_widget_add_css_class (list, "boxed-list");
          gtk_widget_set_name (list, "import-results");
        }
      if (result->status == GK_IMPORT_FAILED)
        subtitle = result->error ? result->error : _("Unknown error");
      else if (result->status == GK_IMPORT_DUPLICATE)
        subtitle = _("Already in the library");
      else
        subtitle = result->warning ? result->warning : _("Imported");
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      /* Every word of a reason is shown (no ellipsis): GTK 4.8 can loop
       * for ever sizing a dialog whose wrapped label is also cut at a
       * number of lines, for some texts (two warnings of a duplicate
       * 文号 did, /gui/window/import-already-public). */
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      icon = gtk_image_new_from_icon_name (status_icon (result));
      if (result->status == GK_IMPORT_FAILED)
        gtk_widget_add_css_class (icon, "error");
      else if (result->warning != NULL)
        gtk_widget_add_css_class (icon, "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_widget_set_tooltip_text (row, shown_path);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      n_rows++;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  if (list != NULL && n_rows <= 4)
    adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  else if (list != NULL)
    {
      GtkWidget *scroller = gtk_scrolled_window_new ();

      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 420);
      gtk_widget_set_size_request (scroller, 420, -1);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
    }
  gtk_widget_set_name (dialog, "import-summary");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_summary_response_cb), self, 0);
  self->summary_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
finish_run (ImportRun *run)
{
  GkWindow *self = run->window;

  gtk_spinner_stop (self->import_spinner);
  gtk_revealer_set_reveal_child (self->import_revealer, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.cancel-import", FALSE);
  g_clear_pointer (&self->last_results, g_ptr_array_unref);
  self->last_results = g_ptr_array_ref (run->results);
  if (self->import == run)
    self->import = NULL;
  if (!gtk_widget_in_destruction (GTK_WIDGET (self)) && !self->close_confirmed)
    show_summary (run);
  import_run_free (run);
}

static void
on_password_import_done_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  ImportRun *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  GkImportResult *again;

  results = gk_importer_import_finish (GK_IMPORTER (source), result, &error);
  g_clear_object (&run->importer);
  if (results != NULL && results->len > 0)
    {
      again = g_ptr_array_steal_index (results, 0);
      run->wrong_password = again->status == GK_IMPORT_FAILED && again->error_code == GK_ERROR_PASSWORD;
      gk_import_result_free (g_ptr_array_index (run->results, run->asking));
      g_ptr_array_index (run->results, run->asking) = again;
      if (run->wrong_password)
        {
          ask_next_password (run);
          return;
        }
    }
  run->asking++;
  ask_next_password (run);
}

static void
on_password_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         ImportRun        *run)
{
  GkWindow *self = run->window;
  GtkWidget *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  GkImportResult *result = g_ptr_array_index (run->results, run->asking);
  const char *paths[] = { result->path, NULL };

  g_signal_handlers_disconnect_by_func (dialog, on_password_response_cb, run);

  if (self->password_dialog == GTK_WIDGET (dialog))
    self->password_dialog = NULL;
  gtk_editable_set_text (GTK_EDITABLE (entry), "");

  if (!g_str_equal (response, "import") || password[0] == '\0' ||
      gk_context_get_store (self->context) == NULL)
    {
      run->wrong_password = FALSE;
      run->asking++;
      ask_next_password (run);
      return;
    }

  set_import_banner (self, _("Importing the protected file…"), -1);
  gtk_revealer_set_reveal_child (self->import_revealer, TRUE);
  run->importer = gk_context_new_importer (self->context);
  gk_importer_set_password (run->importer, password);
  gk_importer_set_publish_date (run->importer, run->publish_date);
  memset (password, 0, strlen (password));
  gk_importer_import_async (run->importer, paths, NULL, NULL, NULL, run->cancellable,
                            on_password_import_done_cb, run);
}

/* Encrypted PDFs: ask for each one's password in turn, then sum up. */
static void
ask_next_password (ImportRun *run)
{
  GkWindow *self = run->window;
  GkImportResult *result = NULL;
  GtkWidget *dialog, *entry;
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;

  while (run->asking < run->results->len)
    {
      result = g_ptr_array_index (run->results, run->asking);
      if (result->status == GK_IMPORT_FAILED && result->error_code == GK_ERROR_PASSWORD &&
          !g_cancellable_is_cancelled (run->cancellable))
        break;
      result = NULL;
      run->asking++;
      run->wrong_password = FALSE;
    }
  if (result == NULL || gtk_widget_in_destruction (GTK_WIDGET (self)) || self->close_confirmed)
    {
      finish_run (run);
      return;
    }

  gtk_revealer_set_reveal_child (self->import_revealer, FALSE);
  name = g_filename_display_basename (result->path);
  body = run->wrong_password
         ? g_strdup_printf (_("The password for “%s” is wrong. Enter it again to import the file, or skip it."), name)
         : g_strdup_printf (_("“%s” is protected by a password. Enter it to import the file, or skip it. "
                              "The password is not stored."), name);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Password Required"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "skip", _("_Skip"),
                                    "import", _("_Import"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "import");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "skip");
  /* A plain entry with hidden text: GTK 4.8's GtkPasswordEntry inside an
   * AdwMessageDialog crashes when the dialog is closed. */
  entry = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_widget_set_name (entry, "password-entry");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  gtk_widget_set_name (dialog, "password-dialog");
  g_signal_connect (dialog, "response", G_CALLBACK (on_password_response_cb), run);
  self->password_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
on_import_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ImportRun *run = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  results = gk_importer_import_finish (GK_IMPORTER (source), result, &error);
  g_clear_object (&run->importer);
  if (results == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_error_matches (error, GK_ERROR, GK_ERROR_CANCELLED))
        gk_widget_show_toast (GTK_WIDGET (run->window), error->message);
      results = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_import_result_free);
    }
  run->results = results;
  run->asking = 0;
  ask_next_password (run);
}

static void
start_import (GkWindow *self, const char *const *paths, const char *publish_date)
{
  ImportRun *run;

  if (paths == NULL || paths[0] == NULL)
    return;
  if (gk_context_get_store (self->context) == NULL)
    {
      /* Import once the library exists. */
      g_strfreev (self->pending_paths);
      self->pending_paths = g_strdupv ((GStrv) paths);
      gk_widget_show_toast (GTK_WIDGET (self), _("Create the library first; the files are imported then."));
      return;
    }
  if (self->import != NULL)
    {
      gk_widget_show_toast (GTK_WIDGET (self), _("An import is already running. Wait for it to finish."));
      return;
    }

  run = g_new0 (ImportRun, 1);
  run->window = g_object_ref (self);
  /* Closing the window cancels the import; the program waits for the
   * workers to stop before it exits. */
  if (g_application_get_default () != NULL)
    {
      g_application_hold (g_application_get_default ());
      run->held = TRUE;
    }
  run->importer = gk_context_new_importer (self->context);
  run->publish_date = g_strdup (publish_date);
  gk_importer_set_publish_date (run->importer, publish_date);
  run->cancellable = g_cancellable_new ();
  self->import = run;

  set_import_banner (self, _("Looking for files…"), 0);
  gtk_spinner_start (self->import_spinner);
  gtk_revealer_set_reveal_child (self->import_revealer, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.cancel-import", TRUE);
  gk_importer_import_async (run->importer, paths, on_import_progress_cb, run, NULL,
                            run->cancellable, on_import_done_cb, run);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        GkWindow        *self)
{
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          char *path = g_file_get_path (file);

          if (path != NULL)
            g_ptr_array_add (paths, path);
        }
      g_ptr_array_add (paths, NULL);
      start_import (self, (const char *const *) paths->pdata,
                    g_object_get_data (G_OBJECT (chooser), "publish-date"));
    }
  g_clear_object (&self->chooser);
}

/* publish_date: the files are already public since then (the back
 * catalogue), NULL for documents to be published. */
static void
open_chooser (GkWindow *self, gboolean folder, const char *publish_date)
{
  GtkFileChooserNative *chooser;
  const char           *title;

  if (self->chooser != NULL)
    return;
  if (publish_date != NULL)
    title = _ ("Import Documents Already Public");
  else
    title = folder ? _ ("Import a Folder") : _ ("Import Files");
  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                         folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                                : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _ ("_Import"), _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (!folder)
    {
      GtkFileFilter *pdf = gtk_file_filter_new ();
      GtkFileFilter *all = gtk_file_filter_new ();

      gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
      gtk_file_filter_set_name (pdf, _("PDF documents"));
      gtk_file_filter_add_mime_type (pdf, "application/pdf");
      gtk_file_filter_add_suffix (pdf, "pdf");
      gtk_file_filter_set_name (all, _("All files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), pdf);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
      g_object_unref (pdf);
      g_object_unref (all);
    }
  g_object_set_data_full (G_OBJECT (chooser), "publish-date", g_strdup (publish_date), g_free);
  self->chooser = chooser;
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            GkWindow      *self)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  GdkFileList *list;
  g_autoptr(GSList) files = NULL;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  list = g_value_get_boxed (value);
  files = gdk_file_list_get_files (list);
  for (GSList *l = files; l != NULL; l = l->next)
    {
      char *path = g_file_get_path (l->data);

      if (path != NULL)
        g_ptr_array_add (paths, path);
    }
  if (paths->len == 0)
    return FALSE;
  g_ptr_array_add (paths, NULL);
  start_import (self, (const char *const *) paths->pdata, NULL);
  return TRUE;
}

/* Actions */

static void
import_files_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  open_chooser (GK_WINDOW (widget), FALSE, NULL);
}

static void
import_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  open_chooser (GK_WINDOW (widget), TRUE, NULL);
}

/* The back catalogue: documents that went public before the office used
 * this library are filed with the day they went public, and no deadline
 * runs for them.  The day is asked first, then the files. */
static gboolean
check_public_date (AdwMessageDialog *dialog)
{
  GtkWidget       *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  GtkLabel        *hint = g_object_get_data (G_OBJECT (dialog), "hint");
  const char      *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *message = NULL;
  gboolean         ok = FALSE;

  if (gk_str_is_blank (text))
    message = g_strdup (_ ("Enter the day they went public, as YYYY-MM-DD."));
  else if (!gk_date_is_valid (text))
    message = g_strdup_printf (_ ("“%s” is not a date: enter it as YYYY-MM-DD."), text);
  else if (!gk_deadline_already_public (text, NULL))
    message = g_strdup_printf (_ ("%s is still to come. Documents not yet public are imported with "
                                  "Import Files, and their deadline runs."),
                               text);
  else
    ok = TRUE;

  gtk_label_set_label (hint, ok ? "" : message);
  gtk_widget_set_visible (GTK_WIDGET (hint), !ok);
  if (ok || gk_str_is_blank (text))
    gtk_widget_remove_css_class (entry, "error");
  else
    gtk_widget_add_css_class (entry, "error");
  adw_message_dialog_set_response_enabled (dialog, "files", ok);
  adw_message_dialog_set_response_enabled (dialog, "folder", ok);
  return ok;
}

static void
on_public_date_changed_cb (GtkEditable *entry, AdwMessageDialog *dialog)
{
  check_public_date (dialog);
}

static void
on_public_response_cb (AdwMessageDialog *dialog, const char *response, GkWindow *self)
{
  GtkWidget       *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *date = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  if (self->public_dialog == GTK_WIDGET (dialog))
    self->public_dialog = NULL;
  if ((g_str_equal (response, "files") || g_str_equal (response, "folder")) &&
      check_public_date (dialog))
    open_chooser (self, g_str_equal (response, "folder"), date);
}

static void
import_public_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  GkWindow  *self = GK_WINDOW (widget);
  GtkWidget *dialog, *box, *entry, *hint;

  if (self->public_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->public_dialog));
      return;
    }
  dialog =
      adw_message_dialog_new (GTK_WINDOW (self), _ ("Import Documents Already Public"),
                              _ ("Documents the office published before it kept them here are "
                                 "filed with the day they went public. No deadline runs for them, "
                                 "and nothing is sent to the portal until someone submits, "
                                 "approves and publishes them. Documents published on other days "
                                 "can be imported in another round, or their publish date "
                                 "corrected in the record."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "folder",
                                    _ ("Choose a F_older…"), "files", _ ("Choose _Files…"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "files",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "files");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_entry_new ();
  gtk_widget_set_name (entry, "public-date-entry");
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _ ("Published on (YYYY-MM-DD)"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Published on"), -1);
  hint = gtk_label_new (NULL);
  gtk_widget_set_name (hint, "public-date-hint");
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "caption");
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), hint);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_object_set_data (G_OBJECT (dialog), "hint", hint);
  gtk_widget_set_name (dialog, "import-public-dialog");
  g_signal_connect (entry, "changed", G_CALLBACK (on_public_date_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_public_response_cb), self);
  check_public_date (ADW_MESSAGE_DIALOG (dialog));
  self->public_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  gk_window_cancel_import (GK_WINDOW (widget));
}

static void
create_library_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);

  if (self->creating)
    return;
  self->creating = TRUE;
  gtk_widget_action_set_enabled (widget, "window.create-library", FALSE);
  gk_context_open_async (self->context, TRUE, NULL, on_library_opened_cb, g_object_ref (self));
}

static void
administration_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);
  GtkWidget *admin;

  if (gk_context_get_store (self->context) == NULL)
    return;
  admin = gk_admin_window_new (GTK_WINDOW (self), self->context);
  gtk_window_present (GTK_WINDOW (admin));
}

static void
library_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);
  GkPdfView *preview;

  if (self->library_view == NULL)
    return;
  preview = gk_library_view_get_preview (self->library_view);

  /* On the review page the zoom keys act on the document beside the
   * record there. */
  if (self->review_page != NULL && g_str_equal (views[self->view].page, "review") &&
      g_str_has_prefix (action_name, "window.zoom-"))
    {
      GkPdfCanvas *canvas = GK_PDF_CANVAS (gk_review_page_get_canvas (GK_REVIEW_PAGE (self->review_page)));

      if (g_str_equal (action_name, "window.zoom-in"))
        gk_pdf_canvas_zoom_in (canvas);
      else if (g_str_equal (action_name, "window.zoom-out"))
        gk_pdf_canvas_zoom_out (canvas);
      else
        gk_pdf_canvas_zoom_reset (canvas);
      return;
    }

  if (g_str_equal (action_name, "window.search"))
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

      /* In the document (as in a PDF reader), Ctrl+F finds in it; in the
       * list it searches the library. */
      if (focus != NULL && g_str_equal (views[self->view].page, "library") &&
          (focus == GTK_WIDGET (preview) || gtk_widget_is_ancestor (focus, GTK_WIDGET (preview))))
        {
          gtk_widget_activate_action (GTK_WIDGET (preview), "preview.find", NULL);
          return;
        }
      if (!g_str_equal (views[self->view].page, "library"))
        gtk_list_box_select_row (self->sidebar_list, self->rows[VIEW_ALL]);
      gk_library_view_search (self->library_view, NULL);
    }
  else if (g_str_equal (action_name, "window.save"))
    gk_library_view_save (self->library_view);
  else if (g_str_equal (action_name, "window.zoom-in"))
    gk_pdf_view_zoom_in (preview);
  else if (g_str_equal (action_name, "window.zoom-out"))
    gk_pdf_view_zoom_out (preview);
  else if (g_str_equal (action_name, "window.zoom-reset"))
    gk_pdf_view_zoom_reset (preview);
  else if (g_str_equal (action_name, "window.find-in-document"))
    gtk_widget_activate_action (GTK_WIDGET (preview), "preview.find", NULL);
}

/* GtkWindow */

static void
on_close_confirmed_cb (gboolean proceed,
                       gpointer user_data)
{
  g_autoptr(GkWindow) self = user_data;

  if (!proceed)
    return;
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
gk_window_close_request (GtkWindow *window)
{
  GkWindow *self = GK_WINDOW (window);
  GSettings *settings = gk_context_get_settings (self->context);

  if (!self->close_confirmed && self->library_view != NULL &&
      gk_library_view_has_unsaved_changes (self->library_view))
    {
      gk_library_view_confirm_leave (self->library_view, on_close_confirmed_cb, g_object_ref (self));
      return TRUE;
    }
  self->close_confirmed = TRUE;

  if (settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (settings, "window-width", width);
          g_settings_set_int (settings, "window-height", height);
        }
    }
  if (self->import != NULL)
    g_cancellable_cancel (self->import->cancellable);

  return GTK_WINDOW_CLASS (gk_window_parent_class)->close_request (window);
}

/* GObject */

static void
gk_window_constructed (GObject *object)
{
  GkWindow *self = GK_WINDOW (object);
  GSettings *settings = gk_context_get_settings (self->context);
  GtkDropTarget *drop;

  G_OBJECT_CLASS (gk_window_parent_class)->constructed (object);

  if (settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  else
    gtk_window_set_default_size (GTK_WINDOW (self), 1360, 860);

  build_sidebar (self);
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.cancel-import", FALSE);
  open_library (self);
}

static void
gk_window_dispose (GObject *object)
{
  GkWindow *self = GK_WINDOW (object);

  if (self->import != NULL)
    g_cancellable_cancel (self->import->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_cancellable_cancel (self->counts_cancellable);
  g_clear_object (&self->counts_cancellable);
  g_clear_handle_id (&self->counts_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), GK_TYPE_WINDOW);

  G_OBJECT_CLASS (gk_window_parent_class)->dispose (object);
}

static void
gk_window_finalize (GObject *object)
{
  GkWindow *self = GK_WINDOW (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->last_results, g_ptr_array_unref);
  g_strfreev (self->pending_paths);
  g_free (self->user_text);

  G_OBJECT_CLASS (gk_window_parent_class)->finalize (object);
}

static void
gk_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  GkWindow *self = GK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  GkWindow *self = GK_WINDOW (object);

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
gk_window_class_init (GkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  static const char *library_actions[] = {
    "window.search", "window.save", "window.zoom-in", "window.zoom-out", "window.zoom-reset",
    "window.find-in-document",
  };

  object_class->constructed = gk_window_constructed;
  object_class->dispose = gk_window_dispose;
  object_class->finalize = gk_window_finalize;
  object_class->get_property = gk_window_get_property;
  object_class->set_property = gk_window_set_property;
  window_class->close_request = gk_window_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, GK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/gov/gongkai/Desk/gk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, missing_page);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, library_label);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, content_header);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, view_title);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, import_button);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, user_button);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, user_avatar);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, user_label);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, user_name_label);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, user_roles_label);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, user_hint_label);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, user_popover_box);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, import_revealer);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, import_spinner);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, import_label);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, import_progress);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, content_stack);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "window.import-files", NULL, import_files_action);
  gtk_widget_class_install_action (widget_class, "window.import-folder", NULL, import_folder_action);
  gtk_widget_class_install_action (widget_class, "window.import-public", NULL,
                                   import_public_action);
  gtk_widget_class_install_action (widget_class, "window.cancel-import", NULL, cancel_import_action);
  gtk_widget_class_install_action (widget_class, "window.create-library", NULL, create_library_action);
  gtk_widget_class_install_action (widget_class, "window.administration", NULL, administration_action);
  for (guint i = 0; i < G_N_ELEMENTS (library_actions); i++)
    gtk_widget_class_install_action (widget_class, library_actions[i], NULL, library_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "window.import-files", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "window.import-folder", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "window.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "window.find-in-document", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "window.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "window.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "window.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "window.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "window.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "window.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "window.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "window.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
gk_window_init (GkWindow *self)
{
  self->counts_cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

/**
 * gk_window_new:
 * @application: the application
 * @context: its context
 *
 * Returns: (transfer full): a new window on @context's library
 */
GkWindow *
gk_window_new (GkApplication *application,
               GkContext     *context)
{
  g_return_val_if_fail (GK_IS_CONTEXT (context), NULL);

  return g_object_new (GK_TYPE_WINDOW,
                       "application", application,
                       "context", context,
                       NULL);
}

/**
 * gk_window_get_context:
 * @self: a window
 *
 * Returns: (transfer none): the window's context
 */
GkContext *
gk_window_get_context (GkWindow *self)
{
  g_return_val_if_fail (GK_IS_WINDOW (self), NULL);

  return self->context;
}

/**
 * gk_window_import_paths:
 * @self: a window
 * @paths: files and folders
 *
 * Imports them in the background with progress and a summary.
 */
void
gk_window_import_paths (GkWindow          *self,
                        const char *const *paths)
{
  g_return_if_fail (GK_IS_WINDOW (self));

  start_import (self, paths, NULL);
}

/**
 * gk_window_import_public_paths:
 * @self: a window
 * @paths: files and folders
 * @publish_date: YYYY-MM-DD, today or before
 *
 * Imports documents that are already public since @publish_date, as
 * "Import Documents Already Public…" does after asking for the day.
 */
void
gk_window_import_public_paths (GkWindow *self, const char *const *paths, const char *publish_date)
{
  g_return_if_fail (GK_IS_WINDOW (self));
  g_return_if_fail (gk_date_is_valid (publish_date));

  start_import (self, paths, publish_date);
}

/* The dialog asking for the day already public documents went public,
 * while shown (gk-window-private.h). */
GtkWidget *
gk_window_get_public_dialog (GkWindow *self)
{
  return self->public_dialog;
}

/* The file chooser while shown, and the day its files are public since. */
GtkNativeDialog *
gk_window_get_chooser (GkWindow *self, const char **publish_date)
{
  if (publish_date != NULL)
    *publish_date =
        self->chooser ? g_object_get_data (G_OBJECT (self->chooser), "publish-date") : NULL;
  return self->chooser ? GTK_NATIVE_DIALOG (self->chooser) : NULL;
}

/* For the tests (gk-window-private.h) */

GkLibraryView *
gk_window_get_library_view (GkWindow *self)
{
  return self->library_view;
}

const char *
gk_window_get_page (GkWindow *self)
{
  return gtk_stack_get_visible_child_name (self->main_stack);
}

gboolean
gk_window_is_importing (GkWindow *self)
{
  return self->import != NULL;
}

GtkWidget *
gk_window_get_import_summary (GkWindow *self)
{
  return self->summary_dialog;
}

GtkWidget *
gk_window_get_password_dialog (GkWindow *self)
{
  return self->password_dialog;
}

GPtrArray *
gk_window_get_import_results (GkWindow *self)
{
  return self->last_results;
}

void
gk_window_cancel_import (GkWindow *self)
{
  if (self->import != NULL)
    {
      g_cancellable_cancel (self->import->cancellable);
      set_import_banner (self, _("Cancelling…"), -1);
    }
}

void
gk_window_select_view (GkWindow   *self,
                       const char *view)
{
  for (guint i = 0; i < N_VIEWS; i++)
    if (g_str_equal (views[i].name, view))
      gtk_list_box_select_row (self->sidebar_list, self->rows[i]);
}

const char *
gk_window_get_view (GkWindow *self)
{
  return views[self->view].name;
}

int
gk_window_get_view_count (GkWindow   *self,
                          const char *view)
{
  for (guint i = 0; i < N_VIEWS; i++)
    if (g_str_equal (views[i].name, view) && self->count_known[i])
      return (int) self->count_values[i];
  return -1;
}

const char *
gk_window_get_user_text (GkWindow *self)
{
  return self->user_text;
}
