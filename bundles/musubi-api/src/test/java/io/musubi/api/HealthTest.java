package io.musubi.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class HealthTest {

    @Test
    void worstStatusWins() {
        assertThat(Health.worstOf(List.of())).isEqualTo(Health.Status.UP);
        assertThat(Health.worstOf(List.of(Health.up("a"), Health.degraded("b")))).isEqualTo(Health.Status.DEGRADED);
        assertThat(Health.worstOf(List.of(Health.down("a"), Health.degraded("b"), Health.up("c"))))
                .isEqualTo(Health.Status.DOWN);
    }
}
