package io.musubi.broker.internal;

import io.musubi.api.Health;
import io.musubi.api.HealthContributor;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.qpid.jms.JmsConnectionFactory;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's pooled JMS connection factory to the embedded broker, registered with {@code musubi.broker=hub};
 * the Camel runtime binds it as the {@code broker} component of every context. Also reports the broker's
 * health by opening a fresh connection (cached for a second).
 */
@Component(service = {ConnectionFactory.class, HealthContributor.class},
        property = {"musubi.broker=hub", HealthContributor.NAME_PROPERTY + "=broker"},
        configurationPid = "io.musubi.broker", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = BrokerConfiguration.class)
public final class HubConnectionFactory implements ConnectionFactory, HealthContributor {

    private static final Logger LOG = LoggerFactory.getLogger(HubConnectionFactory.class);
    private static final Duration HEALTH_CACHE = Duration.ofSeconds(1);

    private final JmsConnectionFactory direct;
    private final JmsPoolConnectionFactory pool;
    private final String endpoint;
    private volatile Health lastHealth = Health.down("not checked yet");
    private volatile long lastCheckNanos;

    @Activate
    public HubConnectionFactory(BrokerConfiguration config) throws IOException {
        String etc = System.getProperty("karaf.etc", "etc");
        Path secret = Path.of(etc).resolve(config.secretFile());
        BrokerCredentials credentials = BrokerCredentials.ensure(secret, Path.of(etc, "users.properties"), config.user());
        this.endpoint = config.host() + ":" + config.port();
        String uri = "amqp://" + config.host() + ":" + config.port()
                + "?transport.connectTimeout=" + config.connectTimeoutMillis();
        this.direct = new JmsConnectionFactory(credentials.user(), credentials.password(), uri);
        this.direct.setCloseLinksThatFailOnReconnect(false);
        this.pool = new JmsPoolConnectionFactory();
        this.pool.setConnectionFactory(direct);
        this.pool.setMaxConnections(config.maxConnections());
        this.pool.setUseAnonymousProducers(true);
        LOG.info("Broker client for amqp://{} as user {}", endpoint, credentials.user());
    }

    @Deactivate
    void deactivate() {
        pool.stop();
    }

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public Health health() {
        long now = System.nanoTime();
        if (now - lastCheckNanos < HEALTH_CACHE.toNanos()) {
            return lastHealth;
        }
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
    public Connection createConnection() throws JMSException {
        return pool.createConnection();
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return pool.createConnection(userName, password);
    }

    @Override
    public JMSContext createContext() {
        return pool.createContext();
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return pool.createContext(userName, password);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        return pool.createContext(userName, password, sessionMode);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return pool.createContext(sessionMode);
    }

    @Override
    public String toString() {
        return "HubConnectionFactory[amqp://" + endpoint + "]";
    }
}
