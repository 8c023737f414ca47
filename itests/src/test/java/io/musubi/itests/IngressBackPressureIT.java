package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.musubi.api.InboundEventListener;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.IngressUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Back-pressure on the connectors' side (issue #11): with the ingress consumers stopped, connectors' events fill the
 * ingress queue up to its bound ({@code io.musubi.ingress.gateway}, here 3); the next submission is held, then
 * refused with a retry hint, which a webhook answers with 503, and counted on the metrics endpoint. Once the
 * consumers run again every accepted event is processed and the refused one goes through when submitted again:
 * nothing is lost.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class IngressBackPressureIT extends MusubiTestSupport {

    private static final String PID = "io.musubi.ingress.gateway";
    private static final int BOUND = 3;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private IngressGateway ingress;

    @Test
    public void aFullIngressQueueRefusesMoreAndLosesNothing() throws Exception {
        ApiClient admin = adminClient();
        Set<String> arrived = ConcurrentHashMap.newKeySet();
        ServiceRegistration<InboundEventListener> listener = bundleContext.registerService(
                InboundEventListener.class, e -> arrived.add(e.eventId()), null);
        Configuration config = configurationAdmin.getConfiguration(PID, "?");
        Bundle routes = bundle("io.musubi.routes");
        try {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("maxIngressBacklog", (long) BOUND);
            props.put("backlogWaitMillis", 300L);
            props.put("retryAfterSeconds", 7L);
            config.update(props);
            try {
                Await.until("the new bound applied", Duration.ofSeconds(30), Duration.ofMillis(250),
                        () -> metric(admin, "musubi_ingress_backlog_limit") == BOUND);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; metrics: " + admin.text("/metrics").lines()
                        .filter(l -> l.contains("backlog") || l.contains("backpressure")).toList(), e);
            }
            double refusedBefore = metric(admin, "musubi_ingress_backpressure_total{outcome=\"refused\"}");

            routes.stop(); // nothing consumes the ingress queue now
            String run = "bp-" + System.nanoTime();
            List<String> accepted = new ArrayList<>();
            InboundEvent refused = null;
            // Submissions are taken until the queue holds the bound, then refused. The broker may count a message a
            // moment after its send returned, so one more may get in first; never many.
            for (int i = 0; i < BOUND + 3 && refused == null; i++) {
                InboundEvent e = event(run, i);
                try {
                    ingress.submit(List.of(e));
                    accepted.add(e.eventId());
                } catch (IngressUnavailableException expected) {
                    assertEquals(Duration.ofSeconds(7), expected.retryAfter());
                    assertTrue(expected.getMessage(), expected.getMessage().contains("more than " + BOUND));
                    refused = e;
                }
            }
            assertTrue("a submission beyond the bound must be refused (taken: " + accepted.size() + ")",
                    refused != null);
            assertTrue("the bound is taken before any refusal: " + accepted.size(), accepted.size() >= BOUND);
            assertEquals("counted as refused", refusedBefore + 1,
                    metric(admin, "musubi_ingress_backpressure_total{outcome=\"refused\"}"), 0.0);
            java.util.regex.Matcher depth = java.util.regex.Pattern.compile("\"musubi\\.ingress\":\"(\\d+)\"")
                    .matcher(body("/api/v1/health"));
            assertTrue("the depth is visible in health", depth.find());
            assertTrue("the health shows the full queue: " + depth.group(1), Long.parseLong(depth.group(1)) >= BOUND);

            routes.start();
            await("every accepted event processed", Duration.ofSeconds(90), () -> arrived.containsAll(accepted));
            // The connector submits the refused event again (a provider redelivers it): now there is room.
            InboundEvent retried = refused;
            await("the refused event taken once there is room", Duration.ofSeconds(30), () -> {
                try {
                    ingress.submit(List.of(retried));
                    return true;
                } catch (IngressUnavailableException busy) {
                    return false;
                }
            });
            await("the refused event processed", Duration.ofSeconds(60), () -> arrived.contains(retried.eventId()));
        } finally {
            listener.unregister();
            if (routes.getState() != Bundle.ACTIVE) {
                routes.start();
            }
            config.delete();
        }
        Await.until("the ingress route back", Duration.ofSeconds(60), Duration.ofMillis(250),
                () -> body("/api/v1/health").contains("\"musubi-ingress\":\"Started 1/1 routes\""));
    }

    private static InboundEvent event(String run, int i) {
        String thread = run + "-" + i;
        return new InboundEvent(thread, "itest-backpressure", "default", Channel.WEBCHAT,
                InteractionEventType.MESSAGE_IN, Address.of("webchat", thread), null, thread,
                MessageContent.text("back-pressure " + i), Map.of(), Instant.now());
    }

    /** One sample of the metrics endpoint ({@code name} or {@code name{labels}} exactly as printed), -1 if absent. */
    private static double metric(ApiClient admin, String sample) {
        try {
            for (String line : admin.text("/metrics").split("\n")) {
                if (line.startsWith(sample + " ")) {
                    return Double.parseDouble(line.substring(sample.length() + 1).trim());
                }
            }
            return -1;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
