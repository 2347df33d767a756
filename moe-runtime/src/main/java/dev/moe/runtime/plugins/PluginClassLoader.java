package dev.moe.runtime.plugins;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A plugin's class loader, plugin first (as Trino's {@code PluginClassLoader}): the SPI ({@code dev.moe.api.*}) always
 * comes from moe, so that moe and the plugin mean the same {@code Expert}; the JDK comes from the JDK; every other
 * class and resource comes from the plugin's own jars first, and only when the plugin does not ship it from moe's
 * class path. So a plugin can bring its own version of a library moe also uses (its Tribuo, Jackson, protobuf), and a
 * thin plugin jar still runs on the libraries moe ships.
 *
 * <p>One exception: SLF4J's API comes from moe when moe has it. Libraries drag {@code slf4j-api} into a plugin's folder
 * (Smile does); a plugin's own copy would look for its binding through moe's resources, find moe's slf4j-simple built
 * against moe's copy, print "not a subtype" and "no providers" on every run, and drop the plugin's log lines. Callers
 * of SLF4J's API are binary compatible from 1.7 on, so a plugin built against any of them logs through moe's binding.
 */
final class PluginClassLoader extends URLClassLoader {

    private static final String SPI_PACKAGE = "dev.moe.api.";
    private static final String SPI_RESOURCES = "dev/moe/api/";
    private static final String LOGGING_PACKAGE = "org.slf4j.";

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final ClassLoader host;

    /**
     * @param urls the plugin's jars
     * @param host moe's class loader: the SPI, and what the plugin does not ship
     */
    PluginClassLoader(String name, URL[] urls, ClassLoader host) {
        super(name, urls, ClassLoader.getPlatformClassLoader());
        this.host = host;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> type = findLoadedClass(name);
            if (type == null) {
                type = name.startsWith(SPI_PACKAGE) ? host.loadClass(name)
                        : name.startsWith(LOGGING_PACKAGE) ? hostFirst(name) : pluginFirst(name);
            }
            if (resolve) {
                resolveClass(type);
            }
            return type;
        }
    }

    /** moe's class, or the plugin's when moe lacks it (an SLF4J 1.7 binder class a plugin brings). */
    private Class<?> hostFirst(String name) throws ClassNotFoundException {
        try {
            return host.loadClass(name);
        } catch (ClassNotFoundException notInMoe) {
            return pluginFirst(name);
        }
    }

    private Class<?> pluginFirst(String name) throws ClassNotFoundException {
        try {
            return getParent().loadClass(name); // the JDK's own classes: never replaced by a plugin
        } catch (ClassNotFoundException notJdk) {
            try {
                return findClass(name);
            } catch (ClassNotFoundException notInPlugin) {
                return host.loadClass(name);
            }
        }
    }

    @Override
    public URL getResource(String name) {
        if (name.startsWith(SPI_RESOURCES)) {
            return host.getResource(name);
        }
        URL url = getParent().getResource(name);
        if (url == null) {
            url = findResource(name);
        }
        return url != null ? url : host.getResource(name);
    }

    /** The plugin's resources, then moe's: ServiceLoader sees the plugin's service files first. */
    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> urls = new ArrayList<>();
        if (!name.startsWith(SPI_RESOURCES)) {
            urls.addAll(Collections.list(findResources(name)));
        }
        for (URL url : Collections.list(host.getResources(name))) {
            if (!urls.contains(url)) {
                urls.add(url);
            }
        }
        return Collections.enumeration(urls);
    }
}
