package io.github.cdsengine.core.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Writes CDS Hooks responses and discovery documents as compact JSON; hosts call {@link
 * CdsHooksResponse#toJson()} and {@link CdsServices#toJson()}.
 */
final class CdsHooksJson {

  private static final ObjectWriter WRITER = new ObjectMapper().writer();

  private CdsHooksJson() {}

  /**
   * {@code value} (a {@link CdsHooksResponse}, {@link CdsServices} or one of their parts) as JSON
   * text.
   *
   * @throws NullPointerException if value is null
   */
  public static String write(Object value) {
    Objects.requireNonNull(value, "value");
    try {
      return WRITER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Writes {@code value} as JSON to {@code out}, in UTF-8, leaving it open.
   *
   * @throws NullPointerException if an argument is null
   * @throws UncheckedIOException if writing fails
   */
  public static void write(Object value, OutputStream out) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(out, "out");
    try {
      WRITER.without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .writeValue(out, value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }
}
