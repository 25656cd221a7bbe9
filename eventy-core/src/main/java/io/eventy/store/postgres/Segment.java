package io.eventy.store.postgres;

/**
 * One segment of a subscription: the records whose stream hashes to {@code index} out of
 * {@code count}. Records of one stream are always in the same segment, so a segment
 * handles them in order; a subscription of one segment reads every record.
 *
 * @param index the segment, from {@code 0}
 * @param count how many segments the subscription has
 */
record Segment(int index, int count) {

	/** The one segment of a subscription that is not split. */
	static final Segment WHOLE = new Segment(0, 1);

	Segment {
		if (count < 1 || index < 0 || index >= count) {
			throw new IllegalArgumentException("No segment " + index + " of " + count);
		}
	}

	/**
	 * Return whether this segment holds every record.
	 * @return {@code true} for a subscription of one segment
	 */
	boolean whole() {
		return this.count == 1;
	}

	@Override
	public String toString() {
		return this.index + "/" + this.count;
	}

}
