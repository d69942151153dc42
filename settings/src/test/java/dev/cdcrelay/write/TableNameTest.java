package dev.cdcrelay.write;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TableNameTest {

    @Test
    void namesAreQuotedAsWritten() {
        assertEquals("\"demo-sink\"", TableName.parse("demo-sink", "T").sql());
        assertEquals("\"doc\".\"demo-sink\"", TableName.parse("doc.demo-sink", "T").sql());
        assertEquals("\"Doc-2\".\"T\"", TableName.parse("\"Doc-2\".\"T\"", "T").sql());
        assertEquals("\"Mixed\".\"a-b\"", TableName.parse("Mixed.\"a-b\"", "T").sql());
    }

    /** equals and hashCode are written out (not the record's); they must still mean what a record's do. */
    @Test
    void equalNamesAreEqualAndHashAlike() {
        assertEquals(new TableName("doc", "t"), TableName.parse("doc.t"));
        assertEquals(new TableName("doc", "t").hashCode(), TableName.parse("\"doc\".\"t\"").hashCode());
        assertEquals(new TableName(null, "t"), TableName.parse("t"));
        assertEquals(new TableName(null, "t").hashCode(), TableName.parse("t").hashCode());
        assertNotEquals(new TableName(null, "t"), new TableName("doc", "t"));
        assertNotEquals(new TableName("doc", "t"), new TableName(null, "t"));
        assertNotEquals(new TableName("doc", "t"), new TableName("doc", "T"));
        assertNotEquals(new TableName("a", "t"), new TableName("b", "t"));
        assertNotEquals(new TableName("doc", "t"), "doc.t");
        assertNotEquals(new TableName("doc", "t"), null);
    }

    @Test
    void quotingDoublesAQuote() {
        assertEquals("\"a\"\"b\"", TableName.quote("a\"b"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '~', value = {
            "a..b => T: 'a..b' is not [schema.]table",
            ".t => T: '.t' is not [schema.]table",
            "a.b.c => T: 'a.b.c' is not [schema.]table",
            "\"a\"x => T: has text after a quoted name: '\"a\"x'",
            "\"open => T: has an unterminated quote: '\"open'",
            "~ ~ => T: is empty; give a table name such as demo-sink or doc.demo-sink",
    })
    void malformedNamesAreRejected(String spec, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> TableName.parse(spec, "T"));
        assertEquals(message, e.getMessage());
    }

    /** CrateDB 6.4's RelationName and IndexName.validate; PostgreSQL's 63-byte identifiers. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '~', value = {
            "we\"ird table => 'we\"ird table' contains '\"'; CrateDB refuses . \\ / * ? \" < > | blanks , # in a name",
            "\"we ird\" => '\"we ird\"' contains ' '; CrateDB refuses . \\ / * ? \" < > | blanks , # in a name",
            "\"my.schema\".\"t\" => '\"my.schema\".\"t\"' contains '.'; CrateDB refuses . \\ / * ? \" < > | blanks , # in a name",
            "a#b => 'a#b' contains '#'; CrateDB refuses . \\ / * ? \" < > | blanks , # in a name",
            "-t => '-t' starts with '-' or '+', which CrateDB refuses",
            "doc.+t => 'doc.+t' starts with '-' or '+', which CrateDB refuses",
            "sys.t => 'sys.t' is in CrateDB's read-only schema sys",
            "_ALL => '_ALL' uses '_all', which CrateDB refuses as a name",
            "a234567890123456789012345678901234567890123456789012345678901234 => 'a234567890123456789012345678901234567890123456789012345678901234' has a part of 64 bytes; PostgreSQL cuts names after 63 bytes",
    })
    void namesCrateDbOrPostgresqlWouldRefuseAreRejected(String spec, String reason) {
        var e = assertThrows(IllegalArgumentException.class, () -> TableName.parse(spec));
        assertEquals(reason, e.getMessage());
    }

    @Test
    void aPrefixedSignInsideASchemaIsFine() {
        assertEquals("\"s\".\"-t\"", TableName.parse("s.-t").sql(), "CrateDB's index name is then s.-t");
    }
}
