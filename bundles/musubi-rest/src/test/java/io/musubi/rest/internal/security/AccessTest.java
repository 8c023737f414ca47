package io.musubi.rest.internal.security;

import io.musubi.rest.Allowed;
import io.musubi.rest.Public;
import io.musubi.rest.Role;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTest {

    @Allowed(Role.SUPERVISOR)
    static class Managed {
        public void inherited() {
        }

        @Allowed({Role.ADMIN, Role.INTEGRATION})
        public void own() {
        }

        @Public
        public void open() {
        }

        @Public
        @Allowed(Role.ADMIN)
        public void contradictory() {
        }
    }

    @Public
    static class Open {
        @Allowed(Role.ADMIN)
        public void restricted() {
        }

        public void open() {
        }
    }

    static class Undeclared {
        public void any() {
        }

        @Allowed({})
        public void empty() {
        }
    }

    @Test
    void methodDeclarationWinsOverTheClass() throws Exception {
        assertThat(Access.of(Managed.class.getMethod("inherited"), Managed.class))
                .isEqualTo(new Access(Access.Kind.ROLES, Set.of(Role.SUPERVISOR)));
        assertThat(Access.of(Managed.class.getMethod("own"), Managed.class).roles())
                .containsExactlyInAnyOrder(Role.ADMIN, Role.INTEGRATION);
        assertThat(Access.of(Managed.class.getMethod("open"), Managed.class)).isEqualTo(Access.PUBLIC);
        assertThat(Access.of(Open.class.getMethod("restricted"), Open.class).roles()).containsExactly(Role.ADMIN);
        assertThat(Access.of(Open.class.getMethod("open"), Open.class)).isEqualTo(Access.PUBLIC);
    }

    @Test
    void undeclaredEmptyOrContradictoryAccessIsClosed() throws Exception {
        assertThat(Access.of(Undeclared.class.getMethod("any"), Undeclared.class)).isEqualTo(Access.CLOSED);
        assertThat(Access.of(Undeclared.class.getMethod("empty"), Undeclared.class)).isEqualTo(Access.CLOSED);
        assertThat(Access.of(Managed.class.getMethod("contradictory"), Managed.class)).isEqualTo(Access.CLOSED);
        assertThat(Access.of(null, Managed.class)).isEqualTo(Access.CLOSED);
        assertThat(Access.CLOSED.admits(new Caller("acme", "k", Set.of(Role.ADMIN), null))).isFalse();
    }

    @Test
    void rolesAdmitCallersHoldingAnyOfThem() throws Exception {
        Access own = Access.of(Managed.class.getMethod("own"), Managed.class);

        assertThat(own.admits(new Caller("acme", "k", Set.of(Role.INTEGRATION, Role.AGENT), "a"))).isTrue();
        assertThat(own.admits(new Caller("acme", "k", Set.of(Role.SUPERVISOR), null))).isFalse();
        assertThat(own.admits(null)).isFalse();
    }
}
