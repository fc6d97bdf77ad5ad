package dev.ocppj.examples.simulator;

import dev.ocppj.client.rpc.Middleware;
import dev.ocppj.client.rpc.RpcPhase;
import java.util.concurrent.CompletionStage;
import tools.jackson.databind.JsonNode;

/**
 * Counts every call both ways with its latency, for the summary table and {@code --metrics-out}:
 * a CALL the charge point makes from {@code call()} (its wait in the client's queue included) to
 * its answer, a CALL from the CSMS from arrival to the handler's answer.
 * One instance serves every charge point of a run.
 */
final class CallStats implements Middleware {
  private final Stats stats;

  CallStats(Stats stats) {
    this.stats = stats;
  }

  @Override
  public CompletionStage<JsonNode> intercept(Chain chain) {
    RpcPhase phase = chain.context().phase();
    if (phase != RpcPhase.OUTGOING_CALL && phase != RpcPhase.INCOMING_CALL) {
      return chain.proceed();
    }
    String direction = phase == RpcPhase.OUTGOING_CALL ? Stats.OUT : Stats.IN;
    String action = chain.context().action();
    long start = System.nanoTime();
    return chain.proceed().whenComplete((answer, error) ->
        stats.call(direction, action, System.nanoTime() - start, error == null));
  }
}
