package io.vmport.sccp.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Fixed-width, NUL-padded ASCII fields and zero filling, as Skinny lays strings out. */
final class Fixed {
    private Fixed() {
    }

    /** Fails fast when {@code value} does not fit {@code width} bytes with room for the terminating NUL. */
    static String check(String field, String value, int width) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is null; allowed: ASCII of at most " + (width - 1) + " bytes");
        }
        if (value.length() > width - 1) {
            throw new IllegalArgumentException(field + " '" + value + "' has " + value.length()
                    + " characters; allowed: at most " + (width - 1));
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0x7e || value.charAt(i) < 0x20) {
                throw new IllegalArgumentException(field + " '" + value + "' has a non-printable or non-ASCII"
                        + " character at " + i + "; allowed: printable ASCII");
            }
        }
        return value;
    }

    static void writeString(ByteBuf out, String value, int width) {
        int n = out.writeCharSequence(value, StandardCharsets.US_ASCII);
        out.writeZero(width - n);
    }

    /** Reads {@code width} bytes and returns the text up to the first NUL; other bytes outside ASCII become '?'. */
    static String readString(ByteBuf in, int width) {
        int start = in.readerIndex();
        int len = 0;
        while (len < width && in.getByte(start + len) != 0) {
            len++;
        }
        char[] chars = new char[len];
        for (int i = 0; i < len; i++) {
            int b = in.getByte(start + i) & 0xff;
            chars[i] = b >= 0x20 && b <= 0x7e ? (char) b : '?';
        }
        in.skipBytes(width);
        return new String(chars);
    }
}
