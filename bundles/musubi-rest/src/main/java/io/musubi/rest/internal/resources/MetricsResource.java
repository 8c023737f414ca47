package io.musubi.rest.internal.resources;

import io.musubi.rest.internal.metrics.PrometheusText;
import io.musubi.api.MetricSource;
import io.musubi.rest.Allowed;
import io.musubi.rest.RestApi;
import io.musubi.rest.Role;
import io.musubi.rest.internal.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/metrics}: the hub's metrics in the Prometheus text format (0.0.4), from every
 * {@link MetricSource} service, asked at scrape time. The metrics cover every tenant of the hub (queues and agents
 * of each), so only keys of the operator tenant ({@code tenant}, PID {@value #PID}, default {@code default}, the
 * tenant of the first admin key) with the role {@code metrics} (read-only, for Prometheus) or {@code admin} may read
 * them; any other caller is refused with 403. A source that fails is left out of that scrape and counted in
 * {@code musubi_metrics_source_failures}; the rest is served.
 */
@Component(service = MetricsResource.class, immediate = true, configurationPid = MetricsResource.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MetricsResource.Config.class)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Tag(name = "meta", description = "Health, version, this document")
@Path("metrics")
public final class MetricsResource {

    static final String PID = "io.musubi.rest.metrics";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsResource.class);

    @ObjectClassDefinition(name = "Musubi metrics endpoint", description = "Who may read GET /api/v1/metrics")
    public @interface Config {
        @AttributeDefinition(description = "The operator tenant: its keys with the role metrics or admin may read "
                + "the metrics, which cover every tenant of the hub")
        String tenant() default "default";
    }

    private final String tenant;
    private final List<MetricSource> sources = new CopyOnWriteArrayList<>();
    /** Source classes whose failure was logged at WARN already (then DEBUG: a scrape comes every few seconds). */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    @Activate
    public MetricsResource(Config config) {
        this(config.tenant());
    }

    /** For tests: the operator tenant and no sources yet. */
    public MetricsResource(String tenant) {
        this.tenant = tenant == null || tenant.isBlank() ? "default" : tenant.trim();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addSource(MetricSource source) {
        sources.add(source);
    }

    public void removeSource(MetricSource source) {
        sources.remove(source);
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Allowed({Role.METRICS, Role.ADMIN})
    @Operation(summary = "Prometheus metrics of the whole hub (text format 0.0.4): ingress, broker queues, latencies, "
            + "store commits, ACD queues and agents, connectors; keys of the operator tenant only")
    public Response metrics(@Context SecurityContext security) {
        if (!Caller.of(security).tenantId().equals(tenant)) {
            throw new ForbiddenException("the metrics cover every tenant: only the operator tenant's keys may read "
                    + "them");
        }
        return Response.ok(scrape()).type(PrometheusText.CONTENT_TYPE).build();
    }

    /** Asks every source, in turn, for its samples. */
    String scrape() {
        PrometheusText out = new PrometheusText();
        int failed = 0;
        for (MetricSource source : sources) {
            try {
                source.collect(out);
            } catch (RuntimeException e) {
                failed++;
                String name = source.getClass().getName();
                if (warned.add(name)) {
                    LOG.warn("Metric source {} failed (left out of the scrape; later failures are logged at DEBUG): "
                            + "{}", name, e.toString());
                } else {
                    LOG.debug("Metric source {} failed: {}", name, e.toString());
                }
            }
        }
        out.gauge("musubi_metrics_source_failures", "Metric sources that failed in this scrape (see the log)",
                Map.of(), failed);
        return out.text();
    }
}
