package io.musubi.connector.twilio.internal;

import io.musubi.spi.ContentStore;
import io.musubi.spi.StoredContent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A content store in memory with the hub's rules: a key keeps its first content, a limit is a limit. */
final class MemoryContentStore implements ContentStore {

    record Item(StoredContent meta, byte[] bytes) {
    }

    final Map<String, Item> items = new ConcurrentHashMap<>();

    @Override
    public String referenceOf(String tenantId, String key) {
        return "content:" + key;
    }

    @Override
    public StoredContent put(String tenantId, String key, String mediaType, String name, InputStream data,
                             long maxBytes) throws IOException {
        String ref = referenceOf(tenantId, key);
        Item existing = items.get(tenantId + "|" + ref);
        if (existing != null) {
            return existing.meta();
        }
        byte[] bytes = data.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
            throw new ContentTooLargeException(maxBytes);
        }
        try {
            StoredContent meta = new StoredContent(ref, mediaType, name, bytes.length,
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), Instant.now());
            items.put(tenantId + "|" + ref, new Item(meta, bytes));
            return meta;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Optional<StoredContent> find(String tenantId, String ref) {
        return Optional.ofNullable(items.get(tenantId + "|" + ref)).map(Item::meta);
    }

    @Override
    public Optional<InputStream> open(String tenantId, String ref) {
        return Optional.ofNullable(items.get(tenantId + "|" + ref)).map(i -> new ByteArrayInputStream(i.bytes()));
    }

    @Override
    public boolean delete(String tenantId, String ref) {
        return items.remove(tenantId + "|" + ref) != null;
    }
}
