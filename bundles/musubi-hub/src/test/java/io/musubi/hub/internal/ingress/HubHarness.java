package io.musubi.hub.internal.ingress;

import io.musubi.hub.internal.events.AcdHistoryRecorder;
import io.musubi.hub.internal.events.HubEvents;
import io.musubi.acd.Acd;
import io.musubi.acd.AcdEngine;
import io.musubi.testkit.ManualClock;
import io.musubi.api.HubEventListener;
import io.musubi.api.InteractionIntake;
import io.musubi.store.HistoryStore;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.store.jdbc.JdbcSettings;
import io.musubi.identity.IdentityService;
import io.musubi.identity.IdentityServices;
import io.musubi.model.InboundEvent;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.IngressUnavailableException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The hub's real ingress handling (the same {@link IngressProcessor} the ingress route runs: de-duplication, identity,
 * history, the connector-reported lifecycle, the ACD) on an embedded H2 history, for connectors' end-to-end tests
 * without a broker or a container. Its {@link #ingress()} processes each submitted event synchronously, in order, and
 * can be made unavailable to test a connector's retries. Every event the hub records reaches the
 * {@link HubEventListener}s added here, as in the hub.
 */
public final class HubHarness implements AutoCloseable {

    private final JdbcStore jdbc;
    private final IdentityService identity;
    private final AcdEngine acd;
    private final HubEvents events = new HubEvents();
    private final IngressProcessor processor;
    private final List<InboundEvent> submitted = new CopyOnWriteArrayList<>();
    private volatile boolean available = true;

    private HubHarness(Path dir, ManualClock clock, String defaultQueue) {
        this.jdbc = JdbcStore.open(JdbcSettings.embedded(dir.resolve("history")));
        this.identity = IdentityServices.create(jdbc.customers(), "JP");
        this.acd = Acd.newEngine(clock);
        acd.addListener(new AcdHistoryRecorder(jdbc.store(), jdbc.transactions(), events).listener());
        this.processor = new IngressProcessor(identity, jdbc.store(), jdbc.idempotency(), acd, defaultQueue, true,
                List::of, events, jdbc.transactions());
    }

    /** A hub whose tenants' default queue ({@code <tenant>/default}, every channel) is created on first use. */
    public static HubHarness open(Path dir, ManualClock clock) {
        return new HubHarness(dir, clock, "default");
    }

    /** The hub's {@link IngressGateway}: durable at once (processed synchronously). */
    public IngressGateway ingress() {
        return events -> {
            if (!available) {
                throw new IngressUnavailableException("the hub is unavailable (test)", Duration.ofMillis(10), null);
            }
            for (InboundEvent e : events) {
                try {
                    processor.handle(e);
                } catch (RuntimeException ex) {
                    throw ex;
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
                submitted.add(e);
            }
        };
    }

    /** While false, {@link #ingress()} refuses every event as an unreachable broker would. */
    public void setAvailable(boolean available) {
        this.available = available;
    }

    /** Every event the ingress took, in order. */
    public List<InboundEvent> submitted() {
        return List.copyOf(submitted);
    }

    public InteractionIntake intake() {
        return processor;
    }

    public void addListener(HubEventListener listener) {
        events.add(listener);
    }

    public AcdEngine acd() {
        return acd;
    }

    public HistoryStore history() {
        return jdbc.store();
    }

    public IdentityService identity() {
        return identity;
    }

    public JdbcStore jdbc() {
        return jdbc;
    }

    @Override
    public void close() {
        jdbc.close();
    }
}
