/** Compute devices offered by bundles (the CUDA backend), wrapping the tensor engine's backend SPI. */
package org.opforge.api.compute;
