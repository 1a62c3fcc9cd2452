/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiAdmin"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-calendar-page.h"
#include "gk-store-async.h"

struct _GkCalendarPage
{
  GkAdminPage  parent_instance;

  GtkWidget   *warning_group;
  GtkWidget   *changes_group;
  GtkWidget   *years_group;
  GPtrArray   *year_rows;
  GPtrArray   *years; /* GkCalendarYear*, as shown */
  guint        busy;  /* writes on their way */
};

G_DEFINE_FINAL_TYPE (GkCalendarPage, gk_calendar_page, GK_TYPE_ADMIN_PAGE)

/* The dialog of one year, added or edited. */
typedef struct
{
  GkCalendarPage *self;
  GtkWindow      *window;
  GtkWidget      *year_entry;
  GtkWidget      *source_entry;
  GtkWidget      *holidays_view;
  GtkWidget      *workdays_view;
  GtkWidget      *error_label;
  GtkWidget      *save_button;
  int             editing; /* the year edited, 0 for a new one */
} YearDialog;

static void
year_dialog_free (YearDialog *dialog)
{
  g_object_unref (dialog->self);
  g_free (dialog);
}

/* helpers */

static const char *
get_actor (GkCalendarPage *self)
{
  return gk_context_get_user (gk_admin_page_get_context (GK_ADMIN_PAGE (self)));
}

static GkCalendarYear *
find_year (GkCalendarPage *self, int year)
{
  for (guint i = 0; self->years != NULL && i < self->years->len; i++)
    {
      GkCalendarYear *shown = g_ptr_array_index (self->years, i);

      if (shown->year == year)
        return shown;
    }
  return NULL;
}

static char *
describe_year (const GkCalendarYear *year)
{
  guint            n_holidays = g_strv_length (year->holidays);
  guint            n_workdays = g_strv_length (year->workdays);
  g_autofree char *holidays =
      g_strdup_printf (ngettext ("%u holiday", "%u holidays", n_holidays), n_holidays);
  g_autofree char *workdays =
      g_strdup_printf (ngettext ("%u working day", "%u working days", n_workdays), n_workdays);

  /* TRANSLATORS: the notice, then "11 holidays", "3 working days" */
  return g_strdup_printf (_ ("%s — %s, %s"),
                          year->source != NULL ? year->source
                                               : _ ("No notice is named for this year"),
                          holidays, workdays);
}

static void
set_busy (GkCalendarPage *self, gboolean busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
}

static void on_edit_clicked_cb (GtkButton *button, GkCalendarPage *self);
static void on_remove_clicked_cb (GtkButton *button, GkCalendarPage *self);

static void
show_years (GkCalendarPage *self, GPtrArray *years, GArray *unknown)
{
  gboolean admin = gk_admin_page_is_admin (GK_ADMIN_PAGE (self));

  for (guint i = 0; i < self->year_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->years_group),
                                  g_ptr_array_index (self->year_rows, i));
  g_ptr_array_set_size (self->year_rows, 0);
  g_clear_pointer (&self->years, g_ptr_array_unref);
  self->years = years;

  if (years->len == 0)
    adw_preferences_group_set_description (
        ADW_PREFERENCES_GROUP (self->years_group),
        _ ("The library has no year of holidays: deadlines count weekends only."));
  else
    adw_preferences_group_set_description (
        ADW_PREFERENCES_GROUP (self->years_group),
        _ ("Official holidays and the weekend days worked in their place "
           "(调休), kept in the library for every desk. Years not listed "
           "count weekends only."));
  for (guint i = 0; i < years->len; i++)
    {
      GkCalendarYear  *year = g_ptr_array_index (years, i);
      g_autofree char *title = g_strdup_printf ("%d", year->year);
      g_autofree char *subtitle = describe_year (year);
      g_autofree char *name = g_strdup_printf ("year-%d", year->year);
      g_autofree char *edit_name = g_strdup_printf ("edit-year-%d", year->year);
      g_autofree char *remove_name = g_strdup_printf ("remove-year-%d", year->year);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget       *edit = gtk_button_new_from_icon_name ("document-edit-symbolic");
      GtkWidget       *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

      gtk_widget_set_name (edit, edit_name);
      gtk_widget_set_tooltip_text (edit, _ ("Edit this year's dates"));
      gtk_widget_set_name (remove, remove_name);
      gtk_widget_set_tooltip_text (remove, _ ("Remove this year"));
      for (GtkWidget *button = edit; button != NULL; button = button == edit ? remove : NULL)
        {
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (button, "flat");
          gtk_widget_set_sensitive (button, admin);
          g_object_set_data (G_OBJECT (button), "year", GINT_TO_POINTER (year->year));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      g_signal_connect_object (edit, "clicked", G_CALLBACK (on_edit_clicked_cb), self, 0);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self, 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->years_group), row);
      g_ptr_array_add (self->year_rows, row);
    }

  if (unknown == NULL || unknown->len == 0)
    gtk_widget_set_visible (self->warning_group, FALSE);
  else
    {
      g_autoptr (GString) text = g_string_new (NULL);

      for (guint i = 0; i < unknown->len; i++)
        {
          int year = g_array_index (unknown, int, i);

          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append_printf (
              text, _ ("Deadlines in %d count weekends only: add %d's holidays."), year, year);
        }
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->warning_group),
                                             text->str);
      gtk_widget_set_visible (self->warning_group, TRUE);
    }
}

/* Writes */

static void
on_written_cb (GkCalendarPage *self, const char *done, const GError *error)
{
  set_busy (self, FALSE);
  gk_admin_page_show_toast (GK_ADMIN_PAGE (self), error == NULL ? done : error->message);
  gk_admin_page_reload (GK_ADMIN_PAGE (self));
}

static void
on_imported_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GkCalendarPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *done = NULL;
  guint            n_years = 0;

  if (!gk_store_import_holidays_finish (GK_STORE (source), result, &n_years, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  done = g_strdup_printf (
      ngettext ("%u year of holidays imported.", "%u years of holidays imported.", n_years),
      n_years);
  on_written_cb (self, done, error);
}

static void
on_removed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GkCalendarPage) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!gk_store_remove_holiday_year_finish (GK_STORE (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  on_written_cb (self, _ ("The year is removed: its deadlines count weekends only."), error);
}

static void
on_remove_response_cb (AdwMessageDialog *dialog, const char *response, GkCalendarPage *self)
{
  int      year = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "year"));
  GkStore *store = gk_admin_page_get_store (GK_ADMIN_PAGE (self));

  if (g_strcmp0 (response, "remove") != 0 || store == NULL)
    return;
  set_busy (self, TRUE);
  gk_store_remove_holiday_year_async (store, get_actor (self), year,
                                      gk_admin_page_get_cancellable (GK_ADMIN_PAGE (self)),
                                      on_removed_cb, g_object_ref (self));
}

static void
on_remove_clicked_cb (GtkButton *button, GkCalendarPage *self)
{
  int              year = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "year"));
  g_autofree char *heading = g_strdup_printf (_ ("Remove %d?"), year);
  GtkWidget       *dialog =
      adw_message_dialog_new (gk_admin_page_get_window (GK_ADMIN_PAGE (self)), heading,
                              _ ("The deadlines of that year will count weekends only, until "
                                 "its holidays are added again."));

  gtk_widget_set_name (dialog, "remove-year-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "remove",
                                    _ ("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "year", GINT_TO_POINTER (year));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_dialog_error (YearDialog *dialog, const char *message)
{
  gtk_label_set_text (GTK_LABEL (dialog->error_label), message);
  gtk_widget_set_visible (dialog->error_label, TRUE);
}

static char *
text_view_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter    start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
on_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtkWindow) window = user_data;
  YearDialog *dialog = g_object_get_data (G_OBJECT (window), "year-dialog");
  g_autoptr (GError) error = NULL;
  gboolean ok = gk_store_set_holiday_year_finish (GK_STORE (source), result, &error);

  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (dialog == NULL)
    return;
  set_busy (dialog->self, FALSE);
  gtk_widget_set_sensitive (dialog->save_button, TRUE);
  if (!ok)
    {
      /* The store's rule, in its words, where the dates are typed. */
      show_dialog_error (dialog, error->message);
      return;
    }
  gk_admin_page_show_toast (
      GK_ADMIN_PAGE (dialog->self),
      _ ("The calendar is saved; the deadlines it reaches are counted again."));
  gk_admin_page_reload (GK_ADMIN_PAGE (dialog->self));
  gtk_window_destroy (window);
}

static void
on_save_clicked_cb (GtkButton *button, YearDialog *dialog)
{
  GkStore         *store = gk_admin_page_get_store (GK_ADMIN_PAGE (dialog->self));
  const char      *year_text = gtk_editable_get_text (GTK_EDITABLE (dialog->year_entry));
  g_autofree char *holidays = text_view_text (dialog->holidays_view);
  g_autofree char *workdays = text_view_text (dialog->workdays_view);
  g_autoptr (GkCalendarYear) year = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *year_stripped = g_strstrip (g_strdup (year_text));
  guint64          number;

  if (store == NULL)
    return;
  if (!g_ascii_string_to_unsigned (year_stripped, 10, 1900, 9999, &number, NULL))
    {
      show_dialog_error (dialog, _ ("Write the year as four digits, such as 2027."));
      return;
    }
  if (dialog->editing == 0 && find_year (dialog->self, (int) number) != NULL)
    {
      g_autofree char *text = g_strdup_printf (
          _ ("%d is in the calendar already: edit it from its row."), (int) number);

      show_dialog_error (dialog, text);
      return;
    }
  year =
      gk_calendar_year_parse ((int) number, holidays, workdays,
                              gtk_editable_get_text (GTK_EDITABLE (dialog->source_entry)), &error);
  if (year == NULL)
    {
      show_dialog_error (dialog, error->message);
      return;
    }

  gtk_widget_set_visible (dialog->error_label, FALSE);
  gtk_widget_set_sensitive (dialog->save_button, FALSE);
  set_busy (dialog->self, TRUE);
  gk_store_set_holiday_year_async (store, get_actor (dialog->self), year,
                                   gk_admin_page_get_cancellable (GK_ADMIN_PAGE (dialog->self)),
                                   on_saved_cb, g_object_ref (dialog->window));
}

static GtkWidget *
add_dates_field (GtkWidget *box, const char *label_text, const char *name, GStrv dates)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), view);
  gtk_widget_set_name (view, name);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  if (dates != NULL)
    {
      g_autofree char *text = g_strjoinv ("\n", dates);

      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
    }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 120);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), scrolled);
  return view;
}

static GtkWindow *
open_year_dialog (GkCalendarPage *self, const GkCalendarYear *year)
{
  YearDialog      *dialog = g_new0 (YearDialog, 1);
  GtkWidget       *window = gtk_window_new ();
  GtkWidget       *header = adw_header_bar_new ();
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget       *cancel = gtk_button_new_with_mnemonic (_ ("_Cancel"));
  GtkWidget       *label;
  g_autofree char *title = year != NULL ? g_strdup_printf (_ ("Holidays of %d"), year->year)
                                        : g_strdup (_ ("Add a Year"));

  dialog->self = g_object_ref (self);
  dialog->window = GTK_WINDOW (window);
  dialog->editing = year != NULL ? year->year : 0;
  g_object_set_data_full (G_OBJECT (window), "year-dialog", dialog,
                          (GDestroyNotify) year_dialog_free);

  gtk_widget_set_name (window, "year-dialog");
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window),
                                gk_admin_page_get_window (GK_ADMIN_PAGE (self)));
  gtk_window_set_default_size (GTK_WINDOW (window), 460, 600);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);

  dialog->save_button = gtk_button_new_with_mnemonic (_ ("_Save"));
  gtk_widget_set_name (dialog->save_button, "save-year-button");
  gtk_widget_add_css_class (dialog->save_button, "suggested-action");
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), dialog->save_button);
  gtk_window_set_titlebar (GTK_WINDOW (window), header);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  g_signal_connect (dialog->save_button, "clicked", G_CALLBACK (on_save_clicked_cb), dialog);

  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 18);

  label = gtk_label_new_with_mnemonic (_ ("_Year"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  dialog->year_entry = gtk_entry_new ();
  gtk_widget_set_name (dialog->year_entry, "year-entry");
  gtk_entry_set_input_purpose (GTK_ENTRY (dialog->year_entry), GTK_INPUT_PURPOSE_DIGITS);
  gtk_entry_set_max_length (GTK_ENTRY (dialog->year_entry), 4);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), dialog->year_entry);
  if (year != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%d", year->year);

      gtk_editable_set_text (GTK_EDITABLE (dialog->year_entry), text);
      /* Another year is another row: add it. */
      gtk_widget_set_sensitive (dialog->year_entry, FALSE);
    }
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), dialog->year_entry);

  label = gtk_label_new_with_mnemonic (_ ("_Notice (e.g. 国办发明电〔2024〕12号)"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  dialog->source_entry = gtk_entry_new ();
  gtk_widget_set_name (dialog->source_entry, "source-entry");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), dialog->source_entry);
  if (year != NULL && year->source != NULL)
    gtk_editable_set_text (GTK_EDITABLE (dialog->source_entry), year->source);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), dialog->source_entry);

  dialog->holidays_view =
      add_dates_field (box,
                       _ ("_Holidays: every day off, one a line (YYYY-MM-DD, or "
                          "FIRST..LAST; “;” also separates)"),
                       "holidays-view", year != NULL ? year->holidays : NULL);
  dialog->workdays_view = add_dates_field (box, _ ("_Working days: the weekend days worked (调休)"),
                                           "workdays-view", year != NULL ? year->workdays : NULL);

  dialog->error_label = gtk_label_new (NULL);
  gtk_widget_set_name (dialog->error_label, "year-error");
  gtk_label_set_wrap (GTK_LABEL (dialog->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (dialog->error_label), 0);
  gtk_label_set_selectable (GTK_LABEL (dialog->error_label), TRUE);
  gtk_widget_add_css_class (dialog->error_label, "error");
  gtk_widget_set_visible (dialog->error_label, FALSE);
  gtk_box_append (GTK_BOX (box), dialog->error_label);

  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

static void
on_edit_clicked_cb (GtkButton *button, GkCalendarPage *self)
{
  gk_calendar_page_edit_year (self,
                              GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "year")));
}

static void
on_add_clicked_cb (GtkButton *button, GkCalendarPage *self)
{
  gk_calendar_page_edit_year (self, 0);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser, int response, GkCalendarPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        gk_calendar_page_import_file (self, file);
    }
  g_object_unref (chooser);
}

static void
on_import_clicked_cb (GtkButton *button, GkCalendarPage *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
      _ ("Import a Holiday Calendar"), gk_admin_page_get_window (GK_ADMIN_PAGE (self)),
      GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Import"), _ ("_Cancel"));
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _ ("Holiday calendars (.ini)"));
  gtk_file_filter_add_pattern (filter, "*.ini");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Reading */

static void
on_years_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GkCalendarPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) unknown = NULL;
  GPtrArray *years =
      gk_store_list_holiday_years_finish (GK_STORE (source), result, &unknown, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (years == NULL)
    gk_admin_page_show_toast (GK_ADMIN_PAGE (self), error->message);
  else
    show_years (self, years, unknown);
  gk_admin_page_end_load (GK_ADMIN_PAGE (self));
}

static void
gk_calendar_page_reload (GkAdminPage *page)
{
  GkCalendarPage *self = GK_CALENDAR_PAGE (page);
  GkStore        *store = gk_admin_page_get_store (page);

  if (store == NULL)
    {
      show_years (self, g_ptr_array_new_with_free_func ((GDestroyNotify) gk_calendar_year_free),
                  NULL);
      return;
    }
  gk_store_list_holiday_years_async (store, gk_admin_page_begin_load (page), on_years_cb,
                                     g_object_ref (self));
}

static void
gk_calendar_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (gk_calendar_page_parent_class)->constructed (object);

  gk_admin_page_reload (GK_ADMIN_PAGE (object));
}

static void
gk_calendar_page_finalize (GObject *object)
{
  GkCalendarPage *self = GK_CALENDAR_PAGE (object);

  g_clear_pointer (&self->year_rows, g_ptr_array_unref);
  g_clear_pointer (&self->years, g_ptr_array_unref);

  G_OBJECT_CLASS (gk_calendar_page_parent_class)->finalize (object);
}

static void
gk_calendar_page_class_init (GkCalendarPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GkAdminPageClass *page_class = GK_ADMIN_PAGE_CLASS (klass);

  object_class->constructed = gk_calendar_page_constructed;
  object_class->finalize = gk_calendar_page_finalize;
  page_class->reload = gk_calendar_page_reload;
}

static void
gk_calendar_page_init (GkCalendarPage *self)
{
  GtkWidget *add_row, *import_row, *add_button, *import_button;

  self->year_rows = g_ptr_array_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Calendar"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "x-office-calendar-symbolic");
  gtk_widget_set_name (GTK_WIDGET (self), "calendar");

  self->warning_group = adw_preferences_group_new ();
  gtk_widget_set_name (self->warning_group, "unknown-years-warning");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->warning_group),
                                   _ ("Years Without Holidays"));
  gtk_widget_add_css_class (self->warning_group, "warning");
  gtk_widget_set_visible (self->warning_group, FALSE);

  self->changes_group = adw_preferences_group_new ();
  gtk_widget_set_name (self->changes_group, "calendar-changes-group");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->changes_group),
                                   _ ("New Year's Notice"));
  adw_preferences_group_set_description (
      ADW_PREFERENCES_GROUP (self->changes_group),
      _ ("The State Council announces next year's holidays each November. "
         "Add the year from its notice, or import a file in the holidays.ini "
         "format; the deadlines it reaches are counted again."));
  add_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (add_row), _ ("Type the dates of a year"));
  add_button = gtk_button_new_with_mnemonic (_ ("_Add Year"));
  gtk_widget_set_name (add_button, "add-year-button");
  gtk_widget_set_valign (add_button, GTK_ALIGN_CENTER);
  g_signal_connect_object (add_button, "clicked", G_CALLBACK (on_add_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (add_row), add_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->changes_group), add_row);

  import_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (import_row),
                                 _ ("Read the years of a holiday file"));
  import_button = gtk_button_new_with_mnemonic (_ ("_Import…"));
  gtk_widget_set_name (import_button, "import-calendar-button");
  gtk_widget_set_valign (import_button, GTK_ALIGN_CENTER);
  g_signal_connect_object (import_button, "clicked", G_CALLBACK (on_import_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (import_row), import_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->changes_group), import_row);

  self->years_group = adw_preferences_group_new ();
  gtk_widget_set_name (self->years_group, "years-group");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->years_group), _("Years Covered"));

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self),
                            ADW_PREFERENCES_GROUP (self->warning_group));
  gk_admin_page_add_guarded (GK_ADMIN_PAGE (self), ADW_PREFERENCES_GROUP (self->changes_group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (self->years_group));
}

/**
 * gk_calendar_page_new:
 * @context: the application context
 *
 * Returns: (transfer full): the page
 */
GtkWidget *
gk_calendar_page_new (GkContext *context)
{
  return g_object_new (GK_TYPE_CALENDAR_PAGE, "context", context, NULL);
}

/**
 * gk_calendar_page_get_n_years:
 * @self: the page
 *
 * Returns: how many years are listed
 */
guint
gk_calendar_page_get_n_years (GkCalendarPage *self)
{
  g_return_val_if_fail (GK_IS_CALENDAR_PAGE (self), 0);

  return self->year_rows->len;
}

/**
 * gk_calendar_page_import_file:
 * @self: the page
 * @file: a holidays.ini
 *
 * Imports its years in the background; says how it went in a toast.
 */
void
gk_calendar_page_import_file (GkCalendarPage *self, GFile *file)
{
  GkStore *store;

  g_return_if_fail (GK_IS_CALENDAR_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  store = gk_admin_page_get_store (GK_ADMIN_PAGE (self));
  if (store == NULL)
    return;
  set_busy (self, TRUE);
  gk_store_import_holidays_async (store, get_actor (self), file,
                                  gk_admin_page_get_cancellable (GK_ADMIN_PAGE (self)),
                                  on_imported_cb, g_object_ref (self));
}

/**
 * gk_calendar_page_edit_year:
 * @self: the page
 * @year: a listed year, or 0 for a new one
 *
 * Returns: (transfer none) (nullable): the dialog, shown
 */
GtkWindow *
gk_calendar_page_edit_year (GkCalendarPage *self, int year)
{
  GkCalendarYear *shown = NULL;

  g_return_val_if_fail (GK_IS_CALENDAR_PAGE (self), NULL);

  if (year != 0 && (shown = find_year (self, year)) == NULL)
    return NULL;
  return open_year_dialog (self, shown);
}

/**
 * gk_calendar_page_is_busy:
 * @self: the page
 *
 * Returns: %TRUE while a change is on its way
 */
gboolean
gk_calendar_page_is_busy (GkCalendarPage *self)
{
  g_return_val_if_fail (GK_IS_CALENDAR_PAGE (self), FALSE);

  return self->busy > 0;
}
