package dev.ocppj.client.internal.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ocppj.client.OcppVersion;
import dev.ocppj.client.Registration;
import dev.ocppj.client.internal.codec.RpcCodec;
import dev.ocppj.client.rpc.Middleware;
import dev.ocppj.client.rpc.RpcContext;
import dev.ocppj.client.rpc.RpcPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MiddlewareChainTest {
  private final MiddlewareChain chain = new MiddlewareChain();
  private final List<String> trace = new ArrayList<>();
  private final RpcContext ctx =
      new RpcContext(
          RpcPhase.OUTGOING_CALL, "CP1", OcppVersion.V1_6, "Heartbeat", "m1", json("{}"), null);

  private final Function<RpcContext, CompletionStage<JsonNode>> terminal =
      c -> {
        trace.add("terminal " + c.params());
        return CompletableFuture.completedFuture(json("{\"done\":true}"));
      };

  private Middleware named(String name) {
    return new Middleware() {
      @Override
      public CompletionStage<JsonNode> intercept(Chain chain) {
        trace.add("in " + name);
        return chain.proceed().whenComplete((r, e) -> trace.add("out " + name));
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  @Test
  void runsMiddlewareInRegistrationOrderAroundTheTerminal() {
    chain.add(named("a"));
    chain.add(named("b"));
    JsonNode result = chain.execute(ctx, terminal).toCompletableFuture().join();
    assertThat(result.get("done").booleanValue()).isTrue();
    assertThat(trace).containsExactly("in a", "in b", "terminal {}", "out b", "out a");
  }

  @Test
  void withoutMiddlewareRunsOnlyTheTerminal() {
    assertThat(chain.isEmpty()).isTrue();
    chain.execute(ctx, terminal).toCompletableFuture().join();
    assertThat(trace).containsExactly("terminal {}");
  }

  @Test
  void aMiddlewareCanChangeParams() {
    chain.add(c -> c.proceed(c.context().withParams(json("{\"x\":1}"))));
    chain.execute(ctx, terminal).toCompletableFuture().join();
    assertThat(trace).containsExactly("terminal {\"x\":1}");
  }

  @Test
  void aMiddlewareCanShortCircuit() {
    chain.add(c -> CompletableFuture.completedFuture(json("{\"cached\":true}")));
    chain.add(named("never"));
    JsonNode result = chain.execute(ctx, terminal).toCompletableFuture().join();
    assertThat(result.get("cached").booleanValue()).isTrue();
    assertThat(trace).isEmpty();
  }

  @Test
  void proceedingTwiceThrowsAndNamesTheMiddleware() {
    class Greedy implements Middleware {
      @Override
      public CompletionStage<JsonNode> intercept(Chain c) {
        c.proceed();
        return c.proceed();
      }
    }
    chain.add(new Greedy());
    assertThatThrownBy(() -> chain.execute(ctx, terminal).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Greedy called proceed() twice");
    assertThat(trace).containsExactly("terminal {}");
  }

  @Test
  void aThrowingMiddlewareBecomesAFailedStage() {
    chain.add(c -> {
      throw new IllegalArgumentException("boom");
    });
    assertThat(chain.execute(ctx, terminal).toCompletableFuture())
        .isCompletedExceptionally();
    assertThat(trace).isEmpty();
  }

  @Test
  void aNullStageIsAnError() {
    chain.add(c -> null);
    assertThatThrownBy(() -> chain.execute(ctx, terminal).toCompletableFuture().join())
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned null from intercept()");
  }

  @Test
  void aThrowingTerminalBecomesAFailedStage() {
    assertThat(
            chain
                .execute(ctx, c -> { throw new IllegalStateException("send failed"); })
                .toCompletableFuture())
        .isCompletedExceptionally();
  }

  @Test
  void theMessageIdCannotBeChanged() {
    chain.add(
        c ->
            c.proceed(
                new RpcContext(
                    RpcPhase.OUTGOING_CALL, "CP1", null, "Heartbeat", "other", json("{}"), null)));
    assertThatThrownBy(() -> chain.execute(ctx, terminal).toCompletableFuture().join())
        .cause()
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void removedMiddlewareNoLongerRuns() {
    Registration r = chain.add(named("a"));
    r.remove();
    chain.execute(ctx, terminal).toCompletableFuture().join();
    assertThat(trace).containsExactly("terminal {}");
  }

  private static JsonNode json(String text) {
    return RpcCodec.mapper().readTree(text);
  }
}
