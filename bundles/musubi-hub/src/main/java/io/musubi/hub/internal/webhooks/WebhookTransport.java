package io.musubi.hub.internal.webhooks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One webhook call: an HTTP/1.1 POST on a connection the hub opens itself to an address the {@link
 * io.musubi.api.OutboundAddressPolicy} has just checked — never to the host name again, so DNS cannot answer
 * differently between the check and the connection (docs/security.md says why the JDK HTTP client cannot promise
 * that). For https the TLS handshake names the URL's host (SNI) and the certificate must match that host. Only the
 * response's status line is read; the connection is then closed. No redirect is ever followed.
 *
 * <p>Timeouts: {@code connectTimeout} for the TCP connection (over all the addresses tried) and the TLS handshake,
 * then {@code readTimeout} for sending the request and reading the status. A watchdog closes the socket when both
 * have passed, so a receiver that stops reading the request cannot hold a worker.
 */
final class WebhookTransport implements AutoCloseable {

    /** Error categories: what the delivery log shows (never exception text, which can reveal network details). */
    static final String CONNECT_FAILED = "connect-failed";
    static final String TIMEOUT = "timeout";
    static final String TLS = "tls";
    static final String BAD_RESPONSE = "bad-response";
    static final String IO_ERROR = "io-error";

    /** Longest response head read (status lines and headers of interim responses). */
    static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: .*)?");

    /** A failed call, with the category the delivery log shows and the cause for the operator's debug log. */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;
        private final String category;

        Failure(String category, Throwable cause) {
            super(category, cause);
            this.category = category;
        }

        String category() {
            return category;
        }
    }

    private final Supplier<SSLContext> tlsSource;
    private volatile SSLContext tls;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final ScheduledExecutorService watchdog;

    /**
     * @param tls the TLS context receivers' certificates are checked with; asked for on the first https call (the
     *            JDK's default context loads the trust store, which need not delay the hub's start)
     */
    WebhookTransport(Supplier<SSLContext> tls, Duration connectTimeout, Duration readTimeout) {
        this.tlsSource = tls;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "musubi-webhook-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * POSTs {@code body} to {@code url} on a connection to one of {@code addresses} (tried in order while the
     * connect timeout lasts).
     *
     * @param url       an absolute http or https URL; its host is used for the Host header, SNI and the certificate
     *                  check, never resolved here
     * @param addresses the checked addresses of that host, at least one
     * @param headers   request headers (no Host, Content-Length or Connection: they are set here)
     * @return the response's status code
     * @throws Failure with a category when no status was read
     */
    int post(URI url, List<InetAddress> addresses, Map<String, String> headers, byte[] body) throws Failure {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
        byte[] head = head(url, headers, body.length);
        long connectDeadline = System.nanoTime() + connectTimeout.toNanos();
        AtomicBoolean expired = new AtomicBoolean();
        Socket socket = connect(addresses, port, connectDeadline);
        ScheduledFuture<?> guard = null;
        Socket connection = socket;
        try {
            guard = watchdog.schedule(() -> {
                expired.set(true);
                closeQuietly(socket);
            }, connectTimeout.plus(readTimeout).toNanos(), TimeUnit.NANOSECONDS);
            if (https) {
                connection = handshake(socket, hostName(url), port, connectDeadline);
            }
            long readDeadline = System.nanoTime() + readTimeout.toNanos();
            OutputStream out = connection.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            return status(connection, new BufferedInputStream(connection.getInputStream()), readDeadline);
        } catch (Failure e) {
            throw expired.get() ? new Failure(TIMEOUT, e.getCause()) : e;
        } catch (SocketTimeoutException e) {
            throw new Failure(TIMEOUT, e);
        } catch (IOException e) {
            throw new Failure(expired.get() ? TIMEOUT : IO_ERROR, e);
        } catch (RejectedExecutionException e) {
            throw new Failure(IO_ERROR, e); // the transport was closed: the hub is stopping
        } finally {
            closeQuietly(connection);
            closeQuietly(socket);
            if (guard != null) {
                guard.cancel(false);
            }
        }
    }

    private static Socket connect(List<InetAddress> addresses, int port, long deadline) throws Failure {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address to connect to");
        }
        Failure last = null;
        for (InetAddress address : addresses) {
            int left = millisLeft(deadline);
            if (left <= 0) {
                break;
            }
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(address, port), left);
                return s;
            } catch (SocketTimeoutException e) {
                last = new Failure(TIMEOUT, e);
            } catch (IOException e) {
                last = new Failure(CONNECT_FAILED, e);
            }
            closeQuietly(s);
        }
        throw last != null ? last : new Failure(TIMEOUT, null);
    }

    private SSLSocket handshake(Socket plain, String host, int port, long deadline) throws Failure {
        try {
            SSLContext context = tls;
            if (context == null) {
                context = tlsSource.get();
                tls = context;
            }
            SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the URL's host
            if (!host.contains(":") && !host.matches("[0-9.]+")) {
                p.setServerNames(List.of(new SNIHostName(host)));
            }
            s.setSSLParameters(p);
            s.setSoTimeout(Math.max(1, millisLeft(deadline)));
            s.startHandshake();
            return s;
        } catch (SocketTimeoutException e) {
            throw new Failure(TIMEOUT, e);
        } catch (SSLException | IllegalArgumentException e) {
            throw new Failure(TLS, e);
        } catch (IOException e) {
            throw new Failure(TLS, e);
        }
    }

    /** Reads status lines until a final (non-1xx) one; interim responses' headers are skipped. */
    private static int status(Socket s, InputStream in, long deadline) throws IOException {
        int[] budget = {MAX_HEAD_BYTES};
        while (true) {
            String line = line(s, in, deadline, budget);
            Matcher m = STATUS_LINE.matcher(line);
            if (!m.matches()) {
                throw new Failure(BAD_RESPONSE, null);
            }
            int status = Integer.parseInt(m.group(1));
            if (status >= 200 || status == 101) {
                return status;
            }
            while (!line(s, in, deadline, budget).isEmpty()) {
                // an interim response's headers
            }
        }
    }

    private static String line(Socket s, InputStream in, long deadline, int[] budget) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        while (true) {
            int left = millisLeft(deadline);
            if (left <= 0) {
                throw new Failure(TIMEOUT, null);
            }
            s.setSoTimeout(left);
            int c = in.read();
            if (c < 0) {
                throw new Failure(BAD_RESPONSE, null); // closed before a complete status
            }
            if (--budget[0] < 0) {
                throw new Failure(BAD_RESPONSE, null);
            }
            if (c == '\n') {
                String line = b.toString(StandardCharsets.ISO_8859_1);
                return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            }
            b.write(c);
        }
    }

    /** The request line and headers. The target is the URL's path and query, in ASCII (non-ASCII escaped). */
    static byte[] head(URI url, Map<String, String> headers, int contentLength) {
        URI ascii = URI.create(url.toASCIIString());
        String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        String target = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
        StringBuilder h = new StringBuilder(256)
                .append("POST ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(ascii.getHost()).append(ascii.getPort() < 0 ? "" : ":" + ascii.getPort())
                .append("\r\n");
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("host") || name.equals("content-length") || name.equals("connection")) {
                throw new IllegalArgumentException("header set by the transport: " + e.getKey());
            }
            h.append(checked(e.getKey())).append(": ").append(checked(e.getValue())).append("\r\n");
        }
        h.append("Content-Length: ").append(contentLength).append("\r\n")
                .append("Connection: close\r\n\r\n");
        return h.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String checked(String headerText) {
        for (int i = 0; i < headerText.length(); i++) {
            char c = headerText.charAt(i);
            if (c < 0x20 && c != '\t' || c >= 0x7f) {
                throw new IllegalArgumentException("header text must be printable ASCII");
            }
        }
        return headerText;
    }

    /** The URL's host as TLS wants it: no brackets, no trailing dot. */
    static String hostName(URI url) {
        String h = url.getHost();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static int millisLeft(long deadline) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
