/** Population runs' per-patient rows and summaries, shared by {@code cds batch} and the Spark runner. */
package io.github.cdsengine.population;
