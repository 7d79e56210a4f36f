/** Services that make data: sample generators and the PDE solvers behind them. */
package org.opforge.api.pde;
