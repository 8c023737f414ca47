package io.musubi.broker.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The hub's own broker credential. There is no default: on first start a random secret is generated into
 * a file readable by the owner only, and the hub user is added to Karaf's JAAS realm
 * ({@code users.properties}), which the embedded Artemis authenticates against. The user has one role,
 * {@link #ROLE}, which grants broker access and nothing in Karaf.
 */
final class BrokerCredentials {

    static final String ROLE = "musubi-broker";

    private final String user;
    private final char[] password;

    private BrokerCredentials(String user, char[] password) {
        this.user = user;
        this.password = password;
    }

    String user() {
        return user;
    }

    String password() {
        return new String(password);
    }

    /**
     * Reads the secret, generating it on first use, and makes sure {@code usersFile} lists the user.
     */
    static synchronized BrokerCredentials ensure(Path secretFile, Path usersFile, String user) throws IOException {
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
        ensureUser(usersFile, user, secret);
        return new BrokerCredentials(user, secret.toCharArray());
    }

    private static void ensureUser(Path usersFile, String user, String secret) throws IOException {
        List<String> lines = Files.exists(usersFile) ? Files.readAllLines(usersFile, StandardCharsets.UTF_8) : List.of();
        for (String line : lines) {
            String l = line.strip();
            if (!l.startsWith("#") && (l.startsWith(user + " ") || l.startsWith(user + "=") || l.startsWith(user + ":"))) {
                return;
            }
        }
        String entry = System.lineSeparator() + "# Musubi's broker user, generated on first start (see docs/operations.md)"
                + System.lineSeparator() + user + " = " + secret + "," + ROLE + System.lineSeparator();
        if (usersFile.getParent() != null) {
            Files.createDirectories(usersFile.getParent());
        }
        Files.writeString(usersFile, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
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
