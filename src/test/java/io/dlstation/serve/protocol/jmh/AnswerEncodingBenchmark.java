package io.dlstation.serve.protocol.jmh;

import io.dlstation.serve.protocol.HostTensor;
import io.dlstation.serve.protocol.InferResponseEncoder;
import io.dlstation.serve.protocol.OutputTensor;
import io.dlstation.serve.protocol.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JSON answer of a classifier: one image's thousand logits, as a KServe v2 client that does not ask
 * for binary outputs gets them. {@code -prof gc} shows the bytes allocated per answer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AnswerEncodingBenchmark {
    @Param({"FP32", "FP16"})
    public String datatype;

    private List<OutputTensor> outputs;

    @Setup
    public void logits() {
        TensorType type = TensorType.valueOf(datatype);
        ByteBuffer values = ByteBuffer.allocate(1000 * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        Random random = new Random(1);
        for (int i = 0; i < 1000; i++) {
            float v = (float) random.nextGaussian() * 3;
            if (type == TensorType.FP16) {
                values.putShort(Float.floatToFloat16(v));
            } else {
                values.putFloat(v);
            }
        }
        outputs = List.of(new OutputTensor(new HostTensor("logits", type, new long[] {1, 1000}, values.flip()), false,
                0, null));
    }

    @Benchmark
    public InferResponseEncoder.Encoded jsonAnswer() {
        return InferResponseEncoder.encode("resnet50", "1", null, outputs);
    }
}
