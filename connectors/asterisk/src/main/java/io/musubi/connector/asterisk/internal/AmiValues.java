package io.musubi.connector.asterisk.internal;

import io.musubi.spi.CallControlException;

import java.util.regex.Pattern;

/**
 * Allow-lists for every value that reaches an AMI action. Asterisk-Java writes values as they are, so a line break in a
 * value would end the header and start another (or a whole action): nothing that fails these patterns is ever sent.
 * Values that come from outside (a transfer target, a dial string, a caller's name) are checked here; values from
 * Asterisk itself (channel names) are checked too, before they are echoed back.
 */
final class AmiValues {

    /** Digits, an optional leading {@code +}, {@code *} and {@code #}: numbers and extensions to dial. */
    private static final Pattern DESTINATION = Pattern.compile("\\+?[0-9*#]{1,32}");
    /** Configuration names: contexts, extensions, queue names, variables. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.+-]{1,64}");
    /**
     * A channel name as Asterisk writes it: {@code PJSIP/1001-00000000}, {@code Local/1001@agents-00000001;1}. Never
     * starting with {@code /}: AMI Hangup reads {@code /.../} as a regular expression over every channel.
     */
    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_/@.;:+#*-]{0,127}");
    /** A dial string built from a template: technology/resource, optionally with a context and options. */
    private static final Pattern DIAL = Pattern.compile("[A-Za-z0-9_]{1,16}/[A-Za-z0-9_@.:+*#/-]{1,96}");
    /** A Uniqueid or an id the hub gives a channel ({@code 1795343846.0}, {@code c2d-4f2a...}). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** A file path for MixMonitor. */
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9_./-]{1,200}");
    /** A caller-id name: printable text without quotes, angle brackets or control characters. */
    private static final Pattern CALLER_NAME = Pattern.compile("[\\p{L}\\p{N} ._'-]{0,40}");

    private AmiValues() {
    }

    /** A destination a caller of the API gave (a number or an extension); INVALID naming {@code field} otherwise. */
    static String destination(String value, String field) {
        String v = value == null ? "" : value.replace(" ", "").replace("-", "");
        if (!DESTINATION.matcher(v).matches()) {
            throw new CallControlException(CallControlException.Reason.INVALID, field,
                    field + " must be a number or an extension: digits with an optional leading +, * and #, "
                            + "at most 32");
        }
        return v;
    }

    static boolean isName(String value) {
        return value != null && NAME.matcher(value).matches();
    }

    /** A configuration name (context, extension, queue, variable); IllegalArgumentException naming the setting. */
    static String name(String value, String setting) {
        if (!isName(value)) {
            throw new IllegalArgumentException(setting + " must be 1 to 64 of letters, digits and _ . + -");
        }
        return value;
    }

    static boolean isChannel(String value) {
        return value != null && CHANNEL.matcher(value).matches();
    }

    /** A channel name before it is echoed to Asterisk. */
    static String channel(String value) {
        if (!isChannel(value)) {
            throw new CallControlException(CallControlException.Reason.NO_CALL, "the call's channel is not known");
        }
        return value;
    }

    static String dial(String value, String setting) {
        if (value == null || !DIAL.matcher(value).matches()) {
            throw new IllegalArgumentException(setting + " does not give a dial string such as PJSIP/1001");
        }
        return value;
    }

    static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    static String path(String value, String setting) {
        if (value == null || !PATH.matcher(value).matches() || value.contains("..")) {
            throw new IllegalArgumentException(setting + " must be an absolute path of letters, digits and _ . / -");
        }
        return value;
    }

    /** A caller-id name for the PBX: anything outside the allow-list is dropped, never sent. */
    static String callerName(String value) {
        if (value == null) {
            return "";
        }
        String v = value.strip();
        return CALLER_NAME.matcher(v).matches() ? v : "";
    }

    /** A value from the PBX kept on an interaction (an IVR choice): at most 64 printable characters, or empty. */
    static String data(String value) {
        if (value == null) {
            return "";
        }
        String v = value.strip();
        if (v.length() > 64 || v.chars().anyMatch(Character::isISOControl)) {
            return "";
        }
        return v;
    }
}
