package io.musubi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.model.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressNormalizerTest {

    private final AddressNormalizer jp = new AddressNormalizer("JP");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tel:03-1234-5678            | tel:+81312345678",
        "tel:0312345678              | tel:+81312345678",
        "tel:+81 3 1234 5678         | tel:+81312345678",
        "tel:+81-3-1234-5678;ext=12  | tel:+81312345678",
        "tel:(03) 1234-5678          | tel:+81312345678",
        "tel:０３ー１２３４ー５６７８    | tel:+81312345678",
        "tel:090-1234-5678           | tel:+819012345678",
        "tel:+1 (650) 253-0000       | tel:+16502530000",
        "TEL:010-1-650-253-0000      | tel:+16502530000",
        "fax:06-6123-4567            | fax:+81661234567",
        "sms:080 1111 2222           | sms:+818011112222",
    })
    void phoneAndFaxNumbersBecomeE164(String raw, String expected) {
        assertThat(jp.normalize(raw)).isEqualTo(Address.parse(expected));
    }

    @Test
    void defaultRegionDecidesNationalNumbers() {
        AddressNormalizer us = new AddressNormalizer("us");

        assertThat(us.normalize("tel:(650) 253-0000").uri()).isEqualTo("tel:+16502530000");
        assertThat(us.normalize("tel:+81312345678").uri()).isEqualTo("tel:+81312345678");
        assertThat(us.defaultRegion()).isEqualTo("US");
        assertThatThrownBy(() -> new AddressNormalizer("XX")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tel:anonymous", "tel:Restricted", "tel:unknown", "tel:非通知", "tel:公衆電話", "tel:P",
        "fax:Private", "tel:;phone-context=x"})
    void withheldCallersAreRefused(String raw) {
        assertThatThrownBy(() -> jp.normalize(raw))
                .isInstanceOfSatisfying(InvalidAddressException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidAddressException.Reason.ANONYMOUS));
    }

    @Test
    void impossibleAndMalformedNumbersAreRefusedWithoutQuotingThem() {
        assertThatThrownBy(() -> jp.normalize("tel:12"))
                .isInstanceOfSatisfying(InvalidAddressException.class,
                        e -> assertThat(e.reason()).isIn(InvalidAddressException.Reason.IMPOSSIBLE_NUMBER,
                                InvalidAddressException.Reason.MALFORMED))
                .hasMessageNotContaining("12");
        assertThatThrownBy(() -> jp.normalize("tel:call-me-maybe"))
                .isInstanceOfSatisfying(InvalidAddressException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidAddressException.Reason.MALFORMED))
                .hasMessageNotContaining("maybe");
        assertThatThrownBy(() -> jp.normalize("nonsense")).isInstanceOf(InvalidAddressException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mailto:Taro.Yamada@Example.JP                  | mailto:Taro.Yamada@example.jp",
        "mailto: taro@EXAMPLE.jp                        | mailto:taro@example.jp",
        "mailto:Taro Yamada <taro@Example.jp>           | mailto:taro@example.jp",
        "mailto:taro@example.jp?subject=Order%201       | mailto:taro@example.jp",
        "mailto:taro@例え.jp                             | mailto:taro@xn--r8jz45g.jp",
        "MAILTO:taro@example.jp.                        | mailto:taro@example.jp",
    })
    void mailDomainsAreLowerCasedAndLocalPartsKept(String raw, String expected) {
        assertThat(jp.normalize(raw)).isEqualTo(Address.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mailto:no-at-sign", "mailto:@example.jp", "mailto:taro@", "mailto:ta ro@example.jp"})
    void malformedMailIsRefused(String raw) {
        assertThatThrownBy(() -> jp.normalize(raw)).isInstanceOf(InvalidAddressException.class);
    }

    @Test
    void lineWebchatAndSocialKeepTheirIds() {
        assertThat(jp.normalize("line: U4af4980629abcdef0123456789abcdef ").uri())
                .isEqualTo("line:U4af4980629abcdef0123456789abcdef");
        assertThat(jp.normalize("webchat:Visitor-42").uri()).isEqualTo("webchat:Visitor-42");
        assertThat(jp.normalize("social:Messenger:1234567890").uri()).isEqualTo("social:messenger:1234567890");
        assertThat(jp.normalize("social:instagram: 17841400000000000").uri())
                .isEqualTo("social:instagram:17841400000000000");
        assertThat(jp.normalize(Address.of("custom", " vendor-7 ")).uri()).isEqualTo("custom:vendor-7");
        assertThatThrownBy(() -> jp.normalize("social:messenger")).isInstanceOf(InvalidAddressException.class);
        assertThatThrownBy(() -> jp.normalize("social::123")).isInstanceOf(InvalidAddressException.class);
        assertThatThrownBy(() -> jp.normalize("line:U1 U2")).isInstanceOf(InvalidAddressException.class);
    }

    @Test
    void normalisingTwiceChangesNothing() {
        for (String raw : new String[] {"tel:03-1234-5678", "mailto:A@B.JP", "social:X:abc", "line:Uabc", "fax:+1 650 253 0000"}) {
            Address once = jp.normalize(raw);
            assertThat(jp.normalize(once)).isEqualTo(once);
        }
    }
}
