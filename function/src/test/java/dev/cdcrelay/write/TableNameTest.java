package dev.cdcrelay.write;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TableNameTest {

    @Test
    void namesAreQuotedAsWritten() {
        assertEquals("\"demo-sink\"", TableName.parse("demo-sink", "T").sql());
        assertEquals("\"doc\".\"demo-sink\"", TableName.parse("doc.demo-sink", "T").sql());
        assertEquals("\"my.schema\".\"t\"", TableName.parse("\"my.schema\".\"t\"", "T").sql());
        assertEquals("\"Mixed\".\"a\"\"b\"", TableName.parse("Mixed.\"a\"\"b\"", "T").sql());
    }

    @Test
    void malformedNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TableName.parse("a..b", "T"));
        assertThrows(IllegalArgumentException.class, () -> TableName.parse(".t", "T"));
        assertThrows(IllegalArgumentException.class, () -> TableName.parse("\"a\"x", "T"));
        assertThrows(IllegalArgumentException.class, () -> TableName.parse(" ", "T"));
    }
}
