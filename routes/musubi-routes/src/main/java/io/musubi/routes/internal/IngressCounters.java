package io.musubi.routes.internal;

import io.musubi.api.MetricWriter;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the ingress route did with each message of the ingress queue, since it started: handled (processed), a
 * repeat of an event already handled (duplicate), undecodable or invalid (malformed), or well-formed but taken by no
 * queue (refused). Malformed and refused messages are in the dead-letter queue.
 */
final class IngressCounters {

    final LongAdder processed = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder refused = new LongAdder();

    void collect(MetricWriter out) {
        String help = "Inbound events taken from the ingress queue, by outcome: processed, duplicate (handled "
                + "before), malformed and refused (both dead-lettered)";
        out.counter("musubi_ingress_events_total", help, Map.of("outcome", "processed"), processed.sum());
        out.counter("musubi_ingress_events_total", help, Map.of("outcome", "duplicate"), duplicates.sum());
        out.counter("musubi_ingress_events_total", help, Map.of("outcome", "malformed"), malformed.sum());
        out.counter("musubi_ingress_events_total", help, Map.of("outcome", "refused"), refused.sum());
    }
}
