package dev.moe.bench;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.nn.Activation;
import dev.moe.gating.nn.Mlp;
import dev.moe.gating.nn.Nd4jMatrices;
import dev.moe.gating.routing.SoftmaxDenseRouting;
import dev.moe.gating.routing.TopKRouting;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH microbenchmarks of the hot kernels at the seed gate's shape (2000 rows, 4-128-256-128-3):
 * the gate's forward pass, forward + backward, and routing (softmax-dense, top-2) with its backward step.
 * Run: java -cp 'moe-bench/target/moe-bench-0.1.0-SNAPSHOT.jar:moe-bench/target/lib/*' org.openjdk.jmh.Main
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KernelBenchmarks {

    private Mlp gate;
    private INDArray input;
    private INDArray logitGradient;
    private FloatMatrix logits;
    private FloatMatrix weightGradient;
    private final RoutingStrategy dense = new SoftmaxDenseRouting(1);
    private final RoutingStrategy topTwo = new TopKRouting(2, 1);

    @Setup
    public void setUp() {
        gate = Mlp.initialise(new int[] {4, 128, 256, 128, 3},
                List.of(Activation.RELU, Activation.LEAKY_RELU, Activation.LEAKY_RELU), 0.1, DataType.FLOAT, 1);
        input = Nd4jMatrices.toNd4j(ScalingBenchmark.gaussian(2000, 4, 2), DataType.FLOAT);
        logits = ScalingBenchmark.gaussian(2000, 3, 3);
        weightGradient = ScalingBenchmark.gaussian(2000, 3, 4);
        logitGradient = Nd4jMatrices.toNd4j(ScalingBenchmark.gaussian(2000, 3, 5), DataType.FLOAT);
    }

    @Benchmark
    public INDArray gateForward() {
        return gate.predictLogits(input);
    }

    @Benchmark
    public Mlp.Gradients gateForwardBackward() {
        Mlp.Pass pass = gate.forward(input, true, new SplittableRandom(1));
        return gate.backward(pass, logitGradient);
    }

    @Benchmark
    public FloatMatrix softmaxDenseRoutingWithBackward() {
        return dense.route(logits, true).backward(weightGradient);
    }

    @Benchmark
    public FloatMatrix topTwoRoutingWithBackward() {
        return topTwo.route(logits, true).backward(weightGradient);
    }
}
