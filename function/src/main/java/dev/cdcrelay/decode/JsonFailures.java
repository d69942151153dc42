package dev.cdcrelay.decode;

/**
 * The decoder's payload-free wording of a JSON parser failure, for other readers of DynamoDB JSON
 * (the backfill's snapshot items): jackson's own messages quote the input, these never do.
 */
public final class JsonFailures {

    private JsonFailures() {
    }

    /** E.g. "malformed JSON at byte 17" or "truncated JSON (unexpected end of input)". */
    public static String reason(Throwable parserFailure) {
        return DecodeFailure.reasonFor(parserFailure);
    }
}
