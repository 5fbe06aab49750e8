package io.github.cdsengine.rules.cdc.opioids2016;

import java.math.BigDecimal;
import java.util.List;

/**
 * A patient's total MME per day over a list of orders.
 *
 * @param mme the sum of the computed orders' MME, in {MME}/d
 * @param orders every order's result, in the order given
 */
public record TotalMme(BigDecimal mme, List<OrderMme> orders) {

  /** The unit of every MME here: UCUM {@code {MME}/d}. */
  public static final String UNIT = "{MME}/d";

  /**
   * Copies the orders.
   *
   * @param mme the sum of the computed orders' MME, in {MME}/d
   * @param orders every order's result, in the order given
   */
  public TotalMme {
    orders = List.copyOf(orders);
  }

  /**
   * Whether every order was computed; when not, {@link #mme()} is a lower bound only and
   * {@link #notComputed()} says what is missing.
   *
   * @return {@code true} when no order is {@link OrderMme.NotComputed}, including when there
   *     are no orders
   */
  public boolean complete() {
    return notComputed().isEmpty();
  }

  /**
   * The orders whose MME could not be worked out.
   *
   * @return those orders' results, in the order given; empty when {@link #complete()}
   */
  public List<OrderMme.NotComputed> notComputed() {
    return orders.stream().filter(OrderMme.NotComputed.class::isInstance)
        .map(OrderMme.NotComputed.class::cast).toList();
  }

  /** Names the type only: the values are a patient's. */
  @Override
  public String toString() {
    return "TotalMme[patient data not shown]";
  }
}
