/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiGongwen"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "gk-gongwen.h"
#include "gk-screening.h"

/* 公文 field detection from extracted page text.
 *
 * The input is what poppler gives for each page: one text line per line,
 * in reading order, with its quirks — spaces between letter-spaced
 * characters, full-width spaces, lines of one visual row split in two (a
 * 签发人 name after a full-width space, "文件" after the 文号 in a joint
 * header), page numbers ("—1—", "- 2 -") in the middle of the 版记, CRLF.
 * Every rule works on a normalised copy of each line: whitespace runs
 * collapsed, full-width digits made ASCII, and a "compact" form with no
 * whitespace at all for matching. */

typedef struct
{
  char *text;    /* whitespace collapsed to single spaces */
  char *compact; /* no whitespace */
  guint page;
} Line;

typedef struct
{
  GRegex *page_number;
  GRegex *mark;
  GRegex *doc_number;
  GRegex *order_number;
  GRegex *order_line;
  GRegex *signer;
  GRegex *date;
  GRegex *enumerator;
  GRegex *genre;
  GRegex *genre_closed;
  GRegex *issue;
  GRegex *agency;
  GRegex *recipients_end;
  GRegex *note;
  GRegex *option;
  GRegex *effective;
  GRegex *effective_years;
  GRegex *until;
  GRegex *order_title;
  GRegex *printed;
  GRegex *office;
  GRegex *person;
  GRegex *han;
  GRegex *han_only;
  GRegex *line_break;
  GRegex *bare_number;
  GRegex *date_parts;
  GRegex *cited_number;
  GRegex *cited_title;
} Patterns;

#define DATE_Y         "(?:(?:19|20)\\d{2}|[〇○零Oo０一二三四五六七八九]{4})"
#define DATE_MD        "(?:\\d{1,2}|[一二三四五六七八九十]{1,3})"
#define DATE_RE        DATE_Y "年" DATE_MD "月" DATE_MD "日"
#define OPEN_BRACKETS  "〔﹝\\[［(（【"
#define CLOSE_BRACKETS "〕﹞\\]］)）】"
/* A 文号's year in brackets and its serial: 〔2023〕20号, ［2023］第5号. */
#define YEAR_AND_SERIAL                                                                            \
  "[" OPEN_BRACKETS "](?<year>(?:19|20)\\d{2})[" CLOSE_BRACKETS "]"                                \
  "(?<nth>第?)(?<serial>\\d{1,5})号"
#define GENRES         "决议|决定|命令|令|公报|公告|通告|意见|通知|通报|报告|请示|批复|议案|函|纪要"
#define AGENCY_SUFFIXES                                                                                              \
  "人民政府|政府|办公厅|办公室|委员会|秘书局|局|厅|委|部|署|院|中心|总队|支队|大队|" \
  "队|处|所|站|办|公司|集团|会|组|室|行|社|馆|校|大学|街道|（室）|（局）"

static GRegex *
compile (const char *pattern)
{
  g_autoptr (GError) error = NULL;
  GRegex *regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, &error);

  if (regex == NULL)
    g_error ("Bad built-in pattern %s: %s", pattern, error->message);
  return regex;
}

static const Patterns *
patterns (void)
{
  static Patterns p;
  static gsize    ready = 0;

  if (g_once_init_enter (&ready))
    {
      /* "—1—", "- 2 -", "第3页", "4/12": page numbers outside the text. */
      p.page_number = compile ("^(?:[-—–－―─~～]+\\d{1,4}[-—–－―─~～]+"
                               "|第\\d{1,4}页(?:共\\d{1,4}页)?"
                               "|\\d{1,4}/\\d{1,4})$");
      /* 份号, 密级★期限, a warning mark (内部, 内部资料, 注意保存…: the
       * screening's list, so that both read the same marks) and 紧急程度,
       * alone or together on a head line. */
      {
        g_autoptr (GString) warnings = g_string_new (NULL);
        g_autofree char    *mark = NULL;

        for (const char *const *w = gk_screening_warning_marks (); *w != NULL; w++)
          {
            g_autofree char *escaped = g_regex_escape_string (*w, -1);

            g_string_append_printf (warnings, "%s%s", warnings->len > 0 ? "|" : "", escaped);
          }
        mark = g_strdup_printf ("^(?:(?:份号[:：]?)?(?<copy>\\d{6})(?!\\d))?"
                                "(?:(?<level>绝密|机密|秘密)"
                                "(?:(?<star>[★☆*＊⋆✩✭])(?<term>长期|\\d{1,2}(?:年|个月))?)?)?"
                                "(?:[【〔\\[［（(]?(?<warning>%s)[】〕\\]］）)]?)?"
                                "(?<urgency>特急|加急|特提|平急)?$",
                                warnings->str);
        p.mark = compile (mark);
      }
      p.doc_number =
          compile ("^(?<code>[\\p{Han}A-Za-z]{0,20}?)" YEAR_AND_SERIAL "(?<rest>签发人[:：].*)?$");
      p.order_number = compile ("^第(?<serial>\\d{1,6})号$");
      p.order_line = compile ("^(?<issuer>\\p{Han}{1,30}令)第(?<serial>\\d{1,6})号$");
      p.signer = compile ("签发人[:：](?<name>.*)$");
      p.date = compile ("^" DATE_RE "$");
      p.enumerator = compile ("^(?:[一二三四五六七八九十]+[、.．]"
                              "|[（(][一二三四五六七八九十\\d]+[)）]"
                              "|\\d+[.、．]"
                              "|第[一二三四五六七八九十百]+[条章])");
      p.genre = compile ("(?<genre>" GENRES ")$");
      /* A periodical's issue, "2024年第6期", "第15期（总第120期）". */
      p.issue = compile ("第\\d{1,4}期(?:[（(]总第\\d{1,5}期[)）])?$");
      /* "…的通知（征求意见稿）", "转发《…的通知》": the 文种 before a
       * closing note or quote. */
      p.genre_closed = compile ("(?<genre>" GENRES ")(?:[（(][^（()）]{1,15}[)）])?"
                                "[》」』”’〉]*$");
      p.agency = compile ("^[^。，；：:、,;!?！？“”《》]{2,40}(?:" AGENCY_SUFFIXES ")$");
      p.recipients_end =
          compile ("(?:" AGENCY_SUFFIXES "|单位|部门|处室|机构|科室|企业|办事处|[)）])[:：]$");
      p.note = compile ("^[（(]此件"
                        "(?<value>公开发布|主动公开|依申请公开|不予公开|免予公开|不公开)"
                        "[)）]$");
      p.option = compile ("^[（(]?"
                          "(?:公开方式|信息公开选项|公开选项|公开属性|信息公开形式|公开类型)[:：]"
                          "(?<value>主动公开|依申请公开|不予公开|免予公开|不公开)[)）]?$");
      p.effective = compile ("自(?<from>" DATE_RE ")起(?:施行|实施|执行|生效)"
                             "(?:[，,]?(?:有效期至(?<until>" DATE_RE ")"
                             "|有效期为?(?<years>[一二三四五六七八九十\\d]{1,2})年))?");
      p.effective_years = compile ("有效期为?(?<years>[一二三四五六七八九十\\d]{1,2})年");
      p.until = compile ("有效期至(?<until>" DATE_RE ")");
      p.order_title = compile ("《(?<title>[^》]{2,80})》(?:已经|业经|经)");
      p.printed = compile ("^(?<agency>.*?)(?<date>" DATE_RE ")印发$");
      p.office = compile ("^(?<agency>.{2,40}?)(?:办公室|办公厅|秘书处|秘书局|综合处)$");
      /* "龚正", "市长龚正": a signing officer above the date. */
      p.person = compile ("^(?:\\p{Han}{1,6}(?:长|主任|总理|主席|书记))?\\p{Han}{2,4}$");
      p.han = compile ("\\p{Han}");
      p.han_only = compile ("^\\p{Han}+$");
      p.line_break = compile ("\\r\\n|\\r|\\n|\\f");
      p.bare_number = compile ("^\\d{1,3}$");
      p.date_parts = compile ("[年月日]");
      /* What a text cites: a 文号 anywhere in it (its code glued to the
       * words before it), a title in 《》. */
      p.cited_number = compile ("(?<code>[\\p{Han}A-Za-z]{1,20})" YEAR_AND_SERIAL);
      p.cited_title = compile ("《(?<title>[^《》]{4,200})》");
      g_once_init_leave (&ready, 1);
    }
  return &p;
}

/* ------------------------------------------------------------------ */
/* Text helpers                                                       */

static gboolean
is_space (gunichar c)
{
  return g_unichar_isspace (c) || c == 0x3000 || c == 0x00a0 || c == 0xfeff ||
         (c >= 0x2000 && c <= 0x200b) || c == 0x202f || c == 0x205f;
}

static gboolean
is_cjk (gunichar c)
{
  GUnicodeScript script = g_unichar_get_script (c);

  return script == G_UNICODE_SCRIPT_HAN || (c >= 0x3000 && c <= 0x303f) || /* CJK punctuation */
         (c >= 0xff00 && c <= 0xffef) ||                                   /* full-width forms */
         (c >= 0xfe30 && c <= 0xfe6f) || /* compatibility forms ﹝﹞ */
         c == 0x2014 || c == 0x201c || c == 0x201d || c == 0x2605;
}

/* Full-width digits to ASCII, control characters and U+FFFD dropped,
 * trimmed.  Whitespace runs become runs of ASCII spaces as wide as they
 * were (a full-width space counts two, at most 8), so that a word gap can
 * still be told from a letter-spacing gap. */
static char *
normalise_line (const char *line)
{
  GString *out = g_string_new (NULL);
  guint    gap = 0;

  for (const char *p = line; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (is_space (c) || g_unichar_iscntrl (c))
        {
          if (out->len > 0)
            gap += c == 0x3000 ? 2 : 1;
          continue;
        }
      if (c == 0xfffd)
        continue;
      if (c >= 0xff10 && c <= 0xff19)
        c = '0' + (c - 0xff10);
      for (guint i = 0; i < MIN (gap, 8u); i++)
        g_string_append_c (out, ' ');
      gap = 0;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static char *
remove_spaces (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (*p != ' ')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static gboolean
is_cjk_or_digit (gunichar c)
{
  return is_cjk (c) || g_ascii_isdigit (c);
}

/* Spaces poppler puts between letter-spaced characters go; a space that
 * separates words (two agencies in a joint title) stays.  A line is
 * letter-spaced when most of its neighbours are space-separated; then
 * only gaps wider than the usual one are word breaks.  Elsewhere a space
 * goes where it only separates CJK from digits or punctuation
 * ("2023 年", "（ 此件"). */
static char *
despace_text (const char *text)
{
  g_autofree gunichar *chars = g_utf8_to_ucs4 (text, -1, NULL, NULL, NULL);
  guint                spaced = 0, joined = 0, unit = G_MAXUINT;
  gboolean             letter_spaced;
  GString             *out;

  if (chars == NULL)
    return g_strdup (text);
  for (guint i = 1; chars[i] != 0; i++)
    {
      if (chars[i] != ' ' && chars[i - 1] != ' ')
        joined += is_cjk_or_digit (chars[i - 1]) && is_cjk_or_digit (chars[i]);
      else if (chars[i] == ' ' && chars[i - 1] != ' ')
        {
          guint width = 0;
          while (chars[i + width] == ' ')
            width++;
          if (chars[i + width] != 0 && is_cjk_or_digit (chars[i - 1]) &&
              is_cjk_or_digit (chars[i + width]))
            {
              spaced++;
              unit = MIN (unit, width);
            }
        }
    }
  letter_spaced = spaced >= 2 && spaced * 2 >= joined;

  out = g_string_new (NULL);
  for (guint i = 0; chars[i] != 0; i++)
    {
      if (chars[i] == ' ')
        {
          guint    width = 0;
          gunichar a, b;

          while (chars[i + width] == ' ')
            width++;
          a = i > 0 ? chars[i - 1] : 0;
          b = chars[i + width];
          i += width - 1;
          if (a == 0 || b == 0)
            continue;
          if (letter_spaced)
            {
              if (width > unit)
                g_string_append_c (out, ' ');
              continue;
            }
          if ((is_cjk (a) && g_ascii_isdigit (b)) || (g_ascii_isdigit (a) && is_cjk (b)) ||
              (is_cjk (a) && !g_unichar_isalnum (b)) || (is_cjk (b) && !g_unichar_isalnum (a)) ||
              (is_cjk (a) && g_unichar_ispunct (a)) || (is_cjk (b) && g_unichar_ispunct (b)))
            continue;
          g_string_append_c (out, ' ');
          continue;
        }
      g_string_append_unichar (out, chars[i]);
    }
  return g_string_free (out, FALSE);
}

/* The first space-separated word of a line, letter-spacing undone. */
static char *
first_word (const char *text)
{
  g_autofree char *plain = despace_text (text);
  const char      *space = strchr (plain, ' ');

  return space ? g_strndup (plain, space - plain) : g_steal_pointer (&plain);
}

static gboolean
matches (GRegex *regex, const char *text, GMatchInfo **info)
{
  gboolean found = g_regex_match (regex, text, 0, info);

  if (!found && info != NULL)
    g_clear_pointer (info, g_match_info_free);
  return found;
}

static char *
group (GMatchInfo *info, const char *name)
{
  char *value = g_match_info_fetch_named (info, name);

  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

static int
chinese_digit (gunichar c)
{
  static const gunichar digits[] = { 0x3007, 0x4e00, 0x4e8c, 0x4e09, 0x56db,
                                     0x4e94, 0x516d, 0x4e03, 0x516b, 0x4e5d };
  if (c == 0x25cb || c == 0x96f6 || c == 'O' || c == 'o' || c == 0xff2f || c == 0xff10)
    return 0; /* ○ 零 O */
  for (int i = 0; i < 10; i++)
    if (digits[i] == c)
      return i;
  if (c >= '0' && c <= '9')
    return c - '0';
  return -1;
}

/* "10", "十", "二十一", "三十" → the number; -1 if not one. */
static int
parse_small_number (const char *text)
{
  g_autofree gunichar *chars = g_utf8_to_ucs4 (text, -1, NULL, NULL, NULL);
  glong                n = 0;
  int                  value = 0;

  if (chars == NULL)
    return -1;
  while (chars[n] != 0)
    n++;
  if (n == 0)
    return -1;
  if (g_unichar_isdigit (chars[0]))
    {
      for (glong i = 0; i < n; i++)
        {
          if (!g_unichar_isdigit (chars[i]))
            return -1;
          value = value * 10 + g_unichar_digit_value (chars[i]);
        }
      return value;
    }
  for (glong i = 0; i < n; i++)
    {
      if (chars[i] == 0x5341) /* 十 */
        {
          int tens = i == 0 ? 1 : chinese_digit (chars[i - 1]);
          int units = i + 1 < n ? chinese_digit (chars[i + 1]) : 0;

          if (tens < 0 || units < 0 || i > 1 || n - i > 2)
            return -1;
          return tens * 10 + units;
        }
    }
  if (n != 1)
    return -1;
  value = chinese_digit (chars[0]);
  return value > 0 ? value : -1;
}

static int
parse_year (const char *text)
{
  g_autofree gunichar *chars = g_utf8_to_ucs4 (text, -1, NULL, NULL, NULL);
  int                  year = 0;

  if (chars == NULL)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int d = chars[i] ? chinese_digit (chars[i]) : -1;
      if (d < 0)
        return -1;
      year = year * 10 + d;
    }
  return chars[4] == 0 ? year : -1;
}

/**
 * gk_gongwen_parse_date:
 * @text: a date as printed
 *
 * Returns: (transfer full) (nullable): the date as YYYY-MM-DD, or %NULL
 *   if @text is not one real date
 */
char *
gk_gongwen_parse_date (const char *text)
{
  g_autofree char *line = NULL;
  g_autofree char *compact = NULL;
  g_auto (GStrv) parts = NULL;
  int year, month, day;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  line = normalise_line (text);
  compact = remove_spaces (line);
  if (!g_regex_match (patterns ()->date, compact, 0, NULL))
    return NULL;
  /* "YYYY年M月D日" → {"YYYY", "M", "D", ""} */
  parts = g_regex_split (patterns ()->date_parts, compact, 0);
  if (g_strv_length (parts) < 3)
    return NULL;
  year = parse_year (parts[0]);
  month = parse_small_number (parts[1]);
  day = parse_small_number (parts[2]);
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1 ||
      !g_date_valid_dmy (day, month, year))
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

/**
 * gk_gongwen_normalize_doc_number:
 * @text: a 发文字号 as printed
 *
 * Returns: (transfer full) (nullable): the 文号 with 〔〕 brackets and no
 *   spaces ("沪应急办〔2023〕20号"), a 令 number as written
 *   ("上海市人民政府令第32号"), or %NULL if @text is not a 文号
 */
char *
gk_gongwen_normalize_doc_number (const char *text)
{
  const Patterns *p = patterns ();
  g_autoptr (GMatchInfo) info = NULL;
  g_autofree char *line = NULL;
  g_autofree char *compact = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  line = normalise_line (text);
  compact = remove_spaces (line);
  if (matches (p->doc_number, compact, &info))
    {
      g_autofree char *code = group (info, "code");
      g_autofree char *year = group (info, "year");
      g_autofree char *serial = group (info, "serial");
      g_autofree char *rest = group (info, "rest");

      if (rest != NULL)
        return NULL;
      return g_strdup_printf ("%s〔%s〕%s号", code ? code : "", year, serial);
    }
  if (matches (p->order_line, compact, NULL))
    return g_steal_pointer (&compact);
  return NULL;
}

/**
 * gk_gongwen_find_citations:
 * @text: (nullable): a document's text (its pages joined)
 * @titles: (out) (optional) (transfer full): the titles cited in 《》
 *
 * What a document cites, for suggesting the policy an interpretation
 * explains.  A 文号 in running text is glued to the words before it
 * ("根据沪应急规〔2023〕3号"), so each is given with every code it may
 * have: 据沪应急规…, 沪应急规…, 应急规… (the library knows which exist).
 *
 * Returns: (transfer full): the 文号 candidates, normalised to 〔〕, each
 *   once, at most a few hundred
 */
GStrv
gk_gongwen_find_citations (const char *text, GStrv *titles)
{
  const Patterns *p = patterns ();
  g_autoptr (GStrvBuilder) numbers = g_strv_builder_new ();
  g_autoptr (GStrvBuilder) named = g_strv_builder_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GMatchInfo) info = NULL;
  g_autofree char *compact = NULL;
  guint            n_cited = 0;

  if (text != NULL && g_utf8_validate (text, -1, NULL))
    {
      /* Line breaks and spaces inside a 文号 or a title are layout. */
      compact = remove_spaces (text);
      for (g_regex_match (p->cited_number, compact, 0, &info);
           g_match_info_matches (info) && n_cited < 50; g_match_info_next (info, NULL), n_cited++)
        {
          g_autofree char *code = group (info, "code");
          g_autofree char *year = group (info, "year");
          g_autofree char *serial = group (info, "serial");
          glong            length = code ? g_utf8_strlen (code, -1) : 0;

          for (glong start = 0; start < length; start++)
            {
              char *candidate = g_strdup_printf (
                  "%s〔%s〕%s号", g_utf8_offset_to_pointer (code, start), year, serial);

              if (g_hash_table_add (seen, candidate))
                g_strv_builder_add (numbers, candidate);
            }
        }
      g_clear_pointer (&info, g_match_info_free);
      n_cited = 0;
      for (g_regex_match (p->cited_title, compact, 0, &info);
           g_match_info_matches (info) && n_cited < 50; g_match_info_next (info, NULL), n_cited++)
        {
          char *title = group (info, "title");

          if (title != NULL && g_hash_table_add (seen, title))
            g_strv_builder_add (named, title);
        }
    }
  if (titles != NULL)
    *titles = g_strv_builder_end (named);
  return g_strv_builder_end (numbers);
}

/* ------------------------------------------------------------------ */
/* Detection                                                          */

typedef struct
{
  const Patterns *p;
  GPtrArray      *lines;          /* Line*, page numbers removed */
  guint           first_page_end; /* index after the last line of page 1 */
  GkDetected     *out;

  guint head_end; /* lines of page 1 that are 版头 */
  int   number_line;
  int   title_start;
  int   title_end; /* exclusive */
  int   date_line;
} Detector;

static void
line_free (gpointer data)
{
  Line *line = data;

  g_free (line->text);
  g_free (line->compact);
  g_free (line);
}

static Line *
line_at (Detector *d, int i)
{
  if (i < 0 || (guint) i >= d->lines->len)
    return NULL;
  return g_ptr_array_index (d->lines, i);
}

#define HEADER_LINES 3

typedef struct
{
  guint    pages;      /* pages that have the text among their first lines */
  guint    last_page;  /* the last of them, + 1 */
  gboolean first_page; /* page 1 is one of them */
} HeaderCount;

/* Counts, for every text, the pages that have it among their first
 * lines; with known, only in the run of known texts that opens a page. */
static GHashTable *
count_page_tops (GPtrArray *lines, const guint *top, GHashTable *known)
{
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean    in_run = TRUE;

  for (guint i = 0; i < lines->len; i++)
    {
      Line        *line = g_ptr_array_index (lines, i);
      HeaderCount *count;

      if (top[i] == 0)
        in_run = TRUE;
      if (top[i] >= HEADER_LINES)
        continue;
      if (known != NULL)
        {
          HeaderCount *k = g_hash_table_lookup (known, line->compact);

          in_run = in_run && k != NULL && k->pages >= 2;
          if (!in_run)
            continue;
        }
      count = g_hash_table_lookup (counts, line->compact);
      if (count == NULL)
        {
          count = g_new0 (HeaderCount, 1);
          g_hash_table_insert (counts, g_strdup (line->compact), count);
        }
      if (count->last_page != line->page + 1)
        {
          count->pages++;
          count->last_page = line->page + 1;
          count->first_page |= line->page == ((Line *) g_ptr_array_index (lines, 0))->page;
        }
    }
  return counts;
}

/* A running page header (页眉: a gazette's or a bulletin's name and
 * issue, which extraction may split in two) opens every page, or every
 * page but the first.  It is not part of the 公文: left in, it would
 * start the title on page 1 and break sentences and the 版记 on the
 * others.  A 署名 after "（此页无正文）" at the top of the last page does
 * not open the page, and is not taken for one, even where it repeats
 * the 发文机关标志 of page 1. */
static void
drop_running_headers (GPtrArray *lines)
{
  g_autofree guint *top = g_new0 (guint, lines->len + 1);
  g_autoptr (GHashTable) candidates = NULL;
  g_autoptr (GHashTable) counts = NULL;
  guint n_pages = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      Line    *line = g_ptr_array_index (lines, i);
      gboolean new_page = i == 0 || line->page != ((Line *) g_ptr_array_index (lines, i - 1))->page;

      top[i] = new_page ? 0 : top[i - 1] + 1;
      n_pages += new_page;
    }
  if (n_pages < 2)
    return;
  candidates = count_page_tops (lines, top, NULL);
  counts = count_page_tops (lines, top, candidates);

  /* Backwards, so that the positions stay right; only the opening run. */
  {
    g_autofree gboolean *drop = g_new0 (gboolean, lines->len + 1);
    gboolean             in_run = TRUE;

    for (guint i = 0; i < lines->len; i++)
      {
        Line        *line = g_ptr_array_index (lines, i);
        HeaderCount *count = top[i] < HEADER_LINES ? g_hash_table_lookup (counts, line->compact) : NULL;

        if (top[i] == 0)
          in_run = TRUE;
        in_run = in_run && count != NULL && count->pages >= 2 &&
                 (count->pages == n_pages || (count->pages + 1 == n_pages && !count->first_page));
        drop[i] = in_run;
      }
    for (guint i = lines->len; i-- > 0;)
      if (drop[i])
        g_ptr_array_remove_index (lines, i);
  }
}

/* The lines of every page, normalised, page numbers dropped: "—1—"
 * anywhere, a bare "3" only as the first or last line of its page. */
static GPtrArray *
split_lines (const char *const *pages, guint n_pages, const Patterns *p)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (line_free);

  for (guint page = 0; page < n_pages; page++)
    {
      g_auto (GStrv) raw = NULL;
      g_autofree char *valid = NULL;
      guint            page_start = lines->len;

      if (pages[page] == NULL)
        continue;
      valid = g_utf8_make_valid (pages[page], -1);
      raw = g_regex_split (p->line_break, valid, 0);
      for (guint i = 0; raw[i] != NULL; i++)
        {
          g_autofree char *text = normalise_line (raw[i]);
          Line            *line;

          if (*text == '\0')
            continue;
          line = g_new0 (Line, 1);
          line->compact = remove_spaces (text);
          line->text = g_steal_pointer (&text);
          line->page = page;
          if (g_regex_match (p->page_number, line->compact, 0, NULL) ||
              (lines->len == page_start && g_regex_match (p->bare_number, line->compact, 0, NULL)))
            {
              line_free (line);
              continue;
            }
          g_ptr_array_add (lines, line);
        }
      if (lines->len > page_start &&
          g_regex_match (p->bare_number,
                         ((Line *) g_ptr_array_index (lines, lines->len - 1))->compact, 0, NULL))
        g_ptr_array_remove_index (lines, lines->len - 1);
    }
  drop_running_headers (lines);
  return lines;
}

static guint
utf8_len (const char *s)
{
  return g_utf8_strlen (s, -1);
}

static gboolean
has_suffix (const char *s, const char *suffix)
{
  return g_str_has_suffix (s, suffix);
}

static gboolean
is_agency (Detector *d, const char *compact)
{
  return g_regex_match (d->p->agency, compact, 0, NULL) && !g_str_has_prefix (compact, "附件") &&
         !g_str_has_prefix (compact, "抄送") && !g_str_has_prefix (compact, "主题词");
}

/* An agency name, or agencies side by side ("A    B"). */
static gboolean
is_agency_line (Detector *d, Line *line)
{
  g_autofree char *first = NULL;

  if (is_agency (d, line->compact))
    return TRUE;
  first = first_word (line->text);
  return is_agency (d, first);
}

/* What may stand above a 成文日期: an agency, or a signing officer
 * ("市长　龚正" may come out as "市长" and "龚正"). */
static gboolean
is_signature (Detector *d, Line *line)
{
  return is_agency_line (d, line) || g_regex_match (d->p->person, line->compact, 0, NULL);
}

/* 份号, 密级, warning marks and 紧急程度 at the head of page 1.  A warning
 * mark (内部, 内部资料…) is kept as the secrecy mark when there is no
 * 密级: it bars the document from the web just as well (domain.md §3).
 * Lines above the marks (a running page header) are 版头 too. */
static void
detect_marks (Detector *d)
{
  guint            limit = MIN (d->first_page_end, 8);
  g_autofree char *warning_mark = NULL;

  for (guint i = 0; i < limit; i++)
    {
      Line            *line = line_at (d, i);
      Line            *next = line_at (d, i + 1);
      g_autofree char *both = NULL;
      g_autoptr (GMatchInfo) info = NULL;
      guint used = 1;

      if (*line->compact == '\0')
        continue;
      /* "秘　密" and "加　急" can come out as two one-character lines. */
      if (!matches (d->p->mark, line->compact, &info) && next != NULL && i + 1 < limit &&
          utf8_len (line->compact) <= 2 && utf8_len (next->compact) <= 4)
        {
          both = g_strconcat (line->compact, next->compact, NULL);
          if (!matches (d->p->mark, both, &info))
            continue;
          used = 2;
        }
      if (info == NULL)
        continue;
      {
        g_autofree char *copy = group (info, "copy");
        g_autofree char *level = group (info, "level");
        g_autofree char *star = group (info, "star");
        g_autofree char *term = group (info, "term");
        g_autofree char *urgency = group (info, "urgency");
        g_autofree char *warning = group (info, "warning");

        if (warning != NULL && warning_mark == NULL)
          warning_mark = g_strdup (gk_screening_warning_mark_value (warning));
        if (copy != NULL && d->out->copy_number == NULL)
          d->out->copy_number = g_strdup (copy);
        if (level != NULL && d->out->secrecy_mark == NULL)
          d->out->secrecy_mark =
              star != NULL ? g_strconcat (level, "★", term ? term : "", NULL) : g_strdup (level);
        if (urgency != NULL && d->out->urgency == NULL)
          d->out->urgency = g_strdup (urgency);
        d->head_end = MAX (d->head_end, i + used);
        i += used - 1;
      }
    }
  if (d->out->secrecy_mark == NULL)
    d->out->secrecy_mark = g_steal_pointer (&warning_mark);

  /* A bulletin's masthead (its name and issue, which extraction may
   * split in two) above the 公文: the issue number ends it.  On one page
   * it cannot be told by its repeating. */
  for (guint i = 0; i < MIN (d->first_page_end, 3); i++)
    if (g_regex_match (d->p->issue, line_at (d, i)->compact, 0, NULL))
      d->head_end = MAX (d->head_end, i + 1);
}

static void
take_signer (Detector *d, int i, const char *name)
{
  g_autofree char *joined = remove_spaces (name);
  Line            *next = line_at (d, i + 1);

  /* A full-width space in "马　坚" can push the rest of the name onto a
   * line of its own. */
  if (utf8_len (joined) <= 1 && next != NULL && next->page == 0 && utf8_len (next->compact) <= 3 &&
      g_regex_match (d->p->han_only, next->compact, 0, NULL))
    {
      char *longer = g_strconcat (joined, next->compact, NULL);
      g_free (joined);
      joined = longer;
    }
  if (*joined != '\0' && d->out->signer == NULL)
    d->out->signer = g_steal_pointer (&joined);
}

/* A 文号 line may be wrapped in parentheses under a web-style title:
 * "（沪府办规〔2024〕3号）".  Returns the line without them. */
static char *
strip_parentheses (const char *compact)
{
  const char *open[] = { "（", "(" };
  const char *close[] = { "）", ")" };

  for (guint i = 0; i < G_N_ELEMENTS (open); i++)
    for (guint j = 0; j < G_N_ELEMENTS (close); j++)
      if (g_str_has_prefix (compact, open[i]) && has_suffix (compact, close[j]) &&
          strlen (compact) > strlen (open[i]) + strlen (close[j]))
        return g_strndup (compact + strlen (open[i]),
                          strlen (compact) - strlen (open[i]) - strlen (close[j]));
  return g_strdup (compact);
}

static gboolean
is_doc_number_line (Detector *d, const char *compact)
{
  g_autofree char *bare = strip_parentheses (compact);

  return g_regex_match (d->p->doc_number, bare, 0, NULL) ||
         g_regex_match (d->p->order_line, bare, 0, NULL);
}

/* 发文字号 and 签发人, near the top of page 1 (or under a web-style
 * title). */
static void
detect_doc_number (Detector *d)
{
  guint limit = MIN (d->first_page_end, 30);

  d->number_line = -1;
  for (guint i = 0; i < limit; i++)
    {
      Line            *line = line_at (d, i);
      g_autofree char *bare = strip_parentheses (line->compact);
      g_autoptr (GMatchInfo) info = NULL;

      if (d->number_line < 0 && matches (d->p->doc_number, bare, &info))
        {
          g_autofree char *code = group (info, "code");
          g_autofree char *year = group (info, "year");
          g_autofree char *serial = group (info, "serial");
          g_autofree char *rest = group (info, "rest");
          gint             start = 0, end = 0;

          g_match_info_fetch_pos (info, 0, &start, &end);
          if (rest != NULL)
            end -= strlen (rest);
          d->out->doc_number = g_strdup_printf ("%s〔%s〕%s号", code ? code : "", year, serial);
          d->out->doc_number_original = g_strndup (bare + start, end - start);
          d->number_line = i;
          g_clear_pointer (&info, g_match_info_free);
        }
      else if (d->number_line < 0 && matches (d->p->order_line, bare, NULL))
        {
          d->out->doc_number = g_strdup (bare);
          d->out->doc_number_original = g_strdup (bare);
          d->number_line = i;
        }
      else if (d->number_line < 0 && i > 0 && matches (d->p->order_number, line->compact, NULL) &&
               has_suffix (line_at (d, i - 1)->compact, "令"))
        {
          g_autofree char *joined = g_strconcat (line_at (d, i - 1)->compact, line->compact, NULL);

          /* The two lines make a 令 number only as one line would: the
           * record takes no other (gk_gongwen_normalize_doc_number()). */
          if (matches (d->p->order_line, joined, NULL))
            {
              d->out->doc_number = g_strdup (joined);
              d->out->doc_number_original = g_steal_pointer (&joined);
              d->number_line = i;
            }
        }

      if (d->out->signer == NULL && matches (d->p->signer, line->compact, &info))
        {
          g_autofree char *name = group (info, "name");
          take_signer (d, i, name ? name : "");
        }
    }
}

static gboolean
is_head_line (Detector *d, Line *line)
{
  const char *c = line->compact;

  return has_suffix (c, "文件") || g_str_has_prefix (c, "签发人") ||
         g_regex_match (d->p->mark, c, 0, NULL) || is_doc_number_line (d, c);
}

/* "联系人：张三" is not a title line; "《关于…：…》" may be. */
static gboolean
has_colon_outside_quotes (const char *text)
{
  int depth = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x300a) /* 《 */
        depth++;
      else if (c == 0x300b && depth > 0) /* 》 */
        depth--;
      else if ((c == 0xff1a || c == ':') && depth == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_title_line (Detector *d, Line *line)
{
  const char *c = line->compact;

  return line->page == 0 && utf8_len (c) <= 26 && utf8_len (c) >= 2 &&
         g_regex_match (d->p->han, c, 0, NULL) && strstr (c, "。") == NULL &&
         strstr (c, "；") == NULL && !has_colon_outside_quotes (c) &&
         !g_str_has_prefix (c, "（此页无正文）") && !g_regex_match (d->p->enumerator, c, 0, NULL) &&
         !is_doc_number_line (d, c) && !g_regex_match (d->p->order_number, c, 0, NULL) &&
         !g_regex_match (d->p->date, c, 0, NULL) && !g_str_has_prefix (c, "签发人");
}

/* TRUE if c closes a bracket or a quote that text leaves open. */
static gboolean
closes_open_pair (const char *text, gunichar c)
{
  static const gunichar pairs[][2] = {
    { 0x300a, 0x300b }, /* 《》 */
    { 0xff08, 0xff09 }, /* （） */
    { '(', ')' },
    { 0x201c, 0x201d }, /* “” */
    { 0x2018, 0x2019 }, /* ‘’ */
    { 0x300c, 0x300d }, /* 「」 */
    { 0x300e, 0x300f }, /* 『』 */
    { 0x3008, 0x3009 }, /* 〈〉 */
    { 0x3010, 0x3011 }, /* 【】 */
    { 0x3014, 0x3015 }, /* 〔〕 */
  };

  for (guint k = 0; k < G_N_ELEMENTS (pairs); k++)
    {
      int depth = 0;

      if (c != pairs[k][1])
        continue;
      for (const char *p = text; *p; p = g_utf8_next_char (p))
        {
          gunichar t = g_utf8_get_char (p);

          if (t == pairs[k][0])
            depth++;
          else if (t == pairs[k][1] && depth > 0)
            depth--;
        }
      return depth > 0;
    }
  return FALSE;
}

/* A title wrapped at the width of the type area can leave its last
 * character alone on a line ("…站点的批" + "复", "…的通知" + "》"); a
 * line of one character is no title line of its own, and read as the
 * start of the 主送 it garbles both.  It ends the title when it closes a
 * bracket or a quote the title opened, or, when the title does not end
 * with a 文种 yet, when it completes one or the line before it is full
 * (as long as the title's lines get: the width made it wrap).  A 主送
 * ends with "：" and a text line is long: neither is ever taken. */
static gboolean
is_title_tail (Detector *d, const char *joined, guint longest, Line *prev, Line *line)
{
  g_autofree char *longer = NULL;
  gunichar         c;

  if (line == NULL || line->page != 0 || *joined == '\0' || utf8_len (line->compact) != 1)
    return FALSE;
  c = g_utf8_get_char (line->compact);
  if (closes_open_pair (joined, c))
    return TRUE;
  if (g_unichar_get_script (c) != G_UNICODE_SCRIPT_HAN ||
      g_regex_match (d->p->genre, joined, 0, NULL))
    return FALSE;
  longer = g_strconcat (joined, line->compact, NULL);
  if (g_regex_match (d->p->genre, longer, 0, NULL))
    return TRUE;
  return prev != NULL && utf8_len (prev->compact) >= 14 && utf8_len (prev->compact) + 2 >= longest;
}

/* The title: consecutive short lines, cut after the last one that ends
 * with a 文种 when one does, plus a last character wrapped alone.
 * Returns the number of lines, 0 if none. */
static guint
title_group (Detector *d, int start, int stop, gboolean *has_genre)
{
  guint n = 0, with_genre = 0, longest = 0;
  int   i;
  g_autoptr (GString) joined = g_string_new (NULL);

  for (i = start; i < stop && n < 4; i++)
    {
      Line *line = line_at (d, i);

      if (line == NULL || !is_title_line (d, line))
        break;
      g_string_append (joined, line->compact);
      longest = MAX (longest, utf8_len (line->compact));
      n++;
      if (g_regex_match (d->p->genre, joined->str, 0, NULL))
        with_genre = n;
    }
  if (n > 0 && i < stop && (with_genre == 0 || with_genre == n) &&
      is_title_tail (d, joined->str, longest, line_at (d, i - 1), line_at (d, i)))
    {
      /* The tail belongs to the lines that end the title. */
      g_string_append (joined, line_at (d, i)->compact);
      n++;
      if (with_genre > 0 || g_regex_match (d->p->genre_closed, joined->str, 0, NULL))
        with_genre = n;
    }
  *has_genre = with_genre > 0;
  if (with_genre > 0)
    return with_genre;
  return n <= 3 ? n : 0;
}

static void
set_title (Detector *d, int start, guint n)
{
  g_autoptr (GString) title = g_string_new (NULL);
  g_autoptr (GMatchInfo) info = NULL;

  /* A 函's agency-name header right above a title that repeats it. */
  if (n >= 2 && is_agency (d, line_at (d, start)->compact) &&
      g_str_has_prefix (line_at (d, start + 1)->compact, line_at (d, start)->compact))
    {
      start++;
      n--;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = despace_text (line_at (d, start + i)->text);
      g_string_append (title, text);
    }
  d->out->title = g_string_free (g_steal_pointer (&title), FALSE);
  d->title_start = start;
  d->title_end = start + n;
  if (matches (d->p->genre_closed, d->out->title, &info))
    d->out->genre = group (info, "genre");
}

static void
detect_title (Detector *d)
{
  int      start;
  guint    n;
  gboolean genre_after = FALSE, genre_before = FALSE;

  d->title_start = d->title_end = -1;

  /* A 令 is named by the regulation it publishes. */
  if (d->out->doc_number != NULL && strstr (d->out->doc_number, "令第") != NULL)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      g_autoptr (GMatchInfo) info = NULL;

      for (guint i = d->number_line + 1; i < d->first_page_end; i++)
        g_string_append (text, line_at (d, i)->compact);
      if (matches (d->p->order_title, text->str, &info))
        d->out->title = group (info, "title");
      d->out->genre = g_strdup ("令");
      d->title_start = d->title_end = d->number_line + 1;
      return;
    }

  /* After the 文号, skipping what belongs to the 版头 ("文件" of a joint
   * header, the 签发人 and the rest of its name). */
  start = d->number_line >= 0 ? d->number_line + 1 : (int) d->head_end;
  while (start < (int) d->first_page_end)
    {
      Line *line = line_at (d, start);
      Line *prev = line_at (d, start - 1);

      if (is_head_line (d, line) ||
          (prev != NULL && g_str_has_prefix (prev->compact, "签发人") && d->out->signer != NULL &&
           strstr (prev->compact, d->out->signer) == NULL && utf8_len (line->compact) <= 3))
        start++;
      else
        break;
    }
  n = title_group (d, start, d->first_page_end, &genre_after);

  /* No 文号 above: the title may be the first lines after the marks
   * ("web" layout with the 文号 under the title, or no 版头 at all). */
  if (d->number_line >= 0)
    {
      int   before = d->head_end;
      guint m;

      while (before < d->number_line && is_head_line (d, line_at (d, before)))
        before++;
      m = title_group (d, before, d->number_line, &genre_before);
      if (m > 0 && before + (int) m == d->number_line && genre_before && (!genre_after || n == 0))
        {
          set_title (d, before, m);
          d->title_end = d->number_line + 1;
          return;
        }
    }
  if (n > 0)
    set_title (d, start, n);
  else
    d->title_start = d->title_end = start;
}

/* 主送机关: up to three lines after the title, the last ending in "：". */
static void
detect_recipients (Detector *d)
{
  g_autoptr (GString) joined = g_string_new (NULL);

  if (d->title_end < 0)
    return;
  for (int i = d->title_end; i < d->title_end + 3; i++)
    {
      Line *line = line_at (d, i);

      if (line == NULL || line->page != 0)
        return;
      if (strstr (line->compact, "。") != NULL ||
          g_regex_match (d->p->enumerator, line->compact, 0, NULL))
        return;
      g_string_append (joined, line->compact);
      if (has_suffix (line->compact, "：") || has_suffix (line->compact, ":"))
        {
          if (!g_regex_match (d->p->recipients_end, joined->str, 0, NULL) ||
              strstr (joined->str, "如下") != NULL)
            return;
          g_string_truncate (joined,
                             joined->len - (has_suffix (joined->str, ":") ? 1 : strlen ("：")));
          d->out->recipients = g_string_free (g_steal_pointer (&joined), FALSE);
          d->title_end = i + 1;
          return;
        }
    }
}

/* An 上行文 may list its 主送 in the 版记 instead: "主送：市人民政府。",
 * wrapped lines following under the colon. */
static void
detect_recipients_in_colophon (Detector *d)
{
  int from = MAX (MAX (d->title_end, d->date_line), 0);

  if (d->out->recipients != NULL)
    return;
  for (int i = d->lines->len - 1; i >= from && i >= (int) d->lines->len - 15; i--)
    {
      Line *line = line_at (d, i);
      g_autoptr (GString) joined = NULL;

      if (!g_str_has_prefix (line->compact, "主送：") && !g_str_has_prefix (line->compact, "主送:"))
        continue;
      joined = g_string_new (strchr (line->compact, ':') ? strchr (line->compact, ':') + 1
                                                         : line->compact + strlen ("主送："));
      for (int j = i + 1; j < (int) d->lines->len && !has_suffix (joined->str, "。"); j++)
        {
          const char *next = line_at (d, j)->compact;

          if (g_str_has_prefix (next, "抄送") || g_regex_match (d->p->printed, next, 0, NULL) ||
              is_agency (d, next) || utf8_len (next) < 2)
            break;
          g_string_append (joined, next);
        }
      if (has_suffix (joined->str, "。"))
        g_string_truncate (joined, joined->len - strlen ("。"));
      if (joined->len > 0)
        d->out->recipients = g_string_free (g_steal_pointer (&joined), FALSE);
      return;
    }
}

/* 署名 + 成文日期: the first line after the title that is only a date,
 * preferring one under an agency name (the 印发 date in the 版记 ends in
 * "印发" and never matches). */
static void
detect_signature (Detector *d)
{
  int start = MAX (d->title_end, 0);
  int first_date = -1, signed_date = -1;

  for (guint i = start; i < d->lines->len && signed_date < 0; i++)
    {
      Line    *line = line_at (d, i);
      Line    *next = line_at (d, i + 1);
      Line    *prev = line_at (d, (int) i - 1);
      gboolean is_date = g_regex_match (d->p->date, line->compact, 0, NULL);

      /* "2023年4月" + "10日" split over two lines. */
      if (!is_date && next != NULL && utf8_len (line->compact) <= 12 &&
          utf8_len (next->compact) <= 6)
        {
          g_autofree char *both = g_strconcat (line->compact, next->compact, NULL);
          if (g_regex_match (d->p->date, both, 0, NULL))
            {
              g_free (line->compact);
              line->compact = g_steal_pointer (&both);
              g_free (next->compact);
              next->compact = g_strdup ("");
              is_date = TRUE;
            }
        }
      if (!is_date)
        continue;
      if (first_date < 0)
        first_date = i;
      if (prev != NULL && (int) i - 1 >= start && is_signature (d, prev))
        signed_date = i;
    }
  d->date_line = signed_date >= 0 ? signed_date : first_date;
  if (d->date_line < 0)
    return;
  d->out->written_date = gk_gongwen_parse_date (line_at (d, d->date_line)->compact);

  /* The 署名: agency lines right above the date; stacked joint issuers
   * are read top-down, side-by-side ones left to right. */
  {
    int top = -1;

    for (int i = d->date_line - 1; i >= start && i >= d->date_line - 4; i--)
      {
        if (is_agency_line (d, line_at (d, i)))
          top = i;
        else
          break;
      }
    if (top >= 0)
      d->out->issuer = first_word (line_at (d, top)->text);
  }
}

static const char *
disclosure_value (const char *value)
{
  if (g_str_equal (value, "公开发布") || g_str_equal (value, "主动公开"))
    return "proactive";
  if (g_str_equal (value, "依申请公开"))
    return "on_request";
  return "withheld";
}

/* 附注 under the 成文日期, or 公开方式 above the 版记, or at the end of
 * the attachments. */
static void
detect_disclosure (Detector *d)
{
  int from = d->date_line >= 0 ? d->date_line : MAX (d->title_end, 0);

  for (guint pass = 0; pass < 2 && d->out->disclosure == NULL; pass++)
    {
      guint begin = pass == 0 ? (guint) from : (guint) MAX (d->title_end, 0);
      guint end = pass == 0 ? d->lines->len : (guint) from;

      for (guint i = begin; i < end; i++)
        {
          Line *line = line_at (d, i);
          g_autoptr (GMatchInfo) info = NULL;

          if (matches (d->p->note, line->compact, &info) ||
              matches (d->p->option, line->compact, &info))
            {
              g_autofree char *value = group (info, "value");
              d->out->disclosure = g_strdup (disclosure_value (value));
              break;
            }
        }
    }
}

static char *
add_years (const char *iso, int years)
{
  int y, m, dd;
  g_autoptr (GDate) date = NULL;
  char buf[16];

  if (iso == NULL || sscanf (iso, "%d-%d-%d", &y, &m, &dd) != 3 || years <= 0)
    return NULL;
  date = g_date_new_dmy (dd, m, y);
  g_date_add_years (date, years);
  g_date_subtract_days (date, 1);
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", date);
  return g_strdup (buf);
}

/* 施行日期 and 有效期 of a 规范性文件 (or a 令), anywhere in the text: the
 * clause may wrap over lines and pages. */
static void
detect_effective (Detector *d)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GMatchInfo) info = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *years = NULL;

  for (guint i = MAX (d->title_end, 0); i < d->lines->len; i++)
    g_string_append (text, line_at (d, i)->compact);

  /* Prefer the clause that also states the period. */
  if (matches (d->p->effective, text->str, &info))
    {
      do
        {
          g_autofree char *f = group (info, "from");
          g_autofree char *u = group (info, "until");
          g_autofree char *y = group (info, "years");

          if (from == NULL || ((u || y) && !until && !years))
            {
              g_free (from);
              from = g_steal_pointer (&f);
              g_clear_pointer (&until, g_free);
              g_clear_pointer (&years, g_free);
              until = g_steal_pointer (&u);
              years = g_steal_pointer (&y);
            }
        }
      while (g_match_info_next (info, NULL));
    }
  g_clear_pointer (&info, g_match_info_free);

  if (from != NULL)
    d->out->effective_from = gk_gongwen_parse_date (from);
  if (until == NULL && years == NULL && matches (d->p->until, text->str, &info))
    until = group (info, "until");
  if (until != NULL)
    d->out->effective_until = gk_gongwen_parse_date (until);
  else if (years != NULL)
    d->out->effective_until = add_years (d->out->effective_from, parse_small_number (years));
}

/* The 发文机关标志 names the issuer when there is no 署名.  A header
 * spread over the width can come out one character per line: runs of
 * such lines are read as one. */
static char *
header_issuer (Detector *d)
{
  guint limit = d->title_start >= 0 ? (guint) d->title_start : MIN (d->first_page_end, 10);
  g_autoptr (GPtrArray) heads = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) run = g_string_new (NULL);
  gboolean    joint_suffix = FALSE;
  const char *first_agency = NULL;

  for (guint i = d->head_end; i <= limit; i++)
    {
      Line *line = i < limit ? line_at (d, i) : NULL;

      if (line != NULL && (int) i == d->number_line)
        continue;
      if (line != NULL && utf8_len (line->compact) <= 2 && !g_str_equal (line->compact, "文件"))
        {
          g_string_append (run, line->compact);
          continue;
        }
      if (run->len > 0)
        g_ptr_array_add (heads, g_strdup (run->str));
      g_string_truncate (run, 0);
      if (line != NULL)
        g_ptr_array_add (heads, g_strdup (line->compact));
    }

  for (guint i = 0; i < heads->len; i++)
    {
      const char *c = g_ptr_array_index (heads, i);

      if (g_str_equal (c, "文件"))
        joint_suffix = TRUE;
      else if (has_suffix (c, "文件") && utf8_len (c) > 3)
        return g_strndup (c, strlen (c) - strlen ("文件"));
      else if (has_suffix (c, "令") && d->number_line >= 0 && d->out->genre != NULL &&
               g_str_equal (d->out->genre, "令"))
        return g_strndup (c, strlen (c) - strlen ("令"));
      else if (has_suffix (c, "会议纪要") && utf8_len (c) > 5)
        return g_strndup (c, strlen (c) - strlen ("会议纪要"));
      else if (first_agency == NULL && is_agency (d, c))
        first_agency = c;
    }
  if (first_agency != NULL && (joint_suffix || d->number_line >= 0))
    return g_strdup (first_agency);
  return NULL;
}

/* "上海市应急管理局关于…" or "A B关于…": the issuer named by the title. */
static char *
title_issuer (Detector *d)
{
  const char      *about;
  g_autofree char *head = NULL;
  g_auto (GStrv) words = NULL;

  if (d->out->title == NULL || (about = strstr (d->out->title, "关于")) == NULL ||
      about == d->out->title)
    return NULL;
  head = g_strndup (d->out->title, about - d->out->title);
  words = g_strsplit (head, " ", -1);
  if (words[0] != NULL && is_agency (d, words[0]))
    return g_strdup (words[0]);
  return NULL;
}

/* The 印发机关 of the 版记, minus "办公室". */
static char *
printer_issuer (Detector *d)
{
  for (int i = d->lines->len - 1; i >= 0 && i >= (int) d->lines->len - 12; i--)
    {
      Line *line = line_at (d, i);
      g_autoptr (GMatchInfo) info = NULL;
      g_autofree char *agency = NULL;

      if (!matches (d->p->printed, line->compact, &info))
        continue;
      agency = group (info, "agency");
      for (int j = i - 1; agency == NULL && j >= 0 && j >= i - 4; j--)
        if (is_agency (d, line_at (d, j)->compact))
          agency = g_strdup (line_at (d, j)->compact);
      if (agency == NULL)
        return NULL;
      g_clear_pointer (&info, g_match_info_free);
      if (matches (d->p->office, agency, &info))
        {
          g_autofree char *parent = group (info, "agency");
          if (parent != NULL && is_agency (d, parent))
            return g_steal_pointer (&parent);
        }
      return g_steal_pointer (&agency);
    }
  return NULL;
}

static void
detect_issuer (Detector *d)
{
  if (d->out->issuer == NULL)
    d->out->issuer = header_issuer (d);
  if (d->out->issuer == NULL)
    d->out->issuer = title_issuer (d);
  if (d->out->issuer == NULL)
    d->out->issuer = printer_issuer (d);
}

/**
 * gk_gongwen_detect:
 * @pages: (array length=n_pages): the text of every page, in order
 * @n_pages: the number of pages
 *
 * Reads the fields of a GB/T 9704 公文 from its text.  Never fails: fields
 * that are not found are %NULL.
 *
 * Returns: (transfer full): the detected fields
 */
GkDetected *
gk_gongwen_detect (const char *const *pages, guint n_pages)
{
  Detector d = { 0 };

  d.out = g_new0 (GkDetected, 1);
  if (pages == NULL || n_pages == 0)
    return d.out;

  d.p = patterns ();
  d.lines = split_lines (pages, n_pages, d.p);
  while (d.first_page_end < d.lines->len &&
         line_at (&d, d.first_page_end)->page == line_at (&d, 0)->page)
    d.first_page_end++;
  d.number_line = -1;
  d.date_line = -1;
  d.title_start = d.title_end = -1;

  if (d.lines->len > 0)
    {
      /* Page 1 here means the first page that has text. */
      guint first = line_at (&d, 0)->page;
      for (guint i = 0; i < d.lines->len; i++)
        line_at (&d, i)->page -= first;

      detect_marks (&d);
      detect_doc_number (&d);
      detect_title (&d);
      detect_recipients (&d);
      detect_signature (&d);
      detect_recipients_in_colophon (&d);
      detect_disclosure (&d);
      detect_effective (&d);
      detect_issuer (&d);
    }
  g_ptr_array_unref (d.lines);
  return d.out;
}

/**
 * gk_detected_free:
 * @detected: (nullable): detected fields
 */
void
gk_detected_free (GkDetected *detected)
{
  if (detected == NULL)
    return;
  g_free (detected->doc_number);
  g_free (detected->doc_number_original);
  g_free (detected->title);
  g_free (detected->issuer);
  g_free (detected->written_date);
  g_free (detected->disclosure);
  g_free (detected->secrecy_mark);
  g_free (detected->copy_number);
  g_free (detected->urgency);
  g_free (detected->genre);
  g_free (detected->recipients);
  g_free (detected->effective_from);
  g_free (detected->effective_until);
  g_free (detected->signer);
  g_free (detected);
}

/**
 * gk_detected_to_json:
 * @detected: detected fields
 *
 * Returns: (transfer full): a JSON object with every field, null where
 *   nothing was found
 */
JsonNode *
gk_detected_to_json (const GkDetected *detected)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  const struct
  {
    const char *name;
    const char *value;
  } fields[] = {
    { "doc_number", detected->doc_number },
    { "doc_number_original", detected->doc_number_original },
    { "title", detected->title },
    { "issuer", detected->issuer },
    { "written_date", detected->written_date },
    { "disclosure", detected->disclosure },
    { "secrecy_mark", detected->secrecy_mark },
    { "copy_number", detected->copy_number },
    { "urgency", detected->urgency },
    { "genre", detected->genre },
    { "recipients", detected->recipients },
    { "signer", detected->signer },
    { "effective_from", detected->effective_from },
    { "effective_until", detected->effective_until },
  };

  g_return_val_if_fail (detected != NULL, NULL);

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      json_builder_set_member_name (builder, fields[i].name);
      if (fields[i].value != NULL)
        json_builder_add_string_value (builder, fields[i].value);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
