package io.github.cdsengine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.fhir.BulkLine;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Export lines survive their byte form unchanged, and its parts read alone agree. */
class PlacedLinesTest {

  @ParameterizedTest
  @EnumSource(BulkLine.Kind.class)
  void aLineOfEveryKindComesBackAsItWasWithItsPartsReadAlone(BulkLine.Kind kind) {
    // Text over 64 KiB, characters outside ASCII and outside the BMP, and an empty field.
    String content = "{\"resourceType\":\"Condition\",\"note\":\"" + "é€😀".repeat(30_000)
        + "\"}";
    List<String> references = kind == BulkLine.Kind.RESOURCE
        ? List.of("Medication/m1", "Practitioner/ü") : List.of();
    BulkLine line = new BulkLine(kind, "Condition", kind == BulkLine.Kind.BLANK ? "" : "pat-1",
        "Condition.2.ndjson.gz line 7", content, references);
    long order = (5L << 40) | 7;
    byte[] bytes = PlacedLines.encode(new PopulationJob.Placed(order, line));

    PopulationJob.Placed back = PlacedLines.decode(bytes);
    assertThat(back.order()).isEqualTo(order);
    assertThat(back.line()).isEqualTo(line);
    assertThat(PlacedLines.kind(bytes)).isEqualTo(kind);
    assertThat(PlacedLines.order(bytes)).isEqualTo(order);
    assertThat(PlacedLines.key(bytes)).isEqualTo(line.key());
    assertThat(PlacedLines.references(bytes)).isEqualTo(references);
  }
}
