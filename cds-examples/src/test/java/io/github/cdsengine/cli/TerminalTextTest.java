package io.github.cdsengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What reaches the terminal: control and bidirectional characters escaped, the rest as is. */
class TerminalTextTest {

  @Test
  void escapesControlAndBidirectionalCharacters() {
    assertThat(TerminalText.escape("a\u001b[2Jb\u0007c\u009bd\u202ee\u2066f\u007fg\rh"))
        .isEqualTo("a\\u001B[2Jb\\u0007c\\u009Bd\\u202Ee\\u2066f\\u007Fg\\u000Dh");
  }

  @Test
  void keepsLineBreaksTabsAndOrdinaryText() {
    String text = "Größe\t120 cm\nnächste Zeile — 日本語";
    assertThat(TerminalText.escape(text)).isSameAs(text);
  }

  @Test
  void theEscapingWriterEscapesEveryWayOfWriting() {
    StringWriter sink = new StringWriter();
    PrintWriter out = TerminalText.escaping(new PrintWriter(sink, true));
    out.print("x\u001b");
    out.write('\u0007');
    out.write("y\u202ez".toCharArray(), 0, 3);
    out.println();
    out.flush();
    assertThat(sink.toString()).isEqualTo("x\\u001B\\u0007y\\u202Ez" + System.lineSeparator());
    assertThat(TerminalText.escaping(out)).as("not wrapped twice").isSameAs(out);
  }

  @Test
  void theProgramsOwnControlCharactersGoToTheWriterBeneath() {
    StringWriter sink = new StringWriter();
    PrintWriter raw = new PrintWriter(sink, true);
    PrintWriter out = TerminalText.escaping(raw);
    assertThat(TerminalText.unescaped(out)).isSameAs(raw);
    assertThat(TerminalText.unescaped(raw)).isSameAs(raw);
    TerminalText.unescaped(out).print("\r[###]");
    out.print("\r");
    out.flush();
    assertThat(sink.toString()).isEqualTo("\r[###]\\u000D");
  }
}
