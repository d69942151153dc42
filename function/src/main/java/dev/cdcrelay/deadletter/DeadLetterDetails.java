package dev.cdcrelay.deadletter;

import java.time.Instant;

/** The {@code deadLetter} section of a dead-letter document: everything but the record itself. */
record DeadLetterDetails(String reason, String source, String eventId, Instant failedAt) {
}
