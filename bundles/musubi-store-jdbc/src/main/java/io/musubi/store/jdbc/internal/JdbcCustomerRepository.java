package io.musubi.store.jdbc.internal;

import static io.musubi.store.jdbc.internal.Database.instant;
import static io.musubi.store.jdbc.internal.Database.micros;

import io.musubi.store.AddressInUseException;
import io.musubi.store.CustomerRepository;
import io.musubi.store.CustomerResolution;
import io.musubi.store.HistoryException;
import io.musubi.store.MergeRecord;
import io.musubi.store.UnknownCustomerException;
import io.musubi.model.Address;
import io.musubi.model.Customer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link CustomerRepository} on JDBC. Merge groups are kept with two columns on {@code customers}:
 * {@code merged_into} (the tree of merges, for splitting) and {@code root_id} (the group's survivor, for reading
 * a group in one indexed query).
 */
@Component(service = CustomerRepository.class)
public final class JdbcCustomerRepository implements CustomerRepository {

    private static final int RESOLVE_ATTEMPTS = 5;

    private final Database db;
    private final String insertAddress;

    /** The DS component (one per repository) on the store's database component. */
    @Activate
    public JdbcCustomerRepository(@Reference StoreDatabase store) {
        this(store.database());
    }

    private static final String SAVEPOINT = "musubi_resolve";

    JdbcCustomerRepository(Database db) {
        this.db = db;
        this.insertAddress = db.dialect().insertIgnore("customer_addresses",
                new String[] {"tenant_id", "address", "scheme", "customer_id", "linked_at"},
                new String[] {"tenant_id", "address"});
    }

    // ---------------------------------------------------------------- reads

    @Override
    public CustomerResolution resolveOrCreate(String tenantId, Address address) {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(address, "address");
        for (int attempt = 0; attempt < RESOLVE_ATTEMPTS; attempt++) {
            Optional<Customer> found = findByAddress(tenantId, address);
            if (found.isPresent()) {
                return new CustomerResolution(found.get(), false);
            }
            Optional<Customer> created = db.write(c -> {
                // a savepoint, not a rollback: this may run inside a caller's transaction (StoreTransactions).
                // Named: H2 runs an unnamed one as "SAVEPOINT SYSTEM_SAVEPOINT_<n>", a new statement text each
                // time, which is parsed and pushes the prepared statements out of the session's query cache.
                Savepoint before = c.setSavepoint(SAVEPOINT);
                String id = newId();
                insertCustomer(c, tenantId, id, "");
                if (!insertAddress(c, tenantId, address, id)) {
                    c.rollback(before); // another caller linked the address first: resolve again
                    return Optional.<Customer>empty();
                }
                c.releaseSavepoint(before);
                // Just inserted, alone in its group: its view is what was written (no read-back).
                return Optional.of(Customer.of(tenantId, id, address));
            });
            if (created.isPresent()) {
                return new CustomerResolution(created.get(), true);
            }
        }
        throw new HistoryException("resolving an address did not settle after " + RESOLVE_ATTEMPTS + " attempts");
    }

    @Override
    public Optional<Customer> findByAddress(String tenantId, Address address) {
        return db.read(c -> {
            Optional<String> root = rootByAddress(c, tenantId, address);
            return root.isEmpty() ? Optional.empty() : view(c, tenantId, root.get());
        });
    }

    @Override
    public Optional<Customer> find(String tenantId, String customerId) {
        return db.read(c -> {
            Optional<String> root = rootOf(c, tenantId, customerId, false);
            return root.isEmpty() ? Optional.empty() : view(c, tenantId, root.get());
        });
    }

    @Override
    public Optional<String> survivorOf(String tenantId, String customerId) {
        return db.read(c -> rootOf(c, tenantId, customerId, false));
    }

    @Override
    public Optional<Customer> findByExternalRef(String tenantId, String system, String reference) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT c.root_id FROM customer_refs r JOIN customers c "
                    + "ON c.tenant_id = r.tenant_id AND c.id = r.customer_id "
                    + "WHERE r.tenant_id = ? AND r.ref_system = ? AND r.ref_value = ? ORDER BY c.created_at")) {
                ps.setString(1, tenantId);
                ps.setString(2, system);
                ps.setString(3, reference);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Customer>empty();
                    }
                    String root = rs.getString(1);
                    return view(c, tenantId, root);
                }
            }
        });
    }

    @Override
    public List<MergeRecord> merges(String tenantId, String customerId) {
        return db.read(c -> {
            List<String> group = groupOf(c, tenantId, customerId);
            if (group.isEmpty()) {
                throw new UnknownCustomerException(tenantId, customerId);
            }
            Set<String> ids = new HashSet<>(group);
            Map<String, MergeRecord> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(MERGE_SELECT
                    + " WHERE tenant_id = ? AND (survivor_id = ? OR merged_id = ?) ORDER BY merged_at, id")) {
                for (String id : ids) {
                    ps.setString(1, tenantId);
                    ps.setString(2, id);
                    ps.setString(3, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            MergeRecord m = readMerge(rs);
                            out.put(m.id(), m);
                        }
                    }
                }
            }
            return out.values().stream()
                    .sorted((a, b) -> a.mergedAt().compareTo(b.mergedAt()) != 0
                            ? a.mergedAt().compareTo(b.mergedAt()) : a.id().compareTo(b.id()))
                    .toList();
        });
    }

    @Override
    public Optional<MergeRecord> findMerge(String tenantId, String mergeId) {
        return db.read(c -> findMerge(c, tenantId, mergeId));
    }

    // ---------------------------------------------------------------- writes

    @Override
    public Customer create(String tenantId, String displayName) {
        Objects.requireNonNull(tenantId, "tenantId");
        return db.write(c -> {
            String id = newId();
            insertCustomer(c, tenantId, id, displayName == null ? "" : displayName);
            return view(c, tenantId, id).orElseThrow();
        });
    }

    /** A change to a customer's merge group, made on its survivor, whose row is locked. */
    @FunctionalInterface
    private interface Change {
        /** @return whether anything changed (then the survivor's {@code updated_at} is set) */
        boolean apply(Connection c, String root) throws SQLException;
    }

    /** How every write to one customer goes: lock the group's survivor, change, touch it, read the view back. */
    private Customer mutate(String tenantId, String customerId, Change change) {
        return db.write(c -> {
            String root = lockRoot(c, tenantId, customerId);
            if (change.apply(c, root)) {
                touch(c, tenantId, root);
            }
            return view(c, tenantId, root).orElseThrow();
        });
    }

    @Override
    public Customer linkAddress(String tenantId, String customerId, Address address) {
        Objects.requireNonNull(address, "address");
        return mutate(tenantId, customerId, (c, root) -> {
            Optional<String> owner = rootByAddress(c, tenantId, address);
            if (owner.isPresent()) {
                if (!owner.get().equals(root)) {
                    throw new AddressInUseException(owner.get());
                }
                return false;
            }
            if (!insertAddress(c, tenantId, address, root)) {
                throw new AddressInUseException(rootByAddress(c, tenantId, address).orElse("?"));
            }
            return true;
        });
    }

    @Override
    public Customer unlinkAddress(String tenantId, String customerId, Address address) {
        return mutate(tenantId, customerId, (c, root) -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM customer_addresses WHERE tenant_id = ? AND address = ? AND customer_id = ?")) {
                for (String id : members(c, tenantId, root)) {
                    ps.setString(1, tenantId);
                    ps.setString(2, address.uri());
                    ps.setString(3, id);
                    ps.executeUpdate();
                }
            }
            return true;
        });
    }

    @Override
    public Customer setDisplayName(String tenantId, String customerId, String displayName) {
        return mutate(tenantId, customerId, (c, root) -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE customers SET display_name = ? WHERE tenant_id = ? AND id = ?")) {
                ps.setString(1, displayName == null ? "" : displayName);
                ps.setString(2, tenantId);
                ps.setString(3, root);
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Customer addTags(String tenantId, String customerId, Set<String> tags) {
        Objects.requireNonNull(tags, "tags");
        return mutate(tenantId, customerId, (c, root) -> {
            Set<String> present = new HashSet<>(tags(c, tenantId, List.of(root)));
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO customer_tags (tenant_id, customer_id, tag) VALUES (?, ?, ?)")) {
                for (String tag : new LinkedHashSet<>(tags)) {
                    if (present.add(tag)) {
                        ps.setString(1, tenantId);
                        ps.setString(2, root);
                        ps.setString(3, tag);
                        ps.executeUpdate();
                    }
                }
            }
            return true;
        });
    }

    @Override
    public Customer removeTags(String tenantId, String customerId, Set<String> tags) {
        Objects.requireNonNull(tags, "tags");
        return mutate(tenantId, customerId, (c, root) -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM customer_tags WHERE tenant_id = ? AND customer_id = ? AND tag = ?")) {
                for (String id : members(c, tenantId, root)) {
                    for (String tag : tags) {
                        ps.setString(1, tenantId);
                        ps.setString(2, id);
                        ps.setString(3, tag);
                        ps.executeUpdate();
                    }
                }
            }
            return true;
        });
    }

    @Override
    public Customer putExternalRef(String tenantId, String customerId, String system, String reference) {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(reference, "reference");
        return mutate(tenantId, customerId, (c, root) -> {
            deleteRefs(c, tenantId, members(c, tenantId, root), system);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customer_refs "
                    + "(tenant_id, customer_id, ref_system, ref_value) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, tenantId);
                ps.setString(2, root);
                ps.setString(3, system);
                ps.setString(4, reference);
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Customer removeExternalRef(String tenantId, String customerId, String system) {
        return mutate(tenantId, customerId, (c, root) -> {
            deleteRefs(c, tenantId, members(c, tenantId, root), system);
            return true;
        });
    }

    private static void deleteRefs(Connection c, String tenantId, List<String> ids, String system) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM customer_refs WHERE tenant_id = ? AND customer_id = ? AND ref_system = ?")) {
            for (String id : ids) {
                ps.setString(1, tenantId);
                ps.setString(2, id);
                ps.setString(3, system);
                ps.executeUpdate();
            }
        }
    }

    @Override
    public MergeRecord merge(String tenantId, String survivorId, String mergedId, String actor) {
        Objects.requireNonNull(actor, "actor");
        return db.write(c -> {
            String a = rootOf(c, tenantId, survivorId, false)
                    .orElseThrow(() -> new UnknownCustomerException(tenantId, survivorId));
            String b = rootOf(c, tenantId, mergedId, false)
                    .orElseThrow(() -> new UnknownCustomerException(tenantId, mergedId));
            // lock both survivors in a fixed order so concurrent merges cannot deadlock
            String first = a.compareTo(b) <= 0 ? a : b;
            String second = first.equals(a) ? b : a;
            lockRow(c, tenantId, first);
            lockRow(c, tenantId, second);
            String survivor = lockRoot(c, tenantId, survivorId);
            String merged = lockRoot(c, tenantId, mergedId);
            if (survivor.equals(merged)) {
                throw new IllegalStateException("customers " + survivorId + " and " + mergedId + " are already merged");
            }
            if (isErased(c, tenantId, survivor) || isErased(c, tenantId, merged)) {
                throw new IllegalStateException("an erased customer cannot be merged");
            }
            long now = micros(db.now());
            try (PreparedStatement ps = c.prepareStatement("UPDATE customers SET merged_into = ?, updated_at = ? "
                    + "WHERE tenant_id = ? AND id = ?")) {
                ps.setString(1, survivor);
                ps.setLong(2, now);
                ps.setString(3, tenantId);
                ps.setString(4, merged);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE customers SET root_id = ? WHERE tenant_id = ? AND root_id = ?")) {
                ps.setString(1, survivor);
                ps.setString(2, tenantId);
                ps.setString(3, merged);
                ps.executeUpdate();
            }
            MergeRecord record = new MergeRecord(newId(), tenantId, survivor, merged, instant(now), actor, null, null);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customer_merges "
                    + "(tenant_id, id, survivor_id, merged_id, merged_at, merged_by) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, tenantId);
                ps.setString(2, record.id());
                ps.setString(3, survivor);
                ps.setString(4, merged);
                ps.setLong(5, now);
                ps.setString(6, actor);
                ps.executeUpdate();
            }
            touch(c, tenantId, survivor);
            return record;
        });
    }

    @Override
    public Customer split(String tenantId, String mergeId, String actor) {
        Objects.requireNonNull(actor, "actor");
        return db.write(c -> {
            MergeRecord m = findMerge(c, tenantId, mergeId)
                    .orElseThrow(() -> new IllegalArgumentException("no merge " + mergeId + " in tenant " + tenantId));
            if (!m.inForce()) {
                throw new IllegalStateException("merge " + mergeId + " was already split");
            }
            String root = lockRoot(c, tenantId, m.survivorId());
            lockRow(c, tenantId, m.mergedId());
            // the subtree of the merged customer: itself and everything merged into it (directly or not)
            Map<String, List<String>> children = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, merged_into FROM customers WHERE tenant_id = ? AND root_id = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, root);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String parent = rs.getString(2);
                        if (parent != null) {
                            children.computeIfAbsent(parent, k -> new ArrayList<>()).add(rs.getString(1));
                        }
                    }
                }
            }
            if (!children.getOrDefault(m.survivorId(), List.of()).contains(m.mergedId())) {
                throw new HistoryException("merge " + mergeId + " is not in force in the customer table");
            }
            List<String> subtree = new ArrayList<>();
            Deque<String> todo = new ArrayDeque<>(List.of(m.mergedId()));
            while (!todo.isEmpty()) {
                String id = todo.pop();
                subtree.add(id);
                todo.addAll(children.getOrDefault(id, List.of()));
            }
            long now = micros(db.now());
            try (PreparedStatement ps = c.prepareStatement("UPDATE customers SET merged_into = NULL, updated_at = ? "
                    + "WHERE tenant_id = ? AND id = ?")) {
                ps.setLong(1, now);
                ps.setString(2, tenantId);
                ps.setString(3, m.mergedId());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE customers SET root_id = ? WHERE tenant_id = ? AND id = ?")) {
                for (String id : subtree) {
                    ps.setString(1, m.mergedId());
                    ps.setString(2, tenantId);
                    ps.setString(3, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE customer_merges SET split_at = ?, split_by = ? "
                    + "WHERE tenant_id = ? AND id = ?")) {
                ps.setLong(1, now);
                ps.setString(2, actor);
                ps.setString(3, tenantId);
                ps.setString(4, mergeId);
                ps.executeUpdate();
            }
            touch(c, tenantId, root);
            return view(c, tenantId, m.mergedId()).orElseThrow();
        });
    }

    // ---------------------------------------------------------------- helpers shared with the history store

    /** The ids of the customer's merge group (survivor first), or empty if the customer is unknown. */
    List<String> groupOf(Connection c, String tenantId, String customerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT g.id, g.root_id FROM customers g WHERE g.tenant_id = ? "
                + "AND g.root_id = (SELECT s.root_id FROM customers s WHERE s.tenant_id = ? AND s.id = ?)")) {
            ps.setString(1, tenantId);
            ps.setString(2, tenantId);
            ps.setString(3, customerId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    if (id.equals(rs.getString(2))) {
                        out.add(0, id);
                    } else {
                        out.add(id);
                    }
                }
            }
            return out;
        }
    }

    /**
     * The customer's view (merged group), or empty: the group's members, then its addresses, tags and references
     * ({@link #VIEW_MEMBERS} and the three after it). The name is the survivor's, else the first non-empty one in
     * creation order; per reference system the earliest-created member's value wins. Four plain queries rather than
     * one {@code UNION}: H2 2.3 never keeps a {@code UNION} in its statement cache and parsed it again on every call
     * (8 % of the ingress' CPU in the store benchmark, docs/BENCHMARKS.md), while each of these is prepared once per
     * connection.
     */
    Optional<Customer> view(Connection c, String tenantId, String rootId) throws SQLException {
        List<String[]> members = new ArrayList<>(1);
        eachRow(c, VIEW_MEMBERS, tenantId, rootId, rs -> members.add(new String[] {rs.getString(1), rs.getString(2)}));
        String displayName = null;
        String firstNonEmptyName = "";
        for (String[] member : members) {
            if (member[0].equals(rootId)) {
                displayName = member[1];
            } else if (firstNonEmptyName.isEmpty() && !member[1].isEmpty()) {
                firstNonEmptyName = member[1];
            }
        }
        if (displayName == null) {
            return Optional.empty();
        }
        if (displayName.isEmpty()) {
            displayName = firstNonEmptyName;
        }
        Set<Address> addresses = new LinkedHashSet<>();
        eachRow(c, VIEW_ADDRESSES, tenantId, rootId, rs -> addresses.add(Address.parse(rs.getString(1))));
        Set<String> tags = new LinkedHashSet<>();
        eachRow(c, VIEW_TAGS, tenantId, rootId, rs -> tags.add(rs.getString(1)));
        Map<String, String> refs = new HashMap<>();
        eachRow(c, VIEW_REFS, tenantId, rootId, rs -> refs.putIfAbsent(rs.getString(1), rs.getString(2)));
        return Optional.of(new Customer(tenantId, rootId, displayName, addresses, refs, tags));
    }

    /** One row of a result set. */
    @FunctionalInterface
    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    /** Runs one of the view's queries (parameters: tenant, root) and hands each row to {@code row}. */
    private static void eachRow(Connection c, String sql, String tenantId, String rootId, Row row)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenantId);
            ps.setString(2, rootId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        }
    }

    /** A merge group's members (id, name) in creation order. Parameters: tenant, root. */
    private static final String VIEW_MEMBERS = "SELECT m.id, m.display_name FROM customers m "
            + "WHERE m.tenant_id = ? AND m.root_id = ? ORDER BY m.created_at, m.id";
    /** The addresses of a merge group's members, members in creation order. Parameters: tenant, root. */
    private static final String VIEW_ADDRESSES = "SELECT a.address FROM customers m "
            + "JOIN customer_addresses a ON a.tenant_id = m.tenant_id AND a.customer_id = m.id "
            + "WHERE m.tenant_id = ? AND m.root_id = ? ORDER BY m.created_at, m.id, a.linked_at";
    /** The tags of a merge group's members. Parameters: tenant, root. */
    private static final String VIEW_TAGS = "SELECT t.tag FROM customers m "
            + "JOIN customer_tags t ON t.tenant_id = m.tenant_id AND t.customer_id = m.id "
            + "WHERE m.tenant_id = ? AND m.root_id = ? ORDER BY m.created_at, m.id, t.tag";
    /** The references (system, value) of a merge group's members, members in creation order. */
    private static final String VIEW_REFS = "SELECT r.ref_system, r.ref_value FROM customers m "
            + "JOIN customer_refs r ON r.tenant_id = m.tenant_id AND r.customer_id = m.id "
            + "WHERE m.tenant_id = ? AND m.root_id = ? ORDER BY m.created_at, m.id";

    private static Set<String> tags(Connection c, String tenantId, List<String> ids) throws SQLException {
        Set<String> tags = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT tag FROM customer_tags WHERE tenant_id = ? AND customer_id = ? ORDER BY tag")) {
            for (String id : ids) {
                ps.setString(1, tenantId);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tags.add(rs.getString(1));
                    }
                }
            }
        }
        return tags;
    }

    private static List<String> members(Connection c, String tenantId, String rootId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM customers WHERE tenant_id = ? AND root_id = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, rootId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static Optional<String> rootOf(Connection c, String tenantId, String customerId, boolean lock)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT root_id FROM customers WHERE tenant_id = ? AND id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, tenantId);
            ps.setString(2, customerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The survivor of the customer's group, with the survivor's row locked for the rest of the transaction. */
    private static String lockRoot(Connection c, String tenantId, String customerId) throws SQLException {
        for (int i = 0; i < 10; i++) {
            String root = rootOf(c, tenantId, customerId, false)
                    .orElseThrow(() -> new UnknownCustomerException(tenantId, customerId));
            lockRow(c, tenantId, root);
            // a concurrent merge may have moved the group between the read and the lock
            if (root.equals(rootOf(c, tenantId, customerId, false).orElse(null))
                    && root.equals(rootOf(c, tenantId, root, false).orElse(null))) {
                return root;
            }
        }
        throw new HistoryException("customer " + customerId + " kept changing groups");
    }

    private static void lockRow(Connection c, String tenantId, String id) throws SQLException {
        rootOf(c, tenantId, id, true);
    }

    private static Optional<String> rootByAddress(Connection c, String tenantId, Address address) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT c.root_id FROM customer_addresses a JOIN customers c "
                + "ON c.tenant_id = a.tenant_id AND c.id = a.customer_id WHERE a.tenant_id = ? AND a.address = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, address.uri());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private boolean insertAddress(Connection c, String tenantId, Address address, String customerId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertAddress)) {
            ps.setString(1, tenantId);
            ps.setString(2, address.uri());
            ps.setString(3, address.scheme());
            ps.setString(4, customerId);
            ps.setLong(5, micros(db.now()));
            if (db.dialect().insertIgnoreRepeatsKey()) {
                ps.setString(6, tenantId);
                ps.setString(7, address.uri());
            }
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (Database.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    private void insertCustomer(Connection c, String tenantId, String id, String displayName) throws SQLException {
        long now = micros(db.now());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers "
                + "(tenant_id, id, display_name, root_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, tenantId);
            ps.setString(2, id);
            ps.setString(3, displayName);
            ps.setString(4, id);
            ps.setLong(5, now);
            ps.setLong(6, now);
            ps.executeUpdate();
        }
    }

    private void touch(Connection c, String tenantId, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE customers SET updated_at = ? WHERE tenant_id = ? AND id = ?")) {
            ps.setLong(1, micros(db.now()));
            ps.setString(2, tenantId);
            ps.setString(3, id);
            ps.executeUpdate();
        }
    }

    private static boolean isErased(Connection c, String tenantId, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT erased_at FROM customers WHERE tenant_id = ? AND id = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                rs.getLong(1);
                return !rs.wasNull();
            }
        }
    }

    static final String MERGE_SELECT = "SELECT tenant_id, id, survivor_id, merged_id, merged_at, merged_by, split_at, "
            + "split_by FROM customer_merges";

    private static Optional<MergeRecord> findMerge(Connection c, String tenantId, String mergeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MERGE_SELECT + " WHERE tenant_id = ? AND id = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, mergeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readMerge(rs)) : Optional.empty();
            }
        }
    }

    static MergeRecord readMerge(ResultSet rs) throws SQLException {
        long splitAt = rs.getLong("split_at");
        boolean split = !rs.wasNull();
        return new MergeRecord(rs.getString("id"), rs.getString("tenant_id"), rs.getString("survivor_id"),
                rs.getString("merged_id"), instant(rs.getLong("merged_at")), rs.getString("merged_by"),
                split ? instant(splitAt) : null, split ? rs.getString("split_by") : null);
    }

    /** Whether the customer row exists and is erased (for the export). */
    boolean erased(Connection c, String tenantId, String id) throws SQLException {
        return isErased(c, tenantId, id);
    }

    /**
     * A new customer's id: a version 7 UUID (RFC 9562: 48 bits of Unix milliseconds, then random bits). Ids made one
     * after another sort together, so the indexes keyed by customer id take new customers at their end instead of at
     * random places: fewer pages written per new customer on H2 (docs/BENCHMARKS.md).
     */
    private static String newId() {
        UUID random = UUID.randomUUID();
        long high = (System.currentTimeMillis() << 16) | 0x7000L | (random.getMostSignificantBits() & 0x0FFFL);
        long low = (random.getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
