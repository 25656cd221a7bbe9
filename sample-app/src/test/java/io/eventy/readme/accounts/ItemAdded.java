package io.eventy.readme.accounts;

import io.eventy.record.RecordType;
import jakarta.validation.constraints.NotBlank;

/**
 * An item put into a cart.
 *
 * @param item the item
 */
@RecordType(namespace = "urn:shop")
record ItemAdded(@NotBlank String item) {

}
