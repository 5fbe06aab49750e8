package io.github.cdsengine.core.fhir;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import io.github.cdsengine.core.model.AdministrativeGender;
import io.github.cdsengine.core.model.AllergyClinicalStatus;
import io.github.cdsengine.core.model.AllergyIntolerance;
import io.github.cdsengine.core.model.CarePlan;
import io.github.cdsengine.core.model.ClinicalFact;
import io.github.cdsengine.core.model.ClinicalTime;
import io.github.cdsengine.core.model.Code;
import io.github.cdsengine.core.model.CodeableConcept;
import io.github.cdsengine.core.model.Condition;
import io.github.cdsengine.core.model.ConditionClinicalStatus;
import io.github.cdsengine.core.model.DeviceRequest;
import io.github.cdsengine.core.model.DispenseRequest;
import io.github.cdsengine.core.model.Dosage;
import io.github.cdsengine.core.model.Encounter;
import io.github.cdsengine.core.model.EncounterStatus;
import io.github.cdsengine.core.model.EventStatus;
import io.github.cdsengine.core.model.FhirCode;
import io.github.cdsengine.core.model.Immunization;
import io.github.cdsengine.core.model.Medication;
import io.github.cdsengine.core.model.MedicationDispense;
import io.github.cdsengine.core.model.MedicationDispenseStatus;
import io.github.cdsengine.core.model.MedicationIngredient;
import io.github.cdsengine.core.model.MedicationRequest;
import io.github.cdsengine.core.model.Observation;
import io.github.cdsengine.core.model.ObservationComponent;
import io.github.cdsengine.core.model.ObservationStatus;
import io.github.cdsengine.core.model.ObservationValueType;
import io.github.cdsengine.core.model.Patient;
import io.github.cdsengine.core.model.PatientRecord;
import io.github.cdsengine.core.model.Period;
import io.github.cdsengine.core.model.Procedure;
import io.github.cdsengine.core.model.Quantity;
import io.github.cdsengine.core.model.RequestIntent;
import io.github.cdsengine.core.model.RequestStatus;
import io.github.cdsengine.core.model.ServiceRequest;
import io.github.cdsengine.core.model.VerificationStatus;
import io.github.cdsengine.core.rule.MedicationPeriod;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads FHIR R4 JSON into patient records: a Bundle of any type, a single resource, or the
 * resources of several files taken together (one test case per folder).
 *
 * <p>Reading is strict. Malformed JSON, trailing content after the root value, a value of the
 * wrong JSON type, a missing required field, an unknown status code, an impossible date, a time
 * of day without an offset, and a reference that resolves to nothing in the input are each an
 * {@link InvalidPatientDataException} naming the source and the JSON path; no record is returned.
 * A clinical resource must name its patient ({@code subject} or {@code patient}), even where FHIR
 * makes that optional (Observation, Encounter): otherwise nothing says whose data it is.
 *
 * <p>What FHIR allows but no rule can use becomes a {@link DataWarning} and is left out: a
 * Condition, Procedure, allergy or order with no code, a value of a type the model does not
 * carry, a birth date with no day (the age cannot be known), a resource with a modifier
 * extension this reader does not understand (its meaning may be the opposite). Resource types
 * no rule uses are counted in {@link FhirData#skipped()}: MedicationStatement among them, which
 * the CDC opioid reference logic reads only in defines it has commented out.
 *
 * <p>A MedicationDispense is read with its medication by code or by reference (resolved as for
 * a MedicationRequest), its status, {@code whenPrepared}, {@code whenHandedOver} (not before
 * {@code whenPrepared}: FHIR's invariant mdd-1), quantity, days' supply, category and the
 * references of the orders it fills ({@code authorizingPrescription}, kept as given).
 *
 * <p>Conventions: {@code Encounter.type} entries are merged into one concept; an Observation's
 * {@code valueInteger} becomes a quantity with the UCUM unit {@code 1}; a quantity's unit is its
 * UCUM {@code code} when its system is UCUM, otherwise its {@code unit} text; QI-Core's
 * {@code doNotPerform} modifier extension on a DeviceRequest (also as spelled
 * {@code qicore-doNotPeform} in the CMS test decks) sets {@code doNotPerform}; an Encounter
 * without its {@code class} (required by FHIR, missing in some reference CDS Hooks requests) is
 * kept with a data warning; an Observation's {@code encounter} may name an encounter outside the
 * input (kept as the reference's last segment, as QI-Core's {@code getId()} takes it).
 *
 * <p>Thread-safe; reuse one instance.
 */
public final class FhirReader {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();

  private static final String UCUM = "http://unitsofmeasure.org";
  /** The elements of every type FHIR R4 allows for Observation.value[x]. */
  private static final Set<String> VALUE_ELEMENTS = Stream.of(ObservationValueType.values())
      .map(ObservationValueType::element).collect(Collectors.toUnmodifiableSet());

  private static final Set<String> DO_NOT_PERFORM_EXTENSIONS = Set.of(
      "http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-doNotPerform",
      "http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-doNotPeform");
  /** Resource types read as facts; Medication is read only to resolve references to it. */
  private static final Set<String> READ = Set.of("Patient", "Condition", "Observation",
      "MedicationRequest", "Procedure", "Immunization", "Encounter", "AllergyIntolerance",
      "ServiceRequest", "DeviceRequest", "CarePlan", "MedicationDispense", "Medication");

  private final boolean onePatientPerInput;

  private FhirReader(boolean onePatientPerInput) {
    this.onePatientPerInput = onePatientPerInput;
  }

  /** A strict reader: a reference that resolves nowhere is an error. */
  public static FhirReader create() {
    return new FhirReader(false);
  }

  /**
   * A reader for inputs that are each one patient's test case, such as a folder of a CMS test
   * deck: when the input holds exactly one Patient, a subject reference naming a patient that is
   * not in the input is taken to mean that patient, with a data warning saying so. Every other
   * check stays strict.
   */
  public FhirReader onePatientPerInput() {
    return new FhirReader(true);
  }

  /**
   * Reads one JSON document: a Bundle or a single resource.
   *
   * @param source where the JSON came from, for error messages
   * @throws InvalidPatientDataException naming the source and JSON path of what is wrong
   */
  public FhirData read(InputStream json, String source) {
    Input input = new Input(onePatientPerInput);
    input.add(parse(json, source), source);
    return input.read();
  }

  /**
   * Reads one file holding a Bundle or a single resource.
   *
   * @throws InvalidPatientDataException naming the file and JSON path of what is wrong
   */
  public FhirData read(Path file) {
    return read(List.of(file));
  }

  /**
   * Reads several files as one input, so that resources in one file may refer to resources in
   * another (a test case stored as one resource per file).
   *
   * @throws InvalidPatientDataException naming the file and JSON path of what is wrong
   */
  public FhirData read(List<Path> files) {
    Input input = new Input(onePatientPerInput);
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        input.add(parse(in, file.toString()), file.toString());
      } catch (IOException e) {
        throw new InvalidPatientDataException(file.toString(), "$", "cannot read: " + e);
      }
    }
    return input.read();
  }

  /**
   * Reads NDJSON (one JSON value a line, as FHIR bulk data exports write it) patient by patient:
   * the stream holds one {@link FhirData} per Patient line with the resources that follow it,
   * and one per Bundle line with that bundle's patients; it reads ahead no further than one
   * line, so memory stays bounded by the largest patient, not the file. Resource types no rule
   * uses are counted wherever they stand.
   *
   * <p>Each line is either a Bundle (taken whole: one patient's bundle a line) or a resource; a
   * run of resource lines belongs to the Patient line that starts it and ends at the next
   * Patient line. A bulk export written one file per resource type must be grouped by patient
   * first. Blank lines are skipped. Errors name the source with its line number, and the path
   * within that line. Close the stream to close {@code in}.
   *
   * @throws InvalidPatientDataException while the stream is consumed, for a bad line or a
   *     resource that names a patient other than its run's
   */
  public Stream<FhirData> readNdjson(InputStream in, String source) {
    BufferedReader lines = new BufferedReader(new InputStreamReader(in,
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)));
    Iterator<FhirData> patients = new NdjsonPatients(lines, source);
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(patients, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(() -> {
          try {
            lines.close();
          } catch (IOException e) {
            throw new InvalidPatientDataException(source, "$", "cannot close: " + e);
          }
        });
  }

  /** Groups NDJSON lines into one input per patient, reading one patient ahead at most. */
  private final class NdjsonPatients implements Iterator<FhirData> {
    private final BufferedReader lines;
    private final String source;
    private int lineNumber;
    private JsonNode pendingPatient;
    private String pendingSource;
    private FhirData next;
    private boolean done;

    NdjsonPatients(BufferedReader lines, String source) {
      this.lines = lines;
      this.source = source;
    }

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        next = readPatient();
      }
      return next != null;
    }

    @Override
    public FhirData next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      FhirData patient = next;
      next = null;
      return patient;
    }

    private FhirData readPatient() {
      Input input = new Input(false);
      boolean hasPatient = false;
      if (pendingPatient != null) {
        JsonNode pending = pendingPatient;
        pendingPatient = null;
        input.add(pending, pendingSource);
        if (pending.path("resourceType").asText().equals("Bundle")) {
          return input.read();
        }
        hasPatient = true;
      }
      try {
        String line;
        while ((line = lines.readLine()) != null) {
          lineNumber++;
          if (line.isBlank()) {
            continue;
          }
          String lineSource = source + " line " + lineNumber;
          JsonNode root = parse(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)),
              lineSource);
          String type = root.path("resourceType").asText();
          if (type.equals("Bundle")) {
            if (hasPatient) {
              pendingPatient = root;
              pendingSource = lineSource;
              return input.read();
            }
            input.add(root, lineSource);
            return input.read();
          }
          if (type.equals("Patient")) {
            if (hasPatient) {
              pendingPatient = root;
              pendingSource = lineSource;
              return input.read();
            }
            hasPatient = true;
          } else if (!hasPatient && READ.contains(type)) {
            throw new InvalidPatientDataException(lineSource, "$", "a " + type + " before any "
                + "Patient line; resources must follow the Patient they belong to");
          }
          input.add(root, lineSource);
        }
      } catch (IOException e) {
        throw new InvalidPatientDataException(source + " line " + (lineNumber + 1), "$",
            "cannot read (not UTF-8, or the stream failed): " + e);
      }
      done = true;
      return hasPatient ? input.read() : null;
    }
  }

  /**
   * Reads a CDS Hooks request: the hook, its context, and the patient's data from
   * {@code prefetch} and {@code context.draftOrders} taken together (so that a draft order may
   * refer to a prefetched resource). {@code context.patientId} may carry a {@code Patient/}
   * prefix. When no prefetched Patient has that id, the record gets a Patient with that id and
   * no birth date or gender, and a data warning says so. A request is about one patient: a
   * subject that resolves to nothing is taken as that patient, with a data warning. Prefetch
   * queries may overlap and may return a draft order too: an identical copy is taken once. A
   * different resource under an id already read (the draft order's, say) is kept too, under
   * that id with {@code #2} (then {@code #3}...) appended, and a data warning names both. A
   * prefetch need not hold every resource another refers to: an encounter diagnosis or a
   * {@code medicationReference} that names none in the request is left out with a data warning
   * (an order or dispense left with no coded medication is left out too), where a Bundle read
   * is refused. Dispenses in the prefetch are read as in a Bundle.
   *
   * @param source where the JSON came from, for error messages
   * @throws InvalidPatientDataException naming the source and JSON path of what is wrong
   */
  public CdsHooksRequest readCdsHooksRequest(InputStream json, String source) {
    JsonNode root = parse(json, source);
    Located request = new Located(root, "CDS Hooks request", source, "$", null);
    Fields fields = new Fields(request);
    String hook = fields.requiredText(root, "hook", "");
    String hookInstance = fields.requiredText(root, "hookInstance", "");
    JsonNode context = fields.requiredObject(root, "context", "");
    String named = fields.requiredText(context, "patientId", ".context");
    String patientId = named.startsWith("Patient/") ? named.substring(8) : named;
    String encounterId = fields.text(context, "encounterId", ".context");
    String userId = fields.text(context, "userId", ".context");
    List<String> selections = new ArrayList<>();
    JsonNode selected = fields.array(context, "selections", ".context");
    for (int i = 0; selected != null && i < selected.size(); i++) {
      if (!selected.get(i).isTextual()) {
        throw request.error(".context.selections[" + i + "]", "expected a string");
      }
      selections.add(selected.get(i).asText());
    }

    // A request is about one patient: a subject that names no patient means that patient, but
    // one that names another patient is an error.
    Input input = new Input(true);
    input.repointOtherPatients = false;
    List<String> draftOrders = new ArrayList<>();
    JsonNode drafts = fields.object(context, "draftOrders", ".context");
    if (drafts != null) {
      input.add(drafts, source, "$.context.draftOrders");
      for (JsonNode entry : drafts.path("entry")) {
        String type = entry.path("resource").path("resourceType").asText();
        if (!type.equals("Medication")) {
          draftOrders.add(type + "/" + entry.path("resource").path("id").asText());
        }
      }
    }
    // Prefetch queries overlap, and may return a draft order too: an identical copy is dropped.
    input.keepCopies = true;
    JsonNode prefetch = fields.object(root, "prefetch", "");
    if (prefetch != null) {
      for (Iterator<Map.Entry<String, JsonNode>> items = prefetch.fields(); items.hasNext(); ) {
        Map.Entry<String, JsonNode> item = items.next();
        String at = "$.prefetch." + item.getKey();
        if (item.getValue().isNull()) {
          continue; // the host found nothing for this query
        }
        if (!item.getValue().isObject()) {
          throw new InvalidPatientDataException(source, at, "expected a resource, a Bundle "
              + "or null, got " + item.getValue().getNodeType());
        }
        input.add(item.getValue(), source, at);
      }
    }
    List<String> prefetchedPatients = input.resources.stream()
        .filter(r -> r.type().equals("Patient")).map(Located::id).toList();
    if (!prefetchedPatients.isEmpty() && !prefetchedPatients.contains(patientId)) {
      throw request.error(".context.patientId", "names the patient '" + patientId
          + "', but the prefetched Patient is " + prefetchedPatients);
    }
    if (prefetchedPatients.isEmpty()) {
      ObjectNode patient = JSON.createObjectNode();
      patient.put("resourceType", "Patient");
      patient.put("id", patientId);
      input.add(patient, source, "$.context.patientId");
      input.warnings.add(new DataWarning("Patient", patientId, "the request's prefetch has no "
          + "Patient resource, so the birth date and gender are not known"));
    }
    FhirData data = input.read();
    PatientRecord record = data.patients().stream()
        .filter(r -> r.patient().id().equals(patientId)).findFirst()
        .orElseThrow(() -> request.error(".context.patientId", "names a patient other than "
            + "the prefetched one"));
    if (data.patients().size() > 1) {
      throw request.error(".prefetch", "holds " + data.patients().size() + " patients; a "
          + "request is about one");
    }
    return new CdsHooksRequest(hook, hookInstance, patientId, encounterId, userId, selections,
        record, draftOrders, data.skipped(), data.warnings());
  }

  private static JsonNode parse(InputStream in, String source) {
    try {
      JsonNode root = JSON.readTree(in);
      if (root == null || !root.isObject()) {
        throw new InvalidPatientDataException(source, "$", "expected a JSON object (a FHIR "
            + "resource), got " + (root == null ? "nothing" : root.getNodeType()));
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new InvalidPatientDataException(source, "$", "not valid JSON: "
          + e.getOriginalMessage()
          + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
    } catch (IOException e) {
      throw new InvalidPatientDataException(source, "$", "cannot read: " + e);
    } catch (RuntimeException e) {
      // Jackson signals some limits (a number too large for a decimal) unchecked.
      throw new InvalidPatientDataException(source, "$", "not usable JSON: " + e);
    }
  }

  /** A resource and where it is. */
  private record Located(JsonNode resource, String type, String source, String path,
      String fullUrl) {

    InvalidPatientDataException error(String relativePath, String problem) {
      return new InvalidPatientDataException(source, path + relativePath, problem);
    }

    String id() {
      return resource.path("id").asText();
    }
  }

  /** The resources of one read, indexed for references, then mapped to records. */
  private static final class Input {
    private final List<Located> resources = new ArrayList<>();
    private final Map<String, Located> byReference = new HashMap<>();
    private final Map<String, Integer> skipped = new TreeMap<>();
    private final List<DataWarning> warnings = new ArrayList<>();
    private final boolean onePatientPerInput;
    /**
     * Whether a second copy of a known resource is taken rather than an error: an identical copy
     * is dropped, a different one kept under an id of its own.
     */
    private boolean keepCopies;
    /**
     * Whether a subject explicitly naming another Patient may be re-pointed (a test deck's stale
     * reference) or only one that names no Patient at all (a malformed CDS Hooks subject).
     */
    private boolean repointOtherPatients = true;

    Input(boolean onePatientPerInput) {
      this.onePatientPerInput = onePatientPerInput;
    }

    void add(JsonNode root, String source) {
      add(root, source, "$");
    }

    /** Adds a Bundle's resources or a single resource found at {@code at} in the source. */
    void add(JsonNode root, String source, String at) {
      String type = resourceType(root, source, at);
      if (type.equals("Bundle")) {
        JsonNode entries = root.get("entry");
        if (entries == null) {
          return;
        }
        if (!entries.isArray()) {
          throw new InvalidPatientDataException(source, at + ".entry", "expected an array");
        }
        for (int i = 0; i < entries.size(); i++) {
          JsonNode entry = entries.get(i);
          String path = at + ".entry[" + i + "]";
          if (!entry.isObject()) {
            throw new InvalidPatientDataException(source, path, "expected an object");
          }
          JsonNode resource = entry.get("resource");
          if (resource == null) {
            continue; // a request-only entry (e.g. a DELETE in a transaction)
          }
          if (!resource.isObject()) {
            throw new InvalidPatientDataException(source, path + ".resource", "expected an object");
          }
          JsonNode fullUrl = entry.get("fullUrl");
          if (fullUrl != null && !fullUrl.isTextual()) {
            throw new InvalidPatientDataException(source, path + ".fullUrl", "expected a string");
          }
          collect(resource, source, path + ".resource", fullUrl == null ? null : fullUrl.asText());
        }
      } else {
        collect(root, source, at, null);
      }
    }

    private void collect(JsonNode resource, String source, String path, String fullUrl) {
      String type = resourceType(resource, source, path);
      if (type.equals("Bundle")) {
        add(resource, source, path);
        return;
      }
      if (!READ.contains(type)) {
        skipped.merge(type, 1, Integer::sum);
        return;
      }
      Located located = new Located(resource, type, source, path, fullUrl);
      Fields fields = new Fields(located);
      String id = fields.requiredText(resource, "id", "");
      Located known = byReference.get(type + "/" + id);
      if (known != null && keepCopies) {
        if (known.resource().equals(resource)) {
          return; // the same resource from two overlapping queries
        }
        // A different resource under a known id: both are kept, as the reference logic keeps
        // them, and this one under an id of its own.
        int copy = 2;
        while (byReference.containsKey(type + "/" + id + "#" + copy)) {
          copy++;
        }
        String renamed = id + "#" + copy;
        warnings.add(new DataWarning(type, id, "appears more than once with different content; "
            + "the copy at " + known.path() + " keeps the id, the one at " + path
            + " is read as " + type + "/" + renamed));
        ObjectNode copied = ((ObjectNode) resource).deepCopy();
        copied.put("id", renamed);
        located = new Located(copied, type, source, path, null);
        resources.add(located);
        index(type + "/" + renamed, located);
        return;
      }
      resources.add(located);
      index(type + "/" + id, located);
      if (fullUrl != null) {
        index(fullUrl, located);
      }
    }

    private void index(String key, Located located) {
      Located previous = byReference.putIfAbsent(key, located);
      if (previous != null && previous != located) {
        throw located.error("", "a second " + located.type() + " with the reference '" + key
            + "' (the first is at " + previous.source() + " " + previous.path() + ")");
      }
    }

    private static String resourceType(JsonNode resource, String source, String path) {
      JsonNode type = resource.get("resourceType");
      if (type == null || !type.isTextual() || type.asText().isBlank()) {
        throw new InvalidPatientDataException(source, path + ".resourceType",
            "a resource needs a resourceType string");
      }
      return type.asText();
    }

    /** The resource a reference names, or {@code null} when it names none in the input. */
    Located lookup(String ref) {
      Located target = byReference.get(ref);
      if (target == null && ref.contains("/")) {
        String[] parts = ref.split("/");
        if (parts.length >= 2) {
          target = byReference.get(parts[parts.length - 2] + "/" + parts[parts.length - 1]);
        }
      }
      return target;
    }

    /** The resource a reference names, or an error naming the reference. */
    Located resolve(Located from, JsonNode reference, String relativePath, String expectedType) {
      Fields fields = new Fields(from);
      String ref = fields.requiredText(reference, "reference", relativePath);
      Located target = byReference.get(ref);
      if (target == null && ref.contains("/")) {
        String[] parts = ref.split("/");
        if (parts.length >= 2) {
          target = byReference.get(parts[parts.length - 2] + "/" + parts[parts.length - 1]);
        }
      }
      if (target == null || !target.type().equals(expectedType)) {
        throw from.error(relativePath + ".reference", "reference '" + ref + "' resolves to no "
            + expectedType + " in the input");
      }
      return target;
    }

    /** The encounter with only the diagnoses whose Conditions were read; warns for the rest. */
    private Encounter keptDiagnoses(Encounter encounter, Set<String> conditions) {
      List<String> kept = encounter.diagnoses().stream().filter(conditions::contains).toList();
      if (kept.size() == encounter.diagnoses().size()) {
        return encounter;
      }
      warnings.add(new DataWarning("Encounter", encounter.id(), "its diagnoses "
          + encounter.diagnoses().stream().filter(d -> !conditions.contains(d)).toList()
          + " name Conditions that were left out, so they were left out too"));
      return new Encounter(encounter.id(), encounter.status(), encounter.encounterClass(),
          encounter.type(), encounter.period(), encounter.dischargeDisposition(), kept, encounter.participantType());
    }

    private Located subject(Located located, JsonNode subject, String field,
        Set<Located> patients) {
      String reference = new Fields(located).requiredText(subject, "reference", "." + field);
      boolean namesAnotherType = reference.matches("[A-Z][A-Za-z]+/.*")
          && !reference.startsWith("Patient/");
      try {
        return resolve(located, subject, "." + field, "Patient");
      } catch (InvalidPatientDataException e) {
        boolean namesAPatient = reference.startsWith("Patient/") || reference.contains("/Patient/");
        if (!onePatientPerInput || patients.size() != 1 || namesAnotherType
            || byReference.containsKey(reference) || (namesAPatient && !repointOtherPatients)) {
          throw e;
        }
        warnings.add(new DataWarning(located.type(), located.id(), "its " + field + " '"
            + subject.path("reference").asText() + "' is not in the input; taken as the input's "
            + "only patient"));
        return patients.iterator().next();
      }
    }

    FhirData read() {
      Map<Located, PatientRecord.Builder> patients = new LinkedHashMap<>();
      Map<Located, List<ClinicalFact>> factsByPatient = new HashMap<>();
      for (Located located : resources) {
        if (located.type().equals("Patient")) {
          Patient patient = new Mapper(this, located).patient();
          patients.put(located, PatientRecord.builder(patient));
          factsByPatient.put(located, new ArrayList<>());
        }
      }
      Map<ClinicalFact, Located> sources = new HashMap<>();
      for (Located located : resources) {
        if (located.type().equals("Patient") || located.type().equals("Medication")) {
          continue;
        }
        Mapper mapper = new Mapper(this, located);
        if (mapper.unknownModifier()) {
          continue;
        }
        String subjectField = located.type().equals("Immunization")
            || located.type().equals("AllergyIntolerance") ? "patient" : "subject";
        JsonNode subject = mapper.fields.requiredObject(located.resource(), subjectField, "");
        Located patient = subject(located, subject, subjectField, patients.keySet());
        ClinicalFact fact = mapper.fact();
        if (fact != null) {
          factsByPatient.get(patient).add(fact);
          sources.put(fact, located);
        }
      }
      List<PatientRecord> records = new ArrayList<>();
      for (Map.Entry<Located, PatientRecord.Builder> entry : patients.entrySet()) {
        List<ClinicalFact> facts = factsByPatient.get(entry.getKey());
        Set<String> conditions = new java.util.HashSet<>();
        facts.forEach(f -> {
          if (f instanceof Condition) {
            conditions.add(f.id());
          }
        });
        for (ClinicalFact fact : facts) {
          try {
            entry.getValue().add(fact instanceof Encounter e ? keptDiagnoses(e, conditions) : fact);
          } catch (IllegalArgumentException e) {
            throw sources.get(fact).error("", e.getMessage());
          }
        }
        try {
          records.add(entry.getValue().build());
        } catch (IllegalArgumentException e) {
          throw entry.getKey().error("", e.getMessage());
        }
      }
      return new FhirData(records, skipped, warnings);
    }
  }

  /** Typed access to a resource's fields, with errors that carry the JSON path. */
  private static final class Fields {
    private final Located at;
    /**
     * Quantities left out because they are not exact values with a unit: a comparator such as
     * {@code <5.7}, or no unit at all.
     */
    final List<String> inexactValues = new ArrayList<>();

    Fields(Located at) {
      this.at = at;
    }

    String text(JsonNode node, String field, String path) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        return null;
      }
      if (!value.isTextual()) {
        throw at.error(path + "." + field, "expected a string, got " + value.getNodeType());
      }
      return value.asText();
    }

    String requiredText(JsonNode node, String field, String path) {
      String value = text(node, field, path);
      if (value == null || value.isBlank()) {
        throw at.error(path + "." + field, "a non-empty string is required");
      }
      return value;
    }

    JsonNode object(JsonNode node, String field, String path) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        return null;
      }
      if (!value.isObject()) {
        throw at.error(path + "." + field, "expected an object, got " + value.getNodeType());
      }
      return value;
    }

    JsonNode requiredObject(JsonNode node, String field, String path) {
      JsonNode value = object(node, field, path);
      if (value == null) {
        throw at.error(path + "." + field, "is required");
      }
      return value;
    }

    JsonNode array(JsonNode node, String field, String path) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        return null;
      }
      if (!value.isArray()) {
        throw at.error(path + "." + field, "expected an array, got " + value.getNodeType());
      }
      return value;
    }

    Boolean bool(JsonNode node, String field, String path) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        return null;
      }
      if (!value.isBoolean()) {
        throw at.error(path + "." + field, "expected true or false, got " + value);
      }
      return value.booleanValue();
    }

    <E extends Enum<E> & FhirCode> E code(JsonNode node, String field, String path,
        Class<E> type, boolean required) {
      String value = required ? requiredText(node, field, path) : text(node, field, path);
      if (value == null) {
        return null;
      }
      try {
        return FhirCode.fromCode(type, value);
      } catch (IllegalArgumentException e) {
        throw at.error(path + "." + field, e.getMessage());
      }
    }

    Code coding(JsonNode coding, String path) {
      String system = text(coding, "system", path);
      String code = text(coding, "code", path);
      if (system == null || code == null || system.isBlank() || code.isBlank()) {
        return null;
      }
      return new Code(system, code, text(coding, "display", path));
    }

    /** A CodeableConcept, or null when absent or when none of its codings has system and code. */
    CodeableConcept concept(JsonNode node, String field, String path) {
      JsonNode concept = object(node, field, path);
      return concept == null ? null : concept(concept, path + "." + field);
    }

    CodeableConcept concept(JsonNode concept, String path) {
      List<Code> codes = new ArrayList<>();
      JsonNode codings = array(concept, "coding", path);
      if (codings != null) {
        for (int i = 0; i < codings.size(); i++) {
          JsonNode coding = codings.get(i);
          if (!coding.isObject()) {
            throw at.error(path + ".coding[" + i + "]", "expected an object");
          }
          Code code = coding(coding, path + ".coding[" + i + "]");
          if (code != null) {
            codes.add(code);
          }
        }
      }
      return codes.isEmpty() ? null : new CodeableConcept(codes, text(concept, "text", path));
    }

    /** The codings of every concept in an array field merged into one concept, or null. */
    CodeableConcept mergedConcepts(JsonNode node, String field, String path) {
      JsonNode concepts = array(node, field, path);
      if (concepts == null) {
        return null;
      }
      List<Code> codes = new ArrayList<>();
      for (int i = 0; i < concepts.size(); i++) {
        if (!concepts.get(i).isObject()) {
          throw at.error(path + "." + field + "[" + i + "]", "expected an object");
        }
        CodeableConcept concept = concept(concepts.get(i), path + "." + field + "[" + i + "]");
        if (concept != null) {
          codes.addAll(concept.codings());
        }
      }
      return codes.isEmpty() ? null : new CodeableConcept(codes, null);
    }

    ClinicalTime time(JsonNode node, String field, String path) {
      String text = text(node, field, path);
      if (text == null) {
        return null;
      }
      try {
        return ClinicalTime.parse(text);
      } catch (DateTimeParseException e) {
        throw at.error(path + "." + field, e.getMessage());
      }
    }

    Period period(JsonNode node, String field, String path) {
      JsonNode period = object(node, field, path);
      if (period == null) {
        return null;
      }
      ClinicalTime start = time(period, "start", path + "." + field);
      ClinicalTime end = time(period, "end", path + "." + field);
      if (start == null && end == null) {
        return null;
      }
      boolean backwards = start != null && end != null
          && (start.instant() != null && end.instant() != null
          ? end.instant().isBefore(start.instant())
          // A date beside an instant: the instant's day depends on an offset no longer known.
          : end.latestDate(java.time.ZoneOffset.UTC)
              .plusDays(start.instant() != null || end.instant() != null ? 1 : 0)
              .isBefore(start.earliestDate(java.time.ZoneOffset.UTC)));
      if (backwards) {
        throw at.error(path + "." + field, "the period ends (" + end + ") before it starts ("
            + start + ")");
      }
      return new Period(start, end);
    }

    /** A dateTime or Period choice such as effective[x], as a period; null when neither. */
    Period dateTimeOrPeriod(JsonNode node, String choice, String path) {
      ClinicalTime dateTime = time(node, choice + "DateTime", path);
      if (dateTime != null) {
        return Period.at(dateTime);
      }
      ClinicalTime instant = time(node, choice + "Instant", path);
      if (instant != null) {
        return Period.at(instant);
      }
      return period(node, choice + "Period", path);
    }

    Quantity quantity(JsonNode node, String field, String path) {
      return quantity(node, field, path, false);
    }

    /**
     * A quantity; with {@code unitlessIsCount}, a value with no unit is a count with the unit
     * {@code 1} (a dispense quantity), otherwise it is left out with a warning.
     */
    Quantity quantity(JsonNode node, String field, String path, boolean unitlessIsCount) {
      JsonNode quantity = object(node, field, path);
      if (quantity == null) {
        return null;
      }
      JsonNode value = quantity.get("value");
      if (value == null || value.isNull()) {
        return null;
      }
      if (!value.isNumber()) {
        throw at.error(path + "." + field + ".value", "expected a number, got " + value);
      }
      BigDecimal decimal = value.decimalValue();
      if (decimal.precision() > 50 || Math.abs(decimal.scale()) > 50) {
        throw at.error(path + "." + field + ".value", "the value " + value.asText()
            + " is beyond the magnitudes and precision clinical values have");
      }
      String comparator = text(quantity, "comparator", path + "." + field);
      if (comparator != null) {
        inexactValues.add(comparator + value.asText());
        return null;
      }
      String system = text(quantity, "system", path + "." + field);
      String unit = UCUM.equals(system) ? text(quantity, "code", path + "." + field) : null;
      if (unit == null) {
        unit = text(quantity, "unit", path + "." + field);
      }
      if (unit == null && system == null) {
        unit = text(quantity, "code", path + "." + field);
      }
      if ((unit == null || unit.isBlank()) && unitlessIsCount) {
        return new Quantity(decimal, "1");
      }
      if (unit == null || unit.isBlank()) {
        // Never guess: a unitless value read as "1" would convert to 100 % under UCUM.
        inexactValues.add(value.asText() + " with no unit");
        return null;
      }
      return new Quantity(value.decimalValue(), unit);
    }
  }

  /** Maps one resource to a fact. */
  private static final class Mapper {
    private final Input input;
    private final Located at;
    private final JsonNode r;
    private final Fields fields;

    Mapper(Input input, Located at) {
      this.input = input;
      this.at = at;
      this.r = at.resource();
      this.fields = new Fields(at);
    }

    private String id() {
      return fields.requiredText(r, "id", "");
    }

    private void warn(String message) {
      input.warnings.add(new DataWarning(at.type(), at.id(), message));
    }

    /** Whether the resource has a modifier extension this reader does not understand. */
    boolean unknownModifier() {
      JsonNode modifiers = fields.array(r, "modifierExtension", "");
      if (modifiers == null) {
        return false;
      }
      for (int i = 0; i < modifiers.size(); i++) {
        String url = fields.requiredText(modifiers.get(i), "url", ".modifierExtension[" + i + "]");
        if (!(at.type().equals("DeviceRequest") && DO_NOT_PERFORM_EXTENSIONS.contains(url))) {
          warn("has the modifier extension " + url + ", which can change its meaning and is "
              + "not understood here; the resource was left out");
          return true;
        }
      }
      return false;
    }

    Patient patient() {
      JsonNode modifiers = fields.array(r, "modifierExtension", "");
      if (modifiers != null && !modifiers.isEmpty()) {
        throw at.error(".modifierExtension", "a Patient with a modifier extension this reader "
            + "does not understand cannot be read safely");
      }
      ClinicalTime birth = fields.time(r, "birthDate", "");
      if (birth != null && birth.precision() == ClinicalTime.Precision.INSTANT) {
        throw at.error(".birthDate", "a birth date is a date, not a date-time: "
            + r.get("birthDate").asText());
      }
      if (birth != null && birth.isPartial()) {
        warn("birth date " + birth + " has no day, so the age is not known exactly; "
            + "the birth date was left out");
        birth = null;
      }
      return new Patient(id(), birth == null ? null : birth.date(),
          fields.code(r, "gender", "", AdministrativeGender.class, false));
    }

    /**
     * Warns about a choice element given in a type the model does not carry, e.g.
     * {@code valueString} or {@code performedAge}: it is left out.
     */
    private void unsupportedChoices(String choice, Set<String> carried) {
      for (Iterator<String> names = r.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (name.startsWith(choice) && name.length() > choice.length()
            && Character.isUpperCase(name.charAt(choice.length())) && !carried.contains(name)) {
          warn("has " + name + ", a type of " + choice + "[x] that is not carried; that element was left out");
        }
      }
    }

    /** Warns about quantities left out because they are not exact values with a unit. */
    private void inexactValueWarnings() {
      for (String value : fields.inexactValues) {
        warn("has the value " + value + ", not an exact value with a unit; that value was left "
            + "out");
      }
    }

    ClinicalFact fact() {
      return switch (at.type()) {
        case "Condition" -> condition();
        case "Observation" -> observation();
        case "MedicationRequest" -> medicationRequest();
        case "Procedure" -> procedure();
        case "Immunization" -> immunization();
        case "Encounter" -> encounter();
        case "AllergyIntolerance" -> allergy();
        case "ServiceRequest" -> serviceRequest();
        case "DeviceRequest" -> deviceRequest();
        case "CarePlan" -> carePlan();
        case "MedicationDispense" -> medicationDispense();
        default -> throw new IllegalStateException(at.type());
      };
    }

    private CodeableConcept requiredCode(String field) {
      CodeableConcept code = fields.concept(r, field, "");
      if (code == null) {
        warn("has no coded " + field + ", so no rule can match it; the resource was left out");
      }
      return code;
    }

    /**
     * A status given as a CodeableConcept (clinicalStatus, verificationStatus): the code of its
     * coding from FHIR's code system for it, whatever other codings come first.
     */
    private <E extends Enum<E> & FhirCode> E conceptStatus(String field, Class<E> type,
        String system) {
      JsonNode concept = fields.object(r, field, "");
      if (concept == null) {
        return null;
      }
      JsonNode codings = fields.array(concept, "coding", "." + field);
      String code = null;
      for (int i = 0; codings != null && i < codings.size(); i++) {
        if (!codings.get(i).isObject()) {
          throw at.error("." + field + ".coding[" + i + "]", "expected an object");
        }
        if (system.equals(fields.text(codings.get(i), "system", "." + field + ".coding[" + i + "]"))) {
          code = fields.text(codings.get(i), "code", "." + field + ".coding[" + i + "]");
          break;
        }
      }
      if (code == null) {
        throw at.error("." + field, "needs a coding from " + system
            + "; without one the status is unknown, and a resolved or refuted condition could "
            + "be taken as present");
      }
      try {
        return FhirCode.fromCode(type, code);
      } catch (IllegalArgumentException e) {
        throw at.error("." + field, e.getMessage());
      }
    }

    private Condition condition() {
      CodeableConcept code = requiredCode("code");
      if (code == null) {
        return null;
      }
      unsupportedChoices("onset", Set.of("onsetDateTime", "onsetPeriod"));
      unsupportedChoices("abatement", Set.of("abatementDateTime", "abatementPeriod"));
      Period onset = fields.dateTimeOrPeriod(r, "onset", "");
      Period abatement = fields.dateTimeOrPeriod(r, "abatement", "");
      return new Condition(id(), code,
          conceptStatus("clinicalStatus", ConditionClinicalStatus.class,
              "http://terminology.hl7.org/CodeSystem/condition-clinical"),
          conceptStatus("verificationStatus", VerificationStatus.class,
              "http://terminology.hl7.org/CodeSystem/condition-ver-status"),
          onset == null ? null : onset.earliest(),
          abatement == null ? null : abatement.latest(),
          fields.time(r, "recordedDate", ""),
          fields.mergedConcepts(r, "category", ""),
          fields.mergedConcepts(r, "bodySite", ""));
    }

    private Observation observation() {
      ObservationStatus status = fields.code(r, "status", "", ObservationStatus.class, true);
      CodeableConcept code = requiredCode("code");
      if (code == null) {
        return null;
      }
      int values = 0;
      for (Iterator<String> names = r.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (name.startsWith("value") && name.length() > 5
            && Character.isUpperCase(name.charAt(5))) {
          values++;
        }
      }
      if (values > 1) {
        throw at.error("", "has " + values + " value[x] elements; FHIR allows one");
      }
      unsupportedChoices("value", VALUE_ELEMENTS);
      unsupportedChoices("effective", Set.of("effectiveDateTime", "effectivePeriod",
          "effectiveInstant"));
      Quantity quantity = fields.quantity(r, "valueQuantity", "");
      JsonNode integer = r.get("valueInteger");
      if (integer != null) {
        if (!integer.isIntegralNumber()) {
          throw at.error(".valueInteger", "expected an integer, got " + integer);
        }
        quantity = new Quantity(new BigDecimal(integer.bigIntegerValue()), "1");
      }
      CodeableConcept concept = fields.concept(r, "valueCodeableConcept", "");
      if (concept == null && r.has("valueCodeableConcept")) {
        // A result given as text only ("Positive", with no coding) is kept as a concept with no
        // codings: no value set matches it, but a rule can read its text.
        String valueText = fields.text(fields.object(r, "valueCodeableConcept", ""), "text",
            ".valueCodeableConcept");
        if (valueText != null && !valueText.isBlank()) {
          concept = new CodeableConcept(List.of(), valueText);
        }
      }
      Boolean bool = fields.bool(r, "valueBoolean", "");
      List<ObservationComponent> components = new ArrayList<>();
      JsonNode parts = fields.array(r, "component", "");
      if (parts != null) {
        for (int i = 0; i < parts.size(); i++) {
          String path = ".component[" + i + "]";
          CodeableConcept partCode = fields.concept(parts.get(i), "code", path);
          if (partCode == null) {
            throw at.error(path + ".code", "a component needs a coded code");
          }
          components.add(new ObservationComponent(partCode,
              fields.quantity(parts.get(i), "valueQuantity", path),
              fields.concept(parts.get(i), "valueCodeableConcept", path)));
        }
      }
      String text = fields.text(r, "valueString", "");
      Observation observation = new Observation(id(), status, code,
          fields.dateTimeOrPeriod(r, "effective", ""), quantity, concept, bool, components,
          fields.mergedConcepts(r, "category", ""), encounterId(), text, valueType(),
          fields.mergedConcepts(r, "interpretation", ""));
      inexactValueWarnings();
      return observation;
    }

    /**
     * The type of the value an observation carries, or null when it carries none, as FHIRHelpers'
     * {@code ToValue} (the measures' {@code value is not null}) sees it: any value[x] element
     * counts, whether or not the model keeps its detail, except a quantity without a number
     * ({@code ToQuantity} gives null) and a primitive given only as an extension ({@code
     * _valueString}). A quantity with a comparator or without a unit is left out of {@code
     * valueQuantity} with a warning but is a value; a concept with text and no coding is kept
     * with its text and no codings.
     * Types the model keeps no detail of are checked for their JSON shape, and a date-time,
     * time or period for its form.
     */
    private ObservationValueType valueType() {
      for (ObservationValueType type : ObservationValueType.values()) {
        JsonNode value = r.get(type.element());
        if (value == null || value.isNull()) {
          continue;
        }
        String path = "." + type.element();
        switch (type) {
          case QUANTITY -> {
            JsonNode number = fields.object(r, type.element(), "").get("value");
            if (number == null || number.isNull()) {
              return null;
            }
          }
          case CODEABLE_CONCEPT, RANGE, RATIO, SAMPLED_DATA -> fields.object(r, type.element(), "");
          case STRING -> fields.text(r, type.element(), "");
          case DATE_TIME -> fields.time(r, type.element(), "");
          case PERIOD -> fields.period(r, type.element(), "");
          case TIME -> {
            String time = fields.text(r, type.element(), "");
            try {
              LocalTime.parse(time);
            } catch (DateTimeParseException e) {
              throw at.error(path, "expected a time such as 08:30:00, got " + time);
            }
          }
          default -> { }
        }
        return type;
      }
      return null;
    }

    /**
     * The id of the encounter an observation names ({@code encounter.reference}): that
     * encounter's id when it is in the input, otherwise the reference's last segment, as
     * QI-Core's {@code getId()} takes it. An encounter outside the input is not an error: the
     * observation stands without it, and a rule looking for the encounter finds none.
     */
    private String encounterId() {
      JsonNode encounter = fields.object(r, "encounter", "");
      if (encounter == null) {
        return null;
      }
      String ref = fields.text(encounter, "reference", ".encounter");
      if (ref == null || ref.isBlank()) {
        return null;
      }
      Located target = input.lookup(ref);
      if (target != null && target.type().equals("Encounter")) {
        return target.id();
      }
      return ref.substring(ref.lastIndexOf('/') + 1);
    }

    private MedicationRequest medicationRequest() {
      RequestStatus status = fields.code(r, "status", "", RequestStatus.class, true);
      RequestIntent intent = fields.code(r, "intent", "", RequestIntent.class, true);
      ReferencedMedication coded = codedMedication();
      if (coded == null) {
        return null;
      }
      CodeableConcept medication = coded.code();
      Medication product = coded.product();
      MedicationRequest request = new MedicationRequest(id(), status, intent, medication,
          fields.time(r, "authoredOn", ""), Boolean.TRUE.equals(fields.bool(r, "doNotPerform", "")),
          dispenseRequest(), dosage(), fields.mergedConcepts(r, "category", ""), product,
          referenceText(r, "recorder", ""));
      inexactValueWarnings();
      return request;
    }

    /**
     * A dispense: its medication by code or by reference (resolved as for an order), its times
     * (FHIR's invariant mdd-1: not handed over before it was prepared), amounts, category and the
     * orders it fills.
     */
    private MedicationDispense medicationDispense() {
      MedicationDispenseStatus status = fields.code(r, "status", "",
          MedicationDispenseStatus.class, true);
      ReferencedMedication coded = codedMedication();
      if (coded == null) {
        return null;
      }
      CodeableConcept medication = coded.code();
      Medication product = coded.product();
      ClinicalTime prepared = fields.time(r, "whenPrepared", "");
      ClinicalTime handedOver = fields.time(r, "whenHandedOver", "");
      if (prepared != null && handedOver != null && (prepared.instant() != null
          && handedOver.instant() != null
          ? handedOver.instant().isBefore(prepared.instant())
          // A date beside an instant: the instant's day depends on an offset no longer known.
          : handedOver.latestDate(java.time.ZoneOffset.UTC)
              .plusDays(prepared.instant() != null || handedOver.instant() != null ? 1 : 0)
              .isBefore(prepared.earliestDate(java.time.ZoneOffset.UTC)))) {
        throw at.error(".whenHandedOver", "handed over (" + handedOver + ") before it was "
            + "prepared (" + prepared + "); FHIR's invariant mdd-1 forbids it");
      }
      List<String> prescriptions = new ArrayList<>();
      JsonNode authorizing = fields.array(r, "authorizingPrescription", "");
      for (int i = 0; authorizing != null && i < authorizing.size(); i++) {
        String path = ".authorizingPrescription[" + i + "]";
        if (!authorizing.get(i).isObject()) {
          throw at.error(path, "expected an object");
        }
        String text = fields.text(authorizing.get(i), "reference", path);
        if (text != null && !text.isBlank()) {
          prescriptions.add(text);
        }
      }
      MedicationDispense dispense = new MedicationDispense(id(), status, medication, prepared,
          handedOver, fields.quantity(r, "quantity", "", true),
          fields.quantity(r, "daysSupply", ""), fields.concept(r, "category", ""), product,
          prescriptions);
      inexactValueWarnings();
      return dispense;
    }

    private DispenseRequest dispenseRequest() {
      JsonNode dispense = fields.object(r, "dispenseRequest", "");
      if (dispense == null) {
        return null;
      }
      String path = ".dispenseRequest";
      Quantity supply = fields.quantity(dispense, "expectedSupplyDuration", path);
      if (supply != null && MedicationPeriod.supplyDays(supply) == null) {
        warn("dispenseRequest.expectedSupplyDuration has the unit '" + supply.unit()
            + "', which is not a unit of time, so the days the order supplies are unknown");
      }
      return new DispenseRequest(fields.period(dispense, "validityPeriod", path),
          integer(dispense, "numberOfRepeatsAllowed", path),
          fields.quantity(dispense, "quantity", path, true), supply);
    }

    private List<Dosage> dosage() {
      JsonNode instructions = fields.array(r, "dosageInstruction", "");
      List<Dosage> dosage = new ArrayList<>();
      for (int i = 0; instructions != null && i < instructions.size(); i++) {
        String path = ".dosageInstruction[" + i + "]";
        JsonNode instruction = instructions.get(i);
        if (!instruction.isObject()) {
          throw at.error(path, "expected an object");
        }
        Quantity dose = null;
        Quantity rangeHigh = null;
        JsonNode rates = fields.array(instruction, "doseAndRate", path);
        for (int j = 0; rates != null && j < rates.size() && dose == null; j++) {
          String ratePath = path + ".doseAndRate[" + j + "]";
          dose = fields.quantity(rates.get(j), "doseQuantity", ratePath);
          JsonNode range = fields.object(rates.get(j), "doseRange", ratePath);
          if (dose == null && range != null && rangeHigh == null) {
            rangeHigh = fields.quantity(range, "high", ratePath + ".doseRange");
          }
        }
        JsonNode timing = fields.object(instruction, "timing", path);
        JsonNode repeat = timing == null ? null : fields.object(timing, "repeat", path + ".timing");
        String at = path + ".timing.repeat";
        Integer frequency = repeat == null ? null : integer(repeat, "frequency", at);
        Integer frequencyMax = repeat == null ? null : integer(repeat, "frequencyMax", at);
        BigDecimal period = null;
        if (repeat != null && repeat.has("period")) {
          if (!repeat.get("period").isNumber()) {
            throw this.at.error(at + ".period", "expected a number, got " + repeat.get("period"));
          }
          period = repeat.get("period").decimalValue();
        }
        String unit = repeat == null ? null : fields.text(repeat, "periodUnit", at);
        if (unit != null && !Dosage.PERIOD_UNITS.contains(unit)) {
          throw this.at.error(at + ".periodUnit", "unknown period unit '" + unit
              + "'; expected s, min, h, d, wk, mo or a");
        }
        List<LocalTime> times = new ArrayList<>();
        JsonNode timeOfDay = repeat == null ? null : fields.array(repeat, "timeOfDay", at);
        for (int j = 0; timeOfDay != null && j < timeOfDay.size(); j++) {
          try {
            times.add(LocalTime.parse(timeOfDay.get(j).asText()));
          } catch (java.time.format.DateTimeParseException e) {
            throw this.at.error(at + ".timeOfDay[" + j + "]", "not a time: " + timeOfDay.get(j));
          }
        }
        dosage.add(new Dosage(dose, frequency, period, unit, times,
            repeat == null ? null : fields.period(repeat, "boundsPeriod", at),
            fields.bool(instruction, "asNeededBoolean", path), frequencyMax, rangeHigh));
      }
      return dosage;
    }

    private Integer integer(JsonNode node, String field, String path) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        return null;
      }
      if (!value.isIntegralNumber() || !value.canConvertToInt()) {
        throw at.error(path + "." + field, "expected an integer, got " + value);
      }
      return value.intValue();
    }

    /** A referenced Medication's code and its product details. */
    private record ReferencedMedication(CodeableConcept code, Medication product) {}

    /**
     * The medication of an order or a dispense: its {@code medicationCodeableConcept}, or the code
     * of the Medication its {@code medicationReference} names (with that Medication as the
     * product); null, with a warning that the resource was left out, when there is no code.
     */
    private ReferencedMedication codedMedication() {
      CodeableConcept medication = fields.concept(r, "medicationCodeableConcept", "");
      JsonNode reference = fields.object(r, "medicationReference", "");
      if (medication == null && reference != null) {
        ReferencedMedication referenced = medicationByReference(reference);
        if (referenced.code() != null) {
          return referenced;
        }
      } else if (medication != null) {
        return new ReferencedMedication(medication, null);
      }
      warn("has no coded medication, so no rule can match it; the resource was left out");
      return null;
    }

    private ReferencedMedication medicationByReference(JsonNode reference) {
      String ref = fields.requiredText(reference, "reference", ".medicationReference");
      if (ref.startsWith("#")) {
        JsonNode contained = fields.array(r, "contained", "");
        for (int i = 0; contained != null && i < contained.size(); i++) {
          JsonNode resource = contained.get(i);
          if (!resource.isObject()) {
            throw at.error(".contained[" + i + "]", "expected a resource object");
          }
          if ("Medication".equals(resource.path("resourceType").asText())
              && ref.substring(1).equals(resource.path("id").asText())) {
            String path = ".contained[" + i + "]";
            return new ReferencedMedication(fields.concept(resource, "code", path),
                product(fields, resource, path));
          }
        }
        throw at.error(".medicationReference.reference", "reference '" + ref
            + "' resolves to no contained Medication");
      }
      if (input.keepCopies) {
        // A CDS Hooks prefetch need not hold every resource an order refers to.
        Located target = input.lookup(ref);
        if (target == null || !target.type().equals("Medication")) {
          warn("medicationReference '" + ref + "' is not among the request's resources");
          return new ReferencedMedication(null, null);
        }
      }
      Located medication = input.resolve(at, reference, ".medicationReference", "Medication");
      Fields own = new Fields(medication);
      return new ReferencedMedication(own.concept(medication.resource(), "code", ""),
          product(own, medication.resource(), ""));
    }

    /**
     * A Medication's form and ingredients with their strengths ({@code strength.numerator} per
     * {@code strength.denominator}). An ingredient given only by reference keeps its strength
     * with no item; its code is not looked up.
     */
    private Medication product(Fields from, JsonNode resource, String path) {
      List<MedicationIngredient> ingredients = new ArrayList<>();
      JsonNode items = from.array(resource, "ingredient", path);
      for (int i = 0; items != null && i < items.size(); i++) {
        String itemPath = path + ".ingredient[" + i + "]";
        JsonNode item = items.get(i);
        if (!item.isObject()) {
          throw from.at.error(itemPath, "expected an object");
        }
        JsonNode strength = from.object(item, "strength", itemPath);
        String strengthPath = itemPath + ".strength";
        ingredients.add(new MedicationIngredient(
            from.concept(item, "itemCodeableConcept", itemPath),
            strength == null ? null : from.quantity(strength, "numerator", strengthPath),
            strength == null ? null : from.quantity(strength, "denominator", strengthPath, true)));
      }
      return new Medication(from.concept(resource, "form", path), ingredients);
    }

    private Procedure procedure() {
      EventStatus status = fields.code(r, "status", "", EventStatus.class, true);
      CodeableConcept code = requiredCode("code");
      if (code == null) {
        return null;
      }
      unsupportedChoices("performed", Set.of("performedDateTime", "performedPeriod"));
      List<String> performers = new ArrayList<>();
      JsonNode performer = fields.array(r, "performer", "");
      for (int i = 0; performer != null && i < performer.size(); i++) {
        String path = ".performer[" + i + "]";
        if (!performer.get(i).isObject()) {
          throw at.error(path, "expected an object");
        }
        String actor = referenceText(performer.get(i), "actor", path);
        if (actor != null) {
          performers.add(actor);
        }
      }
      return new Procedure(id(), status, code, fields.dateTimeOrPeriod(r, "performed", ""),
          performers);
    }

    private Immunization immunization() {
      EventStatus status = fields.code(r, "status", "", EventStatus.class, true);
      CodeableConcept vaccine = requiredCode("vaccineCode");
      if (vaccine == null) {
        return null;
      }
      unsupportedChoices("occurrence", Set.of("occurrenceDateTime"));
      if (Boolean.TRUE.equals(fields.bool(r, "isSubpotent", ""))) {
        warn("is a subpotent dose, which does not count as protective; the resource was left out");
        return null;
      }
      return new Immunization(id(), status, vaccine, fields.time(r, "occurrenceDateTime", ""));
    }

    private Encounter encounter() {
      EncounterStatus status = fields.code(r, "status", "", EncounterStatus.class, true);
      JsonNode encounterClass = fields.object(r, "class", "");
      if (encounterClass == null) {
        warn("has no class (required by FHIR), so no rule on the setting of care can match it");
      }
      JsonNode hospitalization = fields.object(r, "hospitalization", "");
      List<String> diagnoses = new ArrayList<>();
      JsonNode diagnosis = fields.array(r, "diagnosis", "");
      for (int i = 0; diagnosis != null && i < diagnosis.size(); i++) {
        String path = ".diagnosis[" + i + "]";
        if (!diagnosis.get(i).isObject()) {
          throw at.error(path, "expected an object");
        }
        JsonNode condition = fields.requiredObject(diagnosis.get(i), "condition", path);
        if (input.keepCopies) {
          // A CDS Hooks prefetch need not hold every Condition an encounter names.
          String ref = fields.requiredText(condition, "reference", path + ".condition");
          Located target = input.lookup(ref);
          if (target == null || !target.type().equals("Condition")) {
            warn("diagnosis '" + ref + "' is not among the request's resources; that "
                + "diagnosis was left out");
            continue;
          }
        }
        diagnoses.add(input.resolve(at, condition, path + ".condition", "Condition").id());
      }
      return new Encounter(id(), status,
          encounterClass == null ? null : fields.coding(encounterClass, ".class"),
          fields.mergedConcepts(r, "type", ""), fields.period(r, "period", ""),
          hospitalization == null ? null
              : fields.concept(hospitalization, "dischargeDisposition", ".hospitalization"),
          diagnoses, participantTypes());
    }

    /** The types of every participant of an encounter merged, or null when none is coded. */
    private CodeableConcept participantTypes() {
      JsonNode participants = fields.array(r, "participant", "");
      List<Code> codes = new ArrayList<>();
      for (int i = 0; participants != null && i < participants.size(); i++) {
        String path = ".participant[" + i + "]";
        if (!participants.get(i).isObject()) {
          throw at.error(path, "expected an object");
        }
        CodeableConcept types = fields.mergedConcepts(participants.get(i), "type", path);
        if (types != null) {
          codes.addAll(types.codings());
        }
      }
      return codes.isEmpty() ? null : new CodeableConcept(codes, null);
    }

    /**
     * The text of a Reference field's {@code reference}, e.g. {@code Practitioner/123}, or null
     * when the field or its reference is absent.
     */
    private String referenceText(JsonNode node, String field, String path) {
      JsonNode reference = fields.object(node, field, path);
      if (reference == null) {
        return null;
      }
      String text = fields.text(reference, "reference", path + "." + field);
      return text == null || text.isBlank() ? null : text;
    }

    private CarePlan carePlan() {
      RequestStatus status = fields.code(r, "status", "", RequestStatus.class, true);
      RequestIntent intent = fields.code(r, "intent", "", RequestIntent.class, true);
      JsonNode meta = fields.object(r, "meta", "");
      return new CarePlan(id(), status, intent, fields.mergedConcepts(r, "category", ""),
          fields.time(r, "created", ""),
          meta == null ? null : fields.time(meta, "lastUpdated", ".meta"),
          referenceText(r, "author", ""));
    }

    private AllergyIntolerance allergy() {
      CodeableConcept code = requiredCode("code");
      if (code == null) {
        return null;
      }
      return new AllergyIntolerance(id(),
          conceptStatus("clinicalStatus", AllergyClinicalStatus.class,
              "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"),
          conceptStatus("verificationStatus", VerificationStatus.class,
              "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"),
          code, fields.time(r, "recordedDate", ""));
    }

    private ServiceRequest serviceRequest() {
      RequestStatus status = fields.code(r, "status", "", RequestStatus.class, true);
      RequestIntent intent = fields.code(r, "intent", "", RequestIntent.class, true);
      CodeableConcept code = requiredCode("code");
      if (code == null) {
        return null;
      }
      unsupportedChoices("occurrence", Set.of("occurrenceDateTime", "occurrencePeriod"));
      return new ServiceRequest(id(), status, intent, code, fields.time(r, "authoredOn", ""),
          Boolean.TRUE.equals(fields.bool(r, "doNotPerform", "")),
          fields.dateTimeOrPeriod(r, "occurrence", ""));
    }

    private DeviceRequest deviceRequest() {
      RequestStatus status = fields.code(r, "status", "", RequestStatus.class, false);
      RequestIntent intent = fields.code(r, "intent", "", RequestIntent.class, true);
      CodeableConcept code = fields.concept(r, "codeCodeableConcept", "");
      if (code == null) {
        warn("has no codeCodeableConcept, so no rule can match it; the resource was left out");
        return null;
      }
      boolean doNotPerform = false;
      JsonNode modifiers = fields.array(r, "modifierExtension", "");
      for (int i = 0; modifiers != null && i < modifiers.size(); i++) {
        doNotPerform |= Boolean.TRUE.equals(fields.bool(modifiers.get(i), "valueBoolean",
            ".modifierExtension[" + i + "]"));
      }
      return new DeviceRequest(id(), status == null ? RequestStatus.UNKNOWN : status, intent,
          code, fields.time(r, "authoredOn", ""), doNotPerform);
    }
  }
}
