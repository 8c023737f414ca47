package io.musubi.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.history.LinkNonceRepository.IssuedNonce;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The contract of the account-link nonces: single use, expiry, tenant scope, and a redelivery answered alike. */
abstract class AbstractLinkNonceRepositoryTest extends AbstractHistoryTest {

    @Test
    void aNonceLinksOnceAndARedeliveryOfTheSameEventGetsTheSameAnswer() {
        LinkNonceRepository nonces = history.linkNonces();
        IssuedNonce issued = nonces.issue(tenant, "c-1", T0.plusSeconds(600));
        assertThat(issued.nonce()).matches("[A-Za-z0-9_-]{43}");
        assertThat(issued.toString()).doesNotContain(issued.nonce());

        assertThat(nonces.use(tenant, issued.nonce(), "line.main/ev-1", T0.plusSeconds(10))).contains("c-1");
        assertThat(nonces.use(tenant, issued.nonce(), "line.main/ev-1", T0.plusSeconds(20)))
                .as("the same event again").contains("c-1");
        assertThat(nonces.use(tenant, issued.nonce(), "line.main/ev-2", T0.plusSeconds(30)))
                .as("another event").isEmpty();
    }

    @Test
    void anExpiredUnknownOrForeignNonceLinksNothing() {
        LinkNonceRepository nonces = history.linkNonces();
        IssuedNonce issued = nonces.issue(tenant, "c-2", T0.plusSeconds(600));
        assertThat(nonces.use(tenant, issued.nonce(), "e", T0.plus(Duration.ofSeconds(601)))).isEmpty();
        assertThat(nonces.use(tenant, "no-such-nonce", "e", T0)).isEmpty();
        IssuedNonce other = nonces.issue(tenant, "c-3", T0.plusSeconds(600));
        assertThat(nonces.use("other-" + tenant, other.nonce(), "e", T0)).isEmpty();
        assertThat(nonces.use(tenant, other.nonce(), "e", T0)).as("still unused in its own tenant").contains("c-3");
    }

    @Test
    void nonceUsesSurviveARestartAndExpiredOnesArePurged() {
        IssuedNonce used = history.linkNonces().issue(tenant, "c-4", T0.plusSeconds(60));
        history.linkNonces().use(tenant, used.nonce(), "e-1", T0);
        IssuedNonce stale = history.linkNonces().issue(tenant, "c-5", T0.plusSeconds(60));
        restart();
        assertThat(history.linkNonces().use(tenant, used.nonce(), "e-2", T0)).isEmpty();
        assertThat(history.linkNonces().purgeExpiredBefore(T0.plusSeconds(61))).isGreaterThanOrEqualTo(2);
        assertThat(history.linkNonces().use(tenant, stale.nonce(), "e-3", T0)).isEmpty();
    }
}
