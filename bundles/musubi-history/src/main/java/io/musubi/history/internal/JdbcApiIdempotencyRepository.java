package io.musubi.history.internal;

import static io.musubi.history.internal.Database.instant;
import static io.musubi.history.internal.Database.micros;

import io.musubi.history.ApiIdempotencyRepository;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** {@link ApiIdempotencyRepository} on the {@code api_idempotency} table. */
public final class JdbcApiIdempotencyRepository implements ApiIdempotencyRepository {

    private final Database db;
    private final String claim;

    public JdbcApiIdempotencyRepository(Database db) {
        this.db = db;
        this.claim = db.dialect().insertIgnore("api_idempotency",
                new String[] {"tenant_id", "idem_key", "request_hash", "status", "created_at"},
                new String[] {"tenant_id", "idem_key"});
    }

    @Override
    public boolean claim(String tenantId, String key, String requestHash) {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(requestHash, "requestHash");
        String k = JdbcIdempotencyRepository.key(key);
        long now = micros(db.now());
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(claim)) {
                ps.setString(1, tenantId);
                ps.setString(2, k);
                ps.setString(3, requestHash);
                ps.setInt(4, 0);
                ps.setLong(5, now);
                if (db.dialect().insertIgnoreRepeatsKey()) {
                    ps.setString(6, tenantId);
                    ps.setString(7, k);
                }
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (Database.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
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
    public void complete(String tenantId, String key, int status, String location, String body) {
        if (status <= 0) {
            throw new IllegalArgumentException("status must be an HTTP status");
        }
        String k = JdbcIdempotencyRepository.key(key);
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_idempotency SET status = ?, location = ?, "
                    + "body = ? WHERE tenant_id = ? AND idem_key = ?")) {
                ps.setInt(1, status);
                ps.setString(2, location);
                ps.setString(3, body);
                ps.setString(4, tenantId);
                ps.setString(5, k);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void release(String tenantId, String key) {
        String k = JdbcIdempotencyRepository.key(key);
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM api_idempotency WHERE tenant_id = ? AND idem_key = ? AND status = 0")) {
                ps.setString(1, tenantId);
                ps.setString(2, k);
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
