package io.github.cdsengine.spark;

import io.github.cdsengine.core.fhir.BulkLine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A placed export line ({@link PopulationJob.Placed}) as one byte array, the form lines take in
 * Spark's cache and shuffles: Spark moves and sizes an array in one step, where a line as
 * objects is walked field by field by Java serialization and by Spark's size estimates (the two
 * cost more than evaluating the patients in the first profile). The kind comes first, so that a
 * filter reads one byte.
 *
 * <p>Layout: kind (1 byte), order (8), then type, key, source, content and each reference as
 * UTF-8 with its length (4 bytes) before it, the references' count before them.
 */
final class PlacedLines {

  private static final BulkLine.Kind[] KINDS = BulkLine.Kind.values();

  private PlacedLines() {}

  /**
   * The line as bytes.
   *
   * @param placed the line and its place
   * @return its bytes
   */
  static byte[] encode(PopulationJob.Placed placed) {
    BulkLine line = placed.line();
    List<byte[]> texts = new ArrayList<>(4 + line.references().size());
    texts.add(utf8(line.type()));
    texts.add(utf8(line.key()));
    texts.add(utf8(line.source()));
    texts.add(utf8(line.content()));
    line.references().forEach(r -> texts.add(utf8(r)));
    int size = 1 + 8 + 4;
    for (byte[] text : texts) {
      size += 4 + text.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(size);
    buffer.put((byte) line.kind().ordinal());
    buffer.putLong(placed.order());
    for (int i = 0; i < texts.size(); i++) {
      if (i == 4) {
        buffer.putInt(line.references().size());
      }
      buffer.putInt(texts.get(i).length).put(texts.get(i));
    }
    if (texts.size() == 4) {
      buffer.putInt(0);
    }
    return buffer.array();
  }

  /**
   * The line's kind, read from its first byte.
   *
   * @param bytes an encoded line
   * @return its kind
   */
  static BulkLine.Kind kind(byte[] bytes) {
    return KINDS[bytes[0]];
  }

  /**
   * The line's place in the export, read without the rest.
   *
   * @param bytes an encoded line
   * @return its order
   */
  static long order(byte[] bytes) {
    return ByteBuffer.wrap(bytes).getLong(1);
  }

  /**
   * The line's key (patient id or reference), read without the rest.
   *
   * @param bytes an encoded line
   * @return its key
   */
  static String key(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    buffer.position(9);
    skip(buffer);
    return text(buffer);
  }

  /**
   * The line's references to shared resources, read without its JSON.
   *
   * @param bytes an encoded line
   * @return its references
   */
  static List<String> references(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    buffer.position(9);
    for (int i = 0; i < 4; i++) {
      skip(buffer);
    }
    int count = buffer.getInt();
    List<String> references = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      references.add(text(buffer));
    }
    return references;
  }

  /**
   * The line as encoded but with an empty content: what counting it needs, without copying its
   * JSON.
   *
   * @param bytes an encoded line
   * @return the line, content empty
   */
  static BulkLine withoutContent(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    BulkLine.Kind kind = KINDS[buffer.get()];
    buffer.getLong();
    String type = text(buffer);
    String key = text(buffer);
    String source = text(buffer);
    skip(buffer);
    return new BulkLine(kind, type, key, source, "", references(bytes));
  }

  /**
   * The line back as it was encoded.
   *
   * @param bytes an encoded line
   * @return the placed line
   */
  static PopulationJob.Placed decode(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    BulkLine.Kind kind = KINDS[buffer.get()];
    long order = buffer.getLong();
    String type = text(buffer);
    String key = text(buffer);
    String source = text(buffer);
    String content = text(buffer);
    int count = buffer.getInt();
    List<String> references = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      references.add(text(buffer));
    }
    return new PopulationJob.Placed(order, new BulkLine(kind, type, key, source, content,
        references));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(ByteBuffer buffer) {
    int length = buffer.getInt();
    String text = new String(buffer.array(), buffer.position(), length, StandardCharsets.UTF_8);
    buffer.position(buffer.position() + length);
    return text;
  }

  private static void skip(ByteBuffer buffer) {
    int length = buffer.getInt();
    buffer.position(buffer.position() + length);
  }
}
