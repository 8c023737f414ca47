package io.musubi.rest.internal.app;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.junit.jupiter.api.Test;

class UnreadBodyFilterTest {

    private final UnreadBodyFilter filter = new UnreadBodyFilter();

    @Test
    void anErrorAnswerReadsWhatIsLeftOfASmallBodySoTheConnectionStaysUsable() {
        CountingStream body = new CountingStream(new byte[2_000]);
        ContainerRequest request = request("PUT", body, 2_000);
        ContainerResponse response = new ContainerResponse(request, Response.status(403).build());

        filter.filter(request, response);

        assertThat(body.remaining()).isZero();
        assertThat(response.getHeaders()).doesNotContainKey("Connection");
    }

    @Test
    void aBodyLargerThanTheLimitIsNotReadAndTheAnswerClosesTheConnection() {
        CountingStream body = new CountingStream(new byte[UnreadBodyFilter.DRAIN_MAX_BYTES + 1]);
        ContainerRequest request = request("POST", body, UnreadBodyFilter.DRAIN_MAX_BYTES + 1);
        ContainerResponse response = new ContainerResponse(request, Response.status(413).build());

        filter.filter(request, response);

        assertThat(body.reads.get()).isZero();
        assertThat(response.getHeaderString("Connection")).isEqualTo("close");
    }

    @Test
    void aChunkedBodyOverTheLimitIsReadOnlyUpToItAndClosesTheConnection() {
        CountingStream body = new CountingStream(new byte[UnreadBodyFilter.DRAIN_MAX_BYTES * 4]);
        ContainerRequest request = request("POST", body, -1);
        ContainerResponse response = new ContainerResponse(request, Response.status(401).build());

        filter.filter(request, response);

        assertThat(body.remaining()).isPositive();
        assertThat(UnreadBodyFilter.DRAIN_MAX_BYTES * 4 - body.remaining())
                .isLessThanOrEqualTo(UnreadBodyFilter.DRAIN_MAX_BYTES + 8192);
        assertThat(response.getHeaderString("Connection")).isEqualTo("close");
    }

    @Test
    void successfulAnswersAndBodiesAlreadyReadAreLeftAlone() {
        CountingStream body = new CountingStream(new byte[100]);
        ContainerRequest ok = request("POST", body, 100);
        filter.filter(ok, new ContainerResponse(ok, Response.status(201).build()));
        assertThat(body.reads.get()).isZero();

        CountingStream read = new CountingStream(new byte[100]);
        read.skip(100);
        ContainerRequest consumed = request("POST", read, 100);
        ContainerResponse response = new ContainerResponse(consumed, Response.status(400).build());
        filter.filter(consumed, response);
        assertThat(response.getHeaders()).doesNotContainKey("Connection");
    }

    @Test
    void aBodyThatCannotBeReadClosesTheConnection() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("client gone");
            }
        };
        ContainerRequest request = request("PUT", broken, 10);
        ContainerResponse response = new ContainerResponse(request, Response.status(403).build());
        filter.filter(request, response);
        assertThat(response.getHeaderString("Connection")).isEqualTo("close");
    }

    private static ContainerRequest request(String method, InputStream body, int length) {
        ContainerRequest request = new ContainerRequest(URI.create("http://localhost/api/v1/"),
                URI.create("http://localhost/api/v1/agents/a"), method, null, new MapPropertiesDelegate(), null);
        if (length >= 0) {
            request.header("Content-Length", Integer.toString(length));
        }
        request.header("Content-Type", "application/json");
        request.setEntityStream(body);
        return request;
    }

    private static final class CountingStream extends ByteArrayInputStream {
        private final AtomicInteger reads = new AtomicInteger();

        CountingStream(byte[] data) {
            super(data);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            reads.incrementAndGet();
            return super.read(b, off, len);
        }

        @Override
        public synchronized int read() {
            reads.incrementAndGet();
            return super.read();
        }

        int remaining() {
            return available();
        }
    }
}
