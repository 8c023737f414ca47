package io.musubi.connector.twilio.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A secret of the connector (the auth token, an API key's secret) from an owner-only file or an environment
 * variable named in the configuration, never from the configuration itself. It is read when first needed, again when
 * the value read is older than {@link #MAX_AGE} (an operator rotating the token replaces the file; a file that has
 * become readable by others is refused from then on), on {@link #refresh()} (health) and after {@link #forget()}
 * (Twilio refused it). {@link #problem()} says what is wrong for health, never the value or the file's content;
 * {@link #toString()} never shows the value.
 */
final class TwilioSecret {

    private final String name;
    private final Path file;
    private final String env;
    private final Map<String, String> environment;
    private final boolean optional;
    private volatile byte[] value;
    private volatile long loadedAt;
    private volatile String problem = "";
    private final LongSupplier nanoClock;

    /** How long a value read is used before it is read again. */
    static final Duration MAX_AGE = Duration.ofSeconds(30);

    private TwilioSecret(String name, Path file, String env, Map<String, String> environment, boolean optional,
                         String problem) {
        this(name, file, env, environment, optional, problem, System::nanoTime);
    }

    private TwilioSecret(String name, Path file, String env, Map<String, String> environment, boolean optional,
                         String problem, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.name = name;
        this.file = file;
        this.env = env;
        this.environment = environment;
        this.optional = optional;
        this.problem = problem;
    }

    /**
     * @param file     a path (relative: under {@code etcDir}) or empty
     * @param env      an environment variable's name or empty; at most one of the two
     * @param optional whether neither being set is fine (the secret is then absent, with no problem)
     */
    static TwilioSecret of(String name, String file, String env, Path etcDir, Map<String, String> environment,
                           boolean optional) {
        boolean hasFile = file != null && !file.isBlank();
        boolean hasEnv = env != null && !env.isBlank();
        if (hasFile && hasEnv) {
            return new TwilioSecret(name, null, null, environment, optional,
                    "configure one of " + name + "File and " + name + "Env, not both");
        }
        if (!hasFile && !hasEnv) {
            return new TwilioSecret(name, null, null, environment, optional,
                    optional ? "" : "configure " + name + "File or " + name + "Env");
        }
        Path path = hasFile ? etcDir.resolve(file.strip()).toAbsolutePath().normalize() : null;
        return new TwilioSecret(name, path, hasEnv ? env.strip() : null, environment, optional, "");
    }

    /** Whether the configuration names a source for this secret. */
    boolean configured() {
        return file != null || env != null;
    }

    /** The secret's bytes (UTF-8, surrounding white space removed), or empty with a {@link #problem()}. */
    Optional<byte[]> bytes() {
        byte[] v = value;
        if (v != null && nanoClock.getAsLong() - loadedAt < MAX_AGE.toNanos()) {
            return Optional.of(v);
        }
        return Optional.ofNullable(refresh());
    }

    /** Reads the secret again now; null (with a {@link #problem()}) when it is not available. */
    synchronized byte[] refresh() {
        if (!configured()) {
            return null;
        }
        value = load();
        loadedAt = nanoClock.getAsLong();
        return value;
    }

    Optional<String> text() {
        return bytes().map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** Forgets the value, so the next use reads it again. */
    void forget() {
        value = null;
    }

    /** Why the secret is not available; empty when it is (or when an optional one is not configured). */
    String problem() {
        return value != null ? "" : problem;
    }

    /** Where it comes from, for operators: never the value or the file's path. */
    String source() {
        return file != null ? "file" : env != null ? "env:" + env : "not configured";
    }

    private byte[] load() {
        String raw;
        if (file != null) {
            try {
                if (!Files.isRegularFile(file)) {
                    problem = name + " file not found";
                    return null;
                }
                if (!ownerOnly(file)) {
                    problem = name + " file must be readable by its owner only (chmod 600)";
                    return null;
                }
                raw = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                problem = name + " file not readable: " + e.getClass().getSimpleName();
                return null;
            }
        } else {
            raw = environment.get(env);
            if (raw == null) {
                problem = "environment variable " + env + " is not set";
                return null;
            }
        }
        String stripped = raw.strip();
        if (stripped.isEmpty()) {
            problem = name + " is empty";
            return null;
        }
        problem = "";
        return stripped.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean ownerOnly(Path file) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (posix == null) {
            return true; // not a POSIX file system: nothing to check
        }
        Set<PosixFilePermission> p = posix.readAttributes().permissions();
        return !p.contains(PosixFilePermission.GROUP_READ) && !p.contains(PosixFilePermission.OTHERS_READ)
                && !p.contains(PosixFilePermission.GROUP_WRITE) && !p.contains(PosixFilePermission.OTHERS_WRITE);
    }

    boolean optional() {
        return optional;
    }

    @Override
    public String toString() {
        return "TwilioSecret[" + name + " from " + source() + ", value=****]";
    }
}
