package io.musubi.store;

import java.util.function.Supplier;

/**
 * One store transaction across repositories: everything the calling thread does through any repository of this
 * store inside {@code work} joins one database transaction, which commits once at the end. For the ingress: customer
 * resolution, the interaction row, its events and the idempotency mark of one inbound event commit together.
 *
 * <ul>
 *   <li>{@link #inTransaction} returns only when the commit is durable (concurrent transactions share the flush:
 *       group commit).</li>
 *   <li>If {@code work} throws, the transaction is rolled back and the exception propagates; nothing of it is
 *       stored. Do not catch a store exception inside {@code work} and carry on: on PostgreSQL the failed statement
 *       has aborted the transaction.</li>
 *   <li>A nested call joins the outer transaction. Calls outside a transaction behave as before: each is its own
 *       transaction.</li>
 *   <li>The transaction is bound to the calling thread: work handed to other threads does not join it.</li>
 *   <li>Reads inside {@code work} see the transaction's own writes.</li>
 * </ul>
 */
public interface StoreTransactions {

    /**
     * Runs {@code work} in one transaction.
     *
     * @return what {@code work} returned, once the transaction is committed and durable
     * @throws HistoryException if the commit fails (the transaction is rolled back)
     */
    <T> T inTransaction(Supplier<T> work);

    /**
     * As {@link #inTransaction}, but returns once the transaction is committed, possibly before it is durable (embedded
     * H2 makes commits durable in shared flushes): the caller must call {@link #awaitDurable()} before it tells anyone
     * of what it wrote. Lets one writer commit its next batch while the previous one is being flushed. On a store whose
     * commits are durable at once (PostgreSQL), and by default, this is {@link #inTransaction}.
     *
     * @return what {@code work} returned, once the transaction is committed
     */
    default <T> T inTransactionCommitted(Supplier<T> work) {
        return inTransaction(work);
    }

    /**
     * Returns once every transaction committed before this call, by any thread, is durable; concurrent callers share
     * one flush. A no-op where commits are durable at once.
     *
     * @throws HistoryException if the store could not make them durable (they are committed: a later call that
     *                          succeeds covers them)
     */
    default void awaitDurable() {
    }

    /** {@link #inTransaction(Supplier)} for work without a result. */
    default void runInTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
