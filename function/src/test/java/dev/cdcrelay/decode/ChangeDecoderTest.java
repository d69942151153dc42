package dev.cdcrelay.decode;

import dev.cdcrelay.kinesis.IncomingRecord;
import dev.cdcrelay.testing.ChangeJson;
import dev.cdcrelay.testing.DynamoJson;
import dev.cdcrelay.testing.KinesisRecords;
import dev.cdcrelay.testing.SeedRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static dev.cdcrelay.testing.DynamoJson.list;
import static dev.cdcrelay.testing.DynamoJson.map;
import static dev.cdcrelay.testing.DynamoJson.typed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeDecoderTest {

    private static final String SEQ = KinesisRecords.sequenceNumber(7);
    private final ChangeDecoder decoder = new ChangeDecoder();

    // ------------------------------------------------------------------ helpers

    private ChangeRecord decode(String json) throws InvalidRecordException {
        return decoder.decode(new IncomingRecord(SEQ, "pk", json.getBytes(StandardCharsets.UTF_8), 0));
    }

    private ChangeRecord decode(ChangeJson change) throws InvalidRecordException {
        return decode(change.toJson());
    }

    /** Asserts rejection; returns the message after checking it names the record. */
    private String reject(String json) {
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> decode(json));
        String m = e.getMessage();
        assertNotNull(m);
        assertTrue(m.startsWith("record " + SEQ + ": "), m);
        assertTrue(m.length() < 300, "message too long: " + m);
        assertNull(e.getCause(), "no cause: jackson's messages quote the payload");
        return m;
    }

    private String reject(ChangeJson change) {
        return reject(change.toJson());
    }

    private static void assertMessage(String expected, String actual) {
        assertEquals("record " + SEQ + ": " + expected, actual);
    }

    private static ChangeJson item() {
        return ChangeJson.insert().key("id", "k1");
    }

    // ------------------------------------------------------------------ the REFERENCE record

    @Test
    void referenceRecordDecodesFieldByField() throws Exception {
        ChangeRecord r = decode(SeedRecords.MODIFY_JSON);

        assertEquals(SEQ, r.sequenceNumber());
        assertEquals("b015b5f0-c095-4b50-8ad0-4279aa3d88c6", r.eventId());
        assertEquals(EventName.MODIFY, r.eventName());
        assertFalse(r.expiredByTtl());
        assertEquals("demo-source", r.tableName());
        assertEquals(new ChangeVersion(1720742302233719L, SEQ), r.version());

        assertEquals(List.of("device", "timestamp"), new ArrayList<>(r.keys().keySet()));
        assertEquals(new DynamoValue.Str("foo"), r.keys().get("device"));
        assertEquals(new DynamoValue.Str("2024-07-12T01:17:42"), r.keys().get("timestamp"));

        assertEquals(List.of("device", "timestamp", "temperature", "humidity"),
                new ArrayList<>(r.newImage().keySet()));
        assertEquals(new DynamoValue.Str("foo"), r.newImage().get("device"));
        assertEquals(new DynamoValue.Str("2024-07-12T01:17:42"), r.newImage().get("timestamp"));
        assertEquals(new DynamoValue.Num(new BigDecimal("43.59")), r.newImage().get("temperature"));
        assertEquals(new DynamoValue.Num(new BigDecimal("84.84")), r.newImage().get("humidity"));

        assertEquals("{\"device\":{\"S\":\"foo\"},\"timestamp\":{\"S\":\"2024-07-12T01:17:42\"}}",
                r.itemKey().canonical());
        assertThrows(UnsupportedOperationException.class, () -> r.keys().put("x", DynamoValue.Null.INSTANCE));
        assertThrows(UnsupportedOperationException.class, () -> r.newImage().remove("device"));
    }

    @Test
    void seedInsertThenModify() throws Exception {
        List<IncomingRecord> records = SeedRecords.records();
        ChangeRecord insert = decoder.decode(records.get(0));
        ChangeRecord modify = decoder.decode(records.get(1));
        assertEquals(EventName.INSERT, insert.eventName());
        assertEquals(SeedRecords.INSERT_MICROS, insert.version().micros());
        assertEquals(new DynamoValue.Num(SeedRecords.TEMPERATURE_BEFORE), insert.newImage().get("temperature"));
        assertEquals(new DynamoValue.Num(SeedRecords.TEMPERATURE_AFTER), modify.newImage().get("temperature"));
        assertEquals(insert.itemKey(), modify.itemKey());
        assertTrue(modify.version().isNewerThan(insert.version()));
        assertEquals(records.get(1).sequenceNumber(), modify.version().sequenceNumber());
    }

    // ------------------------------------------------------------------ types

    static Stream<Arguments> everyType() {
        return Stream.of(
                Arguments.of("S", "{\"S\":\"h\\u00e9llo \\\"w\\\"\"}", new DynamoValue.Str("héllo \"w\"")),
                Arguments.of("S empty", "{\"S\":\"\"}", new DynamoValue.Str("")),
                Arguments.of("S unicode", "{\"S\":\"日本 \uD83D\uDE00\"}", new DynamoValue.Str("日本 \uD83D\uDE00")),
                Arguments.of("N", "{\"N\":\"-12.50\"}", new DynamoValue.Num(new BigDecimal("-12.50"))),
                Arguments.of("N int", "{\"N\":\"1152921504606846977\"}",
                        new DynamoValue.Num(new BigDecimal("1152921504606846977"))),
                Arguments.of("B", "{\"B\":\"AQID\"}", new DynamoValue.Bin("AQID")),
                Arguments.of("B padded", "{\"B\":\"AQ==\"}", new DynamoValue.Bin("AQ==")),
                Arguments.of("B empty", "{\"B\":\"\"}", new DynamoValue.Bin("")),
                Arguments.of("BOOL true", "{\"BOOL\":true}", DynamoValue.Bool.TRUE),
                Arguments.of("BOOL false", "{\"BOOL\":false}", DynamoValue.Bool.FALSE),
                Arguments.of("NULL", "{\"NULL\":true}", DynamoValue.Null.INSTANCE),
                Arguments.of("M", "{\"M\":{\"b\":{\"S\":\"x\"},\"a\":{\"N\":\"1\"}}}",
                        new DynamoValue.MapValue(orderedMap("b", new DynamoValue.Str("x"),
                                "a", new DynamoValue.Num(BigDecimal.ONE)))),
                Arguments.of("M empty", "{\"M\":{}}", new DynamoValue.MapValue(Map.of())),
                Arguments.of("L", "{\"L\":[{\"S\":\"x\"},{\"N\":\"2\"},{\"NULL\":true}]}",
                        new DynamoValue.ListValue(List.of(new DynamoValue.Str("x"),
                                new DynamoValue.Num(new BigDecimal("2")), DynamoValue.Null.INSTANCE))),
                Arguments.of("L empty", "{\"L\":[]}", new DynamoValue.ListValue(List.of())),
                Arguments.of("SS", "{\"SS\":[\"b\",\"a\"]}", new DynamoValue.StrSet(List.of("b", "a"))),
                Arguments.of("NS", "{\"NS\":[\"1\",\"2.5\",\"-3E+2\"]}", new DynamoValue.NumSet(
                        List.of(new BigDecimal("1"), new BigDecimal("2.5"), new BigDecimal("-3E+2")))),
                Arguments.of("BS", "{\"BS\":[\"AA==\",\"AQI=\"]}", new DynamoValue.BinSet(List.of("AA==", "AQI="))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyType")
    void everyTypeAlone(String name, String fragment, DynamoValue expected) throws Exception {
        ChangeRecord r = decode(item().set("v", typed(fragment)));
        DynamoValue actual = r.newImage().get("v");
        assertEquals(expected, actual);
        assertEquals(expected.typeName(), actual.typeName());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyType")
    void everyTypeNestedInMapAndList(String name, String fragment, DynamoValue expected) throws Exception {
        String nested = "{\"M\":{\"list\":{\"L\":[{\"NULL\":true},{\"M\":{\"deep\":" + fragment + "}}]}}}";
        ChangeRecord r = decode(item().set("outer", typed(nested)));
        DynamoValue.MapValue outer = (DynamoValue.MapValue) r.newImage().get("outer");
        DynamoValue.ListValue list = (DynamoValue.ListValue) outer.entries().get("list");
        DynamoValue.MapValue inner = (DynamoValue.MapValue) list.elements().get(1);
        assertEquals(expected, inner.entries().get("deep"));
    }

    @Test
    void javaValuesFromTheFixtureRoundTrip() throws Exception {
        Map<String, Object> doc = map(
                "s", "text", "n", 42, "d", new BigDecimal("0.000001"), "t", true, "nil", null,
                "bin", new byte[]{1, 2, 3, (byte) 0xff},
                "list", list(1, "two", list(3.5, false), map("k", "v")),
                "ss", DynamoJson.orderedSet("x", "y"), "ns", DynamoJson.orderedSet(1, 2, 3),
                "bs", DynamoJson.binarySet(new byte[]{0}, new byte[]{1, 2}));
        ChangeJson c = item().set("doc", doc).set("top", 7L);
        ChangeRecord r = decode(c);
        assertEquals(c.expectedNewImage(), r.newImage());
        assertEquals(c.expectedKeys(), r.keys());
    }

    @Test
    void attributeOrderIsKept() throws Exception {
        ChangeRecord r = decode(item().set("z", 1).set("a", 2).set("m", map("y", 1, "b", 2, "x", 3)));
        assertEquals(List.of("id", "z", "a", "m"), new ArrayList<>(r.newImage().keySet()));
        DynamoValue.MapValue m = (DynamoValue.MapValue) r.newImage().get("m");
        assertEquals(List.of("y", "b", "x"), new ArrayList<>(m.entries().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> m.entries().clear());
    }

    @Test
    void nestedCollectionsAreUnmodifiable() throws Exception {
        ChangeRecord r = decode(item().set("l", list(1, 2)).set("ss", DynamoJson.stringSet("a"))
                .set("ns", DynamoJson.numberSet(1)).set("bs", DynamoJson.binarySet(new byte[]{1})));
        DynamoValue.ListValue l = (DynamoValue.ListValue) r.newImage().get("l");
        assertThrows(UnsupportedOperationException.class, () -> l.elements().add(DynamoValue.Null.INSTANCE));
        assertThrows(UnsupportedOperationException.class,
                () -> ((DynamoValue.StrSet) r.newImage().get("ss")).values().add("b"));
        assertThrows(UnsupportedOperationException.class,
                () -> ((DynamoValue.NumSet) r.newImage().get("ns")).values().clear());
        assertThrows(UnsupportedOperationException.class,
                () -> ((DynamoValue.BinSet) r.newImage().get("bs")).values().clear());
    }

    @Test
    void keyTypesSNB() throws Exception {
        byte[] bin = {9, 8, 7};
        ChangeRecord r = decode(ChangeJson.insert().key("s", "a").key("n", 12).key("b", bin));
        assertEquals(new DynamoValue.Str("a"), r.keys().get("s"));
        assertEquals(new DynamoValue.Num(new BigDecimal("12")), r.keys().get("n"));
        assertEquals(new DynamoValue.Bin(Base64.getEncoder().encodeToString(bin)), r.keys().get("b"));
    }

    // ------------------------------------------------------------------ type violations

    @Test
    void typeViolationsAreRejectedWithThePath() {
        assertMessage("NewImage.v: S must be a JSON string", reject(item().set("v", typed("{\"S\":1}"))));
        assertMessage("NewImage.v: N must be a JSON string", reject(item().set("v", typed("{\"N\":1}"))));
        assertMessage("NewImage.v: B must be a JSON string", reject(item().set("v", typed("{\"B\":null}"))));
        assertMessage("NewImage.v: BOOL must be a JSON boolean", reject(item().set("v", typed("{\"BOOL\":\"true\"}"))));
        assertMessage("NewImage.v: NULL must be true", reject(item().set("v", typed("{\"NULL\":false}"))));
        assertMessage("NewImage.v: M must be a JSON object", reject(item().set("v", typed("{\"M\":[]}"))));
        assertMessage("NewImage.v: L must be a JSON array", reject(item().set("v", typed("{\"L\":{}}"))));
        assertMessage("NewImage.v: SS must be a JSON array", reject(item().set("v", typed("{\"SS\":\"a\"}"))));
        assertMessage("NewImage.v[1]: NS elements must be JSON strings",
                reject(item().set("v", typed("{\"NS\":[\"1\",2]}"))));
        assertMessage("NewImage.v: empty SS (DynamoDB sets are never empty)",
                reject(item().set("v", typed("{\"SS\":[]}"))));
        assertMessage("NewImage.v: attribute value must be an object with one type key",
                reject(item().set("v", typed("\"plain\""))));
        assertMessage("NewImage.v: attribute value has no type key", reject(item().set("v", typed("{}"))));
        assertMessage("NewImage.v: attribute value has more than one type key",
                reject(item().set("v", typed("{\"S\":\"a\",\"N\":\"1\"}"))));
        assertMessage("NewImage.v: attribute value has more than one type key",
                reject(item().set("v", typed("{\"S\":\"a\",\"S\":\"b\"}"))));
        assertTrue(reject(item().set("v", typed("{\"X\":\"a\"}"))).contains("NewImage.v: unknown type descriptor"));
        assertTrue(reject(item().set("v", typed("{\"s\":\"a\"}"))).contains("unknown type descriptor"));
        assertMessage("NewImage: empty attribute name", reject(item().set("", 1)));
        assertMessage("NewImage: must be an object of attributes", reject(item().newImageJson("[]")));
    }

    @Test
    void binaryMustBeCanonicalStandardBase64() {
        for (String bad : new String[]{"A", "AB", "ABC", "A===", "====", "AB=C", "AQ-_", "AQ\\n=", "AR==", "AQJ="}) {
            String m = reject(item().set("v", typed("{\"B\":\"" + bad + "\"}")));
            assertTrue(m.startsWith("record " + SEQ + ": NewImage.v: ")
                    && (m.contains("base64")), bad + " -> " + m);
        }
        assertMessage("NewImage.v[1]: not base64 (standard alphabet with padding)",
                reject(item().set("v", typed("{\"BS\":[\"AA==\",\"A*==\"]}"))));
    }

    @Test
    void errorPathsNameListIndexesAndNestedAttributes() {
        String sensor = "{\"M\":{\"readings\":{\"L\":[{\"N\":\"1\"},{\"N\":\"2\"},{\"N\":\"3\"},{\"N\":\"NaN\"}]}}}";
        assertMessage("NewImage.sensor.readings[3]: not a decimal number",
                reject(item().set("sensor", typed(sensor))));
        assertMessage("OldImage.sensor.readings[3]: not a decimal number",
                reject(ChangeJson.modify().key("id", 1).old("sensor", typed(sensor))));
        assertMessage("NewImage[\"a.b\"].x: not a decimal number",
                reject(item().set("a.b", typed("{\"M\":{\"x\":{\"N\":\"x\"}}}"))));
        assertMessage("Keys.id: number has more than 38 significant digits",
                reject(ChangeJson.insert().key("id", DynamoJson.n("1".repeat(39)))));
    }

    @Test
    void longOrOddAttributeNamesAreCutAndEscapedInPaths() {
        String m = reject(item().set("x".repeat(1000), typed("{\"N\":\"?\"}")));
        assertTrue(m.contains("NewImage[\"" + "x".repeat(64) + "...\"]: not a decimal number"), m);
        String ctl = reject(item().set("a\nb", typed("{\"N\":\"?\"}")));
        assertTrue(ctl.contains("NewImage[\"a\\u000ab\"]: "), ctl);
    }

    // ------------------------------------------------------------------ nesting

    private static String nestedMaps(int levels, String leaf) {
        String v = leaf;
        for (int i = 0; i < levels; i++) {
            v = "{\"M\":{\"m\":" + v + "}}";
        }
        return v;
    }

    private static String nestedLists(int levels, String leaf) {
        String v = leaf;
        for (int i = 0; i < levels; i++) {
            v = "{\"L\":[" + v + "]}";
        }
        return v;
    }

    @Test
    void mapsNested32DeepAreAccepted() throws Exception {
        ChangeRecord r = decode(item().set("a", typed(nestedMaps(32, "{\"S\":\"leaf\"}"))));
        DynamoValue v = r.newImage().get("a");
        int levels = 0;
        while (v instanceof DynamoValue.MapValue m) {
            levels++;
            v = m.entries().get("m");
        }
        assertEquals(32, levels);
        assertEquals(new DynamoValue.Str("leaf"), v);
        // Level 32 may hold anything that does not open level 33: scalars and sets.
        decode(item().set("a", typed(nestedMaps(32, "{\"SS\":[\"x\"]}"))));
        decode(item().set("a", typed(nestedMaps(31, "{\"M\":{}}"))));
        decode(item().set("a", typed(nestedLists(32, "{\"N\":\"1\"}"))));
        decode(item().set("a", typed(nestedMaps(16, nestedLists(16, "{\"NULL\":true}")))));
    }

    @Test
    void mapsNested33DeepAreRejected() {
        String m = reject(item().set("a", typed(nestedMaps(33, "{\"S\":\"leaf\"}"))));
        assertMessage("NewImage.a" + ".m".repeat(32) + ": M/L nested deeper than 32 levels", m);
        reject(item().set("a", typed(nestedMaps(32, "{\"M\":{}}"))));
        reject(item().set("a", typed(nestedLists(33, "{\"N\":\"1\"}"))));
        reject(item().set("a", typed(nestedMaps(16, nestedLists(17, "{\"NULL\":true}")))));
        // Also in OldImage and Keys, which are checked the same way.
        reject(ChangeJson.modify().key("id", 1).old("a", typed(nestedMaps(33, "{\"S\":\"x\"}"))));
    }

    // ------------------------------------------------------------------ size

    @Test
    void a400KbItemDecodes() throws Exception {
        int size = 400 * 1024;
        String big = "é".repeat((size - 64) / 2);   // 2 bytes per char in UTF-8
        byte[] blob = new byte[size - 64];
        new java.util.Random(1).nextBytes(blob);
        ChangeJson c = ChangeJson.modify().key("id", "k")
                .set("text", big).set("n", 1)
                .old("blob", blob);
        byte[] json = c.toBytes();
        assertTrue(json.length > 2 * size * 0.99, "record is " + json.length + " bytes");
        ChangeRecord r = decoder.decode(new IncomingRecord(SEQ, "", json, 0));
        assertEquals(new DynamoValue.Str(big), r.newImage().get("text"));
        // The same item as NewImage: its binary survives as base64 text.
        ChangeRecord r2 = decode(ChangeJson.insert().key("id", "k").set("blob", blob));
        assertEquals(new DynamoValue.Bin(Base64.getEncoder().encodeToString(blob)), r2.newImage().get("blob"));
    }

    // ------------------------------------------------------------------ time

    @Test
    void microsecondPrecisionIsTakenAsIs() throws Exception {
        assertEquals(1720742302233719L, decode(item().micros(1720742302233719L)).version().micros());
    }

    @Test
    void millisecondPrecisionIsConvertedToMicros() throws Exception {
        assertEquals(1720742302233000L, decode(item().millis(1720742302233L)).version().micros());
    }

    @Test
    void absentOrNullPrecisionMeansMilliseconds() throws Exception {
        assertEquals(1720742302233000L, decode(item().time(1720742302233L, null)).version().micros());
        String json = item().millis(1720742302233L).toJson()
                .replace("\"ApproximateCreationDateTimePrecision\":\"MILLISECOND\"",
                        "\"ApproximateCreationDateTimePrecision\":null");
        assertEquals(1720742302233000L, decode(json).version().micros());
    }

    @Test
    void badTimesAreRejected() {
        assertMessage("ApproximateCreationDateTimePrecision: must be MILLISECOND or MICROSECOND",
                reject(item().time(1, "SECOND")));
        assertMessage("ApproximateCreationDateTimePrecision: must be MILLISECOND or MICROSECOND",
                reject(item().time(1, "microsecond")));
        assertMessage("ApproximateCreationDateTime: must be a non-negative 64-bit integer",
                reject(item().micros(-1)));
        assertMessage("dynamodb.ApproximateCreationDateTime is out of range",
                reject(item().millis(Long.MAX_VALUE / 10)));
        String base = item().micros(5).toJson();
        assertMessage("ApproximateCreationDateTime: must be an integer",
                reject(base.replace("\"ApproximateCreationDateTime\":5", "\"ApproximateCreationDateTime\":5.5")));
        assertMessage("ApproximateCreationDateTime: must be an integer",
                reject(base.replace("\"ApproximateCreationDateTime\":5", "\"ApproximateCreationDateTime\":\"5\"")));
        assertMessage("ApproximateCreationDateTime: must be a non-negative 64-bit integer",
                reject(base.replace("\"ApproximateCreationDateTime\":5",
                        "\"ApproximateCreationDateTime\":99999999999999999999")));
        assertMessage("dynamodb.ApproximateCreationDateTime is missing",
                reject(base.replace("\"ApproximateCreationDateTime\":5,", "")));
    }

    // ------------------------------------------------------------------ events

    @Test
    void ttlRemoveIsMarked() throws Exception {
        ChangeRecord r = decode(ChangeJson.remove().key("id", 1).old("x", "gone").ttl());
        assertEquals(EventName.REMOVE, r.eventName());
        assertTrue(r.expiredByTtl());
        assertNull(r.newImage());
    }

    @Test
    void userRemoveIsNotTtl() throws Exception {
        assertFalse(decode(ChangeJson.remove().key("id", 1)).expiredByTtl());
        assertFalse(decode(ChangeJson.remove().key("id", 1)
                .userIdentityJson("{\"type\":\"User\",\"principalId\":\"AIDAEXAMPLE\"}")).expiredByTtl());
        assertFalse(decode(ChangeJson.remove().key("id", 1)
                .userIdentityJson("{\"type\":\"Service\",\"principalId\":\"lambda.amazonaws.com\"}")).expiredByTtl());
        // The service identity on anything but a REMOVE is not a TTL expiry.
        assertFalse(decode(ChangeJson.modify().key("id", 1).ttl()).expiredByTtl());
        // Extra identity fields are skipped.
        assertTrue(decode(ChangeJson.remove().key("id", 1).userIdentityJson(
                "{\"principalId\":\"dynamodb.amazonaws.com\",\"extra\":{\"a\":[1]},\"type\":\"Service\"}"))
                .expiredByTtl());
        assertMessage("userIdentity: must be an object or null",
                reject(ChangeJson.remove().key("id", 1).userIdentityJson("\"Service\"")));
        assertMessage("userIdentity.type: must be a string or null",
                reject(ChangeJson.remove().key("id", 1).userIdentityJson("{\"type\":1}")));
    }

    @Test
    void removeWithoutOldImageAndRemoveWithNewImage() throws Exception {
        assertNull(decode(ChangeJson.remove().key("id", 1).withoutOldImage()).newImage());
        // A NewImage on a REMOVE is checked, then dropped.
        assertNull(decode(ChangeJson.remove().key("id", 1).newImageJson("{\"id\":{\"N\":\"1\"}}")).newImage());
        reject(ChangeJson.remove().key("id", 1).newImageJson("{\"id\":{\"N\":\"x\"}}"));
    }

    @Test
    void modifyWithOldImageKeepsOnlyNewImage() throws Exception {
        ChangeJson c = ChangeJson.modify().key("id", 1).set("v", 2).old("v", 1).old("gone", "x");
        ChangeRecord r = decode(c);
        assertEquals(EventName.MODIFY, r.eventName());
        assertEquals(DynamoJson.expectedItem(map("id", 1, "v", 2)), r.newImage());
        // OldImage is validated even though it is not kept.
        assertMessage("OldImage.v: number outside DynamoDB's range (1E-130 to 9.99..E+125)",
                reject(ChangeJson.modify().key("id", 1).old("v", DynamoJson.n("1e400"))));
        assertMessage("OldImage.v: not base64 (standard alphabet with padding)",
                reject(ChangeJson.modify().key("id", 1).old("v", DynamoJson.b64("!!!!"))));
        // ...and may be absent.
        assertEquals(EventName.MODIFY, decode(ChangeJson.modify().key("id", 1).withoutOldImage()).eventName());
    }

    @Test
    void requiredPartsMissing() {
        assertMessage("dynamodb.NewImage is missing (required for INSERT)", reject(item().withoutNewImage()));
        assertMessage("dynamodb.NewImage is missing (required for MODIFY)",
                reject(ChangeJson.modify().key("id", 1).withoutNewImage()));
        assertMessage("dynamodb.Keys is empty", reject(ChangeJson.insert().set("v", 1)));
        assertMessage("Keys.k: key attribute must be of type S, N or B",
                reject(ChangeJson.insert().key("k", true)));
        assertMessage("Keys.k: key attribute must be of type S, N or B",
                reject(ChangeJson.insert().key("k", map("a", 1))));
        String json = item().toJson();
        assertMessage("eventName is missing", reject(json.replace("\"eventName\":\"INSERT\",", "")));
        assertMessage("eventName: must be INSERT, MODIFY or REMOVE",
                reject(ChangeJson.withEventName("UPSERT").key("id", 1)));
        assertMessage("eventName: must be INSERT, MODIFY or REMOVE",
                reject(json.replace("\"eventName\":\"INSERT\"", "\"eventName\":null")));
        assertMessage("dynamodb.Keys is missing", reject(json.replace("\"Keys\":{\"id\":{\"S\":\"k1\"}},", "")));
        assertMessage("dynamodb is missing", reject("{\"eventName\":\"INSERT\"}"));
        assertMessage("dynamodb: must be an object", reject("{\"eventName\":\"INSERT\",\"dynamodb\":[]}"));
        assertMessage("the payload is not a JSON object", reject("[]"));
        assertMessage("the payload is not a JSON object", reject("\"INSERT\""));
        assertMessage("eventSource: must be aws:dynamodb",
                reject(json.replace("\"aws:dynamodb\"", "\"aws:kinesis\"")));
        assertMessage("tableName: must be a string or null", reject(item().toJson()
                .replace("\"tableName\":\"demo-source\"", "\"tableName\":{}")));
    }

    @Test
    void optionalEnvelopeFieldsMayBeAbsentOrNull() throws Exception {
        String minimal = "{\"eventName\":\"INSERT\",\"dynamodb\":{\"ApproximateCreationDateTime\":1,"
                + "\"Keys\":{\"id\":{\"N\":\"1\"}},\"NewImage\":{\"id\":{\"N\":\"1\"}}}}";
        ChangeRecord r = decode(minimal);
        assertNull(r.eventId());
        assertNull(r.tableName());
        assertEquals(1000, r.version().micros());
        ChangeRecord nulls = decode(minimal.replace("{\"eventName\"",
                "{\"eventID\":null,\"tableName\":null,\"eventSource\":null,\"awsRegion\":null,"
                        + "\"recordFormat\":null,\"userIdentity\":null,\"eventName\""));
        assertNull(nulls.tableName());
    }

    @Test
    void unknownFieldsAreSkippedAnywhereOutsideAttributeValues() throws Exception {
        ChangeJson c = item().set("v", 1)
                .extraField("eventVersion", "\"1.1\"")
                .extraField("future", "{\"a\":[1,{\"b\":null}],\"c\":\"d\"}")
                .extraDynamodbField("StreamViewType", "\"NEW_AND_OLD_IMAGES\"")
                .extraDynamodbField("SomethingNew", "[[[],{}],true]");
        assertEquals(c.expectedNewImage(), decode(c).newImage());
    }

    @Test
    void fieldOrderDoesNotMatter() throws Exception {
        String json = "{\"dynamodb\":{\"SizeBytes\":3,\"NewImage\":{\"v\":{\"N\":\"2\"},\"id\":{\"S\":\"a\"}},"
                + "\"Keys\":{\"id\":{\"S\":\"a\"}},\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\","
                + "\"ApproximateCreationDateTime\":17},\"userIdentity\":" + ChangeJson.TTL_IDENTITY
                + ",\"tableName\":\"t\",\"eventName\":\"REMOVE\",\"eventID\":\"e\"}";
        ChangeRecord r = decode(json);
        assertEquals(EventName.REMOVE, r.eventName());
        assertTrue(r.expiredByTtl());
        assertEquals(17, r.version().micros());
        assertEquals("t", r.tableName());
        assertEquals("e", r.eventId());
    }

    // ------------------------------------------------------------------ JSON-level problems

    @Test
    void duplicateKeysAreRejectedEverywhere() {
        String json = item().set("v", 1).toJson();
        assertMessage("eventName: duplicate key",
                reject(json.replace("\"eventName\":\"INSERT\"", "\"eventName\":\"INSERT\",\"eventName\":\"REMOVE\"")));
        assertMessage("Keys: duplicate key",
                reject(json.replace("\"Keys\":", "\"Keys\":{\"id\":{\"S\":\"x\"}},\"Keys\":")));
        assertMessage("NewImage.v: duplicate key",
                reject(json.replace("\"v\":{\"N\":\"1\"}", "\"v\":{\"N\":\"1\"},\"v\":{\"N\":\"2\"}")));
        assertMessage("OldImage.v: duplicate key", reject(ChangeJson.modify().key("id", 1)
                .oldImageJson("{\"v\":{\"N\":\"1\"},\"v\":{\"N\":\"1\"}}")));
        assertMessage("Keys.id: duplicate key", reject(ChangeJson.insert().key("id", 1)
                .keysJson("{\"id\":{\"N\":\"1\"},\"id\":{\"S\":\"1\"}}")));
        assertMessage("(unknown field): duplicate key",
                reject(item().extraField("x", "1").extraField("y", "{\"a\":1,\"a\":2}")));
        assertMessage("(unknown field): duplicate key", reject(json.replace("{\"awsRegion\"", "{\"x\":1,\"x\":2,\"awsRegion\"")));
        assertMessage("userIdentity.(unknown field): duplicate key",
                reject(item().userIdentityJson("{\"a\":{\"b\":1,\"b\":1}}")));
        assertMessage("userIdentity.type: duplicate key",
                reject(item().userIdentityJson("{\"type\":\"a\",\"type\":\"a\"}")));
    }

    @Test
    void trailingContentIsRejectedButTrailingWhitespaceIsFine() throws Exception {
        String json = item().toJson();
        decode(json + " \n\t\r");
        decode("\uFEFF" + json);   // a UTF-8 byte-order mark is tolerated
        assertMessage("unexpected content after the JSON object", reject(json + "x"));
        assertMessage("unexpected content after the JSON object", reject(json + "{}"));
        assertMessage("unexpected content after the JSON object", reject(json + json));
        assertMessage("unexpected content after the JSON object", reject(json + "]"));
    }

    @Test
    void truncatedJsonIsRejected() {
        String json = item().set("v", map("a", list(1, 2))).toJson();
        for (int cut = 1; cut < json.length(); cut++) {
            String m = reject(json.substring(0, cut));
            assertFalse(m.isBlank());
        }
        assertTrue(reject(json.substring(0, json.length() - 1)).contains("truncated JSON"));
    }

    @Test
    void malformedJsonNamesTheOffsetNotTheContent() {
        String m = reject(item().set("v", "SECRET").toJson().replace("\"SECRET\"", "SECRET"));
        assertTrue(m.contains("NewImage.v: malformed JSON at byte "), m);
        assertFalse(m.contains("SECRET"), m);
    }

    @Test
    void invalidSequenceNumberIsRejected() {
        byte[] data = item().toBytes();
        for (String seq : new String[]{"", "12a", "1".repeat(129), "-1"}) {
            InvalidRecordException e = assertThrows(InvalidRecordException.class,
                    () -> decoder.decode(new IncomingRecord(seq, "", data, 0)));
            assertTrue(e.getMessage().contains("sequence number must be 1..128 decimal digits"), e.getMessage());
        }
    }

    @Test
    void emptyPayloadIsRejected() {
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> decoder.decode(new IncomingRecord(SEQ, "", new byte[0], 0)));
        assertEquals("record " + SEQ + ": empty payload", e.getMessage());
        assertMessage("the payload is not a JSON object", reject("   "));
    }

    // ------------------------------------------------------------------ numbers through the decoder

    @ParameterizedTest
    @ValueSource(strings = {"12345678901234567890123456789012345678", "-1234567890.1234567890123456789012345678",
            "1E+125", "1E-130", "-1E-130", "9.9999999999999999999999999999999999999E+125",
            "-9.9999999999999999999999999999999999999E+125", "0", "-0", "0.000", "0E+999", "100", "1e2",
            "1000000000000000000000000000000000000000000000000", "0.5", ".5", "5.", "+7"})
    void acceptedNumbersAreKeptExactly(String text) throws Exception {
        ChangeRecord r = decode(item().set("n", DynamoJson.n(text)));
        BigDecimal v = ((DynamoValue.Num) r.newImage().get("n")).value();
        assertEquals(new BigDecimal(text), v, text);
        assertEquals(new BigDecimal(text).scale(), v.scale(), "spelling (scale) kept for " + text);
    }

    @Test
    void thirtyEightDigitsKeptExactly() throws Exception {
        String digits = "98765432109876543210987654321098765432";
        ChangeRecord r = decode(item().set("n", DynamoJson.n(digits)).key("id", DynamoJson.n(digits)));
        assertEquals(digits, ((DynamoValue.Num) r.newImage().get("n")).value().toPlainString());
        assertEquals(38, ((DynamoValue.Num) r.keys().get("id")).value().precision());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "1E+126", "1E-131", "-1e400", "123456789012345678901234567890123456789",
            "NaN", "Infinity", "-Infinity", "", " 1", "1 ", "abc", "1e", "1e+", "--1", "0x10", "1.2.3", ".",
            "1,5", "\u0661", "1E5.5", "+", "e5"})
    void rejectedNumbers(String text) {
        String m = reject(item().set("n", DynamoJson.n(text)));
        assertTrue(m.startsWith("record " + SEQ + ": NewImage.n: "), m);
        assertTrue(m.contains("number"), m);
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void oneDecoderIsSharedSafelyBetweenThreads() throws Exception {
        List<ChangeJson> changes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            changes.add(ChangeJson.modify().key("id", i).set("v", map("n", i, "s", "x" + i, "l", list(i, i + 1)))
                    .old("v", i - 1).micros(1_000_000L + i));
        }
        KinesisRecords shard = new KinesisRecords();
        List<IncomingRecord> records = new ArrayList<>();
        List<Map<String, DynamoValue>> expected = new ArrayList<>();
        for (ChangeJson c : changes) {
            records.add(shard.next(c));
            expected.add(c.expectedNewImage());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int round = 0; round < 50; round++) {
                        for (int i = 0; i < records.size(); i++) {
                            ChangeRecord r = decoder.decode(records.get(i));
                            if (r.newImage().equals(expected.get(i))
                                    && r.version().micros() == 1_000_000L + i) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : results) {
                assertEquals(50 * records.size(), f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, DynamoValue> orderedMap(Object... kv) {
        Map<String, DynamoValue> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (DynamoValue) kv[i + 1]);
        }
        return m;
    }
}
