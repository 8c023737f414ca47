package io.musubi.spi;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where the hub keeps message content by reference (DESIGN §4): mail attachments, LINE images and files, FAX images,
 * call recordings. Provided by the hub as an OSGi service. An {@link io.musubi.model.Attachment#ref()} is a reference
 * from here; the agent desktop reads the content over the REST API, scoped to the tenant.
 *
 * <p>Content is stored under a key the connector chooses from the provider's ids (e.g.
 * {@code line.main/message/4711}), so the reference is known before the content is fetched and storing the same key
 * again (a redelivery) keeps the first content.
 */
public interface ContentStore {

    /**
     * The reference content stored under {@code key} has or will have; pure (no I/O), so a mapper can put it in an
     * {@link io.musubi.model.Attachment} before the content is fetched.
     *
     * @param key up to 200 of {@code [A-Za-z0-9._-]} in {@code /}-separated segments, no {@code ..}; unique within the
     *            tenant, derived from provider ids
     */
    String referenceOf(String tenantId, String key);

    /**
     * Stores content under a key; a key already stored keeps its first content and answers its metadata.
     *
     * @param maxBytes the largest content accepted
     * @throws ContentTooLargeException when the stream holds more than {@code maxBytes} (nothing is kept)
     */
    StoredContent put(String tenantId, String key, String mediaType, String name, InputStream data, long maxBytes)
            throws IOException;

    /** The metadata of stored content; empty when nothing is stored (yet) under that reference in that tenant. */
    Optional<StoredContent> find(String tenantId, String ref);

    /** Opens stored content; the caller closes the stream. */
    Optional<InputStream> open(String tenantId, String ref) throws IOException;

    /** Deletes stored content (erasure); false when there was none. */
    boolean delete(String tenantId, String ref) throws IOException;

    /** Content larger than allowed; nothing was stored. */
    class ContentTooLargeException extends IOException {

        private static final long serialVersionUID = 1L;

        public ContentTooLargeException(long maxBytes) {
            super("content larger than " + maxBytes + " bytes");
        }
    }
}
