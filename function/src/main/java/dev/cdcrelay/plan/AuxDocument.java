package dev.cdcrelay.plan;

/**
 * The {@code aux} column of one row: {@code attributes} holds whole attributes that cannot go
 * into {@code data} safely, {@code exact} the exact text of numbers {@code data} holds only as
 * doubles. Both are written only when needed: most rows have neither.
 */
final class AuxDocument {

    private final LazyJsonObject diverted = new LazyJsonObject();
    private final LazyJsonObject exact = new LazyJsonObject();

    /** The generator, positioned to write the value of diverted attribute {@code name}. */
    JsonText divert(String name) {
        return diverted.field(name);
    }

    /** Keeps the exact text of a number written to {@code data} as an inexact double. */
    void exactCopy(String where, String exactText) {
        exact.field(where).writeString(exactText);
    }

    int divertedCount() {
        return diverted.count;
    }

    int exactCount() {
        return exact.count;
    }

    /** The finished {@code aux} object ({@code {}} when empty). */
    String json() {
        if (diverted.count == 0 && exact.count == 0) {
            return "{}";
        }
        String attributes = diverted.json();
        StringBuilder sb = new StringBuilder(attributes.length() + 64);
        sb.append('{');
        if (diverted.count > 0) {
            sb.append("\"attributes\":").append(attributes);
        }
        if (exact.count > 0) {
            if (diverted.count > 0) {
                sb.append(',');
            }
            sb.append("\"exact\":").append(exact.json());
        }
        return sb.append('}').toString();
    }

    /** A JSON object built field by field whose buffer exists only once a field is added. */
    private static final class LazyJsonObject {
        private JsonText text;
        int count;

        /** The generator, positioned to write the value of a new field. */
        JsonText field(String name) {
            if (text == null) {
                text = new JsonText(64);
                text.writeStartObject();
            }
            text.writeFieldName(name);
            count++;
            return text;
        }

        String json() {
            if (text == null) {
                return "{}";
            }
            text.writeEndObject();
            return text.toString();
        }
    }
}
