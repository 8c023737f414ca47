package io.musubi.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerCredentialsTest {

    @TempDir
    Path etc;

    @Test
    void generatesASecretOnceAndAddsTheUserOnce() throws Exception {
        Path secret = etc.resolve("musubi/broker.secret");
        Path users = etc.resolve("users.properties");
        Files.writeString(users, "# no users by default\n");

        BrokerCredentials first = BrokerCredentials.ensure(secret, users, "musubi-hub");
        BrokerCredentials second = BrokerCredentials.ensure(secret, users, "musubi-hub");

        assertThat(first.password()).hasSizeGreaterThanOrEqualTo(40).isEqualTo(second.password());
        assertThat(BrokerCredentials.isOwnerOnly(secret)).isTrue();
        String content = Files.readString(users, StandardCharsets.UTF_8);
        assertThat(content).containsOnlyOnce("musubi-hub = " + first.password() + ",musubi-broker");
        assertThat(first.toString()).doesNotContain(first.password());
    }

    @Test
    void twoInstallationsGetDifferentSecrets() throws Exception {
        BrokerCredentials a = BrokerCredentials.ensure(etc.resolve("a/s"), etc.resolve("a/u"), "musubi-hub");
        BrokerCredentials b = BrokerCredentials.ensure(etc.resolve("b/s"), etc.resolve("b/u"), "musubi-hub");
        assertThat(a.password()).isNotEqualTo(b.password());
    }

    @Test
    void rejectsUserNamesThatCouldInjectIntoUsersProperties() {
        assertThatThrownBy(() -> BrokerCredentials.ensure(etc.resolve("s"), etc.resolve("u"), "x = y,admin"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
