package dev.moe.cli;

import dev.moe.runtime.plugins.ProviderRegistry;
import java.util.Iterator;
import java.util.TreeSet;

/**
 * The routing strategies on the class path, for {@code --strategy}'s shell completion. picocli makes this object
 * whenever it builds the command line, so the lookup waits until the completion script asks for the names.
 */
final class StrategyNames implements Iterable<String> {

    @Override
    public Iterator<String> iterator() {
        return new TreeSet<>(ProviderRegistry.fromClassPath().routingProviders().keySet()).iterator();
    }
}
