package io.vmport.loadtest.bench.engine.media;

import io.vmport.engine.media.Codec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * G.711 cost of one 20 ms frame (160 samples) through the media plane's tables, per codec: what every pacer tick
 * pays per playing session (encode) and every received audio packet while recording (decode). The whole
 * encode-and-send cost per frame through Netty is measured by {@link PacingScale} (CPU of the loop threads per
 * frame sent).
 *
 * <pre>
 * java -jar loadtest/target/benchmarks.jar FrameCodecBenchmark -f 1 -wi 3 -i 5 -w 1s -r 2s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameCodecBenchmark {
    private static final int FRAME_SAMPLES = 160;

    @Param({"PCMU", "PCMA"})
    public Codec codec;

    private final short[] pcm = new short[FRAME_SAMPLES];
    private final byte[] encoded = new byte[FRAME_SAMPLES];
    private final short[] decoded = new short[FRAME_SAMPLES];

    @Setup
    public void tone() {
        for (int i = 0; i < FRAME_SAMPLES; i++) {
            pcm[i] = (short) (12000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
            encoded[i] = codec.encode(pcm[i]);
        }
    }

    /** One frame encoded; returns the buffer so that the work is not eliminated. */
    @Benchmark
    public byte[] encodeFrame() {
        for (int i = 0; i < FRAME_SAMPLES; i++) {
            encoded[i] = codec.encode(pcm[i]);
        }
        return encoded;
    }

    /** One frame decoded. */
    @Benchmark
    public short[] decodeFrame() {
        for (int i = 0; i < FRAME_SAMPLES; i++) {
            decoded[i] = codec.decode(encoded[i]);
        }
        return decoded;
    }
}
