package io.eventy.test.app;

import io.eventy.record.RecordType;

/**
 * A parcel passed a scanner; {@link Gate} handles it.
 *
 * @param parcelId the parcel
 */
@RecordType(name = "ParcelScanned", namespace = "urn:shop")
public record ParcelScanned(String parcelId) {
}
