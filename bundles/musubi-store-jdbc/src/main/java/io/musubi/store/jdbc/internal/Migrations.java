package io.musubi.store.jdbc.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.resource.LoadableResource;
import io.musubi.store.HistoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned schema migrations with Flyway. The migration scripts are listed in
 * {@code db/migrations.txt} next to them and read from this bundle's class loader: no class-path scanning, which
 * is fragile inside OSGi. Flyway's history table is {@value #TABLE}, so other modules can use Flyway on the same
 * database.
 */
public final class Migrations {

    static final String TABLE = "musubi_history_schema";
    private static final String BASE = "io/musubi/store/jdbc/internal/db/";
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    public static void apply(DataSource dataSource) {
        ClassLoader loader = Migrations.class.getClassLoader();
        List<LoadableResource> scripts = scripts(loader);
        Flyway flyway = Flyway.configure(loader)
                .dataSource(dataSource)
                .table(TABLE)
                .resourceProvider(new ListedResources(scripts))
                .javaMigrationClassProvider(new NoJavaMigrations())
                .placeholderReplacement(false)
                .baselineOnMigrate(false)
                .validateOnMigrate(true)
                .load();
        try {
            MigrateResult result = flyway.migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("history schema migrated to version {} ({} migrations)", result.targetSchemaVersion,
                        result.migrationsExecuted);
            }
        } catch (RuntimeException e) {
            throw new HistoryException("history schema migration failed: " + e.getMessage(), e);
        }
    }

    private static List<LoadableResource> scripts(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(BASE + "migrations.txt")) {
            if (in == null) {
                throw new HistoryException("migration index missing from the bundle");
            }
            List<String> names = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
            List<LoadableResource> out = new ArrayList<>();
            for (String name : names) {
                out.add(new Script(name, read(loader, BASE + name)));
            }
            return out;
        } catch (IOException e) {
            throw new HistoryException("reading the migration scripts failed", e);
        }
    }

    private static String read(ClassLoader loader, String path) throws IOException {
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new HistoryException("migration script missing: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** One SQL migration, held in memory. */
    private static final class Script extends LoadableResource {
        private final String name;
        private final String sql;

        Script(String name, String sql) {
            this.name = name;
            this.sql = sql;
        }

        @Override
        public Reader read() {
            return new StringReader(sql);
        }

        @Override
        public String getAbsolutePath() {
            return BASE + name;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return BASE + name;
        }

        @Override
        public String getFilename() {
            return name;
        }

        @Override
        public String getRelativePath() {
            return name;
        }
    }

    private record ListedResources(List<LoadableResource> scripts) implements ResourceProvider {
        @Override
        public LoadableResource getResource(String name) {
            return scripts.stream().filter(s -> s.getRelativePath().equals(name) || s.getFilename().equals(name))
                    .findFirst().orElse(null);
        }

        @Override
        public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
            return scripts.stream()
                    .filter(s -> s.getFilename().startsWith(prefix))
                    .filter(s -> Arrays.stream(suffixes).anyMatch(x -> s.getFilename().endsWith(x)))
                    .collect(Collectors.toList());
        }
    }

    private static final class NoJavaMigrations implements ClassProvider<JavaMigration> {
        @Override
        public Collection<Class<? extends JavaMigration>> getClasses() {
            return List.of();
        }
    }
}
