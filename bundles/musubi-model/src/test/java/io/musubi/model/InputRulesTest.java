package io.musubi.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class InputRulesTest {

    /** Characters that let a name rewrite a console table, forge a log line or display reversed. */
    static final List<String> SPOOFING = List.of("\u0000", "\r", "\n", "\t", "\u001B", "\u007F", "\u0085", "\u009B",
            "\u2028", "\u2029", "\u061C", "\u200E", "\u200F", "\u202A", "\u202B", "\u202C", "\u202D", "\u202E",
            "\u2066", "\u2067", "\u2068", "\u2069", "\uD800", "\uDC00");

    @Test
    void identifiersAreOneTo64OfTheIdCharacters() {
        assertThat(InputRules.isId("alice")).isTrue();
        assertThat(InputRules.isId("a.b_c@d-1")).isTrue();
        assertThat(InputRules.isId("a".repeat(64))).isTrue();

        assertThat(InputRules.isId("a".repeat(65))).isFalse();
        assertThat(InputRules.isId("")).isFalse();
        assertThat(InputRules.isId(null)).isFalse();
        assertThat(InputRules.isId("-alice")).isFalse();
        assertThat(InputRules.isId("ali ce")).isFalse();
        assertThat(InputRules.isId("a/b")).isFalse();
        assertThat(InputRules.isId("a:b")).isFalse();
        assertThat(InputRules.isId("álice")).isFalse();
        assertThat(InputRules.isId("alice\n")).isFalse();
        assertThat(ScopedId.isValidLocal("a".repeat(65))).isFalse();
    }

    @Test
    void anInvalidIdNamesTheFieldAndTheRuleButNotTheValue() {
        assertThatThrownBy(() -> InputRules.id("agentId", "x".repeat(65)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("agentId: 1 to 64 of letters, digits, '.', '_', '@', '-', starting with a letter or digit")
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("agentId"));
    }

    @Test
    void referencesAllowColonsAndUpTo128() {
        assertThat(InputRules.isReference("i-0b5c7a9e-5c1e-3d3f-9a57-1c4f0c2b7b10:callback:2")).isTrue();
        assertThat(InputRules.isReference("r".repeat(128))).isTrue();
        assertThat(InputRules.isReference("r".repeat(129))).isFalse();
        assertThat(InputRules.isReference("i 1")).isFalse();
        assertThat(InputRules.isReference(":x")).isFalse();
    }

    @Test
    void namesAreStrippedAndMayHoldAnyPrintableUnicode() {
        assertThat(InputRules.name("name", "  Alice Smith ", 128)).isEqualTo("Alice Smith");
        assertThat(InputRules.name("name", "山田 太郎", 128)).isEqualTo("山田 太郎");
        assertThat(InputRules.name("name", "محمد", 128)).isEqualTo("محمد");
        assertThat(InputRules.name("name", "👩‍💻 Team", 128)).isEqualTo("👩‍💻 Team");
        assertThat(InputRules.optionalName("name", null, 128)).isEmpty();
        assertThat(InputRules.optionalName("name", "   ", 128)).isEmpty();
    }

    @Test
    void namesRefuseEveryControlSeparatorBidiAndLoneSurrogateCharacter() {
        for (String bad : SPOOFING) {
            String hex = String.format("%04X", (int) bad.charAt(0));
            assertThatThrownBy(() -> InputRules.name("name", "Al" + bad + "ice", 128))
                    .as("U+" + hex)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("name: must not contain control, line separator or bidirectional formatting "
                            + "characters (U+" + hex + " at position 2)");
            assertThat(InputRules.isNameCharacter(bad.codePointAt(0))).as("U+" + hex).isFalse();
        }
    }

    @Test
    void surrogatePairsAreNotLoneSurrogates() {
        assertThat(InputRules.name("name", "\uD83D\uDE00", 128)).isEqualTo("😀");
        assertThatThrownBy(() -> InputRules.name("name", "a\uDE00\uD83D", 128))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void namesHaveAMaximumLengthAfterStripping() {
        assertThat(InputRules.name("name", " " + "n".repeat(128) + " ", 128)).hasSize(128);
        assertThatThrownBy(() -> InputRules.name("name", "n".repeat(1_000_000), 128))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("name: at most 128 characters, got 1000000");
        assertThatThrownBy(() -> InputRules.name("name", "  ", 128))
                .hasMessage("name: required, 1 to 128 characters");
        assertThatThrownBy(() -> InputRules.name("name", null, 128))
                .hasMessage("name: required, 1 to 128 characters");
    }

    @Test
    void freeTextKeepsLineBreaksTabsAndBidiMarksButRefusesOtherControls() {
        String prose = " Hello,\r\n\tالسلام عليكم \u200F(ok)\u2028end ";
        assertThat(InputRules.text("text", prose, 100)).isEqualTo(prose);
        assertThat(InputRules.text("text", null, 100)).isEmpty();
        for (String bad : List.of("\u0000", "\u001B", "\u007F", "\u0085", "\uD800")) {
            assertThatThrownBy(() -> InputRules.text("text", "a" + bad, 100))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith("text: must not contain control characters other than line breaks");
        }
        assertThatThrownBy(() -> InputRules.text("text", "x".repeat(101), 100))
                .hasMessage("text: at most 100 characters, got 101");
        assertThatThrownBy(() -> InputRules.requiredText("text", " \n ", 100))
                .hasMessage("text: required, 1 to 100 characters");
    }

    @Test
    void printableEscapesWhatANameMayNotHold() {
        assertThat(InputRules.printable("Alice")).isEqualTo("Alice");
        assertThat(InputRules.printable("Eve\u202E\r\nroot")).isEqualTo("Eve\\u202E\\u000D\\u000Aroot");
        assertThat(InputRules.printable(null)).isEmpty();
    }

    @Test
    void addressesHaveALimitAndRefuseSpoofingCharacters() {
        assertThat(Address.parse("webchat:" + "v".repeat(504)).uri()).hasSize(512);
        assertThatThrownBy(() -> Address.parse("webchat:" + "v".repeat(505)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an address is at most 512 characters");
        assertThatThrownBy(() -> Address.parse("tel:" + "1".repeat(100_000)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Address.parse("webchat:visitor\u202E42"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inboundThreadKeysFollowTheNameRule() {
        assertThatThrownBy(() -> new InboundEvent("e1", "api", "t1", Channel.CUSTOM, InteractionEventType.ARRIVED,
                Address.parse("webchat:v"), null, "thread\r\nforged", null, java.util.Map.of(),
                java.time.Instant.EPOCH)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("threadKey: must not contain");
    }
}
