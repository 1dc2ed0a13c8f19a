package org.igniterealtime.openfire.plugins.carbons.console;

import java.util.ArrayList;
import java.util.List;

/**
 * One page of a long list, paged the way Openfire's session summary pages: a choice of rows per page, a start
 * offset in the query string, and numbered page links. Only the rows of the current page are ever rendered.
 *
 * @param start the index of the first row on this page (a multiple of range)
 * @param range rows per page
 * @param total rows in the whole list
 */
public record Paging(int start, int range, int total) {

    /** The rows-per-page choices Openfire's own lists offer. */
    public static final List<Integer> RANGES = List.of(15, 25, 50, 100);
    public static final int DEFAULT_RANGE = 15;
    /** Page links shown on each side of the current page before the list is shortened with a gap. */
    static final int WINDOW = 3;

    /**
     * The page that holds the requested start, for whatever came in the query string: a range outside 1..100 falls
     * back to the default, a start beyond the end goes to the last page, a negative one to the first.
     */
    public static Paging of(int requestedStart, int requestedRange, int total) {
        final int range = requestedRange >= 1 && requestedRange <= RANGES.get(RANGES.size() - 1) ? requestedRange : DEFAULT_RANGE;
        final int count = Math.max(total, 0);
        final int lastStart = count == 0 ? 0 : (count - 1) / range * range;
        final int start = Math.min(Math.max(requestedStart, 0) / range * range, lastStart);
        return new Paging(start, range, count);
    }

    /** Index after the last row of this page. */
    public int end() {
        return Math.min(start + range, total);
    }

    public int pages() {
        return total == 0 ? 1 : (total + range - 1) / range;
    }

    /** 1-based. */
    public int page() {
        return start / range + 1;
    }

    /** Offset of the first row of a 1-based page. */
    public int startOf(int page) {
        return (page - 1) * range;
    }

    /**
     * The page numbers to link: the first, the last, and a window around the current one; 0 marks a gap. With
     * thousands of users the list stays short.
     */
    public List<Integer> links() {
        final List<Integer> links = new ArrayList<>();
        final int pages = pages();
        final int current = page();
        for (int p = 1; p <= pages; p++) {
            if (p == 1 || p == pages || Math.abs(p - current) <= WINDOW) {
                links.add(p);
            } else if (links.get(links.size() - 1) != 0) {
                links.add(0);
            }
        }
        return links;
    }
}
