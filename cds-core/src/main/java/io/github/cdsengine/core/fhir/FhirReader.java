package io.github.cdsengine.core.fhir;

import io.github.cdsengine.core.hooks.CdsHooksRequest;
import io.github.cdsengine.core.fhir.RecordAssembler.DanglingSubject;
import io.github.cdsengine.core.problem.DataWarning;
import io.github.cdsengine.core.problem.InvalidPatientDataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

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
 * <p>Limits: one JSON document (a Bundle, a resource, a CDS Hooks request, one NDJSON line) may
 * hold at most 256 MiB, and JSON nesting, string and number lengths are bounded by the JSON
 * parser's limits; past them the input is an {@link InvalidPatientDataException} naming its source,
 * never an exhausted heap.
 *
 * <p>Thread-safe; reuse one instance.
 */
public final class FhirReader {

  private final DanglingSubject danglingSubject;

  private FhirReader(DanglingSubject danglingSubject) {
    this.danglingSubject = danglingSubject;
  }

  /**
   * A strict reader: a reference that resolves nowhere is an error.
   *
   * @return a new strict reader
   */
  public static FhirReader create() {
    return new FhirReader(DanglingSubject.ERROR);
  }

  /**
   * A reader for inputs that are each one patient's test case, such as a folder of a CMS test
   * deck: when the input holds exactly one Patient, a subject reference naming a patient that is
   * not in the input is taken to mean that patient, with a data warning saying so. Every other
   * check stays strict.
   *
   * @return a new reader with that leniency; this one is unchanged
   */
  public FhirReader onePatientPerInput() {
    return new FhirReader(DanglingSubject.ONLY_PATIENT);
  }

  /**
   * Reads one JSON document: a Bundle or a single resource.
   *
   * @param json the JSON document, a Bundle or a single resource
   * @param source where the JSON came from, for error messages
   * @return the patients and what was skipped or warned about
   * @throws InvalidPatientDataException naming the source and JSON path of what is wrong
   */
  public FhirData read(InputStream json, String source) {
    ResourceIndex index = new ResourceIndex();
    index.add(json, source);
    return RecordAssembler.assemble(index, danglingSubject);
  }

  /**
   * Reads one file holding a Bundle or a single resource.
   *
   * @param file the JSON file
   * @return the patients and what was skipped or warned about
   * @throws InvalidPatientDataException naming the file and JSON path of what is wrong
   */
  public FhirData read(Path file) {
    return read(List.of(file));
  }

  /**
   * Reads several files as one input, so that resources in one file may refer to resources in
   * another (a test case stored as one resource per file).
   *
   * @param files the files, each a Bundle or a resource
   * @return the patients of all the files together
   * @throws InvalidPatientDataException naming the file and JSON path of what is wrong
   */
  public FhirData read(List<Path> files) {
    ResourceIndex index = new ResourceIndex();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        index.add(in, file.toString());
      } catch (IOException e) {
        throw new InvalidPatientDataException(file.toString(), "$", "cannot read: " + e);
      }
    }
    return RecordAssembler.assemble(index, danglingSubject);
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
   * @param in the NDJSON, UTF-8
   * @param source where the NDJSON came from, for error messages
   * @return a lazy stream of one {@link FhirData} per patient run or Bundle line
   * @throws InvalidPatientDataException while the stream is consumed, for a bad line or a
   *     resource that names a patient other than its run's
   */
  public Stream<FhirData> readNdjson(InputStream in, String source) {
    return NdjsonPatients.stream(in, source);
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
   * is refused. Dispenses in the prefetch are read as in a Bundle. A {@code medicationReference}
   * resolves to a Medication found anywhere in the request: contained in the order, in the
   * draft orders Bundle, or in any prefetch result (a search with {@code
   * _include=MedicationRequest:medication}, say).
   *
   * <p>Each prefetch key's value may be a resource, a Bundle, {@code null} (the client has no data
   * for it: an empty result), an OperationOutcome (the client failed to fetch it), or CDS Hooks
   * 1.0's wrapped form {@code {"response": {"status": "200 OK"}, "resource": ...}}, whose
   * {@code resource} is read when the status is 2xx and which is a failure otherwise. What each
   * key held is in {@link CdsHooksRequest#prefetch()}, and {@link CdsHooksRequest#missing} names
   * the templates a service declares but the request does not hold in full. A failed prefetch,
   * and a Bundle with a {@code next} link (only its first page is read), each add a data warning
   * naming the key. A prefetched resource whose subject (or patient) names a patient other than
   * {@code context.patientId} is left out, never read as this patient's, with a data warning
   * naming the key and the resource but no patient data; a draft order naming another patient
   * is an error.
   *
   * @param json the request's JSON, as the CDS client posted it
   * @param source where the JSON came from, for error messages
   * @return the request, with its patient's record
   * @throws InvalidPatientDataException naming the source and JSON path of what is wrong
   */
  public CdsHooksRequest readCdsHooksRequest(InputStream json, String source) {
    return CdsHooksRequestReader.read(json, source);
  }
}
