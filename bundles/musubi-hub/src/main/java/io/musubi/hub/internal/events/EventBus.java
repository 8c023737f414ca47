package io.musubi.hub.internal.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.musubi.api.HubEventListener;
import io.musubi.hub.events.EventFilter;
import io.musubi.hub.events.EventStream;
import io.musubi.store.HistoryStore;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.PresenceChange;
import io.musubi.model.ScopedId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's events for the API: receives every recorded event (it is a {@link HubEventListener}), gives it the
 * next hub-wide id, keeps the newest in a bounded ring for resume, and fans it out to the open streams (the
 * {@link EventStream} the REST API's SSE adapter subscribes to) and to the internal listeners (the webhook
 * dispatcher).
 *
 * <p>The recording thread never waits for a client: each stream has a bounded queue written by a sender thread;
 * a stream whose queue is full is closed (the client reconnects with {@code Last-Event-ID} and resumes).
 *
 * <p>Ids start at the clock's epoch milliseconds x 1000 and grow by one per event, so they keep growing across
 * restarts (unless the hub averaged over a million events a second, or the clock went back): a client resuming
 * with an id of an earlier run gets a {@code reset}, never a wrong replay.
 */
@Component(service = {HubEventListener.class, EventStream.class, EventBus.class}, immediate = true,
        configurationPid = EventBus.PID)
@Designate(ocd = EventsConfig.class)
public final class EventBus implements HubEventListener, EventStream {

    /** The PID the REST bundle had when the stream lived there, kept so that operators' configuration applies. */
    static final String PID = "io.musubi.rest.events";
    /** Interactions whose agent and queue are remembered, least recently used dropped first. */
    static final int ASSIGNMENTS = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    /**
     * @param ringSize  events held for resume
     * @param queueSize events waiting per stream before it is closed as too slow
     * @param heartbeat interval of the comment heartbeat
     * @param maxStreams open streams at most
     */
    record Settings(int ringSize, int queueSize, Duration heartbeat, int maxStreams) {
        Settings {
            if (ringSize < 1 || queueSize < 1 || maxStreams < 1 || heartbeat.isNegative() || heartbeat.isZero()) {
                throw new IllegalArgumentException("event stream sizes and heartbeat must be positive");
            }
        }

        static Settings of(EventsConfig config) {
            return new Settings(config.ringSize(), config.subscriberQueueSize(),
                    Duration.ofSeconds(config.heartbeatSeconds()), config.maxStreams());
        }
    }

    /** An event as published: the API view and its JSON, written once for every stream and webhook. */
    public record Published(ApiEvent event, String json) {
        public long id() {
            return event.id();
        }

        @Override
        public String toString() {
            return "Published[" + event + "]";
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final Object lock = new Object();
    private final Published[] ring;
    private int head;
    private int size;
    private long nextId;
    /** The newest id no longer held (or never issued by this run): resuming from anything older misses events. */
    private long evictedUpTo;
    private final Map<String, List<Subscriber>> byTenant = new HashMap<>();
    private int streams;
    private final Map<String, Assignment> assignments = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Assignment> eldest) {
            return size() > ASSIGNMENTS;
        }
    };
    private final List<Consumer<Published>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService senders;
    private final ScheduledExecutorService heartbeats;
    private final AtomicLong dropped = new AtomicLong();
    private volatile AssignmentLookup lookup;
    private HistoryStore boundHistory;
    private volatile boolean closed;

    @Activate
    public EventBus(EventsConfig config) {
        this(Settings.of(config), Clock.systemUTC(), AssignmentLookup.NONE);
    }

    EventBus(Settings settings, Clock clock, AssignmentLookup lookup) {
        this.settings = settings;
        this.clock = clock;
        this.lookup = lookup;
        this.ring = new Published[settings.ringSize()];
        this.nextId = Math.max(1, clock.millis() * 1000);
        this.evictedUpTo = nextId - 1;
        this.senders = Executors.newCachedThreadPool(threads("musubi-sse-"));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(threads("musubi-sse-heartbeat-"));
        long every = settings.heartbeat().toMillis();
        heartbeats.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindHistory(HistoryStore history) {
        boundHistory = history;
        lookup = (tenantId, interactionId) -> history.findInteraction(tenantId, interactionId)
                .map(i -> new Assignment(localOrNull(i.agentId()), localOrNull(i.queueId())));
    }

    synchronized void unbindHistory(HistoryStore history) {
        if (boundHistory == history) {
            boundHistory = null;
            lookup = AssignmentLookup.NONE;
        }
    }

    /** Closes every stream and stops the threads. */
    @Deactivate
    public void close() {
        List<Subscriber> all = new ArrayList<>();
        synchronized (lock) {
            closed = true;
            byTenant.values().forEach(all::addAll);
            byTenant.clear();
            streams = 0;
        }
        all.forEach(Subscriber::shut);
        heartbeats.shutdownNow();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(2, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            senders.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- recording side

    @Override
    public void onInteractionEvent(InteractionEvent event) {
        try {
            String key = event.tenantId() + '\n' + event.interactionId();
            Optional<Assignment> looked = lookUp(event, key);
            Published p;
            List<Subscriber> slow;
            synchronized (lock) {
                if (closed) {
                    return;
                }
                Assignment before = assignments.get(key);
                if (before == null) {
                    before = looked.orElse(Assignment.NONE);
                }
                ApiEvent api = ApiEvent.of(nextId, event, before);
                assignments.put(key, after(before, event.type(), api));
                p = new Published(api, json(api));
                nextId++;
                slow = append(p);
            }
            afterPublish(p, slow);
        } catch (RuntimeException e) {
            LOG.error("event {} of interaction {} not published to streams and webhooks: {}", event.id(),
                    event.interactionId(), e.toString());
        }
    }

    @Override
    public void onPresenceChange(PresenceChange change) {
        try {
            Published p;
            List<Subscriber> slow;
            synchronized (lock) {
                if (closed) {
                    return;
                }
                ApiEvent api = ApiEvent.of(nextId, change);
                p = new Published(api, json(api));
                nextId++;
                slow = append(p);
            }
            afterPublish(p, slow);
        } catch (RuntimeException e) {
            LOG.error("presence change {} not published to streams and webhooks: {}", change.id(), e.toString());
        }
    }

    /**
     * Where an interaction not seen since start stands, from the history store. A failure only costs the
     * enrichment of this event: it is published all the same.
     */
    private Optional<Assignment> lookUp(InteractionEvent event, String key) {
        AssignmentLookup current = lookup;
        if (current == AssignmentLookup.NONE || event.type() == InteractionEventType.ARRIVED) {
            return Optional.empty(); // nothing to ask, or a new interaction: nothing to find
        }
        synchronized (lock) {
            if (assignments.containsKey(key)) {
                return Optional.empty();
            }
        }
        try {
            return current.find(event.tenantId(), event.interactionId());
        } catch (RuntimeException e) {
            LOG.warn("agent and queue of interaction {} not found in the history store: {}",
                    event.interactionId(), e.toString());
            return Optional.empty();
        }
    }

    /** The interaction's assignment after the event. */
    private static Assignment after(Assignment before, InteractionEventType type, ApiEvent api) {
        String queue = api.queueId() != null ? api.queueId() : before.queueId();
        String agent = switch (type) {
            case ACCEPTED -> api.agentId();
            case TRANSFERRED -> api.agentId(); // to an agent, or to a queue (none)
            case QUEUED, ABANDONED -> null;
            default -> before.agentId();
        };
        return new Assignment(agent, queue);
    }

    /** Adds to the ring and to the matching streams' queues; returns the streams that are too slow. Holds lock. */
    private List<Subscriber> append(Published p) {
        if (size == ring.length) {
            evictedUpTo = ring[head].id();
            ring[head] = p;
            head = (head + 1) % ring.length;
        } else {
            ring[(head + size) % ring.length] = p;
            size++;
        }
        List<Subscriber> subscribers = byTenant.get(p.event().tenantId());
        if (subscribers == null) {
            return List.of();
        }
        List<Subscriber> slow = null;
        for (Subscriber s : subscribers) {
            if (p.event().matches(s.filter) && !s.offer(Item.of(p))) {
                slow = slow == null ? new ArrayList<>() : slow;
                slow.add(s);
            }
        }
        if (slow == null) {
            return List.of();
        }
        slow.forEach(this::remove);
        return slow;
    }

    private void afterPublish(Published p, List<Subscriber> slow) {
        for (Subscriber s : slow) {
            dropped.incrementAndGet();
            LOG.info("event stream of {} closed: it fell {} events behind", s.filter.tenantId(), settings.queueSize());
            s.shut();
        }
        for (Consumer<Published> l : listeners) {
            try {
                l.accept(p);
            } catch (RuntimeException e) {
                LOG.error("event listener failed on event {}: {}", p.id(), e.toString());
            }
        }
    }

    private static String json(ApiEvent api) {
        try {
            return EventJson.mapper().writeValueAsString(api);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + api.id() + " could not be written as JSON", e);
        }
    }

    // ---------------------------------------------------------------- consuming side

    /** Adds an internal listener, called on the recording thread after the streams got the event. */
    public void addListener(Consumer<Published> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<Published> listener) {
        listeners.remove(listener);
    }

    /**
     * {@inheritDoc}
     *
     * @throws TooManyStreamsException when {@link Settings#maxStreams()} streams are open
     */
    @Override
    public Subscription subscribe(EventFilter filter, Long lastEventId, Sink sink) {
        Subscriber s;
        synchronized (lock) {
            if (closed) {
                throw new TooManyStreamsException("the event stream is stopping");
            }
            if (streams >= settings.maxStreams()) {
                throw new TooManyStreamsException("too many open event streams (" + settings.maxStreams() + ")");
            }
            ArrayDeque<Item> replay = new ArrayDeque<>();
            replay.add(Item.comment("connected")); // commits the response at once, before any event
            if (lastEventId != null) {
                long lastIssued = nextId - 1;
                long from = lastEventId;
                if (lastEventId < evictedUpTo || lastEventId > lastIssued) {
                    ApiEvent reset = ApiEvent.reset(evictedUpTo, filter.tenantId(), clock.instant(), lastEventId);
                    replay.add(new Item(Long.toString(reset.id()), reset.type(), json(reset), null));
                    from = evictedUpTo;
                }
                for (int i = 0; i < size; i++) {
                    Published p = ring[(head + i) % ring.length];
                    if (p.id() > from && p.event().matches(filter)) {
                        replay.add(Item.of(p));
                    }
                }
            }
            s = new Subscriber(filter, sink, replay, settings.queueSize());
            byTenant.computeIfAbsent(filter.tenantId(), t -> new ArrayList<>()).add(s);
            streams++;
        }
        s.kick();
        return s;
    }

    /** Removes a stream from the fan-out. Holds lock. */
    private void remove(Subscriber s) {
        List<Subscriber> list = byTenant.get(s.filter.tenantId());
        if (list != null && list.remove(s)) {
            streams--;
            if (list.isEmpty()) {
                byTenant.remove(s.filter.tenantId());
            }
        }
    }

    private void unsubscribe(Subscriber s) {
        synchronized (lock) {
            remove(s);
        }
        s.shut();
    }

    private void heartbeat() {
        List<Subscriber> all = new ArrayList<>();
        List<Subscriber> slow = new ArrayList<>();
        synchronized (lock) {
            byTenant.values().forEach(all::addAll);
            for (Subscriber s : all) {
                if (!s.offer(Item.comment("heartbeat"))) {
                    slow.add(s);
                    remove(s);
                }
            }
        }
        for (Subscriber s : slow) {
            dropped.incrementAndGet();
            s.shut();
        }
    }

    /** Open streams. */
    int streams() {
        synchronized (lock) {
            return streams;
        }
    }

    /** Streams closed because they fell behind, since start. */
    long droppedStreams() {
        return dropped.get();
    }

    /** The id the next event gets. */
    long nextId() {
        synchronized (lock) {
            return nextId;
        }
    }

    // ---------------------------------------------------------------- streams

    /** One SSE frame to write: an event, or (with {@code comment} set) a comment line. */
    private record Item(String id, String type, String json, String comment) {
        static Item of(Published p) {
            return new Item(Long.toString(p.id()), p.event().type(), p.json(), null);
        }

        static Item comment(String text) {
            return new Item(null, null, null, text);
        }
    }

    /**
     * One open stream. The replayed events and the live queue are written by at most one sender task at a time
     * (the {@code scheduled} flag), replay first.
     */
    private final class Subscriber implements Subscription {
        final EventFilter filter;
        private final Sink sink;
        private final ArrayDeque<Item> replay;
        private final BlockingQueue<Item> live;
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final AtomicBoolean sinkClosed = new AtomicBoolean();
        private volatile boolean shut;

        Subscriber(EventFilter filter, Sink sink, ArrayDeque<Item> replay, int queueSize) {
            this.filter = filter;
            this.sink = sink;
            this.replay = replay;
            this.live = new ArrayBlockingQueue<>(queueSize);
        }

        /** Queues a frame; false when the queue is full (the stream is too slow). */
        boolean offer(Item item) {
            if (shut) {
                return true;
            }
            if (!live.offer(item)) {
                return false;
            }
            kick();
            return true;
        }

        void shut() {
            shut = true;
            kick();
        }

        void kick() {
            if (scheduled.compareAndSet(false, true)) {
                try {
                    senders.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    closeSink();
                }
            }
        }

        private void drain() {
            while (true) {
                if (shut) {
                    closeSink();
                    return;
                }
                Item item = replay.isEmpty() ? live.poll() : replay.poll();
                if (item == null) {
                    scheduled.set(false);
                    if ((live.isEmpty() && !shut) || !scheduled.compareAndSet(false, true)) {
                        return;
                    }
                    continue;
                }
                try {
                    if (item.comment() != null) {
                        sink.comment(item.comment());
                    } else {
                        sink.event(item.id(), item.type(), item.json());
                    }
                } catch (Exception e) {
                    LOG.debug("event stream of {} closed: {}", filter.tenantId(), e.toString());
                    unsubscribe(this);
                    closeSink();
                    return;
                }
            }
        }

        private void closeSink() {
            if (sinkClosed.compareAndSet(false, true)) {
                try {
                    sink.close();
                } catch (RuntimeException e) {
                    LOG.debug("closing an event stream failed: {}", e.toString());
                }
            }
        }

        @Override
        public boolean isOpen() {
            return !shut;
        }

        @Override
        public void close() {
            unsubscribe(this);
        }
    }

    private static String localOrNull(String id) {
        return id == null || id.isEmpty() ? null : ScopedId.localOf(id);
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
