#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the small hand-made seeds of fuzz/corpus (run from the source
root: python3 fuzz/make-seeds.py).  The real PDFs among the seeds
(gen-*.pdf) come from tests/fixtures' generator instead:

    _build/tests/fixtures/gk-make-fixtures DIR --bad

Hand-made PDFs here are tiny on purpose (a fuzzer mutates small inputs
best): no embedded font, text as 2-byte codes that a ToUnicode CMap
maps to themselves, so poppler extracts the real Chinese text.
"""
import os
import struct
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def luhn_complete(prefix):
    digits = [int(c) for c in prefix]
    for check in range(10):
        total = 0
        for i, d in enumerate(reversed(digits + [check])):
            if i % 2 == 1:
                d *= 2
                if d > 9:
                    d -= 9
            total += d
        if total % 10 == 0:
            return prefix + str(check)
    raise ValueError(prefix)


def id_card(body17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    codes = "10X98765432"
    return body17 + codes[sum(int(c) * w for c, w in zip(body17, weights)) % 11]


ID_CARD = id_card("11010519491231002")
BANK = luhn_complete("622202020011234567")
MOBILE = "13912345678"

GONGWEN_PAGE1 = [
    "000123",
    "机密★1年",
    "特急",
    "上海市应急管理局文件",
    "沪应急办〔2023〕20号",
    "上海市应急管理局关于印发2023年上海市",
    "应急管理局政务公开工作要点的通知",
    "各区应急管理局，局机关各处室：",
    "现将《2023年上海市应急管理局政务公开工作要点》印发给你们，请认真贯彻落实。",
    "联系人：张三，电话：%s，021-23113456" % MOBILE,
]
GONGWEN_PAGE2 = [
    "身份证号：%s，开户账号：%s" % (ID_CARD, BANK),
    "（此件主动公开）",
    "上海市应急管理局",
    "2023年4月10日",
    "抄送：市政府办公厅。",
    "上海市应急管理局办公室          2023年4月12日印发",
]


def pdf_string(text):
    return "<" + "".join("%04X" % ord(c) for c in text) + ">"


def make_pdf(pages, title=None, compress=True):
    """A PDF whose pages show the given lines of text."""
    objects = []

    def add(body):
        objects.append(body)
        return len(objects)

    tounicode = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                 b"/CMapName /Identity-UCS2 def /CMapType 2 def\n"
                 b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                 b"1 beginbfrange <0000> <FFFF> <0000> endbfrange\n"
                 b"endcmap CMapName currentdict /CMap defineresource pop end end\n")
    cmap = add(b"<< /Length %d >>\nstream\n" % len(tounicode) + tounicode + b"\nendstream")
    descendant = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
                     b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                     b"/FontDescriptor << /Type /FontDescriptor /FontName /SimSun /Flags 4 "
                     b"/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 "
                     b"/CapHeight 700 /StemV 80 >> /DW 1000 >>")
    font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
               b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (descendant, cmap))
    pages_id = len(objects) + 1 + 2 * len(pages) + 1  # after the page objects
    kids = []
    for lines in pages:
        ops = ["BT /F1 10 Tf 14 TL 40 800 Td"]
        for line in lines:
            ops.append("%s Tj T*" % pdf_string(line))
        ops.append("ET")
        content = "\n".join(ops).encode("ascii")
        if compress:
            data = zlib.compress(content)
            stream = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
        else:
            stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                        b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages_id, font, stream)))
    info = add(b"<< /Title %s >>" % (("<FEFF" + pdf_string(title)[1:]).encode("ascii") if title else b"()"))
    assert len(objects) + 1 == pages_id
    add(b"<< /Type /Pages /Count %d /Kids [%s] >>"
        % (len(kids), b" ".join(b"%d 0 R" % k for k in kids)))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, catalog, info, xref))
    return bytes(out)


def write(target, name, data):
    os.makedirs(os.path.join(ROOT, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(ROOT, target, name), "wb") as f:
        f.write(data)


def document_seeds():
    write("document", "tiny-gongwen.pdf",
          make_pdf([GONGWEN_PAGE1, GONGWEN_PAGE2], title="政务公开工作要点"))
    write("document", "tiny-plain.pdf", make_pdf([GONGWEN_PAGE1], compress=False))
    write("document", "tiny-blank.pdf", make_pdf([[]]))
    # Text seeds: pages separated by form feeds, as the text path splits them.
    write("document", "text-gongwen.txt", "\n".join(GONGWEN_PAGE1) + "\f" + "\n".join(GONGWEN_PAGE2) + "\n")
    write("document", "text-numbers.txt",
          "身份证号 %s 或 %s（15位：110105491231002）\n" % (ID_CARD, ID_CARD[:6] + " " + ID_CARD[6:])
          + "手机 %s、+86 139 1234 5678、１３９１２３４５６７８\n" % MOBILE
          + "银行卡 %s，卡号 %s\n" % (BANK, " ".join(BANK[i:i + 4] for i in range(0, len(BANK), 4)))
          + "热线 12345，办公电话 (021)23113456，掩码 139****5678\n")
    write("document", "text-marks.txt",
          "绝密★长期\n秘密 ★ 5年\n内部资料 注意保存\n份号：000042\n"
          "国办发[2019]11号\n京应急发（2020）12号\n沪府办规【2024】9号\n"
          "二〇二三年四月十日\n2023 年 4 月 10 日\n2023年2月30日\n"
          "施行日期：2024年1月1日，有效期至2028年12月31日\n签发人：李四\n")
    write("document", "text-dates.txt",
          "上海市人民政府令\n第32号\n《上海市安全生产条例》已经2024年3月1日市政府常务会议通过，"
          "现予公布，自2024年5月1日起施行。\n市长  龚正\n2024年3月10日\n"
          "（此件不予公开）\f（此件依申请公开）\n")


def portal(kind, status, flags=0, limit=0, lines=(), body=b""):
    head = struct.pack(">BHBB", kind, status, flags, limit)
    tail = b"".join(l.encode("utf-8") + b"\n" for l in lines)
    return head + tail + (body.encode("utf-8") if isinstance(body, str) else body)


# GkPortalRequestKind
HEALTH, HEAD_FILE, PUT_FILE, PUT_DOC, GET_DOC, DELETE_DOC, LIST = range(7)
JSON, JSON_UTF8, CT_LINE = 1, 2, 3
ETAG, RETRY = 0x04, 0x08
REV3 = 3 << 5
DOC = "0b6c7f9e-1f0a-4c55-9d1e-5c7d2a4e8f10"
PUT_OK = ('{"id":"%s","revision":3,"etag":"abc","public_url":"https://portal.example.gov.cn/docs/%s",'
          '"status":"published"}' % (DOC, DOC))
GET_OK = ('{"id":"%s","title":"通知","revision":3,"etag":"abc","public_url":"https://portal.example.gov.cn/docs/%s",'
          '"status":"withdrawn","updated_at":"2025-06-02T08:00:00Z"}' % (DOC, DOC))
ITEM = '{"id":"%s","revision":%d,"etag":"e%d","status":"published","updated_at":"2025-06-02T08:00:00Z"}'


def portal_seeds():
    w = lambda name, data: write("portal-reply", name, data)
    w("health-ok", portal(HEALTH, 200, JSON, body='{"status":"ok","api":1,"max_file_bytes":104857600}'))
    w("health-api2", portal(HEALTH, 200, JSON, body='{"status":"ok","api":2,"max_file_bytes":1}'))
    w("head-file-200", portal(HEAD_FILE, 200))
    w("head-file-404", portal(HEAD_FILE, 404))
    w("put-file-201", portal(PUT_FILE, 201, JSON, body='{"sha256":"%s"}' % ("ab" * 32)))
    w("put-doc-201", portal(PUT_DOC, 201, JSON | ETAG | REV3, lines=['"abc"'], body=PUT_OK))
    w("put-doc-200-charset", portal(PUT_DOC, 200, JSON_UTF8 | ETAG | REV3, lines=[' "abc" '], body=PUT_OK))
    w("put-doc-weak-etag", portal(PUT_DOC, 201, JSON | ETAG | REV3, lines=['W/"abc"'], body=PUT_OK))
    w("put-doc-hostile", portal(PUT_DOC, 201, JSON | ETAG, lines=['"x"'],
                                body='{"id":12,"revision":"x","etag":null,"status":["published"],'
                                     '"public_url":"javascript:alert(1)"}'))
    w("put-doc-html", portal(PUT_DOC, 200, CT_LINE, lines=["text/html"], body="<html><body>OK</body></html>"))
    w("put-doc-412", portal(PUT_DOC, 412, JSON, body='{"error":{"code":"precondition_failed","message":"changed"}}'))
    w("put-doc-422", portal(PUT_DOC, 422, JSON,
                            body='{"error":{"code":"validation_failed","message":"human readable",'
                                 '"fields":[{"field":"written_date","problem":"not a date"}]}}'))
    w("put-doc-429", portal(PUT_DOC, 429, JSON | RETRY, lines=["120"],
                            body='{"error":{"code":"rate_limited","message":"slow down"}}'))
    w("put-doc-503-date", portal(PUT_DOC, 503, CT_LINE | RETRY, lines=["text/html", "Wed, 21 Oct 2037 07:28:00 GMT"],
                                 body="<html>503</html>"))
    w("put-doc-401", portal(PUT_DOC, 401, JSON, body='{"error":{"code":"unauthorized","message":"token"}}'))
    w("put-doc-301", portal(PUT_DOC, 301))
    w("put-doc-deep", portal(PUT_DOC, 201, JSON | ETAG, lines=['"abc"'], body="[" * 200))
    w("put-doc-not-utf8", portal(PUT_DOC, 201, JSON | ETAG, lines=['"a\xff"'], body=b'{"id":"\xff\xfe"}'))
    w("get-doc-200", portal(GET_DOC, 200, JSON | ETAG, lines=['"abc"'], body=GET_OK))
    w("get-doc-404", portal(GET_DOC, 404, JSON, body='{"error":{"code":"not_found","message":"no such document"}}'))
    w("delete-doc-204", portal(DELETE_DOC, 204))
    w("list-two", portal(LIST, 200, JSON, limit=2,
                         body='{"items":[%s,%s],"next":"c1"}' % (ITEM % ("00000000-0000-4000-8000-00000000000a", 1, 1),
                                                                 ITEM % ("00000000-0000-4000-8000-00000000000b", 2, 2))))
    w("list-end", portal(LIST, 200, JSON, body='{"items":[],"next":null}'))
    w("list-out-of-order", portal(LIST, 200, JSON,
                                  body='{"items":[%s,%s],"next":null}' % (ITEM % ("00000000-0000-4000-8000-00000000000b", 1, 1),
                                                                          ITEM % ("00000000-0000-4000-8000-00000000000a", 2, 2))))


if __name__ == "__main__":
    document_seeds()
    portal_seeds()
