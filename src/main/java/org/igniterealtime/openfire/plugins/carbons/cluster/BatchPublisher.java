package org.igniterealtime.openfire.plugins.carbons.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes entries into a cluster-wide cache on a thread of its own, in batches, so that the thread routing a message
 * never waits for the network: a put into a Hazelcast map is a round trip to the member owning the key, and a putAll
 * groups a batch by member (Openfire's Cache.putAll, ClusteredCache over IMap.putAll in the Hazelcast plugin 5.5).
 * <p>
 * Bounded: when the cluster cannot keep up, the newest entries that do not fit are dropped (counted and logged); an
 * error answering one of those messages, entering on another node, is then not copied.
 *
 * @param <K> key
 * @param <V> value
 */
public final class BatchPublisher<K, V> {

    private static final Logger Log = LoggerFactory.getLogger(BatchPublisher.class);
    private static final int CAPACITY = 50_000;
    private static final int BATCH = 1_000;

    private final Map<K, V> cache;
    private final String name;
    private final BlockingQueue<Map.Entry<K, V>> queue = new ArrayBlockingQueue<>(CAPACITY);
    private volatile Thread thread;
    private long dropped;

    public BatchPublisher(Map<K, V> cache, String name) {
        this.cache = cache;
        this.name = name;
    }

    public synchronized void start() {
        if (thread == null) {
            final Thread writer = new Thread(this::run, name);
            writer.setDaemon(true);
            thread = writer;
            writer.start();
        }
    }

    /** Writes what is queued, then stops. */
    public void stop() {
        final Thread writer;
        synchronized (this) {
            writer = thread;
            thread = null;
        }
        if (writer != null) {
            writer.interrupt();
            try {
                writer.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Queues an entry; never blocks. */
    public void submit(K key, V value) {
        if (!queue.offer(Map.entry(key, value))) {
            synchronized (this) {
                if (dropped++ % 10_000 == 0) {
                    Log.warn("{}: the cluster does not keep up; {} entries not published so far", name, dropped);
                }
            }
        }
    }

    private void run() {
        final List<Map.Entry<K, V>> batch = new ArrayList<>(BATCH);
        while (thread == Thread.currentThread()) {
            try {
                final Map.Entry<K, V> first = queue.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    write(batch);
                }
            } catch (InterruptedException e) {
                break;
            }
        }
        queue.drainTo(batch);
        write(batch);
    }

    private void write(List<Map.Entry<K, V>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        final Map<K, V> entries = new HashMap<>(batch.size() * 2);
        batch.forEach(entry -> entries.put(entry.getKey(), entry.getValue()));
        batch.clear();
        try {
            cache.putAll(entries);
        } catch (RuntimeException e) {
            Log.debug("{}: {} entries not published", name, entries.size(), e);
        }
    }
}
