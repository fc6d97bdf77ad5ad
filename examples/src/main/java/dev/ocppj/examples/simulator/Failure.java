package dev.ocppj.examples.simulator;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Why a charge point cannot go on; the message is what the summary prints, grouped by text. */
final class Failure extends RuntimeException {
  Failure(String message) {
    super(message, null, false, false);
  }

  /** The failure {@code error} (possibly wrapped) stands for, prefixed by {@code step} unless it names it. */
  static Failure of(String step, Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof Failure f) {
      return f;
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new Failure(message.startsWith(step) ? message : step + ": " + message);
  }

  /** Runs {@code action}; whatever fails, also by throwing, fails as a Failure named after {@code step}. */
  static <T> CompletableFuture<T> step(String step, Supplier<? extends CompletionStage<T>> action) {
    CompletableFuture<T> f;
    try {
      f = action.get().toCompletableFuture();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.handle((v, e) -> {
      if (e != null) {
        throw of(step, e);
      }
      return v;
    });
  }

  /** Fails {@code step} unless the CSMS's {@code status} for {@code tag} is Accepted. */
  static void requireAccepted(String step, String status, String tag) {
    if (!status.equals("Accepted")) {
      throw new Failure(step + ": the CSMS answered " + status + " for " + tag);
    }
  }
}
