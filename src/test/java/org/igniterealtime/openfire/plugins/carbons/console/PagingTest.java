package org.igniterealtime.openfire.plugins.carbons.console;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The user list's paging, whatever arrives in the query string. */
class PagingTest {

    @Test
    void firstPageOfAFewUsers() {
        final Paging paging = Paging.of(0, 15, 3);
        assertEquals(0, paging.start());
        assertEquals(3, paging.end());
        assertEquals(1, paging.pages());
        assertEquals(List.of(1), paging.links());
    }

    @Test
    void startIsAlignedToTheRangeAndKeptInsideTheList() {
        assertEquals(15, Paging.of(17, 15, 40).start(), "a start inside page 2 shows page 2");
        assertEquals(30, Paging.of(999, 15, 40).start(), "past the end: the last page");
        assertEquals(0, Paging.of(-5, 15, 40).start());
        assertEquals(40, Paging.of(30, 15, 40).end());
        assertEquals(3, Paging.of(30, 15, 40).page());
    }

    @Test
    void rangesOutsideWhatTheSelectOffersFallBackToTheDefault() {
        assertEquals(Paging.DEFAULT_RANGE, Paging.of(0, 0, 10).range());
        assertEquals(Paging.DEFAULT_RANGE, Paging.of(0, 100_000, 10).range());
        assertEquals(2, Paging.of(0, 2, 10).range(), "small ranges are allowed (the tests use them)");
    }

    @Test
    void anEmptyListHasOnePage() {
        final Paging paging = Paging.of(30, 15, 0);
        assertEquals(0, paging.start());
        assertEquals(0, paging.end());
        assertEquals(1, paging.pages());
    }

    @Test
    void thousandsOfUsersGiveAShortListOfPageLinks() {
        final Paging paging = Paging.of(50 * 15, 15, 5000);
        assertEquals(51, paging.page());
        assertEquals(334, paging.pages());
        assertEquals(List.of(1, 0, 48, 49, 50, 51, 52, 53, 54, 0, 334), paging.links(), "0 marks a gap");
        assertEquals(750, paging.startOf(51));
    }
}
