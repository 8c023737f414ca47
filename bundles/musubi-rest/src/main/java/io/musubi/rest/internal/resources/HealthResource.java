package io.musubi.rest.internal.resources;

import io.musubi.rest.RestApi;

import io.musubi.rest.Public;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.musubi.api.Health;
import io.musubi.api.HealthContributor;
import io.musubi.spi.Connector;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * {@code GET /api/v1/health}: the broker, the Camel contexts and every other health contributor, the
 * connectors, and the bundle states. 200 while the hub can take traffic (UP or DEGRADED), 503 when a part
 * it needs is DOWN. No authentication: it reveals states and counts, never configuration or secrets.
 */
@Component(service = HealthResource.class, immediate = true)
@JakartarsResource
@Public
@Tag(name = "meta", description = "Health, version, this document")
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("health")
public final class HealthResource {

    private final BundleContext bundleContext;
    private final List<HealthContributor> contributors = new CopyOnWriteArrayList<>();
    private final List<Connector> connectors = new CopyOnWriteArrayList<>();

    @Activate
    public HealthResource(BundleContext bundleContext) {
        this.bundleContext = bundleContext;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addContributor(HealthContributor contributor) {
        contributors.add(contributor);
    }

    void removeContributor(HealthContributor contributor) {
        contributors.remove(contributor);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addConnector(Connector connector) {
        connectors.add(connector);
    }

    void removeConnector(Connector connector) {
        connectors.remove(connector);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Health of the hub: broker, Camel contexts, queues, connectors, bundles (503 when DOWN)")
    public Response health() {
        Map<String, Health> components = new TreeMap<>();
        for (HealthContributor c : contributors) {
            components.put(c.name(), safely(c));
        }
        if (!components.containsKey("broker")) {
            components.put("broker", Health.down("broker client not running"));
        }
        List<HealthReport.ConnectorStatus> connectorStates = new ArrayList<>();
        for (Connector c : connectors) {
            connectorStates.add(new HealthReport.ConnectorStatus(c.id(), c.type(), c.channel().name(), safely(c)));
        }
        connectorStates.sort(Comparator.comparing(HealthReport.ConnectorStatus::id));
        HealthReport.BundleSummary bundles = bundles();

        List<Health> all = new ArrayList<>(components.values());
        Health.Status status = Health.worstOf(all);
        // A connector down or a bundle not active degrades the hub; it does not stop it taking traffic.
        boolean degraded = !bundles.notActive().isEmpty()
                || connectorStates.stream().anyMatch(c -> c.health().status() != Health.Status.UP);
        if (degraded && status == Health.Status.UP) {
            status = Health.Status.DEGRADED;
        }
        HealthReport report = new HealthReport(status, Instant.now(), components, connectorStates, bundles);
        return Response.status(status == Health.Status.DOWN ? 503 : 200).entity(report).build();
    }

    private HealthReport.BundleSummary bundles() {
        Bundle[] all = bundleContext.getBundles();
        int active = 0;
        List<String> notActive = new ArrayList<>();
        for (Bundle b : all) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (b.getState() == Bundle.ACTIVE) {
                active++;
            } else if (!fragment) {
                notActive.add(b.getSymbolicName());
            }
        }
        return new HealthReport.BundleSummary(all.length, active, notActive);
    }

    private static Health safely(HealthContributor c) {
        try {
            return c.health();
        } catch (RuntimeException e) {
            return Health.down("health check failed: " + e.getClass().getSimpleName());
        }
    }

    private static Health safely(Connector c) {
        try {
            return c.health();
        } catch (RuntimeException e) {
            return Health.down("health check failed: " + e.getClass().getSimpleName());
        }
    }
}
