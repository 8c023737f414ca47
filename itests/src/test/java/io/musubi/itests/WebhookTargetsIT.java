package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * Outbound webhooks never reach internal addresses (DESIGN §11, issue #9): subscriptions to loopback, link-local,
 * private and unresolvable targets are refused with a 400 naming {@code url}, while a receiver on the address the
 * operator allow-listed ({@code allowedTargets = 127.0.0.2} in {@link MusubiTestSupport}) gets its deliveries and
 * the delivery log shows opaque error categories.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class WebhookTargetsIT extends MusubiTestSupport {

    /** The addresses, and other spellings of the same places. */
    private static final String[] INTERNAL = {
        "https://127.0.0.1:9", "https://[::1]/", "http://169.254.169.254/", "http://10.0.0.1/", "https://localhost./",
        "https://169.254.169.254/latest/meta-data/", "https://10.0.0.1/", "https://192.168.1.1/", "https://172.16.0.1/",
        "https://[::ffff:127.0.0.1]/", "https://[::ffff:a9fe:a9fe]/", "https://0.0.0.0/", "https://100.64.0.1/",
        "https://[fd00::1]/", "https://[fe80::1]/", "https://localhost/",
        "https://no-such-host.invalid/",
    };

    @Test
    public void subscriptionsToInternalAddressesAreRefused() throws Exception {
        ApiClient admin = adminClient();
        ApiClient vendor = admin.as(newKey(admin, "integration", null));

        for (String url : INTERNAL) {
            HttpResponse<String> r = vendor.call("POST", "/webhooks",
                    "{\"url\":\"" + url + "\",\"events\":[\"*\"]}");
            assertEquals(url + ": " + r.body(), 400, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            JsonNode problem = ApiClient.JSON.readTree(r.body());
            assertTrue(url + ": " + r.body(), problem.path("detail").asText().startsWith("url"));
        }
        JsonNode stored = vendor.expect(200, "GET", "/webhooks", null).path("items");
        for (JsonNode w : stored) {
            for (String url : INTERNAL) {
                assertFalse("stored " + url, url.equals(w.path("url").asText()));
            }
        }
    }

    @Test
    public void anAllowListedReceiverGetsItsDeliveriesAndFailuresAreCategories() throws Exception {
        ApiClient admin = adminClient();
        ApiClient vendor = admin.as(newKey(admin, "integration", null));
        InetAddress allowed = InetAddress.getByName("127.0.0.2");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, allowed)) {
            closedPort = s.getLocalPort();
        }
        try (RawReceiver receiver = new RawReceiver(allowed)) {
            String hook = vendor.expect(201, "POST", "/webhooks", "{\"url\":\"http://127.0.0.2:" + receiver.port()
                    + "/hook\",\"events\":[\"arrived\"]}").path("id").asText();
            String closed = vendor.expect(201, "POST", "/webhooks", "{\"url\":\"http://127.0.0.2:" + closedPort
                    + "/hook\",\"events\":[\"arrived\"]}").path("id").asText();

            vendor.expect(201, "POST", "/interactions", "{\"from\":\"webchat:hook-visitor-1\",\"text\":\"hi\"}");

            Map<String, String> request = receiver.next(Duration.ofSeconds(30));
            assertNotNull("no delivery to the allow-listed receiver", request);
            assertEquals("POST /hook HTTP/1.1", request.get(""));
            assertEquals("127.0.0.2:" + receiver.port(), request.get("host"));
            assertEquals("arrived", request.get("musubi-event-type"));
            assertTrue(request.get("musubi-signature"), request.get("musubi-signature").startsWith("v1="));

            await("the delivery logged as delivered", Duration.ofSeconds(30),
                    () -> "delivered".equals(firstDelivery(vendor, hook).path("status").asText()));
            await("the failed attempt logged", Duration.ofSeconds(30),
                    () -> firstDelivery(vendor, closed).path("attempts").asInt() >= 1);
            JsonNode failed = firstDelivery(vendor, closed);
            assertEquals(failed.toString(), "connect-failed", failed.path("lastError").asText());
        }
    }

    private static JsonNode firstDelivery(ApiClient client, String webhook) {
        try {
            return client.expect(200, "GET", "/webhooks/" + webhook + "/deliveries", null).path("items").path(0);
        } catch (IOException e) {
            return ApiClient.JSON.missingNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiClient.JSON.missingNode();
        }
    }

    /**
     * A receiver on a plain socket (the JDK HTTP server is not visible to the test probe in the container): records
     * each request's line (key "") and headers (lower-case keys), answers 204 and closes.
     */
    private static final class RawReceiver implements AutoCloseable {
        private final ServerSocket server;
        private final BlockingQueue<Map<String, String>> requests = new LinkedBlockingQueue<>();
        private final Thread thread;

        RawReceiver(InetAddress address) throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(address, 0));
            thread = new Thread(this::serve, "itest-webhook-receiver");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(10_000);
                    InputStream in = s.getInputStream();
                    Map<String, String> request = new HashMap<>();
                    request.put("", line(in));
                    for (String line = line(in); !line.isEmpty(); line = line(in)) {
                        int colon = line.indexOf(':');
                        request.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                line.substring(colon + 1).trim());
                    }
                    in.readNBytes(Integer.parseInt(request.getOrDefault("content-length", "0")));
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    requests.add(request);
                } catch (IOException | RuntimeException e) {
                    // closed, or a malformed request: the test sees no delivery
                }
            }
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("closed");
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        Map<String, String> next(Duration timeout) throws InterruptedException {
            return requests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
