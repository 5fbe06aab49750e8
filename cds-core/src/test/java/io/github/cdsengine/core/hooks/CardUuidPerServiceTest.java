package io.github.cdsengine.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdsengine.core.evaluation.EvaluationResult;
import io.github.cdsengine.core.evaluation.Recommendation;
import io.github.cdsengine.core.evaluation.RuleFailure;
import io.github.cdsengine.core.evaluation.Severity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A mapper for a service names its cards after the service too: two services answering one
 * hook instance with the same recommendation give different, still deterministic, card uuids.
 */
class CardUuidPerServiceTest {

  static final String HOOK = "d1e0b4ec-1d5c-4d2b-8c6f-0f5f0f0f0f0f";

  @Test
  void theUuidIsNameBasedOnServiceHookInstanceAndRecommendation() {
    String uuid = CardMapper.cardUuid("service-a", HOOK, "opioid-naloxone");
    assertThat(UUID.fromString(uuid).version()).isEqualTo(3);
    assertThat(uuid).isEqualTo(UUID.nameUUIDFromBytes(("service-a\u0000" + HOOK
        + "\u0000opioid-naloxone").getBytes(StandardCharsets.UTF_8)).toString());
    assertThat(uuid).isEqualTo(CardMapper.cardUuid("service-a", HOOK, "opioid-naloxone"))
        .isNotEqualTo(CardMapper.cardUuid("service-b", HOOK, "opioid-naloxone"))
        .isNotEqualTo(CardMapper.cardUuid(HOOK, "opioid-naloxone"));
    assertThat(CardMapper.cardUuid("s", "ab", "c"))
        .isNotEqualTo(CardMapper.cardUuid("s", "a", "bc"))
        .isNotEqualTo(CardMapper.cardUuid("sa", "b", "c"));
    assertThatThrownBy(() -> CardMapper.cardUuid(null, HOOK, "x"))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("serviceId");
  }

  @Test
  void twoServicesAnsweringWithTheSameRecommendationGiveTheirCardsDifferentUuids() {
    Recommendation same = CardMapperTest.recommendation("shared-check", "Check",
        Severity.WARNING, List.of(), null);
    EvaluationResult result = CardMapperTest.result(List.of(same), List.of(),
        List.of(new RuleFailure("Some rule", "failed")));
    CardMapper mapper = CardMapper.create().withSnoozeReasons(false);
    List<Card> a = mapper.forService("service-a").response(HOOK, result).cards();
    List<Card> b = mapper.forService("service-b").response(HOOK, result).cards();
    assertThat(a).extracting(Card::uuid).containsExactly(
        CardMapper.cardUuid("service-a", HOOK, "shared-check"),
        CardMapper.cardUuid("service-a", HOOK, CardMapper.INCOMPLETE_ID));
    assertThat(b).extracting(Card::uuid).containsExactly(
        CardMapper.cardUuid("service-b", HOOK, "shared-check"),
        CardMapper.cardUuid("service-b", HOOK, CardMapper.INCOMPLETE_ID));
    // The same again: the same uuids; everything but the uuids is the same card.
    assertThat(mapper.forService("service-a").response(HOOK, result).toJson())
        .isEqualTo(CdsHooksResponse.of(a).toJson());
    assertThat(b.get(0).summary()).isEqualTo(a.get(0).summary());
    assertThat(b.get(0).overrideReasons()).isEqualTo(a.get(0).overrideReasons());
    // A mapper for no service keeps the hook instance and recommendation only.
    assertThat(mapper.response(HOOK, result).cards().get(0).uuid())
        .isEqualTo(CardMapper.cardUuid(HOOK, "shared-check"));
  }

  @Test
  void aServiceIdIsRequired() {
    assertThatThrownBy(() -> CardMapper.create().forService(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("' '");
    assertThatThrownBy(() -> CardMapper.create().forService(null))
        .isInstanceOf(NullPointerException.class);
  }
}
