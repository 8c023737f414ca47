package io.musubi.store.jdbc.internal;

import io.musubi.store.StoreTransactions;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link StoreTransactions} on the store's {@link Database}: a thread-bound connection, one commit, a shared flush. */
@Component(service = StoreTransactions.class)
public final class JdbcStoreTransactions implements StoreTransactions {

    private final Database db;

    /** The DS component (one per repository) on the store's database component. */
    @Activate
    public JdbcStoreTransactions(@Reference StoreDatabase store) {
        this(store.database());
    }

    JdbcStoreTransactions(Database db) {
        this.db = db;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return db.inTransaction(work);
    }

    @Override
    public <T> T inTransactionCommitted(Supplier<T> work) {
        return db.inTransactionCommitted(work);
    }

    @Override
    public void awaitDurable() {
        db.awaitDurable();
    }
}
