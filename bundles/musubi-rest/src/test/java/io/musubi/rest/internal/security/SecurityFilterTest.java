package io.musubi.rest.internal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.store.ApiKey;
import io.musubi.store.jdbc.JdbcStore;
import io.musubi.store.jdbc.JdbcSettings;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whiteboard filter's activation from its configuration: JWT on or off, bad configuration, first admin key. */
class SecurityFilterTest {

    @TempDir
    Path etc;

    private JdbcStore history;
    private String previousEtc;

    @BeforeEach
    void open() {
        history = JdbcStore.open(JdbcSettings.embedded(Path.of("target", "h2", "filter-" + UUID.randomUUID()))
                .withMaxPoolSize(2));
        previousEtc = System.setProperty("karaf.etc", etc.toString());
    }

    @AfterEach
    void close() {
        if (previousEtc == null) {
            System.clearProperty("karaf.etc");
        } else {
            System.setProperty("karaf.etc", previousEtc);
        }
        history.close();
    }

    @Test
    void defaultsCreateTheAdminKeyUnderKarafEtcAndLeaveJwtOff() throws Exception {
        SecurityFilter filter = new SecurityFilter(config(Map.of()), history.apiKeys());

        Path file = etc.resolve("musubi/admin.key");
        assertThat(file).exists();
        assertThat(ApiKey.idOf(Files.readString(file).strip())).isPresent();
        assertThat(filter.toString()).contains("jwt=false").contains("maxBody=1048576");
    }

    @Test
    void jwtIsOnWithASecretFileRelativeToKarafEtc() throws Exception {
        Files.write(etc.resolve("jwt.secret"), TestTokens.HMAC_SECRET);

        SecurityFilter filter = new SecurityFilter(config(Map.of("jwt_issuer", TestTokens.ISSUER,
                "jwt_audience", TestTokens.AUDIENCE, "jwt_hmacSecretFile", "jwt.secret",
                "bootstrap_adminKeyFile", "")), history.apiKeys());

        assertThat(filter.toString()).contains("jwt=true");
        assertThat(etc.resolve("musubi/admin.key")).doesNotExist();
    }

    @Test
    void invalidJwtConfigurationStopsActivation() {
        assertThatThrownBy(() -> new SecurityFilter(config(Map.of("jwt_issuer", TestTokens.ISSUER,
                "jwt_audience", TestTokens.AUDIENCE, "jwt_jwksFile", "missing.json")), history.apiKeys()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("JWT");
        assertThatThrownBy(() -> new SecurityFilter(config(Map.of("jwt_hmacSecretFile", "any")), history.apiKeys()))
                .isInstanceOf(IllegalStateException.class);
    }

    /** A configuration with the annotation's defaults, some overridden by method name. */
    static SecurityConfig config(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>(overrides);
        return (SecurityConfig) Proxy.newProxyInstance(SecurityConfig.class.getClassLoader(),
                new Class<?>[] {SecurityConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return SecurityConfig.class;
                    }
                    if (method.getName().equals("toString")) {
                        return "SecurityConfig" + values;
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                });
    }
}
