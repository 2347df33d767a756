package dev.moe.cli;

import dev.moe.api.NearestName;
import dev.moe.runtime.MoeException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** What each figure of a report means, in a sentence or two: the console table needs no guide beside it. */
@Command(name = "explain", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_CODES, exitCodeList = {Main.EXIT_OK, Main.EXIT_INTERNAL, Main.EXIT_USER},
        footerHeading = "%nExamples:%n", footer = {"  moe explain", "  moe explain 'load CV'"},
        description = "Say what a figure of moe's reports means (all of them without TERM).")
final class ExplainCommand implements Callable<Integer> {

    static final Map<String, String> TERMS = new LinkedHashMap<>();

    static {
        TERMS.put("accuracy", "The share of test rows whose most probable label is the true one; mean ± standard deviation over"
                + " the repeats (each repeat has its own seed, split and test rows).");
        TERMS.put("macro-F1", "F1 (the harmonic mean of precision and recall) of each label, averaged with every label counting"
                + " the same: a model that ignores a rare label loses here, not in accuracy.");
        TERMS.put("log-loss", "The mean of -ln(probability given to the true label): how good the probabilities are, not only"
                + " the answer. Lower is better; a confident wrong answer costs a lot.");
        TERMS.put("moe - model", "The mixture's accuracy minus this row's, repeat by repeat on the same test rows, then mean ±"
                + " its standard error. Above 0 the mixture is better; within about two standard errors of 0, no clear difference.");
        TERMS.put("uniform", "Baseline: the experts' probabilities averaged, nothing learned. A mixture is worth its gate only"
                + " where it beats this.");
        TERMS.put("stacking", "Baseline: a logistic regression on the experts' probabilities, trained on the rows (and"
                + " expert outputs) the gate saw (Wolpert 1992), L2-penalised and fitted to convergence (Tribuo's LIBLINEAR,"
                + " cost 1), as a user would fit it by hand.");
        TERMS.put("tribuo-ensemble", "Baseline: Tribuo's own soft vote over the experts that are Tribuo models, when at least two"
                + " are and Tribuo accepts them as one ensemble; a note says so when it is left out.");
        TERMS.put("combiner", "How the experts are combined: uniform (averaging), product (the experts' weighted product, one"
                + " exponent each), product-signals (the product, each exponent following its expert's confidence row by row),"
                + " constant (one learned weight per expert) or a gate (a weight per expert and row). Chosen"
                + " per repeat by 5-fold cross-validation of the log-loss on the gate's rows, never the test rows: the learned"
                + " one with the lowest, unless averaging's is lower by more than two standard errors; \"product 8/10\""
                + " means chosen in 8 of 10 repeats.");
        TERMS.put("mean gate weight", "Each expert's weight averaged over the test rows: how much of the mixture's answer comes"
                + " from it. With dense routing every row goes to every expert, so this is the figure that says something.");
        TERMS.put("oracle accuracy", "The share of test rows that at least one expert gets right: the ceiling for any gate that"
                + " picks an expert per row. Far above the mixture: the gate could route better; close: the experts are the limit.");
        TERMS.put("utilization", "An expert's share of the rows routed to it (weight above 0) divided by its fair share k/E: 1 is"
                + " its fair part, 0 dead, above 1 overloaded. Meaningful for sparse routing (top-k, switch, expert-choice).");
        TERMS.put("load CV", "The coefficient of variation (std / mean) of the experts' shares of rows: 0 is perfectly even load,"
                + " large values mean a few experts take most rows. Always 0 with dense routing.");
        TERMS.put("importance CV", "The coefficient of variation of the experts' mean gate weights: 0 when the gate leans on every"
                + " expert equally.");
        TERMS.put("gate entropy", "The mean over rows of -sum w ln w of the gate's weights, in nats: 0 when each row goes to one"
                + " expert, ln(E) when the gate averages.");
        TERMS.put("dead expert", "An expert no test row was routed to in a repeat: with sparse routing the gate has stopped"
                + " using it.");
        TERMS.put("calibration", "Whether a model is right as often as it is sure: the test rows binned by the probability of"
                + " its answer, the bin's mean confidence against its accuracy. ECE (expected calibration error) is the"
                + " rows-weighted mean gap; 0 is perfectly calibrated.");
        TERMS.put("best epoch", "With early stopping, the epoch whose gate was kept (lowest log-loss on the held-out fifth of"
                + " the gate's rows); validation loss is that log-loss.");
        TERMS.put("notice", "A plain sentence whenever the mixture is less accurate than its best expert or a baseline, with"
                + " the paired difference and how many test predictions it is: the report never hides a loss.");
        TERMS.put("note", "A plain sentence whenever a baseline row is left out of the report, and why.");
    }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "TERM", description = "A figure, e.g. 'oracle accuracy', 'load CV', combiner (any part of its name).")
    String term;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Map.Entry<String, String> e : matching(term).entrySet()) {
            out.println(e.getKey() + ": " + e.getValue());
        }
        out.flush();
        return 0;
    }

    /** Every term when {@code term} is null; else the one it names exactly, or those whose name contains it. */
    static Map<String, String> matching(String term) {
        if (term == null) {
            return TERMS;
        }
        String wanted = normalise(term);
        Map<String, String> found = new LinkedHashMap<>();
        TERMS.forEach((name, text) -> {
            // "dead experts", "notices": the report and the README say the plural
            if (normalise(name).equals(wanted) || (normalise(name) + "s").equals(wanted)) {
                found.put(name, text);
            }
        });
        if (found.isEmpty()) {
            TERMS.forEach((name, text) -> {
                if (normalise(name).contains(wanted)) {
                    found.put(name, text);
                }
            });
        }
        if (found.isEmpty()) {
            throw new MoeException("no figure called '" + term + "'" + NearestName.didYouMean(term, TERMS.keySet()) + "; known: "
                    + String.join(", ", List.copyOf(TERMS.keySet())));
        }
        return found;
    }

    /** "Load-CV", "load cv" and "loadcv" all name load CV; "moe − model" with the minus sign too. */
    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replace('−', '-').replaceAll("[\\s_-]+", "");
    }
}
