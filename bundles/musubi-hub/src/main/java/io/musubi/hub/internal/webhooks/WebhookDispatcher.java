package io.musubi.hub.internal.webhooks;

import io.musubi.api.OutboundAddressPolicy;
import io.musubi.hub.internal.events.EventBus;
import io.musubi.store.WebhookDelivery;
import io.musubi.store.WebhookRepository;
import io.musubi.store.WebhookSubscription;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the hub's events to the tenants' webhooks (docs/events.md).
 *
 * <p>Fed by the {@link EventBus} on the recording thread, it matches the event against the active subscriptions
 * (held in memory) and, only when one matches, writes one delivery row per subscription: that write is the
 * durability point. A scheduler thread then claims due rows and hands them to a small pool that POSTs them with
 * a {@link WebhookTransport}, signed; a 2xx marks the row delivered, anything else schedules a retry with exponential
 * back-off and jitter until the last attempt marks it failed. No database connection is held during a call.
 * Before every attempt the receiver's host is resolved and checked against the {@link OutboundAddressPolicy}, and
 * the call goes to exactly the addresses checked; the log records only an error category (docs/security.md).
 * Rows left pending by a stop or a crash are due again when the hub starts (a crash mid-call: once the claim's
 * lease ends), so delivery is at least once; receivers dedupe on {@code Musubi-Webhook-Id}.
 */
@Component(service = WebhookDispatcher.class, immediate = true, configurationPid = WebhookDispatcher.PID)
@Designate(ocd = WebhooksConfig.class)
public final class WebhookDispatcher implements AutoCloseable {

    /** The PID the REST bundle had when delivery lived there, kept so that operators' configuration applies. */
    static final String PID = "io.musubi.rest.webhooks";
    static final String USER_AGENT = "Musubi-Webhooks/1";
    /** Delivery log categories set here; the transport's are in {@link WebhookTransport}. */
    static final String REFUSED_TARGET = "refused-target";
    static final String INVALID_URL = "invalid-url";
    static final String INACTIVE = "inactive";
    /** How often the in-memory subscriptions are re-read (changes made through this hub apply at once). */
    static final Duration REFRESH = Duration.ofSeconds(30);
    static final Duration PURGE_EVERY = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    /**
     * @param allowHttpLoopback         accept http:// receivers on the loopback host
     * @param connectTimeout            TCP/TLS connect timeout
     * @param readTimeout               wait for the response status after sending
     * @param retryBase                 delay after the first failure; doubles per failure
     * @param retryCap                  longest delay
     * @param maxAttempts               attempts before a delivery fails
     * @param concurrency               parallel calls
     * @param poll                      how often due retries are looked for
     * @param retention                 how long finished deliveries are kept; zero keeps them
     * @param maxSubscriptionsPerTenant webhooks per tenant
     * @param targets                   which addresses receivers may have (public ones and the allow-list)
     */
    record Settings(boolean allowHttpLoopback, Duration connectTimeout, Duration readTimeout, Duration retryBase,
                    Duration retryCap, int maxAttempts, int concurrency, Duration poll, Duration retention,
                    int maxSubscriptionsPerTenant, OutboundAddressPolicy targets) {

        Settings {
            if (maxAttempts < 1 || concurrency < 1 || maxSubscriptionsPerTenant < 1 || poll.isZero()
                    || retryBase.isZero() || retryCap.compareTo(retryBase) < 0 || targets == null) {
                throw new IllegalArgumentException("invalid webhook settings");
            }
        }

        /**
         * @throws IllegalArgumentException naming a bad {@code allowedTargets} entry: the component does not start
         */
        static Settings of(WebhooksConfig c) {
            return new Settings(c.allowHttpLoopback(), Duration.ofSeconds(c.connectTimeoutSeconds()),
                    Duration.ofSeconds(c.readTimeoutSeconds()), Duration.ofSeconds(c.retryBaseSeconds()),
                    Duration.ofSeconds(c.retryCapSeconds()), c.maxAttempts(), c.concurrency(),
                    Duration.ofMillis(c.pollMillis()), Duration.ofDays(c.retentionDays()),
                    c.maxSubscriptionsPerTenant(), OutboundAddressPolicy.allowing(c.allowedTargets()));
        }

        /** How long a claimed row stays with its worker: longer than any call can take. */
        Duration lease() {
            return connectTimeout.plus(readTimeout).plusSeconds(30);
        }
    }

    private final WebhookRepository repository;
    private final Settings settings;
    private final Clock clock;
    private final WebhookTransport transport;
    private final EventBus bus;
    private final BlockingQueue<Boolean> wakeups = new ArrayBlockingQueue<>(1);
    private final Semaphore slots;
    private final ExecutorService workers;
    private final AtomicLong notWritten = new AtomicLong();
    private final Consumer<EventBus.Published> listener = this::onEvent;
    private volatile Map<String, List<WebhookSubscription>> byTenant = Map.of();
    private volatile boolean running;
    private Thread scheduler;
    private volatile Instant refreshedAt = Instant.EPOCH;
    private Instant purgedAt = Instant.EPOCH;

    @Activate
    public WebhookDispatcher(@Reference WebhookRepository repository, @Reference EventBus bus,
                             WebhooksConfig config) {
        this(repository, Settings.of(config), Clock.systemUTC(), bus);
        start();
    }

    /**
     * A dispatcher that is fed by {@code bus} (when not null) once {@link #start() started}; {@link #onEvent}
     * writes rows whether started or not.
     */
    WebhookDispatcher(WebhookRepository repository, Settings settings, Clock clock, EventBus bus) {
        this(repository, settings, clock, bus, (SSLContext) null);
    }

    /**
     * As above, with the TLS context receivers' certificates are checked with (tests trust their own); null for the
     * JDK's default context.
     */
    WebhookDispatcher(WebhookRepository repository, Settings settings, Clock clock, EventBus bus, SSLContext tls) {
        this.repository = repository;
        this.settings = settings;
        this.clock = clock;
        this.bus = bus;
        this.transport = new WebhookTransport(tls == null ? WebhookDispatcher::defaultTls : () -> tls,
                settings.connectTimeout(), settings.readTimeout());
        this.slots = new Semaphore(settings.concurrency());
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "musubi-webhook-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    Settings settings() {
        return settings;
    }

    /** Loads the subscriptions, listens to the bus and starts delivering (pending rows of an earlier run first). */
    synchronized void start() {
        if (running) {
            return;
        }
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("webhook subscriptions not loaded yet: {}", e.toString());
        }
        if (!settings.targets().isPublicOnly()) {
            LOG.info("webhook receivers may be {}", settings.targets());
        }
        running = true;
        if (bus != null) {
            bus.addListener(listener);
        }
        scheduler = new Thread(this::run, "musubi-webhook-scheduler");
        scheduler.setDaemon(true);
        scheduler.start();
    }

    /**
     * Stops delivering. Calls in flight get up to their timeouts to finish; a call still running after that keeps
     * its row claimed until the lease ends (it is then due again). Threads are not interrupted: an interrupt during
     * a database write can close an embedded H2 file.
     */
    @Deactivate
    @Override
    public synchronized void close() {
        if (bus != null) {
            bus.removeListener(listener);
        }
        running = false;
        wake();
        workers.shutdown();
        try {
            if (scheduler != null) {
                scheduler.join(TimeUnit.SECONDS.toMillis(5));
            }
            Duration wait = settings.connectTimeout().plus(settings.readTimeout());
            if (!workers.awaitTermination(Math.min(wait.toMillis(), 15_000), TimeUnit.MILLISECONDS)) {
                LOG.info("webhook calls still running at stop: their deliveries are retried after {}",
                        settings.lease());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            transport.close();
        }
    }

    /** Re-reads the active subscriptions (after a change through the API, and every {@link #REFRESH}). */
    void refresh() {
        Map<String, List<WebhookSubscription>> next = new HashMap<>();
        for (WebhookSubscription s : repository.activeSubscriptions()) {
            next.computeIfAbsent(s.tenantId(), t -> new ArrayList<>()).add(s);
        }
        byTenant = next;
        refreshedAt = clock.instant();
    }

    /** Rows that could not be written (database failure), since start. */
    long notWritten() {
        return notWritten.get();
    }

    // ---------------------------------------------------------------- recording side

    /** Writes a delivery row for each subscription the event matches. Never throws. */
    void onEvent(EventBus.Published p) {
        List<WebhookSubscription> subscriptions = byTenant.get(p.event().tenantId());
        if (subscriptions == null) {
            return;
        }
        List<String> matching = new ArrayList<>();
        for (WebhookSubscription s : subscriptions) {
            if (s.wants(p.event().type())) {
                matching.add(s.id());
            }
        }
        if (matching.isEmpty()) {
            return;
        }
        try {
            repository.addDeliveries(p.event().tenantId(), matching, p.id(), p.event().type(), p.json());
            wake();
        } catch (RuntimeException e) {
            notWritten.addAndGet(matching.size());
            LOG.error("webhook deliveries of event {} (tenant {}, {} webhooks) could not be written: {}", p.id(),
                    p.event().tenantId(), matching.size(), e.toString());
        }
    }

    // ---------------------------------------------------------------- delivering side

    private void wake() {
        wakeups.offer(Boolean.TRUE);
    }

    private void run() {
        while (running) {
            try {
                housekeeping();
                int free = slots.availablePermits();
                int claimed = 0;
                if (free > 0) {
                    Instant now = clock.instant();
                    List<WebhookDelivery> due = repository.claimDue(now, free, now.plus(settings.lease()));
                    for (WebhookDelivery d : due) {
                        slots.acquireUninterruptibly();
                        workers.execute(() -> {
                            try {
                                deliver(d);
                            } catch (RuntimeException e) {
                                LOG.warn("webhook delivery {}: {}; due again after {}", d.id(), e.toString(),
                                        settings.lease());
                            } finally {
                                slots.release();
                                wake();
                            }
                        });
                    }
                    claimed = due.size();
                }
                if (free == 0 || claimed < free) {
                    wakeups.poll(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("webhook dispatcher: {}", e.toString());
                try {
                    wakeups.poll(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void housekeeping() {
        Instant now = clock.instant();
        if (now.isAfter(refreshedAt.plus(REFRESH))) {
            refresh();
        }
        if (!settings.retention().isZero() && now.isAfter(purgedAt.plus(PURGE_EVERY))) {
            purgedAt = now;
            long n = repository.purgeFinishedBefore(now.minus(settings.retention()));
            if (n > 0) {
                LOG.info("webhook delivery log: {} finished deliveries older than {} deleted", n,
                        settings.retention());
            }
        }
    }

    /**
     * One attempt of one claimed delivery: resolve the receiver's host, check every address, call exactly those.
     * A refused target is recorded as such and retried like any failure (its DNS may be fixed, or the allow-list
     * changed); nothing is sent to it.
     */
    void deliver(WebhookDelivery d) {
        Optional<WebhookSubscription> subscription = repository.findSubscription(d.tenantId(), d.subscriptionId());
        if (subscription.isEmpty()) {
            return; // deleted, and its deliveries with it
        }
        WebhookSubscription s = subscription.get();
        int attempt = d.attempts() + 1;
        if (!s.active()) {
            repository.recordFailed(d.tenantId(), d.id(), d.attempts(), 0, INACTIVE, clock.instant());
            return;
        }
        URI url;
        try {
            url = URI.create(s.url());
            if (url.getHost() == null || !(url.getScheme().equalsIgnoreCase("https")
                    || url.getScheme().equalsIgnoreCase("http"))) {
                throw new IllegalArgumentException("not an http(s) URL with a host");
            }
        } catch (IllegalArgumentException e) {
            repository.recordFailed(d.tenantId(), d.id(), attempt, 0, INVALID_URL, clock.instant());
            return;
        }
        List<InetAddress> addresses;
        try {
            addresses = settings.targets().resolve(url.getHost());
        } catch (OutboundAddressPolicy.RefusedTargetException e) {
            LOG.debug("webhook delivery {} to {}: target refused ({})", d.id(), WebhookSubscription.maskedUrl(s.url()),
                    e.getMessage());
            failed(d, s, attempt, 0, REFUSED_TARGET);
            return;
        }
        long timestamp = clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("User-Agent", USER_AGENT);
        headers.put("Musubi-Webhook-Id", d.id());
        headers.put("Musubi-Event-Type", d.eventType());
        headers.put("Musubi-Timestamp", Long.toString(timestamp));
        headers.put("Musubi-Signature", WebhookSignature.header(s.secret(), timestamp, d.payload()));
        int status;
        try {
            status = transport.post(url, addresses, headers, d.payload().getBytes(StandardCharsets.UTF_8));
        } catch (WebhookTransport.Failure e) {
            Throwable cause = e.getCause();
            LOG.debug("webhook delivery {} to {}: {}{}", d.id(), WebhookSubscription.maskedUrl(s.url()),
                    e.category(), cause == null ? "" : " (" + cause + ")");
            failed(d, s, attempt, 0, e.category());
            return;
        }
        if (status >= 200 && status < 300) {
            repository.recordDelivered(d.tenantId(), d.id(), attempt, status, clock.instant());
            LOG.debug("webhook delivery {} to {}: HTTP {}", d.id(), WebhookSubscription.maskedUrl(s.url()), status);
            return;
        }
        failed(d, s, attempt, status, "http-" + status);
    }

    private void failed(WebhookDelivery d, WebhookSubscription s, int attempt, int status, String error) {
        Instant now = clock.instant();
        if (attempt >= settings.maxAttempts()) {
            repository.recordFailed(d.tenantId(), d.id(), attempt, status, error, now);
            LOG.warn("webhook delivery {} of event {} to {} (tenant {}) failed after {} attempts: {}", d.id(),
                    d.eventId(), WebhookSubscription.maskedUrl(s.url()), d.tenantId(), attempt, error);
        } else {
            Duration delay = backoff(attempt);
            repository.recordRetry(d.tenantId(), d.id(), attempt, status, error, now.plus(delay));
            LOG.debug("webhook delivery {} to {}: attempt {} failed ({}), next in {}", d.id(),
                    WebhookSubscription.maskedUrl(s.url()), attempt, error, delay);
        }
    }

    /**
     * The delay after the {@code failures}-th failed attempt: {@code base x 2^(failures-1)}, at most the cap, of
     * which the upper half is random (jitter, so receivers coming back are not hit by every retry at once).
     */
    Duration backoff(int failures) {
        long cap = settings.retryCap().toMillis();
        long full = settings.retryBase().toMillis();
        for (int i = 1; i < failures && full < cap; i++) {
            full *= 2;
        }
        full = Math.min(full, cap);
        long half = full / 2;
        return Duration.ofMillis(full - half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
