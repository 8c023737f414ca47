package io.musubi.hub.internal.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The frames of a Server-Sent Events stream as a test sees them, in the order written: the hub's {@link RecordingSink}
 * (what a stream writes) and the REST tests' stream client (what a client reads) both collect into one.
 */
public final class SseFrames {

    /** One frame: an event (id, type, data) or a comment (id, type and data null). */
    public record Frame(String id, String type, String data, String comment) {
        public boolean isEvent() {
            return comment == null;
        }
    }

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();

    public void add(Frame frame) {
        frames.add(frame);
    }

    /** The next event frame (comments skipped), or null after the timeout. */
    public Frame nextEvent(Duration timeout) throws InterruptedException {
        return next(timeout, true);
    }

    /** The next comment frame (events skipped), or null after the timeout. */
    public Frame nextComment(Duration timeout) throws InterruptedException {
        return next(timeout, false);
    }

    private Frame next(Duration timeout, boolean event) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame f = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (f == null || f.isEvent() == event) {
                return f;
            }
        }
    }

    /** The events collected so far, without waiting (comments dropped). */
    public List<Frame> drainEvents() {
        List<Frame> out = new ArrayList<>();
        frames.drainTo(out);
        out.removeIf(f -> !f.isEvent());
        return out;
    }
}
