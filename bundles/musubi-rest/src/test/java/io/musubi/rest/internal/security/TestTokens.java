package io.musubi.rest.internal.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/** Keys and signed tokens for the tests, made the way an identity provider makes them. */
final class TestTokens {

    static final String ISSUER = "https://idp.example.test";
    static final String AUDIENCE = "musubi";
    static final byte[] HMAC_SECRET = "0123456789abcdef0123456789abcdef-test-only".getBytes(StandardCharsets.US_ASCII);
    static final RSAKey RSA = generateRsa();
    static final ECKey EC = generateEc();

    private TestTokens() {
    }

    /** Claims of a valid token at {@code now}: admin of tenant acme, valid for 5 minutes. */
    static JWTClaimsSet.Builder claims(Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject("user-42")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim("tenant", "acme")
                .claim("roles", List.of("admin"));
    }

    static String hs256(JWTClaimsSet claims) {
        return sign(JWSAlgorithm.HS256, null, claims, macSigner(HMAC_SECRET));
    }

    static String hs256(JWTClaimsSet claims, byte[] secret) {
        return sign(JWSAlgorithm.HS256, null, claims, macSigner(secret));
    }

    static String rs256(JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.RS256, RSA.getKeyID(), claims, new RSASSASigner(RSA));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String es256(JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.ES256, EC.getKeyID(), claims, new ECDSASigner(EC));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsecured token: {@code {"alg":"none"}}, the claims, and an empty signature. */
    static String unsecured(JWTClaimsSet claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".";
    }

    private static MACSigner macSigner(byte[] secret) {
        try {
            return new MACSigner(secret);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSAlgorithm alg, String kid, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static RSAKey generateRsa() {
        try {
            return new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey generateEc() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
