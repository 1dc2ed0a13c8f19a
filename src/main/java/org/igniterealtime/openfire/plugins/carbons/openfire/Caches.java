package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.jivesoftware.util.cache.Cache;
import org.jivesoftware.util.cache.CacheFactory;

/**
 * The plugin's Openfire caches: cluster-wide where clustering runs, holding JDK types only so that no cache
 * entry pins the plugin's class loader after an unload.
 */
final class Caches {

    private Caches() {
    }

    /**
     * Opens (or, after a reload, joins) a cache. Limits an administrator set in the cache properties win.
     *
     * @param maxBytes   the size limit, -1 for none
     * @param lifetimeMs how long an entry lives, -1 for ever
     */
    static <K, V> Cache<K, V> open(String name, long maxBytes, long lifetimeMs) {
        if (!CacheFactory.hasMaxSizeFromProperty(name)) {
            CacheFactory.setMaxSizeProperty(name, maxBytes);
        }
        if (!CacheFactory.hasMaxLifetimeFromProperty(name)) {
            CacheFactory.setMaxLifetimeProperty(name, lifetimeMs);
        }
        return CacheFactory.createCache(name);
    }
}
