package io.musubi.model;

import java.util.Objects;

/**
 * Content kept by reference: a mail attachment, a LINE image, a FAX TIFF, a call recording.
 *
 * @param ref       where the hub stored it (a content-store key), never the provider's URL with credentials
 * @param mediaType e.g. {@code image/tiff}
 * @param name      a file name to show; may be empty
 * @param size      size in bytes, or -1 when unknown
 */
public record Attachment(String ref, String mediaType, String name, long size) {
    public Attachment {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(mediaType, "mediaType");
        name = name == null ? "" : name;
    }
}
