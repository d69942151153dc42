package dev.cdcrelay.write;

import dev.cdcrelay.decode.ItemKey;

import java.sql.Connection;
import java.util.Map;

/**
 * One attempt at writing a set of changes: the connection it runs on, the statement timeout that
 * keeps it inside the invocation, where each item's outcome goes, and the tallies.
 */
record Attempt(Connection connection, Map<ItemKey, WriteResult.Outcome> outcomes, WriteResult.Counters counters,
               int timeoutSeconds) {
}
