package io.musubi.shell.internal;

import io.musubi.acd.AcdEngine;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.io.PrintStream;

/** {@code musubi:queues}: the real-time statistics of every queue (DESIGN §5.7). */
@Service
@Command(scope = "musubi", name = "queues", description = "Lists the ACD's queues: waiting, longest wait, agents"
        + " available/busy/away, offered/answered/abandoned, service level, ASA, AHT",
        detailedDescription = "Counters are since the engine started or its statistics were reset. SL = answered"
                + " within the queue's threshold / (answered + abandoned). Longest includes ringing interactions.")
public class QueuesCommand implements Action {

    @Reference
    AcdEngine acd;

    @Argument(index = 0, name = "queue", description = "Queue id or glob (* and ?), in tenant default unless"
            + " scoped (acme/support, acme/*); all queues if omitted")
    @Completion(QueueIdCompleter.class)
    String queue;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        AcdViews.queueTable(AcdViews.selectQueues(acd.queueStatistics(), queue)).print(out);
        return null;
    }
}
