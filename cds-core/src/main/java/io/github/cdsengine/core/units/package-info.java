/** Units: UCUM validation and conversion, and the {@code units} global that rules compare with. */
package io.github.cdsengine.core.units;
