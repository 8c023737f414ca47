package io.musubi.store.jdbc.internal;

import static io.musubi.store.jdbc.internal.Database.instant;
import static io.musubi.store.jdbc.internal.Database.micros;

import io.musubi.store.ErasureReport;
import io.musubi.store.HistoryException;
import io.musubi.store.HistoryStore;
import io.musubi.store.InteractionMove;
import io.musubi.store.JourneyPage;
import io.musubi.store.JourneyQuery;
import io.musubi.store.UnknownCustomerException;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.MessageContent;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link HistoryStore} on JDBC (H2 or PostgreSQL). */
@Component(service = HistoryStore.class)
public final class JdbcHistoryStore implements HistoryStore {

    /** The longest message text stored; longer text is cut and the event marked (docs/history.md). */
    public static final int MAX_TEXT = 1_000_000;
    /** Attribute set on an event whose text was cut to {@link #MAX_TEXT}. */
    public static final String TRUNCATED_ATTRIBUTE = "musubi.contentTruncated";

    /** The most events written in one group commit (a single larger appendAll is never split). */
    static final int GROUP_LIMIT = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(JdbcHistoryStore.class);

    private static final String[] EVENT_COLUMNS = {"tenant_id", "id", "interaction_id", "customer_id", "channel",
        "type", "ts", "actor", "attributes", "content_text", "attachments", "stored_at"};
    private static final String[] INTERACTION_COLUMNS = {"tenant_id", "id", "channel", "customer_id", "from_address",
        "to_address", "thread_key", "queue_id", "priority", "attributes", "state", "created_at", "updated_at",
        "agent_id", "disposition", "erased"};
    static final String EVENT_SELECT = "SELECT seq, tenant_id, id, interaction_id, customer_id, channel, type, ts, "
            + "actor, attributes, content_text, attachments FROM interaction_events";

    private final Database db;
    private final JdbcCustomerRepository customers;
    private final Codec codec;
    private final String insertEvent;
    private final String upsertInteraction;
    private final ReentrantLock state = new ReentrantLock();
    private final Condition groupDone = state.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean writing;

    /** The DS component on the store's database component; customer groups are read as the customer repository does. */
    @Activate
    public JdbcHistoryStore(@Reference StoreDatabase store) {
        this(store.database(), new JdbcCustomerRepository(store.database()));
    }

    JdbcHistoryStore(Database db, JdbcCustomerRepository customers) {
        this.db = db;
        this.customers = customers;
        this.codec = new Codec(db.json());
        this.insertEvent = db.dialect().insertIgnore("interaction_events", EVENT_COLUMNS,
                new String[] {"tenant_id", "id"});
        this.upsertInteraction = db.dialect().upsert("interactions", INTERACTION_COLUMNS,
                new String[] {"tenant_id", "id"});
    }

    @Override
    public boolean append(InteractionEvent event) {
        return appendAll(List.of(event)) == 1;
    }

    /**
     * Appends go through group commit: concurrent callers queue their events, one of them (the writer) takes
     * everything queued so far, up to {@link #GROUP_LIMIT} events, and writes it in one transaction (one commit, one
     * fsync) while the others wait; then the next waiter with events left becomes the writer. Each caller returns
     * only after the transaction holding its events committed and is durable (on H2 the callers of a group, and any
     * other transaction committed meanwhile, share one flush: {@link GroupFlush}). The lock guards the queue state
     * only, never the database work, so finished callers leave at once. Inside a transaction
     * ({@link io.musubi.store.StoreTransactions}) the events are written on the caller's transaction instead.
     */
    @Override
    public int appendAll(List<InteractionEvent> events) {
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            return 0;
        }
        Map<String, InteractionEvent> unique = new LinkedHashMap<>();
        for (InteractionEvent e : events) {
            Objects.requireNonNull(e, "event");
            unique.putIfAbsent(e.tenantId() + '\u0000' + e.id(), e);
        }
        Pending mine = new Pending(List.copyOf(unique.values()));
        if (db.inTransaction()) {
            insert(List.of(mine)); // joins the caller's transaction, which commits (and flushes) once at its end
            return mine.stored;
        }
        state.lock();
        try {
            queue.add(mine);
            while (!mine.done) {
                if (writing) {
                    groupDone.awaitUninterruptibly();
                    continue;
                }
                writing = true;
                List<Pending> group = takeGroup();
                state.unlock();
                try {
                    writeGroup(group);
                } finally {
                    state.lock();
                    writing = false;
                    for (Pending p : group) {
                        p.done = true;
                    }
                    groupDone.signalAll();
                }
            }
        } finally {
            state.unlock();
        }
        if (mine.failure != null) {
            throw new HistoryException("append failed: " + mine.failure.getMessage(), mine.failure);
        }
        db.awaitDurable(); // the group committed; its callers share the flush (with any other transaction's)
        return mine.stored;
    }

    /** Events of one appendAll call waiting for their group commit. Guarded by {@link #state}. */
    private static final class Pending {
        final List<InteractionEvent> events;
        boolean done;
        int stored;
        RuntimeException failure;

        Pending(List<InteractionEvent> events) {
            this.events = events;
        }
    }

    /** Takes the queued calls for one transaction (a single larger call is never split). Holds {@link #state}. */
    private List<Pending> takeGroup() {
        List<Pending> group = new ArrayList<>();
        int size = 0;
        while (!queue.isEmpty() && (group.isEmpty() || size + queue.peekFirst().events.size() <= GROUP_LIMIT)) {
            Pending next = queue.pollFirst();
            group.add(next);
            size += next.events.size();
        }
        return group;
    }

    /** Writes one group in one transaction; outside {@link #state}, by one writer at a time. */
    private void writeGroup(List<Pending> group) {
        try {
            insert(group);
        } catch (RuntimeException groupFailure) {
            if (group.size() == 1) {
                group.get(0).failure = groupFailure;
            } else {
                // one bad event must not fail its neighbours: retry each call on its own
                for (Pending p : group) {
                    try {
                        insert(List.of(p));
                    } catch (RuntimeException e) {
                        p.failure = e;
                    }
                }
            }
        }
    }

    private void insert(List<Pending> group) {
        long storedAt = micros(db.now());
        int[] counts = db.writeCommitted(c -> {
            try (PreparedStatement ps = c.prepareStatement(insertEvent)) {
                int rows = group.stream().mapToInt(p -> p.events.size()).sum();
                for (Pending p : group) {
                    for (InteractionEvent e : p.events) {
                        bindEvent(ps, e, storedAt);
                        if (rows > 1) {
                            ps.addBatch();
                        }
                    }
                }
                if (rows == 1) {
                    try {
                        return new int[] {ps.executeUpdate()};
                    } catch (SQLException e) {
                        if (Database.isUniqueViolation(e)) {
                            return new int[] {0}; // a concurrent append of the same id won (H2)
                        }
                        throw e;
                    }
                }
                try {
                    return ps.executeBatch();
                } catch (BatchUpdateException e) {
                    if (!onlyUniqueViolations(e)) {
                        throw e;
                    }
                    return e.getUpdateCounts(); // H2 runs the rest of the batch; failed rows count 0
                }
            }
        });
        int i = 0;
        for (Pending p : group) {
            int stored = 0;
            for (int n = 0; n < p.events.size(); n++, i++) {
                stored += i < counts.length && counts[i] > 0 ? 1 : 0;
            }
            p.stored = stored;
        }
    }

    private static boolean onlyUniqueViolations(SQLException e) {
        boolean any = false;
        for (SQLException x = e.getNextException(); x != null; x = x.getNextException()) {
            if (!Database.isUniqueViolation(x)) {
                return false;
            }
            any = true;
        }
        return any || Database.isUniqueViolation(e);
    }

    private void bindEvent(PreparedStatement ps, InteractionEvent e, long storedAt) throws SQLException {
        Map<String, String> attributes = e.attributes();
        String text = null;
        String attachments = null;
        if (e.content() != null) {
            text = e.content().text();
            if (text.length() > MAX_TEXT) {
                text = text.substring(0, MAX_TEXT);
                attributes = new HashMap<>(attributes);
                attributes.put(TRUNCATED_ATTRIBUTE, "true");
                LOG.warn("event {} of interaction {}: message text cut to {} characters", e.id(), e.interactionId(),
                        MAX_TEXT);
            }
            attachments = codec.attachments(e.content().attachments());
        }
        int i = 1;
        ps.setString(i++, e.tenantId());
        ps.setString(i++, e.id());
        ps.setString(i++, e.interactionId());
        ps.setString(i++, e.customerId());
        ps.setString(i++, e.channel().name());
        ps.setString(i++, e.type().name());
        ps.setLong(i++, micros(e.timestamp()));
        ps.setString(i++, e.actor());
        ps.setString(i++, codec.attributes(attributes));
        ps.setString(i++, text);
        ps.setString(i++, attachments);
        ps.setLong(i++, storedAt);
        if (db.dialect().insertIgnoreRepeatsKey()) {
            ps.setString(i++, e.tenantId());
            ps.setString(i, e.id());
        }
    }

    InteractionEvent readEvent(ResultSet rs) throws SQLException {
        String text = rs.getString("content_text");
        String attachments = rs.getString("attachments");
        MessageContent content = text == null && attachments == null ? null
                : new MessageContent(text, codec.attachments(attachments));
        return new InteractionEvent(rs.getString("id"), rs.getString("tenant_id"), rs.getString("interaction_id"),
                rs.getString("customer_id"), Channel.valueOf(rs.getString("channel")),
                InteractionEventType.valueOf(rs.getString("type")), instant(rs.getLong("ts")), rs.getString("actor"),
                codec.attributes(rs.getString("attributes")), content);
    }

    @Override
    public void saveInteraction(Interaction interaction) {
        Objects.requireNonNull(interaction, "interaction");
        saveInteractions(List.of(interaction));
    }

    /**
     * Upserts the interactions in one transaction with two batched statements: the row, then {@code queued_at} /
     * {@code queued_in} where the interaction is QUEUED in a queue other than the one it was last queued in (the
     * time is the interaction's {@code updatedAt}, when the ACD queued it).
     */
    @Override
    public void saveInteractions(List<Interaction> interactions) {
        Objects.requireNonNull(interactions, "interactions");
        if (interactions.isEmpty()) {
            return;
        }
        interactions.forEach(x -> Objects.requireNonNull(x, "interaction"));
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(upsertInteraction)) {
                int queuedRows = 0;
                for (Interaction x : interactions) {
                    bindInteraction(ps, x);
                    queuedRows += x.state() == InteractionState.QUEUED ? 1 : 0;
                    if (interactions.size() == 1) {
                        ps.executeUpdate();
                    } else {
                        ps.addBatch();
                    }
                }
                if (interactions.size() > 1) {
                    ps.executeBatch();
                }
                if (queuedRows == 0) {
                    return null; // MARK_QUEUED only changes QUEUED rows
                }
                try (PreparedStatement queued = c.prepareStatement(MARK_QUEUED)) {
                    for (Interaction x : interactions) {
                        if (x.state() == InteractionState.QUEUED) {
                            queued.setLong(1, micros(x.updatedAt()));
                            queued.setString(2, x.tenantId());
                            queued.setString(3, x.id());
                            queued.addBatch();
                        }
                    }
                    queued.executeBatch();
                }
                return null;
            }
        });
    }

    /**
     * One batched UPDATE in the order given. SET expressions read the row as it was before the statement, so the
     * queued-at test compares the queue the row was last queued in with the queue after the move.
     */
    @Override
    public void moveInteractions(List<InteractionMove> moves) {
        Objects.requireNonNull(moves, "moves");
        if (moves.isEmpty()) {
            return;
        }
        moves.forEach(m -> Objects.requireNonNull(m, "move"));
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(MOVE)) {
                for (InteractionMove m : moves) {
                    String state = m.state() == null ? null : m.state().name();
                    long at = micros(m.at());
                    int i = 1;
                    ps.setString(i++, state);
                    ps.setString(i++, m.queueId());
                    ps.setString(i++, m.agentId());
                    ps.setString(i++, m.disposition());
                    ps.setLong(i++, at);
                    // queued_at, then queued_in: when it is (still) QUEUED in a queue it was not last queued in
                    ps.setString(i++, state);
                    ps.setString(i++, m.queueId());
                    ps.setLong(i++, at);
                    ps.setString(i++, state);
                    ps.setString(i++, m.queueId());
                    ps.setString(i++, m.queueId());
                    ps.setString(i++, m.tenantId());
                    ps.setString(i, m.interactionId());
                    if (moves.size() == 1) {
                        ps.executeUpdate();
                    } else {
                        ps.addBatch();
                    }
                }
                if (moves.size() > 1) {
                    ps.executeBatch();
                }
                return null;
            }
        });
    }

    /** The state after the move; it counts as queued anew when QUEUED in a queue other than {@code queued_in}. */
    private static final String MOVE = "UPDATE interactions SET state = COALESCE(?, state), "
            + "queue_id = COALESCE(?, queue_id), agent_id = COALESCE(?, agent_id), "
            + "disposition = COALESCE(?, disposition), updated_at = ?, "
            + "queued_at = CASE WHEN COALESCE(?, state) = 'QUEUED' AND (queued_in IS NULL "
            + "OR queued_in <> COALESCE(?, queue_id)) THEN ? ELSE queued_at END, "
            + "queued_in = CASE WHEN COALESCE(?, state) = 'QUEUED' AND (queued_in IS NULL "
            + "OR queued_in <> COALESCE(?, queue_id)) THEN COALESCE(?, queue_id) ELSE queued_in END "
            + "WHERE tenant_id = ? AND id = ?";

    @Override
    public boolean updateInteractionAttributes(String tenantId, String interactionId, Map<String, String> attributes,
                                               Instant updatedAt) {
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(updatedAt, "updatedAt");
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE interactions SET attributes = ?, updated_at = ? WHERE tenant_id = ? AND id = ?")) {
                ps.setString(1, codec.attributes(attributes));
                ps.setLong(2, micros(updatedAt));
                ps.setString(3, tenantId);
                ps.setString(4, interactionId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static final String MARK_QUEUED = "UPDATE interactions SET queued_at = ?, queued_in = queue_id "
            + "WHERE tenant_id = ? AND id = ? AND state = 'QUEUED' AND (queued_in IS NULL OR queued_in <> queue_id)";

    private void bindInteraction(PreparedStatement ps, Interaction x) throws SQLException {
        int i = 1;
        ps.setString(i++, x.tenantId());
        ps.setString(i++, x.id());
        ps.setString(i++, x.channel().name());
        ps.setString(i++, x.customerId());
        ps.setString(i++, x.from().uri());
        ps.setString(i++, x.to() == null ? null : x.to().uri());
        ps.setString(i++, x.threadKey());
        ps.setString(i++, x.queueId());
        ps.setInt(i++, x.priority());
        ps.setString(i++, codec.attributes(x.attributes()));
        ps.setString(i++, x.state().name());
        ps.setLong(i++, micros(x.createdAt()));
        ps.setLong(i++, micros(x.updatedAt()));
        ps.setString(i++, x.agentId());
        ps.setString(i++, x.disposition());
        ps.setBoolean(i, false);
    }

    @Override
    public Optional<Interaction> findInteraction(String tenantId, String interactionId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM interactions WHERE tenant_id = ? AND id = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, interactionId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readInteraction(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<Interaction> findOpenInteraction(String tenantId, Channel channel, String threadKey) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM interactions WHERE tenant_id = ? AND channel = ?"
                    + " AND thread_key = ? AND state NOT IN ('ENDED', 'ABANDONED') AND erased = FALSE"
                    + " ORDER BY created_at DESC, id DESC")) {
                ps.setMaxRows(1);
                ps.setString(1, tenantId);
                ps.setString(2, channel.name());
                ps.setString(3, threadKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readInteraction(rs)) : Optional.empty();
                }
            }
        });
    }

    Interaction readInteraction(ResultSet rs) throws SQLException {
        return readInteraction(rs, codec);
    }

    static Interaction readInteraction(ResultSet rs, Codec codec) throws SQLException {
        String to = rs.getString("to_address");
        return new Interaction(rs.getString("id"), rs.getString("tenant_id"), Channel.valueOf(rs.getString("channel")),
                rs.getString("customer_id"), Address.parse(rs.getString("from_address")),
                to == null ? null : Address.parse(to), rs.getString("thread_key"), rs.getString("queue_id"),
                rs.getInt("priority"), codec.attributes(rs.getString("attributes")),
                InteractionState.valueOf(rs.getString("state")), instant(rs.getLong("created_at")),
                instant(rs.getLong("updated_at")), rs.getString("agent_id"), rs.getString("disposition"));
    }

    @Override
    public List<InteractionEvent> interactionEvents(String tenantId, String interactionId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(EVENT_SELECT
                    + " WHERE tenant_id = ? AND interaction_id = ? ORDER BY ts, seq")) {
                ps.setString(1, tenantId);
                ps.setString(2, interactionId);
                List<InteractionEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(readEvent(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public JourneyPage journey(JourneyQuery q) {
        Objects.requireNonNull(q, "query");
        JourneyCursor after = q.cursor() == null ? null : JourneyCursor.decode(q.cursor());
        return db.read(c -> {
            List<String> group = customers.groupOf(c, q.tenantId(), q.customerId());
            if (group.isEmpty()) {
                group = List.of(q.customerId()); // events of a customer the identity service does not know
            }
            return page(c, q, group, after);
        });
    }

    /**
     * One page: for each customer of the merge group (usually one), an index range scan in journey order, then the
     * per-customer runs merged by (ts, seq). ORDER BY names the journey index's leading columns so that H2, which
     * only sorts by an index whose leading columns match, reads the index in order instead of sorting.
     */
    JourneyPage page(Connection c, JourneyQuery q, List<String> group, JourneyCursor after) throws SQLException {
        StringBuilder sql = new StringBuilder(EVENT_SELECT).append(" WHERE tenant_id = ? AND customer_id = ?");
        List<Object> args = new ArrayList<>();
        if (!q.channels().isEmpty()) {
            in(sql, "channel", q.channels().stream().map(Enum::name).sorted().toList(), args);
        }
        if (!q.types().isEmpty()) {
            in(sql, "type", q.types().stream().map(Enum::name).sorted().toList(), args);
        }
        if (q.from() != null) {
            sql.append(" AND ts >= ?");
            args.add(micros(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND ts < ?");
            args.add(micros(q.to()));
        }
        if (after != null) {
            // (ts, seq) strictly after the cursor, written so both databases use the journey index range
            if (q.newestFirst()) {
                sql.append(" AND ts <= ? AND (ts < ? OR seq < ?)");
            } else {
                sql.append(" AND ts >= ? AND (ts > ? OR seq > ?)");
            }
            args.add(after.ts());
            args.add(after.ts());
            args.add(after.seq());
        }
        String dir = q.newestFirst() ? " DESC" : "";
        sql.append(" ORDER BY tenant_id").append(dir).append(", customer_id").append(dir).append(", ts").append(dir)
                .append(", seq").append(dir).append(" LIMIT ").append(q.limit() + 1);

        record Row(long ts, long seq, InteractionEvent event) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (String customerId : group) {
                ps.setString(1, q.tenantId());
                ps.setString(2, customerId);
                for (int i = 0; i < args.size(); i++) {
                    Object a = args.get(i);
                    if (a instanceof Long l) {
                        ps.setLong(i + 3, l);
                    } else {
                        ps.setString(i + 3, (String) a);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong("ts"), rs.getLong("seq"), readEvent(rs)));
                    }
                }
            }
        }
        if (group.size() > 1) {
            java.util.Comparator<Row> order = java.util.Comparator.comparingLong(Row::ts).thenComparingLong(Row::seq);
            rows.sort(q.newestFirst() ? order.reversed() : order);
        }
        boolean more = rows.size() > q.limit();
        List<Row> page = more ? rows.subList(0, q.limit()) : rows;
        Row last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new JourneyPage(page.stream().map(Row::event).toList(),
                more ? new JourneyCursor(last.ts(), last.seq()).encode() : null);
    }

    private static void in(StringBuilder sql, String column, List<String> values, List<Object> args) {
        if (values.size() == 1) {
            sql.append(" AND ").append(column).append(" = ?");
        } else {
            sql.append(" AND ").append(column).append(" IN (?").append(", ?".repeat(values.size() - 1)).append(')');
        }
        args.addAll(values);
    }

    @Override
    public Map<Channel, Long> eventCounts(String tenantId, String customerId) {
        return db.read(c -> {
            List<String> group = customers.groupOf(c, tenantId, customerId);
            if (group.isEmpty()) {
                group = List.of(customerId);
            }
            StringBuilder sql = new StringBuilder("SELECT channel, COUNT(*) FROM interaction_events WHERE tenant_id = ?");
            List<Object> args = new ArrayList<>();
            args.add(tenantId);
            in(sql, "customer_id", group, args);
            sql.append(" GROUP BY channel");
            Map<Channel, Long> counts = new EnumMap<>(Channel.class);
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setString(i + 1, (String) args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(Channel.valueOf(rs.getString(1)), rs.getLong(2));
                    }
                }
            }
            return counts;
        });
    }

    @Override
    public void exportCustomer(String tenantId, String customerId, OutputStream out) throws IOException {
        new CustomerExport(db, this, customers).write(tenantId, customerId, out);
    }

    @Override
    public ErasureReport eraseCustomer(String tenantId, String customerId, String actor) {
        Objects.requireNonNull(actor, "actor");
        long now = micros(db.now());
        ErasureReport report = db.write(c -> {
            List<String> group = customers.groupOf(c, tenantId, customerId);
            if (group.isEmpty()) {
                throw new UnknownCustomerException(tenantId, customerId);
            }
            long events = 0;
            long interactions = 0;
            long addresses = 0;
            for (String id : group) {
                events += update(c, "UPDATE interaction_events SET attributes = NULL, content_text = NULL, "
                        + "attachments = NULL, erased = TRUE WHERE tenant_id = ? AND customer_id = ? AND erased = FALSE",
                        tenantId, id);
                interactions += update(c, "UPDATE interactions SET from_address = 'erased:erased', to_address = NULL, "
                        + "thread_key = '', attributes = NULL, erased = TRUE "
                        + "WHERE tenant_id = ? AND customer_id = ? AND erased = FALSE", tenantId, id);
                addresses += update(c, "DELETE FROM customer_addresses WHERE tenant_id = ? AND customer_id = ?",
                        tenantId, id);
                update(c, "DELETE FROM customer_tags WHERE tenant_id = ? AND customer_id = ?", tenantId, id);
                update(c, "DELETE FROM customer_refs WHERE tenant_id = ? AND customer_id = ?", tenantId, id);
                try (PreparedStatement ps = c.prepareStatement("UPDATE customers SET display_name = '', "
                        + "erased_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ?")) {
                    ps.setLong(1, now);
                    ps.setLong(2, now);
                    ps.setString(3, tenantId);
                    ps.setString(4, id);
                    ps.executeUpdate();
                }
            }
            return new ErasureReport(Set.copyOf(group), events, interactions, addresses);
        });
        LOG.info("tenant {}: customer {} erased by {} ({} customers, {} events, {} interactions, {} addresses)",
                tenantId, customerId, actor, report.customerIds().size(), report.eventsAnonymised(),
                report.interactionsAnonymised(), report.addressesRemoved());
        return report;
    }

    private static int update(Connection c, String sql, String tenantId, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenantId);
            ps.setString(2, id);
            return ps.executeUpdate();
        }
    }

    @Override
    public long purgeBefore(String tenantId, Instant cutoff) {
        long limit = micros(cutoff);
        return db.write(c -> {
            long deleted;
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM interaction_events WHERE tenant_id = ? AND ts < ?")) {
                ps.setString(1, tenantId);
                ps.setLong(2, limit);
                deleted = ps.executeLargeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM interactions WHERE tenant_id = ? "
                    + "AND updated_at < ? AND state IN ('ENDED', 'ABANDONED')")) {
                ps.setString(1, tenantId);
                ps.setLong(2, limit);
                ps.executeUpdate();
            }
            return deleted;
        });
    }
}
