/** Runs example patients through the shipped rule packs and prints what the engine recommends. */
package io.github.cdsengine.examples;
