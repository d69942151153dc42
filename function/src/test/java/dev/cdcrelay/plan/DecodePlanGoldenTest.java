package dev.cdcrelay.plan;

import dev.cdcrelay.decode.ChangeDecoder;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.InvalidRecordException;
import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.RandomRecords;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Decode and plan must not change a byte when they are made faster: a fixed corpus of generated
 * records (every DynamoDB type, nested maps and lists, tricky numbers, names CrateDB refuses, long
 * and multi-byte texts, type drift across a batch, malformed records) is decoded and planned in
 * every mode, and each record's outcome (pk, data, aux, version and counts, or the failure
 * message) is compared with the outcome the code had before (its SHA-256, in
 * {@code decode-plan-golden.txt}). A difference prints the record's whole outcome.
 *
 * <p>To regenerate after an intended change of output:
 * {@code -Dgolden.write=<absolute path of>/function/src/test/resources/dev/cdcrelay/plan/decode-plan-golden.txt};
 * {@code -Dgolden.dump=<file>} writes the outcomes themselves, to compare two versions in full.
 */
class DecodePlanGoldenTest {

    private static final String GOLDEN = "decode-plan-golden.txt";
    private static final int RECORDS = 3000;
    private static final int BATCH = 50;

    @Test
    void everyOutcomeIsTheOneRecordedBeforeTheChange() throws Exception {
        List<String> actual = outcomes();
        String write = System.getProperty("golden.write");
        if (write != null) {
            List<String> lines = new ArrayList<>();
            for (String o : actual) {
                lines.add(sha256(o));
            }
            Files.write(Path.of(write), lines, StandardCharsets.UTF_8);
        }
        String dump = System.getProperty("golden.dump");
        if (dump != null) {
            Files.write(Path.of(dump), actual, StandardCharsets.UTF_8);
        }
        List<String> expected = golden();
        assertEquals(expected.size(), actual.size(), "number of outcomes");
        for (int i = 0; i < actual.size(); i++) {
            String o = actual.get(i);
            assertEquals(expected.get(i), sha256(o), "outcome " + i + " changed; it is now:\n" + o);
        }
    }

    /** Every record of the corpus, in every mode, as text. */
    private static List<String> outcomes() {
        Random rnd = new Random(20261202);
        KinesisRecords seq = new KinesisRecords(1);
        ChangeDecoder decoder = new ChangeDecoder();
        KeySchema keys = KeySchema.parse("id:S", "T");
        KeySchema numericKeys = KeySchema.parse("id:N:TEXT", "T");
        RowPlanner safe = new RowPlanner(keys, DeclaredTypes.NONE, RowPlanner.Mode.CRATEDB_SAFE);
        RowPlanner declared = new RowPlanner(keys, DeclaredTypes.parse("qty:BIGINT,name:TEXT,price:DOUBLE,x:BOOLEAN", "T"),
                RowPlanner.Mode.CRATEDB_SAFE);
        RowPlanner exact = new RowPlanner(keys, DeclaredTypes.NONE, RowPlanner.Mode.EXACT_JSON);
        RowPlanner numeric = new RowPlanner(numericKeys, DeclaredTypes.NONE, RowPlanner.Mode.CRATEDB_SAFE);
        List<String> out = new ArrayList<>();
        ColumnKinds kinds = new ColumnKinds();
        ColumnKinds declaredKinds = new ColumnKinds();
        for (int i = 0; i < RECORDS; i++) {
            if (i % BATCH == 0) {
                kinds = new ColumnKinds();
                declaredKinds = new ColumnKinds();
                if (i % (2 * BATCH) == 0) {
                    // What a table already holds: kinds read back from the sink.
                    kinds.put("qty", ColumnKinds.INTEGRAL);
                    kinds.put("price", ColumnKinds.TEXT);
                    kinds.put("geo" + ColumnKinds.SEP + "lat", ColumnKinds.INTEGRAL);
                    kinds.put("tags", new ColumnKind.ArrayOf(ColumnKinds.INTEGRAL));
                    kinds.put("lines", ColumnKinds.OTHER);
                }
            }
            boolean numericKey = i % 17 == 0;
            IncomingRecord r = RandomRecords.record(rnd, seq, numericKey);
            StringBuilder o = new StringBuilder("#").append(i).append('\n');
            ChangeRecord c;
            try {
                c = decoder.decode(r);
            } catch (InvalidRecordException e) {
                out.add(o.append("FAIL ").append(e.getMessage()).toString());
                continue;
            }
            o.append(c.itemKey().canonical()).append(' ').append(c.eventName()).append(' ').append(c.expiredByTtl())
                    .append('\n');
            if (numericKey) {
                describe(o.append("numeric "), () -> numeric.plan(c, new ColumnKinds()));
            } else {
                ColumnKinds batchKinds = kinds;
                ColumnKinds batchDeclaredKinds = declaredKinds;
                describe(o.append("safe "), () -> safe.plan(c, batchKinds));
                describe(o.append("declared "), () -> declared.plan(c, batchDeclaredKinds));
                describe(o.append("exact "), () -> exact.plan(c, new ColumnKinds()));
                describe(o.append("aux "), () -> safe.planAllInAux(c));
            }
            out.add(o.toString());
        }
        return out;
    }

    private static void describe(StringBuilder o, Supplier<PlannedRow> planning) {
        try {
            PlannedRow row = planning.get();
            o.append(row.keyValues()).append(' ').append(row.version()).append('\n');
            if (row instanceof PlannedRow.Upsert u) {
                o.append(u.pkJson()).append('\n').append(u.dataJson()).append('\n').append(u.auxJson()).append('\n')
                        .append(u.divertedAttributes()).append(' ').append(u.inexactNumbers()).append('\n');
            } else {
                o.append("delete\n");
            }
        } catch (RuntimeException e) {
            o.append("FAIL ").append(e.getClass().getSimpleName()).append(' ').append(e.getMessage()).append('\n');
        }
    }

    private static List<String> golden() throws IOException {
        try (InputStream in = DecodePlanGoldenTest.class.getResourceAsStream(GOLDEN)) {
            assertNotNull(in, GOLDEN + " is missing from the test resources");
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
