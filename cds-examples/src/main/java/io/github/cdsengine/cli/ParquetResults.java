package io.github.cdsengine.cli;

import io.github.cdsengine.core.rule.Population;
import io.github.cdsengine.population.PatientRow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * {@code results.parquet} of {@code cds batch}: one row per evaluated patient, with the columns
 * and the row content of the Spark runner's {@code results.parquet}, so one analysis reads
 * either. Like Spark's, it is a folder of parts (here one, {@value #PART}), which Spark,
 * pyarrow and DuckDB ({@code results.parquet/*.parquet}) read alike.
 *
 * <p>Written with parquet-java without Hadoop on the class path: pages are compressed with the
 * JDK's GZIP (Hadoop's codecs are what the Hadoop-free writer cannot load), dictionary-encoded
 * where that is smaller, in row groups of at most {@value #ROW_GROUP_BYTES} bytes. Not
 * thread-safe: rows are added in the order they are written to {@code results.ndjson}.
 */
final class ParquetResults implements Closeable {

  /** The folder's one part. */
  static final String PART = "part-00000.parquet";

  /** The largest row group held in memory before it is written. */
  static final int ROW_GROUP_BYTES = 32 * 1024 * 1024;

  /**
   * The columns, as the Spark runner's schema ({@code PopulationJob.schema()}) writes them:
   * lists in Parquet's three-level form, a null only for a patient whose record carries no
   * date.
   */
  static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
      message spark_schema {
        required binary patient_id (STRING);
        required binary source (STRING);
        required binary age_band (STRING);
        required binary sex (STRING);
        required boolean complete;
        required group shown (LIST) {
          repeated group list {
            required binary element (STRING);
          }
        }
        required group withheld (LIST) {
          repeated group list {
            required binary element (STRING);
          }
        }
        required group measures (LIST) {
          repeated group list {
            required group element {
              required binary measure (STRING);
              required int32 group;
              required group populations (LIST) {
                repeated group list {
                  required binary element (STRING);
                }
              }
              required boolean care_gap;
            }
          }
        }
        required int32 data_warnings;
        optional binary data_end (STRING);
        required binary result (STRING);
      }
      """);

  private final ParquetWriter<PatientRow> writer;

  private ParquetResults(ParquetWriter<PatientRow> writer) {
    this.writer = writer;
  }

  /**
   * Opens {@code folder} for a run's rows, in place of what a run (of either runner) wrote
   * there before: its files are deleted first, so no part of an earlier run is read with this
   * one's.
   *
   * @param folder the {@code results.parquet} folder, made if missing
   * @return the writer
   * @throws IOException if the folder or its part cannot be written
   */
  static ParquetResults create(Path folder) throws IOException {
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      Files.delete(folder);
    }
    Files.createDirectories(folder);
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.delete(file);
      }
    }
    ParquetWriter<PatientRow> writer = new Builder(new LocalOutputFile(folder.resolve(PART)))
        .withConf(new PlainParquetConfiguration())
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCodecFactory(new JdkGzip())
        .withCompressionCodec(CompressionCodecName.GZIP)
        .withRowGroupSize((long) ROW_GROUP_BYTES)
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withDictionaryEncoding(true)
        .build();
    return new ParquetResults(writer);
  }

  /**
   * Adds one patient's row.
   *
   * @param row the patient's row
   * @throws IOException if the part cannot be written
   */
  void add(PatientRow row) throws IOException {
    writer.write(row);
  }

  /**
   * Writes the last row group and the footer.
   *
   * @throws IOException if the part cannot be written
   */
  @Override
  public void close() throws IOException {
    writer.close();
  }

  /** Builds the writer of rows. */
  private static final class Builder extends ParquetWriter.Builder<PatientRow, Builder> {
    Builder(LocalOutputFile file) {
      super(file);
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<PatientRow> getWriteSupport(
        org.apache.hadoop.conf.Configuration conf) {
      return new Rows();
    }

    @Override
    protected WriteSupport<PatientRow> getWriteSupport(ParquetConfiguration conf) {
      return new Rows();
    }
  }

  /** A row's fields in the order of {@link #SCHEMA}. */
  private static final class Rows extends WriteSupport<PatientRow> {
    private RecordConsumer out;

    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration conf) {
      return new WriteContext(SCHEMA, Map.of());
    }

    @Override
    public WriteContext init(ParquetConfiguration conf) {
      return new WriteContext(SCHEMA, Map.of());
    }

    @Override
    public String getName() {
      return "cds-batch";
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.out = recordConsumer;
    }

    @Override
    public void write(PatientRow row) {
      PatientRow.Tally tally = row.tally();
      out.startMessage();
      string(0, "patient_id", row.patientId());
      string(1, "source", row.source());
      string(2, "age_band", row.ageBand());
      string(3, "sex", row.sex());
      bool(4, "complete", tally.complete());
      strings(5, "shown", tally.shown().stream().map(PatientRow.Shown::id).toList());
      strings(6, "withheld", tally.withheld().stream().map(PatientRow.Shown::id).toList());
      out.startField("measures", 7);
      out.startGroup();
      if (!tally.measures().isEmpty()) {
        out.startField("list", 0);
        for (PatientRow.MeasureCount m : tally.measures()) {
          out.startGroup();
          out.startField("element", 0);
          out.startGroup();
          string(0, "measure", m.measure());
          out.startField("group", 1);
          out.addInteger(m.group());
          out.endField("group", 1);
          strings(2, "populations", m.populations().stream().map(Population::code).toList());
          bool(3, "care_gap", m.careGap());
          out.endGroup();
          out.endField("element", 0);
          out.endGroup();
        }
        out.endField("list", 0);
      }
      out.endGroup();
      out.endField("measures", 7);
      out.startField("data_warnings", 8);
      out.addInteger(tally.warnings());
      out.endField("data_warnings", 8);
      if (tally.dataEnd() != null) {
        string(9, "data_end", tally.dataEnd());
      }
      string(10, "result", row.result());
      out.endMessage();
    }

    private void string(int index, String name, String value) {
      out.startField(name, index);
      out.addBinary(Binary.fromString(value));
      out.endField(name, index);
    }

    private void bool(int index, String name, boolean value) {
      out.startField(name, index);
      out.addBoolean(value);
      out.endField(name, index);
    }

    /** A list of strings in the three-level form; an empty list has no {@code list} field. */
    private void strings(int index, String name, List<String> values) {
      out.startField(name, index);
      out.startGroup();
      if (!values.isEmpty()) {
        out.startField("list", 0);
        for (String value : values) {
          out.startGroup();
          string(0, "element", value);
          out.endGroup();
        }
        out.endField("list", 0);
      }
      out.endGroup();
      out.endField(name, index);
    }
  }

  /**
   * Parquet's GZIP codec on the JDK's {@code java.util.zip}: the gzip format of RFC 1952 that
   * every Parquet reader decodes, without Hadoop's codec classes. Deflate at its fastest level:
   * the part is written on the thread that writes every output of the run.
   */
  static final class JdkGzip implements CompressionCodecFactory {

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
      check(codec);
      return new BytesInputCompressor() {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
          ByteArrayOutputStream buffer = new ByteArrayOutputStream((int) bytes.size() / 3 + 64);
          try (OutputStream gzip = new GZIPOutputStream(buffer, 64 * 1024) {
            {
              def.setLevel(Deflater.BEST_SPEED);
            }
          }) {
            bytes.writeAllTo(gzip);
          }
          return BytesInput.from(buffer.toByteArray());
        }

        @Override
        public CompressionCodecName getCodecName() {
          return CompressionCodecName.GZIP;
        }

        @Override
        public void release() {
          // Nothing held between pages.
        }
      };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
      check(codec);
      return new BytesInputDecompressor() {
        @Override
        public BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
          return BytesInput.from(inflate(bytes.toByteArray(), decompressedSize));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output,
            int decompressedSize) throws IOException {
          byte[] compressed = new byte[compressedSize];
          input.get(compressed);
          output.put(inflate(compressed, decompressedSize));
        }

        @Override
        public void release() {
          // Nothing held between pages.
        }
      };
    }

    @Override
    public void release() {
      // Nothing held.
    }

    private static void check(CompressionCodecName codec) {
      if (codec != CompressionCodecName.GZIP) {
        throw new IllegalArgumentException("only GZIP pages are written and read here: "
            + codec);
      }
    }

    private static byte[] inflate(byte[] compressed, int size) throws IOException {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
        byte[] page = in.readNBytes(size);
        if (page.length != size || in.read() != -1) {
          throw new IOException("a GZIP page does not hold the " + size + " bytes its header "
              + "says");
        }
        return page;
      }
    }
  }
}
