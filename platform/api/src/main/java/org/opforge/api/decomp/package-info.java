/** Tensor decompositions (CP, Tucker, tensor train) as a service the host calls on a tensor. */
package org.opforge.api.decomp;
