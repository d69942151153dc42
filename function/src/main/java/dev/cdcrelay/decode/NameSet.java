package dev.cdcrelay.decode;

import java.util.HashSet;

/**
 * Names seen in one JSON object, for duplicate detection where no map is built. Most objects have
 * a handful of names: those are compared in a small array; a hash set takes over beyond eight.
 */
final class NameSet {

    static final String DUPLICATE = "duplicate key";

    private static final int SMALL = 8;

    private String[] small = new String[SMALL];
    private int size;
    private HashSet<String> large;

    /** Adds {@code name} to {@code set} (created when null); a name already there is a duplicate. */
    static NameSet addTo(NameSet set, String name) {
        NameSet names = set == null ? new NameSet() : set;
        if (!names.add(name)) {
            throw DecodeFailure.of(DUPLICATE);
        }
        return names;
    }

    private boolean add(String name) {
        if (large != null) {
            return large.add(name);
        }
        for (int i = 0; i < size; i++) {
            if (small[i].equals(name)) {
                return false;
            }
        }
        if (size < small.length) {
            small[size++] = name;
            return true;
        }
        large = new HashSet<>(32);
        for (int i = 0; i < size; i++) {
            large.add(small[i]);
        }
        small = null;
        return large.add(name);
    }
}
