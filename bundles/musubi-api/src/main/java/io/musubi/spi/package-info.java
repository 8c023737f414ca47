/** The connector SPI: what a connector bundle provides to the hub. */
package io.musubi.spi;
