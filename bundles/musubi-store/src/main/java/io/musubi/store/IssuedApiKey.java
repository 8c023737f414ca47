package io.musubi.store;

import java.util.Objects;

/**
 * A key just created: its record and the key itself ({@code msk_<id>_<secret>}), which exists only here and is to
 * be handed to its owner once. {@link #toString()} never shows it.
 */
public record IssuedApiKey(ApiKey apiKey, String key) {

    public IssuedApiKey {
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return "IssuedApiKey[" + apiKey + ", key=***]";
    }
}
