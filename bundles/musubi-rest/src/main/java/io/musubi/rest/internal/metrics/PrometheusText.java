package io.musubi.rest.internal.metrics;

import io.musubi.api.HistogramSnapshot;
import io.musubi.api.MetricWriter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A {@link MetricWriter} that renders the Prometheus text exposition format, version 0.0.4: per metric one
 * {@code # HELP} and one {@code # TYPE} line, then its samples; label values and help texts escaped as the format
 * says; histograms as cumulative {@code _bucket} lines with {@code le}, the {@code +Inf} bucket equal to
 * {@code _count}, and {@code _sum}. Metrics are written in name order, each metric's samples in the order they came,
 * labels in name order. Everything is checked before it is accepted, so what {@link #text()} returns always parses,
 * whatever a source did wrong (its bad sample is refused with an {@link IllegalArgumentException}). Not thread-safe:
 * one per scrape.
 */
public final class PrometheusText implements MetricWriter {

    /** The media type of this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final String[] HISTOGRAM_SUFFIXES = {"_bucket", "_sum", "_count"};

    private final Map<String, Family> families = new TreeMap<>();
    /** Every sample name in use → the metric it belongs to (a histogram owns three). */
    private final Map<String, String> sampleNames = new HashMap<>();

    private static final class Family {
        final String type;
        final String help;
        final List<String> lines = new ArrayList<>();
        final Set<String> series = new HashSet<>();

        Family(String type, String help) {
            this.type = type;
            this.help = help;
        }
    }

    @Override
    public void counter(String name, String help, Map<String, String> labels, double value) {
        if (name == null || !name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name ends in _total: " + name);
        }
        if (value < 0) {
            throw new IllegalArgumentException("a counter is never negative: " + name);
        }
        simple(name, "counter", help, labels, value);
    }

    @Override
    public void gauge(String name, String help, Map<String, String> labels, double value) {
        simple(name, "gauge", help, labels, value);
    }

    private void simple(String name, String type, String help, Map<String, String> labels, double value) {
        Family f = family(name, type, help);
        String rendered = labels(labels, null, null);
        series(f, name, rendered);
        f.lines.add(name + rendered + ' ' + number(value));
    }

    @Override
    public void histogram(String name, String help, Map<String, String> labels, HistogramSnapshot histogram) {
        if (labels != null && labels.containsKey("le")) {
            throw new IllegalArgumentException("le is the histogram's own label: " + name);
        }
        Family f = family(name, "histogram", help);
        series(f, name, labels(labels, null, null));
        double[] bounds = histogram.upperBounds();
        long[] counts = histogram.cumulativeCounts();
        List<String> lines = new ArrayList<>(bounds.length + 3);
        for (int i = 0; i < bounds.length; i++) {
            lines.add(name + "_bucket" + labels(labels, "le", number(bounds[i])) + ' ' + counts[i]);
        }
        lines.add(name + "_bucket" + labels(labels, "le", "+Inf") + ' ' + histogram.count());
        lines.add(name + "_sum" + labels(labels, null, null) + ' ' + number(histogram.sum()));
        lines.add(name + "_count" + labels(labels, null, null) + ' ' + histogram.count());
        f.lines.addAll(lines);
    }

    private Family family(String name, String type, String help) {
        if (name == null || !METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        Family f = families.get(name);
        if (f != null) {
            if (!f.type.equals(type)) {
                throw new IllegalArgumentException(name + " is a " + f.type + ", not a " + type);
            }
            return f;
        }
        List<String> names = new ArrayList<>();
        if (type.equals("histogram")) {
            for (String suffix : HISTOGRAM_SUFFIXES) {
                names.add(name + suffix);
            }
        } else {
            names.add(name);
        }
        for (String n : names) {
            String owner = sampleNames.get(n);
            if (owner != null) {
                throw new IllegalArgumentException(n + " is already a sample of " + owner);
            }
        }
        names.forEach(n -> sampleNames.put(n, name));
        f = new Family(type, help == null ? "" : help);
        families.put(name, f);
        return f;
    }

    private static void series(Family f, String name, String renderedLabels) {
        if (!f.series.add(renderedLabels)) {
            throw new IllegalArgumentException("the series " + name + renderedLabels + " was written already");
        }
    }

    /** {@code {a="x",b="y"}} with the labels in name order (and {@code extra} last), or empty without any. */
    private static String labels(Map<String, String> labels, String extraName, String extraValue) {
        Map<String, String> sorted = new TreeMap<>();
        if (labels != null) {
            labels.forEach((k, v) -> {
                if (k == null || !LABEL_NAME.matcher(k).matches() || k.startsWith("__")) {
                    throw new IllegalArgumentException("not a label name: " + k);
                }
                if (v == null) {
                    throw new IllegalArgumentException("label " + k + " has no value");
                }
                sorted.put(k, v);
            });
        }
        if (sorted.isEmpty() && extraName == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder().append('{');
        sorted.forEach((k, v) -> sb.append(k).append("=\"").append(escapeLabelValue(v)).append("\","));
        if (extraName != null) {
            sb.append(extraName).append("=\"").append(extraValue).append("\",");
        }
        sb.setLength(sb.length() - 1);
        return sb.append('}').toString();
    }

    /** Backslash, double quote and line feed escaped, as label values need. */
    static String escapeLabelValue(String v) {
        StringBuilder sb = new StringBuilder(v.length() + 8);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Backslash and line feed escaped, as help texts need. */
    static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** A sample value: integers without a fraction, {@code +Inf}, {@code -Inf}, {@code NaN}. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** The exposition: every metric, its HELP and TYPE lines and its samples, each line ending in a line feed. */
    public String text() {
        StringBuilder sb = new StringBuilder(4096);
        families.forEach((name, f) -> {
            if (f.lines.isEmpty()) {
                return;
            }
            sb.append("# HELP ").append(name).append(' ').append(escapeHelp(f.help)).append('\n');
            sb.append("# TYPE ").append(name).append(' ').append(f.type).append('\n');
            f.lines.forEach(line -> sb.append(line).append('\n'));
        });
        return sb.toString();
    }
}
