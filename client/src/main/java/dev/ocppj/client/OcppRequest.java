package dev.ocppj.client;

/**
 * A generated request message that knows its action, so that {@link OcppClient#call(OcppRequest)}
 * returns exactly its response type.
 *
 * @param <R> the response type
 */
public interface OcppRequest<R> {
  /** The action this request belongs to, with its version and response type. */
  OcppAction<?, R> ocppAction();
}
