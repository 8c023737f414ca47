package io.musubi.shell.internal;

import io.musubi.acd.AcdEngine;
import io.musubi.model.ScopedId;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Agent and queue ids as a supervisor types them in the console. The engine holds tenant-scoped ids
 * ({@code acme/alice}); the console user belongs to no tenant, so a plain id means the hub's default tenant:
 * {@code alice} is {@code default/alice}, and {@code acme/alice} is taken as it is. (An engine id without a tenant
 * is still found by its plain id.)
 */
final class ConsoleIds {

    /** The tenant of the first admin key and of connectors without a tenant setting. */
    static final String DEFAULT_TENANT = "default";

    private ConsoleIds() {
    }

    /** The engine's id of the agent {@code typed} names. */
    static String agent(AcdEngine acd, String typed) {
        return resolve(typed, id -> acd.agent(id).isPresent());
    }

    /** The engine's id of the queue {@code typed} names. */
    static String queue(AcdEngine acd, String typed) {
        return resolve(typed, id -> acd.queueStatistics(id).isPresent());
    }

    static String resolve(String typed, Predicate<String> exists) {
        String id = typed == null ? "" : typed.strip();
        if (id.indexOf(ScopedId.SEPARATOR) >= 0) {
            return id;
        }
        String scoped = DEFAULT_TENANT + ScopedId.SEPARATOR + id;
        if (!exists.test(scoped) && exists.test(id)) {
            return id;
        }
        return scoped;
    }

    /** How the console offers an id for completion: plain in the default tenant, scoped in any other. */
    static String shown(String engineId) {
        return ScopedId.belongsTo(engineId, DEFAULT_TENANT) ? ScopedId.localOf(engineId) : engineId;
    }

    /**
     * The ids a glob ({@code *}, {@code ?}) selects: with a {@code /} it is matched against the whole scoped id
     * ({@code acme/*}, or {@code *}{@code /alice} for every tenant's alice); without, against the ids of the
     * default tenant (and unscoped ids).
     * Null, empty or {@code *} selects everything.
     */
    static Predicate<String> glob(String glob) {
        if (glob == null || glob.isEmpty() || glob.equals("*")) {
            return id -> true;
        }
        Pattern p = AcdViews.glob(glob);
        if (glob.indexOf(ScopedId.SEPARATOR) >= 0) {
            return id -> p.matcher(id).matches();
        }
        return id -> (ScopedId.belongsTo(id, DEFAULT_TENANT) || id.indexOf(ScopedId.SEPARATOR) < 0)
                && p.matcher(ScopedId.localOf(id)).matches();
    }
}
