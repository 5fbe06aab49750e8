package io.github.cdsengine.packs.helped;

/** A helper the test pack {@code helped} declares and its rules call (PackHelperPolicyTest). */
public final class ScreeningAges {

  private ScreeningAges() {}

  /** Whether {@code years} lies in the screening ages, 45 to 75. */
  public static boolean includes(int years) {
    return years >= 45 && years <= 75;
  }
}
