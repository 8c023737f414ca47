package io.musubi.connector.demo.internal;

import io.musubi.api.Health;
import io.musubi.camel.ConnectorRoutes;
import io.musubi.camel.ConnectorServices;
import io.musubi.camel.MusubiCamel;
import io.musubi.camel.MusubiRouteBuilder;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.spi.Connector;
import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.DeliveryReceipt;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.RetryableDeliveryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
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
 * One demo connector instance per factory configuration ({@code etc/io.musubi.connector.demo~<name>.cfg}).
 * A file is moved to {@code .done} only after the broker accepted the message, so nothing is lost when
 * the bundle is stopped or updated mid-stream; a file read twice has the same event id and is dropped by
 * the ingress pipeline. A file that cannot be forwarded (broker unreachable) stays in the inbox and is
 * retried at the next poll; one that cannot be mapped goes to the dead-letter queue with the reason.
 */
@Component(service = {}, immediate = true, configurationPid = "io.musubi.connector.demo",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DemoConfiguration.class, factory = true)
public final class DemoConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(DemoConnector.class);

    private final String id;
    private final Path directory;
    private final DemoOutbox outbox;
    private final long pollMillis;
    private final DemoFileMapper mapper;
    private final IngressGateway ingress;
    private final ConnectorStatus status = new ConnectorStatus();
    private final ConnectorServices services;
    /** The last reply could not be written (its retry is pending): the demo's "provider away". */
    private volatile boolean outboxFailing;

    @Activate
    public DemoConnector(BundleContext bundleContext, DemoConfiguration config, @Reference IngressGateway ingress)
            throws Exception {
        this.ingress = ingress;
        this.id = config.id();
        MusubiCamel.egressQueue(id); // validates the id
        this.directory = underData(config.directory());
        Files.createDirectories(directory);
        this.outbox = new DemoOutbox(underData(config.outbox()));
        this.pollMillis = Math.max(10, config.pollMillis());
        this.mapper = new DemoFileMapper(id, config.tenantId(), Address.parse(config.from()), config.queue());
        status.up("watching");
        this.services = ConnectorServices.register(bundleContext, this, this::createRoutes, null);
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
        services.close();
    }

    RoutesBuilder createRoutes() {
        return new MusubiRouteBuilder() {
            @Override
            protected void onMalformed(Exchange exchange, io.musubi.spi.MalformedInputException cause) {
                status.increment(ConnectorStatus.MALFORMED);
            }

            // A reply waits (redelivered with back-off) for up to a few minutes of an unwritable outbox, the demo's
            // "provider being away", before it is dead-lettered.
            @Override
            protected int maximumRedeliveries() {
                return 30;
            }

            @Override
            protected long maximumRedeliveryDelayMillis() {
                return 5_000;
            }

            @Override
            protected void routes() {
                // The URI is built from typed configuration only; the directory was normalised above. A file is moved
                // to .done only once the ingress gateway returned: the event is durable in the hub.
                fromF("file:%s?include=.*\\.txt&move=.done&readLock=none&delay=%d"
                        + "&sortBy=file:name&maxMessagesPerPoll=100", directory, pollMillis)
                        .routeId("musubi.demo." + id + ".ingress")
                        .process(exchange -> {
                            String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
                            long modified = exchange.getIn().getHeader(Exchange.FILE_LAST_MODIFIED, 0L, Long.class);
                            String text = exchange.getIn().getMandatoryBody(String.class);
                            InboundEvent event = mapper.toEvent(name, text, Instant.ofEpochMilli(modified));
                            ingress.submit(event);
                            status.increment(ConnectorStatus.RECEIVED);
                        });

                // Replies wait durably in this instance's egress queue while it is away; the transaction commits
                // once the reply file is written.
                ConnectorRoutes.egress(this, "demo", id, message -> {
                    try {
                        DeliveryReceipt sent = DeliveryReceipt.sent(outbox.write(message).getFileName().toString());
                        outboxFailing = false;
                        return sent;
                    } catch (IOException e) {
                        outboxFailing = true;
                        throw new RetryableDeliveryException("outbox not writable: " + e.getClass().getSimpleName(),
                                null, e);
                    }
                }, ingress, status, Clock.systemUTC());
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
    public Map<String, Long> counters() {
        return status.counters();
    }

    @Override
    public Health health() {
        if (!Files.isDirectory(directory) || !Files.isReadable(directory)) {
            status.down("directory not readable");
        } else if (outboxFailing) {
            status.degraded("outbox not writable: replies wait and are retried");
        } else {
            status.up("watching");
        }
        return status.health();
    }

    @Override
    public Map<String, String> describeConfiguration() {
        return Map.of("id", id, "directory", directory.toString(), "outbox", outbox.directory().toString(),
                "pollMillis", Long.toString(pollMillis));
    }
}
