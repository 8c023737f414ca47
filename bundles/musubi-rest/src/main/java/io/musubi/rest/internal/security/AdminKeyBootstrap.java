package io.musubi.rest.internal.security;

import io.musubi.rest.Role;

import io.musubi.store.ApiKeyRepository;
import io.musubi.store.IssuedApiKey;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The first way in without default credentials: when no active API key exists at all, an admin key for tenant
 * {@value #TENANT} is created and written to a file only its owner can read (created with mode 600 on POSIX file
 * systems, then moved into place, so it is never readable by others, not even for a moment). The key is never
 * logged; the caller logs the file's location. A stale file from an earlier database is replaced.
 */
final class AdminKeyBootstrap {

    static final String TENANT = "default";
    static final String NAME = "bootstrap admin key";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AdminKeyBootstrap() {
    }

    /**
     * Creates and writes the admin key if no active key exists.
     *
     * @return the new key's id, or empty when an active key existed
     * @throws IOException if the file could not be written (the new key is revoked again)
     */
    static Optional<String> ensure(ApiKeyRepository keys, Path file) throws IOException {
        if (keys.anyActive()) {
            return Optional.empty();
        }
        IssuedApiKey issued = keys.create(TENANT, NAME, Set.of(Role.ADMIN.claim()), null);
        try {
            writeOwnerOnly(file, issued.key() + "\n");
        } catch (IOException | RuntimeException e) {
            keys.revoke(TENANT, issued.apiKey().id());
            throw e;
        }
        return Optional.of(issued.apiKey().id());
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        Path temp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        try {
            Files.createFile(temp, attributes);
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(content.getBytes(StandardCharsets.US_ASCII));
            }
            if (posix) {
                Files.setPosixFilePermissions(temp, OWNER_ONLY);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("temporary key file exists: " + temp, e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
