package io.musubi.acd.bench;

import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionState;

import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The benchmark's contact centre (DESIGN §12): 10 000 agents, 1 000 queues, 50 000 waiting interactions, mixed
 * channels. Queue {@code q<i>} takes one channel and requires skill {@code s<i>} at level 1; every agent has
 * {@value #SKILLS_PER_AGENT} random skills (so about 100 agents per queue and 10 queues per agent) and the default
 * per-channel capacities.
 */
final class Scenario {
    static final int AGENTS = 10_000;
    static final int QUEUES = 1_000;
    static final int WAITING = 50_000;
    static final int SKILLS_PER_AGENT = 10;
    /** Channel of queue i is MIX[i % 10]: 30 % voice, 10 % video, 60 % text. */
    static final Channel[] MIX = {Channel.VOICE, Channel.VOICE, Channel.VOICE, Channel.VIDEO, Channel.WEBCHAT,
            Channel.LINE, Channel.SMS, Channel.SOCIAL, Channel.EMAIL, Channel.LINE};
    static final Instant T0 = Instant.parse("2025-04-01T00:00:00Z");

    static Channel channelOf(int queue) {
        return MIX[queue % MIX.length];
    }

    static int[][] agentSkills(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] skills = new int[AGENTS][SKILLS_PER_AGENT];
        for (int a = 0; a < AGENTS; a++) {
            for (int k = 0; k < SKILLS_PER_AGENT; k++) {
                int s;
                boolean dup;
                do {
                    s = r.nextInt(QUEUES);
                    dup = false;
                    for (int j = 0; j < k; j++) {
                        dup |= skills[a][j] == s;
                    }
                } while (dup);
                skills[a][k] = s;
            }
        }
        return skills;
    }

    private static final Address[] FROM = new Address[1024];

    static {
        for (int i = 0; i < FROM.length; i++) {
            FROM[i] = Address.of("tel", "+8131234" + (1000 + i));
        }
    }

    /** A new inbound interaction like a connector would hand to the ACD. */
    static Interaction interaction(long n, int queue, Instant at) {
        String id = "i" + n;
        return new Interaction(id, "default", channelOf(queue), "c" + (n % 100_000), FROM[(int) (n & 1023)], null, id,
                "q" + queue, (int) (n % 3), Map.of(), InteractionState.NEW, at, at, "", "");
    }

    private Scenario() {
    }
}
