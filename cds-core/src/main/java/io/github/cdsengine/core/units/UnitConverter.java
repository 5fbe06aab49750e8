package io.github.cdsengine.core.units;

import io.github.cdsengine.core.model.Quantity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.fhir.ucum.Component;
import org.fhir.ucum.Decimal;
import org.fhir.ucum.DefinedUnit;
import org.fhir.ucum.ExpressionParser;
import org.fhir.ucum.Factor;
import org.fhir.ucum.Operator;
import org.fhir.ucum.Pair;
import org.fhir.ucum.Symbol;
import org.fhir.ucum.Term;
import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumException;

/**
 * Validates UCUM unit codes and converts quantities between them, through the UCUM library
 * {@code org.fhir:ucum} and the {@code ucum-essence.xml} it bundles.
 *
 * <p>Immutable in behaviour and thread-safe; load it once with {@link #ucum()} and share it. Unit
 * analyses and conversion factors are cached, so a unit or a pair of units met again costs a hash
 * lookup and one multiplication and division, never a call into the library. Results are exact
 * where the factors are exact decimals (mg/dL to g/L, mm[Hg] to kPa, [lb_av] to kg) and otherwise
 * correct to 20 significant digits.
 *
 * <p>Two units convert when UCUM gives them the same dimension, with four refusals where UCUM's
 * own arithmetic would give a wrong clinical answer:
 *
 * <ul>
 *   <li><b>Special units</b> ({@code Cel}, {@code [degF]}, {@code [pH]}, {@code B} and {@code dB},
 *       {@code Np}, ...) measure on scales that are not proportional. The library refuses the
 *       temperatures and treats the others as plain factors, so none of them converts; the same
 *       unit on both sides still compares.
 *   <li><b>Amount of substance</b> is kept as a dimension of its own: UCUM defines the mole as the
 *       number 6.0221367 x 10^23, which would make mmol/L convertible to 10*9/L. A ratio of amounts
 *       (mmol/mol) is not converted to a plain number or a percent either: HbA1c in mmol/mol (IFCC)
 *       and in % (NGSP) are related by a master equation, not by the factor 1/10 UCUM would apply.
 *   <li><b>Equivalents and osmoles</b> ({@code meq/L}, {@code mosm/kg}), which UCUM defines as
 *       moles, convert only to equivalents and osmoles: 1 mmol of calcium is 2 meq, not 1.
 *   <li><b>Arbitrary units</b> ({@code [IU]}, {@code [CFU]}, ... flagged {@code isArbitrary} in the
 *       essence file) convert only to the same arbitrary unit: [IU]/mL to [IU]/L, never to 10*3/L.
 * </ul>
 *
 * <p>Mass and amount of substance (mg/dL and mmol/L, mg/d and mmol/d) convert only through
 * {@link #convert(Quantity, String, Analyte)}, with the analyte's molar mass. Units longer than
 * {@value #MAX_UNIT_LENGTH} characters are treated as invalid, and units whose factors would run to
 * hundreds of digits ({@code 10*999}) as not convertible, so a hostile unit string costs little.
 */
public final class UnitConverter {

  /** The longest unit code accepted; longer codes are reported as invalid. */
  static final int MAX_UNIT_LENGTH = 128;

  /** How many units, and how many unit pairs, are cached; beyond that, results are computed. */
  static final int CACHE_LIMIT = 4096;

  /**
   * The most work the library may do for one unit, counted as the digits its decimal factors
   * carry plus the multiplications that make them: 36 + 53 for mmol/L, 72 + 106 for mmol2/L2,
   * 99 + 198 for 10*99, which would take the library about 150 ms (10*999: 25 s).
   */
  private static final int COST_BUDGET = 200;
  private static final int MAX_DEPTH = 32;
  private static final MathContext DIVISION = MathContext.DECIMAL128;
  private static final MathContext RESULT = new MathContext(20, RoundingMode.HALF_EVEN);
  private static final String ESSENCE = "/ucum-essence.xml";

  /**
   * Units UCUM defines as one mole each that are not moles of the substance measured: an
   * equivalent is a mole divided by the valence (1 mmol of calcium is 2 meq), an osmole a mole of
   * dissolved particles (1 mmol of sodium chloride is about 2 mosm).
   */
  private static final Set<String> NOT_MOLES = Set.of("eq", "osm");

  /** The library, guarded by itself: it does not say it is thread-safe. */
  private final UcumEssenceService ucum;
  private final Set<String> arbitraryUnits;
  private final BigDecimal moleFactor;
  private final Map<String, UcumUnit> units = new ConcurrentHashMap<>();
  private final Map<ConversionKey, Conversion> conversions = new ConcurrentHashMap<>();

  private UnitConverter(UcumEssenceService ucum, Set<String> arbitraryUnits) {
    this.ucum = ucum;
    this.arbitraryUnits = arbitraryUnits;
    UcumUnit mole = analyse("mol");
    if (!mole.convertible()) {
      throw new IllegalStateException("the UCUM essence file does not define the unit 'mol'");
    }
    this.moleFactor = mole.factor();
  }

  /**
   * The shared converter over the UCUM essence file bundled with {@code org.fhir:ucum}, loaded
   * from the classpath on first use.
   *
   * @return the shared converter, thread-safe
   * @throws IllegalStateException (wrapped in an {@link ExceptionInInitializerError} on first use)
   *     if the essence file is missing or unreadable
   */
  public static UnitConverter ucum() {
    return Shared.INSTANCE;
  }

  /**
   * Whether {@code unit} is a valid UCUM code, such as {@code mg/dL} or {@code mm[Hg]}. Codes are
   * case-sensitive ({@code mEq/L} is not valid; {@code meq/L} is); the empty code is not valid.
   *
   * @param unit the code to check; never null
   * @return true when {@code unit} is a valid UCUM code
   * @throws NullPointerException if unit is null
   */
  public boolean isValid(String unit) {
    return unit(Objects.requireNonNull(unit, "unit")).valid();
  }

  /**
   * The quantity's value in {@code targetUnit}, or empty when either unit is not valid UCUM or
   * the two do not convert (different dimensions; see the class description). Returns the value
   * itself when the units are the same string.
   *
   * @param quantity the value and unit to convert; never null
   * @param targetUnit the UCUM unit wanted; never null
   * @return the value in {@code targetUnit}, or empty
   * @throws NullPointerException if quantity or targetUnit is null
   */
  public Optional<BigDecimal> convert(Quantity quantity, String targetUnit) {
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(targetUnit, "targetUnit");
    return convertWith(quantity, targetUnit, null);
  }

  /**
   * The quantity's value in {@code targetUnit}, converting also between mass and amount of
   * substance (mg/dL and mmol/L) with the molar mass of {@code analyte}; otherwise as {@link
   * #convert(Quantity, String)}.
   *
   * @param quantity the value and unit to convert; never null
   * @param targetUnit the UCUM unit wanted; never null
   * @param analyte the substance measured, whose molar mass is used between mass and amount;
   *     never null
   * @return the value in {@code targetUnit}, or empty
   * @throws NullPointerException if quantity, targetUnit or analyte is null
   */
  public Optional<BigDecimal> convert(Quantity quantity, String targetUnit, Analyte analyte) {
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(targetUnit, "targetUnit");
    Objects.requireNonNull(analyte, "analyte");
    return convertWith(quantity, targetUnit, analyte);
  }

  private Optional<BigDecimal> convertWith(Quantity quantity, String targetUnit, Analyte analyte) {
    String sourceUnit = quantity.unit();
    if (sourceUnit.equals(targetUnit)) {
      return isValid(sourceUnit) ? Optional.of(quantity.value()) : Optional.empty();
    }
    ConversionKey key = new ConversionKey(sourceUnit, targetUnit, analyte);
    Conversion conversion = conversions.get(key);
    if (conversion == null) {
      conversion = findConversion(sourceUnit, targetUnit, analyte);
      if (conversions.size() < CACHE_LIMIT) {
        conversions.putIfAbsent(key, conversion);
      }
    }
    return conversion.apply(quantity.value());
  }

  private Conversion findConversion(String sourceUnit, String targetUnit, Analyte analyte) {
    UcumUnit source = unit(sourceUnit);
    UcumUnit target = unit(targetUnit);
    if (!source.convertible() || !target.convertible()) {
      return Conversion.NONE;
    }
    if (source.commensurableWith(target)) {
      return new Conversion(source.factor(), target.factor());
    }
    if (analyte == null) {
      return Conversion.NONE;
    }
    BigDecimal molarMass = analyte.molarMass();
    if (source.hasOneMoreMoleThan(target) && massOf(sourceUnit).commensurableWith(target)) {
      // amount to mass: x mol * M g/mol; the library counts a mole as the number moleFactor
      return new Conversion(source.factor().multiply(molarMass),
          moleFactor.multiply(target.factor()));
    }
    if (target.hasOneMoreMoleThan(source) && massOf(targetUnit).commensurableWith(source)) {
      return new Conversion(source.factor().multiply(moleFactor),
          molarMass.multiply(target.factor()));
    }
    return Conversion.NONE;
  }

  /** The unit that an amount in {@code substanceUnit} becomes when multiplied by g/mol. */
  private UcumUnit massOf(String substanceUnit) {
    UcumUnit mass = analyse("g.(" + substanceUnit + ")");
    return mass.convertible() ? mass.withOneMoleLess() : mass;
  }

  private UcumUnit unit(String code) {
    UcumUnit unit = units.get(code);
    if (unit == null) {
      unit = analyse(code);
      if (units.size() < CACHE_LIMIT) {
        units.putIfAbsent(code, unit);
      }
    }
    return unit;
  }

  private UcumUnit analyse(String code) {
    if (code.isEmpty() || code.length() > MAX_UNIT_LENGTH || !bracketsBalance(code)) {
      return UcumUnit.INVALID;
    }
    synchronized (ucum) {
      Term term;
      try {
        term = new ExpressionParser(ucum.getModel()).parse(code);
      } catch (UcumException | RuntimeException e) {
        return UcumUnit.INVALID;
      }
      Composition composition = new Composition();
      Pair canonical;
      try {
        walk(term, 1, composition, 0);
        if (composition.special || composition.cost() > COST_BUDGET) {
          return UcumUnit.NOT_CONVERTIBLE;
        }
        canonical = ucum.getCanonicalForm(new Pair(new Decimal(1), code));
      } catch (UcumException | RuntimeException e) {
        return UcumUnit.NOT_CONVERTIBLE;
      }
      BigDecimal factor = new BigDecimal(canonical.getValue().asDecimal());
      if (factor.signum() <= 0) {
        return UcumUnit.NOT_CONVERTIBLE;
      }
      return new UcumUnit(true, factor, canonical.getCode(), composition.molesUp,
          composition.molesDown, Map.copyOf(composition.ownDimensions));
    }
  }

  /**
   * Walks a parsed unit as the library's own converter does (each operator applies to the next
   * component only), expanding defined units, to find what the library's canonical form hides.
   */
  private void walk(Term term, int power, Composition into, int depth) throws UcumException {
    if (depth > MAX_DEPTH) {
      throw new UcumException("unit nested too deeply");
    }
    boolean divide = false;
    for (Term t = term; t != null; t = t.getTerm()) {
      int sign = divide ? -power : power;
      Component component = t.getComp();
      if (component instanceof Term nested) {
        walk(nested, sign, into, depth + 1);
      } else if (component instanceof Symbol symbol) {
        walk(symbol, Math.multiplyExact(sign, symbol.getExponent()), into, depth + 1);
      } else if (component instanceof Factor factor) {
        into.addDigits(sign, digits(new BigDecimal(factor.getValue())));
      }
      divide = t.getOp() == Operator.DIVISION;
    }
  }

  private void walk(Symbol symbol, int power, Composition into, int depth) throws UcumException {
    if (symbol.getPrefix() != null) {
      into.addDigits(power, digits(symbol.getPrefix().getValue()));
    }
    if (!(symbol.getUnit() instanceof DefinedUnit unit)) {
      return; // a base unit: the library's canonical form carries its dimension
    }
    if (unit.isSpecial()) {
      into.special = true;
      return;
    }
    String code = unit.getCode();
    String definition = unit.getValue().getUnit();
    if (code.equals("mol")) {
      into.addMoles(power);
    }
    boolean ownDimension = NOT_MOLES.contains(code)
        || arbitraryUnits.contains(code) && definition.equals("1");
    if (ownDimension) {
      into.ownDimensions.merge(code, power, (a, b) -> a + b == 0 ? null : a + b);
    }
    into.addDigits(power, digits(unit.getValue().getValue()));
    // the definition still costs the library work, but what it is made of is not this unit's
    Composition definedBy = ownDimension ? new Composition() : into;
    walk(new ExpressionParser(ucum.getModel()).parse(definition), power, definedBy, depth + 1);
    if (ownDimension) {
      into.digits = Math.addExact(into.digits, definedBy.digits);
      into.multiplications = Math.addExact(into.multiplications, definedBy.multiplications);
      into.special |= definedBy.special;
    }
  }

  /**
   * Whether the round brackets outside annotations balance: the library accepts one unmatched
   * closing bracket at the end ({@code mg/dL)}).
   */
  private static boolean bracketsBalance(String code) {
    int depth = 0;
    boolean inAnnotation = false;
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      if (inAnnotation) {
        inAnnotation = c != '}';
      } else if (c == '{') {
        inAnnotation = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth < 0) {
        return false;
      }
    }
    return depth == 0;
  }

  /** Roughly how many digits multiplying by {@code value} adds to the library's decimals. */
  private static int digits(Decimal value) {
    return digits(new BigDecimal(value.asDecimal()));
  }

  private static int digits(BigDecimal value) {
    if (value.signum() == 0) {
      return 0;
    }
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.precision() - 1 + Math.abs(stripped.precision() - stripped.scale() - 1);
  }

  private static Set<String> readArbitraryUnits(byte[] essence) {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    Set<String> codes = new HashSet<>();
    try {
      XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(essence));
      while (reader.hasNext()) {
        if (reader.next() == XMLStreamConstants.START_ELEMENT
            && reader.getLocalName().equals("unit")
            && "yes".equals(reader.getAttributeValue(null, "isArbitrary"))) {
          codes.add(reader.getAttributeValue(null, "Code"));
        }
      }
      reader.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot read the UCUM essence file: " + e.getMessage(), e);
    }
    if (codes.isEmpty()) {
      throw new IllegalStateException("the UCUM essence file flags no arbitrary units");
    }
    return Set.copyOf(codes);
  }

  /** A new converter with empty caches; {@link #ucum()} shares one. */
  static UnitConverter load() {
    byte[] essence;
    try (InputStream in = UcumEssenceService.class.getResourceAsStream(ESSENCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "ucum-essence.xml is not on the classpath; it comes with org.fhir:ucum");
      }
      essence = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ucum-essence.xml", e);
    }
    try {
      return new UnitConverter(new UcumEssenceService(new ByteArrayInputStream(essence)),
          readArbitraryUnits(essence));
    } catch (UcumException e) {
      throw new IllegalStateException("cannot load ucum-essence.xml: " + e.getMessage(), e);
    }
  }

  private static final class Shared {
    static final UnitConverter INSTANCE = load();
  }

  /** What the walk over a unit found. */
  private static final class Composition {
    int molesUp;
    int molesDown;
    boolean special;
    long digits;
    long multiplications;
    final Map<String, Integer> ownDimensions = new HashMap<>();

    void addMoles(int power) {
      if (power > 0) {
        molesUp = Math.addExact(molesUp, power);
      } else {
        molesDown = Math.addExact(molesDown, -power);
      }
    }

    long cost() {
      return digits + multiplications;
    }

    void addDigits(int power, int digits) {
      long times = Math.abs((long) power);
      this.digits = Math.addExact(this.digits, Math.multiplyExact(times, digits));
      this.multiplications = Math.addExact(this.multiplications, times);
    }
  }

  /**
   * One unit as analysed: whether valid, and when convertible its factor to the library's
   * canonical units, those units, the moles counted in numerator and denominator, and the units
   * kept as dimensions of their own (arbitrary units, equivalents, osmoles) with their exponents.
   */
  private record UcumUnit(boolean valid, BigDecimal factor, String dimension, int molesUp,
      int molesDown, Map<String, Integer> ownDimensions) {

    static final UcumUnit INVALID = new UcumUnit(false, null, null, 0, 0, Map.of());
    static final UcumUnit NOT_CONVERTIBLE = new UcumUnit(true, null, null, 0, 0, Map.of());

    boolean convertible() {
      return factor != null;
    }

    boolean commensurableWith(UcumUnit other) {
      return convertible() && other.convertible() && dimension.equals(other.dimension)
          && molesUp == other.molesUp && molesDown == other.molesDown
          && ownDimensions.equals(other.ownDimensions);
    }

    boolean hasOneMoreMoleThan(UcumUnit other) {
      return molesUp == other.molesUp + 1 && molesDown == other.molesDown
          && ownDimensions.equals(other.ownDimensions);
    }

    UcumUnit withOneMoleLess() {
      return new UcumUnit(valid, factor, dimension, molesUp - 1, molesDown, ownDimensions);
    }
  }

  private record ConversionKey(String sourceUnit, String targetUnit, Analyte analyte) {}

  /** value x multiplier / divisor; {@link #NONE} when the units do not convert. */
  private record Conversion(BigDecimal multiplier, BigDecimal divisor) {

    static final Conversion NONE = new Conversion(null, null);

    Optional<BigDecimal> apply(BigDecimal value) {
      if (multiplier == null) {
        return Optional.empty();
      }
      return Optional.of(value.multiply(multiplier).divide(divisor, DIVISION).round(RESULT));
    }
  }
}
