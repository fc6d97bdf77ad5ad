package dev.ocppj.client.internal.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.Registration;
import dev.ocppj.client.rpc.CallHandler;
import org.junit.jupiter.api.Test;

class HandlerRouterTest {
  private final HandlerRouter router = new HandlerRouter();
  private final CallHandler versioned = call -> "versioned";
  private final CallHandler generic = call -> "generic";
  private final CallHandler wildcard = call -> "wildcard";

  @Test
  void prefersVersionSpecificThenGenericThenWildcard() {
    router.register(OcppVersion.V1_6, "Reset", versioned);
    router.register(null, "Reset", generic);
    router.registerWildcard(wildcard);
    assertThat(router.find(OcppVersion.V1_6, "Reset")).isSameAs(versioned);
    assertThat(router.find(OcppVersion.V2_0_1, "Reset")).isSameAs(generic);
    assertThat(router.find(OcppVersion.V2_0_1, "GetVariables")).isSameAs(wildcard);
  }

  @Test
  void findsNothingWithoutAMatch() {
    router.register(OcppVersion.V1_6, "Reset", versioned);
    assertThat(router.find(OcppVersion.V2_0_1, "Reset")).isNull();
  }

  @Test
  void refusesASecondHandlerForTheSameKey() {
    router.register(null, "Reset", generic);
    assertThatThrownBy(() -> router.register(null, "Reset", versioned))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a handler for Reset is already registered; remove it first");
    router.register(OcppVersion.V1_6, "Reset", versioned); // another key
    assertThatThrownBy(() -> router.register(OcppVersion.V1_6, "Reset", generic))
        .hasMessage("a handler for Reset under ocpp1.6 is already registered; remove it first");
    router.registerWildcard(wildcard);
    assertThatThrownBy(() -> router.registerWildcard(generic))
        .hasMessage("a wildcard handler is already registered; remove it first");
  }

  @Test
  void removesByKeyByRegistrationAndAll() {
    Registration r = router.register(null, "Reset", generic);
    router.register(OcppVersion.V1_6, "Reset", versioned);
    router.registerWildcard(wildcard);

    assertThat(router.remove(OcppVersion.V1_6, "Reset")).isTrue();
    assertThat(router.remove(OcppVersion.V1_6, "Reset")).isFalse();
    r.remove();
    assertThat(router.find(OcppVersion.V1_6, "Reset")).isSameAs(wildcard);
    assertThat(router.removeWildcard()).isTrue();
    assertThat(router.find(OcppVersion.V1_6, "Reset")).isNull();

    router.register(null, "A", generic);
    router.registerWildcard(wildcard);
    router.clear();
    assertThat(router.find(OcppVersion.V1_6, "A")).isNull();
  }

  @Test
  void aStaleRegistrationDoesNotRemoveItsSuccessor() {
    Registration old = router.register(null, "Reset", generic);
    old.remove();
    router.register(null, "Reset", versioned);
    old.remove();
    assertThat(router.find(OcppVersion.V1_6, "Reset")).isSameAs(versioned);
  }

  @Test
  void rejectsEmptyActions() {
    assertThatThrownBy(() -> router.register(null, "", generic))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
