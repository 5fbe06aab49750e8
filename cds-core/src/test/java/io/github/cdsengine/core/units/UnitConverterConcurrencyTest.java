package io.github.cdsengine.core.units;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdsengine.core.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UnitConverterConcurrencyTest {

  private record Case(Quantity quantity, String targetUnit, Analyte analyte) {

    Optional<BigDecimal> run(UnitConverter converter) {
      return analyte == null
          ? converter.convert(quantity, targetUnit)
          : converter.convert(quantity, targetUnit, analyte);
    }
  }

  private static final List<Case> CASES = List.of(
      new Case(Quantity.of("126", "mg/dL"), "g/L", null),
      new Case(Quantity.of("126", "mg/dL"), "mmol/L", null),
      new Case(Quantity.of("126", "mg/dL"), "mmol/L", Analyte.GLUCOSE),
      new Case(Quantity.of("7.0", "mmol/L"), "mg/dL", Analyte.GLUCOSE),
      new Case(Quantity.of("1.1", "mg/dL"), "umol/L", Analyte.CREATININE),
      new Case(Quantity.of("120", "mm[Hg]"), "kPa", null),
      new Case(Quantity.of("16", "kPa"), "mm[Hg]", null),
      new Case(Quantity.of("70", "kg"), "[lb_av]", null),
      new Case(Quantity.of("154", "[lb_av]"), "kg", null),
      new Case(Quantity.of("6.5", "%"), "1", null),
      new Case(Quantity.of("53", "mmol/mol"), "%", null),
      new Case(Quantity.of("4.5", "10*9/L"), "10*3/uL", null),
      new Case(Quantity.of("1", "mg/dl/"), "mg/dL", null),
      new Case(Quantity.of("1", "foo"), "foo", null),
      new Case(Quantity.of("38", "Cel"), "[degF]", null),
      new Case(Quantity.of("60", "min"), "h", null));

  @Test
  void threadsConvertingAtOnceOnAColdConverterGetTheSameResults() throws Exception {
    UnitConverter reference = UnitConverter.load();
    List<Optional<BigDecimal>> expected = new ArrayList<>();
    for (Case c : CASES) {
      expected.add(c.run(reference));
    }

    UnitConverter cold = UnitConverter.load();
    int threads = 8;
    int rounds = 50;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Optional<BigDecimal>>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        Callable<List<Optional<BigDecimal>>> task = () -> {
          start.await();
          List<Optional<BigDecimal>> results = new ArrayList<>();
          for (int i = 0; i < CASES.size(); i++) {
            results.add(null);
          }
          for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < CASES.size(); i++) {
              int index = (i + offset + round) % CASES.size(); // threads start on different cases
              Optional<BigDecimal> result = CASES.get(index).run(cold);
              Optional<BigDecimal> previous = results.set(index, result);
              if (previous != null && !previous.equals(result)) {
                throw new AssertionError("case " + index + " gave " + previous + " then " + result);
              }
            }
          }
          return results;
        };
        futures.add(pool.submit(task));
      }
      start.countDown();
      for (Future<List<Optional<BigDecimal>>> future : futures) {
        assertThat(future.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
