package io.musubi.camel;

import io.musubi.spi.Connector;
import io.musubi.spi.WebhookHandler;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Registers the services of one connector instance with the properties the hub reads, so that every connector does it
 * the same way: the {@link Connector} ({@link Connector#ID_PROPERTY}, {@link Connector#CHANNEL_PROPERTY},
 * {@link #TYPE_PROPERTY}), its {@link RouteContribution} (context {@code connector.<id>}) and, for webhook
 * connectors, its {@link WebhookHandler} ({@link WebhookHandler#TYPE_PROPERTY} and the id). A connector's DS component
 * (immediate, with no service of its own) calls {@link #register} on activation and {@link #close()} on deactivation;
 * the webhook goes first and the routes last, so nothing arrives for routes that are gone. Further services of the
 * instance (a voice connector's call control) are added with {@link #provide} and go before the webhook.
 */
public final class ConnectorServices implements AutoCloseable {

    /** Service property of a {@link Connector}: its type, e.g. {@code line}. */
    public static final String TYPE_PROPERTY = "musubi.connector.type";

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final BundleContext context;
    private final String id;

    private ConnectorServices(BundleContext context, String id) {
        this.context = context;
        this.id = id;
    }

    /**
     * Registers a connector instance's services.
     *
     * @param routes  its routes, or null for a connector without any
     * @param webhook its webhook handler, or null
     */
    public static ConnectorServices register(BundleContext context, Connector connector, RouteContribution routes,
                                             WebhookHandler webhook) {
        Objects.requireNonNull(connector, "connector");
        String id = connector.id();
        MusubiCamel.egressQueue(id); // validates the id
        ConnectorServices services = new ConnectorServices(context, id);
        try {
            if (routes != null) {
                services.registrations.add(context.registerService(RouteContribution.class, routes,
                        props(MusubiCamel.CONTEXT_PROPERTY, "connector." + id, Connector.ID_PROPERTY, id)));
            }
            Dictionary<String, Object> props = props(Connector.ID_PROPERTY, id, Connector.CHANNEL_PROPERTY,
                    connector.channel().name());
            props.put(TYPE_PROPERTY, connector.type());
            services.registrations.add(context.registerService(Connector.class, connector, props));
            if (webhook != null) {
                services.registrations.add(context.registerService(WebhookHandler.class, webhook,
                        props(WebhookHandler.TYPE_PROPERTY, connector.type(), Connector.ID_PROPERTY, id)));
            }
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
        return services;
    }

    /**
     * Registers one more service of the connector instance (e.g. a voice connector's {@link io.musubi.spi.CallControl})
     * with {@link Connector#ID_PROPERTY}; it is unregistered first on {@link #close()}.
     */
    public <S> ConnectorServices provide(Class<S> type, S service) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(Connector.ID_PROPERTY, id);
        registrations.add(context.registerService(type, service, p));
        return this;
    }

    private static Dictionary<String, Object> props(String k1, Object v1, String k2, Object v2) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(k1, v1);
        p.put(k2, v2);
        return p;
    }

    /** Unregisters in reverse order: the webhook first, the routes last. */
    @Override
    public void close() {
        for (int i = registrations.size() - 1; i >= 0; i--) {
            try {
                registrations.get(i).unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework unregistered it
            }
        }
        registrations.clear();
    }
}
