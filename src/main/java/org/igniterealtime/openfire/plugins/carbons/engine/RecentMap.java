package org.igniterealtime.openfire.plugins.carbons.engine;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A bounded map of recent entries for one server, without a lock on reads or writes: entries go into the current
 * generation; when it holds {@code generationSize} entries or is {@code generationMillis} old, it becomes the previous
 * one and the one before is dropped whole. An entry lives at least until the generation after its own is full or
 * {@code generationMillis} old, and never longer than two generations; at most twice {@code generationSize} entries are
 * held.
 * <p>
 * Openfire's own DefaultCache would serve as well, but it is synchronized on every get and put (Openfire 5.1.1
 * DefaultCache), and a map written for every copied message became the largest monitor wait of a profile of the plugin
 * under load on Openfire 5.1.1.
 */
public final class RecentMap<K, V> extends AbstractMap<K, V> {

    private record Generation<K, V>(ConcurrentHashMap<K, V> entries, ConcurrentHashMap<K, V> previous, long started) {
    }

    private final int generationSize;
    private final long generationMillis;
    private final LongSupplier clock;
    private volatile Generation<K, V> current;

    public RecentMap(int generationSize, long generationMillis) {
        this(generationSize, generationMillis, System::currentTimeMillis);
    }

    RecentMap(int generationSize, long generationMillis, LongSupplier clock) {
        this.generationSize = generationSize;
        this.generationMillis = generationMillis;
        this.clock = clock;
        this.current = new Generation<>(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), clock.getAsLong());
    }

    @Override
    public V get(Object key) {
        final Generation<K, V> generation = current;
        final V value = generation.entries().get(key);
        return value != null ? value : generation.previous().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public V put(K key, V value) {
        Generation<K, V> generation = current;
        if (generation.entries().size() >= generationSize || clock.getAsLong() - generation.started() >= generationMillis) {
            generation = rotate(generation);
        }
        return generation.entries().put(key, value);
    }

    private synchronized Generation<K, V> rotate(Generation<K, V> full) {
        if (current == full) {
            current = new Generation<>(new ConcurrentHashMap<>(), full.entries(), clock.getAsLong());
        }
        return current;
    }

    @Override
    public V remove(Object key) {
        final Generation<K, V> generation = current;
        final V removed = generation.entries().remove(key);
        final V older = generation.previous().remove(key);
        return removed != null ? removed : older;
    }

    @Override
    public void clear() {
        current = new Generation<>(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), clock.getAsLong());
    }

    @Override
    public int size() {
        return entrySet().size();
    }

    /** A snapshot, the newer generation winning (for tests and diagnostics; the per-message path never asks). */
    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        final Generation<K, V> generation = current;
        final Map<K, V> all = new HashMap<>(generation.previous());
        all.putAll(generation.entries());
        return all.entrySet();
    }
}
