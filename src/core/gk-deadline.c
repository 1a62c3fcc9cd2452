/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiDeadline"

#include "config.h"

#include <string.h>

#include "gk-deadline.h"
#include "gk-item.h"
#include "gk-util.h"

/**
 * gk_deadline_applies:
 * @state: an item's state
 * @disclosure: (nullable): its disclosure (proactive, on_request, withheld, or undecided)
 * @due_date: (nullable): its due date
 *
 * Returns: %TRUE if the disclosure deadline runs for such an item
 */
gboolean
gk_deadline_applies (GkState     state,
                     const char *disclosure,
                     const char *due_date)
{
  return !gk_str_is_blank (due_date) &&
         state != GK_STATE_PUBLISHED &&
         state != GK_STATE_WITHDRAWN &&
         g_strcmp0 (disclosure, "on_request") != 0 &&
         g_strcmp0 (disclosure, "withheld") != 0;
}

/**
 * gk_deadline_already_public:
 * @publish_date: (nullable): an item's publish date
 * @today: (nullable): the current day, YYYY-MM-DD; %NULL for gk_date_today()
 *
 * Returns: %TRUE if @publish_date is a date, @today or before
 */
gboolean
gk_deadline_already_public (const char *publish_date, const char *today)
{
  g_autofree char *owned = NULL;

  if (!gk_date_is_valid (publish_date))
    return FALSE;
  if (today == NULL)
    today = owned = gk_date_today ();
  return strcmp (publish_date, today) <= 0;
}

/**
 * gk_deadline_state_for_days:
 * @days_left: working days to the due date, negative when overdue
 *
 * Returns: overdue, soon or ok
 */
GkDeadlineState
gk_deadline_state_for_days (int days_left)
{
  if (days_left < 0)
    return GK_DEADLINE_OVERDUE;
  if (days_left <= GK_DEADLINE_SOON_WORKING_DAYS)
    return GK_DEADLINE_SOON;
  return GK_DEADLINE_OK;
}

/**
 * gk_deadline_for_item:
 * @item: an item
 * @calendar: (nullable): the working-day calendar
 * @today: (nullable): the current day, YYYY-MM-DD; %NULL for gk_date_today()
 * @days_left: (out) (optional): working days left, negative when overdue
 *   (0 when no deadline runs)
 *
 * Returns: where @item stands against its disclosure deadline
 */
GkDeadlineState
gk_deadline_for_item (GkItem     *item,
                      GkCalendar *calendar,
                      const char *today,
                      int        *days_left)
{
  int left;

  if (days_left != NULL)
    *days_left = 0;
  g_return_val_if_fail (GK_IS_ITEM (item), GK_DEADLINE_NONE);

  if (calendar == NULL || !gk_deadline_applies (item->state, item->disclosure, item->due_date))
    return GK_DEADLINE_NONE;
  left = gk_calendar_days_left (calendar, item->due_date, today);
  if (days_left != NULL)
    *days_left = left;
  return gk_deadline_state_for_days (left);
}
