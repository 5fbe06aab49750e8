package io.github.cdsengine.core.model;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The canonical URIs of the code systems clinical rules use, and the aliases hosts send for them.
 *
 * <p>Canonical URIs are those of HL7's terminology (THO), as FHIR R4 and the VSAC value sets use
 * them. Aliases are the systems' HL7 OIDs as {@code urn:oid:} URIs, the same URI with
 * {@code https} for {@code http} or a trailing slash, VSAC's HCPCS URI, and common short names
 * ({@code SNOMED}, {@code LOINC}, ...), matched without regard to letter case. A {@link Code}
 * made with an alias holds the canonical URI, so codes compare equal across aliases.
 */
public final class CodeSystems {

  /** SNOMED CT. */
  public static final String SNOMED_CT = "http://snomed.info/sct";
  /** LOINC. */
  public static final String LOINC = "http://loinc.org";
  /** RxNorm. */
  public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  /** ICD-10-CM (diagnoses, United States). */
  public static final String ICD_10_CM = "http://hl7.org/fhir/sid/icd-10-cm";
  /** ICD-10-PCS (inpatient procedures, United States). */
  public static final String ICD_10_PCS = "http://www.cms.gov/Medicare/Coding/ICD10";
  /** CVX (vaccines administered). */
  public static final String CVX = "http://hl7.org/fhir/sid/cvx";
  /** CPT (procedures). */
  public static final String CPT = "http://www.ama-assn.org/go/cpt";
  /** HCPCS Level II. */
  public static final String HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
  /** HL7 v3 ObservationInterpretation (a result's interpretation: POS, NEG, H, L...). */
  public static final String V3_OBSERVATION_INTERPRETATION =
      "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

  private static final Map<String, String> ALIASES = new HashMap<>();

  static {
    alias(SNOMED_CT, "urn:oid:2.16.840.1.113883.6.96", "snomed", "snomedct", "snomed-ct",
        "snomed ct", "sct");
    alias(LOINC, "urn:oid:2.16.840.1.113883.6.1", "loinc", "ln");
    alias(RXNORM, "urn:oid:2.16.840.1.113883.6.88", "rxnorm");
    alias(ICD_10_CM, "urn:oid:2.16.840.1.113883.6.90", "icd-10-cm", "icd10cm", "icd10-cm");
    alias(ICD_10_PCS, "urn:oid:2.16.840.1.113883.6.4", "icd-10-pcs", "icd10pcs",
        "http://www.icd10data.com/icd10pcs");
    alias(CVX, "urn:oid:2.16.840.1.113883.12.292", "cvx");
    alias(CPT, "urn:oid:2.16.840.1.113883.6.12", "cpt", "cpt-4", "cpt4");
    alias(HCPCS, "urn:oid:2.16.840.1.113883.6.285", "hcpcs",
        "http://www.nlm.nih.gov/research/umls/hcpcs");
    alias(V3_OBSERVATION_INTERPRETATION, "urn:oid:2.16.840.1.113883.5.83",
        "http://hl7.org/fhir/v3/ObservationInterpretation");
  }

  private CodeSystems() {}

  private static void alias(String canonical, String... aliases) {
    for (String uri : new String[] {canonical, swapScheme(canonical)}) {
      ALIASES.put(uri, canonical);
      ALIASES.put(uri + "/", canonical);
    }
    for (String alias : aliases) {
      ALIASES.put(alias.toLowerCase(Locale.ROOT), canonical);
      if (alias.startsWith("http")) {
        ALIASES.put(swapScheme(alias), canonical);
        ALIASES.put(alias + "/", canonical);
      }
    }
  }

  private static String swapScheme(String uri) {
    return uri.startsWith("https://") ? "http://" + uri.substring(8)
        : uri.startsWith("http://") ? "https://" + uri.substring(7) : uri;
  }

  /**
   * The canonical URI for {@code system} when it is a known alias, otherwise {@code system}
   * itself.
   *
   * @param system a code system URI or a known alias of one (matched as written, then in lower
   *     case); never null
   * @return the canonical URI; {@code system} unchanged when it is no known alias
   */
  public static String canonical(String system) {
    String canonical = ALIASES.get(system);
    if (canonical == null) {
      canonical = ALIASES.get(system.toLowerCase(Locale.ROOT));
    }
    return canonical != null ? canonical : system;
  }
}
