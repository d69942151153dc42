package dev.cdcrelay.write;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compares a table found in place with the layout the writer relies on. A table that has all but
 * the addable columns (the reference tooling's {@code pk}/{@code data}/{@code aux} without
 * {@code version}) can be adopted; any other difference is a {@link SinkFault}, never a record's.
 */
public final class LayoutCheck {

    /** What the comparison came to. */
    public sealed interface Verdict {
        /** The table is as the writer needs it. */
        record Fits() implements Verdict {
        }

        /** Everything is there but columns the relay may add in place. */
        record LacksAddable(List<ExpectedLayout.ExpectedColumn> missing) implements Verdict {
        }

        /** Anything else: one line per difference. */
        record Differs(List<String> differences) implements Verdict {
        }
    }

    private LayoutCheck() {
    }

    public static Verdict check(TableLayout found, ExpectedLayout expected) {
        List<String> differences = new ArrayList<>();
        List<ExpectedLayout.ExpectedColumn> addable = new ArrayList<>();
        for (ExpectedLayout.ExpectedColumn want : expected.columns()) {
            Optional<TableLayout.Column> have = found.column(want.name());
            int bracket = want.name().indexOf('[');
            if (have.isEmpty() && bracket > 0 && found.column(want.name().substring(0, bracket)).isEmpty()) {
                continue; // the object itself is missing: said once, for the object
            }
            if (have.isEmpty()) {
                if (want.addable()) {
                    addable.add(want);
                } else {
                    differences.add("no column " + want.name() + " (expected " + want.declaration() + ")");
                }
            } else if (!want.types().contains(have.get().dataType())) {
                differences.add("column " + want.name() + " is " + have.get().dataType().toUpperCase()
                        + " (expected " + want.declaration() + ")");
            }
        }
        if (!sorted(found.primaryKey()).equals(sorted(expected.primaryKey()))) {
            differences.add("primary key is " + keyText(found.primaryKey()) + " (expected "
                    + keyText(expected.primaryKey()) + ")");
        }
        List<String> known = expected.columns().stream().map(ExpectedLayout.ExpectedColumn::name).toList();
        for (TableLayout.Column c : found.columns().values()) {
            int bracket = c.name().indexOf('[');
            if (bracket > 0 && expected.closedObjects().contains(c.name().substring(0, bracket))
                    && !known.contains(c.name())) {
                String object = c.name().substring(0, bracket + 1);
                differences.add("column " + c.name() + " is not a key attribute (the key is " + known.stream()
                        .filter(n -> n.startsWith(object)).toList() + ")");
                continue;
            }
            boolean ours = known.contains(c.name()) || isBelowOurObject(c.name(), known);
            if (!ours && !c.nullable() && !c.hasDefault()) {
                differences.add("column " + c.name() + " is NOT NULL without a default, and the relay never writes it");
            }
        }
        if (!differences.isEmpty()) {
            return new Verdict.Differs(List.copyOf(differences));
        }
        return addable.isEmpty() ? new Verdict.Fits() : new Verdict.LacksAddable(List.copyOf(addable));
    }

    /** {@code data['temperature']} belongs to {@code data}: sub-columns of our objects are the items' attributes. */
    private static boolean isBelowOurObject(String name, List<String> known) {
        int bracket = name.indexOf('[');
        return bracket > 0 && known.contains(name.substring(0, bracket));
    }

    private static List<String> sorted(List<String> names) {
        List<String> copy = new ArrayList<>(names);
        copy.sort(null);
        return copy;
    }

    private static String keyText(List<String> key) {
        return key.isEmpty() ? "missing" : "(" + String.join(", ", key) + ")";
    }

    /** A short picture of the top-level columns found, for the error message. */
    public static String describe(TableLayout found) {
        List<String> parts = new ArrayList<>();
        for (TableLayout.Column c : found.columns().values()) {
            if (c.name().indexOf('[') < 0) {
                parts.add(c.name() + " " + c.dataType().toUpperCase());
            }
        }
        return "(" + String.join(", ", parts) + ")" + (found.primaryKey().isEmpty() ? ""
                : " primary key (" + String.join(", ", found.primaryKey()) + ")");
    }
}
