/**
 * Configuration schemas: the parameters an operator, solver or generator accepts, with types,
 * defaults and descriptions, and the validation that turns a loose map (from YAML, the command line
 * or Java code) into a typed {@link org.opforge.api.config.Config}.
 */
package org.opforge.api.config;
