package io.eventy.store;

import java.util.List;

/**
 * What an append stored.
 *
 * @param streamVersion the version of the last appended record
 * @param records the records as stored, in version order
 */
public record AppendResult(long streamVersion, List<StoredRecord> records) {

	public AppendResult {
		records = List.copyOf(records);
	}

}
