package io.musubi.bench.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An HTTP/1.1 client for the load drivers, which share the hub's two cores: what they spend per request is taken
 * from the hub. The JDK's {@code HttpClient} spent ~0.6 ms of CPU per request in the offer-path driver (about 40 % of
 * a run's CPU); this one writes prepared request bytes on keep-alive connections and parses only what a driver reads
 * (the status and the {@code Location} header), with one selector thread for all responses.
 *
 * <p>One request per connection at a time (no pipelining): a request sent while every connection is busy opens a new
 * one, so the drivers bound the connections by bounding their requests in flight. Callbacks run on the selector
 * thread and must be short.
 */
public final class LoadClient implements AutoCloseable {

    /** What a request ended with: the status (or -1 on an I/O failure), its {@code Location} header or null. */
    @FunctionalInterface
    public interface Callback {
        void done(int status, String location, IOException failure);
    }

    private final InetSocketAddress address;
    /** The {@code Host} header of every request. */
    private final String host;
    private final Selector selector;
    private final Thread io;
    private final Queue<Connection> idle = new ConcurrentLinkedQueue<>();
    private final Queue<Connection> toRegister = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    /** A client of the plain-HTTP server at {@code server}'s host and port (80 when it names none). */
    public LoadClient(URI server) {
        int port = server.getPort() < 0 ? 80 : server.getPort();
        this.address = new InetSocketAddress(server.getHost(), port);
        this.host = server.getHost() + ":" + port;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.io = new Thread(this::loop, "load-client-io");
        this.io.setDaemon(true);
        this.io.start();
    }

    /**
     * The bytes of one request to this client's server: request line, {@code Host}, the given headers,
     * {@code Content-Length} when there is a body, then the body. Built once per request (or once for a request sent
     * many times).
     */
    public byte[] request(String method, String path, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null || body.length == 0) {
            return h;
        }
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** Sends a request on an idle connection (or a new one); {@code callback} runs on the selector thread. */
    public void send(byte[] request, Callback callback) {
        Connection c = idle.poll();
        while (c != null && c.dead) {
            c = idle.poll(); // closed by the server while idle
        }
        try {
            if (c == null) {
                c = open();
            }
            c.start(request, callback);
        } catch (IOException e) {
            if (c != null) {
                c.close();
            }
            callback.done(-1, null, e);
        }
    }

    private Connection open() throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.connect(address);
        ch.configureBlocking(false);
        Connection c = new Connection(ch);
        toRegister.add(c);
        selector.wakeup();
        return c;
    }

    private void loop() {
        while (!closed) {
            try {
                selector.select();
                for (Connection c; (c = toRegister.poll()) != null; ) {
                    c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection c = (Connection) key.attachment();
                    if (key.isValid() && key.isReadable()) {
                        c.read();
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    e.printStackTrace();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            io.join(2_000);
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
            selector.close();
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One keep-alive connection and the response it is reading. */
    private final class Connection {
        private final SocketChannel channel;
        private final ResponseParser parser = new ResponseParser();
        private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        private SelectionKey key;
        private volatile Callback callback;
        private volatile boolean dead;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        void start(byte[] request, Callback cb) throws IOException {
            parser.reset();
            callback = cb;
            ByteBuffer out = ByteBuffer.wrap(request);
            // An idle connection has nothing unsent, so a request of a few hundred bytes fits the socket's buffer at
            // once; a larger one waits here for room.
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    Thread.onSpinWait();
                }
            }
        }

        void read() {
            Callback cb = callback; // read first: the parser's reset by the sender is visible after it
            int n;
            try {
                n = channel.read(in);
            } catch (IOException e) {
                fail(e);
                return;
            }
            if (n < 0) {
                fail(new IOException("connection closed by the server"));
                return;
            }
            if (cb == null) {
                // Nothing asked for: the server's goodbye on an idle connection (e.g. 408). Do not reuse it.
                close();
                return;
            }
            in.flip();
            boolean complete = parser.feed(in);
            in.compact();
            if (complete) {
                int status = parser.status();
                String location = parser.location();
                callback = null;
                if (parser.keepAlive()) {
                    idle.add(this); // from here another thread may start the next request on it
                } else {
                    close();
                }
                cb.done(status, location, null);
            }
        }

        private void fail(IOException e) {
            Callback cb = callback;
            callback = null;
            close();
            if (cb != null) {
                cb.done(-1, null, e);
            }
        }

        void close() {
            dead = true;
            if (key != null) {
                key.cancel();
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a connection we give up on
            }
        }
    }
}
