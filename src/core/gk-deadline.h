/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "gk-types.h"
#include "gk-calendar.h"

G_BEGIN_DECLS

/* The proactive-disclosure deadline (条例 Art. 26: 20 working days after
 * the information was formed), one definition for every face: the
 * library's column, the "Due soon" view (the store's queries call
 * gk_deadline_applies() as an SQL function), the review queue and the
 * command line. */

typedef enum
{
  GK_DEADLINE_NONE,    /* no deadline runs: not 主动公开 (依申请公开, 不予公开), already
                        * published or withdrawn, or no 成文日期 */
  GK_DEADLINE_OK,      /* more than GK_DEADLINE_SOON_WORKING_DAYS working days left */
  GK_DEADLINE_SOON,    /* due within GK_DEADLINE_SOON_WORKING_DAYS working days (today included) */
  GK_DEADLINE_OVERDUE, /* the deadline has passed */
} GkDeadlineState;

/* "Due soon": the window's view lists the items due within this many
 * working days, and overdue ones. */
#define GK_DEADLINE_SOON_WORKING_DAYS 5

/* Does the deadline run for an item in state with this disclosure and due
 * date?  An undecided disclosure counts: the item may yet be 主动公开, and
 * its clock runs until someone decides otherwise. */
gboolean        gk_deadline_applies  (GkState     state,
                                      const char *disclosure,
                                      const char *due_date);
/* Has a document with this publish date already gone public by today
 * (NULL: gk_date_today())?  Then no deadline runs for it (the back
 * catalogue an office files); a publish date still to come is a plan. */
gboolean gk_deadline_already_public (const char *publish_date, const char *today);
/* Where item stands today (NULL: gk_date_today()).  days_left (optional):
 * working days to the due date, negative when overdue, 0 for NONE.
 * calendar NULL: NONE. */
GkDeadlineState gk_deadline_for_item (GkItem     *item,
                                      GkCalendar *calendar,
                                      const char *today,
                                      int        *days_left);
/* The same for a count of working days left. */
GkDeadlineState gk_deadline_state_for_days (int days_left);

G_END_DECLS
