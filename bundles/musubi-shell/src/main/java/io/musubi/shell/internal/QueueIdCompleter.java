package io.musubi.shell.internal;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.QueueDefinition;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import java.util.List;

/** Completes queue ids from the engine: plain in the default tenant, scoped in the others. */
@Service
public class QueueIdCompleter implements Completer {

    @Reference
    AcdEngine acd;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        for (QueueDefinition q : acd.queues()) {
            delegate.getStrings().add(ConsoleIds.shown(q.id()));
        }
        return delegate.complete(session, commandLine, candidates);
    }
}
