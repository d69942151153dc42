package dev.cdcrelay.decode;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The attributes of an item or an M value: unmodifiable, in the record's order, held in one array
 * of entries. Cheaper to build and to walk than an unmodifiable LinkedHashMap (no hash per name
 * unless the map is large, no wrapper per entry when iterating); names are looked up by a scan
 * up to {@value #SCANNED} entries, by a hash index beyond.
 */
final class AttributeMap extends AbstractMap<String, DynamoValue> {

    private static final int SCANNED = 8;
    private static final Map.Entry<?, ?>[] NONE = new Map.Entry<?, ?>[0];

    private final Map.Entry<String, DynamoValue>[] entries;
    private final HashMap<String, Integer> index;

    private AttributeMap(Map.Entry<String, DynamoValue>[] entries) {
        this.entries = entries;
        if (entries.length > SCANNED) {
            index = new HashMap<>(entries.length * 2);
            for (int i = 0; i < entries.length; i++) {
                index.put(entries[i].getKey(), i);
            }
        } else {
            index = null;
        }
    }

    @Override
    public int size() {
        return entries.length;
    }

    @Override
    public DynamoValue get(Object name) {
        if (index != null) {
            Integer i = index.get(name);
            return i == null ? null : entries[i].getValue();
        }
        for (Map.Entry<String, DynamoValue> e : entries) {
            if (e.getKey().equals(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object name) {
        return get(name) != null;
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
                        return next < entries.length;
                    }

                    @Override
                    public Map.Entry<String, DynamoValue> next() {
                        if (next >= entries.length) {
                            throw new NoSuchElementException();
                        }
                        return entries[next++];
                    }
                };
            }

            @Override
            public int size() {
                return entries.length;
            }
        };
    }

    /**
     * Collects attributes in order; a name given twice is a duplicate key. Up to {@value #SCANNED}
     * names are compared with the entries themselves, beyond that a hash set of the names is kept.
     */
    static final class Builder {
        @SuppressWarnings("unchecked")
        private Map.Entry<String, DynamoValue>[] entries = (Map.Entry<String, DynamoValue>[]) NONE;
        private int size;
        private HashSet<String> names;

        void add(String name, DynamoValue value) {
            if (!isNew(name)) {
                throw DecodeFailure.of(NameSet.DUPLICATE);
            }
            if (size == entries.length) {
                entries = Arrays.copyOf(entries, Math.max(4, size * 2));
            }
            entries[size++] = new AbstractMap.SimpleImmutableEntry<>(name, value);
        }

        private boolean isNew(String name) {
            if (names != null) {
                return names.add(name);
            }
            for (int i = 0; i < size; i++) {
                if (entries[i].getKey().equals(name)) {
                    return false;
                }
            }
            if (size < SCANNED) {
                return true;
            }
            names = new HashSet<>(32);
            for (int i = 0; i < size; i++) {
                names.add(entries[i].getKey());
            }
            return names.add(name);
        }

        AttributeMap build() {
            return new AttributeMap(size == entries.length ? entries : Arrays.copyOf(entries, size));
        }
    }
}
