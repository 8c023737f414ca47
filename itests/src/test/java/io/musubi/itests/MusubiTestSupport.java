package io.musubi.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Boots the real distribution (distribution/target/*.tar.gz) once for the whole suite: what a site runs is
 * what is tested. Polls with deadlines, never sleeps for a fixed time to wait for a result.
 */
public abstract class MusubiTestSupport {

    static final String HTTP_PORT = "18181";
    static final String JWT_ISSUER = "https://idp.itest.example";
    static final String JWT_AUDIENCE = "musubi-itest";
    /** The HS256 secret the hub is configured with (itests only). */
    static final String JWT_SECRET = "itest-only-hs256-secret-0123456789abcdef";

    @Inject
    protected BundleContext bundleContext;

    @Configuration
    public Option[] config() {
        String distribution = System.getProperty("musubi.distribution");
        File tarGz = new File(distribution);
        if (!tarGz.isFile()) {
            throw new IllegalStateException("Distribution not built: " + distribution);
        }
        String localRepo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(tarGz.toURI().toString())
                    .karafVersion(System.getProperty("karaf.version"))
                    .name("Musubi")
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            // Kept under itests/target/exam so a failing run's karaf.log can be read.
            keepRuntimeFolder(),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevel.INFO),
            // Pax Exam installs its probe from the local Maven repository.
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", localRepo),
            editConfigurationFilePut("etc/org.apache.felix.http.cfg", "org.osgi.service.http.port", HTTP_PORT),
            systemProperty("musubi.itest").value("true"),
            // On a loaded machine feature installation can outlast the probe extender's 10 s wait for Pax Exam's
            // invoker service (the probe then never registers and every test of the suite fails).
            editConfigurationFilePut("etc/system.properties", "pax.exam.service.timeout", "180000"),
            editConfigurationFilePut("etc/system.properties",
                    "org.ops4j.pax.exam.raw.extender.intern.Parser.DEFAULT_TIMEOUT", "180000"),
            editConfigurationFilePut("etc/io.musubi.rest.security.cfg", "jwt.issuer", JWT_ISSUER),
            editConfigurationFilePut("etc/io.musubi.rest.security.cfg", "jwt.audience", JWT_AUDIENCE),
            editConfigurationFilePut("etc/io.musubi.rest.security.cfg", "jwt.hmacSecretFile", jwtSecretFile()),
            // Webhook receivers of the tests listen on 127.0.0.2 (WebhookTargetsIT); every other internal address stays refused.
            editConfigurationFilePut("etc/io.musubi.rest.webhooks.cfg", "allowHttpLoopback", "true"),
            editConfigurationFilePut("etc/io.musubi.rest.webhooks.cfg", "allowedTargets", "127.0.0.2"),
        };
    }

    private static String jwtSecretFile() {
        try {
            Path file = Path.of("target", "itest-jwt.secret").toAbsolutePath();
            Files.createDirectories(file.getParent());
            Files.writeString(file, JWT_SECRET);
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client with the admin key the hub created on its first start ({@code etc/musubi/admin.key}). */
    protected static ApiClient adminClient() throws InterruptedException {
        Path keyFile = Path.of(System.getProperty("karaf.etc"), "musubi", "admin.key");
        await("the bootstrap admin key", Duration.ofSeconds(60), () -> Files.isRegularFile(keyFile));
        try {
            String key = Files.readString(keyFile).trim();
            ApiClient admin = new ApiClient(HTTP_PORT, key);
            // Resources join the application as their services arrive (interactions wait for the broker).
            Await.until("the API with the admin key", Duration.ofSeconds(90), Duration.ofMillis(250), () -> {
                try {
                    return admin.call("GET", "/api-keys", null).statusCode() == 200
                            && admin.call("GET", "/interactions/probe", null).body().contains("no interaction");
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            return admin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new API key of the admin's tenant with one role (and the agent it acts as, for role agent). */
    protected static String newKey(ApiClient admin, String role, String agentId) throws Exception {
        String body = "{\"name\":\"itest-" + role + "\",\"roles\":[\"" + role + "\"]"
                + (agentId == null ? "" : ",\"agentId\":\"" + agentId + "\"") + "}";
        return admin.expect(201, "POST", "/api-keys", body).path("key").asText();
    }

    /**
     * Ends what other suites left waiting in the default tenant's {@code default} queue. Suites share one container,
     * and that queue has no member list, so every agent serves it: a test whose agent logs in would be offered that
     * work first, filling the agent's capacity before the test's own interaction arrives.
     */
    protected static void endWhatWaitsInTheDefaultQueue(ApiClient admin) throws Exception {
        for (com.fasterxml.jackson.databind.JsonNode w
                : admin.expect(200, "GET", "/queues/default/waiting", null).path("items")) {
            admin.call("POST", "/interactions/" + w.path("interactionId").asText() + "/end", "{}");
        }
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes ({@link Await#until}). */
    protected static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, timeout, condition);
    }

    /** The installed bundle with this symbolic name. */
    /**
     * Restarts the hub's store, hub and route bundles (all their state in memory is gone, the store's is not) and
     * waits until the API is healthy with the ingress route started again.
     */
    protected void restartHubBundles() throws Exception {
        Bundle routes = bundle("io.musubi.routes");
        Bundle hub = bundle("io.musubi.hub");
        Bundle store = bundle("io.musubi.store-jdbc");
        routes.stop();
        hub.stop();
        store.stop();
        store.start();
        hub.start();
        routes.start();
        // every 250 ms: the API's per-address rate limit is shared with the rest of the test
        Await.until("hub healthy after the restart", Duration.ofSeconds(120), Duration.ofMillis(250),
                () -> statusOf("/api/v1/health") == 200
                        && body("/api/v1/health").contains("\"musubi-ingress\":\"Started 1/1 routes\""));
    }

    protected Bundle bundle(String symbolicName) {
        for (Bundle b : bundleContext.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(symbolicName + " not installed");
    }

    /** The body of a GET, or "" when the hub does not answer. */
    protected static String body(String path) {
        try {
            return get(path).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    protected static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    protected static int statusOf(String path) {
        try {
            return get(path).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
