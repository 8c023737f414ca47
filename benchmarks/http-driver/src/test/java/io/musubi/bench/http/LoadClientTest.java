package io.musubi.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoadClientTest {

    private HttpServer server;
    private final Ports connections = new Ports();

    /** The remote ports the server saw: one per connection the client opened. */
    private static final class Ports {
        final Map<Integer, Boolean> ports = new ConcurrentHashMap<>();
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/fixed", x -> {
            connections.ports.put(x.getRemoteAddress().getPort(), true);
            byte[] body = x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                x.getResponseBody().write(body);
            }
            x.close();
        });
        server.createContext("/chunked", x -> {
            connections.ports.put(x.getRemoteAddress().getPort(), true);
            x.sendResponseHeaders(202, 0); // length 0: chunked
            byte[] piece = "0123456789".repeat(700).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 3; i++) {
                x.getResponseBody().write(piece);
                x.getResponseBody().flush();
            }
            x.close();
        });
        server.createContext("/created", x -> {
            connections.ports.put(x.getRemoteAddress().getPort(), true);
            x.getResponseHeaders().add("Location", "http://h/api/v1/interactions/i-42");
            x.sendResponseHeaders(201, -1);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readsStatusesAndLocationsOfFramedAndChunkedAnswersOnReusedConnections() throws Exception {
        int port = server.getAddress().getPort();
        int[] expected = {200, 202, 201};
        int total = 600;
        AtomicInteger wrong = new AtomicInteger();
        AtomicInteger located = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(8);
        try (LoadClient client = new LoadClient(java.net.URI.create("http://127.0.0.1:" + port))) {
            byte[][] requests = {
                client.request("POST", "/fixed", Map.of("Content-Type", "text/plain"),
                        "hello".repeat(2000).getBytes(StandardCharsets.US_ASCII)),
                client.request("GET", "/chunked", Map.of(), null),
                client.request("POST", "/created", Map.of(), new byte[0]),
            };
            for (int i = 0; i < total; i++) {
                int kind = i % 3;
                inFlight.acquire();
                client.send(requests[kind], (status, location, failure) -> {
                    if (failure != null || status != expected[kind]) {
                        wrong.incrementAndGet();
                    }
                    if (kind == 2 && "http://h/api/v1/interactions/i-42".equals(location)) {
                        located.incrementAndGet();
                    }
                    inFlight.release();
                    done.countDown();
                });
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(wrong.get()).isZero();
        assertThat(located.get()).isEqualTo(total / 3);
        // at most eight in flight, so at most eight connections: each answered request's connection was reused
        assertThat(connections.ports.size()).isBetween(1, 8);
    }

    @Test
    void parsesAResponseThatArrivesOneByteAtATimeAndLeavesTheNextOneInTheBuffer() {
        String first = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nLocation: /x/1\r\n\r\n"
                + "5;ext=1\r\nhello\r\n3\r\nabc\r\n0\r\nTrailer: t\r\n\r\n";
        String second = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
        byte[] bytes = (first + second).getBytes(StandardCharsets.US_ASCII);
        ResponseParser p = new ResponseParser();
        int i = 0;
        boolean complete = false;
        while (!complete) {
            ByteBuffer one = ByteBuffer.wrap(bytes, i++, 1);
            complete = p.feed(one);
            assertThat(one.hasRemaining()).isFalse();
        }
        assertThat(i).isEqualTo(first.length());
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.location()).isEqualTo("/x/1");
        assertThat(p.keepAlive()).isTrue();

        p.reset();
        ByteBuffer rest = ByteBuffer.wrap(bytes, i, bytes.length - i);
        assertThat(p.feed(rest)).isTrue();
        assertThat(p.status()).isEqualTo(204);
        assertThat(p.keepAlive()).isFalse();
    }
}
