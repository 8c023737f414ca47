package io.musubi.store.jdbc.internal;

import static io.musubi.store.jdbc.internal.Database.instant;
import static io.musubi.store.jdbc.internal.Database.micros;

import io.musubi.store.ApiIdempotencyRepository;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ApiIdempotencyRepository} on the {@code api_idempotency} table. Each claim records its token and the hub
 * node holding it ({@code claimed_by}); when a node opens the store, the claims it still held from an earlier run are
 * dropped, because their requests died with that run.
 */
@Component(service = ApiIdempotencyRepository.class)
public final class JdbcApiIdempotencyRepository implements ApiIdempotencyRepository {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcApiIdempotencyRepository.class);

    private final Database db;
    private final String node;
    private final String claim;

    /** The DS component (one per repository) on the store's database component, for its node. */
    @Activate
    public JdbcApiIdempotencyRepository(@Reference StoreDatabase store) {
        this(store.database(), store.nodeId());
    }

    /**
     * @param node this hub node's id among the nodes sharing the database: stable across restarts of the node
     */
    JdbcApiIdempotencyRepository(Database db, String node) {
        this.db = db;
        this.node = JdbcIdempotencyRepository.key(Objects.requireNonNull(node, "node"));
        this.claim = db.dialect().insertIgnore("api_idempotency",
                new String[] {"tenant_id", "idem_key", "request_hash", "status", "created_at", "claim_token",
                    "claimed_by"},
                new String[] {"tenant_id", "idem_key"});
    }

    /**
     * Drops the claims this node held when it last stopped (and claims from before claims named their node): their
     * requests are gone, so a retry must not wait for them. Called once when the store is opened ({@link StoreDatabase}).
     *
     * @return how many were dropped
     */
    int dropClaimsOfEarlierRuns() {
        int dropped = db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM api_idempotency WHERE status = 0 "
                    + "AND (claimed_by = ? OR claimed_by IS NULL)")) {
                ps.setString(1, node);
                return ps.executeUpdate();
            }
        });
        if (dropped > 0) {
            LOG.info("Dropped {} Idempotency-Key claim(s) of requests that were in progress when this node stopped",
                    dropped);
        }
        return dropped;
    }

    @Override
    public Optional<Claim> claim(String tenantId, String key, String requestHash, Duration timeout) {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(requestHash, "requestHash");
        Objects.requireNonNull(timeout, "timeout");
        String k = JdbcIdempotencyRepository.key(key);
        String token = UUID.randomUUID().toString();
        Instant now = db.now();
        boolean claimed = db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(claim)) {
                ps.setString(1, tenantId);
                ps.setString(2, k);
                ps.setString(3, requestHash);
                ps.setInt(4, 0);
                ps.setLong(5, micros(now));
                ps.setString(6, token);
                ps.setString(7, node);
                if (db.dialect().insertIgnoreRepeatsKey()) {
                    ps.setString(8, tenantId);
                    ps.setString(9, k);
                }
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            } catch (SQLException e) {
                if (!Database.isUniqueViolation(e)) {
                    throw e;
                }
            }
            return false;
        });
        if (!claimed) {
            // Taken: take it over if it is the same request, still in progress, and its claim has expired. One
            // UPDATE, so of two retries racing for an expired claim exactly one wins.
            claimed = db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE api_idempotency SET claim_token = ?, "
                        + "claimed_by = ?, created_at = ? WHERE tenant_id = ? AND idem_key = ? AND status = 0 "
                        + "AND request_hash = ? AND created_at < ?")) {
                    ps.setString(1, token);
                    ps.setString(2, node);
                    ps.setLong(3, micros(now));
                    ps.setString(4, tenantId);
                    ps.setString(5, k);
                    ps.setString(6, requestHash);
                    ps.setLong(7, micros(now.minus(timeout)));
                    return ps.executeUpdate() == 1;
                }
            });
        }
        return claimed ? Optional.of(new Claim(tenantId, key, token)) : Optional.empty();
    }

    @Override
    public Optional<Stored> find(String tenantId, String key) {
        String k = JdbcIdempotencyRepository.key(key);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT request_hash, status, location, body, created_at "
                    + "FROM api_idempotency WHERE tenant_id = ? AND idem_key = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, k);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Stored(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                                    instant(rs.getLong(5))))
                            : Optional.<Stored>empty();
                }
            }
        });
    }

    @Override
    public boolean complete(Claim held, int status, String location, String body) {
        if (status <= 0) {
            throw new IllegalArgumentException("status must be an HTTP status");
        }
        String k = JdbcIdempotencyRepository.key(held.key());
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_idempotency SET status = ?, location = ?, "
                    + "body = ? WHERE tenant_id = ? AND idem_key = ? AND status = 0 AND claim_token = ?")) {
                ps.setInt(1, status);
                ps.setString(2, location);
                ps.setString(3, body);
                ps.setString(4, held.tenantId());
                ps.setString(5, k);
                ps.setString(6, held.token());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void release(Claim held) {
        String k = JdbcIdempotencyRepository.key(held.key());
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM api_idempotency WHERE tenant_id = ? "
                    + "AND idem_key = ? AND status = 0 AND claim_token = ?")) {
                ps.setString(1, held.tenantId());
                ps.setString(2, k);
                ps.setString(3, held.token());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long purgeBefore(Instant cutoff) {
        long limit = micros(cutoff);
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM api_idempotency WHERE created_at < ?")) {
                ps.setLong(1, limit);
                return ps.executeLargeUpdate();
            }
        });
    }
}
