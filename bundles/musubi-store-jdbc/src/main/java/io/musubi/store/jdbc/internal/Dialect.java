package io.musubi.store.jdbc.internal;

/**
 * The few statements that differ between H2 and PostgreSQL; the schema and every other statement are shared.
 */
public enum Dialect {
    H2("H2"),
    POSTGRESQL("PostgreSQL");

    private final String productName;

    Dialect(String productName) {
        this.productName = productName;
    }

    public String productName() {
        return productName;
    }

    static Dialect of(String databaseProductName) {
        if (databaseProductName.equalsIgnoreCase("H2")) {
            return H2;
        }
        if (databaseProductName.equalsIgnoreCase("PostgreSQL")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database for the history store: " + databaseProductName);
    }

    /**
     * An INSERT of one row that does nothing if a row with the same key exists. Its parameters are the column
     * values and then (H2 only) the key values again. The update count tells whether the row was inserted; on H2
     * a concurrent insert of the same key may still fail with SQLState 23505, which means "exists" as well.
     */
    String insertIgnore(String table, String[] columns, String[] keyColumns) {
        String cols = String.join(", ", columns);
        String params = "?" + ", ?".repeat(columns.length - 1);
        if (this == POSTGRESQL) {
            return "INSERT INTO " + table + " (" + cols + ") VALUES (" + params + ") ON CONFLICT ("
                    + String.join(", ", keyColumns) + ") DO NOTHING";
        }
        StringBuilder where = new StringBuilder();
        for (String k : keyColumns) {
            where.append(where.length() == 0 ? "" : " AND ").append(k).append(" = ?");
        }
        return "INSERT INTO " + table + " (" + cols + ") SELECT " + params + " WHERE NOT EXISTS (SELECT 1 FROM "
                + table + " WHERE " + where + ")";
    }

    /** Whether {@link #insertIgnore} takes the key values again after the column values. */
    boolean insertIgnoreRepeatsKey() {
        return this == H2;
    }

    /** An INSERT of one row that replaces the row with the same key. Parameters: the column values. */
    String upsert(String table, String[] columns, String[] keyColumns) {
        String cols = String.join(", ", columns);
        String params = "?" + ", ?".repeat(columns.length - 1);
        if (this == H2) {
            return "MERGE INTO " + table + " (" + cols + ") KEY (" + String.join(", ", keyColumns) + ") VALUES ("
                    + params + ")";
        }
        StringBuilder set = new StringBuilder();
        java.util.Set<String> keys = java.util.Set.of(keyColumns);
        for (String c : columns) {
            if (!keys.contains(c)) {
                set.append(set.length() == 0 ? "" : ", ").append(c).append(" = EXCLUDED.").append(c);
            }
        }
        return "INSERT INTO " + table + " (" + cols + ") VALUES (" + params + ") ON CONFLICT ("
                + String.join(", ", keyColumns) + ") DO UPDATE SET " + set;
    }
}
