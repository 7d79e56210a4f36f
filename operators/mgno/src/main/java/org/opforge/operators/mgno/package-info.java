/**
 * MgNO, the multigrid neural operator (He, Liu, Xu, ICLR 2024): the "mgno" operator factory and its
 * configuration keys. Layers and models are private to the bundle.
 */
package org.opforge.operators.mgno;
