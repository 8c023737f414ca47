package io.musubi.model;

import java.util.Locale;
import java.util.Objects;

/**
 * A channel identity written as a URI-like value: {@code tel:+81312345678}, {@code line:U4af49806...},
 * {@code mailto:a@b.jp}, {@code fax:+81...}, {@code webchat:<visitor>}, {@code social:messenger:<psid>}.
 *
 * <p>The model only checks the shape; normalisation (E.164 numbers, lower-cased mail domains) is the
 * identity service's job and happens before an address is stored. {@link #toString()} gives the
 * URI form, so an address is never printed by accident with anything but its own value; callers that
 * log must mask it ({@link #masked()}).
 */
public final class Address {

    private final String scheme;
    private final String value;

    private Address(String scheme, String value) {
        this.scheme = scheme;
        this.value = value;
    }

    /** An address from its scheme and scheme-specific value. */
    public static Address of(String scheme, String value) {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(value, "value");
        String s = scheme.toLowerCase(Locale.ROOT);
        if (s.isEmpty() || !s.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            throw new IllegalArgumentException("address scheme must be [a-z0-9-]+");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException("address value must not be blank");
        }
        if (s.length() + 1 + value.length() > InputRules.ADDRESS_MAX) {
            throw new IllegalArgumentException("an address is at most " + InputRules.ADDRESS_MAX + " characters");
        }
        if (!value.codePoints().allMatch(InputRules::isNameCharacter)) {
            throw new IllegalArgumentException("address value must not contain control, line separator or "
                    + "bidirectional formatting characters");
        }
        return new Address(s, value);
    }

    /** Parses the URI form {@code scheme:value}. */
    public static Address parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        int colon = uri.indexOf(':');
        if (colon <= 0 || colon == uri.length() - 1) {
            throw new IllegalArgumentException("address must look like scheme:value");
        }
        return of(uri.substring(0, colon), uri.substring(colon + 1));
    }

    public String scheme() {
        return scheme;
    }

    public String value() {
        return value;
    }

    /** The URI form, e.g. {@code tel:+81312345678}. */
    public String uri() {
        return scheme + ':' + value;
    }

    /** A form fit for logs: scheme kept, all but the last two characters of the value hidden. */
    public String masked() {
        int keep = Math.min(2, value.length() / 4);
        return scheme + ":***" + value.substring(value.length() - keep);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address a && scheme.equals(a.scheme) && value.equals(a.value);
    }

    @Override
    public int hashCode() {
        return 31 * scheme.hashCode() + value.hashCode();
    }

    @Override
    public String toString() {
        return uri();
    }
}
