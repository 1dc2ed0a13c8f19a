package org.igniterealtime.openfire.plugins.carbons.cluster;

import org.jivesoftware.openfire.container.IsPluginInstalledTask;
import org.jivesoftware.util.JiveGlobals;
import org.jivesoftware.util.cache.Cache;
import org.jivesoftware.util.cache.CacheFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plugin's Openfire caches: cluster-wide where clustering runs, holding JDK types only so that no cache
 * entry pins the plugin's class loader after an unload.
 * <p>
 * Where the six cache.* properties come from: Openfire sizes a cache it does not know from the properties
 * {@code cache.<name without spaces>.size} and {@code .maxLifetime}, else 256 KB and 6 hours
 * (CacheFactory.getCacheProperty, 4.2 to 5.1.1), which would evict live carbons state; so {@link #open} writes the
 * plugin's limits there when the administrator has not set them (CacheFactory.setMaxSizeProperty /
 * setMaxLifetimeProperty). Openfire's own caches (CacheFactory's cacheProps) and the caches a plugin declares in
 * plugin.xml (PluginCacheRegistry) get their defaults the same way.
 * <p>
 * {@link #releaseAll} undoes that on unload, as Openfire's PluginCacheRegistry.unregisterCaches does for declared
 * caches: when no other cluster node runs the plugin, the caches are destroyed (they leave Cache Summary) and the
 * properties that still hold the plugin's own values are deleted (they leave System Properties). A property with
 * another value is the administrator's choice and stays, as do the plugin's settings (plugin.carbons.*): reinstalling
 * the plugin finds them again.
 */
public final class Caches {

    private static final Logger Log = LoggerFactory.getLogger(Caches.class);

    /** The caches this load of the plugin opened (this class lives as long as the load), with the limits it set. */
    private static final Map<String, long[]> OPENED = new ConcurrentHashMap<>();

    private Caches() {
    }

    /**
     * Opens (or, after a reload, joins) a cache. Limits an administrator set in the cache properties win.
     *
     * @param maxBytes   the size limit, -1 for none
     * @param lifetimeMs how long an entry lives, -1 for ever
     */
    public static <K, V> Cache<K, V> open(String name, long maxBytes, long lifetimeMs) {
        if (!CacheFactory.hasMaxSizeFromProperty(name)) {
            CacheFactory.setMaxSizeProperty(name, maxBytes);
        }
        if (!CacheFactory.hasMaxLifetimeFromProperty(name)) {
            CacheFactory.setMaxLifetimeProperty(name, lifetimeMs);
        }
        OPENED.put(name, new long[]{maxBytes, lifetimeMs});
        return CacheFactory.createCache(name);
    }

    /**
     * Removes what {@link #open} created, unless another cluster node still runs the plugin and uses the caches.
     * Call once the plugin no longer touches them.
     *
     * @param pluginName the plugin's canonical name (its directory), which other nodes are asked about
     * @return how many caches were destroyed
     */
    public static int releaseAll(String pluginName) {
        if (elsewhereInCluster(pluginName)) {
            Log.info("Another cluster node runs the plugin: its caches {} stay", OPENED.keySet());
            OPENED.clear();
            return 0;
        }
        int destroyed = 0;
        for (Map.Entry<String, long[]> cache : OPENED.entrySet()) {
            CacheFactory.destroyCache(cache.getKey());
            deleteIfUnchanged(property(cache.getKey(), ".size"), cache.getValue()[0]);
            deleteIfUnchanged(property(cache.getKey(), ".maxLifetime"), cache.getValue()[1]);
            destroyed++;
        }
        OPENED.clear();
        return destroyed;
    }

    /** The property CacheFactory reads a cache's limit from (spaces removed from the name, 4.2 to 5.1.1). */
    static String property(String cacheName, String suffix) {
        return "cache." + cacheName.replace(" ", "") + suffix;
    }

    private static void deleteIfUnchanged(String property, long pluginValue) {
        if (Long.toString(pluginValue).equals(JiveGlobals.getProperty(property))) {
            JiveGlobals.deleteProperty(property);
        }
    }

    /** Openfire's own test before destroying a plugin's caches (PluginCacheRegistry.unregisterCaches). */
    private static boolean elsewhereInCluster(String pluginName) {
        try {
            return CacheFactory.doSynchronousClusterTask(new IsPluginInstalledTask(pluginName), false).stream()
                .anyMatch(Boolean.TRUE::equals);
        } catch (RuntimeException e) {
            Log.warn("Could not ask the other cluster nodes whether they run the plugin; its caches stay", e);
            return true;
        }
    }
}
