package io.musubi.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.musubi.spi.ConnectorStatus;
import io.musubi.spi.RetryableDeliveryException;
import io.musubi.testkit.Await;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connector's durable job queue: what it sends to the broker, and the route that works it off (seda as broker). */
class ConnectorJobsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ConnectorStatus status = new ConnectorStatus();
    private CamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void theQueueIsTheConnectorsOwnAndItsNameIsChecked() {
        assertThat(ConnectorJobs.queueOf("twilio.main", "media")).isEqualTo("musubi.connector.twilio.main.media");
        assertThatThrownBy(() -> ConnectorJobs.queueOf("bad id", "media")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectorJobs.queueOf("line.main", "a.b"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachJobIsAPersistentMessageWithItsBytesAndEventIdOnTheQueue() throws Exception {
        RecordingBroker broker = new RecordingBroker();
        ConnectorJobs<String> jobs = new ConnectorJobs<>(broker.factory(), "line.main", "content",
                s -> s.getBytes(StandardCharsets.UTF_8), s -> "e-" + s);
        jobs.enqueue(List.of());
        assertThat(broker.connections).as("nothing to send, no connection").isZero();

        jobs.enqueue(List.of("a", "b"));
        assertThat(broker.queue).isEqualTo("musubi.connector.line.main.content");
        assertThat(broker.deliveryMode).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(broker.sent).containsExactly("a", "b");
        assertThat(broker.properties).containsEntry("a", "e-a").containsEntry("b", "e-b");
        assertThat(broker.closed).as("the connection and the session are closed").isEqualTo(2);
    }

    @Test
    void theRouteHandsEachJobOverAndRetriesAfterTheProvidersDelay() throws Exception {
        List<Long> attemptsAt = new CopyOnWriteArrayList<>();
        List<String> done = new CopyOnWriteArrayList<>();
        ProducerTemplate producer = start(job -> {
            attemptsAt.add(System.nanoTime());
            if (attemptsAt.size() < 2) {
                throw new RetryableDeliveryException("not ready", Duration.ofMillis(600), null);
            }
            done.add(job);
        });
        producer.sendBody(MusubiCamel.brokerQueue("musubi.connector.twilio.main.media"),
                "job-1".getBytes(StandardCharsets.UTF_8));
        Await.until("the job done after a retry", WAIT, () -> done.size() == 1);
        assertThat(done).containsExactly("job-1");
        assertThat(Duration.ofNanos(attemptsAt.get(1) - attemptsAt.get(0)))
                .as("the retry waited for the provider's delay, not the 10 ms back-off")
                .isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(status.count("mediaRetried")).isEqualTo(1);
        assertThat(context.getRoute("musubi.twilio.twilio.main.media")).isNotNull();
    }

    private ProducerTemplate start(Consumer<String> work) throws Exception {
        ConnectorJobs<String> jobs = new ConnectorJobs<>(new RecordingBroker().factory(), "twilio.main", "media",
                s -> s.getBytes(StandardCharsets.UTF_8), s -> s);
        context = new DefaultCamelContext();
        context.addComponent(MusubiCamel.BROKER_COMPONENT, new ConnectorRoutesTest.BrokerStandIn());
        context.addRoutes(new MusubiRouteBuilder() {
            @Override
            protected long redeliveryDelayMillis() {
                return 10;
            }

            @Override
            protected long maximumRedeliveryDelayMillis() {
                return 5_000;
            }

            @Override
            protected void routes() {
                jobs.route(this, "twilio", b -> new String(b, StandardCharsets.UTF_8), work, status);
            }
        });
        context.start();
        return context.createProducerTemplate();
    }

    /** A JMS connection factory that records what is sent through it. */
    private static final class RecordingBroker {
        int connections;
        int closed;
        String queue;
        int deliveryMode = -1;
        final List<String> sent = new CopyOnWriteArrayList<>();
        final Map<String, String> properties = new ConcurrentHashMap<>();

        ConnectionFactory factory() {
            return proxy(ConnectionFactory.class, (method, args) -> switch (method) {
                case "createConnection" -> {
                    connections++;
                    yield connection();
                }
                default -> null;
            });
        }

        private Connection connection() {
            return proxy(Connection.class, (method, args) -> switch (method) {
                case "createSession" -> session();
                case "close" -> {
                    closed++;
                    yield null;
                }
                default -> null;
            });
        }

        private Session session() {
            return proxy(Session.class, (method, args) -> switch (method) {
                case "createQueue" -> {
                    queue = (String) args[0];
                    yield proxy(Queue.class, (m, a) -> "getQueueName".equals(m) ? queue : null);
                }
                case "createProducer" -> producer();
                case "createBytesMessage" -> message();
                case "close" -> {
                    closed++;
                    yield null;
                }
                default -> null;
            });
        }

        private MessageProducer producer() {
            return proxy(MessageProducer.class, (method, args) -> {
                switch (method) {
                    case "setDeliveryMode" -> deliveryMode = (Integer) args[0];
                    case "send" -> {
                        BytesMessage m = (BytesMessage) args[0];
                        String body = m.toString();
                        sent.add(body);
                        properties.put(body, m.getStringProperty(MusubiCamel.EVENT_ID_HEADER));
                    }
                    default -> {
                    }
                }
                return null;
            });
        }

        private BytesMessage message() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Map<String, String> props = new ConcurrentHashMap<>();
            return proxy(BytesMessage.class, (method, args) -> switch (method) {
                case "writeBytes" -> {
                    bytes.writeBytes((byte[]) args[0]);
                    yield null;
                }
                case "setStringProperty" -> {
                    props.put((String) args[0], (String) args[1]);
                    yield null;
                }
                case "getStringProperty" -> props.get((String) args[0]);
                case "toString" -> bytes.toString(StandardCharsets.UTF_8);
                default -> null;
            });
        }

        interface Handler {
            Object handle(String method, Object[] args) throws Exception;
        }

        @SuppressWarnings("unchecked")
        private static <T> T proxy(Class<T> type, Handler handler) {
            return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (p, method, args) -> handler.handle(method.getName(), args));
        }
    }
}
