package io.musubi.spi;

import io.musubi.api.Health;
import io.musubi.model.Channel;

import java.util.Map;

/**
 * A channel connector instance, registered as an OSGi service by every connector bundle, one per
 * configured instance (factory configuration). The hub lists connectors over REST and the shell and
 * includes their health in {@code /api/v1/health}.
 */
public interface Connector {

    /** Service property carrying the channel name, e.g. {@code LINE}. */
    String CHANNEL_PROPERTY = "musubi.channel";

    /** Service property carrying the instance id. */
    String ID_PROPERTY = "musubi.connector.id";

    /** The instance id, unique in the hub, e.g. {@code line.main}; [A-Za-z0-9._-]+. */
    String id();

    /** The connector type, e.g. {@code line}, {@code asterisk}, {@code demo}. */
    String type();

    Channel channel();

    Health health();

    /**
     * The connector's counters (received, malformed, rejected, ... — {@link ConnectorStatus#counters()}), exposed
     * per connector on the metrics endpoint. Counter names are fixed words of the connector's code, never values from
     * traffic. None by default.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }

    /** The instance configuration as shown to operators: secrets are left out or masked. */
    Map<String, String> describeConfiguration();
}
