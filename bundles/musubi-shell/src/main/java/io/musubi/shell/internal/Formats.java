package io.musubi.shell.internal;

import io.musubi.model.Channel;
import io.musubi.model.InputRules;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Text forms of durations, ratios and per-channel loads for the console tables. */
final class Formats {

    private Formats() {
    }

    /** {@code 0s}, {@code 4.2s} (under 10 s), {@code 42s}, {@code 3m07s}, {@code 2h05m}, {@code 3d04h}. */
    static String duration(Duration d) {
        if (d == null || d.isNegative()) {
            return "-";
        }
        long ms = d.toMillis();
        if (ms < 10_000) {
            return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, (s % 86_400) / 3600);
    }

    /** A 0..1 ratio as a whole percentage: {@code 73%}. */
    static String ratio(double r) {
        return Math.round(r * 100) + "%";
    }

    /** A percentage with one decimal: {@code 87.5%}. */
    static String percent(double p) {
        return String.format(Locale.ROOT, "%.1f%%", p);
    }

    /**
     * The channels with work in progress as {@code load/capacity}, in channel order: {@code VOICE 1/1 LINE 2/3};
     * {@code -} when the agent has none.
     */
    static String load(Map<Channel, Integer> load, Map<Channel, Integer> capacity) {
        StringBuilder sb = new StringBuilder();
        for (Channel c : Channel.values()) {
            Integer n = load.get(c);
            if (n == null || n == 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(c.name()).append(' ').append(n).append('/').append(capacity.getOrDefault(c, 0));
        }
        return sb.length() == 0 ? "-" : sb.toString();
    }

    /** Channel names separated by commas, {@code -} if none. */
    static String channels(Iterable<Channel> channels) {
        StringBuilder sb = new StringBuilder();
        for (Channel c : channels) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(c.name());
        }
        return sb.length() == 0 ? "-" : sb.toString();
    }

    /**
     * Text for a table cell, {@code -} if empty. A control, line separator or bidirectional formatting character
     * (which could rewrite the table or reverse what follows: data written before the input rules) is shown as its
     * escape (backslash, u, four hex digits).
     */
    static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : InputRules.printable(s);
    }
}
