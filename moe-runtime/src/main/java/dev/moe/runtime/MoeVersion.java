package dev.moe.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * moe's version, as the build has it: {@code version.properties} is filtered by Maven with the project's version, so
 * that {@code moe --version}, {@code moe doctor} and the {@code createdBy} of a saved bundle always say the same.
 */
public final class MoeVersion {

    private static final String VERSION = read();

    private MoeVersion() {
    }

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}; "development build" when the resource is missing or unfiltered. */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = MoeVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.contains("${")) {
                    return v.trim();
                }
            }
        } catch (IOException e) {
            // fall through: an unreadable resource is a development build
        }
        return "development build";
    }
}
