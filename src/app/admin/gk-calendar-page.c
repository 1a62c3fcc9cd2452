/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiAdmin"

#include "config.h"

#include <glib/gi18n.h>

#include "gk-data.h"
#include "gk-calendar-page.h"

#define HOLIDAYS_FILE "holidays.ini"

struct _GkCalendarPage
{
  GkAdminPage  parent_instance;

  GtkWidget   *years_group;
  GPtrArray   *year_rows;
  GtkWidget   *file_row;
  GkCalendar  *calendar;     /* NULL: the context's */
};

G_DEFINE_FINAL_TYPE (GkCalendarPage, gk_calendar_page, GK_TYPE_ADMIN_PAGE)

static void
show_years (GkCalendarPage *self)
{
  GkCalendar *calendar = self->calendar
                         ? self->calendar
                         : gk_context_get_calendar (gk_admin_page_get_context (GK_ADMIN_PAGE (self)));
  g_autoptr(GArray) years = gk_calendar_get_years (calendar);

  for (guint i = 0; i < self->year_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->years_group),
                                  g_ptr_array_index (self->year_rows, i));
  g_ptr_array_set_size (self->year_rows, 0);

  if (years->len == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->years_group),
                                           _("No holiday table was found: deadlines count weekends only."));
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->years_group),
                                           _("Official holidays and the weekend days worked in their place "
                                             "(调休). Later years count weekends only until they are added."));
  for (guint i = 0; i < years->len; i++)
    {
      int year = g_array_index (years, int, i);
      const char *source = gk_calendar_get_source (calendar, year);
      g_autofree char *title = g_strdup_printf ("%d", year);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   source ? source : _("No notice is named for this year."));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->years_group), row);
      g_ptr_array_add (self->year_rows, row);
    }
}

static void
on_open_folder_clicked_cb (GtkButton      *button,
                           GkCalendarPage *self)
{
  g_autofree char *path = gk_calendar_page_find_file ();
  g_autofree char *dir = NULL;
  g_autofree char *uri = NULL;

  if (path == NULL)
    {
      gk_admin_page_show_toast (GK_ADMIN_PAGE (self), _("There is no holiday file to show."));
      return;
    }
  dir = g_path_get_dirname (path);
  uri = g_filename_to_uri (dir, NULL, NULL);
  if (uri != NULL)
    gtk_show_uri (gk_admin_page_get_window (GK_ADMIN_PAGE (self)), uri, GDK_CURRENT_TIME);
}

static void
on_reload_clicked_cb (GtkButton      *button,
                      GkCalendarPage *self)
{
  g_autofree char *path = gk_calendar_page_find_file ();
  g_autoptr(GError) error = NULL;
  GkCalendar *calendar;

  if (path == NULL)
    {
      gk_admin_page_show_toast (GK_ADMIN_PAGE (self), _("There is no holiday file to read."));
      return;
    }
  calendar = gk_calendar_new_from_file (path, &error);
  if (calendar == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The holiday file has a mistake: %s"), error->message);

      gk_admin_page_show_toast (GK_ADMIN_PAGE (self), text);
      return;
    }
  g_clear_pointer (&self->calendar, gk_calendar_unref);
  self->calendar = calendar;
  show_years (self);
  gk_admin_page_show_toast (GK_ADMIN_PAGE (self),
                            _("The holiday file is read again. Deadlines use it from the next start."));
}

static void
gk_calendar_page_reload (GkAdminPage *page)
{
  GkCalendarPage *self = GK_CALENDAR_PAGE (page);
  g_autofree char *path = gk_calendar_page_find_file ();

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->file_row),
                               path ? path
                                    : _ ("Built into the program (no holiday file is installed)."));
  show_years (self);
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
  g_clear_pointer (&self->calendar, gk_calendar_unref);

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
  GtkWidget *file_group = adw_preferences_group_new ();
  GtkWidget *open_button, *reload_button;

  self->year_rows = g_ptr_array_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Calendar"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "x-office-calendar-symbolic");
  gtk_widget_set_name (GTK_WIDGET (self), "calendar");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (file_group), _("Holiday File"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (file_group),
                                         _("When the State Council announces next year's holidays, add "
                                           "the year to this file (holidays=…, workdays=…, source=…) and "
                                           "reload it."));
  self->file_row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->file_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), _("Data file"));
  open_button = gtk_button_new_with_mnemonic (_("_Open Folder"));
  gtk_widget_set_valign (open_button, GTK_ALIGN_CENTER);
  g_signal_connect_object (open_button, "clicked", G_CALLBACK (on_open_folder_clicked_cb), self, 0);
  reload_button = gtk_button_new_with_mnemonic (_("_Reload"));
  gtk_widget_set_name (reload_button, "reload-calendar-button");
  gtk_widget_set_valign (reload_button, GTK_ALIGN_CENTER);
  g_signal_connect_object (reload_button, "clicked", G_CALLBACK (on_reload_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->file_row), open_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->file_row), reload_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (file_group), self->file_row);

  self->years_group = adw_preferences_group_new ();
  gtk_widget_set_name (self->years_group, "years-group");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->years_group), _("Years Covered"));

  gk_admin_page_add_guarded (GK_ADMIN_PAGE (self), ADW_PREFERENCES_GROUP (file_group));
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
 * gk_calendar_page_find_file:
 *
 * Looks where gk_calendar_new_default() does (gk-data.h).
 *
 * Returns: (transfer full) (nullable): the path; %NULL when only the
 *   copy built into the program is there
 */
char *
gk_calendar_page_find_file (void)
{
  return gk_data_find_file (HOLIDAYS_FILE);
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
