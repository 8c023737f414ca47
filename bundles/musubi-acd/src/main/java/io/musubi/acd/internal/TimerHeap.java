package io.musubi.acd.internal;

import java.util.Arrays;

/**
 * A binary min-heap of interactions by deadline, intrusive (each {@link WorkItem} knows its index), so a timer is
 * cancelled or moved in O(log n) and costs no extra object. An interaction has at most one timer at a time.
 */
final class TimerHeap {
    private WorkItem[] heap = new WorkItem[64];
    private int size;

    int size() {
        return size;
    }

    WorkItem peek() {
        return size == 0 ? null : heap[0];
    }

    void schedule(WorkItem w, byte kind, long deadline) {
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

    void cancel(WorkItem w) {
        if (w.heapIndex >= 0) {
            remove(w);
        }
        w.timerKind = WorkItem.T_NONE;
    }

    WorkItem poll() {
        if (size == 0) {
            return null;
        }
        WorkItem top = heap[0];
        remove(top);
        return top;
    }

    private void remove(WorkItem w) {
        int i = w.heapIndex;
        size--;
        WorkItem last = heap[size];
        heap[size] = null;
        w.heapIndex = -1;
        if (i != size) {
            heap[i] = last;
            last.heapIndex = i;
            down(i);
            up(last.heapIndex);
        }
    }

    private static boolean less(WorkItem a, WorkItem b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.seq < b.seq);
    }

    private void up(int i) {
        WorkItem w = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            WorkItem pw = heap[p];
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
        WorkItem w = heap[i];
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
