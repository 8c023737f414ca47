package io.musubi.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.model.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Definitions take names by the model's input rules, whoever builds them (the REST API checks first). */
class DefinitionInputTest {

    @Test
    void agentNamesSkillsAndTeamsFollowTheNameRule() {
        AgentDefinition ok = AgentDefinition.builder("t/a").name("  山田 太郎 ").skill(" ja ", 5).team("night")
                .build();
        assertThat(ok.name()).isEqualTo("山田 太郎");
        assertThat(ok.skillLevel("ja")).isEqualTo(5);

        assertThatThrownBy(() -> AgentDefinition.builder("t/a").name("Eve\r\nbob AVAILABLE"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("name:");
        assertThatThrownBy(() -> AgentDefinition.builder("t/a").name("n".repeat(129)))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("name: at most 128");
        assertThatThrownBy(() -> AgentDefinition.builder("t/a").skill("ja\u202E", 5))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("skills:");
        assertThatThrownBy(() -> AgentDefinition.builder("t/a").team(" "))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("teams:");
    }

    @Test
    void queueNamesSkillsAndStrategiesFollowTheRules() {
        assertThatThrownBy(() -> QueueDefinition.builder("t/q").name("Support\u0000"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("name:");
        assertThatThrownBy(() -> QueueDefinition.builder("t/q").requireSkill("x".repeat(65), 1))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("requiredSkills:");
        assertThatThrownBy(() -> QueueDefinition.builder("t/q").strategy("best skill"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("strategy:");
    }
}
