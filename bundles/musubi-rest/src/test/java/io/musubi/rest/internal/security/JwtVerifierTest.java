package io.musubi.rest.internal.security;

import io.musubi.rest.Role;

import static io.musubi.rest.internal.security.TestTokens.AUDIENCE;
import static io.musubi.rest.internal.security.TestTokens.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import io.musubi.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtVerifierTest {

    private static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");

    @TempDir
    Path dir;

    private ManualClock clock;
    private JwtVerifier hmac;
    private JwtVerifier jwks;

    @BeforeEach
    void setUp() throws Exception {
        clock = new ManualClock(NOW);
        Path secret = dir.resolve("jwt.secret");
        Files.write(secret, (new String(TestTokens.HMAC_SECRET, StandardCharsets.US_ASCII) + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        hmac = JwtVerifier.fromFiles(ISSUER, AUDIENCE, secret, null, Duration.ofSeconds(60), clock);
        Path keys = dir.resolve("jwks.json");
        Files.writeString(keys, new JWKSet(List.of(TestTokens.RSA.toPublicJWK(), TestTokens.EC.toPublicJWK()))
                .toString());
        jwks = JwtVerifier.fromFiles(ISSUER, AUDIENCE, null, keys, Duration.ofSeconds(60), clock);
    }

    @Test
    void validHs256TokenFromTheSecretFileGivesTheCaller() throws Exception {
        Caller caller = hmac.verify(TestTokens.hs256(TestTokens.claims(NOW).build()));

        assertThat(caller.tenantId()).isEqualTo("acme");
        assertThat(caller.subject()).isEqualTo("user-42");
        assertThat(caller.roles()).containsExactly(Role.ADMIN);
        assertThat(caller.agentId()).isNull();
        assertThat(hmac.algorithms()).contains(JWSAlgorithm.HS256);
    }

    @Test
    void validRs256AndEs256TokensFromTheJwksFile() throws Exception {
        JWTClaimsSet agent = TestTokens.claims(NOW).claim("roles", List.of("agent", "supervisor"))
                .claim("agent_id", "alice").build();

        Caller viaRsa = jwks.verify(TestTokens.rs256(agent));
        Caller viaEc = jwks.verify(TestTokens.es256(agent));

        assertThat(viaRsa.roles()).containsExactlyInAnyOrder(Role.AGENT, Role.SUPERVISOR);
        assertThat(viaRsa.agentId()).isEqualTo("alice");
        assertThat(viaEc).isEqualTo(viaRsa);
        assertThat(jwks.algorithms()).containsExactlyInAnyOrder(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    }

    @Test
    void expiredTokenIsRefusedOnceTheSkewHasPassed() throws Exception {
        String token = TestTokens.hs256(TestTokens.claims(NOW).expirationTime(Date.from(NOW.minusSeconds(30)))
                .build());
        assertThat(hmac.verify(token).subject()).isEqualTo("user-42");

        clock.advance(Duration.ofSeconds(31));
        assertThatThrownBy(() -> hmac.verify(token)).isInstanceOf(AuthenticationException.class)
                .extracting(e -> ((AuthenticationException) e).clientDetail()).isEqualTo("bearer token expired");
    }

    @Test
    void tokenBeforeItsNotBeforeTimeIsRefused() throws Exception {
        String token = TestTokens.hs256(TestTokens.claims(NOW).notBeforeTime(Date.from(NOW.plusSeconds(120)))
                .build());

        assertThatThrownBy(() -> hmac.verify(token)).isInstanceOf(AuthenticationException.class)
                .extracting(e -> ((AuthenticationException) e).clientDetail()).isEqualTo("bearer token not valid yet");
        clock.advance(Duration.ofSeconds(61));
        assertThat(hmac.verify(token).tenantId()).isEqualTo("acme");
    }

    @Test
    void wrongAudienceOrIssuerIsRefused() {
        String otherAudience = TestTokens.hs256(TestTokens.claims(NOW).audience("someone-else").build());
        String otherIssuer = TestTokens.hs256(TestTokens.claims(NOW).issuer("https://evil.example").build());

        assertRefused(hmac, otherAudience, "bearer token claims rejected");
        assertRefused(hmac, otherIssuer, "bearer token claims rejected");
    }

    @Test
    void tokenWithoutExpiryIsRefused() {
        String token = TestTokens.hs256(TestTokens.claims(NOW).expirationTime(null).build());

        assertRefused(hmac, token, "bearer token claims rejected");
    }

    @Test
    void unsecuredAlgNoneTokenIsRefused() {
        String token = TestTokens.unsecured(TestTokens.claims(NOW).build());
        assertThat(token).endsWith(".");

        assertRefused(hmac, token, "bearer token signature rejected");
        assertRefused(jwks, token, "bearer token signature rejected");
    }

    @Test
    void hs256SignedWithTheRsaPublicKeyIsRefusedByAnRsaConfiguration() throws Exception {
        byte[] publicKeyBytes = TestTokens.RSA.toRSAPublicKey().getEncoded();
        String confused = TestTokens.hs256(TestTokens.claims(NOW).build(), publicKeyBytes);

        assertRefused(jwks, confused, "bearer token signature rejected");
    }

    @Test
    void forgedSignatureIsRefused() {
        String token = TestTokens.hs256(TestTokens.claims(NOW).build());
        String[] parts = token.split("\\.");
        String elevated = TestTokens.hs256(TestTokens.claims(NOW).claim("tenant", "globex").build()).split("\\.")[1];
        String forged = parts[0] + "." + elevated + "." + parts[2];
        String otherKey = TestTokens.hs256(TestTokens.claims(NOW).build(),
                "another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.US_ASCII));

        assertRefused(hmac, forged, "bearer token signature rejected");
        assertRefused(hmac, otherKey, "bearer token signature rejected");
        assertRefused(jwks, tamper(TestTokens.rs256(TestTokens.claims(NOW).build())),
                "bearer token signature rejected");
    }

    @Test
    void invalidTenantIsRefused() {
        for (String tenant : new String[] {"ACME", "acme/other", "", "a".repeat(41)}) {
            String token = TestTokens.hs256(TestTokens.claims(NOW).claim("tenant", tenant).build());
            assertRefused(hmac, token, "bearer token tenant invalid");
        }
        assertRefused(hmac, TestTokens.hs256(TestTokens.claims(NOW).claim("tenant", null).build()),
                "bearer token claims rejected");
    }

    @Test
    void agentRoleWithoutAgentIdIsRefused() {
        String token = TestTokens.hs256(TestTokens.claims(NOW).claim("roles", List.of("agent")).build());
        String badId = TestTokens.hs256(TestTokens.claims(NOW).claim("roles", List.of("agent"))
                .claim("agent_id", "has space").build());

        assertRefused(hmac, token, "bearer token with role agent needs a valid agent_id");
        assertRefused(hmac, badId, "bearer token with role agent needs a valid agent_id");
    }

    @Test
    void rolesMustBeAnArrayOfKnownRoles() {
        assertRefused(hmac, TestTokens.hs256(TestTokens.claims(NOW).claim("roles", List.of("root")).build()),
                "bearer token roles invalid");
        assertRefused(hmac, TestTokens.hs256(TestTokens.claims(NOW).claim("roles", List.of()).build()),
                "bearer token roles invalid");
        assertRefused(hmac, TestTokens.hs256(TestTokens.claims(NOW).claim("roles", "admin").build()),
                "bearer token claims rejected");
    }

    @Test
    void garbageAndOversizedTokensAreRefusedWithoutParsingTrouble() {
        assertRefused(hmac, "not-a-jwt", "malformed bearer token");
        assertRefused(hmac, "a".repeat(JwtVerifier.MAX_TOKEN_LENGTH + 1), "invalid bearer token");
    }

    @Test
    void configurationMistakesAreRefused() throws Exception {
        Path shortSecret = dir.resolve("short.secret");
        Files.writeString(shortSecret, "too-short");
        Path rsaOnlyPrivateless = dir.resolve("empty.json");
        Files.writeString(rsaOnlyPrivateless, "{\"keys\":[]}");

        assertThatThrownBy(() -> JwtVerifier.fromFiles(ISSUER, AUDIENCE, shortSecret, null, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> JwtVerifier.fromFiles(ISSUER, AUDIENCE, null, rsaOnlyPrivateless, Duration.ZERO,
                clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JwtVerifier.fromFiles(ISSUER, AUDIENCE, shortSecret, rsaOnlyPrivateless,
                Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> JwtVerifier.hmac("", AUDIENCE, TestTokens.HMAC_SECRET, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLogReasonNeverContainsTheToken() {
        String token = TestTokens.hs256(TestTokens.claims(NOW).audience("x").build());
        assertThatThrownBy(() -> hmac.verify(token)).isInstanceOf(AuthenticationException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token).doesNotContain(token.split("\\.")[2]));
    }

    private static String tamper(String token) {
        char last = token.charAt(token.length() - 2);
        char replaced = last == 'A' ? 'B' : 'A';
        return token.substring(0, token.length() - 2) + replaced + token.charAt(token.length() - 1);
    }

    private static void assertRefused(JwtVerifier verifier, String token, String clientDetail) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(AuthenticationException.class)
                .extracting(e -> ((AuthenticationException) e).clientDetail()).isEqualTo(clientDetail);
    }
}
