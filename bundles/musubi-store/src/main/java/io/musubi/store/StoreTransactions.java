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

    /** {@link #inTransaction(Supplier)} for work without a result. */
    default void runInTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
