package io.musubi.hub.internal.recovery;

import io.musubi.acd.AcdAttributes;
import io.musubi.acd.AcdEngine;
import io.musubi.acd.AcdListener;
import io.musubi.api.Health;
import io.musubi.api.HealthContributor;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.PresenceChange;
import io.musubi.spi.Backoff;
import io.musubi.store.AcdStateRepository;
import io.musubi.store.AcdStateRepository.AgentPresence;
import io.musubi.store.AcdStateRepository.StickyRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps in the store what the ACD needs after a restart besides the interactions (issue #11): each agent's last
 * presence ({@link PresenceChange}) and each customer's last agent (every {@code ACCEPTED} with a customer, as the
 * engine's own last-agent records). The ACD's listener only notes the newest value per agent and per customer; one
 * writer thread stores what was noted in batches ({@link AcdStateRepository#savePresences},
 * {@link AcdStateRepository#saveSticky}: one transaction each), never on the engine's lock or its delivery thread.
 * A write the store refuses is kept (a newer value for the same key replaces it) and tried again with back-off; health
 * {@code acd-state} is degraded meanwhile. What was noted but not yet written when the process dies is lost: at most
 * the last milliseconds of presence changes, which the restart's presence policy covers (docs/acd.md, "Recovery").
 */
@Component(service = {AcdStateRecorder.class, HealthContributor.class}, immediate = true,
        property = HealthContributor.NAME_PROPERTY + "=acd-state")
public final class AcdStateRecorder implements AcdListener, HealthContributor {

    private static final Logger LOG = LoggerFactory.getLogger(AcdStateRecorder.class);

    private final AcdStateRepository store;
    private final Backoff backoff;
    private final ScheduledExecutorService writer;
    /** Noted, not yet written: newest per tenant/agent and tenant/customer. Guarded by {@code this}. */
    private Map<String, AgentPresence> presences = new LinkedHashMap<>();
    private Map<String, StickyRecord> sticky = new LinkedHashMap<>();
    private boolean scheduled;
    /** Held while a batch is taken and written, so batches reach the store in the order they were taken. */
    private final Object writeLock = new Object();
    private volatile String lastFailure = "";
    private volatile long presencesWritten;
    private volatile long stickyWritten;
    private AcdEngine acd;

    /** Records what the ACD reports from now on. */
    @Activate
    public AcdStateRecorder(@Reference AcdEngine acd, @Reference AcdStateRepository store) {
        this(store);
        this.acd = acd;
        acd.addListener(this);
    }

    /** A recorder of what it is told (tests add it to an engine themselves). */
    public AcdStateRecorder(AcdStateRepository store) {
        this(store, new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30)));
    }

    AcdStateRecorder(AcdStateRepository store, Backoff backoff) {
        this.store = store;
        this.backoff = backoff;
        this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "musubi-acd-state-writer");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        if (acd != null) {
            acd.removeListener(this);
        }
        writer.shutdownNow();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // What the writer had not stored yet: one last attempt on this thread.
        try {
            write();
        } catch (RuntimeException e) {
            LOG.error("{} agents' presence and {} last-agent records could not be stored before the recorder stopped: "
                    + "{}", presences.size(), sticky.size(), e.getClass().getSimpleName());
        }
    }

    @Override
    public void onPresenceChange(PresenceChange change) {
        AgentPresence p = new AgentPresence(change.tenantId(), change.agentId(), change.to(), change.reasonCode(),
                change.timestamp());
        synchronized (this) {
            presences.put(change.tenantId() + '\n' + change.agentId(), p);
            scheduleLocked(0);
        }
    }

    @Override
    public void onInteractionEvent(InteractionEvent event) {
        if (event.type() != InteractionEventType.ACCEPTED || event.customerId().isEmpty()) {
            return;
        }
        String agent = event.attributes().get(AcdAttributes.AGENT_ID);
        if (agent == null || agent.isEmpty()) {
            return;
        }
        StickyRecord r = new StickyRecord(event.tenantId(), event.customerId(), agent, event.channel(),
                event.timestamp());
        synchronized (this) {
            sticky.put(event.tenantId() + '\n' + event.customerId(), r);
            scheduleLocked(0);
        }
    }

    private void scheduleLocked(long delayMillis) {
        if (!scheduled && !writer.isShutdown()) {
            scheduled = true;
            writer.schedule(this::writeOrRetry, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void writeOrRetry() {
        synchronized (this) {
            scheduled = false;
        }
        try {
            write();
            if (backoff.attempts() > 0) {
                LOG.info("Agents' presence and last-agent records stored again after {} attempts", backoff.attempts());
                backoff.reset();
                lastFailure = "";
            }
        } catch (RuntimeException e) {
            lastFailure = e.getClass().getSimpleName();
            long delay = backoff.nextDelay().toMillis();
            LOG.warn("Could not store agents' presence and last-agent records, kept to store again in {} ms: {}: {}",
                    delay, e.getClass().getSimpleName(), e.getMessage());
            synchronized (this) {
                scheduleLocked(delay);
            }
        }
    }

    /** Writes what was noted, in two batches; on failure what was taken is put back unless something newer came. */
    private void write() {
        synchronized (writeLock) {
            Map<String, AgentPresence> p;
            Map<String, StickyRecord> s;
            synchronized (this) {
                p = presences;
                s = sticky;
                presences = new LinkedHashMap<>();
                sticky = new LinkedHashMap<>();
            }
            writeBatch(p, s);
        }
    }

    private void writeBatch(Map<String, AgentPresence> p, Map<String, StickyRecord> s) {
        try {
            if (!p.isEmpty()) {
                store.savePresences(new ArrayList<>(p.values()));
                presencesWritten += p.size();
                p = Map.of();
            }
            if (!s.isEmpty()) {
                store.saveSticky(new ArrayList<>(s.values()));
                stickyWritten += s.size();
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                p.forEach(presences::putIfAbsent);
                s.forEach(sticky::putIfAbsent);
            }
            throw e;
        }
    }

    /** Stores what was noted now, on the caller's thread (tests; the writer does it by itself). */
    public void flush() {
        write();
    }

    /** How many presence and last-agent values wait to be stored. */
    public synchronized int backlog() {
        return presences.size() + sticky.size();
    }

    @Override
    public String name() {
        return "acd-state";
    }

    @Override
    public Health health() {
        int left = backlog();
        Map<String, String> details = Map.of("presencesWritten", Long.toString(presencesWritten),
                "lastAgentRecordsWritten", Long.toString(stickyWritten), "waiting", Integer.toString(left));
        return lastFailure.isEmpty() ? new Health(Health.Status.UP, "recording", details)
                : new Health(Health.Status.DEGRADED, left + " values wait for the store: " + lastFailure, details);
    }
}
