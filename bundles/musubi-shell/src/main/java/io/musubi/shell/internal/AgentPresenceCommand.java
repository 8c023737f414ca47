package io.musubi.shell.internal;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.AgentStatus;
import io.musubi.model.PresenceState;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * {@code musubi:agent-presence}: a supervisor sets an agent's presence. The change is a PresenceChange event with
 * actor {@code supervisor:<console user>}, like one from the supervisor UI.
 */
@Service
@Command(scope = "musubi", name = "agent-presence", description = "Sets an agent's presence as a supervisor"
        + " (e.g. AVAILABLE, AWAY --reason break, OFFLINE)",
        detailedDescription = "BUSY cannot be set (the ACD derives it). Going OFFLINE withdraws the agent's offers"
                + " and releases the interactions waiting for it. Away reasons may be restricted by the ACD's"
                + " configuration (awayReasons).")
public class AgentPresenceCommand implements Action {

    @Reference
    AcdEngine acd;

    @Argument(index = 0, name = "agent", description = "Agent id: alice (tenant default) or acme/alice",
            required = true)
    @Completion(AgentIdCompleter.class)
    String agent;

    @Argument(index = 1, name = "state", description = "New presence state", required = true)
    @Completion(PresenceStateCompleter.class)
    String state;

    @Option(name = "--reason", aliases = "-r", description = "Reason code recorded with the change (e.g. break,"
            + " lunch, training, supervisor)")
    String reason;

    PrintStream out = System.out;
    Supplier<String> user = ShellUtil::getCurrentUserName;

    @Override
    public Object execute() {
        PresenceState s = PresenceArgs.parseState(state);
        String id = ConsoleIds.agent(acd, agent);
        acd.setPresence(id, s, reason == null ? "" : reason, PresenceArgs.actor(user.get()));
        AgentStatus now = acd.agent(id).orElseThrow();
        out.println(PresenceArgs.describe(now));
        return null;
    }
}
