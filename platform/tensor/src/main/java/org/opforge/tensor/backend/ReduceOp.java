package org.opforge.tensor.backend;

/** Reductions over a set of axes (see {@link Backend#reduce}). */
public enum ReduceOp { SUM, MAX, MIN }
