package dev.moe.runtime.io;

import java.util.Locale;

/**
 * Weka's ARFF file given where a CSV file belongs: named as one, with what to do, rather than refused for its first
 * data row's "2 fields, the header has 1" (its {@code @relation} line read as a header of one column). Known by its
 * name's ending or its first line's {@code @relation} (a first line of {@code %} comment could be a column named
 * "% fat", so only the name tells such a file).
 */
public final class Arff {

    private Arff() {
    }

    /**
     * @param shown     the file as a message names it
     * @param name      the file's name (its ending is looked at)
     * @param firstCell the first line's first cell as read (Spark's check: the file's first bytes as text), or null to
     *                  look at the name alone
     * @return the one-line refusal for an ARFF file, or null when the file is none
     */
    public static String refusal(String shown, String name, String firstCell) {
        String first = firstCell == null ? "" : firstCell.strip().toLowerCase(Locale.ROOT);
        if (!name.toLowerCase(Locale.ROOT).endsWith(".arff") && !first.startsWith("@relation")) {
            return null;
        }
        return shown + ": an ARFF file (Weka's format: @relation, @attribute, @data), not a CSV file: save it as CSV with a"
                + " header row (Weka's Explorer: Save..., CSV; or java -cp weka.jar weka.core.converters.CSVSaver -i "
                + name + " -o " + name.replaceFirst("(?i)\\.arff$", "") + ".csv), and give that file";
    }
}
