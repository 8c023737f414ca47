package io.musubi.connector.webchat.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/** Secrets in files: generated on first use with owner-only permissions, never logged. */
final class KeyFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFiles() {
    }

    /**
     * The key in {@code file}, generating 256 random bits into it (mode 600, created with that mode) when it does not
     * exist yet. A key file must hold at least 32 characters.
     */
    static synchronized byte[] ensure(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
                FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
                Files.createFile(file, mode);
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        }
        return read(file);
    }

    /** A secret written by an operator (e.g. coturn's static-auth-secret), stripped of surrounding blanks. */
    static byte[] read(Path file) throws IOException {
        String key = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (key.length() < 16) {
            throw new IOException("the key file " + file.getFileName() + " holds fewer than 16 characters");
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether only the owner may read the file (false where the file system has no POSIX permissions). */
    static boolean isOwnerOnly(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return false;
        }
        return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY);
    }
}
