package dev.cdcrelay.decode;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * An unmodifiable list over an array that only it holds. An unmodifiable {@code ArrayList} is
 * three objects (wrapper, list, array with spare room); a decoded batch is planned after all of it
 * was decoded, when every object on the way to an element is one more load that misses the caches.
 */
final class FixedList<E> extends AbstractList<E> implements RandomAccess {

    private final Object[] elements;

    /** @param elements an array no one else holds or changes */
    FixedList(Object[] elements) {
        this.elements = elements;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        return (E) elements[index];
    }

    @Override
    public int size() {
        return elements.length;
    }
}
