package io.musubi.connector.mail.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes an unstructured header value (Subject, a display name) as it arrives in real mail:
 * <ul>
 *   <li>RFC 2047 encoded words ({@code =?ISO-2022-JP?B?...?=}, {@code =?UTF-8?Q?...?=}), also inside words and quoted
 *       strings as many mailers write them; the white space between two encoded words is dropped;</li>
 *   <li>adjacent encoded words in the same charset are decoded together, so a character split across two words (a
 *       broken encoder cutting UTF-8 or ISO-2022-JP mid-character) is restored;</li>
 *   <li>raw 8-bit or ISO-2022-JP text that was never encoded (old Japanese mailers, RFC 6532 UTF-8 headers) is decoded
 *       by guessing ({@link MailCharsets#guess});</li>
 *   <li>the Japanese charsets with the supersets their senders use ({@link MailCharsets}).</li>
 * </ul>
 * The raw value is expected as Jakarta Mail keeps it with {@code mail.mime.allowutf8=false}: one char per byte.
 * Folding line breaks are unfolded; other control characters become spaces.
 */
final class HeaderText {

    private static final Pattern ENCODED_WORD =
            Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?\\s]*)\\?=");

    private HeaderText() {
    }

    static String decode(String raw) {
        if (raw == null) {
            return "";
        }
        String unfolded = raw.replaceAll("\r?\n(?=[ \t])", "").replace("\r", "").replace("\n", "");
        StringBuilder out = new StringBuilder(unfolded.length());
        Matcher m = ENCODED_WORD.matcher(unfolded);
        int pos = 0;
        String runCharset = null;
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        while (m.find()) {
            String between = unfolded.substring(pos, m.start());
            boolean adjacent = runCharset != null && between.isBlank();
            String charset = stripLanguage(m.group(1));
            byte[] bytes = decodeWord(m.group(2), m.group(3));
            if (adjacent && charset.equalsIgnoreCase(runCharset)) {
                run.writeBytes(bytes);
            } else {
                flush(out, runCharset, run);
                if (!adjacent) {
                    out.append(plain(between));
                }
                runCharset = charset;
                run.writeBytes(bytes);
            }
            pos = m.end();
        }
        flush(out, runCharset, run);
        out.append(plain(unfolded.substring(pos)));
        return clean(out.toString());
    }

    /**
     * A structured header (an address list) with its raw, never-encoded runs of text (ISO-2022-JP escape sequences,
     * 8-bit UTF-8 or Shift_JIS) replaced by equivalent UTF-8 encoded words, so that an address parser (which trims
     * escape characters and can split inside a double-byte character) keeps them whole and {@link #decode} restores
     * them. A header without such runs is returned as it is.
     */
    static String encodeRawRuns(String raw) {
        if (raw == null) {
            return null;
        }
        boolean special = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c > 0xFF) {
                return raw; // already characters, not bytes
            }
            if (c >= 0x80 || c == 0x1B) {
                special = true;
            }
        }
        if (!special) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length() + 32);
        Matcher jis = RAW_JIS.matcher(raw);
        int pos = 0;
        while (jis.find()) {
            out.append(encode8bit(raw.substring(pos, jis.start())));
            out.append(word(MailCharsets.decode(jis.group().getBytes(StandardCharsets.ISO_8859_1),
                    "ISO-2022-JP")));
            pos = jis.end();
        }
        out.append(encode8bit(raw.substring(pos)));
        return out.toString();
    }

    private static final Pattern RAW_JIS = Pattern.compile("\u001B\\$[B@].*?(?:\u001B\\([BJ]|$)");

    /** Runs of 8-bit bytes (UTF-8, or Shift_JIS with its ASCII trail bytes) as encoded words. */
    private static String encode8bit(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        java.nio.charset.Charset cs = MailCharsets.guess(bytes);
        if (cs.equals(StandardCharsets.ISO_8859_1) || cs.equals(MailCharsets.ISO_2022_JP_DECODING)) {
            return s;
        }
        boolean sjis = cs.equals(MailCharsets.WINDOWS_31J);
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < bytes.length) {
            if ((bytes[i] & 0xFF) < 0x80) {
                out.append((char) bytes[i]);
                i++;
                continue;
            }
            int start = i;
            while (i < bytes.length && (bytes[i] & 0xFF) >= 0x80) {
                int b = bytes[i] & 0xFF;
                boolean lead = sjis && ((b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC));
                i += lead && i + 1 < bytes.length ? 2 : 1;
            }
            out.append(word(new String(bytes, start, i - start, cs)));
        }
        return out.toString();
    }

    private static String word(String text) {
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    private static void flush(StringBuilder out, String charset, ByteArrayOutputStream run) {
        if (charset != null && run.size() > 0) {
            out.append(MailCharsets.decode(run.toByteArray(), charset));
        }
        run.reset();
    }

    private static String stripLanguage(String charset) {
        int star = charset.indexOf('*'); // RFC 2231 language: =?UTF-8*ja?B?...?=
        return star < 0 ? charset : charset.substring(0, star);
    }

    private static byte[] decodeWord(String encoding, String text) {
        if (encoding.equalsIgnoreCase("B")) {
            String b64 = text.replaceAll("[^A-Za-z0-9+/]", "");
            int rest = b64.length() % 4;
            if (rest == 1) {
                b64 = b64.substring(0, b64.length() - 1); // a stray character: drop it rather than the word
            } else if (rest > 0) {
                b64 = b64 + "==".substring(0, 4 - rest);
            }
            try {
                return Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                return text.getBytes(StandardCharsets.ISO_8859_1);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0
                    && hex(text.charAt(i + 2)) >= 0) {
                out.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
                i += 2;
            } else {
                out.write(c & 0xFF);
            }
        }
        return out.toByteArray();
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /** Text outside encoded words: raw 8-bit or escape sequences are decoded by guessing, ASCII stays. */
    private static String plain(String text) {
        if (text.isEmpty()) {
            return text;
        }
        boolean raw = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0xFF) {
                return text; // already decoded (the mail was parsed with UTF-8 headers allowed)
            }
            if (c >= 0x80 || c == 0x1B) {
                raw = true;
            }
        }
        if (!raw) {
            return text;
        }
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return MailCharsets.decode(bytes, null);
    }

    /**
     * Control characters (tabs, stray CR/LF, escape, C1) and line separators become spaces; runs of ASCII white space
     * collapse; trimmed. Other white space (the ideographic space of Japanese text) is kept.
     */
    private static String clean(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ws = c <= 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
            if (ws) {
                space = true;
            } else {
                if (space && out.length() > 0) {
                    out.append(' ');
                }
                space = false;
                out.append(c);
            }
        }
        return out.toString();
    }
}
