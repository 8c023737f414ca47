package io.musubi.rest.internal.resources;

import io.musubi.store.DefinitionRepository;
import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.rest.internal.security.Caller;
import io.musubi.rest.Role;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * The API application with some resources on a real HTTP server, for the resources' end-to-end tests. The header
 * {@value #CALLER} ({@code tenant;role,role;agentId}) stands in for authentication; a request without it has no
 * caller, as a public request.
 */
final class ResourceServer implements AutoCloseable {

    static final String CALLER = "X-Test-Caller";
    /** The client address the stand-in sets, as the security filter does. */
    static final String REMOTE = "X-Test-Remote";

    private final HttpServer server;
    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    private ResourceServer(HttpServer server, URI base) {
        this.server = server;
        this.base = base;
    }

    static ResourceServer start(Object... resources) {
        MusubiApplication application = new MusubiApplication();
        ResourceConfig config = new ResourceConfig().addProperties(application.getProperties())
                .registerClasses(application.getClasses()).register(StandIn.class);
        for (Object r : resources) {
            config.register(r);
        }
        HttpServer server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/api/v1/"),
                config, true);
        int port = server.getListeners().iterator().next().getPort();
        return new ResourceServer(server, URI.create("http://127.0.0.1:" + port + "/api/v1/"));
    }

    static String caller(String tenant, String agentId, Role... roles) {
        List<String> names = new ArrayList<>();
        for (Role r : roles) {
            names.add(r.claim());
        }
        return tenant + ";" + String.join(",", names) + ";" + (agentId == null ? "" : agentId);
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    HttpClient client() {
        return client;
    }

    /** A request; {@code caller} null sends none (a public request). */
    HttpResponse<String> send(String method, String path, String caller, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (caller != null) {
            b.header(CALLER, caller);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    /** Definitions kept in memory. */
    static final class MemoryDefinitions implements DefinitionRepository {
        private final Map<String, Definition> all = new ConcurrentHashMap<>();

        @Override
        public void save(Kind kind, String id, String tenantId, String body) {
            all.put(kind + id, new Definition(kind, id, tenantId, body, Instant.now()));
        }

        @Override
        public boolean delete(Kind kind, String id) {
            return all.remove(kind + id) != null;
        }

        @Override
        public List<Definition> all(Kind kind) {
            return new ArrayList<>(new TreeMap<>(all).values().stream().filter(d -> d.kind() == kind).toList());
        }
    }

    /** Reads {@value #CALLER} into the request's {@link Caller}, if present. */
    @Priority(Priorities.AUTHENTICATION)
    public static final class StandIn implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            String remote = request.getHeaderString(REMOTE);
            request.setProperty(io.musubi.rest.internal.security.SecurityFilter.CLIENT_ADDRESS,
                    remote == null ? "127.0.0.1" : remote);
            String header = request.getHeaderString(CALLER);
            if (header == null) {
                return;
            }
            TestServer.authenticate(request, header);
        }
    }
}
