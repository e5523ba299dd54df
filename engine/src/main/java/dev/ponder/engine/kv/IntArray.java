package dev.ponder.engine.kv;

import java.util.Arrays;

/** A growable list of ints without boxing (token ids, block tables). */
final class IntArray {

    private int[] data;
    private int size;

    IntArray(int capacity) {
        data = new int[Math.max(4, capacity)];
    }

    IntArray(int[] values, int count) {
        data = Arrays.copyOf(values, Math.max(4, count));
        size = count;
    }

    int size() {
        return size;
    }

    int get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        return data[i];
    }

    void set(int i, int value) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        data[i] = value;
    }

    void add(int value) {
        if (size == data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[size++] = value;
    }

    void addAll(int[] values) {
        for (int v : values) {
            add(v);
        }
    }

    /** Keeps the first {@code n} values. */
    void truncate(int n) {
        if (n < 0 || n > size) {
            throw new IndexOutOfBoundsException(n + " of " + size);
        }
        size = n;
    }

    int[] toArray() {
        return Arrays.copyOf(data, size);
    }

    int[] range(int from, int to) {
        return Arrays.copyOfRange(data, from, to);
    }

    IntArray copy() {
        return new IntArray(data, size);
    }
}
