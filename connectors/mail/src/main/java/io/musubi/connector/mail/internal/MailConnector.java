package io.musubi.connector.mail.internal;

import io.musubi.api.Health;
import io.musubi.camel.ConnectorServices;
import io.musubi.model.Channel;
import io.musubi.spi.Connector;
import io.musubi.spi.ContentStore;
import io.musubi.spi.IngressGateway;

import java.nio.file.Path;
import java.util.Map;

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
 * One mailbox per factory configuration ({@code etc/io.musubi.connector.mail-<name>.cfg}, docs/connectors/mail.md),
 * registered in the hub with its routes ({@link MailInstance}).
 */
@Component(service = {}, immediate = true, configurationPid = "io.musubi.connector.mail",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = MailConnectorConfiguration.class, factory = true)
public final class MailConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(MailConnector.class);

    private final MailInstance instance;
    private final ConnectorServices services;

    @Activate
    public MailConnector(BundleContext bundleContext, MailConnectorConfiguration config,
                         @Reference IngressGateway ingress, @Reference ContentStore content) {
        Path etc = Path.of(System.getProperty("karaf.etc", "etc"));
        Path data = Path.of(System.getProperty("karaf.data", "data")).resolve("musubi").resolve("mail")
                .resolve(config.id());
        this.instance = new MailInstance(config, ingress, content, etc, data, System::getenv);
        this.services = ConnectorServices.register(bundleContext, this, instance::createRoutes, null);
        LOG.info("Mail connector {} reading {} (tenant {})", config.id(), instance.imap(), config.tenantId());
    }

    @Deactivate
    void deactivate() {
        services.close();
    }

    @Override
    public String id() {
        return instance.id();
    }

    @Override
    public String type() {
        return instance.type();
    }

    @Override
    public Channel channel() {
        return instance.channel();
    }

    @Override
    public Health health() {
        return instance.health();
    }

    @Override
    public Map<String, String> describeConfiguration() {
        return instance.describeConfiguration();
    }
}
