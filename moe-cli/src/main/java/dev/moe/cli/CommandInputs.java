package dev.moe.cli;

import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.io.OutputTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What a command reads, so that {@link OutputTarget#claim} can refuse an output that is one of them. */
final class CommandInputs {

    private CommandInputs() {
    }

    /** A config's command: the config, its data file, every file a parameter names, the plugin jars. */
    static List<OutputTarget.Input> ofConfig(Path config, MoeConfig c, Path pluginsFolder) {
        List<OutputTarget.Input> inputs = new ArrayList<>();
        inputs.add(OutputTarget.input(config, "the config"));
        if (c.data() != null && c.data().path() != null) {
            inputs.add(OutputTarget.input(c.baseDirectory().resolve(c.data().path()), "the data file"));
        }
        List<MoeConfig.ExpertConfig> experts = new ArrayList<>(c.experts());
        experts.addAll(c.baselines());
        for (MoeConfig.ExpertConfig e : experts) {
            if (e == null || e.params() == null) {
                continue;
            }
            e.params().forEach((key, value) -> {
                if (value instanceof String s && !s.isBlank() && !s.startsWith("classpath:") && !key.equals(SAVE)) {
                    try {
                        Path p = c.baseDirectory().resolve(s);
                        if (Files.isRegularFile(p)) {
                            inputs.add(OutputTarget.input(p, "a file that expert '" + e.id() + "' reads (" + key + ")"));
                        }
                    } catch (RuntimeException ignored) {
                        // Not a path: nothing to protect.
                    }
                }
            });
        }
        inputs.addAll(pluginJars(pluginsFolder));
        return inputs;
    }

    /** The parameter under which the built-in providers (nd4j-mlp, tribuo) write a trained expert's model file. */
    static final String SAVE = "save";

    /**
     * The model files the config's experts will write ({@code save:}), each claimed as an output of the command: not
     * one of its inputs, an existing one only with {@code --overwrite}, locked for the run.
     */
    static Claims claimSaves(MoeConfig c, boolean overwrite, List<OutputTarget.Input> inputs) {
        Claims claims = new Claims();
        try {
            List<MoeConfig.ExpertConfig> experts = new ArrayList<>(c.experts());
            experts.addAll(c.baselines());
            for (MoeConfig.ExpertConfig e : experts) {
                if (e != null && e.params() != null && e.params().get(SAVE) instanceof String s && !s.isBlank()) {
                    claims.add(OutputTarget.claim(c.baseDirectory().resolve(s), "model file of expert '" + e.id() + "' (save:)",
                            overwrite, inputs));
                }
            }
            return claims;
        } catch (RuntimeException e) {
            claims.close();
            throw e;
        }
    }

    /** Outputs held for the length of a command. */
    static final class Claims implements AutoCloseable {
        private final List<OutputTarget> held = new ArrayList<>();

        void add(OutputTarget target) {
            held.add(target);
        }

        @Override
        public void close() {
            for (OutputTarget t : held) {
                t.written(); // a provider wrote it (or not): the folder it made stays either way
                t.close();
            }
        }
    }

    /**
     * A config given where a saved mixture belongs ({@code predict -m glass.yaml}) is refused with the step the user
     * skipped: training one. By its name (.yaml, .yml) and only when it is no zip, so that a bundle named so still loads.
     */
    static void notAConfig(Path model) {
        Path name = model.getFileName();
        String lower = name == null ? "" : name.toString().toLowerCase(java.util.Locale.ROOT);
        if (!(lower.endsWith(".yaml") || lower.endsWith(".yml")) || !Files.isRegularFile(model)) {
            return;
        }
        try (java.io.InputStream in = Files.newInputStream(model)) {
            if (dev.moe.runtime.io.ZipSignature.opens(in.readNBytes(dev.moe.runtime.io.ZipSignature.LENGTH))) {
                return; // a zip: a bundle, whatever its name
            }
        } catch (IOException e) {
            return; // unreadable: the bundle reader says so in its own words
        }
        String stem = name.toString().substring(0, name.toString().lastIndexOf('.'));
        throw new dev.moe.runtime.MoeException(model + ": a config, not a saved mixture: train one first (moe train " + model
                + " -o " + stem + ".moe), then use " + stem + ".moe");
    }

    /** A saved mixture's command: the bundle, the data, the plugin jars. */
    static List<OutputTarget.Input> ofModel(Path model, Path data, Path pluginsFolder) {
        List<OutputTarget.Input> inputs = new ArrayList<>();
        inputs.add(OutputTarget.input(model, "the model"));
        if (data != null) {
            inputs.add(OutputTarget.input(data, "the input"));
        }
        inputs.addAll(pluginJars(pluginsFolder));
        return inputs;
    }

    static List<OutputTarget.Input> pluginJars(Path folder) {
        if (folder == null || !Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder, 2)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .map(p -> OutputTarget.input(p, "a plugin jar")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Two outputs of one command may not be the same file. */
    static void distinct(Path a, String aName, Path b, String bName) {
        if (a == null || b == null) {
            return;
        }
        if (OutputTarget.isDash(a) && OutputTarget.isDash(b)) {
            // Both on standard output would run together into one stream no reader can split.
            throw new dev.moe.runtime.MoeException(bName + " - and " + aName + " -: only one report can go to standard output;"
                    + " give the other a file");
        }
        if (!OutputTarget.isDash(a) && OutputTarget.realPath(a).equals(OutputTarget.realPath(b))) {
            throw new dev.moe.runtime.MoeException(b + ": " + bName + " and " + aName + " are the same file; give each its own");
        }
    }
}
