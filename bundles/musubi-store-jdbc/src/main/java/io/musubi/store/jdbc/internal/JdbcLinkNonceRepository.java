package io.musubi.store.jdbc.internal;

import static io.musubi.store.jdbc.internal.Database.micros;

import io.musubi.store.LinkNonceRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link LinkNonceRepository} on the {@code link_nonces} table: 256 bits from {@link SecureRandom} per nonce, of which
 * only the SHA-256 digest is written. A use is one conditional update (unused and unexpired), so two concurrent uses
 * cannot both win.
 */
@Component(service = LinkNonceRepository.class)
public final class JdbcLinkNonceRepository implements LinkNonceRepository {

    private static final int MAX_USED_BY = 300;

    private final Database db;
    private final SecureRandom random = new SecureRandom();

    /** The DS component (one per repository) on the store's database component. */
    @Activate
    public JdbcLinkNonceRepository(@Reference StoreDatabase store) {
        this(store.database());
    }

    JdbcLinkNonceRepository(Database db) {
        this.db = db;
    }

    @Override
    public IssuedNonce issue(String tenantId, String customerId, Instant expiresAt) {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long now = micros(db.now());
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO link_nonces (tenant_id, nonce_hash, "
                    + "customer_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, tenantId);
                ps.setString(2, digest(nonce));
                ps.setString(3, customerId);
                ps.setLong(4, now);
                ps.setLong(5, micros(expiresAt));
                return ps.executeUpdate();
            }
        });
        return new IssuedNonce(nonce, customerId, expiresAt);
    }

    @Override
    public Optional<String> use(String tenantId, String nonce, String usedBy, Instant now) {
        Objects.requireNonNull(usedBy, "usedBy");
        if (tenantId == null || nonce == null || nonce.isEmpty() || nonce.length() > 512) {
            return Optional.empty();
        }
        String hash = digest(nonce);
        String by = usedBy.length() > MAX_USED_BY ? "sha256:" + digest(usedBy) : usedBy;
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE link_nonces SET used_at = ?, used_by = ? "
                    + "WHERE tenant_id = ? AND nonce_hash = ? AND used_at IS NULL AND expires_at >= ?")) {
                ps.setLong(1, micros(now));
                ps.setString(2, by);
                ps.setString(3, tenantId);
                ps.setString(4, hash);
                ps.setLong(5, micros(now));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT customer_id, used_by FROM link_nonces WHERE tenant_id = ? AND nonce_hash = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && by.equals(rs.getString(2)) ? Optional.of(rs.getString(1))
                            : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public long purgeExpiredBefore(Instant cutoff) {
        long limit = micros(cutoff);
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM link_nonces WHERE expires_at < ?")) {
                ps.setLong(1, limit);
                return ps.executeLargeUpdate();
            }
        });
    }

    private static String digest(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
