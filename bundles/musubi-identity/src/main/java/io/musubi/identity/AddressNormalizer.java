package io.musubi.identity;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.musubi.model.Address;
import java.net.IDN;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the addresses connectors deliver into the one normalised form identity resolution matches exactly
 * (DESIGN §4, §7.1):
 *
 * <ul>
 *   <li>{@code tel:} and {@code fax:}: E.164 ({@code tel:+81312345678}); national numbers are read in the default
 *       region (e.g. JP: {@code 03-1234-5678}); RFC 3966 parameters ({@code ;ext=}, {@code ;phone-context=}) and
 *       visual separators are dropped; withheld callers are refused ({@link InvalidAddressException.Reason#ANONYMOUS}).</li>
 *   <li>{@code sms:}: same as {@code tel:} (an SMS sender is a phone number).</li>
 *   <li>{@code mailto:}: the bare address ({@code "Name <a@B.jp>"} and {@code ?subject=} removed), domain lower-cased
 *       and in ASCII (IDN); the local part is kept as written (it is case-sensitive by the standard).</li>
 *   <li>{@code line:}, {@code webchat:}: trimmed, case kept (LINE ids are case-sensitive).</li>
 *   <li>{@code social:<platform>:<id>}: platform lower-cased, id trimmed.</li>
 *   <li>anything else: scheme lower-cased, value trimmed.</li>
 * </ul>
 *
 * Thread-safe and immutable.
 */
public final class AddressNormalizer {

    /** Caller ids that mean "withheld" or "unknown" in PBXs, carriers and Japanese number display. */
    private static final Set<String> ANONYMOUS = Set.of("anonymous", "unknown", "restricted", "private", "withheld",
            "unavailable", "blocked", "<unknown>", "invalid", "p", "o", "c", "s", "非通知", "公衆電話", "表示圏外",
            "通知不可能");

    private final String defaultRegion;
    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();

    /**
     * @param defaultRegion ISO 3166 region (e.g. {@code JP}) for numbers written without a country code
     */
    public AddressNormalizer(String defaultRegion) {
        Objects.requireNonNull(defaultRegion, "defaultRegion");
        String region = defaultRegion.trim().toUpperCase(Locale.ROOT);
        if (!phones.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("unknown region for phone numbers: " + defaultRegion);
        }
        this.defaultRegion = region;
    }

    public String defaultRegion() {
        return defaultRegion;
    }

    /** Parses {@code scheme:value} and normalises it. */
    public Address normalize(String uri) {
        Objects.requireNonNull(uri, "uri");
        Address parsed;
        try {
            parsed = Address.parse(uri.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidAddressException("?", InvalidAddressException.Reason.MALFORMED, "not scheme:value");
        }
        return normalize(parsed);
    }

    public Address normalize(Address address) {
        Objects.requireNonNull(address, "address");
        String scheme = address.scheme();
        String value = address.value().trim();
        return switch (scheme) {
            case "tel", "fax", "sms" -> Address.of(scheme, phone(scheme, value));
            case "mailto" -> Address.of(scheme, mail(value));
            case "social" -> Address.of(scheme, social(value));
            default -> {
                if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
                    throw new InvalidAddressException(scheme, InvalidAddressException.Reason.MALFORMED,
                            "empty or contains white space");
                }
                yield Address.of(scheme, value);
            }
        };
    }

    private String phone(String scheme, String value) {
        String number = value;
        int params = number.indexOf(';');
        if (params >= 0) {
            number = number.substring(0, params);
        }
        number = number.trim();
        if (number.isEmpty() || ANONYMOUS.contains(number.toLowerCase(Locale.ROOT))) {
            throw new InvalidAddressException(scheme, InvalidAddressException.Reason.ANONYMOUS, "withheld caller id");
        }
        if (number.chars().anyMatch(ch -> Character.isLetter(ch) && ch != '\u30FC')) { // ー is used as a dash
            throw new InvalidAddressException(scheme, InvalidAddressException.Reason.MALFORMED,
                    "not a phone number");
        }
        PhoneNumber parsed;
        try {
            parsed = phones.parse(number, defaultRegion);
        } catch (NumberParseException e) {
            throw new InvalidAddressException(scheme, InvalidAddressException.Reason.MALFORMED,
                    "unparseable number (" + e.getErrorType() + ")");
        }
        if (!phones.isPossibleNumber(parsed)) {
            throw new InvalidAddressException(scheme, InvalidAddressException.Reason.IMPOSSIBLE_NUMBER,
                    "number of impossible length for its country");
        }
        return phones.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    private static String mail(String value) {
        String v = value;
        int lt = v.lastIndexOf('<');
        int gt = v.lastIndexOf('>');
        if (lt >= 0 && gt > lt) {
            v = v.substring(lt + 1, gt);
        }
        int query = v.indexOf('?');
        if (query >= 0) {
            v = v.substring(0, query);
        }
        v = v.trim();
        int at = v.lastIndexOf('@');
        if (at <= 0 || at == v.length() - 1 || v.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidAddressException("mailto", InvalidAddressException.Reason.MALFORMED,
                    "not local@domain");
        }
        String local = v.substring(0, at);
        String domain = v.substring(at + 1);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        try {
            domain = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new InvalidAddressException("mailto", InvalidAddressException.Reason.MALFORMED, "bad domain");
        }
        if (domain.isEmpty()) {
            throw new InvalidAddressException("mailto", InvalidAddressException.Reason.MALFORMED, "bad domain");
        }
        return local + '@' + domain;
    }

    private static String social(String value) {
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new InvalidAddressException("social", InvalidAddressException.Reason.MALFORMED,
                    "expected social:<platform>:<id>");
        }
        String platform = value.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String id = value.substring(colon + 1).trim();
        if (platform.isEmpty() || id.isEmpty() || !platform.matches("[a-z0-9-]+")
                || id.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidAddressException("social", InvalidAddressException.Reason.MALFORMED,
                    "expected social:<platform>:<id>");
        }
        return platform + ':' + id;
    }
}
