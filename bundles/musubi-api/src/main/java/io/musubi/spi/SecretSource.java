package io.musubi.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A connector's secret (a channel secret, an access token, a password) read from an owner-only file or from an
 * environment variable named in the configuration, never from the configuration itself: {@code <name>File} (a path,
 * relative ones under the hub's {@code etc/}) or {@code <name>Env}, at most one of the two.
 *
 * <p>A value read is used again for {@link #keptFor(Duration) a while} (by default until {@link #forget()}: the
 * provider refused it and the operator may have replaced the file), then read again; {@link #refresh()} reads it now
 * (health). A file readable or writable by group or others is refused. {@link #problem()} says what is wrong, for
 * health, never with the value or the file's content; {@link #toString()} never shows the value either.
 */
public final class SecretSource {

    private final Origin origin;
    private final boolean both;
    private final boolean optional;
    private final Duration maxAge;
    private final LongSupplier nanoClock;
    private volatile byte[] value;
    private volatile long loadedAt;
    private volatile String problem;

    /** Where the value comes from: a file or an environment variable (neither when misconfigured). */
    private record Origin(String name, Path file, String env, Function<String, String> environment) {
    }

    private SecretSource(Origin origin, boolean both, boolean optional, Duration maxAge, LongSupplier nanoClock) {
        this.origin = origin;
        this.both = both;
        this.optional = optional;
        this.maxAge = maxAge;
        this.nanoClock = nanoClock;
        String name = origin.name();
        this.problem = both ? "configure exactly one of " + name + "File and " + name + "Env, not both"
                : !configured() && !optional
                ? name + " not configured: configure exactly one of " + name + "File and " + name + "Env" : "";
    }

    /**
     * A required secret, kept until {@link #forget()} once read.
     *
     * @param name        the configuration's name for it ({@code channelSecret}: options {@code channelSecretFile},
     *                    {@code channelSecretEnv}), used in problems
     * @param file        a path (relative: under {@code etcDir}) or empty
     * @param env         an environment variable's name or empty; at most one of the two
     * @param environment the environment, by variable name ({@code System::getenv}; a map's {@code get} in tests)
     */
    public static SecretSource of(String name, String file, String env, Path etcDir,
                                  Function<String, String> environment) {
        boolean hasFile = file != null && !file.isBlank();
        boolean hasEnv = env != null && !env.isBlank();
        if (hasFile == hasEnv) {
            return new SecretSource(new Origin(name, null, null, environment), hasFile, false, null,
                    System::nanoTime);
        }
        Path path = hasFile ? etcDir.resolve(file.strip()).toAbsolutePath().normalize() : null;
        return new SecretSource(new Origin(name, path, hasEnv ? env.strip() : null, environment), false, false,
                null, System::nanoTime);
    }

    /**
     * The same secret, where (when {@code optional}) configuring neither source is fine: it is then absent, with no
     * problem. Configuring both is still one.
     */
    public SecretSource optional(boolean optional) {
        return new SecretSource(origin, both, optional, maxAge, nanoClock);
    }

    /**
     * The same secret, read again when the value read is older than {@code maxAge} ({@link Duration#ZERO}: at every
     * use, so an operator rotating it needs no restart; a file that has become readable by others is refused from
     * then on).
     */
    public SecretSource keptFor(Duration maxAge) {
        return keptFor(maxAge, nanoClock);
    }

    /** {@link #keptFor(Duration)} on the given clock of nanoseconds (tests). */
    public SecretSource keptFor(Duration maxAge, LongSupplier nanoClock) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative");
        }
        return new SecretSource(origin, both, optional, maxAge, nanoClock);
    }

    /** Whether the configuration names a source for this secret. */
    public boolean configured() {
        return origin.file() != null || origin.env() != null;
    }

    /** Whether not configuring it is fine. */
    public boolean isOptional() {
        return optional;
    }

    /** The secret's bytes (UTF-8, surrounding white space removed), or empty with a {@link #problem()}. */
    public Optional<byte[]> bytes() {
        byte[] v = current();
        if (v == null) {
            synchronized (this) {
                v = current();
                if (v == null) {
                    v = refresh();
                }
            }
        }
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    /** The secret as text, or empty with a {@link #problem()}. */
    public Optional<String> text() {
        return bytes().map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /**
     * Reads the secret again now; null (with a {@link #problem()}) when it is not available or not configured.
     * The array returned is the caller's.
     */
    public synchronized byte[] refresh() {
        if (!configured()) {
            return null;
        }
        byte[] v = load();
        value = v;
        loadedAt = nanoClock.getAsLong();
        return v == null ? null : v.clone();
    }

    /** Forgets the value, so the next use reads it again. */
    public void forget() {
        value = null;
    }

    /** Why the secret is not available; empty when it is (or when an optional one is not configured). */
    public String problem() {
        return value != null ? "" : problem;
    }

    /** Where it comes from, for operators: {@code file}, {@code env:<NAME>} or {@code not configured}. */
    public String source() {
        return origin.file() != null ? "file" : origin.env() != null ? "env:" + origin.env() : "not configured";
    }

    private byte[] current() {
        byte[] v = value;
        if (v == null || maxAge == null) {
            return v;
        }
        return nanoClock.getAsLong() - loadedAt < maxAge.toNanos() ? v : null;
    }

    private byte[] load() {
        String name = origin.name();
        Path file = origin.file();
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
            raw = origin.environment().apply(origin.env());
            if (raw == null) {
                problem = "environment variable " + origin.env() + " is not set";
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

    @Override
    public String toString() {
        return "SecretSource[" + origin.name() + " from " + source() + ", value=****]";
    }
}
