package io.musubi.identity;

import io.musubi.model.InputRules;
import java.util.Map;
import java.util.Set;

/**
 * What an {@link EnrichmentHook} knows about a customer. Applied additively: a non-empty name replaces the shown
 * name, tags are added (never removed), references are set per system.
 *
 * @param displayName  the name to show agents, or empty to leave it; a name by the model's {@link InputRules} (one
 *                     line, no control or bidirectional formatting characters, at most
 *                     {@value InputRules#NAME_MAX} characters): a hook that returns another is skipped
 * @param tags         tags to add, e.g. {@code vip}
 * @param externalRefs references to set, e.g. {@code salesforce -> 0035g00000XyZ}
 */
public record Enrichment(String displayName, Set<String> tags, Map<String, String> externalRefs) {

    public Enrichment {
        displayName = InputRules.optionalName("displayName", displayName, InputRules.NAME_MAX);
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        externalRefs = externalRefs == null ? Map.of() : Map.copyOf(externalRefs);
    }

    public static Enrichment none() {
        return new Enrichment("", Set.of(), Map.of());
    }

    public boolean isEmpty() {
        return displayName.isEmpty() && tags.isEmpty() && externalRefs.isEmpty();
    }

    @Override
    public String toString() {
        return "Enrichment[displayName=" + (displayName.isEmpty() ? "" : "***") + ", tags=" + tags
                + ", externalRefs=" + externalRefs.keySet() + "]";
    }
}
