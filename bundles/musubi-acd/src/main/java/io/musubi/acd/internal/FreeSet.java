package io.musubi.acd.internal;

import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.TreeSet;

/**
 * The free members of one pool on one channel, in the pool's strategy order. Two implementations:
 * <ul>
 *   <li>{@link Idle} for longest-idle (the default strategy): an intrusive doubly linked list ordered by
 *   (idle since, ordinal). An agent's idle time only changes to "now" (offer, end of work, becoming available) and
 *   time never goes back, so a re-inserted member almost always belongs at the newest end: insertion walks back from
 *   the tail and is O(1) in that case (O(k) for an agent idle since before the k newest), removal is O(1), and
 *   nothing is allocated. The links live in the {@link Member} (one slot per channel the pool serves).</li>
 *   <li>{@link Tree} for the other strategies: a {@link TreeSet} with the strategy's comparator (O(log n)).</li>
 * </ul>
 * Members are only added or removed while their sort keys are stable (see {@link Member#refresh()}).
 */
abstract class FreeSet implements Iterable<Member> {

    abstract void add(Member m);

    abstract void remove(Member m);

    abstract boolean isEmpty();

    abstract boolean contains(Member m);

    /** The first member in order, or null. */
    abstract Member first();

    /** The member after {@code m} in order, or null. */
    abstract Member next(Member m);

    /** Members strictly after {@code probe} (round-robin); only the tree supports it. */
    Iterable<Member> after(Member probe) {
        throw new UnsupportedOperationException();
    }

    static final class Tree extends FreeSet {
        private final TreeSet<Member> set;

        Tree(Comparator<Member> order) {
            set = new TreeSet<>(order);
        }

        @Override
        void add(Member m) {
            set.add(m);
        }

        @Override
        void remove(Member m) {
            set.remove(m);
        }

        @Override
        boolean isEmpty() {
            return set.isEmpty();
        }

        @Override
        boolean contains(Member m) {
            return set.contains(m);
        }

        @Override
        Member first() {
            return set.isEmpty() ? null : set.first();
        }

        @Override
        Member next(Member m) {
            return set.higher(m);
        }

        @Override
        Iterable<Member> after(Member probe) {
            return set.tailSet(probe, false);
        }

        @Override
        public Iterator<Member> iterator() {
            return set.iterator();
        }
    }

    static final class Idle extends FreeSet {
        /** Index of this set's links in the members' link arrays. */
        private final int slot;
        private final int bit;
        private Member head;
        private Member tail;

        Idle(int slot) {
            this.slot = slot;
            this.bit = 1 << slot;
        }

        private static boolean before(Member a, Member b) {
            return a.idle < b.idle || (a.idle == b.idle && a.ord < b.ord);
        }

        @Override
        void add(Member m) {
            if ((m.inSets & bit) != 0) {
                return;
            }
            m.inSets |= bit;
            Member after = tail;
            while (after != null && before(m, after)) {
                after = after.prev[slot];
            }
            Member nxt = after == null ? head : after.next[slot];
            m.prev[slot] = after;
            m.next[slot] = nxt;
            if (after == null) {
                head = m;
            } else {
                after.next[slot] = m;
            }
            if (nxt == null) {
                tail = m;
            } else {
                nxt.prev[slot] = m;
            }
        }

        @Override
        void remove(Member m) {
            if ((m.inSets & bit) == 0) {
                return;
            }
            m.inSets &= ~bit;
            Member p = m.prev[slot];
            Member n = m.next[slot];
            if (p == null) {
                head = n;
            } else {
                p.next[slot] = n;
            }
            if (n == null) {
                tail = p;
            } else {
                n.prev[slot] = p;
            }
            m.prev[slot] = null;
            m.next[slot] = null;
        }

        @Override
        boolean isEmpty() {
            return head == null;
        }

        @Override
        boolean contains(Member m) {
            return (m.inSets & bit) != 0;
        }

        @Override
        Member first() {
            return head;
        }

        @Override
        Member next(Member m) {
            return m.next[slot];
        }

        @Override
        public Iterator<Member> iterator() {
            return new Iterator<>() {
                private Member cur = head;

                @Override
                public boolean hasNext() {
                    return cur != null;
                }

                @Override
                public Member next() {
                    if (cur == null) {
                        throw new NoSuchElementException();
                    }
                    Member m = cur;
                    cur = m.next[slot];
                    return m;
                }
            };
        }
    }
}
