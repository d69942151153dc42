package dev.cdcrelay.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackfillSettingsTest {

    static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("RELAY_SOURCE_TABLE_ARN", "arn:aws:dynamodb:eu-central-1:123456789012:table/demo-source");
        env.put("RELAY_SOURCE_STREAM_ARN", "arn:aws:kinesis:eu-central-1:123456789012:stream/demo-changes");
        env.put("RELAY_BACKFILL_BUCKET", "demo-backfill-123");
        return env;
    }

    @Test
    void readsTheTableNameAndThePrefixsDefault() {
        var settings = BackfillSettings.read(valid());
        assertEquals("demo-source", settings.tableName());
        assertEquals("backfill/", settings.prefix());
        assertEquals("backfill/exports/", settings.exportsPrefix());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '~', value = {
            "RELAY_SOURCE_TABLE_ARN => ~~ => RELAY_SOURCE_TABLE_ARN: is required; the ARN of the table to back fill",
            "RELAY_SOURCE_TABLE_ARN => demo-source => RELAY_SOURCE_TABLE_ARN: must be a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>), got 'demo-source'",
            "RELAY_SOURCE_STREAM_ARN => arn:aws:dynamodb:eu-central-1:123456789012:table/t1/stream/x => RELAY_SOURCE_STREAM_ARN: must be a Kinesis stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>), got 'arn:aws:dynamodb:eu-central-1:123456789012:table/t1/stream/x'",
            "RELAY_BACKFILL_BUCKET => ~~ => RELAY_BACKFILL_BUCKET: is required; the S3 bucket of exports, markers and checkpoints",
            "RELAY_BACKFILL_BUCKET => My_Bucket => RELAY_BACKFILL_BUCKET: must be an S3 bucket name (3 to 63 of a-z, 0-9, '.', '-'), got 'My_Bucket'",
            "RELAY_BACKFILL_PREFIX => backfill => RELAY_BACKFILL_PREFIX: must be an S3 key prefix ending in '/' (or empty), without leading '/', blanks or wildcards, got 'backfill'",
            "RELAY_BACKFILL_PREFIX => /backfill/ => RELAY_BACKFILL_PREFIX: must be an S3 key prefix ending in '/' (or empty), without leading '/', blanks or wildcards, got '/backfill/'",
    })
    void rejected(String variable, String value, String message) {
        var env = valid();
        env.put(variable, value);
        assertEquals(List.of(message), BackfillSettings.problemsWith(env).stream().map(SettingProblem::toString).toList());
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        var e = assertThrows(InvalidSettingsException.class, () -> BackfillSettings.read(Map.of()));
        assertEquals(List.of(EnvVar.RELAY_SOURCE_TABLE_ARN, EnvVar.RELAY_SOURCE_STREAM_ARN, EnvVar.RELAY_BACKFILL_BUCKET),
                e.problems().stream().map(SettingProblem::variable).toList());
    }

    @Test
    void anEmptyPrefixPutsEverythingAtTheBucketsTop() {
        var env = valid();
        env.put("RELAY_BACKFILL_PREFIX", "");
        assertEquals("exports/", BackfillSettings.read(env).exportsPrefix());
    }
}
