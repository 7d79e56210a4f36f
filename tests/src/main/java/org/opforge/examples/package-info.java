/**
 * Runnable examples of embedding a trained operator in a host program: {@link
 * org.opforge.examples.PlainEmbedding} on a plain class path (no OSGi), {@link
 * org.opforge.examples.ContainerEmbedding} with the OSGi container started inside the host.
 */
package org.opforge.examples;
