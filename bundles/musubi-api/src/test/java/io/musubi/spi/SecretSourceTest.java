package io.musubi.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSourceTest {

    @TempDir
    Path etc;

    private Path ownerOnly(String name, String content) throws IOException {
        Path f = etc.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @Test
    void aFileUnderEtcIsReadStrippedAndNeverShown() throws IOException {
        ownerOnly("line.secret", "  s3cret-value \n");
        SecretSource s = SecretSource.of("channelSecret", "line.secret", "", etc, Map.<String, String>of()::get);
        assertThat(s.text()).contains("s3cret-value");
        assertThat(s.bytes()).hasValueSatisfying(b -> assertThat(b).isEqualTo("s3cret-value".getBytes()));
        assertThat(s.problem()).isEmpty();
        assertThat(s.source()).isEqualTo("file");
        assertThat(s.toString()).contains("channelSecret").doesNotContain("s3cret").doesNotContain(etc.toString());
    }

    @Test
    void anEnvironmentVariableIsReadByName() {
        SecretSource s = SecretSource.of("authToken", "", " TOKEN ", etc, Map.of("TOKEN", " t0ken\n")::get);
        assertThat(s.text()).contains("t0ken");
        assertThat(s.source()).isEqualTo("env:TOKEN");
        SecretSource unset = SecretSource.of("authToken", "", "UNSET", etc, Map.<String, String>of()::get);
        assertThat(unset.problem()).as("nothing read yet").isEmpty();
        assertThat(unset.bytes()).isEmpty();
        assertThat(unset.problem()).isEqualTo("environment variable UNSET is not set");
    }

    @Test
    void aFileOthersCanReadOrWriteIsRefusedWithoutItsContentInTheProblem() throws IOException {
        Path f = ownerOnly("open.secret", "s3cret-value");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        SecretSource s = SecretSource.of("channelSecret", "open.secret", "", etc, Map.<String, String>of()::get);
        assertThat(s.bytes()).isEmpty();
        assertThat(s.problem()).isEqualTo("channelSecret file must be readable by its owner only (chmod 600)")
                .doesNotContain("s3cret");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-----w-"));
        assertThat(SecretSource.of("channelSecret", "open.secret", "", etc, Map.<String, String>of()::get).bytes())
                .isEmpty();
    }

    @Test
    void aMissingOrEmptySourceSaysWhich() throws IOException {
        SecretSource missing = SecretSource.of("channelAccessToken", "line.token", "", etc,
                Map.<String, String>of()::get);
        assertThat(missing.bytes()).isEmpty();
        assertThat(missing.problem()).isEqualTo("channelAccessToken file not found");
        ownerOnly("blank", " \n");
        SecretSource blank = SecretSource.of("smtpPassword", "blank", "", etc, Map.<String, String>of()::get);
        assertThat(blank.text()).isEmpty();
        assertThat(blank.problem()).isEqualTo("smtpPassword is empty");
    }

    @Test
    void exactlyOneSourceMustBeConfiguredUnlessTheSecretIsOptional() {
        SecretSource neither = SecretSource.of("authToken", "", " ", etc, Map.<String, String>of()::get);
        assertThat(neither.configured()).isFalse();
        assertThat(neither.bytes()).isEmpty();
        assertThat(neither.refresh()).isNull();
        assertThat(neither.problem()).contains("exactly one of authTokenFile and authTokenEnv");
        assertThat(neither.source()).isEqualTo("not configured");

        SecretSource both = SecretSource.of("authToken", "a", "B", etc, Map.of("B", "x")::get);
        assertThat(both.configured()).isFalse();
        assertThat(both.bytes()).isEmpty();
        assertThat(both.problem()).contains("not both");

        SecretSource optional = neither.optional(true);
        assertThat(optional.isOptional()).isTrue();
        assertThat(optional.problem()).isEmpty();
        assertThat(optional.bytes()).isEmpty();
        assertThat(both.optional(true).problem()).as("both is wrong even when optional").contains("not both");
    }

    @Test
    void keptUntilForgottenByDefault() {
        Map<String, String> env = new HashMap<>(Map.of("T", "one"));
        SecretSource s = SecretSource.of("token", "", "T", etc, env::get);
        assertThat(s.text()).contains("one");
        env.put("T", "two");
        assertThat(s.text()).as("kept").contains("one");
        s.forget();
        assertThat(s.text()).contains("two");
        env.put("T", "three");
        assertThat(s.refresh()).isEqualTo("three".getBytes(StandardCharsets.UTF_8));
        assertThat(s.text()).contains("three");
    }

    @Test
    void readAgainOnceOlderThanItsMaximumAge() {
        AtomicLong nanos = new AtomicLong();
        Map<String, String> env = new HashMap<>(Map.of("T", "one"));
        SecretSource s = SecretSource.of("token", "", "T", etc, env::get).keptFor(Duration.ofSeconds(30), nanos::get);
        assertThat(s.text()).contains("one");
        env.put("T", "two");
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(s.text()).contains("one");
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(s.text()).contains("two");
    }

    @Test
    void readAtEveryUseWithAMaximumAgeOfZero() throws IOException {
        Path f = ownerOnly("imap.password", "one");
        SecretSource s = SecretSource.of("imapPassword", "imap.password", "", etc, Map.<String, String>of()::get)
                .keptFor(Duration.ZERO);
        assertThat(s.text()).contains("one");
        Files.writeString(f, "two");
        assertThat(s.text()).contains("two");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(s.text()).as("a file made readable by others is refused from then on").isEmpty();
        assertThat(s.problem()).contains("chmod 600");
        assertThatThrownBy(() -> s.keptFor(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theValueHandedOutIsACopy() {
        SecretSource s = SecretSource.of("token", "", "T", etc, Map.of("T", "abc")::get);
        byte[] first = s.bytes().orElseThrow();
        first[0] = 'x';
        assertThat(s.text()).contains("abc");
        s.refresh()[0] = 'y';
        assertThat(s.text()).contains("abc");
    }
}
