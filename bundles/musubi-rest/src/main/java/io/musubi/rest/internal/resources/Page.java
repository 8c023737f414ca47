package io.musubi.rest.internal.resources;

import io.musubi.model.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The one shape of every list the API answers: {@code {"items": [...], "nextCursor": "..."}}, {@code nextCursor}
 * absent on the last page. Lists that are not paged answer every item in one page.
 *
 * @param items      this page's items
 * @param nextCursor the {@code cursor} of the next page, or {@code null} on the last one
 */
public record Page<T>(List<T> items, String nextCursor) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    public Page {
        items = List.copyOf(items);
    }

    /** Every item, one page. */
    static <T> Page<T> all(List<T> items) {
        return new Page<>(items, null);
    }

    /**
     * One page of a list kept in memory, ordered by {@code key} (ids): up to {@code limit} items after the one the
     * cursor names. The cursor is opaque to clients (the last key of the previous page, encoded).
     *
     * @param limit  1 to {@value #MAX_LIMIT}; {@code null} for {@value #DEFAULT_LIMIT}
     * @param cursor {@code null} or blank for the first page
     */
    static <T> Page<T> of(List<T> items, Function<T, String> key, String cursor, Integer limit) {
        int size = limit(limit);
        String after = cursor == null || cursor.isBlank() ? null : decode(cursor);
        List<T> sorted = items.stream().sorted(Comparator.comparing(key)).filter(t -> after == null
                || key.apply(t).compareTo(after) > 0).toList();
        if (sorted.size() <= size) {
            return new Page<>(sorted, null);
        }
        List<T> page = sorted.subList(0, size);
        return new Page<>(page, ENCODER.encodeToString(key.apply(page.get(size - 1))
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** The {@code limit} query parameter checked: 1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent. */
    static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "1 to " + MAX_LIMIT);
        }
        return limit;
    }

    private static String decode(String cursor) {
        try {
            if (cursor.length() <= 4 * MAX_LIMIT) {
                return new String(DECODER.decode(cursor), StandardCharsets.UTF_8);
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new InvalidInputException("cursor", "a nextCursor of this list");
    }
}
