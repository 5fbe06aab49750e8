/** Access to the guideline rule packs shipped in this jar. */
package io.github.cdsengine.rules;
