package dev.signet.cbor;

// RFC 8949 (CBOR). The decoder accepts a strict subset: definite lengths only, unique map keys,
// integers within int64, valid UTF-8 text, no trailing bytes, bounded depth and item count.
// Non-shortest encodings of integers and lengths are accepted, as go-cose (fxamacker/cbor) does in
// practice; the encoder always writes the shortest form.

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Strict CBOR decoding of untrusted input, and canonical definite-length encoding. */
public final class Cbor {
  private Cbor() {}

  /**
   * Decodes exactly one CBOR data item that spans the whole input.
   *
   * @throws CborException on malformed input, unsupported constructs or exceeded limits
   */
  public static CborValue decode(byte[] input, CborLimits limits) throws CborException {
    if (input == null || input.length == 0) {
      throw new CborException(0, "empty input");
    }
    Decoder d = new Decoder(input, limits);
    CborValue value = d.item(1);
    if (d.pos != input.length) {
      throw new CborException(
          d.pos, (input.length - d.pos) + " trailing bytes after the data item");
    }
    return value;
  }

  /** Encodes a value with definite lengths and shortest heads; maps keep their entry order. */
  public static byte[] encode(CborValue value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, value);
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, CborValue value) {
    switch (value) {
      case CborValue.Int i -> {
        if (i.value() >= 0) {
          head(out, 0, i.value());
        } else {
          head(out, 1, -1 - i.value());
        }
      }
      case CborValue.Bytes b -> {
        head(out, 2, b.value().length);
        out.writeBytes(b.value());
      }
      case CborValue.Text t -> {
        byte[] utf8 = t.value().getBytes(StandardCharsets.UTF_8);
        head(out, 3, utf8.length);
        out.writeBytes(utf8);
      }
      case CborValue.Array a -> {
        head(out, 4, a.size());
        for (CborValue item : a.items()) {
          write(out, item);
        }
      }
      case CborValue.Map m -> {
        head(out, 5, m.size());
        for (CborValue.Entry e : m.entries()) {
          write(out, e.key());
          write(out, e.value());
        }
      }
      case CborValue.Tag t -> {
        head(out, 6, t.number());
        write(out, t.content());
      }
      case CborValue.Bool b -> out.write(b.value() ? 0xf5 : 0xf4);
      case CborValue.Null n -> out.write(0xf6);
      case CborValue.Float f -> {
        out.write(0xfb);
        long bits = Double.doubleToRawLongBits(f.value());
        for (int shift = 56; shift >= 0; shift -= 8) {
          out.write((int) (bits >>> shift));
        }
      }
    }
  }

  /** Writes a major type with its argument (non-negative, up to 2^63-1) in the shortest form. */
  private static void head(ByteArrayOutputStream out, int major, long argument) {
    int mt = major << 5;
    if (argument < 24) {
      out.write(mt | (int) argument);
    } else if (argument <= 0xff) {
      out.write(mt | 24);
      out.write((int) argument);
    } else if (argument <= 0xffff) {
      out.write(mt | 25);
      out.write((int) (argument >>> 8));
      out.write((int) argument);
    } else if (argument <= 0xffffffffL) {
      out.write(mt | 26);
      for (int shift = 24; shift >= 0; shift -= 8) {
        out.write((int) (argument >>> shift));
      }
    } else {
      out.write(mt | 27);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (argument >>> shift));
      }
    }
  }

  private static final class Decoder {
    private final byte[] in;
    private final CborLimits limits;
    private int pos;
    private int items;

    Decoder(byte[] in, CborLimits limits) {
      this.in = in;
      this.limits = limits;
    }

    CborValue item(int depth) throws CborException {
      if (depth > limits.maxDepth()) {
        throw new CborException(pos, "nesting deeper than " + limits.maxDepth());
      }
      if (++items > limits.maxItems()) {
        throw new CborException(pos, "more than " + limits.maxItems() + " data items");
      }
      int start = pos;
      int initial = u8();
      int major = initial >>> 5;
      int info = initial & 0x1f;
      if (info >= 28 && info <= 30) {
        throw new CborException(start, "reserved additional information value " + info);
      }
      if (info == 31) {
        throw new CborException(
            start,
            major == 7
                ? "unexpected break code"
                : major >= 2 && major <= 5
                    ? "indefinite-length item is not allowed"
                    : "additional information 31 is not valid for major type " + major);
      }
      if (major == 7) {
        return simple(start, info);
      }
      long arg = argument(start, info);
      switch (major) {
        case 0 -> {
          if (arg < 0) {
            throw new CborException(start, "unsigned integer does not fit in int64");
          }
          return new CborValue.Int(arg);
        }
        case 1 -> {
          if (arg < 0) {
            throw new CborException(start, "negative integer does not fit in int64");
          }
          return new CborValue.Int(-1 - arg);
        }
        case 2 -> {
          return new CborValue.Bytes(take(start, arg, "byte string"));
        }
        case 3 -> {
          byte[] utf8 = take(start, arg, "text string");
          try {
            return new CborValue.Text(
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString());
          } catch (CharacterCodingException e) {
            throw new CborException(start, "text string is not valid UTF-8");
          }
        }
        case 4 -> {
          // Each element needs at least one byte: a count beyond the remaining input is a lie.
          if (arg < 0 || arg > in.length - pos) {
            throw new CborException(
                start,
                "array of "
                    + Long.toUnsignedString(arg)
                    + " items is longer than the remaining input");
          }
          requireItems(start, arg);
          List<CborValue> list = new ArrayList<>((int) Math.min(arg, 64));
          for (long i = 0; i < arg; i++) {
            list.add(item(depth + 1));
          }
          return new CborValue.Array(list);
        }
        case 5 -> {
          if (arg < 0 || arg > (in.length - pos) / 2) {
            throw new CborException(
                start,
                "map of "
                    + Long.toUnsignedString(arg)
                    + " entries is longer than the remaining input");
          }
          requireItems(start, 2 * arg);
          List<CborValue.Entry> entries = new ArrayList<>((int) Math.min(arg, 64));
          Set<CborValue> keys = new HashSet<>();
          for (long i = 0; i < arg; i++) {
            int keyOffset = pos;
            CborValue key = item(depth + 1);
            if (!keys.add(key)) {
              throw new CborException(keyOffset, "duplicate map key " + key);
            }
            entries.add(new CborValue.Entry(key, item(depth + 1)));
          }
          return new CborValue.Map(entries);
        }
        case 6 -> {
          if (arg < 0) {
            throw new CborException(start, "tag number does not fit in int64");
          }
          return new CborValue.Tag(arg, item(depth + 1));
        }
        default -> throw new IllegalStateException("unreachable major type " + major);
      }
    }

    /** Fails before allocating when a declared count alone would exceed the item limit. */
    private void requireItems(int start, long count) throws CborException {
      if (count > (long) limits.maxItems() - items) {
        throw new CborException(start, "more than " + limits.maxItems() + " data items");
      }
    }

    private CborValue simple(int start, int info) throws CborException {
      return switch (info) {
        case 20 -> new CborValue.Bool(false);
        case 21 -> new CborValue.Bool(true);
        case 22 -> CborValue.NULL;
        case 23 -> throw new CborException(start, "simple value undefined is not supported");
        case 24 -> {
          int v = u8();
          throw new CborException(start, "simple value " + v + " is not supported");
        }
        case 25 -> new CborValue.Float(halfToDouble((int) argument(start, 25)));
        case 26 -> new CborValue.Float(java.lang.Float.intBitsToFloat((int) argument(start, 26)));
        case 27 -> new CborValue.Float(Double.longBitsToDouble(argument(start, 27)));
        default -> throw new CborException(start, "simple value " + info + " is not supported");
      };
    }

    /** The head's argument as an unsigned value in a long (negative means at least 2^63). */
    private long argument(int start, int info) throws CborException {
      if (info < 24) {
        return info;
      }
      int n =
          switch (info) {
            case 24 -> 1;
            case 25 -> 2;
            case 26 -> 4;
            case 27 -> 8;
            default -> throw new CborException(start, "invalid additional information " + info);
          };
      if (in.length - pos < n) {
        throw new CborException(start, "truncated item head");
      }
      long v = 0;
      for (int i = 0; i < n; i++) {
        v = (v << 8) | (in[pos++] & 0xff);
      }
      return v;
    }

    private byte[] take(int start, long length, String what) throws CborException {
      // No allocation before the declared length is known to be present.
      if (length < 0 || length > in.length - pos) {
        throw new CborException(
            start,
            what
                + " of "
                + Long.toUnsignedString(length)
                + " bytes is longer than the remaining input");
      }
      byte[] out = new byte[(int) length];
      System.arraycopy(in, pos, out, 0, (int) length);
      pos += (int) length;
      return out;
    }

    private int u8() throws CborException {
      if (pos >= in.length) {
        throw new CborException(pos, "unexpected end of input");
      }
      return in[pos++] & 0xff;
    }

    private static double halfToDouble(int half) {
      int exp = (half >>> 10) & 0x1f;
      int mant = half & 0x3ff;
      double val;
      if (exp == 0) {
        val = Math.scalb((double) mant, -24);
      } else if (exp != 31) {
        val = Math.scalb((double) (mant + 1024), exp - 25);
      } else {
        val = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
      }
      return (half & 0x8000) != 0 ? -val : val;
    }
  }
}
