package io.github.cdsengine.population;

/**
 * Confidence intervals for a proportion and for the difference of two proportions, at 95%.
 *
 * <p>A proportion's interval is Wilson's score interval: E. B. Wilson, "Probable inference, the
 * law of succession, and statistical inference", J. Am. Stat. Assoc. 22(158):209-212, 1927. It
 * stays inside [0, 1] and keeps its coverage for counts of 0 or n, where the Wald interval
 * collapses to a point.
 *
 * <p>A difference's interval is Newcombe's hybrid score interval, his method 10, built from the
 * two Wilson intervals: R. G. Newcombe, "Interval estimation for the difference between
 * independent proportions: comparison of eleven methods", Statistics in Medicine
 * 17(8):873-890, 1998. For p1 - p2 with Wilson limits (l1, u1) and (l2, u2):
 * lower = (p1 - p2) - sqrt((p1 - l1)^2 + (u2 - p2)^2),
 * upper = (p1 - p2) + sqrt((u1 - p1)^2 + (p2 - l2)^2).
 * It treats the two proportions as independent samples; when both are rates of one cohort
 * under two rule sets they are positively correlated, and the interval is then wider than a
 * paired one would be (conservative).
 */
public final class Proportions {

  /** The standard normal quantile for a two-sided 95% interval. */
  public static final double Z95 = 1.959963984540054;

  /**
   * A confidence interval.
   *
   * @serial exclude
   * @param lower the lower limit
   * @param upper the upper limit
   */
  public record Interval(double lower, double upper) implements java.io.Serializable {}

  private Proportions() {}

  /**
   * Wilson's 95% score interval for {@code count} of {@code total}.
   *
   * @param count the number of successes
   * @param total the number of trials
   * @return the interval, within [0, 1]
   * @throws IllegalArgumentException unless 0 &lt;= count &lt;= total and total &gt; 0
   */
  public static Interval wilson(int count, int total) {
    check(count, total);
    double n = total;
    double p = count / n;
    double z2 = Z95 * Z95;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denominator;
    double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
  }

  /**
   * Newcombe's 95% interval (method 10) for {@code count1 / total1 - count2 / total2}.
   *
   * @throws IllegalArgumentException unless each count is from 0 to its total and each total is
   *     positive
   * @param count1 the first count
   * @param total1 the first total
   * @param count2 the second count
   * @param total2 the second total
   * @return the interval of the difference
   */
  public static Interval difference(int count1, int total1, int count2, int total2) {
    Interval first = wilson(count1, total1);
    Interval second = wilson(count2, total2);
    double p1 = (double) count1 / total1;
    double p2 = (double) count2 / total2;
    double d = p1 - p2;
    double lower = d - Math.sqrt(square(p1 - first.lower()) + square(second.upper() - p2));
    double upper = d + Math.sqrt(square(first.upper() - p1) + square(p2 - second.lower()));
    return new Interval(lower, upper);
  }

  private static double square(double x) {
    return x * x;
  }

  private static void check(int count, int total) {
    if (total <= 0 || count < 0 || count > total) {
      throw new IllegalArgumentException("a proportion needs 0 <= count <= total and total > 0: "
          + count + " of " + total);
    }
  }
}
