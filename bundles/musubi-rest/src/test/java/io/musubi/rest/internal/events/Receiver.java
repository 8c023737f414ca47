package io.musubi.rest.internal.events;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on the JDK's HTTP server: records every request and answers with scripted statuses (the last
 * one repeats). With a gate, it holds each request until the gate opens.
 */
final class Receiver implements AutoCloseable {

    /** One received request; header names lower case. */
    record Request(String method, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final List<Integer> statuses;
    private final CountDownLatch gate;
    private final CountDownLatch held = new CountDownLatch(1);
    private int answered;

    private Receiver(List<Integer> statuses, CountDownLatch gate) throws IOException {
        this.statuses = new ArrayList<>(statuses);
        this.gate = gate;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static Receiver answering(Integer... statuses) throws IOException {
        return new Receiver(List.of(statuses), new CountDownLatch(0));
    }

    /** A receiver that holds every request until {@link #open()}. */
    static Receiver gated(Integer status) throws IOException {
        return new Receiver(List.of(status), new CountDownLatch(1));
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook?token=t0p";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT),
                    String.join(",", v)));
            requests.add(new Request(exchange.getRequestMethod(), headers, body));
            held.countDown();
            gate.await();
            int status;
            synchronized (this) {
                status = statuses.get(Math.min(answered++, statuses.size() - 1));
            }
            byte[] answer = "{\"echo\":\"never read by the hub\"}".getBytes(StandardCharsets.UTF_8);
            if (status == 204) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Request next(Duration timeout) throws InterruptedException {
        return requests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean awaitHeld(Duration timeout) throws InterruptedException {
        return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void open() {
        gate.countDown();
    }

    int received() {
        return requests.size();
    }

    @Override
    public void close() {
        open();
        server.stop(0);
        executor.shutdownNow();
    }
}
