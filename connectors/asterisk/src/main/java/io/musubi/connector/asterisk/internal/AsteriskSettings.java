package io.musubi.connector.asterisk.internal;

import io.musubi.model.ScopedId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The configuration of one PBX, validated and typed. Every name that goes into an AMI action (contexts, extensions,
 * templates) is checked here, once, so that an action is only ever built from values that passed an allow-list. The
 * AMI secret is kept out of {@link #toString()} and {@link #describe()}.
 */
final class AsteriskSettings {

    /** Who picks the agent. */
    enum Mode {
        /** The hub's ACD: calls wait in a holding place and are redirected to the agent the ACD chose. */
        HUB_ROUTED,
        /** Asterisk's app_queue: the hub records the queue's events and steers agents' pause state. */
        PBX_ROUTED;

        static Mode parse(String value) {
            return switch (value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "hub-routed", "hub" -> HUB_ROUTED;
                case "pbx-routed", "pbx" -> PBX_ROUTED;
                default -> throw new IllegalArgumentException("mode must be hub-routed or pbx-routed");
            };
        }

        String wireName() {
            return this == HUB_ROUTED ? "hub-routed" : "pbx-routed";
        }
    }

    final String id;
    final String tenantId;
    final Mode mode;
    final String host;
    final int port;
    final boolean tls;
    final String username;
    private final String secret;
    final String secretSource;
    final String holdContext;
    final String holdExtension;
    final String agentHoldExtension;
    final String routeContext;
    final String transferContext;
    final String outboundContext;
    final AgentDirectory agents;
    final List<String> memberQueues;
    final Map<String, String> queueMap;
    final Set<String> ivrVariables;
    final Map<String, String> choiceQueues;
    final String defaultQueue;
    final String recordingDirectory;
    final String voicemailContext;
    final String voicemailExtension;
    final String supervisorDialTemplate;
    final Duration ping;
    final Duration responseTimeout;
    final Duration reconnect;
    final Duration reconnectMax;
    final Duration memberSync;

    private AsteriskSettings(AsteriskConfiguration c, UnaryOperator<String> env) {
        this.id = AmiValues.name(c.id(), "id");
        if (!ScopedId.isValidTenant(c.tenantId())) {
            throw new IllegalArgumentException("tenantId is not a valid tenant id");
        }
        this.tenantId = c.tenantId();
        this.mode = Mode.parse(c.mode());
        if (c.host() == null || !c.host().matches("[A-Za-z0-9.:-]{1,253}")) {
            throw new IllegalArgumentException("host must be a host name or an address");
        }
        this.host = c.host();
        if (c.port() < 1 || c.port() > 65535) {
            throw new IllegalArgumentException("port must be 1..65535");
        }
        this.port = c.port();
        this.tls = c.tls();
        this.username = AmiValues.name(c.username(), "username");
        if (c.secretFile() != null && !c.secretFile().isBlank()) {
            this.secret = readSecretFile(Path.of(c.secretFile()));
            this.secretSource = "file";
        } else if (c.secretEnv() != null && !c.secretEnv().isBlank()) {
            String v = env.apply(c.secretEnv());
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("secretEnv names an environment variable that is not set");
            }
            this.secret = v.strip();
            this.secretSource = "env";
        } else {
            throw new IllegalArgumentException("set secretFile (an owner-only file) or secretEnv for the AMI secret");
        }
        if (secret.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the AMI secret must not contain control characters");
        }
        this.holdContext = AmiValues.name(c.holdContext(), "holdContext");
        this.holdExtension = AmiValues.name(c.holdExtension(), "holdExtension");
        this.agentHoldExtension = AmiValues.name(c.agentHoldExtension(), "agentHoldExtension");
        this.routeContext = AmiValues.name(c.routeContext(), "routeContext");
        this.transferContext = AmiValues.name(c.transferContext(), "transferContext");
        this.outboundContext = AmiValues.name(c.outboundContext(), "outboundContext");
        this.agents = new AgentDirectory(tenantId, pairs(c.agents(), "agents"), c.deviceTemplate(),
                c.routeExtensionTemplate(), c.dialTemplate(), c.memberInterfaceTemplate());
        this.memberQueues = list(c.memberQueues()).stream().map(q -> AmiValues.name(q, "memberQueues")).toList();
        this.queueMap = pairs(c.queueMap(), "queueMap");
        this.ivrVariables = Set.copyOf(list(c.ivrVariables()).stream()
                .map(v -> AmiValues.name(v, "ivrVariables")).toList());
        this.choiceQueues = pairs(c.choiceQueues(), "choiceQueues");
        this.defaultQueue = c.defaultQueue() == null ? "" : c.defaultQueue().trim();
        if (!defaultQueue.isEmpty() && !ScopedId.isValidLocal(defaultQueue)) {
            throw new IllegalArgumentException("defaultQueue is not a valid queue id");
        }
        this.recordingDirectory = AmiValues.path(c.recordingDirectory(), "recordingDirectory");
        this.voicemailContext = c.voicemailContext() == null || c.voicemailContext().isBlank() ? ""
                : AmiValues.name(c.voicemailContext(), "voicemailContext");
        this.voicemailExtension = AmiValues.name(c.voicemailExtension(), "voicemailExtension");
        AmiValues.dial(c.supervisorDialTemplate().replace("{ext}", "1000"), "supervisorDialTemplate");
        this.supervisorDialTemplate = c.supervisorDialTemplate();
        this.ping = Duration.ofSeconds(Math.max(1, c.pingSeconds()));
        this.responseTimeout = Duration.ofMillis(Math.max(100, c.responseTimeoutMillis()));
        this.reconnect = Duration.ofMillis(Math.max(10, c.reconnectMillis()));
        this.reconnectMax = Duration.ofMillis(Math.max(c.reconnectMillis(), c.reconnectMaxMillis()));
        this.memberSync = Duration.ofSeconds(Math.max(1, c.memberSyncSeconds()));
    }

    static AsteriskSettings from(AsteriskConfiguration c) {
        return new AsteriskSettings(c, System::getenv);
    }

    static AsteriskSettings from(AsteriskConfiguration c, UnaryOperator<String> env) {
        return new AsteriskSettings(c, env);
    }

    /** The AMI secret; only the login uses it. */
    String secret() {
        return secret;
    }

    /** The Musubi queue (local id) of an Asterisk queue: mapped, else the same name. */
    String musubiQueueOf(String asteriskQueue) {
        return queueMap.getOrDefault(asteriskQueue, asteriskQueue);
    }

    /** A supervisor's phone as a dial string. */
    String supervisorDial(String extension) {
        return AmiValues.dial(supervisorDialTemplate.replace("{ext}", extension), "supervisorDialTemplate");
    }

    /** What operators see; never the secret. */
    Map<String, String> describe() {
        Map<String, String> d = new TreeMap<>();
        d.put("id", id);
        d.put("tenantId", tenantId);
        d.put("mode", mode.wireName());
        d.put("host", host);
        d.put("port", Integer.toString(port));
        d.put("tls", Boolean.toString(tls));
        d.put("username", username);
        d.put("secret", "**** (" + secretSource + ")");
        d.put("holdContext", holdContext + "," + holdExtension);
        d.put("routeContext", routeContext);
        d.put("transferContext", transferContext);
        d.put("outboundContext", outboundContext);
        d.put("agents", Integer.toString(agents.explicitCount()));
        d.put("deviceTemplate", agents.deviceTemplate());
        d.put("memberQueues", String.join(",", memberQueues));
        d.put("voicemailContext", voicemailContext);
        return d;
    }

    @Override
    public String toString() {
        return "AsteriskSettings[id=" + id + ", tenant=" + tenantId + ", mode=" + mode.wireName() + ", host=" + host
                + ", port=" + port + ", user=" + username + "]";
    }

    /**
     * The entries of a list setting: an array (a {@code .config} file) or comma-separated values (a {@code .cfg} file
     * gives one string).
     */
    static List<String> list(String[] values) {
        List<String> out = new java.util.ArrayList<>();
        for (String v : values == null ? new String[0] : values) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static Map<String, String> pairs(String[] values, String setting) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String e : list(values)) {
            if (e == null || e.isBlank()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new IllegalArgumentException(setting + " entries are key=value");
            }
            m.put(AmiValues.name(e.substring(0, eq).trim(), setting), AmiValues.name(e.substring(eq + 1).trim(),
                    setting));
        }
        return Map.copyOf(m);
    }

    /** Reads a secret from a file only its owner can read; a file others can read is refused. */
    static String readSecretFile(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("secretFile does not name a readable file");
            }
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)
                        || perms.contains(PosixFilePermission.GROUP_WRITE)
                        || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                    throw new IllegalArgumentException("secretFile must be readable by its owner only (chmod 600)");
                }
            } catch (UnsupportedOperationException notPosix) {
                // a file system without POSIX permissions: the operator's access control applies
            }
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (s.isEmpty()) {
                throw new IllegalArgumentException("secretFile is empty");
            }
            return s;
        } catch (IOException e) {
            throw new IllegalArgumentException("secretFile could not be read: " + e.getClass().getSimpleName());
        }
    }
}
