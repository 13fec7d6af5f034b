package dev.signet.cbor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The CBOR data model subset we accept (RFC 8949 section 3): integers within int64, byte and text
 * strings, arrays, maps with keys in received order, tags, false/true/null and floats.
 */
public sealed interface CborValue {

  /** Major types 0 and 1, as a signed 64-bit value. */
  record Int(long value) implements CborValue {
    @Override
    public String toString() {
      return Long.toString(value);
    }
  }

  /**
   * Major type 2. Compared by content. The array is shared, not copied (payloads can be large);
   * treat it as read-only.
   */
  record Bytes(byte[] value) implements CborValue {
    public Bytes {
      Objects.requireNonNull(value);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes b && Arrays.equals(value, b.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return value.length <= 32
          ? "h'" + HexFormat.of().formatHex(value) + "'"
          : "h'<" + value.length + " bytes>'";
    }
  }

  /** Major type 3 (valid UTF-8). */
  record Text(String value) implements CborValue {
    public Text {
      Objects.requireNonNull(value);
    }

    @Override
    public String toString() {
      return '"' + value + '"';
    }
  }

  /** Major type 4. */
  record Array(List<CborValue> items) implements CborValue {
    public Array {
      items = List.copyOf(items);
    }

    public Array(CborValue... items) {
      this(List.of(items));
    }

    public int size() {
      return items.size();
    }

    public CborValue get(int index) {
      return items.get(index);
    }

    @Override
    public String toString() {
      return items.toString();
    }
  }

  /** One map entry. */
  record Entry(CborValue key, CborValue value) {
    public Entry {
      Objects.requireNonNull(key);
      Objects.requireNonNull(value);
    }
  }

  /**
   * Major type 5, entries in received order. Keys are unique by value (an int key and a text key
   * are different); the constructor throws IllegalArgumentException on a duplicate.
   */
  record Map(List<Entry> entries) implements CborValue {
    public Map {
      entries = List.copyOf(entries);
      java.util.Set<CborValue> seen = new java.util.HashSet<>();
      for (Entry e : entries) {
        if (!seen.add(e.key())) {
          throw new IllegalArgumentException("duplicate map key " + e.key());
        }
      }
    }

    /** The value for a key, or null. */
    public CborValue get(CborValue key) {
      for (Entry e : entries) {
        if (e.key().equals(key)) {
          return e.value();
        }
      }
      return null;
    }

    public CborValue get(long intKey) {
      return get(new Int(intKey));
    }

    public CborValue get(String textKey) {
      return get(new Text(textKey));
    }

    public boolean containsKey(CborValue key) {
      return get(key) != null;
    }

    public int size() {
      return entries.size();
    }

    /** A builder-style map literal: {@code Map.of(k1, v1, k2, v2, ...)}. */
    public static Map of(CborValue... keysAndValues) {
      if (keysAndValues.length % 2 != 0) {
        throw new IllegalArgumentException("odd number of map arguments");
      }
      List<Entry> list = new ArrayList<>();
      for (int i = 0; i < keysAndValues.length; i += 2) {
        list.add(new Entry(keysAndValues[i], keysAndValues[i + 1]));
      }
      return new Map(list);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("{");
      for (int i = 0; i < entries.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(entries.get(i).key()).append(": ").append(entries.get(i).value());
      }
      return sb.append('}').toString();
    }
  }

  /** Major type 6: a tag number (within int64) and its content. */
  record Tag(long number, CborValue content) implements CborValue {
    public Tag {
      if (number < 0) {
        throw new IllegalArgumentException("tag number out of range");
      }
      Objects.requireNonNull(content);
    }

    @Override
    public String toString() {
      return number + "(" + content + ")";
    }
  }

  /** Simple values 20 and 21. */
  record Bool(boolean value) implements CborValue {
    @Override
    public String toString() {
      return Boolean.toString(value);
    }
  }

  /** Simple value 22. */
  record Null() implements CborValue {
    @Override
    public String toString() {
      return "null";
    }
  }

  /** Half, single or double precision float, widened to double. */
  record Float(double value) implements CborValue {
    @Override
    public String toString() {
      return Double.toString(value);
    }
  }

  /** The shared null value. */
  Null NULL = new Null();

  /** Convenience factories. */
  static Int of(long value) {
    return new Int(value);
  }

  static Text of(String value) {
    return new Text(value);
  }

  static Bytes of(byte[] value) {
    return new Bytes(value);
  }
}
