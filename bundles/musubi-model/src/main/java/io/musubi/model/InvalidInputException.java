package io.musubi.model;

import java.util.Objects;

/**
 * A value that breaks an {@link InputRules} rule. The message names the field and the rule (its limit), never the
 * value itself: values may be personal data, and the message goes to clients and logs.
 */
public final class InvalidInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidInputException(String field, String rule) {
        super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(rule, "rule"));
        this.field = field;
    }

    /** The field (or JSON property path) the value was given for, e.g. {@code name} or {@code options[2].label}. */
    public String field() {
        return field;
    }
}
