package io.musubi.store.jdbc.internal;

import static io.musubi.store.jdbc.internal.Database.instant;
import static io.musubi.store.jdbc.internal.Database.micros;

import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.PresenceState;
import io.musubi.store.AcdStateRepository;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link AcdStateRepository} on {@code interactions} (queued_at), {@code agent_presence} and {@code sticky_agents}. */
@Component(service = AcdStateRepository.class)
public final class JdbcAcdStateRepository implements AcdStateRepository {

    static final String OPEN_STATES = "('NEW', 'QUEUED', 'OFFERED', 'CONNECTED', 'HELD', 'WRAP_UP')";

    /** VIP by tag: any member of the customer's merge group tagged {@code vip}. */
    private static final String OPEN_SELECT = "SELECT i.*, CASE WHEN EXISTS (SELECT 1 FROM customers s "
            + "JOIN customers m ON m.tenant_id = s.tenant_id AND m.root_id = s.root_id "
            + "JOIN customer_tags t ON t.tenant_id = m.tenant_id AND t.customer_id = m.id AND t.tag = 'vip' "
            + "WHERE s.tenant_id = i.tenant_id AND s.id = i.customer_id) THEN 1 ELSE 0 END AS vip_tag "
            + "FROM interactions i WHERE i.tenant_id = ? AND i.state IN " + OPEN_STATES + " AND i.erased = FALSE "
            + "ORDER BY COALESCE(i.queued_at, i.created_at), i.created_at, i.id";

    private final Database db;
    private final Codec codec;
    private final String upsertPresence;
    private final String upsertSticky;

    /** The DS component (one per repository) on the store's database component. */
    @Activate
    public JdbcAcdStateRepository(@Reference StoreDatabase store) {
        this(store.database());
    }

    JdbcAcdStateRepository(Database db) {
        this.db = db;
        this.codec = new Codec(db.json());
        this.upsertPresence = db.dialect().upsert("agent_presence",
                new String[] {"tenant_id", "agent_id", "state", "reason", "since"},
                new String[] {"tenant_id", "agent_id"});
        this.upsertSticky = db.dialect().upsert("sticky_agents",
                new String[] {"tenant_id", "customer_id", "agent_id", "channel", "at"},
                new String[] {"tenant_id", "customer_id"});
    }

    @Override
    public List<OpenInteraction> openInteractions(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        return db.read(c -> {
            List<OpenInteraction> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(OPEN_SELECT)) {
                ps.setString(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Interaction x = JdbcHistoryStore.readInteraction(rs, codec);
                        long queued = rs.getLong("queued_at");
                        Instant queuedAt = rs.wasNull() ? null : instant(queued);
                        boolean vip = rs.getInt("vip_tag") == 1
                                || "true".equalsIgnoreCase(x.attributes().get("vip"));
                        out.add(new OpenInteraction(x, queuedAt, vip));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<String> tenantsWithOpenInteractions() {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT tenant_id FROM interactions WHERE state IN "
                    + OPEN_STATES + " AND erased = FALSE ORDER BY tenant_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public void savePresences(List<AgentPresence> presences) {
        Objects.requireNonNull(presences, "presences");
        if (presences.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(upsertPresence)) {
                for (AgentPresence p : presences) {
                    ps.setString(1, p.tenantId());
                    ps.setString(2, p.agentId());
                    ps.setString(3, p.state().name());
                    ps.setString(4, p.reason());
                    ps.setLong(5, micros(p.since()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<AgentPresence> presences(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        return db.read(c -> {
            List<AgentPresence> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT agent_id, state, reason, since FROM agent_presence "
                    + "WHERE tenant_id = ? ORDER BY agent_id")) {
                ps.setString(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AgentPresence(tenantId, rs.getString(1), PresenceState.valueOf(rs.getString(2)),
                                rs.getString(3), instant(rs.getLong(4))));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void saveSticky(List<StickyRecord> records) {
        Objects.requireNonNull(records, "records");
        if (records.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(upsertSticky)) {
                for (StickyRecord r : records) {
                    ps.setString(1, r.tenantId());
                    ps.setString(2, r.customerId());
                    ps.setString(3, r.agentId());
                    ps.setString(4, r.channel().name());
                    ps.setLong(5, micros(r.at()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<StickyRecord> stickyNewerThan(String tenantId, Instant since) {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(since, "since");
        return db.read(c -> {
            List<StickyRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT customer_id, agent_id, channel, at FROM sticky_agents "
                    + "WHERE tenant_id = ? AND at >= ? ORDER BY at, customer_id")) {
                ps.setString(1, tenantId);
                ps.setLong(2, micros(since));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StickyRecord(tenantId, rs.getString(1), rs.getString(2),
                                Channel.valueOf(rs.getString(3)), instant(rs.getLong(4))));
                    }
                }
            }
            return out;
        });
    }
}
