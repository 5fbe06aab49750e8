package io.github.cdsengine.population;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdsengine.core.evaluation.EvaluationContext;
import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.MeasureDefinition;
import io.github.cdsengine.core.evaluation.MeasureResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.WithheldRecommendation;
import io.github.cdsengine.core.json.ResultJson;
import io.github.cdsengine.core.model.AllergyIntolerance;
import io.github.cdsengine.core.model.CarePlan;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.DeviceRequest;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.Immunization;
import io.github.cdsengine.core.model.MedicationDispense;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.ServiceRequest;
import io.github.cdsengine.core.rule.Population;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One patient's line of a population run's results ({@code results.ndjson}) and what the
 * summary counts of it. Both runners make rows with {@link #of}, so their lines and figures are
 * the same.
 *
 * @serial exclude
 * @param patientId the patient's id
 * @param source where the patient was read from (file, and line for NDJSON)
 * @param ageBand the age band on the evaluation date ({@link #AGE_BANDS})
 * @param sex the administrative gender's code, or {@code unknown} ({@link #SEXES})
 * @param json the results line: {@code {"source", "ageBand", "sex", "result"}}, the result as
 *     {@link ResultJson#standard()} writes it
 * @param tally what the summary counts of this patient
 */
public record PatientRow(String patientId, String source, String ageBand, String sex,
    String json, Tally tally) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The age bands, in completed years at the evaluation date, and "unknown". */
  public static final List<String> AGE_BANDS = List.of("0-17", "18-44", "45-64", "65-74", "75+",
      "unknown");

  /** The sexes as FHIR administrative gender, and "unknown" when not recorded. */
  public static final List<String> SEXES = List.of("female", "male", "other", "unknown");

  private static final ObjectMapper JSON = new ObjectMapper();
  /** What comes before the result in a results line: the last member, after the ASCII ones. */
  private static final String RESULT_MEMBER = ",\"result\":";

  /**
   * A recommendation shown or withheld.
   *
   * @serial exclude
   * @param id the recommendation's id
   * @param title its title
   * @param severity its severity's code
   */
  public record Shown(String id, String title, String severity) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * One measure group's result for the patient.
   *
   * @serial exclude
   * @param measure the measure's id
   * @param group the group, from 1
   * @param improvement whether a higher or a lower rate is better
   * @param populations the populations the patient is in
   * @param careGap whether the patient has a care gap
   * @param episodes for a measure counted by episode (CMS22's encounters), the patient's
   *     episodes in each population ({@link MeasureResult#episodes()}); empty for a measure
   *     counted by patient
   */
  public record MeasureCount(String measure, int group, MeasureDefinition.Improvement improvement,
      List<Population> populations, boolean careGap, Map<Population, Integer> episodes)
      implements Serializable {
    private static final long serialVersionUID = 2L;

    /**
     * Copies the populations and the episode counts.
     *
     * @param measure the measure's id
     * @param group the group
     * @param improvement whether higher or lower is better
     * @param populations the populations the patient is in
     * @param careGap whether the patient has a care gap
     * @param episodes the episodes in each population, empty when counted by patient
     */
    public MeasureCount {
      populations = List.copyOf(populations);
      episodes = Map.copyOf(episodes);
    }

    /**
     * A measure group counted by patient.
     *
     * @param measure the measure's id
     * @param group the group
     * @param improvement whether higher or lower is better
     * @param populations the populations the patient is in
     * @param careGap whether the patient has a care gap
     */
    public MeasureCount(String measure, int group, MeasureDefinition.Improvement improvement,
        List<Population> populations, boolean careGap) {
      this(measure, group, improvement, populations, careGap, Map.of());
    }

    /**
     * The count of an engine's result: its populations, care gap and episode counts.
     *
     * @param result the measure group's result
     * @return the count
     */
    public static MeasureCount of(MeasureResult result) {
      return new MeasureCount(result.measure(), result.group(), result.improvement(),
          result.populations(), result.careGap(), result.episodes());
    }

    /**
     * What the patient adds to {@code population}'s count, as {@link MeasureResult#count} says:
     * 1 or 0, or for a measure counted by episode the patient's episodes in it.
     *
     * @param population the population
     * @return the count
     */
    public int count(Population population) {
      if (!episodes.isEmpty()) {
        return episodes.getOrDefault(population, 0);
      }
      return populations.contains(population) ? 1 : 0;
    }

    /**
     * Whether the patient has an eligible case: one in the denominator, neither excluded nor
     * excepted (for a measure counted by episode, such an episode).
     *
     * @return true when some case of the patient's is in the eligible denominator
     */
    public boolean eligible() {
      return count(Population.DENOMINATOR) > count(Population.DENOMINATOR_EXCLUSION)
          + count(Population.DENOMINATOR_EXCEPTION);
    }
  }

  /**
   * What the summary counts of one patient.
   *
   * @serial exclude
   * @param complete whether every rule ran
   * @param shown the recommendations shown, in rank order
   * @param withheld the recommendations withheld (suppressed or contraindicated)
   * @param measures the measure groups' results
   * @param dataEnd the latest date of any of the record's clinical facts (ISO), or null when
   *     it has none
   * @param warnings the number of data warnings of the result (the reader's among them)
   */
  public record Tally(boolean complete, List<Shown> shown, List<Shown> withheld,
      List<MeasureCount> measures, String dataEnd, int warnings) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Copies the lists.
     *
     * @param complete whether every rule ran
     * @param shown the recommendations shown
     * @param withheld the recommendations withheld
     * @param measures the measure groups' results
     * @param dataEnd the latest date of a fact, or null
     * @param warnings the number of data warnings
     */
    public Tally {
      shown = List.copyOf(shown);
      withheld = List.copyOf(withheld);
      measures = List.copyOf(measures);
    }
  }

  /**
   * Checks the fields.
   *
   * @param patientId the patient's id
   * @param source where the patient was read from
   * @param ageBand the age band
   * @param sex the sex
   * @param json the results line
   * @param tally what the summary counts
   * @throws NullPointerException if any is null
   */
  public PatientRow {
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(ageBand, "ageBand");
    Objects.requireNonNull(sex, "sex");
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(tally, "tally");
  }

  /**
   * The result as the results line holds it: its {@code result} member, the JSON that {@link
   * ResultJson#standard()} writes.
   *
   * @return the result's JSON
   */
  public String result() {
    int start = json.indexOf(RESULT_MEMBER);
    if (start < 0 || !json.endsWith("}")) {
      throw new IllegalStateException("a results line without its result member");
    }
    return json.substring(start + RESULT_MEMBER.length(), json.length() - 1);
  }

  /**
   * The row of one evaluated patient.
   *
   * @param source where the patient was read from
   * @param record the record as evaluated
   * @param context the context it was evaluated in
   * @param result its result
   * @return the row
   * @throws NullPointerException if any argument is null
   */
  public static PatientRow of(String source, PatientRecord record, EvaluationContext context,
      EvaluationResult result) {
    String band = ageBand(record.patient(), context);
    String sex = sex(record.patient());
    String json;
    try {
      json = "{\"source\":" + JSON.writeValueAsString(source) + ",\"ageBand\":\"" + band
          + "\",\"sex\":\"" + sex + "\",\"result\":" + ResultJson.standard().write(result) + "}";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    List<Shown> shown = new ArrayList<>();
    for (Recommendation r : result.recommendations()) {
      shown.add(new Shown(r.id(), r.title(), r.severity().code()));
    }
    List<Shown> withheld = new ArrayList<>();
    for (WithheldRecommendation w : result.withheld()) {
      Recommendation r = w.recommendation();
      withheld.add(new Shown(r.id(), r.title(), r.severity().code()));
    }
    List<MeasureCount> measures = new ArrayList<>();
    for (MeasureResult m : result.measures()) {
      measures.add(MeasureCount.of(m));
    }
    LocalDate end = dataEnd(record, context.zone());
    Tally tally = new Tally(result.complete(), shown, withheld, measures,
        end == null ? null : end.toString(), result.warnings().size());
    return new PatientRow(result.patientId(), source, band, sex, json, tally);
  }

  /**
   * The age band of {@code patient} on the evaluation date of {@code context}.
   *
   * @param patient the patient
   * @param context the evaluation context
   * @return one of {@link #AGE_BANDS}
   */
  public static String ageBand(Patient patient, EvaluationContext context) {
    LocalDate birth = patient.birthDate();
    LocalDate on = context.date();
    if (birth == null || birth.isAfter(on)) {
      return "unknown";
    }
    int years = java.time.Period.between(birth, on).getYears();
    if (years < 18) {
      return "0-17";
    }
    if (years < 45) {
      return "18-44";
    }
    if (years < 65) {
      return "45-64";
    }
    return years < 75 ? "65-74" : "75+";
  }

  /**
   * The sex of {@code patient}: its administrative gender's code, or "unknown".
   *
   * @param patient the patient
   * @return one of {@link #SEXES}
   */
  public static String sex(Patient patient) {
    return patient.gender() == null ? "unknown" : patient.gender().code();
  }

  /**
   * The latest date any clinical fact of the record carries (onset, abatement, recorded,
   * effective, authored, performed, occurrence, period, prepared, handed over), in {@code zone}.
   *
   * @param record the record
   * @param zone the zone dates are taken in
   * @return the latest date, or null when no fact has one
   */
  public static LocalDate dataEnd(PatientRecord record, ZoneId zone) {
    LocalDate[] latest = {null};
    record.facts().forEach(fact -> {
      for (ClinicalTime time : times(fact)) {
        if (time != null) {
          LocalDate date = time.latestDate(zone);
          if (latest[0] == null || date.isAfter(latest[0])) {
            latest[0] = date;
          }
        }
      }
    });
    return latest[0];
  }

  private static List<ClinicalTime> times(ClinicalFact fact) {
    List<ClinicalTime> times = new ArrayList<>();
    if (fact instanceof Condition c) {
      times.add(c.onset());
      times.add(c.abatement());
      times.add(c.recorded());
    } else if (fact instanceof Observation o) {
      add(times, o.effective());
    } else if (fact instanceof MedicationRequest m) {
      times.add(m.authoredOn());
    } else if (fact instanceof Procedure p) {
      add(times, p.performed());
    } else if (fact instanceof Immunization i) {
      times.add(i.occurrence());
    } else if (fact instanceof Encounter e) {
      add(times, e.period());
    } else if (fact instanceof AllergyIntolerance a) {
      times.add(a.recorded());
    } else if (fact instanceof ServiceRequest s) {
      times.add(s.authoredOn());
      add(times, s.occurrence());
    } else if (fact instanceof DeviceRequest d) {
      times.add(d.authoredOn());
    } else if (fact instanceof CarePlan c) {
      times.add(c.created());
      times.add(c.lastUpdated());
    } else if (fact instanceof MedicationDispense d) {
      times.add(d.whenPrepared());
      times.add(d.whenHandedOver());
    }
    return times;
  }

  private static void add(List<ClinicalTime> times, Period period) {
    if (period != null) {
      times.add(period.start());
      times.add(period.end());
    }
  }
}
