package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.musubi.api.InboundEventListener;
import io.musubi.store.HistoryStore;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.Interaction;
import io.musubi.spi.Connector;

import java.io.ByteArrayInputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The connector TCK (issue #12, docs/connectors/writing-a-connector.md): the contract every connector passes on the
 * real distribution. A connector's test extends this class, runs with {@code @RunWith(PaxExam.class)} and
 * {@code @ExamReactorStrategy(PerSuite.class)}, and answers the hooks below with its provider's stand-in (a local
 * API server, a directory, GreenMail); the tests are inherited:
 * <ul>
 *   <li>inbound de-duplication on the provider's event id, also after the hub's store and pipeline restarted;</li>
 *   <li>outbound durability while the connector bundle is stopped, updated or uninstalled: replies wait and go out
 *       exactly once when it returns;</li>
 *   <li>health UP, DEGRADED (provider away: replies retried with back-off) and DOWN with a reason, in
 *       {@code /api/v1/health} and {@code /api/v1/connectors}, and UP again once the provider is back;</li>
 *   <li>malformed input rejected and counted, the route still taking the next message;</li>
 *   <li>no configured secret in the log or in the configuration the connector describes.</li>
 * </ul>
 * Tests share one container with the other suites, so every instance and conversation here has ids of its own.
 */
public abstract class ConnectorContractIT extends MusubiTestSupport {

    /**
     * Marks the contract's tests. A subclass runs each by overriding it with {@code @Test} and calling {@code super}:
     * Pax Exam 4 addresses a test by the class that declares its method, so tests inherited by two subclasses in one
     * suite would run on the wrong instance. {@link #everyContractTestIsDeclared()} fails a subclass that leaves one
     * out.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    protected @interface ContractTest {
    }

    /** Sends a reply through the hub on the conversation under test (for hooks that need traffic). */
    @FunctionalInterface
    protected interface Replier {
        void reply(String text) throws Exception;
    }

    // ------------------------------------------------------------------------------------------------ hooks

    /**
     * The id the hub knows one of the TCK's event ids by, as {@link #arrivalKey} gives it (the provider's own id when
     * the connector makes it from what it sent: a MessageSid, a call's unique id); null when nothing was sent for it.
     */
    protected String providerEventId(String eventId) {
        return eventId;
    }

    /** What an arrived event of the instance is counted under: its event id; null for events not counted. */
    protected String arrivalKey(InboundEvent event) {
        return event.eventId();
    }

    /** The instance under test ({@code musubi.connector.id}). */
    protected abstract String connectorId();

    /** The symbolic name of the connector's bundle. */
    protected abstract String bundleSymbolicName();

    /** The channel its interactions are on. */
    protected abstract Channel channel();

    /** The tenant of its interactions. */
    protected String tenantId() {
        return "default";
    }

    /**
     * Makes the instance under test exist (feature, configuration, provider stand-in); called before every test, so
     * it must do its work once and then return at once.
     */
    protected abstract void setUpConnector() throws Exception;

    /**
     * One customer message with the provider's event id, delivered as the provider does it; returns once the
     * provider's delivery was acknowledged (retrying as the provider would while the hub answers "later").
     */
    protected abstract void sendInbound(String eventId, String text) throws Exception;

    /** The same event again, as the provider redelivers it; by default sent again unchanged. */
    protected void redeliverInbound(String eventId, String text) throws Exception {
        sendInbound(eventId, text);
    }

    /** Input the connector can never understand, as the provider could send it (signed where signed). */
    protected abstract void sendMalformed() throws Exception;

    /** The texts of the replies the provider's stand-in accepted, in order. */
    protected abstract List<String> delivered() throws Exception;

    /** The provider goes away (connections refused or its target unwritable). */
    protected abstract void remoteDown() throws Exception;

    /** The provider is back. */
    protected abstract void remoteUp() throws Exception;

    /**
     * Breaks what the connector needs so that it reports DOWN with a reason (credentials refused, its directory
     * gone). {@code reply} sends a reply, for connectors that notice only when they use the provider.
     */
    protected abstract void breakConnector(Replier reply) throws Exception;

    /** Undoes {@link #breakConnector}. */
    protected abstract void repairConnector() throws Exception;

    /** The secrets configured for the instance (never in the log or the described configuration). */
    protected abstract List<String> secrets();

    /** The thread key of the conversation {@link #sendInbound} messages belong to. */
    protected abstract String threadKey();

    // ------------------------------------------------------------------------------------------------ harness

    private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    private ServiceRegistration<InboundEventListener> listener;
    protected ApiClient admin;

    /**
     * A queue no agent can serve (it requires a skill nobody has): connectors whose configuration names a queue put
     * the TCK's conversations there, so they are never offered to the agents of other suites.
     */
    protected static final String HOLDING_QUEUE = "tck-hold";

    /** Every {@link ContractTest} of this class is overridden as a {@code @Test} by the connector's test. */
    @Before
    public void everyContractTestIsDeclared() throws Exception {
        for (Method m : ConnectorContractIT.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(ContractTest.class)) {
                Method declared = getClass().getMethod(m.getName());
                assertTrue(getClass().getSimpleName() + " must override " + m.getName() + " with @Test",
                        declared.getDeclaringClass() == getClass() && declared.isAnnotationPresent(Test.class));
            }
        }
    }

    @Before
    public void prepareContract() throws Exception {
        listener = bundleContext.registerService(InboundEventListener.class, this::arrived, null);
        awaitApi("hub healthy", Duration.ofSeconds(120), () -> statusOf("/api/v1/health") == 200);
        admin = adminClient();
        int defined = admin.call("PUT", "/queues/" + HOLDING_QUEUE,
                "{\"name\":\"TCK conversations (never offered)\",\"requiredSkills\":{\"tck-never\":10}}").statusCode();
        assertTrue("holding queue defined: " + defined, defined == 200 || defined == 201);
        setUpConnector();
        await(connectorId() + " registered", Duration.ofSeconds(90), () -> connector() != null);
    }

    @After
    public void stopListening() {
        listener.unregister();
    }

    private void arrived(InboundEvent e) {
        if (connectorId().equals(e.source())) {
            String key = arrivalKey(e);
            if (key != null) {
                arrivals.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }
        }
    }

    /** How many events of the instance arrived in the hub for one of the TCK's event ids. */
    protected final int arrivals(String eventId) {
        String key = providerEventId(eventId);
        AtomicInteger n = key == null ? null : arrivals.get(key);
        return n == null ? 0 : n.get();
    }

    protected static String unique(String what) {
        return what + "-" + System.nanoTime();
    }

    /** A customer message that arrived in the hub; returns its event id. */
    protected String inbound(String text) throws Exception {
        String id = unique("in");
        sendInbound(id, text);
        await("message " + id + " arrived", Duration.ofSeconds(90), () -> arrivals(id) == 1);
        return id;
    }

    /** The conversation's open interaction, opened by a customer message if needed. */
    protected String openInteraction() throws Exception {
        inbound("こんにちは、質問があります");
        // Listeners are told inside the event's transaction: the interaction is readable once that commits.
        AtomicReference<String> open = new AtomicReference<>();
        await("an open interaction on " + threadKey(), Duration.ofSeconds(60), () -> {
            history().findOpenInteraction(tenantId(), channel(), threadKey()).map(Interaction::id).ifPresent(open::set);
            return open.get() != null;
        });
        return open.get();
    }

    private HistoryStore history() {
        ServiceReference<HistoryStore> ref = bundleContext.getServiceReference(HistoryStore.class);
        return bundleContext.getService(ref);
    }

    /** Sends a reply over the REST API, as an agent's desktop would. */
    protected void reply(String interactionId, String text) throws Exception {
        admin.expect(201, "POST", "/interactions/" + interactionId + "/messages",
                ApiClient.JSON.createObjectNode().put("text", text).toString());
    }

    protected Connector connector() {
        try {
            Collection<ServiceReference<Connector>> refs = bundleContext.getServiceReferences(Connector.class,
                    "(" + Connector.ID_PROPERTY + "=" + connectorId() + ")");
            return refs.isEmpty() ? null : bundleContext.getService(refs.iterator().next());
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The connector's health as {@code /api/v1/health} shows it, or a missing node. */
    protected JsonNode healthInHealth() {
        try {
            for (JsonNode c : ApiClient.JSON.readTree(body("/api/v1/health")).path("connectors")) {
                if (connectorId().equals(c.path("id").asText())) {
                    return c.path("health");
                }
            }
        } catch (IOException e) {
            // not answering yet
        }
        return ApiClient.JSON.missingNode();
    }

    /** The connector as {@code /api/v1/connectors/{id}} shows it, or a missing node. */
    protected JsonNode connectorView() {
        try {
            var r = admin.call("GET", "/connectors/" + connectorId(), null);
            return r.statusCode() == 200 ? ApiClient.JSON.readTree(r.body()) : ApiClient.JSON.missingNode();
        } catch (IOException e) {
            return ApiClient.JSON.missingNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiClient.JSON.missingNode();
        }
    }

    /** Polls {@code condition}, which calls the (rate-limited) REST API, four times a second. */
    protected static void awaitApi(String what, Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        Await.until(what, timeout, Duration.ofMillis(250), condition);
    }

    private void awaitStatus(String status, Duration timeout) throws InterruptedException {
        awaitApi(connectorId() + " " + status + " in /health and /connectors", timeout, () ->
                status.equals(healthInHealth().path("status").asText())
                        && status.equals(connectorView().path("health").path("status").asText()));
    }

    private long counter(String name) {
        return connectorView().path("health").path("details").path(name).asLong(0);
    }

    private long egressDepth() {
        try {
            JsonNode queues = ApiClient.JSON.readTree(body("/api/v1/health")).path("components").path("queues");
            return queues.path("details").path("musubi.egress." + connectorId()).asLong(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private void assertDeliveredOnce(List<String> texts) throws Exception {
        await("replies delivered", Duration.ofSeconds(120), () -> {
            try {
                return delivered().containsAll(texts);
            } catch (Exception e) {
                return false;
            }
        });
        awaitApi("egress queue drained", Duration.ofSeconds(60), () -> egressDepth() == 0);
        List<String> got = delivered();
        for (String t : texts) {
            assertEquals("delivered exactly once: " + t, 1, Collections.frequency(got, t));
        }
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

    // ------------------------------------------------------------------------------------------------ the contract

    @ContractTest
    public void inboundIsDeduplicatedOnTheProviderEventIdAlsoAfterARestartOfTheHub() throws Exception {
        String id = unique("dup");
        sendInbound(id, "once only");
        await("first delivery arrived", Duration.ofSeconds(90), () -> arrivals(id) == 1);
        redeliverInbound(id, "once only");
        // A later message of the same conversation is processed after the redelivery (one conversation, in order).
        String barrier = inbound("after the redelivery");
        assertEquals("the redelivery was dropped", 1, arrivals(id));
        assertEquals(1, arrivals(barrier));

        restartHub();

        redeliverInbound(id, "once only");
        inbound("after the restart");
        assertEquals("the redelivery after the restart was dropped", 1, arrivals(id));
    }

    /** Restarts the hub's store and ingress pipeline (all their state in memory is gone) and waits for the hub. */
    private void restartHub() throws Exception {
        restartHubBundles();
        admin = adminClient();
        await(connectorId() + " back", Duration.ofSeconds(90), () -> connector() != null);
    }

    @ContractTest
    public void repliesWaitWhileTheConnectorIsStoppedAndGoOutOnceWhenItReturns() throws Exception {
        String interaction = openInteraction();
        Bundle b = bundle(bundleSymbolicName());
        b.stop();
        List<String> texts;
        try {
            texts = replies(interaction, "while stopped", 4);
            awaitApi("replies waiting in the egress queue", Duration.ofSeconds(30), () -> egressDepth() >= 4);
            List<String> got = delivered();
            assertTrue("nothing delivered while the connector is away", texts.stream().noneMatch(got::contains));
        } finally {
            b.start();
        }
        assertDeliveredOnce(texts);
    }

    @ContractTest
    public void repliesSentAcrossAnUpdateOfTheConnectorGoOutOnce() throws Exception {
        String interaction = openInteraction();
        Bundle b = bundle(bundleSymbolicName());
        Version before = b.getVersion();
        byte[] newer = withBundleVersion(read(b.getLocation()), before.getMajor() + "." + before.getMinor() + "."
                + before.getMicro() + ".tck" + System.nanoTime());
        List<String> texts = new ArrayList<>(replies(interaction, "before the update", 3));
        b.update(new ByteArrayInputStream(newer));
        refresh(b);
        texts.addAll(replies(interaction, "after the update", 2));
        assertDeliveredOnce(texts);
        assertFalse("the bundle runs the new version", before.equals(bundle(bundleSymbolicName()).getVersion()));
    }

    @ContractTest
    public void repliesWaitWhileTheConnectorIsUninstalledAndGoOutOnceWhenItIsBack() throws Exception {
        String interaction = openInteraction();
        Bundle b = bundle(bundleSymbolicName());
        String location = b.getLocation();
        byte[] jar = read(location);
        b.uninstall();
        refresh(b); // removes it for good; nothing else is refreshed
        List<String> texts;
        try {
            texts = replies(interaction, "while uninstalled", 3);
            awaitApi("replies waiting in the egress queue", Duration.ofSeconds(30), () -> egressDepth() >= 3);
        } finally {
            Bundle again = bundleContext.installBundle(location, new ByteArrayInputStream(jar));
            again.start();
        }
        await(connectorId() + " back", Duration.ofSeconds(90), () -> connector() != null);
        assertDeliveredOnce(texts);
    }

    @ContractTest
    public void healthIsUpDegradedWhileTheProviderIsAwayThenUpAgainAndDownWithAReason() throws Exception {
        String interaction = openInteraction();
        awaitStatus("UP", Duration.ofSeconds(60));

        remoteDown();
        String text = "sent while the provider is away " + System.nanoTime();
        try {
            reply(interaction, text);
            awaitStatus("DEGRADED", Duration.ofSeconds(60));
            assertFalse("a reason is given", healthInHealth().path("detail").asText().isBlank());
            assertFalse(delivered().contains(text));
        } finally {
            remoteUp();
        }
        // Reconnect: the reply is retried with back-off and goes out once the provider is back.
        assertDeliveredOnce(List.of(text));
        awaitStatus("UP", Duration.ofSeconds(60));

        breakConnector(t -> reply(interaction, t));
        try {
            awaitStatus("DOWN", Duration.ofSeconds(60));
            assertFalse("a reason is given", connectorView().path("health").path("detail").asText().isBlank());
        } finally {
            repairConnector();
        }
        awaitStatus("UP", Duration.ofSeconds(90));
    }

    @ContractTest
    public void malformedInputIsRejectedAndCountedAndTheNextMessageStillArrives() throws Exception {
        inbound("before the bad input");
        long before = counter("malformed");
        sendMalformed();
        awaitApi("malformed input counted", Duration.ofSeconds(60), () -> counter("malformed") == before + 1);
        inbound("after the bad input");
    }

    @ContractTest
    public void noSecretIsLoggedOrShownInTheConfiguration() throws Exception {
        String interaction = openInteraction();
        String text = "a reply for the log check " + System.nanoTime();
        reply(interaction, text);
        sendMalformed();
        assertDeliveredOnce(List.of(text));

        JsonNode configuration = connectorView().path("configuration");
        assertTrue("the configuration is listed", configuration.isObject() && configuration.size() > 0);
        Map<String, String> described = connector().describeConfiguration();
        for (String secret : secrets()) {
            assertFalse("secret in /connectors", configuration.toString().contains(secret));
            assertFalse("secret in describeConfiguration()", described.toString().contains(secret));
            for (Path log : logFiles()) {
                assertFalse("secret in " + log, Files.readString(log, StandardCharsets.ISO_8859_1).contains(secret));
            }
        }
    }

    private static List<Path> logFiles() throws IOException {
        Path dir = Path.of(System.getProperty("karaf.log", Path.of(System.getProperty("karaf.data"), "log").toString()));
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(files::add);
        }
        assertFalse("the Karaf log is there", files.isEmpty());
        return files;
    }

    // ------------------------------------------------------------------------------------------------ bundles

    protected void refresh(Bundle bundle) throws InterruptedException {
        FrameworkWiring wiring = bundleContext.getBundle(0).adapt(FrameworkWiring.class);
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(List.of(bundle), event -> done.countDown());
        assertTrue(done.await(60, TimeUnit.SECONDS));
    }

    protected static byte[] read(String location) throws IOException {
        try (InputStream in = new URL(location).openStream()) {
            return in.readAllBytes();
        }
    }

    /** The same bundle with another Bundle-Version: a genuinely new revision for the framework. */
    protected static byte[] withBundleVersion(byte[] jar, String version) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (JarOutputStream jos = new JarOutputStream(out, manifest)) {
                JarEntry entry;
                while ((entry = in.getNextJarEntry()) != null) {
                    jos.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(jos);
                    jos.closeEntry();
                }
            }
        }
        return out.toByteArray();
    }
}
