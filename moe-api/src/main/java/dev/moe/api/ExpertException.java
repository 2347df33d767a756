package dev.moe.api;

/** A problem with an expert that the user can fix: a bad parameter, a missing or unreadable model file. */
public class ExpertException extends RuntimeException {

    public ExpertException(String message) {
        super(message);
    }

    public ExpertException(String message, Throwable cause) {
        super(message, cause);
    }
}
