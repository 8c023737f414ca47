package io.musubi.acd.internal;

import io.musubi.acd.AgentDefinition;
import io.musubi.acd.QueueDefinition;
import io.musubi.model.Channel;
import net.jqwik.api.ForAll;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The intrusive longest-idle list against a TreeSet with the same order. */
class FreeSetTest {

    private static final TenantState TENANT = new TenantState("default");

    private static Pool pool(Channel... channels) {
        QueueDefinition def = QueueDefinition.builder("q").channels(channels).build();
        QueueState q = new QueueState(def, TENANT);
        int mask = 0;
        for (Channel c : channels) {
            mask |= 1 << c.ordinal();
        }
        return new Pool(q, 0, def.requiredSkills(), mask, def.strategy());
    }

    private static Member member(Pool p, int ordinal, long idle) {
        AgentState a = new AgentState(ordinal, AgentDefinition.builder("a" + ordinal).build(), TENANT);
        a.idleSince = idle;
        return new Member(p, a, 0);
    }

    private static List<Integer> ordinals(Iterable<Member> set) {
        List<Integer> out = new ArrayList<>();
        for (Member m : set) {
            out.add(m.ord);
        }
        return out;
    }

    @Test
    void keepsIdleOrderWhateverTheInsertionOrder() {
        Pool p = pool(Channel.VOICE, Channel.LINE);
        FreeSet voice = p.free[Channel.VOICE.ordinal()];
        FreeSet line = p.free[Channel.LINE.ordinal()];
        assertThat(voice).isInstanceOf(FreeSet.Idle.class);
        Member m1 = member(p, 1, 100);
        Member m2 = member(p, 2, 50);
        Member m3 = member(p, 3, 100);
        Member m0 = member(p, 0, 100);
        for (Member m : List.of(m1, m2, m3, m0)) {
            voice.add(m);
        }
        line.add(m3);
        assertThat(ordinals(voice)).containsExactly(2, 0, 1, 3);      // idle 50, then idle 100 by ordinal
        assertThat(ordinals(line)).containsExactly(3);
        assertThat(voice.first()).isSameAs(m2);
        assertThat(voice.next(m0)).isSameAs(m1);

        voice.remove(m0);
        voice.remove(m0);                                               // absent: no-op
        assertThat(ordinals(voice)).containsExactly(2, 1, 3);
        assertThat(voice.contains(m0)).isFalse();
        assertThat(line.contains(m3)).isTrue();                         // the other channel's links are separate
        voice.remove(m2);
        voice.remove(m3);
        voice.remove(m1);
        assertThat(voice.isEmpty()).isTrue();
        assertThat(voice.first()).isNull();
        assertThat(ordinals(line)).containsExactly(3);
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.MIXIN)
    void sameOrderAsATreeSet(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 40) Integer> idles,
                             @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 59) Integer> removals) {
        Pool p = pool(Channel.WEBCHAT);
        FreeSet idle = p.free[Channel.WEBCHAT.ordinal()];
        TreeSet<Member> reference = new TreeSet<>(Pool.IDLE);
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < idles.size(); i++) {
            Member m = member(p, i, idles.get(i));
            members.add(m);
            idle.add(m);
            reference.add(m);
        }
        for (int r : removals) {
            if (r < members.size()) {
                idle.remove(members.get(r));
                reference.remove(members.get(r));
            }
        }
        assertThat(ordinals(idle)).isEqualTo(ordinals(reference));
        assertThat(idle.isEmpty()).isEqualTo(reference.isEmpty());
    }
}
