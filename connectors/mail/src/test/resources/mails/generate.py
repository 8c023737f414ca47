#!/usr/bin/env python3
"""Writes the mail fixtures of the e-mail connector's tests (run from this directory: python3 generate.py).

The mails are built the way the named mailers write them (header order, encodings, charsets), with Python's own
codecs as an independent encoder: the connector's decoder must read what another implementation wrote. Python's
iso2022_jp codec has no NEC special characters (circled digits, (kabu)), so those are written as Windows mailers write
them: CP932 bytes converted to JIS rows by the standard Shift_JIS -> JIS arithmetic.
"""
import base64
import quopri
import textwrap

CRLF = "\r\n"


def sjis_to_jis(data: bytes) -> bytes:
    """CP932 double-byte text -> ISO-2022-JP (ESC $ B ... ESC ( B), single-byte ASCII passed through."""
    out = bytearray()
    i = 0
    in_kanji = False
    while i < len(data):
        b = data[i]
        if b < 0x80:
            if in_kanji:
                out += b"\x1b(B"
                in_kanji = False
            out.append(b)
            i += 1
            continue
        s1, s2 = b, data[i + 1]
        i += 2
        row = s1 - (0x70 if s1 < 0xA0 else 0xB0)
        row = row * 2
        if s2 < 0x9F:
            row -= 1
            col = s2 - (0x1F if s2 < 0x7F else 0x20)
        else:
            col = s2 - 0x7E
        if not in_kanji:
            out += b"\x1b$B"
            in_kanji = True
        out += bytes([row, col])
    if in_kanji:
        out += b"\x1b(B"
    return bytes(out)


def jis(text: str) -> bytes:
    """Text -> ISO-2022-JP as a Windows mailer writes it (NEC special characters included)."""
    lines = text.split("\n")
    return b"\r\n".join(sjis_to_jis(l.encode("cp932")) for l in lines)


def b_word(data: bytes, charset: str) -> str:
    return "=?" + charset + "?B?" + base64.b64encode(data).decode("ascii") + "?="


def write(name: str, head: str, body: bytes):
    with open(name, "wb") as f:
        f.write(head.replace("\n", CRLF).encode("ascii") + CRLF.encode("ascii") + body)


# 1. Outlook 2016 on Windows, ISO-2022-JP, NEC special characters, a wave dash.
text1 = "株式会社サンプル\nお世話になっております。\n①注文番号 12345 の件で、㈱テストの山田です。\n納期は３月～４月でお願いします。\n"
write("iso2022jp-outlook.eml", f"""Received: from mail.example.co.jp (mail.example.co.jp [192.0.2.10])
Return-Path: <yamada@example.co.jp>
From: {b_word(jis("山田 太郎"), "iso-2022-jp")} <yamada@Example.CO.JP>
To: "{b_word(jis("サポート"), "iso-2022-jp")}" <support@musubi.example>
Subject: {b_word(jis("①ご注文の件（至急）"), "iso-2022-jp")}
Thread-Topic: {b_word(jis("①ご注文の件（至急）"), "iso-2022-jp")}
Thread-Index: AdmXYZ1234567890abcdefABCDEF==
Date: Tue, 4 Mar 2025 09:15:02 +0900
Message-ID: <TYAPR01MB1234567890ABCDEF@TYAPR01MB1234.jpnprd01.prod.outlook.com>
Accept-Language: ja-JP, en-US
Content-Language: ja-JP
X-MS-Has-Attach:
Content-Type: text/plain; charset="iso-2022-jp"
Content-Transfer-Encoding: 7bit
MIME-Version: 1.0
""", jis(text1))

# 2. Thunderbird, ISO-2022-JP, format=flowed; delsp=yes (soft line breaks in the middle of Japanese text).
line = "この文章は長いので、Thunderbirdが途中で折り返して送信します。受信側では一行に戻るはずです。"
part_a, part_b = line[:20], line[20:]
body2 = (sjis_to_jis(part_a.encode("cp932")) + b" \r\n" + sjis_to_jis(part_b.encode("cp932")) + b"\r\n"
         + b"\r\n" + sjis_to_jis("> 引用された行です。".encode("cp932")) + b"\r\n"
         + b"-- \r\n" + sjis_to_jis("署名".encode("cp932")) + b"\r\n")
write("iso2022jp-thunderbird-flowed.eml", f"""Message-ID: <5b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0@example.ne.jp>
Date: Wed, 5 Mar 2025 18:40:11 +0900
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: ja
To: support@musubi.example
From: {b_word(jis("佐藤 花子"), "ISO-2022-JP")} <hanako@example.ne.jp>
Subject: {b_word(jis("Re: お問い合わせ"), "ISO-2022-JP")}
In-Reply-To: <musubi.o-11111111-2222-3333-4444-555555555555.r-PG9yaWdpbmFsQGV4YW1wbGUubmUuanA+@musubi.example>
Content-Type: text/plain; charset=ISO-2022-JP; format=flowed; delsp=yes
Content-Transfer-Encoding: 7bit
""", body2)

# 3. A Shift_JIS mailer (Becky!-like), quoted-printable, NEC and IBM extensions.
text3 = "見積書の件です。①と②をご確認ください。ⅰ～ⅲの項目もあります。\n"
write("shift_jis-qp.eml", f"""Date: Thu, 06 Mar 2025 10:00:00 +0900
From: "{b_word("鈴木".encode("cp932"), "Shift_JIS")}" <suzuki@example.jp>
To: support@musubi.example
Subject: {b_word("見積書①".encode("cp932"), "Shift_JIS")}
Message-Id: <20250306100000.1234.ABCD@example.jp>
MIME-Version: 1.0
Content-Type: text/plain; charset="Shift_JIS"
Content-Transfer-Encoding: quoted-printable
X-Mailer: Becky! ver. 2.81.04 [ja]
""", quopri.encodestring(text3.replace("\n", "\r\n").encode("cp932")))

# 4. EUC-JP, base64 (an old Unix mailer).
text4 = "EUC-JPで書かれたメールです。①も入っています。\n"
write("euc-jp-base64.eml", f"""From: tanaka@example.org
To: support@musubi.example
Subject: {b_word("ＥＵＣのテスト".encode("euc_jp"), "EUC-JP")}
Date: Fri, 7 Mar 2025 08:00:00 +0900
Message-ID: <euc.1@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=EUC-JP
Content-Transfer-Encoding: base64
""", ("\r\n".join(textwrap.wrap(base64.b64encode(
    # euc_jis_2004 writes the circled digit where eucJP-ms and eucJP-open have it (row 13); the rest is plain EUC-JP
    text4.replace("\n", "\r\n").encode("euc_jis_2004")).decode("ascii"), 76)) + "\r\n").encode("ascii"))

# 5. iPhone Mail: multipart/mixed with an alternative (flowed delsp UTF-8 base64 + HTML) and a JPEG attachment.
text5 = "iPhoneから送信しています。長い文章はここで折り返されますが、受信時には一行です。\n写真を添付します。\n"
flowed5 = text5[:15] + " \n" + text5[15:]
jpeg = bytes([0xFF, 0xD8, 0xFF, 0xE0]) + bytes(range(256)) * 8 + bytes([0xFF, 0xD9])
write("utf8-iphone.eml", f"""Content-Type: multipart/mixed; boundary=Apple-Mail-1A2B3C4D-5E6F
Content-Transfer-Encoding: 7bit
From: =?utf-8?B?5Lit5p2R?= <nakamura@icloud.example>
Mime-Version: 1.0 (1.0)
Date: Sat, 8 Mar 2025 12:34:56 +0900
Subject: =?utf-8?B?5YaZ55yf44KS6YCB44KK44G+44GZ?=
Message-Id: <A1B2C3D4-E5F6-7890-ABCD-EF1234567890@icloud.example>
To: support@musubi.example
X-Mailer: iPhone Mail (21D61)

--Apple-Mail-1A2B3C4D-5E6F
Content-Type: multipart/alternative; boundary=Apple-Mail-ALT-99

--Apple-Mail-ALT-99
Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes
Content-Transfer-Encoding: base64

{chr(10).join(textwrap.wrap(base64.b64encode(flowed5.replace(chr(10), chr(13)+chr(10)).encode("utf-8")).decode("ascii"), 76))}

--Apple-Mail-ALT-99
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 7bit

<html><body dir="auto">HTML version</body></html>
--Apple-Mail-ALT-99--

--Apple-Mail-1A2B3C4D-5E6F
Content-Type: image/jpeg; name=IMG_0001.jpeg
Content-Disposition: attachment; filename=IMG_0001.jpeg
Content-Transfer-Encoding: base64

{chr(10).join(textwrap.wrap(base64.b64encode(jpeg).decode("ascii"), 76))}
--Apple-Mail-1A2B3C4D-5E6F--
""", b"")

# 6. HTML only, with script, event handlers, styles and a link (a marketing-style mail).
write("html-only-script.eml", """From: Shop <news@shop.example>
To: support@musubi.example
Subject: =?UTF-8?Q?HTML_=E3=81=AE=E3=81=BF?=
Date: Sun, 9 Mar 2025 07:00:00 +0000
Message-ID: <html.1@shop.example>
MIME-Version: 1.0
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: quoted-printable
""", quopri.encodestring("""<html><head><title>t</title><style>p{color:red}</style>
<script>alert('x')</script></head>
<body onload="steal()"><p>こんにちは<br>二行目です</p>
<div>Click <a href="https://shop.example/offer" onclick="evil()">here</a></div>
<img src="https://tracker.example/p.gif" onerror="evil()">
<ul><li>one</li><li>two</li></ul>
<script>document.write('<b>injected</b>')</script></body></html>
""".replace("\n", "\r\n").encode("utf-8")))

# 7. Encoded words split in the middle of a character, and an ISO-2022-JP display name sent raw (never encoded).
subject_bytes = "分割された件名".encode("utf-8")
w1, w2 = subject_bytes[:4], subject_bytes[4:]  # 4 bytes: the second character is cut in two
raw_name = sjis_to_jis("高橋".encode("cp932")).decode("latin-1")
head7 = ("From: " + raw_name + " <takahashi@example.jp>\n"
         "To: support@musubi.example\n"
         "Subject: " + b_word(w1, "UTF-8") + "\n " + b_word(w2, "UTF-8") + "\n"
         "Date: Mon, 10 Mar 2025 11:00:00 +0900\n"
         "Message-ID: <split.1@example.jp>\n"
         "MIME-Version: 1.0\n"
         "Content-Type: text/plain\n"
         "Content-Transfer-Encoding: 7bit\n")
with open("split-encoded-word.eml", "wb") as f:
    f.write(head7.replace("\n", CRLF).encode("latin-1") + CRLF.encode("ascii") + jis("本文はcharset指定なしのJISです。\n"))

# 8. An Outlook attachment with an RFC 2047 encoded file name, and one with an RFC 2231 file name.
pdf = b"%PDF-1.4\n% musubi test\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"
name_2047 = b_word(jis("見積書.pdf"), "ISO-2022-JP")
name_2231 = "UTF-8''" + "".join("%%%02X" % b for b in "請求書.txt".encode("utf-8"))
write("attachments-japanese-names.eml", f"""From: yamada@example.co.jp
To: support@musubi.example
Subject: =?ISO-2022-JP?B?GyRCRTpJVRsoQg==?=
Date: Tue, 11 Mar 2025 09:00:00 +0900
Message-ID: <att.1@example.co.jp>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="----=_NextPart_000_0001_01DB0000.12345678"

This is a multi-part message in MIME format.

------=_NextPart_000_0001_01DB0000.12345678
Content-Type: text/plain; charset="iso-2022-jp"
Content-Transfer-Encoding: 7bit

{jis("添付します。").decode("latin-1")}

------=_NextPart_000_0001_01DB0000.12345678
Content-Type: application/pdf; name="{name_2047}"
Content-Disposition: attachment; filename="{name_2047}"
Content-Transfer-Encoding: base64

{chr(10).join(textwrap.wrap(base64.b64encode(pdf).decode("ascii"), 76))}

------=_NextPart_000_0001_01DB0000.12345678
Content-Type: text/plain; charset=UTF-8
Content-Disposition: attachment; filename*={name_2231}
Content-Transfer-Encoding: base64

{base64.b64encode("請求金額: 10,000円".encode("utf-8")).decode("ascii")}
------=_NextPart_000_0001_01DB0000.12345678--
""", b"")

# 9. Automatic mail: a vacation auto-reply, a delivery report (bounce), a mailing list message.
write("auto-reply.eml", """From: Yamada <yamada@example.co.jp>
To: support@musubi.example
Subject: =?UTF-8?B?5LiN5Zyo44Gu44GK55+l44KJ44Gb?=
Date: Wed, 12 Mar 2025 09:00:00 +0900
Message-ID: <auto.1@example.co.jp>
Auto-Submitted: auto-replied (vacation)
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit
""", "3月20日まで不在です。".encode("utf-8"))
write("bounce.eml", """Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.musubi.example>
To: support@musubi.example
Subject: Undelivered Mail Returned to Sender
Date: Wed, 12 Mar 2025 10:00:00 +0900
Message-Id: <bounce.1@mx.musubi.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain

The mail could not be delivered.
--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.musubi.example
Final-Recipient: rfc822; nobody@example.invalid
Action: failed
Status: 5.1.1
--B1--
""", b"")
write("mailing-list.eml", """From: list-owner@lists.example
To: support@musubi.example
Subject: [news] weekly digest
Date: Wed, 12 Mar 2025 11:00:00 +0900
Message-ID: <list.1@lists.example>
Precedence: list
List-Id: <news.lists.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
""", b"digest\r\n")

# 10. Malformed MIME trees.
write("malformed-tree.eml", """From: broken@example.com
To: support@musubi.example
Subject: broken structure
Date: Thu, 13 Mar 2025 09:00:00 +0900
Message-ID: <broken.1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="OUTER"

--OUTER
Content-Type: text/plain; charset=x-unknown-charset
Content-Transfer-Encoding: quoted-printable

The text survives=21 =E3=81=82
--OUTER
Content-Type: multipart/alternative
Content-Transfer-Encoding: 7bit

--noboundaryparameter
Content-Type: text/html

<p>lost</p>
--OUTER
Content-Type: application/octet-stream; name="bad.bin"
Content-Disposition: attachment; filename="bad.bin"
Content-Transfer-Encoding: base64

!!!! this is not base64 at all @@@@ ####
--OUTER
Content-Type: image/png; name="ok.png"
Content-Disposition: attachment; filename="ok.png"
Content-Transfer-Encoding: base64

iVBORw0KGgo=
""", b"")
write("no-from.eml", """To: support@musubi.example
Subject: nobody sent this
Date: Thu, 13 Mar 2025 09:00:00 +0900
Message-ID: <nofrom.1@example.com>
MIME-Version: 1.0
Content-Type: text/plain

who am I?
""", b"")
