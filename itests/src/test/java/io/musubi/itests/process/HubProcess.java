package io.musubi.itests.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real distribution as an operating-system process, for tests that must do what Pax Exam cannot: kill the
 * hub with SIGKILL and start it again on the same data. Runs on its own ports so it never meets another hub.
 */
final class HubProcess {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Path home;
    final int httpPort;
    final int amqpPort;
    private Process process;

    private HubProcess(Path home, int httpPort, int amqpPort) {
        this.home = home;
        this.httpPort = httpPort;
        this.amqpPort = amqpPort;
    }

    /** Unpacks the distribution into {@code home} and moves its ports. */
    static HubProcess install(Path tarGz, Path home, int httpPort, int amqpPort) throws Exception {
        Files.createDirectories(home);
        run(List.of("tar", "xzf", tarGz.toString(), "-C", home.toString(), "--strip-components=1"));
        Path artemis = home.resolve("etc/artemis.xml");
        String xml = Files.readString(artemis, StandardCharsets.UTF_8);
        if (!xml.contains("tcp://127.0.0.1:5672?")) {
            throw new IllegalStateException("etc/artemis.xml has no AMQP acceptor on 127.0.0.1:5672 to move");
        }
        Files.writeString(artemis, xml.replace("tcp://127.0.0.1:5672?", "tcp://127.0.0.1:" + amqpPort + "?"),
                StandardCharsets.UTF_8);
        Files.writeString(home.resolve("etc/io.musubi.broker.cfg"), "port = " + amqpPort + "\n", StandardCharsets.UTF_8);
        return new HubProcess(home, httpPort, amqpPort);
    }

    void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("MUSUBI_HTTP_PORT", Integer.toString(httpPort));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        process = pb.start();
    }

    /** SIGKILL for the launcher and the JVM it started: no shutdown hook, no flush, no goodbye. */
    void killHard() throws InterruptedException {
        List<ProcessHandle> all = new java.util.ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        for (ProcessHandle p : all) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : all) {
            p.onExit().join();
        }
    }

    /** A normal stop ({@code bin/stop}), waiting until the JVM is gone. */
    void stop() throws Exception {
        run(List.of(home.resolve("bin/stop").toString()));
        if (!process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("hub did not stop within 120 s");
        }
        for (ProcessHandle p : process.descendants().toList()) {
            p.onExit().join();
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The launcher script's process ({@code bin/karaf server}); the JVM is its child. */
    Process launcher() {
        return process;
    }

    /** The hub's JVM, by the pid Karaf writes to {@code karaf.pid}. */
    ProcessHandle jvm() throws IOException {
        long pid = Long.parseLong(Files.readString(home.resolve("karaf.pid"), StandardCharsets.UTF_8).strip());
        return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
    }

    String health() {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/api/v1/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The admin key the hub wrote at its first start. */
    String adminKey() throws IOException {
        return Files.readString(home.resolve("etc/musubi/admin.key"), StandardCharsets.UTF_8).strip();
    }

    /** A REST call that must answer {@code status}; returns the body as JSON (a null node when empty). */
    JsonNode expect(String credential, int status, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1" + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + credential)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != status) {
            throw new AssertionError(method + " " + path + ": expected " + status + " but got " + r.statusCode() + " "
                    + r.body());
        }
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    /** A web chat from {@code visitor} into {@code queueId} over the REST API; returns the interaction id. */
    String chat(String credential, String queueId, String visitor, String text) throws Exception {
        return expect(credential, 201, "POST", "/interactions", "{\"channel\":\"WEBCHAT\",\"from\":\"webchat:"
                + visitor + "\",\"queueId\":\"" + queueId + "\",\"text\":\"" + text + "\"}").path("id").asText();
    }

    /** An interaction's state. */
    String state(String credential, String id) {
        try {
            return expect(credential, 200, "GET", "/interactions/" + id, null).path("state").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An interaction's event types in order, lower case. */
    List<String> eventTypes(String credential, String id) {
        try {
            List<String> types = new java.util.ArrayList<>();
            for (JsonNode e : expect(credential, 200, "GET", "/interactions/" + id + "/events", null).path("items")) {
                types.add(e.path("type").asText().toLowerCase(java.util.Locale.ROOT));
            }
            return types;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The interaction ids of a list of ids or of waiting entries. */
    static List<String> ids(JsonNode items) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode n : items) {
            out.add(n.isTextual() ? n.asText() : n.path("interactionId").asText());
        }
        return out;
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
    }
}
