package io.musubi.bench.http;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 response from the bytes as they arrive, keeping only what a load driver needs: the status, the
 * {@code Location} header and whether the connection stays open. The body is skipped, whether framed by
 * {@code Content-Length} or chunked (RFC 9112 §6, §7.1); a response without either and not known to be empty is read
 * until the connection closes, which this client does not support (the hub's answers are always framed).
 */
final class ResponseParser {

    private enum Part { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, DONE }

    private final StringBuilder line = new StringBuilder(128);
    private Part part;
    private int status;
    private String location;
    private boolean keepAlive;
    private boolean chunked;
    private long remaining;
    private boolean firstLine;

    ResponseParser() {
        reset();
    }

    void reset() {
        line.setLength(0);
        part = Part.HEAD;
        status = -1;
        location = null;
        keepAlive = true;
        chunked = false;
        remaining = -1;
        firstLine = true;
    }

    int status() {
        return status;
    }

    String location() {
        return location;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    /**
     * Consumes what it can of {@code in}; true once the whole response is read (bytes after it stay in {@code in}).
     */
    boolean feed(ByteBuffer in) {
        while (in.hasRemaining() && part != Part.DONE) {
            switch (part) {
                case HEAD, CHUNK_SIZE, CHUNK_END, TRAILERS -> {
                    if (readLine(in)) {
                        endOfLine();
                    }
                }
                case BODY, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.remaining());
                    in.position(in.position() + n);
                    remaining -= n;
                    if (remaining == 0) {
                        part = part == Part.BODY ? Part.DONE : Part.CHUNK_END;
                    }
                }
                default -> throw new IllegalStateException(part.name());
            }
        }
        return part == Part.DONE;
    }

    /** Appends up to the next LF; true when a whole line (without its CR LF) is in {@code line}. */
    private boolean readLine(ByteBuffer in) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return true;
            }
            line.append((char) (b & 0xff));
        }
        return false;
    }

    private void endOfLine() {
        String l = line.toString();
        line.setLength(0);
        switch (part) {
            case HEAD -> head(l);
            case CHUNK_SIZE -> {
                int ext = l.indexOf(';');
                long size = Long.parseLong((ext < 0 ? l : l.substring(0, ext)).strip(), 16);
                if (size == 0) {
                    part = Part.TRAILERS;
                } else {
                    remaining = size;
                    part = Part.CHUNK_DATA;
                }
            }
            case CHUNK_END -> {
                if (!l.isEmpty()) {
                    throw new IllegalStateException("chunk not followed by CRLF: " + l);
                }
                part = Part.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (l.isEmpty()) {
                    part = Part.DONE;
                }
            }
            default -> throw new IllegalStateException(part.name());
        }
    }

    private void head(String l) {
        if (firstLine) {
            // HTTP/1.1 201 Created
            if (!l.startsWith("HTTP/1.")) {
                throw new IllegalStateException("not an HTTP/1.x status line: " + l);
            }
            status = Integer.parseInt(l.substring(9, 12));
            keepAlive = !l.startsWith("HTTP/1.0");
            firstLine = false;
            return;
        }
        if (l.isEmpty()) {
            endOfHead();
            return;
        }
        int colon = l.indexOf(':');
        if (colon <= 0) {
            return;
        }
        String name = l.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = l.substring(colon + 1).strip();
        switch (name) {
            case "content-length" -> remaining = Long.parseLong(value);
            case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            case "location" -> location = value;
            case "connection" -> {
                String v = value.toLowerCase(Locale.ROOT);
                if (v.contains("close")) {
                    keepAlive = false;
                } else if (v.contains("keep-alive")) {
                    keepAlive = true;
                }
            }
            default -> { }
        }
    }

    private void endOfHead() {
        if (status / 100 == 1) {
            // 100 Continue and the like: the real response follows
            reset();
            return;
        }
        if (chunked) {
            part = Part.CHUNK_SIZE;
        } else if (status == 204 || status == 304 || remaining <= 0) {
            if (remaining < 0 && status != 204 && status != 304) {
                // Neither length nor chunks: the body runs to the connection's end, which this client cannot wait
                // for on a keep-alive connection. Treat it as empty and do not reuse the connection.
                keepAlive = false;
            }
            part = Part.DONE;
        } else {
            part = Part.BODY;
        }
    }

    @Override
    public String toString() {
        return "ResponseParser[" + part + ", status " + status + "]";
    }
}
