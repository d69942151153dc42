package dev.cdcrelay.decode;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The attributes of an item or an M value: unmodifiable, in the record's order, held as an array
 * of names beside an array of values. Cheaper to build and to walk than an unmodifiable
 * LinkedHashMap (no hash per name unless the map is large, no object per attribute); names are
 * looked up by a scan up to {@value #SCANNED} entries, by a hash index beyond. The relay's own
 * walks go by index ({@link #nameAt}, {@link #valueAt}); {@link #entrySet()} makes an entry per
 * step, for every other reader of a {@code Map}.
 */
public final class AttributeMap extends AbstractMap<String, DynamoValue> {

    private static final int SCANNED = 8;
    private static final String[] NO_NAMES = new String[0];
    private static final DynamoValue[] NO_VALUES = new DynamoValue[0];
    private static final AttributeMap EMPTY = new AttributeMap(NO_NAMES, NO_VALUES);

    /**
     * Names and values side by side, not as entry objects: a decoded batch is planned after all of
     * it was decoded, when its objects are no longer in the CPU's caches, and every object on the
     * way to a value is one more load that misses.
     */
    private final String[] names;
    private final DynamoValue[] values;
    private final HashMap<String, Integer> index;
    /** See {@link #textsArePlain()}. */
    private final boolean plainTexts;

    private AttributeMap(String[] names, DynamoValue[] values, HashMap<String, Integer> index, boolean plainTexts) {
        this.names = names;
        this.values = values;
        this.index = index;
        this.plainTexts = plainTexts;
    }

    private AttributeMap(String[] names, DynamoValue[] values) {
        this.names = names;
        this.values = values;
        this.plainTexts = false;
        if (names.length > SCANNED) {
            index = new HashMap<>(names.length * 2);
            for (int i = 0; i < names.length; i++) {
                index.put(names[i], i);
            }
        } else {
            index = null;
        }
    }

    /**
     * {@code map} itself when it is an AttributeMap (the maps of every decoded record are), else a
     * copy of it in its iteration order.
     */
    public static AttributeMap of(Map<String, DynamoValue> map) {
        if (map instanceof AttributeMap a) {
            return a;
        }
        if (map instanceof RawImage raw) {
            return raw.attributes();
        }
        Builder copy = new Builder();
        for (Map.Entry<String, DynamoValue> e : map.entrySet()) {
            copy.add(e.getKey(), e.getValue());
        }
        return copy.build();
    }

    /**
     * Whether every text in this map, at any depth (names, S, SS, B and BS values), is known to be
     * Latin-1 and to hold no char that JSON escapes (control chars, quote, backslash): a JSON writer
     * may then copy each as it is. False when not known. Not part of the map's value: two maps of
     * the same attributes are equal whatever this says.
     */
    public boolean textsArePlain() {
        return plainTexts;
    }

    /** This map, saying {@link #textsArePlain()}: only for a map whose texts the caller checked. */
    AttributeMap withPlainTexts() {
        return plainTexts ? this : new AttributeMap(names, values, index, true);
    }

    @Override
    public int size() {
        return names.length;
    }

    /** The name of the {@code i}-th attribute, in the record's order. */
    public String nameAt(int i) {
        return names[i];
    }

    /** The value of the {@code i}-th attribute. */
    public DynamoValue valueAt(int i) {
        return values[i];
    }

    @Override
    public DynamoValue get(Object name) {
        if (index != null) {
            Integer i = index.get(name);
            return i == null ? null : values[i];
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object name) {
        return get(name) != null;
    }

    /** As {@link AbstractMap#equals}, without an entry per attribute. */
    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof Map<?, ?> other) || other.size() != names.length) {
            return false;
        }
        try {
            for (int i = 0; i < names.length; i++) {
                DynamoValue v = values[i];
                Object theirs = other.get(names[i]);
                if (v == null ? theirs != null || !other.containsKey(names[i]) : !v.equals(theirs)) {
                    return false;
                }
            }
        } catch (ClassCastException | NullPointerException unused) {
            return false;
        }
        return true;
    }

    /** As {@link AbstractMap#hashCode}: the sum of the entries' hash codes. */
    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < names.length; i++) {
            h += names[i].hashCode() ^ (values[i] == null ? 0 : values[i].hashCode());
        }
        return h;
    }

    @Override
    public Set<Map.Entry<String, DynamoValue>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, DynamoValue>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < names.length;
                    }

                    @Override
                    public Map.Entry<String, DynamoValue> next() {
                        if (next >= names.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(names[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return names.length;
            }
        };
    }

    /**
     * Collects attributes in order; a name given twice is a duplicate key. Up to {@value #SCANNED}
     * names are compared with the names themselves, beyond that a hash set of the names is kept.
     */
    static final class Builder {
        private String[] names = NO_NAMES;
        private DynamoValue[] values = NO_VALUES;
        private int size;
        private HashSet<String> seen;

        void add(String name, DynamoValue value) {
            if (!isNew(name)) {
                throw DecodeFailure.of(NameSet.DUPLICATE);
            }
            if (size == names.length) {
                int capacity = Math.max(4, size * 2);
                names = copy(names, size, new String[capacity]);
                values = copy(values, size, new DynamoValue[capacity]);
            }
            names[size] = name;
            values[size++] = value;
        }

        private boolean isNew(String name) {
            if (seen != null) {
                return seen.add(name);
            }
            // Hashes first: a String keeps its hash, and the names of a decoded record come from
            // a cache, so each one's hash is computed once, not for every map. Telling the
            // different names of a map apart by equals loads both texts' arrays (add with its
            // loop: ~5 % of the nested item's samples at b4055be).
            int hash = name.hashCode();
            for (int i = 0; i < size; i++) {
                String other = names[i];
                if (other == name || (other.hashCode() == hash && other.equals(name))) {
                    return false;
                }
            }
            if (size < SCANNED) {
                return true;
            }
            seen = new HashSet<>(32);
            for (int i = 0; i < size; i++) {
                seen.add(names[i]);
            }
            return seen.add(name);
        }

        AttributeMap build() {
            return size == names.length
                    ? new AttributeMap(names, values)
                    : new AttributeMap(copy(names, size, new String[size]), copy(values, size, new DynamoValue[size]));
        }

        /**
         * As {@link #build}, always in arrays of the map's own, so that the builder can be
         * {@linkplain #clear() cleared} and used again: a reader that keeps one builder per level
         * makes no growing arrays per map.
         */
        AttributeMap buildCopy() {
            return size == 0 ? EMPTY
                    : new AttributeMap(copy(names, size, new String[size]), copy(values, size, new DynamoValue[size]));
        }

        /**
         * The first {@code n} elements of {@code from} in {@code to}. Not {@code Arrays.copyOf}: for
         * an array type other than {@code Object[]} that makes the new array by reflection, which
         * only C2 turns into a plain allocation. The image runs C1 only, where it was ~9 % of
         * reading a nested item (JNI {@code JVM_NewArray}).
         */
        private static <T> T[] copy(T[] from, int n, T[] to) {
            System.arraycopy(from, 0, to, 0, n);
            return to;
        }

        /**
         * Empty again, its arrays kept. They still hold the last map's attributes until they are
         * overwritten (clearing them was ~4 % of reading a nested item): at most one record's.
         */
        void clear() {
            size = 0;
            seen = null;
        }
    }
}
