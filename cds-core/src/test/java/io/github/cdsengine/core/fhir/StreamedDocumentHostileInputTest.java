package io.github.cdsengine.core.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.fhir.RecordAssembler.DanglingSubject;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and unusual documents read from the token stream ({@link FhirReader}) give exactly
 * what the tree path gives: the same records, skipped types and warnings, or the same error
 * (source, JSON path and message). Each case puts one class of fault where the stream takes a
 * different road: the Bundle's own members, an entry, a resource read as a tree, a resource of
 * a type no rule uses, a nested Bundle, the root.
 */
class StreamedDocumentHostileInputTest {

  private static final String P = FhirInputs.PATIENT;
  /** Places a value can stand, each on a different road through the stream. */
  private static final List<String> PLACES = List.of(
      // a member of the Bundle itself
      "{\"resourceType\": \"Bundle\", \"meta\": @, \"entry\": [{\"resource\": " + P + "}]}",
      // an entry member the reader passes over
      "{\"resourceType\": \"Bundle\", \"entry\": [{\"request\": @, \"resource\": " + P + "}]}",
      // a resource read as a tree
      "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"resourceType\": "
          + "\"Patient\", \"id\": \"p1\", \"extension\": @}}]}",
      // a resource of a type no rule uses
      "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": " + P + "}, {\"resource\": "
          + "{\"resourceType\": \"Claim\", \"id\": \"c1\", \"total\": @}}]}",
      // a resource no rule uses, inside a Bundle inside an entry
      "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": " + P + "}, {\"fullUrl\": "
          + "\"urn:b\", \"resource\": {\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": "
          + "{\"resourceType\": \"Claim\", \"x\": @}}]}}]}",
      // a resource whose resourceType comes last
      "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"id\": \"p1\", "
          + "\"x\": @, \"resourceType\": \"Patient\"}}]}",
      // the value of resourceType
      "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"resourceType\": @}}]}",
      // the Bundle's entry
      "{\"resourceType\": \"Bundle\", \"entry\": @}",
      // an entry
      "{\"resourceType\": \"Bundle\", \"entry\": [@]}",
      // an entry's resource
      "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": @}]}",
      // an entry's fullUrl, before and after its resource
      "{\"resourceType\": \"Bundle\", \"entry\": [{\"fullUrl\": @, \"resource\": " + P + "}]}",
      "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": " + P + ", \"fullUrl\": @}]}",
      // the root
      "@");

  /** Values, well-formed or not, to put in each place. */
  private static final List<String> VALUES = List.of("null", "7", "-0", "0.0", "1e400",
      "1E-400", "1e2147483648", "-1e-2147483649", "01", "1.", "-", "NaN", "Infinity", "+1",
      "9".repeat(1000), "9".repeat(1001), "0." + "1".repeat(999), "0." + "1".repeat(1001),
      "\"\"", "\" \"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\u0000\"", "\"\t\"", "\"\\x\"",
      "true", "tru", "{}", "[]", "[,]", "[1,]", "{\"a\": 1,}", "{\"a\": 1, \"a\": 2}",
      "{\"resourceType\": \"Patient\"}", "{\"resourceType\": \"Bundle\"}",
      "{\"resourceType\": \"Patient\", \"id\": \"p1\"}", "[null, {}]",
      "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": null}]}",
      "{\"resourceType\": \"Bundle\", \"entry\": 5}", "\"Patient\"", "\"Bundle\"", "\"Claim\"",
      "[" + "[".repeat(998) + "]".repeat(998) + "]", "[".repeat(1001) + "]".repeat(1001),
      "{\"a\": " + "[".repeat(999) + "]".repeat(999) + "}", "'x'", "{a: 1}", "/* c */ 1");

  static Stream<String> everyValueInEveryPlace() {
    List<String> cases = new ArrayList<>();
    for (String place : PLACES) {
      for (String value : VALUES) {
        cases.add(place.replace("@", value));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest
  @MethodSource("everyValueInEveryPlace")
  void everyValueInEveryPlaceReadsTheSame(String json) {
    agree(json.getBytes(StandardCharsets.UTF_8));
  }

  static Stream<String> structures() {
    String claim = "{\"resourceType\": \"Claim\", \"id\": \"c1\"}";
    String obs = FhirInputs.observation("o1", "8480-6", "");
    return Stream.of(
        // duplicate keys at every level
        "{\"resourceType\": \"Bundle\", \"type\": \"a\", \"type\": \"b\"}",
        "{\"resourceType\": \"Bundle\", \"entry\": [], \"entry\": []}",
        "{\"resourceType\": \"Bundle\", \"resourceType\": \"Bundle\"}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": " + P + ", \"resource\": "
            + P + "}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"fullUrl\": \"a\", \"fullUrl\": \"a\", "
            + "\"resource\": " + P + "}]}",
        "{\"resourceType\": \"Patient\", \"id\": \"p1\", \"id\": \"p2\"}",
        "{\"resourceType\": \"Patient\", \"id\": \"p1\", \"resourceType\": \"Patient\"}",
        "{\"resourceType\": \"Claim\", \"id\": \"c1\", \"resourceType\": \"Claim\"}",
        "{\"id\": \"p1\", \"resourceType\": \"Patient\", \"resourceType\": \"Patient\"}",
        "{\"resourceType\": \"Claim\", \"x\": {\"a\": 1, \"b\": {\"c\": 1, \"c\": 2}}}",
        "{\"resource\\u0054ype\": \"Patient\", \"id\": \"p1\", \"resourceType\": \"x\"}",
        // resourceType not first, missing, not a string, blank
        "{\"id\": \"p1\", \"resourceType\": \"Patient\"}",
        "{\"id\": \"p1\"}", "{}", "{\"resourceType\": 7}", "{\"resourceType\": null}",
        "{\"resourceType\": \"\"}", "{\"resourceType\": \" \\t\"}",
        "{\"resourceType\": [\"Patient\"]}", "{\"resourceType\": {\"a\": \"Patient\"}}",
        "{\"entry\": [{\"resource\": " + P + "}], \"resourceType\": \"Bundle\"}",
        "{\"entry\": [{\"resource\": " + P + "}, {\"resource\": 5}], \"resourceType\": "
            + "\"Bundle\"}",
        "{\"entry\": 5, \"resourceType\": 5}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"id\": \"p1\"}}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"resourceType\": \"\"}}, "
            + "{\"resource\": 5}]}",
        // entries: missing, null or wrong resource, fullUrl of the wrong type, faults in order
        "{\"resourceType\": \"Bundle\", \"entry\": [{}, {\"request\": {}}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": null}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": null, \"fullUrl\": 5}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"fullUrl\": 5, \"resource\": 5}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"fullUrl\": 5, \"resource\": "
            + "{\"resourceType\": \"Bundle\", \"entry\": 5}}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"fullUrl\": null}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"fullUrl\": null, \"resource\": " + P
            + "}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": " + P + "}, null, 5]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [null, {\"resource\": {]}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"resourceType\": "
            + "\"Patient\", \"id\": \"p 1\"}}, 5]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": " + P + "}, {\"resource\": "
            + P + "}, 5]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"fullUrl\": \"urn:x\", \"resource\": "
            + P + "}, {\"fullUrl\": \"urn:x\", \"resource\": " + obs + "}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": " + P + "}, 5], \"entry\": 1}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": " + P + "}, 5]} x",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": " + P + "}, 5]",
        // nested Bundles
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"fullUrl\": \"urn:b\", \"resource\": "
            + "{\"resourceType\": \"Bundle\", \"entry\": [{\"fullUrl\": \"urn:p\", \"resource\": "
            + P + "}]}}, {\"resource\": " + obs.replace("Patient/p1", "urn:p") + "}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"fullUrl\": \"urn:b\", \"resource\": "
            + "{\"entry\": [{\"fullUrl\": \"urn:p\", \"resource\": " + P + "}], \"resourceType\": "
            + "\"Bundle\"}}, {\"resource\": " + obs.replace("Patient/p1", "urn:p") + "}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"resourceType\": "
            + "\"Bundle\", \"entry\": [{\"resource\": " + P + "}, 5]}}, {\"resource\": 5}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"resourceType\": "
            + "\"Bundle\"}, \"fullUrl\": \"urn:b\"}, {\"resource\": " + P + "}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"resourceType\": "
            + "\"Bundle\", \"entry\": [{\"fullUrl\": \"urn:p\", \"resource\": " + P
            + "}, {\"resource\": {\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": "
            + claim + "}]}}]}}]}",
        // contained resources
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": " + P + "}, {\"resource\": "
            + FhirInputs.order("m1", "\"contained\": [{\"resourceType\": \"Medication\", "
            + "\"id\": \"med\", \"code\": {\"text\": \"x\"}}], \"medicationReference\": "
            + "{\"reference\": \"#med\"}") + "}]}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": " + P + "}, {\"resource\": "
            + "{\"resourceType\": \"Claim\", \"contained\": [" + P.replace("p1", "p2") + "]}}]}",
        // a Patient and the same Patient under a Claim's contained: not read
        "{\"resourceType\": \"Claim\", \"contained\": [" + P + "]}",
        // trailing content, empty input
        P + " {}", P + ",", P + "]", P + "}", P + " x", P + " \u0000", P + " // c", "", " ",
        "\n\n", P + "\n" + P, "null x", "null {}", "null null", "7 8", "7x", "\"x\" \"y\"",
        "true false", "[] ]", "{\"resourceType\": \"Claim\"} {\"resourceType\": \"Claim\"}",
        "{\"resourceType\": \"Bundle\"} 1e2147483648", "{\"resourceType\": \"Bundle\"} [[",
        "{\"resourceType\": \"Bundle\", \"entry\": 5} x");
  }

  @ParameterizedTest
  @MethodSource("structures")
  void structuresReadTheSame(String json) {
    agree(json.getBytes(StandardCharsets.UTF_8));
  }

  static Stream<String> bytes() {
    // Hex of bytes spliced into a string value, a member name, and raw into the document.
    return Stream.of("ff", "c0af", "eda080", "edb080", "eda0bdedb880", "f4908080", "e282",
        "80", "f09f9880", "00", "1f", "efbbbf");
  }

  @ParameterizedTest
  @MethodSource("bytes")
  void invalidUtf8AndControlBytesReadTheSame(String hex) {
    byte[] raw = HexFormat.of().parseHex(hex);
    for (String place : PLACES) {
      agree(splice(place.replace("@", "\"a@b\""), raw));
      agree(splice(place.replace("@", "{\"a@b\": 1}"), raw));
      agree(splice(place.replace("@", "[1, @2]"), raw));
    }
  }

  @ParameterizedTest
  @MethodSource("bytes")
  void byteOrderMarksAndEncodingsReadTheSame(String hex) {
    String bundle = FhirInputs.bundle(P, "{\"resourceType\": \"Claim\", \"id\": \"c1\"}");
    byte[] bom = HexFormat.of().parseHex("efbbbf");
    agree(concat(bom, bundle.getBytes(StandardCharsets.UTF_8)));
    agree(concat(bom, bom, bundle.getBytes(StandardCharsets.UTF_8)));
    agree(concat(bom));
    agree(concat(HexFormat.of().parseHex(hex), bundle.getBytes(StandardCharsets.UTF_8)));
    agree(concat(bundle.getBytes(StandardCharsets.UTF_8), HexFormat.of().parseHex(hex)));
    agree(concat(HexFormat.of().parseHex("feff"),
        bundle.getBytes(StandardCharsets.UTF_16BE)));
    agree(concat(HexFormat.of().parseHex("fffe"),
        bundle.getBytes(StandardCharsets.UTF_16LE)));
    agree(bundle.getBytes(StandardCharsets.UTF_16LE));
    agree(bundle.getBytes(Charset32.UTF_32BE));
  }

  /** UTF-32, which the JDK has but StandardCharsets does not name. */
  private static final class Charset32 {
    static final java.nio.charset.Charset UTF_32BE = java.nio.charset.Charset.forName("UTF-32BE");
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void largeArraysReadTheSame(int size) {
    String claim = "{\"resourceType\": \"Claim\", \"id\": \"c1\", \"item\": ["
        + "{\"sequence\": 1}, ".repeat(size) + "{}]}";
    List<String> entries = new ArrayList<>();
    entries.add(P);
    for (int i = 0; i < size; i++) {
      entries.add(i % 2 == 0 ? claim.substring(0, 40) + "}" : "{\"resourceType\": \"Coverage\"}");
    }
    agree(FhirInputs.bundle(entries.toArray(String[]::new)).getBytes(StandardCharsets.UTF_8));
    agree(FhirInputs.bundle(P, claim).getBytes(StandardCharsets.UTF_8));
  }

  static Stream<Integer> sizes() {
    return Stream.of(0, 1, 10_000, 100_000);
  }

  private static byte[] splice(String text, byte[] raw) {
    int at = text.indexOf('@');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
    out.writeBytes(raw);
    out.writeBytes(text.substring(at + 1).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static void agree(byte[] json) {
    String streamed = outcome(() -> FhirReader.create().read(new ByteArrayInputStream(json),
        FhirInputs.SOURCE));
    String tree = outcome(() -> {
      ResourceIndex index = new ResourceIndex();
      index.add(FhirDocuments.parse(new ByteArrayInputStream(json), FhirInputs.SOURCE),
          FhirInputs.SOURCE);
      return RecordAssembler.assemble(index, DanglingSubject.ERROR);
    });
    String text = new String(json, StandardCharsets.UTF_8);
    assertThat(streamed).as(text.length() > 300 ? text.substring(0, 300) : text)
        .isEqualTo(tree);
  }

  /** Everything a read gives, or everything its error says. */
  private static String outcome(Supplier<FhirData> read) {
    try {
      FhirData data = read.get();
      StringBuilder all = new StringBuilder("read ").append(data.skipped())
          .append(data.warnings());
      for (PatientRecord record : data.patients()) {
        all.append('\n').append(record.facts().toList()).append(record.warnings())
            .append(record.draftOrders());
      }
      return all.toString();
    } catch (InvalidPatientDataException e) {
      return "refused " + e.source() + " | " + e.path() + " | " + e.getMessage();
    }
  }
}
