package io.umqtt.core.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InflightTableTests {

	private final InflightTable table = new InflightTable();

	@Test
	void findsEveryIdentifierAndHoldsPagesOnlyWhileTheyHoldMessages() {
		OutgoingMessage[] messages = new OutgoingMessage[65_536];
		// a window of 1,000 sliding over every identifier, wrapping once
		for (int step = 1; step <= 65_535 + 1_000; step++) {
			int id = ((step - 1) % 65_535) + 1;
			if (step > 65_535) {
				assertThat(this.table.get(id)).isNull();
			}
			messages[id] = new OutgoingMessage("t", 1, false, new byte[0]);
			this.table.put(id, messages[id]);
			int leaving = step - 1_000;
			if (leaving >= 1) {
				int old = ((leaving - 1) % 65_535) + 1;
				assertThat(this.table.get(old)).isSameAs(messages[old]);
				this.table.remove(old);
				assertThat(this.table.get(old)).isNull();
			}
			assertThat(this.table.pages()).isLessThanOrEqualTo(1_000 / InflightTable.PAGE_SIZE + 2);
		}
		for (int step = 65_535 + 1; step <= 65_535 + 1_000; step++) {
			this.table.remove(((step - 1) % 65_535) + 1);
		}
		assertThat(this.table.pages()).isZero();
	}

	@Test
	void removingAnAbsentIdentifierChangesNothing() {
		OutgoingMessage message = new OutgoingMessage("t", 1, false, new byte[0]);
		this.table.put(300, message);
		this.table.remove(301);
		this.table.remove(40_000);
		assertThat(this.table.get(300)).isSameAs(message);
		assertThat(this.table.pages()).isEqualTo(1);
	}

	@Test
	void oneMessageAtATimeReusesOnePage() {
		OutgoingMessage message = new OutgoingMessage("t", 1, false, new byte[0]);
		for (int id = 1; id <= 65_535; id++) {
			this.table.put(id, message);
			assertThat(this.table.get(id)).isSameAs(message);
			this.table.remove(id);
			assertThat(this.table.get(id)).isNull();
		}
		assertThat(this.table.pages()).isZero();
	}

}
