package io.musubi.hub.menu;

import io.musubi.acd.QueueStatistics;
import java.time.Duration;

/**
 * The expected wait of a new contact in a queue, from the queue's live statistics (design point ③). An agent free
 * now means no wait. Otherwise the contacts ahead of it (plus itself, minus the free agents) are served by the
 * staffed agents at the average handle time each: {@code (waiting − available + 1) × AHT / staffed}. Before any
 * contact was handled the AHT is unknown and {@link #DEFAULT_HANDLE_TIME} stands in. With no agent staffed the wait
 * is unknown, and so is it for a closed queue: {@code null}.
 */
public final class ExpectedWait {

    public static final Duration DEFAULT_HANDLE_TIME = Duration.ofMinutes(3);

    private ExpectedWait() {
    }

    public static Duration of(QueueStatistics s) {
        int staffed = s.agentsAvailable() + s.agentsBusy();
        if (!s.open() || staffed == 0) {
            return null;
        }
        if (s.agentsAvailable() > s.waiting()) {
            return Duration.ZERO;
        }
        Duration aht = s.averageHandleTime() == null || s.averageHandleTime().isZero()
                ? DEFAULT_HANDLE_TIME : s.averageHandleTime();
        long ahead = s.waiting() - s.agentsAvailable() + 1L;
        return aht.multipliedBy(ahead).dividedBy(staffed);
    }
}
