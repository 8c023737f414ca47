package io.musubi.store.jdbc.internal;

import static io.musubi.store.jdbc.internal.Database.instant;
import static io.musubi.store.jdbc.internal.Database.micros;

import io.musubi.store.DefinitionRepository;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link DefinitionRepository} on the {@code acd_definitions} table. */
@Component(service = DefinitionRepository.class)
public final class JdbcDefinitionRepository implements DefinitionRepository {

    private final Database db;
    private final String upsert;

    /** The DS component (one per repository) on the store's database component. */
    @Activate
    public JdbcDefinitionRepository(@Reference StoreDatabase store) {
        this(store.database());
    }

    JdbcDefinitionRepository(Database db) {
        this.db = db;
        this.upsert = db.dialect().upsert("acd_definitions",
                new String[] {"kind", "id", "tenant_id", "body", "updated_at"}, new String[] {"kind", "id"});
    }

    @Override
    public void save(Kind kind, String id, String tenantId, String body) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(body, "body");
        long now = micros(db.now());
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(upsert)) {
                ps.setString(1, kind.name());
                ps.setString(2, id);
                ps.setString(3, tenantId);
                ps.setString(4, body);
                ps.setLong(5, now);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean delete(Kind kind, String id) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM acd_definitions WHERE kind = ? AND id = ?")) {
                ps.setString(1, kind.name());
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<Definition> all(Kind kind) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, tenant_id, body, updated_at FROM acd_definitions WHERE kind = ? ORDER BY id")) {
                ps.setString(1, kind.name());
                List<Definition> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Definition(kind, rs.getString(1), rs.getString(2), rs.getString(3),
                                instant(rs.getLong(4))));
                    }
                }
                return out;
            }
        });
    }
}
