package io.musubi.rest.internal.security;

/** Text that came from a request, made safe for a log line: no control characters (no forged lines), bounded. */
final class LogText {

    static final int MAX = 200;

    private LogText() {
    }

    static String safe(String s) {
        if (s == null) {
            return "";
        }
        String bounded = s.length() > MAX ? s.substring(0, MAX) + "..." : s;
        StringBuilder out = new StringBuilder(bounded.length());
        bounded.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
