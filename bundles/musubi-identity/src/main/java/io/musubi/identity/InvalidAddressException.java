package io.musubi.identity;

/**
 * An address that cannot identify a customer: malformed, of a withheld caller ("anonymous"), or a number that
 * cannot exist. The message never contains the address.
 */
public class InvalidAddressException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Why the address was refused. */
    public enum Reason {
        /** Not the shape its scheme requires. */
        MALFORMED,
        /** A withheld or unknown caller id: resolving it would merge strangers into one customer. */
        ANONYMOUS,
        /** A phone or fax number that cannot exist in the numbering plan. */
        IMPOSSIBLE_NUMBER
    }

    private final Reason reason;
    private final String scheme;

    public InvalidAddressException(String scheme, Reason reason, String detail) {
        super(scheme + " address refused (" + reason + "): " + detail);
        this.reason = reason;
        this.scheme = scheme;
    }

    public Reason reason() {
        return reason;
    }

    public String scheme() {
        return scheme;
    }
}
