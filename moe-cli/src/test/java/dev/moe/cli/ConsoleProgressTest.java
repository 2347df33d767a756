package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress line: redrawn in place (carriage returns, no new lines), never wider than the terminal, overall and per stage. */
class ConsoleProgressTest {

    @Test
    void oneLineRedrawnInPlaceThroughEveryStageOfEveryRepeat() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ConsoleProgress progress = ConsoleProgress.drawingOn(err);
        progress.repeats(2);
        for (int r = 1; r <= 2; r++) {
            String prefix = "repeat " + r + "/2: ";
            progress.step(prefix + "loading data");
            progress.step(prefix + "cross-fitting 3 experts (11 fits each: 10 folds and the final one) on 2 threads");
            for (int fit = 0; fit <= 33; fit += 11) {
                progress.expertFit(fit, 33);
                Thread.sleep(300); // the library redraws every 250 ms
            }
            progress.step(prefix + "choosing how to combine the experts (uniform, constant, signals; 5-fold cross-validation on the gate's rows)");
            for (int training = 0; training < 11; training++) {
                for (int epoch = 1; epoch <= 300; epoch += 100) {
                    progress.gateEpoch(epoch, 300, 0.9);
                }
            }
            Thread.sleep(300);
            progress.step(prefix + "evaluating");
            Thread.sleep(300);
        }
        progress.close();
        String out = bytes.toString(StandardCharsets.UTF_8);
        List<String> frames = Arrays.stream(out.split("\r")).filter(f -> !f.isEmpty()).toList();
        assertTrue(frames.size() >= 6, out.replace('\r', '\n'));
        int width = new ConsoleProgress.TerminalLine(err).getMaxRenderedLength();
        for (String frame : frames.subList(0, frames.size() - 1)) {
            assertTrue(frame.length() <= width, "wider than the terminal's " + width + ": " + frame);
            assertTrue(!frame.contains("\n"), "a new line would scroll: " + frame);
        }
        assertTrue(out.contains("repeat 2/2 · experts [########] 33/33 fits"), out.replace('\r', '\n'));
        assertTrue(out.contains("combiner: gate 11/11"), "uniform averaging learns nothing: 2 candidates x 5 folds + 1\n" + out.replace('\r', '\n'));
        // The overall share never goes back, and the stages of the first repeat end before the second's begin.
        int last = -1;
        for (String frame : frames) {
            if (frame.startsWith("moe ")) {
                int percent = Integer.parseInt(frame.substring(4, 7).strip());
                assertTrue(percent >= last, out);
                last = percent;
            }
        }
        assertTrue(last >= 95, out);
        // Closing clears the line: what stays on screen is what comes next (the results).
        assertEquals("", frames.get(frames.size() - 1).strip(), "the last frame blanks the line");
    }

    @Test
    void theStageBarFillsWithItsShare() {
        assertEquals("[--------]", ConsoleProgress.miniBar(0, 33));
        assertEquals("[####----]", ConsoleProgress.miniBar(16, 33));
        assertEquals("[########]", ConsoleProgress.miniBar(33, 33));
    }

    /** Stopped mid-run (Ctrl-C runs the shutdown hooks): the line is cleared and one line says so; after close, nothing. */
    @Test
    void aRunStoppedMidwayClearsTheLineAndSaysSo() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ConsoleProgress progress = ConsoleProgress.drawingOn(err);
        progress.repeats(5);
        progress.step("repeat 1/5: cross-fitting 3 experts");
        progress.expertFit(18, 30);
        Thread.sleep(300);
        progress.stopped();
        String out = bytes.toString(StandardCharsets.UTF_8);
        String[] frames = out.split("\r");
        assertEquals("moe: stopped before the end of the run; no results written", frames[frames.length - 1].strip(), out);
        assertTrue(frames[frames.length - 1].startsWith(" ".repeat(10)) || frames[frames.length - 2].isBlank(),
                "the line is blanked before the message: " + out.replace('\r', '|'));
        progress.stopped();
        progress.close();
        assertEquals(out, bytes.toString(StandardCharsets.UTF_8), "said once");

        bytes.reset();
        ConsoleProgress finished = ConsoleProgress.drawingOn(err);
        finished.close();
        finished.stopped();
        assertTrue(!bytes.toString(StandardCharsets.UTF_8).contains("stopped"), "a run that ended says nothing at exit");
    }

    /** A log line while the line is drawn: the line is blanked first, so the warning starts a row of its own. */
    @Test
    void aLogLineIsWrittenOnARowOfItsOwnNotAfterTheDrawnLine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ConsoleProgress progress = ConsoleProgress.drawingOn(err);
        progress.step("loading data");
        Thread.sleep(300);
        PrintStream logs = new PrintStream(progress.logsAround(), true, StandardCharsets.UTF_8);
        logs.println("WARN Experiment - soybean.csv: categorical cells encoded as none of the known levels");
        String out = bytes.toString(StandardCharsets.UTF_8);
        int width = new ConsoleProgress.TerminalLine(err).getMaxRenderedLength();
        // (The library draws on its own thread: which frame is on screen when the warning comes is its business.)
        assertTrue(out.contains("\r" + " ".repeat(width) + "\rWARN Experiment - soybean.csv: categorical cells encoded as none of the"
                + " known levels" + System.lineSeparator()), out.replace('\r', '|'));
        progress.close();
    }
}
