package io.musubi.store.jdbc.internal;

import static io.musubi.store.jdbc.internal.Database.instant;
import static io.musubi.store.jdbc.internal.Database.micros;

import io.musubi.store.ApiKey;
import io.musubi.store.ApiKeyRepository;
import io.musubi.store.IssuedApiKey;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link ApiKeyRepository} on the {@code api_keys} table. Ids and secrets come from {@link SecureRandom}: 64 bits of
 * id (public, unique by the primary key) and 256 bits of secret, of which only the SHA-256 digest is written.
 */
@Component(service = ApiKeyRepository.class)
public final class JdbcApiKeyRepository implements ApiKeyRepository {

    private static final String COLUMNS = "id, tenant_id, name, roles, agent_id, secret_hash, created_at, revoked_at";

    private final Database db;
    private final SecureRandom random = new SecureRandom();

    /** The DS component (one per repository) on the store's database component. */
    @Activate
    public JdbcApiKeyRepository(@Reference StoreDatabase store) {
        this(store.database());
    }

    JdbcApiKeyRepository(Database db) {
        this.db = db;
    }

    @Override
    public IssuedApiKey create(String tenantId, String name, Set<String> roles, String agentId) {
        byte[] idBytes = new byte[8];
        byte[] secretBytes = new byte[32];
        random.nextBytes(idBytes);
        random.nextBytes(secretBytes);
        String id = HexFormat.of().formatHex(idBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        Instant now = Database.instant(micros(db.now()));
        ApiKey key = new ApiKey(id, tenantId, name, roles, agentId, ApiKey.digest(secret), now, null);
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, NULL)")) {
                ps.setString(1, key.id());
                ps.setString(2, key.tenantId());
                ps.setString(3, key.name());
                ps.setString(4, String.join(",", key.roles()));
                if (key.agentId() == null) {
                    ps.setNull(5, Types.VARCHAR);
                } else {
                    ps.setString(5, key.agentId());
                }
                ps.setString(6, key.secretHash());
                ps.setLong(7, micros(key.createdAt()));
                return ps.executeUpdate();
            }
        });
        return new IssuedApiKey(key, ApiKey.format(id, secret));
    }

    @Override
    public Optional<ApiKey> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<ApiKey> list(String tenantId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM api_keys WHERE tenant_id = ? ORDER BY created_at, id")) {
                ps.setString(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<ApiKey> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public boolean revoke(String tenantId, String id) {
        long now = micros(db.now());
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_keys SET revoked_at = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL")) {
                ps.setLong(1, now);
                ps.setString(2, tenantId);
                ps.setString(3, id);
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM api_keys WHERE tenant_id = ? AND id = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public boolean anyActive() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM api_keys WHERE revoked_at IS NULL FETCH FIRST 1 ROWS ONLY");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    private static ApiKey row(ResultSet rs) throws SQLException {
        long revoked = rs.getLong(8);
        Instant revokedAt = rs.wasNull() ? null : instant(revoked);
        Set<String> roles = new TreeSet<>(Arrays.asList(rs.getString(4).split(",")));
        return new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), roles, rs.getString(5),
                rs.getString(6), instant(rs.getLong(7)), revokedAt);
    }

    @Override
    public String toString() {
        return "JdbcApiKeyRepository[" + db.dialect().productName() + "]";
    }
}
