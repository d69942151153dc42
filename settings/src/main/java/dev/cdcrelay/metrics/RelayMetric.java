package dev.cdcrelay.metrics;

/**
 * Every metric the function emits, defined once: the function writes them (one CloudWatch embedded
 * metric format document per invocation) and the stack's dashboard and alarms read them, both
 * through these constants, so a renamed metric cannot leave a dashboard graph or an alarm reading
 * nothing. The README's metric table is written from {@link #doc()}.
 *
 * <p>Units are CloudWatch units as the embedded metric format specification names them.
 */
public enum RelayMetric {

    RECORDS_RECEIVED("RecordsReceived", Unit.COUNT, "Kinesis records in the batch"),
    RECORDS_APPLIED("RecordsApplied", Unit.COUNT,
            "records whose change is in the sink, or rightly superseded there by a newer one"),
    RECORDS_SKIPPED("RecordsSkipped", Unit.COUNT,
            "records rightly not written: older than or the same as a change of their item in the batch or in"
                    + " the sink (duplicates, late arrivals), and TTL deletes kept by `ttlDeletes` `keep`"),
    RECORDS_DEAD_LETTERED("RecordsDeadLettered", Unit.COUNT,
            "records stored in the dead-letter destination: they can never be applied as they are"),
    RECORDS_FAILED("RecordsFailed", Unit.COUNT,
            "records not handled in this invocation: Lambda re-delivers them from the first"),
    CHANGES_SUPERSEDED("ChangesSuperseded", Unit.COUNT,
            "items whose newest change in the batch was not written because the sink already held a newer"
                    + " one (late arrivals; their records are among the skipped)"),
    DIVERTED_ATTRIBUTES("DivertedAttributes", Unit.COUNT,
            "attribute values CrateDB's column could not take, kept in the row's `aux` object instead"),
    INEXACT_NUMBERS("InexactNumbers", Unit.COUNT,
            "numbers a DOUBLE column could not hold exactly, kept exactly in `aux` as well"),
    WRITE_RETRIES("WriteRetries", Unit.COUNT,
            "write attempts beyond the first (transient sink errors: connection lost, node down)"),
    BATCH_DURATION("BatchDuration", Unit.MILLISECONDS, "time to decode, write and dead-letter the whole batch"),
    WRITE_DURATION("WriteDuration", Unit.MILLISECONDS, "time spent writing to the sink, retries and backoff included"),
    REPLICATION_LAG("ReplicationLag", Unit.MILLISECONDS,
            "now minus the change time of the newest change applied in the batch: how far behind the"
                    + " sink is; only emitted when the batch applied a change"),
    REPLICATION_LAG_MAX("ReplicationLagMax", Unit.MILLISECONDS,
            "now minus the change time of the oldest change applied in the batch"),
    REPLICATION_LAG_AVERAGE("ReplicationLagAverage", Unit.MILLISECONDS,
            "now minus the mean change time of the changes applied in the batch");

    /** The CloudWatch namespace of every metric here. */
    public static final String NAMESPACE = "CdcRelay";

    /** Dimension: the Lambda function's name (AWS_LAMBDA_FUNCTION_NAME). */
    public static final String FUNCTION_DIMENSION = "FunctionName";

    /** Dimension: the sink table, as configured (CRATEDB_TABLE). */
    public static final String TABLE_DIMENSION = "SinkTable";

    private final String metricName;
    private final Unit unit;
    private final String doc;

    RelayMetric(String metricName, Unit unit, String doc) {
        this.metricName = metricName;
        this.unit = unit;
        this.doc = doc;
    }

    /** The name CloudWatch shows, and the member name in the embedded metric format document. */
    public String metricName() {
        return metricName;
    }

    public Unit unit() {
        return unit;
    }

    /** One line on what the metric means. */
    public String doc() {
        return doc;
    }

    /** The CloudWatch units the relay uses. */
    public enum Unit {
        COUNT("Count"),
        MILLISECONDS("Milliseconds");

        private final String cloudWatchName;

        Unit(String cloudWatchName) {
            this.cloudWatchName = cloudWatchName;
        }

        public String cloudWatchName() {
            return cloudWatchName;
        }
    }
}
