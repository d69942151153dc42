package dev.cdcrelay.local;

import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.ItemKey;
import dev.cdcrelay.write.SinkDialect;
import dev.cdcrelay.write.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sink table as the per-record processor (the reference tooling) leaves it, for rehearsing the
 * takeover: its layout ({@code pk} with the key as primary key, {@code data}, {@code aux}, no
 * {@code version}) and rows written its way (numbers as doubles in {@code data}). The relay then
 * adopts the table in place. Only the demo table's key ({@code device}, {@code timestamp}, both S).
 */
final class ReferenceTable {

    static final String TIMESTAMP = "2024-07-12T01:17:42";

    private ReferenceTable() {
    }

    /**
     * Creates the table and writes {@code rows} items: {@code foo} (the seed walkthrough's item,
     * with its first temperature) and {@code ref-1}, {@code ref-2}, ...
     *
     * @return the rows written, as a text table
     */
    static String prefill(LocalSink sink, String table, int rows) throws SQLException {
        String name = TableName.parse(table, "--table").sql();
        List<String[]> written = new ArrayList<>();
        try (Connection c = sink.connect(); Statement st = c.createStatement()) {
            boolean crate = SinkDialect.detect(sink.url(), c).name().equals("cratedb");
            st.execute(crate
                    // commons-codec's DDL for a device/timestamp key, with the strict policy users add
                    ? "CREATE TABLE IF NOT EXISTS " + name + " (pk OBJECT(STRICT) AS (\"device\" STRING PRIMARY KEY,"
                            + " \"timestamp\" STRING PRIMARY KEY), data OBJECT(DYNAMIC), aux OBJECT(IGNORED))"
                            + " WITH (column_policy = 'strict')"
                    : "CREATE TABLE IF NOT EXISTS " + name + " (\"key\" TEXT PRIMARY KEY, pk JSONB NOT NULL,"
                            + " data JSONB, aux JSONB)");
            for (int i = 0; i < rows; i++) {
                String device = i == 0 ? "foo" : "ref-" + i;
                double temperature = i == 0 ? 42.42 : 20.0 + i;
                String pk = "{\"device\":\"" + device + "\",\"timestamp\":\"" + TIMESTAMP + "\"}";
                String data = "{\"device\":\"" + device + "\",\"timestamp\":\"" + TIMESTAMP + "\",\"temperature\":"
                        + temperature + ",\"humidity\":84.84}";
                st.execute(crate
                        ? "INSERT INTO " + name + " (pk, data, aux) VALUES ('" + pk + "'::OBJECT, '" + data
                                + "'::OBJECT, {})"
                        : "INSERT INTO " + name + " VALUES ('" + canonicalKey(device) + "', '" + pk + "', '" + data
                                + "', '{}')");
                written.add(new String[] {pk, data});
            }
            if (crate) {
                st.execute("REFRESH TABLE " + name);
            }
        }
        return LocalSink.formatTable(List.of("pk", "data"), written);
    }

    private static String canonicalKey(String device) {
        Map<String, DynamoValue> key = new LinkedHashMap<>();
        key.put("device", new DynamoValue.Str(device));
        key.put("timestamp", new DynamoValue.Str(TIMESTAMP));
        return ItemKey.of(key).canonical().replace("'", "''");
    }
}
