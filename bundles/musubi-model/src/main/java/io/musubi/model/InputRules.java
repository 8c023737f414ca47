package io.musubi.model;

/**
 * The one rule for what the hub takes as an identifier, a name or a free text, and the length of every field. The
 * REST API applies it to each field before anything is stored (400 naming the field and its limit); the model and
 * the engine apply it again where values enter them (defence in depth). docs/security.md ("Input rules") and the
 * limits table of docs/rest.md describe the same rules.
 *
 * <ul>
 *   <li><b>Identifiers</b> (agents, queues, entry points, strategies): 1 to {@value #ID_MAX} of ASCII letters, digits,
 *   {@code .}, {@code _}, {@code @}, {@code -}, starting with a letter or digit. Taken exactly as given (never
 *   trimmed).</li>
 *   <li><b>References</b> to objects the hub made (interactions, customers, merges): 1 to {@value #REFERENCE_MAX} of
 *   the same characters plus {@code :}.</li>
 *   <li><b>Names and labels</b> (display names, skill and team names, reason codes, dispositions, thread keys): any
 *   Unicode text on one line, stripped of white space at both ends, then at most the field's length; refused if it
 *   contains a control character (C0, DEL, C1: NUL, CR, LF, TAB, ESC, ...), a line or paragraph separator
 *   (U+2028, U+2029), a bidirectional formatting character (U+061C, U+200E, U+200F, U+202A–U+202E,
 *   U+2066–U+2069) or a lone surrogate. Such characters let a name rewrite a console table, forge log lines or
 *   display reversed.</li>
 *   <li><b>Free text</b> (message text, notes, attribute values): any Unicode text, kept as given; line breaks
 *   (CR, LF) and TAB are allowed and so are bidirectional marks (mixed-direction prose needs them), every other
 *   control character and lone surrogates are refused.</li>
 * </ul>
 * Lengths count UTF-16 code units ({@link String#length()}): a character outside the Basic Multilingual Plane, such as
 * most emoji, counts as two. Messages name the field and the rule, never the value (it may be personal data).
 */
public final class InputRules {

    /** Agent, queue, entry point and strategy ids. */
    public static final int ID_MAX = 64;
    /** Ids the hub made: interactions, customers, merges. */
    public static final int REFERENCE_MAX = 128;
    /** Display names: agents, queues, entry points, channel-menu labels, API keys, webhooks, customers. */
    public static final int NAME_MAX = 128;
    /** Short labels: skill and team names, presence and reject reasons, attribute names. */
    public static final int LABEL_MAX = 64;
    /** A wrap-up disposition code. */
    public static final int DISPOSITION_MAX = 128;
    /** A channel address as a URI ({@code scheme:value}), before normalisation. */
    public static final int ADDRESS_MAX = 512;
    /** A conversation's thread key given over the API. */
    public static final int THREAD_KEY_MAX = 512;
    /** The longest thread key the history stores (a connector's mail Message-ID chain, say). */
    public static final int STORED_THREAD_KEY_MAX = 1000;
    /** A vendor's message id (the de-duplication key) and an Idempotency-Key. */
    public static final int MESSAGE_ID_MAX = 255;
    /** The text of one message. */
    public static final int MESSAGE_TEXT_MAX = 100_000;
    /** An internal note, a call-back note. */
    public static final int NOTE_MAX = 10_000;
    /** One attribute value of an interaction. */
    public static final int ATTRIBUTE_VALUE_MAX = 4_000;
    /** Attributes given with one interaction. */
    public static final int ATTRIBUTES_MAX = 50;
    /** An attachment reference, a URL, a channel-menu reach value. */
    public static final int URL_MAX = 2_000;
    /** Attachments of one message. */
    public static final int ATTACHMENTS_MAX = 20;
    /** An attachment's media type. */
    public static final int MEDIA_TYPE_MAX = 255;
    /** An attachment's file name. */
    public static final int FILE_NAME_MAX = 255;

    /** The identifier rule in words, for messages and documentation. */
    public static final String ID_RULE = "1 to " + ID_MAX + " of letters, digits, '.', '_', '@', '-', starting with "
            + "a letter or digit";
    /** The reference rule in words. */
    public static final String REFERENCE_RULE = "1 to " + REFERENCE_MAX + " of letters, digits, '.', '_', '@', '-', "
            + "':'";

    private static final String NAME_CHARACTERS = "control, line separator or bidirectional formatting characters";
    private static final String TEXT_CHARACTERS = "control characters other than line breaks and tabs";

    private InputRules() {
    }

    // ------------------------------------------------------------------ identifiers

    /** Whether {@code value} is an identifier ({@link #ID_RULE}). */
    public static boolean isId(String value) {
        return isIdLike(value, ID_MAX, false);
    }

    /** {@code value} if it is an identifier; otherwise {@link InvalidInputException} naming {@code field}. */
    public static String id(String field, String value) {
        if (!isId(value)) {
            throw new InvalidInputException(field, ID_RULE);
        }
        return value;
    }

    /** Whether {@code value} is a reference to an object the hub made ({@link #REFERENCE_RULE}). */
    public static boolean isReference(String value) {
        return isIdLike(value, REFERENCE_MAX, true);
    }

    /** {@code value} if it is a reference; otherwise {@link InvalidInputException} naming {@code field}. */
    public static String reference(String field, String value) {
        if (!isReference(value)) {
            throw new InvalidInputException(field, REFERENCE_RULE);
        }
        return value;
    }

    private static boolean isIdLike(String value, int max, boolean colon) {
        if (value == null || value.isEmpty() || value.length() > max || !isAsciiAlnum(value.charAt(0))) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isAsciiAlnum(c) && c != '.' && c != '_' && c != '@' && c != '-' && !(colon && c == ':')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    // ------------------------------------------------------------------ names and labels

    /**
     * A required name: stripped, 1 to {@code max} characters, one line, no control or bidirectional formatting
     * characters.
     *
     * @return the stripped name
     */
    public static String name(String field, String value, int max) {
        String stripped = value == null ? "" : value.strip();
        if (stripped.isEmpty()) {
            throw new InvalidInputException(field, "required, 1 to " + max + " characters");
        }
        return checkName(field, stripped, max);
    }

    /**
     * An optional name: {@code null} or blank give {@code ""}; otherwise as {@link #name}.
     *
     * @return the stripped name, or {@code ""}
     */
    public static String optionalName(String field, String value, int max) {
        String stripped = value == null ? "" : value.strip();
        return stripped.isEmpty() ? "" : checkName(field, stripped, max);
    }

    /** Whether {@code value} is acceptable as it is for a name of at most {@code max} characters (empty allowed). */
    public static boolean isName(String value, int max) {
        return value != null && value.length() <= max && value.equals(value.strip())
                && firstRefused(value, false) < 0;
    }

    private static String checkName(String field, String stripped, int max) {
        checkLength(field, stripped, max);
        int at = firstRefused(stripped, false);
        if (at >= 0) {
            throw refused(field, NAME_CHARACTERS, stripped, at);
        }
        return stripped;
    }

    // ------------------------------------------------------------------ free text

    /**
     * Optional free text: {@code null} gives {@code ""}; otherwise at most {@code max} characters, line breaks and
     * tabs allowed, other control characters refused. Kept as given (not stripped).
     */
    public static String text(String field, String value, int max) {
        if (value == null) {
            return "";
        }
        checkLength(field, value, max);
        int at = firstRefused(value, true);
        if (at >= 0) {
            throw refused(field, TEXT_CHARACTERS, value, at);
        }
        return value;
    }

    /** Required free text: as {@link #text}, and not blank. */
    public static String requiredText(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "required, 1 to " + max + " characters");
        }
        return text(field, value, max);
    }

    /** Refuses a value longer than {@code max} characters; {@code null} passes (required-ness is checked elsewhere). */
    public static String maxLength(String field, String value, int max) {
        if (value != null) {
            checkLength(field, value, max);
        }
        return value;
    }

    private static void checkLength(String field, String value, int max) {
        if (value.length() > max) {
            throw new InvalidInputException(field, "at most " + max + " characters, got " + value.length());
        }
    }

    // ------------------------------------------------------------------ characters

    /** Whether a name may hold this code point. */
    public static boolean isNameCharacter(int codePoint) {
        return !Character.isISOControl(codePoint) && !isLineSeparator(codePoint) && !isBidiFormatting(codePoint)
                && !isSurrogate(codePoint);
    }

    /** Whether free text may hold this code point. */
    public static boolean isTextCharacter(int codePoint) {
        return codePoint == '\t' || codePoint == '\n' || codePoint == '\r'
                || (!Character.isISOControl(codePoint) && !isSurrogate(codePoint));
    }

    /**
     * {@code value} fit for a one-line display (a console table, a log line): every character a name may not hold
     * is shown as a Java-style escape (backslash, u, four hex digits); {@code null} gives {@code ""}. For text
     * stored before these rules.
     */
    public static String printable(String value) {
        if (value == null) {
            return "";
        }
        if (firstRefused(value, false) < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        value.codePoints().forEach(cp -> {
            if (isNameCharacter(cp)) {
                out.appendCodePoint(cp);
            } else {
                out.append("\\u").append(hex(cp));
            }
        });
        return out.toString();
    }

    /** Index of the first character the rule refuses, or -1. */
    private static int firstRefused(String value, boolean text) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (text ? !isTextCharacter(cp) : !isNameCharacter(cp)) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    private static InvalidInputException refused(String field, String what, String value, int at) {
        return new InvalidInputException(field, "must not contain " + what + " (U+" + hex(value.codePointAt(at))
                + " at position " + at + ")");
    }

    private static String hex(int codePoint) {
        String h = Integer.toHexString(codePoint).toUpperCase(java.util.Locale.ROOT);
        return h.length() >= 4 ? h : "0".repeat(4 - h.length()) + h;
    }

    private static boolean isLineSeparator(int cp) {
        return cp == 0x2028 || cp == 0x2029;
    }

    private static boolean isBidiFormatting(int cp) {
        return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2066 && cp <= 0x2069);
    }

    private static boolean isSurrogate(int cp) {
        return cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
    }
}
