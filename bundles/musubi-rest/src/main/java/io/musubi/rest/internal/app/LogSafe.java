package io.musubi.rest.internal.app;

import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * An exception made fit for the log: database drivers quote the values of a failed statement in their messages
 * (H2's "Value too long for column ...: 'tel:+8190...'", a constraint's key values), and those values are personal
 * data. In the copy this makes, the message of every driver exception in the chain (a {@link SQLException}, or any
 * exception of the H2 or PostgreSQL driver) is replaced by its class, SQLState and error code; every other message
 * and every stack trace is kept. Chains without a driver exception are returned as they are.
 */
public final class LogSafe {

    private static final int MAX_DEPTH = 32;

    private LogSafe() {
    }

    /** {@code t}, or a copy of its chain with the driver messages withheld. */
    public static Throwable of(Throwable t) {
        if (t == null || !hasDriverException(t)) {
            return t;
        }
        return copy(t, new IdentityHashMap<>(), 0);
    }

    /** Whether a driver exception is anywhere in the chain (causes and suppressed). */
    static boolean hasDriverException(Throwable t) {
        int depth = 0;
        for (Throwable x = t; x != null && depth < MAX_DEPTH; x = x.getCause(), depth++) {
            if (isDriver(x)) {
                return true;
            }
            for (Throwable s : x.getSuppressed()) {
                if (hasDriverException(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isDriver(Throwable t) {
        String name = t.getClass().getName();
        return t instanceof SQLException || name.startsWith("org.h2.") || name.startsWith("org.postgresql.");
    }

    private static Throwable copy(Throwable t, Map<Throwable, Throwable> done, int depth) {
        Throwable seen = done.get(t);
        if (seen != null) {
            return seen;
        }
        Redacted out = new Redacted(describe(t));
        out.setStackTrace(t.getStackTrace());
        done.put(t, out);
        if (t.getCause() != null && t.getCause() != t && depth < MAX_DEPTH) {
            out.initCause(copy(t.getCause(), done, depth + 1));
        }
        for (Throwable s : t.getSuppressed()) {
            out.addSuppressed(copy(s, done, depth + 1));
        }
        return out;
    }

    private static String describe(Throwable t) {
        if (!isDriver(t)) {
            return t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
        }
        String detail = t instanceof SQLException sql
                ? " (SQLState " + sql.getSQLState() + ", error " + sql.getErrorCode() + ")" : "";
        return t.getClass().getName() + detail + ": message withheld, it may quote personal data";
    }

    /** A link of the copied chain; its message starts with the original exception's class. */
    static final class Redacted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Redacted(String message) {
            super(message);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
