/**
 * What the channel menus show (design point ③): the {@link io.musubi.hub.menu.ChannelMenuPolicy} service (which
 * options are open now) and the {@link io.musubi.hub.menu.ExpectedWait} of a queue.
 */
package io.musubi.hub.menu;
