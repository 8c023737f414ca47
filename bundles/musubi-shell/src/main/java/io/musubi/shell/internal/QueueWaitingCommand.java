package io.musubi.shell.internal;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.WaitingInteraction;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

/** {@code musubi:queue-waiting}: one queue's waiting interactions in the order they would be offered. */
@Service
@Command(scope = "musubi", name = "queue-waiting", description = "Shows the interactions waiting in a queue, in"
        + " offer order (no customer data)")
public class QueueWaitingCommand implements Action {

    @Reference
    AcdEngine acd;

    @Argument(index = 0, name = "queue", description = "Queue id: support (tenant default) or acme/support",
            required = true)
    @Completion(QueueIdCompleter.class)
    String queue;

    @Option(name = "--max", aliases = "-n", description = "Show at most this many (default 50)")
    int max = 50;

    PrintStream out = System.out;
    Clock clock = Clock.systemUTC();

    @Override
    public Object execute() {
        if (max < 1) {
            throw new IllegalArgumentException("--max must be at least 1");
        }
        String id = ConsoleIds.queue(acd, queue);
        List<WaitingInteraction> waiting = acd.waiting(id);
        AcdViews.waitingTable(waiting, clock.instant(), max).print(out);
        out.println(AcdViews.waitingSummary(id, waiting, max));
        return null;
    }
}
