package io.github.cdsengine.population;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** CSV cells: RFC 4180 quoting, text a spreadsheet would run as a formula neutralised. */
class CsvTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "=1+2               | \"'=1+2\"",
      "+1                 | \"'+1\"",
      "-5                 | \"'-5\"",
      "@SUM(A1:A9)        | \"'@SUM(A1:A9)\"",
      "=HYPERLINK(\"x\")  | \"'=HYPERLINK(\"\"x\"\")\"",
      "=a,b               | \"'=a,b\"",
      "plain              | plain",
      "a=b                | a=b",
      "a,b                | \"a,b\"",
      "say \"hi\"         | \"say \"\"hi\"\"\""})
  void aTextCellIsNeutralisedWhenASpreadsheetWouldRunIt(String text, String written) {
    assertThat(Csv.row(text)).isEqualTo(written + "\n");
  }

  @Test
  void aTextCellStartingWithATabOrCarriageReturnIsNeutralised() {
    assertThat(Csv.row("\t=1")).isEqualTo("\"'\t=1\"\n");
    assertThat(Csv.row("\r=1")).isEqualTo("\"'\r=1\"\n");
  }

  @Test
  void numbersStayNumbersNegativeOnesToo() {
    assertThat(Csv.row(-5, 3, -0.25, 1.0, new BigDecimal("-12.50"), 7L))
        .isEqualTo("-5,3,-0.25,1.0,-12.50,7\n");
  }

  @Test
  void nullIsAnEmptyCell() {
    assertThat(Csv.row("a", null, 1)).isEqualTo("a,,1\n");
  }
}
