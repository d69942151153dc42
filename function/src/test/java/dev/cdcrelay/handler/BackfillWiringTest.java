package dev.cdcrelay.handler;

import dev.cdcrelay.settings.EnvVar;
import dev.cdcrelay.settings.InvalidSettingsException;
import dev.cdcrelay.settings.SettingProblem;
import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The backfill function's start-up: the relay's and the backfill's settings checked together. */
class BackfillWiringTest {

    @Test
    void everyProblemOfBothSettingsIsNamedAtOnceAndThePasswordNever() {
        String secret = "backfill-secret-" + ProcessHandle.current().pid();
        Map<String, String> env = new HashMap<>(TestSinks.env(TestSinks.postgresUrl(), "t"));
        env.put("CRATEDB_PASSWORD", secret);
        env.put("RELAY_ROWS_PER_BATCH", "lots");
        env.put("RELAY_SOURCE_TABLE_ARN", "demo-source");
        env.put("RELAY_BACKFILL_BUCKET", "b");
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> BackfillWiring.readSettings(env));
        assertEquals(List.of(EnvVar.RELAY_ROWS_PER_BATCH, EnvVar.RELAY_SOURCE_TABLE_ARN, EnvVar.RELAY_SOURCE_STREAM_ARN,
                EnvVar.RELAY_BACKFILL_BUCKET), e.problems().stream().map(SettingProblem::variable).toList());
        assertFalse(e.getMessage().contains(secret), e.getMessage());
    }
}
