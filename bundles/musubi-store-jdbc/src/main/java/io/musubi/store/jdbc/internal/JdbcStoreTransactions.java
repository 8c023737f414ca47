package io.musubi.store.jdbc.internal;

import io.musubi.store.StoreTransactions;
import java.util.function.Supplier;

/** {@link StoreTransactions} on the store's {@link Database}: a thread-bound connection, one commit, a shared flush. */
public final class JdbcStoreTransactions implements StoreTransactions {

    private final Database db;

    public JdbcStoreTransactions(Database db) {
        this.db = db;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return db.inTransaction(work);
    }
}
