package dev.moe.runtime;

/**
 * An error the user caused and can fix (bad config, missing file, unknown strategy, bad data). The CLI
 * prints its message as one line and exits with status 2; the message names the file, key or row.
 */
public class MoeException extends RuntimeException {

    public MoeException(String message) {
        super(message);
    }

    public MoeException(String message, Throwable cause) {
        super(message, cause);
    }
}
