package io.eventy.autoconfigure.web.ingest;

import java.util.List;

import io.eventy.record.RecordType;

/**
 * An event with a list, which parameters given several times fill.
 *
 * @param tags the tags
 */
@RecordType(namespace = "urn:ingest")
record Tagged(List<String> tags) {

}
