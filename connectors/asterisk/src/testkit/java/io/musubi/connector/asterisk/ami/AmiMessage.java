package io.musubi.connector.asterisk.ami;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One AMI message as an ordered multimap of headers, as the README of the transcripts asks (duplicate names occur:
 * a UserEvent's own {@code CallerIDNum} after the channel's, several {@code ChanVariable}). Names compare without case.
 */
public final class AmiMessage {

    private final List<Map.Entry<String, String>> headers;

    private AmiMessage(List<Map.Entry<String, String>> headers) {
        this.headers = List.copyOf(headers);
    }

    /** Parses one message: {@code Key: value} lines up to the blank line; a line without a colon is kept as a value-less header. */
    public static AmiMessage parse(String raw) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line : raw.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                headers.add(Map.entry(line, ""));
            } else {
                String value = line.substring(colon + 1);
                headers.add(Map.entry(line.substring(0, colon), value.startsWith(" ") ? value.substring(1) : value));
            }
        }
        return new AmiMessage(headers);
    }

    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    public Optional<String> first(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
    }

    public List<String> all(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    /** {@code event} or {@code response} by the first line (an OriginateResponse event has a Response header too). */
    public String kind() {
        return headers.isEmpty() ? "" : headers.get(0).getKey().toLowerCase(Locale.ROOT);
    }

    public String firstValue() {
        return headers.isEmpty() ? "" : headers.get(0).getValue();
    }

    /** The same message with its ActionID (if any) replaced, in wire form. */
    public String withActionId(String actionId) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> h : headers) {
            b.append(h.getKey()).append(": ")
                    .append(h.getKey().equalsIgnoreCase("ActionID") ? actionId : h.getValue()).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    @Override
    public String toString() {
        return kind() + ":" + firstValue();
    }
}
