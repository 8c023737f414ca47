package io.musubi.spi;

import java.util.List;

/**
 * Where a webhook hands the work it leaves for after its answer (content to fetch): a connector's durable job queue
 * ({@code io.musubi.camel.ConnectorJobs}). {@link #enqueue} returns once the jobs are durable; when it throws, the
 * webhook asks the provider to deliver again (503) rather than lose them.
 *
 * @param <J> the connector's job
 */
@FunctionalInterface
public interface JobQueue<J> {

    /** Queues the jobs durably; nothing to do for none. */
    void enqueue(List<J> jobs) throws Exception;
}
