package io.musubi.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerCredentialsTest {

    /** What etc/org.apache.karaf.jaas.cfg of the distribution says. */
    static final RealmPasswordFormat SHA512 = RealmPasswordFormat.fromRealmConfiguration(Map.of(
            "encryption.enabled", "true", "encryption.name", "basic", "encryption.prefix", "{CRYPT}",
            "encryption.suffix", "{CRYPT}", "encryption.algorithm", "SHA-512", "encryption.encoding", "hexadecimal"));

    @TempDir
    Path etc;

    @Test
    void generatesASecretOnceAndAddsTheUserOnceWithTheDigestOfTheSecret() throws Exception {
        Path secret = etc.resolve("musubi/broker.secret");
        Path users = etc.resolve("users.properties");
        Files.writeString(users, "# no users by default\n");
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-r--r--"));

        BrokerCredentials first = BrokerCredentials.ensure(secret, users, "musubi-hub", SHA512);
        BrokerCredentials second = BrokerCredentials.ensure(secret, users, "musubi-hub", SHA512);

        assertThat(first.password()).hasSizeGreaterThanOrEqualTo(40).isEqualTo(second.password());
        assertThat(first.entry()).isEqualTo(BrokerCredentials.Entry.ADDED);
        assertThat(second.entry()).isEqualTo(BrokerCredentials.Entry.UNCHANGED);
        assertThat(BrokerCredentials.isOwnerOnly(secret)).isTrue();
        assertThat(BrokerCredentials.isOwnerOnly(users)).as("users.properties owner-only").isTrue();
        String content = Files.readString(users, StandardCharsets.UTF_8);
        assertThat(content).doesNotContain(first.password())
                .containsOnlyOnce("musubi-hub = {CRYPT}" + sha512Hex(first.password()) + "{CRYPT},musubi-broker")
                .startsWith("# no users by default");
        assertThat(first.toString()).doesNotContain(first.password());
    }

    @Test
    void aPlainEntryOfAnOlderInstallationIsReplacedByItsDigestAndTheFileMadeOwnerOnly() throws Exception {
        Path secret = etc.resolve("musubi/broker.secret");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, "old-plain-secret-0123456789abcdefghijklmnop\n");
        Path users = etc.resolve("users.properties");
        Files.writeString(users, "# operator's comment\nkaraf = {CRYPT}ABC{CRYPT},admin\n\n"
                + "# Musubi's broker user, generated on first start (see docs/operations.md)\n"
                + "musubi-hub = old-plain-secret-0123456789abcdefghijklmnop,musubi-broker\n");
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-r--r--"));

        BrokerCredentials c = BrokerCredentials.ensure(secret, users, "musubi-hub", SHA512);

        assertThat(c.entry()).isEqualTo(BrokerCredentials.Entry.REPLACED);
        assertThat(c.password()).isEqualTo("old-plain-secret-0123456789abcdefghijklmnop");
        String content = Files.readString(users, StandardCharsets.UTF_8);
        assertThat(content).doesNotContain("old-plain-secret")
                .containsOnlyOnce("musubi-hub = {CRYPT}" + sha512Hex(c.password()) + "{CRYPT},musubi-broker")
                .contains("# operator's comment", "karaf = {CRYPT}ABC{CRYPT},admin");
        assertThat(BrokerCredentials.isOwnerOnly(users)).isTrue();
    }

    @Test
    void anEntryKarafHashedItselfIsKeptAsItIs() throws Exception {
        Path secret = etc.resolve("broker.secret");
        Files.writeString(secret, "s3cret-s3cret-s3cret-s3cret-s3cret-s3cret");
        Path users = etc.resolve("users.properties");
        // Karaf's own encryption writes upper-case hex; the same digest in lower case is the same password.
        String line = "musubi-hub={CRYPT}" + sha512Hex("s3cret-s3cret-s3cret-s3cret-s3cret-s3cret").toLowerCase()
                + "{CRYPT},musubi-broker";
        Files.writeString(users, line + "\n");

        assertThat(BrokerCredentials.ensure(secret, users, "musubi-hub", SHA512).entry())
                .isEqualTo(BrokerCredentials.Entry.UNCHANGED);
        assertThat(Files.readString(users)).isEqualTo(line + "\n");
    }

    @Test
    void anEntryForAnotherSecretIsReplacedSoDeletingTheSecretFileRotatesIt() throws Exception {
        Path secret = etc.resolve("musubi/broker.secret");
        Path users = etc.resolve("users.properties");
        BrokerCredentials before = BrokerCredentials.ensure(secret, users, "musubi-hub", SHA512);
        Files.delete(secret);

        BrokerCredentials after = BrokerCredentials.ensure(secret, users, "musubi-hub", SHA512);

        assertThat(after.password()).isNotEqualTo(before.password());
        assertThat(after.entry()).isEqualTo(BrokerCredentials.Entry.REPLACED);
        String content = Files.readString(users, StandardCharsets.UTF_8);
        assertThat(content).containsOnlyOnce("musubi-hub =").contains(sha512Hex(after.password()))
                .doesNotContain(sha512Hex(before.password()));
    }

    @Test
    void withoutRealmEncryptionTheEntryIsPlainButTheFileStillOwnerOnly() throws Exception {
        Path users = etc.resolve("users.properties");
        BrokerCredentials c = BrokerCredentials.ensure(etc.resolve("s"), users, "musubi-hub", RealmPasswordFormat.PLAIN);
        assertThat(Files.readString(users)).contains("musubi-hub = " + c.password() + ",musubi-broker");
        assertThat(BrokerCredentials.isOwnerOnly(users)).isTrue();
    }

    @Test
    void twoInstallationsGetDifferentSecrets() throws Exception {
        BrokerCredentials a = BrokerCredentials.ensure(etc.resolve("a/s"), etc.resolve("a/u"), "musubi-hub", SHA512);
        BrokerCredentials b = BrokerCredentials.ensure(etc.resolve("b/s"), etc.resolve("b/u"), "musubi-hub", SHA512);
        assertThat(a.password()).isNotEqualTo(b.password());
    }

    @Test
    void rejectsUserNamesThatCouldInjectIntoUsersProperties() {
        assertThatThrownBy(() -> BrokerCredentials.ensure(etc.resolve("s"), etc.resolve("u"), "x = y,admin", SHA512))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static String sha512Hex(String s) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(
                MessageDigest.getInstance("SHA-512").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
