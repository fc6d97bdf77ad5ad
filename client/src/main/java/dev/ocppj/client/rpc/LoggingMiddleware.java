package dev.ocppj.client.rpc;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Logs every exchange through SLF4J: each CALL, sent or received, when it starts, and its answer
 * with the time it took. Answers log at INFO, failures at WARN; every line names the identity.
 * The answer phases pass through unlogged, since the call phases already cover them.
 */
public final class LoggingMiddleware implements Middleware {
  private final Logger log;

  private LoggingMiddleware(Logger log) {
    this.log = log;
  }

  /** Logs to the logger {@code dev.ocppj.client.rpc.LoggingMiddleware}. */
  public static LoggingMiddleware create() {
    return new LoggingMiddleware(LoggerFactory.getLogger(LoggingMiddleware.class));
  }

  /** Logs to {@code logger}. */
  public static LoggingMiddleware create(Logger logger) {
    return new LoggingMiddleware(Objects.requireNonNull(logger, "logger"));
  }

  @Override
  public CompletionStage<JsonNode> intercept(Chain chain) {
    RpcContext ctx = chain.context();
    boolean outgoing;
    switch (ctx.phase()) {
      case OUTGOING_CALL -> outgoing = true;
      case INCOMING_CALL -> outgoing = false;
      default -> {
        return chain.proceed();
      }
    }
    String send = outgoing ? "->" : "<-";
    String back = outgoing ? "<-" : "->";
    if (log.isInfoEnabled()) {
      log.info("[{}] CALL {} {} (id {}) {}", ctx.identity(), send, ctx.action(), ctx.messageId(), ctx.params());
    }
    long start = System.nanoTime();
    return chain
        .proceed()
        .whenComplete(
            (result, error) -> {
              long micros = (System.nanoTime() - start) / 1_000;
              String took = micros / 1000 + "." + String.format("%03d", micros % 1000) + " ms";
              if (error == null) {
                if (result == null) {
                  log.info("[{}] no reply {} {} (id {}) after {}", ctx.identity(), back, ctx.action(), ctx.messageId(), took);
                } else {
                  log.info(
                      "[{}] CALLRESULT {} {} (id {}) in {} {}",
                      ctx.identity(), back, ctx.action(), ctx.messageId(), took, result);
                }
              } else {
                log.warn(
                    "[{}] CALL {} (id {}) failed after {}: {}",
                    ctx.identity(), ctx.action(), ctx.messageId(), took, error.toString());
              }
            });
  }
}
