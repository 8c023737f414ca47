package io.musubi.connector.twilio.internal;

import com.fasterxml.jackson.databind.JsonNode;

import io.musubi.model.Address;
import io.musubi.model.Attachment;
import io.musubi.model.Channel;
import io.musubi.model.InboundEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.MessageContent;
import io.musubi.model.OutboundMessage;
import io.musubi.spi.ConnectorAttributes;
import io.musubi.spi.ConnectorEvents;
import io.musubi.spi.ContentStore;
import io.musubi.spi.MalformedInputException;
import io.musubi.spi.MessageMapper;
import io.musubi.spi.PermanentDeliveryException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Twilio's webhooks to the hub's events and the hub's replies to Messages API requests; pure (the time of a form
 * webhook is the time the hub received it, given with the input).
 *
 * <p>Inbound:
 * <ul>
 *   <li>an incoming SMS or MMS ({@code MessageSid}, {@code From}, {@code To}, {@code Body}, {@code NumMedia},
 *       {@code MediaUrl<n>}, {@code MediaContentType<n>}) is a {@code MESSAGE_IN} of channel SMS from
 *       {@code tel:<From>}, event id the MessageSid (Twilio's retries carry the same one), in the conversation
 *       {@code <connector id>/<From>}; each media becomes an attachment whose reference is known before the content
 *       is fetched; the number the customer wrote to travels with replies as {@code reply.twilio.from};</li>
 *   <li>a status callback of one of our messages (the URL's query names our {@code messageId} and
 *       {@code interactionId}, signed with it) is a {@code MESSAGE_STATUS} with event id
 *       {@code <messageId>/<status>}, the same id the egress route gives its own report of that status, so the two
 *       are recorded once; failed and undelivered carry {@code twilio-<ErrorCode>} as the reason;</li>
 *   <li>a status callback that names none of our messages, and an unknown status, mean nothing (no events);</li>
 *   <li>a JSON webhook (Event Streams) maps its {@code com.twilio.messaging.inbound-message.received} events as an
 *       incoming SMS; its other event types mean nothing here.</li>
 * </ul>
 * Outbound: the text goes to {@code tel:} E.164 recipients from the Messaging Service, or from the number the customer
 * last wrote to (if it is one of the configured numbers, or none are configured), or else the first configured number;
 * with a status callback URL on the hub's public webhook naming the message and its interaction.
 */
final class TwilioMapper implements MessageMapper<TwilioInbound, OutboundRequest> {

    static final String TYPE = "twilio";

    /** Twilio's limit of a message body, in characters. */
    static final int MAX_BODY_CHARS = 1600;
    /** Twilio's limit of media on one incoming MMS. */
    static final int MAX_MEDIA = 10;

    /** Inbound attributes. */
    static final String MESSAGE_SID = "twilio.messageSid";
    static final String NUM_SEGMENTS = "twilio.numSegments";
    static final String NUM_MEDIA = "twilio.numMedia";
    static final String TO_NUMBER = "twilio.to";
    static final String OPT_OUT_TYPE = "twilio.optOutType";
    static final String REPLY_FROM = ConnectorAttributes.REPLY_PREFIX + "twilio.from";
    /** Status attributes. */
    static final String STATUS = "twilio.status";
    static final String ERROR_CODE = "twilio.errorCode";

    /** Query parameters of our status callback URLs. */
    static final String QUERY_MESSAGE_ID = "messageId";
    static final String QUERY_INTERACTION_ID = "interactionId";

    static final String INBOUND_EVENT_TYPE = "com.twilio.messaging.inbound-message.received";

    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{2,64}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    /** Short codes (and national numbers some carriers still deliver). */
    private static final Pattern SHORT_CODE = Pattern.compile("[0-9]{3,15}");
    private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9._@-]{1,255}");

    /** How a form webhook is understood. */
    enum Kind {
        /** An incoming SMS or MMS. */
        MESSAGE,
        /** A status callback of one of our messages. */
        STATUS,
        /** A status callback that names none of our messages (a Messaging Service's own callback URL). */
        FOREIGN_STATUS,
        /** A status the connector does not know. */
        UNKNOWN_STATUS,
        /** An Event Streams (JSON) batch. */
        EVENTS
    }

    /**
     * What the mapper is configured with.
     *
     * @param connectorId         the instance id (events' source)
     * @param tenantId            tenant
     * @param queue               local queue of new interactions, or empty
     * @param accountSid          the account whose webhooks these are, or empty to accept any
     * @param messagingServiceSid the Messaging Service replies go through, or empty
     * @param fromNumbers         the numbers replies may come from (the first is the default), E.164
     * @param webhookUrl          the public URL of this instance's webhook ({@code <publicBaseUrl>/webhooks/twilio/<id>}),
     *                            or empty when status callbacks are off
     */
    record Settings(String connectorId, String tenantId, String queue, String accountSid, String messagingServiceSid,
                    List<String> fromNumbers, String webhookUrl) {

        Settings {
            queue = queue == null ? "" : queue.strip();
            accountSid = accountSid == null ? "" : accountSid.strip();
            messagingServiceSid = messagingServiceSid == null ? "" : messagingServiceSid.strip();
            fromNumbers = List.copyOf(fromNumbers);
            webhookUrl = webhookUrl == null ? "" : webhookUrl;
        }
    }

    private final Settings settings;
    private final ContentStore content;

    TwilioMapper(Settings settings, ContentStore content) {
        this.settings = settings;
        this.content = content;
    }

    Settings settings() {
        return settings;
    }

    /** What a webhook is. */
    Kind kind(TwilioInbound in) {
        if (in.json() != null) {
            return Kind.EVENTS;
        }
        FormBody form = in.form();
        if (in.query().containsKey(QUERY_MESSAGE_ID)) {
            return TwilioStatus.of(status(form)).isPresent() ? Kind.STATUS : Kind.UNKNOWN_STATUS;
        }
        String status = status(form);
        if (!status.isEmpty() && !status.equals("received") && !status.equals("receiving")) {
            return TwilioStatus.of(status).isPresent() ? Kind.FOREIGN_STATUS : Kind.UNKNOWN_STATUS;
        }
        return Kind.MESSAGE;
    }

    private static String status(FormBody form) {
        return form.first("MessageStatus").or(() -> form.first("SmsStatus")).orElse("").strip();
    }

    @Override
    public List<InboundEvent> toEvents(TwilioInbound in) {
        return switch (kind(in)) {
            case MESSAGE -> List.of(message(in.form(), in.receivedAt()));
            case STATUS -> List.of(status(in.form(), in.query(), in.receivedAt()));
            case FOREIGN_STATUS, UNKNOWN_STATUS -> List.of();
            case EVENTS -> events(in.json(), in.receivedAt());
        };
    }

    /** The media of an incoming MMS to fetch; empty for anything else. */
    List<MediaJob> mediaJobs(TwilioInbound in) {
        if (kind(in) != Kind.MESSAGE) {
            return List.of();
        }
        FormBody form = in.form();
        String sid = messageSid(form);
        String from = phone(form.get("From"), "From").uri();
        int n = numMedia(form);
        List<MediaJob> jobs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String url = mediaUrl(form, i);
            jobs.add(new MediaJob(settings.tenantId(), mediaKey(sid, i), url, mediaType(form, i), mediaName(url, i),
                    sid, from, threadKey(form.get("From"))));
        }
        return jobs;
    }

    private InboundEvent message(FormBody form, Instant receivedAt) {
        String sid = messageSid(form);
        String account = form.get("AccountSid");
        if (!settings.accountSid().isEmpty() && !account.isEmpty() && !account.equals(settings.accountSid())) {
            throw new MalformedInputException("AccountSid is not the account of this connector");
        }
        Address from = phone(form.get("From"), "From");
        String toNumber = form.get("To").strip();
        Address to = toNumber.isEmpty() ? null : phone(toNumber, "To");
        String body = form.get("Body");
        if (body.length() > io.musubi.model.InputRules.MESSAGE_TEXT_MAX) {
            throw new MalformedInputException("Body is longer than " + io.musubi.model.InputRules.MESSAGE_TEXT_MAX
                    + " characters");
        }
        int n = numMedia(form);
        List<Attachment> attachments = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String url = mediaUrl(form, i);
            attachments.add(new Attachment(content.referenceOf(settings.tenantId(), mediaKey(sid, i)),
                    mediaType(form, i), mediaName(url, i), -1));
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put(MESSAGE_SID, sid);
        attributes.put(NUM_MEDIA, Integer.toString(n));
        form.first("NumSegments").filter(s -> s.matches("[0-9]{1,4}")).ifPresent(s -> attributes.put(NUM_SEGMENTS, s));
        form.first("OptOutType").filter(s -> s.matches("[A-Za-z]{1,32}")).ifPresent(s -> attributes.put(OPT_OUT_TYPE, s));
        if (to != null) {
            attributes.put(TO_NUMBER, to.value());
            attributes.put(REPLY_FROM, to.value());
        }
        if (!settings.queue().isEmpty()) {
            attributes.put(ConnectorAttributes.QUEUE, settings.queue());
        }
        return new InboundEvent(sid, settings.connectorId(), settings.tenantId(), Channel.SMS,
                InteractionEventType.MESSAGE_IN, from, to, threadKey(from.value()),
                new MessageContent(body, attachments), attributes, receivedAt);
    }

    private InboundEvent status(FormBody form, Map<String, String> query, Instant receivedAt) {
        String messageId = hubId(query.get(QUERY_MESSAGE_ID), QUERY_MESSAGE_ID);
        String interactionId = hubId(query.get(QUERY_INTERACTION_ID), QUERY_INTERACTION_ID);
        TwilioStatus status = TwilioStatus.of(status(form)).orElseThrow();
        String sid = form.first("MessageSid").or(() -> form.first("SmsSid")).orElse("");
        if (!sid.isEmpty() && !SID.matcher(sid).matches()) {
            throw new MalformedInputException("MessageSid is not a Twilio SID");
        }
        Address customer = phone(form.get("To"), "To");
        String errorCode = form.get("ErrorCode").strip();
        if (!errorCode.isEmpty() && !errorCode.matches("[0-9]{1,10}")) {
            throw new MalformedInputException("ErrorCode is not a number");
        }
        Map<String, String> extra = new HashMap<>();
        extra.put(STATUS, status.wireName());
        if (!errorCode.isEmpty()) {
            extra.put(ERROR_CODE, errorCode);
        }
        String reason = "";
        if (status.rank() >= 3 && status != TwilioStatus.DELIVERED && status != TwilioStatus.READ) {
            reason = "twilio-" + (errorCode.isEmpty() ? status.wireName() : errorCode);
        }
        return ConnectorEvents.messageStatus(statusEventId(messageId, status.delivery().wireName(), status),
                settings.connectorId(), settings.tenantId(), Channel.SMS, customer, interactionId, messageId,
                status.delivery(), sid, reason, extra, receivedAt);
    }

    /**
     * The event id of a status of one of our messages: {@code <messageId>/<hub status>} for the statuses the egress
     * route can also report (queued, sent, delivered, failed), so that its report and Twilio's callback are recorded
     * once; {@code <messageId>/<twilio status>} for Twilio's finer ones (sending, undelivered, canceled, read).
     */
    static String statusEventId(String messageId, String hubStatus, TwilioStatus status) {
        boolean same = switch (status) {
            case ACCEPTED, SCHEDULED, QUEUED, SENT, DELIVERED, FAILED -> true;
            default -> false;
        };
        return messageId + "/" + (same ? hubStatus : status.wireName());
    }

    private List<InboundEvent> events(JsonNode json, Instant receivedAt) {
        List<JsonNode> items = new ArrayList<>();
        if (json.isArray()) {
            json.forEach(items::add);
        } else if (json.isObject()) {
            items.add(json);
        } else {
            throw new MalformedInputException("the JSON body is neither an event nor a list of events");
        }
        List<InboundEvent> out = new ArrayList<>();
        for (JsonNode e : items) {
            if (!INBOUND_EVENT_TYPE.equals(e.path("type").asText())) {
                continue;
            }
            JsonNode data = e.path("data");
            String sid = data.path("messageSid").asText("");
            if (!SID.matcher(sid).matches()) {
                throw new MalformedInputException("data.messageSid is not a Twilio SID");
            }
            String account = data.path("accountSid").asText("");
            if (!settings.accountSid().isEmpty() && !account.isEmpty() && !account.equals(settings.accountSid())) {
                throw new MalformedInputException("data.accountSid is not the account of this connector");
            }
            Address from = phone(data.path("from").asText(""), "data.from");
            String toNumber = data.path("to").asText("").strip();
            Address to = toNumber.isEmpty() ? null : phone(toNumber, "data.to");
            String body = data.path("body").asText("");
            if (body.length() > io.musubi.model.InputRules.MESSAGE_TEXT_MAX) {
                throw new MalformedInputException("data.body is longer than "
                        + io.musubi.model.InputRules.MESSAGE_TEXT_MAX + " characters");
            }
            Map<String, String> attributes = new HashMap<>();
            attributes.put(MESSAGE_SID, sid);
            attributes.put(NUM_MEDIA, Integer.toString(Math.max(0, data.path("numMedia").asInt(0))));
            if (to != null) {
                attributes.put(TO_NUMBER, to.value());
                attributes.put(REPLY_FROM, to.value());
            }
            if (!settings.queue().isEmpty()) {
                attributes.put(ConnectorAttributes.QUEUE, settings.queue());
            }
            Instant at = receivedAt;
            String time = data.path("timestamp").asText(e.path("time").asText(""));
            if (!time.isEmpty()) {
                try {
                    at = Instant.parse(time);
                } catch (DateTimeParseException ignored) {
                    // the time the hub received it
                }
            }
            out.add(new InboundEvent(sid, settings.connectorId(), settings.tenantId(), Channel.SMS,
                    InteractionEventType.MESSAGE_IN, from, to, threadKey(from.value()), MessageContent.text(body),
                    attributes, at));
        }
        return out;
    }

    @Override
    public OutboundRequest toExternal(OutboundMessage message) {
        if (!"tel".equals(message.to().scheme()) || !E164.matcher(message.to().value()).matches()) {
            throw new PermanentDeliveryException("invalid-recipient", "the recipient is not an E.164 tel: address");
        }
        if (!message.content().attachments().isEmpty()) {
            throw new PermanentDeliveryException("attachments-unsupported",
                    "attachments cannot be sent by this connector (MMS media need a public URL)");
        }
        String text = message.content().text();
        if (text.isBlank()) {
            throw new PermanentDeliveryException("empty-message", "the message has no text");
        }
        if (text.codePointCount(0, text.length()) > MAX_BODY_CHARS) {
            throw new PermanentDeliveryException("body-too-long", "the text is longer than Twilio's "
                    + MAX_BODY_CHARS + " characters");
        }
        String callback = settings.webhookUrl().isEmpty() ? "" : settings.webhookUrl() + "?" + QUERY_MESSAGE_ID + "="
                + URLEncoder.encode(message.id(), StandardCharsets.UTF_8) + "&" + QUERY_INTERACTION_ID + "="
                + URLEncoder.encode(message.interactionId(), StandardCharsets.UTF_8);
        if (!settings.messagingServiceSid().isEmpty()) {
            return new OutboundRequest(message.to().value(), "", settings.messagingServiceSid(), text, callback);
        }
        return new OutboundRequest(message.to().value(), sender(message).orElseThrow(() ->
                new PermanentDeliveryException("no-sender", "neither a Messaging Service nor a from number is "
                        + "configured")), "", text, callback);
    }

    /** The number a reply comes from, without a Messaging Service. */
    Optional<String> sender(OutboundMessage message) {
        String last = message.attributes().getOrDefault(REPLY_FROM, "");
        if (E164.matcher(last).matches()
                && (settings.fromNumbers().isEmpty() || settings.fromNumbers().contains(last))) {
            return Optional.of(last);
        }
        return settings.fromNumbers().stream().findFirst();
    }

    /** The conversation of a customer number on this instance. */
    String threadKey(String customerNumber) {
        return settings.connectorId() + "/" + customerNumber;
    }

    /** The content store key of one media of a message. */
    String mediaKey(String messageSid, int index) {
        return settings.connectorId() + "/media/" + messageSid + "/" + index;
    }

    private static String messageSid(FormBody form) {
        String sid = form.first("MessageSid").or(() -> form.first("SmsMessageSid")).or(() -> form.first("SmsSid"))
                .orElse("").strip();
        if (sid.isEmpty()) {
            throw new MalformedInputException("MessageSid is missing");
        }
        if (!SID.matcher(sid).matches()) {
            throw new MalformedInputException("MessageSid is not a Twilio SID");
        }
        return sid;
    }

    /** A phone number as a {@code tel:} address: E.164, or a short code. */
    static Address phone(String number, String field) {
        String n = number == null ? "" : number.strip();
        if (n.isEmpty()) {
            throw new MalformedInputException(field + " is missing");
        }
        if (!E164.matcher(n).matches() && !SHORT_CODE.matcher(n).matches()) {
            throw new MalformedInputException(field + " is not a phone number (E.164 or a short code); channel "
                    + "addresses such as whatsapp: are not taken by this connector");
        }
        return Address.of("tel", n);
    }

    private static int numMedia(FormBody form) {
        String n = form.get("NumMedia").strip();
        if (n.isEmpty()) {
            return 0;
        }
        if (!n.matches("[0-9]{1,2}") || Integer.parseInt(n) > MAX_MEDIA) {
            throw new MalformedInputException("NumMedia is not a number from 0 to " + MAX_MEDIA);
        }
        return Integer.parseInt(n);
    }

    private static String mediaUrl(FormBody form, int i) {
        String url = form.get("MediaUrl" + i).strip();
        if (url.isEmpty()) {
            throw new MalformedInputException("MediaUrl" + i + " is missing");
        }
        if (!(url.startsWith("https://") || url.startsWith("http://")) || url.length() > 2000) {
            throw new MalformedInputException("MediaUrl" + i + " is not an http(s) URL");
        }
        return url;
    }

    private static String mediaType(FormBody form, int i) {
        String type = form.get("MediaContentType" + i).strip();
        return type.matches("[A-Za-z0-9!#$&^_.+-]{1,127}/[A-Za-z0-9!#$&^_.+-]{1,127}") ? type
                : "application/octet-stream";
    }

    /** The media's SID (the URL's last segment) as its name, or {@code media-<n>}. */
    private static String mediaName(String url, int i) {
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String last = path.substring(path.lastIndexOf('/') + 1);
        return SID.matcher(last).matches() ? last : "media-" + i;
    }

    private static String hubId(String value, String field) {
        if (value == null || !HUB_ID.matcher(value).matches()) {
            throw new MalformedInputException("the callback URL's " + field + " is missing or not an id");
        }
        return value;
    }
}
