package io.eventy.autoconfigure.web.ingest;

import io.eventy.record.RecordKind;
import io.eventy.record.RecordType;

/**
 * A request, which an allowed pattern covers but ingest never accepts.
 *
 * @param sku the article
 */
@RecordType(namespace = "urn:ingest", kind = RecordKind.REQUEST)
record CheckStock(String sku) {

}
