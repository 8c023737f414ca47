package io.musubi.rest.internal.app;

import io.musubi.rest.RestApi;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

import java.io.IOException;
import java.io.InputStream;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsApplicationSelect;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsExtension;

/**
 * An error answer leaves the client's keep-alive connection usable. A request refused before its body was read (401,
 * 403, 429, a 400 or 404 of a filter) still has its body on the connection. Jetty closes a connection whose request
 * body was not read by the end of the exchange, and when the answer was already written it cannot say so in a
 * {@code Connection: close} header: the client takes the connection back into its pool, and its next request on it
 * meets a closed socket (seen as "EOF reached while reading" by the JDK's client, a non-idempotent request is not
 * retried). So for an error answer this filter reads and drops what is left of a small body (at most
 * {@value #DRAIN_MAX_BYTES} bytes) before the answer is written, and marks the answer {@code Connection: close} when
 * the body is larger than that (or cannot be read), so the client knows not to reuse the connection.
 */
@Component(service = ContainerResponseFilter.class, immediate = true)
@JakartarsExtension
@JakartarsApplicationSelect(RestApi.SELECT)
@Priority(Priorities.USER + 1000)
public final class UnreadBodyFilter implements ContainerResponseFilter {

    /** The most of an unread request body read and dropped to keep the connection. */
    static final int DRAIN_MAX_BYTES = 64 * 1024;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() < 400) {
            return;
        }
        int declared = request.getLength();
        if (declared > DRAIN_MAX_BYTES) {
            close(response);
            return;
        }
        if (declared == 0) {
            return;
        }
        InputStream body;
        try {
            // Jersey closes the entity stream once a reader consumed it: then nothing is left to read.
            if (!request.hasEntity()) {
                return;
            }
            body = request.getEntityStream();
        } catch (IllegalStateException consumed) {
            return;
        } catch (RuntimeException unreadable) {
            // Jersey's ProcessingException around the stream's IOException: a client gone or a broken body.
            close(response);
            return;
        }
        if (!drain(body)) {
            close(response);
        }
    }

    /** Reads and drops the rest of the body; false if more than the limit was left or it could not be read. */
    static boolean drain(InputStream body) {
        byte[] buffer = new byte[8192];
        long read = 0;
        try {
            while (read <= DRAIN_MAX_BYTES) {
                int n = body.read(buffer);
                if (n < 0) {
                    return true;
                }
                read += n;
            }
            return false;
        } catch (IOException | RuntimeException e) {
            // Too large for the counting stream, a client gone, a stream already closed: not reusable.
            return false;
        }
    }

    private static void close(ContainerResponseContext response) {
        response.getHeaders().putSingle("Connection", "close");
    }
}
