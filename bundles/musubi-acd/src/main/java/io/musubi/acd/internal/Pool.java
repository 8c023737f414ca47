package io.musubi.acd.internal;

import io.musubi.acd.Strategies;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeSet;

/**
 * One routing target: a queue at one escalation tier. Holds the members (agents meeting the tier's skills and the
 * queue's member list), per served channel the free members ordered by the queue's strategy, and per served channel
 * the waiting interactions ordered by priority.
 */
final class Pool {
    enum Kind { LONGEST_IDLE, LEAST_OCCUPIED, ROUND_ROBIN, BEST_SKILL, RING_ALL, CUSTOM }

    static final Comparator<Member> IDLE = (a, b) -> {
        int c = Long.compare(a.idle, b.idle);
        return c != 0 ? c : Integer.compare(a.ord, b.ord);
    };
    static final Comparator<Member> OCCUPIED = (a, b) -> {
        int c = Double.compare(a.occ, b.occ);
        return c != 0 ? c : IDLE.compare(a, b);
    };
    static final Comparator<Member> ORDINAL = (a, b) -> Integer.compare(a.ord, b.ord);
    static final Comparator<Member> SKILL = (a, b) -> {
        int c = Integer.compare(b.score, a.score);
        return c != 0 ? c : IDLE.compare(a, b);
    };

    final QueueState queue;
    final int index;
    final Map<String, Integer> skills;
    final int channelMask;
    final Kind kind;
    final FreeSet[] free;
    /** The order of the free sets (for the consistency check). */
    final Comparator<Member> order;
    final TreeSet<WaitingEntry>[] waiting;
    /** The first entry of each waiting set (null when empty), kept up to date by add/remove below. */
    final WaitingEntry[] head = new WaitingEntry[AgentState.NCH];
    final ArrayList<Member> members = new ArrayList<>();
    /** Number of intrusive free lists (longest-idle: one per served channel; else 0). */
    private final int idleSlots;
    int rrCursor = -1;

    @SuppressWarnings("unchecked")
    Pool(QueueState queue, int index, Map<String, Integer> skills, int channelMask, String strategy) {
        this.queue = queue;
        this.index = index;
        this.skills = skills;
        this.channelMask = channelMask;
        this.kind = kindOf(strategy);
        Comparator<Member> cmp = switch (kind) {
            case LEAST_OCCUPIED -> OCCUPIED;
            case ROUND_ROBIN -> ORDINAL;
            case BEST_SKILL -> SKILL;
            default -> IDLE;
        };
        this.order = cmp;
        free = new FreeSet[AgentState.NCH];
        waiting = new TreeSet[AgentState.NCH];
        int slot = 0;
        for (int c = 0; c < AgentState.NCH; c++) {
            if ((channelMask & (1 << c)) != 0) {
                free[c] = kind == Kind.LONGEST_IDLE ? new FreeSet.Idle(slot++) : new FreeSet.Tree(cmp);
                waiting[c] = new TreeSet<>(WaitingEntry::compare);
            }
        }
        idleSlots = slot;
    }

    int idleSlots() {
        return idleSlots;
    }

    void addWaiting(int ch, WaitingEntry l) {
        waiting[ch].add(l);
        WaitingEntry h = head[ch];
        if (h == null || WaitingEntry.compare(l, h) < 0) {
            head[ch] = l;
        }
    }

    void removeWaiting(int ch, WaitingEntry l) {
        TreeSet<WaitingEntry> ws = waiting[ch];
        ws.remove(l);
        if (head[ch] == l) {
            head[ch] = ws.isEmpty() ? null : ws.first();
        }
    }

    static Kind kindOf(String strategy) {
        return switch (strategy) {
            case Strategies.LONGEST_IDLE -> Kind.LONGEST_IDLE;
            case Strategies.LEAST_OCCUPIED -> Kind.LEAST_OCCUPIED;
            case Strategies.ROUND_ROBIN -> Kind.ROUND_ROBIN;
            case Strategies.BEST_SKILL -> Kind.BEST_SKILL;
            case Strategies.RING_ALL -> Kind.RING_ALL;
            default -> Kind.CUSTOM;
        };
    }

    boolean serves(int ch) {
        return (channelMask & (1 << ch)) != 0;
    }

    /** Whether an agent is of the queue's tenant and meets this pool's requirements. */
    boolean admits(AgentState a) {
        if (a.tenant != queue.tenant) {
            return false;
        }
        io.musubi.acd.AgentDefinition def = a.def;
        if (!queue.def.members().isEmpty() && !queue.def.members().contains(def.id())) {
            return false;
        }
        for (Map.Entry<String, Integer> e : skills.entrySet()) {
            if (def.skillLevel(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    int score(io.musubi.acd.AgentDefinition def) {
        int s = 0;
        for (String k : skills.keySet()) {
            s += def.skillLevel(k);
        }
        return s;
    }

    /** The skill used to index this pool for membership lookups, or null if it requires none. */
    String anchorSkill() {
        String best = null;
        for (String k : skills.keySet()) {
            if (best == null || k.compareTo(best) < 0) {
                best = k;
            }
        }
        return best;
    }
}
