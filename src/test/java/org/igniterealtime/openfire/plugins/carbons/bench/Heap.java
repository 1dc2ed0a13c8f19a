package org.igniterealtime.openfire.plugins.carbons.bench;

/** Heap measurements for the footprint figures. */
public final class Heap {

    private Heap() {
    }

    /** Used heap after garbage collection: the lowest of five collections, so that a late finaliser does not count. */
    public static long usedAfterGc() throws InterruptedException {
        final Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
