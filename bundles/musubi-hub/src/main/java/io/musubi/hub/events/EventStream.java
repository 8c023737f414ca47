package io.musubi.hub.events;

/**
 * The hub's live stream of events as the API shows them (docs/events.md): every recorded interaction event and
 * presence change gets the next hub-wide id, is held in a bounded buffer for resume, and is written to the open
 * streams whose {@link EventFilter} it matches. The REST API's {@code GET /events} is an adapter over this service.
 *
 * <p>The recording thread never waits for a client: each stream has a bounded queue written by a sender thread; a
 * stream whose queue is full is closed (the client reconnects with {@code Last-Event-ID} and resumes).
 */
public interface EventStream {

    /**
     * Opens a stream. With {@code lastEventId} the held events after it that match are sent first; if events after
     * it are no longer held (or it is not an id this run issued), a {@value EventTypes#RESET} event comes before
     * them. A {@code connected} comment is written first, at once.
     *
     * @param filter      which events of which tenant
     * @param lastEventId the id of the last event the client has, or null for live events only
     * @param sink        where the stream writes
     * @throws TooManyStreamsException when the configured number of streams is open, or the stream is stopping
     */
    Subscription subscribe(EventFilter filter, Long lastEventId, Sink sink);

    /**
     * Where a stream writes (the SSE adapter, a recorder in tests). Calls come from one thread at a time. A method
     * that throws closes the stream.
     */
    interface Sink {
        /** One event: its id, its type ({@link EventTypes}) and its JSON, written once for every stream. */
        void event(String id, String type, String json) throws Exception;

        /** A comment line ({@code connected}, {@code heartbeat}). */
        void comment(String text) throws Exception;

        void close();
    }

    /** An open stream, to close it from outside. */
    interface Subscription extends AutoCloseable {
        boolean isOpen();

        @Override
        void close();
    }

    /** No stream can be opened now: too many are open, or the stream is stopping. */
    final class TooManyStreamsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public TooManyStreamsException(String message) {
            super(message);
        }
    }
}
