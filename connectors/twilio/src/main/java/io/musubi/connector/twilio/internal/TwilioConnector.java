package io.musubi.connector.twilio.internal;

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

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
 * One Twilio account's numbers per factory configuration ({@code etc/io.musubi.connector.twilio-<name>.cfg},
 * docs/connectors/twilio.md): the webhook {@code /webhooks/twilio/<id>} (incoming SMS/MMS, status callbacks), the
 * egress route (replies through the Messages API, never sent twice) and the media route (MMS media fetched after the
 * webhook was answered, from the durable queue {@code musubi.connector.<id>.media}).
 *
 * <p>A configuration that cannot work (no account SID, no public base URL, a malformed SID or number) does not stop
 * the instance: it registers, reports DOWN with what is wrong, refuses webhooks (403) and keeps replies queued.
 */
@Component(service = {}, immediate = true, configurationPid = "io.musubi.connector.twilio",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = TwilioConfiguration.class, factory = true)
public final class TwilioConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(TwilioConnector.class);

    private final String id;
    private final TwilioConfiguration config;
    private final SecretSource authToken;
    private final SecretSource apiKeySecret;
    private final List<String> problems;
    private final Optional<String> publicBaseUrl;
    private final List<String> fromNumbers;
    private final ConnectorStatus status = new ConnectorStatus();
    private final TwilioApi api;
    private final TwilioSender sender;
    private final MediaFetcher fetcher;
    private final ConnectorJobs<MediaJob> mediaJobs;
    private final IngressGateway ingress;
    private final ScheduledExecutorService housekeeping;
    private final ConnectorServices services;
    private volatile boolean wasDown;

    /** How long a secret read is used before it is read again (an operator rotating the token replaces the file). */
    static final Duration SECRET_MAX_AGE = Duration.ofSeconds(30);

    @Activate
    public TwilioConnector(BundleContext bundleContext, TwilioConfiguration config, @Reference IngressGateway ingress,
                           @Reference ContentStore contentStore,
                           @Reference(target = "(musubi.broker=hub)") ConnectionFactory broker) {
        this.config = config;
        this.id = config.id();
        this.ingress = ingress;
        MusubiCamel.egressQueue(id); // validates the id
        Path etc = Path.of(System.getProperty("karaf.etc", "etc"));
        this.authToken = secret("authToken", config.authTokenFile(), config.authTokenEnv(), etc,
                System.getenv(), false);
        this.apiKeySecret = secret("apiKeySecret", config.apiKeySecretFile(), config.apiKeySecretEnv(), etc,
                System.getenv(), config.apiKeySid().isBlank());
        this.problems = new ArrayList<>();
        this.publicBaseUrl = publicBaseUrl(config.publicBaseUrl(), problems);
        this.fromNumbers = fromNumbers(config.fromNumbers(), problems);
        check(config, problems);

        Clock clock = Clock.systemUTC();
        TwilioMapper mapper = new TwilioMapper(new TwilioMapper.Settings(id, config.tenantId(), config.queue(),
                config.accountSid().strip(), config.messagingServiceSid(), fromNumbers,
                config.statusCallbacks() ? publicBaseUrl.map(b -> b + "/webhooks/twilio/" + id).orElse("") : ""),
                contentStore);
        this.api = new TwilioApi(config.apiBaseUrl(), config.accountSid().strip(), config.apiKeySid(), authToken,
                apiKeySecret, Duration.ofSeconds(Math.max(1, config.requestTimeoutSeconds())));
        OutboundLedger ledger = new OutboundLedger(stateDirectory(config), clock);
        this.sender = new TwilioSender(mapper, api, ledger, status, clock,
                Duration.ofSeconds(Math.max(0, config.settleSeconds())));
        this.fetcher = new MediaFetcher(id, api, contentStore, ingress, status, Math.max(1, config.mediaMaxBytes()),
                clock);
        this.mediaJobs = new ConnectorJobs<>(broker, id, "media", MediaJob::encode, MediaJob::key);
        this.wasDown = checkReady(true);
        TwilioWebhook webhook = new TwilioWebhook(authToken, () -> publicBaseUrl, mapper, ledger, mediaJobs, status,
                clock, Math.max(1024, config.maxWebhookBytes()));

        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "musubi-twilio-ledger-" + id);
            t.setDaemon(true);
            return t;
        });
        Duration retention = Duration.ofDays(Math.max(1, config.ledgerRetentionDays()));
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                int removed = ledger.prune(clock.instant().minus(retention));
                if (removed > 0) {
                    LOG.info("Twilio connector {}: {} outbound records older than {} days pruned", id, removed,
                            retention.toDays());
                }
            } catch (RuntimeException e) {
                LOG.warn("Twilio connector {}: the outbound ledger could not be pruned: {}", id,
                        e.getClass().getSimpleName());
            }
        }, 1, 360, TimeUnit.MINUTES);

        this.services = ConnectorServices.register(bundleContext, this, this::createRoutes, webhook);
        LOG.info("Twilio connector {} ready at /webhooks/twilio/{} (tenant {})", id, id, config.tenantId());
    }

    private static Path stateDirectory(TwilioConfiguration config) {
        String configured = config.stateDirectory().isBlank() ? "twilio/" + config.id() : config.stateDirectory();
        Path dir = Path.of(configured);
        if (!dir.isAbsolute()) {
            dir = Path.of(System.getProperty("karaf.data", "data")).resolve(dir);
        }
        return dir.toAbsolutePath().normalize();
    }

    /** The public base URL without a trailing slash; empty (with a problem) when it is missing or not usable. */
    static Optional<String> publicBaseUrl(String configured, List<String> problems) {
        String url = configured == null ? "" : configured.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (url.isEmpty()) {
            problems.add("publicBaseUrl is not set");
            return Optional.empty();
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                problems.add("publicBaseUrl must be http(s)://host[:port][/prefix] without query or fragment");
                return Optional.empty();
            }
        } catch (java.net.URISyntaxException e) {
            problems.add("publicBaseUrl is not a URL");
            return Optional.empty();
        }
        return Optional.of(url);
    }

    /** The configured numbers (a .cfg gives them as one comma-separated value), each E.164. */
    static List<String> fromNumbers(String[] configured, List<String> problems) {
        List<String> out = new ArrayList<>();
        for (String value : configured == null ? new String[0] : configured) {
            for (String n : value.split(",")) {
                String number = n.strip();
                if (number.isEmpty()) {
                    continue;
                }
                if (!number.matches("\\+[1-9][0-9]{1,14}")) {
                    problems.add("fromNumbers holds a number that is not E.164");
                    continue;
                }
                out.add(number);
            }
        }
        return List.copyOf(out);
    }

    private static void check(TwilioConfiguration config, List<String> problems) {
        if (!config.accountSid().strip().matches("AC[0-9a-fA-F]{32}")) {
            problems.add(config.accountSid().isBlank() ? "accountSid is not set"
                    : "accountSid is not an account SID (AC + 32 hex digits)");
        }
        if (!config.messagingServiceSid().isBlank() && !config.messagingServiceSid().strip()
                .matches("MG[0-9a-fA-F]{32}")) {
            problems.add("messagingServiceSid is not a Messaging Service SID (MG + 32 hex digits)");
        }
        if (!config.apiKeySid().isBlank() && !config.apiKeySid().strip().matches("SK[0-9a-fA-F]{32}")) {
            problems.add("apiKeySid is not an API key SID (SK + 32 hex digits)");
        }
        try {
            URI api = new URI(config.apiBaseUrl().strip());
            if (api.getScheme() == null || api.getHost() == null) {
                problems.add("apiBaseUrl is not an absolute URL");
            }
        } catch (java.net.URISyntaxException e) {
            problems.add("apiBaseUrl is not a URL");
        }
    }

    /**
     * Checks the configuration and reads the secrets again (a file replaced, removed or opened to others is seen at
     * once), so that health tells what is missing.
     *
     * @return whether something is missing
     */
    private boolean checkReady(boolean initially) {
        List<String> missing = new ArrayList<>(problems);
        if (authToken.refresh() == null) {
            missing.add("auth token not available: " + authToken.problem());
        }
        if (!apiKeySecret.isOptional() && apiKeySecret.refresh() == null) {
            missing.add("API key secret not available: " + apiKeySecret.problem());
        }
        if (missing.isEmpty()) {
            if (initially) {
                status.up("ready");
            }
            return false;
        }
        status.down(String.join("; ", missing));
        return true;
    }

    @Deactivate
    void deactivate() {
        services.close();
        housekeeping.shutdownNow();
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
                ConnectorRoutes.egress(this, TwilioMapper.TYPE, id, message -> {
                    if (!problems.isEmpty()) {
                        // A configuration that cannot work keeps replies queued until it is fixed.
                        throw new RetryableDeliveryException("the connector's configuration is incomplete",
                                TwilioSender.CREDENTIALS_RETRY, null);
                    }
                    return sender.deliver(message);
                }, ingress, status, Clock.systemUTC());

                // MMS media named by webhooks, fetched after Twilio got its answer; a job leaves the queue once stored
                // or recorded as unavailable, and waits here while Twilio or the connector is away.
                mediaJobs.route(this, TwilioMapper.TYPE, MediaJob::decode, fetcher::fetch, status);
            }
        };
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return TwilioMapper.TYPE;
    }

    @Override
    public Channel channel() {
        return Channel.SMS;
    }

    @Override
    public Map<String, Long> counters() {
        return status.counters();
    }

    @Override
    public Health health() {
        boolean down = checkReady(false);
        if (!down && wasDown) {
            status.up("ready"); // the operator put the secrets in place
        }
        wasDown = down;
        return status.health();
    }

    /** The configuration without secrets (where they come from, never what they are). */
    @Override
    public Map<String, String> describeConfiguration() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("tenantId", config.tenantId());
        out.put("webhookPath", "/webhooks/twilio/" + id);
        out.put("publicBaseUrl", publicBaseUrl.orElse(""));
        out.put("accountSid", config.accountSid().strip());
        out.put("authToken", "**** (" + authToken.source() + ")");
        out.put("apiKeySid", config.apiKeySid().strip());
        out.put("apiKeySecret", apiKeySecret.configured() ? "**** (" + apiKeySecret.source() + ")" : "");
        out.put("messagingServiceSid", config.messagingServiceSid().strip());
        out.put("fromNumbers", String.join(",", fromNumbers));
        out.put("statusCallbacks", Boolean.toString(config.statusCallbacks()));
        out.put("queue", config.queue());
        out.put("apiBaseUrl", api.base().toString());
        out.put("mediaMaxBytes", Long.toString(config.mediaMaxBytes()));
        out.put("maxWebhookBytes", Integer.toString(config.maxWebhookBytes()));
        out.put("maxRedeliveries", Integer.toString(config.maxRedeliveries()));
        return out;
    }

    /** A secret of the connector (the auth token, an API key's secret), read again after {@link #SECRET_MAX_AGE}. */
    static SecretSource secret(String name, String file, String env, Path etcDir, Map<String, String> environment,
                               boolean optional) {
        return SecretSource.of(name, file, env, etcDir, environment::get).optional(optional).keptFor(SECRET_MAX_AGE);
    }
}
