package io.musubi.store.jdbc.internal;

import static io.musubi.store.jdbc.internal.Database.instant;
import static io.musubi.store.jdbc.internal.Database.micros;

import io.musubi.store.WebhookDelivery;
import io.musubi.store.WebhookDeliveryPage;
import io.musubi.store.WebhookDeliveryStatus;
import io.musubi.store.WebhookRepository;
import io.musubi.store.WebhookSubscription;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link WebhookRepository} on the {@code webhook_subscriptions} and {@code webhook_deliveries} tables. */
@Component(service = WebhookRepository.class)
public final class JdbcWebhookRepository implements WebhookRepository {

    /** Longest {@code last_error} kept (the column's size). */
    static final int MAX_ERROR = 200;

    private static final String SUBSCRIPTION_COLUMNS =
            "tenant_id, id, url, event_types, description, secret, active, created_at";
    private static final String DELIVERY_COLUMNS = "tenant_id, id, subscription_id, event_id, event_type, payload, "
            + "status, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at, seq";

    private final Database db;
    private final String insertDelivery;

    /** The DS component (one per repository) on the store's database component. */
    @Activate
    public JdbcWebhookRepository(@Reference StoreDatabase store) {
        this(store.database());
    }

    JdbcWebhookRepository(Database db) {
        this.db = db;
        this.insertDelivery = db.dialect().insertIgnore("webhook_deliveries",
                new String[] {"tenant_id", "id", "subscription_id", "event_id", "event_type", "payload", "status",
                    "attempts", "next_attempt_at", "created_at"},
                new String[] {"tenant_id", "subscription_id", "event_id"});
    }

    // ---------------------------------------------------------------- subscriptions

    @Override
    public WebhookSubscription createSubscription(String tenantId, String url, Set<String> eventTypes,
                                                  String description, String secret) {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        Set<String> types = new TreeSet<>(eventTypes);
        for (String t : types) {
            if (t.isBlank() || t.indexOf(',') >= 0) {
                throw new IllegalArgumentException("an event type must not be blank or contain a comma");
            }
        }
        WebhookSubscription s = new WebhookSubscription(UUID.randomUUID().toString(), tenantId, url, types,
                description, secret, true, instant(micros(db.now())));
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_subscriptions (" + SUBSCRIPTION_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, s.tenantId());
                ps.setString(2, s.id());
                ps.setString(3, s.url());
                ps.setString(4, String.join(",", types));
                ps.setString(5, s.description());
                ps.setString(6, s.secret());
                ps.setBoolean(7, true);
                ps.setLong(8, micros(s.createdAt()));
                return ps.executeUpdate();
            }
        });
        return s;
    }

    @Override
    public Optional<WebhookSubscription> findSubscription(String tenantId, String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SUBSCRIPTION_COLUMNS
                    + " FROM webhook_subscriptions WHERE tenant_id = ? AND id = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, id);
                List<WebhookSubscription> found = subscriptions(ps);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            }
        });
    }

    @Override
    public List<WebhookSubscription> subscriptions(String tenantId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SUBSCRIPTION_COLUMNS
                    + " FROM webhook_subscriptions WHERE tenant_id = ? ORDER BY created_at, id")) {
                ps.setString(1, tenantId);
                return subscriptions(ps);
            }
        });
    }

    @Override
    public List<WebhookSubscription> activeSubscriptions() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SUBSCRIPTION_COLUMNS
                    + " FROM webhook_subscriptions WHERE active = TRUE ORDER BY tenant_id, created_at, id")) {
                return subscriptions(ps);
            }
        });
    }

    @Override
    public boolean deleteSubscription(String tenantId, String id) {
        return db.write(c -> {
            try (PreparedStatement deliveries = c.prepareStatement(
                    "DELETE FROM webhook_deliveries WHERE tenant_id = ? AND subscription_id = ?");
                 PreparedStatement subscription = c.prepareStatement(
                         "DELETE FROM webhook_subscriptions WHERE tenant_id = ? AND id = ?")) {
                deliveries.setString(1, tenantId);
                deliveries.setString(2, id);
                deliveries.executeUpdate();
                subscription.setString(1, tenantId);
                subscription.setString(2, id);
                return subscription.executeUpdate() == 1;
            }
        });
    }

    private static List<WebhookSubscription> subscriptions(PreparedStatement ps) throws SQLException {
        List<WebhookSubscription> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Set<String> types = new LinkedHashSet<>(Arrays.asList(rs.getString("event_types").split(",")));
                out.add(new WebhookSubscription(rs.getString("id"), rs.getString("tenant_id"), rs.getString("url"),
                        types, rs.getString("description"), rs.getString("secret"), rs.getBoolean("active"),
                        instant(rs.getLong("created_at"))));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- deliveries

    @Override
    public List<WebhookDelivery> addDeliveries(String tenantId, List<String> subscriptionIds, long eventId,
                                               String eventType, String payload) {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(payload, "payload");
        if (subscriptionIds.isEmpty()) {
            return List.of();
        }
        long now = micros(db.now());
        return db.write(c -> {
            List<WebhookDelivery> written = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(insertDelivery)) {
                for (String subscriptionId : subscriptionIds) {
                    String id = UUID.randomUUID().toString();
                    ps.setString(1, tenantId);
                    ps.setString(2, id);
                    ps.setString(3, subscriptionId);
                    ps.setLong(4, eventId);
                    ps.setString(5, eventType);
                    ps.setString(6, payload);
                    ps.setString(7, WebhookDeliveryStatus.PENDING.name());
                    ps.setInt(8, 0);
                    ps.setLong(9, now);
                    ps.setLong(10, now);
                    if (db.dialect().insertIgnoreRepeatsKey()) {
                        ps.setString(11, tenantId);
                        ps.setString(12, subscriptionId);
                        ps.setLong(13, eventId);
                    }
                    if (ps.executeUpdate() == 1) {
                        written.add(new WebhookDelivery(id, tenantId, subscriptionId, eventId, eventType, payload,
                                WebhookDeliveryStatus.PENDING, 0, instant(now), 0, "", instant(now), null));
                    }
                }
            }
            return written;
        });
    }

    @Override
    public Optional<WebhookDelivery> findDelivery(String tenantId, String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DELIVERY_COLUMNS
                    + " FROM webhook_deliveries WHERE tenant_id = ? AND id = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(delivery(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<WebhookDelivery> claimDue(Instant now, int limit, Instant claimUntil) {
        if (limit < 1) {
            return List.of();
        }
        long due = micros(now);
        long until = micros(claimUntil);
        return db.write(c -> {
            List<WebhookDelivery> candidates = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries"
                    + " WHERE status = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT " + limit)) {
                ps.setString(1, WebhookDeliveryStatus.PENDING.name());
                ps.setLong(2, due);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(delivery(rs));
                    }
                }
            }
            List<WebhookDelivery> claimed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET next_attempt_at = ?"
                    + " WHERE tenant_id = ? AND id = ? AND status = ? AND next_attempt_at = ?")) {
                for (WebhookDelivery d : candidates) {
                    ps.setLong(1, until);
                    ps.setString(2, d.tenantId());
                    ps.setString(3, d.id());
                    ps.setString(4, WebhookDeliveryStatus.PENDING.name());
                    ps.setLong(5, micros(d.nextAttemptAt()));
                    if (ps.executeUpdate() == 1) { // else another worker claimed it between the read and now
                        claimed.add(new WebhookDelivery(d.id(), d.tenantId(), d.subscriptionId(), d.eventId(),
                                d.eventType(), d.payload(), d.status(), d.attempts(), instant(until), d.lastStatus(),
                                d.lastError(), d.createdAt(), null));
                    }
                }
            }
            return claimed;
        });
    }

    @Override
    public void recordDelivered(String tenantId, String id, int attempts, int httpStatus, Instant at) {
        long t = micros(at);
        update(tenantId, id, WebhookDeliveryStatus.DELIVERED, attempts, httpStatus, "", t, t);
    }

    @Override
    public void recordRetry(String tenantId, String id, int attempts, int httpStatus, String error,
                            Instant nextAttemptAt) {
        update(tenantId, id, WebhookDeliveryStatus.PENDING, attempts, httpStatus, error, micros(nextAttemptAt), null);
    }

    @Override
    public void recordFailed(String tenantId, String id, int attempts, int httpStatus, String error, Instant at) {
        update(tenantId, id, WebhookDeliveryStatus.FAILED, attempts, httpStatus, error, micros(at), null);
    }

    @Override
    public void release(String tenantId, String id, Instant at) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET next_attempt_at = ?"
                    + " WHERE tenant_id = ? AND id = ? AND status = ?")) {
                ps.setLong(1, micros(at));
                ps.setString(2, tenantId);
                ps.setString(3, id);
                ps.setString(4, WebhookDeliveryStatus.PENDING.name());
                return ps.executeUpdate();
            }
        });
    }

    private void update(String tenantId, String id, WebhookDeliveryStatus status, int attempts, int httpStatus,
                        String error, long nextAttemptAt, Long deliveredAt) {
        String shortError = error == null ? "" : error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET status = ?, attempts = ?,"
                    + " last_status = ?, last_error = ?, next_attempt_at = ?, delivered_at = ?"
                    + " WHERE tenant_id = ? AND id = ? AND status = ?")) {
                ps.setString(1, status.name());
                ps.setInt(2, attempts);
                ps.setInt(3, httpStatus);
                ps.setString(4, shortError);
                ps.setLong(5, nextAttemptAt);
                if (deliveredAt == null) {
                    ps.setNull(6, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(6, deliveredAt);
                }
                ps.setString(7, tenantId);
                ps.setString(8, id);
                ps.setString(9, WebhookDeliveryStatus.PENDING.name());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public WebhookDeliveryPage deliveries(String tenantId, String subscriptionId, String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE);
        }
        Long before = cursor == null || cursor.isEmpty() ? null : WebhookCursor.decode(cursor).seq();
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries"
                    + " WHERE tenant_id = ? AND subscription_id = ?" + (before == null ? "" : " AND seq < ?")
                    + " ORDER BY seq DESC LIMIT " + (limit + 1))) {
                ps.setString(1, tenantId);
                ps.setString(2, subscriptionId);
                if (before != null) {
                    ps.setLong(3, before);
                }
                List<WebhookDelivery> items = new ArrayList<>();
                long lastSeq = 0;
                boolean more = false;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (items.size() == limit) {
                            more = true;
                            break;
                        }
                        items.add(delivery(rs));
                        lastSeq = rs.getLong("seq");
                    }
                }
                return new WebhookDeliveryPage(items, more ? new WebhookCursor(lastSeq).encode() : null);
            }
        });
    }

    @Override
    public long purgeFinishedBefore(Instant cutoff) {
        long limit = micros(cutoff);
        return db.write(c -> {
            long n = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM webhook_deliveries WHERE status = ? AND next_attempt_at < ?")) {
                for (WebhookDeliveryStatus s : new WebhookDeliveryStatus[] {
                    WebhookDeliveryStatus.DELIVERED, WebhookDeliveryStatus.FAILED}) {
                    ps.setString(1, s.name());
                    ps.setLong(2, limit);
                    n += ps.executeLargeUpdate();
                }
            }
            return n;
        });
    }

    private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
        long delivered = rs.getLong("delivered_at");
        Instant deliveredAt = rs.wasNull() ? null : instant(delivered);
        return new WebhookDelivery(rs.getString("id"), rs.getString("tenant_id"), rs.getString("subscription_id"),
                rs.getLong("event_id"), rs.getString("event_type"), rs.getString("payload"),
                WebhookDeliveryStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                instant(rs.getLong("next_attempt_at")), rs.getInt("last_status"), rs.getString("last_error"),
                instant(rs.getLong("created_at")), deliveredAt);
    }
}
