package io.musubi.rest.internal.security;

import io.musubi.rest.Role;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.musubi.model.ScopedId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies JWT bearer tokens with Nimbus JOSE+JWT against one configured key source: a shared HMAC secret (HS256,
 * HS384, HS512 as its length allows) or a JWKS file of public keys (RS256 for RSA keys, ES256 for P-256 keys). Only
 * the algorithms of that family are accepted, so {@code alg=none} and algorithm confusion (an HS256 token "signed"
 * with the RSA public key) are refused by construction. The claims checked: {@code iss} (exact), {@code aud}
 * (contains the configured audience), {@code exp} (required) and {@code nbf} with a clock skew, {@code sub},
 * {@code tenant} (a valid tenant id), {@code roles} (array of role names) and {@code agent_id} (required with the
 * agent role). Thread-safe.
 */
public final class JwtVerifier {

    /** Longest token looked at; anything longer is refused before parsing. */
    static final int MAX_TOKEN_LENGTH = 8192;
    static final String TENANT = "tenant";
    static final String ROLES = "roles";
    static final String AGENT_ID = "agent_id";

    private static final int MAX_SUBJECT = 256;

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Set<JWSAlgorithm> algorithms;

    private JwtVerifier(String issuer, String audience, Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> keys,
                        Duration clockSkew, Clock clock) {
        if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("JWT needs an issuer and an audience");
        }
        if (clockSkew.isNegative() || clockSkew.getSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("clock skew out of range");
        }
        Objects.requireNonNull(clock, "clock");
        this.algorithms = Set.copyOf(algorithms);
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", TENANT, ROLES)) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) clockSkew.getSeconds());
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(this.algorithms, keys));
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** Tokens signed with a shared secret of at least 256 bits. */
    public static JwtVerifier hmac(String issuer, String audience, byte[] secret, Duration clockSkew, Clock clock) {
        if (secret == null || secret.length < 32) {
            throw new IllegalArgumentException("the HMAC secret must be at least 32 bytes (256 bits)");
        }
        Set<JWSAlgorithm> algorithms = MACSigner.getCompatibleAlgorithms(secret.length * 8);
        return new JwtVerifier(issuer, audience, algorithms, new ImmutableSecret<>(secret.clone()), clockSkew, clock);
    }

    /** Tokens signed by the private keys whose public halves are in {@code jwks} (private parts are ignored). */
    public static JwtVerifier jwks(String issuer, String audience, JWKSet jwks, Duration clockSkew, Clock clock) {
        JWKSet publicKeys = jwks.toPublicJWKSet();
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (JWK key : publicKeys.getKeys()) {
            if (key instanceof RSAKey) {
                algorithms.add(JWSAlgorithm.RS256);
            } else if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
                algorithms.add(JWSAlgorithm.ES256);
            }
        }
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("the JWKS holds no RSA or EC P-256 public key");
        }
        return new JwtVerifier(issuer, audience, algorithms, new ImmutableJWKSet<>(publicKeys), clockSkew, clock);
    }

    /**
     * From configuration: exactly one of the two files. The HMAC secret file is read as bytes, with trailing line
     * breaks and spaces removed.
     */
    public static JwtVerifier fromFiles(String issuer, String audience, Path hmacSecretFile, Path jwksFile,
                                        Duration clockSkew, Clock clock) throws IOException {
        if ((hmacSecretFile == null) == (jwksFile == null)) {
            throw new IllegalArgumentException("configure exactly one of jwt.hmacSecretFile and jwt.jwksFile");
        }
        if (hmacSecretFile != null) {
            return hmac(issuer, audience, stripTrailingWhitespace(Files.readAllBytes(hmacSecretFile)), clockSkew,
                    clock);
        }
        try {
            return jwks(issuer, audience, JWKSet.load(jwksFile.toFile()), clockSkew, clock);
        } catch (ParseException e) {
            throw new IllegalArgumentException("the JWKS file is not a JSON Web Key Set: " + jwksFile, e);
        }
    }

    /** The accepted signature algorithms. */
    public Set<JWSAlgorithm> algorithms() {
        return algorithms;
    }

    /** The caller a valid token stands for. */
    Caller verify(String token) throws AuthenticationException {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new AuthenticationException("invalid bearer token", "token empty or longer than "
                    + MAX_TOKEN_LENGTH);
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (BadJWTException e) {
            throw new AuthenticationException(claimsDetail(e.getMessage()), "token claims: " + e.getMessage());
        } catch (ParseException e) {
            throw new AuthenticationException("malformed bearer token", "token not parseable");
        } catch (BadJOSEException | JOSEException e) {
            throw new AuthenticationException("bearer token signature rejected", "token signature/algorithm: "
                    + e.getMessage());
        }
        return caller(claims);
    }

    /** Nimbus says what is wrong only in the message; expiry is worth telling the client. */
    private static String claimsDetail(String message) {
        if (message != null && message.startsWith("Expired JWT")) {
            return "bearer token expired";
        }
        if (message != null && message.startsWith("JWT before use time")) {
            return "bearer token not valid yet";
        }
        return "bearer token claims rejected";
    }

    private static Caller caller(JWTClaimsSet claims) throws AuthenticationException {
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT || hasControl(subject)) {
            throw new AuthenticationException("bearer token subject invalid", "token sub empty, too long or "
                    + "with control characters");
        }
        String tenant;
        List<String> roleNames;
        String agentId;
        try {
            tenant = claims.getStringClaim(TENANT);
            roleNames = claims.getStringListClaim(ROLES);
            agentId = claims.getStringClaim(AGENT_ID);
        } catch (ParseException e) {
            throw new AuthenticationException("bearer token claims rejected",
                    "token tenant/roles/agent_id of the wrong type");
        }
        if (!ScopedId.isValidTenant(tenant)) {
            throw new AuthenticationException("bearer token tenant invalid", "token tenant claim not a tenant id");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : roleNames == null ? List.<String>of() : roleNames) {
            Role role = Roles.parse(name);
            if (role == null) {
                throw new AuthenticationException("bearer token roles invalid", "token has an unknown role");
            }
            roles.add(role);
        }
        if (roles.isEmpty()) {
            throw new AuthenticationException("bearer token roles invalid", "token has no role");
        }
        if (roles.contains(Role.AGENT)) {
            if (!ScopedId.isValidLocal(agentId)) {
                throw new AuthenticationException("bearer token with role agent needs a valid agent_id",
                        "token role agent without a valid agent_id");
            }
        } else {
            agentId = null;
        }
        return new Caller(tenant, subject, roles, agentId);
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static byte[] stripTrailingWhitespace(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r' || bytes[end - 1] == ' '
                || bytes[end - 1] == '\t')) {
            end--;
        }
        return Arrays.copyOf(bytes, end);
    }

    @Override
    public String toString() {
        return "JwtVerifier[algorithms=" + algorithms + "]";
    }
}
