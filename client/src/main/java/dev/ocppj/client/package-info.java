/**
 * The client facade: {@link dev.ocppj.client.OcppClient}, its options, states, events and
 * listener.
 */
package dev.ocppj.client;
