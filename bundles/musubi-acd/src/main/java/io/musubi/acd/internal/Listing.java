package io.musubi.acd.internal;

/**
 * A waiting interaction's place in one pool's per-channel priority structure. Ordered by: requeued first (back at
 * the head after a reject/timeout), then the static priority key descending, then order time, then arrival sequence.
 * The key is {@code base − agingWeight × orderSeconds}: since every entry of a pool ages with the same weight, the
 * order never changes with time and effective priority now is {@code key + agingWeight × nowSeconds}.
 */
final class Listing {
    final Work work;
    final Pool pool;
    final double key;
    final boolean head;

    Listing(Work work, Pool pool, double key, boolean head) {
        this.work = work;
        this.pool = pool;
        this.key = key;
        this.head = head;
    }

    static int compare(Listing a, Listing b) {
        if (a.head != b.head) {
            return a.head ? -1 : 1;
        }
        int c = Double.compare(b.key, a.key);
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.work.orderAt, b.work.orderAt);
        return c != 0 ? c : Long.compare(a.work.seq, b.work.seq);
    }
}
