package io.musubi.testkit;

import io.musubi.store.HistoryException;
import io.musubi.store.StoreTransactions;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A store's transactions whose commits go through while their durability waits for the test: each
 * {@link #awaitDurable()} takes one permit of {@link #flushes} (release many to let every flush through) and then
 * fails while {@link #failures} is above zero, one failure per flush; commits and flushes asked for are counted.
 * {@link #inTransaction} is a commit followed by such a wait.
 */
public final class HeldFlushes implements StoreTransactions {

    private final StoreTransactions real;
    /** Transactions committed through {@link #inTransactionCommitted} or {@link #inTransaction}. */
    public final AtomicInteger commits = new AtomicInteger();
    /** Calls of {@link #awaitDurable()}, counted when they start waiting. */
    public final AtomicInteger flushCalls = new AtomicInteger();
    /** One permit per flush let through. */
    public final Semaphore flushes = new Semaphore(0);
    /** The next flushes let through that fail instead. */
    public final AtomicInteger failures = new AtomicInteger();

    public HeldFlushes(StoreTransactions real) {
        this.real = real;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        T result = inTransactionCommitted(work);
        awaitDurable();
        return result;
    }

    @Override
    public <T> T inTransactionCommitted(Supplier<T> work) {
        T result = real.inTransactionCommitted(work);
        commits.incrementAndGet();
        return result;
    }

    @Override
    public void awaitDurable() {
        flushCalls.incrementAndGet();
        flushes.acquireUninterruptibly();
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new HistoryException("flush failed (test)");
        }
        real.awaitDurable();
    }
}
