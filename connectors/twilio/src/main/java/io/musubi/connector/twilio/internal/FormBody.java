package io.musubi.connector.twilio.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code application/x-www-form-urlencoded} body (or query string) as the ordered list of its decoded
 * {@code name=value} pairs, repeated names kept: what Twilio's signature is computed over. Decoding is UTF-8 with
 * {@code +} as a space, and refuses what Twilio never sends (bytes that are not UTF-8, broken {@code %} escapes)
 * instead of guessing. {@link #toString()} never shows the content (it is PII).
 */
final class FormBody {

    private final List<Map.Entry<String, String>> pairs;

    private FormBody(List<Map.Entry<String, String>> pairs) {
        this.pairs = Collections.unmodifiableList(pairs);
    }

    /** The pairs of a body; empty for an empty body. */
    static FormBody parse(byte[] body) throws MalformedFormException {
        String text;
        try {
            text = strictUtf8(body);
        } catch (CharacterCodingException e) {
            throw new MalformedFormException("the body is not UTF-8");
        }
        return parse(text);
    }

    /** The pairs of a form-encoded string (a body or a raw query). */
    static FormBody parse(String form) throws MalformedFormException {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (!form.isEmpty()) {
            for (String pair : form.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                pairs.add(Map.entry(name, value));
            }
        }
        return new FormBody(pairs);
    }

    /**
     * One name or value: {@code +} is a space, {@code %XX} a byte, and the bytes must be UTF-8 (a malformed sequence is
     * refused, not replaced, so what is signed is exactly what was sent).
     */
    private static String decode(String s) throws MalformedFormException {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new MalformedFormException("a parameter has a broken % escape");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new MalformedFormException("a parameter has a broken % escape");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
                bytes.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        try {
            return strictUtf8(bytes.toByteArray());
        } catch (CharacterCodingException e) {
            throw new MalformedFormException("a parameter is not UTF-8");
        }
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** Every pair in the order received. */
    List<Map.Entry<String, String>> pairs() {
        return pairs;
    }

    /** The first value of a name. */
    Optional<String> first(String name) {
        for (Map.Entry<String, String> p : pairs) {
            if (p.getKey().equals(name)) {
                return Optional.of(p.getValue());
            }
        }
        return Optional.empty();
    }

    /** The first value of a name, or "" when absent. */
    String get(String name) {
        return first(name).orElse("");
    }

    boolean has(String name) {
        return first(name).isPresent();
    }

    @Override
    public String toString() {
        return "FormBody[" + pairs.size() + " parameters]";
    }

    /** A body that is not a form Twilio could have sent. The message never quotes the body. */
    static final class MalformedFormException extends Exception {

        private static final long serialVersionUID = 1L;

        MalformedFormException(String message) {
            super(message);
        }
    }
}
