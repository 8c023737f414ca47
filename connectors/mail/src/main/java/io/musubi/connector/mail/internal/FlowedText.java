package io.musubi.connector.mail.internal;

/**
 * Un-flows {@code text/plain; format=flowed} (RFC 3676): a line ending in a space continues on the next line of the
 * same quote depth; with {@code DelSp=yes} that space is deleted (Japanese text has no spaces between words, and the
 * iPhone's mailer writes it so); space-stuffing is removed; the signature separator {@code "-- "} is never joined.
 * Quoted lines keep their depth as {@code "> "} prefixes.
 */
final class FlowedText {

    private FlowedText() {
    }

    static String unflow(String text, boolean delSp) {
        String[] lines = text.split("\r\n|\n|\r", -1);
        StringBuilder out = new StringBuilder(text.length());
        StringBuilder paragraph = null;
        int paragraphDepth = -1;
        for (String raw : lines) {
            int depth = 0;
            while (depth < raw.length() && raw.charAt(depth) == '>') {
                depth++;
            }
            String line = raw.substring(depth);
            if (line.startsWith(" ")) {
                line = line.substring(1); // space-stuffing (or the space after the quote marks)
            }
            boolean signature = line.equals("-- ");
            boolean flowed = !signature && line.endsWith(" ");
            if (flowed && delSp) {
                line = line.substring(0, line.length() - 1);
            }
            if (paragraph != null && depth == paragraphDepth) {
                paragraph.append(line);
            } else {
                if (paragraph != null) {
                    emit(out, paragraph, paragraphDepth);
                }
                paragraph = new StringBuilder(line);
                paragraphDepth = depth;
            }
            if (!flowed) {
                emit(out, paragraph, paragraphDepth);
                paragraph = null;
                paragraphDepth = -1;
            }
        }
        if (paragraph != null) {
            emit(out, paragraph, paragraphDepth);
        }
        // split() kept the empty string after a final line break as a line of its own
        if (out.length() > 0 && out.charAt(out.length() - 1) == '\n') {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }

    private static void emit(StringBuilder out, StringBuilder paragraph, int depth) {
        if (depth > 0) {
            out.append(">".repeat(depth)).append(' ');
        }
        out.append(paragraph).append('\n');
    }
}
