package io.github.cdsengine.core.model;

import java.util.Objects;

/** Argument checks shared by the fact records. */
final class Facts {

  private Facts() {}

  static String requireId(String id, String type) {
    Objects.requireNonNull(id, () -> type + " id");
    if (id.isBlank()) {
      throw new IllegalArgumentException(type + " id must not be blank");
    }
    return id;
  }

  static <T> T require(T value, String type, String id, String field) {
    return Objects.requireNonNull(value, () -> type + " '" + id + "': " + field + " is required");
  }
}
