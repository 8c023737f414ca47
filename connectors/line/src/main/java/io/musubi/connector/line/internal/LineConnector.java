package io.musubi.connector.line.internal;

import io.musubi.api.Health;
import io.musubi.camel.ConnectorJobs;
import io.musubi.camel.ConnectorRoutes;
import io.musubi.camel.ConnectorServices;
import io.musubi.camel.MusubiCamel;
import io.musubi.camel.MusubiRouteBuilder;
import io.musubi.model.Channel;
import io.musubi.spi.Connector;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.ContentStore;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.RetryableDeliveryException;
import io.musubi.spi.SecretSource;

import jakarta.jms.ConnectionFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LINE channel per factory configuration ({@code etc/io.musubi.connector.line-<name>.cfg}, docs/connectors/line.md):
 * the webhook {@code /webhooks/line/<id>}, the egress route (replies by reply token or push) and the content route
 * (media fetched after the webhook was answered, from the durable queue {@code musubi.connector.<id>.content}).
 */
@Component(service = {}, immediate = true, configurationPid = "io.musubi.connector.line",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = LineConfiguration.class, factory = true)
public final class LineConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(LineConnector.class);

    private final String id;
    private final String tenantId;
    private final LineConfiguration config;
    private final SecretSource channelSecret;
    private final SecretSource accessToken;
    private final ConnectorStatus status = new ConnectorStatus();
    private final LineApi api;
    private final LineMapper mapper;
    private final LineSender sender;
    private final ContentFetcher fetcher;
    private final ConnectorJobs<ContentJob> contentJobs;
    private final IngressGateway ingress;
    private final ConnectorServices services;
    private volatile boolean secretsMissing;

    @Activate
    public LineConnector(BundleContext bundleContext, LineConfiguration config, @Reference IngressGateway ingress,
                         @Reference ContentStore contentStore,
                         @Reference(target = "(musubi.broker=hub)") ConnectionFactory broker) {
        this.config = config;
        this.id = config.id();
        this.tenantId = config.tenantId();
        this.ingress = ingress;
        MusubiCamel.egressQueue(id); // validates the id
        Path etc = Path.of(System.getProperty("karaf.etc", "etc"));
        this.channelSecret = secret("channelSecret", config.channelSecretFile(), config.channelSecretEnv(), etc,
                System.getenv());
        this.accessToken = secret("channelAccessToken", config.channelAccessTokenFile(),
                config.channelAccessTokenEnv(), etc, System.getenv());
        Clock clock = Clock.systemUTC();
        this.api = new LineApi(config.apiBaseUrl(), config.dataApiBaseUrl(), accessToken,
                Duration.ofSeconds(Math.max(1, config.requestTimeoutSeconds())));
        this.mapper = new LineMapper(id, tenantId, config.queue(), contentStore,
                Duration.ofSeconds(Math.max(0, config.replyTokenValiditySeconds())));
        this.sender = new LineSender(mapper, api, accessToken, new ReplyTokens(), status, clock,
                Duration.ofSeconds(Math.max(0, config.replyTokenMarginSeconds())));
        this.fetcher = new ContentFetcher(id, api, accessToken, contentStore, ingress, status,
                Math.max(1, config.contentMaxBytes()), clock);
        this.contentJobs = new ConnectorJobs<>(broker, id, "content", ContentJob::encode, ContentJob::eventId);
        this.secretsMissing = checkSecrets(true);
        LineWebhook webhook = new LineWebhook(channelSecret, mapper, contentJobs, status,
                Math.max(1024, config.maxWebhookBytes()));
        this.services = ConnectorServices.register(bundleContext, this, this::createRoutes, webhook);
        LOG.info("LINE connector {} ready at /webhooks/line/{} (tenant {})", id, id, tenantId);
    }

    /**
     * Reads both secrets (a missing one again each time), so that health tells what is missing.
     *
     * @param initially whether this is the first check (UP when both are there)
     * @return whether one is missing
     */
    private boolean checkSecrets(boolean initially) {
        boolean secret = channelSecret.bytes().isPresent();
        boolean token = accessToken.bytes().isPresent();
        if (secret && token) {
            if (initially) {
                status.up("ready");
            }
            return false;
        }
        status.down((secret ? "" : "channel secret not available: " + channelSecret.problem())
                + (secret || token ? "" : "; ")
                + (token ? "" : "channel access token not available: " + accessToken.problem()));
        return true;
    }

    @Deactivate
    void deactivate() {
        services.close();
        api.close();
    }

    RoutesBuilder createRoutes() {
        return new MusubiRouteBuilder() {
            @Override
            protected int maximumRedeliveries() {
                return Math.max(0, config.maxRedeliveries());
            }

            @Override
            protected long maximumRedeliveryDelayMillis() {
                return Math.max(1, config.maxRedeliveryDelaySeconds()) * 1000L;
            }

            @Override
            protected void onMalformed(Exchange exchange, MalformedInputException cause) {
                status.increment(ConnectorStatus.MALFORMED);
            }

            @Override
            protected void routes() {
                ConnectorRoutes.egress(this, LineMapper.TYPE, id, sender, ingress, status, Clock.systemUTC());

                // Media named by webhooks, fetched after LINE got its answer; a job leaves the queue once stored or
                // recorded as unavailable, and waits here while LINE or the connector is away.
                contentJobs.route(this, LineMapper.TYPE, ContentJob::decode, fetcher::fetch, status);
            }
        };
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return LineMapper.TYPE;
    }

    @Override
    public Channel channel() {
        return Channel.LINE;
    }

    @Override
    public Map<String, Long> counters() {
        return status.counters();
    }

    @Override
    public Health health() {
        boolean missing = checkSecrets(false);
        if (!missing && secretsMissing) {
            status.up("ready"); // the operator put the secrets in place
        }
        secretsMissing = missing;
        return status.health();
    }

    /** The configuration without secrets (where they come from, never what they are). */
    @Override
    public Map<String, String> describeConfiguration() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("tenantId", tenantId);
        out.put("webhookPath", "/webhooks/line/" + id);
        out.put("apiBaseUrl", config.apiBaseUrl());
        out.put("dataApiBaseUrl", config.dataApiBaseUrl());
        out.put("queue", config.queue());
        out.put("channelSecret", "**** (" + channelSecret.source() + ")");
        out.put("channelAccessToken", "**** (" + accessToken.source() + ")");
        out.put("maxWebhookBytes", Integer.toString(config.maxWebhookBytes()));
        out.put("contentMaxBytes", Long.toString(config.contentMaxBytes()));
        out.put("replyTokenValiditySeconds", Long.toString(config.replyTokenValiditySeconds()));
        out.put("maxRedeliveries", Integer.toString(config.maxRedeliveries()));
        return out;
    }

    /**
     * A secret (the channel secret, the channel access token), read when first needed and again after
     * {@link SecretSource#forget()} (LINE refused it: the operator may have replaced the file).
     */
    static SecretSource secret(String name, String file, String env, Path etcDir, Map<String, String> environment) {
        return SecretSource.of(name, file, env, etcDir, environment::get);
    }
}
