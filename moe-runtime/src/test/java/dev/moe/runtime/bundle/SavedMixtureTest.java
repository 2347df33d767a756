package dev.moe.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.data.SyntheticSeedSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedMixtureTest {

    private static final int ROWS = 100_000;
    private static final int BLOCK = 2_000;
    private static final int THREADS = 8;

    @TempDir
    Path dir;

    /**
     * 8 threads, each predicting the same 100k rows with one loaded mixture at the same time (each in its own block
     * order), must produce exactly the single-thread results: the loaded mixture shares no mutable state.
     */
    @Test
    void aLoadedMixturePredictsFromManyThreadsAsFromOne() throws Exception {
        Path file = dir.resolve("seed.moe");
        new BundleWriter(BundleFixtures.REGISTRY).write(BundleFixtures.seedMixture().request("top-k", Map.of("k", 2)), file);
        MixtureModel model = new BundleReader(BundleFixtures.REGISTRY).read(file).model();
        FloatMatrix rows = SyntheticSeedSource.generate(ROWS, 77).features();
        int blocks = ROWS / BLOCK;
        List<FloatMatrix> inputs = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            int[] index = new int[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                index[i] = b * BLOCK + i;
            }
            inputs.add(rows.selectRows(index));
        }

        for (int b = 0; b < blocks; b += 5) {
            model.predict(inputs.get(b)); // warm-up, so that the timings below compare like with like
        }
        long t0 = System.nanoTime();
        float[][] single = new float[blocks][];
        float[][] singleWeights = new float[blocks][];
        for (int b = 0; b < blocks; b++) {
            MixtureModel.Prediction p = model.predict(inputs.get(b));
            single[b] = p.probabilities().values();
            singleWeights[b] = p.weights().values();
        }
        long t1 = System.nanoTime();

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        try {
            List<Future<float[][][]>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t * 7;
                Callable<float[][][]> task = () -> {
                    float[][][] out = new float[2][blocks][];
                    start.await();
                    for (int i = 0; i < blocks; i++) {
                        int b = (offset + i) % blocks;
                        MixtureModel.Prediction p = model.predict(inputs.get(b));
                        out[0][b] = p.probabilities().values();
                        out[1][b] = p.weights().values();
                    }
                    return out;
                };
                futures.add(pool.submit(task));
            }
            for (Future<float[][][]> f : futures) {
                float[][][] got = f.get(120, TimeUnit.SECONDS);
                for (int b = 0; b < blocks; b++) {
                    assertArrayEquals(single[b], got[0][b], "block " + b);
                    assertArrayEquals(singleWeights[b], got[1][b], "block " + b);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        long t2 = System.nanoTime();
        System.out.printf("SavedMixtureTest: 1 thread x %d rows %.0f ms; %d threads x %d rows %.0f ms%n",
                ROWS, (t1 - t0) / 1e6, THREADS, ROWS, (t2 - t1) / 1e6);
        assertEquals(ROWS, (long) blocks * BLOCK);
    }
}
