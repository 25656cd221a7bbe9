package io.eventy.readme.accounts;

import io.eventy.record.RecordType;
import jakarta.validation.constraints.Positive;

/**
 * Money put into an account.
 *
 * @param amountCents how much
 */
@RecordType(namespace = "urn:bank")
record Deposited(@Positive long amountCents) {

}
