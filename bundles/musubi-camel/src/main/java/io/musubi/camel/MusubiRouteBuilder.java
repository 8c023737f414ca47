package io.musubi.camel;

import io.musubi.spi.MalformedInputException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.DeadLetterChannelBuilder;
import org.apache.camel.builder.RouteBuilder;

/**
 * Base class of every Musubi route builder: one shared error-handling configuration (bounded redelivery
 * with exponential back-off, then the dead-letter queue with the original message and the reason; a
 * {@link MalformedInputException} goes to the dead-letter queue at once), and the processor that strips
 * {@code Camel*} headers from outside input.
 */
public abstract class MusubiRouteBuilder extends RouteBuilder {

    /** Redeliveries before a message is dead-lettered. */
    protected int maximumRedeliveries() {
        return 5;
    }

    /** Delay before the first redelivery; doubled each time up to {@link #maximumRedeliveryDelayMillis()}. */
    protected long redeliveryDelayMillis() {
        return 200;
    }

    /**
     * The longest delay between two redeliveries (default 10 s). A connector whose provider may be away for minutes
     * raises it together with {@link #maximumRedeliveries()}, so its egress keeps retrying instead of dead-lettering.
     */
    protected long maximumRedeliveryDelayMillis() {
        return 10_000;
    }

    /**
     * Called just before a message goes to the dead-letter queue, e.g. to release a de-duplication key so a
     * replay from the dead-letter queue is processed again. Must not throw.
     */
    protected void onDeadLetter(Exchange exchange) {
    }

    /**
     * Called when a route of this builder met a {@link MalformedInputException}, before the original message goes to
     * the dead-letter queue: count it, log its reason (never the input). Must not throw.
     */
    protected void onMalformed(Exchange exchange, MalformedInputException cause) {
    }

    @Override
    public final void configure() throws Exception {
        DeadLetterChannelBuilder dlc = deadLetterChannel(MusubiCamel.brokerQueue(MusubiCamel.DEAD_LETTER_QUEUE));
        dlc.useOriginalMessage()
                .maximumRedeliveries(maximumRedeliveries())
                .redeliveryDelay(redeliveryDelayMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(maximumRedeliveryDelayMillis())
                .retryAttemptedLogLevel(org.apache.camel.LoggingLevel.WARN)
                .onPrepareFailure(exchange -> {
                    recordFailure(exchange);
                    onDeadLetter(exchange);
                });
        errorHandler(dlc);
        // Input that can never be processed is not redelivered: straight to the dead-letter queue, counted.
        onException(MalformedInputException.class)
                .handled(true)
                .maximumRedeliveries(0)
                .process(exchange -> {
                    MalformedInputException cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                            MalformedInputException.class);
                    exchange.getIn().setHeader(MusubiCamel.FAILURE_HEADER,
                            "malformed: " + (cause == null ? "unknown" : cause.getMessage()));
                    onMalformed(exchange, cause);
                })
                .to(MusubiCamel.brokerQueue(MusubiCamel.DEAD_LETTER_QUEUE));
        routes();
    }

    /** Defines the routes; the error handler is already in place. */
    protected abstract void routes() throws Exception;

    /** Removes every header whose name starts with "camel", in any case: outside input must not steer Camel. */
    public static void stripCamelHeaders(Exchange exchange) {
        Message in = exchange.getIn();
        in.getHeaders().keySet().removeIf(name -> name.regionMatches(true, 0, "camel", 0, 5));
    }

    private static void recordFailure(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        // The exception class and message only: never the body, which may carry PII.
        String reason = cause == null ? "unknown" : cause.getClass().getName() + ": " + cause.getMessage();
        exchange.getIn().setHeader(MusubiCamel.FAILURE_HEADER, reason);
    }
}
