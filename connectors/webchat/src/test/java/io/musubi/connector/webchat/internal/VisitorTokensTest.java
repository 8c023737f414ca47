package io.musubi.connector.webchat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class VisitorTokensTest {

    static final byte[] KEY = "0123456789abcdef0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8);
    static final Instant T0 = Instant.parse("2025-04-01T09:00:00Z");

    private static VisitorTokens tokens(Instant now, String scope) {
        return new VisitorTokens(KEY, scope, Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(30));
    }

    @Test
    void aTokenNamesItsVisitorUntilItExpires() {
        VisitorTokens t = tokens(T0, "default/web");
        String visitor = t.newVisitorId();
        assertThat(visitor).matches(VisitorTokens.VISITOR_ID.pattern());
        String token = t.issue(visitor);
        assertThat(t.verify(token)).hasValueSatisfying(v -> {
            assertThat(v.id()).isEqualTo(visitor);
            assertThat(v.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        });
        assertThat(tokens(T0.plus(Duration.ofMinutes(29)), "default/web").verify(token)).isPresent();
        assertThat(tokens(T0.plus(Duration.ofMinutes(30)), "default/web").verify(token)).isEmpty();
        assertThat(t.newVisitorId()).as("random").isNotEqualTo(visitor);
    }

    @Test
    void aTamperedOrForeignTokenIsRefused() {
        VisitorTokens t = tokens(T0, "default/web");
        String visitor = t.newVisitorId();
        String token = t.issue(visitor);
        String[] parts = token.split("\\.");
        String other = t.newVisitorId();
        assertThat(t.verify(parts[0] + "." + other + "." + parts[2] + "." + parts[3])).as("another visitor").isEmpty();
        assertThat(t.verify(parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 3600) + "." + parts[3]))
                .as("a later expiry").isEmpty();
        assertThat(tokens(T0, "acme/web").verify(token)).as("another tenant's instance").isEmpty();
        assertThat(new VisitorTokens("another-key-another-key-another-key!!".getBytes(StandardCharsets.UTF_8),
                "default/web", Clock.fixed(T0, ZoneOffset.UTC), Duration.ofMinutes(30)).verify(token)).isEmpty();
        String unsigned = parts[0] + "." + parts[1] + "." + parts[2] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        for (String bad : new String[] {null, "", "v1", token + ".x", "v2." + token.substring(3), unsigned,
                parts[0] + "." + parts[1] + "." + parts[2] + ".!!!", "x".repeat(300)}) {
            assertThat(t.verify(bad)).as(String.valueOf(bad)).isEmpty();
        }
        assertThat(t.toString()).doesNotContain("0123456789abcdef");
    }
}
