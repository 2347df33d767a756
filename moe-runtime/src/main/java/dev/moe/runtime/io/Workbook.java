package dev.moe.runtime.io;

import java.util.List;
import java.util.Locale;

/**
 * A spreadsheet's own file (Excel's .xlsx or .xls, OpenDocument's .ods) given where a CSV file belongs: named as one,
 * with what to do, rather than reported as a zip file (a saved mixture?) or as bytes that are not UTF-8. Known by its
 * first bytes and, for the zip-based formats (a saved mixture is a zip too), by its name's ending.
 */
public final class Workbook {

    /** How many first bytes {@link #refusal} looks at (the old Excel format's signature is eight). */
    public static final int LENGTH = 8;

    private static final List<String> ZIPPED = List.of(".xlsx", ".xlsm", ".ods", ".numbers");
    /** The Compound File signature of Excel 97-2003's .xls (and Word's .doc). */
    private static final byte[] COMPOUND = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};

    private Workbook() {
    }

    /**
     * @param shown the file as a message names it
     * @param name  the file's name (its ending is looked at)
     * @param head  the file's first bytes (up to {@link #LENGTH})
     * @return the one-line refusal for a workbook, or null when the file is none
     */
    public static String refusal(String shown, String name, byte[] head) {
        String lower = name.toLowerCase(Locale.ROOT);
        boolean compound = head.length >= LENGTH && java.util.Arrays.equals(java.util.Arrays.copyOf(head, LENGTH), COMPOUND);
        boolean zipped = ZipSignature.opens(head) && ZIPPED.stream().anyMatch(lower::endsWith);
        if (!compound && !zipped) {
            return null;
        }
        return shown + ": a spreadsheet workbook (" + (compound ? "Excel 97-2003" : lower.substring(lower.lastIndexOf('.')))
                + "), not a CSV file: save the sheet as CSV (UTF-8) from the spreadsheet, and give that file";
    }
}
