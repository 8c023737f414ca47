/**
 * The canonical interaction model of Musubi (DESIGN §4): immutable value types shared by the core,
 * the connectors and the REST API. Free of OSGi, Camel and JSON-library types by design.
 */
package io.musubi.model;
