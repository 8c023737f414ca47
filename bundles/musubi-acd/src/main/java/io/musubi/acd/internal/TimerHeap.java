package io.musubi.acd.internal;

import java.util.Arrays;

/**
 * A binary min-heap of interactions by deadline, intrusive (each {@link Work} knows its index), so a timer is
 * cancelled or moved in O(log n) and costs no extra object. An interaction has at most one timer at a time.
 */
final class TimerHeap {
    private Work[] heap = new Work[64];
    private int size;

    int size() {
        return size;
    }

    Work peek() {
        return size == 0 ? null : heap[0];
    }

    void schedule(Work w, byte kind, long deadline) {
        if (w.heapIndex >= 0) {
            remove(w);
        }
        w.timerKind = kind;
        w.deadline = deadline;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = w;
        w.heapIndex = size;
        size++;
        up(w.heapIndex);
    }

    void cancel(Work w) {
        if (w.heapIndex >= 0) {
            remove(w);
        }
        w.timerKind = Work.T_NONE;
    }

    Work poll() {
        if (size == 0) {
            return null;
        }
        Work top = heap[0];
        remove(top);
        return top;
    }

    private void remove(Work w) {
        int i = w.heapIndex;
        size--;
        Work last = heap[size];
        heap[size] = null;
        w.heapIndex = -1;
        if (i != size) {
            heap[i] = last;
            last.heapIndex = i;
            down(i);
            up(last.heapIndex);
        }
    }

    private static boolean less(Work a, Work b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.seq < b.seq);
    }

    private void up(int i) {
        Work w = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            Work pw = heap[p];
            if (!less(w, pw)) {
                break;
            }
            heap[i] = pw;
            pw.heapIndex = i;
            i = p;
        }
        heap[i] = w;
        w.heapIndex = i;
    }

    private void down(int i) {
        Work w = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            int r = c + 1;
            if (r < size && less(heap[r], heap[c])) {
                c = r;
            }
            if (!less(heap[c], w)) {
                break;
            }
            heap[i] = heap[c];
            heap[i].heapIndex = i;
            i = c;
        }
        heap[i] = w;
        w.heapIndex = i;
    }
}
