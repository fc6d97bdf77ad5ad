/**
 * The RPC vocabulary shared by calls, handlers and middleware: error codes, the exception family,
 * call handlers, and the middleware chain.
 */
package dev.ocppj.client.rpc;
