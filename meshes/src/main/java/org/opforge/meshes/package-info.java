/**
 * Grids, multigrid hierarchies, point sets, signed-distance geometries and quadrature rules.
 * Plain {@code double[]} arrays and small immutable value types; no tensor engine.
 */
package org.opforge.meshes;
