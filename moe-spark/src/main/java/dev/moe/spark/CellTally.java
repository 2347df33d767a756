package dev.moe.spark;

import dev.moe.runtime.data.CategoricalEncoding;
import org.apache.spark.util.AccumulatorV2;

/**
 * The partitions' counts of cells encoded as none of the known levels or filled with a median, summed on the driver
 * for the one line {@code moe predict} says: moe's own log lines go nowhere beside Spark's logging (slf4j-nop), and
 * an executor's log is not where a user looks. A task that Spark runs again adds its counts again, so on a retry they
 * can be higher than the input's.
 */
final class CellTally extends AccumulatorV2<CategoricalEncoding.Tally, CategoricalEncoding.Tally> {

    private static final long serialVersionUID = 1L;
    private CategoricalEncoding.Tally tally = new CategoricalEncoding.Tally();

    @Override
    public boolean isZero() {
        return tally.isEmpty();
    }

    @Override
    public CellTally copy() {
        CellTally copy = new CellTally();
        copy.tally.add(tally);
        return copy;
    }

    @Override
    public void reset() {
        tally = new CategoricalEncoding.Tally();
    }

    @Override
    public void add(CategoricalEncoding.Tally partition) {
        tally.add(partition);
    }

    @Override
    public void merge(AccumulatorV2<CategoricalEncoding.Tally, CategoricalEncoding.Tally> other) {
        tally.add(other.value());
    }

    @Override
    public CategoricalEncoding.Tally value() {
        return tally;
    }
}
