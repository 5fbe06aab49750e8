/** JMH benchmarks of the engine on synthetic patients, beside a plain-Java floor. */
package io.github.cdsengine.benchmarks;
