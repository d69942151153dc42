package dev.cdcrelay.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One row of a relay's sink table as tests read it back, with the item's attributes seen the way
 * the relay stored them: in {@code data}, or whole in {@code aux.attributes}, numbers exact via
 * {@code aux.exact}.
 */
public record SinkRow(JsonNode pk, JsonNode data, JsonNode aux, String version) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Every row of the table (after a REFRESH on CrateDB, whose reads are otherwise eventual). */
    public static List<SinkRow> readAll(String url, String table, boolean crate) throws Exception {
        List<SinkRow> rows = new ArrayList<>();
        try (Connection c = TestSinks.connect(url); Statement st = c.createStatement()) {
            String t = "\"" + table + "\"";
            if (crate) {
                st.execute("REFRESH TABLE " + t);
            }
            String sql = crate ? "SELECT pk, data, aux, version FROM " + t
                    : "SELECT pk::text, data::text, aux::text, version FROM " + t;
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    rows.add(new SinkRow(JSON.readTree(rs.getString(1)), tree(rs.getString(2)), tree(rs.getString(3)),
                            rs.getString(4)));
                }
            }
        }
        return rows;
    }

    private static JsonNode tree(String json) throws Exception {
        return json == null ? JSON.createObjectNode() : JSON.readTree(json);
    }

    /** The attribute's value as stored: data, or aux where the relay put it whole. */
    public JsonNode attribute(String name) {
        if (aux.path("attributes").has(name)) {
            return aux.path("attributes").get(name);
        }
        return data.get(name);
    }

    public Set<String> attributeNames() {
        Set<String> names = new TreeSet<>();
        data.fieldNames().forEachRemaining(names::add);
        aux.path("attributes").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A number attribute's exact value: aux.exact when a double could not hold it. */
    public BigDecimal exactNumber(String name) {
        if (aux.path("exact").has(name)) {
            return new BigDecimal(aux.path("exact").get(name).asText());
        }
        JsonNode n = attribute(name);
        return n.isTextual() ? new BigDecimal(n.asText()) : n.decimalValue();
    }
}
