/** Musubi's Camel runtime API: context whiteboard names and the shared route base class. */
package io.musubi.camel;
