package io.musubi.rest.internal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class LimitedInputStreamTest {

    @Test
    void bodyUpToTheLimitIsReadWhole() throws Exception {
        try (InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[100]), 100)) {
            assertThat(in.readAllBytes()).hasSize(100);
        }
    }

    @Test
    void oneByteOverTheLimitFailsWithTheLimit() {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[101]), 100);

        assertThatThrownBy(in::readAllBytes).isInstanceOf(BodyTooLargeException.class)
                .satisfies(e -> assertThat(((BodyTooLargeException) e).limit()).isEqualTo(100));
    }

    @Test
    void singleByteReadsAndSkipsCountToo() throws Exception {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[10]), 5);
        assertThat(in.skip(3)).isEqualTo(3);
        in.read();
        in.read();
        assertThatThrownBy(in::read).isInstanceOf(BodyTooLargeException.class);
        assertThat(in.markSupported()).isFalse();
    }
}
