package io.eventy.autoconfigure.web.ingest;

import io.eventy.record.RecordType;

/**
 * An event no allowed name covers.
 *
 * @param secret what it holds
 */
@RecordType(namespace = "urn:ingest")
record Hidden(String secret) {

}
