package dev.cdcrelay.plan;

import java.util.Objects;

/**
 * What the sink decided a sub-column of {@code data} holds: a {@link Kind}, or an array of a
 * column kind (arrays of arrays occur for lists of sets).
 */
public sealed interface ColumnKind permits ColumnKind.Kind, ColumnKind.ArrayOf {

    enum Kind implements ColumnKind {
        TEXT, INTEGRAL, FLOATING, BOOLEAN, OBJECT,
        /** A type the relay never creates itself (timestamp, geo_point, ...): left to the database. */
        OTHER
    }

    record ArrayOf(ColumnKind element) implements ColumnKind {
        public ArrayOf {
            Objects.requireNonNull(element, "element");
        }
    }

    /** The element kind when this is an array, else null. */
    static ColumnKind elementOf(ColumnKind kind) {
        return kind instanceof ArrayOf array ? array.element() : null;
    }
}
