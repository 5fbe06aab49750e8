package io.github.cdsengine.core.isolated;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Length-prefixed frames on the worker's pipes: a four-byte big-endian length, then that many
 * bytes of UTF-8 JSON. Both sides refuse a frame longer than their limit before reading it, so a
 * length header alone never makes either side allocate.
 */
final class Frames {

  private Frames() {}

  /** A frame whose length header is past the reader's limit, or negative. */
  static final class FrameTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long length;

    FrameTooLargeException(long length, int limit) {
      super("a message of " + length + " bytes, over the " + limit + "-byte limit");
      this.length = length;
    }

    long length() {
      return length;
    }
  }

  /**
   * Writes one frame and flushes.
   *
   * @throws FrameTooLargeException if {@code payload} is longer than {@code limit}, before
   *     anything is written
   */
  static void write(DataOutputStream out, byte[] payload, int limit) throws IOException {
    if (payload.length > limit) {
      throw new FrameTooLargeException(payload.length, limit);
    }
    out.writeInt(payload.length);
    out.write(payload);
    out.flush();
  }

  /**
   * Reads one frame.
   *
   * @return the frame's bytes, or null at the end of the stream before a frame began
   * @throws FrameTooLargeException if the header announces more than {@code limit} bytes
   * @throws EOFException if the stream ends inside a frame
   */
  static byte[] read(DataInputStream in, int limit) throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    int length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8)
        | in.readUnsignedByte();
    if (length < 0 || length > limit) {
      throw new FrameTooLargeException(length & 0xFFFFFFFFL, limit);
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    return payload;
  }
}
