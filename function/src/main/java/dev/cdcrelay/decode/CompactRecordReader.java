package dev.cdcrelay.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A second reader of change records, for the shape DynamoDB sends: compact JSON (no whitespace),
 * strings without escapes, unknown fields with scalar values only. It reads such a record straight
 * from the bytes, about twice as fast as jackson's tokens, and builds exactly the
 * {@link ChangeRecord} that {@link EnvelopeReader} builds.
 *
 * <p>It only ever accepts: anything it does not read itself (whitespace, an escape, an unknown
 * field holding an object, a number that is not a plain integer, ...) and anything that breaks a
 * rule (a duplicate key, a bad number, a missing part, ...) gives {@link Optional#empty()}, and
 * {@link ChangeDecoder} then reads the record with jackson and {@link EnvelopeReader}, which
 * decides and words every failure. So the rules and the messages live in one place; this class
 * repeats only what a valid record looks like, and the same helpers check its values
 * ({@link DynamoNumbers}, {@link Base64Text}, {@link AttributeMap.Builder}, {@link Envelope}).
 * The bytes are already strict UTF-8 ({@link PayloadCheck}), so a string is its bytes decoded.
 *
 * <p>Limits kept below jackson's: a string is at most {@value #MAX_STRING_BYTES} bytes (so at most
 * that many chars), a name at most {@value #MAX_NAME_BYTES} bytes, an integer at most 18 digits;
 * M/L levels are bounded by {@link ChangeDecoder#MAX_DOCUMENT_LEVELS}, which keeps the JSON depth
 * under jackson's limit.
 */
final class CompactRecordReader {

    private static final int MAX_STRING_BYTES = ChangeDecoder.MAX_STRING_CHARS;
    private static final int MAX_NAME_BYTES = 1024;
    private static final int MAX_INTEGER_DIGITS = 18;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long SPACES = 0x2020202020202020L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final int VALUE_SLOT_BITS = 9;

    /** Thrown to give up on a record; carries nothing, costs no stack trace. */
    private static final class NotCompact extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final NotCompact INSTANCE = new NotCompact();

        private NotCompact() {
            super(null, null, false, false);
        }
    }

    private static final byte[] INSERT = ascii("INSERT");
    private static final byte[] MODIFY = ascii("MODIFY");
    private static final byte[] REMOVE = ascii("REMOVE");
    private static final byte[] AWS_DYNAMODB = ascii("aws:dynamodb");
    private static final byte[] MICROSECOND = ascii("MICROSECOND");
    private static final byte[] MILLISECOND = ascii("MILLISECOND");

    /**
     * The names {@link #topField}, {@link #dynamodb} and {@link #isTtlIdentity} switch on, kept in
     * the name cache as these very instances ({@link NameCache#keep}); a name missing here is only
     * compared more slowly.
     */
    private static final String[] SWITCHED_NAMES = {"eventName", "eventID", "tableName", "awsRegion", "recordFormat",
        "eventSource", "userIdentity", "dynamodb", "Keys", "NewImage", "OldImage", "ApproximateCreationDateTime",
        "ApproximateCreationDateTimePrecision", "type", "principalId"};

    /** One per thread, used for one record after the other: its buffers are then made once. */
    private static final ThreadLocal<CompactRecordReader> PER_THREAD = ThreadLocal.withInitial(CompactRecordReader::new);

    private byte[] b;
    /** The payload being read is all ASCII ({@link #read}). */
    private boolean ascii;
    private final NameCache names = NameCache.forThisThread();
    /**
     * The builders of the maps and lists being read, by level ({@link #attributes}): a map or
     * list has its children one level below, so one of each per level is enough. Only the
     * finished map's or list's arrays are new.
     */
    private final AttributeMap.Builder[] maps = new AttributeMap.Builder[ChangeDecoder.MAX_DOCUMENT_LEVELS + 1];
    private final ValueBuffer[] lists = new ValueBuffer[ChangeDecoder.MAX_DOCUMENT_LEVELS + 1];
    /** The elements of a set being read (a set holds no lists or maps). */
    private final ValueBuffer setElements = new ValueBuffer();
    /**
     * Short S and N values by their text: records of one table repeat many (a status, a city, a
     * tag, a quantity). The same value object then serves every record, so a batch holds fewer
     * objects for the planner to load from memory; a miss costs one look-up.
     */
    private final ShortKeyTable<DynamoValue.Str> shortTexts = new ShortKeyTable<>(VALUE_SLOT_BITS);
    private final ShortKeyTable<DynamoValue.Num> shortNumbers = new ShortKeyTable<>(VALUE_SLOT_BITS);
    /** The key words of the string {@link #shortString} found last. */
    private long shortFirst;
    private long shortSecond;
    private int i;
    /** Where the string last read by {@link #skipString} starts. */
    private int stringStart;
    /** Chars of a number that is not plain (numbers are ASCII when valid); most records have none. */
    private char[] digits = new char[0];

    private CompactRecordReader() {
        for (String name : SWITCHED_NAMES) {
            names.keep(name);
        }
    }

    /**
     * The record, or empty when it is not in the compact shape or breaks a rule.
     *
     * @param ascii the payload is all ASCII: then no text of the record holds a char beyond
     *              Latin-1, and none holds one that JSON escapes (this reader takes no escapes, and
     *              a control char ends a string only as an error), so its NewImage says
     *              {@link AttributeMap#textsArePlain()}
     */
    static Optional<ChangeRecord> read(byte[] data, String seq, boolean ascii) {
        CompactRecordReader reader = PER_THREAD.get();
        reader.b = data;
        reader.i = 0;
        reader.ascii = ascii;
        try {
            return Optional.of(reader.record(seq));
        } catch (RuntimeException e) {
            // NotCompact, a rule (DecodeFailure), or the end of the bytes: jackson's reader decides.
            return Optional.empty();
        } finally {
            reader.b = null;
        }
    }

    /** The attributes of a {@link RawImage}'s bytes (all ASCII), which this reader checked before. */
    static AttributeMap image(byte[] json) {
        CompactRecordReader reader = again(json, 0);
        try {
            return reader.attributes(0, Build.VALUES).withPlainTexts();
        } catch (RuntimeException e) {
            throw notReadAgain();
        } finally {
            reader.b = null;
        }
    }

    /** The value object at {@code at} in a {@link RawImage}'s bytes (an attribute's), built. */
    static DynamoValue value(byte[] json, int at) {
        CompactRecordReader reader = again(json, at);
        try {
            return reader.value(0, Build.VALUES);
        } catch (RuntimeException e) {
            throw notReadAgain();
        } finally {
            reader.b = null;
        }
    }

    private static CompactRecordReader again(byte[] json, int at) {
        CompactRecordReader reader = PER_THREAD.get();
        if (reader.b != null) {
            reader = new CompactRecordReader();   // never while this thread reads a record; just in case
        }
        reader.b = json;
        reader.i = at;
        reader.ascii = true;
        return reader;
    }

    /** The bytes passed every check once: reading them again cannot fail but by a bug. No cause, no bytes: they are user data. */
    private static IllegalStateException notReadAgain() {
        return new IllegalStateException("an image the record's reader had checked could not be read again");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private ChangeRecord record(String seq) {
        expect('{');
        Envelope envelope = new Envelope();
        SeenFields seen = new SeenFields();
        if (!tryConsume('}')) {
            do {
                topField(readName(), envelope, seen);
            } while (tryConsume(','));
            expect('}');
        }
        if (i != b.length) {
            throw NotCompact.INSTANCE;
        }
        return envelope.toChangeRecord(seq);
    }

    private void topField(String name, Envelope envelope, SeenFields seen) {
        switch (name) {
            case "eventName" -> {
                seen.once(1);
                envelope.eventName = eventName();
            }
            case "eventID" -> {
                seen.once(2);
                envelope.eventId = readOptionalString();
            }
            case "tableName" -> {
                seen.once(4);
                // One table's records repeat its name: the name cache gives the same instance.
                envelope.tableName = tryLiteral("null") ? null : readCachedString();
            }
            case "awsRegion" -> {
                seen.once(8);
                skipOptionalString();
            }
            case "recordFormat" -> {
                seen.once(16);
                skipOptionalString();
            }
            case "eventSource" -> {
                seen.once(32);
                if (!tryLiteral("null")) {
                    skipString();
                    if (!stringIs(AWS_DYNAMODB)) {
                        throw NotCompact.INSTANCE;
                    }
                }
            }
            case "userIdentity" -> {
                seen.once(64);
                envelope.ttlIdentity = isTtlIdentity();
            }
            case "dynamodb" -> {
                seen.once(128);
                dynamodb(envelope);
            }
            default -> {
                seen.skipUnknownScalar(name);
                skipScalar();
            }
        }
    }

    private void dynamodb(Envelope envelope) {
        expect('{');
        envelope.hasDynamodb = true;
        SeenFields seen = new SeenFields();
        if (tryConsume('}')) {
            return;
        }
        do {
            String name = readName();
            switch (name) {
                case "Keys" -> {
                    seen.once(1);
                    envelope.keys = keys(attributes(0, Build.VALUES));
                }
                case "NewImage" -> {
                    seen.once(2);
                    if (ascii) {
                        // Checked as it is read, built only if asked for as a map (RawImage): the
                        // planner writes most attributes straight from these bytes.
                        int start = i;
                        attributes(0, Build.NOTHING);
                        envelope.newImage = new RawImage(Arrays.copyOfRange(b, start, i));
                    } else {
                        // Its texts' bytes are not their chars: planned from the tree.
                        envelope.newImage = attributes(0, Build.VALUES);
                    }
                }
                case "OldImage" -> {
                    seen.once(4);
                    // Checked like every image, then dropped: nothing of it is built. Kinesis
                    // sends one with every MODIFY, so this is up to half of what a MODIFY holds.
                    attributes(0, Build.NOTHING);
                }
                case "ApproximateCreationDateTime" -> {
                    seen.once(8);
                    envelope.time = readNonNegativeInteger();
                    envelope.hasTime = true;
                }
                case "ApproximateCreationDateTimePrecision" -> {
                    seen.once(16);
                    envelope.inMicros = isMicros();
                }
                default -> {
                    seen.skipUnknownScalar(name);
                    skipScalar();
                }
            }
        } while (tryConsume(','));
        expect('}');
    }

    private static Map<String, DynamoValue> keys(AttributeMap keys) {
        for (int i = 0, n = keys.size(); i < n; i++) {
            DynamoValue v = keys.valueAt(i);
            if (!(v instanceof DynamoValue.Str || v instanceof DynamoValue.Num || v instanceof DynamoValue.Bin)) {
                throw NotCompact.INSTANCE;
            }
        }
        return keys;
    }

    private boolean isMicros() {
        if (tryLiteral("null")) {
            return false;
        }
        skipString();
        if (stringIs(MICROSECOND)) {
            return true;
        }
        if (stringIs(MILLISECOND)) {
            return false;
        }
        throw NotCompact.INSTANCE;
    }

    private boolean isTtlIdentity() {
        if (tryLiteral("null")) {
            return false;
        }
        expect('{');
        String type = null;
        String principal = null;
        SeenFields seen = new SeenFields();
        if (!tryConsume('}')) {
            do {
                String field = readName();
                switch (field) {
                    case "type" -> {
                        seen.once(1);
                        type = readOptionalString();
                    }
                    case "principalId" -> {
                        seen.once(2);
                        principal = readOptionalString();
                    }
                    default -> {
                        seen.skipUnknownScalar(field);
                        skipScalar();
                    }
                }
            } while (tryConsume(','));
            expect('}');
        }
        return "Service".equals(type) && "dynamodb.amazonaws.com".equals(principal);
    }

    private EventName eventName() {
        skipString();
        if (stringIs(INSERT)) {
            return EventName.INSERT;
        }
        if (stringIs(MODIFY)) {
            return EventName.MODIFY;
        }
        if (stringIs(REMOVE)) {
            return EventName.REMOVE;
        }
        throw NotCompact.INSTANCE;
    }

    /**
     * Whether a value read is built, or only checked: an OldImage is checked by the same rules as
     * every image (the same methods read it) but none of its texts, string sets, maps or lists is
     * made (numbers, binaries and their sets still are: their checks make them).
     */
    private enum Build { VALUES, NOTHING }

    /**
     * An object of attributes; {@code level} is the number of M/L levels around it. With
     * {@link Build#NOTHING}, the names still go through the builder (it finds duplicates), and
     * null is returned.
     */
    private AttributeMap attributes(int level, Build build) {
        expect('{');
        AttributeMap.Builder built = maps[level];
        if (built == null) {
            built = new AttributeMap.Builder();
            maps[level] = built;
        }
        built.clear();   // a record given up on may have left attributes in it
        if (!tryConsume('}')) {
            do {
                String name = readName();
                if (name.isEmpty()) {
                    throw NotCompact.INSTANCE;
                }
                DynamoValue v = value(level, build);
                built.add(name, build == Build.VALUES ? v : DynamoValue.Null.INSTANCE);
            } while (tryConsume(','));
            expect('}');
        }
        if (build == Build.NOTHING) {
            built.clear();
            return null;
        }
        return built.buildCopy();
    }

    /** One attribute value object, e.g. {@code {"N":"1.5"}}; null when nothing is built. */
    private DynamoValue value(int level, Build build) {
        expect('{');
        expect('"');
        DynamoValue v = typed(level, build);
        expect('}');
        return v;
    }

    /** The type key (its opening quote already read) and its value; null when nothing is built. */
    private DynamoValue typed(int level, Build build) {
        int start = i;
        // Type keys are one or two bytes (S, N, M, L, SS, ...) before BOOL and NULL: their closing
        // quote is looked for there first. A key taken this way is accepted below only if its bytes
        // are those letters, so a quote or backslash inside it is never skipped.
        int end = b[start + 1] == '"' ? start + 1 : b[start + 2] == '"' ? start + 2 : nameEnd();
        int length = end - start;
        i = end + 1;
        expect(':');
        byte t0 = b[start];
        boolean keep = build == Build.VALUES;
        if (length == 1) {
            switch (t0) {
                case 'S':
                    if (keep) {
                        return readStr();
                    }
                    skipString();
                    return null;
                case 'N':
                    return readNum();   // short numbers come from the table: checking is the look-up
                case 'B':
                    return new DynamoValue.Bin(readBase64());
                case 'M':
                    AttributeMap fields = attributes(deeper(level), build);
                    return keep ? new DynamoValue.MapValue(fields) : null;
                case 'L':
                    return list(deeper(level), build);
                default:
                    throw NotCompact.INSTANCE;
            }
        }
        if (length == 2 && b[start + 1] == 'S') {
            switch (t0) {
                case 'S':
                    if (!keep) {
                        skipStrings();
                        return null;
                    }
                    return new DynamoValue.StrSet(strings());
                case 'N':
                    return new DynamoValue.NumSet(numbers());
                case 'B':
                    return new DynamoValue.BinSet(binaries());
                default:
                    throw NotCompact.INSTANCE;
            }
        }
        if (length == 4 && t0 == 'B' && b[start + 1] == 'O' && b[start + 2] == 'O' && b[start + 3] == 'L') {
            if (tryLiteral("true")) {
                return DynamoValue.Bool.TRUE;
            }
            if (tryLiteral("false")) {
                return DynamoValue.Bool.FALSE;
            }
            throw NotCompact.INSTANCE;
        }
        if (length == 4 && t0 == 'N' && b[start + 1] == 'U' && b[start + 2] == 'L' && b[start + 3] == 'L'
                && tryLiteral("true")) {
            return DynamoValue.Null.INSTANCE;
        }
        throw NotCompact.INSTANCE;
    }

    private static int deeper(int level) {
        if (level >= ChangeDecoder.MAX_DOCUMENT_LEVELS) {
            throw NotCompact.INSTANCE;
        }
        return level + 1;
    }

    private DynamoValue list(int inner, Build build) {
        expect('[');
        if (build == Build.NOTHING) {
            if (!tryConsume(']')) {
                do {
                    value(inner, build);
                } while (tryConsume(','));
                expect(']');
            }
            return null;
        }
        ValueBuffer elements = lists[inner];
        if (elements == null) {
            elements = new ValueBuffer();
            lists[inner] = elements;
        }
        elements.clear();
        if (!tryConsume(']')) {
            do {
                elements.add(value(inner, build));
            } while (tryConsume(','));
            expect(']');
        }
        return new DynamoValue.ListValue(elements.toList());
    }

    private List<String> strings() {
        expect('[');
        setElements.clear();
        do {
            setElements.add(readStr().value());
        } while (tryConsume(','));
        expect(']');
        return setElements.toList();
    }

    /** As {@link #strings}, checked only. */
    private void skipStrings() {
        expect('[');
        do {
            skipString();
        } while (tryConsume(','));
        expect(']');
    }

    private List<BigDecimal> numbers() {
        expect('[');
        setElements.clear();
        do {
            setElements.add(readNum().value());
        } while (tryConsume(','));
        expect(']');
        return setElements.toList();
    }

    private List<String> binaries() {
        expect('[');
        setElements.clear();
        do {
            setElements.add(readBase64());
        } while (tryConsume(','));
        expect(']');
        return setElements.toList();
    }

    /** An N value; a short one through {@link #shortNumbers}. */
    private DynamoValue.Num readNum() {
        expect('"');
        int start = i;
        int length = shortString();
        if (length < 0) {
            int end = stringEnd();
            i = end + 1;
            return new DynamoValue.Num(number(start, end));
        }
        i = start + length + 1;
        int slot = shortNumbers.slot(shortFirst, shortSecond);
        DynamoValue.Num n = shortNumbers.get(slot, shortFirst, shortSecond);
        if (n == null) {
            // Checked by the rules before it is kept: a text in the table is a valid number.
            n = new DynamoValue.Num(number(start, start + length));
            shortNumbers.put(slot, shortFirst, shortSecond, n);
        }
        return n;
    }

    /** An S value; a short one through {@link #shortTexts}. */
    private DynamoValue.Str readStr() {
        expect('"');
        int start = i;
        int length = shortString();
        if (length < 0) {
            int end = stringEnd();
            i = end + 1;
            return new DynamoValue.Str(text(start, end));
        }
        i = start + length + 1;
        int slot = shortTexts.slot(shortFirst, shortSecond);
        DynamoValue.Str s = shortTexts.get(slot, shortFirst, shortSecond);
        if (s == null) {
            s = new DynamoValue.Str(text(start, start + length));
            shortTexts.put(slot, shortFirst, shortSecond, s);
        }
        return s;
    }

    /** The number spelled by {@code b[start, end)}, checked by {@link DynamoNumbers}. */
    private BigDecimal number(int start, int end) {
        if (end - start > digits.length) {
            digits = new char[Math.max(48, end - start)];
        }
        return DynamoNumbers.parseAscii(b, start, end, digits);
    }

    private String readBase64() {
        String text = readString();
        if (Base64Text.problem(text) != null) {
            throw NotCompact.INSTANCE;
        }
        return text;
    }

    private String readName() {
        expect('"');
        int start = i;
        int length = shortString();
        if (length >= 0) {
            i = start + length + 1;
            expect(':');
            return names.shortName(shortFirst, shortSecond, b, start, length);
        }
        int end = nameEnd();
        i = end + 1;
        expect(':');
        return names.name(b, start, end);
    }

    /** A string value that repeats from record to record (the table's name), through the name cache. */
    private String readCachedString() {
        expect('"');
        int start = i;
        int end = stringEnd();
        i = end + 1;
        return names.name(b, start, end);
    }

    /** The end quote of a name starting at {@link #i}. */
    private int nameEnd() {
        int end = stringEnd();
        if (end - i > MAX_NAME_BYTES) {
            throw NotCompact.INSTANCE;
        }
        return end;
    }

    private String readString() {
        expect('"');
        int start = i;
        int end = stringEnd();
        i = end + 1;
        return text(start, end);
    }

    private String readOptionalString() {
        return tryLiteral("null") ? null : readString();
    }

    /**
     * Reads past a string, checked as {@link #readString} checks it, without making a
     * {@code String}: its bytes are then {@code b[stringStart, i - 1)}.
     */
    private void skipString() {
        expect('"');
        stringStart = i;
        i = stringEnd() + 1;
    }

    private void skipOptionalString() {
        if (!tryLiteral("null")) {
            skipString();
        }
    }

    /**
     * Whether the string {@link #skipString} read is {@code ascii}: the bytes are strict UTF-8,
     * so equal bytes are equal strings.
     */
    private boolean stringIs(byte[] ascii) {
        return Arrays.equals(b, stringStart, i - 1, ascii, 0, ascii.length);
    }

    /**
     * The length of the string whose first byte is at {@link #i} if it is shorter than
     * {@value ShortKeyTable#MAX_KEY_BYTES} bytes, found in the two words that are also its key in a
     * {@link ShortKeyTable} (left in {@link #shortFirst} and {@link #shortSecond}); -1 if it is
     * longer, or too near the end of the bytes to read two words. {@link #i} stays.
     */
    private int shortString() {
        int start = i;
        if (start + ShortKeyTable.MAX_KEY_BYTES > b.length) {
            return -1;
        }
        long first = (long) LONGS.get(b, start);
        long flags = special(first);
        if (flags != 0) {
            int length = firstFlagged(flags);
            closingQuote(start + length);
            shortFirst = ShortKeyTable.firstWord(first, length);
            shortSecond = 0;
            return length;
        }
        long second = (long) LONGS.get(b, start + Long.BYTES);
        flags = special(second);
        if (flags != 0) {
            int length = Long.BYTES + firstFlagged(flags);
            closingQuote(start + length);
            shortFirst = first;
            shortSecond = ShortKeyTable.secondWord(second, length);
            return length;
        }
        return -1;
    }

    /** Index of the closing quote of the string whose first byte is at {@link #i}; no escapes. */
    private int stringEnd() {
        final byte[] bytes = b;
        int k = i;
        // Eight bytes at a time: the lowest flagged byte is the first quote, backslash or control char.
        while (k + 8 <= bytes.length) {
            long flags = special((long) LONGS.get(bytes, k));
            if (flags != 0) {
                k += firstFlagged(flags);
                return closingQuote(k);
            }
            k += 8;
        }
        while (true) {
            byte c = bytes[k];
            if (c == '"' || c == '\\' || (c >= 0 && c < 0x20)) {
                return closingQuote(k);
            }
            k++;
        }
    }

    /** {@code k} is the first special byte of a string: it must be its closing quote. */
    private int closingQuote(int k) {
        if (b[k] != '"' || k - i > MAX_STRING_BYTES) {
            throw NotCompact.INSTANCE;
        }
        return k;
    }

    /**
     * The high bit of each byte of {@code x} (little-endian) that is {@code "}, {@code \\} or below
     * 0x20 (bytes from 0x80 are UTF-8 and fine). A byte is zero after XOR with the char it equals;
     * {@code (v - 0x01..) & ~v} flags a zero byte, {@code (x - 0x20..) & ~x} a byte below 0x20. A
     * borrow can only flag bytes above a truly flagged one, so the lowest flag is exact.
     */
    private static long special(long x) {
        long quote = x ^ 0x2222222222222222L;
        long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
        return (((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((x - SPACES) & ~x)) & HIGH_BITS;
    }

    /**
     * The index of the lowest flagged byte of {@link #special}'s non-zero result, which is
     * {@code Long.numberOfTrailingZeros(flags) >>> 3}. C1, the image's compiler, does not make that
     * one instruction but calls Integer's twice (3 % of a nested item's samples): here the lowest
     * flag, moved to bit 8k, times a constant whose byte 7 - k is k, leaves k in the top byte.
     */
    static int firstFlagged(long flags) {
        return (int) ((((flags & -flags) >>> 7) * 0x0001020304050607L) >>> 56);
    }

    private String text(int start, int end) {
        // ASCII is Latin-1: the JDK then copies the bytes without looking for multi-byte
        // sequences (with C1, the image's compiler, that look was 2.7 % of a nested item).
        return new String(b, start, end - start, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /** A string, null, true, false or a plain integer (an unknown field's value). */
    private void skipScalar() {
        byte c = b[i];
        if (c == '"') {
            readString();
        } else if (c == 'n' ? tryLiteral("null") : c == 't' ? tryLiteral("true") : c == 'f' && tryLiteral("false")) {
            return;
        } else {
            readNonNegativeInteger();
        }
    }

    /** {@code 0} or {@code [1-9][0-9]*}, at most 18 digits, ended by a delimiter. */
    private long readNonNegativeInteger() {
        int start = i;
        long value = 0;
        while (b[i] >= '0' && b[i] <= '9') {
            value = value * 10 + (b[i] - '0');
            i++;
        }
        int count = i - start;
        if (count == 0 || count > MAX_INTEGER_DIGITS || (count > 1 && b[start] == '0') || !atDelimiter()) {
            throw NotCompact.INSTANCE;
        }
        return value;
    }

    private boolean tryLiteral(String literal) {
        int n = literal.length();
        for (int k = 0; k < n; k++) {
            if (b[i + k] != literal.charAt(k)) {
                return false;
            }
        }
        i += n;
        if (!atDelimiter()) {
            throw NotCompact.INSTANCE;
        }
        return true;
    }

    private boolean atDelimiter() {
        byte c = b[i];
        return c == ',' || c == '}' || c == ']';
    }

    private void expect(char c) {
        if (b[i] != c) {
            throw NotCompact.INSTANCE;
        }
        i++;
    }

    private boolean tryConsume(char c) {
        if (b[i] == c) {
            i++;
            return true;
        }
        return false;
    }

    /** The elements of the list or set being read; only the finished list's array is new. */
    private static final class ValueBuffer {
        private static final int INITIAL = 16;
        /** A buffer grown beyond this (a very long list) is not kept for the records after it. */
        private static final int MAX_KEPT = 4096;

        private Object[] items = new Object[INITIAL];
        private int size;

        void add(Object item) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = item;
        }

        /** The elements as an unmodifiable list of their own; the buffer is then empty. */
        <E> List<E> toList() {
            List<E> list = new FixedList<>(Arrays.copyOf(items, size));
            clear();
            return list;
        }

        /** Empty again; as with {@link AttributeMap.Builder#clear()}, old elements stay until overwritten. */
        void clear() {
            if (items.length > MAX_KEPT) {
                items = new Object[INITIAL];
            }
            size = 0;
        }
    }
}
