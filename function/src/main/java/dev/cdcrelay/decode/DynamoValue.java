package dev.cdcrelay.decode;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One DynamoDB attribute value, exactly as the change record carried it.
 *
 * <p>Numbers stay {@link BigDecimal} (DynamoDB allows 38 significant digits, a double keeps ~16),
 * binaries stay base64 text (that is how every sink stores them). Maps keep the record's attribute
 * order so that output is stable.
 */
public sealed interface DynamoValue {

    /** The DynamoDB type descriptor: S, N, B, BOOL, NULL, M, L, SS, NS, BS. */
    String typeName();

    record Str(String value) implements DynamoValue {
        public Str { Objects.requireNonNull(value); }
        public String typeName() { return "S"; }
    }

    record Num(BigDecimal value) implements DynamoValue {
        public Num { Objects.requireNonNull(value); }
        public String typeName() { return "N"; }
    }

    /** Binary, kept as its (validated) base64 text. */
    record Bin(String base64) implements DynamoValue {
        public Bin { Objects.requireNonNull(base64); }
        public String typeName() { return "B"; }
    }

    record Bool(boolean value) implements DynamoValue {
        public static final Bool TRUE = new Bool(true);
        public static final Bool FALSE = new Bool(false);
        public String typeName() { return "BOOL"; }
    }

    /** DynamoDB's NULL type; a singleton. */
    enum Null implements DynamoValue {
        INSTANCE;
        public String typeName() { return "NULL"; }
    }

    record MapValue(Map<String, DynamoValue> entries) implements DynamoValue {
        public MapValue { Objects.requireNonNull(entries); }
        public String typeName() { return "M"; }
    }

    record ListValue(List<DynamoValue> elements) implements DynamoValue {
        public ListValue { Objects.requireNonNull(elements); }
        public String typeName() { return "L"; }
    }

    record StrSet(List<String> values) implements DynamoValue {
        public StrSet { Objects.requireNonNull(values); }
        public String typeName() { return "SS"; }
    }

    record NumSet(List<BigDecimal> values) implements DynamoValue {
        public NumSet { Objects.requireNonNull(values); }
        public String typeName() { return "NS"; }
    }

    /** Binary set, each element kept as its (validated) base64 text. */
    record BinSet(List<String> values) implements DynamoValue {
        public BinSet { Objects.requireNonNull(values); }
        public String typeName() { return "BS"; }
    }
}
