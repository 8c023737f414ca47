package io.musubi.hub.internal.events;

import io.musubi.hub.events.EventStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** An {@link EventStream.Sink} that records what a stream would write; optionally blocks on its first event. */
final class RecordingSink implements EventStream.Sink {

    private final SseFrames frames = new SseFrames();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch release;
    private final CountDownLatch blocked = new CountDownLatch(1);
    private final boolean failing;

    RecordingSink() {
        this(new CountDownLatch(0), false);
    }

    private RecordingSink(CountDownLatch release, boolean failing) {
        this.release = release;
        this.failing = failing;
    }

    /** A sink whose event writes fail: a client that went away. */
    static RecordingSink failing() {
        return new RecordingSink(new CountDownLatch(0), true);
    }

    /** A sink whose first event write blocks until {@link #unblock()}: a client that stopped reading. */
    static RecordingSink stuck() {
        return new RecordingSink(new CountDownLatch(1), false);
    }

    @Override
    public void event(String id, String type, String json) throws InterruptedException {
        if (failing) {
            throw new IllegalStateException("client gone");
        }
        blocked.countDown();
        release.await();
        frames.add(new SseFrames.Frame(id, type, json, null));
    }

    @Override
    public void comment(String text) {
        frames.add(new SseFrames.Frame(null, null, null, text));
    }

    @Override
    public void close() {
        closed.countDown();
    }

    void unblock() {
        release.countDown();
    }

    boolean awaitBlocked(Duration timeout) throws InterruptedException {
        return blocked.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isClosed() {
        return closed.getCount() == 0;
    }

    boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next event frame (comments skipped), or null after the timeout. */
    SseFrames.Frame nextEvent(Duration timeout) throws InterruptedException {
        return frames.nextEvent(timeout);
    }

    /** The next comment frame (events skipped), or null after the timeout. */
    SseFrames.Frame nextComment(Duration timeout) throws InterruptedException {
        return frames.nextComment(timeout);
    }

    /** The events written so far, without waiting. */
    List<SseFrames.Frame> drainEvents() {
        return frames.drainEvents();
    }
}
