package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;

/**
 * A customer's call-back for a chosen time, on the distribution: requested through the public channel menu for a few
 * seconds ahead, it is listed as scheduled and offered to nobody before its time, then offered to the queue's agent
 * after it (the QUEUED the hub recorded is not earlier than the time asked for); and one scheduled before a restart of
 * the hub's bundles is offered at its time after it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class ScheduledCallbackIT extends MusubiTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(60);
    // a skill no agent of the other suites has: only this test's agent serves the queue
    private static final String QUEUE = """
            {"name":"Call-backs IT","channels":["VOICE"],"requiredSkills":{"callback-it":1}}""";
    private static final String AGENT = """
            {"name":"Callie","skills":{"callback-it":5},"capacities":{"VOICE":1}}""";
    private static final String ENTRY_POINT = """
            {"name":"Call-backs IT","published":true,"options":[
              {"channel":"VOICE","queueId":"cb-it","label":"Call back","reach":{"kind":"CALLBACK"}}]}""";

    private ApiClient admin;

    @Before
    public void define() throws Exception {
        admin = adminClient();
        admin.call("PUT", "/queues/cb-it", QUEUE);
        admin.call("PUT", "/agents/cb-callie", AGENT);
        admin.call("PUT", "/channel-menu/entry-points/cb-it", ENTRY_POINT);
        // every agent serves the default queue: what other suites left there would fill (and, unanswered, time out)
        // Callie's offers, and an agent whose offer timed out is not offered the call-back
        endWhatWaitsInTheDefaultQueue(admin);
        JsonNode callie = admin.expect(200, "GET", "/agents/cb-callie", null);
        for (JsonNode id : callie.path("offered")) {
            admin.call("POST", "/interactions/" + id.asText() + "/end", "{}");
        }
        for (JsonNode id : callie.path("assigned")) {
            admin.call("POST", "/interactions/" + id.asText() + "/end", "{}");
        }
        admin.expect(200, "PUT", "/agents/cb-callie/presence", "{\"state\":\"AVAILABLE\"}");
    }

    @Test
    public void aCallBackForAFewSecondsAheadIsOfferedAfterItsTimeAndNotBefore() throws Exception {
        Instant at = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
        String id = requestCallback(at);

        // checked while the time is still ahead (the check is valid only if it ended before the time)
        JsonNode callie = admin.expect(200, "GET", "/agents/cb-callie", null);
        JsonNode stored = admin.expect(200, "GET", "/interactions/" + id, null);
        boolean stillAhead = Instant.now().isBefore(at);
        if (stillAhead) {
            assertFalse(callie.toString(), callie.path("offered").toString().contains(id));
            assertEquals(stored.toString(), "NEW", stored.path("state").asText());
        }

        awaitOfferedAfter(id, at);
        assertTrue("no interaction is scheduled any more",
                admin.expect(200, "GET", "/queues/cb-it/scheduled", null).path("items").isEmpty());
        admin.expect(200, "POST", "/interactions/" + id + "/end", "{}");
    }

    @Test
    public void aCallBackScheduledBeforeARestartOfTheHubIsOfferedAtItsTimeAfterIt() throws Exception {
        Instant at = Instant.now().plusSeconds(25).truncatedTo(ChronoUnit.SECONDS);
        String id = requestCallback(at);

        restartHub();
        if (Instant.now().isBefore(at)) {
            JsonNode scheduled = admin.expect(200, "GET", "/queues/cb-it/scheduled", null).path("items");
            JsonNode stored = admin.expect(200, "GET", "/interactions/" + id, null);
            if (Instant.now().isBefore(at)) {
                assertEquals("still scheduled after the restart: " + scheduled, id,
                        scheduled.path(0).path("interaction").path("id").asText());
                assertEquals(stored.toString(), "NEW", stored.path("state").asText());
            }
        }
        awaitOfferedAfter(id, at);
        admin.expect(200, "POST", "/interactions/" + id + "/end", "{}");
    }

    /** A public call-back request for {@code at}; returns the interaction it stored (from the scheduled list). */
    private String requestCallback(Instant at) throws Exception {
        ApiClient customer = new ApiClient(HTTP_PORT, null);
        JsonNode accepted = customer.expect(202, "POST", "/public/channel-menu/default/cb-it/callback",
                "{\"phone\":\"+81 3-5555-0100\",\"at\":\"" + at + "\",\"note\":\"itest\"}");
        assertEquals(accepted.toString(), "requested", accepted.path("status").asText());
        JsonNode items = admin.expect(200, "GET", "/queues/cb-it/scheduled", null).path("items");
        String id = null;
        for (JsonNode s : items) {
            if (Instant.parse(s.path("dueAt").asText()).equals(at)) {
                id = s.path("interaction").path("id").asText();
            }
        }
        assertTrue("listed as scheduled: " + items, id != null);
        JsonNode waiting = admin.expect(200, "GET", "/queues/cb-it/waiting", null).path("items");
        assertFalse("not waiting yet: " + waiting, waiting.toString().contains(id));
        return id;
    }

    /** Waits for the offer to the queue's agent; the hub queued it no earlier than the time asked for. */
    private void awaitOfferedAfter(String id, Instant at) throws Exception {
        // the history, not the live state: the ACD's decisions reach the history a moment after they are made
        awaitApi("the call-back's offer to its agent recorded", WAIT, () -> admin.expect(200, "GET",
                "/interactions/" + id + "/events", null).path("items").toString().contains("\"offered\""));
        JsonNode events = admin.expect(200, "GET", "/interactions/" + id + "/events", null).path("items");
        Instant queued = null;
        Instant offered = null;
        for (JsonNode e : events) {
            if (queued == null && "queued".equals(e.path("type").asText())) {
                queued = Instant.parse(e.path("timestamp").asText());
            }
            if ("offered".equals(e.path("type").asText())) {
                offered = Instant.parse(e.path("timestamp").asText());
            }
        }
        assertTrue("recorded as scheduled: " + events, events.toString().contains("callback_scheduled"));
        assertTrue("queued " + queued + ", not before " + at, queued != null && !queued.isBefore(at));
        assertTrue("offered " + offered + ", not before " + at, offered != null && !offered.isBefore(at));
    }

    /** Restarts the hub's store and hub bundles (their state in memory is gone) and waits for the API. */
    private void restartHub() throws Exception {
        Bundle routes = bundle("io.musubi.routes");
        Bundle hub = bundle("io.musubi.hub");
        Bundle store = bundle("io.musubi.store-jdbc");
        routes.stop();
        hub.stop();
        store.stop();
        store.start();
        hub.start();
        routes.start();
        awaitApi("hub healthy after the restart", Duration.ofSeconds(120), () -> statusOf("/api/v1/health") == 200
                && body("/api/v1/health").contains("\"musubi-ingress\":\"Started 1/1 routes\""));
        admin = adminClient();
    }

    /** Polls a condition that calls the API, treating an I/O failure as "not yet". */
    private static void awaitApi(String what, Duration timeout, ApiCondition condition) throws InterruptedException {
        // every 250 ms: the API's per-address rate limit is shared with the rest of the test
        Await.until(what, timeout, Duration.ofMillis(250), () -> {
            try {
                return condition.holds();
            } catch (Exception | AssertionError e) {
                return false;
            }
        });
    }

    @FunctionalInterface
    private interface ApiCondition {
        boolean holds() throws Exception;
    }
}
