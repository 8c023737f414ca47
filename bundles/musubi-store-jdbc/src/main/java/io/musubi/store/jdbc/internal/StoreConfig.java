package io.musubi.store.jdbc.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the history store, PID {@code io.musubi.store} (etc/io.musubi.store.cfg). */
@ObjectClassDefinition(name = "Musubi store",
        description = "Where the unified customer history lives: embedded H2 (default) or PostgreSQL.")
public @interface StoreConfig {

    @AttributeDefinition(name = "JDBC URL", description = "jdbc:h2:file:... or jdbc:postgresql://host:port/db. "
            + "Empty: an H2 file under ${karaf.data}/musubi/history.")
    String jdbcUrl() default "";

    @AttributeDefinition(name = "User")
    String user() default "musubi";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(name = "Maximum pooled connections", min = "1")
    int maxPoolSize() default 48;

    @AttributeDefinition(name = "Sync commits (H2)",
            description = "Force every commit to the disk (fsync); off: written to the OS only, safe against a "
                    + "killed JVM but not a power loss.")
    boolean syncCommits() default true;

    @AttributeDefinition(name = "Least time between flushes (H2, ms)", min = "0",
            description = "Embedded H2: committed writes reach the file in flushes shared by every commit waiting "
                    + "for one; a flush starts no sooner than this after the previous one, so under load each "
                    + "covers more commits (fewer chunks written and synced) at the cost of up to this much commit "
                    + "latency. 0: a flush starts as soon as a commit asks.")
    int h2FlushIntervalMillis() default 5;

    @AttributeDefinition(name = "Node id",
            description = "This hub among several sharing one database, the same across its restarts. Empty: the "
                    + "host name and the data directory. Work this node left in progress when it stopped (API "
                    + "Idempotency-Key claims) is dropped when it starts again.")
    String nodeId() default "";
}
