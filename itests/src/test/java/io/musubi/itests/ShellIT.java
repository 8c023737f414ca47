package io.musubi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.musubi.acd.AcdEngine;
import io.musubi.acd.AgentDefinition;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.Set;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/** The musubi console commands in the real container, under the command ACLs the distribution ships. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class ShellIT extends MusubiTestSupport {

    @Inject
    private SessionFactory sessionFactory;

    @Inject
    private AcdEngine acd;

    /** The engine holds tenant-scoped ids (REST creates default/shell-agent); the console takes the plain id. */
    @Test
    public void aSupervisorListsAndSetsPresence() throws Exception {
        acd.defineAgent(AgentDefinition.builder("default/shell-agent").name("Shell Agent").build());
        StringBuilder last = new StringBuilder();
        try {
            await("commands registered", Duration.ofSeconds(60), () -> {
                last.setLength(0);
                last.append(run("admin", "musubi:queues"));
                return last.toString().contains("default");
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last output: " + last, e);
        }

        String set = run("admin", "musubi:agent-presence shell-agent AVAILABLE");
        assertFalse(set, set.contains("Error"));
        String agents = run("admin", "musubi:agents shell-agent");
        assertTrue(agents, agents.contains("default/shell-agent") && agents.contains("AVAILABLE"));
        assertEquals("AVAILABLE", acd.agent("default/shell-agent").orElseThrow().state().name());
    }

    @Test
    public void aViewerMayListButNotChangePresence() throws Exception {
        acd.defineAgent(AgentDefinition.builder("default/viewer-target").build());
        await("commands registered", Duration.ofSeconds(60),
                () -> run("viewer", "musubi:queues").contains("default"));
        String denied = run("viewer", "musubi:agent-presence viewer-target AVAILABLE");
        assertTrue(denied, denied.toLowerCase().contains("insufficient credentials")
                || denied.toLowerCase().contains("not found") || denied.toLowerCase().contains("permission"));
        assertEquals("OFFLINE", acd.agent("default/viewer-target").orElseThrow().state().name());
    }

    /** Runs one command as a user with one role; returns what it printed (errors included). */
    private String run(String role, String command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Subject subject = new Subject(false, Set.of(new UserPrincipal("itest-" + role), new RolePrincipal(role)),
                Set.of(), Set.of());
        try {
            Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> {
                Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), print, print);
                try {
                    Object result = session.execute(command);
                    if (result != null) {
                        print.println(result);
                    }
                } finally {
                    session.close();
                }
                return null;
            });
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            print.println("Error: " + cause);
        }
        print.flush();
        return out.toString(StandardCharsets.UTF_8);
    }
}
