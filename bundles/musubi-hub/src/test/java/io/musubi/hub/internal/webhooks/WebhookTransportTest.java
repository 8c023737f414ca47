package io.musubi.hub.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook transport against scripted raw-socket peers: what it sends, and how each failure is categorised. */
class WebhookTransportTest {

    private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json");
    private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    private final WebhookTransport transport = new WebhookTransport(WebhookTransportTest::defaultTls,
            Duration.ofSeconds(2), Duration.ofSeconds(1));
    private Peer peer;

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() throws IOException {
        transport.close();
        if (peer != null) {
            peer.close();
        }
    }

    /** A peer that reads the request head and (unless told not to) the body, then runs its script. */
    private static final class Peer implements AutoCloseable {
        interface Script {
            void run(Socket s, InputStream in, OutputStream out) throws Exception;
        }

        final ServerSocket server;
        final BlockingQueue<String> heads = new LinkedBlockingQueue<>();
        final CountDownLatch done = new CountDownLatch(1);

        Peer(Script script) throws IOException {
            this(true, script);
        }

        Peer(boolean readBody, Script script) throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    ByteArrayOutputStream head = new ByteArrayOutputStream();
                    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                        int c = in.read();
                        if (c < 0) {
                            break;
                        }
                        head.write(c);
                    }
                    String text = head.toString(StandardCharsets.ISO_8859_1);
                    heads.add(text);
                    if (readBody) {
                        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Content-Length: (\\d+)")
                                .matcher(text);
                        in.readNBytes(m.find() ? Integer.parseInt(m.group(1)) : 0);
                    }
                    script.run(s, in, s.getOutputStream());
                } catch (Exception e) {
                    // the transport hung up: expected in the timeout cases
                } finally {
                    done.countDown();
                }
            }, "transport-test-peer");
            t.setDaemon(true);
            t.start();
        }

        URI url(String path) {
            return URI.create("http://hooks.example:" + server.getLocalPort() + path);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private int post(URI url) throws WebhookTransport.Failure {
        return transport.post(url, List.of(loopback()), HEADERS, BODY);
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByName("127.0.0.1");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private void assertCategory(URI url, String category) {
        assertThatThrownBy(() -> post(url)).isInstanceOfSatisfying(WebhookTransport.Failure.class,
                f -> assertThat(f.category()).isEqualTo(category));
    }

    @Test
    void sendsOneRequestToTheGivenAddressWithTheUrlsHostAndReadsTheStatus() throws Exception {
        peer = new Peer((s, in, out) -> {
            answer(out, "HTTP/1.1 202 Accepted\r\nContent-Length: 5\r\n\r\nnever");
        });

        assertThat(post(peer.url("/hook?x=1&y=%20"))).isEqualTo(202);

        String head = peer.heads.poll(5, TimeUnit.SECONDS);
        assertThat(head).startsWith("POST /hook?x=1&y=%20 HTTP/1.1\r\n")
                .contains("\r\nHost: hooks.example:" + peer.server.getLocalPort() + "\r\n",
                        "\r\nContent-Type: application/json\r\n", "\r\nContent-Length: " + BODY.length + "\r\n",
                        "\r\nConnection: close\r\n");
    }

    @Test
    void interimResponsesAreSkipped() throws Exception {
        peer = new Peer((s, in, out) -> answer(out,
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.0 503 Busy\r\n\r\n"));

        assertThat(post(peer.url(""))).isEqualTo(503);
        assertThat(peer.heads.poll(5, TimeUnit.SECONDS)).startsWith("POST / HTTP/1.1\r\n");
    }

    @Test
    void somethingThatIsNotHttpIsABadResponse() throws Exception {
        peer = new Peer((s, in, out) -> answer(out, "SSH-2.0-OpenSSH_9.2\r\n"));

        assertCategory(peer.url("/"), WebhookTransport.BAD_RESPONSE);
    }

    @Test
    void aConnectionClosedBeforeTheStatusIsABadResponse() throws Exception {
        peer = new Peer((s, in, out) -> answer(out, "HTTP/1.1 2"));

        assertCategory(peer.url("/"), WebhookTransport.BAD_RESPONSE);
    }

    @Test
    void anEndlessHeadIsABadResponse() throws Exception {
        peer = new Peer((s, in, out) -> {
            answer(out, "HTTP/1.1 100 Continue\r\n");
            for (int i = 0; i < 2000; i++) {
                answer(out, "X-Filler: " + "x".repeat(20) + "\r\n");
            }
        });

        assertCategory(peer.url("/"), WebhookTransport.BAD_RESPONSE);
    }

    @Test
    void aStatusTrickledSlowerThanTheReadTimeoutIsATimeout() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        peer = new Peer((s, in, out) -> {
            for (char c : "HTTP/1.1 200 OK with a very long reason phrase".toCharArray()) {
                answer(out, String.valueOf(c));
                if (stop.await(100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        });
        try {
            assertCategory(peer.url("/"), WebhookTransport.TIMEOUT);
        } finally {
            stop.countDown();
        }
    }

    @Test
    void aReceiverThatStopsReadingTheRequestIsATimeout() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        peer = new Peer(false, (s, in, out) -> stop.await(10, TimeUnit.SECONDS)); // never reads the body
        byte[] large = new byte[32 * 1024 * 1024];
        try {
            assertThatThrownBy(() -> transport.post(peer.url("/"), List.of(loopback()), HEADERS, large))
                    .isInstanceOfSatisfying(WebhookTransport.Failure.class,
                            f -> assertThat(f.category()).isEqualTo(WebhookTransport.TIMEOUT));
        } finally {
            stop.countDown();
        }
    }

    @Test
    void theNextAddressIsTriedWhenOneRefusesAndAllRefusingIsAConnectFailure() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, loopback())) {
            closed = s.getLocalPort();
        }
        peer = new Peer((s, in, out) -> answer(out, "HTTP/1.1 204 No Content\r\n\r\n"));
        InetAddress first = InetAddress.getByName("127.0.0.1");

        assertThat(transport.post(URI.create("http://hooks.example:" + peer.server.getLocalPort() + "/"),
                List.of(InetAddress.getByName("127.0.0.3"), first), HEADERS, BODY)).isEqualTo(204);
        assertThatThrownBy(() -> transport.post(URI.create("http://hooks.example:" + closed + "/"),
                List.of(first, first), HEADERS, BODY)).isInstanceOfSatisfying(WebhookTransport.Failure.class,
                        f -> assertThat(f.category()).isEqualTo(WebhookTransport.CONNECT_FAILED));
    }

    @Test
    void theRequestHeadIsAsciiAndRefusesInjectedLines() {
        String head = new String(WebhookTransport.head(URI.create("https://[::1]:8443/h%C3%A4/ü?q=ü"),
                Map.of("A", "b"), 3), StandardCharsets.US_ASCII);

        assertThat(head).startsWith("POST /h%C3%A4/%C3%BC?q=%C3%BC HTTP/1.1\r\nHost: [::1]:8443\r\n");
        assertThatThrownBy(() -> WebhookTransport.head(URI.create("https://x.example/"),
                Map.of("X-Evil", "a\r\nHost: y"), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookTransport.head(URI.create("https://x.example/"), Map.of("Host", "y"), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(WebhookTransport.hostName(URI.create("https://Hooks.Example./x"))).isEqualTo("Hooks.Example");
        assertThat(WebhookTransport.hostName(URI.create("https://[::1]/x"))).isEqualTo("::1");
    }
}
