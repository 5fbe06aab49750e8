/** A JMH benchmark of the reference Java CQL engine on the CMS measures' test decks. */
package io.github.cdsengine.benchmarks.reference;
