/**
 * The hub's durable ACD definitions (DESIGN §5): the {@link io.musubi.hub.definitions.AcdDefinitions} service and
 * the JSON forms of agents and queues that the REST API takes and the store keeps.
 */
package io.musubi.hub.definitions;
