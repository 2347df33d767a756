package dev.moe.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlReportFiguresTest {

    /** A dead expert got no rows: its accuracy there is said to be missing, not printed as Java's "NaN". */
    @Test
    void anExpertWithNoRowsRoutedHasNoAccuracyThereNotNaN() {
        assertEquals("no rows", HtmlReport.routedAccuracy(Double.NaN));
        assertEquals("0.970", HtmlReport.routedAccuracy(0.97));
    }
}
