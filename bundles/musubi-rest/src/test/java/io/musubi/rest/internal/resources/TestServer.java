package io.musubi.rest.internal.resources;

import io.musubi.rest.internal.app.MusubiApplication;
import io.musubi.rest.internal.security.Caller;
import io.musubi.rest.Role;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * The hub's Jakarta REST application ({@link MusubiApplication}: Jackson, the API's mapper, problem+json) with the
 * given resources, on a real HTTP server at {@code http://127.0.0.1:<port>/api/v1/}. Authentication is a stand-in:
 * the header {@code X-Test-Caller: tenant;role,role;agentId} becomes the request's {@link Caller}.
 */
public final class TestServer implements AutoCloseable {

    public static final String CALLER = "X-Test-Caller";

    private final HttpServer server;
    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    private TestServer(HttpServer server, URI base) {
        this.server = server;
        this.base = base;
    }

    public static TestServer start(Object... resources) {
        MusubiApplication application = new MusubiApplication();
        ResourceConfig config = new ResourceConfig().addProperties(application.getProperties())
                .registerClasses(application.getClasses()).register(StandInAuthentication.class);
        for (Object r : resources) {
            config.register(r);
        }
        HttpServer server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/api/v1/"),
                config, true);
        int port = server.getListeners().iterator().next().getPort();
        return new TestServer(server, URI.create("http://127.0.0.1:" + port + "/api/v1/"));
    }

    public URI uri(String path) {
        return base.resolve(path);
    }

    public HttpClient client() {
        return client;
    }

    /** {@code tenant;roles;agentId} for the stand-in authentication. */
    public static String caller(String tenant, String agentId, Role... roles) {
        return tenant + ";" + Arrays.stream(roles).map(Role::claim).collect(Collectors.joining(",")) + ";"
                + (agentId == null ? "" : agentId);
    }

    public HttpResponse<String> send(String method, String path, String caller, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header(CALLER, caller).header("Accept", "application/json");
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

    /** Reads {@value #CALLER} into a {@link Caller}; without it the request is refused with 401. */
    @Priority(Priorities.AUTHENTICATION)
    public static final class StandInAuthentication implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            String header = request.getHeaderString(CALLER);
            if (header == null) {
                request.abortWith(Response.status(401).build());
                return;
            }
            authenticate(request, header);
        }
    }

    /** Makes the caller in a {@value #CALLER} header ({@code tenant;role,role;agentId}) the request's caller. */
    static void authenticate(ContainerRequestContext request, String header) {
        String[] parts = header.split(";", -1);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : parts[1].split(",")) {
            roles.add(Role.valueOf(r.toUpperCase(Locale.ROOT)));
        }
        Caller caller = new Caller(parts[0], "test-key", roles, parts[2].isEmpty() ? null : parts[2]);
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return caller;
            }

            @Override
            public boolean isUserInRole(String role) {
                return caller.has(Role.valueOf(role.toUpperCase(Locale.ROOT)));
            }

            @Override
            public boolean isSecure() {
                return false;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Test";
            }
        });
    }
}
