package io.github.cdsengine.core.terminology;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.CodeSystems;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A named set of codes, such as every code that means "colonoscopy".
 *
 * <p>Membership compares (system, code) only and costs one hash lookup per coding. A value set
 * may also include whole ICD-10-CM families ({@link #families}): a code is in such a family when
 * it is the family's code or extends it, since ICD-10-CM is a hierarchy of code prefixes
 * ({@code K51.011} is under {@code K51.01}, {@code K51.0} and {@code K51}). Such a code costs one
 * more hash lookup per character it has beyond its category's three.
 *
 * @param id the short id rules use to name it, e.g. {@code crc-colonoscopy}
 * @param url the canonical URL
 * @param version the version, or {@code null} when the source gave none
 * @param title a human-readable title
 * @param codes the codes listed one by one
 * @param families ICD-10-CM codes included with every code under them (a FHIR {@code compose}
 *     filter {@code concept is-a}); codes and families are not both empty
 */
public record ValueSet(String id, String url, String version, String title, Set<Code> codes,
    Set<Code> families) {

  /**
   * An ICD-10-CM code as a record may write it: a letter, a digit, a letter or digit (the
   * category), then up to four more letters or digits, after a dot or, undotted, straight after
   * the category. Any other form ({@code K5.00}, {@code K50.}) is no ICD-10-CM code.
   */
  private static final Pattern ICD_10_CM_CODE =
      Pattern.compile("[A-Z][0-9][0-9A-Z](\\.?[0-9A-Z]{1,4})?");

  /**
   * Copies the codes and families and checks the fields.
   *
   * @param id the short id rules use to name it, e.g. {@code crc-colonoscopy}
   * @param url the canonical URL
   * @param version the version, or {@code null} when the source gave none
   * @param title a human-readable title
   * @param codes the codes listed one by one
   * @param families ICD-10-CM codes included with every code under them (a FHIR {@code compose}
   *     filter {@code concept is-a}); codes and families are not both empty
   * @throws NullPointerException if id, url, title, codes or families is null
   * @throws IllegalArgumentException if id is blank, there are neither codes nor families, or a
   *     family is not an ICD-10-CM code
   */
  public ValueSet {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(title, "title");
    if (id.isBlank()) {
      throw new IllegalArgumentException("value set id must not be blank (url: " + url + ")");
    }
    // A HashSet compares hashes before equals; Set.copyOf probes with equals alone, which makes
    // every miss compare code-system URIs. Membership tests run per fact per evaluation.
    codes = Collections.unmodifiableSet(new HashSet<>(Objects.requireNonNull(codes, "codes")));
    if (codes.contains(null)) {
      throw new NullPointerException("value set '" + id + "' contains a null code");
    }
    Set<Code> written = new HashSet<>();
    for (Code family : Objects.requireNonNull(families, "families")) {
      Objects.requireNonNull(family, () -> "value set '" + id + "' includes a null family");
      if (!family.system().equals(CodeSystems.ICD_10_CM)) {
        throw new IllegalArgumentException("value set '" + id + "' includes the family of "
            + family + ": only ICD-10-CM families are supported");
      }
      String plain = undotted(family.code());
      if (plain.length() < 3) {
        throw new IllegalArgumentException("value set '" + id + "' includes the family of '"
            + family.code() + "', which is not an ICD-10-CM code of three characters or more");
      }
      written.add(new Code(family.system(), dotted(plain), family.display()));
    }
    families = Collections.unmodifiableSet(written);
    if (codes.isEmpty() && families.isEmpty()) {
      throw new IllegalArgumentException("value set '" + id + "' has no codes");
    }
  }

  /**
   * A value set of codes listed one by one.
   *
   * @param id the short id rules use to name it, e.g. {@code crc-colonoscopy}
   * @param url the canonical URL
   * @param version the version, or {@code null} when the source gave none
   * @param title a human-readable title
   * @param codes the codes listed one by one
   * @throws NullPointerException if id, url, title or codes is null
   * @throws IllegalArgumentException if id is blank or there are no codes
   */
  public ValueSet(String id, String url, String version, String title, Set<Code> codes) {
    this(id, url, version, title, codes, Set.of());
  }

  /**
   * Whether {@code code} is in this value set.
   *
   * @param code the code to look up, or {@code null}; its display is ignored
   * @return true when it is listed in this value set or lies in a code family it includes; false
   *     for {@code null}
   */
  public boolean contains(Code code) {
    return code != null && (codes.contains(code) || !families.isEmpty() && inFamily(code));
  }

  /**
   * Whether any coding of {@code concept} is in this value set.
   *
   * @param concept the concept whose codings are tested, or {@code null}
   * @return true when at least one coding is in this value set; false for {@code null} or no coding
   */
  public boolean containsAny(CodeableConcept concept) {
    if (concept == null) {
      return false;
    }
    for (Code coding : concept.codings()) {
      if (contains(coding)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code code} is an ICD-10-CM code in one of the families: the code itself, or one of
   * its ancestors, the code cut back a character at a time down to its three-character category.
   * The dot is not part of the hierarchy, so {@code K51011} is found as {@code K51.011} is. A
   * code not written as ICD-10-CM writes codes (a dot anywhere but after the category, a dot
   * with nothing after it, too few or too many characters) is in no family: {@code K5.00} is not
   * read as {@code K50.0}.
   */
  private boolean inFamily(Code code) {
    if (!code.system().equals(CodeSystems.ICD_10_CM)) {
      return false;
    }
    String written = code.code().trim().toUpperCase(Locale.ROOT);
    if (!ICD_10_CM_CODE.matcher(written).matches()) {
      return false;
    }
    String plain = undotted(written);
    for (int length = plain.length(); length >= 3; length--) {
      if (families.contains(Code.of(CodeSystems.ICD_10_CM, dotted(plain.substring(0, length))))) {
        return true;
      }
    }
    return false;
  }

  private static String undotted(String icd10cm) {
    return icd10cm.trim().replace(".", "").toUpperCase(Locale.ROOT);
  }

  /** ICD-10-CM's written form: a dot after the three-character category when more follows. */
  private static String dotted(String plain) {
    return plain.length() <= 3 ? plain : plain.substring(0, 3) + "." + plain.substring(3);
  }
}
