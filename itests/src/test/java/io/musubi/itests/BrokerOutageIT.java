package io.musubi.itests;

import static org.junit.Assert.assertEquals;

import io.musubi.api.InboundEventListener;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

/**
 * The broker goes away and comes back: health reports it (503 while it is down), inbound work waits at the
 * edge instead of being lost, and once the broker is back producers and the ingress consumer reconnect by
 * themselves and every message arrives exactly once.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class BrokerOutageIT extends MusubiTestSupport {

    private static final String BROKER_BUNDLE = "org.apache.activemq.artemis-server-osgi";

    private static void drop(Path inbox, String prefix, int from, int to) throws Exception {
        for (int i = from; i <= to; i++) {
            PacedFileWriter.drop(inbox, prefix + String.format("%03d", i), "message " + i);
        }
    }

    @Test
    public void aBrokerOutageLosesNothingAndTheHubRecoversByItself() throws Exception {
        String prefix = "outage-" + System.nanoTime() + "-";
        Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
        InboundEventListener listener = event -> {
            if ("demo".equals(event.source()) && event.eventId().startsWith(prefix)) {
                arrivals.computeIfAbsent(event.eventId(), k -> new AtomicInteger()).incrementAndGet();
            }
        };
        ServiceRegistration<InboundEventListener> registration =
                bundleContext.registerService(InboundEventListener.class, listener, null);
        try {
            await("hub healthy", Duration.ofSeconds(90), () -> statusOf("/api/v1/health") == 200);
            Path inbox = Path.of(System.getProperty("karaf.data"), "demo", "inbox");
            drop(inbox, prefix, 1, 20);
            await("first messages through", Duration.ofSeconds(60), () -> arrivals.size() == 20);

            Bundle broker = bundle(BROKER_BUNDLE);
            broker.stop();
            try {
                await("health reports the broker down", Duration.ofSeconds(60), () -> statusOf("/api/v1/health") == 503);
                drop(inbox, prefix, 21, 60);
            } finally {
                broker.start();
            }

            await("health back to 200", Duration.ofSeconds(120), () -> statusOf("/api/v1/health") == 200);
            await("all 60 messages arrived", Duration.ofSeconds(180), () -> arrivals.size() == 60);

            TreeSet<String> expected = new TreeSet<>();
            for (int i = 1; i <= 60; i++) {
                expected.add(prefix + String.format("%03d", i));
            }
            assertEquals(expected, new TreeSet<>(arrivals.keySet()));
            arrivals.forEach((id, n) -> assertEquals("arrivals of " + id, 1, n.get()));
        } finally {
            registration.unregister();
        }
    }
}
