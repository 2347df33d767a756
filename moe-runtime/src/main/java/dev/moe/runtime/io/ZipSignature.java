package dev.moe.runtime.io;

/**
 * A zip file's first bytes ({@code PK\3\4}), by which a saved mixture given where a config or a CSV file belongs is
 * named as such rather than reported as bad text.
 */
public final class ZipSignature {

    /** How many first bytes {@link #opens} looks at. */
    public static final int LENGTH = 4;

    private ZipSignature() {
    }

    /** Whether a file starting with {@code head} is a zip file (a saved mixture is one). */
    public static boolean opens(byte[] head) {
        return head.length >= LENGTH && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }
}
