package io.musubi.connector.asterisk.internal;

import io.musubi.acd.AcdEngine;
import io.musubi.api.Health;
import io.musubi.api.HubEventListener;
import io.musubi.camel.ConnectorRoutes;
import io.musubi.camel.ConnectorServices;
import io.musubi.camel.MusubiRouteBuilder;
import io.musubi.model.Channel;
import io.musubi.spi.CallControl;
import io.musubi.spi.Connector;
import io.musubi.spi.IngressGateway;
import io.musubi.spi.PermanentDeliveryException;

import java.time.Clock;
import java.util.Map;

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
 * One Asterisk PBX per factory configuration ({@code etc/io.musubi.connector.asterisk-<name>.cfg}): registers the
 * {@link Connector}, its {@link CallControl}, a {@link HubEventListener} (the ACD's offers are carried out on the PBX)
 * and an egress route that refuses text messages (a call carries none) so nothing waits for ever in its queue.
 */
@Component(service = {}, immediate = true, configurationPid = "io.musubi.connector.asterisk",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = AsteriskConfiguration.class, factory = true)
public final class AsteriskConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(AsteriskConnector.class);

    private final AsteriskSettings settings;
    private final AsteriskPbx pbx;
    private final IngressGateway ingress;
    private final ConnectorServices services;

    @Activate
    public AsteriskConnector(BundleContext bundleContext, AsteriskConfiguration config,
                             @Reference IngressGateway ingress, @Reference AcdEngine acd) {
        this.settings = AsteriskSettings.from(config);
        this.ingress = ingress;
        this.pbx = new AsteriskPbx(settings, ingress, acd, Clock.systemUTC(), AmiSession.DEFAULT_FACTORY);
        this.services = ConnectorServices.register(bundleContext, this, this::createRoutes, null)
                .provide(CallControl.class, pbx.callControl())
                .provide(HubEventListener.class, pbx);
        pbx.start();
        LOG.info("Asterisk connector {} ({}) for tenant {} started", settings.id, settings.mode.wireName(),
                settings.tenantId);
    }

    @Deactivate
    void deactivate() {
        services.close();
        pbx.close();
    }

    RoutesBuilder createRoutes() {
        return new MusubiRouteBuilder() {
            @Override
            protected void routes() {
                ConnectorRoutes.egress(this, "asterisk", settings.id, message -> {
                    throw new PermanentDeliveryException("unsupported", "a call carries no text messages");
                }, ingress, pbx.status(), Clock.systemUTC());
            }
        };
    }

    @Override
    public String id() {
        return settings.id;
    }

    @Override
    public String type() {
        return "asterisk";
    }

    @Override
    public Channel channel() {
        return Channel.VOICE;
    }

    @Override
    public Map<String, Long> counters() {
        return pbx.counters();
    }

    @Override
    public Health health() {
        return pbx.health();
    }

    @Override
    public Map<String, String> describeConfiguration() {
        return pbx.describe();
    }
}
