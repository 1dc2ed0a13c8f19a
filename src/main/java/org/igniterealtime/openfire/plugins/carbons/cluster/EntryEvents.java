package org.igniterealtime.openfire.plugins.carbons.cluster;

/**
 * The entry events of a cluster-wide cache, as the plugin's node-local views ({@link OtherNodesView}) follow them.
 * In Openfire 5 these are the cache's ClusteredCacheEntryListener events ({@link OpenfireCacheEvents}); the cluster
 * model of the tests delivers its own.
 *
 * @param <K> the cache's key
 * @param <V> the cache's value, replaced whole on every change
 */
public interface EntryEvents<K, V> {

    /** What a view is told, on the cache's event thread, in the order the changes were made to each key. */
    interface Listener<K, V> {
        /** The key was added or its value replaced. */
        void put(K key, V value);

        /** The key was removed (or evicted). */
        void removed(K key);

        /** The whole cache was cleared (or evicted). */
        void cleared();
    }

    /**
     * Starts telling the listener about changes made from now on.
     *
     * @return an id for {@link #unsubscribe}, or null where the cache has no events (not clustered; an Openfire without
     * cluster entry listeners)
     */
    String subscribe(Listener<K, V> listener);

    void unsubscribe(String subscription);

    /** A cache without events: views built on it never follow, and readers read the cache itself. */
    static <K, V> EntryEvents<K, V> none() {
        return new EntryEvents<>() {
            @Override
            public String subscribe(Listener<K, V> listener) {
                return null;
            }

            @Override
            public void unsubscribe(String subscription) {
            }
        };
    }
}
