package org.igniterealtime.openfire.plugins.carbons.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * An Openfire cache's cluster entry events: {@code Cache.addClusteredCacheEntryListener(listener, includeValues,
 * includeEventsFromLocalNode)} with a {@code org.jivesoftware.openfire.cluster.ClusteredCacheEntryListener}, which
 * Openfire 5 has and the Openfire 4.2.0 the plugin compiles against has not: both are reached by name, the listener
 * as a dynamic proxy of the interface.
 * <p>
 * What Openfire 5.1.1 and the Hazelcast plugin 5.5 do with it: a clustered cache (ClusteredCache) registers a Hazelcast
 * EntryListener on its IMap ({@code map.addEntryListener(listener, includeValues)}) and passes entryAdded, entryUpdated,
 * entryRemoved, entryEvicted (and an expired entry as removed), mapCleared and mapEvicted on, skipping those caused by
 * this node when asked to; Hazelcast calls it on its event threads, the events of one key in the order of its changes. A
 * node-local cache (DefaultCache, CaffeineCache: not clustered) throws UnsupportedOperationException. When this node
 * joins a cluster, Openfire swaps the cache behind the wrapper for the clustered one (CacheFactory.joinedCluster), so a
 * listener is registered after every join, as RoutingTableImpl.joinedCluster registers its own; leaving destroys the
 * clustered cache and its listeners.
 */
final class OpenfireCacheEvents<K, V> implements EntryEvents<K, V> {

    private static final Logger Log = LoggerFactory.getLogger(OpenfireCacheEvents.class);
    static final String LISTENER = "org.jivesoftware.openfire.cluster.ClusteredCacheEntryListener";

    private final Object cache;

    /** @param cache an Openfire cache ({@code org.jivesoftware.util.cache.Cache}) */
    OpenfireCacheEvents(Object cache) {
        this.cache = cache;
    }

    @Override
    @SuppressWarnings("unchecked")
    public String subscribe(Listener<K, V> listener) {
        try {
            final Class<?> type = Class.forName(LISTENER, false, OpenfireCacheEvents.class.getClassLoader());
            final InvocationHandler handler = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "entryAdded" -> listener.put((K) args[0], (V) args[1]);
                    case "entryUpdated" -> listener.put((K) args[0], (V) args[2]);
                    case "entryRemoved", "entryEvicted" -> listener.removed((K) args[0]);
                    case "mapCleared", "mapEvicted" -> listener.cleared();
                    case "hashCode" -> {
                        return System.identityHashCode(proxy);
                    }
                    case "equals" -> {
                        return proxy == args[0];
                    }
                    case "toString" -> {
                        return "Message Carbons view of " + cache;
                    }
                    default -> {
                    }
                }
                return null;
            };
            final Object proxy = Proxy.newProxyInstance(OpenfireCacheEvents.class.getClassLoader(), new Class<?>[]{type}, handler);
            final Method add = cache.getClass().getMethod("addClusteredCacheEntryListener", type, boolean.class, boolean.class);
            return (String) add.invoke(cache, proxy, true, false);
        } catch (InvocationTargetException e) {
            if (!(e.getCause() instanceof UnsupportedOperationException)) {
                Log.warn("Could not follow the entry events of {}", cache, e.getCause());
            }
            return null;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Log.debug("This Openfire has no cluster entry listeners for {}", cache, e);
            return null;
        }
    }

    @Override
    public void unsubscribe(String subscription) {
        try {
            cache.getClass().getMethod("removeClusteredCacheEntryListener", String.class).invoke(cache, subscription);
        } catch (InvocationTargetException e) {
            Log.debug("Could not stop following the entry events of {}", cache, e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.debug("Could not stop following the entry events of {}", cache, e);
        }
    }
}
