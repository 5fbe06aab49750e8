package io.github.cdsengine.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Input files read with bounds: only regular files (a device such as {@code /dev/zero}, a FIFO
 * or a socket could be endless or block forever, so it is refused before it is opened), each at
 * most a given number of bytes, checked before reading and again while reading, so that a file
 * that grows is cut off with an error too.
 */
final class InputFiles {

  /** The size limit when none is given: 256 MiB, well above any one patient's bundle. */
  static final long DEFAULT_LIMIT = 256L << 20;
  static final String DEFAULT_LIMIT_TEXT = "256M";

  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})([KMG]?)B?");

  private InputFiles() {}

  /** The {@code --max-input-size} option of the commands that read patients or scenarios. */
  static final class Limit {
    @Option(names = "--max-input-size", paramLabel = "SIZE",
        defaultValue = DEFAULT_LIMIT_TEXT, converter = SizeConverter.class,
        description = "The largest input file read, in bytes or with K, M or G (binary: "
            + "1K = 1024 bytes); a larger file is an input error. Default: "
            + DEFAULT_LIMIT_TEXT + ".")
    long bytes = DEFAULT_LIMIT;
  }

  /**
   * Checks that {@code file} is a regular file that can be read; its size is checked when it is
   * opened.
   *
   * @throws UsageException naming the file and why it is refused
   */
  static void requireRegular(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("not a regular file: " + Paths.display(file)
          + (Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? " (a device, FIFO or socket is "
              + "not read: it may never end; save it to a file first)" : ""));
    }
    if (!Files.isReadable(file)) {
      throw new UsageException("cannot read " + Paths.display(file) + ": permission denied");
    }
  }

  /**
   * Opens {@code file}, a regular file of at most {@code limit} bytes; reading more than that
   * from the stream (a file that grew) fails too.
   *
   * @throws UsageException when {@code file} is not a regular file
   * @throws IOException saying that the file is larger than the limit, or why it cannot be read
   */
  static InputStream open(Path file, long limit) throws IOException {
    requireRegular(file);
    long size = Files.size(file);
    if (size > limit) {
      throw new IOException(tooLarge(file, limit) + " (" + size + " bytes)");
    }
    return new Bounded(Files.newInputStream(file), limit, tooLarge(file, limit));
  }

  private static String tooLarge(Path file, long limit) {
    return Paths.display(file) + " is larger than the input size limit of " + limit
        + " bytes (--max-input-size)";
  }

  /** Parses {@code 1048576}, {@code 512K}, {@code 256M} or {@code 2G}. */
  static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: '" + text
          + "' (expected bytes, or a number with K, M or G, such as 512M)");
    }
    long number = Long.parseLong(m.group(1));
    int shift = switch (m.group(2)) {
      case "K" -> 10;
      case "M" -> 20;
      case "G" -> 30;
      default -> 0;
    };
    if (number < 1 || number > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("not a usable size: '" + text + "'");
    }
    return number << shift;
  }

  /** Picocli's converter for sizes. */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return parseSize(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A stream that fails once more than its limit has been read. */
  private static final class Bounded extends FilterInputStream {
    private final long limit;
    private final String message;
    private long read;

    Bounded(InputStream in, long limit, String message) {
      super(in);
      this.limit = limit;
      this.message = message;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    private void count(long n) throws IOException {
      read += n;
      if (read > limit) {
        throw new IOException(message);
      }
    }
  }
}
