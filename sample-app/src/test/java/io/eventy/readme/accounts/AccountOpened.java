package io.eventy.readme.accounts;

import io.eventy.record.RecordType;
import jakarta.validation.constraints.NotBlank;

/**
 * The first record of an account's stream.
 *
 * @param owner who owns the account
 */
@RecordType(namespace = "urn:bank")
record AccountOpened(@NotBlank String owner) {

}
