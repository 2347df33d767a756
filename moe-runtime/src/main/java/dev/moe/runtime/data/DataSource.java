package dev.moe.runtime.data;

import dev.moe.runtime.config.MoeConfig;
import java.nio.file.Path;

/** Produces the data set an experiment runs on. Bound by name ({@code data.source}) in the Guice module. */
public interface DataSource {

    /**
     * @param baseDirectory the config's folder, for relative paths
     * @param seed          for generated data; a file source ignores it
     */
    Dataset load(MoeConfig.DataConfig config, Path baseDirectory, long seed);
}
