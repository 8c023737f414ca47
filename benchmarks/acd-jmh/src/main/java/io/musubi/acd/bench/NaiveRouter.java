package io.musubi.acd.bench;

import io.musubi.model.Channel;

import java.util.ArrayList;
import java.util.List;

/**
 * The naive reference router of the benchmark: the same decisions as the engine's longest-idle strategy with the
 * same capacity and blocking rules, but without indexes — an arrival scans every agent, an agent freeing capacity
 * scans every waiting interaction. Single-threaded, no events, no timers: it only decides.
 */
final class NaiveRouter {
    static final int NCH = Channel.values().length;

    static final class Agent {
        final int id;
        final boolean[] skill;
        final int[] cap = new int[NCH];
        final int[] load = new int[NCH];
        long idleSince;
        boolean available = true;

        Agent(int id, int[] skills, int queues) {
            this.id = id;
            this.skill = new boolean[queues];
            for (int s : skills) {
                skill[s] = true;
            }
            cap[Channel.VOICE.ordinal()] = 1;
            cap[Channel.VIDEO.ordinal()] = 1;
            cap[Channel.WEBCHAT.ordinal()] = 3;
            cap[Channel.LINE.ordinal()] = 3;
            cap[Channel.SMS.ordinal()] = 3;
            cap[Channel.SOCIAL.ordinal()] = 3;
            cap[Channel.EMAIL.ordinal()] = 5;
            cap[Channel.FAX.ordinal()] = 5;
            cap[Channel.CUSTOM.ordinal()] = 3;
        }

        boolean canTake(Channel c) {
            if (!available || load[c.ordinal()] >= cap[c.ordinal()]) {
                return false;
            }
            int voice = load[Channel.VOICE.ordinal()];
            int video = load[Channel.VIDEO.ordinal()];
            if (voice > 0 && c != Channel.VOICE || video > 0 && c != Channel.VIDEO) {
                return false;
            }
            return true;
        }
    }

    static final class Work {
        final long seq;
        final int queue;
        final Channel channel;
        final int priority;
        Agent agent;

        Work(long seq, int queue, Channel channel, int priority) {
            this.seq = seq;
            this.queue = queue;
            this.channel = channel;
            this.priority = priority;
        }
    }

    final Agent[] agents;
    final List<Work> waiting = new ArrayList<>();
    long now;

    NaiveRouter(int[][] skills, int queues) {
        agents = new Agent[skills.length];
        for (int i = 0; i < skills.length; i++) {
            agents[i] = new Agent(i, skills[i], queues);
        }
    }

    /** An arrival: scan all agents for the longest-idle eligible one; else wait. Returns the agent or null. */
    Agent arrive(Work w) {
        now++;
        Agent best = null;
        for (Agent a : agents) {
            if (a.skill[w.queue] && a.canTake(w.channel) && (best == null || a.idleSince < best.idleSince)) {
                best = a;
            }
        }
        if (best == null) {
            waiting.add(w);
            return null;
        }
        assign(w, best);
        return best;
    }

    void assign(Work w, Agent a) {
        w.agent = a;
        a.load[w.channel.ordinal()]++;
        a.idleSince = now;
    }

    /** The end of a work: release, then scan every waiting interaction for the most urgent one the agent can take. */
    List<Work> end(Work w) {
        now++;
        Agent a = w.agent;
        a.load[w.channel.ordinal()]--;
        a.idleSince = now;
        List<Work> assigned = new ArrayList<>(2);
        while (true) {
            int bestIdx = -1;
            Work best = null;
            for (int i = 0, n = waiting.size(); i < n; i++) {
                Work x = waiting.get(i);
                if (a.skill[x.queue] && a.canTake(x.channel)
                        && (best == null || x.priority > best.priority
                        || (x.priority == best.priority && x.seq < best.seq))) {
                    best = x;
                    bestIdx = i;
                }
            }
            if (best == null) {
                return assigned;
            }
            waiting.set(bestIdx, waiting.get(waiting.size() - 1));
            waiting.remove(waiting.size() - 1);
            assign(best, a);
            assigned.add(best);
        }
    }
}
