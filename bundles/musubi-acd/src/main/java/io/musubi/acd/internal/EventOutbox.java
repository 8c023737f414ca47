package io.musubi.acd.internal;

import io.musubi.acd.AcdEventSink;
import io.musubi.acd.AcdListener;
import io.musubi.model.InteractionEvent;
import io.musubi.model.PresenceChange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's events on their way out. Under the engine's lock ({@link #post}), in the order of the state changes:
 * each event goes to the one in-lock {@link AcdEventSink} at once and into the outbox; after the command, outside the
 * lock ({@link #drain}), the outbox is delivered to the {@link AcdListener}s by one thread at a time. It has no lock
 * of its own: it uses the engine's (the outbox swap) and a "draining" flag that elects the one delivering thread.
 */
final class EventOutbox {
    private static final System.Logger LOG = System.getLogger(EventOutbox.class.getName());

    private final ReentrantLock lock;
    /** Snapshot array, replaced on add/remove (copy-on-write without an iterator per delivery). */
    private volatile AcdListener[] listeners = new AcdListener[0];
    private volatile boolean hasListeners;
    /** Events of the state changes, in order; guarded by the engine's lock, swapped out whole by the drainer. */
    private ArrayList<Object> outbox = new ArrayList<>();
    /** The drainer's empty list for the next swap; only touched by the thread holding {@link #draining}. */
    private ArrayList<Object> spareOutbox = new ArrayList<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** The in-lock sink; guarded by the engine's lock. */
    private AcdEventSink sink;
    private boolean sinkFailed;
    private long sinkFailures;
    /** Whether events are built at all: a listener or a sink wants them; guarded by the engine's lock. */
    private boolean emitting;
    /** Event ids: {@code acd-<random hex>-<base-36 sequence>}, built in {@link #idBuf} (guarded by the lock). */
    private final byte[] idBuf;
    private final int idPrefixLength;
    private long eventSeq;

    EventOutbox(ReentrantLock lock) {
        this.lock = lock;
        byte[] prefix = ("acd-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL) + "-")
                .getBytes(StandardCharsets.ISO_8859_1);
        this.idBuf = Arrays.copyOf(prefix, prefix.length + 13);
        this.idPrefixLength = prefix.length;
    }

    /** Whether anyone wants events (with nobody, no event object is built); under the lock. */
    boolean emitting() {
        return emitting;
    }

    /** Hands an event to the in-lock sink and queues it for the listeners (under the lock, in engine order). */
    void post(Object e) {
        AcdEventSink s = sink;
        if (s != null) {
            try {
                if (e instanceof InteractionEvent ie) {
                    s.onInteractionEvent(ie);
                } else {
                    s.onPresenceChange((PresenceChange) e);
                }
            } catch (RuntimeException ex) {
                sinkFailures++;
                if (!sinkFailed) {
                    sinkFailed = true;
                    LOG.log(System.Logger.Level.ERROR, "ACD event sink " + s + " failed (logged once; failures are "
                            + "counted)", ex);
                }
            }
        }
        if (hasListeners) {
            outbox.add(e);
        }
    }

    /** Under the lock: whether events wait for the listeners. */
    boolean hasPending() {
        return !outbox.isEmpty();
    }

    /** The next event id; one byte array and one String (no intermediate strings). Under the lock. */
    String nextEventId() {
        long v = ++eventSeq;
        byte[] b = idBuf;
        int end = b.length;
        int i = end;
        do {
            int d = (int) (v % 36);
            b[--i] = (byte) (d < 10 ? '0' + d : 'a' + d - 10);
            v /= 36;
        } while (v > 0);
        int digits = end - i;
        System.arraycopy(b, i, b, idPrefixLength, digits);
        return new String(b, 0, idPrefixLength + digits, StandardCharsets.ISO_8859_1);
    }

    /**
     * Delivers the events produced so far, in order, one thread at a time, outside the state lock. The drainer swaps
     * the whole outbox for an empty list under the lock and delivers the batch; a thread that finds another one
     * draining leaves its events to it, and the drainer looks again after clearing the flag, so nothing is left
     * behind.
     */
    void drain() {
        do {
            if (!draining.compareAndSet(false, true)) {
                return;
            }
            try {
                while (true) {
                    ArrayList<Object> batch;
                    lock.lock();
                    try {
                        if (outbox.isEmpty()) {
                            break;
                        }
                        batch = outbox;
                        outbox = spareOutbox;
                    } finally {
                        lock.unlock();
                    }
                    spareOutbox = null;
                    try {
                        deliver(batch);
                    } finally {
                        batch.clear();
                        spareOutbox = batch;
                    }
                }
            } finally {
                draining.set(false);
            }
        } while (outboxPending());
    }

    private boolean outboxPending() {
        lock.lock();
        try {
            return !outbox.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private void deliver(ArrayList<Object> batch) {
        AcdListener[] ls = listeners;
        for (int i = 0, n = batch.size(); i < n; i++) {
            Object e = batch.get(i);
            for (AcdListener l : ls) {
                try {
                    if (e instanceof InteractionEvent ie) {
                        l.onInteractionEvent(ie);
                    } else {
                        l.onPresenceChange((PresenceChange) e);
                    }
                } catch (RuntimeException ex) {
                    LOG.log(System.Logger.Level.WARNING, "ACD listener " + l + " failed", ex);
                }
            }
        }
    }

    void addListener(AcdListener listener) {
        Objects.requireNonNull(listener);
        synchronized (draining) {
            AcdListener[] ls = Arrays.copyOf(listeners, listeners.length + 1);
            ls[ls.length - 1] = listener;
            listeners = ls;
            hasListeners = true;
        }
        updateEmitting();
    }

    void removeListener(AcdListener listener) {
        synchronized (draining) {
            AcdListener[] ls = listeners;
            for (int i = 0; i < ls.length; i++) {
                if (ls[i].equals(listener)) {
                    AcdListener[] n = new AcdListener[ls.length - 1];
                    System.arraycopy(ls, 0, n, 0, i);
                    System.arraycopy(ls, i + 1, n, i, ls.length - i - 1);
                    listeners = n;
                    hasListeners = n.length > 0;
                    break;
                }
            }
        }
        updateEmitting();
    }

    void setSink(AcdEventSink eventSink) {
        lock.lock();
        try {
            sink = eventSink;
            sinkFailed = false;
            emitting = hasListeners || sink != null;
        } finally {
            lock.unlock();
        }
    }

    long sinkFailures() {
        lock.lock();
        try {
            return sinkFailures;
        } finally {
            lock.unlock();
        }
    }

    private void updateEmitting() {
        lock.lock();
        try {
            emitting = hasListeners || sink != null;
        } finally {
            lock.unlock();
        }
    }
}
