package io.musubi.connector.mail.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A password (IMAP, SMTP) read from an owner-only file or an environment variable named in the configuration, never
 * from the configuration itself. It is read again at every connection, so an operator who replaces the file needs no
 * restart. What went wrong is kept for health without the value; {@link #toString()} never shows it.
 */
final class MailSecret {

    private final String name;
    private final Path file;
    private final String env;
    private final UnaryOperator<String> environment;
    private final String misconfigured;
    private volatile String problem = "";

    private MailSecret(String name, Path file, String env, UnaryOperator<String> environment, String misconfigured) {
        this.name = name;
        this.file = file;
        this.env = env;
        this.environment = environment;
        this.misconfigured = misconfigured;
    }

    /**
     * @param file a path (relative: under {@code etcDir}) or empty
     * @param env  an environment variable's name or empty; at most one of the two
     */
    static MailSecret of(String name, String file, String env, Path etcDir, UnaryOperator<String> environment) {
        boolean hasFile = file != null && !file.isBlank();
        boolean hasEnv = env != null && !env.isBlank();
        if (hasFile && hasEnv) {
            return new MailSecret(name, null, null, v -> null, "configure only one of " + name + "File and "
                    + name + "Env");
        }
        if (!hasFile && !hasEnv) {
            return new MailSecret(name, null, null, v -> null, name + " not configured (" + name + "File or "
                    + name + "Env)");
        }
        Path path = hasFile ? etcDir.resolve(file.strip()).toAbsolutePath().normalize() : null;
        return new MailSecret(name, path, hasEnv ? env.strip() : null, environment, "");
    }

    /** The value (surrounding white space removed), or empty with a {@link #problem()}. */
    Optional<String> value() {
        if (!misconfigured.isEmpty()) {
            problem = misconfigured;
            return Optional.empty();
        }
        String raw;
        if (file != null) {
            try {
                if (!Files.isRegularFile(file)) {
                    problem = name + " file not found";
                    return Optional.empty();
                }
                if (!ownerOnly(file)) {
                    problem = name + " file must be readable by its owner only (chmod 600)";
                    return Optional.empty();
                }
                raw = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                problem = name + " file not readable: " + e.getClass().getSimpleName();
                return Optional.empty();
            }
        } else {
            raw = environment.apply(env);
            if (raw == null) {
                problem = "environment variable " + env + " is not set";
                return Optional.empty();
            }
        }
        String value = raw.strip();
        if (value.isEmpty()) {
            problem = name + " is empty";
            return Optional.empty();
        }
        problem = "";
        return Optional.of(value);
    }

    /** Why the value is not available; empty when it was at the last read. */
    String problem() {
        return problem;
    }

    /** Where it comes from, for operators: {@code file}, {@code env:<NAME>}, never the value. */
    String source() {
        return file != null ? "file" : env != null ? "env:" + env : "not configured";
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
        return "MailSecret[" + name + " from " + source() + ", value=****]";
    }
}
