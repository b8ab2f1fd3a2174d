package io.umqtt.core.session;

import org.jspecify.annotations.Nullable;

/**
 * In-flight messages by packet identifier: found in two array reads, without boxing or
 * hashing, and small when little is in flight. The 65,536 identifiers are split into
 * pages of {@value #PAGE_SIZE}; a page exists only while it holds a message (and one
 * emptied page is kept for reuse), so an idle client holds about two kilobytes here and a
 * busy one the few pages its window spans.
 * <p>
 * Not thread-safe: confined to the connection's event loop, like the {@link Session} that
 * owns it.
 */
final class InflightTable {

	private static final int PAGE_BITS = 8;

	static final int PAGE_SIZE = 1 << PAGE_BITS;

	private final @Nullable OutgoingMessage[] @Nullable [] pages = new OutgoingMessage[65_536 >> PAGE_BITS][];

	private final short[] counts = new short[this.pages.length];

	/**
	 * The last page emptied, kept for the next page needed: with one message in flight at
	 * a time, the same array goes back and forth instead of a new one for every message.
	 */
	private @Nullable OutgoingMessage @Nullable [] spare;

	@Nullable OutgoingMessage get(int packetId) {
		@Nullable OutgoingMessage[] page = this.pages[packetId >>> PAGE_BITS];
		return (page != null) ? page[packetId & (PAGE_SIZE - 1)] : null;
	}

	void put(int packetId, OutgoingMessage message) {
		int index = packetId >>> PAGE_BITS;
		OutgoingMessage[] page = this.pages[index];
		if (page == null) {
			page = this.spare;
			if (page != null) {
				this.spare = null;
			}
			else {
				page = new OutgoingMessage[PAGE_SIZE];
			}
			this.pages[index] = page;
		}
		int slot = packetId & (PAGE_SIZE - 1);
		if (page[slot] == null) {
			this.counts[index]++;
		}
		page[slot] = message;
	}

	void remove(int packetId) {
		int index = packetId >>> PAGE_BITS;
		OutgoingMessage[] page = this.pages[index];
		if (page == null || page[packetId & (PAGE_SIZE - 1)] == null) {
			return;
		}
		page[packetId & (PAGE_SIZE - 1)] = null;
		if (--this.counts[index] == 0) {
			// empty: every slot is null again, ready for reuse
			this.pages[index] = null;
			this.spare = page;
		}
	}

	/** How many pages exist, for tests. */
	int pages() {
		int pages = 0;
		for (OutgoingMessage[] page : this.pages) {
			if (page != null) {
				pages++;
			}
		}
		return pages;
	}

}
