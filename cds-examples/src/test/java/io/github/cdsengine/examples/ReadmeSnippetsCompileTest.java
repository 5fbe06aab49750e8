package io.github.cdsengine.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdsengine.core.CdsEngine;
import io.github.cdsengine.rules.ShippedRulePacks;
import java.io.File;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every Java snippet in the README compiles as written, against the published modules: its
 * import lines are its imports, the inputs it names in its {@code // given:} line are its
 * parameters, and the rest is the body of one method.
 */
class ReadmeSnippetsCompileTest {

  private static final Pattern SNIPPET = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  /** The snippets of the README, each as the source of one class. */
  static List<String> sources(String readme) {
    List<String> sources = new ArrayList<>();
    Matcher m = SNIPPET.matcher(readme);
    while (m.find()) {
      StringBuilder imports = new StringBuilder();
      StringBuilder body = new StringBuilder();
      String parameters = "";
      for (String line : m.group(1).split("\n")) {
        if (line.startsWith("import ")) {
          imports.append(line).append('\n');
        } else if (line.startsWith("// given: ")) {
          parameters = line.substring("// given: ".length()).strip();
        } else {
          body.append("    ").append(line).append('\n');
        }
      }
      int n = sources.size() + 1;
      sources.add(imports + "\nclass Snippet" + n + " {\n  static void run(" + parameters
          + ") throws Exception {\n" + body + "  }\n}\n");
    }
    return sources;
  }

  private static String location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  void everyJavaSnippetInTheReadmeCompilesWithTheImportsItShows() throws Exception {
    List<String> sources = sources(Files.readString(Path.of("..", "README.md")));
    assertThat(sources).as("Java snippets in the README").hasSizeGreaterThanOrEqualTo(4);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    // The modules a host depends on, and the JSON library their card types expose.
    String classPath = String.join(File.pathSeparator, location(CdsEngine.class),
        location(ShippedRulePacks.class), location(JsonNode.class),
        location(com.fasterxml.jackson.core.JsonParser.class),
        location(com.fasterxml.jackson.annotation.JsonProperty.class));
    Path out = Files.createTempDirectory("readme-snippets");
    for (int i = 0; i < sources.size(); i++) {
      String source = sources.get(i);
      String name = "Snippet" + (i + 1);
      JavaFileObject file = new SimpleJavaFileObject(
          java.net.URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return source;
        }
      };
      StringWriter errors = new StringWriter();
      try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
        boolean compiled = compiler.getTask(errors, files, null,
            List.of("-classpath", classPath, "-d", out.toString(), "-proc:none"), null,
            List.of(file)).call();
        assertThat(compiled).as("README Java snippet %d:%n%s%n%s", i + 1, source, errors)
            .isTrue();
      }
    }
  }
}
