package dev.moe.runtime.plugins;

/**
 * Calls into a provider with the thread's context class loader set to the provider's own: libraries inside a plugin
 * (protobuf, Tribuo) look classes up through the context loader, which otherwise is moe's.
 */
public final class ContextLoader {

    private ContextLoader() {
    }

    /** Runs {@code action} with the thread's context class loader set to the loader of {@code provider}'s class. */
    public static <T, E extends Exception> T withLoaderOf(Object provider, Action<T, E> action) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(provider.getClass().getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** What runs under the provider's loader; may throw what the provider's method throws. */
    @FunctionalInterface
    public interface Action<T, E extends Exception> {
        T get() throws E;
    }
}
