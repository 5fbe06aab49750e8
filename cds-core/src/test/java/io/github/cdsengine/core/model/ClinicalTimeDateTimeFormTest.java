package io.github.cdsengine.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The character-by-character check of a date-time's form accepts exactly what the pattern
 * {@link ClinicalTime#DATE_TIME} accepts.
 */
class ClinicalTimeDateTimeFormTest {

  @Property(tries = 5000)
  void theCheckAndThePatternAgree(@ForAll("nearlyDateTimes") String text) {
    assertThat(ClinicalTime.isDateTime(text))
        .as(text).isEqualTo(ClinicalTime.DATE_TIME.matcher(text).matches());
  }

  /** Date-times with one or two characters changed, dropped or added, and random text. */
  @Provide
  Arbitrary<String> nearlyDateTimes() {
    Arbitrary<String> valid = Arbitraries.of("2024-02-29T23:59:60Z", "2024-01-01T00:00:00Z",
        "2024-01-01T00:00:00.1+05:30", "2024-01-01T00:00:00.123456789-00:00",
        "1999-12-31T12:30:45.5Z");
    Arbitrary<Character> noise = Arbitraries.of('0', '9', '-', '+', ':', '.', 'T', 'Z', 'z', ' ',
        '\u0660', 'x');
    Arbitrary<String> edited = valid.flatMap(text -> Arbitraries.integers()
        .between(0, text.length()).flatMap(at -> noise.flatMap(c -> Arbitraries.of(
            text.substring(0, at) + c + text.substring(at),
            at < text.length() ? text.substring(0, at) + c + text.substring(at + 1) : text,
            at < text.length() ? text.substring(0, at) + text.substring(at + 1) : text))));
    Arbitrary<String> random = Arbitraries.strings().withChars("0123456789-T:.Z+")
        .ofMinLength(0).ofMaxLength(40);
    return Arbitraries.oneOf(valid, edited, edited.flatMap(text -> edited.map(other -> text)),
        random);
  }
}
