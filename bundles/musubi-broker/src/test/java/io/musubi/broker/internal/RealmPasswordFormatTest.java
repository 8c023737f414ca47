package io.musubi.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class RealmPasswordFormatTest {

    /** SHA-512("abc"), FIPS 180-2 appendix C. */
    private static final String SHA512_ABC = "DDAF35A193617ABACC417349AE20413112E6FA4E89A97EA20A9EEEE64B55D39A"
            + "2192992A274FC1A836BA3C23A3FEEBBD454D4423643CE80E2A9AC94FA54CA49F";

    @Test
    void theDistributionsSettingsStoreAFlaggedHexDigest() {
        RealmPasswordFormat f = BrokerCredentialsTest.SHA512;
        assertThat(f.hashes()).isTrue();
        assertThat(f.store("abc")).isEqualTo("{CRYPT}" + SHA512_ABC + "{CRYPT}");
        assertThat(f.isStoredFormOf("{CRYPT}" + SHA512_ABC + "{CRYPT}", "abc")).isTrue();
        assertThat(f.isStoredFormOf("{CRYPT}" + SHA512_ABC.toLowerCase() + "{CRYPT}", "abc")).isTrue();
        assertThat(f.isStoredFormOf("{CRYPT}" + SHA512_ABC + "{CRYPT}", "abd")).isFalse();
        assertThat(f.isStoredFormOf("abc", "abc")).as("a plain entry is not the stored form").isFalse();
        assertThat(f.isStoredFormOf("{CRYPT}", "abc")).isFalse();
        assertThat(f.toString()).isEqualTo("RealmPasswordFormat[SHA-512, hexadecimal]");
    }

    @Test
    void base64AndOtherMarkers() {
        RealmPasswordFormat f = RealmPasswordFormat.fromRealmConfiguration(Map.of("encryption.enabled", "true",
                "encryption.algorithm", "SHA-256", "encryption.encoding", "base64", "encryption.prefix", "#",
                "encryption.suffix", ""));
        // SHA-256("abc") in base64
        assertThat(f.store("abc")).isEqualTo("#ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
        assertThat(f.isStoredFormOf("#ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=", "abc")).isTrue();
    }

    @Test
    void withoutEncryptionOrWithAnotherServicePasswordsAreWrittenPlain() {
        assertThat(RealmPasswordFormat.fromRealmConfiguration(Map.of()).hashes()).isFalse();
        assertThat(RealmPasswordFormat.fromRealmConfiguration(Map.of()).store("abc")).isEqualTo("abc");
        RealmPasswordFormat off = RealmPasswordFormat.fromRealmConfiguration(Map.of("encryption.enabled", "false",
                "encryption.algorithm", "SHA-512"));
        assertThat(off.hashes()).isFalse();
        assertThat(off.encryptedByRealm()).isFalse();
        RealmPasswordFormat jasypt = RealmPasswordFormat.fromRealmConfiguration(Map.of("encryption.enabled", "true",
                "encryption.name", "jasypt", "encryption.algorithm", "PBEWithMD5AndDES"));
        assertThat(jasypt.hashes()).isFalse();
        assertThat(jasypt.encryptedByRealm()).isTrue();
    }

    @Test
    void anUnknownAlgorithmOrEncodingIsRefused() {
        assertThatThrownBy(() -> RealmPasswordFormat.fromRealmConfiguration(Map.of("encryption.enabled", "true",
                "encryption.algorithm", "SHA-1024"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RealmPasswordFormat.fromRealmConfiguration(Map.of("encryption.enabled", "true",
                "encryption.algorithm", "SHA-512", "encryption.encoding", "rot13")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
