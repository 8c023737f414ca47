package io.musubi.connector.demo.internal;

import io.musubi.api.Health;
import io.musubi.camel.InboundEventCodec;
import io.musubi.camel.MusubiCamel;
import io.musubi.camel.MusubiRouteBuilder;
import io.musubi.camel.OutboundMessageCodec;
import io.musubi.camel.RouteContribution;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.OutboundMessage;
import io.musubi.spi.Connector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One demo connector instance per factory configuration ({@code etc/io.musubi.connector.demo~<name>.cfg}).
 * A file is moved to {@code .done} only after the broker accepted the message, so nothing is lost when
 * the bundle is stopped or updated mid-stream; a file read twice has the same event id and is dropped by
 * the ingress pipeline. A file that cannot be forwarded (broker unreachable) stays in the inbox and is
 * retried at the next poll; one that cannot be mapped goes to the dead-letter queue with the reason.
 */
@Component(service = Connector.class, configurationPid = "io.musubi.connector.demo",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DemoConfiguration.class, factory = true)
public final class DemoConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(DemoConnector.class);

    private final String id;
    private final Path directory;
    private final DemoOutbox outbox;
    private final long pollMillis;
    private final DemoFileMapper mapper;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final ServiceRegistration<RouteContribution> routes;

    @Activate
    public DemoConnector(BundleContext bundleContext, DemoConfiguration config) throws Exception {
        this.id = config.id();
        MusubiCamel.egressQueue(id); // validates the id
        this.directory = underData(config.directory());
        Files.createDirectories(directory);
        this.outbox = new DemoOutbox(underData(config.outbox()));
        this.pollMillis = Math.max(10, config.pollMillis());
        this.mapper = new DemoFileMapper(id, config.tenantId(), Address.parse(config.from()));
        this.routes = bundleContext.registerService(RouteContribution.class, this::createRoutes,
                new java.util.Hashtable<>(Map.of(MusubiCamel.CONTEXT_PROPERTY, "connector." + id)));
        LOG.info("Demo connector {} watching {}", id, directory);
    }

    private static Path underData(String configured) {
        Path dir = Path.of(configured);
        if (!dir.isAbsolute()) {
            dir = Path.of(System.getProperty("karaf.data", "data")).resolve(dir);
        }
        return dir.toAbsolutePath().normalize();
    }

    @Deactivate
    void deactivate() {
        routes.unregister();
    }

    RoutesBuilder createRoutes() {
        return new MusubiRouteBuilder() {
            @Override
            protected void routes() {
                // The URI is built from typed configuration only; the directory was normalised above.
                fromF("file:%s?include=.*\\.txt&move=.done&readLock=none&delay=%d"
                        + "&sortBy=file:name&maxMessagesPerPoll=100", directory, pollMillis)
                        .routeId("musubi.demo." + id + ".ingress")
                        .process(exchange -> {
                            String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
                            long modified = exchange.getIn().getHeader(Exchange.FILE_LAST_MODIFIED, 0L, Long.class);
                            String text = exchange.getIn().getMandatoryBody(String.class);
                            InboundEvent event = mapper.toEvent(name, text, Instant.ofEpochMilli(modified));
                            stripCamelHeaders(exchange);
                            exchange.getIn().setHeader(MusubiCamel.SOURCE_HEADER, id);
                            exchange.getIn().setBody(InboundEventCodec.encode(event));
                        })
                        .to(MusubiCamel.brokerQueue(MusubiCamel.INGRESS_QUEUE))
                        .process(exchange -> forwarded.incrementAndGet());

                // Replies wait durably in this instance's egress queue while it is away; the transaction commits
                // once the reply file is written.
                from(MusubiCamel.brokerQueue(MusubiCamel.egressQueue(id)) + "?transacted=true")
                        .routeId("musubi.demo." + id + ".egress")
                        .process(exchange -> {
                            OutboundMessage message = OutboundMessageCodec.decode(
                                    exchange.getIn().getMandatoryBody(byte[].class));
                            outbox.write(message);
                            delivered.incrementAndGet();
                        });
            }
        };
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return "demo";
    }

    @Override
    public Channel channel() {
        return Channel.WEBCHAT;
    }

    @Override
    public Health health() {
        boolean ok = Files.isDirectory(directory) && Files.isReadable(directory);
        return new Health(ok ? Health.Status.UP : Health.Status.DOWN, ok ? "watching" : "directory not readable",
                Map.of("forwarded", Long.toString(forwarded.get()), "delivered", Long.toString(delivered.get())));
    }

    @Override
    public Map<String, String> describeConfiguration() {
        return Map.of("id", id, "directory", directory.toString(), "outbox", outbox.directory().toString(),
                "pollMillis", Long.toString(pollMillis));
    }
}
