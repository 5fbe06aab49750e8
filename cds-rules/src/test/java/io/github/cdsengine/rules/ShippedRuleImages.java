package io.github.cdsengine.rules;

import io.github.cdsengine.core.engine.RuleImages;
import io.github.cdsengine.core.pack.RulePack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the {@linkplain RuleImages rule images} of the shipped packs at build time, run by the
 * build (exec:java, test class path) before the tests and the jar, into the classes directory's
 * {@value RuleImages#FOLDER}: one image per pack on its own (what a CDS Hooks service builds per
 * pack, and {@code cds run --pack ID}), and one each for every pack, the guideline packs and the
 * measure packs together, in the order {@link ShippedRulePacks} lists them (what {@code cds run}
 * builds when every pack's value sets are given, when none are, and a population run over the
 * measures). Any other combination is compiled from source when an engine is built. Images of
 * an earlier build are removed first: they could never be read by this one.
 */
public final class ShippedRuleImages {

  private ShippedRuleImages() {}

  /**
   * Writes the images.
   *
   * @param args the classes directory
   * @throws IOException if the folder cannot be cleared
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: ShippedRuleImages CLASSES_DIR");
    }
    Path classes = Path.of(args[0]);
    Path folder = classes.resolve(RuleImages.FOLDER);
    if (Files.isDirectory(folder)) {
      try (Stream<Path> old = Files.list(folder)) {
        for (Path file : old.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    long start = System.nanoTime();
    List<List<RulePack>> sets = new ArrayList<>();
    List<RulePack> all = ShippedRulePacks.all();
    all.forEach(pack -> sets.add(List.of(pack)));
    sets.add(all);
    sets.add(ShippedRulePacks.guidelines());
    sets.add(ShippedRulePacks.measures());
    long bytes = 0;
    for (List<RulePack> set : sets) {
      bytes += Files.size(RuleImages.write(set, classes));
    }
    System.out.println("Wrote " + sets.size() + " rule images of " + all.size()
        + " shipped packs (" + bytes / 1024 + " KiB) in "
        + (System.nanoTime() - start) / 1_000_000 + " ms");
  }
}
