package io.musubi.broker.internal;

import io.musubi.api.Health;
import io.musubi.api.HealthContributor;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;

import org.apache.qpid.jms.JmsConnectionFactory;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's connection to the embedded broker.
 *
 * <p>The pooled {@code ConnectionFactory} service ({@code musubi.broker=hub}) is registered only once the
 * broker accepted a first connection: everything that needs the broker (the Camel runtime and through it
 * every route) waits for it as a mandatory reference, so nothing starts against a broker that is not
 * listening yet (on a warm start Karaf may start our bundles before Artemis). The broker's health is
 * reported from the start, DOWN until the broker answers.
 *
 * <p>The hub user's secret goes into {@code users.properties} the way Karaf's JAAS realm expects it
 * ({@link RealmSettings}, {@link RealmPasswordFormat}).
 */
@Component(service = HealthContributor.class, immediate = true,
        property = HealthContributor.NAME_PROPERTY + "=broker",
        configurationPid = "io.musubi.broker", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = BrokerConfiguration.class)
public final class BrokerClient implements HealthContributor {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerClient.class);
    private static final Duration HEALTH_CACHE = Duration.ofSeconds(1);
    private static final long PROBE_INTERVAL_MILLIS = 250;
    private static final int STARTUP_RECONNECT_ATTEMPTS = 10;

    private final BundleContext bundleContext;
    private final JmsConnectionFactory direct;
    private final JmsPoolConnectionFactory pool;
    private final String endpoint;
    private final String host;
    private final int port;
    private final Thread probe;
    private volatile boolean active = true;
    private volatile ServiceRegistration<ConnectionFactory> registration;
    private volatile Health lastHealth = Health.down("broker not reached yet");
    private volatile long lastCheckNanos;

    @Activate
    public BrokerClient(BundleContext bundleContext, BrokerConfiguration config, @Reference RealmSettings realm)
            throws IOException {
        this.bundleContext = bundleContext;
        String etc = System.getProperty("karaf.etc", "etc");
        Path secret = Path.of(etc).resolve(config.secretFile());
        Path users = Path.of(etc, "users.properties");
        RealmPasswordFormat format = realm.passwordFormat();
        BrokerCredentials credentials = BrokerCredentials.ensure(secret, users, config.user(), format);
        logEntry(credentials, users, format);
        this.host = config.host();
        this.port = config.port();
        this.endpoint = config.host() + ":" + config.port();
        String amqp = "amqp://" + config.host() + ":" + config.port()
                + "?transport.connectTimeout=" + config.connectTimeoutMillis();
        // Health and the start-up probe use plain connections: they must see the broker as it is.
        this.direct = new JmsConnectionFactory(credentials.user(), credentials.password(), amqp);
        // The hub's traffic uses the failover transport: when the broker goes away and comes back, qpid-jms
        // reconnects and restores consumers and producers by itself; a transaction in doubt is rolled back and
        // redelivered (the ingress is idempotent), and a send waits for the broker instead of failing. A connection
        // that never reached the broker gives up after a bounded number of attempts (about 25 s) instead: a
        // route starting while the hub stops (broker already gone) must fail its start, not retry for ever and
        // keep the JVM from exiting; Camel's listener container retries such a consumer itself.
        String failover = "failover:(" + amqp + ")?failover.initialReconnectDelay=100&failover.reconnectDelay=250"
                + "&failover.maxReconnectDelay=5000&failover.useReconnectBackOff=true&failover.maxReconnectAttempts=-1"
                + "&failover.startupMaxReconnectAttempts=" + STARTUP_RECONNECT_ATTEMPTS;
        JmsConnectionFactory resilient = new JmsConnectionFactory(credentials.user(), credentials.password(), failover);
        this.pool = new JmsPoolConnectionFactory();
        this.pool.setConnectionFactory(resilient);
        this.pool.setMaxConnections(config.maxConnections());
        this.pool.setUseAnonymousProducers(true);
        LOG.info("Broker client for amqp://{} as user {}", endpoint, credentials.user());
        this.probe = new Thread(this::awaitBrokerThenRegister, "musubi-broker-probe");
        this.probe.setDaemon(true);
        this.probe.start();
    }

    private static void logEntry(BrokerCredentials credentials, Path users, RealmPasswordFormat format) {
        if (credentials.entry() != BrokerCredentials.Entry.UNCHANGED) {
            LOG.info("Broker user {} {} {} (secret stored as {}; the file is owner-only)", credentials.user(),
                    credentials.entry() == BrokerCredentials.Entry.ADDED ? "added to" : "updated in", users, format);
        }
        if (!format.hashes() && !format.encryptedByRealm()) {
            LOG.warn("Karaf's JAAS realm does not hash passwords ({}): the broker user's secret is stored in plain text"
                    + " in {} (owner-only). Set encryption.enabled = true in etc/{}.cfg", format, users, RealmSettings.PID);
        }
    }

    private void awaitBrokerThenRegister() {
        long attempts = 0;
        while (active) {
            attempts++;
            // A plain TCP connect first: qpid logs every refused AMQP connection as an ERROR, and a booting
            // broker refuses many.
            Health h = portOpen() ? check() : Health.down("broker port not open yet");
            if (h.status() == Health.Status.UP) {
                register(attempts);
                return;
            }
            if (attempts % 40 == 0) {
                LOG.warn("Broker at amqp://{} still not reachable after {} attempts", endpoint, attempts);
            }
            try {
                Thread.sleep(PROBE_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Registers the hub's connection factory. Registering starts, on this thread, everything that waits for the
     * broker (the Camel runtime and its routes), which can take long or block while the broker goes away: no lock
     * is held meanwhile, so a concurrent {@link #deactivate()} is never stuck behind it (a stop right after a cold
     * start hung there). A registration that lost the race with deactivation is withdrawn at once.
     */
    private void register(long attempts) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("musubi.broker", "hub");
        ServiceRegistration<ConnectionFactory> created = bundleContext.registerService(ConnectionFactory.class,
                new PooledConnectionFactory(pool, endpoint), props);
        synchronized (this) {
            if (active) {
                registration = created;
                LOG.info("Broker at amqp://{} reachable after {} attempt(s); hub connection factory registered",
                        endpoint, attempts);
                return;
            }
        }
        unregisterQuietly(created);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        ServiceRegistration<ConnectionFactory> withdrawn;
        synchronized (this) {
            active = false;
            withdrawn = registration;
            registration = null;
        }
        if (withdrawn != null) {
            unregisterQuietly(withdrawn);
        }
        pool.stop();
        probe.interrupt();
        probe.join(5_000);
    }

    private static void unregisterQuietly(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and the framework withdrew it already
        }
    }

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public Health health() {
        if (System.nanoTime() - lastCheckNanos < HEALTH_CACHE.toNanos()) {
            return lastHealth;
        }
        return check();
    }

    private boolean portOpen() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens a fresh (unpooled) connection: the truth about the broker, not about the pool. */
    private Health check() {
        Health h;
        try (Connection c = direct.createConnection()) {
            c.start();
            h = new Health(Health.Status.UP, "AMQP broker reachable", Map.of("endpoint", endpoint));
        } catch (JMSException | RuntimeException e) {
            h = new Health(Health.Status.DOWN, "AMQP broker unreachable: " + e.getClass().getSimpleName(),
                    Map.of("endpoint", endpoint));
        }
        lastHealth = h;
        lastCheckNanos = System.nanoTime();
        return h;
    }

    @Override
    public String toString() {
        return "BrokerClient[amqp://" + endpoint + "]";
    }
}
