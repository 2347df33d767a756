package dev.moe.api;

/** A config parameter with a wrong type, a bad value or an unknown key; the message names where it sits. */
public class ParameterException extends IllegalArgumentException {

    public ParameterException(String message) {
        super(message);
    }
}
