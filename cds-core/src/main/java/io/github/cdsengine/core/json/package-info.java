/** JSON output of evaluation results, byte for byte the same for the same result. */
package io.github.cdsengine.core.json;
