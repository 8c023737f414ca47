package io.musubi.connector.line.internal;

import io.musubi.spi.ContentStore;
import io.musubi.spi.StoredContent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ContentStore} in memory for tests, with the real store's rules: references by name, first put wins. */
final class MemoryContentStore implements ContentStore {

    final Map<String, byte[]> bytes = new ConcurrentHashMap<>();
    final Map<String, StoredContent> meta = new ConcurrentHashMap<>();

    @Override
    public String referenceOf(String tenantId, String key) {
        return "cnt-" + UUID.nameUUIDFromBytes((tenantId + '/' + key).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public StoredContent put(String tenantId, String key, String mediaType, String name, InputStream data,
                             long maxBytes) throws IOException {
        String ref = referenceOf(tenantId, key);
        StoredContent existing = meta.get(tenantId + ref);
        if (existing != null) {
            return existing;
        }
        byte[] all = data.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (all.length > maxBytes) {
            throw new ContentTooLargeException(maxBytes);
        }
        StoredContent c = new StoredContent(ref, mediaType, name, all.length, "sha", Instant.EPOCH);
        bytes.put(tenantId + ref, all);
        meta.put(tenantId + ref, c);
        return c;
    }

    @Override
    public Optional<StoredContent> find(String tenantId, String ref) {
        return Optional.ofNullable(meta.get(tenantId + ref));
    }

    @Override
    public Optional<InputStream> open(String tenantId, String ref) {
        byte[] b = bytes.get(tenantId + ref);
        return b == null ? Optional.empty() : Optional.of(new ByteArrayInputStream(b));
    }

    @Override
    public boolean delete(String tenantId, String ref) {
        meta.remove(tenantId + ref);
        return bytes.remove(tenantId + ref) != null;
    }
}
