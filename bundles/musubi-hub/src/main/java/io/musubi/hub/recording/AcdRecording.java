package io.musubi.hub.recording;

/**
 * The hub's record of what the ACD decides (queued, offered, accepted, wrap-up, ended ...). The engine hands each
 * decision over as it makes it; the record is written in batches, so a caller that is about to tell someone of a
 * decision (an API answer to a command, an acknowledgement to a channel) first waits until it is durable.
 */
public interface AcdRecording {

    /**
     * Returns once every decision the ACD made before this call is durable in the store (waiting callers share one
     * commit).
     *
     * @throws IllegalStateException if the store has not taken them in time (they are kept and written later): the
     *                               caller should answer "try again" rather than claim success
     */
    void awaitRecorded();
}
