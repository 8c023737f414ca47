package io.musubi.hub.internal.events;

/**
 * Where an interaction stands for the event stream: the agent handling it and the queue it is in or came from,
 * as local ids; either may be null. Messages, holds and wrap-ups carry no agent or queue of their own, so the
 * stream fills them in from this, which is how an agent sees the messages of its own interactions.
 */
record Assignment(String agentId, String queueId) {

    static final Assignment NONE = new Assignment(null, null);
}
