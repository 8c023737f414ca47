package io.musubi.connector.line.internal;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * LINE's webhook signature, exactly as LINE's own SDK checks it (docs/connectors/line.md, fixtures README): the
 * {@code X-Line-Signature} header is Base64 (decoded with the standard decoder, so a signature without its {@code =}
 * padding is accepted) of HMAC-SHA256 over the raw body with the channel secret's UTF-8 bytes as key; the decoded bytes
 * are compared in constant time. A header that is not decodable Base64 (Base64URL, truncated to 4n+1 characters) is
 * simply invalid: never an exception.
 */
final class LineSignature {

    private LineSignature() {
    }

    /** Whether {@code header} is the signature of {@code body} under {@code channelSecret}. */
    static boolean isValid(byte[] channelSecret, byte[] body, String header) {
        if (header == null || header.isEmpty()) {
            return false;
        }
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(header);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        return MessageDigest.isEqual(hmac(channelSecret, body), presented);
    }

    /** The signature of a body (Base64 with padding), as LINE computes it. */
    static String sign(byte[] channelSecret, byte[] body) {
        return Base64.getEncoder().encodeToString(hmac(channelSecret, body));
    }

    private static byte[] hmac(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
