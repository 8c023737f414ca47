package io.musubi.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JdbcSettingsTest {

    @Test
    void secretsNeverAppearInToString() {
        JdbcSettings s = JdbcSettings.of("jdbc:postgresql://db:5432/musubi?user=m&password=hunter2&ssl=true", "m",
                "s3cret-value");

        assertThat(s.toString()).doesNotContain("s3cret-value").doesNotContain("hunter2").contains("****");
        assertThat(s.maskedUrl()).isEqualTo("jdbc:postgresql://db:5432/musubi?user=m&password=****&ssl=true");
        assertThat(JdbcSettings.of("jdbc:h2:file:/x;PASSWORD=abc;CIPHER=AES", "sa", "").maskedUrl())
                .isEqualTo("jdbc:h2:file:/x;PASSWORD=****;CIPHER=AES");
    }

    @Test
    void onlyH2AndPostgresqlAreAccepted() {
        assertThatThrownBy(() -> JdbcSettings.of("jdbc:mysql://x/y", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JdbcSettings.of("jdbc:h2:mem:x", "u", "p").withMaxPoolSize(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
