package io.musubi.rest.internal.resources;

import io.musubi.rest.Role;
import io.musubi.rest.RestApi;

import static io.musubi.rest.Role.ADMIN;
import static io.musubi.rest.Role.INTEGRATION;
import static io.musubi.rest.Role.SUPERVISOR;

import io.musubi.api.Health;
import io.musubi.model.Channel;
import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.rest.Allowed;
import io.musubi.rest.internal.security.Caller;
import io.musubi.spi.Connector;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

/**
 * The installed connectors with their health and configuration. A connector describes its own configuration
 * without secrets; anything whose name still looks secret is masked here as well. A connector configured for
 * another tenant is not listed.
 */
@Component(service = ConnectorsResource.class, immediate = true)
@JakartarsResource
@JakartarsApplicationSelect(RestApi.SELECT)
@Path("connectors")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "connectors", description = "Installed connectors: health and configuration (no secrets)")
public final class ConnectorsResource {

    static final String MASK = "********";
    private static final Pattern SECRET = Pattern.compile("(?i).*(secret|password|passwd|token|key|credential|auth).*");

    private final List<Connector> connectors = new CopyOnWriteArrayList<>();

    record View(String id, String type, Channel channel, Health health, Map<String, String> configuration) {
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addConnector(Connector connector) {
        connectors.add(connector);
    }

    void removeConnector(Connector connector) {
        connectors.remove(connector);
    }

    @GET
    @Allowed({SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "List installed connectors with health and configuration (secrets masked), one page")
    public Page<View> list(@Context SecurityContext sc) {
        return Page.all(visible(Caller.of(sc).tenantId()));
    }

    @GET
    @Path("{id}")
    @Allowed({SUPERVISOR, ADMIN, INTEGRATION})
    @Operation(summary = "One connector")
    public View get(@Context SecurityContext sc, @PathParam("id") String id) {
        return visible(Caller.of(sc).tenantId()).stream().filter(v -> v.id().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("no connector " + id));
    }

    private List<View> visible(String tenant) {
        return connectors.stream().map(ConnectorsResource::view).filter(v -> visibleTo(v, tenant))
                .sorted(Comparator.comparing(View::id)).toList();
    }

    static View view(Connector c) {
        Health health;
        try {
            health = c.health();
        } catch (RuntimeException e) {
            health = Health.down("health check failed: " + e.getClass().getSimpleName());
        }
        return new View(c.id(), c.type(), c.channel(), health, masked(c.describeConfiguration()));
    }

    static Map<String, String> masked(Map<String, String> configuration) {
        Map<String, String> out = new TreeMap<>();
        configuration.forEach((k, v) -> out.put(k, SECRET.matcher(k).matches() ? MASK : v));
        return out;
    }

    private static boolean visibleTo(View v, String tenant) {
        String owner = v.configuration().getOrDefault("tenant", v.configuration().get("tenantId"));
        return owner == null || owner.isBlank() || owner.equals(tenant);
    }
}
