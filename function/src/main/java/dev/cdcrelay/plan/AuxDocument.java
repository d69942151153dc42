package dev.cdcrelay.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The {@code aux} column of one row: {@code attributes} holds whole attributes that cannot go
 * into {@code data} safely, {@code exact} the exact text of numbers {@code data} holds only as
 * doubles. Both are written only when needed: most rows have neither.
 */
final class AuxDocument {

    private final LazyJsonObject diverted = new LazyJsonObject();
    private final LazyJsonObject exact = new LazyJsonObject();

    /** The generator, positioned to write the value of diverted attribute {@code name}. */
    JsonGenerator divert(String name) throws IOException {
        return diverted.field(name);
    }

    /** Keeps the exact text of a number written to {@code data} as an inexact double. */
    void exactCopy(String where, String exactText) throws IOException {
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

    /** A JSON object built field by field whose generator exists only once a field is added. */
    private static final class LazyJsonObject {
        private static final JsonFactory JSON = JsonFactory.builder().build();

        private StringWriter out;
        private JsonGenerator generator;
        int count;

        /** The generator, positioned to write the value of a new field. */
        JsonGenerator field(String name) throws IOException {
            if (generator == null) {
                out = new StringWriter(64);
                generator = JSON.createGenerator(out);
                generator.writeStartObject();
            }
            generator.writeFieldName(name);
            count++;
            return generator;
        }

        String json() {
            if (generator == null) {
                return "{}";
            }
            try {
                generator.writeEndObject();
                generator.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString();
        }
    }
}
