package io.musubi.broker.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * How Karaf's JAAS realm {@code karaf} expects a password in {@code users.properties}: the realm's
 * {@code encryption.*} settings (PID {@code org.apache.karaf.jaas}, {@code etc/org.apache.karaf.jaas.cfg}).
 *
 * <p>With encryption on and Karaf's basic encryption service, a password is stored as
 * {@code <prefix><digest><suffix>}: the digest of the password's bytes with {@code encryption.algorithm}, in
 * {@code hexadecimal} or {@code base64}. The realm digests the password a client presents and compares. The hub
 * writes its own user's entry in that form, so its plain secret is only ever in the owner-only secret file.
 *
 * <p>With encryption off, or with another encryption service (which the hub cannot imitate), the entry is written in
 * plain text; with another service enabled, Karaf encrypts it in place itself.
 */
final class RealmPasswordFormat {

    /** Karaf's behaviour without any {@code encryption.*} setting: passwords compared in plain text. */
    static final RealmPasswordFormat PLAIN = new RealmPasswordFormat(false, "", "", "", "", "");

    private final boolean enabled;
    private final String service;
    private final String algorithm;
    private final String encoding;
    private final String prefix;
    private final String suffix;

    RealmPasswordFormat(boolean enabled, String service, String algorithm, String encoding, String prefix,
                        String suffix) {
        this.enabled = enabled;
        this.service = service == null ? "" : service.strip();
        this.algorithm = algorithm == null ? "" : algorithm.strip();
        this.encoding = encoding == null || encoding.isBlank() ? "hexadecimal" : encoding.strip();
        this.prefix = prefix == null ? "" : prefix.strip();
        this.suffix = suffix == null ? "" : suffix.strip();
        if (hashes()) {
            try {
                MessageDigest.getInstance(this.algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalArgumentException("encryption.algorithm " + this.algorithm + " is not available", e);
            }
            if (!isHex() && !this.encoding.equalsIgnoreCase("base64")) {
                throw new IllegalArgumentException("encryption.encoding must be hexadecimal or base64");
            }
        }
    }

    /**
     * The realm's format from the properties of PID {@code org.apache.karaf.jaas} (absent keys: Karaf's defaults,
     * i.e. no encryption).
     */
    static RealmPasswordFormat fromRealmConfiguration(Map<String, ?> properties) {
        return new RealmPasswordFormat(Boolean.parseBoolean(text(properties, "encryption.enabled")),
                text(properties, "encryption.name"), text(properties, "encryption.algorithm"),
                text(properties, "encryption.encoding"), text(properties, "encryption.prefix"),
                text(properties, "encryption.suffix"));
    }

    private static String text(Map<String, ?> properties, String key) {
        Object v = properties.get(key);
        return v == null ? "" : v.toString();
    }

    /** Whether this format stores a digest (true) or the password itself (false). */
    boolean hashes() {
        return enabled && (service.isEmpty() || service.equals("basic")) && !algorithm.isEmpty();
    }

    /** Whether the realm encrypts plain entries itself with a service other than the basic digest one. */
    boolean encryptedByRealm() {
        return enabled && !hashes();
    }

    /** The value to store in {@code users.properties} for {@code password}. */
    String store(String password) {
        return hashes() ? prefix + digest(password) + suffix : password;
    }

    /** Whether {@code stored} is {@code password} in exactly this format (a plain entry is not, when hashing). */
    boolean isStoredFormOf(String stored, String password) {
        if (!hashes()) {
            return stored.equals(password);
        }
        if (stored.length() < prefix.length() + suffix.length() || !stored.startsWith(prefix)
                || !stored.endsWith(suffix)) {
            return false;
        }
        String inner = stored.substring(prefix.length(), stored.length() - suffix.length());
        String expected = digest(password);
        byte[] a = (isHex() ? inner.toUpperCase(Locale.ROOT) : inner).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(a, expected.getBytes(StandardCharsets.US_ASCII));
    }

    private String digest(String password) {
        byte[] d;
        try {
            d = MessageDigest.getInstance(algorithm).digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return isHex() ? HexFormat.of().withUpperCase().formatHex(d) : Base64.getEncoder().encodeToString(d);
    }

    private boolean isHex() {
        return encoding.equalsIgnoreCase("hexadecimal");
    }

    @Override
    public String toString() {
        return hashes() ? "RealmPasswordFormat[" + algorithm + ", " + encoding + "]" : "RealmPasswordFormat[plain]";
    }
}
