package io.musubi.hub.internal.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.spi.ContentStore;
import io.musubi.spi.StoredContent;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileContentStoreTest {

    @TempDir
    Path dir;

    private FileContentStore store() {
        return new FileContentStore(dir, Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theReferenceIsKnownBeforeTheContentAndTheFirstContentOfAKeyIsKept() throws Exception {
        FileContentStore s = store();
        String ref = s.referenceOf("acme", "line.main/message/4711");
        assertThat(ref).startsWith("cnt-").doesNotContain("4711");
        assertThat(s.find("acme", ref)).isEmpty();

        StoredContent c = s.put("acme", "line.main/message/4711", "image/jpeg", "photo.jpg", bytes("first"), 100);
        assertThat(c.ref()).isEqualTo(ref);
        assertThat(c.size()).isEqualTo(5);
        assertThat(c.sha256()).hasSize(64);
        StoredContent again = s.put("acme", "line.main/message/4711", "image/jpeg", "photo.jpg", bytes("second"), 100);
        assertThat(again.sha256()).isEqualTo(c.sha256());
        try (InputStream in = s.open("acme", ref).orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("first");
        }
    }

    @Test
    void contentIsScopedToItsTenant() throws Exception {
        FileContentStore s = store();
        StoredContent c = s.put("acme", "k1", "text/plain", "", bytes("x"), 10);
        assertThat(s.find("beta", c.ref())).isEmpty();
        assertThat(s.open("beta", c.ref())).isEmpty();
        assertThat(s.referenceOf("beta", "k1")).isNotEqualTo(c.ref());
    }

    @Test
    void tooLargeContentIsRefusedAndNothingKept() throws Exception {
        FileContentStore s = store();
        assertThatThrownBy(() -> s.put("acme", "big", "application/pdf", "", bytes("0123456789A"), 10))
                .isInstanceOf(ContentStore.ContentTooLargeException.class);
        assertThat(s.find("acme", s.referenceOf("acme", "big"))).isEmpty();
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void referencesThatAreNotOursNeverReachTheFileSystem() throws Exception {
        FileContentStore s = store();
        assertThat(s.find("acme", "../../etc/passwd")).isEmpty();
        assertThat(s.find("../x", "cnt-00000000-0000-0000-0000-000000000000")).isEmpty();
        assertThatThrownBy(() -> s.referenceOf("acme", "../escape")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteRemovesContent() throws Exception {
        FileContentStore s = store();
        StoredContent c = s.put("acme", "k1", "text/plain", "", bytes("x"), 10);
        assertThat(s.delete("acme", c.ref())).isTrue();
        assertThat(s.find("acme", c.ref())).isEmpty();
        assertThat(s.delete("acme", c.ref())).isFalse();
    }
}
