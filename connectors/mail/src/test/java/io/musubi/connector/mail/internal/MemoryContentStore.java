package io.musubi.connector.mail.internal;

import io.musubi.spi.ContentStore;
import io.musubi.spi.StoredContent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The content store contract in memory (first content of a key kept, the size limit enforced). */
final class MemoryContentStore implements ContentStore {

    final Map<String, byte[]> bytes = new ConcurrentHashMap<>();
    final Map<String, StoredContent> meta = new ConcurrentHashMap<>();
    volatile boolean failWrites;

    @Override
    public String referenceOf(String tenantId, String key) {
        if (!key.matches("(?!.*\\.\\.)[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*") || key.length() > 200) {
            throw new IllegalArgumentException("bad key");
        }
        return "cnt-" + UUID.nameUUIDFromBytes((tenantId + '/' + key).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public StoredContent put(String tenantId, String key, String mediaType, String name, InputStream data,
                             long maxBytes) throws IOException {
        String ref = referenceOf(tenantId, key);
        StoredContent existing = meta.get(tenantId + "/" + ref);
        if (existing != null) {
            return existing;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int n;
        long size = 0;
        while ((n = data.read(buf)) >= 0) {
            size += n;
            if (size > maxBytes) {
                throw new ContentTooLargeException(maxBytes);
            }
            out.write(buf, 0, n);
        }
        if (failWrites) {
            throw new IOException("disk full");
        }
        byte[] b = out.toByteArray();
        String sha;
        try {
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        StoredContent c = new StoredContent(ref, mediaType, name, b.length, sha, Instant.now());
        bytes.put(tenantId + "/" + ref, b);
        meta.put(tenantId + "/" + ref, c);
        return c;
    }

    @Override
    public Optional<StoredContent> find(String tenantId, String ref) {
        return Optional.ofNullable(meta.get(tenantId + "/" + ref));
    }

    @Override
    public Optional<InputStream> open(String tenantId, String ref) {
        byte[] b = bytes.get(tenantId + "/" + ref);
        return b == null ? Optional.empty() : Optional.of(new ByteArrayInputStream(b));
    }

    @Override
    public boolean delete(String tenantId, String ref) {
        meta.remove(tenantId + "/" + ref);
        return bytes.remove(tenantId + "/" + ref) != null;
    }

    byte[] content(String tenantId, String ref) {
        return bytes.get(tenantId + "/" + ref);
    }
}
