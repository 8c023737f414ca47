/**
 * Durability of the ACD's decisions: {@link io.musubi.hub.recording.AcdRecording} lets a caller wait until the
 * decisions made so far are in the store before it tells anyone of them.
 */
package io.musubi.hub.recording;
