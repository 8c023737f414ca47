package io.musubi.connector.asterisk.ami;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One recorded AMI session of Asterisk 22.10.1 ({@code src/test/resources/asterisk-22/*.jsonl}, see the README
 * there): the records in wire order, each with its direction, connection and raw bytes.
 */
public final class AmiTranscript {

    public static final String RESOURCE_DIR = "/asterisk-22/";

    /** Every AMI transcript (13-ari is HTTP, not AMI, and not kept). */
    public static final List<String> FILES = List.of("01-login-banner.jsonl", "02-queue-agent-login.jsonl",
            "03-queue-call-answered.jsonl", "04-queue-ringnoanswer-abandon.jsonl", "05a-hub-redirect-routing.jsonl",
            "05b-click-to-dial-originate.jsonl", "06a-blind-transfer.jsonl", "06b-attended-transfer.jsonl",
            "06c-hold-sip-phone.jsonl", "07-chanspy.jsonl", "08-mixmonitor.jsonl", "09-resync-reconnect.jsonl",
            "10-fax-spandsp.jsonl", "11-sip-phone-register-call.jsonl", "12-userevent-varset.jsonl");

    /** One line of a transcript. */
    public record Record(int index, long tMs, int conn, String dir, String raw, String meta) {

        public boolean isIn() {
            return "in".equals(dir);
        }

        public boolean isOut() {
            return "out".equals(dir);
        }

        public boolean isMeta() {
            return "meta".equals(dir);
        }

        public AmiMessage message() {
            return AmiMessage.parse(raw);
        }

        /** The first line without its line end. */
        public String firstLine() {
            int end = raw.indexOf("\r\n");
            return end < 0 ? raw : raw.substring(0, end);
        }

        public boolean isBanner() {
            return isIn() && firstLine().startsWith("Asterisk Call Manager/");
        }

        /** For an {@code out} record, the action's name; else empty. */
        public String action() {
            return isOut() ? message().first("Action").orElse("") : "";
        }

        public Optional<String> actionId() {
            return message().first("ActionID");
        }

        @Override
        public String toString() {
            return "#" + index + " " + dir + " conn " + conn + " " + (isMeta() ? meta : firstLine());
        }
    }

    private final String name;
    private final List<Record> records;

    private AmiTranscript(String name, List<Record> records) {
        this.name = name;
        this.records = List.copyOf(records);
    }

    public static AmiTranscript load(String file) {
        ObjectMapper json = new ObjectMapper();
        List<Record> records = new ArrayList<>();
        try (InputStream in = AmiTranscript.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no transcript " + file);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int i = 0;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = json.readTree(line);
                records.add(new Record(i++, n.path("t_ms").asLong(), n.path("conn").asInt(), n.path("dir").asText(),
                        n.path("raw").asText(), n.path("meta").asText("")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AmiTranscript(file, records);
    }

    public String name() {
        return name;
    }

    public List<Record> records() {
        return records;
    }

    /** The records of one connection, in wire order. */
    public List<Record> conn(int conn) {
        return records.stream().filter(r -> r.conn() == conn).toList();
    }

    /** The records of one connection with the step notes (meta records of connection 0), in file order. */
    public List<Record> connWithNotes(int conn) {
        return records.stream().filter(r -> r.conn() == conn || (r.isMeta() && r.conn() == 0)).toList();
    }

    /** The {@code in} records of one connection that belong to the action sent with this ActionID (response and list items). */
    public List<Record> answerTo(int conn, String actionId) {
        return conn(conn).stream().filter(Record::isIn)
                .filter(r -> r.actionId().map(actionId::equals).orElse(false)).toList();
    }

    /** The first {@code out} record of an action (case-insensitive name) on a connection. */
    public Optional<Record> firstAction(int conn, String action) {
        return conn(conn).stream().filter(Record::isOut)
                .filter(r -> r.action().toLowerCase(Locale.ROOT).equals(action.toLowerCase(Locale.ROOT))).findFirst();
    }

    @Override
    public String toString() {
        return name;
    }
}
