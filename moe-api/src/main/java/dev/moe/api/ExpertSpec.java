package dev.moe.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One expert entry of the config, as a provider sees it.
 *
 * @param id            the expert's id (unique in the config)
 * @param provider      the provider's name
 * @param parameters    the provider's own parameters ({@code params:} in the config)
 * @param baseDirectory the config file's folder: relative paths in parameters resolve against it
 * @param seed          the seed for anything random the provider does (training, initialisation)
 */
public record ExpertSpec(String id, String provider, Parameters parameters, Path baseDirectory, long seed) {

    public ExpertSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(baseDirectory, "baseDirectory");
    }

    /** A path parameter resolved against the config's folder. */
    public Path resolvePath(String value) {
        return baseDirectory.resolve(value).normalize();
    }
}
