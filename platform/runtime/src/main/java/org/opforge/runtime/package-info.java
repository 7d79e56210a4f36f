/**
 * The embedded OSGi container: Apache Felix with Declarative Services, Configuration Admin and
 * File Install watching a deploy directory. {@link org.opforge.runtime.OpForgeContainer} starts it,
 * reports bundle and operator lifecycle events, and looks services up for the host.
 */
package org.opforge.runtime;
