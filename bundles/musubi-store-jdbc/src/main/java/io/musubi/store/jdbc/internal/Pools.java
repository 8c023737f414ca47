package io.musubi.store.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.musubi.store.jdbc.JdbcSettings;
import javax.sql.DataSource;

/**
 * Connection pools (HikariCP) for {@link JdbcSettings}. The driver's own data source class is instantiated here,
 * not looked up through {@code DriverManager}, which does not see other bundles' drivers in OSGi.
 */
public final class Pools {

    private Pools() {
    }

    /** A pool and the means to close it. */
    public record Pool(HikariDataSource dataSource) implements AutoCloseable {
        @Override
        public void close() {
            dataSource.close();
        }
    }

    /** Parsed statements H2 keeps per session (the store's statements, with room to spare). */
    static final int H2_QUERY_CACHE = 128;

    public static Pool create(JdbcSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("musubi-store");
        config.setDataSource(driverDataSource(settings));
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setMinimumIdle(Math.min(2, settings.maxPoolSize()));
        config.setAutoCommit(true);
        return new Pool(new HikariDataSource(config));
    }

    private static DataSource driverDataSource(JdbcSettings settings) {
        String url = settings.url();
        if (url.startsWith("jdbc:h2:")) {
            org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
            // H2 keeps 8 parsed statements per session by default; one inbound event runs more than 8 different
            // ones, so each was parsed again every time (H2 parser frames showed in the ingress profile).
            h2.setURL(url.toUpperCase(java.util.Locale.ROOT).contains(";QUERY_CACHE_SIZE=") ? url
                    : url + ";QUERY_CACHE_SIZE=" + H2_QUERY_CACHE);
            h2.setUser(settings.user());
            h2.setPassword(settings.password());
            return h2;
        }
        org.postgresql.ds.PGSimpleDataSource pg = new org.postgresql.ds.PGSimpleDataSource();
        pg.setURL(url);
        if (!settings.user().isEmpty()) {
            pg.setUser(settings.user());
        }
        if (!settings.password().isEmpty()) {
            pg.setPassword(settings.password());
        }
        return pg;
    }
}
