package io.musubi.connector.asterisk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.musubi.connector.asterisk.ami.AmiMessage;
import io.musubi.connector.asterisk.ami.AmiTranscript;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.asteriskjava.manager.AsteriskMapping;
import org.asteriskjava.manager.event.AgentConnectEvent;
import org.asteriskjava.manager.event.DeviceStateChangeEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.ProtocolIdentifierReceivedEvent;
import org.asteriskjava.manager.event.QueueCallerJoinEvent;
import org.asteriskjava.manager.event.UserEvent;
import org.asteriskjava.manager.response.ManagerResponse;
import org.asteriskjava.util.SocketConnectionFacade;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every line Asterisk 22 sent in the transcripts goes through Asterisk-Java's own reader (the code the connector runs
 * on): each {@code in} record becomes an event or a response, except the events the library has no class for, which
 * are named here exactly so that a library upgrade that changes the list is noticed. Classification follows the first
 * line (an OriginateResponse event carries a Response header). Our user event classes are registered as the
 * connector registers them.
 */
class AmiParsingTest {

    /**
     * Asterisk 22 events Asterisk-Java 3.42.2 has no class for: it drops them (and logs their attributes at INFO, which
     * is why the connector's feature silences the library's loggers). None of them matters to the connector.
     */
    static final Set<String> DROPPED_BY_LIBRARY = Set.of("bridgeinfochannel", "bridgeinfocomplete",
            "bridgelistcomplete", "bridgelistitem", "extensionstatelistcomplete", "faxsession", "faxsessionscomplete",
            "faxsessionsentry", "faxstats", "mixmonitormute",
            // an AMI UserEvent action's echo (12): a user event the hub does not register
            "userevent:hubping");

    private static final Set<String> DROPPED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @org.junit.jupiter.api.AfterAll
    static void theLibraryDropsExactlyTheEventsNamed() {
        if (DROPPED.size() > 0) {
            assertThat(DROPPED).containsExactlyInAnyOrderElementsOf(DROPPED_BY_LIBRARY);
        }
    }

    static Stream<String> files() {
        return AmiTranscript.FILES.stream();
    }

    @ParameterizedTest
    @MethodSource("files")
    void everyRecordBecomesAnEventOrAResponse(String file) throws Exception {
        AmiTranscript t = AmiTranscript.load(file);
        for (int conn : t.records().stream().mapToInt(AmiTranscript.Record::conn).filter(c -> c > 0).distinct()
                .toArray()) {
            List<AmiTranscript.Record> in = t.conn(conn).stream().filter(AmiTranscript.Record::isIn).toList();
            // registered as the connector registers them (DeviceStateListComplete is one of ours)
            List<Object> parsed = read(in, AmiSession.EXTRA_EVENT_CLASSES.toArray(Class[]::new));
            Set<String> dropped = new TreeSet<>();
            int p = 0;
            for (AmiTranscript.Record r : in) {
                AmiMessage m = r.message();
                if (r.isBanner()) {
                    assertThat(parsed.get(p++)).isInstanceOf(ProtocolIdentifierReceivedEvent.class);
                    continue;
                }
                // extra events the library synthesises for old clients (legacy Bridge/Link) are skipped
                while (p < parsed.size() && !matches(m, parsed.get(p)) && isLegacyExtra(parsed.get(p))) {
                    p++;
                }
                if (p < parsed.size() && matches(m, parsed.get(p))) {
                    p++;
                } else {
                    assertThat(m.kind()).as("%s: %s", t, r).isEqualTo("event");
                    String name = m.firstValue().toLowerCase(Locale.ROOT);
                    dropped.add(name.equals("userevent")
                            ? name + ":" + m.first("UserEvent").orElse("").toLowerCase(Locale.ROOT) : name);
                }
            }
            assertThat(DROPPED_BY_LIBRARY).as("events of %s conn %d dropped by Asterisk-Java", t, conn)
                    .containsAll(dropped);
            DROPPED.addAll(dropped);
        }
    }

    @Test
    void theEventsTheConnectorNeedsAreBuiltWithTheirFields() throws Exception {
        AmiTranscript t = AmiTranscript.load("03-queue-call-answered.jsonl");
        List<Object> parsed = read(t.conn(1).stream().filter(AmiTranscript.Record::isIn).toList());
        QueueCallerJoinEvent join = first(parsed, QueueCallerJoinEvent.class);
        assertThat(join.getQueue()).isEqualTo("support");
        assertThat(join.getUniqueId()).isEqualTo(join.getLinkedId());
        AgentConnectEvent connect = first(parsed, AgentConnectEvent.class);
        assertThat(connect.getMemberName()).isNotBlank();
        assertThat(connect.getHoldTime()).isNotNull();
        assertThat(first(parsed, DeviceStateChangeEvent.class).getState()).isNotBlank();
    }

    @Test
    void duplicateHeadersAreKeptInOrderAndChannelVariablesAsAMap() throws Exception {
        AmiTranscript t = AmiTranscript.load("12-userevent-varset.jsonl");
        List<Object> parsed = read(t.conn(1).stream().filter(AmiTranscript.Record::isIn).toList(),
                HubUserEvents.HubIvrChoiceEvent.class, HubUserEvents.HubInboundEvent.class);
        HubUserEvents.HubIvrChoiceEvent choice = first(parsed, HubUserEvents.HubIvrChoiceEvent.class);
        assertThat(choice.getChoice()).isEqualTo("2");
        // the channel's CallerIDNum and the UserEvent's own one: the library joins duplicates with '\n', in order
        assertThat(choice.getCallerIdNum()).isEqualTo("5551234\n5551234\n");
        assertThat(HubUserEvents.lastValue(choice.getCallerIdNum())).isEqualTo("5551234");
        assertThat(choice.getChannelVariables()).containsEntry("IVR_CHOICE", "2").containsEntry("HUB_TENANT", "acme");

        AmiTranscript hub = AmiTranscript.load("05a-hub-redirect-routing.jsonl");
        HubUserEvents.HubInboundEvent inbound = first(read(hub.conn(1).stream().filter(AmiTranscript.Record::isIn)
                .toList(), HubUserEvents.HubInboundEvent.class), HubUserEvents.HubInboundEvent.class);
        assertThat(inbound.getUniqueId()).isEqualTo("1795343846.0");
        assertThat(inbound.getLinkedid()).isEqualTo("1795343846.0");
        assertThat(inbound.getQueue()).isEqualTo("hub-hold");
        assertThat(inbound.getHubCall()).isEqualTo("1795343846.0");
        assertThat(inbound.getExten()).isEqualTo("8200");
    }

    private static <T> T first(List<Object> parsed, Class<T> type) {
        return parsed.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName()));
    }

    private static boolean isLegacyExtra(Object o) {
        String n = o.getClass().getSimpleName();
        return n.equals("BridgeEvent") || n.equals("LinkEvent") || n.equals("UnlinkEvent")
                || n.equals("MeetMeJoinEvent") || n.equals("MeetMeLeaveEvent");
    }

    private static boolean matches(AmiMessage m, Object parsed) {
        if (m.kind().equals("response")) {
            return parsed instanceof ManagerResponse;
        }
        if (!(parsed instanceof ManagerEvent e)) {
            return false;
        }
        String name = m.firstValue().toLowerCase(Locale.ROOT);
        if (name.equals("userevent")) {
            return e instanceof UserEvent;
        }
        return eventName(e.getClass()).equals(name);
    }

    private static String eventName(Class<?> c) {
        AsteriskMapping mapping = c.getAnnotation(AsteriskMapping.class);
        if (mapping != null) {
            return mapping.value().toLowerCase(Locale.ROOT);
        }
        String n = c.getSimpleName().toLowerCase(Locale.ROOT);
        return n.endsWith("event") ? n.substring(0, n.length() - 5) : n;
    }

    /**
     * Streams the records over a real socket into Asterisk-Java's ManagerReaderImpl (through its own
     * SocketConnectionFacadeImpl) and collects what it dispatches, in order.
     */
    @SafeVarargs
    static List<Object> read(List<AmiTranscript.Record> records, Class<?>... userEvents)
            throws Exception {
        List<Object> dispatched = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Class<?> dispatcherType = Class.forName("org.asteriskjava.manager.internal.Dispatcher");
        Object dispatcher = Proxy.newProxyInstance(dispatcherType.getClassLoader(), new Class<?>[] {dispatcherType},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "dispatchResponse", "dispatchEvent" -> {
                            dispatched.add(args[0]);
                            if (args[0] instanceof DisconnectEvent) {
                                done.countDown();
                            }
                        }
                        default -> {
                        }
                    }
                    return null;
                });
        Class<?> readerType = Class.forName("org.asteriskjava.manager.internal.ManagerReaderImpl");
        Constructor<?> ctor = readerType.getConstructor(dispatcherType, Object.class);
        Object reader = ctor.newInstance(dispatcher, "test");
        Method register = readerType.getMethod("registerEventClass", Class.class);
        for (Class<?> c : userEvents) {
            register.invoke(reader, c);
        }
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread writer = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    for (AmiTranscript.Record r : records) {
                        out.write(r.raw().getBytes(StandardCharsets.UTF_8));
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            SocketConnectionFacade socket = (SocketConnectionFacade) Class
                    .forName("org.asteriskjava.util.internal.SocketConnectionFacadeImpl")
                    .getConstructor(String.class, int.class, boolean.class, int.class, int.class,
                            java.nio.charset.Charset.class)
                    .newInstance("127.0.0.1", server.getLocalPort(), false, 5000, 0, StandardCharsets.UTF_8);
            readerType.getMethod("setSocket", SocketConnectionFacade.class).invoke(reader, socket);
            ((Runnable) reader).run();
            writer.join();
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).as("reader finished").isTrue();
        List<Object> result = new ArrayList<>(dispatched);
        result.removeIf(o -> o instanceof DisconnectEvent);
        return result;
    }
}
