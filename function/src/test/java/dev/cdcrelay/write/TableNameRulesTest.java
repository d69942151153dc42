package dev.cdcrelay.write;

import dev.cdcrelay.testing.TestSinks;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The table-name rules the stack checks at preview ({@link TableName#refusal()}) against the real
 * databases: what the rules refuse for CrateDB's sake, CrateDB refuses too (when CRATEDB_JDBC_URL
 * is set); what they accept, CrateDB creates; and PostgreSQL really cuts names after 63 bytes.
 */
class TableNameRulesTest {

    private static final String RUN = Long.toString(ProcessHandle.current().pid());

    @BeforeAll
    static void sayWhyWhenSkipped() {
        if (TestSinks.cratedbUrl() == null) {
            System.out.println(TestSinks.CRATEDB_SKIP_REASON);
        }
    }

    /** Schema (null: the default one) and table, as they would reach CREATE TABLE quoted. */
    static Stream<Arguments> refusedForCrateDb() {
        return Stream.of(
                arguments(null, "rules-we\"ird table"),
                arguments(null, "rules blank"),
                arguments(null, "rules.dot"),
                arguments(null, "rules#hash"),
                arguments(null, "rules/slash"),
                arguments(null, "rules\\backslash"),
                arguments(null, "rules*star"),
                arguments(null, "rules?question"),
                arguments(null, "rules<less"),
                arguments(null, "rules>more"),
                arguments(null, "rules|bar"),
                arguments(null, "rules,comma"),
                arguments(null, "-rules-minus"),
                arguments(null, "+rules-plus"),
                arguments(null, "_all"),
                arguments("_all", "rules"),
                arguments("sys", "rules"),
                arguments("information_schema", "rules"),
                arguments("pg_catalog", "rules"),
                arguments("rules schema", "t"));
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("refusedForCrateDb")
    void whatTheRulesRefuseForCrateDbCrateDbRefuses(String schema, String table) throws SQLException {
        var name = new TableName(schema, table);
        assertTrue(name.refusal().orElseThrow().contains("CrateDB"), name.refusal().orElseThrow());
        Assumptions.assumeTrue(TestSinks.cratedbUrl() != null, TestSinks.CRATEDB_SKIP_REASON);
        try (Connection c = TestSinks.connect(TestSinks.cratedbUrl()); Statement st = c.createStatement()) {
            var refused = assertThrows(SQLException.class, () -> st.execute("CREATE TABLE " + name.sql() + " (x INT)"),
                    "CrateDB created " + name.sql());
            System.out.println("[rules] CrateDB refuses " + name.sql() + ": " + refused.getMessage());
        }
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                arguments(null, "rules-ok-" + RUN),
                arguments("doc", "Rules-Mixed-Case-" + RUN),
                arguments("rules_schema_" + RUN, "t-" + RUN),
                arguments(null, ("rules-63-bytes-" + RUN + "-").concat("x".repeat(63)).substring(0, 63)));
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("accepted")
    void whatTheRulesAcceptCrateDbCreates(String schema, String table) throws SQLException {
        var name = new TableName(schema, table);
        assertEquals(Optional.empty(), name.refusal());
        Assumptions.assumeTrue(TestSinks.cratedbUrl() != null, TestSinks.CRATEDB_SKIP_REASON);
        try (Connection c = TestSinks.connect(TestSinks.cratedbUrl()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + name.sql() + " (x INT)");
            st.execute("DROP TABLE " + name.sql());
        }
    }

    @Test
    void postgresqlCutsNamesAfter63Bytes() throws SQLException {
        var long64 = ("rules-64-bytes-" + RUN + "-").concat("y".repeat(64)).substring(0, 64);
        assertTrue(new TableName(null, long64).refusal().orElseThrow().contains("PostgreSQL cuts names after 63 bytes"));
        try (Connection c = TestSinks.connect(TestSinks.postgresUrl()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + TableName.quote(long64) + " (x INT)");
            try (ResultSet rs = st.executeQuery("SELECT relname FROM pg_class WHERE relname LIKE 'rules-64-bytes-" + RUN + "-%'")) {
                assertTrue(rs.next());
                assertEquals(long64.substring(0, 63), rs.getString(1), "kept 63 bytes: a _tombstones sibling could collide");
            }
            st.execute("DROP TABLE " + TableName.quote(long64.substring(0, 63)));
        }
    }
}
