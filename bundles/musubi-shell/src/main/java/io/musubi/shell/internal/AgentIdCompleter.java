package io.musubi.shell.internal;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.AgentStatus;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import java.util.List;

/** Completes agent ids from the engine: plain in the default tenant, scoped in the others. */
@Service
public class AgentIdCompleter implements Completer {

    @Reference
    AcdEngine acd;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        for (AgentStatus a : acd.agents()) {
            delegate.getStrings().add(ConsoleIds.shown(a.agentId()));
        }
        return delegate.complete(session, commandLine, candidates);
    }
}
