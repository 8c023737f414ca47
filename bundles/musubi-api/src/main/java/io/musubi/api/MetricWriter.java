package io.musubi.api;

import java.util.Map;

/**
 * Where a {@link MetricSource} writes its samples. Names follow Prometheus: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, prefixed
 * {@code musubi_}, in base units (seconds, bytes); counters end in {@code _total}. Label names are
 * {@code [a-zA-Z_][a-zA-Z0-9_]*} (not starting with {@code __}; {@code le} is the histogram's own); label values are
 * any text (escaped by the writer). Several sources may write samples of one metric (one name), each with its own
 * labels; the first help text and type written for a name stand, and a sample whose type differs from it, or that
 * repeats a name and labels already written, is refused.
 *
 * @throws IllegalArgumentException from every method: an invalid name or label name, a counter without
 *                                  {@code _total}, a type that differs from the name's, a repeated series
 */
public interface MetricWriter {

    /** A value that only goes up (from the start of the process or of the part that counts). */
    void counter(String name, String help, Map<String, String> labels, double value);

    /** A value that goes up and down (a depth, a number of agents). */
    void gauge(String name, String help, Map<String, String> labels, double value);

    /** A distribution (latencies): cumulative buckets, their sum and count. */
    void histogram(String name, String help, Map<String, String> labels, HistogramSnapshot histogram);
}
