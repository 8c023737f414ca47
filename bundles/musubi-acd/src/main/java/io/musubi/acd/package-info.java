/** The ACD and presence API (DESIGN §5–§6). */
package io.musubi.acd;
