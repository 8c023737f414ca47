package io.musubi.rest.internal.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4 for tests (promtool is not installed here): every line is a
 * HELP, a TYPE or a sample; HELP and TYPE come once per metric, before its samples; each sample belongs to the
 * metric of the last TYPE (histograms through {@code _bucket}, {@code _sum}, {@code _count}); label values are
 * unescaped; anything else fails.
 */
final class Exposition {

    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) "
            + "(counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** One metric: its help (unescaped), type and samples. */
    record Metric(String name, String help, String type, List<Sample> samples) {
    }

    private Exposition() {
    }

    static Map<String, Metric> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the exposition must end with a line feed");
        }
        Map<String, Metric> metrics = new LinkedHashMap<>();
        String help = null;
        String helpFor = null;
        Metric current = null;
        int n = 0;
        String body = text.isEmpty() ? "" : text.substring(0, text.length() - 1);
        for (String line : body.isEmpty() ? new String[0] : body.split("\n", -1)) {
            n++;
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                helpFor = m.group(1);
                help = unescapeHelp(m.group(2));
            } else if ((m = TYPE.matcher(line)).matches()) {
                String name = m.group(1);
                if (metrics.containsKey(name)) {
                    throw new AssertionError("line " + n + ": second TYPE for " + name);
                }
                if (!name.equals(helpFor)) {
                    throw new AssertionError("line " + n + ": TYPE without its HELP before it: " + name);
                }
                current = new Metric(name, help, m.group(2), new ArrayList<>());
                metrics.put(name, current);
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                if (current == null || !belongs(m.group(1), current)) {
                    throw new AssertionError("line " + n + ": sample outside its metric: " + line);
                }
                current.samples().add(new Sample(m.group(1), labels(m.group(3), n), value(m.group(4), n)));
            } else {
                throw new AssertionError("line " + n + " is not in the format: " + line);
            }
        }
        return metrics;
    }

    private static boolean belongs(String sample, Metric metric) {
        if (metric.type().equals("histogram")) {
            return sample.equals(metric.name() + "_bucket") || sample.equals(metric.name() + "_sum")
                    || sample.equals(metric.name() + "_count");
        }
        return sample.equals(metric.name());
    }

    private static Map<String, String> labels(String body, int n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body == null) {
            return out;
        }
        Matcher m = LABEL.matcher(body);
        int at = 0;
        while (m.find() && m.start() == at) {
            if (out.put(m.group(1), unescapeLabel(m.group(2))) != null) {
                throw new AssertionError("line " + n + ": label " + m.group(1) + " twice");
            }
            at = m.end();
            if (at < body.length()) {
                if (body.charAt(at) != ',') {
                    throw new AssertionError("line " + n + ": labels not separated by a comma: " + body);
                }
                at++;
            }
        }
        if (at != body.length()) {
            throw new AssertionError("line " + n + ": labels do not parse: " + body);
        }
        return out;
    }

    private static double value(String v, int n) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                if (!v.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
                    throw new AssertionError("line " + n + ": not a number: " + v);
                }
                yield Double.parseDouble(v);
            }
        };
    }

    private static String unescapeHelp(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(++i);
                sb.append(e == 'n' ? '\n' : e);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String unescapeLabel(String s) {
        return unescapeHelp(s);
    }
}
