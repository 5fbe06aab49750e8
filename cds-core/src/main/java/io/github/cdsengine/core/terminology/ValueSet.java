package io.github.cdsengine.core.terminology;

import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import java.util.Collections;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A named set of codes, such as every code that means "colonoscopy".
 *
 * <p>Membership compares (system, code) only and costs one hash lookup per coding.
 *
 * @param id the short id rules use to name it, e.g. {@code crc-colonoscopy}
 * @param url the canonical URL
 * @param version the version, or {@code null} when the source gave none
 * @param title a human-readable title
 * @param codes the codes; never empty
 */
public record ValueSet(String id, String url, String version, String title, Set<Code> codes) {

  /**
   * Copies the codes and checks the fields.
   *
   * @throws NullPointerException if id, url, title or codes is null
   * @throws IllegalArgumentException if id is blank or there are no codes
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
    if (codes.isEmpty()) {
      throw new IllegalArgumentException("value set '" + id + "' has no codes");
    }
  }

  /** Whether {@code code} is in this value set. */
  public boolean contains(Code code) {
    return code != null && codes.contains(code);
  }

  /** Whether any coding of {@code concept} is in this value set. */
  public boolean containsAny(CodeableConcept concept) {
    if (concept == null) {
      return false;
    }
    for (Code coding : concept.codings()) {
      if (codes.contains(coding)) {
        return true;
      }
    }
    return false;
  }
}
