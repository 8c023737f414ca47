package io.musubi.store.jdbc;

import io.musubi.store.ErasureReport;
import io.musubi.store.HistoryException;
import io.musubi.store.HistoryStore;
import io.musubi.store.IdempotencyRepository;
import io.musubi.store.JourneyPage;
import io.musubi.store.JourneyQuery;
import io.musubi.store.MergeRecord;
import io.musubi.store.UnknownCustomerException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.musubi.model.Address;
import io.musubi.model.Channel;
import io.musubi.model.Interaction;
import io.musubi.model.InteractionEvent;
import io.musubi.model.InteractionEventType;
import io.musubi.model.InteractionState;
import io.musubi.model.MessageContent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The {@link HistoryStore} and {@link IdempotencyRepository} contract; one subclass per database. */
abstract class AbstractHistoryStoreTest extends AbstractHistoryTest {

    @Test
    void appendedEventReadsBackUnchanged() {
        String c = newCustomer("line:U1");
        InteractionEvent e = new InteractionEvent("e1", tenant, "i1", c, Channel.LINE, InteractionEventType.MESSAGE_IN,
                T0.plusNanos(123_456_000), "customer", Map.of("replyToken", "r1", "lang", "ja"),
                withAttachment("こんにちは、注文の件です"));

        assertThat(store().append(e)).isTrue();

        assertThat(store().journey(JourneyQuery.of(tenant, c)).events()).containsExactly(e);
        assertThat(store().interactionEvents(tenant, "i1")).containsExactly(e);
    }

    @Test
    void eventsWithoutContentAndWithEmptyContentStayDistinct() {
        String c = newCustomer("line:U2");
        InteractionEvent none = event("e1", "i1", c, Channel.LINE, InteractionEventType.QUEUED, T0);
        InteractionEvent empty = new InteractionEvent("e2", tenant, "i1", c, Channel.LINE,
                InteractionEventType.MESSAGE_IN, T0.plusSeconds(1), "customer", Map.of(), MessageContent.text(""));
        store().appendAll(List.of(none, empty));

        assertThat(store().journey(JourneyQuery.of(tenant, c)).events()).containsExactly(none, empty);
    }

    @Test
    void appendingTheSameEventIdTwiceStoresItOnce() {
        String c = newCustomer("tel:+81312345678");
        InteractionEvent e = message("dup-1", "i1", c, Channel.VOICE, T0, "first");

        assertThat(store().append(e)).isTrue();
        assertThat(store().append(e)).isFalse();
        assertThat(store().append(message("dup-1", "i1", c, Channel.VOICE, T0.plusSeconds(5), "changed"))).isFalse();
        int stored = store().appendAll(List.of(
                message("dup-1", "i1", c, Channel.VOICE, T0, "first"),
                message("dup-2", "i1", c, Channel.VOICE, T0.plusSeconds(1), "second"),
                message("dup-2", "i1", c, Channel.VOICE, T0.plusSeconds(1), "second"),
                message("dup-3", "i1", c, Channel.VOICE, T0.plusSeconds(2), "third")));

        assertThat(stored).isEqualTo(2);
        assertThat(store().journey(JourneyQuery.of(tenant, c)).events())
                .extracting(InteractionEvent::id).containsExactly("dup-1", "dup-2", "dup-3");
        assertThat(store().journey(JourneyQuery.of(tenant, c)).events().get(0).content().text()).isEqualTo("first");
    }

    @Test
    void concurrentAppendsStoreEveryEventOnceAndABadEventFailsOnlyItsCaller() throws Exception {
        String c = newCustomer("line:Uconcurrent");
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int stored = 0;
                    for (int i = 0; i < perThread; i++) {
                        // every id is appended by two threads: redeliveries racing each other
                        String id = "c" + ((thread / 2) * perThread + i);
                        stored += store().append(event(id, "i1", c, Channel.LINE, InteractionEventType.MESSAGE_IN,
                                T0.plusMillis(i))) ? 1 : 0;
                    }
                    return stored;
                }));
            }
            Future<Throwable> bad = pool.submit(() -> {
                start.await();
                try {
                    store().append(event("x".repeat(300), "i1", c, Channel.LINE, InteractionEventType.NOTE, T0));
                    return null;
                } catch (HistoryException e) {
                    return e;
                }
            });
            start.countDown();
            int stored = 0;
            for (Future<Integer> f : results) {
                stored += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(bad.get(60, TimeUnit.SECONDS)).isInstanceOf(HistoryException.class);
            assertThat(stored).isEqualTo(threads / 2 * perThread);
            assertThat(store().eventCounts(tenant, c)).containsEntry(Channel.LINE, (long) threads / 2 * perThread);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eventIdsAreScopedToTheTenant() {
        String c = newCustomer("line:U3");
        InteractionEvent e = message("same-id", "i1", c, Channel.LINE, T0, "x");
        String otherTenant = tenant + "-other";
        InteractionEvent other = new InteractionEvent("same-id", otherTenant, "i1", c, Channel.LINE,
                InteractionEventType.MESSAGE_IN, T0, "customer", Map.of(), MessageContent.text("y"));

        assertThat(store().append(e)).isTrue();
        assertThat(store().append(other)).isTrue();
        assertThat(store().journey(JourneyQuery.of(tenant, c)).events()).containsExactly(e);
        assertThat(store().journey(JourneyQuery.of(otherTenant, c)).events()).containsExactly(other);
    }

    @Test
    void journeyOfACustomerWhoUsedTwoChannelsReadsAsOneTimeline() {
        String c = newCustomer("line:U4");
        String stranger = newCustomer("line:U5");
        List<InteractionEvent> timeline = List.of(
                message("a1", "line-1", c, Channel.LINE, T0, "hello on LINE"),
                event("a2", "line-1", c, Channel.LINE, InteractionEventType.ACCEPTED, T0.plusSeconds(10)),
                event("b1", "call-1", c, Channel.VOICE, InteractionEventType.ARRIVED, T0.plusSeconds(60)),
                message("a3", "line-1", c, Channel.LINE, T0.plusSeconds(61), "still there?"),
                event("b2", "call-1", c, Channel.VOICE, InteractionEventType.ACCEPTED, T0.plusSeconds(75)),
                event("b3", "call-1", c, Channel.VOICE, InteractionEventType.ENDED, T0.plusSeconds(300)));
        List<InteractionEvent> shuffled = new ArrayList<>(timeline);
        Collections.reverse(shuffled);
        store().appendAll(shuffled.subList(0, 3));
        store().append(message("s1", "line-9", stranger, Channel.LINE, T0.plusSeconds(30), "not me"));
        store().appendAll(shuffled.subList(3, 6));

        JourneyPage page = store().journey(JourneyQuery.of(tenant, c));

        assertThat(page.events()).containsExactlyElementsOf(timeline);
        assertThat(page.hasMore()).isFalse();
        assertThat(store().journey(JourneyQuery.of(tenant, c).newestFirst(true)).events())
                .extracting(InteractionEvent::id).containsExactly("b3", "b2", "a3", "b1", "a2", "a1");
    }

    @Test
    void cursorPagingVisitsEveryEventOnceInOrderEvenWithEqualTimestamps() {
        String c = newCustomer("webchat:v1");
        List<InteractionEvent> all = new ArrayList<>();
        for (int i = 0; i < 47; i++) {
            // groups of three share a time stamp: the cursor must break ties
            all.add(event(String.format("p%02d", i), "i1", c, Channel.WEBCHAT, InteractionEventType.MESSAGE_IN,
                    T0.plusMillis((i / 3) * 10)));
        }
        store().appendAll(all);

        List<String> seen = new ArrayList<>();
        JourneyQuery q = JourneyQuery.of(tenant, c).withLimit(10);
        int pages = 0;
        JourneyPage page;
        do {
            page = store().journey(q);
            page.events().forEach(e -> seen.add(e.id()));
            q = q.after(page.nextCursor());
            pages++;
        } while (page.hasMore());

        assertThat(pages).isEqualTo(5);
        assertThat(seen).containsExactlyElementsOf(all.stream().map(InteractionEvent::id).toList());

        List<String> backwards = new ArrayList<>();
        q = JourneyQuery.of(tenant, c).withLimit(7).newestFirst(true);
        do {
            page = store().journey(q);
            page.events().forEach(e -> backwards.add(e.id()));
            q = q.after(page.nextCursor());
        } while (page.hasMore());
        List<String> reversed = new ArrayList<>(seen);
        Collections.reverse(reversed);
        assertThat(backwards).containsExactlyElementsOf(reversed);
    }

    @Test
    void exactlyFullLastPageHasNoNextCursor() {
        String c = newCustomer("webchat:v2");
        store().appendAll(IntStream.range(0, 10).mapToObj(i -> event("f" + i, "i1", c, Channel.WEBCHAT,
                InteractionEventType.MESSAGE_IN, T0.plusSeconds(i))).toList());

        JourneyPage first = store().journey(JourneyQuery.of(tenant, c).withLimit(5));
        JourneyPage second = store().journey(JourneyQuery.of(tenant, c).withLimit(5).after(first.nextCursor()));

        assertThat(first.hasMore()).isTrue();
        assertThat(second.events()).hasSize(5);
        assertThat(second.hasMore()).isFalse();
    }

    @Test
    void journeyFiltersByChannelTypeAndTimeRange() {
        String c = newCustomer("mailto:a@example.jp");
        store().appendAll(List.of(
                message("m1", "mail-1", c, Channel.EMAIL, T0, "mail"),
                event("m2", "mail-1", c, Channel.EMAIL, InteractionEventType.ENDED, T0.plusSeconds(100)),
                message("s1", "sms-1", c, Channel.SMS, T0.plusSeconds(200), "sms"),
                event("v1", "call-1", c, Channel.VOICE, InteractionEventType.ARRIVED, T0.plusSeconds(300)),
                event("v2", "call-1", c, Channel.VOICE, InteractionEventType.ENDED, T0.plusSeconds(400))));

        assertThat(ids(JourneyQuery.of(tenant, c).withChannels(Set.of(Channel.EMAIL, Channel.SMS))))
                .containsExactly("m1", "m2", "s1");
        assertThat(ids(JourneyQuery.of(tenant, c).withTypes(Set.of(InteractionEventType.ENDED))))
                .containsExactly("m2", "v2");
        assertThat(ids(JourneyQuery.of(tenant, c).withTimeRange(T0.plusSeconds(100), T0.plusSeconds(300))))
                .containsExactly("m2", "s1");
        assertThat(ids(JourneyQuery.of(tenant, c).withTimeRange(T0.plusSeconds(150), null)))
                .containsExactly("s1", "v1", "v2");
        assertThat(ids(JourneyQuery.of(tenant, c).withChannels(Set.of(Channel.VOICE))
                .withTypes(Set.of(InteractionEventType.ENDED)).withTimeRange(null, T0.plusSeconds(401))))
                .containsExactly("v2");

        JourneyQuery paged = JourneyQuery.of(tenant, c).withTypes(Set.of(InteractionEventType.ENDED,
                InteractionEventType.MESSAGE_IN)).withLimit(2);
        JourneyPage first = store().journey(paged);
        JourneyPage second = store().journey(paged.after(first.nextCursor()));
        assertThat(first.events()).extracting(InteractionEvent::id).containsExactly("m1", "m2");
        assertThat(second.events()).extracting(InteractionEvent::id).containsExactly("s1", "v2");
        assertThat(second.hasMore()).isFalse();
    }

    @Test
    void malformedCursorIsRejected() {
        String c = newCustomer("webchat:v3");
        assertThatThrownBy(() -> store().journey(JourneyQuery.of(tenant, c).after("not-a-cursor")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JourneyQuery.of(tenant, c).withLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mergedCustomersEventsAppearInTheSurvivorsJourneyUntilSplit() {
        String line = newCustomer("line:U6");
        String phone = newCustomer("tel:+819012345678");
        store().append(message("l1", "line-1", line, Channel.LINE, T0, "line"));
        store().append(event("v1", "call-1", phone, Channel.VOICE, InteractionEventType.ARRIVED, T0.plusSeconds(5)));

        MergeRecord merge = customers().merge(tenant, line, phone, "agent:a1");
        store().append(event("v2", "call-2", line, Channel.VOICE, InteractionEventType.ARRIVED, T0.plusSeconds(9)));

        assertThat(ids(JourneyQuery.of(tenant, line))).containsExactly("l1", "v1", "v2");
        assertThat(ids(JourneyQuery.of(tenant, phone))).containsExactly("l1", "v1", "v2");
        assertThat(store().eventCounts(tenant, line)).containsEntry(Channel.LINE, 1L).containsEntry(Channel.VOICE, 2L);

        customers().split(tenant, merge.id(), "agent:a1");

        assertThat(ids(JourneyQuery.of(tenant, line))).containsExactly("l1", "v2");
        assertThat(ids(JourneyQuery.of(tenant, phone))).containsExactly("v1");
    }

    @Test
    void interactionStateIsCreatedAndReplaced() {
        String c = newCustomer("line:U7");
        Interaction x = new Interaction("i-1", tenant, Channel.LINE, c, Address.parse("line:U7"),
                Address.parse("line:Ochannel"), "U7", "q-support", 2, Map.of("lang", "ja"), InteractionState.QUEUED,
                T0, T0, "", "");
        store().saveInteraction(x);
        assertThat(store().findInteraction(tenant, "i-1")).contains(x);

        Interaction done = new Interaction("i-1", tenant, Channel.LINE, c, Address.parse("line:U7"), null, "U7",
                "q-support", 2, Map.of(), InteractionState.ENDED, T0, T0.plusSeconds(90), "agent-7", "resolved");
        store().saveInteraction(done);

        assertThat(store().findInteraction(tenant, "i-1")).contains(done);
        assertThat(store().findInteraction(tenant + "x", "i-1")).isEmpty();
    }

    @Test
    void theOpenInteractionOfAThreadIsTheNewestNotEndedOne() {
        String c = newCustomer("line:U9");
        Address from = Address.parse("line:U9");
        store().saveInteraction(new Interaction("i-old", tenant, Channel.LINE, c, from, null, "U9", "", 0, Map.of(),
                InteractionState.ENDED, T0, T0.plusSeconds(60), "", ""));
        assertThat(store().findOpenInteraction(tenant, Channel.LINE, "U9")).isEmpty();

        Interaction open = new Interaction("i-new", tenant, Channel.LINE, c, from, null, "U9", "", 0, Map.of(),
                InteractionState.QUEUED, T0.plusSeconds(120), T0.plusSeconds(120), "", "");
        store().saveInteraction(open);
        assertThat(store().findOpenInteraction(tenant, Channel.LINE, "U9")).contains(open);
        assertThat(store().findOpenInteraction(tenant, Channel.SMS, "U9")).isEmpty();
        assertThat(store().findOpenInteraction(tenant + "x", Channel.LINE, "U9")).isEmpty();
        assertThat(store().findOpenInteraction(tenant, Channel.LINE, "U10")).isEmpty();

        store().saveInteraction(new Interaction("i-new", tenant, Channel.LINE, c, from, null, "U9", "", 0, Map.of(),
                InteractionState.ABANDONED, T0.plusSeconds(120), T0.plusSeconds(200), "", ""));
        assertThat(store().findOpenInteraction(tenant, Channel.LINE, "U9")).isEmpty();
    }

    @Test
    void exportContainsTheCustomerMergesInteractionsAndEveryEvent() throws Exception {
        String c = newCustomer("line:U8");
        String other = newCustomer("mailto:taro@example.jp");
        customers().addTags(tenant, c, Set.of("vip"));
        customers().putExternalRef(tenant, c, "salesforce", "0035g00000XyZ");
        customers().merge(tenant, c, other, "agent:a9");
        store().saveInteraction(new Interaction("i-1", tenant, Channel.LINE, c, Address.parse("line:U8"), null, "U8",
                "", 0, Map.of(), InteractionState.NEW, T0, T0, "", ""));
        List<InteractionEvent> events = new ArrayList<>();
        for (int i = 0; i < 1203; i++) { // more than one internal page
            events.add(message("x" + i, "i-1", i % 2 == 0 ? c : other, Channel.LINE, T0.plusSeconds(i), "msg " + i));
        }
        store().appendAll(events);
        store().append(new InteractionEvent("att", tenant, "i-1", c, Channel.LINE, InteractionEventType.MESSAGE_IN,
                T0.plusSeconds(5000), "customer", Map.of(), withAttachment("see photo")));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store().exportCustomer(tenant, other, out);
        JsonNode doc = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));

        assertThat(doc.path("format").asText()).isEqualTo("musubi.customer-export/1");
        assertThat(doc.path("customer").path("id").asText()).isEqualTo(c);
        assertThat(doc.path("customer").path("addresses")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("line:U8", "mailto:taro@example.jp");
        assertThat(doc.path("customer").path("tags")).extracting(JsonNode::asText).containsExactly("vip");
        assertThat(doc.path("customer").path("externalRefs").path("salesforce").asText()).isEqualTo("0035g00000XyZ");
        assertThat(doc.path("customer").path("mergedCustomerIds")).extracting(JsonNode::asText).containsExactly(other);
        assertThat(doc.path("merges")).hasSize(1);
        assertThat(doc.path("interactions")).hasSize(1);
        assertThat(doc.path("events")).hasSize(1204);
        assertThat(doc.path("events").get(1).path("content").path("text").asText()).isEqualTo("msg 1");
        JsonNode last = doc.path("events").get(1203);
        assertThat(last.path("content").path("attachments").get(0).path("ref").asText()).isEqualTo("cs://blob/1");

        assertThatThrownBy(() -> store().exportCustomer(tenant, "nobody", new ByteArrayOutputStream()))
                .isInstanceOf(UnknownCustomerException.class);
    }

    @Test
    void erasureRemovesContentAndAddressesButKeepsAnonymisedCounts() throws Exception {
        String c = newCustomer("line:U9");
        String other = newCustomer("tel:+81311112222");
        customers().setDisplayName(tenant, c, "山田太郎");
        customers().putExternalRef(tenant, c, "crm", "C-42");
        customers().merge(tenant, c, other, "crm");
        String keep = newCustomer("line:U10");
        store().saveInteraction(new Interaction("i-1", tenant, Channel.LINE, c, Address.parse("line:U9"),
                Address.parse("line:Oshop"), "U9", "q1", 0, Map.of(), InteractionState.ENDED, T0, T0, "a1", ""));
        store().saveInteraction(new Interaction("i-2", tenant, Channel.VOICE, other, Address.parse("tel:+81311112222"),
                null, "call-7", "", 0, Map.of("ivr.account", "12345"), InteractionState.ENDED, T0, T0, "", ""));
        store().appendAll(List.of(
                new InteractionEvent("e1", tenant, "i-1", c, Channel.LINE, InteractionEventType.MESSAGE_IN, T0,
                        "customer", Map.of("k", "secret"), withAttachment("my address is ...")),
                event("e2", "i-1", c, Channel.LINE, InteractionEventType.ENDED, T0.plusSeconds(3)),
                message("e3", "i-2", other, Channel.VOICE, T0.plusSeconds(4), "voicemail transcript")));
        store().append(message("k1", "i-9", keep, Channel.LINE, T0, "unrelated"));

        ErasureReport report = store().eraseCustomer(tenant, other, "dpo:1");

        assertThat(report.customerIds()).containsExactlyInAnyOrder(c, other);
        assertThat(report.eventsAnonymised()).isEqualTo(3);
        assertThat(report.interactionsAnonymised()).isEqualTo(2);
        assertThat(report.addressesRemoved()).isEqualTo(2);

        List<InteractionEvent> after = store().journey(JourneyQuery.of(tenant, c)).events();
        assertThat(after).extracting(InteractionEvent::id).containsExactly("e1", "e2", "e3");
        assertThat(after).allSatisfy(e -> {
            assertThat(e.content()).isNull();
            assertThat(e.attributes()).isEmpty();
        });
        assertThat(after).extracting(InteractionEvent::type).containsExactly(InteractionEventType.MESSAGE_IN,
                InteractionEventType.ENDED, InteractionEventType.MESSAGE_IN);
        assertThat(store().eventCounts(tenant, c)).containsEntry(Channel.LINE, 2L).containsEntry(Channel.VOICE, 1L);
        assertThat(customers().find(tenant, c)).hasValueSatisfying(v -> {
            assertThat(v.displayName()).isEmpty();
            assertThat(v.addresses()).isEmpty();
            assertThat(v.externalRefs()).isEmpty();
        });
        assertThat(customers().findByAddress(tenant, Address.parse("line:U9"))).isEmpty();
        Interaction erasedInteraction = store().findInteraction(tenant, "i-2").orElseThrow();
        assertThat(erasedInteraction.from().uri()).isEqualTo("erased:erased");
        assertThat(erasedInteraction.threadKey()).isEmpty();
        assertThat(erasedInteraction.attributes()).isEmpty();
        // the same person writing again is a new customer
        assertThat(customers().resolveOrCreate(tenant, Address.parse("line:U9")).created()).isTrue();
        // others are untouched
        assertThat(store().journey(JourneyQuery.of(tenant, keep)).events().get(0).content().text())
                .isEqualTo("unrelated");
        // the export shows the erased state
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store().exportCustomer(tenant, c, out);
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).contains("\"erased\" : true").doesNotContain("transcript").doesNotContain("+81311112222")
                .doesNotContain("山田");
        // erasing again is harmless
        assertThat(store().eraseCustomer(tenant, c, "dpo:1").eventsAnonymised()).isZero();
        assertThatThrownBy(() -> customers().merge(tenant, keep, c, "agent:x"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void eventsAndProcessedIdsSurviveARestart() {
        String c = newCustomer("line:U11");
        store().append(message("r1", "i1", c, Channel.LINE, T0, "before restart"));
        assertThat(history.idempotency().markProcessed(tenant, "line~main", "wh-1")).isTrue();

        restart();

        assertThat(store().append(message("r1", "i1", c, Channel.LINE, T0, "before restart"))).isFalse();
        assertThat(ids(JourneyQuery.of(tenant, c))).containsExactly("r1");
        assertThat(history.idempotency().markProcessed(tenant, "line~main", "wh-1")).isFalse();
        assertThat(customers().findByAddress(tenant, Address.parse("line:U11"))).isPresent();
    }

    @Test
    void aMarkRemembersTheInteractionItsEventOpened() {
        IdempotencyRepository ids = history.idempotency();

        assertThat(ids.processedInteraction(tenant, "line~main", "wh-1")).isEmpty();
        assertThat(ids.markProcessed(tenant, "line~main", "wh-1", "i-0193-a")).isTrue();
        assertThat(ids.markProcessed(tenant, "line~main", "wh-1", "i-0193-b")).isFalse();
        assertThat(ids.markProcessed(tenant, "line~main", "wh-2")).isTrue();

        assertThat(ids.processedInteraction(tenant, "line~main", "wh-1")).contains("i-0193-a");
        assertThat(ids.processedInteraction(tenant, "line~main", "wh-2")).isEmpty();
        assertThat(ids.isProcessed(tenant, "line~main", "wh-2")).isTrue();
        assertThat(ids.processedInteraction(tenant + "-b", "line~main", "wh-1")).isEmpty();
    }

    @Test
    void idempotencyMarksOncePerTenantAndSource() {
        IdempotencyRepository ids = history.idempotency();
        String longId = "<" + "x".repeat(600) + "@mail.example.jp>";

        assertThat(ids.isProcessed(tenant, "line~main", "wh-1")).isFalse();
        assertThat(ids.markProcessed(tenant, "line~main", "wh-1")).isTrue();
        assertThat(ids.markProcessed(tenant, "line~main", "wh-1")).isFalse();
        assertThat(ids.isProcessed(tenant, "line~main", "wh-1")).isTrue();
        assertThat(ids.markProcessed(tenant, "line~other", "wh-1")).isTrue();
        assertThat(ids.markProcessed(tenant + "-b", "line~main", "wh-1")).isTrue();
        assertThat(ids.markProcessed(tenant, "mail~imap", longId)).isTrue();
        assertThat(ids.markProcessed(tenant, "mail~imap", longId)).isFalse();
        assertThat(ids.markProcessed(tenant, "mail~imap", longId + "2")).isTrue();

        assertThat(ids.unmark(tenant, "line~main", "wh-1")).isTrue();
        assertThat(ids.unmark(tenant, "line~main", "wh-1")).isFalse();
        assertThat(ids.markProcessed(tenant, "line~main", "wh-1")).isTrue();
    }

    @Test
    void idempotencyPurgeForgetsOnlyTheTenantsMarksOlderThanTheAgeByTheStoresClock() {
        TestClock clock = new TestClock(T0);
        String other = tenant + "-b";
        try (JdbcStore node = JdbcStore.open(settings, clock, "node-purge")) {
            IdempotencyRepository ids = node.idempotency();
            ids.markProcessed(tenant, "twilio~sms", "SM1");
            ids.markProcessed(other, "twilio~sms", "SM1");
            clock.advance(Duration.ofHours(47));
            ids.markProcessed(tenant, "twilio~sms", "SM2");
            clock.advance(Duration.ofHours(2));

            assertThat(ids.purgeOlderThan(tenant, Duration.ofDays(2))).as("only SM1 of this tenant").isEqualTo(1);
            assertThat(ids.isProcessed(tenant, "twilio~sms", "SM1")).isFalse();
            assertThat(ids.isProcessed(tenant, "twilio~sms", "SM2")).as("younger than two days").isTrue();
            assertThat(ids.isProcessed(other, "twilio~sms", "SM1")).as("another tenant's mark").isTrue();
            assertThat(ids.purgeOlderThan(tenant, Duration.ofDays(2))).isZero();

            clock.advance(Duration.ofDays(2));
            assertThat(ids.purgeOlderThan(tenant, Duration.ofDays(2))).isEqualTo(1);
            assertThat(ids.isProcessed(tenant, "twilio~sms", "SM2")).isFalse();
            assertThat(ids.purgeOlderThan(other, Duration.ofDays(2))).isEqualTo(1);
            assertThatThrownBy(() -> ids.purgeOlderThan(tenant, Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void retentionDeletesOldEventsAndEndedInteractions() {
        String c = newCustomer("sms:+81311113333");
        store().appendAll(List.of(
                event("o1", "i-old", c, Channel.SMS, InteractionEventType.ARRIVED, T0),
                event("o2", "i-old", c, Channel.SMS, InteractionEventType.ENDED, T0.plusSeconds(10)),
                event("n1", "i-new", c, Channel.SMS, InteractionEventType.ARRIVED, T0.plus(Duration.ofDays(40)))));
        store().saveInteraction(Interaction.arrived("i-old", tenant, Channel.SMS, Address.parse("sms:+81311113333"),
                null, "", T0).withState(InteractionState.ENDED, T0.plusSeconds(10)));
        store().saveInteraction(Interaction.arrived("i-open", tenant, Channel.SMS, Address.parse("sms:+81311113333"),
                null, "", T0));

        long deleted = store().purgeBefore(tenant, T0.plus(Duration.ofDays(30)));

        assertThat(deleted).isEqualTo(2);
        assertThat(ids(JourneyQuery.of(tenant, c))).containsExactly("n1");
        assertThat(store().findInteraction(tenant, "i-old")).isEmpty();
        assertThat(store().findInteraction(tenant, "i-open")).isPresent();
    }

    @Test
    void overlongTextIsCutAndMarked() {
        String c = newCustomer("mailto:long@example.jp");
        String text = "あ".repeat(1_000_100);
        store().append(message("big", "i1", c, Channel.EMAIL, T0, text));

        InteractionEvent back = store().journey(JourneyQuery.of(tenant, c)).events().get(0);
        assertThat(back.content().text()).hasSize(1_000_000);
        assertThat(back.attributes()).containsEntry("musubi.contentTruncated", "true");
    }

    private List<String> ids(JourneyQuery q) {
        return store().journey(q).events().stream().map(InteractionEvent::id).toList();
    }
}
