package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;

import io.musubi.api.InboundEventListener;
import io.musubi.model.InboundEvent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Hot swap of a connector under traffic: numbered messages flow from the demo connector through the broker
 * into the ingress pipeline while the connector bundle is updated to a new version, or stopped and started.
 * Every message must arrive exactly once.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class HotSwapIT extends MusubiTestSupport {

    private static final String DEMO_BUNDLE = "io.musubi.connector-demo";
    private static final int MESSAGES = 400;
    private static final int SWAP_AT = 120;

    /** Arrivals per event id, for messages of the running test only. */
    private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
    private final AtomicReference<String> prefix = new AtomicReference<>("none");
    private ServiceRegistration<InboundEventListener> listener;

    @Before
    public void listen() throws Exception {
        listener = bundleContext.registerService(InboundEventListener.class, this::record, null);
        await("hub healthy", Duration.ofSeconds(90), () -> statusOf("/api/v1/health") == 200);
        await("demo connector running", Duration.ofSeconds(60), () -> bundle(DEMO_BUNDLE).getState() == Bundle.ACTIVE);
    }

    @After
    public void stopListening() {
        listener.unregister();
    }

    private void record(InboundEvent event) {
        if ("demo".equals(event.source()) && event.eventId().startsWith(prefix.get())) {
            arrivals.computeIfAbsent(event.eventId(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    @Test
    public void updatingTheConnectorToANewVersionUnderTrafficLosesAndDuplicatesNothing() throws Exception {
        Bundle demo = bundle(DEMO_BUNDLE);
        Version before = demo.getVersion();
        byte[] newVersion = withBundleVersion(read(demo.getLocation()), before.getMajor() + "." + before.getMinor() + "."
                + before.getMicro() + ".hotswap" + System.nanoTime());

        runStream("update", () -> {
            demo.update(new ByteArrayInputStream(newVersion));
            refresh(demo);
        });

        assertNotEquals("the bundle runs the new version", before, bundle(DEMO_BUNDLE).getVersion());
    }

    @Test
    public void stoppingAndStartingTheConnectorUnderTrafficLosesAndDuplicatesNothing() throws Exception {
        Bundle demo = bundle(DEMO_BUNDLE);
        runStream("restart", () -> {
            demo.stop();
            // Traffic keeps arriving in the inbox while the connector is away.
            await("messages waiting while stopped", Duration.ofSeconds(30), () -> PacedFileWriter.idsIn(inbox()).size() > 20);
            demo.start();
        });
    }

    @FunctionalInterface
    interface Swap {
        void run() throws Exception;
    }

    /** Writes MESSAGES numbered files at a steady pace, runs {@code swap} after SWAP_AT, checks arrivals. */
    private void runStream(String name, Swap swap) throws Exception {
        String runPrefix = name + "-" + System.nanoTime() + "-";
        prefix.set(runPrefix);
        arrivals.clear();
        CountDownLatch swapPoint = new CountDownLatch(1);
        // A steady stream, one message every 5 ms; the swap happens while it flows.
        PacedFileWriter writer = PacedFileWriter.start(inbox(), runPrefix, MESSAGES, 5, i -> {
            if (i == SWAP_AT) {
                swapPoint.countDown();
            }
        });
        assertEquals(true, swapPoint.await(60, TimeUnit.SECONDS));
        swap.run();
        writer.awaitDone(120);

        await(MESSAGES + " distinct messages arrived", Duration.ofSeconds(120), () -> arrivals.size() >= MESSAGES);

        TreeSet<String> expected = new TreeSet<>();
        for (int i = 1; i <= MESSAGES; i++) {
            expected.add(PacedFileWriter.id(runPrefix, i));
        }
        assertEquals("exactly the ids sent", expected, new TreeSet<>(arrivals.keySet()));
        List<String> duplicated = new ArrayList<>();
        arrivals.forEach((id, count) -> {
            if (count.get() != 1) {
                duplicated.add(id + " x" + count.get());
            }
        });
        assertEquals("every message exactly once", List.of(), duplicated);
    }

    private void refresh(Bundle bundle) throws InterruptedException {
        FrameworkWiring wiring = bundleContext.getBundle(0).adapt(FrameworkWiring.class);
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(List.of(bundle), event -> done.countDown());
        assertEquals(true, done.await(60, TimeUnit.SECONDS));
    }

    private static Path inbox() {
        Path inbox = Path.of(System.getProperty("karaf.data"), "demo", "inbox");
        assertNotNull(inbox);
        return inbox;
    }

    private static byte[] read(String location) throws IOException {
        try (InputStream in = new URL(location).openStream()) {
            return in.readAllBytes();
        }
    }

    /** The same bundle with another Bundle-Version: a genuinely new revision for the framework. */
    private static byte[] withBundleVersion(byte[] jar, String version) throws IOException {
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
