package io.github.cdsengine.core.terminology;

import static io.github.cdsengine.core.model.CodeSystems.CPT;
import static io.github.cdsengine.core.model.CodeSystems.ICD_10_CM;
import static io.github.cdsengine.core.model.CodeSystems.SNOMED_CT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.problem.CdsException;
import io.github.cdsengine.core.problem.InvalidDataException;
import io.github.cdsengine.core.model.Code;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueSetReaderTest {

  private static ValueSet readResource(String name) {
    try (InputStream in = ValueSetReaderTest.class.getResourceAsStream("/valuesets/" + name)) {
      assertThat(in).as("test resource %s", name).isNotNull();
      return ValueSetReader.read(in, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ValueSet readText(String json) {
    return ValueSetReader.read(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "inline.json");
  }

  /** Asserts that reading fails with an {@link InvalidDataException} at {@code path}. */
  private static void assertRefused(ThrowingCallable read, String source, String path,
      String fragment) {
    assertThatThrownBy(read)
        .isInstanceOf(InvalidDataException.class)
        .isInstanceOf(CdsException.class)
        .hasMessageStartingWith(source + ": " + path + ": ")
        .hasMessageContaining(fragment)
        .satisfies(e -> {
          InvalidDataException invalid = (InvalidDataException) e;
          assertThat(invalid.source()).isEqualTo(source);
          assertThat(invalid.path()).isEqualTo(path);
        });
  }

  @Test
  void readsAnExpansionWithNestedContains() {
    ValueSet valueSet = readResource("expansion-nested.json");

    assertThat(valueSet.id()).isEqualTo("test-colonoscopy");
    assertThat(valueSet.url()).isEqualTo("http://example.org/fhir/ValueSet/test-colonoscopy");
    assertThat(valueSet.version()).isEqualTo("2024-01");
    assertThat(valueSet.title()).isEqualTo("Colonoscopy (test)");
    assertThat(valueSet.codes()).containsExactlyInAnyOrder(
        Code.of(SNOMED_CT, "73761001"), Code.of(SNOMED_CT, "444783004"),
        Code.of(CPT, "45378"), Code.of(CPT, "45380"));
  }

  @Test
  void anExpansionTakesPrecedenceOverAnIntensionalCompose() {
    // expansion-nested.json also has a compose with a filter; the expansion makes it readable.
    assertThat(readResource("expansion-nested.json").contains(Code.of(SNOMED_CT, "444783004")))
        .isTrue();
  }

  @Test
  void keepsDisplayTextFromTheExpansion() {
    ValueSet valueSet = readResource("expansion-nested.json");

    assertThat(valueSet.codes())
        .filteredOn(code -> code.code().equals("444783004"))
        .extracting(Code::display)
        .containsExactly("Screening colonoscopy");
    assertThat(valueSet.codes())
        .filteredOn(code -> code.code().equals("45380"))
        .extracting(Code::display)
        .containsOnlyNulls();
  }

  @Test
  void readsTheConceptsOfComposeInclude() {
    ValueSet valueSet = readResource("compose-concepts.json");

    assertThat(valueSet.codes()).containsExactlyInAnyOrder(
        Code.of(SNOMED_CT, "44054006"), Code.of(SNOMED_CT, "46635009"),
        Code.of(ICD_10_CM, "E11.9"));
  }

  @Test
  void withoutIdOrTitleTheIdComesFromTheUrlAndTheTitleFromTheName() {
    ValueSet valueSet = readResource("compose-concepts.json");

    assertThat(valueSet.id()).isEqualTo("test-diabetes");
    assertThat(valueSet.title()).isEqualTo("TestDiabetes");
    assertThat(valueSet.version()).isNull();
  }

  @Test
  void withoutTitleOrNameTheTitleIsTheId() {
    ValueSet valueSet = readText("""
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/vs-1",
         "compose": {"include": [{"system": "urn:s", "concept": [{"code": "1"}]}]}}
        """);

    assertThat(valueSet.id()).isEqualTo("vs-1");
    assertThat(valueSet.title()).isEqualTo("vs-1");
  }

  @Test
  void refusesAFilter() {
    assertRefused(() -> readResource("compose-filter.json"), "compose-filter.json",
        "$.compose.include[1].filter", "intensional filters are not supported");
  }

  @Test
  void readsAnIcd10CmIsAFilterAsAFamily() {
    ValueSet valueSet = readText("""
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/ibd",
         "compose": {"include": [
           {"system": "http://snomed.info/sct", "concept": [{"code": "34000006"}]},
           {"system": "http://hl7.org/fhir/sid/icd-10-cm", "filter": [
             {"property": "concept", "op": "is-a", "value": "K50"}]},
           {"system": "http://hl7.org/fhir/sid/icd-10-cm", "filter": [
             {"property": "concept", "op": "is-a", "value": "K51"}]}]}}
        """);

    assertThat(valueSet.codes()).containsExactly(Code.of(SNOMED_CT, "34000006"));
    assertThat(valueSet.families()).containsExactlyInAnyOrder(
        Code.of(ICD_10_CM, "K50"),
        Code.of(ICD_10_CM, "K51"));
    assertThat(valueSet.contains(Code.of(ICD_10_CM, "K50.114"))).isTrue();
    assertThat(valueSet.contains(Code.of(ICD_10_CM, "K52.9"))).isFalse();
  }

  /**
   * FHIR R4 ValueSet.compose.include.filter: "If multiple filters are specified, they SHALL all
   * be true", so K50 and K51 in one include select the codes under both (none): a terminology
   * server expands it to nothing, and reading it as two families would differ from the server.
   */
  @Test
  void refusesAnIncludeWithMoreThanOneFilterNamingTheFileAndPath() {
    assertRefused(() -> readText("""
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/ibd",
         "compose": {"include": [
           {"system": "http://snomed.info/sct", "concept": [{"code": "34000006"}]},
           {"system": "http://hl7.org/fhir/sid/icd-10-cm", "filter": [
             {"property": "concept", "op": "is-a", "value": "K50"},
             {"property": "concept", "op": "is-a", "value": "K51"}]}]}}
        """), "inline.json", "$.compose.include[1].filter[1]", "an include of its own");
  }

  @Test
  void aValueSetOfFamiliesOnlyIsNotEmpty() {
    ValueSet valueSet = readText("""
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/uc",
         "compose": {"include": [{"system": "urn:oid:2.16.840.1.113883.6.90",
           "filter": [{"property": "concept", "op": "is-a", "value": "K51"}]}]}}
        """);

    assertThat(valueSet.codes()).isEmpty();
    assertThat(valueSet.contains(Code.of(ICD_10_CM, "K51.90"))).isTrue();
  }

  @Test
  void refusesAnyOtherFilter() {
    String template = """
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/f",
         "compose": {"include": [{"system": "http://hl7.org/fhir/sid/icd-10-cm",
           "filter": [{"property": "%s", "op": "%s", "value": "%s"}]}]}}
        """;
    assertRefused(() -> readText(template.formatted("concept", "descendent-of", "K51")),
        "inline.json", "$.compose.include[0].filter[0]", "intensional filters are not supported");
    assertRefused(() -> readText(template.formatted("parent", "=", "K51")),
        "inline.json", "$.compose.include[0].filter[0]", "intensional filters are not supported");
    assertRefused(() -> readText(template.formatted("concept", "is-a", "K51.*")),
        "inline.json", "$.compose.include[0].filter[0].value", "is not an ICD-10-CM code");
    assertRefused(() -> readText("""
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/f",
         "compose": {"include": [{"system": "http://hl7.org/fhir/sid/icd-10-cm",
           "concept": [{"code": "K50.90"}],
           "filter": [{"property": "concept", "op": "is-a", "value": "K51"}]}]}}
        """), "inline.json", "$.compose.include[0].concept", "must not also list concepts");
  }

  @Test
  void refusesAnImportedValueSet() {
    assertRefused(() -> readResource("compose-import.json"), "compose-import.json",
        "$.compose.include[0].valueSet", "importing other value sets is not supported");
  }

  @Test
  void refusesAnExclude() {
    assertRefused(() -> readResource("compose-exclude.json"), "compose-exclude.json",
        "$.compose.exclude", "compose.exclude is not supported");
  }

  @Test
  void refusesAWholeCodeSystem() {
    assertRefused(() -> readResource("compose-whole-system.json"), "compose-whole-system.json",
        "$.compose.include[0]", "including a whole code system is not supported");
  }

  @Test
  void refusesAnEmptyConceptList() {
    assertRefused(() -> readText("""
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/a",
         "compose": {"include": [{"system": "urn:s", "concept": []}]}}
        """), "inline.json", "$.compose.include[0]", "whole code system");
  }

  @Test
  void refusesAMissingUrl() {
    assertRefused(() -> readResource("missing-url.json"), "missing-url.json", "$.url",
        "a non-empty string is required");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"url\": \"\"",
      "\"url\": \"  \"",
      "\"url\": null",
      "\"url\": 42",
  })
  void refusesAUrlThatIsNotANonEmptyString(String urlMember) {
    assertRefused(() -> readText("{\"resourceType\": \"ValueSet\", " + urlMember + ","
        + " \"expansion\": {\"contains\": [{\"system\": \"urn:s\", \"code\": \"1\"}]}}"),
        "inline.json", "$.url", "a non-empty string is required");
  }

  @Test
  void refusesAnotherResourceType() {
    assertRefused(() -> readResource("wrong-resource-type.json"), "wrong-resource-type.json",
        "$.resourceType", "expected \"ValueSet\", got \"CodeSystem\"");
  }

  @Test
  void refusesAMissingResourceType() {
    assertRefused(() -> readText("""
        {"url": "http://example.org/ValueSet/a",
         "expansion": {"contains": [{"system": "urn:s", "code": "1"}]}}
        """), "inline.json", "$.resourceType", "expected \"ValueSet\"");
  }

  @Test
  void refusesMalformedJsonWithTheLine() {
    assertRefused(() -> readResource("malformed.json"), "malformed.json", "$", "not valid JSON");
    assertThatThrownBy(() -> readResource("malformed.json")).hasMessageEndingWith("at line 8");
  }

  @Test
  void refusesContentAfterTheRootObject() {
    assertRefused(() -> readResource("trailing-content.json"), "trailing-content.json", "$",
        "not valid JSON");
    assertThatThrownBy(() -> readResource("trailing-content.json"))
        .hasMessageContaining("Trailing token");
  }

  @Test
  void refusesDuplicateMembers() {
    assertRefused(() -> readText("""
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/a",
         "url": "http://example.org/ValueSet/b",
         "expansion": {"contains": [{"system": "urn:s", "code": "1"}]}}
        """), "inline.json", "$", "Duplicate field 'url'");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[]",
      "\"ValueSet\"",
      "42",
      "null",
  })
  void refusesARootThatIsNotAnObject(String json) {
    assertRefused(() -> readText(json), "inline.json", "$", "expected a JSON object");
  }

  @Test
  void refusesEmptyInput() {
    assertThatThrownBy(() -> readText(""))
        .isInstanceOf(InvalidDataException.class)
        .extracting(e -> ((InvalidDataException) e).path())
        .isEqualTo("$");
  }

  @Test
  void refusesAnEmptyExpansion() {
    assertRefused(() -> readResource("empty-expansion.json"), "empty-expansion.json", "$",
        "value set 'test-empty' has no codes");
  }

  @Test
  void refusesAnExpansionWithNoContains() {
    assertRefused(() -> readText("""
        {"resourceType": "ValueSet", "id": "vs", "url": "http://example.org/ValueSet/vs",
         "expansion": {"total": 0}}
        """), "inline.json", "$", "value set 'vs' has no codes");
  }

  @Test
  void refusesAComposeWithNoIncludes() {
    assertRefused(() -> readText("""
        {"resourceType": "ValueSet", "id": "vs", "url": "http://example.org/ValueSet/vs",
         "compose": {"include": []}}
        """), "inline.json", "$", "has no codes");
  }

  @Test
  void refusesAValueSetWithNeitherExpansionNorCompose() {
    assertRefused(() -> readText("""
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/vs"}
        """), "inline.json", "$", "needs an expansion or a compose");
  }

  @Test
  void refusesContainsThatIsNotAnArray() {
    assertRefused(() -> readText("""
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/vs",
         "expansion": {"contains": {"system": "urn:s", "code": "1"}}}
        """), "inline.json", "$.expansion.contains", "expected an array");
  }

  @Test
  void refusesANestedEntryWithoutSystemAtItsPath() {
    assertRefused(() -> readText("""
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/vs",
         "expansion": {"contains": [
           {"system": "urn:s", "code": "1"},
           {"abstract": true, "contains": [
             {"system": "urn:s", "code": "2"},
             {"code": "3"}
           ]}
         ]}}
        """), "inline.json", "$.expansion.contains[1].contains[1].system",
        "a non-empty string is required");
  }

  @Test
  void refusesANumericCodeInAnExpansion() {
    assertRefused(() -> readText("""
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/vs",
         "expansion": {"contains": [{"system": "urn:s", "code": 12}]}}
        """), "inline.json", "$.expansion.contains[0].code", "a non-empty string is required");
  }

  @Test
  void refusesAConceptWithoutCodeAtItsPath() {
    assertRefused(() -> readText("""
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/vs",
         "compose": {"include": [
           {"system": "urn:s", "concept": [{"code": "1"}]},
           {"system": "urn:t", "concept": [{"code": "2"}, {"display": "no code"}]}
         ]}}
        """), "inline.json", "$.compose.include[1].concept[1].code",
        "a non-empty string is required");
  }

  @Test
  void refusesAnIncludeWithoutSystem() {
    assertRefused(() -> readText("""
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/vs",
         "compose": {"include": [{"concept": [{"code": "1"}]}]}}
        """), "inline.json", "$.compose.include[0].system", "a non-empty string is required");
  }

  @Test
  void reportsAnUnreadableStream() {
    InputStream failing = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("disk gone");
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        throw new IOException("disk gone");
      }
    };

    assertRefused(() -> ValueSetReader.read(failing, "broken.json"), "broken.json", "$",
        "cannot read: disk gone");
  }

  @Test
  void anIncludeThatIsNotAnArrayIsRefused() {
    assertRefused(() -> readText("{\"resourceType\":\"ValueSet\",\"url\":\"http://x/ValueSet/a\","
        + "\"compose\":{\"include\":{\"system\":\"s\",\"concept\":[{\"code\":\"1\"}]}}}"),
        "inline.json", "$.compose.include", "expected an array");
  }

  @Test
  void aConceptThatIsNotAnObjectIsRefused() {
    assertRefused(() -> readText("{\"resourceType\":\"ValueSet\",\"url\":\"http://x/ValueSet/a\","
        + "\"compose\":{\"include\":[{\"system\":\"s\",\"concept\":[\"1\"]}]}}"),
        "inline.json", "$.compose.include[0].concept[0]", "expected an object");
  }

  @Test
  void anExpansionEntryThatIsNotAnObjectIsRefused() {
    assertRefused(() -> readText("{\"resourceType\":\"ValueSet\",\"url\":\"http://x/ValueSet/a\","
        + "\"expansion\":{\"contains\":[\"abc\"]}}"),
        "inline.json", "$.expansion.contains[0]", "expected an object");
  }

  @Test
  void aBlankIdIsRefusedWithItsPath() {
    assertRefused(() -> readText("{\"resourceType\":\"ValueSet\",\"id\":\" \","
        + "\"url\":\"http://x/ValueSet/a\",\"expansion\":{\"contains\":[{\"system\":\"s\",\"code\":\"1\"}]}}"),
        "inline.json", "$.id", "non-empty string");
    assertRefused(() -> readText("{\"resourceType\":\"ValueSet\",\"url\":\"http://x/ValueSet/\","
        + "\"expansion\":{\"contains\":[{\"system\":\"s\",\"code\":\"1\"}]}}"),
        "inline.json", "$.url", "give the value set an id");
  }

  @Test
  void aMissingResourceTypeSaysSo() {
    assertRefused(() -> readText("{\"url\":\"http://x/ValueSet/a\"}"),
        "inline.json", "$.resourceType", "no resourceType");
  }
}
