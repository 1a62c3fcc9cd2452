/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GongkaiTest"

#include "config.h"

#include <string.h>

#include "gk-finding.h"
#include "gk-screening.h"

/* Screening is judged on generated text: every number that must be found
 * is built here (check digits computed), surrounded by decoys that must
 * not be, and the whole finding list is compared with the expected one
 * (kind, page, offset, length, value for marks). */

/* ------------------------------------------------------------- helpers */

/* A valid 18-character identity number from its first 17 digits. */
static char *
make_id (const char *first17)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  int sum = 0;

  g_assert_cmpuint (strlen (first17), ==, 17);
  for (guint i = 0; i < 17; i++)
    sum += (first17[i] - '0') * weights[i];

  return g_strdup_printf ("%s%c", first17, "10X98765432"[sum % 11]);
}

/* The same number with a wrong check character. */
static char *
break_id (const char *id)
{
  char *bad = g_strdup (id);

  bad[17] = bad[17] == '0' ? '1' : bad[17] == 'X' ? '0' : (char) (bad[17] == '9' ? 'X' : bad[17] + 1);
  return bad;
}

/* Finds 17 digits starting with prefix whose check character is X. */
static char *
make_id_with_x (const char *prefix14)
{
  for (int seq = 0; seq < 1000; seq++)
    {
      g_autofree char *first17 = g_strdup_printf ("%s%03d", prefix14, seq);
      char *id = make_id (first17);

      if (id[17] == 'X')
        return id;
      g_free (id);
    }
  g_assert_not_reached ();
}

/* Completes a number with its Luhn check digit. */
static char *
make_card (const char *prefix)
{
  for (char d = '0'; d <= '9'; d++)
    {
      char *card = g_strdup_printf ("%s%c", prefix, d);

      if (gk_screening_luhn_valid (card))
        return card;
      g_free (card);
    }
  g_assert_not_reached ();
}

static char *
break_card (const char *card)
{
  char *bad = g_strdup (card);
  gsize last = strlen (bad) - 1;

  bad[last] = bad[last] == '9' ? '0' : (char) (bad[last] + 1);
  return bad;
}

/* ASCII digits → full-width ０-９ (and X → Ｘ). */
static char *
full_width (const char *ascii)
{
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_unichar (out, 0xFF10 + (*p - '0'));
      else if (*p == 'X')
        g_string_append_unichar (out, 0xFF38);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* "abcdef" split as "ab cd ef" at the given sizes with sep. */
static char *
split_number (const char *digits,
              const int  *sizes,
              const char *sep)
{
  GString *out = g_string_new (NULL);
  const char *p = digits;

  for (guint i = 0; sizes[i] > 0; i++)
    {
      if (i > 0)
        g_string_append (out, sep);
      g_string_append_len (out, p, sizes[i]);
      p += sizes[i];
    }
  g_assert_cmpint (*p, ==, '\0');
  return g_string_free (out, FALSE);
}

/* A document under construction: pages of text, and the findings the
 * scan must return. */
typedef struct
{
  GkFindingKind kind;
  int           page;
  int           offset;
  int           length;
  char         *value;  /* checked when not NULL */
  char         *digits; /* a number: must not appear in the finding's value */
} Expected;

typedef struct
{
  GPtrArray *pages;     /* GString */
  GPtrArray *expected;  /* Expected */
} Doc;

static void
expected_free (Expected *e)
{
  g_free (e->value);
  g_free (e->digits);
  g_free (e);
}

static Doc *
doc_new (void)
{
  Doc *doc = g_new0 (Doc, 1);

  doc->pages = g_ptr_array_new ();
  doc->expected = g_ptr_array_new_with_free_func ((GDestroyNotify) expected_free);
  g_ptr_array_add (doc->pages, g_string_new (NULL));
  return doc;
}

static void
doc_free (Doc *doc)
{
  for (guint i = 0; i < doc->pages->len; i++)
    g_string_free (g_ptr_array_index (doc->pages, i), TRUE);
  g_ptr_array_unref (doc->pages);
  g_ptr_array_unref (doc->expected);
  g_free (doc);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Doc, doc_free)

static GString *
doc_page (Doc *doc)
{
  return g_ptr_array_index (doc->pages, doc->pages->len - 1);
}

static void
doc_text (Doc        *doc,
          const char *text)
{
  g_string_append (doc_page (doc), text);
}

static void
doc_new_page (Doc *doc)
{
  g_ptr_array_add (doc->pages, g_string_new (NULL));
}

/* Appends text and expects one finding covering exactly it. */
static void
doc_expect (Doc *doc, GkFindingKind kind, const char *text, const char *value, const char *digits)
{
  Expected *e = g_new0 (Expected, 1);
  GString *page = doc_page (doc);

  e->kind = kind;
  e->page = (int) doc->pages->len;
  e->offset = (int) g_utf8_strlen (page->str, -1);
  e->length = (int) g_utf8_strlen (text, -1);
  e->value = g_strdup (value);
  e->digits = g_strdup (digits);
  g_ptr_array_add (doc->expected, e);
  g_string_append (page, text);
}

static char *
describe (GkFindingKind kind, int page, int offset, int length, const char *value)
{
  return g_strdup_printf ("%s p%d @%d+%d %s", gk_finding_kind_to_string (kind), page, offset,
                          length, value ? value : "");
}

static GPtrArray *
doc_scan (Doc               *doc,
          const char *const *words)
{
  g_autofree const char **texts = g_new0 (const char *, doc->pages->len + 1);

  for (guint i = 0; i < doc->pages->len; i++)
    texts[i] = ((GString *) g_ptr_array_index (doc->pages, i))->str;

  return gk_screening_scan (texts, doc->pages->len, words);
}

/* Scans and compares with the expected list, printing both on mismatch. */
static void
doc_check (Doc               *doc,
           const char *const *words)
{
  g_autoptr(GPtrArray) found = doc_scan (doc, words);
  g_autoptr(GString) got = g_string_new (NULL);
  g_autoptr(GString) want = g_string_new (NULL);

  for (guint i = 0; i < found->len; i++)
    {
      GkFinding *f = g_ptr_array_index (found, i);
      g_autofree char *line = describe (f->kind, f->page, f->offset, f->length, f->value);

      g_string_append_printf (got, "%s\n", line);
    }
  for (guint i = 0; i < doc->expected->len; i++)
    {
      Expected *e = g_ptr_array_index (doc->expected, i);
      g_autofree char *line = describe (e->kind, e->page, e->offset, e->length, e->value);

      g_string_append_printf (want, "%s\n", line);
    }

  if (found->len != doc->expected->len)
    g_test_message ("expected:\n%sgot:\n%s", want->str, got->str);
  g_assert_cmpuint (found->len, ==, doc->expected->len);

  for (guint i = 0; i < found->len; i++)
    {
      GkFinding *f = g_ptr_array_index (found, i);
      Expected *e = g_ptr_array_index (doc->expected, i);

      if (f->kind != e->kind || f->page != e->page || f->offset != e->offset ||
          f->length != e->length || (e->value != NULL && g_strcmp0 (f->value, e->value) != 0))
        g_test_message ("expected:\n%sgot:\n%s", want->str, got->str);

      g_assert_cmpint (f->kind, ==, e->kind);
      g_assert_cmpint (f->page, ==, e->page);
      g_assert_cmpint (f->offset, ==, e->offset);
      g_assert_cmpint (f->length, ==, e->length);
      if (e->value != NULL)
        g_assert_cmpstr (f->value, ==, e->value);
      g_assert_cmpint (f->status, ==,
                       e->kind == GK_FINDING_LANDLINE ? GK_FINDING_INFO : GK_FINDING_OPEN);

      /* The full number never reaches a finding. */
      if (e->digits != NULL)
        {
          g_assert_null (strstr (f->value, e->digits));
          g_assert_nonnull (strchr (f->value, '*'));
        }
    }
}

/* ----------------------------------------------------------- the checks */

static void
test_id_card_check (void)
{
  g_autofree char *id = make_id ("11010519491231002");
  g_autofree char *bad = break_id (id);
  g_autofree char *with_x = make_id_with_x ("31011519900307");
  g_autofree char *lower_x = g_ascii_strdown (with_x, -1);
  g_autofree char *feb30 = make_id ("44030619900230123");
  g_autofree char *future = make_id ("44030620900101123");
  g_autofree char *old = make_id ("44030618991231123");
  g_autofree char *no_province = make_id ("99030619900101123");
  g_autofree char *leap = make_id ("32010219960229123");
  g_autofree char *not_leap = make_id ("32010219000229123");

  g_assert_true (gk_screening_id_card_valid (id));
  g_assert_false (gk_screening_id_card_valid (bad));
  g_assert_true (gk_screening_id_card_valid (with_x));
  g_assert_true (gk_screening_id_card_valid (lower_x));
  g_assert_false (gk_screening_id_card_valid (feb30));
  g_assert_false (gk_screening_id_card_valid (future));
  g_assert_false (gk_screening_id_card_valid (old));
  g_assert_false (gk_screening_id_card_valid (no_province));
  g_assert_true (gk_screening_id_card_valid (leap));
  g_assert_false (gk_screening_id_card_valid (not_leap));  /* 1900 was no leap year */

  /* 15-digit form: YYMMDD in the 1900s, no check digit. */
  g_assert_true (gk_screening_id_card_valid ("110105491231002"));
  g_assert_false (gk_screening_id_card_valid ("110105491331002"));
  g_assert_false (gk_screening_id_card_valid ("990105491231002"));

  g_assert_false (gk_screening_id_card_valid (""));
  g_assert_false (gk_screening_id_card_valid ("1101051949123100"));
  g_assert_false (gk_screening_id_card_valid ("11010519491231002Y"));
  g_assert_false (gk_screening_id_card_valid ("1101051949123100２"));
}

static void
test_luhn (void)
{
  g_autofree char *card = make_card ("622202123456789012");
  g_autofree char *bad = break_card (card);

  g_assert_true (gk_screening_luhn_valid ("4111111111111111"));
  g_assert_true (gk_screening_luhn_valid ("79927398713"));
  g_assert_false (gk_screening_luhn_valid ("79927398710"));
  g_assert_true (gk_screening_luhn_valid (card));
  g_assert_false (gk_screening_luhn_valid (bad));
  g_assert_false (gk_screening_luhn_valid (""));
  g_assert_false (gk_screening_luhn_valid ("0"));
  g_assert_false (gk_screening_luhn_valid ("4111-1111-1111-1111"));
}

/* Recall: every form a number takes in a real document is found, at the
 * right place, masked. */
static void
test_numbers_found (void)
{
  g_autoptr(Doc) doc = doc_new ();
  g_autofree char *id1 = make_id ("11010519491231002");
  g_autofree char *id2 = make_id_with_x ("31011519900307");
  g_autofree char *id3 = make_id ("44030619851115201");
  g_autofree char *id4 = make_id ("51010720010909442");
  g_autofree char *id5 = make_id ("32010219960229123");
  g_autofree char *id3_wide = full_width (id3);
  static const int id_sizes[] = { 6, 8, 4, 0 };
  g_autofree char *id4_split = split_number (id4, id_sizes, " ");
  static const int wrap_sizes[] = { 10, 8, 0 };
  g_autofree char *id5_wrapped = split_number (id5, wrap_sizes, "\n");
  g_autofree char *card1 = make_card ("621700123456789012");
  g_autofree char *card2 = make_card ("622848001234567");
  static const int card_sizes[] = { 4, 4, 4, 4, 0 };
  g_autofree char *card2_split = split_number (card2, card_sizes, " ");
  g_autofree char *card3 = make_card ("955880012345678901");
  g_autofree char *mobile_wide = full_width ("13912345678");
  g_autofree char *id2_lower = g_ascii_strdown (id2, -1);

  doc_text (doc, "关于行政处罚决定的公示\n当事人：张某，公民身份号码：");
  doc_expect (doc, GK_FINDING_ID_CARD, id1, NULL, id1);
  doc_text (doc, "，住所：上海市浦东新区。\n法定代表人李某（身份证号");
  doc_expect (doc, GK_FINDING_ID_CARD, id2, NULL, id2);
  doc_text (doc, "）联系电话");
  doc_expect (doc, GK_FINDING_MOBILE, "13812345678", "138****5678", "13812345678");
  doc_text (doc, "。\n全角号码：");
  doc_expect (doc, GK_FINDING_ID_CARD, id3_wide, NULL, id3);
  doc_text (doc, "；全角手机");
  doc_expect (doc, GK_FINDING_MOBILE, mobile_wide, "139****5678", "13912345678");
  doc_text (doc, "；\n提取时被空格拆开的号码 ");
  doc_expect (doc, GK_FINDING_ID_CARD, id4_split, NULL, id4);
  doc_text (doc, " 以及跨行的号码");
  doc_expect (doc, GK_FINDING_ID_CARD, id5_wrapped, NULL, id5);
  doc_text (doc, "。\n小写x结尾：");
  doc_expect (doc, GK_FINDING_ID_CARD, id2_lower, NULL, id2);
  doc_text (doc, "。旧式15位：");
  doc_expect (doc, GK_FINDING_ID_CARD, "110105491231002", NULL, "110105491231002");
  doc_text (doc, "。\n");

  doc_new_page (doc);
  doc_text (doc, "联系方式\n手机：");
  doc_expect (doc, GK_FINDING_MOBILE, "+86 138 1234 5678", "138****5678", "13812345678");
  doc_text (doc, "，");
  doc_expect (doc, GK_FINDING_MOBILE, "86-13712345678", "137****5678", "13712345678");
  doc_text (doc, "，");
  doc_expect (doc, GK_FINDING_MOBILE, "150-1234-5678", "150****5678", "15012345678");
  doc_text (doc, " 或 ");
  doc_expect (doc, GK_FINDING_MOBILE, "19912345678", NULL, "19912345678");
  doc_text (doc, "/");
  doc_expect (doc, GK_FINDING_MOBILE, "18612345678", NULL, "18612345678");
  doc_text (doc, "\n收款账户：");
  doc_expect (doc, GK_FINDING_BANK_CARD, card1, NULL, card1);
  doc_text (doc, "，备用卡 ");
  doc_expect (doc, GK_FINDING_BANK_CARD, card2_split, NULL, card2);
  doc_text (doc, "，旧卡");
  doc_expect (doc, GK_FINDING_BANK_CARD, card3, NULL, card3);
  doc_text (doc, "。\n办公电话：");
  doc_expect (doc, GK_FINDING_LANDLINE, "021-12345678", NULL, "02112345678");
  doc_text (doc, "，");
  doc_expect (doc, GK_FINDING_LANDLINE, "(021)1234-5678", NULL, "02112345678");
  doc_text (doc, "，");
  doc_expect (doc, GK_FINDING_LANDLINE, "0571-88886666", NULL, "057188886666");
  doc_text (doc, "转8001，传真 ");
  doc_expect (doc, GK_FINDING_LANDLINE, "010-6512 3456", NULL, "01065123456");
  doc_text (doc, "。\n");

  doc_check (doc, NULL);
}

/* Precision: the numbers a disclosure document is full of are not
 * personal information. */
static void
test_numbers_decoys (void)
{
  g_autoptr(Doc) doc = doc_new ();
  g_autofree char *id = make_id ("11010519491231002");
  g_autofree char *bad_check = break_id (id);
  g_autofree char *feb30 = make_id ("44030619900230123");
  g_autofree char *future = make_id ("44030620900101123");
  g_autofree char *province = make_id ("99030619900101123");
  g_autofree char *as_credit_code = make_id ("31011519900307123");
  g_autofree char *card = make_card ("622202123456789012");
  g_autofree char *bad_card = break_card (card);
  g_autofree char *serial = make_card ("123456789012345");   /* Luhn, no card prefix */
  g_autofree char *long_run = g_strdup_printf ("202400%s", id); /* 24 digits */
  g_autofree char *card16 = make_card ("622202123456789");
  static const int card_sizes[] = { 4, 4, 4, 4, 0 };
  g_autofree char *card16_split = split_number (card16, card_sizes, " ");
  g_autofree char *grouped = g_strdup_printf ("%s 1234 5678", card16_split); /* 24 digits */
  g_autofree char *page = NULL;

  page = g_strdup_printf (
    "沪应急办〔2023〕20号\n"
    "国办发﹝2019﹞61号 国令第672号 沪府规[2024]3号\n"
    "成文日期：2024年5月1日，发布日期 2024-05-08，时间 2024.05.08 13:45:00\n"
    "索引号：000014349/2020-00072，11500107709320298K/2021-00012\n"
    "统一社会信用代码：91310000MA1FL8XQ3K；统一社会信用代码 %s\n"
    "校验位错误 %s；不存在的日期 %s；未来出生 %s；无效地区 %s\n"
    "已脱敏：3101**********123X，138****1234，6222 **** **** 1234，1381234****\n"
    "热线 12345、12350、110、119、12315、96110、400-820-8820\n"
    "长串 %s 不是身份证；编号 ABC%s、%sK9 和 %s** 也不是\n"
    "卡号校验失败 %s；流水号 %s；分组长串 %s\n"
    "圆周率 3.141592653589793238 和 13812345678.5 元\n"
    "不动产权证 沪(2023)浦字第13812345678号，登记第 13700001111 批，凭证13600001111号\n"
    "空格拆开的旧式号码 110105 491231 002 不算（无校验位）\n"
    "页码 — 3 —\n",
    as_credit_code, bad_check, feb30, future, province, long_run, id, id, card,
    bad_card, serial, grouped);

  doc_text (doc, page);
  doc_check (doc, NULL);
}

/* Offsets count characters of the original text: full-width digits and
 * CJK before a number do not shift them. */
static void
test_offsets_in_original (void)
{
  g_autofree char *id = make_id ("11010519491231002");
  g_autofree char *wide = full_width (id);
  g_autofree char *page = g_strdup_printf ("甲乙丙　丁：%s，电话１３８ １２３４ ５６７８。", wide);
  const char *pages[] = { page };
  g_autoptr(GPtrArray) found = gk_screening_scan (pages, 1, NULL);
  g_autofree gunichar *text = g_utf8_to_ucs4_fast (page, -1, NULL);

  g_assert_cmpuint (found->len, ==, 2);
  for (guint i = 0; i < found->len; i++)
    {
      GkFinding *f = g_ptr_array_index (found, i);
      g_autofree char *span = g_ucs4_to_utf8 (text + f->offset, f->length, NULL, NULL, NULL);

      if (i == 0)
        {
          g_assert_cmpint (f->kind, ==, GK_FINDING_ID_CARD);
          g_assert_cmpstr (span, ==, wide);
        }
      else
        {
          g_assert_cmpint (f->kind, ==, GK_FINDING_MOBILE);
          g_assert_cmpstr (span, ==, "１３８ １２３４ ５６７８");
        }
    }
}

static void
test_secrecy_marks (void)
{
  g_autoptr(Doc) doc = doc_new ();

  /* Page 1: a 涉密公文's 版头. */
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "000123", "份号 000123", NULL);
  doc_text (doc, "\n");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "机密★5年", "机密★5年", NULL);
  doc_text (doc, "\n特急\n上海市应急管理局文件\n沪应急〔2024〕12号\n关于加强保密工作的通知\n各区应急管理局：\n");
  doc_text (doc, "为贯彻《中华人民共和国保守国家秘密法》，保护商业秘密，防止秘密的泄露，"
                 "不得泄露国家秘密和工作秘密。涉密文件应在首页标注“秘密★”字样；"
                 "解密后的文件标注“解密”。绝密级文件、机密性要求和内部资料不得外传。\n");
  doc_text (doc, "保守国家\n秘密法》第二十条规定，国家秘密*不得公开。\n");

  /* Page 2: the variants extraction produces. */
  doc_new_page (doc);
  doc_text (doc, "  ");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "绝 密★长期", "绝密★长期", NULL);
  doc_text (doc, "\n");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "秘密＊１０年", "秘密★10年", NULL);
  doc_text (doc, "\n");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "秘 密", "秘密", NULL);
  doc_text (doc, "\n");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "机密☆", "机密★", NULL);
  doc_text (doc, "    ");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "内部明电", "内部明电", NULL);
  doc_text (doc, "\n");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "秘密", "秘密", NULL);
  doc_text (doc, "      上海市人民政府办公厅\n密级：");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "机密", "机密", NULL);
  doc_text (doc, "  紧急程度：平急\n正文中提到");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "秘密 保密期限：10年", "秘密★10年", NULL);
  doc_text (doc, "的文件。\n123456\n");

  /* Page 3: warning marks. */
  doc_new_page (doc);
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "内部资料", "内部资料", NULL);
  doc_text (doc, "  ");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "注意保存", "注意保存", NULL);
  doc_text (doc, "\n");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "内部文件(资料)", "内部文件（资料）", NULL);
  doc_text (doc, "\n");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "工 作 秘 密", "工作秘密", NULL);
  doc_text (doc, "\n关于2024年度工作安排的通知【");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "限国内公开", "限国内公开", NULL);
  doc_text (doc, "】\n");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "不得外传", "不得外传", NULL);
  doc_text (doc, "\n");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "注意保密", "注意保密", NULL);
  doc_text (doc, "\n本办法所称工作秘密，是指内部资料中不得外传的事项，应注意保管。\n解密\n");

  doc_check (doc, NULL);
}

/* The marks of the 版头 as extraction gives them from real layouts: a
 * short 内部, and a mark letter-spaced so wide that it comes out as two
 * lines ("秘" then "密"); field detection reads the same marks. */
static void
test_short_and_split_marks (void)
{
  g_autoptr(Doc) doc = doc_new ();
  g_autoptr(Doc) split_warning = doc_new ();
  g_autoptr(Doc) prose = doc_new ();

  doc_expect (doc, GK_FINDING_SECRECY_MARK, "000318", "份号 000318", NULL);
  doc_text (doc, "\n");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "秘\n密", "秘密", NULL);
  doc_text (doc, "\n");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "内部", "内部", NULL);
  doc_text (doc, "\n江苏省安全生产委员会文件\n苏安委〔2025〕1002号\n关于2025年度安全生产考核结果的通报\n");
  doc_new_page (doc);
  doc_text (doc, "正文（");
  doc_expect (doc, GK_FINDING_SECRECY_MARK, "内部", "内部", NULL);
  doc_text (doc, "）\n");
  doc_check (doc, NULL);

  doc_text (split_warning, "上海市人民政府公报\n");
  doc_expect (split_warning, GK_FINDING_SECRECY_MARK, "内\n部", "内部", NULL);
  doc_text (split_warning, "\n上海市应急管理局关于加强内部管理的通知\n");
  doc_check (split_warning, NULL);

  /* Not marks: the words in prose, short lines that are not marks, and
   * a split below the head of page 1. */
  doc_text (prose, "水\n利\n部\n文\n件\n关于加强内部控制和内部资料管理的通知\n各处室要加强内部管理。\n");
  doc_new_page (prose);
  doc_text (prose, "秘\n密\n");
  doc_check (prose, NULL);
}

static void
test_copy_number_only_at_the_top (void)
{
  g_autoptr(Doc) doc = doc_new ();

  /* The 4th line of page 1 and the top of page 2 are not the 份号 place. */
  doc_text (doc, "上海市应急管理局\n关于印发预案的通知\n各区：\n000123\n");
  doc_new_page (doc);
  doc_text (doc, "654321\n正文\n");
  doc_check (doc, NULL);

  {
    g_autoptr(Doc) labelled = doc_new ();

    doc_text (labelled, "\n  ");
    doc_expect (labelled, GK_FINDING_SECRECY_MARK, "份号：000042", "份号 000042", NULL);
    doc_text (labelled, "\n");
    doc_check (labelled, NULL);
  }
}

static void
test_keywords (void)
{
  g_autoptr(Doc) doc = doc_new ();
  const char *words[] = { "敏感词", " Secret ", "项目代号", "代号", "", NULL };

  doc_text (doc, "这里有一个");
  doc_expect (doc, GK_FINDING_KEYWORD, "敏\n感词", "敏感词", NULL);
  doc_text (doc, "，还有 ");
  doc_expect (doc, GK_FINDING_KEYWORD, "SECRET", "Secret", NULL);
  doc_text (doc, " 和 ");
  doc_expect (doc, GK_FINDING_KEYWORD, "ｓｅｃｒｅｔ", "Secret", NULL);
  doc_text (doc, "。");
  /* Overlapping words are both reported, the longer first. */
  doc_expect (doc, GK_FINDING_KEYWORD, "项目代号", "项目代号", NULL);
  doc_text (doc, "。\n");

  {
    g_autoptr(GPtrArray) found = doc_scan (doc, words);
    gboolean has_inner = FALSE;

    for (guint i = 0; i < found->len; i++)
      {
        GkFinding *f = g_ptr_array_index (found, i);
        has_inner |= g_str_equal (f->value, "代号");
      }
    g_assert_true (has_inner);
    g_assert_cmpuint (found->len, ==, doc->expected->len + 1);
  }

  {
    const char *inner[] = { "敏感词", " Secret ", "项目代号", NULL };
    doc_check (doc, inner);
  }
}

static void
test_hostile_input (void)
{
  g_autofree char *digits = g_strnfill (100000, '7');
  g_autofree char *stars = g_strnfill (50000, '*');
  g_autoptr(GString) marks = g_string_new (NULL);
  g_autoptr(GString) spaced = g_string_new (NULL);
  const char *pages[8];
  g_autoptr(GPtrArray) found = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append (marks, "秘密绝 ");
  for (guint i = 0; i < 20000; i++)
    g_string_append (spaced, "1 ");

  pages[0] = "\xff\xfe invalid \xc3 utf-8 13812345678";
  pages[1] = "";
  pages[2] = digits;
  pages[3] = stars;
  pages[4] = marks->str;
  pages[5] = spaced->str;
  pages[6] = "绝";
  pages[7] = "13812345678";

  found = gk_screening_scan (pages, G_N_ELEMENTS (pages), NULL);
  /* The mobile after the invalid bytes and the one on the last page. */
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpint (((GkFinding *) g_ptr_array_index (found, 0))->page, ==, 1);
  g_assert_cmpint (((GkFinding *) g_ptr_array_index (found, 1))->page, ==, 8);

  g_clear_pointer (&found, g_ptr_array_unref);
  found = gk_screening_scan (NULL, 0, NULL);
  g_assert_cmpuint (found->len, ==, 0);
}

/* A 300-page document scans in well under a second. */
static void
test_speed (void)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id = make_id ("11010519491231002");
  const char *words[] = { "敏感词", "内部", "代号", "保密", NULL };
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GTimer) timer = NULL;
  gdouble seconds;

  for (guint p = 0; p < 300; p++)
    {
      GString *page = g_string_new (NULL);

      for (guint line = 0; line < 40; line++)
        g_string_append_printf (page,
                                "第%u条 为贯彻保守国家秘密法，2024年5月%u日沪应急办〔2023〕%u号文件要求"
                                "各单位 021-1234%04u 联系，编号 %u %u %u。\n",
                                line, line % 28 + 1, line, line, p, line, p * line);
      g_string_append_printf (page, "联系人身份证 %s 手机 13812345678\n", id);
      g_ptr_array_add (texts, g_string_free (page, FALSE));
    }
  g_ptr_array_add (texts, NULL);

  timer = g_timer_new ();
  found = gk_screening_scan ((const char *const *) texts->pdata, 300, words);
  seconds = g_timer_elapsed (timer, NULL);

  g_test_message ("300 pages, %u findings, %.3f s", found->len, seconds);
  g_assert_cmpuint (found->len, >=, 300 * 2);
  g_assert_cmpfloat (seconds, <, 1.0);
}

/* Every kind and status goes to its stored name and back; a name that
 * is not one of them (or differs in case or spacing) is refused and
 * leaves the out value alone. */
static void
test_finding_names (void)
{
  static const struct
  {
    GkFindingKind kind;
    const char   *name;
  } kinds[] = {
    { GK_FINDING_SECRECY_MARK, "secrecy_mark" },
    { GK_FINDING_ID_CARD, "id_card" },
    { GK_FINDING_MOBILE, "mobile" },
    { GK_FINDING_BANK_CARD, "bank_card" },
    { GK_FINDING_KEYWORD, "keyword" },
    { GK_FINDING_LANDLINE, "landline" },
  };
  static const struct
  {
    GkFindingStatus status;
    const char     *name;
  } statuses[] = {
    { GK_FINDING_OPEN, "open" },
    { GK_FINDING_DISMISSED, "dismissed" },
    { GK_FINDING_INFO, "info" },
  };
  const char *unknown[] = {
    "", "Secrecy_Mark", "mobile ", "redaction", "closed", "Open", "info\n"
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GkFindingKind back = kinds[(i + 1) % G_N_ELEMENTS (kinds)].kind;
      g_autoptr (GkFinding) finding = gk_finding_new (kinds[i].kind, "x", 1, 0, 1);
      g_autoptr (JsonNode) json = gk_finding_to_json (finding);

      g_assert_cmpstr (gk_finding_kind_to_string (kinds[i].kind), ==, kinds[i].name);
      g_assert_true (gk_finding_kind_from_string (kinds[i].name, &back));
      g_assert_cmpint (back, ==, kinds[i].kind);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "kind"), ==,
                       kinds[i].name);
      g_assert_cmpstr (gk_finding_kind_to_label (kinds[i].kind), !=, "");
    }
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      GkFindingStatus back = statuses[(i + 1) % G_N_ELEMENTS (statuses)].status;
      g_autoptr (GkFinding) finding = gk_finding_new (GK_FINDING_MOBILE, "x", 1, 0, 1);
      g_autoptr (JsonNode) json = NULL;

      finding->status = statuses[i].status;
      json = gk_finding_to_json (finding);
      g_assert_cmpstr (gk_finding_status_to_string (statuses[i].status), ==, statuses[i].name);
      g_assert_true (gk_finding_status_from_string (statuses[i].name, &back));
      g_assert_cmpint (back, ==, statuses[i].status);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "status"), ==,
                       statuses[i].name);
      g_assert_cmpstr (gk_finding_status_to_label (statuses[i].status), !=, "");
    }

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      GkFindingKind   kind = GK_FINDING_LANDLINE;
      GkFindingStatus status = GK_FINDING_DISMISSED;

      g_assert_false (gk_finding_kind_from_string (unknown[i], &kind));
      g_assert_cmpint (kind, ==, GK_FINDING_LANDLINE);
      g_assert_false (gk_finding_status_from_string (unknown[i], &status));
      g_assert_cmpint (status, ==, GK_FINDING_DISMISSED);
    }
  {
    GkFindingKind   kind = GK_FINDING_LANDLINE;
    GkFindingStatus status = GK_FINDING_DISMISSED;

    g_assert_false (gk_finding_kind_from_string (NULL, &kind));
    g_assert_cmpint (kind, ==, GK_FINDING_LANDLINE);
    g_assert_false (gk_finding_status_from_string (NULL, &status));
    g_assert_cmpint (status, ==, GK_FINDING_DISMISSED);
  }
  /* Landlines start as information, everything else open. */
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr (GkFinding) finding = gk_finding_new (kinds[i].kind, "x", 1, 0, 1);

      g_assert_cmpint (finding->status, ==,
                       kinds[i].kind == GK_FINDING_LANDLINE ? GK_FINDING_INFO : GK_FINDING_OPEN);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("GONGKAI_TODAY", "2026-03-15", TRUE);

  g_test_add_func ("/screening/id-card-check", test_id_card_check);
  g_test_add_func ("/screening/luhn", test_luhn);
  g_test_add_func ("/screening/numbers-found", test_numbers_found);
  g_test_add_func ("/screening/numbers-decoys", test_numbers_decoys);
  g_test_add_func ("/screening/offsets-in-original", test_offsets_in_original);
  g_test_add_func ("/screening/secrecy-marks", test_secrecy_marks);
  g_test_add_func ("/screening/copy-number-only-at-the-top", test_copy_number_only_at_the_top);
  g_test_add_func ("/screening/short-and-split-marks", test_short_and_split_marks);
  g_test_add_func ("/screening/keywords", test_keywords);
  g_test_add_func ("/screening/hostile-input", test_hostile_input);
  g_test_add_func ("/screening/finding-names", test_finding_names);
  g_test_add_func ("/screening/speed", test_speed);

  return g_test_run ();
}
