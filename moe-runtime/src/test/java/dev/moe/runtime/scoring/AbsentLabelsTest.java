package dev.moe.runtime.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.Expert;
import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.runtime.report.ReportWriterTableTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbsentLabelsTest {

    @Test
    void everyExpertLackingLabelsIsInOneNoticeWithTheTestRowsOfTheLabelsItLacks() {
        Map<String, List<String>> absent = new LinkedHashMap<>();
        absent.put("two", List.of("c", "d"));
        absent.put("rare", List.of("e"));
        absent.put("one", List.of("b"));
        List<String> notices = AbsentLabels.notices(absent, List.of("a", "b", "c", "d", "e"), new long[] {10, 20, 7, 3, 0},
                "the 40 test rows");
        assertEquals(List.of("3 loaded experts were trained without labels of the data and give them probability 0 on every"
                + " row: 'two' lacks c, d (10 of the 40 test rows: c 7, d 3), 'rare' lacks e (none), 'one' lacks b (20); on those"
                + " rows each is wrong alone and pulls the average of the experts (uniform) down, and the combiner learns from"
                + " the gate's rows how far to trust each"), notices);
    }

    @Test
    void oneExpertIsNamedAlone() {
        assertEquals(List.of("a loaded expert was trained without labels of the data and gives them probability 0 on every"
                + " row: 'rare' lacks e (none of the 40 test rows)"),
                AbsentLabels.notices(Map.of("rare", List.of("e")), List.of("a", "e"), new long[] {40, 0}, "the 40 test rows"));
        assertEquals(List.of(), AbsentLabels.notices(Map.of(), List.of("a"), new long[] {40}, "the 40 test rows"));
    }

    static AlignedExpert expert(String id, List<String> labels) {
        Expert e = new Expert() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public List<String> featureNames() {
                return List.of("x");
            }

            @Override
            public List<String> labelNames() {
                return labels;
            }

            @Override
            public Map<String, String> provenance() {
                return Map.of();
            }

            @Override
            public FloatMatrix predict(FloatMatrix features) {
                return FloatMatrix.zeros(features.rows(), labels.size());
            }
        };
        return AlignedExpert.align(e, List.of("x"), List.of("a", "b", "c"));
    }

    /** Only loaded experts that lack a label are named, with the labels they lack in the data's order. */
    @Test
    void theLoadedExpertsThatLackLabelsOfTheData() {
        List<AlignedExpert> experts = List.of(expert("all", List.of("c", "b", "a")), expert("no-a-c", List.of("b")),
                expert("trained", List.of("a")), expert("no-a", List.of("c", "b")));
        Map<String, List<String>> absent = AbsentLabels.of(experts, k -> k != 2, List.of("a", "b", "c"));
        assertEquals(Map.of("no-a-c", List.of("a", "c"), "no-a", List.of("a")), absent);
        assertEquals(List.of("no-a-c", "no-a"), List.copyOf(absent.keySet()));
        assertEquals(Map.of(), AbsentLabels.of(experts, k -> false, List.of("a", "b", "c")));
    }

    /** A report's notices count the mixture's confusion matrix's rows per label, over the repeats. */
    @Test
    void aReportsNoticesCountTheTestRowsOfEachLabelOverTheRepeats() {
        // The table test's report: labels a and b, 25 rows of a and 35 of b over its 2 repeats.
        Map<String, List<String>> absent = Map.of("e", List.of("a"));
        assertEquals(List.of("a loaded expert was trained without labels of the data and gives them probability 0 on every row:"
                + " 'e' lacks a (25 of the 60 test rows of the 2 repeats); on those rows it is wrong alone and pulls the average of"
                + " the experts (uniform) down, and the combiner learns from the gate's rows how far to trust it"),
                AbsentLabels.notices(absent, ReportWriterTableTest.report(List.of())));
        assertEquals(List.of(), AbsentLabels.notices(Map.of(), ReportWriterTableTest.report(List.of())));
        // One repeat (a saved mixture on its data): the test rows, without repeats.
        dev.moe.runtime.evaluation.EvaluationReport r = ReportWriterTableTest.report(List.of());
        dev.moe.runtime.evaluation.EvaluationReport once = new dev.moe.runtime.evaluation.EvaluationReport(r.config(), r.dataset(),
                r.strategy(), r.strategyParameters(), 1, List.of(7L), r.testRows(), r.gateTrainRows(), r.labels(), r.results(),
                r.moeConfusion(), r.moePerClass(), r.routing(), r.gateWeights(), r.gateLossFirstRepeat(), r.comparisons(),
                r.notices(), r.gate(), r.notes(), List.of("rows:0123456789abcdef"));
        assertEquals(true, AbsentLabels.notices(absent, once).get(0).contains("'e' lacks a (25 of the 60 test rows);"),
                AbsentLabels.notices(absent, once).toString());
    }
}
