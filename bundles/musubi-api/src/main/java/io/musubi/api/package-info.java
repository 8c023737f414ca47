/** Service interfaces of the Musubi hub. */
package io.musubi.api;
