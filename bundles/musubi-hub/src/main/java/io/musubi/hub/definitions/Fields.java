package io.musubi.hub.definitions;

import io.musubi.model.InputRules;
import io.musubi.model.InvalidInputException;
import java.util.Collection;
import java.util.Map;

/**
 * Checks of request fields that {@link InputRules} does not cover itself: how many entries a list or map may have,
 * no {@code null} inside them, the range of numbers. Every refusal is an {@link InvalidInputException} naming the
 * field and the limit (a 400 problem), thrown before anything is stored.
 */
public final class Fields {

    /** The longest duration any setting takes, in seconds (366 days). */
    public static final long MAX_SECONDS = 366L * 24 * 3600;

    private Fields() {
    }

    /** A list or set of at most {@code max} elements, none of them {@code null}; {@code null} itself passes. */
    public static <C extends Collection<?>> C elements(String field, C values, int max) {
        if (values != null) {
            if (values.size() > max) {
                throw new InvalidInputException(field, "at most " + max + " entries, got " + values.size());
            }
            for (Object v : values) {
                if (v == null) {
                    throw new InvalidInputException(field, "entries must not be null");
                }
            }
        }
        return values;
    }

    /** A map of at most {@code max} entries, no {@code null} key or value; {@code null} itself passes. */
    public static <M extends Map<?, ?>> M entries(String field, M values, int max) {
        if (values != null) {
            if (values.size() > max) {
                throw new InvalidInputException(field, "at most " + max + " entries, got " + values.size());
            }
            values.forEach((k, v) -> {
                if (k == null || v == null) {
                    throw new InvalidInputException(field, "entries must not be null");
                }
            });
        }
        return values;
    }

    /** A number of seconds from 0 to {@link #MAX_SECONDS}; {@code null} passes. */
    public static Long seconds(String field, Long value) {
        if (value != null && (value < 0 || value > MAX_SECONDS)) {
            throw new InvalidInputException(field, "0 to " + MAX_SECONDS + " seconds");
        }
        return value;
    }

    /** A whole number from {@code min} to {@code max}; {@code null} passes. */
    public static Integer range(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new InvalidInputException(field, min + " to " + max);
        }
        return value;
    }

    /** A required value. */
    public static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidInputException(field, "required");
        }
        return value;
    }
}
