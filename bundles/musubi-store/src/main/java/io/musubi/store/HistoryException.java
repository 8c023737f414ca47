package io.musubi.store;

/**
 * A failure of the history store (database unreachable, constraint broken, ...). Messages never contain
 * message text or addresses.
 */
public class HistoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HistoryException(String message) {
        super(message);
    }

    public HistoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
