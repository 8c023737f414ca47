package io.musubi.acd.internal;

/**
 * A waiting interaction's place in one pool's per-channel priority structure. Ordered by: requeued first (back at
 * the head after a reject/timeout), then the static priority key descending, then order time, then arrival sequence.
 * The key is {@code base − agingWeight × orderSeconds}: since every entry of a pool ages with the same weight, the
 * order never changes with time and effective priority now is {@code key + agingWeight × nowSeconds}.
 */
final class WaitingEntry {
    final WorkItem work;
    final Pool pool;
    final double key;
    final boolean head;
    /** Copies of the work's order time and sequence (they do not change while it is listed). */
    final long orderAt;
    final long seq;
    /**
     * Whether the work had agents excluded when listed (exclusions only change while it is offered, i.e. unlisted):
     * when false, the first entry of a set suits every agent.
     */
    final boolean excluding;

    WaitingEntry(WorkItem work, Pool pool, double key, boolean head) {
        this.work = work;
        this.pool = pool;
        this.key = key;
        this.head = head;
        this.orderAt = work.orderAt;
        this.seq = work.seq;
        this.excluding = work.excludedCount > 0;
    }

    static int compare(WaitingEntry a, WaitingEntry b) {
        if (a.head != b.head) {
            return a.head ? -1 : 1;
        }
        int c = Double.compare(b.key, a.key);
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.orderAt, b.orderAt);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    }
}
