package dev.cdcrelay.plan;

import dev.cdcrelay.decode.AttributeMap;
import dev.cdcrelay.decode.ChangeRecord;
import dev.cdcrelay.decode.DynamoValue;
import dev.cdcrelay.decode.EventName;
import dev.cdcrelay.decode.ImageReader;
import dev.cdcrelay.decode.RawImage;

import java.util.List;

/**
 * Turns a change into the row the sink stores: a pure function of the change, the key schema,
 * the declared types and what the sink already knows about its column types.
 *
 * <p>Two document modes:
 * <ul>
 *   <li>{@link Mode#EXACT_JSON} (PostgreSQL jsonb): every attribute in {@code data}, numbers as
 *       written by DynamoDB; jsonb keeps them exactly.</li>
 *   <li>{@link Mode#CRATEDB_SAFE}: CrateDB types a dynamic sub-column from the first value and then
 *       silently truncates (1 then 1.5 stores 1) or rejects other types. So numbers go out as
 *       doubles unless the column is integral or declared otherwise; a number a double cannot hold
 *       exactly keeps an exact text copy in {@code aux.exact}; an attribute that cannot be stored
 *       safely in {@code data} (mixed list, type drift, name CrateDB refuses, text over its index
 *       limit, nesting too deep) goes whole to {@code aux.attributes}. Nothing is dropped.</li>
 * </ul>
 * The rules live in {@link CrateDbColumnRules}, the writing in {@link DocumentWriter} (and in
 * {@link RawDocumentWriter}, straight from an image's bytes where the columns are known), aux in
 * {@link AuxDocument}.
 */
public final class RowPlanner {

    public enum Mode { EXACT_JSON, CRATEDB_SAFE }

    /** Where {@link #planSafe} lets attributes go. */
    private enum Placement {
        /** Into {@code data} when they fit CrateDB's rules, else into {@code aux}. */
        BY_RULES,
        /** All into {@code aux} (the last resort after a rejected row). */
        ALL_TO_AUX
    }

    private static final int MIN_DATA_CAPACITY = 256;
    /** One very large item must not keep a buffer this large for every later row. */
    private static final int MAX_DATA_CAPACITY = 64 * 1024;
    /**
     * The text of {@code data}, written again for every row a thread plans: a batch is planned
     * after all of it was decoded, and a fresh buffer per row (~2 KB for the nested item) was
     * memory the CPU's caches had to take in on top of the decoded records. Only the finished
     * String is new per row.
     */
    private static final ThreadLocal<JsonText> DATA_TEXT =
            ThreadLocal.withInitial(() -> new JsonText(MIN_DATA_CAPACITY));

    private final KeySchema keySchema;
    private final DeclaredTypes declared;
    private final Mode mode;
    /** No attribute has a declared type (the usual case): no look-up per attribute. */
    private final boolean noneDeclared;

    public RowPlanner(KeySchema keySchema, DeclaredTypes declared, Mode mode) {
        this.keySchema = keySchema;
        this.declared = declared;
        this.mode = mode;
        this.noneDeclared = declared.byAttribute().isEmpty();
    }

    /**
     * Plans one change. New sub-column kinds introduced by this row are recorded in {@code kinds},
     * so a later row of the same batch is checked against them, as CrateDB will.
     *
     * @throws IllegalArgumentException when the record's key does not fit the key schema
     */
    public PlannedRow plan(ChangeRecord change, ColumnKinds kinds) {
        List<Object> keyValues = keySchema.bindValues(change.keys());
        String version = change.version().sortKey();
        if (change.eventName() == EventName.REMOVE) {
            return new PlannedRow.Delete(change.itemKey(), change, keyValues, version);
        }
        return mode == Mode.EXACT_JSON
                ? planExact(change, keyValues, version)
                : planSafe(change, keyValues, version, kinds, Placement.BY_RULES);
    }

    /**
     * The last resort after the sink rejected the planned row: every attribute in {@code aux},
     * {@code data} empty. Still the whole image, still exact.
     */
    public PlannedRow planAllInAux(ChangeRecord change) {
        List<Object> keyValues = keySchema.bindValues(change.keys());
        String version = change.version().sortKey();
        if (change.eventName() == EventName.REMOVE) {
            return new PlannedRow.Delete(change.itemKey(), change, keyValues, version);
        }
        return planSafe(change, keyValues, version, new ColumnKinds(), Placement.ALL_TO_AUX);
    }

    private PlannedRow planExact(ChangeRecord change, List<Object> keyValues, String version) {
        JsonText data = dataText();
        data.writeStartObject();
        if (change.newImage() instanceof RawImage raw) {
            data.textsArePlain(true);
            ImageReader r = raw.reader();
            r.startObject();
            while (r.hasNext()) {
                data.writeFieldName(r.name());
                RawDocumentWriter.writeExact(data, r);
            }
        } else {
            AttributeMap image = AttributeMap.of(change.newImage());
            data.textsArePlain(image.textsArePlain());
            for (int i = 0, n = image.size(); i < n; i++) {
                data.writeFieldName(image.nameAt(i));
                DocumentWriter.writeExact(data, image.valueAt(i), DocumentWriter.Numbers.AS_WRITTEN);
            }
        }
        data.writeEndObject();
        return new PlannedRow.Upsert(change.itemKey(), change, keyValues, keySchema.toJson(keyValues), data.toString(),
                "{}", version, 0, 0);
    }

    private PlannedRow planSafe(ChangeRecord change, List<Object> keyValues, String version, ColumnKinds kinds,
                                Placement placement) {
        JsonText data = dataText();
        AuxDocument aux = new AuxDocument();
        DocumentWriter writer = new DocumentWriter(kinds, aux);
        data.writeStartObject();
        if (change.newImage() instanceof RawImage raw && placement == Placement.BY_RULES && noneDeclared) {
            // A table's steady state straight from the bytes; an attribute that is not is built, and
            // decided as below.
            data.textsArePlain(true);
            RawDocumentWriter fromBytes = new RawDocumentWriter(kinds);
            ImageReader r = raw.reader();
            r.startObject();
            while (r.hasNext()) {
                String name = r.name();
                if (!fromBytes.tryWrite(data, name, r)) {
                    place(writer, data, kinds, aux, name, r.value(), placement);
                }
            }
        } else {
            AttributeMap image = AttributeMap.of(change.newImage());
            // Only the image's own texts and numbers' spellings go into data: its verdict holds there.
            data.textsArePlain(image.textsArePlain());
            for (int i = 0, n = image.size(); i < n; i++) {
                place(writer, data, kinds, aux, image.nameAt(i), image.valueAt(i), placement);
            }
        }
        data.writeEndObject();
        return new PlannedRow.Upsert(change.itemKey(), change, keyValues, keySchema.toJson(keyValues), data.toString(),
                aux.json(), version, aux.divertedCount(), aux.exactCount());
    }

    /** One attribute into {@code data} if {@code placement} and the rules let it, else into {@code aux}. */
    private void place(DocumentWriter writer, JsonText data, ColumnKinds kinds, AuxDocument aux, String name,
                       DynamoValue value, Placement placement) {
        if (placement == Placement.ALL_TO_AUX || !intoData(writer, data, kinds, name, value)) {
            DocumentWriter.writeExact(aux.divert(name), value, DocumentWriter.Numbers.CRATEDB_SAFE);
        }
    }

    private static JsonText dataText() {
        JsonText text = DATA_TEXT.get();
        text.clear(MIN_DATA_CAPACITY, MAX_DATA_CAPACITY);
        return text;
    }

    /**
     * Writes the attribute into {@code data} if it fits its declared type, or else CrateDB's rules
     * for a dynamic column. Those are checked in the walk that writes the value; near the column
     * limit that walk cannot tell, and the rules' own walk decides first.
     */
    private boolean intoData(DocumentWriter writer, JsonText data, ColumnKinds kinds, String name, DynamoValue value) {
        DeclaredTypes.DeclaredType type = noneDeclared ? null : declared.get(name);
        if (type != null) {
            if (!CrateDbColumnRules.fitsDeclared(type, value)) {
                return false;
            }
            data.writeFieldName(name);
            writer.writeDeclared(data, type, value, name);
            return true;
        }
        DocumentWriter.Outcome outcome = writer.tryWriteSafe(data, name, value);
        if (outcome == DocumentWriter.Outcome.UNDECIDED && fits(kinds, name, value)) {
            writer.writeSafe(data, name, value);
            return true;
        }
        return outcome == DocumentWriter.Outcome.WRITTEN;
    }

    /** The rules' verdict; the sub-columns it made for an attribute that does not fit are undone. */
    private static boolean fits(ColumnKinds kinds, String name, DynamoValue value) {
        int mark = kinds.mark();
        boolean fits = CrateDbColumnRules.fits(kinds, name, value);
        if (fits) {
            kinds.keep(mark);
        } else {
            kinds.rollback(mark);
        }
        return fits;
    }
}
