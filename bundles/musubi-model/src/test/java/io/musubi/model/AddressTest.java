package io.musubi.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressTest {

    @Test
    void parsesAndPrintsTheUriForm() {
        Address a = Address.parse("social:messenger:1234567890");
        assertThat(a.scheme()).isEqualTo("social");
        assertThat(a.value()).isEqualTo("messenger:1234567890");
        assertThat(a.uri()).isEqualTo("social:messenger:1234567890");
        assertThat(a).isEqualTo(Address.of("SOCIAL", "messenger:1234567890"));
    }

    @Test
    void rejectsMalformedAddresses() {
        assertThatThrownBy(() -> Address.parse("no-colon")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Address.parse("tel:")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Address.of("te l", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Address.of("tel", "+81\n3")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maskedFormHidesTheIdentity() {
        Address a = Address.parse("tel:+81312345678");
        assertThat(a.masked()).isEqualTo("tel:***78").doesNotContain("3123456");
    }

    @Test
    void customerAndMessageToStringCarryNoPii() {
        Customer c = new Customer("t1", "c1", "Yamada Taro", java.util.Set.of(Address.parse("tel:+81312345678")),
                java.util.Map.of(), java.util.Set.of("vip"));
        assertThat(c.toString()).doesNotContain("Yamada").doesNotContain("+8131");
        assertThat(c.isVip()).isTrue();
        assertThat(MessageContent.text("my card is 4111").toString()).doesNotContain("4111");
    }
}
