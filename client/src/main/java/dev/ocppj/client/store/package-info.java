/**
 * Where transaction-related messages wait until the CSMS has answered them: {@link
 * dev.ocppj.client.store.TransactionStore} and its two implementations, in memory and in a file
 * that survives a crash or restart of the JVM.
 */
package dev.ocppj.client.store;
