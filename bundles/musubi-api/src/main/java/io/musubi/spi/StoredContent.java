package io.musubi.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Metadata of content kept by the {@link ContentStore}.
 *
 * @param ref       the reference to put in an {@link io.musubi.model.Attachment}
 * @param mediaType e.g. {@code image/jpeg}
 * @param name      a file name to show; may be empty
 * @param size      bytes
 * @param sha256    hex SHA-256 of the content
 * @param storedAt  when it was stored
 */
public record StoredContent(String ref, String mediaType, String name, long size, String sha256, Instant storedAt) {

    public StoredContent {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(mediaType, "mediaType");
        name = name == null ? "" : name;
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(storedAt, "storedAt");
    }
}
