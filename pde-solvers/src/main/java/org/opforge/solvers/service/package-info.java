/** The bundle's services: its problems offered to the host as the API's data generators. Private to the bundle. */
package org.opforge.solvers.service;
