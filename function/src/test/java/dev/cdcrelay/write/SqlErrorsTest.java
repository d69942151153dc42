package dev.cdcrelay.write;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The scope of the errors PostgreSQL 14 and CrateDB 6.4 report, as the drivers hand them over
 * (the texts are the servers' own, measured; docs/sink-faults.md has the table).
 */
class SqlErrorsTest {

    @ParameterizedTest(name = "[{0}] {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            XX000 | ERROR: The relation "doc.t" doesn't support or allow INSERT operations                | SINK
            XX000 | ERROR: The relation "doc.t" doesn't support or allow UPDATE operations                | SINK
            XX000 | ERROR: The relation "doc.t" doesn't support or allow INSERT operations, as it is currently closed. | SINK
            XX000 | ERROR: blocked by: [RELATION_READ_DELETE_ONLY/12/index read-only / allow delete (api)];  | SINK
            XX000 | ERROR: Missing 'DML' privilege for user 'relay'                                        | SINK
            3F000 | ERROR: Schema 'doc' unknown                                                            | SINK
            42703 | ERROR: Column pk unknown                                                               | SINK
            42703 | ERROR: Column version unknown                                                          | SINK
            42703 | ERROR: column "version" of relation "t" does not exist                                 | SINK
            42P01 | ERROR: Relation 'doc.t' unknown                                                        | SINK
            42P01 | ERROR: relation "t" does not exist                                                     | SINK
            42501 | ERROR: permission denied for table t                                                   | SINK
            28P01 | FATAL: password authentication failed for user "relay"                                 | SINK
            28000 | FATAL: no pg_hba.conf entry for host "1.2.3.4"                                          | SINK
            28000 | FATAL: password authentication failed for user "relay"                                | SINK
            3F000 | ERROR: Schema 'nope' unknown                                                           | SINK
            25006 | ERROR: cannot execute INSERT in a read-only transaction                                 | SINK
            XX000 | ERROR: ClusterBlockException[blocked by: [FORBIDDEN/6/cluster read-only (api)];]        | SINK
            XX000 | ERROR: blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];        | TRANSIENT
            XX000 | ERROR: [x][0] Not enough active copies to meet shard count of [ALL] (have 1, needed 2). Timeout: [1m] | TRANSIENT
            XX000 | ERROR: NoShardAvailableActionException[no shard available for [get [t][1]]]            | TRANSIENT
            XX000 | ERROR: UnavailableShardsException[[t][2] primary shard is not active Timeout: [1m]]     | TRANSIENT
            08006 | An I/O error occurred while sending to the backend.                                    | TRANSIENT
            53100 | ERROR: could not extend file: No space left on device                                  | TRANSIENT
            57P01 | FATAL: terminating connection due to administrator command                             | TRANSIENT
            40001 | ERROR: could not serialize access due to concurrent update                             | TRANSIENT
            XX000 | ERROR: Cannot cast value `x` to type `bigint`                                          | RECORD
            54000 | ERROR: index row size 40040 exceeds btree version 4 maximum 2704 for index "t_pkey"    | RECORD
            22P02 | ERROR: invalid input syntax for type json                                               | RECORD
            XX000 | ERROR: Document contains at least one immense term in field="pk.id"                    | RECORD
            """)
    void scopeOfWhatTheServersSay(String state, String message, SqlErrors.Scope expected) {
        assertEquals(expected, SqlErrors.scope(new SQLException(message, state)));
    }

    @Test
    void aBatchErrorIsJudgedByTheStatementErrorItCarries() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO t was aborted", new int[0]);
        batch.setNextException(new SQLException("ERROR: Column version unknown", "42703"));
        assertEquals(SqlErrors.Scope.SINK, SqlErrors.scope(batch));
    }

    /** Seen on a 3-node CrateDB when a node was killed mid-batch: no next exception, values in the text. */
    @Test
    void anAbortedBatchIsDescribedWithoutTheRowsValues() {
        BatchUpdateException cut = new BatchUpdateException("Batch entry 17 INSERT INTO \"doc\".\"t\" (pk, data, aux,"
                + " version) VALUES ('{\"id\":\"card-4111111111111111\"}'::OBJECT, ...) ON CONFLICT DO NOTHING was"
                + " aborted: An I/O error occurred while sending to the backend.  Call getNextException to see other"
                + " errors in the batch.", "08006", new int[0]);

        String described = SqlErrors.describe(cut);

        assertEquals("[08006] Batch entry 17 was aborted: An I/O error occurred while sending to the backend.  Call"
                + " getNextException to see other errors in the batch.", described);
    }
}

