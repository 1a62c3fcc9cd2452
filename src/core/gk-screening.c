/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiScreening"

#include "config.h"

#include <string.h>

#include "gk-screening.h"
#include "gk-util.h"

/* Confidentiality screening (domain.md §3).  Every page is decoded once to
 * code points, so that offsets are character offsets into the original
 * page text, and then read by three linear passes:
 *
 *  - numbers: maximal digit groups (ASCII or full-width), chained into a
 *    run across the separators that grouping and PDF extraction insert
 *    (one dash, a few spaces, a line break); each run is cut into whole
 *    groups that form a valid number.  A group is never split, so digits
 *    inside a longer digit string never match;
 *  - marks, line by line: 密级 marks, 份号 and warning marks, accepted only
 *    where they stand as a mark, never as words of a sentence;
 *  - the sensitive-word list, with an Aho–Corasick automaton over the text
 *    with white space removed (PDF line breaks fall inside words).
 *
 * Numbers are masked before they enter a finding; the full number is never
 * stored. */

#define MAX_NUMBER_DIGITS 19  /* the longest bank card */
#define MAX_SEPARATOR 3       /* characters between two groups of a number */

typedef struct
{
  const gunichar *text;
  glong           len;
  int             page;
  int             today;      /* YYYYMMDD, the latest possible birth date */
  GPtrArray      *findings;
} PageScan;

/* ---------------------------------------------------------------- chars */

static int
digit_value (gunichar c)
{
  if (c >= '0' && c <= '9')
    return (int) (c - '0');
  if (c >= 0xFF10 && c <= 0xFF19)  /* full-width ０-９ */
    return (int) (c - 0xFF10);
  return -1;
}

static gboolean
is_digit (gunichar c)
{
  return digit_value (c) >= 0;
}

static gboolean
is_line_break (gunichar c)
{
  return c == '\n' || c == '\f' || c == '\v' || c == 0x2028 || c == 0x2029;
}

static gboolean
is_space (gunichar c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == 0x00A0 || c == 0x3000 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0xFEFF;
}

static gboolean
is_ascii_alpha (gunichar c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static gboolean
is_check_x (gunichar c)
{
  return c == 'X' || c == 'x' || c == 0xFF38 || c == 0xFF58;
}

static gboolean
is_han (gunichar c)
{
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* Characters that hide digits: 138****1234, 3101**********123X. */
static gboolean
is_mask (gunichar c)
{
  return c == '*' || c == 0xFF0A || c == 0xFE61 || c == 0x00D7 ||
         c == 0x25CF || c == 0x2217;
}

static gboolean
is_dash (gunichar c)
{
  return c == '-' || c == 0xFF0D || c == 0x2010 || c == 0x2011 || c == 0x2212;
}

/* ★ and what it becomes after extraction: ☆, asterisks, other star
 * dingbats, and private-use code points from symbol fonts. */
static gboolean
is_star (gunichar c)
{
  return c == 0x2605 || c == 0x2606 || c == '*' || c == 0xFF0A || c == 0xFE61 ||
         (c >= 0x2721 && c <= 0x274B) || c == 0x2B50 || c == 0x22C6 ||
         c == 0x2217 || (c >= 0xE000 && c <= 0xF8FF);
}

/* Plain asterisks are also footnote marks: a mark written with one must
 * stand on its own ("秘密*"), not end a word ("国家秘密*"). */
static gboolean
is_weak_star (gunichar c)
{
  return c == '*' || c == 0xFF0A || c == 0xFE61 || c == 0x2217;
}

static gboolean
is_open_quote (gunichar c)
{
  return c == 0x201C || c == 0x2018 || c == '"' || c == '\'' || c == 0x300C ||
         c == 0x300E || c == 0x300A || c == 0xFF02;
}

static gboolean
is_open_bracket (gunichar c)
{
  return c == '(' || c == 0xFF08 || c == '[' || c == 0x3010 || c == 0x3014 ||
         c == 0xFF3B || c == 0xFE5D;
}

static gboolean
is_close_bracket (gunichar c)
{
  return c == ')' || c == 0xFF09 || c == ']' || c == 0x3011 || c == 0x3015 ||
         c == 0xFF3D || c == 0xFE5E;
}

/* Matches the UTF-8 literal @word at text[pos] (text is len long); returns
 * its length in characters or 0. */
static glong
match_at (const gunichar *text,
          glong           len,
          glong           pos,
          const char     *word)
{
  glong n = 0;

  for (const char *w = word; *w != '\0'; w = g_utf8_next_char (w), n++)
    if (pos + n >= len || text[pos + n] != g_utf8_get_char (w))
      return 0;

  return n;
}

/* ------------------------------------------------------------- checks */

static gboolean
province_valid (const char *digits)
{
  /* GB/T 2260 province codes, plus 81/82/83 of the residence permits of
   * Hong Kong, Macao and Taiwan residents. */
  static const char *const provinces =
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83";
  char code[3] = { digits[0], digits[1], '\0' };

  return g_ascii_isdigit (code[0]) && g_ascii_isdigit (code[1]) &&
         strstr (provinces, code) != NULL;
}

static int
parse_digits (const char *text,
              guint       n)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return -1;
      value = value * 10 + (text[i] - '0');
    }

  return value;
}

/* A real calendar date between 1900-01-01 and @latest (YYYYMMDD). */
static gboolean
birth_date_valid (int year,
                  int month,
                  int day,
                  int latest)
{
  if (year < 1900 || month < 1 || month > 12 || day < 1)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;
  return year * 10000 + month * 100 + day <= latest;
}

static gboolean
id_card_valid (const char *digits,
               gsize       len,
               int         latest)
{
  if (len == 18)
    {
      static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
      static const char check[] = "10X98765432";
      int sum = 0;

      for (guint i = 0; i < 17; i++)
        {
          if (!g_ascii_isdigit (digits[i]))
            return FALSE;
          sum += (digits[i] - '0') * weights[i];
        }

      if (g_ascii_toupper (digits[17]) != check[sum % 11])
        return FALSE;

      return province_valid (digits) &&
             birth_date_valid (parse_digits (digits + 6, 4), parse_digits (digits + 10, 2),
                               parse_digits (digits + 12, 2), latest);
    }

  if (len == 15)
    {
      /* The 1984–1999 form: 6 address digits, YYMMDD in the 1900s, 3
       * sequence digits, no check character. */
      for (guint i = 0; i < 15; i++)
        if (!g_ascii_isdigit (digits[i]))
          return FALSE;

      return province_valid (digits) &&
             birth_date_valid (1900 + parse_digits (digits + 6, 2), parse_digits (digits + 8, 2),
                               parse_digits (digits + 10, 2), latest);
    }

  return FALSE;
}

static int
today_as_number (void)
{
  g_autofree char *today = gk_date_today ();

  return parse_digits (today, 4) * 10000 + parse_digits (today + 5, 2) * 100 +
         parse_digits (today + 8, 2);
}

/**
 * gk_screening_id_card_valid:
 * @digits: an 18-character 身份证号 (last character a digit or X) or a
 *   15-digit one
 *
 * Checks the GB 11643 check character (18 characters), the province code
 * and that the birth date is a real date between 1900 and today.
 *
 * Returns: %TRUE for a number that can be a real identity card number
 */
gboolean
gk_screening_id_card_valid (const char *digits)
{
  g_return_val_if_fail (digits != NULL, FALSE);

  return id_card_valid (digits, strlen (digits), today_as_number ());
}

/**
 * gk_screening_luhn_valid:
 * @digits: ASCII digits only
 *
 * Returns: %TRUE if @digits (at least 2) pass the Luhn check of bank cards
 */
gboolean
gk_screening_luhn_valid (const char *digits)
{
  gsize len;
  int sum = 0;

  g_return_val_if_fail (digits != NULL, FALSE);

  len = strlen (digits);
  if (len < 2)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = digits[len - 1 - i];
      int d;

      if (!g_ascii_isdigit (c))
        return FALSE;
      d = c - '0';
      if (i % 2 == 1)
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }

  return sum % 10 == 0;
}

/* Card numbers issued in China: UnionPay and domestic cards start with 6
 * (16–19 digits), the old 95xx debit cards have 19, Visa/Mastercard/JCB
 * 16.  Requiring a known start keeps the 1-in-10 Luhn coincidences of
 * random serial numbers out. */
static gboolean
bank_card_valid (const char *digits,
                 gsize       len)
{
  int prefix4;

  if (len < 16 || len > 19)
    return FALSE;

  prefix4 = parse_digits (digits, 4);
  if (digits[0] == '6')
    ; /* any length */
  else if (digits[0] == '9' && digits[1] == '5')
    {
      if (len != 19)
        return FALSE;
    }
  else if (digits[0] == '4' || (prefix4 >= 5100 && prefix4 <= 5599) ||
           (prefix4 >= 2221 && prefix4 <= 2720) || (prefix4 >= 3528 && prefix4 <= 3589))
    {
      if (len != 16 && !(digits[0] == '4' && len == 19))
        return FALSE;
    }
  else
    return FALSE;

  return gk_screening_luhn_valid (digits);
}

static gboolean
mobile_valid (const char *digits)
{
  return digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9';
}

/* An office number: area code 010 / 02x (then 8 digits) or 0xxx (then 7
 * or 8 digits). */
static int
landline_area_length (const char *digits,
                      gsize       len)
{
  int area;

  if (digits[0] != '0')
    return 0;
  if (digits[1] == '1' || digits[1] == '2')
    {
      if (digits[1] == '1' && digits[2] != '0')
        return 0;
      area = 3;
      if (len != 11)
        return 0;
    }
  else if (digits[1] >= '3' && digits[1] <= '9')
    {
      area = 4;
      if (len != 11 && len != 12)
        return 0;
    }
  else
    return 0;

  return digits[area] != '0' ? area : 0;
}

/* ------------------------------------------------------------- findings */

static void
add_finding (PageScan *scan, GkFindingKind kind, const char *value, glong start, glong end)
{
  g_ptr_array_add (scan->findings,
                   gk_finding_new (kind, value, scan->page, (int) start, (int) (end - start)));
}

static void
add_number_finding (PageScan *scan, GkFindingKind kind, const char *digits, glong start, glong end)
{
  g_autofree char *masked = gk_mask_number (digits);

  add_finding (scan, kind, masked, start, end);
}

/* -------------------------------------------------------------- numbers */

typedef struct
{
  glong start;               /* first digit */
  glong end;                 /* after the last digit, or after the X */
  guint n_digits;
  guint has_x : 1;           /* ends with the X check character */
  guint poison_left : 1;     /* glued to a letter, a mask, a decimal point */
  guint poison_right : 1;
  guint after_break : 1;     /* the separator before it holds a line break */
  guint after_tight : 1;     /* the separator before it is one space or dash */
  guint after_paren : 1;     /* "(021)1234…": after a closed area code */
} Group;

static gboolean
poisons_left (PageScan *scan,
              glong     pos)
{
  gunichar c;

  if (pos < 0)
    return FALSE;
  c = scan->text[pos];
  return is_ascii_alpha (c) || is_mask (c) || c == '_' || c == '.' || c == 0xFF0E;
}

static gboolean
poisons_right (PageScan *scan,
               glong     pos)
{
  gunichar c;

  if (pos >= scan->len)
    return FALSE;
  c = scan->text[pos];
  if (c == '.' || c == 0xFF0E)
    return pos + 1 < scan->len && is_digit (scan->text[pos + 1]);
  return is_ascii_alpha (c) || is_mask (c) || c == '_';
}

/* Labels of numbers that are not personal: a code within the same clause
 * just before the number. */
static gboolean
has_code_label_before (PageScan *scan,
                       glong     start)
{
  /* Not 纳税人识别号: a person's is their identity number. */
  static const char *const labels[] = { "信用代码", "机构代码", "索引号" };
  glong from = MAX (0, start - 16);

  for (glong p = start - 1; p >= from; p--)
    {
      gunichar c = scan->text[p];

      if (is_line_break (c) || c == 0xFF0C || c == 0x3002 || c == 0xFF1B || c == ';')
        break;
      for (guint l = 0; l < G_N_ELEMENTS (labels); l++)
        if (match_at (scan->text, start, p, labels[l]) > 0)
          return TRUE;
    }

  return FALSE;
}

/* 第…号 is a document or register number (文号, 令, 证号), never a person's. */
static gboolean
is_serial_number (PageScan *scan,
                  glong     start,
                  glong     end)
{
  glong p = start - 1;

  while (p >= 0 && is_space (scan->text[p]))
    p--;
  if (p >= 0 && scan->text[p] == 0x7B2C)  /* 第 */
    return TRUE;

  p = end;
  while (p < scan->len && is_space (scan->text[p]))
    p++;
  return p < scan->len && scan->text[p] == 0x53F7;  /* 号 */
}

/* What the groups [first, last] spell, if anything (into kind); writes
 * the digits to report (masked later) into out, which holds
 * MAX_NUMBER_DIGITS + 2.  Returns FALSE for no number worth a finding. */
static gboolean
classify_number (PageScan      *scan,
                 const Group   *groups,
                 guint          first,
                 guint          last,
                 const char    *digits,
                 gsize          len,
                 char          *out,
                 GkFindingKind *kind)
{
  gboolean has_x = groups[last].has_x;
  gboolean single_line = TRUE;
  int area;

  for (guint g = first + 1; g <= last; g++)
    if (!groups[g].after_break)
      single_line = FALSE;

  memcpy (out, digits, len + 1);

  if (len == 18 && id_card_valid (digits, len, scan->today))
    {
      out[17] = g_ascii_toupper (out[17]);
      *kind = GK_FINDING_ID_CARD;
      return TRUE;
    }

  if (has_x)
    return FALSE;

  /* The 15-digit form has no check digit: only accept it unbroken (or
   * broken by a line wrap), never assembled from spaced groups. */
  if (len == 15 && single_line && id_card_valid (digits, len, scan->today))
    {
      *kind = GK_FINDING_ID_CARD;
      return TRUE;
    }

  if (bank_card_valid (digits, len))
    {
      *kind = GK_FINDING_BANK_CARD;
      return TRUE;
    }

  if (len == 11 && mobile_valid (digits))
    {
      *kind = GK_FINDING_MOBILE;
      return TRUE;
    }

  /* +86 / 86- / 0086 before a mobile number: the prefix must stand apart
   * or follow a "+", so a 13-digit serial starting with 86 is no phone. */
  if ((len == 13 || len == 15) &&
      memcmp (digits, len == 13 ? "86" : "0086", len - 11) == 0 &&
      mobile_valid (digits + len - 11) &&
      (groups[first].n_digits == len - 11 ||
       (groups[first].start > 0 && scan->text[groups[first].start - 1] == '+')))
    {
      memmove (out, out + len - 11, 12);
      *kind = GK_FINDING_MOBILE;
      return TRUE;
    }

  /* The area code stands apart ("021-…", "(021)…") or the number is
   * written in one piece. */
  area = landline_area_length (digits, len);
  if (area > 0 && (first == last || groups[first].n_digits == (guint) area))
    {
      *kind = GK_FINDING_LANDLINE;
      return TRUE;
    }

  return FALSE;
}

/* Bank-style grouping "6222 0212 3456 7890 1234 5678": four-digit groups
 * joined by single spaces or dashes are one number, however long. */
static gboolean
is_one_grouped_number (const Group *groups,
                       guint        n)
{
  guint total = 0;

  if (n < 2)
    return FALSE;

  for (guint g = 0; g < n; g++)
    {
      if (g > 0 && !groups[g].after_tight)
        return FALSE;
      if (g + 1 < n ? groups[g].n_digits != 4 : groups[g].n_digits > 4)
        return FALSE;
      total += groups[g].n_digits;
    }

  return total > MAX_NUMBER_DIGITS;
}

/* Reads the longest valid number made of whole groups from groups[first];
 * reports it unless its context says it is not personal.  Returns how
 * many groups it used, 0 if none makes a number. */
static guint
read_number (PageScan    *scan,
             const Group *groups,
             guint        n,
             guint        first,
             const char  *ascii)
{
  guint last_fit = first;
  gsize total = 0;

  if (groups[first].poison_left || groups[first].n_digits > MAX_NUMBER_DIGITS)
    return 0;

  for (guint j = first; j < n; j++)
    {
      total += groups[j].n_digits + groups[j].has_x;
      if (total > MAX_NUMBER_DIGITS)
        break;
      last_fit = j;
    }

  /* The longest valid reading wins: "110101 19900307 1234" is one
   * identity number, not three short ones. */
  for (guint j = last_fit + 1; j-- > first;)
    {
      char digits[MAX_NUMBER_DIGITS + 2];
      char out[MAX_NUMBER_DIGITS + 2];
      GkFindingKind kind;
      gsize len = 0;
      glong start = groups[first].start;

      if (groups[j].poison_right)
        continue;

      for (guint g = first; g <= j; g++)
        {
          memcpy (digits + len, ascii + groups[g].start, groups[g].n_digits);
          len += groups[g].n_digits;
          if (groups[g].has_x)
            digits[len++] = 'X';
        }
      digits[len] = '\0';

      if (!classify_number (scan, groups, first, j, digits, len, out, &kind))
        continue;

      if (is_serial_number (scan, start, groups[j].end) ||
          has_code_label_before (scan, start))
        return j - first + 1;

      /* The span covers what was printed: "+86 …", "(021)…". */
      if (kind == GK_FINDING_MOBILE && start > 0 && scan->text[start - 1] == '+')
        start--;
      if (first < j && groups[first + 1].after_paren)
        start--;
      add_number_finding (scan, kind, out, start, groups[j].end);
      return j - first + 1;
    }

  return 0;
}

static void
scan_run (PageScan    *scan,
          const Group *groups,
          guint        n,
          const char  *ascii)
{
  if (is_one_grouped_number (groups, n))
    return;

  for (guint i = 0; i < n;)
    {
      guint used = read_number (scan, groups, n, i, ascii);

      i += used > 0 ? used : 1;
    }
}

static void
scan_numbers (PageScan *scan)
{
  g_autoptr(GArray) groups = g_array_new (FALSE, FALSE, sizeof (Group));
  g_autofree char *ascii = g_malloc (scan->len + 1);
  glong i = 0;

  /* ASCII digits at the same indices as the text, for cheap copying. */
  for (glong p = 0; p < scan->len; p++)
    {
      int d = digit_value (scan->text[p]);
      ascii[p] = d >= 0 ? (char) ('0' + d) : ' ';
    }
  ascii[scan->len] = '\0';

  while (i < scan->len)
    {
      glong p = i;
      Group next = { 0 };

      if (!is_digit (scan->text[i]))
        {
          i++;
          continue;
        }

      g_array_set_size (groups, 0);

      for (;;)
        {
          Group g = next;
          glong q;
          guint n_space = 0, n_dash = 0;
          gboolean line_break = FALSE, paren = FALSE;

          g.start = p;
          while (p < scan->len && is_digit (scan->text[p]))
            p++;
          g.n_digits = (guint) (p - g.start);
          if (p < scan->len && is_check_x (scan->text[p]) &&
              !(p + 1 < scan->len && (is_ascii_alpha (scan->text[p + 1]) || is_digit (scan->text[p + 1]))))
            {
              g.has_x = TRUE;
              p++;
            }
          g.end = p;
          g.poison_left = poisons_left (scan, g.start - 1);
          g.poison_right = poisons_right (scan, g.end);
          g_array_append_val (groups, g);

          if (g.has_x)
            break;

          /* The separator: white space and line breaks, one dash, or the
           * ")" closing an area code written "(021)". */
          q = p;
          while (q < scan->len && q - p < MAX_SEPARATOR)
            {
              gunichar c = scan->text[q];

              if (is_space (c) || is_line_break (c))
                {
                  n_space++;
                  line_break |= is_line_break (c);
                }
              else if (is_dash (c) && n_dash == 0)
                n_dash++;
              else if (is_close_bracket (c) && q == p && !paren && scan->text[g.start] == '0' &&
                       (g.n_digits == 3 || g.n_digits == 4) && g.start > 0 &&
                       is_open_bracket (scan->text[g.start - 1]))
                paren = TRUE;
              else
                break;
              q++;
            }

          if (q == p || q >= scan->len || !is_digit (scan->text[q]))
            break;

          next = (Group) { 0 };
          next.after_break = line_break;
          next.after_tight = (q - p == 1) && !line_break && !paren;
          next.after_paren = paren;
          p = q;
        }

      scan_run (scan, (const Group *) (void *) groups->data, groups->len, ascii);
      i = g_array_index (groups, Group, groups->len - 1).end;
    }
}

/* ---------------------------------------------------------------- marks */

/* Warning marks that bar a document from the web (domain.md §3); the
 * first spelling of an entry is the value reported.  Longer entries first
 * so that 内部文件（资料） wins over 内部文件, and every 内部… over a bare
 * 内部 (the short mark agencies print at the top left).  Field detection
 * reads the same list (gk_screening_warning_marks()), so that what it
 * takes for a mark, the screening reports. */
static const char *const warning_marks[] = {
  "内部文件（资料）", "内部文件(资料)", "内部文件", "内部资料", "注意保管", "注意保存",
  "注意保密", "工作秘密", "内部明电", "内部发行", "内部参阅", "内部使用", "限国内公开",
  "不得外传", "内部", NULL,
};

static const char *const secrecy_levels[] = { "绝密", "机密", "秘密" };

/* Words that may share a line with a mark in the 版头. */
static const char *const header_words[] = {
  "特急", "加急", "平急", "特提", "密级", "份号", "保密期限", "期限", "长期",
};

static const char *
warning_value (const char *word)
{
  return g_str_equal (word, "内部文件(资料)") ? "内部文件（资料）" : word;
}

static glong
match_warning (const gunichar *text,
               glong           len,
               glong           pos,
               const char    **out_word)
{
  for (guint w = 0; warning_marks[w] != NULL; w++)
    {
      glong n = match_at (text, len, pos, warning_marks[w]);

      if (n > 0)
        {
          if (out_word != NULL)
            *out_word = warning_marks[w];
          return n;
        }
    }

  return 0;
}

static gboolean
is_numeral (gunichar c)
{
  return is_digit (c) || (c != 0 && g_utf8_strchr ("一二三四五六七八九十〇零两", -1, c) != NULL);
}

/* A 保密期限: "5年", "６个月", "十年", "长期".  Returns the end or -1, and
 * appends the normalised period to value. */
static glong
parse_period (const gunichar *text,
              glong           len,
              glong           pos,
              GString        *value)
{
  glong p = pos;
  glong n;

  if ((n = match_at (text, len, p, "长期")) > 0)
    {
      if (value != NULL)
        g_string_append (value, "长期");
      return p + n;
    }

  while (p < len && p - pos < 3 && is_numeral (text[p]))
    p++;
  if (p == pos || (p < len && is_digit (text[p])))
    return -1;

  {
    glong digits_end = p;

    while (p < len && text[p] == ' ')
      p++;
    if ((n = match_at (text, len, p, "年")) == 0 && (n = match_at (text, len, p, "个月")) == 0)
      return -1;

    if (value != NULL)
      {
        for (glong k = pos; k < digits_end; k++)
          {
            int d = digit_value (text[k]);
            if (d >= 0)
              g_string_append_c (value, (char) ('0' + d));
            else
              g_string_append_unichar (value, text[k]);
          }
        g_string_append (value, n == 1 ? "年" : "个月");
      }
    return p + n;
  }
}

/* Length of one token that may appear on a line made only of marks, or 0.
 * *is_mark tells whether it was a mark (level or warning) itself. */
static glong
header_token (const gunichar *cc,
              glong           m,
              glong           k,
              gboolean       *is_mark)
{
  gunichar c = cc[k];
  glong n;

  *is_mark = FALSE;

  if ((n = match_warning (cc, m, k, NULL)) > 0)
    {
      *is_mark = TRUE;
      return n;
    }
  for (guint l = 0; l < G_N_ELEMENTS (secrecy_levels); l++)
    if ((n = match_at (cc, m, k, secrecy_levels[l])) > 0)
      {
        *is_mark = TRUE;
        return n;
      }
  for (guint w = 0; w < G_N_ELEMENTS (header_words); w++)
    if ((n = match_at (cc, m, k, header_words[w])) > 0)
      return n;

  if (is_digit (c))
    {
      glong end = k;
      glong period = parse_period (cc, m, k, NULL);

      if (period > 0)
        return period - k;
      while (end < m && is_digit (cc[end]))
        end++;
      return end - k == 6 ? 6 : 0;  /* a 份号 */
    }
  if (is_numeral (c))
    {
      glong period = parse_period (cc, m, k, NULL);
      return period > 0 ? period - k : 0;
    }

  if (is_star (c) || is_open_bracket (c) || is_close_bracket (c) || is_dash (c) ||
      c == ':' || c == 0xFF1A || c == 0x3001 || c == 0x00B7 || c == 0x2014 || c == '/')
    return 1;

  return 0;
}

/* TRUE if cc[from, m) holds nothing but 版头 marks; *has_mark tells
 * whether a level or warning mark was among them. */
static gboolean
only_header_tokens (const gunichar *cc,
                    glong           m,
                    glong           from,
                    gboolean       *has_mark)
{
  *has_mark = FALSE;

  for (glong k = from; k < m;)
    {
      gboolean is_mark;
      glong n = header_token (cc, m, k, &is_mark);

      if (n == 0)
        return FALSE;
      *has_mark |= is_mark;
      k += n;
    }

  return TRUE;
}

typedef struct
{
  /* the line without white space, and where each character came from */
  gunichar *cc;
  glong    *ci;
  glong     m;
  gboolean  all_marks;
  /* warning marks found on the line, so that 秘密 in 工作秘密 is not
   * reported a second time */
  glong     covered_start[8];
  glong     covered_end[8];
  guint     n_covered;
} Line;

static void
scan_copy_number (PageScan   *scan,
                  const Line *line)
{
  glong k = 0;
  glong n;
  glong digits_end;
  gboolean has_mark;
  char value[16] = "份号 ";
  gsize vlen = strlen (value);

  if ((n = match_at (line->cc, line->m, 0, "份号")) > 0)
    {
      k = n;
      if (k < line->m && (line->cc[k] == ':' || line->cc[k] == 0xFF1A))
        k++;
    }

  for (digits_end = k; digits_end < line->m && is_digit (line->cc[digits_end]); digits_end++)
    ;
  if (digits_end - k != 6 || !only_header_tokens (line->cc, line->m, digits_end, &has_mark))
    return;

  /* A lone six-digit number right at the top of page 1 is a 份号: only
   * 涉密公文 carry one (GB/T 9704 §7.2.1). */
  for (glong d = k; d < digits_end; d++)
    value[vlen++] = (char) ('0' + digit_value (line->cc[d]));
  value[vlen] = '\0';

  add_finding (scan, GK_FINDING_SECRECY_MARK, value, line->ci[0], line->ci[digits_end - 1] + 1);
}

static void
scan_warning_marks (PageScan *scan,
                    Line     *line)
{
  for (glong k = 0; k < line->m;)
    {
      const char *word = NULL;
      glong n = match_warning (line->cc, line->m, k, &word);
      gboolean bracketed;

      if (n == 0)
        {
          k++;
          continue;
        }

      /* A warning mark stands on a line of marks, or in brackets of its
       * own (【内部资料】); in a sentence (不得泄露国家秘密和工作秘密) it is
       * only a word. */
      bracketed = k > 0 && k + n < line->m &&
                  is_open_bracket (line->cc[k - 1]) && is_close_bracket (line->cc[k + n]);
      if (line->all_marks || bracketed)
        {
          glong start = line->ci[k];
          glong end = line->ci[k + n - 1] + 1;

          add_finding (scan, GK_FINDING_SECRECY_MARK, warning_value (word), start, end);
          if (line->n_covered < G_N_ELEMENTS (line->covered_start))
            {
              line->covered_start[line->n_covered] = start;
              line->covered_end[line->n_covered] = end;
              line->n_covered++;
            }
        }
      k += n;
    }
}

static glong
skip_spaces (const gunichar *text,
             glong           end,
             glong           pos)
{
  while (pos < end && is_space (text[pos]))
    pos++;
  return pos;
}

/* 绝密 / 机密 / 秘密 (letters may be spaced) at pos, with its ★ and
 * 保密期限.  The words are common in prose (保守国家秘密法, 商业秘密,
 * 秘密的), so an occurrence counts only when it has the form of a mark:
 *   1. a ★ follows (an asterisk only if the mark does not end a word);
 *   2. 期限 / 保密期限 follows;
 *   3. it is the value of a 密级 field ("密级：机密");
 *   4. its line holds nothing but marks (版头: 份号, 密级, 紧急程度);
 *   5. it opens the line and a column gap follows (the 版头 line joined
 *      with the issuer by extraction).
 * Quoted ("标注“秘密★”") it is talked about, not applied. */
static void
scan_level_at (PageScan   *scan,
               const Line *line,
               glong       line_start,
               glong       line_end,
               glong       pos,
               gboolean    at_line_start)
{
  const gunichar *t = scan->text;
  g_autoptr(GString) value = g_string_new (NULL);
  glong mi = skip_spaces (t, MIN (line_end, pos + 3), pos + 1);
  glong q, end, before, after;
  gboolean star = FALSE, weak_star = FALSE, term = FALSE, label = FALSE, gap = FALSE;
  glong period_end;
  glong n;

  if (mi >= line_end || t[mi] != 0x5BC6)  /* 密 */
    return;

  for (guint c = 0; c < line->n_covered; c++)
    if (pos >= line->covered_start[c] && pos < line->covered_end[c])
      return;

  g_string_append_unichar (value, t[pos]);
  g_string_append_unichar (value, 0x5BC6);
  q = end = mi + 1;

  /* What follows: ★, then 保密期限 / 期限, then the period. */
  after = skip_spaces (t, line_end, q);
  if (after < line_end && is_star (t[after]))
    {
      star = TRUE;
      weak_star = is_weak_star (t[after]);
      end = after + 1;
      after = skip_spaces (t, line_end, end);
    }
  if ((n = match_at (t, line_end, after, "保密期限")) > 0 || (n = match_at (t, line_end, after, "期限")) > 0)
    {
      term = TRUE;
      end = after + n;
      after = skip_spaces (t, line_end, end);
      if (after < line_end && (t[after] == ':' || t[after] == 0xFF1A))
        after = skip_spaces (t, line_end, after + 1);
    }
  {
    g_autoptr(GString) period = g_string_new (NULL);

    period_end = parse_period (t, line_end, after, period);
    if (period_end > 0)
      {
        end = period_end;
        g_string_append (value, "★");
        g_string_append (value, period->str);
      }
    else if (star || term)
      g_string_append (value, "★");
  }

  /* What precedes. */
  before = pos - 1;
  while (before >= line_start && is_space (t[before]))
    before--;
  if (before >= line_start && is_open_quote (t[before]))
    return;
  if (before >= line_start && (t[before] == ':' || t[before] == 0xFF1A))
    before--;
  label = before >= line_start + 1 && t[before] == 0x7EA7 && t[before - 1] == 0x5BC6;  /* 密级 */

  gap = q + 1 < line_end && ((is_space (t[q]) && is_space (t[q + 1])) || t[q] == 0x3000 || t[q] == '\t');

  if ((star && (!weak_star || pos == line_start || !is_han (t[pos - 1]))) ||
      term || label || line->all_marks || (at_line_start && gap))
    add_finding (scan, GK_FINDING_SECRECY_MARK, value->str, pos, end);
}

static void
scan_line (PageScan *scan,
           Line     *line,
           glong     line_start,
           glong     line_end,
           gboolean  copy_number_zone)
{
  gboolean has_mark;
  gboolean opening = TRUE;

  line->m = 0;
  line->n_covered = 0;
  for (glong p = line_start; p < line_end; p++)
    if (!is_space (scan->text[p]))
      {
        line->cc[line->m] = scan->text[p];
        line->ci[line->m] = p;
        line->m++;
      }

  if (line->m == 0)
    return;

  line->all_marks = only_header_tokens (line->cc, line->m, 0, &has_mark) && has_mark;

  if (copy_number_zone)
    scan_copy_number (scan, line);

  scan_warning_marks (scan, line);

  /* Only spaces and a 份号 may come before a mark that opens the line. */
  for (glong p = line_start; p < line_end; p++)
    {
      gunichar c = scan->text[p];

      if (c == 0x7EDD || c == 0x673A || c == 0x79D8)  /* 绝 机 秘 */
        scan_level_at (scan, line, line_start, line_end, p, opening);
      if (!is_space (c) && !is_digit (c))
        opening = FALSE;
    }
}

/* Non-space characters in text[start, end). */
static glong
count_visible (const gunichar *text,
               glong           start,
               glong           end)
{
  glong n = 0;

  for (glong p = start; p < end; p++)
    n += !is_space (text[p]) && !is_line_break (text[p]);
  return n;
}

/* At the head of page 1, a mark letter-spaced wide ("秘　密", "内　部")
 * comes out of extraction as two short lines; read together they are a
 * line of marks, as field detection reads them.  Returns the end of the
 * second line when the two were scanned as one, else -1. */
static glong
scan_split_mark (PageScan *scan,
                 Line     *line,
                 glong     line_start,
                 glong     line_end)
{
  glong next_end = line_end + 1;
  glong first, second;
  gboolean has_mark;
  g_autofree gunichar *joined = NULL;
  const gunichar *text = scan->text;

  if (line_end >= scan->len)
    return -1;
  while (next_end < scan->len && !is_line_break (scan->text[next_end]))
    next_end++;
  first = count_visible (scan->text, line_start, line_end);
  second = count_visible (scan->text, line_end + 1, next_end);
  if (first == 0 || first > 2 || second == 0 || second > 4)
    return -1;

  /* The same text with that one line break made a space: offsets stay
   * those of the page. */
  joined = g_memdup2 (scan->text, (scan->len + 1) * sizeof (gunichar));
  joined[line_end] = ' ';
  line->m = 0;
  for (glong p = line_start; p < next_end; p++)
    if (!is_space (joined[p]))
      {
        line->cc[line->m] = joined[p];
        line->ci[line->m] = p;
        line->m++;
      }
  if (!only_header_tokens (line->cc, line->m, 0, &has_mark) || !has_mark)
    return -1;
  scan->text = joined;
  scan_line (scan, line, line_start, next_end, FALSE);
  scan->text = text;
  return next_end;
}

static void
scan_marks (PageScan *scan)
{
  Line line = { 0 };
  glong line_start = 0;
  guint non_empty = 0;

  line.cc = g_new (gunichar, scan->len + 1);
  line.ci = g_new (glong, scan->len + 1);

  for (glong p = 0; p <= scan->len; p++)
    {
      if (p < scan->len && !is_line_break (scan->text[p]))
        continue;

      scan_line (scan, &line, line_start, p, scan->page == 1 && non_empty < 3);
      if (line.m > 0)
        non_empty++;
      if (scan->page == 1 && non_empty <= 8 && line.m > 0 && !line.all_marks)
        {
          glong end = scan_split_mark (scan, &line, line_start, p);

          if (end >= 0)
            {
              non_empty++;
              p = end;
            }
        }
      line_start = p + 1;
    }

  g_free (line.cc);
  g_free (line.ci);
}

/* ------------------------------------------------------------- keywords */

/* Aho–Corasick over code points: one pass over the text finds every
 * occurrence of every word. */
typedef struct
{
  int fail;
  int word;       /* index of the word ending here, or -1 */
  int next_out;   /* nearest node on the fail chain with a word, or -1 */
  int depth;
} AcNode;

typedef struct
{
  GArray     *nodes;
  GHashTable *edges;  /* (node << 32 | code point) → child + 1 */
  GPtrArray  *words;  /* the words as given, for the value */
} Automaton;

static gunichar
fold_char (gunichar c)
{
  if (c >= 0xFF01 && c <= 0xFF5E)  /* full-width ASCII */
    c -= 0xFEE0;
  if (c >= 'A' && c <= 'Z')
    c += 'a' - 'A';
  return c;
}

static gint64 *
edge_key (int      node,
          gunichar c)
{
  gint64 *key = g_new (gint64, 1);

  *key = ((gint64) node << 32) | c;
  return key;
}

static int
goto_node (Automaton *ac,
           int        node,
           gunichar   c)
{
  gint64 key = ((gint64) node << 32) | c;

  return GPOINTER_TO_INT (g_hash_table_lookup (ac->edges, &key)) - 1;
}

static void
automaton_free (Automaton *ac)
{
  g_array_unref (ac->nodes);
  g_hash_table_unref (ac->edges);
  g_ptr_array_unref (ac->words);
  g_free (ac);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Automaton, automaton_free)

static Automaton *
automaton_new (const char *const *words)
{
  Automaton *ac = g_new0 (Automaton, 1);
  AcNode root = { 0, -1, -1, 0 };
  g_autoptr(GArray) queue = g_array_new (FALSE, FALSE, sizeof (int));

  ac->nodes = g_array_new (FALSE, FALSE, sizeof (AcNode));
  ac->edges = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  ac->words = g_ptr_array_new_with_free_func (g_free);
  g_array_append_val (ac->nodes, root);

  for (guint w = 0; words != NULL && words[w] != NULL; w++)
    {
      g_autofree char *word = NULL;
      int node = 0;
      int depth = 0;

      if (!g_utf8_validate (words[w], -1, NULL))
        continue;
      word = g_strstrip (g_strdup (words[w]));

      for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          int child;

          if (is_space (c) || is_line_break (c))
            continue;
          c = fold_char (c);
          child = goto_node (ac, node, c);
          if (child < 0)
            {
              AcNode fresh = { 0, -1, -1, depth + 1 };

              child = (int) ac->nodes->len;
              g_array_append_val (ac->nodes, fresh);
              g_hash_table_insert (ac->edges, edge_key (node, c), GINT_TO_POINTER (child + 1));
            }
          node = child;
          depth++;
        }

      if (node != 0 && g_array_index (ac->nodes, AcNode, node).word < 0)
        {
          g_array_index (ac->nodes, AcNode, node).word = (int) ac->words->len;
          g_ptr_array_add (ac->words, g_steal_pointer (&word));
        }
    }

  /* Failure links, breadth first: a node's fail is the longest proper
   * suffix of its path that is also a path. */
  {
    GHashTableIter iter;
    gpointer key, value;

    /* Collect the edges per node once; the table is keyed by edge. */
    g_autoptr(GPtrArray) by_node = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

    for (guint n = 0; n < ac->nodes->len; n++)
      g_ptr_array_add (by_node, g_array_new (FALSE, FALSE, sizeof (gint64)));
    g_hash_table_iter_init (&iter, ac->edges);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        gint64 edge = *(gint64 *) key;
        g_array_append_val (g_ptr_array_index (by_node, (guint) (edge >> 32)), edge);
      }

    {
      int start = 0;
      g_array_append_val (queue, start);
    }
    for (guint head = 0; head < queue->len; head++)
      {
        int node = g_array_index (queue, int, head);
        GArray *edges = g_ptr_array_index (by_node, node);

        for (guint e = 0; e < edges->len; e++)
          {
            gint64 edge = g_array_index (edges, gint64, e);
            gunichar c = (gunichar) (edge & 0xFFFFFFFF);
            int child = goto_node (ac, node, c);
            int fail = 0;
            AcNode *child_node;

            if (node != 0)
              {
                int f = g_array_index (ac->nodes, AcNode, node).fail;

                while (f != 0 && goto_node (ac, f, c) < 0)
                  f = g_array_index (ac->nodes, AcNode, f).fail;
                fail = goto_node (ac, f, c);
                if (fail < 0 || fail == child)
                  fail = 0;
              }

            child_node = &g_array_index (ac->nodes, AcNode, child);
            child_node->fail = fail;
            {
              const AcNode *fail_node = &g_array_index (ac->nodes, AcNode, fail);
              child_node->next_out = fail_node->word >= 0 ? fail : fail_node->next_out;
            }
            g_array_append_val (queue, child);
          }
      }
  }

  return ac;
}

static void
scan_keywords (PageScan  *scan,
               Automaton *ac)
{
  g_autofree glong *origin = g_new (glong, scan->len + 1);
  glong m = 0;
  int state = 0;

  for (glong p = 0; p < scan->len; p++)
    {
      gunichar c = scan->text[p];
      int next;

      if (is_space (c) || is_line_break (c))
        continue;
      origin[m] = p;
      c = fold_char (c);

      while ((next = goto_node (ac, state, c)) < 0 && state != 0)
        state = g_array_index (ac->nodes, AcNode, state).fail;
      state = next < 0 ? 0 : next;

      for (int out = state; out > 0;)
        {
          const AcNode *node = &g_array_index (ac->nodes, AcNode, out);

          if (node->word >= 0)
            add_finding (scan, GK_FINDING_KEYWORD, g_ptr_array_index (ac->words, node->word),
                         origin[m - node->depth + 1], p + 1);
          out = node->next_out;
        }
      m++;
    }
}

/* -------------------------------------------------------------- public */

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const GkFinding *x = *(const GkFinding *const *) a;
  const GkFinding *y = *(const GkFinding *const *) b;

  if (x->page != y->page)
    return x->page < y->page ? -1 : 1;
  if (x->offset != y->offset)
    return x->offset < y->offset ? -1 : 1;
  if (x->length != y->length)
    return x->length > y->length ? -1 : 1;
  /* By name, as when kinds were strings: the order of findings at one
   * place stays what it was. */
  return strcmp (gk_finding_kind_to_string (x->kind), gk_finding_kind_to_string (y->kind));
}

/**
 * gk_screening_scan:
 * @pages: (array length=n_pages): the text of each page, UTF-8
 * @n_pages: number of pages
 * @sensitive_words: (nullable) (array zero-terminated=1): the library's
 *   sensitive words
 *
 * Screens the text of a document for what must not go public unchecked:
 * 密级 marks, 份号 and warning marks (kind "secrecy_mark"), identity card
 * numbers, mobile numbers, bank cards, sensitive words, and office
 * landlines (status "info").  Numbers are masked in the findings.  Linear
 * in the length of the text.
 *
 * Returns: (transfer container) (element-type GkFinding): the findings,
 *   ordered by page and offset
 */
GPtrArray *
gk_screening_scan (const char *const *pages,
                   guint              n_pages,
                   const char *const *sensitive_words)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_finding_free);
  g_autoptr(Automaton) ac = NULL;
  int today = today_as_number ();

  g_return_val_if_fail (pages != NULL || n_pages == 0, findings);

  if (sensitive_words != NULL && sensitive_words[0] != NULL)
    ac = automaton_new (sensitive_words);

  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *valid = NULL;
      g_autofree gunichar *text = NULL;
      const char *utf8 = pages[i];
      PageScan scan = { 0 };

      if (utf8 == NULL || *utf8 == '\0')
        continue;
      if (!g_utf8_validate (utf8, -1, NULL))
        utf8 = valid = g_utf8_make_valid (utf8, -1);

      text = g_utf8_to_ucs4_fast (utf8, -1, &scan.len);
      scan.text = text;
      scan.page = (int) i + 1;
      scan.today = today;
      scan.findings = findings;

      scan_numbers (&scan);
      scan_marks (&scan);
      if (ac != NULL && ac->words->len > 0)
        scan_keywords (&scan, ac);
    }

  g_ptr_array_sort (findings, compare_findings);
  return findings;
}

/**
 * gk_screening_warning_marks:
 *
 * Returns: (transfer none): the warning marks the screening reports
 *   (内部资料, 注意保存, 内部…), longest first, %NULL-terminated
 */
const char *const *
gk_screening_warning_marks (void)
{
  return warning_marks;
}

/**
 * gk_screening_warning_mark_value:
 * @word: one of gk_screening_warning_marks()
 *
 * Returns: (transfer none): the value a finding reports for it
 *   ("内部文件(资料)" is reported as "内部文件（资料）")
 */
const char *
gk_screening_warning_mark_value (const char *word)
{
  return warning_value (word);
}
