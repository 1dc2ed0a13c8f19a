package org.igniterealtime.openfire.plugins.carbons;

import org.igniterealtime.openfire.plugins.carbons.cluster.EntryEvents;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One Hazelcast map of the {@link ClusterModel}, as every node sees it (Openfire 5.1.1's ClusteredCache over the
 * Hazelcast plugin 5.5): one map for all nodes, with its reads and writes counted (each is a network round trip for
 * the keys another member owns), and its changes told to the subscribed entry listeners on an event thread of their
 * own, asynchronously, the changes of a key in the order they were made (ClusteredCache.addClusteredCacheEntryListener:
 * an IMap EntryListener, called on Hazelcast's event threads).
 *
 * @param <K> key
 * @param <V> value
 */
final class ModelCache<K, V> extends ConcurrentHashMap<K, V> implements EntryEvents<K, V> {

    private final AtomicInteger pendingTasks;
    private final Map<String, Subscriber<K, V>> subscribers = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** Reads (get, containsKey, a pass over the entries) and writes (put, remove) since {@link #resetCounts()}. */
    final AtomicLong reads = new AtomicLong();
    final AtomicLong writes = new AtomicLong();
    /** Names of the threads that read or wrote since {@link #resetCounts()}. */
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    /**
     * Whether a pass over the entries and the events hand out copies of the values, as Hazelcast deserialises them for
     * every reader (for measuring what a node's copy of the others' entries costs; off by default, being slower).
     */
    volatile boolean deserialisedCopies;

    private record Subscriber<K, V>(Listener<K, V> listener, ExecutorService thread) {
    }

    /** @param pendingTasks the model's count of work not done yet, which its settle() waits for */
    ModelCache(AtomicInteger pendingTasks) {
        this.pendingTasks = pendingTasks;
    }

    void resetCounts() {
        reads.set(0);
        writes.set(0);
        threads.clear();
    }

    @Override
    public V get(Object key) {
        read();
        return super.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        read();
        return super.containsKey(key);
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        read();
        if (!deserialisedCopies) {
            return super.entrySet();
        }
        final Set<Map.Entry<K, V>> copies = new java.util.LinkedHashSet<>();
        super.entrySet().forEach(entry -> copies.add(Map.entry(entry.getKey(), copy(entry.getValue()))));
        return copies;
    }

    @SuppressWarnings("unchecked")
    private V copy(V value) {
        try {
            final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(value);
            }
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                return (V) in.readObject();
            }
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public KeySetView<K, V> keySet() {
        read();
        return super.keySet();
    }

    @Override
    public Collection<V> values() {
        read();
        return super.values();
    }

    @Override
    public V put(K key, V value) {
        write();
        final V previous = super.put(key, value);
        final V told = deserialisedCopies ? copy(value) : value;
        tell(listener -> listener.put(key, told));
        return previous;
    }

    /** Entry by entry, as Hazelcast's putAll sends each entry to its partition's owner: each counted and announced. */
    @Override
    public void putAll(Map<? extends K, ? extends V> entries) {
        entries.forEach(this::put);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        write();
        final V previous = super.remove(key);
        if (previous != null) {
            tell(listener -> listener.removed((K) key));
        }
        return previous;
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean remove(Object key, Object value) {
        write();
        final boolean removed = super.remove(key, value);
        if (removed) {
            tell(listener -> listener.removed((K) key));
        }
        return removed;
    }

    @Override
    public void clear() {
        super.clear();
        tell(Listener::cleared);
    }

    @Override
    public String subscribe(Listener<K, V> listener) {
        final String id = "listener-" + ids.incrementAndGet();
        subscribers.put(id, new Subscriber<>(listener, Executors.newSingleThreadExecutor(r -> new Thread(r, "hz-event-" + id))));
        return id;
    }

    @Override
    public void unsubscribe(String subscription) {
        final Subscriber<K, V> removed = subscribers.remove(subscription);
        if (removed != null) {
            removed.thread().shutdown();
        }
    }

    /** Stops every event thread. */
    void close() {
        subscribers.values().forEach(subscriber -> subscriber.thread().shutdownNow());
        subscribers.clear();
    }

    private void tell(Consumer<Listener<K, V>> event) {
        for (Subscriber<K, V> subscriber : subscribers.values()) {
            pendingTasks.incrementAndGet();
            try {
                subscriber.thread().execute(() -> {
                    try {
                        event.accept(subscriber.listener());
                    } finally {
                        pendingTasks.decrementAndGet();
                    }
                });
            } catch (RuntimeException e) {
                pendingTasks.decrementAndGet(); // unsubscribed meanwhile
            }
        }
    }

    private void read() {
        reads.incrementAndGet();
        threads.add(Thread.currentThread().getName());
    }

    private void write() {
        writes.incrementAndGet();
        threads.add(Thread.currentThread().getName());
    }
}
