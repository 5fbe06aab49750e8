package io.github.cdsengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Aliases hosts send for a code system all name the same canonical system. */
class CodeSystemsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "http://snomed.info/sct, http://snomed.info/sct",
      "https://snomed.info/sct, http://snomed.info/sct",
      "http://snomed.info/sct/, http://snomed.info/sct",
      "urn:oid:2.16.840.1.113883.6.96, http://snomed.info/sct",
      "SNOMED CT, http://snomed.info/sct",
      "SNOMEDCT, http://snomed.info/sct",
      "urn:oid:2.16.840.1.113883.6.1, http://loinc.org",
      "LOINC, http://loinc.org",
      "urn:oid:2.16.840.1.113883.6.88, http://www.nlm.nih.gov/research/umls/rxnorm",
      "urn:oid:2.16.840.1.113883.6.90, http://hl7.org/fhir/sid/icd-10-cm",
      "ICD-10-CM, http://hl7.org/fhir/sid/icd-10-cm",
      "urn:oid:2.16.840.1.113883.6.4, http://www.cms.gov/Medicare/Coding/ICD10",
      "urn:oid:2.16.840.1.113883.12.292, http://hl7.org/fhir/sid/cvx",
      "urn:oid:2.16.840.1.113883.6.12, http://www.ama-assn.org/go/cpt",
      "http://www.nlm.nih.gov/research/umls/hcpcs, https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
      "urn:oid:2.16.840.1.113883.6.285, https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
      "http://example.org/local-codes, http://example.org/local-codes",
      "http://SNOMED.info/sct, http://snomed.info/sct"})
  void aliasesResolveToTheCanonicalUri(String sent, String canonical) {
    assertThat(CodeSystems.canonical(sent)).isEqualTo(canonical);
  }

  @ParameterizedTest
  @CsvSource({"urn:oid:2.16.840.1.113883.6.96", "SNOMED", "https://snomed.info/sct/"})
  void codesMadeWithAnAliasEqualTheCanonicalCode(String alias) {
    Code fromAlias = Code.of(alias, "73761001");
    assertThat(fromAlias).isEqualTo(Code.of("http://snomed.info/sct", "73761001"));
    assertThat(fromAlias.system()).isEqualTo(CodeSystems.SNOMED_CT);
    assertThat(fromAlias.hashCode()).isEqualTo(Code.of(CodeSystems.SNOMED_CT, "73761001").hashCode());
  }
}
