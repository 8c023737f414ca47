/**
 * What another bundle needs to add an endpoint to the hub's REST API (docs/rest.md, "Adding endpoints"): the
 * application's names ({@link io.musubi.rest.RestApi}) and the access annotations ({@link io.musubi.rest.Allowed}
 * with a {@link io.musubi.rest.Role}, or {@link io.musubi.rest.Public}).
 */
package io.musubi.rest;
