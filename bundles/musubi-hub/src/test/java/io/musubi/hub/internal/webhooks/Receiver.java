package io.musubi.hub.internal.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
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
import javax.net.ssl.SSLContext;

/**
 * A webhook receiver on the JDK's HTTP(S) server on 127.0.0.1: records every request and answers with scripted
 * statuses (the last one repeats; a 3xx names {@link #redirectTo} as its Location). With a gate, it holds each
 * request until the gate opens.
 */
public final class Receiver implements AutoCloseable {

    /** One received request; header names lower case. */
    public record Request(String method, Map<String, String> headers, String body) {
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
    private final String scheme;
    private volatile String redirectTo = "http://127.0.0.1:9/elsewhere";
    private int answered;

    private Receiver(List<Integer> statuses, CountDownLatch gate, SSLContext tls) throws IOException {
        this.statuses = new ArrayList<>(statuses);
        this.gate = gate;
        InetSocketAddress local = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        if (tls == null) {
            server = HttpServer.create(local, 0);
            scheme = "http";
        } else {
            HttpsServer https = HttpsServer.create(local, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
            scheme = "https";
        }
        server.createContext("/hook", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static Receiver answering(Integer... statuses) throws IOException {
        return new Receiver(List.of(statuses), new CountDownLatch(0), null);
    }

    /** An https receiver with the server certificate of {@code tls}. */
    static Receiver https(SSLContext tls, Integer... statuses) throws IOException {
        return new Receiver(List.of(statuses), new CountDownLatch(0), tls);
    }

    /** A receiver that holds every request until {@link #open()}. */
    static Receiver gated(Integer status) throws IOException {
        return new Receiver(List.of(status), new CountDownLatch(1), null);
    }

    public String url() {
        return url("127.0.0.1");
    }

    /** The receiver's URL under another host name (which the test's DNS must lead to 127.0.0.1). */
    String url(String host) {
        return scheme + "://" + host + ":" + port() + "/hook?token=t0p";
    }

    int port() {
        return server.getAddress().getPort();
    }

    Receiver redirectingTo(String location) {
        this.redirectTo = location;
        return this;
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
            if (status >= 300 && status < 400) {
                exchange.getResponseHeaders().add("Location", redirectTo);
            }
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

    public Request next(Duration timeout) throws InterruptedException {
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
