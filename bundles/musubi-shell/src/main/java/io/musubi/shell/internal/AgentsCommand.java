package io.musubi.shell.internal;

import io.musubi.acd.AcdEngine;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.io.PrintStream;

/** {@code musubi:agents}: state, time in state, load per channel and occupancy of the ACD's agents. */
@Service
@Command(scope = "musubi", name = "agents", description = "Lists the ACD's agents: state, time in state, load per"
        + " channel, occupancy")
public class AgentsCommand implements Action {

    @Reference
    AcdEngine acd;

    @Argument(index = 0, name = "agent", description = "Agent id or glob (* and ?), in tenant default unless"
            + " scoped (acme/alice, acme/*); all agents if omitted")
    @Completion(AgentIdCompleter.class)
    String agent;

    @Option(name = "--state", aliases = "-s", description = "Only agents in this effective state (AVAILABLE, BUSY,"
            + " WRAP_UP, AWAY, ...)")
    @Completion(PresenceStateCompleter.All.class)
    String state;

    @Option(name = "--logged-in", aliases = "-l", description = "Hide OFFLINE agents")
    boolean loggedIn;

    @Option(name = "--verbose", aliases = "-v", description = "Also routable channels, handled, offered and assigned"
            + " counts")
    boolean verbose;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        var selected = AcdViews.selectAgents(acd.agents(), state == null ? null : PresenceArgs.parseAnyState(state),
                loggedIn, agent);
        AcdViews.agentTable(selected, verbose).print(out);
        return null;
    }
}
