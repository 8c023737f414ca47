package io.musubi.broker.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The hub's own broker credential. There is no default: on first start a random secret is generated into
 * a file readable by the owner only, and the hub user is added to Karaf's JAAS realm
 * ({@code users.properties}), which the embedded Artemis authenticates against. The user has one role,
 * {@link #ROLE}, which grants broker access and nothing in Karaf.
 *
 * <p>The user's entry holds the secret in the realm's {@link RealmPasswordFormat} (a digest in the distribution) and
 * always follows the secret file: a plain entry left by an older installation is replaced by its digest, and an entry
 * for another secret (the secret file was deleted to rotate it) is replaced. {@code users.properties} is kept
 * readable by its owner only.
 */
final class BrokerCredentials {

    static final String ROLE = "musubi-broker";

    /** What {@link #ensure} did to the user's entry in {@code users.properties}. */
    enum Entry { UNCHANGED, ADDED, REPLACED }

    private final String user;
    private final char[] password;
    private final Entry entry;

    private BrokerCredentials(String user, char[] password, Entry entry) {
        this.user = user;
        this.password = password;
        this.entry = entry;
    }

    String user() {
        return user;
    }

    String password() {
        return new String(password);
    }

    Entry entry() {
        return entry;
    }

    /**
     * Reads the secret, generating it on first use, and makes sure {@code usersFile} lists the user with that secret
     * in {@code format}, and is readable by its owner only.
     */
    static synchronized BrokerCredentials ensure(Path secretFile, Path usersFile, String user,
                                                 RealmPasswordFormat format) throws IOException {
        if (!user.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("broker user must be [A-Za-z0-9._-]+");
        }
        String secret;
        if (Files.exists(secretFile)) {
            secret = Files.readString(secretFile, StandardCharsets.UTF_8).strip();
        } else {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(secretFile.getParent());
            writeOwnerOnly(secretFile, secret + "\n");
        }
        if (secret.isEmpty()) {
            throw new IOException("broker secret file is empty: " + secretFile);
        }
        Entry entry = ensureUser(usersFile, user, secret, format);
        return new BrokerCredentials(user, secret.toCharArray(), entry);
    }

    private static Entry ensureUser(Path usersFile, String user, String secret, RealmPasswordFormat format)
            throws IOException {
        List<String> lines = Files.exists(usersFile)
                ? new ArrayList<>(Files.readAllLines(usersFile, StandardCharsets.UTF_8)) : new ArrayList<>();
        String wanted = user + " = " + format.store(secret) + "," + ROLE;
        Entry entry = Entry.ADDED;
        for (int i = 0; i < lines.size(); i++) {
            String value = valueOf(lines.get(i), user);
            if (value == null) {
                continue;
            }
            String[] fields = value.split(",", -1);
            if (format.isStoredFormOf(fields[0].strip(), secret) && Arrays.stream(fields).skip(1)
                    .anyMatch(r -> r.strip().equals(ROLE))) {
                entry = Entry.UNCHANGED;
            } else {
                lines.set(i, wanted);
                entry = Entry.REPLACED;
            }
            break;
        }
        if (entry == Entry.ADDED) {
            lines.add("");
            lines.add("# Musubi's broker user, generated on first start (see docs/operations.md)");
            lines.add(wanted);
        }
        if (entry == Entry.UNCHANGED) {
            makeOwnerOnly(usersFile);
        } else {
            replaceOwnerOnly(usersFile, String.join(System.lineSeparator(), lines) + System.lineSeparator());
        }
        return entry;
    }

    /** The value of {@code user}'s line ({@code user = value}, {@code user=value}, {@code user:value}), else null. */
    private static String valueOf(String line, String user) {
        String l = line.strip();
        if (l.startsWith("#") || l.startsWith("!") || !l.startsWith(user) || l.length() == user.length()) {
            return null;
        }
        String rest = l.substring(user.length());
        char c = rest.charAt(0);
        if (c != '=' && c != ':' && !Character.isWhitespace(c)) {
            return null;
        }
        rest = rest.stripLeading();
        if (rest.startsWith("=") || rest.startsWith(":")) {
            rest = rest.substring(1);
        }
        return rest.strip();
    }

    /** Writes the whole file through an owner-only temporary file and an atomic rename. */
    private static void replaceOwnerOnly(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = posix(dir)
                ? Files.createTempFile(dir, ".users", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".users", ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void makeOwnerOnly(Path file) throws IOException {
        if (posix(file) && !isOwnerOnly(file)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static boolean posix(Path path) throws IOException {
        return Files.getFileStore(path).supportsFileAttributeView("posix");
    }

    /** Creates {@code file} with owner-only permissions from the start (never readable by others, not even briefly). */
    private static void writeOwnerOnly(Path file, String content) throws IOException {
        if (posix(file.toAbsolutePath().getParent())) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        }
    }

    static boolean isOwnerOnly(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS))
                .equals("rw-------");
    }

    @Override
    public String toString() {
        return "BrokerCredentials[user=" + user + ", password=***]";
    }
}
