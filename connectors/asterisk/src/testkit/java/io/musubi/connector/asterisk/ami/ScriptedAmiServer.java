package io.musubi.connector.asterisk.ami;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An AMI server on plain sockets that plays the real Asterisk 22's side from the recorded transcripts and checks what
 * the client sends. A connection gets the banner, a login with MD5 challenge or plain secret (a wrong secret gets
 * {@code Authentication failed} after a short delay and the socket closed, as Asterisk does) and the answers of
 * Asterisk for {@code Ping} and {@code CoreSettings}. A test then {@link Session#replay replays} a transcript: the
 * recorded events are sent in order, the recorder's own actions and their answers are skipped, and where the
 * transcript has an action the client is expected to send (a {@code Redirect}), the replay waits for the client's
 * action, checks it and answers it with the recorded response under the client's ActionID.
 *
 * <p>Actions outside a replay are answered by handlers ({@link #handle}); an action nobody handles gets Asterisk's
 * {@code Invalid/unknown command}. Every message the client sent is kept, byte for byte, for injection tests.
 */
public final class ScriptedAmiServer implements AutoCloseable {

    /** The banner Asterisk 22.10.1 sends. */
    public static final String BANNER = "Asterisk Call Manager/11.0.0\r\n";

    /** Answers one action the replay does not cover; returns the raw messages to send (ActionID already set). */
    @FunctionalInterface
    public interface Handler {
        List<String> answer(AmiMessage action, String actionId);
    }

    private final ServerSocket socket;
    private final String username;
    private final String secret;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Session> loggedIn = new LinkedBlockingQueue<>();
    private volatile Session latest;
    private final AtomicInteger logins = new AtomicInteger();
    private final List<String> unknown = new CopyOnWriteArrayList<>();
    private volatile boolean refuseLogins;
    private final Thread acceptor;

    private ScriptedAmiServer(ServerSocket socket, String username, String secret) {
        this.socket = socket;
        this.username = username;
        this.secret = secret;
        handle("Ping", (a, id) -> List.of("Response: Success\r\nActionID: " + id + "\r\nPing: Pong\r\nTimestamp: "
                + String.format(Locale.ROOT, "%.6f", System.currentTimeMillis() / 1000.0) + "\r\n\r\n"));
        AmiTranscript login = AmiTranscript.load("01-login-banner.jsonl");
        handle("CoreSettings", recorded(login, 1, "coresettings-1"));
        handle("Logoff", (a, id) -> List.of("Response: Goodbye\r\nActionID: " + id
                + "\r\nMessage: Thanks for all the fish.\r\n\r\n"));
        this.acceptor = new Thread(this::acceptLoop, "scripted-ami-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on 127.0.0.1, an ephemeral port. */
    public static ScriptedAmiServer start(String username, String secret) throws IOException {
        return start(username, secret, 0);
    }

    /** Listens on 127.0.0.1 at {@code port} (0: an ephemeral one): a PBX that comes back where it was. */
    public static ScriptedAmiServer start(String username, String secret, int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new ScriptedAmiServer(s, username, secret);
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Answers every action named {@code action} (case-insensitive) outside a replay. */
    public ScriptedAmiServer handle(String action, Handler handler) {
        handlers.put(action.toLowerCase(Locale.ROOT), handler);
        return this;
    }

    /** A handler that answers with what Asterisk answered to the recorded action with that ActionID. */
    public static Handler recorded(AmiTranscript t, int conn, String recordedActionId) {
        List<AmiTranscript.Record> answer = t.answerTo(conn, recordedActionId);
        if (answer.isEmpty()) {
            throw new IllegalArgumentException(t + " has no answer to " + recordedActionId);
        }
        return (action, id) -> answer.stream().map(r -> withActionId(r.raw(), recordedActionId, id)).toList();
    }

    /** A plain {@code Response: Success} with a message. */
    public static Handler success(String message) {
        return (a, id) -> List.of("Response: Success\r\nActionID: " + id + "\r\nMessage: " + message + "\r\n\r\n");
    }

    /** An event list with no items, as Asterisk answers QueueStatus of an unknown queue. */
    public static Handler emptyList(String completeEvent) {
        return (a, id) -> List.of("Response: Success\r\nActionID: " + id + "\r\nEventList: start\r\nMessage: "
                        + "Will follow\r\n\r\n",
                "Event: " + completeEvent + "\r\nActionID: " + id + "\r\nEventList: Complete\r\nListItems: 0\r\n\r\n");
    }

    /** While true, every login is refused as with a wrong secret. */
    public void refuseLogins(boolean refuse) {
        this.refuseLogins = refuse;
    }

    /** Successful logins so far. */
    public int logins() {
        return logins.get();
    }

    /** Waits for the next connection that logs in successfully. */
    public Session awaitLogin(Duration timeout) throws InterruptedException {
        Session s = loggedIn.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (s == null) {
            throw new AssertionError("no client logged in within " + timeout);
        }
        return s;
    }

    /** The connection that logged in last, if it is still open. */
    public java.util.Optional<Session> latest() {
        Session s = latest;
        return s != null && s.isOpen() ? java.util.Optional.of(s) : java.util.Optional.empty();
    }

    /** Every message the client sent on any connection, as sent (the header names as the client wrote them). */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** Actions nobody handled (answered with Invalid/unknown command). */
    public List<String> unknownActions() {
        return List.copyOf(unknown);
    }

    /** The messages received whose Action is {@code action} (case-insensitive). */
    public List<AmiMessage> actions(String action) {
        return received.stream().map(AmiMessage::parse)
                .filter(m -> m.first("Action").map(action::equalsIgnoreCase).orElse(false)).toList();
    }

    /** Closes every client connection at once, without a Shutdown event (like a killed Asterisk). */
    public void dropConnections() {
        for (Session s : sessions) {
            s.close();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        dropConnections();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Session session = new Session(client);
                sessions.add(session);
                session.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    static String withActionId(String raw, String recorded, String actual) {
        return raw.replace("\r\nActionID: " + recorded + "\r\n", "\r\nActionID: " + actual + "\r\n");
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One client connection. */
    public final class Session {

        private final Socket client;
        private final OutputStream out;
        private final BlockingQueue<AmiMessage> scripted = new LinkedBlockingQueue<>();
        private final List<String> scriptedNames = new CopyOnWriteArrayList<>();
        private volatile String challenge;
        private volatile boolean authenticated;

        private Session(Socket client) throws IOException {
            this.client = client;
            this.out = client.getOutputStream();
        }

        private void start() {
            Thread t = new Thread(this::readLoop, "scripted-ami-session-" + client.getPort());
            t.setDaemon(true);
            t.start();
        }

        /** Sends raw AMI messages as they are. */
        public synchronized void send(String... raw) {
            try {
                for (String r : raw) {
                    out.write(r.getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
            } catch (IOException e) {
                throw new IllegalStateException("client gone", e);
            }
        }

        /** Closes the connection (EOF for the client). */
        public void close() {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing
            }
        }

        public boolean isOpen() {
            return !client.isClosed();
        }

        /** A replay of one connection of a transcript; {@code clientActions} are the actions the client must send. */
        public Replay replay(AmiTranscript transcript, int conn, String... clientActions) {
            scripted.clear();
            scriptedNames.clear();
            for (String a : clientActions) {
                scriptedNames.add(a.toLowerCase(Locale.ROOT));
            }
            return new Replay(this, transcript.connWithNotes(conn), List.of(clientActions));
        }

        /**
         * Waits for the client's next scripted action named {@code action}; earlier scripted actions of other names
         * are kept for later.
         */
        AmiMessage awaitScripted(String action, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                synchronized (scripted) {
                    for (AmiMessage m : scripted) {
                        if (m.first("Action").map(action::equalsIgnoreCase).orElse(false)) {
                            scripted.remove(m);
                            return m;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    scripted.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        }

        /** Scripted actions not in {@code keep} that are waiting are answered by the handlers. */
        void endScriptFor(List<String> keep) throws IOException {
            List<AmiMessage> left = new ArrayList<>();
            synchronized (scripted) {
                for (AmiMessage m : List.copyOf(scripted)) {
                    if (!keep.contains(m.first("Action").orElse("").toLowerCase(Locale.ROOT))) {
                        scripted.remove(m);
                        left.add(m);
                    }
                }
            }
            for (AmiMessage m : left) {
                answer(m);
            }
        }

        /** The replay is over: its actions are answered by the handlers again, waiting ones first. */
        void endScript() throws IOException {
            scriptedNames.clear();
            List<AmiMessage> left;
            synchronized (scripted) {
                left = new ArrayList<>(scripted);
                scripted.clear();
            }
            for (AmiMessage m : left) {
                answer(m);
            }
        }

        private void readLoop() {
            try (client; InputStream in = client.getInputStream()) {
                send(BANNER);
                ByteArrayOutputStream message = new ByteArrayOutputStream();
                int b;
                int state = 0; // counts the bytes of a trailing \r\n\r\n
                while ((b = in.read()) >= 0) {
                    message.write(b);
                    state = switch (state) {
                        case 0, 2 -> b == '\r' ? state + 1 : 0;
                        case 1, 3 -> b == '\n' ? state + 1 : (b == '\r' ? 1 : 0);
                        default -> 0;
                    };
                    if (state == 4) {
                        String raw = message.toString(StandardCharsets.UTF_8);
                        message.reset();
                        state = 0;
                        received.add(raw);
                        onAction(AmiMessage.parse(raw));
                    }
                }
            } catch (IOException e) {
                // connection gone
            } finally {
                sessions.remove(this);
            }
        }

        private void onAction(AmiMessage action) throws IOException {
            String name = action.first("Action").orElse("").toLowerCase(Locale.ROOT);
            String id = action.first("ActionID").orElse("");
            switch (name) {
                case "challenge" -> {
                    challenge = Long.toString(System.nanoTime() % 1_000_000_000L);
                    send("Response: Success\r\nActionID: " + id + "\r\nChallenge: " + challenge + "\r\n\r\n");
                    return;
                }
                case "login" -> {
                    login(action, id);
                    return;
                }
                default -> {
                }
            }
            if (!authenticated) {
                send("Response: Error\r\nActionID: " + id + "\r\nMessage: Permission denied\r\n\r\n");
                return;
            }
            if (scriptedNames.contains(name)) {
                synchronized (scripted) {
                    scripted.add(action);
                    scripted.notifyAll();
                }
                return;
            }
            answer(action);
        }

        private void answer(AmiMessage action) {
            String name = action.first("Action").orElse("").toLowerCase(Locale.ROOT);
            String id = action.first("ActionID").orElse("");
            Handler h = handlers.get(name);
            if (h == null) {
                unknown.add(name);
                send("Response: Error\r\nActionID: " + id + "\r\nMessage: Invalid/unknown command\r\n\r\n");
                return;
            }
            for (String r : h.answer(action, id)) {
                send(r);
            }
            if ("logoff".equals(name)) {
                close();
            }
        }

        private void login(AmiMessage action, String id) {
            boolean ok = !refuseLogins && username.equals(action.first("Username").orElse(""));
            if (ok) {
                Optional<String> key = action.first("Key");
                ok = key.isPresent() ? challenge != null && key.get().equalsIgnoreCase(md5(challenge + secret))
                        : secret.equals(action.first("Secret").orElse(null));
            }
            if (!ok) {
                // Asterisk answers about 1 s later, then closes the socket
                send("Response: Error\r\nActionID: " + id + "\r\nMessage: Authentication failed\r\n\r\n");
                close();
                return;
            }
            authenticated = true;
            send("Response: Success\r\nActionID: " + id + "\r\nMessage: Authentication accepted\r\n\r\n",
                    "Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 1\r\nLastReload: 1\r\nStatus: Fully Booted"
                            + "\r\n\r\n");
            logins.incrementAndGet();
            latest = this;
            loggedIn.add(this);
        }
    }

    /**
     * Plays one connection of a transcript to the client: recorded events in order, the recorder's own actions and
     * their answers skipped, the client's actions awaited, checked and answered.
     */
    public static final class Replay {

        private final Session session;
        private final List<AmiTranscript.Record> records;
        private List<String> clientActions;
        private final Map<String, String> actionIds = new ConcurrentHashMap<>();
        private final List<String> skippedIds = new ArrayList<>();
        private final List<AmiMessage> answered = new ArrayList<>();
        private final Map<String, String> substitutions = new java.util.LinkedHashMap<>();
        private java.util.function.BiFunction<AmiMessage, List<AmiTranscript.Record>, Map<String, String>> onClient =
                (m, rest) -> Map.of();
        private int next;
        private boolean loginSeen;

        Replay(Session session, List<AmiTranscript.Record> records, List<String> clientActions) {
            this.session = session;
            this.records = records;
            this.clientActions = clientActions.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
        }

        /** Plays up to (not including) the first meta note containing {@code text}; returns this. */
        public Replay untilNote(String text, Duration timeout) throws InterruptedException {
            return play(r -> r.isMeta() && r.meta().contains(text), timeout);
        }

        /** Plays every remaining record. */
        public Replay toEnd(Duration timeout) throws InterruptedException {
            return play(r -> false, timeout);
        }

        /** Plays up to (not including) the first record matching {@code stop}. */
        public Replay until(Predicate<AmiTranscript.Record> stop, Duration timeout) throws InterruptedException {
            return play(stop, timeout);
        }

        /** Plays up to (not including) the next {@code in} record whose raw text contains all of {@code parts}. */
        public Replay untilIn(Duration timeout, String... parts) throws InterruptedException {
            return play(r -> r.isIn() && List.of(parts).stream().allMatch(r.raw()::contains), timeout);
        }

        /**
         * Values the client chose where the recorder chose others (an Originate's ChannelId becomes the Uniqueid of
         * the channel): on each awaited client action, {@code f} gets it and the records still to play, and returns
         * recorded value to client value replacements applied to every later record.
         */
        public Replay onClientAction(java.util.function.BiFunction<AmiMessage, List<AmiTranscript.Record>,
                Map<String, String>> f) {
            this.onClient = f;
            return this;
        }

        /**
         * From now on only these actions (none: no action) are the client's; the others in the transcript are the
         * recorder's and skipped, and the client's other actions go to the handlers again.
         */
        public Replay expectOnly(String... actions) {
            clientActions = List.of(actions).stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
            session.scriptedNames.retainAll(clientActions);
            for (String a : clientActions) {
                if (!session.scriptedNames.contains(a)) {
                    session.scriptedNames.add(a);
                }
            }
            try {
                session.endScriptFor(clientActions);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        /** The client's actions this replay awaited, in order. */
        public List<AmiMessage> answered() {
            return List.copyOf(answered);
        }

        /** Skips records (sending nothing) up to (not including) the first matching {@code stop}. */
        public Replay skipUntil(Predicate<AmiTranscript.Record> stop) {
            while (next < records.size() && !stop.test(records.get(next))) {
                AmiTranscript.Record r = records.get(next++);
                if (r.isOut()) {
                    r.actionId().ifPresent(skippedIds::add);
                }
            }
            return this;
        }

        public boolean done() {
            return next >= records.size();
        }

        private Replay play(Predicate<AmiTranscript.Record> stop, Duration timeout) throws InterruptedException {
            while (next < records.size()) {
                AmiTranscript.Record r = records.get(next);
                if (stop.test(r)) {
                    return this;
                }
                next++;
                if (r.isMeta() || r.isBanner()) {
                    continue;
                }
                if (r.isOut()) {
                    String action = r.action().toLowerCase(Locale.ROOT);
                    String recordedId = r.actionId().orElse("");
                    if ("login".equals(action) && !loginSeen) {
                        loginSeen = true;
                        skippedIds.add(recordedId);
                        continue;
                    }
                    if (clientActions.contains(action)) {
                        AmiMessage sent = session.awaitScripted(action, timeout);
                        if (sent == null) {
                            throw new AssertionError("the client did not send " + r.action() + " within " + timeout
                                    + " (transcript record " + r + ")");
                        }
                        answered.add(sent);
                        actionIds.put(recordedId, sent.first("ActionID").orElse(""));
                        substitutions.putAll(onClient.apply(sent, records.subList(next, records.size())));
                    } else {
                        skippedIds.add(recordedId);
                    }
                    continue;
                }
                Optional<String> id = r.actionId();
                if (id.isPresent() && skippedIds.contains(id.get())) {
                    continue;
                }
                String raw = r.raw();
                for (Map.Entry<String, String> sub : substitutions.entrySet()) {
                    raw = raw.replace(sub.getKey(), sub.getValue());
                }
                if (id.isPresent() && actionIds.containsKey(id.get())) {
                    session.send(withActionId(raw, id.get(), actionIds.get(id.get())));
                } else if (r.message().kind().equals("response")) {
                    continue; // an answer to an action of the recorder we did not see
                } else {
                    session.send(raw);
                }
            }
            try {
                session.endScript();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }
    }
}
