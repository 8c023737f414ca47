package io.musubi.connector.asterisk.internal;

import io.musubi.model.ScopedId;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the hub's agents map to the PBX: each agent has an extension ({@code agents = hanako=1001}, or the agent id itself
 * when no mapping is configured and the id is a valid extension), and templates turn the extension into the agent's
 * phone device ({@code PJSIP/{ext}}: its device state), the extension that rings it in the route context, its dial
 * string (click-to-dial, monitoring) and its queue member interface (pbx-routed). The reverse (a device or a queue
 * member to an agent) uses the same templates.
 */
final class AgentDirectory {

    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final String tenantId;
    private final Map<String, String> extensionByAgent;
    private final Map<String, String> agentByExtension = new HashMap<>();
    private final Template device;
    private final Template route;
    private final Template dial;
    private final Template member;

    AgentDirectory(String tenantId, Map<String, String> agents, String deviceTemplate, String routeTemplate,
                   String dialTemplate, String memberTemplate) {
        this.tenantId = tenantId;
        this.extensionByAgent = Map.copyOf(agents);
        agents.forEach((agent, ext) -> {
            if (!ScopedId.isValidLocal(agent)) {
                throw new IllegalArgumentException("agents: " + agent + " is not a valid agent id");
            }
            if (!EXTENSION.matcher(ext).matches()) {
                throw new IllegalArgumentException("agents: extensions are 1 to 32 of letters, digits, _ and -");
            }
            if (agentByExtension.put(ext.toLowerCase(Locale.ROOT), agent) != null) {
                throw new IllegalArgumentException("agents: two agents have one extension");
            }
        });
        this.device = new Template(deviceTemplate, "deviceTemplate");
        this.route = new Template(routeTemplate, "routeExtensionTemplate");
        this.dial = new Template(dialTemplate, "dialTemplate");
        this.member = new Template(memberTemplate, "memberInterfaceTemplate");
        AmiValues.name(route.apply("1000"), "routeExtensionTemplate");
        AmiValues.dial(device.apply("1000"), "deviceTemplate");
        AmiValues.dial(dial.apply("1000"), "dialTemplate");
        AmiValues.dial(member.apply("1000"), "memberInterfaceTemplate");
    }

    int explicitCount() {
        return extensionByAgent.size();
    }

    String deviceTemplate() {
        return device.text;
    }

    /** Whether agents are mapped explicitly (else every agent whose id is an extension is one). */
    boolean explicit() {
        return !extensionByAgent.isEmpty();
    }

    /** The extension of an agent (scoped id of this tenant). */
    Optional<String> extension(String scopedAgentId) {
        if (!ScopedId.belongsTo(scopedAgentId, tenantId)) {
            return Optional.empty();
        }
        String local = ScopedId.localOf(scopedAgentId);
        if (!extensionByAgent.isEmpty()) {
            return Optional.ofNullable(extensionByAgent.get(local));
        }
        return EXTENSION.matcher(local).matches() ? Optional.of(local) : Optional.empty();
    }

    /** The agent (scoped id) with this extension. */
    Optional<String> agentOfExtension(String ext) {
        if (ext == null || !EXTENSION.matcher(ext).matches()) {
            return Optional.empty();
        }
        if (!extensionByAgent.isEmpty()) {
            return Optional.ofNullable(agentByExtension.get(ext.toLowerCase(Locale.ROOT)))
                    .map(a -> ScopedId.of(tenantId, a));
        }
        return ScopedId.isValidLocal(ext) ? Optional.of(ScopedId.of(tenantId, ext)) : Optional.empty();
    }

    /** The agent whose phone is this device ({@code PJSIP/1001}). */
    Optional<String> agentOfDevice(String deviceName) {
        return device.extensionOf(deviceName).flatMap(this::agentOfExtension);
    }

    /** The agent behind a channel of its phone ({@code PJSIP/1001-0000002a}, {@code Local/1001@agents-00000001;1}). */
    Optional<String> agentOfChannel(String channel) {
        if (channel == null) {
            return Optional.empty();
        }
        int dash = channel.lastIndexOf('-');
        String base = dash > 0 ? channel.substring(0, dash) : channel;
        for (Template t : List.of(device, member, dial)) {
            Optional<String> agent = t.extensionOfChannel(base).flatMap(this::agentOfExtension);
            if (agent.isPresent()) {
                return agent;
            }
        }
        return Optional.empty();
    }

    /** The agent of a queue member interface ({@code PJSIP/1001}, {@code Local/1001@agents/n}). */
    Optional<String> agentOfMemberInterface(String iface) {
        return member.extensionOf(iface).flatMap(this::agentOfExtension);
    }

    String device(String ext) {
        return device.apply(ext);
    }

    String routeExtension(String ext) {
        return route.apply(ext);
    }

    String dial(String ext) {
        return dial.apply(ext);
    }

    String memberInterface(String ext) {
        return member.apply(ext);
    }

    /** A text with one {@code {ext}}. */
    private static final class Template {
        final String text;
        final String prefix;
        final String suffix;

        Template(String text, String setting) {
            if (text == null || !text.contains("{ext}") || text.indexOf("{ext}") != text.lastIndexOf("{ext}")) {
                throw new IllegalArgumentException(setting + " must contain {ext} once");
            }
            this.text = text;
            this.prefix = text.substring(0, text.indexOf("{ext}"));
            this.suffix = text.substring(text.indexOf("{ext}") + 5);
        }

        String apply(String ext) {
            return prefix + ext + suffix;
        }

        /**
         * The extension in a channel's name without its sequence ({@code PJSIP/1001}, {@code Local/1001@agents}):
         * a Local template's options ({@code /n}) are not part of channel names.
         */
        Optional<String> extensionOfChannel(String base) {
            Optional<String> ext = extensionOf(base);
            int slash = suffix.indexOf('/');
            if (ext.isPresent() || slash < 0) {
                return ext;
            }
            return new Template(prefix + "{ext}" + suffix.substring(0, slash), "template").extensionOf(base);
        }

        Optional<String> extensionOf(String value) {
            if (value == null || value.length() <= prefix.length() + suffix.length()
                    || !value.regionMatches(true, 0, prefix, 0, prefix.length())
                    || !value.regionMatches(true, value.length() - suffix.length(), suffix, 0, suffix.length())) {
                return Optional.empty();
            }
            String ext = value.substring(prefix.length(), value.length() - suffix.length());
            return EXTENSION.matcher(ext).matches() ? Optional.of(ext) : Optional.empty();
        }
    }
}
