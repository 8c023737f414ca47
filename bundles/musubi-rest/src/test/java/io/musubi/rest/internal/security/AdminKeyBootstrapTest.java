package io.musubi.rest.internal.security;

import io.musubi.rest.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.store.ApiKey;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.store.jdbc.JdbcSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminKeyBootstrapTest {

    @TempDir
    Path etc;

    private JdbcStore history;

    @BeforeEach
    void open() {
        history = JdbcStore.open(JdbcSettings.embedded(Path.of("target", "h2", "bootstrap-" + UUID.randomUUID()))
                .withMaxPoolSize(2));
    }

    @AfterEach
    void close() {
        history.close();
    }

    @Test
    void firstStartWritesAWorkingAdminKeyReadableByTheOwnerOnly() throws Exception {
        Path file = etc.resolve("musubi/admin.key");

        Optional<String> id = AdminKeyBootstrap.ensure(history.apiKeys(), file);

        assertThat(id).isPresent();
        String key = Files.readString(file, StandardCharsets.US_ASCII).strip();
        assertThat(ApiKey.idOf(key)).isEqualTo(id);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-------");
        ApiKey stored = history.apiKeys().find(id.get()).orElseThrow();
        assertThat(stored.tenantId()).isEqualTo("default");
        assertThat(stored.roles()).containsExactly("admin");
        Caller caller = new ApiKeyAuthenticator(history.apiKeys(), java.time.Clock.systemUTC(), Duration.ZERO)
                .authenticate(key);
        assertThat(caller.has(Role.ADMIN)).isTrue();
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void nothingIsCreatedWhileAnActiveKeyExists() throws Exception {
        Path file = etc.resolve("musubi/admin.key");
        AdminKeyBootstrap.ensure(history.apiKeys(), file);
        String first = Files.readString(file);

        assertThat(AdminKeyBootstrap.ensure(history.apiKeys(), file)).isEmpty();
        assertThat(Files.readString(file)).isEqualTo(first);
        assertThat(history.apiKeys().list("default")).hasSize(1);
    }

    @Test
    void aStaleFileIsReplacedWhenEveryKeyWasRevoked() throws Exception {
        Path file = etc.resolve("musubi/admin.key");
        String firstId = AdminKeyBootstrap.ensure(history.apiKeys(), file).orElseThrow();
        history.apiKeys().revoke("default", firstId);

        String secondId = AdminKeyBootstrap.ensure(history.apiKeys(), file).orElseThrow();

        assertThat(secondId).isNotEqualTo(firstId);
        assertThat(ApiKey.idOf(Files.readString(file).strip())).contains(secondId);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aKeyThatCannotBeWrittenIsRevokedAgain() throws Exception {
        Path blocker = etc.resolve("not-a-directory");
        Files.writeString(blocker, "x");
        Path file = blocker.resolve("admin.key");

        assertThatThrownBy(() -> AdminKeyBootstrap.ensure(history.apiKeys(), file))
                .isInstanceOf(java.io.IOException.class);
        assertThat(history.apiKeys().anyActive()).isFalse();
        assertThat(history.apiKeys().list("default")).singleElement().satisfies(k -> assertThat(k.isActive()).isFalse());
    }
}
