package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import io.musubi.api.InboundEventListener;
import io.musubi.connector.twilio.testing.FakeTwilioApi;
import io.musubi.history.HistoryStore;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.spi.Connector;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The connector contract (issue #12's TCK) for the Twilio connector, on the distribution against the local Twilio:
 * inbound de-duplication on the MessageSid, also after a restart of the hub's store and pipeline; replies durable
 * while the connector is stopped, updated or uninstalled, and delivered exactly once when it returns; health UP,
 * DEGRADED while Twilio is away (replies retried, then delivered once), DOWN with a reason when Twilio refuses the
 * credentials, UP again when they are fixed; malformed input refused and counted without stopping the connector; no
 * secret in the logs or the configuration. The shared TCK ({@code ConnectorContractIT}) was not on main when this was
 * written: these are its checks for Twilio, in the same order, to be folded into it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class TwilioContractIT extends MusubiTestSupport {

    static final String ID = "twilio.tck";
    /** A queue no agent serves: the contract's conversations are never offered to other suites' agents. */
    private static final String HOLDING_QUEUE = "twilio-tck-hold";
    private static final String BUNDLE = "io.musubi.connector-twilio";
    private static final String CUSTOMER = TwilioSetup.customerNumber();

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private FeaturesService features;

    private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    private ServiceRegistration<InboundEventListener> listener;
    private FakeTwilioApi twilio;
    private ApiClient admin;

    @Before
    public void setUp() throws Exception {
        listener = bundleContext.registerService(InboundEventListener.class, this::arrived, null);
        awaitApi("hub healthy", Duration.ofSeconds(120), () -> statusOf("/api/v1/health") == 200);
        admin = adminClient();
        int q = admin.call("PUT", "/queues/" + HOLDING_QUEUE, "{\"name\":\"Twilio TCK (never offered)\","
                + "\"channels\":[\"SMS\"],\"requiredSkills\":{\"tck-never\":10}}").statusCode();
        assertTrue("holding queue defined: " + q, q == 200 || q == 201);
        twilio = TwilioSetup.twilio();
        TwilioSetup.install(features);
        TwilioSetup.configure(configurationAdmin, ID, HOLDING_QUEUE, Map.of());
        await(ID + " registered", Duration.ofSeconds(90), () -> connector() != null);
    }

    @After
    public void tearDown() {
        listener.unregister();
        twilio.down(false);
    }

    private void arrived(InboundEvent e) {
        if (ID.equals(e.source())) {
            arrivals.computeIfAbsent(e.eventId(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    private int arrivals(String eventId) {
        AtomicInteger n = arrivals.get(eventId);
        return n == null ? 0 : n.get();
    }

    private FakeTwilioApi.Delivery send(String sid, String text) throws Exception {
        return twilio.deliverInbound(TwilioSetup.webhook(ID), sid, CUSTOMER, TwilioSetup.OUR_NUMBER, text, List.of(),
                List.of());
    }

    /** A customer SMS that arrived in the hub; returns its MessageSid. */
    private String inbound(String text) throws Exception {
        String sid = TwilioSetup.messageSid();
        assertEquals(200, send(sid, text).status());
        await("message " + sid + " arrived", Duration.ofSeconds(90), () -> arrivals(sid) == 1);
        return sid;
    }

    private String openInteraction() throws Exception {
        inbound("こんにちは、質問があります");
        ServiceReference<HistoryStore> ref = bundleContext.getServiceReference(HistoryStore.class);
        try {
            return bundleContext.getService(ref).findOpenInteraction("default", Channel.SMS, ID + "/" + CUSTOMER)
                    .map(Interaction::id).orElseThrow(() -> new AssertionError("no open interaction"));
        } finally {
            bundleContext.ungetService(ref);
        }
    }

    private void reply(String interactionId, String text) throws Exception {
        admin.expect(201, "POST", "/interactions/" + interactionId + "/messages",
                ApiClient.JSON.createObjectNode().put("text", text).toString());
    }

    private List<String> replies(String interactionId, String what, int n) throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String text = what + " " + i + " " + System.nanoTime();
            reply(interactionId, text);
            texts.add(text);
        }
        return texts;
    }

    private List<String> delivered() {
        List<String> out = new ArrayList<>();
        twilio.sent().forEach(s -> out.add(s.body()));
        return out;
    }

    private void assertDeliveredOnce(List<String> texts) throws Exception {
        await("replies delivered", Duration.ofSeconds(120), () -> delivered().containsAll(texts));
        awaitApi("egress queue drained", Duration.ofSeconds(60), () -> egressDepth() == 0);
        List<String> got = delivered();
        for (String t : texts) {
            assertEquals("delivered exactly once: " + t, 1, Collections.frequency(got, t));
        }
    }

    private long egressDepth() {
        try {
            return ApiClient.JSON.readTree(body("/api/v1/health")).path("components").path("queues").path("details")
                    .path("musubi.egress." + ID).asLong(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private Connector connector() {
        try {
            Collection<ServiceReference<Connector>> refs = bundleContext.getServiceReferences(Connector.class,
                    "(" + Connector.ID_PROPERTY + "=" + ID + ")");
            return refs.isEmpty() ? null : bundleContext.getService(refs.iterator().next());
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode connectorView() {
        try {
            var r = admin.call("GET", "/connectors/" + ID, null);
            return r.statusCode() == 200 ? ApiClient.JSON.readTree(r.body()) : ApiClient.JSON.missingNode();
        } catch (IOException e) {
            return ApiClient.JSON.missingNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiClient.JSON.missingNode();
        }
    }

    private JsonNode healthInHealth() {
        try {
            for (JsonNode c : ApiClient.JSON.readTree(body("/api/v1/health")).path("connectors")) {
                if (ID.equals(c.path("id").asText())) {
                    return c.path("health");
                }
            }
        } catch (IOException e) {
            // not answering yet
        }
        return ApiClient.JSON.missingNode();
    }

    private void awaitStatus(String status, Duration timeout) throws InterruptedException {
        awaitApi(ID + " " + status + " in /health and /connectors", timeout, () ->
                status.equals(healthInHealth().path("status").asText())
                        && status.equals(connectorView().path("health").path("status").asText()));
    }

    private static void awaitApi(String what, Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        Await.until(what, timeout, Duration.ofMillis(250), condition);
    }

    @Test
    public void inboundIsDeduplicatedOnTheMessageSidAlsoAfterARestartOfTheHub() throws Exception {
        String sid = TwilioSetup.messageSid();
        assertEquals(200, send(sid, "once only").status());
        await("first delivery arrived", Duration.ofSeconds(90), () -> arrivals(sid) == 1);
        assertEquals("Twilio's retry is acknowledged", 200, send(sid, "once only").status());
        // A later message of the same conversation is processed after the retry (one conversation, in order).
        inbound("after the retry");
        assertEquals("the retry was dropped", 1, arrivals(sid));

        Bundle routes = bundle("io.musubi.routes");
        Bundle store = bundle("io.musubi.history");
        routes.stop();
        store.stop();
        store.start();
        routes.start();
        awaitApi("hub healthy after the restart", Duration.ofSeconds(120), () -> statusOf("/api/v1/health") == 200
                && body("/api/v1/health").contains("\"musubi-ingress\":\"Started 1/1 routes\""));
        admin = adminClient();

        awaitApi("Twilio's retry after the restart acknowledged", Duration.ofSeconds(90), () -> {
            try {
                return send(sid, "once only").status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        inbound("after the restart");
        assertEquals("the retry after the restart was dropped", 1, arrivals(sid));
    }

    @Test
    public void repliesWaitWhileTheConnectorIsStoppedAndGoOutOnceWhenItReturns() throws Exception {
        String interaction = openInteraction();
        Bundle b = bundle(BUNDLE);
        b.stop();
        List<String> texts;
        try {
            texts = replies(interaction, "while stopped", 4);
            awaitApi("replies waiting in the egress queue", Duration.ofSeconds(30), () -> egressDepth() >= 4);
            List<String> got = delivered();
            assertTrue("nothing delivered while the connector is away", texts.stream().noneMatch(got::contains));
            assertEquals("Twilio's webhooks wait (503, Twilio calls the fallback URL)", 503,
                    send(TwilioSetup.messageSid(), "while stopped").status());
        } finally {
            b.start();
        }
        assertDeliveredOnce(texts);
    }

    @Test
    public void repliesSentAcrossAnUpdateOfTheConnectorGoOutOnce() throws Exception {
        String interaction = openInteraction();
        Bundle b = bundle(BUNDLE);
        Version before = b.getVersion();
        byte[] newer = withBundleVersion(read(b.getLocation()), before.getMajor() + "." + before.getMinor() + "."
                + before.getMicro() + ".tck" + System.nanoTime());
        List<String> texts = new ArrayList<>(replies(interaction, "before the update", 3));
        b.update(new ByteArrayInputStream(newer));
        refresh(b);
        texts.addAll(replies(interaction, "after the update", 2));
        assertDeliveredOnce(texts);
        assertFalse("the bundle runs the new version", before.equals(bundle(BUNDLE).getVersion()));
    }

    @Test
    public void repliesWaitWhileTheConnectorIsUninstalledAndGoOutOnceWhenItIsBack() throws Exception {
        String interaction = openInteraction();
        Bundle b = bundle(BUNDLE);
        String location = b.getLocation();
        byte[] jar = read(location);
        b.uninstall();
        refresh(b);
        List<String> texts;
        try {
            texts = replies(interaction, "while uninstalled", 3);
            awaitApi("replies waiting in the egress queue", Duration.ofSeconds(30), () -> egressDepth() >= 3);
        } finally {
            bundleContext.installBundle(location, new ByteArrayInputStream(jar)).start();
        }
        await(ID + " back", Duration.ofSeconds(90), () -> connector() != null);
        assertDeliveredOnce(texts);
    }

    @Test
    public void healthIsUpDegradedWhileTwilioIsAwayThenUpAgainAndDownWithAReason() throws Exception {
        String interaction = openInteraction();
        awaitStatus("UP", Duration.ofSeconds(60));

        twilio.down(true);
        String text = "sent while Twilio is away " + System.nanoTime();
        try {
            reply(interaction, text);
            awaitStatus("DEGRADED", Duration.ofSeconds(60));
            assertTrue(healthInHealth().path("detail").asText().contains("503"));
            assertFalse(delivered().contains(text));
        } finally {
            twilio.down(false);
        }
        assertDeliveredOnce(List.of(text));
        awaitStatus("UP", Duration.ofSeconds(60));

        // The token file was opened to other users: the connector refuses it, says why, and keeps replies queued.
        Path token = TwilioSetup.tokenFile(ID);
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        String waiting = "sent while the token is refused " + System.nanoTime();
        try {
            awaitStatus("DOWN", Duration.ofSeconds(60));
            assertTrue(connectorView().path("health").path("detail").asText().contains("chmod 600"));
            reply(interaction, waiting);
            awaitApi("the reply waits", Duration.ofSeconds(30), () -> egressDepth() >= 1);
            assertFalse(delivered().contains(waiting));
        } finally {
            Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        }
        assertDeliveredOnce(List.of(waiting));
        awaitStatus("UP", Duration.ofSeconds(90));
    }

    @Test
    public void malformedInputIsRefusedAndCountedAndTheNextMessageStillArrives() throws Exception {
        inbound("before the bad input");
        long before = connectorView().path("health").path("details").path("malformed").asLong(0);
        List<Map.Entry<String, String>> bad = List.of(Map.entry("MessageSid", TwilioSetup.messageSid()),
                Map.entry("From", "whatsapp:" + CUSTOMER), Map.entry("To", TwilioSetup.OUR_NUMBER),
                Map.entry("Body", "not an SMS"));
        assertEquals(400, twilio.post(TwilioSetup.webhook(ID), bad).status());
        awaitApi("malformed input counted", Duration.ofSeconds(60),
                () -> connectorView().path("health").path("details").path("malformed").asLong(0) == before + 1);
        inbound("after the bad input");
    }

    @Test
    public void noSecretIsLoggedOrShownInTheConfiguration() throws Exception {
        String interaction = openInteraction();
        String text = "a reply for the log check " + System.nanoTime();
        reply(interaction, text);
        assertDeliveredOnce(List.of(text));
        String token = TwilioSetup.token();
        JsonNode configuration = connectorView().path("configuration");
        assertTrue("the configuration is listed", configuration.isObject() && configuration.size() > 0);
        assertFalse("secret in /connectors", configuration.toString().contains(token));
        assertFalse("secret in describeConfiguration()", connector().describeConfiguration().toString().contains(token));
        for (Path log : TwilioEndToEndIT.logFiles()) {
            String content = Files.readString(log, StandardCharsets.ISO_8859_1);
            assertFalse("secret in " + log, content.contains(token));
            assertFalse("customer number in " + log, content.contains(CUSTOMER));
        }
    }

    // ---- bundles

    private void refresh(Bundle bundle) throws InterruptedException {
        FrameworkWiring wiring = bundleContext.getBundle(0).adapt(FrameworkWiring.class);
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(List.of(bundle), event -> done.countDown());
        assertTrue(done.await(60, TimeUnit.SECONDS));
    }

    private static byte[] read(String location) throws IOException {
        try (InputStream in = new URL(location).openStream()) {
            return in.readAllBytes();
        }
    }

    /** The same jar with another Bundle-Version (a new build of the connector). */
    private static byte[] withBundleVersion(byte[] jar, String version) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    jarOut.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(jarOut);
                    jarOut.closeEntry();
                }
            }
        }
        return out.toByteArray();
    }
}
