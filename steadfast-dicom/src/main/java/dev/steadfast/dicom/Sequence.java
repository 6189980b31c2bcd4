package dev.steadfast.dicom;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The items of an SQ element. Remembers whether it was encoded with undefined length so writing reproduces it. */
public final class Sequence implements Iterable<Dataset> {
    private final List<Dataset> items = new ArrayList<>();
    private final Dataset parent;
    private boolean undefinedLength;

    Sequence(Dataset parent, boolean undefinedLength) {
        this.parent = parent;
        this.undefinedLength = undefinedLength;
    }

    public Dataset parent() { return parent; }

    public boolean undefinedLength() { return undefinedLength; }

    public void setUndefinedLength(boolean undefinedLength) { this.undefinedLength = undefinedLength; }

    /** Appends a new empty item whose character set defaults to the enclosing dataset's. */
    public Dataset addItem() {
        Dataset item = new Dataset(parent);
        items.add(item);
        return item;
    }

    public Dataset get(int index) { return items.get(index); }

    public int size() { return items.size(); }

    public boolean isEmpty() { return items.isEmpty(); }

    public List<Dataset> items() { return List.copyOf(items); }

    @Override
    public Iterator<Dataset> iterator() { return items.iterator(); }
}
