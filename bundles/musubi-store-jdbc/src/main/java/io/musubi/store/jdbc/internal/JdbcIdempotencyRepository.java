package io.musubi.store.jdbc.internal;

import static io.musubi.store.jdbc.internal.Database.micros;

import io.musubi.store.IdempotencyRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link IdempotencyRepository} on the {@code processed_events} table. */
@Component(service = IdempotencyRepository.class)
public final class JdbcIdempotencyRepository implements IdempotencyRepository {

    /** Event ids longer than this are stored as their SHA-256 digest (index entries must stay small). */
    static final int MAX_PLAIN_ID = 256;

    private final Database db;
    private final String insert;

    /** The DS component (one per repository) on the store's database component. */
    @Activate
    public JdbcIdempotencyRepository(@Reference StoreDatabase store) {
        this(store.database());
    }

    JdbcIdempotencyRepository(Database db) {
        this.db = db;
        this.insert = db.dialect().insertIgnore("processed_events",
                new String[] {"tenant_id", "source", "event_id", "processed_at", "interaction_id"},
                new String[] {"tenant_id", "source", "event_id"});
    }

    @Override
    public boolean markProcessed(String tenantId, String source, String eventId, String interactionId) {
        String key = key(eventId);
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(source, "source");
        long now = micros(db.now());
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                ps.setString(1, tenantId);
                ps.setString(2, source);
                ps.setString(3, key);
                ps.setLong(4, now);
                ps.setString(5, interactionId);
                if (db.dialect().insertIgnoreRepeatsKey()) {
                    ps.setString(6, tenantId);
                    ps.setString(7, source);
                    ps.setString(8, key);
                }
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (Database.isUniqueViolation(e)) {
                    return false; // a concurrent mark of the same id won (H2)
                }
                throw e;
            }
        });
    }

    @Override
    public boolean isProcessed(String tenantId, String source, String eventId) {
        String key = key(eventId);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM processed_events WHERE tenant_id = ? AND source = ? AND event_id = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, source);
                ps.setString(3, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public Optional<String> processedInteraction(String tenantId, String source, String eventId) {
        String key = key(eventId);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT interaction_id FROM processed_events"
                    + " WHERE tenant_id = ? AND source = ? AND event_id = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, source);
                ps.setString(3, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public boolean unmark(String tenantId, String source, String eventId) {
        String key = key(eventId);
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM processed_events WHERE tenant_id = ? AND source = ? AND event_id = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, source);
                ps.setString(3, key);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public long purgeOlderThan(String tenantId, Duration maxAge) {
        Objects.requireNonNull(tenantId, "tenantId");
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative");
        }
        long limit = micros(db.now().minus(maxAge)); // the clock that stamped processed_at
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM processed_events WHERE tenant_id = ? AND processed_at < ?")) {
                ps.setString(1, tenantId);
                ps.setLong(2, limit);
                return ps.executeLargeUpdate();
            }
        });
    }

    static String key(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        if (eventId.isEmpty()) {
            throw new IllegalArgumentException("eventId must not be empty");
        }
        if (eventId.length() <= MAX_PLAIN_ID) {
            return eventId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(eventId.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }
}
