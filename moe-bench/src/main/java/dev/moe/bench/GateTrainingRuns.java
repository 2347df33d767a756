package dev.moe.bench;

import dev.moe.gating.training.GateOptions;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@link GateTrainingBenchmark}'s training alone, for before/after comparisons in turns (bench/gate-ab.sh): one
 * warm-up training, then RUNS timed ones, each with the wall time and the process's CPU time. On a shared machine
 * the wall time swings with the load; the CPU time says how much work the training took.
 *
 * <p>Usage: GateTrainingRuns [rows [epochs [runs [finetune]]]]: with {@code finetune}, the three small MLP experts are
 * fine-tuned with the gate (the article's joint training), every step.
 */
public final class GateTrainingRuns {

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        GateTrainingBenchmark.Setup setup = GateTrainingBenchmark.Setup.article(rows, epochs);
        GateOptions options = args.length > 3 && args[3].equals("finetune")
                ? setup.options().toBuilder().fineTuneExperts(true, 0.001).build()
                : setup.options();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        setup.train(options);
        double[] wall = new double[runs];
        double[] cpu = new double[runs];
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            long cpuStart = os.getProcessCpuTime();
            setup.train(options);
            wall[run] = (System.nanoTime() - start) / 1e9;
            cpu[run] = (os.getProcessCpuTime() - cpuStart) / 1e9;
        }
        double gflops = GateTrainingBenchmark.flopsPerEpoch(rows) * epochs / 1e9;
        for (int run = 0; run < runs; run++) {
            System.out.printf(Locale.ROOT, "wall %.3f s cpu %.3f s (%.0f GFLOP/s)%n", wall[run], cpu[run], gflops / wall[run]);
        }
        Arrays.sort(wall);
        System.out.printf(Locale.ROOT, "median wall %.3f s%n", wall[runs / 2]);
    }
}
