package io.musubi.store.jdbc;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the history database when {@link JdbcStore} owns the connection pool.
 *
 * @param url          JDBC URL: {@code jdbc:h2:file:/var/lib/musubi/history} (embedded) or
 *                     {@code jdbc:postgresql://host:5432/musubi}
 * @param user         database user
 * @param password     database password; never printed by {@link #toString()}
 * @param maxPoolSize  the most pooled connections
 * @param syncCommits  embedded H2 only: force every committed write to the disk (fsync) before returning, so a
 *                     power loss or kernel crash loses nothing acknowledged. Without it a commit is written to
 *                     the operating system (a killed JVM loses nothing) but not forced. PostgreSQL's own
 *                     settings ({@code fsync}, {@code synchronous_commit}) decide there.
 * @param flushInterval embedded H2 only: the least time between two flushes of committed writes to the file; commits
 *                     that arrive meanwhile share the next flush (zero: each flush starts as soon as a commit asks)
 */
public record JdbcSettings(String url, String user, String password, int maxPoolSize, boolean syncCommits,
                           Duration flushInterval) {

    public JdbcSettings {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("history store supports jdbc:h2: and jdbc:postgresql: URLs");
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1");
        }
        flushInterval = flushInterval == null ? Duration.ZERO : flushInterval;
        if (flushInterval.isNegative()) {
            throw new IllegalArgumentException("flushInterval cannot be negative");
        }
    }

    /** Settings with a pool of 8, synced commits, and each flush as soon as a commit asks. */
    public static JdbcSettings of(String url, String user, String password) {
        return new JdbcSettings(url, user, password, 8, true, Duration.ZERO);
    }

    /** The embedded default: an H2 database file at {@code fileBase} (".mv.db" is appended by H2). */
    public static JdbcSettings embedded(java.nio.file.Path fileBase) {
        return of("jdbc:h2:file:" + fileBase.toAbsolutePath(), "musubi", "");
    }

    public JdbcSettings withMaxPoolSize(int newMaxPoolSize) {
        return new JdbcSettings(url, user, password, newMaxPoolSize, syncCommits, flushInterval);
    }

    public JdbcSettings withSyncCommits(boolean newSyncCommits) {
        return new JdbcSettings(url, user, password, maxPoolSize, newSyncCommits, flushInterval);
    }

    public JdbcSettings withFlushInterval(Duration newFlushInterval) {
        return new JdbcSettings(url, user, password, maxPoolSize, syncCommits, newFlushInterval);
    }

    /** The URL with any {@code password=} parameter hidden, fit for logs. */
    public String maskedUrl() {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1****");
    }

    @Override
    public String toString() {
        return "JdbcSettings[url=" + maskedUrl() + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "****")
                + ", maxPoolSize=" + maxPoolSize + ", syncCommits=" + syncCommits + ", flushInterval=" + flushInterval + "]";
    }
}
