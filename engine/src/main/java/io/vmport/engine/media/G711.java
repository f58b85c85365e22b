package io.vmport.engine.media;

/**
 * G.711 mu-law and A-law by table lookup: the tables are built once from the ITU-T G.711 segment rules (as in the
 * widely used Sun reference {@code g711.c}), so that encoding or decoding a sample is one array read and allocates
 * nothing. Encoding tables are indexed by the sample's top 14 (mu-law) or 13 (A-law) bits, the precision the law
 * keeps.
 */
final class G711 {
    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];
    private static final byte[] LINEAR_TO_ULAW = new byte[1 << 14];
    private static final byte[] LINEAR_TO_ALAW = new byte[1 << 13];
    private static final int[] SEG_UEND = {0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
    private static final int[] SEG_AEND = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};

    static {
        for (int b = 0; b < 256; b++) {
            ULAW_TO_LINEAR[b] = (short) ulawDecode(b);
            ALAW_TO_LINEAR[b] = (short) alawDecode(b);
        }
        for (int i = 0; i < LINEAR_TO_ULAW.length; i++) {
            LINEAR_TO_ULAW[i] = (byte) ulawEncode((short) (i << 2));
        }
        for (int i = 0; i < LINEAR_TO_ALAW.length; i++) {
            LINEAR_TO_ALAW[i] = (byte) alawEncode((short) (i << 3));
        }
    }

    private G711() {
    }

    static byte ulaw(short sample) {
        return LINEAR_TO_ULAW[(sample >> 2) & 0x3FFF];
    }

    static byte alaw(short sample) {
        return LINEAR_TO_ALAW[(sample >> 3) & 0x1FFF];
    }

    static short ulawToLinear(byte code) {
        return ULAW_TO_LINEAR[code & 0xFF];
    }

    static short alawToLinear(byte code) {
        return ALAW_TO_LINEAR[code & 0xFF];
    }

    private static int segment(int value, int[] ends) {
        for (int seg = 0; seg < ends.length; seg++) {
            if (value <= ends[seg]) {
                return seg;
            }
        }
        return ends.length;
    }

    private static int ulawEncode(short sample) {
        int pcm = sample >> 2;
        int mask;
        if (pcm < 0) {
            pcm = -pcm;
            mask = 0x7F;
        } else {
            mask = 0xFF;
        }
        pcm = Math.min(pcm, 8159) + (0x84 >> 2);
        int seg = segment(pcm, SEG_UEND);
        if (seg >= 8) {
            return 0x7F ^ mask;
        }
        return ((seg << 4) | ((pcm >> (seg + 1)) & 0xF)) ^ mask;
    }

    private static int ulawDecode(int code) {
        int u = ~code & 0xFF;
        int t = ((u & 0x0F) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
    }

    private static int alawEncode(short sample) {
        int pcm = sample >> 3;
        int mask;
        if (pcm >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            pcm = -pcm - 1;
        }
        int seg = segment(pcm, SEG_AEND);
        if (seg >= 8) {
            return 0x7F ^ mask;
        }
        int a = seg << 4;
        a |= seg < 2 ? (pcm >> 1) & 0x0F : (pcm >> seg) & 0x0F;
        return a ^ mask;
    }

    private static int alawDecode(int code) {
        int a = code ^ 0x55;
        int t = (a & 0x0F) << 4;
        int seg = (a & 0x70) >> 4;
        if (seg == 0) {
            t += 8;
        } else {
            t += 0x108;
            if (seg > 1) {
                t <<= seg - 1;
            }
        }
        return (a & 0x80) != 0 ? t : -t;
    }
}
