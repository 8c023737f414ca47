package io.musubi.connector.webchat.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.musubi.api.Health;
import io.musubi.camel.ConnectorRoutes;
import io.musubi.camel.ConnectorServices;
import io.musubi.camel.MusubiCamel;
import io.musubi.camel.MusubiRouteBuilder;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.OutboundMessage;
import io.musubi.model.ScopedId;
import io.musubi.spi.Connector;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.DeliveryReceipt;
import io.musubi.spi.DeliveryStatus;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.LiveChannel;
import io.musubi.spi.LiveSignal;
import io.musubi.spi.RetryableDeliveryException;

import jakarta.servlet.Servlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.camel.RoutesBuilder;
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
 * One web chat instance per factory configuration ({@code etc/io.musubi.connector.webchat-<name>.cfg}): the visitor
 * endpoints at {@code /webchat/<id>/} (a servlet on the HTTP whiteboard), the egress route that delivers agents'
 * replies into visitors' transcripts and open streams, and the {@link LiveChannel} through which the hub relays
 * typing and WebRTC signalling between an agent and a visitor. The token key is generated on first start into an
 * owner-only file; there is no default credential.
 */
@Component(service = {}, immediate = true, configurationPid = WebchatConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = WebchatConfiguration.class, factory = true)
public final class WebchatConnector implements Connector, LiveChannel {

    static final String TYPE = "webchat";
    private static final Logger LOG = LoggerFactory.getLogger(WebchatConnector.class);

    private final String id;
    private final String tenantId;
    private final WebchatConfiguration config;
    private final IngressGateway ingress;
    private final Clock clock = Clock.systemUTC();
    private final ConnectorStatus status = new ConnectorStatus();
    private final WebchatMapper mapper;
    private final Visitors visitors;
    private final RtcServers rtc;
    private final ExecutorService streamThreads;
    private final ScheduledExecutorService sweeper;
    private final ServiceRegistration<Servlet> servlet;
    private final ServiceRegistration<LiveChannel> live;
    private final ConnectorServices services;

    @Activate
    public WebchatConnector(BundleContext bundleContext, WebchatConfiguration config,
                            @Reference IngressGateway ingress) throws IOException {
        this.config = config;
        this.ingress = ingress;
        this.id = config.id();
        MusubiCamel.egressQueue(id); // validates the id
        this.tenantId = config.tenantId();
        if (!ScopedId.isValidTenant(tenantId)) {
            throw new IllegalArgumentException("tenantId: lower-case letters, digits and '-', 1 to 40");
        }
        String queue = localQueue("queue", config.queue());
        this.mapper = new WebchatMapper(id, tenantId, queue, localQueue("videoQueue", config.videoQueue()),
                config.maxMessageChars());
        Path etc = Path.of(System.getProperty("karaf.etc", "etc"));
        Path keyFile = etc.resolve(config.tokenKeyFile().isBlank() ? "musubi/webchat-" + id + ".key"
                : config.tokenKeyFile().strip());
        byte[] key = KeyFiles.ensure(keyFile);
        if (!KeyFiles.isOwnerOnly(keyFile)) {
            LOG.warn("Web chat {}: the token key file {} is readable by others than its owner", id, keyFile);
        }
        VisitorTokens tokens = new VisitorTokens(key, tenantId + "/" + id, clock,
                Duration.ofMinutes(config.tokenMinutes()));
        byte[] turnSecret = config.turnSecretFile().isBlank() ? null
                : KeyFiles.read(etc.resolve(config.turnSecretFile().strip()));
        ObjectMapper json = new ObjectMapper();
        this.rtc = new RtcServers(config.iceServers().split(","), turnSecret, Duration.ofSeconds(config.turnTtlSeconds()), clock,
                json);
        Path data = Path.of(System.getProperty("karaf.data", "data"));
        this.visitors = new Visitors(data.resolve("webchat").resolve(id).resolve("transcripts"),
                Duration.ofHours(config.transcriptHours()), clock, json, config.maxStreams());
        WebchatApi api = new WebchatApi(id, tokens, visitors, mapper, ingress, rtc, status, clock, json,
                config.maxMessageChars(), config.sessionsPerMinute(), config.messagesPerSecond());
        this.streamThreads = Executors.newCachedThreadPool(threads("musubi-webchat-" + id + "-stream-"));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(threads("musubi-webchat-" + id + "-sweep-"));
        sweeper.scheduleWithFixedDelay(visitors::sweep, 0, 10, TimeUnit.MINUTES);

        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", "/webchat/" + id + "/*");
        props.put("osgi.http.whiteboard.servlet.name", "musubi-webchat-" + id);
        props.put("osgi.http.whiteboard.servlet.asyncSupported", Boolean.TRUE);
        this.servlet = bundleContext.registerService(Servlet.class,
                new WebchatServlet(api, visitors, streamThreads, clock), props);
        status.up("serving /webchat/" + id + "/");
        Hashtable<String, Object> liveProps = new Hashtable<>();
        liveProps.put(Connector.ID_PROPERTY, id);
        this.live = bundleContext.registerService(LiveChannel.class, this, liveProps);
        this.services = ConnectorServices.register(bundleContext, this, this::routes, null);
        LOG.info("Web chat {} of tenant {} at /webchat/{}/ (chat queue {}, ICE servers {})", id, tenantId, id,
                queue.isEmpty() ? "default" : queue, rtc.describe());
    }

    private static String localQueue(String field, String value) {
        String v = value == null ? "" : value.strip();
        if (!v.isEmpty() && !ScopedId.isValidLocal(v)) {
            throw new IllegalArgumentException(field + ": not a queue id");
        }
        return v;
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Deactivate
    void deactivate() {
        services.close();
        live.unregister();
        try {
            servlet.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
        sweeper.shutdownNow();
        streamThreads.shutdownNow();
    }

    RoutesBuilder routes() {
        return new MusubiRouteBuilder() {
            @Override
            protected void routes() {
                // Replies wait durably in this instance's egress queue while it is away.
                ConnectorRoutes.egress(this, TYPE, id, WebchatConnector.this::deliver, ingress, status, clock);
            }
        };
    }

    /** An agent's reply: into the visitor's transcript, and to the visitor's open streams. */
    DeliveryReceipt deliver(OutboundMessage message) {
        WebchatMapper.Line line = mapper.toExternal(message);
        boolean online = visitors.isConnected(line.visitorId());
        try {
            visitors.append(line.visitorId(), line.id(), line.direction(), line.text(), line.attachments(), line.at());
        } catch (UncheckedIOException e) {
            throw new RetryableDeliveryException("transcript not writable", null, e);
        }
        return new DeliveryReceipt(online ? DeliveryStatus.DELIVERED : DeliveryStatus.QUEUED, line.id(), Map.of());
    }

    // ------------------------------------------------------------------ LiveChannel

    @Override
    public boolean send(String tenant, Address customer, LiveSignal signal) {
        if (!tenantId.equals(tenant) || !"webchat".equals(customer.scheme())
                || !VisitorTokens.VISITOR_ID.matcher(customer.value()).matches()) {
            return false;
        }
        return visitors.toVisitor(customer.value(), signal) > 0;
    }

    @Override
    public Subscription subscribe(String tenant, Address customer, Consumer<LiveSignal> listener) {
        if (!tenantId.equals(tenant) || !"webchat".equals(customer.scheme())
                || !VisitorTokens.VISITOR_ID.matcher(customer.value()).matches()) {
            return () -> { };
        }
        listener.accept(new LiveSignal("rtc.config", "", rtc.configuration("agent-" + customer.value()).toString()));
        return visitors.subscribe(customer.value(), listener);
    }

    // ------------------------------------------------------------------ Connector

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Channel channel() {
        return Channel.WEBCHAT;
    }

    @Override
    public Map<String, Long> counters() {
        return status.counters();
    }

    @Override
    public Health health() {
        Health h = status.health();
        Map<String, String> details = new TreeMap<>(h.details());
        details.put("streams", Integer.toString(visitors.openStreams()));
        return new Health(h.status(), h.detail(), details);
    }

    @Override
    public Map<String, String> describeConfiguration() {
        Map<String, String> out = new TreeMap<>();
        out.put("id", id);
        out.put("tenantId", tenantId);
        out.put("path", "/webchat/" + id + "/");
        out.put("queue", config.queue());
        out.put("videoQueue", config.videoQueue());
        out.put("tokenMinutes", Integer.toString(config.tokenMinutes()));
        out.put("tokenKey", "****");
        out.put("maxMessageChars", Integer.toString(config.maxMessageChars()));
        out.put("transcriptHours", Integer.toString(config.transcriptHours()));
        out.put("maxStreams", Integer.toString(config.maxStreams()));
        out.put("iceServers", rtc.describe());
        return out;
    }

    @Override
    public String toString() {
        return "WebchatConnector[id=" + id + ", tenant=" + tenantId + "]";
    }
}
