package io.github.cdsengine.core.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * One JSON document is read up to {@link FhirDocuments#MAX_DOCUMENT_BYTES}: an endless input (a
 * device, a stream that never ends) is an error naming its source, not a hang or an exhausted
 * heap; a document at the limit is read.
 */
class FhirDocumentSizeTest {

  /** {@code prefix}, then {@code spaces} blanks (or blanks without end when negative). */
  private static InputStream padded(String prefix, long spaces, String suffix) {
    InputStream blanks = new InputStream() {
      private long left = spaces;

      @Override
      public int read() {
        if (left == 0) {
          return -1;
        }
        left--;
        return ' ';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int n = spaces < 0 ? len : (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + n, (byte) ' ');
        if (spaces >= 0) {
          left -= n;
        }
        return n;
      }
    };
    return new SequenceInputStream(new SequenceInputStream(
        new ByteArrayInputStream(prefix.getBytes(StandardCharsets.UTF_8)), blanks),
        new ByteArrayInputStream(suffix.getBytes(StandardCharsets.UTF_8)));
  }

  private static final String PATIENT = "{\"resourceType\": \"Patient\", \"id\": \"p1\"";

  @Test
  void anEndlessDocumentIsAnErrorNamingItsSource() {
    assertThatThrownBy(() -> FhirReader.create().read(padded(PATIENT, -1, ""), "endless.json"))
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> assertThat(e)
            .hasMessageContaining("endless.json").hasMessageContaining("larger than 256 MiB"));
  }

  @Test
  void aDocumentAtTheLimitIsReadAndOneByteMoreIsNot() {
    long atLimit = FhirDocuments.MAX_DOCUMENT_BYTES - PATIENT.length() - 1;
    assertThat(FhirReader.create().read(padded(PATIENT, atLimit, "}"), "at-limit.json")
        .patients()).hasSize(1);
    assertThatThrownBy(() -> FhirReader.create().read(padded(PATIENT, atLimit + 1, "}"),
        "over.json")).isInstanceOfSatisfying(InvalidPatientDataException.class,
            e -> assertThat(e).hasMessageContaining("over.json"));
  }

  @Test
  void anEndlessNdjsonLineIsAnErrorNamingItsLine() {
    InputStream ndjson = new SequenceInputStream(new ByteArrayInputStream(
        (PATIENT + "}\n").getBytes(StandardCharsets.UTF_8)), padded("{", -1, ""));
    assertThatThrownBy(() -> FhirReader.create().readNdjson(ndjson, "bulk.ndjson").toList())
        .isInstanceOfSatisfying(InvalidPatientDataException.class, e -> assertThat(e)
            .hasMessageContaining("bulk.ndjson line 2")
            .hasMessageContaining("the most one NDJSON line may hold"));
  }

  @Test
  void ndjsonLinesEndWithLineFeedsCarriageReturnsOrBoth() {
    String text = PATIENT + "}\r\n" + PATIENT.replace("p1", "p2") + "}\r"
        + PATIENT.replace("p1", "p3") + "}\n\n" + PATIENT.replace("p1", "p4") + "}";
    assertThat(FhirReader.create().readNdjson(new ByteArrayInputStream(
        text.getBytes(StandardCharsets.UTF_8)), "mixed.ndjson").toList()).hasSize(4);
  }
}
