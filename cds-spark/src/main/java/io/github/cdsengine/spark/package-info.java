/** Population runs on Apache Spark over FHIR Bulk Data exports, with the outputs of {@code cds batch}. */
package io.github.cdsengine.spark;
