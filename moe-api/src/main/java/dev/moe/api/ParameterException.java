package dev.moe.api;

/** A config parameter with a wrong type, a bad value or an unknown key; the message names where it sits. */
public class ParameterException extends IllegalArgumentException {

    /**
     * A config parameter's error, told in one line.
     *
     * @param message starting with where the parameter sits, e.g. {@code experts[expert1].params.epochs: ...}
     */
    public ParameterException(String message) {
        super(message);
    }
}
