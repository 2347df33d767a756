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

    /**
     * Checks that all but the seed are given.
     *
     * @param id            the expert's id
     * @param provider      the provider's name
     * @param parameters    the provider's own parameters
     * @param baseDirectory the config file's folder
     * @param seed          the seed for anything random
     */
    public ExpertSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(baseDirectory, "baseDirectory");
    }

    /**
     * A path parameter resolved against the config's folder.
     *
     * @param value a path as the config gives it, relative or absolute
     * @return {@code value} resolved against {@link #baseDirectory()} and normalized; an absolute one stays where it
     *         points
     */
    public Path resolvePath(String value) {
        return baseDirectory.resolve(value).normalize();
    }
}
