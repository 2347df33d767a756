package dev.moe.api;

/**
 * A problem with an expert that the user can fix: a bad parameter, a missing or unreadable model file. The runtime
 * shows its message as it is, after the config's file and line where it knows them: one line (a library's exception
 * message may span several: keep its first), naming the file or key and what to do.
 */
public class ExpertException extends RuntimeException {

    /**
     * An error the user can fix, told in one line.
     *
     * @param message what is wrong and, where it helps, how to fix it: the user reads it as it is
     */
    public ExpertException(String message) {
        super(message);
    }

    /**
     * An error the user can fix, told in one line, with what caused it.
     *
     * @param message what is wrong and, where it helps, how to fix it: the user reads it as it is
     * @param cause   the underlying failure, e.g. the {@code IOException} that reading the model file threw
     */
    public ExpertException(String message, Throwable cause) {
        super(message, cause);
    }
}
