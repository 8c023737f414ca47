package io.musubi.connector.mail.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes the bytes of a mail's text (a body part, an encoded word) from the charset the mail names, the way Japanese
 * mail is actually written: the Japanese charsets are decoded with the supersets their senders really use, as mail
 * clients and browsers (the WHATWG Encoding Standard) do —
 * <ul>
 *   <li>{@code ISO-2022-JP} as CP50220: JIS X 0208 plus the NEC special characters (①, ㈱, №) that Windows mailers
 *       put in ISO-2022-JP mail, and half-width katakana; plain ISO-2022-JP turns those into U+FFFD;</li>
 *   <li>{@code Shift_JIS} as Windows-31J (CP932): NEC and IBM extensions;</li>
 *   <li>{@code EUC-JP} as eucJP-open: NEC and IBM extensions.</li>
 * </ul>
 * A charset Java does not know, or none at all, is guessed: ISO-2022-JP when the bytes carry its escape sequences,
 * UTF-8 when they are valid UTF-8, else Windows-31J when they are valid Shift_JIS, else ISO-8859-1 (which never fails).
 * Bytes invalid in the chosen charset become U+FFFD: a mail is never refused for its text.
 */
final class MailCharsets {

    static final Charset ISO_2022_JP_DECODING = Charset.forName("x-windows-50220");
    static final Charset WINDOWS_31J = Charset.forName("windows-31j");
    static final Charset EUC_JP_DECODING = Charset.forName("x-eucJP-Open");

    private static final Map<String, Charset> JAPANESE = Map.ofEntries(
            Map.entry("iso-2022-jp", ISO_2022_JP_DECODING),
            Map.entry("csiso2022jp", ISO_2022_JP_DECODING),
            Map.entry("iso-2022-jp-1", ISO_2022_JP_DECODING),
            Map.entry("iso-2022-jp-ms", ISO_2022_JP_DECODING),
            Map.entry("cp50220", ISO_2022_JP_DECODING),
            Map.entry("cp50221", ISO_2022_JP_DECODING),
            Map.entry("cp50222", ISO_2022_JP_DECODING),
            Map.entry("shift_jis", WINDOWS_31J),
            Map.entry("shift-jis", WINDOWS_31J),
            Map.entry("sjis", WINDOWS_31J),
            Map.entry("x-sjis", WINDOWS_31J),
            Map.entry("ms_kanji", WINDOWS_31J),
            Map.entry("csshiftjis", WINDOWS_31J),
            Map.entry("cp932", WINDOWS_31J),
            Map.entry("ms932", WINDOWS_31J),
            Map.entry("windows-31j", WINDOWS_31J),
            Map.entry("euc-jp", EUC_JP_DECODING),
            Map.entry("x-euc-jp", EUC_JP_DECODING),
            Map.entry("eucjp", EUC_JP_DECODING),
            Map.entry("cseucpkdfmtjapanese", EUC_JP_DECODING));

    private MailCharsets() {
    }

    /** The charset to decode text labelled {@code mimeName} with; null when the label is absent or unknown. */
    static Charset forDecoding(String mimeName) {
        if (mimeName == null) {
            return null;
        }
        String name = mimeName.strip();
        if (name.length() > 1 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1).strip();
        }
        if (name.isEmpty()) {
            return null;
        }
        String key = name.toLowerCase(Locale.ROOT);
        Charset japanese = JAPANESE.get(key);
        if (japanese != null) {
            return japanese;
        }
        if (key.equals("us-ascii") || key.equals("ascii") || key.equals("ansi_x3.4-1968")) {
            // Mislabelled 8-bit text is common; UTF-8 is a superset of ASCII and is tried first by decode().
            return null;
        }
        if (key.equals("iso-8859-1") || key.equals("latin1")) {
            return Charset.forName("windows-1252"); // what browsers do with the label
        }
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return null;
        }
    }

    /** Decodes text bytes labelled with {@code mimeName} (may be null), guessing when the label does not help. */
    static String decode(byte[] bytes, String mimeName) {
        Charset declared = forDecoding(mimeName);
        if (declared != null && !(declared.equals(StandardCharsets.UTF_8) && hasIso2022Escapes(bytes))) {
            return lenient(declared, bytes);
        }
        return lenient(guess(bytes), bytes);
    }

    /** The charset undeclared (or declared as US-ASCII) bytes are most likely in. */
    static Charset guess(byte[] bytes) {
        if (hasIso2022Escapes(bytes)) {
            return ISO_2022_JP_DECODING;
        }
        if (strictlyDecodes(StandardCharsets.UTF_8, bytes)) {
            return StandardCharsets.UTF_8;
        }
        if (strictlyDecodes(WINDOWS_31J, bytes)) {
            return WINDOWS_31J;
        }
        return StandardCharsets.ISO_8859_1;
    }

    /** Whether the bytes contain an ISO-2022-JP designation (ESC $ B, ESC $ @, ESC ( J, ESC ( I). */
    static boolean hasIso2022Escapes(byte[] bytes) {
        for (int i = 0; i + 2 < bytes.length; i++) {
            if (bytes[i] == 0x1B) {
                byte a = bytes[i + 1];
                byte b = bytes[i + 2];
                if ((a == '$' && (b == 'B' || b == '@')) || (a == '(' && (b == 'J' || b == 'I'))) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean strictlyDecodes(Charset charset, byte[] bytes) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            decoder.decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String lenient(Charset charset, byte[] bytes) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            // cannot happen with REPLACE
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
