package dev.cdcrelay.handler;

import dev.cdcrelay.backfill.execution.BackfillStart;
import dev.cdcrelay.backfill.execution.MapRunSummary;
import dev.cdcrelay.backfill.export.ExportStatusTask;
import dev.cdcrelay.backfill.export.LoadFileTask;
import dev.cdcrelay.backfill.scan.ScanSegmentTask;
import dev.cdcrelay.relay.Relay;

import java.util.Objects;

/** The backfill function's actions, wired once per container, and the relay (one sink connection) they load through. */
public record BackfillTasks(BackfillStart start, ExportStatusTask exportStatus, LoadFileTask loadFile,
                            ScanSegmentTask scanSegment, MapRunSummary summarize, Relay relay) {

    public BackfillTasks {
        Objects.requireNonNull(start);
        Objects.requireNonNull(exportStatus);
        Objects.requireNonNull(loadFile);
        Objects.requireNonNull(scanSegment);
        Objects.requireNonNull(summarize);
        Objects.requireNonNull(relay);
    }
}
