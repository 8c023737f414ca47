/** The ACD's service-provider interface: pluggable routing strategies. */
package io.musubi.acd.spi;
