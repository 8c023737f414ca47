package io.musubi.connector.webchat.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link WebchatApi} on the HTTP whiteboard at {@code /webchat/<id>/*}, outside the REST API: visitors have no API
 * key, their token is checked here. {@code GET /stream} is a Server-Sent Events stream written by a thread of the
 * instance's own pool (never one of Jetty's): the transcript after {@code Last-Event-ID}, then lines and signals as
 * they come, with a comment heartbeat; it ends when the visitor token it was opened with expires (the widget has
 * renewed it by then and reconnects).
 */
final class WebchatServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    static final int STREAM_QUEUE = Visitors.MAX_LINES + 256;
    static final String PAGE_HEADER = "X-Musubi-Page";

    private final transient WebchatApi api;
    private final transient Visitors visitors;
    private final transient ExecutorService streams;
    private final transient Clock clock;

    WebchatServlet(WebchatApi api, Visitors visitors, ExecutorService streams, Clock clock) {
        this.api = api;
        this.visitors = visitors;
        this.streams = streams;
        this.clock = clock;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        byte[] body = readLimited(req);
        if (body == null) {
            write(resp, new WebchatApi.Refusal(413, "body larger than " + WebchatApi.MAX_BODY + " bytes").reply());
            return;
        }
        WebchatApi.Request request = request(req, body);
        WebchatApi.Reply reply = switch (path) {
            case "/session" -> api.session(request);
            case "/messages" -> api.message(request);
            case "/calls" -> api.call(request);
            case "/signals" -> api.signal(request);
            default -> new WebchatApi.Refusal(404, "no such web chat endpoint").reply();
        };
        write(resp, reply);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"/stream".equals(req.getPathInfo())) {
            write(resp, new WebchatApi.Refusal(404, "no such web chat endpoint").reply());
            return;
        }
        VisitorTokens.Visitor visitor;
        long after;
        try {
            visitor = api.streamVisitor(request(req, new byte[0]));
            after = WebchatApi.resumeAfter(req.getHeader("Last-Event-ID"));
        } catch (WebchatApi.Refusal e) {
            write(resp, e.reply());
            return;
        }
        Connection connection = new Connection(visitor);
        try {
            visitors.open(visitor.id(), after, connection);
        } catch (Visitors.TooManyStreamsException e) {
            write(resp, new WebchatApi.Refusal(e.getMessage().contains("per visitor") ? 429 : 503, e.getMessage(), 5)
                    .reply());
            return;
        }
        resp.setStatus(200);
        resp.setContentType("text/event-stream;charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Accel-Buffering", "no");
        AsyncContext async;
        try {
            async = req.startAsync();
        } catch (IllegalStateException e) {
            visitors.close(visitor.id(), connection);
            throw e;
        }
        async.setTimeout(0);
        connection.attach(async, resp.getOutputStream());
        try {
            streams.execute(connection::run);
        } catch (RejectedExecutionException e) {
            connection.close();
        }
    }

    private static WebchatApi.Request request(HttpServletRequest req, byte[] body) {
        return new WebchatApi.Request(req.getHeader("Authorization"), req.getRemoteAddr(), req.getHeader(PAGE_HEADER),
                body);
    }

    /** The body, or null when it is longer than the limit (read no further than that). */
    private static byte[] readLimited(HttpServletRequest req) throws IOException {
        if (req.getContentLengthLong() > WebchatApi.MAX_BODY) {
            return null;
        }
        try (InputStream in = req.getInputStream()) {
            byte[] body = in.readNBytes(WebchatApi.MAX_BODY + 1);
            return body.length > WebchatApi.MAX_BODY ? null : body;
        }
    }

    static void write(HttpServletResponse resp, WebchatApi.Reply reply) throws IOException {
        resp.setStatus(reply.status());
        resp.setContentType(reply.contentType() + ";charset=UTF-8");
        for (Map.Entry<String, String> h : reply.headers().entrySet()) {
            resp.setHeader(h.getKey(), h.getValue());
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    /** One open stream: frames queue here and a pool thread writes them. */
    private final class Connection implements Visitors.Stream, AsyncListener {

        private final VisitorTokens.Visitor visitor;
        private final BlockingQueue<String> frames = new ArrayBlockingQueue<>(STREAM_QUEUE);
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile AsyncContext async;
        private volatile ServletOutputStream out;

        Connection(VisitorTokens.Visitor visitor) {
            this.visitor = visitor;
        }

        void attach(AsyncContext context, ServletOutputStream stream) {
            this.async = context;
            this.out = stream;
            context.addListener(this);
        }

        @Override
        public boolean offer(String frame) {
            return !closed.get() && frames.offer(frame);
        }

        void run() {
            try {
                send(": connected\n\n");
                while (!closed.get()) {
                    Instant now = clock.instant();
                    if (!now.isBefore(visitor.expiresAt())) {
                        send("event: expired\ndata: {}\n\n");
                        break;
                    }
                    long wait = Math.min(HEARTBEAT.toMillis(),
                            Math.max(1, Duration.between(now, visitor.expiresAt()).toMillis()));
                    String frame = frames.poll(wait, TimeUnit.MILLISECONDS);
                    send(frame == null ? ": heartbeat\n\n" : frame);
                    while ((frame = frames.poll()) != null) {
                        send(frame);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the visitor went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }

        private void send(String frame) throws IOException {
            out.write(frame.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                visitors.close(visitor.id(), this);
                frames.offer(": closing\n\n");
                AsyncContext a = async;
                if (a != null) {
                    try {
                        a.complete();
                    } catch (IllegalStateException alreadyDone) {
                        // completed by the container
                    }
                }
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            close();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            close();
        }

        @Override
        public void onError(AsyncEvent event) {
            close();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // nothing to do
        }
    }
}
