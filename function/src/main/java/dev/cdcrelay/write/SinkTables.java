package dev.cdcrelay.write;

import dev.cdcrelay.plan.KeySchema;

/** The two tables one writer keeps, the key schema of their rows, and the SQL dialect that reaches them. */
record SinkTables(SinkDialect dialect, TableName rows, TableName tombstones, KeySchema keys) {
}
