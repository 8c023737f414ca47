package io.musubi.shell.internal;

import io.musubi.model.PresenceState;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import java.util.ArrayList;
import java.util.List;

/** Completes the presence states a supervisor may set (all but BUSY). */
@Service
public class PresenceStateCompleter implements Completer {

    private final StringsCompleter delegate = new StringsCompleter(PresenceArgs.settableStates(), false);

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return delegate.complete(session, commandLine, candidates);
    }

    /** Completes every presence state (for filters). */
    @Service
    public static class All implements Completer {
        private final StringsCompleter delegate;

        public All() {
            List<String> names = new ArrayList<>();
            for (PresenceState s : PresenceState.values()) {
                names.add(s.name());
            }
            delegate = new StringsCompleter(names, false);
        }

        @Override
        public int complete(Session session, CommandLine commandLine, List<String> candidates) {
            return delegate.complete(session, commandLine, candidates);
        }
    }
}
