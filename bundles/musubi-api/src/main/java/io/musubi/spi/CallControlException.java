package io.musubi.spi;

import java.util.Objects;

/**
 * A call-control operation that could not be carried out. The message is for the caller of the API: it names the field
 * or the PBX's reason and never carries a phone number or other personal data.
 */
public class CallControlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why; the REST API maps it to a status. */
    public enum Reason {
        /** A value was refused before reaching the PBX (400): {@link #field()} names it. */
        INVALID,
        /** The interaction has no live call the operation applies to (409). */
        NO_CALL,
        /** The PBX refused the operation (409): a missing feature code, a channel gone. */
        REFUSED,
        /** The PBX is not reachable now (503). */
        UNAVAILABLE
    }

    private final Reason reason;
    private final String field;

    public CallControlException(Reason reason, String message) {
        this(reason, "", message);
    }

    public CallControlException(Reason reason, String field, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.field = field == null ? "" : field;
    }

    public Reason reason() {
        return reason;
    }

    /** The refused field for {@link Reason#INVALID}, else empty. */
    public String field() {
        return field;
    }
}
