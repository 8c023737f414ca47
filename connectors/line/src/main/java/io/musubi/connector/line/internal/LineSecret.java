package io.musubi.connector.line.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A secret (the channel secret, the channel access token) read from an owner-only file or an environment variable,
 * never from the configuration itself. It is read when first needed and again after {@link #invalidate()} (the
 * provider refused it: the operator may have replaced the file). What went wrong is kept as a reason for health,
 * without the secret or the file's content. {@link #toString()} never shows the value.
 */
final class LineSecret {

    private final String name;
    private final Path file;
    private final String env;
    private final Function<String, String> environment;
    private volatile byte[] value;
    private volatile String problem = "";

    private LineSecret(String name, Path file, String env, Function<String, String> environment) {
        this.name = name;
        this.file = file;
        this.env = env;
        this.environment = environment;
    }

    /**
     * @param file a path (relative: under {@code etcDir}) or empty
     * @param env  an environment variable's name or empty; exactly one of the two must be set
     */
    static LineSecret of(String name, String file, String env, Path etcDir, Map<String, String> environment) {
        boolean hasFile = file != null && !file.isBlank();
        boolean hasEnv = env != null && !env.isBlank();
        if (hasFile == hasEnv) {
            LineSecret none = new LineSecret(name, null, null, v -> null);
            none.problem = "configure exactly one of " + name + "File and " + name + "Env";
            return none;
        }
        Path path = hasFile ? etcDir.resolve(file.strip()).toAbsolutePath().normalize() : null;
        return new LineSecret(name, path, hasEnv ? env.strip() : null, environment::get);
    }

    /** The secret's bytes (UTF-8 of the value, surrounding white space removed), or empty with a {@link #problem()}. */
    Optional<byte[]> bytes() {
        byte[] v = value;
        if (v != null) {
            return Optional.of(v);
        }
        synchronized (this) {
            if (value == null) {
                value = load();
            }
            return Optional.ofNullable(value);
        }
    }

    /** The secret as text, or empty. */
    Optional<String> text() {
        return bytes().map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** Forgets the value, so the next use reads it again. */
    void invalidate() {
        value = null;
    }

    /** Why the secret is not available; empty when it is. */
    String problem() {
        return value != null ? "" : problem;
    }

    /** Where it comes from, for operators: {@code file} or {@code env}, never the value. */
    String source() {
        return file != null ? "file" : env != null ? "env:" + env : "not configured";
    }

    private byte[] load() {
        if (file == null && env == null) {
            return null; // not configured: the problem says so
        }
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
            raw = environment.apply(env);
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

    @Override
    public String toString() {
        return "LineSecret[" + name + " from " + source() + ", value=***]";
    }
}
