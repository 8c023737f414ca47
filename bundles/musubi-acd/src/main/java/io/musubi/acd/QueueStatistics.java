package io.musubi.acd;

import java.time.Duration;

/**
 * Real-time statistics of a queue (DESIGN §5.7), counted since the engine started or the last
 * {@link AcdEngine#resetStatistics()}.
 *
 * @param queueId            id
 * @param open               whether the queue is open now
 * @param waiting            interactions waiting (not yet offered, or back after a reject/timeout)
 * @param longestWait        longest time an interaction of this queue has waited unanswered (ringing included)
 * @param agentsAvailable    member agents AVAILABLE
 * @param agentsBusy         member agents BUSY or WRAP_UP
 * @param agentsAway         member agents logged in but in another state
 * @param offered            offers made (one per agent rung)
 * @param answered           interactions accepted
 * @param abandoned          interactions abandoned while queued or ringing
 * @param overflowed         interactions sent to an overflow target
 * @param serviceLevelPercent answered within the threshold / (answered + abandoned) × 100; 100 when nothing counted yet
 * @param averageSpeedOfAnswer mean wait of the answered
 * @param averageHandleTime  mean of accept → capacity released (wrap-up included)
 */
public record QueueStatistics(String queueId, boolean open, int waiting, Duration longestWait, int agentsAvailable,
                              int agentsBusy, int agentsAway, long offered, long answered, long abandoned,
                              long overflowed, double serviceLevelPercent, Duration averageSpeedOfAnswer,
                              Duration averageHandleTime) {
}
