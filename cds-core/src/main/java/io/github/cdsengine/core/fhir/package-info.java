/** FHIR R4 JSON in: Bundles, single resources and test-case folders read into patient records. */
package io.github.cdsengine.core.fhir;
